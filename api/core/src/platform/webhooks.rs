//! Webhooks (PL-06): third-party systems subscribe to events of one owner's records; each event
//! becomes an outbox message per matching subscription (channel `webhook`, recipient the
//! subscription), stored in the transaction of the change, so it is delivered — with the
//! outbox's retries and back-off — exactly when the change is committed.
//!
//! A delivery is a `POST` of the event's JSON with these headers:
//!
//! - `X-Anjoman-Event`: the event's type, e.g. `membership.approved`;
//! - `X-Anjoman-Delivery`: this delivery's id (a redelivery has a new one);
//! - `X-Anjoman-Timestamp`: seconds since 1970 when this attempt was made;
//! - `X-Anjoman-Signature`: `v1=` and the hex HMAC-SHA256, keyed with the subscription's
//!   secret, of `{timestamp}.{body}`.
//!
//! The body carries the event's own `id`, the same in every attempt and redelivery: a receiver
//! that checks the signature, refuses timestamps older than a few minutes and remembers the ids
//! it has handled is safe from replays and duplicates.

use chrono::Utc;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

use crate::db::schema::webhook_subscriptions as ws;
use crate::db::{DbConn, new_id};
use crate::platform::outbox::{self, Channel, NewMessage};

/// Whose records a key reads or a subscription hears of, and whose admins manage it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    /// The commission of associations: memberships and election results.
    Commission,
    /// The medical-equipment directorate: technical officers' qualifications.
    Directorate,
    /// One province's engineering organisation: its engineers.
    Engineering,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Commission => "commission",
            OwnerKind::Directorate => "directorate",
            OwnerKind::Engineering => "engineering",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [OwnerKind::Commission, OwnerKind::Directorate, OwnerKind::Engineering].into_iter().find(|k| k.as_str() == s)
    }
}

/// An owner: its kind and, for an engineering organisation, its province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub kind: OwnerKind,
    pub province_id: Option<String>,
}

impl Owner {
    pub fn commission() -> Self {
        Self { kind: OwnerKind::Commission, province_id: None }
    }

    pub fn directorate() -> Self {
        Self { kind: OwnerKind::Directorate, province_id: None }
    }

    pub fn engineering(province_id: &str) -> Self {
        Self { kind: OwnerKind::Engineering, province_id: Some(province_id.to_owned()) }
    }
}

/// The events a subscriber may ask for, with the owner whose records raise them.
pub const EVENTS: [(&str, OwnerKind); 4] = [
    ("membership.approved", OwnerKind::Commission),
    ("election.results_published", OwnerKind::Commission),
    ("qualification.approved", OwnerKind::Directorate),
    ("renewal.paid", OwnerKind::Engineering),
];

/// The events an owner's subscriptions may ask for.
pub fn events_of(kind: OwnerKind) -> Vec<&'static str> {
    EVENTS.iter().filter(|(_, k)| *k == kind).map(|(e, _)| *e).collect()
}

/// What a delivery's body holds.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventBody {
    /// The event's id: the same in every attempt and redelivery.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// When the change happened (RFC 3339, UTC).
    pub created_at: String,
    /// The event's facts; see each event in the integration guide.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Queues `event` for every active subscription of `owner` that asked for it. Call inside the
/// transaction of the change. Returns how many deliveries were queued.
pub fn emit(conn: &mut DbConn, owner: &Owner, event: &str, data: serde_json::Value) -> QueryResult<usize> {
    debug_assert!(EVENTS.iter().any(|(e, k)| *e == event && *k == owner.kind), "unknown event {event}");
    let mut q = ws::table.filter(ws::active.eq(true)).filter(ws::owner_kind.eq(owner.kind.as_str())).into_boxed();
    if let Some(p) = &owner.province_id {
        q = q.filter(ws::province_id.eq(p.clone()));
    }
    let subscribers: Vec<(String, String)> = q.select((ws::id, ws::events)).load(conn)?;
    let wanted: Vec<String> =
        subscribers.into_iter().filter(|(_, events)| events.split(',').any(|e| e == event)).map(|(id, _)| id).collect();
    if wanted.is_empty() {
        return Ok(0);
    }
    let body = serde_json::to_string(&EventBody {
        id: new_id(),
        kind: event.to_owned(),
        created_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        data,
    })
    .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    for subscription in &wanted {
        enqueue(conn, subscription, event, &body)?;
    }
    Ok(wanted.len())
}

/// Queues one delivery of an event's body to a subscription (also used to redeliver).
pub fn enqueue(conn: &mut DbConn, subscription: &str, event: &str, body: &str) -> QueryResult<String> {
    outbox::enqueue(
        conn,
        NewMessage {
            channel: Channel::Webhook,
            recipient: subscription,
            subject: Some(event),
            body,
            purpose: "webhook",
            template: None,
            urgent: false,
        },
    )
}

/// The `X-Anjoman-Signature` value of a body sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Posts one delivery; `Err` with the reason when the subscriber did not answer 2xx.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    delivery_id: &str,
    event: &str,
    body: &str,
) -> Result<(), String> {
    let timestamp = Utc::now().timestamp();
    let answer = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("User-Agent", "anjoman-webhooks")
        .header("X-Anjoman-Event", event)
        .header("X-Anjoman-Delivery", delivery_id)
        .header("X-Anjoman-Timestamp", timestamp.to_string())
        .header("X-Anjoman-Signature", signature(secret, timestamp, body))
        .body(body.to_owned())
        .send()
        .await
        .map_err(|e| format!("no answer: {}", e.without_url()))?;
    let status = answer.status();
    if status.is_success() { Ok(()) } else { Err(format!("answered HTTP {}", status.as_u16())) }
}

/// A subscription's address and secret for the worker; `None` when it is gone or disabled.
pub fn target(conn: &mut DbConn, subscription: &str) -> QueryResult<Option<(String, String)>> {
    ws::table.find(subscription).filter(ws::active.eq(true)).select((ws::url, ws::secret)).first(conn).optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_the_timestamp_and_the_body() {
        let s = signature("secret", 1_700_000_000, r#"{"id":"1"}"#);
        assert!(s.starts_with("v1=") && s.len() == 3 + 64, "{s}");
        assert_eq!(s, signature("secret", 1_700_000_000, r#"{"id":"1"}"#));
        assert_ne!(s, signature("secret", 1_700_000_001, r#"{"id":"1"}"#));
        assert_ne!(s, signature("secret", 1_700_000_000, r#"{"id":"2"}"#));
        assert_ne!(s, signature("other", 1_700_000_000, r#"{"id":"1"}"#));
    }

    #[test]
    fn each_event_belongs_to_one_owner() {
        assert_eq!(events_of(OwnerKind::Engineering), vec!["renewal.paid"]);
        assert!(events_of(OwnerKind::Commission).contains(&"election.results_published"));
        assert!(events_of(OwnerKind::Directorate).iter().all(|e| e.starts_with("qualification.")));
    }
}
