//! Authentication and authorisation: passwords, tokens, captcha, throttling, roles and the
//! extractors that say in a handler's signature who may call it.

pub mod captcha;
pub mod jwt;
pub mod password;
pub mod throttle;

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{accounts, role_grants, sessions};
use crate::error::{ApiError, Msg};
use crate::http::AppState;

/// The roles of ID-08. A person holds roles through grants, each with an optional scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the whole association portal (کمیسیون انجمن‌ها).
    CommissionAdmin,
    /// Administers one association.
    AssociationAdmin,
    /// Member of an association.
    Member,
    /// Medical-equipment directorate (اداره کل تجهیزات پزشکی).
    DirectorateAdmin,
    /// Reviewer at a university of medical sciences, for one province.
    UniversityReviewer,
    /// Technical officer (مسئول فنی).
    TechnicalOfficer,
    /// Manager of one distributor.
    DistributorManager,
    /// Administrator or expert of one province's engineering organisation.
    EngineeringAdmin,
    /// Building engineer.
    Engineer,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::CommissionAdmin,
        Role::AssociationAdmin,
        Role::Member,
        Role::DirectorateAdmin,
        Role::UniversityReviewer,
        Role::TechnicalOfficer,
        Role::DistributorManager,
        Role::EngineeringAdmin,
        Role::Engineer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CommissionAdmin => "commission_admin",
            Role::AssociationAdmin => "association_admin",
            Role::Member => "member",
            Role::DirectorateAdmin => "directorate_admin",
            Role::UniversityReviewer => "university_reviewer",
            Role::TechnicalOfficer => "technical_officer",
            Role::DistributorManager => "distributor_manager",
            Role::EngineeringAdmin => "engineering_admin",
            Role::Engineer => "engineer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The kind of scope a grant of this role must carry, if any.
    pub fn scope_kind(self) -> Option<ScopeKind> {
        match self {
            Role::AssociationAdmin | Role::Member => Some(ScopeKind::Association),
            Role::UniversityReviewer | Role::EngineeringAdmin => Some(ScopeKind::Province),
            Role::DistributorManager => Some(ScopeKind::Distributor),
            _ => None,
        }
    }
}

/// What a scoped grant applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    Association,
    Province,
    Distributor,
}

impl ScopeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Association => "association",
            ScopeKind::Province => "province",
            ScopeKind::Distributor => "distributor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [ScopeKind::Association, ScopeKind::Province, ScopeKind::Distributor].into_iter().find(|k| k.as_str() == s)
    }
}

/// One role held by a person, with its scope (which association, province or distributor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Grant {
    pub role: Role,
    pub scope_type: Option<ScopeKind>,
    pub scope_id: Option<String>,
}

/// An authenticated caller, whatever the state of their password. Only for the few endpoints a
/// person who must change their password may call (change password, who am I, logout).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub person_id: String,
    pub session_id: String,
    pub must_change_password: bool,
    pub grants: Vec<Grant>,
}

/// An authenticated caller who may use the whole API (no pending forced password change).
#[derive(Debug, Clone)]
pub struct AuthUser(pub CurrentUser);

impl std::ops::Deref for AuthUser {
    type Target = CurrentUser;
    fn deref(&self) -> &CurrentUser {
        &self.0
    }
}

/// Who may do something: a role, wherever it is held, or for one association, province or
/// distributor (the scope of the role's own kind). Handlers state their rule as a list of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access<'a> {
    role: Role,
    scope: Option<&'a str>,
}

impl Role {
    /// This role, wherever it is held.
    pub fn any(self) -> Access<'static> {
        Access { role: self, scope: None }
    }

    /// This role for one scope: the association, province or distributor it administers.
    pub fn of(self, scope: &str) -> Access<'_> {
        Access { role: self, scope: Some(scope) }
    }
}

impl Grant {
    fn gives(&self, access: &Access) -> bool {
        self.role == access.role
            && match access.scope {
                None => true,
                Some(id) => self.scope_type == access.role.scope_kind() && self.scope_id.as_deref() == Some(id),
            }
    }
}

impl CurrentUser {
    /// Does the caller hold one of `access`?
    pub fn may(&self, access: &[Access]) -> bool {
        access.iter().any(|a| self.grants.iter().any(|g| g.gives(a)))
    }

    /// The authorisation check every handler makes: 403 unless the caller holds one of `access`.
    pub fn require(&self, access: &[Access]) -> Result<(), ApiError> {
        if self.may(access) { Ok(()) } else { Err(ApiError::Forbidden) }
    }

    /// The scopes (association, province or distributor ids) the caller holds `role` for.
    pub fn scopes(&self, role: Role) -> Vec<String> {
        self.grants
            .iter()
            .filter(|g| g.role == role && g.scope_type.is_some() && g.scope_type == role.scope_kind())
            .filter_map(|g| g.scope_id.clone())
            .collect()
    }

