//! Membership renewal (EN-02): the engineer asks inside the province's window, the expert enters
//! any prior debt, the engineer pays fee × years + debt, and the expiry moves forward once the
//! payment is verified. A renewal moves by `next(from, action)` and one audited
//! `store::transition`.

pub mod http;
pub mod model;
pub mod store;

use anjoman_core::ApiError;
use anjoman_core::db::{DbConn, now};
use anjoman_core::platform::payments::Invoice;

use crate::errors::EngineersError;
use crate::rules::{self, RenewalStatus};
use model::{Renewal, RenewalOutcome};

/// A step of a renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewalAction {
    /// The province's expert enters the prior debt; an invoice is made.
    Assess,
    /// The engineer's invoice is paid; the expiry moves forward.
    Pay,
    /// The province's expert refuses the request, with a reason the engineer reads; a new
    /// request may follow.
    Reject,
}

impl RenewalAction {
    pub const ALL: [RenewalAction; 3] = [RenewalAction::Assess, RenewalAction::Pay, RenewalAction::Reject];

    /// The audit entry the step records: event, object type and object.
    fn audit(self, r: &Renewal) -> (&'static str, &'static str, &str) {
        match self {
            RenewalAction::Assess => ("engineer.renewal_assessed", "engineer_renewal", &r.id),
            RenewalAction::Pay => ("engineer.renewed", "engineer", &r.engineer_id),
            RenewalAction::Reject => ("engineer.renewal_rejected", "engineer_renewal", &r.id),
        }
    }
}

/// Where an action takes a renewal, or the refusal (409).
pub fn next(from: RenewalStatus, action: RenewalAction) -> Result<RenewalStatus, ApiError> {
    use RenewalStatus::*;
    match (from, action) {
        (UnderReview, RenewalAction::Assess) => Ok(AwaitingPayment),
        (AwaitingPayment, RenewalAction::Pay) => Ok(Completed),
        (UnderReview, RenewalAction::Reject) => Ok(Rejected),
        (_, RenewalAction::Assess | RenewalAction::Reject) => Err(EngineersError::RenewalNotUnderReview.into()),
        (_, RenewalAction::Pay) => Err(EngineersError::RenewalNotAwaitingPayment.into()),
    }
}

/// Tells the engineer by SMS and e-mail.
pub(crate) fn notify(conn: &mut DbConn, person: &str, text: &str) -> Result<(), ApiError> {
    Ok(anjoman_identity::store::notify_person(
        conn,
        person,
        "engineer_renewal",
        "تمدید عضویت / Membership renewal",
        text,
    )?)
}

/// The payment handler: a renewal's invoice is paid — the membership expiry moves forward by the
/// renewal's years, once (the conditional update and the payments service both see to that).
pub fn on_paid(conn: &mut DbConn, invoice: &Invoice) -> Result<(), ApiError> {
    let Some(id) = invoice.reference.as_deref() else { return Ok(()) };
    let r = store::get(conn, id)?;
    if r.state() != RenewalStatus::AwaitingPayment {
        return Ok(());
    }
    let e = crate::store::engineer(conn, &r.engineer_id)?.ok_or(ApiError::NotFound)?;
    let new_expiry = rules::extended(e.expires_on, r.years.unwrap_or(0)).ok_or(ApiError::Internal)?;
    let outcome = RenewalOutcome { expires_after: Some(new_expiry), completed_at: Some(now()), ..Default::default() };
    let states =
        (Some(serde_json::json!({"expires_on": e.expires_on})), Some(serde_json::json!({"expires_on": new_expiry})));
    if !store::transition(conn, &r, RenewalAction::Pay, &invoice.payer_id, &outcome, states)? {
        return Ok(());
    }
    crate::store::set_expiry(conn, &r.engineer_id, new_expiry)?;
    let national_code = anjoman_identity::store::person_of(conn, &e.person_id)?.national_code;
    anjoman_core::platform::webhooks::emit(
        conn,
        &anjoman_core::platform::webhooks::Owner::engineering(&e.province_id),
        "renewal.paid",
        serde_json::json!({
            "national_code": national_code,
            "membership_number": e.membership_number,
            "expires_on": new_expiry,
            "amount_rials": invoice.amount_rials,
        }),
    )?;
    notify(
        conn,
        &r.engineer_id,
        &format!(
            "عضویت شما تمدید شد؛ اعتبار تا {}.\nYour membership is renewed until {new_expiry}.",
            anjoman_core::dates::jalali_fa(new_expiry)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_moves_from_its_own_status_only() {
        use RenewalStatus::*;
        let legal = [
            (UnderReview, RenewalAction::Assess, AwaitingPayment),
            (AwaitingPayment, RenewalAction::Pay, Completed),
            (UnderReview, RenewalAction::Reject, Rejected),
        ];
        for from in RenewalStatus::ALL.iter().copied() {
            for action in RenewalAction::ALL {
                let expected = legal.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, t)| *t);
                assert_eq!(next(from, action).ok(), expected, "{from:?} + {action:?}");
            }
        }
        assert!(matches!(
            next(Completed, RenewalAction::Assess),
            Err(ApiError::Conflict { code: "renewal_not_under_review", .. })
        ));
    }
}
