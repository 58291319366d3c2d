//! The officers domain's refusals: each one's code, answer and both messages, in one place.
//! Handlers return `Err(OfficersError::X.into())`; the client sees the common error envelope.
//! The three state machines (requests, standings, cooperations) share the code
//! `illegal_transition`; their messages say which one refused.

use anjoman_core::error::{Answer, Msg, Refusal};

use crate::distributors::rules::CoopStatus;
use crate::rules::{Action, RequestStatus, Standing};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficersError {
    /// The person registers as an officer a second time.
    AlreadyRegistered,
    /// A qualified, active officer files a new qualification request.
    AlreadyQualified,
    /// An amendment before qualification.
    NotQualified,
    /// The directorate suspended the officer: no request is taken.
    QualificationSuspended,
    /// The officer changes data while a request is being reviewed.
    RequestInProgress,
    /// A reviewer decides a request assigned to another reviewer (403).
    AssignedToAnotherReviewer,
    /// A distributor names someone who is not a qualified officer.
    OfficerNotQualified,
    /// A distributor names an officer whose qualification is suspended or revoked.
    OfficerNotActive,
    /// The officer already works for a branch or has an open cooperation request.
    OfficerAlreadyBound,
    /// The branch already has an officer or an open request.
    BranchTaken,
    /// A request's action that its status does not allow.
    RequestStep { from: RequestStatus, action: Action },
    /// A request changed between reading and writing it.
    RequestChanged,
    /// A standing action that the qualification's standing does not allow.
    StandingStep { from: Standing },
    /// A standing changed between reading and writing it.
    StandingChanged,
    /// A cooperation step that its status does not allow.
    CooperationStep { from: CoopStatus },
    /// A cooperation changed between reading and writing it.
    CooperationChanged,
}

impl Refusal for OfficersError {
    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyRegistered => "already_registered",
            Self::AlreadyQualified => "already_qualified",
            Self::NotQualified => "not_qualified",
            Self::QualificationSuspended => "qualification_suspended",
            Self::RequestInProgress => "request_in_progress",
            Self::AssignedToAnotherReviewer => "assigned_to_another_reviewer",
            Self::OfficerNotQualified | Self::OfficerNotActive => "officer_not_qualified",
            Self::OfficerAlreadyBound => "officer_already_bound",
            Self::BranchTaken => "branch_taken",
            Self::RequestStep { .. }
            | Self::RequestChanged
            | Self::StandingStep { .. }
            | Self::StandingChanged
            | Self::CooperationStep { .. }
            | Self::CooperationChanged => "illegal_transition",
        }
    }

    fn msg(&self) -> Msg {
        match *self {
            Self::AlreadyRegistered => Msg::new(
                "شما پیش‌تر به‌عنوان مسئول فنی ثبت‌نام کرده‌اید.",
                "You are already registered as a technical officer.",
            ),
            Self::AlreadyQualified => Msg::new(
                "صلاحیت شما احراز شده است؛ برای تغییر، اصلاحیه بفرستید.",
                "You are qualified; file an amendment to change your data.",
            ),
            Self::NotQualified => {
                Msg::new("اصلاحیه پس از احراز صلاحیت ممکن است.", "Amendments come after qualification.")
            }
            Self::QualificationSuspended => Msg::new(
                "صلاحیت شما از سوی اداره کل تعلیق شده است؛ تا رفع تعلیق درخواستی پذیرفته نمی‌شود.",
                "The directorate has suspended your qualification; no request is taken until it is lifted.",
            ),
            Self::RequestInProgress => Msg::new(
                "درخواست شما در جریان بررسی است؛ تا پایان آن این تغییر ممکن نیست.",
                "Your request is being processed; this change must wait until it is finished.",
            ),
            Self::AssignedToAnotherReviewer => {
                Msg::new("این درخواست با کارشناس دیگری است.", "Another reviewer handles this request.")
            }
            Self::OfficerNotQualified => Msg::new(
                "تنها مسئول فنی احراز صلاحیت‌شده را می‌توان معرفی کرد.",
                "Only a qualified technical officer can be named.",
            ),
            Self::OfficerNotActive => Msg::new(
                "صلاحیت این مسئول فنی تعلیق یا لغو شده است.",
                "This technical officer's qualification is suspended or revoked.",
            ),
            Self::OfficerAlreadyBound => Msg::new(
                "این مسئول فنی با شعبهٔ دیگری همکاری دارد یا درخواست همکاری باز دارد.",
                "This officer already works for a branch or has an open cooperation request.",
            ),
            Self::BranchTaken => Msg::new(
                "این شعبه مسئول فنی یا درخواست همکاری باز دارد.",
                "This branch has an officer or an open request.",
            ),
            Self::RequestStep { from, action } => {
                let (fa, en) = action.names();
                Msg::new(
                    format!("«{fa}» برای درخواستی با وضعیت «{}» ممکن نیست.", from.fa()),
                    format!("Cannot {en} a request that is {}.", from.as_str().replace('_', " ")),
                )
            }
            Self::RequestChanged => {
                Msg::new("این درخواست هم‌زمان تغییر کرد؛ دوباره ببینید.", "The request changed meanwhile; look again.")
            }
            Self::StandingStep { from } => Msg::new(
                format!("این کار برای صلاحیتی با وضعیت «{}» ممکن نیست.", from.fa()),
                format!("Not possible for a qualification that is {}.", from.as_str()),
            ),
            Self::StandingChanged => Msg::new(
                "وضعیت این صلاحیت هم‌اکنون تغییر کرد؛ دوباره ببینید.",
                "This qualification's standing just changed; look again.",
            ),
            Self::CooperationStep { from } => Msg::new(
                "این درخواست همکاری در وضعیتی نیست که این کار را بپذیرد.",
                format!(
                    "This cooperation request is {}; this step does not apply to it.",
                    from.as_str().replace('_', " ")
                ),
            ),
            Self::CooperationChanged => Msg::new(
                "این درخواست همکاری هم‌زمان تغییر کرد؛ دوباره ببینید.",
                "The cooperation changed meanwhile; look again.",
            ),
        }
    }

    fn answer(&self) -> Answer {
        match self {
            Self::AssignedToAnotherReviewer => Answer::Denied,
            _ => Answer::Conflict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OfficersError::*;
    use super::*;

    #[test]
    fn every_refusal_has_its_code_answer_and_both_messages() {
        anjoman_core::error::assert_refusals(&[
            AlreadyRegistered,
            AlreadyQualified,
            NotQualified,
            QualificationSuspended,
            RequestInProgress,
            AssignedToAnotherReviewer,
            OfficerNotQualified,
            OfficerNotActive,
            OfficerAlreadyBound,
            BranchTaken,
            RequestStep { from: RequestStatus::Completed, action: Action::Approve },
            RequestChanged,
            StandingStep { from: Standing::Revoked },
            StandingChanged,
            CooperationStep { from: CoopStatus::Declined },
            CooperationChanged,
        ]);
        let step = RequestStep { from: RequestStatus::AwaitingPayment, action: Action::Reject }.msg();
        assert_eq!(step.en, "Cannot reject a request that is awaiting payment.");
    }
}
