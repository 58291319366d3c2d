//! Queries on persons, accounts, role grants and sessions. Every function takes a connection
//! and leaves transactions to the caller.

use anjoman_core::auth::{Role, ScopeKind};
use anjoman_core::db::schema::{accounts, persons, refresh_tokens, role_grants, sessions};
use anjoman_core::db::{DbConn, new_id, now};
use base64::Engine;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::rules::{NewPerson, ProfileChanges};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = persons)]
pub struct Person {
    pub id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub birth_date: Option<NaiveDate>,
}

/// The searchable form of a name: Persian-normalised, lower case, without ZWNJ.
pub fn search_name(first: &str, last: &str) -> String {
    anjoman_core::text::search_key(&format!("{first} {last}"))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub person_id: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub disabled_at: Option<NaiveDateTime>,
    pub disabled_reason: Option<String>,
}

pub fn person(conn: &mut DbConn, id: &str) -> QueryResult<Option<Person>> {
    persons::table.find(id).select(Person::as_select()).first(conn).optional()
}

/// A person who must exist (an error of the database's kind when not).
pub fn person_of(conn: &mut DbConn, id: &str) -> QueryResult<Person> {
    persons::table.find(id).select(Person::as_select()).first(conn)
}

/// The persons among `ids`, by id (one query, for lists).
pub fn persons_by_id(conn: &mut DbConn, ids: &[String]) -> QueryResult<std::collections::HashMap<String, Person>> {
    let rows: Vec<Person> = persons::table.filter(persons::id.eq_any(ids)).select(Person::as_select()).load(conn)?;
    Ok(rows.into_iter().map(|p| (p.id.clone(), p)).collect())
}

/// A person's full name, as shown beside what they did.
pub fn full_name(conn: &mut DbConn, id: &str) -> QueryResult<String> {
    let (f, l): (String, String) =
        persons::table.find(id).select((persons::first_name, persons::last_name)).first(conn)?;
    Ok(format!("{f} {l}"))
}

/// The persons with this mobile number (a number may be shared, e.g. within a family).
pub fn person_ids_by_mobile(conn: &mut DbConn, mobile: &str) -> QueryResult<Vec<String>> {
    persons::table.filter(persons::mobile.eq(mobile)).select(persons::id).load(conn)
}

pub fn person_id_by_code(conn: &mut DbConn, national_code: &str) -> QueryResult<Option<String>> {
    persons::table.filter(persons::national_code.eq(national_code)).select(persons::id).first(conn).optional()
}

