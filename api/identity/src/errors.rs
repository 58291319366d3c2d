//! The identity domain's refusals: each one's code, answer and both messages, in one place.
//! Handlers return `Err(IdentityError::X.into())`; the client sees the common error envelope.
//! Two refusals carry a reason given by another domain through the hooks (an open election
//! locks the profile; a domain may forbid SMS recovery), so their message is that reason.

use anjoman_core::error::{Answer, Msg, Refusal};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityError {
    /// Registration with a national code that already has an account.
    AlreadyRegistered,
    /// Registration with a national code an association recorded with contacts: claim it by
    /// recovery instead.
    RecordClaimByRecovery,
    /// Registration with a national code recorded without any contact.
    RecordWithoutContact,
    /// Sign-in to an account the administrators disabled (403).
    AccountDisabled,
    /// Single sign-on is used while it is not configured.
    SsoDisabled,
    /// A role granted twice in one scope.
    AlreadyGranted,
    /// Revoking the last holder of a role that must always have one.
    LastHolder,
    /// Disabling the last commission admin who can sign in.
    LastCommissionAdmin,
    /// An account action on a person without an account.
    NoAccount,
    /// An administrator disables their own account.
    CannotDisableSelf,
    /// A recovery code entered wrongly too many times (400).
    CodeAttemptsExhausted,
    /// SMS recovery asked for by an association administrator.
    SmsRecoveryNotForAdmins,
    /// SMS recovery refused by another domain, for its reason.
    SmsRecoveryUnavailable(Msg),
    /// The personal page is locked, for another domain's reason (an open election).
    ProfileLocked(Msg),
    /// The password cannot change while an election of the person's associations is open
    /// (guide 001: change it before voting opens).
    PasswordLocked,
    /// An inbound SMS whose body has the wrong shape (400).
    InvalidSmsBody(String),
    /// The same inbound SMS delivered twice.
    DuplicateSms,
}

