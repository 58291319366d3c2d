//! Queries on persons, accounts, role grants and sessions. Every function takes a connection
//! and leaves transactions to the caller.

use anjoman_core::auth::{Role, ScopeKind};
use anjoman_core::db::schema::{accounts, persons, role_grants};
use anjoman_core::db::{DbConn, new_id, now};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::rules::{NewPerson, ProfileChanges};

mod session_tokens;
pub use session_tokens::{
    Refresh, SessionClient, SessionRow, create_session, live_sessions, revoke_all_sessions, revoke_other_sessions,
    revoke_own_session, revoke_session, rotate_refresh,
};

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
/// The person with this national code, recorded (without an account) when unknown; true when
/// new. Imports use it.
pub fn find_or_record(conn: &mut DbConn, p: &NewPerson) -> QueryResult<(String, bool)> {
    match person_id_by_code(conn, p.national_code.as_str())? {
        Some(id) => Ok((id, false)),
        None => Ok((insert_person_record(conn, p)?, true)),
    }
}

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

/// A pending SMS recovery: the code the person texts back (to no one when the national code
/// is unknown, so the answer does not tell).
pub fn insert_sms_recovery(
    conn: &mut DbConn,
    id: &str,
    code: &str,
    person: Option<&str>,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    use anjoman_core::db::schema::sms_recovery_requests as srr;
    diesel::insert_into(srr::table)
        .values((
            srr::id.eq(id),
            srr::code.eq(code),
            srr::person_id.eq(person),
            srr::status.eq("pending"),
            srr::expires_at.eq(expires_at),
            srr::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// An SMS recovery's status and expiry.
pub fn sms_recovery_state(conn: &mut DbConn, id: &str) -> QueryResult<Option<(String, NaiveDateTime)>> {
    use anjoman_core::db::schema::sms_recovery_requests as srr;
    srr::table.find(id).select((srr::status, srr::expires_at)).first(conn).optional()
}

/// One page of the people a search matches (everyone for none), by name, and their total.
pub fn search_people(
    conn: &mut DbConn,
    found: Option<&PersonMatch>,
    offset: i64,
    per_page: i64,
) -> QueryResult<(i64, Vec<Person>)> {
    let filtered = || {
        let query = persons::table.into_boxed();
        match found {
            Some(PersonMatch::CodePrefix(p)) => query.filter(persons::national_code.like(p.clone())),
            Some(PersonMatch::Name(p)) => query.filter(persons::search_name.like(p.clone())),
            None => query,
        }
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((persons::last_name, persons::first_name, persons::id))
        .offset(offset)
        .limit(per_page)
        .select(Person::as_select())
        .load(conn)?;
    Ok((total, rows))
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
/// How many others hold `role` and can still sign in (their account is not disabled).
pub fn other_active_holders(conn: &mut DbConn, role: Role, person_id: &str) -> QueryResult<i64> {
    role_grants::table
        .inner_join(accounts::table.on(accounts::person_id.eq(role_grants::person_id)))
        .filter(role_grants::role.eq(role.as_str()))
        .filter(accounts::disabled.eq(false))
        .filter(role_grants::person_id.ne(person_id))
        .count()
        .get_result(conn)
}

pub fn has_role(conn: &mut DbConn, person_id: &str, role: Role) -> QueryResult<bool> {
    let n: i64 = role_grants::table
        .filter(role_grants::person_id.eq(person_id))
        .filter(role_grants::role.eq(role.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
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
