//! Accounts: the commission's register of people (searched, with their roles and whether they
//! can sign in), disabling and re-enabling an account (every session ends at once), and each
//! person's own list of sessions, which they can end one by one or all but this one.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Grant, Role, load_grants};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::{AppState, client_ip};
use anjoman_core::paging::page_bounds;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::errors::IdentityError;
use crate::store;
use anjoman_core::paging::Page;

/// A person as the commission sees them.
#[derive(Serialize, ToSchema)]
pub struct PersonAdminDto {
    pub id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
    /// False for people recorded by an organisation who have not yet claimed their account.
    pub has_account: bool,
    pub disabled: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    pub grants: Vec<Grant>,
}

#[derive(Deserialize, IntoParams)]
pub struct PeopleQuery {
    /// A name (Persian letters folded) or the start of a national code.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

fn person_dto(conn: &mut DbConn, p: store::Person) -> Result<PersonAdminDto, ApiError> {
    let account = store::account(conn, &p.id)?;
    let grants = load_grants(conn, &p.id)?;
    Ok(PersonAdminDto {
        has_account: account.is_some(),
        disabled: account.as_ref().is_some_and(|a| a.disabled),
        disabled_at: account.as_ref().and_then(|a| a.disabled_at).map(|t| t.and_utc()),
        disabled_reason: account.and_then(|a| a.disabled_reason),
        id: p.id,
        national_code: p.national_code,
        first_name: p.first_name,
        last_name: p.last_name,
        mobile: p.mobile,
        email: p.email,
        grants,
    })
}

/// Everyone in the system, searched by name or national code (commission admins).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(PeopleQuery),
    responses(
        (status = 200, description = "One page of people", body = Page<PersonAdminDto>),
        (status = 403, description = "Not a commission admin", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/people")]
pub async fn list_people(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PeopleQuery>,
) -> Result<web::Json<Page<PersonAdminDto>>, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let q = q.into_inner();
    let (page, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let found = store::person_match(q.q.as_deref().unwrap_or(""));
    let (total, items) = state
        .db(move |conn| {
            let (total, rows) = store::search_people(conn, found.as_ref(), offset, per_page)?;
            let items = rows.into_iter().map(|p| person_dto(conn, p)).collect::<Result<Vec<_>, _>>()?;
            Ok((total, items))
        })
        .await?;
    Ok(web::Json(Page { total, page, per_page, items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableRequest {
    /// Why; kept with the account and in the audit log.
    pub reason: String,
}

/// Disables an account: sign-in is refused with `account_disabled` and every session ends at
/// once (commission admins). Not one's own, nor the last commission admin who can sign in.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The person")),
    request_body = DisableRequest,
    responses(
        (status = 200, description = "Disabled", body = PersonAdminDto),
        (status = 400, description = "No reason given", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not a commission admin", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such person", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`no_account`, `cannot_disable_self` or `last_holder`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/people/{id}/disable")]
pub async fn disable_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<DisableRequest>,
) -> Result<web::Json<PersonAdminDto>, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let reason = body.into_inner().reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::field(
            "reason",
            "دلیل غیرفعال‌کردن را بنویسید (تا ۵۰۰ نویسه).",
            "Give the reason for disabling (up to 500 characters).",
        ));
    }
    let id = id.into_inner();
    if id == user.person_id {
        return Err(IdentityError::CannotDisableSelf.into());
    }
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let dto = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let person = store::person(conn, &id)?.ok_or(ApiError::NotFound)?;
                let account = store::account(conn, &id)?.ok_or(IdentityError::NoAccount)?;
                if !account.disabled && store::has_role(conn, &id, Role::CommissionAdmin)? {
                    let others = store::other_active_holders(conn, Role::CommissionAdmin, &id)?;
                    if others == 0 {
                        return Err(IdentityError::LastCommissionAdmin.into());
                    }
                }
                store::set_disabled(conn, &id, Some(&reason))?;
                let ended = store::revoke_all_sessions(conn, &id, "account_disabled")?;
                audit::record(
                    conn,
                    Event::new("account.disabled", "account", Some(&id))
                        .by(&user.person_id)
                        .from_ip(&ip)
                        .states(None, Some(serde_json::json!({"reason": reason, "sessions_ended": ended}))),
                )?;
                person_dto(conn, person)
            })
        })
        .await?;
    Ok(web::Json(dto))
}

/// Re-enables a disabled account (commission admins).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The person")),
    responses(
        (status = 200, description = "Enabled", body = PersonAdminDto),
        (status = 403, description = "Not a commission admin", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such person", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`no_account`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/people/{id}/enable")]
pub async fn enable_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<PersonAdminDto>, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let id = id.into_inner();
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let dto = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let person = store::person(conn, &id)?.ok_or(ApiError::NotFound)?;
                let account = store::account(conn, &id)?.ok_or(IdentityError::NoAccount)?;
                if account.disabled {
                    store::set_disabled(conn, &id, None)?;
                    audit::record(
                        conn,
                        Event::new("account.enabled", "account", Some(&id)).by(&user.person_id).from_ip(&ip),
                    )?;
                }
                person_dto(conn, person)
            })
        })
        .await?;
    Ok(web::Json(dto))
}

