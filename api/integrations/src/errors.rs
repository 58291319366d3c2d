//! The integrations domain's refusals: each one's code, answer and both messages, in one place.

use anjoman_core::error::{ApiError, Msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrationsError {
    /// 403: the API key lacks the scope the operation needs.
    MissingScope,
    /// 409: a revoked key cannot be rotated.
    KeyRevoked,
}

impl IntegrationsError {
    pub fn code(self) -> &'static str {
        match self {
            Self::MissingScope => "missing_scope",
            Self::KeyRevoked => "key_revoked",
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            Self::MissingScope => {
                Msg::new("این کلید اجازهٔ این کار را ندارد.", "This key does not have the scope for this operation.")
            }
            Self::KeyRevoked => Msg::new("کلید باطل‌شده را نمی‌توان تازه کرد.", "A revoked key cannot be rotated."),
        }
    }
}

impl From<IntegrationsError> for ApiError {
    fn from(e: IntegrationsError) -> Self {
        let (code, msg) = (e.code(), e.msg());
        match e {
            IntegrationsError::MissingScope => ApiError::Denied { code, msg },
            IntegrationsError::KeyRevoked => ApiError::Conflict { code, msg },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_keeps_its_code_and_answer() {
        assert!(matches!(
            ApiError::from(IntegrationsError::MissingScope),
            ApiError::Denied { code: "missing_scope", .. }
        ));
        assert!(matches!(
            ApiError::from(IntegrationsError::KeyRevoked),
            ApiError::Conflict { code: "key_revoked", .. }
        ));
        for e in [IntegrationsError::MissingScope, IntegrationsError::KeyRevoked] {
            assert!(!e.msg().fa.is_empty() && !e.msg().en.is_empty());
        }
    }
}
