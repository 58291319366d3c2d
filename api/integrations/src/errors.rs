//! The integrations domain's refusals: each one's code, answer and both messages, in one place.

use anjoman_core::error::{Answer, Msg, Refusal};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrationsError {
    /// 403: the API key lacks the scope the operation needs.
    MissingScope,
    /// 409: a revoked key cannot be rotated.
    KeyRevoked,
}

impl Refusal for IntegrationsError {
    fn code(&self) -> &'static str {
        match self {
            Self::MissingScope => "missing_scope",
            Self::KeyRevoked => "key_revoked",
        }
    }

    fn msg(&self) -> Msg {
        match self {
            Self::MissingScope => {
                Msg::new("این کلید اجازهٔ این کار را ندارد.", "This key does not have the scope for this operation.")
            }
            Self::KeyRevoked => Msg::new("کلید باطل‌شده را نمی‌توان تازه کرد.", "A revoked key cannot be rotated."),
        }
    }

    fn answer(&self) -> Answer {
        match self {
            Self::MissingScope => Answer::Denied,
            Self::KeyRevoked => Answer::Conflict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anjoman_core::error::ApiError;

    #[test]
    fn each_refusal_keeps_its_code_and_answer() {
        anjoman_core::error::assert_refusals(&[IntegrationsError::MissingScope, IntegrationsError::KeyRevoked]);
        assert!(matches!(
            ApiError::from(IntegrationsError::MissingScope),
            ApiError::Denied { code: "missing_scope", .. }
        ));
        assert!(matches!(
            ApiError::from(IntegrationsError::KeyRevoked),
            ApiError::Conflict { code: "key_revoked", .. }
        ));
    }
}
