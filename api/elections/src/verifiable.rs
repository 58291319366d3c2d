//! Verifiable ballots on the server (EL-10). The server is a courier and a bulletin board: the
//! trustees' ceremony messages, the encrypted ballots and the partial decryptions pass through it
//! and are checked by it, but it never holds a key share or a plaintext choice.
//!
//! The crypto's election id is the election's id; the candidates' order in an encrypted contest is
//! their order on the ballot page (Persian alphabetical, [`store::candidates`]).

use actix_web::{HttpResponse, get, post, web};
use anjoman_associations::api::require_manager;
use anjoman_ballot_crypto::elgamal::Ciphertext;
use anjoman_ballot_crypto::record::{self as rec, ContestParams, ElectionRecord};
use anjoman_ballot_crypto::wire::{
    self, BallotJson, ContestAggregateJson, DealingJson, PartialDecryptionJson, TransportKeyJson,
};
use anjoman_ballot_crypto::{ceremony, threshold};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser};
use anjoman_core::db::schema::{ballots as b, election_trustees as tr, elections as el};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::Election;
use crate::rules::{self, Status};
use crate::store;

/// At most this many trustees per election.
pub const MAX_TRUSTEES: usize = 9;

#[derive(Debug, Clone)]
pub struct TrusteeRow {
    pub trustee: i32,
    pub person_id: String,
    pub transport: Option<String>,
    pub dealing: Option<String>,
    pub verification_key: Option<String>,
    pub partial_decryption: Option<String>,
    pub first_name: String,
    pub last_name: String,
}

/// A trustee's seat as stored, before the name is added.
type Seat = (i32, String, Option<String>, Option<String>, Option<String>, Option<String>);

pub fn trustees(conn: &mut DbConn, election: &str) -> QueryResult<Vec<TrusteeRow>> {
    let seats: Vec<Seat> = tr::table
        .filter(tr::election_id.eq(election))
        .order(tr::trustee)
        .select((tr::trustee, tr::person_id, tr::transport, tr::dealing, tr::verification_key, tr::partial_decryption))
        .load(conn)?;
    let ids: Vec<String> = seats.iter().map(|s| s.1.clone()).collect();
    let persons = anjoman_identity::store::persons_by_id(conn, &ids)?;
    Ok(seats
        .into_iter()
        .filter_map(|(trustee, person_id, transport, dealing, verification_key, partial_decryption)| {
            let p = persons.get(&person_id)?;
            Some(TrusteeRow {
                first_name: p.first_name.clone(),
                last_name: p.last_name.clone(),
                trustee,
                person_id,
                transport,
                dealing,
                verification_key,
                partial_decryption,
            })
        })
        .collect())
}

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

/// Names the trustees (by national code) and the threshold; only before the ceremony starts.
pub fn set_trustees(conn: &mut DbConn, election: &str, codes: &[String], threshold: i32) -> Result<(), ApiError> {
    let mut e = FieldErrors::new();
    if codes.is_empty() || codes.len() > MAX_TRUSTEES {
        e.add("trustees", Msg::new("از ۱ تا ۹ امین لازم است.", "Name 1 to 9 trustees."));
    }
    if threshold < 1 || threshold as usize > codes.len().max(1) {
        e.add(
            "trustee_threshold",
            Msg::new(
                "حد نصاب امینان باید از ۱ تا شمار امینان باشد.",
                "The threshold must be between 1 and the number of trustees.",
            ),
        );
    }
    let mut people = Vec::new();
    for (i, raw) in codes.iter().enumerate() {
        let field = format!("trustees[{i}]");
        let Ok(code) = NationalCode::parse(raw) else {
            e.add(&field, Msg::new("کد ملی نامعتبر است.", "Invalid national code."));
            continue;
        };
        let person =
            anjoman_identity::store::account_by_code(conn, code.as_str())?.filter(|a| !a.disabled).map(|a| a.person_id);
        match person {
            None => e.add(
                &field,
                Msg::new("امین باید حساب کاربری در سامانه داشته باشد.", "A trustee must have an account here."),
            ),
            Some(id) if people.contains(&id) => {
                e.add(&field, Msg::new("این امین دو بار آمده است.", "This trustee is named twice."))
            }
            Some(id) => people.push(id),
        }
    }
    e.into_result()?;
    if trustees(conn, election)?.iter().any(|t| t.transport.is_some()) {
        return Err(ApiError::Conflict {
            code: "ceremony_started",
            msg: Msg::new(
                "مراسم کلید آغاز شده است؛ برای تغییر امینان آن را از نو آغاز کنید.",
                "The key ceremony has started; restart it to change the trustees.",
            ),
        });
    }
    diesel::delete(tr::table.filter(tr::election_id.eq(election))).execute(conn)?;
    for (i, person) in people.iter().enumerate() {
        diesel::insert_into(tr::table)
            .values((tr::election_id.eq(election), tr::trustee.eq(i as i32 + 1), tr::person_id.eq(person)))
            .execute(conn)?;
    }
    diesel::update(el::table.find(election))
        .set((el::trustee_threshold.eq(threshold), el::public_key.eq(None::<String>)))
        .execute(conn)?;
    Ok(())
}

