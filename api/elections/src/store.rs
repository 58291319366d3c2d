//! Every query of elections, their contests and candidates.

use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::db::schema::{
    ballots as b, candidates as cand, contests as ct, elections as el, participations as pa,
};
use anjoman_core::db::{DbConn, now};
use diesel::prelude::*;

use crate::errors::ElectionsError;
use crate::model::{
    Candidate, CandidateRow, Contest, Election, ElectionChanges, NewCandidate, NewContest, NewElection, StepChanges,
};
use crate::rules::{self, Action, ContestRule, Status};

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

/// Moves an election by an action: checks the state machine, updates only while it is still
/// in `from` (with what the step writes beside the status) and records the step's audit entry.
/// False when someone else moved it first; then nothing is written.
pub fn transition(conn: &mut DbConn, id: &str, from: Status, action: Action, step: Step) -> Result<bool, ApiError> {
    let to = rules::next(from, action)?;
    let n = diesel::update(el::table.find(id).filter(el::status.eq(from.as_str())))
        .set((el::status.eq(to.as_str()), el::updated_at.eq(now()), &step.set))
        .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    audit::record(conn, Event::new(action.event(), "election", Some(id)).by(step.by).states(step.before, step.after))?;
    Ok(true)
}

/// An admin's step: `transition`, where a concurrent move is refused naming the state it left.
pub fn step(conn: &mut DbConn, e: &Election, action: Action, step: Step) -> Result<(), ApiError> {
    if transition(conn, &e.id, e.state(), action, step)? {
        return Ok(());
    }
    rules::next(get(conn, &e.id)?.state(), action)?;
    Err(ElectionsError::ElectionChanged.into())
}

/// Who takes a step, what it writes beside the status, and the audit's before and after.
pub struct Step<'a> {
    pub by: &'a str,
    pub set: StepChanges,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Step<'a> {
    pub fn by(by: &'a str) -> Self {
        Step { by, set: StepChanges::default(), before: None, after: None }
    }

    pub fn set(self, set: StepChanges) -> Self {
        Step { set, ..self }
    }

    pub fn states(self, before: Option<serde_json::Value>, after: Option<serde_json::Value>) -> Self {
        Step { before, after, ..self }
    }
}

/// How many have voted (participations), and how many ballots are in the box.
pub fn voted(conn: &mut DbConn, election: &str) -> QueryResult<i64> {
    pa::table.filter(pa::election_id.eq(election)).count().get_result(conn)
}

pub fn ballot_count(conn: &mut DbConn, election: &str) -> QueryResult<i64> {
    b::table.filter(b::election_id.eq(election)).count().get_result(conn)
}

/// Every ballot's tracking code, sorted.
/// A ballot's content as published, by its tracking code.
pub fn ballot_content(conn: &mut DbConn, election: &str, tracking_code: &str) -> QueryResult<Option<String>> {
    b::table
        .filter(b::election_id.eq(election))
        .filter(b::tracking_code.eq(tracking_code))
        .select(b::content)
        .first(conn)
        .optional()
}

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
