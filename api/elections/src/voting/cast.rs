//! Casting the ballot (EL-08, EL-09): the code checked, the encrypted ballot and its proofs
//! verified, stored apart from who voted, and the tracking code given back — once.

use actix_web::{HttpResponse, post, web};
use anjoman_core::ApiError;
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::{ballots as b, participations as pa, vote_codes as vc};
use anjoman_core::db::{DbConn, now, write_tx};
use anjoman_core::http::AppState;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{MAX_ATTEMPTS, has_voted, hash, on_roll, open_now};
use crate::errors::ElectionsError;
use crate::model::Election;

#[derive(Deserialize, ToSchema)]
pub struct CastBallot {
    /// The encrypted ballot made in the voter's browser (EL-10): `{version, election, contests:
    /// [{contest, choices, choice_proofs, blank, blank_proof, sum_proof}]}`, one ciphertext per
    /// candidate in the order of the election page, each proven 0 or 1, and the contest's total
    /// proven within its maximum. Plaintext choices are not accepted.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub ballot: serde_json::Value,
    /// The confirmation code (EL-07).
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct Cast {
    /// The hash of the encrypted ballot (SHA-256, base64url): find it on the public bulletin.
    pub tracking_code: String,
}

fn ballot_refused(why: impl std::fmt::Display) -> ApiError {
    ApiError::field(
        "ballot",
        &format!("برگهٔ رمزشده پذیرفته نشد: {why}"),
        &format!("The encrypted ballot was refused: {why}"),
    )
}

/// Parses and checks an encrypted ballot against the election's key and contests; returns its
/// canonical JSON and tracking code. CPU work, run off the request threads.
fn check_encrypted(
    election: &str,
    key: &str,
    params: &[anjoman_ballot_crypto::record::ContestParams],
    ballot: serde_json::Value,
) -> Result<(String, String), ApiError> {
    use anjoman_ballot_crypto::wire;
    let parsed: wire::BallotJson = serde_json::from_value(ballot).map_err(ballot_refused)?;
    let y = wire::parse_point(key).map_err(|_| ApiError::Internal)?;
    let shape: Vec<_> = params.iter().map(|c| c.shape()).collect();
    wire::verify_ballot(&parsed, election, &y, &shape).map_err(ballot_refused)?;
    let canonical = serde_json::to_string(&parsed).map_err(|_| ApiError::Internal)?;
    Ok((canonical, wire::tracker(&parsed)))
}

enum Outcome {
    Cast(String),
    Refused(ApiError),
}

fn wrong_code(exhausted: bool) -> ApiError {
    if exhausted {
        ElectionsError::CodeExhausted.into()
    } else {
        ApiError::field("code", "کد تأیید نادرست یا منقضی است.", "The confirmation code is wrong or has expired.")
    }
}

/// Casts the ballot with the confirmation code (EL-08, EL-09): once, whatever the number of
/// devices or concurrent requests. Who voted and what was voted go to separate tables.
#[utoipa::path(
    tag = "voting",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = CastBallot,
    responses(
        (status = 201, description = "Cast", body = Cast),
        (status = 400, description = "The encrypted ballot does not verify (field `ballot`), or a wrong or expired code", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not on the roll", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_voted`, `voting_closed`, `code_exhausted`, `duplicate_ballot`, or `sms_not_arrived` (inbound channel)", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/ballot")]
pub async fn cast_ballot(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CastBallot>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    // The cheap refusals first, then the proofs (off the database), then the cast itself.
    let (person, election) = (user.person_id.clone(), id.clone());
    let (key, params) = state
        .db(move |conn| {
            let e = may_vote(conn, &election, &person)?;
            let params = crate::verifiable::record::ballot_params(conn, &election)?;
            Ok((e.public_key.unwrap_or_default(), params))
        })
        .await?;
    let election = id.clone();
    let ballot = body.ballot;
    let (content, tracking) = web::block(move || check_encrypted(&election, &key, &params, ballot))
        .await
        .map_err(|_| ApiError::Internal)??;
    let code = body.code;
    let outcome = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                may_vote(conn, &id, &user.person_id)?;
                if let Err(refused) = check_code(conn, &id, &user.person_id, &code)? {
                    return Ok(Outcome::Refused(refused));
                }
                // The same encrypted ballot twice (a replay of someone else's): refused before
                // anything is written, so the transaction stays usable on PostgreSQL.
                if in_box(conn, &tracking)? {
                    return Ok(Outcome::Refused(ElectionsError::DuplicateBallot.into()));
                }
                put_in_box(conn, &id, &user.person_id, &tracking, &content)?;
                Ok(Outcome::Cast(tracking))
            })
        })
        .await?;
    match outcome {
        Outcome::Cast(tracking_code) => Ok(HttpResponse::Created().json(Cast { tracking_code })),
        Outcome::Refused(e) => Err(e),
    }
}

