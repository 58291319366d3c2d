//! The durable outbox (PL-01): a message is stored in the same transaction as the change that
//! causes it; workers claim due messages with a lease, send them, and record the outcome,
//! retrying with exponential back-off until a limit, after which the message is marked failed
//! for administrators to see and resend.
//!
//! Claiming is a conditional UPDATE per message (`… WHERE id = ? AND the lease is free`), which
//! both backends execute atomically: of several processes only one gets the row. A process that
//! dies after claiming leaves a lease that expires, and the message is sent after all.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::OutboxPolicy;
use crate::db::schema::outbox_messages as om;
use crate::db::{DbConn, new_id, now};

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
    /// A webhook delivery; the recipient is the subscription (`platform::webhooks`).
    Webhook,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }
}

/// Where a message is in its life.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    pub const DELIVERED: &str = "delivered";
    pub const UNDELIVERED: &str = "undelivered";
    pub const FAILED: &str = "failed";
    pub const ALL: [&str; 6] = [PENDING, SENDING, SENT, DELIVERED, UNDELIVERED, FAILED];
}

/// A message to send.
pub struct NewMessage<'a> {
    pub channel: Channel,
    pub recipient: &'a str,
    pub subject: Option<&'a str>,
    pub body: &'a str,
    /// What it is for, e.g. `recovery_code`; shown to administrators instead of the body.
    pub purpose: &'a str,
    /// For one-time codes by SMS: the gateway's template and the code, sent through its
    /// verification API (`verify/lookup`) rather than as free text.
    pub template: Option<(&'a str, &'a str)>,
    /// A code somebody is waiting for on screen (voting, password reset): claimed before every
    /// bulk notice, so that an election's announcements to a million members cannot hold it up.
    pub urgent: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = om)]
pub struct Message {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub purpose: String,
    pub template: Option<String>,
    pub token: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub provider_message_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
}

