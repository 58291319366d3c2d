//! anjoman-integrations: third-party systems (PL-06). Admins issue API keys with scopes and an
//! expiry to a university's HR system, a hospital's credential check or a permit system; those
//! systems call the verification endpoints with the key, and hear of changes through signed
//! webhooks delivered by the outbox (`anjoman_core::platform::webhooks`).

pub mod keys;
pub mod manage;
pub mod verify;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(manage::catalogue)
        .service(manage::list_keys)
        .service(manage::create_key)
        .service(manage::rotate_key)
        .service(manage::revoke_key)
        .service(manage::list_webhooks)
        .service(manage::create_webhook)
        .service(manage::update_webhook)
        .service(manage::deliveries)
        .service(manage::redeliver)
        .service(verify::verify_member)
        .service(verify::verify_officer)
        .service(verify::verify_engineer)
        .service(verify::election_results);
}
