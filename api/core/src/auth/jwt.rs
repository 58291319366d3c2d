//! Short-lived access tokens: HS256 JWTs with `iss`, `aud`, `exp`, `nbf` checked.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The person's id.
    pub sub: String,
    /// The session (refresh-token family) the token belongs to; logout revokes it.
    pub sid: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

/// Signing and verification keys with the expected issuer and audience.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
    ttl: Duration,
}

impl JwtKeys {
    pub fn new(secret: &[u8], issuer: &str, audience: &str, ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            ttl,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues an access token for a person's session.
    pub fn issue(&self, person_id: &str, session_id: &str) -> Result<String, jsonwebtoken::errors::Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: person_id.to_owned(),
            sid: session_id.to_owned(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            nbf: now,
            exp: now + self.ttl.as_secs() as i64,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Verifies signature, algorithm (HS256 only), issuer, audience, expiry and not-before.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        decode::<Claims>(token, &self.decoding, &validation).ok().map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(b"0123456789abcdef0123456789abcdef", "anjoman", "anjoman-api", Duration::from_secs(900))
    }

    #[test]
    fn round_trips() {
        let token = keys().issue("p1", "s1").unwrap();
        let claims = keys().verify(&token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.sid.as_str()), ("p1", "s1"));
    }

    #[test]
    fn rejects_other_key_and_audience() {
        let token = keys().issue("p1", "s1").unwrap();
        let other =
            JwtKeys::new(b"another-secret-another-secret-xx", "anjoman", "anjoman-api", Duration::from_secs(900));
        assert!(other.verify(&token).is_none());
        let aud = JwtKeys::new(b"0123456789abcdef0123456789abcdef", "anjoman", "elsewhere", Duration::from_secs(900));
        assert!(aud.verify(&token).is_none());
    }
}
