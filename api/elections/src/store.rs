//! Queries on elections, contests and candidates.

use anjoman_core::ApiError;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::{candidates as cand, contests as ct, elections as el, persons as p};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::rules::{ContestRule, Status};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = el)]
pub struct Election {
    pub id: String,
    pub association_id: String,
    pub title: String,
    pub description: String,
    pub support_contact: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub status: String,
    pub roll_size: Option<i64>,
    pub results: Option<String>,
    pub created_at: NaiveDateTime,
    pub trustee_threshold: i32,
    pub public_key: Option<String>,
    pub aggregate: Option<String>,
    pub counts: Option<String>,
}

impl Election {
    pub fn state(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Draft)
    }
}

pub fn get(conn: &mut DbConn, id: &str) -> Result<Election, ApiError> {
    el::table.find(id).select(Election::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ct)]
pub struct Contest {
    pub id: String,
    pub title: String,
    pub seats: i32,
    pub alternates: i32,
    pub max_selections: i32,
}

pub fn contests(conn: &mut DbConn, election: &str) -> QueryResult<Vec<Contest>> {
    ct::table.filter(ct::election_id.eq(election)).order(ct::sort_order).select(Contest::as_select()).load(conn)
}

#[derive(Debug, Clone, Queryable)]
pub struct CandidateRow {
    pub id: String,
    pub contest_id: String,
    pub person_id: String,
    pub election_code: String,
    pub university: Option<String>,
    pub field: Option<String>,
    pub academic_rank: Option<String>,
    pub photo_file_id: Option<String>,
    pub resume_file_id: Option<String>,
    pub programme_file_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
}

/// Candidates of an election in Persian alphabetical order of their names (EL-03).
pub fn candidates(conn: &mut DbConn, election: &str) -> QueryResult<Vec<CandidateRow>> {
    let mut rows: Vec<CandidateRow> = cand::table
        .inner_join(p::table)
        .filter(cand::election_id.eq(election))
        .select((
            cand::id,
            cand::contest_id,
            cand::person_id,
            cand::election_code,
            cand::university,
            cand::field,
            cand::academic_rank,
            cand::photo_file_id,
            cand::resume_file_id,
            cand::programme_file_id,
            p::first_name,
            p::last_name,
        ))
        .load(conn)?;
    // The id breaks ties, so the order (which is also the order of an encrypted ballot's
    // choices) is the same on every query.
    rows.sort_by_cached_key(|c| {
        (crate::rules::persian_sort_key(&c.last_name), crate::rules::persian_sort_key(&c.first_name), c.id.clone())
    });
    Ok(rows)
}

/// The contests with their candidates in ballot order, for counting.
pub fn contest_rules(conn: &mut DbConn, election: &str) -> QueryResult<Vec<ContestRule>> {
    let contests = contests(conn, election)?;
    let cands = candidates(conn, election)?;
    Ok(contests
        .into_iter()
        .map(|c| ContestRule {
            candidates: cands.iter().filter(|x| x.contest_id == c.id).map(|x| x.id.clone()).collect(),
            id: c.id,
            seats: c.seats,
            alternates: c.alternates,
            max_selections: c.max_selections,
        })
        .collect())
}
