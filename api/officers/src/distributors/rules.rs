//! The cooperation between a distributor's branch and a technical officer, as a state machine
//! (DI-02..04, TO-08): the officer accepts or declines, the province's university approves or
//! rejects, the officer may end it, and the directorate ends it with the qualification.

use anjoman_core::ApiError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::OfficersError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoopStatus {
    /// Named by the distributor; the officer decides.
    AwaitingOfficer,
    /// The officer declined: closed, back to the distributor.
    Declined,
    /// The officer accepted; the province's university decides.
    AwaitingUniversity,
    /// The university rejected it.
    Rejected,
    /// The officer is the branch's technical officer.
    Active,
    /// Ended by the officer.
    Terminated,
    /// Ended by the directorate: the officer's qualification was suspended or revoked.
    Ended,
}

impl CoopStatus {
    const ALL: [CoopStatus; 7] = [
        CoopStatus::AwaitingOfficer,
        CoopStatus::Declined,
        CoopStatus::AwaitingUniversity,
        CoopStatus::Rejected,
        CoopStatus::Active,
        CoopStatus::Terminated,
        CoopStatus::Ended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CoopStatus::AwaitingOfficer => "awaiting_officer",
            CoopStatus::Declined => "declined",
            CoopStatus::AwaitingUniversity => "awaiting_university",
            CoopStatus::Rejected => "rejected",
            CoopStatus::Active => "active",
            CoopStatus::Terminated => "terminated",
            CoopStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Binds the officer (or is about to): no second distributor may name them meanwhile.
    pub fn binding(self) -> bool {
        matches!(self, CoopStatus::AwaitingOfficer | CoopStatus::AwaitingUniversity | CoopStatus::Active)
    }
}

/// The statuses that bind an officer and a branch, as stored.
pub const BINDING: [&str; 3] = ["awaiting_officer", "awaiting_university", "active"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoopAction {
    /// The officer accepts the distributor's request.
    Accept,
    /// The officer declines it.
    Decline,
    /// The officer ends an active cooperation (no approval needed, DI-04).
    Terminate,
    /// The university approves.
    Approve,
    /// The university rejects, with a reason.
    Reject,
    /// The directorate suspended or revoked the officer's qualification.
    End,
}

/// Where an action takes a cooperation, or `illegal_transition`.
pub fn next(from: CoopStatus, action: CoopAction) -> Result<CoopStatus, ApiError> {
    use CoopStatus::*;
    let to = match (from, action) {
        (AwaitingOfficer, CoopAction::Accept) => Some(AwaitingUniversity),
        (AwaitingOfficer, CoopAction::Decline) => Some(Declined),
        (Active, CoopAction::Terminate) => Some(Terminated),
        (AwaitingUniversity, CoopAction::Approve) => Some(Active),
        (AwaitingUniversity, CoopAction::Reject) => Some(Rejected),
        (s, CoopAction::End) if s.binding() => Some(Ended),
        _ => None,
    };
    to.ok_or_else(|| OfficersError::CooperationStep { from }.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_moves_from_its_own_status_only() {
        use CoopStatus::*;
        let all = CoopStatus::ALL;
        let legal = [
            (AwaitingOfficer, CoopAction::Accept, AwaitingUniversity),
            (AwaitingOfficer, CoopAction::Decline, Declined),
            (Active, CoopAction::Terminate, Terminated),
            (AwaitingUniversity, CoopAction::Approve, Active),
            (AwaitingUniversity, CoopAction::Reject, Rejected),
            (AwaitingOfficer, CoopAction::End, Ended),
            (AwaitingUniversity, CoopAction::End, Ended),
            (Active, CoopAction::End, Ended),
        ];
        for from in all {
            for action in [
                CoopAction::Accept,
                CoopAction::Decline,
                CoopAction::Terminate,
                CoopAction::Approve,
                CoopAction::Reject,
                CoopAction::End,
            ] {
                let expected = legal.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, t)| *t);
                assert_eq!(next(from, action).ok(), expected, "{from:?} + {action:?}");
            }
        }
        assert!(BINDING.iter().all(|s| CoopStatus::parse(s).is_some_and(CoopStatus::binding)));
    }
}
