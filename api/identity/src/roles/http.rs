//! The role grants over HTTP (ID-08): the grants an authority administers, listed and searched,
//! the roles it may grant, and granting and revoking them.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::{AppState, Hooks, client_ip};
use anjoman_core::paging::Page;
use anjoman_core::paging::page_bounds;
use anjoman_core::text::NationalCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::store::{self, GrantRow};
use super::{
    ADMINISTERED, audit_scope, grant, grant_json, grantable, keeps_last_holder, may_administer, role_not_administered,
};
use crate::errors::IdentityError;

/// One grant with its holder and the name of its scope.
#[derive(Serialize, ToSchema)]
pub struct RoleGrantDto {
    pub id: String,
    pub person_id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub scope_type: Option<ScopeKind>,
    pub scope_id: Option<String>,
    /// The association's, province's or distributor's name.
    pub scope_name: Option<String>,
    pub granted_at: DateTime<Utc>,
    /// Who granted it; absent for grants made by the command line or the system.
    pub granted_by: Option<String>,
}

fn dtos(conn: &mut DbConn, hooks: &Hooks, rows: Vec<GrantRow>) -> Result<Vec<RoleGrantDto>, ApiError> {
    let mut names: Vec<(ScopeKind, String, String)> = Vec::new();
    for kind in [ScopeKind::Association, ScopeKind::Province, ScopeKind::Distributor] {
        let ids: Vec<String> = rows
            .iter()
            .filter(|r| r.scope_type.as_deref() == Some(kind.as_str()))
            .filter_map(|r| r.scope_id.clone())
            .collect();
        if !ids.is_empty() {
            names.extend(hooks.scope_names(conn, kind, &ids)?.into_iter().map(|(id, name)| (kind, id, name)));
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let scope_type = r.scope_type.as_deref().and_then(ScopeKind::parse);
            let scope_name = names
                .iter()
                .find(|(k, id, _)| Some(*k) == scope_type && Some(id) == r.scope_id.as_ref())
                .map(|(_, _, n)| n.clone());
            Some(RoleGrantDto {
                id: r.id,
                person_id: r.person_id,
                national_code: r.national_code,
                first_name: r.first_name,
                last_name: r.last_name,
                role: Role::parse(&r.role)?,
                scope_type,
                scope_id: r.scope_id,
                scope_name,
                granted_at: r.granted_at.and_utc(),
                granted_by: r.granted_by,
            })
        })
        .collect())
}

#[derive(Deserialize, IntoParams)]
pub struct RoleGrantQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only this association, province or distributor.
    pub scope_id: Option<String>,
    /// A name (Persian letters folded) or the start of a national code.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The role grants the caller administers (every authority of the table in the module's
