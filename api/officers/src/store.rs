//! Queries and the transitions' bookkeeping: each change of a request's status is a conditional
//! update from the status it was read in, an event in its history and an entry in the audit log,
//! in one transaction.

use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::db::schema::{officer_request_events as ev, officer_requests as rq, officers as o};
use anjoman_core::db::{DbConn, new_id, now};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::rules::{Action, RequestStatus, next};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = o)]
pub struct Officer {
    pub person_id: String,
    pub father_name: String,
    pub gender: String,
    pub id_card_number: String,
    pub phone: Option<String>,
    pub address: String,
    pub province_id: String,
    pub city_id: String,
    pub field: String,
    pub degree_level: String,
    pub documents: String,
    pub qualified_at: Option<NaiveDateTime>,
    pub standing: String,
}

impl Officer {
    /// Qualified, and the qualification neither suspended nor revoked.
    pub fn qualified(&self) -> bool {
        self.qualified_at.is_some() && self.standing == crate::rules::Standing::Active.as_str()
    }

    pub fn standing(&self) -> crate::rules::Standing {
        crate::rules::Standing::parse(&self.standing).unwrap_or(crate::rules::Standing::Active)
    }
}

pub fn officer(conn: &mut DbConn, person: &str) -> QueryResult<Option<Officer>> {
    o::table.find(person).select(Officer::as_select()).first(conn).optional()
}

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

pub fn request(conn: &mut DbConn, id: &str) -> Result<Request, ApiError> {
    rq::table.find(id).select(Request::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

pub fn requests_of(conn: &mut DbConn, officer: &str) -> QueryResult<Vec<Request>> {
    rq::table.filter(rq::officer_id.eq(officer)).order(rq::created_at.desc()).select(Request::as_select()).load(conn)
}

/// The officer's request in progress, if any.
pub fn open_request(conn: &mut DbConn, officer: &str) -> QueryResult<Option<Request>> {
    Ok(requests_of(conn, officer)?.into_iter().find(|r| r.state().open()))
}

#[derive(Debug, Clone, Queryable)]
pub struct EventRow {
    pub actor_id: Option<String>,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}

pub fn events(conn: &mut DbConn, request: &str) -> QueryResult<Vec<EventRow>> {
    ev::table
        .filter(ev::request_id.eq(request))
        .order(ev::at.asc())
        .select((ev::actor_id, ev::from_status, ev::to_status, ev::note, ev::at))
        .load(conn)
}

pub fn record_event(
    conn: &mut DbConn,
    request: &str,
    actor: Option<&str>,
    from: Option<RequestStatus>,
    to: RequestStatus,
    note: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(ev::table)
        .values((
            ev::id.eq(new_id()),
            ev::request_id.eq(request),
            ev::actor_id.eq(actor),
            ev::from_status.eq(from.map(|f| f.as_str())),
            ev::to_status.eq(to.as_str()),
            ev::note.eq(note),
            ev::at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves a request by an action: checks the state machine, updates only if the status is still
/// the one read (a concurrent decision wins once), and records the event and the audit entry.
pub fn transition(
    conn: &mut DbConn,
    r: &Request,
    action: Action,
    actor: Option<&str>,
    note: Option<&str>,
) -> Result<RequestStatus, ApiError> {
    let from = r.state();
    let to = next(from, action)?;
    let n = diesel::update(rq::table.find(&r.id).filter(rq::status.eq(from.as_str())))
        .set((rq::status.eq(to.as_str()), rq::updated_at.eq(now())))
        .execute(conn)?;
    if n != 1 {
        // Someone else moved it first: judge the action against where it is now.
        let current = request(conn, &r.id)?;
        next(current.state(), action)?;
        return Err(ApiError::Conflict {
            code: "illegal_transition",
            msg: anjoman_core::Msg::new(
                "این درخواست هم‌زمان تغییر کرد؛ دوباره ببینید.",
                "The request changed meanwhile; look again.",
            ),
        });
    }
    record_event(conn, &r.id, actor, Some(from), to, note)?;
    let name = format!("officer_request.{}", to.as_str());
    let mut event = Event::new(&name, "officer_request", Some(&r.id)).states(
        Some(serde_json::json!({"status": from.as_str()})),
        Some(serde_json::json!({"status": to.as_str(), "note": note})),
    );
    if let Some(a) = actor {
        event = event.by(a);
    }
    audit::record(conn, event)?;
    Ok(to)
}
