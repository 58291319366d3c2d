//! The elections domain's refusals: each one's code, answer and both messages, in one place.
//! Handlers return `Err(ElectionsError::X.into())`; the client sees the common error envelope.

use anjoman_core::error::{Answer, Msg, Refusal};

use crate::rules::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElectionsError {
    /// A step the election's state does not allow; the message names the state.
    WrongState { current: Status },
    /// The election changed between reading and writing it.
    ElectionChanged,
    /// Publishing before the trustees made the election key.
    KeyCeremonyIncomplete,
    /// The results are asked for before they are published.
    ResultsNotAvailable,
    /// A candidate's election code is taken in that election.
    ElectionCodeTaken,
    /// The person is already a candidate in the contest.
    AlreadyCandidate,
    /// The trustees are changed after the key ceremony started.
    CeremonyStarted,
    /// A ceremony step by someone who is not a trustee of the election (403).
    NotATrustee,
    /// Dealing before every trustee published a transport key.
    AwaitingTransportKeys,
    /// Confirming a share before every trustee published a dealing.
    AwaitingDealings,
    /// The trustee's transport key is already published.
    TransportKeyPublished,
    /// The trustee's dealing is already published.
    DealingPublished,
    /// The trustee's share is already confirmed.
    ShareConfirmed,
    /// The trustee's partial decryption is already in.
    PartialDecryptionIn,
    /// Counting with fewer partial decryptions than the threshold.
    AwaitingTrustees { needed: usize, have: usize },
    /// The voter is not on the election's roll (403).
    NotOnRoll,
    /// Voting is not open now.
    VotingClosed,
    /// The voter has already cast a ballot.
    AlreadyVoted,
    /// Too many wrong confirmation codes.
    CodeExhausted,
    /// The same encrypted ballot again.
    DuplicateBallot,
    /// Casting by SMS before the voter's SMS arrived.
    SmsNotArrived,
}

