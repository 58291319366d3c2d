//! What other domains may ask of the officers' domain: who the technical officers are (for the
//! directorate's messages), and an officer's qualification and branches (for third parties'
//! verification). Other crates use this and nothing else of the officers' tables.

use anjoman_core::db::DbConn;
use anjoman_core::db::schema::{branches as br, distributors as di, officers as o};
use diesel::prelude::*;

pub use crate::registration::model::Officer;
pub use crate::rules::Standing;

/// Which officers a message goes to.
#[derive(Default)]
pub struct OfficerFilter {
    /// One officer, by person.
    pub person_id: Option<String>,
    pub province_id: Option<String>,
    /// Qualified officers in good standing only.
    pub qualified_only: bool,
}

/// The person ids of the officers matching the filter.
pub fn officer_ids(conn: &mut DbConn, f: &OfficerFilter) -> QueryResult<Vec<String>> {
    let mut q = o::table.into_boxed();
    if let Some(id) = &f.person_id {
        q = q.filter(o::person_id.eq(id.clone()));
    }
    if let Some(pv) = &f.province_id {
        q = q.filter(o::province_id.eq(pv.clone()));
    }
    if f.qualified_only {
        q = q.filter(o::qualified_at.is_not_null()).filter(o::standing.eq(Standing::Active.as_str()));
    }
    q.select(o::person_id).load(conn)
}

/// The person's officer record, if they registered as one.
pub fn officer(conn: &mut DbConn, person_id: &str) -> QueryResult<Option<Officer>> {
    crate::registration::store::officer(conn, person_id)
}

/// A branch an officer serves now.
#[derive(Debug, Clone, Queryable)]
pub struct BranchServed {
    pub distributor: String,
    pub branch: String,
    pub province_id: String,
}

/// The branches the officer is the technical officer of now, by distributor name.
pub fn branches_served(conn: &mut DbConn, person_id: &str) -> QueryResult<Vec<BranchServed>> {
    br::table
        .inner_join(di::table)
        .filter(br::officer_id.eq(person_id))
        .select((di::name, br::name, br::province_id))
        .order(di::name.asc())
        .load(conn)
}

/// The rule table's hook (`anjoman_core::person_fields`): a registered officer's name changes
/// only by amendment and the birth date never (TO-06).
pub fn standing(
    conn: &mut DbConn,
    person_id: &str,
) -> Result<Option<anjoman_core::person_fields::Standing>, anjoman_core::ApiError> {
    Ok(officer(conn, person_id)?.map(|_| anjoman_core::person_fields::Standing::Officer))
}
