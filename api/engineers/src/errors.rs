//! The engineers domain's refusals: each one's code and both messages, in one place. Handlers
//! return `Err(EngineersError::X.into())`; the client sees the common error envelope (409).

use anjoman_core::error::{Msg, Refusal};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineersError {
    /// The expert decides a renewal that is no longer waiting for them.
    RenewalNotUnderReview,
    /// The engineer pays a renewal that has no fee due.
    RenewalNotAwaitingPayment,
    /// The province's renewal window has not opened yet.
    RenewalNotOpen { opens: NaiveDate },
    /// A renewal request is already in progress.
    RenewalInProgress,
    /// EN-07: membership and birth provinces differ and no proof of residence is on file.
    ResidenceProofRequired,
    /// The correspondence address cannot be removed while other addresses remain.
    CorrespondenceAddress,
    /// A degree the organisation verified is read-only for the engineer.
    DegreeVerified,
    /// Letters go to the legal domicile (guide 004): another kind of address cannot receive them.
    CorrespondenceNotDomicile,
    /// The expert assesses a renewal while the province of birth the engineer entered awaits
    /// their confirmation (EN-07).
    BirthProvinceUnconfirmed,
    /// An expert confirms a province of birth that the national code already gives.
    BirthProvinceFromNationalCode,
}

impl Refusal for EngineersError {
    fn code(&self) -> &'static str {
        match self {
            Self::RenewalNotUnderReview => "renewal_not_under_review",
            Self::RenewalNotAwaitingPayment => "renewal_not_awaiting_payment",
            Self::RenewalNotOpen { .. } => "renewal_not_open",
            Self::RenewalInProgress => "renewal_in_progress",
            Self::ResidenceProofRequired => "residence_proof_required",
            Self::CorrespondenceAddress => "correspondence_address",
            Self::DegreeVerified => "degree_verified",
            Self::CorrespondenceNotDomicile => "correspondence_not_domicile",
            Self::BirthProvinceUnconfirmed => "birth_province_unconfirmed",
            Self::BirthProvinceFromNationalCode => "birth_province_from_national_code",
        }
    }

    fn msg(&self) -> Msg {
        match self {
            Self::RenewalNotUnderReview => {
                Msg::new("این درخواست دیگر در دست بررسی نیست.", "This request is no longer under review.")
            }
            Self::RenewalNotAwaitingPayment => {
                Msg::new("این درخواست در انتظار پرداخت نیست.", "This request is not awaiting payment.")
            }
            Self::RenewalNotOpen { opens } => Msg::new(
                format!(
                    "تمدید عضویت از {} (چند روز پیش از پایان اعتبار) ممکن می‌شود.",
                    anjoman_core::dates::jalali_fa(*opens)
                ),
                format!("Renewal opens on {opens} (a set number of days before your membership expires)."),
            ),
            Self::RenewalInProgress => Msg::new(
                "درخواست تمدید شما در جریان است؛ تا پایان آن درخواست دیگری ممکن نیست.",
                "Your renewal request is already in progress; another must wait until it is finished.",
            ),
            Self::ResidenceProofRequired => Msg::new(
                "استان عضویت شما با استان محل تولدتان فرق دارد: نخست مدرکی دال بر دست‌کم ۶ ماه سکونت (حکم کارگزینی، لیست بیمه، سند مالکیت، اجاره‌نامهٔ رسمی یا گواهی محل تحصیل فرزند) در آرشیو مدارک بارگذاری کنید.",
                "Your membership province differs from your province of birth: first add proof of at least six months' residence (employment order, insurance record, property deed, official lease or a child's school certificate) to your document archive.",
            ),
            Self::CorrespondenceAddress => Msg::new(
                "این نشانی مکاتبات است؛ نخست نشانی دیگری را نشانی مکاتبات کنید.",
                "This is the correspondence address; make another address the correspondence address first.",
            ),
            Self::DegreeVerified => Msg::new(
                "این مدرک را سازمان تأیید کرده و فقط خواندنی است؛ برای اصلاح به کارشناسان سازمان استان مراجعه کنید.",
                "The organisation has verified this degree, so it is read-only; ask the province's experts to correct it.",
            ),
            Self::CorrespondenceNotDomicile => Msg::new(
                "همهٔ مکاتبات سازمان به نشانی اقامتگاه قانونی فرستاده می‌شود؛ تنها چنین نشانی‌ای نشانی مکاتبات است.",
                "All of the organisation's letters go to the legal domicile; only such an address can be the correspondence address.",
            ),
            Self::BirthProvinceUnconfirmed => Msg::new(
                "استان محل تولدی که مهندس وارد کرده هنوز تأیید نشده است؛ نخست آن را در پروندهٔ او تأیید یا اصلاح کنید.",
                "The province of birth the engineer entered is not confirmed yet; confirm or correct it in their record first.",
            ),
            Self::BirthProvinceFromNationalCode => Msg::new(
                "استان محل تولد از کد ملی به دست می‌آید و تأیید نمی‌خواهد.",
                "The province of birth comes from the national code and needs no confirmation.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EngineersError::*;
    use super::*;

    #[test]
    fn every_refusal_has_its_own_code_and_both_messages() {
        let opens = NaiveDate::from_ymd_opt(2026, 3, 21).unwrap();
        anjoman_core::error::assert_refusals(&[
            RenewalNotUnderReview,
            RenewalNotAwaitingPayment,
            RenewalNotOpen { opens },
            RenewalInProgress,
            ResidenceProofRequired,
            CorrespondenceAddress,
            DegreeVerified,
            CorrespondenceNotDomicile,
            BirthProvinceUnconfirmed,
            BirthProvinceFromNationalCode,
        ]);
        assert!(RenewalNotOpen { opens }.msg().fa.contains("۱۴۰۵/۰۱/۰۱"));
    }
}
