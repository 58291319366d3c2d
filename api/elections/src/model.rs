//! Rows of `elections`, `contests` and `candidates`, and the forms that write them.

use anjoman_core::db::schema::{candidates as cand, contests as ct, elections as el};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::rules::Status;

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

/// A draft election (EL-01).
#[derive(Insertable)]
#[diesel(table_name = el)]
pub struct NewElection<'a> {
    pub id: &'a str,
    pub association_id: &'a str,
    pub title: String,
    pub description: String,
    pub support_contact: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub status: &'a str,
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The set-up an admin may change before voting opens; unset fields stay as they are.
#[derive(AsChangeset, Default)]
#[diesel(table_name = el)]
pub struct ElectionChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub support_contact: Option<Option<String>>,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
}

/// What a step of the lifecycle writes beside the status; unset fields stay as they are.
#[derive(AsChangeset, Default)]
#[diesel(table_name = el)]
pub struct StepChanges {
    pub ends_at: Option<NaiveDateTime>,
    pub results: Option<String>,
    pub counts: Option<String>,
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

#[derive(Insertable)]
#[diesel(table_name = ct)]
pub struct NewContest<'a> {
    pub id: String,
    pub election_id: &'a str,
    pub title: String,
    pub seats: i32,
    pub alternates: i32,
    pub max_selections: i32,
    pub sort_order: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cand)]
pub struct Candidate {
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
}

/// A candidate with the name voters see.
#[derive(Debug, Clone)]
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

#[derive(Insertable)]
#[diesel(table_name = cand)]
pub struct NewCandidate<'a> {
    pub id: &'a str,
    pub election_id: &'a str,
    pub contest_id: &'a str,
    pub person_id: &'a str,
    pub election_code: &'a str,
    pub university: Option<String>,
    pub field: Option<String>,
    pub academic_rank: Option<String>,
    pub photo_file_id: Option<String>,
    pub resume_file_id: Option<String>,
    pub programme_file_id: Option<String>,
    pub created_at: NaiveDateTime,
}