impl Refusal for ElectionsError {
    fn code(&self) -> &'static str {
        match self {
            Self::WrongState { .. } | Self::ElectionChanged => "wrong_election_state",
            Self::KeyCeremonyIncomplete => "key_ceremony_incomplete",
            Self::ResultsNotAvailable => "results_not_available",
            Self::ElectionCodeTaken => "election_code_taken",
            Self::AlreadyCandidate => "already_candidate",
            Self::CeremonyStarted => "ceremony_started",
            Self::NotATrustee => "not_a_trustee",
            Self::AwaitingTransportKeys | Self::AwaitingDealings => "ceremony_waiting",
            Self::TransportKeyPublished | Self::DealingPublished | Self::ShareConfirmed | Self::PartialDecryptionIn => {
                "already_done"
            }
            Self::AwaitingTrustees { .. } => "awaiting_trustees",
            Self::NotOnRoll => "not_on_roll",
            Self::VotingClosed => "voting_closed",
            Self::AlreadyVoted => "already_voted",
            Self::CodeExhausted => "code_exhausted",
            Self::DuplicateBallot => "duplicate_ballot",
            Self::SmsNotArrived => "sms_not_arrived",
        }
    }

    fn msg(&self) -> Msg {
        match *self {
            Self::WrongState { current } => Msg::new(
                format!("این کار در وضعیت کنونی انتخابات ({}) ممکن نیست.", current.as_str()),
                format!("Not possible while the election is {}.", current.as_str()),
            ),
            Self::ElectionChanged => {
                Msg::new("انتخابات هم‌زمان تغییر کرد؛ دوباره ببینید.", "The election changed meanwhile; look again.")
            }
            Self::KeyCeremonyIncomplete => Msg::new(
                "امینان هنوز کلید انتخابات را نساخته‌اند؛ پیش از اعلام، مراسم کلید را کامل کنید.",
                "The trustees have not made the election key yet; finish the key ceremony before publishing.",
            ),
            Self::ResultsNotAvailable => Msg::new("نتایج هنوز اعلام نشده است.", "The results are not published yet."),
            Self::ElectionCodeTaken => Msg::new("این کد انتخاباتی پیش‌تر داده شده است.", "This election code is taken."),
            Self::AlreadyCandidate => Msg::new("این شخص نامزد این رقابت است.", "Already a candidate in this contest."),
            Self::CeremonyStarted => Msg::new(
                "مراسم کلید آغاز شده است؛ برای تغییر امینان آن را از نو آغاز کنید.",
                "The key ceremony has started; restart it to change the trustees.",
            ),
            Self::NotATrustee => Msg::new("شما امین این انتخابات نیستید.", "You are not a trustee of this election."),
            Self::AwaitingTransportKeys => Msg::new(
                "هنوز همهٔ امینان کلید انتقال خود را منتشر نکرده‌اند.",
                "Not every trustee has published a transport key yet.",
            ),
            Self::AwaitingDealings => Msg::new(
                "هنوز همهٔ امینان سهم‌های خود را منتشر نکرده‌اند.",
                "Not every trustee has published a dealing yet.",
            ),
            Self::TransportKeyPublished => {
                Msg::new("کلید انتقال شما پیش‌تر منتشر شده است.", "Your transport key is already published.")
            }
            Self::DealingPublished => Msg::new("سهم‌های شما پیش‌تر منتشر شده است.", "Your dealing is already published."),
            Self::ShareConfirmed => Msg::new("سهم شما پیش‌تر تأیید شده است.", "Your share is already confirmed."),
            Self::PartialDecryptionIn => {
                Msg::new("سهم رمزگشایی شما پیش‌تر ثبت شده است.", "Your partial decryption is already in.")
            }
            Self::AwaitingTrustees { needed, have } => Msg::new(
                format!("برای شمارش، {needed} امین باید رمزگشایی کنند؛ تاکنون {have} امین."),
                format!("{needed} trustees must decrypt before the count; {have} have so far."),
            ),
            Self::NotOnRoll => Msg::new("شما عضو این انجمن نیستید.", "You are not a member of this association."),
            Self::VotingClosed => {
                Msg::new("رأی‌گیری این انتخابات اکنون باز نیست.", "Voting in this election is not open now.")
            }
            Self::AlreadyVoted => Msg::new(
                "رأی شما پیش‌تر ثبت شده است؛ رأی دوم ممکن نیست.",
                "Your ballot is already cast; there is no second ballot.",
            ),
            Self::CodeExhausted => {
                Msg::new("تلاش‌های نادرست زیاد بود؛ کد تازه بخواهید.", "Too many wrong tries; ask for a new code.")
            }
            Self::DuplicateBallot => Msg::new(
                "این برگهٔ رمزشده پیش‌تر در صندوق انداخته شده است.",
                "This encrypted ballot is already in the ballot box.",
            ),
            Self::SmsNotArrived => Msg::new(
                "پیامک شما هنوز نرسیده است؛ کد را از تلفن همراه ثبت‌شده بفرستید.",
                "Your SMS has not arrived yet; text the code from your registered mobile.",
            ),
        }
    }

    fn answer(&self) -> Answer {
        match self {
            Self::NotATrustee | Self::NotOnRoll => Answer::Denied,
            _ => Answer::Conflict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ElectionsError::*;
    use super::*;

    #[test]
    fn every_refusal_has_its_code_answer_and_both_messages() {
        anjoman_core::error::assert_refusals(&[
            WrongState { current: Status::Tallied },
            ElectionChanged,
            KeyCeremonyIncomplete,
            ResultsNotAvailable,
            ElectionCodeTaken,
            AlreadyCandidate,
            CeremonyStarted,
            NotATrustee,
            AwaitingTransportKeys,
            AwaitingDealings,
            TransportKeyPublished,
            DealingPublished,
            ShareConfirmed,
            PartialDecryptionIn,
            AwaitingTrustees { needed: 3, have: 1 },
            NotOnRoll,
            VotingClosed,
            AlreadyVoted,
            CodeExhausted,
            DuplicateBallot,
            SmsNotArrived,
        ]);
        assert_eq!(
            AwaitingTrustees { needed: 3, have: 1 }.msg().en,
            "3 trustees must decrypt before the count; 1 have so far."
        );
    }
}
