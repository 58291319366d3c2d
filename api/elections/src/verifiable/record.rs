//! The election record anyone can verify (EL-10), and a ballot's entry on the bulletin board.

use actix_web::{HttpResponse, get, web};
use anjoman_ballot_crypto::record::{self as rec, ContestParams, ElectionRecord};
use anjoman_ballot_crypto::wire::{self};
use anjoman_core::ApiError;
use anjoman_core::auth::CurrentUser;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::ballots as b;
use anjoman_core::http::AppState;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::trustees::trustees;
use crate::model::Election;
use crate::store;

/// The contests as the crypto sees them: candidates in ballot order, and the maximum.
pub fn ballot_params(conn: &mut DbConn, election: &str) -> QueryResult<Vec<ContestParams>> {
    let cands = store::candidates(conn, election)?;
    Ok(store::contests(conn, election)?
        .into_iter()
        .map(|c| ContestParams {
            candidates: cands.iter().filter(|x| x.contest_id == c.id).map(|x| x.id.clone()).collect(),
            max: c.max_selections.max(0) as u64,
            id: c.id,
        })
        .collect())
}

fn parse<T: serde::de::DeserializeOwned>(s: &Option<String>) -> Result<T, ApiError> {
    s.as_deref().and_then(|s| serde_json::from_str(s).ok()).ok_or(ApiError::Internal)
}

/// The full record of a counted election, for `anjoman verify-election` or anyone's verifier.
pub fn record(conn: &mut DbConn, e: &Election) -> Result<ElectionRecord, ApiError> {
    let rows = trustees(conn, &e.id)?;
    let params = ballot_params(conn, &e.id)?;
    let trustees = rows
        .iter()
        .map(|t| {
            Ok(rec::TrusteeRecord {
                trustee: t.trustee as u32,
                transport: parse(&t.transport)?,
                dealing: parse(&t.dealing)?,
                verification_key: t.verification_key.clone().unwrap_or_default(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let contents: Vec<String> =
        b::table.filter(b::election_id.eq(&e.id)).order(b::tracking_code).select(b::content).load(conn)?;
    let ballots =
        contents.iter().map(|c| serde_json::from_str(c).map_err(|_| ApiError::Internal)).collect::<Result<_, _>>()?;
    Ok(ElectionRecord {
        version: wire::VERSION,
        election: e.id.clone(),
        title: e.title.clone(),
        threshold: e.trustee_threshold as u32,
        contests: params,
        trustees,
        public_key: e.public_key.clone().unwrap_or_default(),
        ballots,
        aggregate: parse(&e.aggregate)?,
        partial_decryptions: rows
            .iter()
            .filter(|t| t.partial_decryption.is_some())
            .map(|t| parse(&t.partial_decryption))
            .collect::<Result<_, _>>()?,
        counts: parse(&e.counts)?,
    })
}

/// The election record (parameters, trustees' keys and proofs, every ballot, the aggregate, the
/// partial decryptions and the counts) — public with the results; `anjoman verify-election`
/// re-checks it.
#[utoipa::path(tag = "elections", security((), ("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "The record (JSON, as a download)", content_type = "application/json"), (status = 409, description = "`results_not_available`", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/record")]
pub async fn election_record(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let r = state
        .db(move |conn| {
            let (e, _) = crate::results::load_results(conn, user.as_ref(), &id)?;
            record(conn, &e)
        })
        .await?;
    let body = serde_json::to_vec(&r).map_err(|_| ApiError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"election-record-{}.json\"", r.election)))
        .body(body))
}

#[derive(Serialize, ToSchema)]
pub struct BulletinEntry {
    pub tracking_code: String,
    /// The encrypted ballot as cast (ciphertexts and proofs).
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub ballot: serde_json::Value,
}

/// One ballot on the public bulletin, by its tracking code: a voter checks that theirs is there.
#[utoipa::path(tag = "elections", params(("id" = String, Path, description = "The election"), ("code" = String, Path, description = "The tracking code")), responses((status = 200, description = "On the bulletin", body = BulletinEntry), (status = 404, description = "No ballot with this tracking code in this public election", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/bulletin/{code}")]
pub async fn bulletin_entry(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<BulletinEntry>, ApiError> {
    let (id, code) = path.into_inner();
    let out = state
        .db(move |conn| {
            if !store::get(conn, &id)?.state().public() {
                return Err(ApiError::NotFound);
            }
            let content = store::ballot_content(conn, &id, code.trim())?.ok_or(ApiError::NotFound)?;
            Ok(BulletinEntry {
                tracking_code: code.trim().to_owned(),
                ballot: serde_json::from_str(&content).map_err(|_| ApiError::Internal)?,
            })
        })
        .await?;
    Ok(web::Json(out))
}
