//! The request state machine (TO-02..05, TO-07), with no I/O: every transition the officers and
//! the reviewers can make, and the refusal of every other.

use anjoman_core::ApiError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::OfficersError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// احراز صلاحیت
    Qualification,
    /// اصلاحیه
    Amendment,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Qualification => "qualification",
            RequestKind::Amendment => "amendment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [RequestKind::Qualification, RequestKind::Amendment].into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// In the province's queue, not yet taken up.
    Submitted,
    /// The reviewer listed deficiencies; the officer fixes them.
    Deficient,
    /// Fixed and back with the same reviewer.
    Resubmitted,
    /// Approved; the fee is due.
    AwaitingPayment,
    /// Paid: the qualification or the amendment took effect.
    Completed,
    Rejected,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::Submitted,
        RequestStatus::Deficient,
        RequestStatus::Resubmitted,
        RequestStatus::AwaitingPayment,
        RequestStatus::Completed,
        RequestStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Submitted => "submitted",
            RequestStatus::Deficient => "deficient",
            RequestStatus::Resubmitted => "resubmitted",
            RequestStatus::AwaitingPayment => "awaiting_payment",
            RequestStatus::Completed => "completed",
            RequestStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still in progress: free edits and new requests wait for it (TO-06).
    pub fn open(self) -> bool {
        !matches!(self, RequestStatus::Completed | RequestStatus::Rejected)
    }

    pub(crate) fn fa(self) -> &'static str {
        match self {
            RequestStatus::Submitted => "ثبت‌شده",
            RequestStatus::Deficient => "دارای نقص",
            RequestStatus::Resubmitted => "رفع نقص‌شده",
            RequestStatus::AwaitingPayment => "در انتظار پرداخت",
            RequestStatus::Completed => "نهایی‌شده",
            RequestStatus::Rejected => "ردشده",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    DeclareDeficiencies,
    Resubmit,
    Pay,
}

impl Action {
    pub const ALL: [Action; 5] =
        [Action::Approve, Action::Reject, Action::DeclareDeficiencies, Action::Resubmit, Action::Pay];

    pub(crate) fn names(self) -> (&'static str, &'static str) {
        match self {
            Action::Approve => ("تأیید", "approve"),
            Action::Reject => ("رد", "reject"),
            Action::DeclareDeficiencies => ("اعلام نقص", "declare deficiencies"),
            Action::Resubmit => ("ارسال پس از رفع نقص", "resubmit"),
            Action::Pay => ("پرداخت", "pay"),
        }
    }
}

/// Where an action leads from a status, or the refusal (409 `illegal_transition`).
pub fn next(from: RequestStatus, action: Action) -> Result<RequestStatus, ApiError> {
    use RequestStatus::*;
    let to = match (from, action) {
        (Submitted | Resubmitted, Action::Approve) => Some(AwaitingPayment),
        (Submitted | Resubmitted, Action::Reject) => Some(Rejected),
        (Submitted | Resubmitted, Action::DeclareDeficiencies) => Some(Deficient),
        (Deficient, Action::Resubmit) => Some(Resubmitted),
        (AwaitingPayment, Action::Pay) => Some(Completed),
        _ => None,
    };
    to.ok_or_else(|| OfficersError::RequestStep { from, action }.into())
}

/// Where a qualification stands once granted: only an active one lets the officer be named
/// for a branch, file amendments and be verified as qualified. A suspension can be lifted; a
/// revocation is final (the officer may file a new qualification request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Active,
    Suspended,
    Revoked,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Active => "active",
            Standing::Suspended => "suspended",
            Standing::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Standing::Active, Standing::Suspended, Standing::Revoked].into_iter().find(|x| x.as_str() == s)
    }

    pub(crate) fn fa(self) -> &'static str {
        match self {
            Standing::Active => "فعال",
            Standing::Suspended => "تعلیق‌شده",
            Standing::Revoked => "لغوشده",
        }
    }
}

/// What the directorate does to a qualification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StandingAction {
    Suspend,
    Reinstate,
    Revoke,
}

