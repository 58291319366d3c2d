//! The count without decrypting a ballot (EL-10, EL-11): the ballots' homomorphic sum once voting
//! closes, each trustee's verified partial decryption of it, and the totals from enough of them.

use actix_web::{get, post, web};
use anjoman_ballot_crypto::elgamal::Ciphertext;
use anjoman_ballot_crypto::record::{self as rec, ContestParams};
use anjoman_ballot_crypto::threshold;
use anjoman_ballot_crypto::wire::{self, BallotJson, ContestAggregateJson, PartialDecryptionJson};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::{ballots as b, elections as el};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::AppState;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ceremony::{Ceremony, ceremony_of};
use super::record::ballot_params;
use super::trustees::{Message, TrusteeRow, record_message, trustees};
use super::{invalid, my_row};
use crate::errors::ElectionsError;
use crate::model::Election;
use crate::rules::{self, Status};
use crate::store;

/// Ballots read and added per round of the aggregate: memory stays at one page (about 6 MB)
/// whatever the election's size.
const AGGREGATE_PAGE: i64 = 2_000;

/// The ballots' homomorphic sum, made once after voting closes and kept. The ballots are read
/// a page at a time in tracking-code order, and each page is parsed and added on every core
/// (parsing the points is nearly all of the work).
pub fn ensure_aggregate(conn: &mut DbConn, e: &Election) -> Result<Vec<ContestAggregateJson>, ApiError> {
    if let Some(a) = &e.aggregate {
        return serde_json::from_str(a).map_err(|_| ApiError::Internal);
    }
    rules::require(e.state(), &[Status::Closed])?;
    let params = ballot_params(conn, &e.id)?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut sums = rec::aggregate(&params, std::iter::empty());
    let mut after = String::new();
    loop {
        let page: Vec<(String, String)> = b::table
            .filter(b::election_id.eq(&e.id))
            .filter(b::tracking_code.gt(&after))
            .order(b::tracking_code.asc())
            .limit(AGGREGATE_PAGE)
            .select((b::tracking_code, b::content))
            .load(conn)?;
        let Some((last, _)) = page.last() else { break };
        after = last.clone();
        let part = page.len().div_ceil(cores);
        let partials = std::thread::scope(|scope| {
            let workers: Vec<_> =
                page.chunks(part).map(|ballots| scope.spawn(|| sum_of_ballots(&params, ballots))).collect();
            workers.into_iter().map(|w| w.join().unwrap_or(Err(ApiError::Internal))).collect::<Vec<_>>()
        });
        for partial in partials {
            rec::aggregate_merge(&mut sums, &partial?);
        }
    }
    let json = rec::aggregate_json(&params, &sums);
    let text = serde_json::to_string(&json).map_err(|_| ApiError::Internal)?;
    diesel::update(el::table.find(&e.id).filter(el::aggregate.is_null())).set(el::aggregate.eq(text)).execute(conn)?;
    Ok(json)
}

/// The sum of some stored ballots (tracking code, content); they were checked when cast.
fn sum_of_ballots(
    params: &[ContestParams],
    ballots: &[(String, String)],
) -> Result<Vec<(Vec<Ciphertext>, Ciphertext)>, ApiError> {
    let mut parsed = Vec::with_capacity(ballots.len());
    for (_, content) in ballots {
        let ballot: BallotJson = serde_json::from_str(content).map_err(|_| ApiError::Internal)?;
        parsed.push(
            ballot
                .contests
                .iter()
                .map(wire::contest_parse)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| ApiError::Internal)?,
        );
    }
    Ok(rec::aggregate(params, parsed.iter().map(Vec::as_slice)))
}

#[derive(Serialize, ToSchema)]
pub struct Aggregate {
    pub election_id: String,
    pub ballots: i64,
    /// Per contest: `{contest, choices: [{a, b}], blank: {a, b}}`, the sum of every ballot.
    #[schema(value_type = Vec<std::collections::HashMap<String, serde_json::Value>>)]
    pub contests: Vec<ContestAggregateJson>,
}

