//! The append-only, hash-chained audit log (PL-04, EL-12).
//!
//! Each entry stores the hash of the previous one and its own hash over all its fields, so
//! editing, deleting or reordering any entry breaks the chain at that entry.
//!
//! Each entry also carries the scope it belongs to (an association, the directorate, a
//! province's engineering organisation), so each authority reads its own part of the log; the
//! commission reads all of it. The event names it, or else the domain that owns the object type
//! resolves it (see [`register_scopes`]).

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::{audit_head, audit_log};
use crate::db::{DbConn, now};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whose part of the log an entry is: what an authority other than the commission may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One association: its admins read it.
    Association(String),
    /// The medical-equipment directorate's domain: officers, distributors, reviewers.
    Directorate,
    /// One province's engineering organisation.
    Engineering(String),
}

impl Scope {
    /// As stored: `association:<id>`, `directorate`, `engineering:<province>`.
    pub fn key(&self) -> String {
        match self {
            Scope::Association(id) => format!("association:{id}"),
            Scope::Directorate => "directorate".to_owned(),
            Scope::Engineering(p) => format!("engineering:{p}"),
        }
    }
}

/// Finds the scope of an object of one type from its id (none: the commission's alone).
pub type Resolver = fn(&mut DbConn, Option<&str>) -> QueryResult<Option<Scope>>;

static RESOLVERS: LazyLock<RwLock<HashMap<&'static str, Resolver>>> = LazyLock::new(Default::default);

