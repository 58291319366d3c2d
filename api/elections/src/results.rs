//! Turnout while voting (never partial results), the count from the trustees' decryptions, and
//! the results: to the admins once counted, to everyone once published (EL-11, EL-13), as JSON,
//! CSV and the public bulletin of tracking codes.

use actix_web::{HttpResponse, get, post, web};
use anjoman_associations::api as associations;
use anjoman_core::ApiError;
use anjoman_core::auth::{AuthUser, CurrentUser};
use anjoman_core::db::DbConn;
use anjoman_core::http::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::ElectionsError;
use crate::lifecycle::notify_members;
use crate::model::{Election, StepChanges};
use crate::rules::{self, Action, ContestResult, Status};
use crate::setup::{as_manager, managed};
use crate::store;
use crate::store::Step;
use crate::views::{ElectionDto, reload};

#[derive(Serialize, ToSchema)]
pub struct Turnout {
    pub status: Status,
    /// The frozen roll (unset before opening).
    pub roll_size: Option<i64>,
    pub voted: i64,
}

/// Live turnout for the association's admins and the commission, never partial results (EL-11).
#[utoipa::path(tag = "elections", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "Turnout", body = Turnout), (status = 403, description = "Not an admin of its association", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/turnout")]
pub async fn turnout(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Turnout>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let e = managed(conn, &user, &id)?;
            let voted = store::voted(conn, &id)?;
            Ok(Turnout { status: e.state(), roll_size: e.roll_size, voted })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Results {
    pub roll_size: i64,
    pub voted: i64,
    pub contests: Vec<ContestResult>,
}

/// Counts a closed election (EL-11) from the trustees' partial decryptions of the encrypted
/// totals: per contest votes, ranks, elected, alternates and ties.
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    responses((status = 200, description = "Counted", body = Results), (status = 409, description = "`wrong_election_state`, or `awaiting_trustees`: fewer trustees than the threshold have decrypted", body = anjoman_core::error::ErrorBody))
)]
#[post("/elections/{id}/tally")]
pub async fn tally_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Results>, ApiError> {
    let id = id.into_inner();
    let out = as_manager(&state, user, id.clone(), Action::Tally.from(), move |conn, user, e| {
        let contests = store::contest_rules(conn, &id)?;
        let counts = crate::verifiable::decryption::decrypt_counts(conn, &e)?;
        let ballots = store::ballot_count(conn, &id)?;
        let voted = store::voted(conn, &id)?;
        let results = Results {
            roll_size: e.roll_size.unwrap_or(0),
            voted,
            contests: contests
                .iter()
                .zip(&counts)
                .map(|(c, n)| {
                    let votes: Vec<i64> = n.choices.iter().map(|v| *v as i64).collect();
                    rules::rank(c, &votes, ballots, n.blank as i64)
                })
                .collect(),
        };
        let json = serde_json::to_string(&results).map_err(|_| ApiError::Internal)?;
        let counts_json = serde_json::to_string(&counts).map_err(|_| ApiError::Internal)?;
        let step = Step::by(&user.person_id)
            .set(StepChanges { results: Some(json), counts: Some(counts_json), ..Default::default() })
            .states(None, Some(serde_json::to_value(&results).unwrap_or_default()));
        store::step(conn, &e, Action::Tally, step)?;
        Ok::<_, ApiError>(results)
    })
    .await?;
    Ok(web::Json(out))
}

