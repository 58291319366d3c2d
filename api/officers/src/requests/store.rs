//! Every query of requests and their history. Each change of a request's status is one
//! conditional update from the status it was read in (carrying the action's other columns), an
//! event in its history and an entry in the audit log, in the caller's transaction.

use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::db::schema::{officer_request_events as ev, officer_requests as rq, officers as o};
use anjoman_core::db::{DbConn, new_id, now};
use diesel::prelude::*;

use super::model::{EventRow, NewEvent, NewRequest, Outcome, Request};
use crate::errors::OfficersError;
use crate::registration::model::Officer;
use crate::rules::{Action, RequestStatus, next};

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

/// A new request and the first event of its history.
pub fn insert(conn: &mut DbConn, row: &NewRequest, actor: &str) -> QueryResult<()> {
    diesel::insert_into(rq::table).values(row).execute(conn)?;
    record_event(conn, row.id, Some(actor), None, RequestStatus::Submitted, None)
}

pub fn events(conn: &mut DbConn, request: &str) -> QueryResult<Vec<EventRow>> {
    ev::table.filter(ev::request_id.eq(request)).order(ev::at.asc()).select(EventRow::as_select()).load(conn)
}

fn record_event(
    conn: &mut DbConn,
    request: &str,
    actor: Option<&str>,
    from: Option<RequestStatus>,
    to: RequestStatus,
    note: Option<&str>,
) -> QueryResult<()> {
    let row = NewEvent {
        id: new_id(),
        request_id: request,
        actor_id: actor,
        from_status: from.map(RequestStatus::as_str),
        to_status: to.as_str(),
        note,
        at: now(),
    };
    diesel::insert_into(ev::table).values(&row).execute(conn).map(drop)
}

/// Moves a request by an action: checks the state machine, updates only if the status is still
/// the one read (a concurrent decision wins once) together with the action's `outcome`, and
/// records the event and the audit entry.
pub fn transition(
    conn: &mut DbConn,
    r: &Request,
    action: Action,
    actor: Option<&str>,
    note: Option<&str>,
    outcome: &Outcome,
) -> Result<RequestStatus, ApiError> {
    let from = r.state();
    let to = next(from, action)?;
    let n = diesel::update(rq::table.find(&r.id).filter(rq::status.eq(from.as_str())))
        .set((rq::status.eq(to.as_str()), rq::updated_at.eq(now()), outcome))
        .execute(conn)?;
    if n != 1 {
        // Someone else moved it first: judge the action against where it is now.
        let current = request(conn, &r.id)?;
        next(current.state(), action)?;
        return Err(OfficersError::RequestChanged.into());
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

/// What the reviewers' queue asks for.
pub struct QueueFilter {
    pub statuses: Vec<&'static str>,
    /// `None`: every province.
    pub provinces: Option<Vec<String>>,
    /// Only the requests this reviewer took up.
    pub reviewer: Option<String>,
}

/// The queue, oldest first (at most 500), each request with its officer.
pub fn queue(conn: &mut DbConn, f: &QueueFilter) -> QueryResult<Vec<(Request, Officer)>> {
    let mut query = rq::table.inner_join(o::table).filter(rq::status.eq_any(&f.statuses)).into_boxed();
    if let Some(pv) = &f.provinces {
        query = query.filter(rq::province_id.eq_any(pv));
    }
    if let Some(me) = &f.reviewer {
        query = query.filter(rq::reviewer_id.eq(me));
    }
    query.order(rq::updated_at.asc()).limit(500).select((Request::as_select(), Officer::as_select())).load(conn)
}
