//! Rows of `officer_requests` and `officer_request_events`, and the forms that write them.

use anjoman_core::db::schema::{officer_request_events as ev, officer_requests as rq};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::rules::RequestStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rq)]
pub struct Request {
    pub id: String,
    pub officer_id: String,
    pub kind: String,
    pub province_id: String,
    pub status: String,
    pub reviewer_id: Option<String>,
    pub deficiencies: Option<String>,
    pub reason: Option<String>,
    pub changes: Option<String>,
    pub previous: Option<String>,
    pub documents: String,
    pub fee_rials: Option<i64>,
    pub invoice_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
}

impl Request {
    pub fn state(&self) -> RequestStatus {
        RequestStatus::parse(&self.status).unwrap_or(RequestStatus::Submitted)
    }
}

#[derive(Insertable)]
#[diesel(table_name = rq)]
pub struct NewRequest<'a> {
    pub id: &'a str,
    pub officer_id: &'a str,
    pub kind: &'a str,
    pub province_id: &'a str,
    pub status: &'a str,
    pub changes: Option<String>,
    pub previous: Option<String>,
    pub documents: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns an action sets besides the status, written with it in one conditional update.
#[derive(AsChangeset, Default)]
#[diesel(table_name = rq)]
pub struct Outcome {
    pub reviewer_id: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub fee_rials: Option<i64>,
    pub invoice_id: Option<String>,
    pub deficiencies: Option<Option<String>>,
    pub reason: Option<Option<String>>,
    pub documents: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ev)]
pub struct EventRow {
    pub actor_id: Option<String>,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = ev)]
pub struct NewEvent<'a> {
    pub id: String,
    pub request_id: &'a str,
    pub actor_id: Option<&'a str>,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub note: Option<&'a str>,
    pub at: NaiveDateTime,
}
