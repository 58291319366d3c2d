//! Administrators' views of the platform: the audit log (PL-04) and the outbox (PL-01).

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::error::ApiError;
use crate::http::AppState;
use crate::paging::{Page, page_bounds};
use crate::platform::outbox;
use crate::refusals::CoreError;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(audit_log)
        .service(audit_verification)
        .service(outbox_list)
        .service(outbox_resend)
        .service(crate::platform::files_http::upload)
        .service(crate::platform::files_http::download)
        .service(crate::platform::payments_http::create_invoice)
        .service(crate::platform::payments_http::list_invoices)
        .service(crate::platform::payments_http::show_invoice)
        .service(crate::platform::payments_http::pay_invoice)
        .service(crate::platform::payments_http::payment_callback)
        .service(crate::platform::payments_http::sandbox_request)
        .service(crate::platform::payments_http::sandbox_verify)
        .service(crate::platform::payments_http::sandbox_start)
        .service(crate::platform::payments_http::sandbox_show)
        .service(crate::platform::payments_http::sandbox_pay)
        .service(crate::platform::payments_http::sandbox_cancel);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    pub actor_id: Option<String>,
    /// e.g. `auth.login`, `auth.login_failed`, `person.registered`
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// Inclusive, UTC ISO-8601.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive, UTC ISO-8601.
    pub to: Option<DateTime<Utc>>,
    /// From 1.
    pub page: Option<i64>,
    /// 1 to 100; 25 by default.
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// JSON of the state before, when recorded.
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub hash: String,
    /// Whose part of the log: `association:<id>`, `directorate`, `engineering:<province>`, or
    /// none (the commission's alone).
    pub scope: Option<String>,
}

fn json_of(s: Option<String>) -> Option<serde_json::Value> {
    s.map(|s| serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s)))
}

/// The parts of the log `user` reads: all of it for the commission (`None`); their associations'
/// for association admins, the directorate's domain for its admins, their province's for an
/// engineering organisation's admins; nobody else.
fn readable_scopes(user: &AuthUser) -> Result<Option<Vec<String>>, ApiError> {
    if user.may(&[Role::CommissionAdmin.any()]) {
        return Ok(None);
    }
    let mut scopes: Vec<audit::Scope> =
        user.scopes(Role::AssociationAdmin).into_iter().map(audit::Scope::Association).collect();
    if user.may(&[Role::DirectorateAdmin.any()]) {
        scopes.push(audit::Scope::Directorate);
    }
    scopes.extend(user.scopes(Role::EngineeringAdmin).into_iter().map(audit::Scope::Engineering));
    let scopes: Vec<String> = scopes.iter().map(audit::Scope::key).collect();
    if scopes.is_empty() { Err(ApiError::Forbidden) } else { Ok(Some(scopes)) }
}

