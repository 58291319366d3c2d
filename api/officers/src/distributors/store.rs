//! Every query of distributors, branches and cooperations. A cooperation's status changes only
//! through [`transition`]: the state machine's check, one conditional update with the step's
//! columns, and the audit entry.

use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::db::schema::{branches as br, cooperations as co, distributors as di};
use anjoman_core::db::{DbConn, now};
use diesel::prelude::*;

use super::model::{Branch, Coop, CoopOutcome, Distributor, NewBranch, NewCoop, NewDistributor};
use super::rules::{BINDING, CoopAction, CoopStatus, next};
use crate::errors::OfficersError;

/// The names of the distributors among `ids` (the scope of distributor managers' grants).
pub fn scope_names(conn: &mut DbConn, ids: &[String]) -> Result<Vec<(String, String)>, ApiError> {
    Ok(di::table.filter(di::id.eq_any(ids)).select((di::id, di::name)).load(conn)?)
}

pub fn distributor(conn: &mut DbConn, id: &str) -> Result<Distributor, ApiError> {
    di::table.find(id).select(Distributor::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// Distributors by name: all, or those among `only`.
pub fn distributors(conn: &mut DbConn, only: Option<&[String]>) -> QueryResult<Vec<Distributor>> {
    let mut q = di::table.order(di::name).into_boxed();
    if let Some(ids) = only {
        q = q.filter(di::id.eq_any(ids.to_vec()));
    }
    q.select(Distributor::as_select()).load(conn)
}

pub fn insert_distributor(conn: &mut DbConn, row: &NewDistributor) -> QueryResult<()> {
    diesel::insert_into(di::table).values(row).execute(conn).map(drop)
}

pub fn branch(conn: &mut DbConn, id: &str) -> Result<Branch, ApiError> {
    br::table.find(id).select(Branch::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// A distributor's branches, the central one first.
pub fn branches_of(conn: &mut DbConn, distributor: &str) -> QueryResult<Vec<Branch>> {
    br::table
        .filter(br::distributor_id.eq(distributor))
        .order((br::is_central.desc(), br::created_at))
        .select(Branch::as_select())
        .load(conn)
}

pub fn insert_branch(conn: &mut DbConn, row: &NewBranch) -> QueryResult<()> {
    diesel::insert_into(br::table).values(row).execute(conn).map(drop)
}

/// Makes `officer` the branch's technical officer.
pub fn seat_officer(conn: &mut DbConn, branch: &str, officer: &str) -> QueryResult<()> {
    diesel::update(br::table.find(branch)).set(br::officer_id.eq(officer)).execute(conn).map(drop)
}

/// Takes `officer` off the branch, if they are its technical officer.
pub fn unseat_officer(conn: &mut DbConn, branch: &str, officer: &str) -> QueryResult<()> {
    diesel::update(br::table.find(branch).filter(br::officer_id.eq(officer)))
        .set(br::officer_id.eq(None::<String>))
        .execute(conn)
        .map(drop)
}

pub fn coop(conn: &mut DbConn, id: &str) -> Result<Coop, ApiError> {
    co::table.find(id).select(Coop::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// An officer's cooperations, newest first.
pub fn coops_of_officer(conn: &mut DbConn, officer: &str) -> QueryResult<Vec<Coop>> {
    co::table.filter(co::officer_id.eq(officer)).order(co::created_at.desc()).select(Coop::as_select()).load(conn)
}

/// A distributor's cooperations, newest first.
pub fn coops_of_distributor(conn: &mut DbConn, distributor: &str) -> QueryResult<Vec<Coop>> {
    co::table
        .filter(co::distributor_id.eq(distributor))
        .order(co::created_at.desc())
        .select(Coop::as_select())
        .load(conn)
}

/// The cooperations that bind an officer now.
pub fn binding_coops_of(conn: &mut DbConn, officer: &str) -> QueryResult<Vec<Coop>> {
    co::table.filter(co::officer_id.eq(officer)).filter(co::status.eq_any(BINDING)).select(Coop::as_select()).load(conn)
}

/// Whether the officer is bound to a branch, or has an open request.
pub fn officer_bound(conn: &mut DbConn, officer: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(co::table.filter(co::officer_id.eq(officer)).filter(co::status.eq_any(BINDING))))
        .get_result(conn)
}

/// Whether the branch has an officer, or an open request.
pub fn branch_taken(conn: &mut DbConn, branch: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(co::table.filter(co::branch_id.eq(branch)).filter(co::status.eq_any(BINDING))))
        .get_result(conn)
}

pub fn insert_coop(conn: &mut DbConn, row: &NewCoop) -> QueryResult<()> {
    diesel::insert_into(co::table).values(row).execute(conn).map(drop)
}

/// The university's queue, oldest first (at most 500): of these provinces, or all.
pub fn coop_queue(conn: &mut DbConn, statuses: &[&str], provinces: Option<&[String]>) -> QueryResult<Vec<Coop>> {
    let mut query = co::table.filter(co::status.eq_any(statuses.to_vec())).into_boxed();
    if let Some(pv) = provinces {
        query = query.filter(co::province_id.eq_any(pv.to_vec()));
    }
    query.order(co::updated_at.asc()).limit(500).select(Coop::as_select()).load(conn)
}

/// Moves a cooperation by an action: checks the state machine, updates only if the status is
/// still the one read (a concurrent step wins once) together with the step's `outcome`, and
/// records the audit entry.
pub fn transition(
    conn: &mut DbConn,
    c: &Coop,
    action: CoopAction,
    actor: &str,
    outcome: &CoopOutcome,
) -> Result<CoopStatus, ApiError> {
    let from = c.state();
    let to = next(from, action)?;
    let n = diesel::update(co::table.find(&c.id).filter(co::status.eq(from.as_str())))
        .set((co::status.eq(to.as_str()), co::updated_at.eq(now()), outcome))
        .execute(conn)?;
    if n != 1 {
        // Someone else moved it first: judge the action against where it is now.
        next(coop(conn, &c.id)?.state(), action)?;
        return Err(OfficersError::CooperationChanged.into());
    }
    let name = format!("cooperation.{}", to.as_str());
    audit::record(
        conn,
        Event::new(&name, "cooperation", Some(&c.id)).by(actor).states(
            Some(serde_json::json!({"status": from.as_str()})),
            Some(serde_json::json!({"status": to.as_str(), "reason": outcome.reason})),
        ),
    )?;
    Ok(to)
}
