//! API keys for third-party systems (PL-06): what they may read (scopes), whose records
//! (owner), how they are made, checked, rate-limited and audited.
//!
//! A key reads `anj_<id>_<secret>`. The id names the row; the secret is 24 random bytes
//! (URL-safe base64) kept only as its SHA-256 — being random and long it needs no slow hash —
//! and compared in constant time. The caller sends it in the `X-Api-Key` header.

use std::future::Future;
use std::pin::Pin;

use crate::errors::IntegrationsError;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use anjoman_core::audit::{self, Event};
use anjoman_core::db::schema::api_keys as k;
use anjoman_core::db::{DbConn, now, write_tx};
use anjoman_core::http::{AppState, client_ip};
use anjoman_core::platform::webhooks::{Owner, OwnerKind};
use anjoman_core::{ApiError, Msg};
use base64::Engine;
use chrono::NaiveDateTime;
use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Timestamp};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The header a key travels in.
pub const HEADER: &str = "X-Api-Key";
/// The name of the key's security scheme in the OpenAPI document.
pub const SCHEME: &str = "api_key";

/// What a key may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Scope {
    /// Whether a national code is an approved member of an association.
    #[serde(rename = "members:verify")]
    MembersVerify,
    /// Published election results.
    #[serde(rename = "results:read")]
    ResultsRead,
    /// Whether a person is a qualified technical officer, and where.
    #[serde(rename = "officers:verify")]
    OfficersVerify,
    /// Whether an engineer's membership (of the key's province) is valid on a date.
    #[serde(rename = "engineers:verify")]
    EngineersVerify,
}

impl Scope {
    pub const ALL: [Scope; 4] =
        [Scope::MembersVerify, Scope::ResultsRead, Scope::OfficersVerify, Scope::EngineersVerify];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::MembersVerify => "members:verify",
            Scope::ResultsRead => "results:read",
            Scope::OfficersVerify => "officers:verify",
            Scope::EngineersVerify => "engineers:verify",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whose keys may carry this scope.
    pub fn owner_kind(self) -> OwnerKind {
        match self {
            Scope::MembersVerify | Scope::ResultsRead => OwnerKind::Commission,
            Scope::OfficersVerify => OwnerKind::Directorate,
            Scope::EngineersVerify => OwnerKind::Engineering,
        }
    }
}

/// A stored key.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = k)]
pub struct ApiKey {
    pub id: String,
    pub owner_kind: String,
    pub province_id: Option<String>,
    pub name: String,
    pub scopes: String,
    pub secret_hash: String,
    pub prefix: String,
    pub rate_per_minute: i32,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub rotated_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

impl ApiKey {
    pub fn scopes(&self) -> Vec<Scope> {
        self.scopes.split(',').filter_map(Scope::parse).collect()
    }

    pub fn owner(&self) -> Owner {
        Owner {
            kind: OwnerKind::parse(&self.owner_kind).unwrap_or(OwnerKind::Commission),
            province_id: self.province_id.clone(),
        }
    }
}

/// A fresh key id (16 hex digits) and secret.
pub fn generate() -> (String, String) {
    let mut id = [0u8; 8];
    let mut secret = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut id);
    rand::rngs::OsRng.fill_bytes(&mut secret);
    (hex::encode(id), base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret))
}

/// What the caller is given once: the whole key.
pub fn full_key(id: &str, secret: &str) -> String {
    format!("anj_{id}_{secret}")
}

/// The part of a key shown in lists.
pub fn prefix(id: &str) -> String {
    format!("anj_{id}")
}

pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Splits a presented key into id and secret.
fn split(presented: &str) -> Option<(&str, &str)> {
    let rest = presented.trim().strip_prefix("anj_")?;
    let (id, secret) = rest.split_once('_')?;
    (id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()) && !secret.is_empty()).then_some((id, secret))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refused(fa: &'static str, en: &'static str) -> ApiError {
    ApiError::Unauthorized(Msg::new(fa, en))
}