/// The trustees' national codes, in order.
pub fn trustee_codes(conn: &mut DbConn, election: &str) -> QueryResult<Vec<String>> {
    let seats = trustees(conn, election)?;
    let ids: Vec<String> = seats.iter().map(|t| t.person_id.clone()).collect();
    let persons = anjoman_identity::store::persons_by_id(conn, &ids)?;
    Ok(seats.iter().filter_map(|t| persons.get(&t.person_id).map(|p| p.national_code.clone())).collect())
}

#[derive(Serialize, ToSchema)]
pub struct TrusteeDto {
    pub trustee: i32,
    pub name: String,
    pub transport_published: bool,
    pub dealing_published: bool,
    pub confirmed: bool,
    pub decrypted: bool,
}

pub fn trustee_dtos(rows: &[TrusteeRow]) -> Vec<TrusteeDto> {
    rows.iter()
        .map(|t| TrusteeDto {
            trustee: t.trustee,
            name: format!("{} {}", t.first_name, t.last_name),
            transport_published: t.transport.is_some(),
            dealing_published: t.dealing.is_some(),
            confirmed: t.verification_key.is_some(),
            decrypted: t.partial_decryption.is_some(),
        })
        .collect()
}

/// The ceremony's step: `transport`, `dealing`, `confirm` or `done`.
pub fn phase(rows: &[TrusteeRow]) -> &'static str {
    if rows.is_empty() || rows.iter().any(|t| t.transport.is_none()) {
        "transport"
    } else if rows.iter().any(|t| t.dealing.is_none()) {
        "dealing"
    } else if rows.iter().any(|t| t.verification_key.is_none()) {
        "confirm"
    } else {
        "done"
    }
}

#[derive(Serialize, ToSchema)]
pub struct Ceremony {
    pub election_id: String,
    pub title: String,
    pub status: Status,
    pub threshold: i32,
    pub trustees: Vec<TrusteeDto>,
    /// The signed-in person's place among the trustees, if one.
    pub me: Option<i32>,
    /// `transport`, `dealing`, `confirm` or `done`.
    pub phase: String,
    /// Every trustee's transport key, once all are published.
    #[schema(value_type = Vec<std::collections::HashMap<String, serde_json::Value>>)]
    pub transports: Vec<serde_json::Value>,
    /// Every trustee's dealing (commitments, proof, encrypted shares), once all are published.
    #[schema(value_type = Vec<std::collections::HashMap<String, serde_json::Value>>)]
    pub dealings: Vec<serde_json::Value>,
    /// The election key, once every trustee has confirmed.
    pub public_key: Option<String>,
}

fn all_json(rows: &[TrusteeRow], f: impl Fn(&TrusteeRow) -> Option<&String>) -> Vec<serde_json::Value> {
    if rows.iter().all(|t| f(t).is_some()) {
        rows.iter().filter_map(|t| f(t).and_then(|s| serde_json::from_str(s).ok())).collect()
    } else {
        Vec::new()
    }
}

fn ceremony_of(conn: &mut DbConn, e: &Election, user: Option<&CurrentUser>) -> Result<Ceremony, ApiError> {
    let rows = trustees(conn, &e.id)?;
    let me = user.and_then(|u| rows.iter().find(|t| t.person_id == u.person_id)).map(|t| t.trustee);
    let manager = user.is_some_and(|u| require_manager(u, &e.association_id).is_ok());
    if !e.state().public() && me.is_none() && !manager {
        return Err(ApiError::NotFound);
    }
    Ok(Ceremony {
        election_id: e.id.clone(),
        title: e.title.clone(),
        status: e.state(),
        threshold: e.trustee_threshold,
        me,
        phase: phase(&rows).into(),
        transports: all_json(&rows, |t| t.transport.as_ref()),
        dealings: all_json(&rows, |t| t.dealing.as_ref()),
        public_key: e.public_key.clone(),
        trustees: trustee_dtos(&rows),
    })
}