/// Publishes the counted results; members are told (EL-13).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    responses((status = 200, description = "Published", body = ElectionDto), (status = 409, description = "`wrong_election_state`", body = anjoman_core::error::ErrorBody))
)]
#[post("/elections/{id}/publish-results")]
pub async fn publish_results(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let id = id.into_inner();
    let out = as_manager(&state, user, id.clone(), Action::PublishResults.from(), move |conn, user, e| {
        store::step(conn, &e, Action::PublishResults, Step::by(&user.person_id))?;
        let text = format!("نتایج انتخابات «{}» اعلام شد.", e.title);
        notify_members(conn, &e.association_id, "election_results", &e.title, &text, None)?;
        let association = associations::association(conn, &e.association_id)?.map(|a| a.code).unwrap_or_default();
        anjoman_core::platform::webhooks::emit(
            conn,
            &anjoman_core::platform::webhooks::Owner::commission(),
            "election.results_published",
            serde_json::json!({"election_id": id, "association": association, "title": e.title}),
        )?;
        reload(conn, &id)
    })
    .await?;
    Ok(web::Json(out))
}

/// The results: public once published; the association's admins see them once counted.
pub fn load_results(conn: &mut DbConn, user: Option<&CurrentUser>, id: &str) -> Result<(Election, Results), ApiError> {
    let e = store::get(conn, id)?;
    let visible = match e.state() {
        Status::ResultsPublished => true,
        Status::Tallied => associations::manages(user, &e.association_id),
        _ => false,
    };
    let results = e.results.as_deref().filter(|_| visible).and_then(|r| serde_json::from_str(r).ok());
    let results = results.ok_or(ElectionsError::ResultsNotAvailable)?;
    Ok((e, results))
}

/// The results of an election (EL-11).
#[utoipa::path(tag = "elections", security((), ("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "Results", body = Results), (status = 409, description = "`results_not_available`", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/results")]
pub async fn show_results(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<web::Json<Results>, ApiError> {
    let id = id.into_inner();
    let (_, r) = state.db(move |conn| load_results(conn, user.as_ref(), &id)).await?;
    Ok(web::Json(r))
}

/// The results as CSV: contest, candidate, election code, votes, rank, outcome.
#[utoipa::path(tag = "elections", security((), ("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 409, description = "`results_not_available`", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/results.csv")]
pub async fn results_csv(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (body, title) = state
        .db(move |conn| {
            let (e, r) = load_results(conn, user.as_ref(), &id)?;
            let contests = store::contests(conn, &id)?;
            let cands = store::candidates(conn, &id)?;
            let mut out = String::from("\u{FEFF}contest,candidate,election_code,votes,rank,outcome\r\n");
            for c in &r.contests {
                let title = contests.iter().find(|x| x.id == c.contest_id).map(|x| x.title.clone()).unwrap_or_default();
                for x in &c.candidates {
                    let who = cands.iter().find(|k| k.id == x.candidate_id);
                    let name = who.map(|k| format!("{} {}", k.first_name, k.last_name)).unwrap_or_default();
                    let code = who.map(|k| k.election_code.clone()).unwrap_or_default();
                    let outcome = serde_json::to_value(&x.outcome)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "\"{}\",\"{}\",\"{}\",{},{},{}\r\n",
                        title.replace('"', "\"\""),
                        name.replace('"', "\"\""),
                        code,
                        x.votes,
                        x.rank,
                        outcome
                    ));
                }
            }
            Ok((out, e.id))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"results-{title}.csv\"")))
        .body(body))
}

#[derive(Serialize, ToSchema)]
pub struct Bulletin {
    /// Every cast ballot's tracking code, sorted (so their order tells nothing).
    pub tracking_codes: Vec<String>,
}

/// The public bulletin of an election: the tracking codes of its ballots.
#[utoipa::path(tag = "elections", params(("id" = String, Path, description = "The election")), responses((status = 200, description = "Tracking codes", body = Bulletin), (status = 404, description = "No such public election", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/bulletin")]
pub async fn bulletin(state: web::Data<AppState>, id: web::Path<String>) -> Result<web::Json<Bulletin>, ApiError> {
    let id = id.into_inner();
    let tracking_codes = state
        .db(move |conn| {
            if !store::get(conn, &id)?.state().public() {
                return Err(ApiError::NotFound);
            }
            Ok(store::tracking_codes(conn, &id)?)
        })
        .await?;
    Ok(web::Json(Bulletin { tracking_codes }))
}
