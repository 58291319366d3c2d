//! The role grants' queries: the grants listed with their holders, one grant, its holders'
//! count, and removal.

use anjoman_core::auth::Role;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::{persons, role_grants};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::store::PersonMatch;

#[derive(Queryable)]
pub(crate) struct GrantRow {
    pub(crate) id: String,
    pub(crate) person_id: String,
    pub(crate) role: String,
    pub(crate) scope_type: Option<String>,
    pub(crate) scope_id: Option<String>,
    pub(crate) granted_at: NaiveDateTime,
    pub(crate) granted_by: Option<String>,
    pub(crate) national_code: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
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

/// The grants of these roles, newest first, in one scope or all, of the people a search
/// matches (everyone for none).
pub(crate) fn grants(
    conn: &mut DbConn,
    roles: &[&str],
    scope: Option<&str>,
    found: Option<&PersonMatch>,
) -> QueryResult<Vec<GrantRow>> {
    let mut query = role_grants::table
        .inner_join(persons::table)
        .filter(role_grants::role.eq_any(roles))
        .order((role_grants::granted_at.desc(), role_grants::id))
        .select(GRANT_COLUMNS)
        .into_boxed();
    if let Some(scope) = scope {
        query = query.filter(role_grants::scope_id.eq(scope.to_owned()));
    }
    query = match found {
        Some(PersonMatch::CodePrefix(p)) => query.filter(persons::national_code.like(p.clone())),
        Some(PersonMatch::Name(p)) => query.filter(persons::search_name.like(p.clone())),
        None => query,
    };
    query.load(conn)
}

/// One grant with its holder (empty when there is none).
pub(crate) fn grant_rows(conn: &mut DbConn, id: &str) -> QueryResult<Vec<GrantRow>> {
    role_grants::table.inner_join(persons::table).filter(role_grants::id.eq(id)).select(GRANT_COLUMNS).load(conn)
}

/// A grant's holder, role, scope type and scope.
#[allow(clippy::type_complexity)]
pub(crate) fn grant(
    conn: &mut DbConn,
    id: &str,
) -> QueryResult<Option<(String, String, Option<String>, Option<String>)>> {
    role_grants::table
        .find(id)
        .select((role_grants::person_id, role_grants::role, role_grants::scope_type, role_grants::scope_id))
        .first(conn)
        .optional()
}

/// How many hold a role, in one scope or (unscoped roles) at all.
pub(crate) fn holders(conn: &mut DbConn, role: Role, scope: Option<&str>) -> QueryResult<i64> {
    let mut holders = role_grants::table.filter(role_grants::role.eq(role.as_str())).into_boxed();
    if let Some(scope) = scope {
        holders = holders.filter(role_grants::scope_id.eq(scope.to_owned()));
    }
    holders.count().get_result(conn)
}

pub(crate) fn delete_grant(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::delete(role_grants::table.find(id)).execute(conn)?;
    Ok(())
}