/// Where a standing action leads, or the refusal (409 `illegal_transition`).
pub fn next_standing(from: Standing, action: StandingAction) -> Result<Standing, ApiError> {
    let to = match (from, action) {
        (Standing::Active, StandingAction::Suspend) => Some(Standing::Suspended),
        (Standing::Suspended, StandingAction::Reinstate) => Some(Standing::Active),
        (Standing::Active | Standing::Suspended, StandingAction::Revoke) => Some(Standing::Revoked),
        _ => None,
    };
    to.ok_or_else(|| OfficersError::StandingStep { from }.into())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn standing_moves_only_forward_except_a_lifted_suspension() {
        use Standing::*;
        use StandingAction::*;
        assert_eq!(next_standing(Active, Suspend).unwrap(), Suspended);
        assert_eq!(next_standing(Suspended, Reinstate).unwrap(), Active);
        assert_eq!(next_standing(Active, Revoke).unwrap(), Revoked);
        assert_eq!(next_standing(Suspended, Revoke).unwrap(), Revoked);
        for (from, action) in
            [(Active, Reinstate), (Suspended, Suspend), (Revoked, Reinstate), (Revoked, Suspend), (Revoked, Revoke)]
        {
            assert_eq!(next_standing(from, action).unwrap_err().code(), "illegal_transition");
        }
    }

    fn action() -> impl Strategy<Value = Action> {
        proptest::sample::select(Action::ALL.to_vec())
    }

    proptest! {
        /// Any sequence of actions on a new request, the refused ones changing nothing: a request
        /// is paid at most once and only after an approval, ends are final, and it never goes
        /// back to the province's queue.
        #[test]
        fn any_sequence_of_actions_keeps_the_request_lawful(actions in proptest::collection::vec(action(), 0..40)) {
            let mut status = RequestStatus::Submitted;
            let (mut approved, mut paid) = (false, 0);
            for a in actions {
                let before = status;
                match next(status, a) {
                    Ok(to) => {
                        prop_assert!(before.open(), "{before:?} left by {a:?}");
                        prop_assert_ne!(to, RequestStatus::Submitted);
                        if a == Action::Approve { approved = true; }
                        if to == RequestStatus::Completed {
                            paid += 1;
                            prop_assert!(approved && a == Action::Pay);
                        }
                        status = to;
                    }
                    Err(e) => {
                        let illegal = matches!(e, ApiError::Conflict { code: "illegal_transition", .. });
                        prop_assert!(illegal, "{:?} {:?}: {}", before, a, e);
                    }
                }
            }
            prop_assert!(paid <= 1);
        }
    }

    #[test]
    fn every_transition_is_either_allowed_or_refused_with_a_clear_error() {
        use RequestStatus::*;
        let allowed = [
            (Submitted, Action::Approve, AwaitingPayment),
            (Submitted, Action::Reject, Rejected),
            (Submitted, Action::DeclareDeficiencies, Deficient),
            (Resubmitted, Action::Approve, AwaitingPayment),
            (Resubmitted, Action::Reject, Rejected),
            (Resubmitted, Action::DeclareDeficiencies, Deficient),
            (Deficient, Action::Resubmit, Resubmitted),
            (AwaitingPayment, Action::Pay, Completed),
        ];
        for from in RequestStatus::ALL {
            for action in Action::ALL {
                match allowed.iter().find(|(f, a, _)| *f == from && *a == action) {
                    Some((_, _, to)) => assert_eq!(next(from, action).unwrap(), *to),
                    None => {
                        let e = next(from, action).unwrap_err();
                        assert!(
                            matches!(e, ApiError::Conflict { code: "illegal_transition", .. }),
                            "{from:?} {action:?}"
                        );
                    }
                }
            }
        }
        // Closed requests go nowhere.
        assert!(Action::ALL.iter().all(|a| next(Completed, *a).is_err() && next(Rejected, *a).is_err()));
        assert!(!Completed.open() && !Rejected.open() && Deficient.open() && AwaitingPayment.open());
    }
}