/// The audit log, newest first, filtered: the commission reads every entry; an association's
/// admins read their association's (memberships, board, news, elections, its admins' grants);
/// the directorate its domain (officers, requests, distributors, cooperations, its roles, keys
/// and webhooks); a province's engineering admins their province's. Sign-ins and other entries
/// of no one domain are the commission's alone.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of entries", body = Page<AuditEntry>),
        (status = 400, description = "Bad filters", body = crate::error::ErrorBody),
        (status = 403, description = "Not an admin of the commission, an association, the directorate or an engineering organisation", body = crate::error::ErrorBody),
    )
)]
#[get("/audit-log")]
async fn audit_log(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<AuditQuery>,
) -> Result<web::Json<Page<AuditEntry>>, ApiError> {
    let scopes = readable_scopes(&user)?;
    let q = q.into_inner();
    let (page, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let filter = audit::Filter {
        scopes,
        actor_id: q.actor_id,
        action: q.action,
        object_type: q.object_type,
        object_id: q.object_id,
        from: q.from.map(|d| d.naive_utc()),
        to: q.to.map(|d| d.naive_utc()),
    };
    let (total, rows) = state.db(move |conn| Ok(audit::list(conn, &filter, offset, per_page)?)).await?;
    let items = rows
        .into_iter()
        .map(|e| AuditEntry {
            seq: e.seq,
            at: e.at.and_utc(),
            actor_id: e.actor_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            before: json_of(e.before_state),
            after: json_of(e.after_state),
            ip: e.ip,
            hash: e.hash,
            scope: e.scope,
        })
        .collect();
    Ok(web::Json(Page { total, page, per_page, items }))
}

#[derive(Serialize, ToSchema)]
pub struct AuditVerification {
    pub intact: bool,
    /// Entries verified (when intact).
    pub entries: i64,
    /// The first entry that does not verify.
    pub broken_at: Option<i64>,
    pub reason: Option<String>,
}

/// Walks the hash chain, as `anjoman verify-audit` does (commission admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The verdict", body = AuditVerification),
        (status = 403, description = "Not a commission admin", body = crate::error::ErrorBody),
    )
)]
#[get("/audit-log/verification")]
async fn audit_verification(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<AuditVerification>, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let verdict = state.db(|conn| Ok(audit::verify(conn)?)).await?;
    Ok(web::Json(match verdict {
        Ok(entries) => AuditVerification { intact: true, entries, broken_at: None, reason: None },
        Err(b) => {
            AuditVerification { intact: false, entries: b.seq - 1, broken_at: Some(b.seq), reason: Some(b.reason) }
        }
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OutboxQuery {
    /// `pending`, `sending`, `sent`, `delivered`, `undelivered` or `failed`
    pub status: Option<String>,
    /// `sms` or `email`
    pub channel: Option<String>,
    pub recipient: Option<String>,
    /// From 1.
    pub page: Option<i64>,
    /// 1 to 100; 25 by default.
    pub per_page: Option<i64>,
}

/// A message as administrators see it: never its text, which may hold a code or password.
#[derive(Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub purpose: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Outgoing SMS and e-mail with their delivery state, newest first (commission admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(OutboxQuery),
    responses(
        (status = 200, description = "One page of messages", body = Page<OutboxMessage>),
        (status = 400, description = "Bad filters", body = crate::error::ErrorBody),
        (status = 403, description = "Not a commission admin", body = crate::error::ErrorBody),
    )
)]
#[get("/outbox")]
async fn outbox_list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<OutboxQuery>,
) -> Result<web::Json<Page<OutboxMessage>>, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let q = q.into_inner();
    let (page, per_page, offset) = page_bounds(q.page, q.per_page)?;
    if let Some(s) = &q.status
        && !outbox::status::ALL.contains(&s.as_str())
    {
        return Err(ApiError::field("status", "وضعیت نامعتبر است.", "Unknown status."));
    }
    let filter = outbox::ListFilter { status: q.status, channel: q.channel, recipient: q.recipient };
    let (total, rows) = state.db(move |conn| Ok(outbox::list(conn, &filter, offset, per_page)?)).await?;
    let items = rows
        .into_iter()
        .map(|m| OutboxMessage {
            id: m.id,
            channel: m.channel,
            recipient: m.recipient,
            purpose: m.purpose,
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at.and_utc(),
            next_attempt_at: m.next_attempt_at.and_utc(),
            sent_at: m.sent_at.map(|t| t.and_utc()),
            delivered_at: m.delivered_at.map(|t| t.and_utc()),
        })
        .collect();
    Ok(web::Json(Page { total, page, per_page, items }))
}

/// Queues a failed or undelivered message again (commission admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The message")),
    responses(
        (status = 204, description = "Queued again"),
        (status = 403, description = "Not a commission admin", body = crate::error::ErrorBody),
        (status = 404, description = "No such message", body = crate::error::ErrorBody),
        (status = 409, description = "`not_resendable`: only failed or undelivered messages", body = crate::error::ErrorBody),
    )
)]
#[post("/outbox/{id}/resend")]
async fn outbox_resend(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let id = id.into_inner();
    let actor = user.person_id.clone();
    state
        .db(move |conn| {
            crate::db::write_tx(conn, |conn| {
                outbox::get(conn, &id)?.ok_or(ApiError::NotFound)?;
                if !outbox::resend(conn, &id)? {
                    return Err(CoreError::NotResendable.into());
                }
                audit::record(conn, audit::Event::new("outbox.resend", "outbox_message", Some(&id)).by(&actor))?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
