//! Every query of elections, their contests and candidates.

use anjoman_core::ApiError;
use anjoman_core::db::schema::{
    ballots as b, candidates as cand, contests as ct, elections as el, participations as pa,
};
use anjoman_core::db::{DbConn, now};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::model::{
    Candidate, CandidateRow, Contest, Election, ElectionChanges, NewCandidate, NewContest, NewElection,
};
use crate::rules::{ContestRule, Status};

pub fn get(conn: &mut DbConn, id: &str) -> Result<Election, ApiError> {
    el::table.find(id).select(Election::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// Elections in these statuses (of one association, if given), newest first.
pub fn list(conn: &mut DbConn, statuses: &[&str], association: Option<&str>) -> QueryResult<Vec<Election>> {
    let mut query = el::table.filter(el::status.eq_any(statuses)).into_boxed();
    if let Some(id) = association {
        query = query.filter(el::association_id.eq(id.to_owned()));
    }
    query.order(el::starts_at.desc()).select(Election::as_select()).load(conn)
}

/// A draft election with its contests, in the order given.
pub fn insert(conn: &mut DbConn, row: &NewElection, contests: &[NewContest]) -> QueryResult<()> {
    diesel::insert_into(el::table).values(row).execute(conn)?;
    // One statement per contest: batch inserts are not available on the multi-backend connection.
    for c in contests {
        diesel::insert_into(ct::table).values(c).execute(conn)?;
    }
    Ok(())
}

pub fn update(conn: &mut DbConn, id: &str, changes: &ElectionChanges) -> QueryResult<()> {
    diesel::update(el::table.find(id)).set((changes, el::updated_at.eq(now()))).execute(conn).map(drop)
}

/// Moves an election from one state to another by a conditional update; false when someone
/// else moved it first.
pub fn transition(conn: &mut DbConn, id: &str, from: Status, to: Status) -> QueryResult<bool> {
    let n = diesel::update(el::table.find(id).filter(el::status.eq(from.as_str())))
        .set((el::status.eq(to.as_str()), el::updated_at.eq(now())))
        .execute(conn)?;
    Ok(n == 1)
}

/// A new end for an open election; false when it is no longer open.
pub fn extend(conn: &mut DbConn, id: &str, ends_at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(el::table.find(id).filter(el::status.eq(Status::Open.as_str())))
        .set((el::ends_at.eq(ends_at), el::updated_at.eq(now())))
        .execute(conn)?;
    Ok(n == 1)
}

/// Counts a closed election: its status, results and decrypted counts in one conditional update;
/// false when it is no longer closed.
pub fn tally(conn: &mut DbConn, id: &str, results: &str, counts: &str) -> QueryResult<bool> {
    let n = diesel::update(el::table.find(id).filter(el::status.eq(Status::Closed.as_str())))
        .set((
            el::status.eq(Status::Tallied.as_str()),
            el::results.eq(results),
            el::counts.eq(counts),
            el::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// How many have voted (participations), and how many ballots are in the box.
pub fn voted(conn: &mut DbConn, election: &str) -> QueryResult<i64> {
    pa::table.filter(pa::election_id.eq(election)).count().get_result(conn)
}

pub fn ballot_count(conn: &mut DbConn, election: &str) -> QueryResult<i64> {
    b::table.filter(b::election_id.eq(election)).count().get_result(conn)
}

/// Every ballot's tracking code, sorted.
pub fn tracking_codes(conn: &mut DbConn, election: &str) -> QueryResult<Vec<String>> {
    b::table.filter(b::election_id.eq(election)).order(b::tracking_code).select(b::tracking_code).load(conn)
}

pub fn contests(conn: &mut DbConn, election: &str) -> QueryResult<Vec<Contest>> {
    ct::table.filter(ct::election_id.eq(election)).order(ct::sort_order).select(Contest::as_select()).load(conn)
}

/// Whether the contest belongs to the election.
pub fn has_contest(conn: &mut DbConn, election: &str, contest: &str) -> QueryResult<bool> {
    let n: i64 = ct::table.filter(ct::id.eq(contest)).filter(ct::election_id.eq(election)).count().get_result(conn)?;
    Ok(n > 0)
}

/// Candidates of an election in Persian alphabetical order of their names (EL-03).
pub fn candidates(conn: &mut DbConn, election: &str) -> QueryResult<Vec<CandidateRow>> {
    let rows: Vec<Candidate> =
        cand::table.filter(cand::election_id.eq(election)).select(Candidate::as_select()).load(conn)?;
    let ids: Vec<String> = rows.iter().map(|c| c.person_id.clone()).collect();
    let persons = anjoman_identity::store::persons_by_id(conn, &ids)?;
    let mut rows: Vec<CandidateRow> = rows
        .into_iter()
        .filter_map(|c| {
            let p = persons.get(&c.person_id)?;
            Some(CandidateRow {
                first_name: p.first_name.clone(),
                last_name: p.last_name.clone(),
                id: c.id,
                contest_id: c.contest_id,
                person_id: c.person_id,
                election_code: c.election_code,
                university: c.university,
                field: c.field,
                academic_rank: c.academic_rank,
                photo_file_id: c.photo_file_id,
                resume_file_id: c.resume_file_id,
                programme_file_id: c.programme_file_id,
            })
        })
        .collect();
    // The id breaks ties, so the order (which is also the order of an encrypted ballot's
    // choices) is the same on every query.
    rows.sort_by_cached_key(|c| {
        (crate::rules::persian_sort_key(&c.last_name), crate::rules::persian_sort_key(&c.first_name), c.id.clone())
    });
    Ok(rows)
}

/// Whether the election code is given to a candidate of the election already.
pub fn code_taken(conn: &mut DbConn, election: &str, code: &str) -> QueryResult<bool> {
    let n: i64 = cand::table
        .filter(cand::election_id.eq(election))
        .filter(cand::election_code.eq(code))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert_candidate(conn: &mut DbConn, row: &NewCandidate) -> QueryResult<()> {
    diesel::insert_into(cand::table).values(row).execute(conn).map(drop)
}

/// The contests with their candidates in ballot order, for counting.
pub fn contest_rules(conn: &mut DbConn, election: &str) -> QueryResult<Vec<ContestRule>> {
    let contests = contests(conn, election)?;
    let cands = candidates(conn, election)?;
    Ok(contests
        .into_iter()
        .map(|c| ContestRule {
            candidates: cands.iter().filter(|x| x.contest_id == c.id).map(|x| x.id.clone()).collect(),
            id: c.id,
            seats: c.seats,
            alternates: c.alternates,
            max_selections: c.max_selections,
        })
        .collect())
}