impl Refusal for IdentityError {
    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyRegistered => "already_registered",
            Self::RecordClaimByRecovery => "record_claim_by_recovery",
            Self::RecordWithoutContact => "record_without_contact",
            Self::AccountDisabled => "account_disabled",
            Self::SsoDisabled => "sso_disabled",
            Self::AlreadyGranted => "already_granted",
            Self::LastHolder | Self::LastCommissionAdmin => "last_holder",
            Self::NoAccount => "no_account",
            Self::CannotDisableSelf => "cannot_disable_self",
            Self::CodeAttemptsExhausted => "code_attempts_exhausted",
            Self::SmsRecoveryNotForAdmins => "sms_recovery_not_for_admins",
            Self::SmsRecoveryUnavailable(_) => "sms_recovery_unavailable",
            Self::ProfileLocked(_) => "profile_locked",
            Self::PasswordLocked => "password_locked",
            Self::InvalidSmsBody(_) => "invalid_body",
            Self::DuplicateSms => "duplicate",
        }
    }

    fn msg(&self) -> Msg {
        match self {
            Self::AlreadyRegistered => Msg::new(
                "این کد ملی پیش‌تر ثبت‌نام شده است؛ وارد شوید یا از «فراموشی رمز عبور» استفاده کنید.",
                "This national code is already registered; sign in or use \"forgot password\".",
            ),
            Self::RecordClaimByRecovery => Msg::new(
                "این کد ملی را یک انجمن یا سازمان پیش‌تر ثبت کرده است. برای دریافت حساب، «فراموشی رمز عبور» را بزنید: کدی به تلفن همراه یا رایانامه‌ای که ثبت کرده‌اند فرستاده می‌شود.",
                "An association or organisation has already recorded this national code. To get your account, use \"forgot password\": a code is sent to the mobile or e-mail they recorded.",
            ),
            Self::RecordWithoutContact => Msg::new(
                "این کد ملی را یک انجمن یا سازمان بدون تلفن همراه و رایانامه ثبت کرده است؛ از آن بخواهید تلفن همراه یا رایانامهٔ شما را ثبت کند، سپس «فراموشی رمز عبور» را بزنید.",
                "An association or organisation has recorded this national code without a mobile or e-mail; ask them to record yours, then use \"forgot password\".",
            ),
            Self::AccountDisabled => Msg::new(
                "این حساب کاربری را مدیران سامانه غیرفعال کرده‌اند؛ برای پیگیری با دبیرخانه تماس بگیرید.",
                "This account has been disabled by the administrators; contact the secretariat.",
            ),
            Self::SsoDisabled => Msg::new("ورود یکپارچه پیکربندی نشده است.", "Single sign-on is not configured."),
            Self::AlreadyGranted => {
                Msg::new("این شخص این نقش را در همین حوزه دارد.", "This person already holds this role in this scope.")
            }
            Self::LastHolder => Msg::new(
                "این آخرین دارندهٔ این نقش است؛ نخست نقش را به جانشین بدهید.",
                "This is the last holder of this role; grant it to a successor first.",
            ),
            Self::LastCommissionAdmin => {
                Msg::new("این آخرین مدیر کمیسیون فعال است.", "This is the last commission admin who can sign in.")
            }
            Self::NoAccount => Msg::new("این شخص هنوز حساب کاربری ندارد.", "This person has no account yet."),
            Self::CannotDisableSelf => {
                Msg::new("نمی‌توانید حساب خودتان را غیرفعال کنید.", "You cannot disable your own account.")
            }
            Self::CodeAttemptsExhausted => Msg::new(
                "کد چند بار نادرست وارد شد؛ کد تازه‌ای بخواهید.",
                "The code was entered wrongly too many times; ask for a new one.",
            ),
            Self::SmsRecoveryNotForAdmins => Msg::new(
                "بازیابی با پیامک برای مدیران انجمن در دسترس نیست؛ از ارسال کد به تلفن همراه و رایانامه استفاده کنید.",
                "SMS recovery is not available to association administrators; use the code sent to your mobile and e-mail.",
            ),
            Self::SmsRecoveryUnavailable(reason) | Self::ProfileLocked(reason) => reason.clone(),
            Self::PasswordLocked => Msg::new(
                "در زمان برگزاری انتخابات انجمن شما رمز عبور تغییر نمی‌کند؛ رمز را پیش از آغاز رأی‌گیری تغییر دهید. رأی دادن با رمز کنونی ممکن است.",
                "Your password cannot change while an election of your association is open; change it before voting opens. You can vote with your current password.",
            ),
            Self::InvalidSmsBody(why) => {
                Msg::new(format!("ساختار پیام نادرست است: {why}"), format!("The message has the wrong shape: {why}"))
            }
            Self::DuplicateSms => Msg::new("این پیام پیش‌تر دریافت شده است.", "This message was already received."),
        }
    }

    fn answer(&self) -> Answer {
        match self {
            Self::AccountDisabled => Answer::Denied,
            Self::CodeAttemptsExhausted | Self::InvalidSmsBody(_) => Answer::BadRequest,
            _ => Answer::Conflict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IdentityError::*;
    use super::*;

    #[test]
    fn every_refusal_has_its_code_answer_and_both_messages() {
        let reason = || Msg::new("انتخابات انجمن باز است.", "An election of your association is open.");
        anjoman_core::error::assert_refusals(&[
            AlreadyRegistered,
            RecordClaimByRecovery,
            RecordWithoutContact,
            AccountDisabled,
            SsoDisabled,
            AlreadyGranted,
            LastHolder,
            LastCommissionAdmin,
            NoAccount,
            CannotDisableSelf,
            CodeAttemptsExhausted,
            SmsRecoveryNotForAdmins,
            SmsRecoveryUnavailable(reason()),
            ProfileLocked(Msg::new("رأی‌گیری باز است.", "Voting is open.")),
            PasswordLocked,
            InvalidSmsBody("missing field `text`".into()),
            DuplicateSms,
        ]);
        assert_eq!(ProfileLocked(reason()).msg(), reason(), "a hook's reason is the message");
    }
}
