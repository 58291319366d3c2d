//! anjoman-integrations: third-party systems (PL-06). Admins issue API keys with scopes and an
//! expiry to a university's HR system, a hospital's credential check or a permit system; those
//! systems call the verification endpoints with the key, and hear of changes through signed
//! webhooks delivered by the outbox (`anjoman_core::platform::webhooks`).

pub mod errors;
pub mod keys;
pub mod manage;
pub mod verify;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(manage::catalogue)
        .service(manage::api_keys::list_keys)
        .service(manage::api_keys::create_key)
        .service(manage::api_keys::rotate_key)
        .service(manage::api_keys::revoke_key)
        .service(manage::subscriptions::list_webhooks)
        .service(manage::subscriptions::create_webhook)
        .service(manage::subscriptions::update_webhook)
        .service(manage::subscriptions::deliveries)
        .service(manage::subscriptions::redeliver)
        .service(verify::verify_member)
        .service(verify::verify_officer)
        .service(verify::verify_engineer)
        .service(verify::election_results);
}

/// The audit log's scope of keys and webhooks: their owner's (the commission's are its alone).
pub fn audit_scopes() -> Vec<(&'static str, anjoman_core::audit::Resolver)> {
    use anjoman_core::audit::Scope;
    use anjoman_core::db::DbConn;
    use anjoman_core::db::schema::{api_keys as k, webhook_subscriptions as w};
    use diesel::prelude::*;

    fn of(owner: Option<(String, Option<String>)>) -> Option<Scope> {
        match owner? {
            (kind, _) if kind == "directorate" => Some(Scope::Directorate),
            (kind, Some(p)) if kind == "engineering" => Some(Scope::Engineering(p)),
            _ => None,
        }
    }
    fn key(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        Ok(of(k::table.find(id).select((k::owner_kind, k::province_id)).first(conn).optional()?))
    }
    fn webhook(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        Ok(of(w::table.find(id).select((w::owner_kind, w::province_id)).first(conn).optional()?))
    }
    vec![("api_key", key), ("webhook", webhook)]
}
