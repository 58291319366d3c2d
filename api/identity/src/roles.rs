//! Role administration (ID-08): which authority grants and revokes which role in which scope,
//! the grants an authority administers (listed and searched), and granting and revoking them,
//! audited. Grants are read from the database on every request, so a revocation holds from the
//! very next request.
//!
//! | role | granted and revoked by |
//! | --- | --- |
//! | commission admin | commission admins |
//! | directorate admin | commission admins, directorate admins |
//! | engineering admin (experts) of a province | commission admins, that province's engineering admins |
//! | association admin of an association | commission admins |
//! | university reviewer of a province, distributor manager | directorate admins |
//!
//! Member, technical officer and engineer follow from a record (an approved membership, a
//! qualification, an engineer's record) and are never granted by hand. The last holder of a
//! top-level role (commission admin, directorate admin, a province's engineering admin) cannot be
//! removed: grant the successor first.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Grant, Role, ScopeKind};
use anjoman_core::db::schema::{persons, role_grants};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::{AppState, Hooks, client_ip};
use anjoman_core::platform::http::page_bounds;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The roles an authority grants by hand.
pub const ADMINISTERED: [Role; 6] = [
    Role::CommissionAdmin,
    Role::DirectorateAdmin,
    Role::EngineeringAdmin,
    Role::AssociationAdmin,
    Role::UniversityReviewer,
    Role::DistributorManager,
];

/// May someone holding `actor` grant or revoke `role` in `scope`?
pub fn may_administer(actor: &[Grant], role: Role, scope: Option<&str>) -> bool {
    let holds = |r: Role| actor.iter().any(|g| g.role == r);
    let holds_here = |r: Role| actor.iter().any(|g| g.role == r && scope.is_some() && g.scope_id.as_deref() == scope);
    match role {
        Role::CommissionAdmin | Role::AssociationAdmin => holds(Role::CommissionAdmin),
        Role::DirectorateAdmin => holds(Role::CommissionAdmin) || holds(Role::DirectorateAdmin),
        Role::EngineeringAdmin => holds(Role::CommissionAdmin) || holds_here(Role::EngineeringAdmin),
        Role::UniversityReviewer | Role::DistributorManager => holds(Role::DirectorateAdmin),
        Role::Member | Role::TechnicalOfficer | Role::Engineer => false,
    }
}

/// What `actor` may grant: each role with the scopes allowed (`None`: any scope of its kind, or
/// an unscoped role).
pub fn grantable(actor: &[Grant]) -> Vec<(Role, Option<Vec<String>>)> {
    ADMINISTERED
        .into_iter()
        .filter_map(|role| {
            if may_administer(actor, role, None) {
                return Some((role, None));
            }
            let scopes: Vec<String> = actor
                .iter()
                .filter_map(|g| g.scope_id.clone())
                .filter(|s| may_administer(actor, role, Some(s)))
                .collect();
            (!scopes.is_empty()).then_some((role, Some(scopes)))
        })
        .collect()
}

/// Roles whose last holder (in the scope, for a province's engineering admins) is kept.
pub fn keeps_last_holder(role: Role) -> bool {
    matches!(role, Role::CommissionAdmin | Role::DirectorateAdmin | Role::EngineeringAdmin)
}

fn role_not_administered() -> ApiError {
    ApiError::field(
        "role",
        "این نقش از پرونده می‌آید (عضویت، صلاحیت یا پروندهٔ مهندسی) و دستی داده نمی‌شود.",
        "This role follows from a record (a membership, a qualification or an engineer's record) and is not granted by hand.",
    )
}

fn unknown_scope() -> ApiError {
    ApiError::field(
        "scope_id",
        "این حوزه (انجمن، استان یا توزیع‌کننده) یافت نشد.",
        "No such association, province or distributor.",
    )
}

/// Checks that `scope` suits `role` (present exactly when the role is scoped) and exists.
fn checked_scope(
    conn: &mut DbConn,
    hooks: &Hooks,
    role: Role,
    scope: Option<&str>,
) -> Result<Option<(ScopeKind, String)>, ApiError> {
    match (role.scope_kind(), scope.map(str::trim).filter(|s| !s.is_empty())) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(ApiError::field("scope_id", "این نقش حوزه ندارد.", "This role has no scope.")),
        (Some(_), None) => Err(ApiError::field(
            "scope_id",
            "حوزهٔ این نقش (انجمن، استان یا توزیع‌کننده) را برگزینید.",
            "Choose the association, province or distributor of this role.",
        )),
        (Some(kind), Some(id)) => {
            let found = hooks.scope_names(conn, kind, &[id.to_owned()])?;
            if found.is_empty() { Err(unknown_scope()) } else { Ok(Some((kind, id.to_owned()))) }
        }
    }
}