pub fn account_by_code(conn: &mut DbConn, national_code: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .inner_join(persons::table)
        .filter(persons::national_code.eq(national_code))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn account(conn: &mut DbConn, person_id: &str) -> QueryResult<Option<Account>> {
    accounts::table.find(person_id).select(Account::as_select()).first(conn).optional()
}

/// Inserts a person with an account; returns the person's id.
pub fn insert_person(
    conn: &mut DbConn,
    p: &NewPerson,
    password_hash: &str,
    must_change_password: bool,
) -> QueryResult<String> {
    let id = insert_person_record(conn, p)?;
    insert_account(conn, &id, password_hash, must_change_password)?;
    Ok(id)
}

/// Inserts a person without an account (members imported by an association, AS-04); they sign
/// up later with their national code and get an account for this same record.
pub fn insert_person_record(conn: &mut DbConn, p: &NewPerson) -> QueryResult<String> {
    let id = new_id();
    let at = now();
    diesel::insert_into(persons::table)
        .values((
            persons::id.eq(&id),
            persons::national_code.eq(p.national_code.as_str()),
            persons::first_name.eq(&p.first_name),
            persons::last_name.eq(&p.last_name),
            persons::mobile.eq(&p.mobile),
            persons::email.eq(&p.email),
            persons::search_name.eq(search_name(&p.first_name, &p.last_name)),
            persons::created_at.eq(at),
            persons::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn insert_account(conn: &mut DbConn, person_id: &str, password_hash: &str, must_change: bool) -> QueryResult<()> {
    let at = now();
    diesel::insert_into(accounts::table)
        .values((
            accounts::person_id.eq(person_id),
            accounts::password_hash.eq(password_hash),
            accounts::must_change_password.eq(must_change),
            accounts::password_changed_at.eq(at),
            accounts::disabled.eq(false),
            accounts::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// How a search term finds people: the start of a national code when it is all digits (Persian
/// digits too), else a name (Persian letters folded) anywhere. Each is a `LIKE` pattern.
pub enum PersonMatch {
    CodePrefix(String),
    Name(String),
}

/// The match of a search term; `None` for a blank one.
pub fn person_match(term: &str) -> Option<PersonMatch> {
    let term = term.trim();
    if term.is_empty() {
        return None;
    }
    let digits = anjoman_core::text::normalize_digits(term);
    Some(if digits.chars().all(|c| c.is_ascii_digit()) {
        PersonMatch::CodePrefix(format!("{digits}%"))
    } else {
        PersonMatch::Name(format!("%{}%", anjoman_core::text::search_key(term).replace(['%', '_'], "")))
    })
}

/// Grants a role (with its scope) unless the person already holds exactly that grant; returns
/// the new grant's id, or `None` when it was already held.
pub fn grant_role(
    conn: &mut DbConn,
    person_id: &str,
    role: Role,
    scope: Option<(ScopeKind, &str)>,
    granted_by: Option<&str>,
) -> QueryResult<Option<String>> {
    let scope_type = scope.map(|(k, _)| k.as_str());
    let scope_id = scope.map(|(_, id)| id);
    let mut existing = role_grants::table
        .filter(role_grants::person_id.eq(person_id))
        .filter(role_grants::role.eq(role.as_str()))
        .into_boxed();
    existing = match (scope_type, scope_id) {
        (Some(t), Some(id)) => existing.filter(role_grants::scope_type.eq(t)).filter(role_grants::scope_id.eq(id)),
        _ => existing.filter(role_grants::scope_type.is_null()),
    };
    let count: i64 = existing.count().get_result(conn)?;
    if count > 0 {
        return Ok(None);
    }
    let id = new_id();
    diesel::insert_into(role_grants::table)
        .values((
            role_grants::id.eq(&id),
            role_grants::person_id.eq(person_id),
            role_grants::role.eq(role.as_str()),
            role_grants::scope_type.eq(scope_type),
            role_grants::scope_id.eq(scope_id),
            role_grants::granted_at.eq(now()),
            role_grants::granted_by.eq(granted_by),
        ))
        .execute(conn)?;
    Ok(Some(id))
}

/// Removes a person's grants of `role` in `scope_id` (a membership ended, a role taken back by
/// its domain); returns how many went. Takes effect on the person's next request.
pub fn remove_role(conn: &mut DbConn, person_id: &str, role: Role, scope_id: Option<&str>) -> QueryResult<usize> {
    let q = role_grants::table.filter(role_grants::person_id.eq(person_id)).filter(role_grants::role.eq(role.as_str()));
    match scope_id {
        Some(scope) => diesel::delete(q.filter(role_grants::scope_id.eq(scope))).execute(conn),
        None => diesel::delete(q.filter(role_grants::scope_id.is_null())).execute(conn),
    }
}

/// Replaces a password hash by another of the same password (re-hashing), only if it is still
/// `old` — a password changed meanwhile is kept.
pub fn replace_hash(conn: &mut DbConn, person_id: &str, old: &str, new: &str) -> QueryResult<()> {
    diesel::update(accounts::table.find(person_id).filter(accounts::password_hash.eq(old)))
        .set(accounts::password_hash.eq(new))
        .execute(conn)
        .map(|_| ())
}

pub fn set_password(conn: &mut DbConn, person_id: &str, hash: &str, must_change_password: bool) -> QueryResult<()> {
    diesel::update(accounts::table.find(person_id))
        .set((
            accounts::password_hash.eq(hash),
            accounts::must_change_password.eq(must_change_password),
            accounts::password_changed_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn require_password_change(conn: &mut DbConn, person_id: &str) -> QueryResult<()> {
    diesel::update(accounts::table.find(person_id))
        .set(accounts::must_change_password.eq(true))
        .execute(conn)
        .map(|_| ())
}

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

#[derive(AsChangeset)]
#[diesel(table_name = persons)]
struct PersonChangeset<'a> {
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    mobile: Option<Option<&'a str>>,
    email: Option<Option<&'a str>>,
    birth_date: Option<Option<NaiveDate>>,
    updated_at: NaiveDateTime,
}

/// Applies profile changes; fields left `None` keep their value.
pub fn update_person(conn: &mut DbConn, id: &str, c: &ProfileChanges) -> QueryResult<()> {
    let changes = PersonChangeset {
        first_name: c.first_name.as_deref(),
        last_name: c.last_name.as_deref(),
        mobile: c.mobile.as_ref().map(Option::as_deref),
        email: c.email.as_ref().map(Option::as_deref),
        birth_date: c.birth_date,
        updated_at: now(),
    };
    diesel::update(persons::table.find(id)).set(&changes).execute(conn)?;
    if c.first_name.is_some() || c.last_name.is_some() {
        let (first, last): (String, String) =
            persons::table.find(id).select((persons::first_name, persons::last_name)).first(conn)?;
        diesel::update(persons::table.find(id))
            .set(persons::search_name.eq(search_name(&first, &last)))
            .execute(conn)?;
    }
    Ok(())
}

/// The audited view of a profile.
pub fn profile_json(p: &Person) -> serde_json::Value {
    serde_json::json!({
        "first_name": p.first_name,
        "last_name": p.last_name,
        "mobile": p.mobile,
        "email": p.email,
        "birth_date": p.birth_date,
    })
}

pub fn person_by_code(conn: &mut DbConn, national_code: &str) -> QueryResult<Option<Person>> {
    persons::table.filter(persons::national_code.eq(national_code)).select(Person::as_select()).first(conn).optional()
}

/// Whether the person holds a role, in any scope.
pub fn has_role(conn: &mut DbConn, person_id: &str, role: Role) -> QueryResult<bool> {
    let n: i64 = role_grants::table
        .filter(role_grants::person_id.eq(person_id))
        .filter(role_grants::role.eq(role.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Ends every session of a person (after a password reset).
pub fn revoke_all_sessions(conn: &mut DbConn, person_id: &str, reason: &str) -> QueryResult<usize> {
    revoke_other_sessions(conn, person_id, "", reason)
}

/// Sets a person's password, opening their account when the person was only a record (recorded
/// by an organisation, and now claimed by proving the recorded mobile or e-mail). Returns true
/// when the account was opened.
pub fn set_or_open_password(
    conn: &mut DbConn,
    person_id: &str,
    hash: &str,
    must_change_password: bool,
) -> QueryResult<bool> {
    if account(conn, person_id)?.is_some() {
        set_password(conn, person_id, hash, must_change_password)?;
        Ok(false)
    } else {
        insert_account(conn, person_id, hash, must_change_password)?;
        Ok(true)
    }
}

/// Disables (`Some(reason)`) or re-enables (`None`) an account; returns false when the person
/// has no account.
pub fn set_disabled(conn: &mut DbConn, person_id: &str, reason: Option<&str>) -> QueryResult<bool> {
    let n = diesel::update(accounts::table.find(person_id))
        .set((
            accounts::disabled.eq(reason.is_some()),
            accounts::disabled_at.eq(reason.map(|_| now())),
            accounts::disabled_reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(n > 0)
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

/// Tells a person something by SMS and e-mail, to whichever contacts they have, through the
/// outbox (call inside the transaction of the change it reports).
pub fn notify_person(conn: &mut DbConn, person_id: &str, purpose: &str, subject: &str, text: &str) -> QueryResult<()> {
    use anjoman_core::platform::outbox::{Channel, NewMessage, enqueue};
    let (mobile, email): (Option<String>, Option<String>) =
        persons::table.find(person_id).select((persons::mobile, persons::email)).first(conn)?;
    for (channel, to) in [(Channel::Sms, mobile), (Channel::Email, email)] {
        if let Some(to) = to {
            enqueue(
                conn,
                NewMessage {
                    channel,
                    recipient: &to,
                    subject: Some(subject),
                    body: text,
                    purpose,
                    template: None,
                    urgent: false,
                },
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{PersonMatch, person_match};

    #[test]
    fn a_search_term_is_a_code_prefix_or_a_folded_name() {
        assert!(person_match("  ").is_none());
        assert!(matches!(person_match("۰۰۸۴").unwrap(), PersonMatch::CodePrefix(p) if p == "0084%"));
        let PersonMatch::Name(p) = person_match("علي_%").unwrap() else { panic!("a name") };
        assert!(p.starts_with('%') && p.ends_with('%') && !p[1..p.len() - 1].contains(['%', '_']), "{p}");
    }
}