/// The election is open now, the person is on its roll and has not voted; the election.
fn may_vote(conn: &mut DbConn, election: &str, person: &str) -> Result<Election, ApiError> {
    let e = open_now(conn, election)?;
    if !on_roll(conn, election, person)? {
        return Err(ElectionsError::NotOnRoll.into());
    }
    if has_voted(conn, election, person)? {
        return Err(ElectionsError::AlreadyVoted.into());
    }
    Ok(e)
}

/// The person's live one-time code against the one given: `Ok(Err(refusal))` when it is wrong
/// (the attempt is counted and kept: the refusal must not roll it back), used up, or an inbound
/// SMS that has not arrived.
fn check_code(conn: &mut DbConn, election: &str, person: &str, code: &str) -> Result<Result<(), ApiError>, ApiError> {
    let live: Option<(String, String, i32, String, Option<NaiveDateTime>)> = vc::table
        .filter(vc::election_id.eq(election))
        .filter(vc::person_id.eq(person))
        .filter(vc::expires_at.gt(now()))
        .order(vc::created_at.desc())
        .select((vc::id, vc::code_hash, vc::attempts, vc::channel, vc::confirmed_at))
        .first(conn)
        .optional()?;
    let Some((code_id, code_hash, attempts, channel, confirmed)) = live else {
        // A concurrent request from another device may just have cast it (and used the code
        // up): say so rather than "wrong code".
        if has_voted(conn, election, person)? {
            return Err(ElectionsError::AlreadyVoted.into());
        }
        return Ok(Err(wrong_code(false)));
    };
    if attempts >= MAX_ATTEMPTS {
        return Ok(Err(wrong_code(true)));
    }
    if hash(&code_id, &anjoman_core::text::normalize_digits(code.trim())) != code_hash {
        diesel::update(vc::table.find(&code_id)).set(vc::attempts.eq(vc::attempts + 1)).execute(conn)?;
        return Ok(Err(wrong_code(attempts + 1 >= MAX_ATTEMPTS)));
    }
    if channel == "inbound" && confirmed.is_none() {
        return Ok(Err(ElectionsError::SmsNotArrived.into()));
    }
    Ok(Ok(()))
}

/// Whether a ballot with this tracking code is in any box already.
fn in_box(conn: &mut DbConn, tracking: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(b::table.filter(b::tracking_code.eq(tracking)))).get_result(conn)
}

/// Records that the person voted (the primary key refuses a second row, also under
/// concurrency), puts the ballot in the box under a random id with no person and no time, and
/// uses the person's codes up.
fn put_in_box(conn: &mut DbConn, election: &str, person: &str, tracking: &str, content: &str) -> Result<(), ApiError> {
    diesel::insert_into(pa::table)
        .values((pa::election_id.eq(election), pa::person_id.eq(person)))
        .execute(conn)
        .map_err(|e| match ApiError::from(e) {
            ApiError::Conflict { .. } => ElectionsError::AlreadyVoted.into(),
            other => other,
        })?;
    let ballot_id = uuid::Uuid::new_v4().simple().to_string();
    diesel::insert_into(b::table)
        .values((
            b::id.eq(&ballot_id),
            b::election_id.eq(election),
            b::tracking_code.eq(tracking),
            b::content.eq(content),
        ))
        .execute(conn)?;
    diesel::delete(vc::table.filter(vc::election_id.eq(election)).filter(vc::person_id.eq(person))).execute(conn)?;
    Ok(())
}
