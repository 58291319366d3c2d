//! The identity routes: auth (`/api/v1/auth/…`), the caller's profile (`/api/v1/me`), roles and
//! accounts; each part's handlers live in its own module.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(crate::registration::captcha_new)
        .service(crate::registration::register)
        .service(crate::sessions::login)
        .service(crate::sessions::refresh)
        .service(crate::sessions::logout)
        .service(crate::sessions::change_password)
        .service(crate::profile::me)
        .service(crate::profile::update_me)
        .service(crate::recovery::request_reset_code)
        .service(crate::recovery::reset_with_code)
        .service(crate::recovery::request_sms_recovery)
        .service(crate::recovery::sms_recovery_status)
        .service(crate::sms::receive)
        .service(crate::sso::sso_info)
        .service(crate::sso::sso_start)
        .service(crate::sso::sso_callback)
        .service(crate::roles::http::list_grants)
        .service(crate::roles::http::grantable_roles)
        .service(crate::roles::http::create_grant)
        .service(crate::roles::http::revoke_grant)
        .service(crate::accounts::list_people)
        .service(crate::accounts::disable_account)
        .service(crate::accounts::enable_account)
        .service(crate::accounts::my_sessions)
        .service(crate::accounts::end_session)
        .service(crate::accounts::end_other_sessions);
}
