//! Sessions and their refresh tokens (ID-06, ID-07, ID-09): opened at sign-in, rotated on every
//! refresh (a reused token ends the session), listed to their owner, and ended.

use anjoman_core::db::schema::{refresh_tokens, sessions};
use anjoman_core::db::{DbConn, new_id, now};
use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn insert_refresh_token(conn: &mut DbConn, session_id: &str, ttl: std::time::Duration) -> QueryResult<String> {
    let token = new_refresh_token();
    let at = now();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash(&token)),
            refresh_tokens::created_at.eq(at),
            refresh_tokens::expires_at.eq(at + chrono::Duration::from_std(ttl).unwrap_or_default()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Where a session was opened from, shown to its owner in their list of sessions.
#[derive(Debug, Clone, Default)]
pub struct SessionClient {
    pub ip: String,
    /// The browser's `User-Agent`, cut to 300 characters.
    pub user_agent: Option<String>,
}

impl SessionClient {
    pub fn of(req: &actix_web::HttpRequest, ip: &str) -> Self {
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(300).collect::<String>())
            .filter(|v| !v.is_empty());
        Self { ip: ip.to_owned(), user_agent }
    }
}

/// Opens a session (a refresh-token family); returns its id and first refresh token.
pub fn create_session(
    conn: &mut DbConn,
    person_id: &str,
    ttl: std::time::Duration,
    client: &SessionClient,
) -> QueryResult<(String, String)> {
    let id = new_id();
    let at = now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::person_id.eq(person_id),
            sessions::created_at.eq(at),
            sessions::last_used_at.eq(at),
            sessions::ip.eq(&client.ip),
            sessions::user_agent.eq(&client.user_agent),
        ))
        .execute(conn)?;
    let token = insert_refresh_token(conn, &id, ttl)?;
    Ok((id, token))
}

/// What presenting a refresh token led to.
pub enum Refresh {
    /// A fresh token in the same session.
    Rotated { person_id: String, session_id: String, token: String },
    /// An already used token: the whole session is now revoked.
    Reused { person_id: String, session_id: String },
    /// Unknown, expired or belonging to a revoked session.
    Invalid,
}

/// A refresh token as found in the database, with its session.
#[derive(Queryable, Selectable)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct PresentedToken {
    #[diesel(select_expression = refresh_tokens::id)]
    token_id: String,
    #[diesel(select_expression = refresh_tokens::session_id)]
    session_id: String,
    #[diesel(select_expression = refresh_tokens::expires_at)]
    expires_at: NaiveDateTime,
    #[diesel(select_expression = refresh_tokens::used_at)]
    used_at: Option<NaiveDateTime>,
    #[diesel(select_expression = sessions::person_id)]
    person_id: String,
    #[diesel(select_expression = sessions::revoked_at)]
    revoked_at: Option<NaiveDateTime>,
}

/// Rotates a refresh token. A token may be used once; presenting it again means it was
/// stolen (or the client is confused), so its whole family is revoked.
pub fn rotate_refresh(conn: &mut DbConn, token: &str, ttl: std::time::Duration) -> QueryResult<Refresh> {
    let row: Option<PresentedToken> = refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(token_hash(token)))
        .select(PresentedToken::as_select())
        .first(conn)
        .optional()?;
    let Some(PresentedToken { token_id, session_id, expires_at, used_at, person_id, revoked_at }) = row else {
        return Ok(Refresh::Invalid);
    };
    if revoked_at.is_some() {
        return Ok(Refresh::Invalid);
    }
    let at = now();
    // The conditional update decides between two concurrent uses of the same token.
    let claimed = diesel::update(refresh_tokens::table.find(&token_id).filter(refresh_tokens::used_at.is_null()))
        .set(refresh_tokens::used_at.eq(at))
        .execute(conn)?;
    if used_at.is_some() || claimed == 0 {
        revoke_session(conn, &session_id, "refresh_token_reuse")?;
        return Ok(Refresh::Reused { person_id, session_id });
    }
    if expires_at < at {
        return Ok(Refresh::Invalid);
    }
    let token = insert_refresh_token(conn, &session_id, ttl)?;
    diesel::update(sessions::table.find(&session_id)).set(sessions::last_used_at.eq(at)).execute(conn)?;
    Ok(Refresh::Rotated { person_id, session_id, token })
}

pub fn revoke_session(conn: &mut DbConn, session_id: &str, reason: &str) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(now()), sessions::revoked_reason.eq(reason)))
        .execute(conn)
        .map(|_| ())
}

/// Revokes every session of a person except `keep` (after a password change).
pub fn revoke_other_sessions(conn: &mut DbConn, person_id: &str, keep: &str, reason: &str) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::person_id.eq(person_id))
            .filter(sessions::id.ne(keep))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((sessions::revoked_at.eq(now()), sessions::revoked_reason.eq(reason)))
    .execute(conn)
}

/// Ends every session of a person (after a password reset).
pub fn revoke_all_sessions(conn: &mut DbConn, person_id: &str, reason: &str) -> QueryResult<usize> {
    revoke_other_sessions(conn, person_id, "", reason)
}

/// One of a person's sessions, as its owner sees it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A person's sessions that are still live (not ended, and used within `ttl`), last used first.
pub fn live_sessions(conn: &mut DbConn, person_id: &str, ttl: std::time::Duration) -> QueryResult<Vec<SessionRow>> {
    let since = now() - chrono::Duration::from_std(ttl).unwrap_or_default();
    let mut rows: Vec<SessionRow> = sessions::table
        .filter(sessions::person_id.eq(person_id))
        .filter(sessions::revoked_at.is_null())
        .select(SessionRow::as_select())
        .load(conn)?;
    rows.retain(|s| s.last_used_at.unwrap_or(s.created_at) >= since);
    rows.sort_by_key(|s| std::cmp::Reverse(s.last_used_at.unwrap_or(s.created_at)));
    Ok(rows)
}

/// Ends one of the person's own sessions; false when it is not theirs or already ended.
pub fn revoke_own_session(conn: &mut DbConn, person_id: &str, session_id: &str, reason: &str) -> QueryResult<bool> {
    let n = diesel::update(
        sessions::table
            .filter(sessions::id.eq(session_id))
            .filter(sessions::person_id.eq(person_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((sessions::revoked_at.eq(now()), sessions::revoked_reason.eq(reason)))
    .execute(conn)?;
    Ok(n > 0)
}