/// One of the caller's sessions.
#[derive(Serialize, ToSchema)]
pub struct SessionDto {
    pub id: String,
    pub created_at: DateTime<Utc>,
    /// The last sign-in or token refresh (the web client refreshes every few minutes while open).
    pub last_used_at: DateTime<Utc>,
    pub ip: Option<String>,
    /// The browser or program, as it named itself.
    pub user_agent: Option<String>,
    /// The session of this very request.
    pub current: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SessionList {
    pub items: Vec<SessionDto>,
}

/// The caller's live sessions, last used first.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "Live sessions", body = SessionList))
)]
#[get("/me/sessions")]
pub async fn my_sessions(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<SessionList>, ApiError> {
    let ttl = state.config.refresh_token_ttl;
    let person = user.person_id.clone();
    let rows = state.db(move |conn| Ok(store::live_sessions(conn, &person, ttl)?)).await?;
    let items = rows
        .into_iter()
        .map(|s| SessionDto {
            current: s.id == user.session_id,
            last_used_at: s.last_used_at.unwrap_or(s.created_at).and_utc(),
            created_at: s.created_at.and_utc(),
            id: s.id,
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect();
    Ok(web::Json(SessionList { items }))
}

/// Ends one of the caller's sessions (signing out that device; this one too, when named).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The session")),
    responses(
        (status = 204, description = "Ended"),
        (status = 404, description = "Not one of the caller's live sessions", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/me/sessions/{id}")]
pub async fn end_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if !store::revoke_own_session(conn, &user.person_id, &id, "ended_by_owner")? {
                    return Err(ApiError::NotFound);
                }
                audit::record(
                    conn,
                    Event::new("auth.session_ended", "session", Some(&id)).by(&user.person_id).from_ip(&ip),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct SessionsEnded {
    pub ended: i64,
}

/// Ends every session of the caller but the one of this request.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "How many were ended", body = SessionsEnded))
)]
#[post("/me/sessions/end-others")]
pub async fn end_other_sessions(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
) -> Result<web::Json<SessionsEnded>, ApiError> {
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let ended = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let n = store::revoke_other_sessions(conn, &user.person_id, &user.session_id, "ended_by_owner")?;
                audit::record(
                    conn,
                    Event::new("auth.other_sessions_ended", "person", Some(&user.person_id))
                        .by(&user.person_id)
                        .from_ip(&ip)
                        .states(None, Some(serde_json::json!({"ended": n}))),
                )?;
                Ok::<_, ApiError>(n as i64)
            })
        })
        .await?;
    Ok(web::Json(SessionsEnded { ended }))
}
