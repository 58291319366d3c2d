//! The associations domain's refusals: each one's code and both messages, in one place.
//! Handlers return `Err(AssociationsError::X.into())`; the client sees the common error
//! envelope (409).

use anjoman_core::error::{Msg, Refusal};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssociationsError {
    /// The person asks to join an association they are a member of.
    AlreadyMember,
    /// The person asks again while their request waits.
    AlreadyRequested,
    /// A new association takes a code already used.
    CodeTaken,
    /// A board position already has a holder for that period.
    PositionTaken,
    /// A board term is closed twice.
    AlreadyClosed,
    /// A decision on a membership already approved.
    AlreadyApproved,
    /// A decision on a request already rejected.
    AlreadyRejected,
    /// An ending or decision on a membership that is not current.
    NotAMember,
    /// An admin adds a person already on the list: approved (`already_member`) or waiting
    /// (`already_requested`).
    AlreadyListed { approved: bool },
    /// Publishing a news item twice.
    AlreadyPublished,
    /// Withdrawing a news item that is not published.
    NotPublished,
}

impl Refusal for AssociationsError {
    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyMember => "already_member",
            Self::AlreadyRequested => "already_requested",
            Self::CodeTaken => "code_taken",
            Self::PositionTaken => "position_taken",
            Self::AlreadyClosed => "already_closed",
            Self::AlreadyApproved => "already_approved",
            Self::AlreadyRejected => "already_rejected",
            Self::NotAMember => "not_a_member",
            Self::AlreadyListed { approved: true } => "already_member",
            Self::AlreadyListed { approved: false } => "already_requested",
            Self::AlreadyPublished => "already_published",
            Self::NotPublished => "not_published",
        }
    }

    fn msg(&self) -> Msg {
        match self {
            Self::AlreadyMember => Msg::new("شما عضو این انجمن هستید.", "You are already a member."),
            Self::AlreadyRequested => Msg::new("درخواست شما در انتظار بررسی است.", "Your request is awaiting review."),
            Self::CodeTaken => {
                Msg::new("این کد انجمن پیش‌تر به کار رفته است.", "This association code is already used.")
            }
            Self::PositionTaken => Msg::new(
                "این سمت دارندهٔ کنونی دارد؛ نخست دورهٔ او را ببندید.",
                "This position has a current holder; close that term first.",
            ),
            Self::AlreadyClosed => Msg::new("این دوره پیش‌تر بسته شده است.", "This term is already closed."),
            Self::AlreadyApproved => Msg::new("این عضویت پیش‌تر تأیید شده است.", "This membership is already approved."),
            Self::AlreadyRejected => Msg::new(
                "این درخواست رد شده است؛ شخص می‌تواند دوباره درخواست دهد.",
                "This request was rejected; the person may request again.",
            ),
            Self::NotAMember => Msg::new(
                "این عضویت جاری نیست (در انتظار بررسی، رد شده یا پایان‌یافته است).",
                "This is not a current membership (it is pending, rejected or has ended).",
            ),
            Self::AlreadyListed { .. } => Msg::new(
                "این شخص پیش‌تر در این انجمن ثبت شده است.",
                "This person is already on this association's list.",
            ),
            Self::AlreadyPublished => Msg::new("این خبر پیش‌تر منتشر شده است.", "This item is already published."),
            Self::NotPublished => Msg::new("این خبر منتشر نشده است.", "This item is not published."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AssociationsError::*;

    #[test]
    fn every_refusal_has_its_own_code_and_both_messages() {
        anjoman_core::error::assert_refusals(&[
            AlreadyMember,
            AlreadyRequested,
            CodeTaken,
            PositionTaken,
            AlreadyClosed,
            AlreadyApproved,
            AlreadyRejected,
            NotAMember,
            AlreadyListed { approved: true },
            AlreadyListed { approved: false },
            AlreadyPublished,
            NotPublished,
        ]);
    }
}
