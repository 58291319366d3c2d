//! Rows of `engineer_renewals` and the forms that write them.

use anjoman_core::db::schema::engineer_renewals as rn;
use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::rules::RenewalStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rn)]
pub struct Renewal {
    pub id: String,
    pub engineer_id: String,
    pub province_id: String,
    pub status: String,
    pub expires_before: NaiveDate,
    pub years: Option<i32>,
    pub annual_fee_rials: Option<i64>,
    pub debt_rials: Option<i64>,
    pub amount_rials: Option<i64>,
    pub invoice_id: Option<String>,
    pub assessed_by: Option<String>,
    pub expires_after: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub assessed_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
}

impl Renewal {
    pub fn state(&self) -> RenewalStatus {
        RenewalStatus::parse(&self.status).unwrap_or(RenewalStatus::UnderReview)
    }
}

/// A renewal request, under review (EN-02).
#[derive(Insertable)]
#[diesel(table_name = rn)]
pub struct NewRenewal<'a> {
    pub id: &'a str,
    pub engineer_id: &'a str,
    pub province_id: &'a str,
    pub status: &'a str,
    pub expires_before: NaiveDate,
    pub created_at: NaiveDateTime,
}

/// What a step writes beside the status: the expert's assessment, or the new expiry once paid.
#[derive(AsChangeset, Default)]
#[diesel(table_name = rn)]
pub struct RenewalOutcome {
    pub years: Option<i32>,
    pub annual_fee_rials: Option<i64>,
    pub debt_rials: Option<i64>,
    pub amount_rials: Option<i64>,
    pub invoice_id: Option<String>,
    pub assessed_by: Option<String>,
    pub assessed_at: Option<NaiveDateTime>,
    pub expires_after: Option<NaiveDate>,
    pub completed_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
}

/// A renewal as the engineer and the expert see it.
#[derive(Serialize, ToSchema)]
pub struct RenewalView {
    pub id: String,
    /// `under_review` (with the expert), `awaiting_payment`, `completed` or `rejected`
    pub status: String,
    pub expires_before: NaiveDate,
    pub years: Option<i32>,
    pub annual_fee_rials: Option<i64>,
    /// Prior debt entered by the expert (possibly zero).
    pub debt_rials: Option<i64>,
    /// annual fee × years + debt
    pub amount_rials: Option<i64>,
    /// Pay it at `/payments/invoices/{id}/pay`.
    pub invoice_id: Option<String>,
    pub expires_after: Option<NaiveDate>,
    pub created_at: chrono::DateTime<Utc>,
    pub assessed_at: Option<chrono::DateTime<Utc>>,
    pub completed_at: Option<chrono::DateTime<Utc>>,
    /// Why the expert refused it, when `rejected`.
    pub reason: Option<String>,
}

impl From<Renewal> for RenewalView {
    fn from(r: Renewal) -> Self {
        Self {
            id: r.id,
            status: r.status,
            expires_before: r.expires_before,
            years: r.years,
            annual_fee_rials: r.annual_fee_rials,
            debt_rials: r.debt_rials,
            amount_rials: r.amount_rials,
            invoice_id: r.invoice_id,
            expires_after: r.expires_after,
            created_at: r.created_at.and_utc(),
            assessed_at: r.assessed_at.map(|t| t.and_utc()),
            completed_at: r.completed_at.map(|t| t.and_utc()),
            reason: r.reason,
        }
    }
}