/// Registers each domain's resolvers by object type, once at start-up; an entry whose event
/// names no scope takes the one its object type's resolver finds.
pub fn register_scopes(resolvers: &[(&'static str, Resolver)]) {
    let mut map = RESOLVERS.write().unwrap_or_else(|e| e.into_inner());
    for (object_type, f) in resolvers {
        map.insert(object_type, *f);
    }
}

fn resolve(conn: &mut DbConn, object_type: &str, object_id: Option<&str>) -> QueryResult<Option<Scope>> {
    let f = RESOLVERS.read().unwrap_or_else(|e| e.into_inner()).get(object_type).copied();
    match f {
        Some(f) => f(conn, object_id),
        None => Ok(None),
    }
}

/// What happened, by whom, to what.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<&'a str>,
    /// Whose part of the log; resolved from the object type when none.
    pub scope: Option<Scope>,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str, object_type: &'a str, object_id: Option<&'a str>) -> Self {
        Self { action, object_type, object_id, ..Default::default() }
    }

    /// Who did it (absent for the system and the command line).
    pub fn by(self, actor_id: &'a str) -> Self {
        Self { actor_id: Some(actor_id), ..self }
    }

    /// The client address the request came from.
    pub fn from_ip(self, ip: &'a str) -> Self {
        Self { ip: Some(ip), ..self }
    }

    /// The object's state before and after the change.
    pub fn states(self, before: Option<serde_json::Value>, after: Option<serde_json::Value>) -> Self {
        Self { before, after, ..self }
    }

    /// Whose part of the log this is, when the object type alone does not say.
    pub fn scoped(self, scope: Option<Scope>) -> Self {
        Self { scope, ..self }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct Entry {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    pub scope: Option<String>,
}

fn entry_hash(e: &Entry) -> String {
    let mut canonical = serde_json::json!([
        e.seq,
        e.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        e.actor_id,
        e.action,
        e.object_type,
        e.object_id,
        e.before_state,
        e.after_state,
        e.ip,
        e.prev_hash,
    ]);
    // Entries recorded before scopes existed have none and keep their hash.
    if let (Some(scope), Some(fields)) = (&e.scope, canonical.as_array_mut()) {
        fields.push(serde_json::Value::String(scope.clone()));
    }
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends an entry. Call inside the transaction of the change it records, so the two commit
/// together. Bumping the head row first takes its lock and serialises concurrent writers.
pub fn record(conn: &mut DbConn, event: Event<'_>) -> QueryResult<i64> {
    diesel::update(audit_head::table.find(1)).set(audit_head::last_seq.eq(audit_head::last_seq + 1)).execute(conn)?;
    let scope = match event.scope {
        Some(s) => Some(s),
        None => resolve(conn, event.object_type, event.object_id)?,
    };
    let (seq, prev_hash): (i64, String) =
        audit_head::table.find(1).select((audit_head::last_seq, audit_head::last_hash)).first(conn)?;
    let mut entry = Entry {
        seq,
        at: now(),
        actor_id: event.actor_id.map(str::to_owned),
        action: event.action.to_owned(),
        object_type: event.object_type.to_owned(),
        object_id: event.object_id.map(str::to_owned),
        before_state: event.before.map(|v| v.to_string()),
        after_state: event.after.map(|v| v.to_string()),
        ip: event.ip.map(str::to_owned),
        prev_hash,
        hash: String::new(),
        scope: scope.map(|s| s.key()),
    };
    entry.hash = entry_hash(&entry);
    diesel::insert_into(audit_log::table).values(&entry).execute(conn)?;
    diesel::update(audit_head::table.find(1)).set(audit_head::last_hash.eq(&entry.hash)).execute(conn)?;
    Ok(seq)
}

/// Why verification stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The sequence number of the first entry that does not verify.
    pub seq: i64,
    pub reason: String,
}

/// Walks the whole chain in order; returns the number of entries, or the first broken one.
pub fn verify(conn: &mut DbConn) -> QueryResult<Result<i64, Broken>> {
    const BATCH: i64 = 1000;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    loop {
        let batch: Vec<Entry> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq.asc())
            .limit(BATCH)
            .select(Entry::as_select())
            .load(conn)?;
        if batch.is_empty() {
            break;
        }
        for e in &batch {
            if e.seq != expected_seq {
                return Ok(Err(Broken { seq: expected_seq, reason: format!("entry {expected_seq} is missing") }));
            }
            if e.prev_hash != expected_prev {
                return Ok(Err(Broken { seq: e.seq, reason: "its link to the previous entry does not match".into() }));
            }
            if entry_hash(e) != e.hash {
                return Ok(Err(Broken { seq: e.seq, reason: "its content does not match its hash".into() }));
            }
            expected_prev = e.hash.clone();
            expected_seq += 1;
        }
    }
    let (head_seq, head_hash): (i64, String) =
        audit_head::table.find(1).select((audit_head::last_seq, audit_head::last_hash)).first(conn)?;
    if head_seq != expected_seq - 1 || head_hash != expected_prev {
        return Ok(Err(Broken {
            seq: expected_seq,
            reason: format!("the chain ends at entry {} but the head records {head_seq}", expected_seq - 1),
        }));
    }
    Ok(Ok(expected_seq - 1))
}

/// Filters for the administrators' view of the log.
#[derive(Debug, Default)]
pub struct Filter {
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Only entries of these scopes ([`Scope::key`]); all entries when none.
    pub scopes: Option<Vec<String>>,
}

/// Newest first; returns the total matching and one page.
pub fn list(conn: &mut DbConn, f: &Filter, offset: i64, limit: i64) -> QueryResult<(i64, Vec<Entry>)> {
    let filtered = || {
        let mut q = audit_log::table.into_boxed();
        if let Some(v) = &f.actor_id {
            q = q.filter(audit_log::actor_id.eq(v.clone()));
        }
        if let Some(v) = &f.action {
            q = q.filter(audit_log::action.eq(v.clone()));
        }
        if let Some(v) = &f.object_type {
            q = q.filter(audit_log::object_type.eq(v.clone()));
        }
        if let Some(v) = &f.object_id {
            q = q.filter(audit_log::object_id.eq(v.clone()));
        }
        if let Some(v) = f.from {
            q = q.filter(audit_log::at.ge(v));
        }
        if let Some(v) = f.to {
            q = q.filter(audit_log::at.lt(v));
        }
        if let Some(v) = &f.scopes {
            q = q.filter(audit_log::scope.eq_any(v.clone()));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows =
        filtered().order(audit_log::seq.desc()).offset(offset).limit(limit).select(Entry::as_select()).load(conn)?;
    Ok((total, rows))
}