/// The key ceremony's state and public messages: to the trustees and the association's admins
/// while a draft, to everyone once published.
#[utoipa::path(tag = "trustees", security((), ("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "The ceremony", body = Ceremony), (status = 404, description = "No such election, or not visible to you", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/ceremony")]
pub async fn show_ceremony(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let e = store::get(conn, &id)?;
            ceremony_of(conn, &e, user.as_ref())
        })
        .await?;
    Ok(web::Json(out))
}

fn not_a_trustee() -> ApiError {
    ApiError::Denied {
        code: "not_a_trustee",
        msg: Msg::new("شما امین این انتخابات نیستید.", "You are not a trustee of this election."),
    }
}

fn invalid(field: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::field(
        field,
        &format!("پیام رمزنگاری نامعتبر است: {why}"),
        &format!("The cryptographic message does not check out: {why}"),
    )
}

fn waiting(fa: &str, en: &str) -> ApiError {
    ApiError::Conflict { code: "ceremony_waiting", msg: Msg::new(fa, en) }
}

fn already(fa: &str, en: &str) -> ApiError {
    ApiError::Conflict { code: "already_done", msg: Msg::new(fa, en) }
}

/// The signed-in trustee's row, for a step of the ceremony while the election is a draft.
fn my_row(
    conn: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    allowed: &[Status],
) -> Result<(Election, Vec<TrusteeRow>, usize), ApiError> {
    let e = store::get(conn, id)?;
    let rows = trustees(conn, id)?;
    let i = rows.iter().position(|t| t.person_id == user.person_id).ok_or_else(not_a_trustee)?;
    rules::require(e.state(), allowed)?;
    Ok((e, rows, i))
}

#[derive(Deserialize, ToSchema)]
pub struct TransportBody {
    /// `{trustee, key, proof: {challenge, response}}` (ballot-crypto's `TransportKeyJson`).
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub transport: serde_json::Value,
}

