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
//!
//! Deliveries go only to public addresses (server-side request forgery): an address given as a
//! private, loopback or link-local IP is refused when subscribing and when delivering, and host
//! names are resolved by [`PublicOnly`], which drops such addresses, so a name that points inside
//! (or is re-pointed there later) gets nothing. `ANJOMAN_WEBHOOK_PRIVATE_TARGETS=on` lifts this
//! for development and tests.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

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
pub const EVENTS: [(&str, OwnerKind); 7] = [
    ("membership.approved", OwnerKind::Commission),
    ("membership.ended", OwnerKind::Commission),
    ("election.results_published", OwnerKind::Commission),
    ("qualification.approved", OwnerKind::Directorate),
    ("qualification.suspended", OwnerKind::Directorate),
    ("qualification.revoked", OwnerKind::Directorate),
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

/// True for an address on the public internet: not loopback, private (RFC 1918, fc00::/7),
/// link-local (cloud metadata at 169.254.169.254 included), shared (100.64.0.0/10),
/// unspecified, multicast, broadcast or documentation; IPv4-mapped IPv6 is judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// Why a webhook address may not be used, when its host is a literal address that is not
/// public or names this machine; `None` when it may (names are checked again as they resolve).
pub fn refused_target(url: &str) -> Option<&'static str> {
    let parsed = reqwest::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let refused = match host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        Ok(ip) => !is_public(ip),
        Err(_) => {
            let name = host.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    refused.then_some("the address is not public")
}

/// Resolves webhook hosts, keeping only public addresses.
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The HTTP client of deliveries: no redirects, ten seconds, public addresses only unless
/// `allow_private`.
pub fn client(allow_private: bool) -> Result<reqwest::Client, String> {
    let builder = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none());
    let builder = if allow_private { builder } else { builder.dns_resolver(Arc::new(PublicOnly)) };
    builder.build().map_err(|e| e.to_string())
}

/// Posts one delivery; `Err` with the reason when the subscriber did not answer 2xx.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    delivery_id: &str,
    event: &str,
    body: &str,
    allow_private: bool,
) -> Result<(), String> {
    let timestamp = Utc::now().timestamp();
    if !allow_private && let Some(reason) = refused_target(url) {
        return Err(reason.to_owned());
    }
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
        .map_err(|e| {
            use std::error::Error;
            let cause = e.source().and_then(|c| c.source()).map(|c| format!(" ({c})")).unwrap_or_default();
            format!("no answer: {}{cause}", e.without_url())
        })?;
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
    fn only_public_addresses_are_targets() {
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.9",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(inside.parse().unwrap()), "{inside}");
        }
        for outside in ["8.8.8.8", "185.143.232.1", "2a00:1450:4001::1"] {
            assert!(is_public(outside.parse().unwrap()), "{outside}");
        }
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://[::1]/hook",
            "https://169.254.169.254/latest/meta-data",
            "http://localhost:8080/",
            "http://admin.localhost./",
            "http://[::ffff:192.168.0.1]/",
        ] {
            assert!(refused_target(url).is_some(), "{url}");
        }
        assert_eq!(refused_target("https://hooks.example.ir/anjoman"), None);
        assert_eq!(refused_target("https://8.8.8.8/anjoman"), None);
    }

    #[tokio::test]
    async fn names_that_resolve_inside_get_no_address() {
        use reqwest::dns::Resolve;
        let name: reqwest::dns::Name = "localhost".parse().unwrap();
        let resolved = PublicOnly.resolve(name).await;
        assert!(resolved.is_err(), "localhost resolved to a public address");
    }

    #[tokio::test]
    async fn a_delivery_to_an_inside_address_is_not_sent() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let client = client(false).unwrap();
        let refused = post(&client, &url, "secret", "d1", "renewal.paid", "{}", false).await;
        assert_eq!(refused, Err("the address is not public".to_owned()));
        // With private targets allowed (development), the same address is tried.
        let tried = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            let accept = listener.accept();
            let send = post(&client, &url, "secret", "d1", "renewal.paid", "{}", true);
            tokio::select! { a = accept => a.is_ok(), _ = send => false }
        })
        .await
        .unwrap();
        assert!(tried);
    }

    #[test]
    fn each_event_belongs_to_one_owner() {
        assert_eq!(events_of(OwnerKind::Engineering), vec!["renewal.paid"]);
        assert!(events_of(OwnerKind::Commission).contains(&"election.results_published"));
        assert!(events_of(OwnerKind::Directorate).iter().all(|e| e.starts_with("qualification.")));
    }
}
