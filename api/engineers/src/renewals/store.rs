//! Every query of `engineer_renewals`.

use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::{engineer_renewals as rn, engineers as en};
use diesel::prelude::*;

use super::model::{NewRenewal, Renewal, RenewalOutcome};
use super::{RenewalAction, next};
use crate::rules::RenewalStatus;

pub fn get(conn: &mut DbConn, id: &str) -> Result<Renewal, ApiError> {
    rn::table.find(id).select(Renewal::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// The engineer's open renewal, or the last completed one.
pub fn latest(conn: &mut DbConn, engineer: &str) -> QueryResult<Option<Renewal>> {
    rn::table
        .filter(rn::engineer_id.eq(engineer))
        .order(rn::created_at.desc())
        .select(Renewal::as_select())
        .first(conn)
        .optional()
}

/// How many of the engineer's renewals are still open (under review or awaiting payment; the
/// same statuses as the one-open-renewal index).
pub fn open_count(conn: &mut DbConn, engineer: &str) -> QueryResult<i64> {
    let open = [RenewalStatus::UnderReview.as_str(), RenewalStatus::AwaitingPayment.as_str()];
    rn::table.filter(rn::engineer_id.eq(engineer)).filter(rn::status.eq_any(open)).count().get_result(conn)
}

pub fn insert(conn: &mut DbConn, row: &NewRenewal) -> QueryResult<()> {
    diesel::insert_into(rn::table).values(row).execute(conn).map(drop)
}

/// The renewals of these provinces in one status (or all), oldest first, with each engineer's
/// membership number; at most 500.
pub fn queue(conn: &mut DbConn, provinces: &[String], status: Option<&str>) -> QueryResult<Vec<(Renewal, String)>> {
    let mut query = rn::table.inner_join(en::table).filter(rn::province_id.eq_any(provinces)).into_boxed();
    if let Some(status) = status {
        query = query.filter(rn::status.eq(status.to_owned()));
    }
    query.order(rn::created_at.asc()).limit(500).select((Renewal::as_select(), en::membership_number)).load(conn)
}

/// Moves a renewal by an action: checks the state machine, updates only while the status is
/// still the one read (a concurrent step wins once) together with the step's `outcome`, and
/// records the step's audit entry. False when someone else moved it first; then nothing is
/// written.
pub fn transition(
    conn: &mut DbConn,
    r: &Renewal,
    action: RenewalAction,
    actor: &str,
    outcome: &RenewalOutcome,
    states: (Option<serde_json::Value>, Option<serde_json::Value>),
) -> Result<bool, ApiError> {
    let from = r.state();
    let to = next(from, action)?;
    let n = diesel::update(rn::table.find(&r.id).filter(rn::status.eq(from.as_str())))
        .set((rn::status.eq(to.as_str()), outcome))
        .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    let (event, object_type, object_id) = action.audit(r);
    audit::record(conn, Event::new(event, object_type, Some(object_id)).by(actor).states(states.0, states.1))?;
    Ok(true)
}