/// Round 1: the trustee publishes its transport key (made on its device) with a proof.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), request_body = TransportBody, responses((status = 200, description = "Published", body = Ceremony), (status = 400, description = "The proof does not verify", body = anjoman_core::error::ErrorBody), (status = 403, description = "`not_a_trustee`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`already_done` or `wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/ceremony/transport")]
pub async fn publish_transport(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<TransportBody>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (e, rows, i) = my_row(conn, &user, &id, &[Status::Draft])?;
                let j = rows[i].trustee as u32;
                if rows[i].transport.is_some() {
                    return Err(already(
                        "کلید انتقال شما پیش‌تر منتشر شده است.",
                        "Your transport key is already published.",
                    ));
                }
                let t: TransportKeyJson =
                    serde_json::from_value(body.into_inner().transport).map_err(|x| invalid("transport", x))?;
                let key = wire::parse_point(&t.key).map_err(|x| invalid("transport", x))?;
                let proof = wire::schnorr_parse(&t.proof).map_err(|x| invalid("transport", x))?;
                if t.trustee != j {
                    return Err(invalid("transport", "another trustee's place"));
                }
                proof.verify(&id, &ceremony::transport_label(j), &key).map_err(|x| invalid("transport", x))?;
                let json = serde_json::to_string(&t).map_err(|_| ApiError::Internal)?;
                diesel::update(tr::table.find((&id, j as i32))).set(tr::transport.eq(json)).execute(conn)?;
                audit::record(
                    conn,
                    Event::new("election.trustee_transport", "election", Some(&id)).by(&user.person_id),
                )?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct DealingBody {
    /// `{trustee, commitments, proof, shares: [{to, ephemeral, masked}]}` (`DealingJson`).
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub dealing: serde_json::Value,
}

/// Round 2: once every transport key is out, the trustee publishes its dealing: commitments to
/// its polynomial, a proof, and one share for every trustee, encrypted to its transport key.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), request_body = DealingBody, responses((status = 200, description = "Published", body = Ceremony), (status = 400, description = "The dealing does not verify", body = anjoman_core::error::ErrorBody), (status = 403, description = "`not_a_trustee`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`ceremony_waiting`, `already_done` or `wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/ceremony/dealing")]
pub async fn publish_dealing(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<DealingBody>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (e, rows, i) = my_row(conn, &user, &id, &[Status::Draft])?;
                let j = rows[i].trustee as u32;
                if phase(&rows) == "transport" {
                    return Err(waiting(
                        "هنوز همهٔ امینان کلید انتقال خود را منتشر نکرده‌اند.",
                        "Not every trustee has published a transport key yet.",
                    ));
                }
                if rows[i].dealing.is_some() {
                    return Err(already("سهم‌های شما پیش‌تر منتشر شده است.", "Your dealing is already published."));
                }
                let d: DealingJson =
                    serde_json::from_value(body.into_inner().dealing).map_err(|x| invalid("dealing", x))?;
                let (dealing, shares) = wire::dealing_parse(&d).map_err(|x| invalid("dealing", x))?;
                if d.trustee != j {
                    return Err(invalid("dealing", "another trustee's place"));
                }
                dealing.verify(&id, e.trustee_threshold as u32).map_err(|x| invalid("dealing", x))?;
                let mut to: Vec<u32> = shares.iter().map(|s| s.to).collect();
                to.sort_unstable();
                if to != (1..=rows.len() as u32).collect::<Vec<_>>() {
                    return Err(invalid("dealing", "one share for every trustee is needed"));
                }
                let json = serde_json::to_string(&d).map_err(|_| ApiError::Internal)?;
                diesel::update(tr::table.find((&id, j as i32))).set(tr::dealing.eq(json)).execute(conn)?;
                audit::record(conn, Event::new("election.trustee_dealing", "election", Some(&id)).by(&user.person_id))?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmBody {
    /// `x_j·G` for the key share the trustee computed and kept (hex).
    pub verification_key: String,
}

fn dealings_of(rows: &[TrusteeRow]) -> Result<Vec<threshold::Dealing>, ApiError> {
    rows.iter()
        .map(|t| {
            let d: DealingJson =
                serde_json::from_str(t.dealing.as_deref().unwrap_or_default()).map_err(|_| ApiError::Internal)?;
            Ok(wire::dealing_parse(&d).map_err(|_| ApiError::Internal)?.0)
        })
        .collect()
}

/// Round 3: the trustee opened and checked its shares, and confirms the verification key of the
/// key share it keeps. When all have, the election key is set.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), request_body = ConfirmBody, responses((status = 200, description = "Confirmed", body = Ceremony), (status = 400, description = "Not the key the dealings imply", body = anjoman_core::error::ErrorBody), (status = 403, description = "`not_a_trustee`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`ceremony_waiting`, `already_done` or `wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/ceremony/confirm")]
pub async fn confirm_share(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ConfirmBody>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (_, rows, i) = my_row(conn, &user, &id, &[Status::Draft])?;
                let j = rows[i].trustee as u32;
                if matches!(phase(&rows), "transport" | "dealing") {
                    return Err(waiting(
                        "هنوز همهٔ امینان سهم‌های خود را منتشر نکرده‌اند.",
                        "Not every trustee has published a dealing yet.",
                    ));
                }
                if rows[i].verification_key.is_some() {
                    return Err(already("سهم شما پیش‌تر تأیید شده است.", "Your share is already confirmed."));
                }
                let dealings = dealings_of(&rows)?;
                let expected = wire::point_hex(&threshold::verification_key(&dealings, j));
                if body.verification_key != expected {
                    return Err(ApiError::field(
                        "verification_key",
                        "این کلید با سهم‌های منتشرشده نمی‌خواند.",
                        "This key does not match the published dealings.",
                    ));
                }
                diesel::update(tr::table.find((&id, j as i32)))
                    .set(tr::verification_key.eq(&expected))
                    .execute(conn)?;
                let rows = trustees(conn, &id)?;
                if phase(&rows) == "done" {
                    let key = wire::point_hex(&threshold::election_key(&dealings));
                    diesel::update(el::table.find(&id)).set(el::public_key.eq(key)).execute(conn)?;
                }
                audit::record(
                    conn,
                    Event::new("election.trustee_confirmed", "election", Some(&id)).by(&user.person_id),
                )?;
                let e = store::get(conn, &id)?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// Starts the ceremony over (a trustee lost its device, or found a bad share): every message and
/// the election key are dropped. The association's admins, while a draft.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "Restarted", body = Ceremony), (status = 409, description = "`wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/ceremony/restart")]
pub async fn restart_ceremony(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = store::get(conn, &id)?;
                require_manager(&user, &e.association_id)?;
                rules::require(e.state(), &[Status::Draft])?;
                diesel::update(tr::table.filter(tr::election_id.eq(&id)))
                    .set((
                        tr::transport.eq(None::<String>),
                        tr::dealing.eq(None::<String>),
                        tr::verification_key.eq(None::<String>),
                    ))
                    .execute(conn)?;
                diesel::update(el::table.find(&id)).set(el::public_key.eq(None::<String>)).execute(conn)?;
                audit::record(
                    conn,
                    Event::new("election.ceremony_restarted", "election", Some(&id)).by(&user.person_id),
                )?;
                let e = store::get(conn, &id)?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}

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
            let ballots = b::table.filter(b::election_id.eq(&id)).count().get_result(conn)?;
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
                    return Err(already(
                        "سهم رمزگشایی شما پیش‌تر ثبت شده است.",
                        "Your partial decryption is already in.",
                    ));
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
                diesel::update(tr::table.find((&id, rows[i].trustee)))
                    .set(tr::partial_decryption.eq(json))
                    .execute(conn)?;
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
        return Err(ApiError::Conflict {
            code: "awaiting_trustees",
            msg: Msg::new(
                format!("برای شمارش، {k} امین باید رمزگشایی کنند؛ تاکنون {} امین.", partials.len()),
                format!("{k} trustees must decrypt before the count; {} have so far.", partials.len()),
            ),
        });
    }
    let ballots: i64 = b::table.filter(b::election_id.eq(&e.id)).count().get_result(conn)?;
    rec::counts(&params, &sums, &partials[..k], k as u32, ballots.max(0) as u64).map_err(|_| ApiError::Internal)
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
            let content: Option<String> = b::table
                .filter(b::election_id.eq(&id))
                .filter(b::tracking_code.eq(code.trim()))
                .select(b::content)
                .first(conn)
                .optional()?;
            let content = content.ok_or(ApiError::NotFound)?;
            Ok(BulletinEntry {
                tracking_code: code.trim().to_owned(),
                ballot: serde_json::from_str(&content).map_err(|_| ApiError::Internal)?,
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct Trusteeship {
    pub election_id: String,
    pub title: String,
    pub status: Status,
    pub trustee: i32,
    /// The ceremony's step (`transport`, `dealing`, `confirm`, `done`).
    pub phase: String,
    /// Whether the election waits on this trustee now: a ceremony step of a draft not yet done,
    /// or the partial decryption of a closed election.
    pub action_needed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Trusteeships {
    pub items: Vec<Trusteeship>,
}

/// The elections in which the signed-in person is a trustee, newest first, with what waits on
/// them — how a trustee finds a draft election's ceremony.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), responses((status = 200, description = "The trusteeships", body = Trusteeships)))]
#[get("/trusteeships")]
pub async fn my_trusteeships(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Trusteeships>, ApiError> {
    let out = state
        .db(move |conn| {
            let mine: Vec<String> = tr::table
                .inner_join(el::table)
                .filter(tr::person_id.eq(&user.person_id))
                .filter(el::status.ne(Status::Cancelled.as_str()))
                .order(el::created_at.desc())
                .select(tr::election_id)
                .load(conn)?;
            let mut items = Vec::new();
            for id in mine {
                let e = store::get(conn, &id)?;
                let rows = trustees(conn, &id)?;
                let Some(me) = rows.iter().find(|t| t.person_id == user.person_id) else { continue };
                let phase = phase(&rows);
                let action_needed = match e.state() {
                    Status::Draft => match phase {
                        "transport" => me.transport.is_none(),
                        "dealing" => me.dealing.is_none(),
                        "confirm" => me.verification_key.is_none(),
                        _ => false,
                    },
                    Status::Closed => me.partial_decryption.is_none(),
                    _ => false,
                };
                items.push(Trusteeship {
                    election_id: id,
                    title: e.title.clone(),
                    status: e.state(),
                    trustee: me.trustee,
                    phase: phase.into(),
                    action_needed,
                });
            }
            Ok(Trusteeships { items })
        })
        .await?;
    Ok(web::Json(out))
}