/// A third-party system calling with a valid key. Extracting it checks the key (401 when
/// missing, unknown, revoked or expired), counts the use against the key's rate (429), records
/// the use in the audit log and its time on the key. Handlers then ask for their scope (403).
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub key_id: String,
    pub owner: Owner,
    pub scopes: Vec<Scope>,
}

impl ApiClient {
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(&scope) { Ok(()) } else { Err(IntegrationsError::MissingScope.into()) }
    }
}

impl FromRequest for ApiClient {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<actix_web::web::Data<AppState>>().ok_or(ApiError::Internal)?.clone();
            let presented = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let presented = presented.ok_or_else(|| {
                refused("کلید API در سرآیند X-Api-Key لازم است.", "An API key is required in the X-Api-Key header.")
            })?;
            let ip = client_ip(&req, state.config.trust_forwarded_for);
            let operation = format!("{} {}", req.method(), req.uri());
            state.db(move |conn| authenticate(conn, &presented, &ip, &operation)).await
        })
    }
}

/// Checks a presented key, counts and audits its use.
fn authenticate(conn: &mut DbConn, presented: &str, ip: &str, operation: &str) -> Result<ApiClient, ApiError> {
    let invalid = || refused("کلید API نامعتبر است.", "The API key is not valid.");
    let (id, secret) = split(presented).ok_or_else(invalid)?;
    write_tx(conn, |conn| {
        let key: ApiKey = k::table.find(id).select(ApiKey::as_select()).first(conn).optional()?.ok_or_else(invalid)?;
        if !constant_time_eq(key.secret_hash.as_bytes(), secret_hash(secret).as_bytes()) {
            return Err(invalid());
        }
        let at = now();
        if key.revoked_at.is_some() {
            return Err(refused("این کلید API باطل شده است.", "This API key has been revoked."));
        }
        if key.expires_at <= at {
            return Err(refused("این کلید API منقضی شده است.", "This API key has expired."));
        }
        // One-minute window kept on the row: the UPDATE reads and writes it in one statement,
        // and the row lock (or SQLite's write lock) orders concurrent uses.
        let window_over = at - chrono::Duration::minutes(1);
        let fresh = || k::window_started_at.le(window_over);
        diesel::update(k::table.find(id))
            .set((
                k::window_uses.eq(case_when(fresh(), 1.into_sql::<Integer>()).otherwise(k::window_uses + 1)),
                k::window_started_at.eq(case_when(fresh(), at.into_sql::<Timestamp>()).otherwise(k::window_started_at)),
                k::last_used_at.eq(Some(at)),
            ))
            .execute(conn)?;
        let (uses, started): (i32, NaiveDateTime) =
            k::table.find(id).select((k::window_uses, k::window_started_at)).first(conn)?;
        if uses > key.rate_per_minute {
            let left = (started + chrono::Duration::minutes(1) - at).num_seconds().max(1) as u64;
            return Err(ApiError::RateLimited { retry_after_secs: left });
        }
        audit::record(
            conn,
            Event::new("api_key.used", "api_key", Some(id))
                .from_ip(ip)
                .states(None, Some(serde_json::json!({"operation": operation}))),
        )?;
        Ok(ApiClient { key_id: key.id.clone(), owner: key.owner(), scopes: key.scopes() })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_splits_into_its_id_and_secret_and_nothing_else_does() {
        let (id, secret) = generate();
        let key = full_key(&id, &secret);
        assert_eq!(split(&key), Some((id.as_str(), secret.as_str())));
        assert_eq!(secret.len(), 32);
        for bad in
            ["", "anj_", "anj_xyz_abc", "key_0123456789abcdef_s", "anj_0123456789abcdef_", "anj_0123456789abcdeg_s"]
        {
            assert_eq!(split(bad), None, "{bad}");
        }
        assert_ne!(generate(), generate());
    }

    #[test]
    fn each_scope_belongs_to_one_owner_and_reads_back() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(Scope::EngineersVerify.owner_kind(), OwnerKind::Engineering);
    }
}