/// documentation), searched by name or national code, newest first.
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    params(RoleGrantQuery),
    responses(
        (status = 200, description = "One page of grants", body = Page<RoleGrantDto>),
        (status = 403, description = "The caller grants no role", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/role-grants")]
pub async fn list_grants(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<RoleGrantQuery>,
) -> Result<web::Json<Page<RoleGrantDto>>, ApiError> {
    let q = q.into_inner();
    let (page, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let allowed = grantable(&user.grants);
    if allowed.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let roles: Vec<&str> =
        allowed.iter().map(|(r, _)| *r).filter(|r| q.role.is_none_or(|f| f == *r)).map(Role::as_str).collect();
    let hooks = state.hooks.clone();
    let grants = user.grants.clone();
    let (total, items) = state
        .db(move |conn| {
            let scope = q.scope_id.as_deref().filter(|s| !s.is_empty());
            let found = crate::store::person_match(q.q.as_deref().unwrap_or(""));
            let rows = store::grants(conn, &roles, scope, found.as_ref())?;
            let mine: Vec<GrantRow> = rows
                .into_iter()
                .filter(|r| {
                    Role::parse(&r.role).is_some_and(|role| may_administer(&grants, role, r.scope_id.as_deref()))
                })
                .collect();
            let total = mine.len() as i64;
            let page_rows: Vec<GrantRow> = mine.into_iter().skip(offset as usize).take(per_page as usize).collect();
            Ok((total, dtos(conn, &hooks, page_rows)?))
        })
        .await?;
    Ok(web::Json(Page { total, page, per_page, items }))
}

/// A role the caller may grant.
#[derive(Serialize, ToSchema)]
pub struct GrantableRole {
    pub role: Role,
    /// The kind of scope a grant of it names, if any.
    pub scope_kind: Option<ScopeKind>,
    /// The scopes the caller may grant it in; absent: any existing scope of the kind.
    pub scope_ids: Option<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct GrantableRoles {
    pub items: Vec<GrantableRole>,
}

/// The roles the caller may grant and revoke, with their scopes; empty for people who grant none.
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    responses((status = 200, description = "What the caller grants", body = GrantableRoles))
)]
#[get("/role-grants/grantable")]
pub async fn grantable_roles(user: AuthUser) -> Result<web::Json<GrantableRoles>, ApiError> {
    let items = grantable(&user.grants)
        .into_iter()
        .map(|(role, scope_ids)| GrantableRole { role, scope_kind: role.scope_kind(), scope_ids })
        .collect();
    Ok(web::Json(GrantableRoles { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoleGrant {
    /// The person, who must be registered (or recorded by an organisation).
    #[schema(example = "0499370899")]
    pub national_code: String,
    pub role: Role,
    /// The association, province or distributor, for the roles that have one.
    pub scope_id: Option<String>,
}

/// Grants a role (in its scope) to a person, on the caller's authority; audited.
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    request_body = NewRoleGrant,
    responses(
        (status = 201, description = "Granted", body = RoleGrantDto),
        (status = 400, description = "Unknown person or scope, or a role that is not granted by hand", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not the caller's to grant", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_granted`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/role-grants")]
pub async fn create_grant(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    body: web::Json<NewRoleGrant>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let code = NationalCode::parse(&body.national_code)
        .map_err(|e| ApiError::field("national_code", e.message_fa(), e.message_en()))?;
    if !ADMINISTERED.contains(&body.role) {
        return Err(role_not_administered());
    }
    let scope = body.scope_id.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if !may_administer(&user.grants, body.role, scope.as_deref()) {
        return Err(ApiError::Forbidden);
    }
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let hooks = state.hooks.clone();
    let dto = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let person = crate::store::person_id_by_code(conn, code.as_str())?.ok_or_else(|| {
                    ApiError::field(
                        "national_code",
                        "کسی با این کد ملی در سامانه نیست؛ نخست باید ثبت‌نام کند.",
                        "Nobody with this national code is in the system; they must register first.",
                    )
                })?;
                let id = grant(conn, &hooks, &user.person_id, Some(&ip), &person, body.role, scope.as_deref())?
                    .ok_or(IdentityError::AlreadyGranted)?;
                let rows = store::grant_rows(conn, &id)?;
                dtos(conn, &hooks, rows)?.pop().ok_or(ApiError::Internal)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}

/// Revokes a grant on the caller's authority; audited. Effective from the holder's next request.
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The grant")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not the caller's to revoke", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such grant", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`last_holder`: the last holder of a top-level role", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/role-grants/{id}")]
pub async fn revoke_grant(
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
                let (person, role, scope_type, scope_id) = store::grant(conn, &id)?.ok_or(ApiError::NotFound)?;
                let role = Role::parse(&role).ok_or(ApiError::NotFound)?;
                if !may_administer(&user.grants, role, scope_id.as_deref()) {
                    return Err(ApiError::Forbidden);
                }
                if keeps_last_holder(role) && store::holders(conn, role, scope_id.as_deref())? <= 1 {
                    return Err(IdentityError::LastHolder.into());
                }
                store::delete_grant(conn, &id)?;
                let scope = scope_type.as_deref().and_then(ScopeKind::parse).zip(scope_id);
                audit::record(
                    conn,
                    Event::new("role.revoked", "role_grant", Some(&id))
                        .by(&user.person_id)
                        .scoped(audit_scope(role, scope.as_ref().map(|(_, s)| s.as_str())))
                        .from_ip(&ip)
                        .states(Some(grant_json(&person, role, scope.as_ref())), None),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
