//! What other domains may ask of associations: who manages one, whether a person is an approved
//! member, how many are, and how to reach them. Other crates use this and nothing else of
//! associations' tables or handlers.

use anjoman_core::ApiError;
use anjoman_core::auth::{CurrentUser, Role};
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::{memberships as m, persons as p};
use diesel::prelude::*;

use crate::rules::MembershipStatus;
pub use crate::store::Association;

/// Commission admins manage every association; association admins their own.
pub fn require_manager(user: &CurrentUser, association_id: &str) -> Result<(), ApiError> {
    if user.may(&[Role::CommissionAdmin.any()]) {
        return Ok(());
    }
    user.require(&[Role::AssociationAdmin.of(association_id)])
}

/// Whether a (possibly anonymous) caller manages the association.
pub fn manages(user: Option<&CurrentUser>, association_id: &str) -> bool {
    user.is_some_and(|u| require_manager(u, association_id).is_ok())
}

pub fn association(conn: &mut DbConn, id: &str) -> QueryResult<Option<Association>> {
    crate::store::get(conn, id)
}

/// The association with this public code (as in its page's address).
pub fn by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<Association>> {
    use anjoman_core::db::schema::associations as a;
    a::table.filter(a::code.eq(code)).select(Association::as_select()).first(conn).optional()
}

/// The person's approved membership of the association: `Some(when it was approved)`, or `None`
/// when they are not an approved member.
pub fn approved_membership(
    conn: &mut DbConn,
    association_id: &str,
    person_id: &str,
) -> QueryResult<Option<Option<chrono::NaiveDateTime>>> {
    Ok(crate::store::membership_of(conn, association_id, person_id)?
        .filter(|x| x.status == MembershipStatus::Approved.as_str())
        .map(|x| x.decided_at))
}

/// The names of these associations, by id.
pub fn names(conn: &mut DbConn, ids: &[String]) -> Result<std::collections::HashMap<String, String>, ApiError> {
    Ok(crate::store::scope_names(conn, ids)?.into_iter().collect())
}

pub fn is_approved_member(conn: &mut DbConn, association_id: &str, person_id: &str) -> QueryResult<bool> {
    Ok(crate::store::membership_of(conn, association_id, person_id)?
        .is_some_and(|x| x.status == MembershipStatus::Approved.as_str()))
}

/// The associations the person is an approved member of.
pub fn approved_associations_of(conn: &mut DbConn, person_id: &str) -> QueryResult<Vec<String>> {
    m::table
        .filter(m::person_id.eq(person_id))
        .filter(m::status.eq(MembershipStatus::Approved.as_str()))
        .select(m::association_id)
        .load(conn)
}

pub fn approved_count(conn: &mut DbConn, association_id: &str) -> QueryResult<i64> {
    crate::store::approved_count(conn, association_id)
}

/// How to reach a member.
#[derive(Debug, Clone, Queryable)]
pub struct Contact {
    pub person_id: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
}

/// A page of the approved members' contacts, by person id after `after`. Keyset paging, so a
/// million members never sit in memory at once.
pub fn approved_contacts(
    conn: &mut DbConn,
    association_id: &str,
    after: &str,
    limit: i64,
) -> QueryResult<Vec<Contact>> {
    m::table
        .inner_join(p::table)
        .filter(m::association_id.eq(association_id))
        .filter(m::status.eq(MembershipStatus::Approved.as_str()))
        .filter(m::person_id.gt(after))
        // The same bound on the person's side, so a merge join starts there too.
        .filter(p::id.gt(after))
        .order(m::person_id.asc())
        .limit(limit)
        .select((m::person_id, p::email, p::mobile))
        .load(conn)
}
