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

pub mod http;
mod store;

use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{Grant, Role, ScopeKind};
use anjoman_core::db::DbConn;
use anjoman_core::http::Hooks;

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

pub(crate) fn role_not_administered() -> ApiError {
    ApiError::field(
        "role",
        "این نقش از پرونده می‌آید (عضویت، صلاحیت یا پروندهٔ مهندسی) و دستی داده نمی‌شود.",
        "This role follows from a record (a membership, a qualification or an engineer's record) and is not granted by hand.",
    )
}

pub(crate) fn unknown_scope() -> ApiError {
    ApiError::field(
        "scope_id",
        "این حوزه (انجمن، استان یا توزیع‌کننده) یافت نشد.",
        "No such association, province or distributor.",
    )
}

/// Checks that `scope` suits `role` (present exactly when the role is scoped) and exists.
pub(crate) fn checked_scope(
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

pub(crate) fn grant_json(person_id: &str, role: Role, scope: Option<&(ScopeKind, String)>) -> serde_json::Value {
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
