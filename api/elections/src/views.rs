//! The election as people read it (EL-05): the public list and page, with contests, candidates
//! in ballot order, trustees and the electorate; drafts only to their association's admins.

use actix_web::{get, web};
use anjoman_associations::api as associations;
use anjoman_core::ApiError;
use anjoman_core::auth::CurrentUser;
use anjoman_core::db::DbConn;
use anjoman_core::http::AppState;
use anjoman_core::platform::files;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::model::Election;
use crate::rules::Status;
use crate::store;

#[derive(Serialize, ToSchema)]
pub struct CandidateDto {
    pub id: String,
    pub contest_id: String,
    pub first_name: String,
    pub last_name: String,
    pub election_code: String,
    pub university: Option<String>,
    pub field: Option<String>,
    pub academic_rank: Option<String>,
    pub photo_url: Option<String>,
    pub resume_url: Option<String>,
    pub programme_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ContestDto {
    pub id: String,
    pub title: String,
    pub seats: i32,
    pub alternates: i32,
    pub max_selections: i32,
    /// In Persian alphabetical order of their names.
    pub candidates: Vec<CandidateDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ElectionDto {
    pub id: String,
    pub association_id: String,
    pub association_name: String,
    pub title: String,
    pub description: String,
    /// Where voters get help, e.g. a messenger group.
    pub support_contact: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: Status,
    /// The electorate: frozen at opening; before that, the approved members now.
    pub electorate: i64,
    pub roll_frozen: bool,
    /// Candidates within a contest are in ballot order: an encrypted ballot's choices follow it.
    pub contests: Vec<ContestDto>,
    /// The trustees who hold the election key in shares (EL-10), and how many must decrypt.
    pub trustees: Vec<crate::verifiable::trustees::TrusteeDto>,
    pub trustee_threshold: i32,
    /// The key ceremony's step: `transport`, `dealing`, `confirm` or `done`.
    pub ceremony_phase: String,
    /// The election key ballots are encrypted under (hex), once the ceremony is done.
    pub public_key: Option<String>,
    /// The server's clock, for the remaining time shown to voters.
    pub server_time: DateTime<Utc>,
}

fn url(id: Option<String>) -> Option<String> {
    id.map(|f| files::url(&f))
}

/// The electorate: the frozen roll once open, before that the approved members now.
fn electorate(conn: &mut DbConn, e: &Election) -> Result<i64, ApiError> {
    Ok(match e.roll_size {
        Some(n) => n,
        None => associations::approved_count(conn, &e.association_id)?,
    })
}

pub(crate) fn dto(conn: &mut DbConn, e: Election) -> Result<ElectionDto, ApiError> {
    let name = associations::association(conn, &e.association_id)?.map(|a| a.name).unwrap_or_default();
    let mut cands = store::candidates(conn, &e.id)?;
    let contests = store::contests(conn, &e.id)?
        .into_iter()
        .map(|c| ContestDto {
            candidates: cands
                .extract_if(.., |x| x.contest_id == c.id)
                .map(|x| CandidateDto {
                    id: x.id,
                    contest_id: x.contest_id,
                    first_name: x.first_name,
                    last_name: x.last_name,
                    election_code: x.election_code,
                    university: x.university,
                    field: x.field,
                    academic_rank: x.academic_rank,
                    photo_url: url(x.photo_file_id),
                    resume_url: url(x.resume_file_id),
                    programme_url: url(x.programme_file_id),
                })
                .collect(),
            id: c.id,
            title: c.title,
            seats: c.seats,
            alternates: c.alternates,
            max_selections: c.max_selections,
        })
        .collect();
    let trustees = crate::verifiable::trustees::trustees(conn, &e.id)?;
    let electorate = electorate(conn, &e)?;
    Ok(ElectionDto {
        id: e.id,
        association_id: e.association_id,
        association_name: name,
        title: e.title,
        description: e.description,
        support_contact: e.support_contact,
        starts_at: e.starts_at.and_utc(),
        ends_at: e.ends_at.and_utc(),
        status: Status::parse(&e.status).unwrap_or(Status::Draft),
        roll_frozen: e.roll_size.is_some(),
        electorate,
        contests,
        trustee_threshold: e.trustee_threshold,
        ceremony_phase: crate::verifiable::trustees::phase(&trustees).into(),
        trustees: crate::verifiable::trustees::trustee_dtos(&trustees),
        public_key: e.public_key,
        server_time: Utc::now(),
    })
}

pub(crate) fn reload(conn: &mut DbConn, id: &str) -> Result<ElectionDto, ApiError> {
    let e = store::get(conn, id)?;
    dto(conn, e)
}

#[derive(Deserialize, IntoParams)]
pub struct ElectionsQuery {
    pub association_id: Option<String>,
    /// `upcoming` (published), `running` (open), `past` (closed and after) or `all` (default);
    /// drafts only to their association's admins with `all`.
    pub when: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ElectionSummary {
    pub id: String,
    pub association_id: String,
    pub association_name: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: Status,
    pub electorate: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ElectionList {
    pub items: Vec<ElectionSummary>,
}

/// Elections, newest first: public ones to everyone; drafts to their association's admins (EL-05).
#[utoipa::path(tag = "elections", security((), ("bearer" = [])), params(ElectionsQuery), responses((status = 200, description = "Elections", body = ElectionList)))]
#[get("/elections")]
pub async fn list_elections(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    q: web::Query<ElectionsQuery>,
) -> Result<web::Json<ElectionList>, ApiError> {
    let q = q.into_inner();
    let statuses: Vec<&'static str> = match q.when.as_deref().unwrap_or("all") {
        "upcoming" => vec!["published"],
        "running" => vec!["open"],
        "past" => vec!["closed", "tallied", "results_published", "cancelled"],
        "all" => Status::ALL.iter().map(|s| s.as_str()).collect(),
        _ => return Err(ApiError::field("when", "مقدار نامعتبر است.", "Unknown value.")),
    };
    let items = state
        .db(move |conn| {
            let rows = store::list(conn, &statuses, q.association_id.as_deref())?;
            let ids: Vec<String> = rows.iter().map(|e| e.association_id.clone()).collect();
            let names = associations::names(conn, &ids)?;
            let mut out = Vec::new();
            for e in rows {
                if !e.state().public() && !associations::manages(user.as_ref(), &e.association_id) {
                    continue;
                }
                out.push(ElectionSummary {
                    status: e.state(),
                    electorate: electorate(conn, &e)?,
                    association_name: names.get(&e.association_id).cloned().unwrap_or_default(),
                    id: e.id,
                    association_id: e.association_id,
                    title: e.title,
                    starts_at: e.starts_at.and_utc(),
                    ends_at: e.ends_at.and_utc(),
                });
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(ElectionList { items }))
}

/// An election with its contests and candidates (public once published).
#[utoipa::path(tag = "elections", security((), ("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "The election", body = ElectionDto), (status = 404, description = "No such election (or a draft)", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}")]
pub async fn show_election(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let e = store::get(conn, &id)?;
            if !e.state().public() && !associations::manages(user.as_ref(), &e.association_id) {
                return Err(ApiError::NotFound);
            }
            dto(conn, e)
        })
        .await?;
    Ok(web::Json(out))
}
