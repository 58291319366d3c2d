//! The sandbox payment gateway's store: the payments it was asked for, as a real gateway keeps
//! them (token, amount, callback, status, reference once paid).

use diesel::prelude::*;

use crate::db::schema::sandbox_payments as sp;
use crate::db::{DbConn, now};
use crate::error::ApiError;
use crate::refusals::CoreError;

#[derive(Insertable)]
#[diesel(table_name = sp)]
pub(crate) struct NewSandboxPayment<'a> {
    pub(crate) authority: &'a str,
    pub(crate) amount_rials: i64,
    pub(crate) callback_url: &'a str,
    pub(crate) description: &'a str,
}

/// A payment the merchant asked for, pending.
pub(crate) fn insert(conn: &mut DbConn, p: &NewSandboxPayment) -> QueryResult<()> {
    diesel::insert_into(sp::table).values((p, sp::status.eq("pending"), sp::created_at.eq(now()))).execute(conn)?;
    Ok(())
}

/// A payment's amount, status and reference.
pub(crate) fn for_verify(conn: &mut DbConn, authority: &str) -> QueryResult<Option<(i64, String, Option<String>)>> {
    sp::table.find(authority).select((sp::amount_rials, sp::status, sp::ref_id)).first(conn).optional()
}

/// A paid payment, verified by the merchant.
pub(crate) fn mark_verified(conn: &mut DbConn, authority: &str) -> QueryResult<()> {
    diesel::update(sp::table.find(authority)).set(sp::status.eq("verified")).execute(conn)?;
    Ok(())
}

/// What the payer sees: amount, description and status.
pub(crate) fn shown(conn: &mut DbConn, authority: &str) -> Result<(i64, String, String), ApiError> {
    sp::table
        .find(authority)
        .select((sp::amount_rials, sp::description, sp::status))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// The payer's decision on a pending payment (`already_decided` otherwise), with the reference
/// when paid; the merchant's callback address.
pub(crate) fn decide(conn: &mut DbConn, authority: &str, ref_id: Option<String>) -> Result<String, ApiError> {
    let (status, callback_url): (String, String) = sp::table
        .find(authority)
        .select((sp::status, sp::callback_url))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if status != "pending" {
        return Err(CoreError::AlreadyDecided.into());
    }
    let status = if ref_id.is_some() { "paid" } else { "cancelled" };
    diesel::update(sp::table.find(authority)).set((sp::status.eq(status), sp::ref_id.eq(ref_id))).execute(conn)?;
    Ok(callback_url)
}
