//! Abuse limits on the endpoints that cost money (SMS), CPU (password hashing, proofs, exports)
//! or invite guessing (status checks, recovery): a fixed window per client address or per
//! account, counted in the database so that every process shares it. The table below is the
//! policy; SECURITY.md lists it for readers.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use anjoman_core::ApiError;
use anjoman_core::http::{AppState, client_ip};
use anjoman_core::platform::ratelimit;

/// Whose requests one window counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// The client's address (behind a proxy, from `X-Forwarded-For` when trusted).
    Address,
    /// The signed-in person; requests without a valid token count against their address.
    Account,
}

/// One limit: at most `max` requests to the route in `seconds`, for each subject.
#[derive(Debug)]
pub struct Rule {
    pub name: &'static str,
    pub method: Method,
    /// The route as registered, e.g. `/api/v1/elections/{id}/vote-code`.
    pub route: &'static str,
    pub per: Per,
    pub max: i32,
    pub seconds: u64,
}

const fn rule(name: &'static str, method: Method, route: &'static str, per: Per, max: i32, seconds: u64) -> Rule {
    Rule { name, method, route, per, max, seconds }
}

/// The limits. Generous for a person using the SPA (the browser tests run under them), tight
/// for a script. Per-address limits are set for many people behind one address (a carrier's
/// NAT, a university): they stop floods, while guessing is stopped per account (the login
/// throttle, one-time codes' tries).
pub const RULES: &[Rule] = &[
    // Anonymous endpoints, per address: captchas and password hashes cost CPU, recovery sends
    // SMS and e-mail, the status check answers whether a national code is a member.
    rule("captcha", Method::GET, "/api/v1/auth/captcha", Per::Address, 120, 60),
    rule("register", Method::POST, "/api/v1/auth/register", Per::Address, 60, 600),
    rule("login", Method::POST, "/api/v1/auth/login", Per::Address, 120, 60),
    rule("refresh", Method::POST, "/api/v1/auth/refresh", Per::Address, 300, 60),
    rule("recovery", Method::POST, "/api/v1/auth/recovery", Per::Address, 20, 600),
    rule("recovery_sms", Method::POST, "/api/v1/auth/recovery/sms", Per::Address, 20, 600),
    rule("recovery_reset", Method::POST, "/api/v1/auth/recovery/reset", Per::Address, 40, 600),
    rule("sso_start", Method::GET, "/api/v1/auth/sso/start", Per::Address, 30, 60),
    rule("membership_status", Method::POST, "/api/v1/membership-status", Per::Address, 60, 60),
    rule("inbound_sms", Method::POST, "/api/v1/sms/inbound", Per::Address, 600, 60),
    rule("payment_callback", Method::GET, "/api/v1/payments/callback", Per::Address, 300, 60),
    // Signed-in work, per account: codes by SMS and e-mail, ballots (each proof is checked),
    // hashing a new password, uploads, imports, exports and full scans.
    rule("change_password", Method::POST, "/api/v1/auth/change-password", Per::Account, 10, 600),
    rule("vote_code", Method::POST, "/api/v1/elections/{id}/vote-code", Per::Account, 5, 600),
    rule("vote_code_email", Method::POST, "/api/v1/elections/{id}/vote-code/email", Per::Account, 5, 600),
    rule("ballot", Method::POST, "/api/v1/elections/{id}/ballot", Per::Account, 20, 600),
    rule("files", Method::POST, "/api/v1/files", Per::Account, 60, 600),
    rule("messages", Method::POST, "/api/v1/messages", Per::Account, 60, 600),
    rule("invoice", Method::POST, "/api/v1/invoices", Per::Account, 30, 600),
    rule("invoice_pay", Method::POST, "/api/v1/invoices/{id}/pay", Per::Account, 30, 600),
    rule("membership_request", Method::POST, "/api/v1/associations/{id}/membership-requests", Per::Account, 20, 600),
    rule("member_import", Method::POST, "/api/v1/associations/{id}/members/import", Per::Account, 30, 600),
    rule("engineer_import", Method::POST, "/api/v1/engineers/import", Per::Account, 30, 600),
    rule("officer_import", Method::POST, "/api/v1/officers/import", Per::Account, 30, 600),
    rule("member_search", Method::GET, "/api/v1/associations/{id}/members", Per::Account, 240, 60),
    rule("member_export", Method::GET, "/api/v1/associations/{id}/members.csv", Per::Account, 30, 600),
    rule("results_export", Method::GET, "/api/v1/elections/{id}/results.csv", Per::Account, 30, 600),
    rule("aggregate", Method::GET, "/api/v1/elections/{id}/aggregate", Per::Account, 20, 60),
    rule("tally", Method::POST, "/api/v1/elections/{id}/tally", Per::Account, 10, 60),
    rule("audit_verification", Method::GET, "/api/v1/audit-log/verification", Per::Account, 10, 60),
    rule("api_key_create", Method::POST, "/api/v1/integrations/keys", Per::Account, 30, 600),
];

/// The rule for a request's method and matched route, if any.
pub fn rule_for(method: &Method, route: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.method == *method && r.route == route)
}

/// Counts the request against its rule and refuses it (429 `rate_limited`, `Retry-After`) when
/// the window is full. Requests without a rule pass untouched.
pub async fn enforce(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let matched = req.match_pattern();
    let rule = match (&matched, state.config.rate_limits) {
        (Some(route), true) => rule_for(req.method(), route),
        _ => None,
    };
    let Some(rule) = rule else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let account = match rule.per {
        Per::Account => anjoman_core::auth::bearer(req.request())
            .and_then(|token| state.jwt.verify(&token))
            .map(|claims| claims.sub),
        Per::Address => None,
    };
    let subject = match account {
        Some(person) => format!("account:{person}"),
        None => format!("ip:{}", client_ip(req.request(), state.config.trust_forwarded_for)),
    };
    let key = format!("{}:{subject}", rule.name);
    let (max, window) = (rule.max, Duration::from_secs(rule.seconds));
    match state.db(move |conn| Ok(ratelimit::hit(conn, &key, max, window)?)).await {
        Ok(None) => Ok(next.call(req).await?.map_into_boxed_body()),
        Ok(Some(wait)) => {
            metrics::counter!("http_rate_limited_total", "rule" => rule.name).increment(1);
            Ok(req.error_response(ApiError::RateLimited { retry_after_secs: wait }))
        }
        Err(err) => Ok(req.error_response(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule names a route the application serves, with its method, so that a renamed
    /// route cannot silently lose its limit.
    #[test]
    fn every_rule_names_a_documented_operation() {
        let spec: serde_json::Value =
            serde_json::from_str(include_str!("../../../openapi/openapi.json")).expect("the committed spec");
        for r in RULES {
            let method = r.method.as_str().to_ascii_lowercase();
            assert!(
                spec["paths"][r.route][&method].is_object(),
                "rule {} names {} {}, which the API does not serve",
                r.name,
                r.method,
                r.route
            );
            assert!(r.max > 0 && r.seconds > 0 && r.seconds <= ratelimit::LONGEST_WINDOW.as_secs());
        }
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len(), "rule names are unique");
    }
}