/// Whose part of the audit log a grant or revocation of `role` is: the association's, the
/// directorate's or the province's organisation's; the commission's own roles are its alone.
pub fn audit_scope(role: Role, scope_id: Option<&str>) -> Option<audit::Scope> {
    match role {
        Role::AssociationAdmin | Role::Member => scope_id.map(|id| audit::Scope::Association(id.to_owned())),
        Role::DirectorateAdmin | Role::UniversityReviewer | Role::DistributorManager | Role::TechnicalOfficer => {
            Some(audit::Scope::Directorate)
        }
        Role::EngineeringAdmin => scope_id.map(|p| audit::Scope::Engineering(p.to_owned())),
        Role::CommissionAdmin | Role::Engineer => None,
    }
}

fn grant_json(person_id: &str, role: Role, scope: Option<&(ScopeKind, String)>) -> serde_json::Value {
    serde_json::json!({
        "person_id": person_id,
        "role": role.as_str(),
        "scope_type": scope.map(|(k, _)| k.as_str()),
        "scope_id": scope.map(|(_, id)| id),
    })
}

/// Grants `role` in `scope` to `person_id` on `actor`'s authority, audited as `role.granted`.
/// Returns the new grant's id, or `None` when the person already held it. The caller checks the
/// authority; this checks the role and scope.
pub fn grant(
    conn: &mut DbConn,
    hooks: &Hooks,
    actor: &str,
    ip: Option<&str>,
    person_id: &str,
    role: Role,
    scope: Option<&str>,
) -> Result<Option<String>, ApiError> {
    if !ADMINISTERED.contains(&role) {
        return Err(role_not_administered());
    }
    let scope = checked_scope(conn, hooks, role, scope)?;
    let id =
        crate::store::grant_role(conn, person_id, role, scope.as_ref().map(|(k, s)| (*k, s.as_str())), Some(actor))?;
    if let Some(id) = &id {
        let mut event = Event::new("role.granted", "role_grant", Some(id))
            .by(actor)
            .scoped(audit_scope(role, scope.as_ref().map(|(_, s)| s.as_str())))
            .states(None, Some(grant_json(person_id, role, scope.as_ref())));
        if let Some(ip) = ip {
            event = event.from_ip(ip);
        }
        audit::record(conn, event)?;
    }
    Ok(id)
}

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

#[derive(Serialize, ToSchema)]
pub struct RoleGrantPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<RoleGrantDto>,
}

#[derive(Queryable)]
struct GrantRow {
    id: String,
    person_id: String,
    role: String,
    scope_type: Option<String>,
    scope_id: Option<String>,
    granted_at: NaiveDateTime,
    granted_by: Option<String>,
    national_code: String,
    first_name: String,
    last_name: String,
}

type GrantColumns = (
    role_grants::id,
    role_grants::person_id,
    role_grants::role,
    role_grants::scope_type,
    role_grants::scope_id,
    role_grants::granted_at,
    role_grants::granted_by,
    persons::national_code,
    persons::first_name,
    persons::last_name,
);

