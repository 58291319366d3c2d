//! Queries on associations, their qualifications and memberships.

use anjoman_core::db::schema::{
    association_qualifications as aq, associations as a, membership_events as me, memberships as m, persons as p,
};
use anjoman_core::db::{DbConn, new_id, now};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::rules::{AssociationInput, MembershipStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = a)]
pub struct Association {
    pub id: String,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub statute_date: Option<NaiveDate>,
    pub logo_file_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<Association>> {
    a::table.find(id).select(Association::as_select()).first(conn).optional()
}

/// Every association with its count of approved members, by name.
/// The names of the associations among `ids` (the scope of association admins' grants).
pub fn scope_names(conn: &mut DbConn, ids: &[String]) -> Result<Vec<(String, String)>, anjoman_core::ApiError> {
    Ok(a::table.filter(a::id.eq_any(ids)).select((a::id, a::name)).load(conn)?)
}

pub fn list_with_counts(conn: &mut DbConn) -> QueryResult<Vec<(Association, i64)>> {
    let all: Vec<Association> = a::table.order(a::name.asc()).select(Association::as_select()).load(conn)?;
    let counts: Vec<(String, i64)> = m::table
        .filter(m::status.eq(MembershipStatus::Approved.as_str()))
        .group_by(m::association_id)
        .select((m::association_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(all
        .into_iter()
        .map(|assoc| {
            let n = counts.iter().find(|(id, _)| *id == assoc.id).map_or(0, |(_, n)| *n);
            (assoc, n)
        })
        .collect())
}

pub fn approved_count(conn: &mut DbConn, association_id: &str) -> QueryResult<i64> {
    m::table
        .filter(m::association_id.eq(association_id))
        .filter(m::status.eq(MembershipStatus::Approved.as_str()))
        .count()
        .get_result(conn)
}

pub fn insert(conn: &mut DbConn, input: &AssociationInput) -> QueryResult<String> {
    let id = new_id();
    let at = now();
    diesel::insert_into(a::table)
        .values((
            a::id.eq(&id),
            a::code.eq(input.code.clone().unwrap_or_default()),
            a::name.eq(input.name.clone().unwrap_or_default()),
            a::email.eq(input.email.clone().flatten()),
            a::phone.eq(input.phone.clone().flatten()),
            a::website.eq(input.website.clone().flatten()),
            a::statute_date.eq(input.statute_date.flatten()),
            a::logo_file_id.eq(input.logo_file_id.clone().flatten()),
            a::created_at.eq(at),
            a::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

#[derive(AsChangeset)]
#[diesel(table_name = a)]
struct Changes<'x> {
    name: Option<&'x str>,
    email: Option<Option<&'x str>>,
    phone: Option<Option<&'x str>>,
    website: Option<Option<&'x str>>,
    statute_date: Option<Option<NaiveDate>>,
    logo_file_id: Option<Option<&'x str>>,
    updated_at: NaiveDateTime,
}

pub fn update(conn: &mut DbConn, id: &str, input: &AssociationInput) -> QueryResult<()> {
    let changes = Changes {
        name: input.name.as_deref(),
        email: input.email.as_ref().map(Option::as_deref),
        phone: input.phone.as_ref().map(Option::as_deref),
        website: input.website.as_ref().map(Option::as_deref),
        statute_date: input.statute_date,
        logo_file_id: input.logo_file_id.as_ref().map(Option::as_deref),
        updated_at: now(),
    };
    diesel::update(a::table.find(id)).set(&changes).execute(conn).map(|_| ())
}

/// The qualifying (field, degree level) pairs, fields in their normalised form.
pub fn qualifications(conn: &mut DbConn, association_id: &str) -> QueryResult<Vec<(String, String)>> {
    aq::table
        .filter(aq::association_id.eq(association_id))
        .order((aq::field.asc(), aq::degree_level.asc()))
        .select((aq::field, aq::degree_level))
        .load(conn)
}

pub fn replace_qualifications(conn: &mut DbConn, association_id: &str, pairs: &[(String, String)]) -> QueryResult<()> {
    diesel::delete(aq::table.filter(aq::association_id.eq(association_id))).execute(conn)?;
    for (field, degree) in pairs {
        diesel::insert_into(aq::table)
            .values((
                aq::id.eq(new_id()),
                aq::association_id.eq(association_id),
                aq::field.eq(field),
                aq::degree_level.eq(degree),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = m)]
pub struct Membership {
    pub id: String,
    pub association_id: String,
    pub person_id: String,
    pub status: String,
    pub field: String,
    pub degree_level: String,
    pub source: String,
    pub reason: Option<String>,
    pub requested_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
}

pub fn membership(conn: &mut DbConn, id: &str) -> QueryResult<Option<Membership>> {
    m::table.find(id).select(Membership::as_select()).first(conn).optional()
}

pub fn membership_of(conn: &mut DbConn, association_id: &str, person_id: &str) -> QueryResult<Option<Membership>> {
    m::table
        .filter(m::association_id.eq(association_id))
        .filter(m::person_id.eq(person_id))
        .select(Membership::as_select())
        .first(conn)
        .optional()
}

pub struct NewMembership<'x> {
    pub association_id: &'x str,
    pub person_id: &'x str,
    pub field: &'x str,
    pub degree_level: &'x str,
    pub status: MembershipStatus,
    pub source: &'x str,
    pub decided_by: Option<&'x str>,
}

pub fn insert_membership(conn: &mut DbConn, n: &NewMembership<'_>) -> QueryResult<String> {
    let id = new_id();
    let at = now();
    let decided = n.status != MembershipStatus::Pending;
    diesel::insert_into(m::table)
        .values((
            m::id.eq(&id),
            m::association_id.eq(n.association_id),
            m::person_id.eq(n.person_id),
            m::status.eq(n.status.as_str()),
            m::field.eq(n.field),
            m::degree_level.eq(n.degree_level),
            m::source.eq(n.source),
            m::requested_at.eq(at),
            m::decided_at.eq(decided.then_some(at)),
            m::decided_by.eq(n.decided_by),
        ))
        .execute(conn)?;
    record_event(conn, &id, n.status, None, n.decided_by)?;
    Ok(id)
}

/// A closed membership (rejected, left, removed) opened again: asked again by the person
/// (`Pending`) or registered again by an admin (`Approved`, `by` set), with the new field and
/// degree. Its history stays.
pub fn reopen(
    conn: &mut DbConn,
    id: &str,
    field: &str,
    degree: &str,
    status: MembershipStatus,
    by: Option<&str>,
) -> QueryResult<()> {
    let at = now();
    let decided = status != MembershipStatus::Pending;
    diesel::update(m::table.find(id))
        .set((
            m::status.eq(status.as_str()),
            m::field.eq(field),
            m::degree_level.eq(degree),
            m::reason.eq(None::<String>),
            m::requested_at.eq(at),
            m::decided_at.eq(decided.then_some(at)),
            m::decided_by.eq(by),
            m::ended_at.eq(None::<NaiveDateTime>),
            m::ended_by.eq(None::<String>),
        ))
        .execute(conn)?;
    record_event(conn, id, status, None, by)
}

/// One step of a membership's history.
fn record_event(
    conn: &mut DbConn,
    membership: &str,
    status: MembershipStatus,
    reason: Option<&str>,
    actor: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(me::table)
        .values((
            me::id.eq(new_id()),
            me::membership_id.eq(membership),
            me::status.eq(status.as_str()),
            me::reason.eq(reason),
            me::actor_id.eq(actor),
            me::at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A step of a membership's history with the actor's name.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub status: String,
    pub reason: Option<String>,
    pub actor: Option<String>,
    pub at: NaiveDateTime,
}

/// status, reason, actor's first and last name, time.
type HistoryTuple = (String, Option<String>, Option<String>, Option<String>, NaiveDateTime);

/// A membership's history, oldest first.
pub fn history(conn: &mut DbConn, membership: &str) -> QueryResult<Vec<HistoryRow>> {
    let rows: Vec<HistoryTuple> = me::table
        .left_join(p::table.on(me::actor_id.eq(p::id.nullable())))
        .filter(me::membership_id.eq(membership))
        .order((me::at.asc(), me::id.asc()))
        .select((me::status, me::reason, p::first_name.nullable(), p::last_name.nullable(), me::at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(status, reason, f, l, at)| HistoryRow {
            status,
            reason,
            actor: f.zip(l).map(|(f, l)| format!("{f} {l}")),
            at,
        })
        .collect())
}

/// Ends a current membership (`Left` or `Removed`) if it is still approved; false when it
/// changed meanwhile.
pub fn end_membership(
    conn: &mut DbConn,
    id: &str,
    to: MembershipStatus,
    reason: Option<&str>,
    by: &str,
) -> QueryResult<bool> {
    let n = diesel::update(m::table.find(id).filter(m::status.eq(MembershipStatus::Approved.as_str())))
        .set((m::status.eq(to.as_str()), m::reason.eq(reason), m::ended_at.eq(now()), m::ended_by.eq(by)))
        .execute(conn)?;
    if n == 1 {
        record_event(conn, id, to, reason, Some(by))?;
    }
    Ok(n == 1)
}

/// Tells the commission's webhook subscribers that a membership ended (`membership.ended`:
/// association code, national code, `left` or `removed`, when). Call in the transaction.
pub fn announce_end(conn: &mut DbConn, membership_id: &str) -> QueryResult<()> {
    let (code, national_code, status, ended_at): (String, String, String, Option<NaiveDateTime>) = m::table
        .inner_join(a::table)
        .inner_join(p::table)
        .filter(m::id.eq(membership_id))
        .select((a::code, p::national_code, m::status, m::ended_at))
        .first(conn)?;
    anjoman_core::platform::webhooks::emit(
        conn,
        &anjoman_core::platform::webhooks::Owner::commission(),
        "membership.ended",
        serde_json::json!({
            "association": code,
            "national_code": national_code,
            "how": status,
            "ended_at": ended_at.map(|t| t.and_utc().to_rfc3339()),
        }),
    )?;
    Ok(())
}

/// Tells the commission's webhook subscribers that a membership is approved
/// (`membership.approved`: association code, national code, when). Call in the transaction
/// of the approval.
pub fn announce_approval(conn: &mut DbConn, membership_id: &str) -> QueryResult<()> {
    let (code, national_code, decided_at): (String, String, Option<NaiveDateTime>) = m::table
        .inner_join(a::table)
        .inner_join(p::table)
        .filter(m::id.eq(membership_id))
        .select((a::code, p::national_code, m::decided_at))
        .first(conn)?;
    anjoman_core::platform::webhooks::emit(
        conn,
        &anjoman_core::platform::webhooks::Owner::commission(),
        "membership.approved",
        serde_json::json!({
            "association": code,
            "national_code": national_code,
            "approved_at": decided_at.map(|t| t.and_utc().to_rfc3339()),
        }),
    )?;
    Ok(())
}

/// Records a decision if the membership is still in `from`; false when someone else decided first.
pub fn decide(
    conn: &mut DbConn,
    id: &str,
    from: MembershipStatus,
    to: MembershipStatus,
    reason: Option<&str>,
    by: &str,
) -> QueryResult<bool> {
    let n = diesel::update(m::table.find(id).filter(m::status.eq(from.as_str())))
        .set((m::status.eq(to.as_str()), m::reason.eq(reason), m::decided_at.eq(now()), m::decided_by.eq(by)))
        .execute(conn)?;
    if n == 1 {
        record_event(conn, id, to, reason, Some(by))?;
    }
    Ok(n == 1)
}

/// A member row for admins: the membership with the person's name and national code.
pub struct MemberRow {
    pub membership: Membership,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
}

/// A search's total is counted up to this many members; past it the answer says "more than".
pub const SEARCH_TOTAL_CAP: i64 = 1_000;

/// How many members a list holds: exact, or — for a search matching more than
/// [`SEARCH_TOTAL_CAP`] — at least that many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: i64,
    pub capped: bool,
}

/// Members of an association, filtered by status and by a search over the normalised name
/// and the national code; newest first.
///
/// The name searched is kept on the membership (migration 15) beside one index of the
/// association and the name's trigrams, so neither the page nor the total joins every match to
/// `persons`; the page is read on its own (for a common name PostgreSQL walks the newest
/// memberships until it has a page) and a search's total is counted only up to
/// [`SEARCH_TOTAL_CAP`]: "محمد" matches 4 % of a million members, and counting them all cost
/// a quarter of a second a search.
pub fn members(
    conn: &mut DbConn,
    association_id: &str,
    status: Option<MembershipStatus>,
    query: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Total, Vec<MemberRow>)> {
    let filtered = || {
        let mut q = m::table.filter(m::association_id.eq(association_id.to_owned())).into_boxed();
        if let Some(s) = status {
            q = q.filter(m::status.eq(s.as_str()));
        }
        if let Some(text) = query {
            let key = anjoman_core::text::search_key(text);
            let digits: String = key.chars().filter(char::is_ascii_digit).collect();
            if !digits.is_empty() && digits.len() == key.len() {
                let by_code = p::table.filter(p::national_code.like(format!("{digits}%"))).select(p::id);
                q = q.filter(m::person_id.eq_any(by_code));
            } else {
                q = q.filter(m::search_name.like(format!("%{key}%")));
            }
        }
        q
    };
    // A search first gathers its matches, up to one more than the cap: that is its total, and
    // when it is within the cap the page is read from those rows by id instead of searching
    // the names a second time.
    let (total, matched) = if query.is_some() {
        let ids: Vec<String> = filtered().select(m::id).limit(SEARCH_TOTAL_CAP + 1).load(conn)?;
        let capped = ids.len() as i64 > SEARCH_TOTAL_CAP;
        (Total { count: (ids.len() as i64).min(SEARCH_TOTAL_CAP), capped }, (!capped).then_some(ids))
    } else {
        (Total { count: filtered().count().get_result(conn)?, capped: false }, None)
    };
    let page = match &matched {
        Some(ids) => m::table.filter(m::id.eq_any(ids)).into_boxed(),
        None => filtered(),
    };
    let rows: Vec<(Membership, (String, String, String))> = page
        .inner_join(p::table)
        .order((m::requested_at.desc(), m::id.desc()))
        .offset(offset)
        .limit(limit)
        .select((Membership::as_select(), (p::national_code, p::first_name, p::last_name)))
        .load(conn)?;
    Ok((
        total,
        rows.into_iter()
            .map(|(membership, (national_code, first_name, last_name))| MemberRow {
                membership,
                national_code,
                first_name,
                last_name,
            })
            .collect(),
    ))
}

/// A person's memberships with the associations' names.
pub fn memberships_of_person(conn: &mut DbConn, person_id: &str) -> QueryResult<Vec<(Membership, String)>> {
    m::table
        .inner_join(a::table)
        .filter(m::person_id.eq(person_id))
        .order(a::name.asc())
        .select((Membership::as_select(), a::name))
        .load(conn)
}