/// Stores a message for sending. Call inside the transaction of the change that causes it.
pub fn enqueue(conn: &mut DbConn, m: NewMessage<'_>) -> QueryResult<String> {
    let id = new_id();
    let at = now();
    diesel::insert_into(om::table)
        .values((
            om::id.eq(&id),
            om::channel.eq(m.channel.as_str()),
            om::recipient.eq(m.recipient),
            om::subject.eq(m.subject),
            om::body.eq(m.body),
            om::purpose.eq(m.purpose),
            om::template.eq(m.template.map(|(t, _)| t)),
            om::token.eq(m.template.map(|(_, c)| c)),
            om::urgent.eq(m.urgent),
            om::status.eq(status::PENDING),
            om::attempts.eq(0),
            om::next_attempt_at.eq(at),
            om::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Stores many messages with multi-row INSERTs (a thousand rows a statement): an election's
/// announcement to a million members is two million messages, which one INSERT each would make
/// a matter of minutes. Call inside the transaction of the change that causes them.
pub fn enqueue_many(conn: &mut DbConn, messages: &[NewMessage<'_>]) -> QueryResult<usize> {
    let at = now();
    let mut stored = 0;
    for chunk in messages.chunks(1000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|m| {
                (
                    om::id.eq(new_id()),
                    om::channel.eq(m.channel.as_str()),
                    om::recipient.eq(m.recipient),
                    om::subject.eq(m.subject),
                    om::body.eq(m.body),
                    om::purpose.eq(m.purpose),
                    om::template.eq(m.template.map(|(t, _)| t)),
                    om::token.eq(m.template.map(|(_, c)| c)),
                    om::status.eq(status::PENDING),
                    om::attempts.eq(0),
                    om::next_attempt_at.eq(at),
                    om::created_at.eq(at),
                    om::urgent.eq(m.urgent),
                )
            })
            .collect();
        // Multi-row INSERTs are backend-specific in diesel: run on the concrete connection.
        stored += match conn {
            DbConn::Postgres(c) => diesel::insert_into(om::table).values(rows).execute(c)?,
            DbConn::Sqlite(c) => diesel::insert_into(om::table).values(rows).execute(c)?,
        };
    }
    Ok(stored)
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::zero())
}

/// Claims up to `limit` due messages for `owner` until the lease runs out: urgent ones first,
/// then the longest due.
pub fn claim(conn: &mut DbConn, owner: &str, lease: Duration, limit: i64) -> QueryResult<Vec<Message>> {
    let at = now();
    let due = || {
        let free = om::lease_expires_at.is_null().or(om::lease_expires_at.lt(at));
        om::status.eq_any([status::PENDING, status::SENDING]).and(om::next_attempt_at.le(at)).and(free)
    };
    let candidates: Vec<String> = om::table
        .filter(due())
        .order((om::urgent.desc(), om::next_attempt_at.asc()))
        .limit(limit)
        .select(om::id)
        .load(conn)?;
    let mut claimed = Vec::new();
    for id in candidates {
        let won = diesel::update(om::table.find(&id).filter(due()))
            .set((
                om::status.eq(status::SENDING),
                om::lease_owner.eq(owner),
                om::lease_expires_at.eq(at + chrono(lease)),
            ))
            .execute(conn)?;
        if won == 1 {
            claimed.push(om::table.find(&id).select(Message::as_select()).first(conn)?);
        }
    }
    Ok(claimed)
}

/// Records a successful hand-over to the provider, if this owner still holds the lease.
pub fn record_sent(conn: &mut DbConn, id: &str, owner: &str, provider_message_id: Option<&str>) -> QueryResult<bool> {
    let done = diesel::update(om::table.find(id).filter(om::lease_owner.eq(owner)))
        .set((
            om::status.eq(status::SENT),
            om::attempts.eq(om::attempts + 1),
            om::sent_at.eq(now()),
            om::provider_message_id.eq(provider_message_id),
            om::lease_owner.eq(None::<String>),
            om::lease_expires_at.eq(None::<NaiveDateTime>),
            om::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(done == 1)
}

/// The delay before retry number `attempts` (after that many failures).
pub fn retry_delay(policy: &OutboxPolicy, attempts: i32) -> Duration {
    let factor = 2u32.saturating_pow((attempts - 1).clamp(0, 20) as u32);
    policy.retry_base.saturating_mul(factor).min(Duration::from_secs(3600))
}

/// Records a failed attempt: retried later, or failed for good after the last attempt.
pub fn record_failure(
    conn: &mut DbConn,
    policy: &OutboxPolicy,
    msg: &Message,
    owner: &str,
    error: &str,
) -> QueryResult<()> {
    let attempts = msg.attempts + 1;
    let (next_status, next_at) = if attempts >= policy.max_attempts {
        (status::FAILED, now())
    } else {
        (status::PENDING, now() + chrono(retry_delay(policy, attempts)))
    };
    let error: String = error.chars().take(500).collect();
    diesel::update(om::table.find(&msg.id).filter(om::lease_owner.eq(owner)))
        .set((
            om::status.eq(next_status),
            om::attempts.eq(attempts),
            om::next_attempt_at.eq(next_at),
            om::last_error.eq(error),
            om::lease_owner.eq(None::<String>),
            om::lease_expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// SMS handed to the gateway whose delivery is not known yet.
pub fn awaiting_delivery(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<Message>> {
    let since = now() - chrono::Duration::hours(24);
    om::table
        .filter(om::channel.eq(Channel::Sms.as_str()))
        .filter(om::status.eq(status::SENT))
        .filter(om::provider_message_id.is_not_null())
        .filter(om::sent_at.gt(since))
        .order(om::sent_at.asc())
        .limit(limit)
        .select(Message::as_select())
        .load(conn)
}

pub fn record_delivery(conn: &mut DbConn, id: &str, delivered: bool) -> QueryResult<()> {
    let (s, at) = if delivered { (status::DELIVERED, Some(now())) } else { (status::UNDELIVERED, None) };
    diesel::update(om::table.find(id).filter(om::status.eq(status::SENT)))
        .set((om::status.eq(s), om::delivered_at.eq(at)))
        .execute(conn)
        .map(|_| ())
}

/// Puts a failed or undelivered message back in the queue (an administrator's resend).
pub fn resend(conn: &mut DbConn, id: &str) -> QueryResult<bool> {
    let n = diesel::update(om::table.find(id).filter(om::status.eq_any([status::FAILED, status::UNDELIVERED])))
        .set((
            om::status.eq(status::PENDING),
            om::attempts.eq(0),
            om::next_attempt_at.eq(now()),
            om::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Filters for the administrators' view.
#[derive(Default)]
pub struct ListFilter {
    pub status: Option<String>,
    pub channel: Option<String>,
    pub recipient: Option<String>,
}

pub fn list(conn: &mut DbConn, f: &ListFilter, offset: i64, limit: i64) -> QueryResult<(i64, Vec<Message>)> {
    let filtered = || {
        let mut q = om::table.into_boxed();
        if let Some(s) = &f.status {
            q = q.filter(om::status.eq(s.clone()));
        }
        if let Some(c) = &f.channel {
            q = q.filter(om::channel.eq(c.clone()));
        }
        if let Some(r) = &f.recipient {
            q = q.filter(om::recipient.eq(r.clone()));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows =
        filtered().order(om::created_at.desc()).offset(offset).limit(limit).select(Message::as_select()).load(conn)?;
    Ok((total, rows))
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<Message>> {
    om::table.find(id).select(Message::as_select()).first(conn).optional()
}