const GRANT_COLUMNS: GrantColumns = (
    role_grants::id,
    role_grants::person_id,
    role_grants::role,
    role_grants::scope_type,
    role_grants::scope_id,
    role_grants::granted_at,
    role_grants::granted_by,
    persons::national_code,
    persons::first_name,
    persons::last_name,
);

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
        (status = 200, description = "One page of grants", body = RoleGrantPage),
        (status = 403, description = "The caller grants no role", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/role-grants")]
pub async fn list_grants(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<RoleGrantQuery>,
) -> Result<web::Json<RoleGrantPage>, ApiError> {
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
            let mut query = role_grants::table
                .inner_join(persons::table)
                .filter(role_grants::role.eq_any(&roles))
                .order((role_grants::granted_at.desc(), role_grants::id))
                .select(GRANT_COLUMNS)
                .into_boxed();
            if let Some(scope) = q.scope_id.as_deref().filter(|s| !s.is_empty()) {
                query = query.filter(role_grants::scope_id.eq(scope.to_owned()));
            }
            query = match crate::store::person_match(q.q.as_deref().unwrap_or("")) {
                Some(crate::store::PersonMatch::CodePrefix(p)) => query.filter(persons::national_code.like(p)),
                Some(crate::store::PersonMatch::Name(p)) => query.filter(persons::search_name.like(p)),
                None => query,
            };
            let rows: Vec<GrantRow> = query.load(conn)?;
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
    Ok(web::Json(RoleGrantPage { total, page, per_page, items }))
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

fn already_granted() -> ApiError {
    ApiError::Conflict {
        code: "already_granted",
        msg: Msg::new("این شخص این نقش را در همین حوزه دارد.", "This person already holds this role in this scope."),
    }
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
                    .ok_or_else(already_granted)?;
                let rows: Vec<GrantRow> = role_grants::table
                    .inner_join(persons::table)
                    .filter(role_grants::id.eq(&id))
                    .select(GRANT_COLUMNS)
                    .load(conn)?;
                dtos(conn, &hooks, rows)?.pop().ok_or(ApiError::Internal)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}

fn last_holder() -> ApiError {
    ApiError::Conflict {
        code: "last_holder",
        msg: Msg::new(
            "این آخرین دارندهٔ این نقش است؛ نخست نقش را به جانشین بدهید.",
            "This is the last holder of this role; grant it to a successor first.",
        ),
    }
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
                let row: Option<(String, String, Option<String>, Option<String>)> = role_grants::table
                    .find(&id)
                    .select((role_grants::person_id, role_grants::role, role_grants::scope_type, role_grants::scope_id))
                    .first(conn)
                    .optional()?;
                let (person, role, scope_type, scope_id) = row.ok_or(ApiError::NotFound)?;
                let role = Role::parse(&role).ok_or(ApiError::NotFound)?;
                if !may_administer(&user.grants, role, scope_id.as_deref()) {
                    return Err(ApiError::Forbidden);
                }
                if keeps_last_holder(role) {
                    let mut holders = role_grants::table.filter(role_grants::role.eq(role.as_str())).into_boxed();
                    if let Some(scope) = &scope_id {
                        holders = holders.filter(role_grants::scope_id.eq(scope.clone()));
                    }
                    let n: i64 = holders.count().get_result(conn)?;
                    if n <= 1 {
                        return Err(last_holder());
                    }
                }
                diesel::delete(role_grants::table.find(&id)).execute(conn)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn g(role: Role, scope: Option<&str>) -> Grant {
        Grant { role, scope_type: role.scope_kind(), scope_id: scope.map(str::to_owned) }
    }

    #[test]
    fn each_authority_administers_its_own_roles_only() {
        let commission = [g(Role::CommissionAdmin, None)];
        let directorate = [g(Role::DirectorateAdmin, None)];
        let tehran_expert = [g(Role::EngineeringAdmin, Some("teh"))];
        assert!(may_administer(&commission, Role::AssociationAdmin, Some("a1")));
        assert!(may_administer(&commission, Role::DirectorateAdmin, None));
        assert!(may_administer(&commission, Role::EngineeringAdmin, Some("isf")));
        assert!(!may_administer(&commission, Role::UniversityReviewer, Some("teh")));
        assert!(may_administer(&directorate, Role::UniversityReviewer, Some("teh")));
        assert!(may_administer(&directorate, Role::DistributorManager, Some("d1")));
        assert!(may_administer(&directorate, Role::DirectorateAdmin, None));
        assert!(!may_administer(&directorate, Role::CommissionAdmin, None));
        assert!(!may_administer(&directorate, Role::AssociationAdmin, Some("a1")));
        assert!(may_administer(&tehran_expert, Role::EngineeringAdmin, Some("teh")));
        assert!(!may_administer(&tehran_expert, Role::EngineeringAdmin, Some("isf")));
        assert!(!may_administer(&tehran_expert, Role::EngineeringAdmin, None));
        for who in [&commission[..], &directorate[..], &tehran_expert[..]] {
            for role in [Role::Member, Role::TechnicalOfficer, Role::Engineer] {
                assert!(!may_administer(who, role, Some("x")));
            }
        }
        let association_admin = [g(Role::AssociationAdmin, Some("a1"))];
        assert!(grantable(&association_admin).is_empty());
    }

    #[test]
    fn grantable_names_the_scopes_of_scoped_authorities() {
        let tehran_expert = [g(Role::EngineeringAdmin, Some("teh"))];
        let list = grantable(&tehran_expert);
        assert_eq!(list, vec![(Role::EngineeringAdmin, Some(vec!["teh".to_owned()]))]);
        let commission = grantable(&[g(Role::CommissionAdmin, None)]);
        let roles: Vec<Role> = commission.iter().map(|(r, _)| *r).collect();
        assert_eq!(
            roles,
            vec![Role::CommissionAdmin, Role::DirectorateAdmin, Role::EngineeringAdmin, Role::AssociationAdmin]
        );
        assert!(commission.iter().all(|(_, s)| s.is_none()));
    }
}