/// The encrypted totals the trustees decrypt, once voting has closed.
#[utoipa::path(tag = "trustees", params(("id" = String, Path, description = "The election")), responses((status = 200, description = "The aggregate", body = Aggregate), (status = 409, description = "`wrong_election_state`: voting has not closed", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/aggregate")]
pub async fn show_aggregate(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<Aggregate>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let e = store::get(conn, &id)?;
            rules::require(e.state(), &[Status::Closed, Status::Tallied, Status::ResultsPublished])?;
            let contests = ensure_aggregate(conn, &e)?;
            let ballots = store::ballot_count(conn, &id)?;
            Ok(Aggregate { election_id: id, ballots, contests })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct PartialBody {
    /// `{version, election, trustee, contests: [{contest, choices: [{factor, challenge, response}], blank}]}`.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub partial_decryption: serde_json::Value,
}

/// The verified partial decryptions, in trustee order.
fn verified_partials(
    e: &Election,
    rows: &[TrusteeRow],
    params: &[ContestParams],
    sums: &[(Vec<anjoman_ballot_crypto::elgamal::Ciphertext>, anjoman_ballot_crypto::elgamal::Ciphertext)],
) -> Result<Vec<Vec<Vec<threshold::PartialDecryption>>>, ApiError> {
    let mut out = Vec::new();
    for t in rows {
        let (Some(pd), Some(vk)) = (&t.partial_decryption, &t.verification_key) else { continue };
        let pd: PartialDecryptionJson = serde_json::from_str(pd).map_err(|_| ApiError::Internal)?;
        let vk = wire::parse_point(vk).map_err(|_| ApiError::Internal)?;
        out.push(rec::verify_partial(&e.id, &vk, params, sums, &pd).map_err(|_| ApiError::Internal)?);
    }
    Ok(out)
}

/// A trustee's partial decryption of the aggregate, each slot with its proof; refused unless
/// every proof checks out against the trustee's verification key.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), request_body = PartialBody, responses((status = 200, description = "Accepted", body = Ceremony), (status = 400, description = "A proof does not verify", body = anjoman_core::error::ErrorBody), (status = 403, description = "`not_a_trustee`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`already_done` or `wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/partial-decryption")]
pub async fn submit_partial(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<PartialBody>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (e, rows, i) = my_row(conn, &user, &id, &[Status::Closed])?;
                if rows[i].partial_decryption.is_some() {
                    return Err(ElectionsError::PartialDecryptionIn.into());
                }
                let pd: PartialDecryptionJson = serde_json::from_value(body.into_inner().partial_decryption)
                    .map_err(|x| invalid("partial_decryption", x))?;
                if pd.trustee != rows[i].trustee as u32 {
                    return Err(invalid("partial_decryption", "another trustee's place"));
                }
                let params = ballot_params(conn, &id)?;
                let agg = ensure_aggregate(conn, &e)?;
                let sums = rec::aggregate_parse(&params, &agg).map_err(|_| ApiError::Internal)?;
                let vk = wire::parse_point(rows[i].verification_key.as_deref().unwrap_or_default())
                    .map_err(|_| ApiError::Internal)?;
                rec::verify_partial(&id, &vk, &params, &sums, &pd).map_err(|x| invalid("partial_decryption", x))?;
                let json = serde_json::to_string(&pd).map_err(|_| ApiError::Internal)?;
                record_message(conn, &id, rows[i].trustee as u32, Message::PartialDecryption(&json))?;
                audit::record(
                    conn,
                    Event::new("election.trustee_decrypted", "election", Some(&id)).by(&user.person_id),
                )?;
                let e = store::get(conn, &id)?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// The decrypted counts, from the threshold's worth of verified partial decryptions.
pub fn decrypt_counts(conn: &mut DbConn, e: &Election) -> Result<Vec<rec::ContestCounts>, ApiError> {
    let rows = trustees(conn, &e.id)?;
    let params = ballot_params(conn, &e.id)?;
    let agg = ensure_aggregate(conn, e)?;
    let sums = rec::aggregate_parse(&params, &agg).map_err(|_| ApiError::Internal)?;
    let partials = verified_partials(e, &rows, &params, &sums)?;
    let k = e.trustee_threshold.max(1) as usize;
    if partials.len() < k {
        return Err(ElectionsError::AwaitingTrustees { needed: k, have: partials.len() }.into());
    }
    let ballots = store::ballot_count(conn, &e.id)?;
    rec::counts(&params, &sums, &partials[..k], k as u32, ballots.max(0) as u64).map_err(|_| ApiError::Internal)
}