    /// Where the caller may act as `role`: everywhere (`None`) when they hold `overseer`, else
    /// the scopes they hold `role` for; 403 when neither.
    pub fn reach(&self, role: Role, overseer: Role) -> Result<Option<Vec<String>>, ApiError> {
        if self.may(&[overseer.any()]) {
            return Ok(None);
        }
        let mine = self.scopes(role);
        if mine.is_empty() { Err(ApiError::Forbidden) } else { Ok(Some(mine)) }
    }
}

fn unauthorized() -> ApiError {
    ApiError::Unauthorized(Msg::new(
        "برای این کار باید وارد سامانه شوید (یا نشست شما منقضی شده است).",
        "You must sign in to do this (or your session has expired).",
    ))
}

/// The bearer token of a request's `Authorization` header, if it has one.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// Loads the caller of a request from its bearer token and the database.
async fn load_current_user(req: HttpRequest) -> Result<CurrentUser, ApiError> {
    let state = req.app_data::<actix_web::web::Data<AppState>>().ok_or(ApiError::Internal)?.clone();
    let token = bearer(&req).ok_or_else(unauthorized)?;
    let claims = state.jwt.verify(&token).ok_or_else(unauthorized)?;
    state
        .db(move |conn| {
            let live_session: Option<String> = sessions::table
                .filter(sessions::id.eq(&claims.sid))
                .filter(sessions::person_id.eq(&claims.sub))
                .filter(sessions::revoked_at.is_null())
                .select(sessions::id)
                .first(conn)
                .optional()?;
            let account: Option<(bool, bool)> = accounts::table
                .find(&claims.sub)
                .select((accounts::must_change_password, accounts::disabled))
                .first(conn)
                .optional()?;
            let (Some(_), Some((must_change_password, false))) = (live_session, account) else {
                return Err(unauthorized());
            };
            let grants = load_grants(conn, &claims.sub)?;
            Ok(CurrentUser { person_id: claims.sub, session_id: claims.sid, must_change_password, grants })
        })
        .await
}

/// A person's role grants.
pub fn load_grants(conn: &mut crate::db::DbConn, person_id: &str) -> QueryResult<Vec<Grant>> {
    let rows: Vec<(String, Option<String>, Option<String>)> = role_grants::table
        .filter(role_grants::person_id.eq(person_id))
        .order((role_grants::role, role_grants::scope_id))
        .select((role_grants::role, role_grants::scope_type, role_grants::scope_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(role, scope_type, scope_id)| {
            Some(Grant {
                role: Role::parse(&role)?,
                scope_type: scope_type.as_deref().and_then(ScopeKind::parse),
                scope_id,
            })
        })
        .collect())
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(load_current_user(req.clone()))
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = load_current_user(req).await?;
            if user.must_change_password {
                return Err(ApiError::PasswordChangeRequired);
            }
            Ok(AuthUser(user))
        })
    }
}

#[cfg(test)]
mod access_tests {
    use super::*;

    fn user(grants: Vec<Grant>) -> CurrentUser {
        CurrentUser { person_id: "p".into(), session_id: "s".into(), must_change_password: false, grants }
    }

    fn grant(role: Role, scope: Option<&str>) -> Grant {
        Grant { role, scope_type: scope.and(role.scope_kind()), scope_id: scope.map(str::to_owned) }
    }

    #[test]
    fn a_scoped_role_gives_its_own_scope_only() {
        let u = user(vec![grant(Role::UniversityReviewer, Some("tehran")), grant(Role::TechnicalOfficer, None)]);
        assert!(u.may(&[Role::UniversityReviewer.of("tehran")]));
        assert!(!u.may(&[Role::UniversityReviewer.of("fars")]));
        assert!(u.may(&[Role::UniversityReviewer.any()]));
        assert!(u.may(&[Role::DirectorateAdmin.any(), Role::TechnicalOfficer.any()]));
        assert!(!u.may(&[Role::DirectorateAdmin.any()]));
        assert!(u.require(&[Role::EngineeringAdmin.of("tehran")]).is_err());
        assert!(u.require(&[]).is_err());
        assert_eq!(u.scopes(Role::UniversityReviewer), vec!["tehran".to_owned()]);
        assert_eq!(u.reach(Role::UniversityReviewer, Role::DirectorateAdmin).unwrap(), Some(vec!["tehran".to_owned()]));
        assert!(u.reach(Role::EngineeringAdmin, Role::DirectorateAdmin).is_err());
        let d = user(vec![grant(Role::DirectorateAdmin, None)]);
        assert_eq!(d.reach(Role::UniversityReviewer, Role::DirectorateAdmin).unwrap(), None);
        // A grant of another kind of scope with the same id gives nothing.
        let m = user(vec![Grant {
            role: Role::AssociationAdmin,
            scope_type: Some(ScopeKind::Province),
            scope_id: Some("a1".into()),
        }]);
        assert!(!m.may(&[Role::AssociationAdmin.of("a1")]));
        assert!(m.scopes(Role::AssociationAdmin).is_empty());
    }
}
