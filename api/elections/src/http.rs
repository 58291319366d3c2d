//! Elections over HTTP: set-up and lifecycle for association admins (EL-01..03), public pages
//! (EL-05), tally and results (EL-11).

use actix_web::{HttpResponse, get, patch, post, web};
use anjoman_associations::http::require_manager;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser};
use anjoman_core::db::schema::{
    associations as a, ballots as b, candidates as cand, contests as ct, elections as el, memberships as m,
    participations as pa,
};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::files::Purpose;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::rules::{self, ContestResult, Status};
use crate::store::{self, Election};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_elections)
        .service(show_election)
        .service(create_election)
        .service(edit_election)
        .service(add_candidate)
        .service(publish_election)
        .service(cancel_election)
        .service(extend_election)
        .service(turnout)
        .service(tally_election)
        .service(publish_results)
        .service(show_results)
        .service(results_csv)
        .service(bulletin)
        .service(crate::verifiable::bulletin_entry)
        .service(crate::verifiable::election_record)
        .service(crate::verifiable::my_trusteeships)
        .service(crate::verifiable::show_ceremony)
        .service(crate::verifiable::publish_transport)
        .service(crate::verifiable::publish_dealing)
        .service(crate::verifiable::confirm_share)
        .service(crate::verifiable::restart_ceremony)
        .service(crate::verifiable::show_aggregate)
        .service(crate::verifiable::submit_partial)
        .service(crate::voting::my_vote)
        .service(crate::voting::request_code)
        .service(crate::voting::email_code_now)
        .service(crate::voting::cast_ballot);
}

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
    pub trustees: Vec<crate::verifiable::TrusteeDto>,
    pub trustee_threshold: i32,
    /// The key ceremony's step: `transport`, `dealing`, `confirm` or `done`.
    pub ceremony_phase: String,
    /// The election key ballots are encrypted under (hex), once the ceremony is done.
    pub public_key: Option<String>,
    /// The server's clock, for the remaining time shown to voters.
    pub server_time: DateTime<Utc>,
}

fn url(id: Option<String>) -> Option<String> {
    id.map(|f| format!("/api/v1/files/{f}"))
}

fn approved_members(conn: &mut DbConn, association: &str) -> QueryResult<i64> {
    m::table.filter(m::association_id.eq(association)).filter(m::status.eq("approved")).count().get_result(conn)
}

pub(crate) fn dto(conn: &mut DbConn, e: Election) -> Result<ElectionDto, ApiError> {
    let name: String = a::table.find(&e.association_id).select(a::name).first(conn)?;
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
    let trustees = crate::verifiable::trustees(conn, &e.id)?;
    let electorate = match e.roll_size {
        Some(n) => n,
        None => approved_members(conn, &e.association_id)?,
    };
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
        ceremony_phase: crate::verifiable::phase(&trustees).into(),
        trustees: crate::verifiable::trustee_dtos(&trustees),
        public_key: e.public_key,
        server_time: Utc::now(),
    })
}

/// Whether a (possibly anonymous) caller manages the association.
fn manages(user: Option<&CurrentUser>, association: &str) -> bool {
    user.is_some_and(|u| require_manager(u, association).is_ok())
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
async fn list_elections(
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
            let mut query = el::table.inner_join(a::table).filter(el::status.eq_any(statuses)).into_boxed();
            if let Some(id) = &q.association_id {
                query = query.filter(el::association_id.eq(id.clone()));
            }
            let rows: Vec<(Election, String)> =
                query.order(el::starts_at.desc()).select((Election::as_select(), a::name)).load(conn)?;
            let mut out = Vec::new();
            for (e, name) in rows {
                if !e.state().public() && !manages(user.as_ref(), &e.association_id) {
                    continue;
                }
                let electorate = match e.roll_size {
                    Some(n) => n,
                    None => approved_members(conn, &e.association_id)?,
                };
                out.push(ElectionSummary {
                    status: e.state(),
                    id: e.id,
                    association_id: e.association_id,
                    association_name: name,
                    title: e.title,
                    starts_at: e.starts_at.and_utc(),
                    ends_at: e.ends_at.and_utc(),
                    electorate,
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
async fn show_election(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let e = store::get(conn, &id)?;
            if !e.state().public() && !manages(user.as_ref(), &e.association_id) {
                return Err(ApiError::NotFound);
            }
            dto(conn, e)
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct ContestBody {
    pub title: String,
    pub seats: i32,
    /// Alternates (علی‌البدل) after the elected; 0 when none.
    #[serde(default)]
    pub alternates: i32,
    pub max_selections: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct ElectionBody {
    pub title: Option<String>,
    pub description: Option<String>,
    pub support_contact: Option<String>,
    /// UTC, ISO-8601.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// On creation only.
    pub contests: Option<Vec<ContestBody>>,
    /// The trustees' national codes (1 to 9, each with an account): they make the election key
    /// in a ceremony and decrypt the totals (EL-10). Required on creation; changeable in a draft
    /// until the ceremony starts.
    pub trustees: Option<Vec<String>>,
    /// How many of the trustees must decrypt (1 to their number). Required with `trustees`.
    pub trustee_threshold: Option<i32>,
}

struct CheckedElection {
    title: Option<String>,
    description: Option<String>,
    support_contact: Option<Option<String>>,
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
}

fn check_election(b: &ElectionBody, creating: bool, current: Option<&Election>) -> Result<CheckedElection, ApiError> {
    let mut e = FieldErrors::new();
    let text = |v: &Option<String>| v.as_deref().map(|s| anjoman_core::text::normalize_persian(s.trim()));
    let title = text(&b.title);
    if title.as_ref().is_some_and(|t| t.is_empty() || t.chars().count() > 200) || (creating && title.is_none()) {
        e.add("title", Msg::new("عنوان الزامی است (حداکثر ۲۰۰ نویسه).", "A title is required (at most 200)."));
    }
    let description = text(&b.description);
    if description.as_ref().is_some_and(|t| t.chars().count() > 20_000) {
        e.add("description", Msg::new("متن معرفی بیش از اندازه است.", "The introduction is too long."));
    }
    let support_contact = b.support_contact.as_deref().map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty()));
    let starts_at = b.starts_at.map(|t| t.naive_utc());
    let ends_at = b.ends_at.map(|t| t.naive_utc());
    if creating && (starts_at.is_none() || ends_at.is_none()) {
        e.add("starts_at", Msg::new("آغاز و پایان الزامی است.", "The start and the end are required."));
    }
    let start = starts_at.or(current.map(|c| c.starts_at));
    let end = ends_at.or(current.map(|c| c.ends_at));
    if let (Some(s), Some(x)) = (start, end)
        && x <= s
    {
        e.add("ends_at", Msg::new("پایان باید پس از آغاز باشد.", "The end must be after the start."));
    }
    if starts_at.is_some_and(|s| s <= now()) {
        e.add("starts_at", Msg::new("آغاز باید در آینده باشد.", "The start must be in the future."));
    }
    if let Some(contests) = &b.contests {
        if !creating {
            e.add("contests", Msg::new("رقابت‌ها پس از ساخت تغییر نمی‌کنند.", "Contests are fixed once created."));
        }
        if contests.is_empty() {
            e.add("contests", Msg::new("دست‌کم یک رقابت لازم است.", "At least one contest is needed."));
        }
        for (i, c) in contests.iter().enumerate() {
            if c.title.trim().is_empty() {
                e.add(&format!("contests[{i}].title"), Msg::new("عنوان الزامی است.", "A title is required."));
            }
            if c.seats < 1 || c.max_selections < 1 || c.alternates < 0 || c.seats > 100 || c.max_selections > 100 {
                e.add(
                    &format!("contests[{i}].seats"),
                    Msg::new("کرسی‌ها و حداکثر انتخاب از ۱ تا ۱۰۰.", "Seats and maximum selections are 1 to 100."),
                );
            }
        }
    } else if creating {
        e.add("contests", Msg::new("دست‌کم یک رقابت لازم است.", "At least one contest is needed."));
    }
    e.into_result()?;
    Ok(CheckedElection { title, description, support_contact, starts_at, ends_at })
}

/// Creates a draft election with its contests (the association's admins, EL-01).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = ElectionBody,
    responses(
        (status = 201, description = "Created as a draft", body = ElectionDto),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/elections")]
async fn create_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ElectionBody>,
) -> Result<HttpResponse, ApiError> {
    let aid = id.into_inner();
    require_manager(&user, &aid)?;
    let c = check_election(&body, true, None)?;
    let body = body.into_inner();
    let contests = body.contests.unwrap_or_default();
    let (trustees, threshold) = (body.trustees.unwrap_or_default(), body.trustee_threshold.unwrap_or(0));
    let actor = user.person_id.clone();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                anjoman_associations::store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                let (id, at) = (new_id(), now());
                diesel::insert_into(el::table)
                    .values((
                        el::id.eq(&id),
                        el::association_id.eq(&aid),
                        el::title.eq(c.title.clone().unwrap_or_default()),
                        el::description.eq(c.description.clone().unwrap_or_default()),
                        el::support_contact.eq(c.support_contact.clone().flatten()),
                        el::starts_at.eq(c.starts_at.unwrap_or(at)),
                        el::ends_at.eq(c.ends_at.unwrap_or(at)),
                        el::status.eq(Status::Draft.as_str()),
                        el::created_by.eq(&actor),
                        el::created_at.eq(at),
                        el::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                for (i, k) in contests.iter().enumerate() {
                    diesel::insert_into(ct::table)
                        .values((
                            ct::id.eq(new_id()),
                            ct::election_id.eq(&id),
                            ct::title.eq(anjoman_core::text::normalize_persian(k.title.trim())),
                            ct::seats.eq(k.seats),
                            ct::alternates.eq(k.alternates),
                            ct::max_selections.eq(k.max_selections),
                            ct::sort_order.eq(i as i32),
                        ))
                        .execute(conn)?;
                }
                crate::verifiable::set_trustees(conn, &id, &trustees, threshold)?;
                audit::record(
                    conn,
                    Event::new("election.created", "election", Some(&id))
                        .by(&actor)
                        .states(None, Some(serde_json::json!({"title": c.title, "association_id": aid}))),
                )?;
                reload(conn, &id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The election, after checking the caller manages its association.
fn managed(conn: &mut DbConn, user: &CurrentUser, id: &str) -> Result<Election, ApiError> {
    let e = store::get(conn, id)?;
    require_manager(user, &e.association_id)?;
    Ok(e)
}

/// Edits an election before it opens (draft or published).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = ElectionBody,
    responses(
        (status = 200, description = "Updated", body = ElectionDto),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`wrong_election_state`: voting has opened", body = anjoman_core::error::ErrorBody),
    )
)]
#[patch("/elections/{id}")]
async fn edit_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ElectionBody>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = managed(conn, &user, &id)?;
                rules::require(e.state(), &[Status::Draft, Status::Published])?;
                let c = check_election(&body, false, Some(&e))?;
                if body.trustees.is_some() || body.trustee_threshold.is_some() {
                    rules::require(e.state(), &[Status::Draft])?;
                    let codes = match &body.trustees {
                        Some(t) => t.clone(),
                        None => crate::verifiable::trustee_codes(conn, &id)?,
                    };
                    crate::verifiable::set_trustees(conn, &id, &codes, body.trustee_threshold.unwrap_or(e.trustee_threshold))?;
                }
                let before = serde_json::json!({"title": e.title, "starts_at": e.starts_at, "ends_at": e.ends_at});
                diesel::update(el::table.find(&id))
                    .set((
                        el::title.eq(c.title.unwrap_or(e.title)),
                        el::description.eq(c.description.unwrap_or(e.description)),
                        el::support_contact.eq(c.support_contact.unwrap_or(e.support_contact)),
                        el::starts_at.eq(c.starts_at.unwrap_or(e.starts_at)),
                        el::ends_at.eq(c.ends_at.unwrap_or(e.ends_at)),
                        el::updated_at.eq(now()),
                    ))
                    .execute(conn)?;
                let after = store::get(conn, &id)?;
                audit::record(
                    conn,
                    Event::new("election.updated", "election", Some(&id)).by(&user.person_id).states(
                        Some(before),
                        Some(serde_json::json!({"title": after.title, "starts_at": after.starts_at, "ends_at": after.ends_at})),
                    ),
                )?;
                dto(conn, after)
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct CandidateBody {
    pub contest_id: String,
    pub national_code: String,
    /// The number voters find the candidate by.
    pub election_code: String,
    pub university: Option<String>,
    pub field: Option<String>,
    pub academic_rank: Option<String>,
    /// Files uploaded with purposes `candidate_photo`, `candidate_resume`, `candidate_programme`.
    pub photo_file_id: Option<String>,
    pub resume_file_id: Option<String>,
    pub programme_file_id: Option<String>,
}

/// Adds an approved member as a candidate of a contest, before voting opens (EL-03).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = CandidateBody,
    responses(
        (status = 201, description = "Added", body = ElectionDto),
        (status = 400, description = "Invalid fields, not an approved member, or a file of the wrong kind", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_candidate`, `election_code_taken` or `wrong_election_state`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/candidates")]
async fn add_candidate(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CandidateBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let code = NationalCode::parse(&body.national_code)
        .map_err(|e| ApiError::field("national_code", e.message_fa(), e.message_en()))?;
    let election_code = anjoman_core::text::normalize_digits(body.election_code.trim());
    if election_code.is_empty() || election_code.chars().count() > 20 {
        return Err(ApiError::field("election_code", "کد انتخاباتی الزامی است.", "An election code is required."));
    }
    let body = body.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = managed(conn, &user, &id)?;
                rules::require(e.state(), &[Status::Draft, Status::Published])?;
                let contest: Option<String> = ct::table
                    .filter(ct::id.eq(&body.contest_id))
                    .filter(ct::election_id.eq(&id))
                    .select(ct::id)
                    .first(conn)
                    .optional()?;
                let contest = contest.ok_or_else(|| {
                    ApiError::field(
                        "contest_id",
                        "این رقابت در این انتخابات نیست.",
                        "No such contest in this election.",
                    )
                })?;
                let person = anjoman_identity::store::person_id_by_code(conn, code.as_str())?;
                let approved = match &person {
                    Some(p) => anjoman_associations::store::membership_of(conn, &e.association_id, p)?
                        .is_some_and(|m| m.status == "approved"),
                    None => false,
                };
                let Some(person) = person.filter(|_| approved) else {
                    return Err(ApiError::field(
                        "national_code",
                        "نامزد باید عضو تأییدشدهٔ انجمن باشد.",
                        "A candidate must be an approved member of the association.",
                    ));
                };
                for (file, purpose, field) in [
                    (&body.photo_file_id, Purpose::CandidatePhoto, "photo_file_id"),
                    (&body.resume_file_id, Purpose::CandidateResume, "resume_file_id"),
                    (&body.programme_file_id, Purpose::CandidateProgramme, "programme_file_id"),
                ] {
                    if let Some(f) = file.as_deref().filter(|f| !f.is_empty()) {
                        anjoman_core::platform::files::check(conn, f, purpose, &user.person_id, field)?;
                    }
                }
                let clean = |v: &Option<String>| {
                    v.as_deref().map(|s| anjoman_core::text::normalize_persian(s.trim())).filter(|s| !s.is_empty())
                };
                let taken: i64 = cand::table
                    .filter(cand::election_id.eq(&id))
                    .filter(cand::election_code.eq(&election_code))
                    .count()
                    .get_result(conn)?;
                if taken > 0 {
                    return Err(ApiError::Conflict {
                        code: "election_code_taken",
                        msg: Msg::new("این کد انتخاباتی پیش‌تر داده شده است.", "This election code is taken."),
                    });
                }
                let cid = new_id();
                diesel::insert_into(cand::table)
                    .values((
                        cand::id.eq(&cid),
                        cand::election_id.eq(&id),
                        cand::contest_id.eq(&contest),
                        cand::person_id.eq(&person),
                        cand::election_code.eq(&election_code),
                        cand::university.eq(clean(&body.university)),
                        cand::field.eq(clean(&body.field)),
                        cand::academic_rank.eq(clean(&body.academic_rank)),
                        cand::photo_file_id.eq(body.photo_file_id.clone().filter(|f| !f.is_empty())),
                        cand::resume_file_id.eq(body.resume_file_id.clone().filter(|f| !f.is_empty())),
                        cand::programme_file_id.eq(body.programme_file_id.clone().filter(|f| !f.is_empty())),
                        cand::created_at.eq(now()),
                    ))
                    .execute(conn)
                    .map_err(|err| match ApiError::from(err) {
                        // (A concurrent request may have taken the code too; both read as a conflict.)
                        ApiError::Conflict { .. } => ApiError::Conflict {
                            code: "already_candidate",
                            msg: Msg::new("این شخص نامزد این رقابت است.", "Already a candidate in this contest."),
                        },
                        other => other,
                    })?;
                audit::record(
                    conn,
                    Event::new("election.candidate_added", "election", Some(&id)).by(&user.person_id).states(
                        None,
                        Some(serde_json::json!({"candidate_id": cid, "person_id": person, "contest_id": contest})),
                    ),
                )?;
                reload(conn, &id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Moves an election from one state to another by a conditional update; false when someone
/// else moved it first.
pub(crate) fn transition(conn: &mut DbConn, id: &str, from: Status, to: Status) -> QueryResult<bool> {
    let n = diesel::update(el::table.find(id).filter(el::status.eq(from.as_str())))
        .set((el::status.eq(to.as_str()), el::updated_at.eq(now())))
        .execute(conn)?;
    Ok(n == 1)
}

/// Tells the association's approved members by e-mail and SMS (EL-13); never anyone's choice.
pub(crate) fn notify_members(
    conn: &mut DbConn,
    association: &str,
    purpose: &str,
    subject: &str,
    text: &str,
    only: Option<&std::collections::HashSet<String>>,
) -> QueryResult<usize> {
    use anjoman_core::db::schema::persons as p;
    use anjoman_core::platform::outbox::{Channel, NewMessage, enqueue_many};
    // Page by page (keyset on the person id), so that a million members never sit in memory at
    // once; `only` is filtered here rather than in SQL, as it can hold a million ids.
    let (mut after, mut stored) = (String::new(), 0);
    loop {
        let page: Vec<(String, Option<String>, Option<String>)> = m::table
            .inner_join(p::table)
            .filter(m::association_id.eq(association))
            .filter(m::status.eq("approved"))
            .filter(m::person_id.gt(&after))
            // The same bound on the person's side, so a merge join starts there too.
            .filter(p::id.gt(&after))
            .order(m::person_id.asc())
            .limit(NOTIFY_PAGE)
            .select((m::person_id, p::email, p::mobile))
            .load(conn)?;
        let Some((last, _, _)) = page.last() else { return Ok(stored) };
        after = last.clone();
        let message = |channel, recipient, subject| NewMessage {
            channel,
            recipient,
            subject,
            body: text,
            purpose,
            template: None,
            urgent: false,
        };
        let messages: Vec<NewMessage<'_>> = page
            .iter()
            .filter(|(person, _, _)| only.is_none_or(|ids| ids.contains(person)))
            .flat_map(|(_, email, mobile)| {
                let by_email = email.as_deref().map(|e| message(Channel::Email, e, Some(subject)));
                let by_sms = mobile.as_deref().map(|mo| message(Channel::Sms, mo, None));
                by_email.into_iter().chain(by_sms)
            })
            .collect();
        stored += enqueue_many(conn, &messages)?;
    }
}

/// Members read per page when notifying them all.
const NOTIFY_PAGE: i64 = 5000;

/// Publishes a draft: candidates become public and members are told (EL-02, EL-13).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    responses(
        (status = 200, description = "Published", body = ElectionDto),
        (status = 400, description = "A contest has no candidates, or the start has passed", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`wrong_election_state`, or `key_ceremony_incomplete`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/publish")]
async fn publish_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = managed(conn, &user, &id)?;
                rules::require(e.state(), &[Status::Draft])?;
                if e.starts_at <= now() {
                    return Err(ApiError::field(
                        "starts_at",
                        "زمان آغاز گذشته است؛ آن را تغییر دهید.",
                        "The start has passed; change it first.",
                    ));
                }
                let rules = store::contest_rules(conn, &id)?;
                if rules.iter().any(|c| c.candidates.is_empty()) {
                    return Err(ApiError::field(
                        "contests",
                        "هر رقابت دست‌کم یک نامزد لازم دارد.",
                        "Every contest needs a candidate.",
                    ));
                }
                if e.public_key.is_none() {
                    return Err(ApiError::Conflict {
                        code: "key_ceremony_incomplete",
                        msg: Msg::new(
                            "امینان هنوز کلید انتخابات را نساخته‌اند؛ پیش از اعلام، مراسم کلید را کامل کنید.",
                            "The trustees have not made the election key yet; finish the key ceremony before publishing.",
                        ),
                    });
                }
                transition(conn, &id, Status::Draft, Status::Published)?;
                let text = format!(
                    "انتخابات «{}» اعلام شد. آغاز رأی‌گیری: {} (UTC).",
                    e.title,
                    e.starts_at.format("%Y-%m-%d %H:%M")
                );
                notify_members(conn, &e.association_id, "election_announcement", &e.title, &text, None)?;
                audit::record(conn, Event::new("election.published", "election", Some(&id)).by(&user.person_id))?;
                reload(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct ReasonBody {
    pub reason: String,
}

fn reason(r: &str) -> Result<String, ApiError> {
    let r = anjoman_core::text::normalize_persian(r.trim());
    if r.is_empty() || r.chars().count() > 500 {
        return Err(ApiError::field(
            "reason",
            "دلیل را بنویسید (حداکثر ۵۰۰ نویسه).",
            "Give the reason (at most 500 characters).",
        ));
    }
    Ok(r)
}

/// Cancels an election that is not yet counted, with a reason.
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = ReasonBody,
    responses((status = 200, description = "Cancelled", body = ElectionDto), (status = 409, description = "`wrong_election_state`", body = anjoman_core::error::ErrorBody))
)]
#[post("/elections/{id}/cancel")]
async fn cancel_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ReasonBody>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let why = reason(&body.reason)?;
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = managed(conn, &user, &id)?;
                let from = e.state();
                rules::require(from, &[Status::Draft, Status::Published, Status::Open, Status::Closed])?;
                if !transition(conn, &id, from, Status::Cancelled)? {
                    return Err(rules::require(store::get(conn, &id)?.state(), &[from])
                        .err()
                        .unwrap_or(ApiError::Internal));
                }
                audit::record(
                    conn,
                    Event::new("election.cancelled", "election", Some(&id)).by(&user.person_id).states(
                        Some(serde_json::json!({"status": from.as_str()})),
                        Some(serde_json::json!({"reason": why})),
                    ),
                )?;
                reload(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct ExtendBody {
    pub ends_at: DateTime<Utc>,
    pub reason: String,
}

/// Extends the end of an open election, with a reason (the only change once voting opened).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = ExtendBody,
    responses(
        (status = 200, description = "Extended", body = ElectionDto),
        (status = 400, description = "Not later than the current end, or no reason", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`wrong_election_state`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/extend")]
async fn extend_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ExtendBody>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let why = reason(&body.reason)?;
    let new_end = body.ends_at.naive_utc();
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = managed(conn, &user, &id)?;
                rules::require(e.state(), &[Status::Open])?;
                if new_end <= e.ends_at {
                    return Err(ApiError::field(
                        "ends_at",
                        "پایان تازه باید دیرتر از پایان کنونی باشد.",
                        "The new end must be later than the current one.",
                    ));
                }
                diesel::update(el::table.find(&id).filter(el::status.eq(Status::Open.as_str())))
                    .set((el::ends_at.eq(new_end), el::updated_at.eq(now())))
                    .execute(conn)?;
                audit::record(
                    conn,
                    Event::new("election.extended", "election", Some(&id)).by(&user.person_id).states(
                        Some(serde_json::json!({"ends_at": e.ends_at})),
                        Some(serde_json::json!({"ends_at": new_end, "reason": why})),
                    ),
                )?;
                reload(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

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
async fn turnout(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Turnout>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let e = managed(conn, &user, &id)?;
            let voted = pa::table.filter(pa::election_id.eq(&id)).count().get_result(conn)?;
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
async fn tally_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Results>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = managed(conn, &user, &id)?;
                rules::require(e.state(), &[Status::Closed])?;
                let contests = store::contest_rules(conn, &id)?;
                let counts = crate::verifiable::decrypt_counts(conn, &e)?;
                let ballots: i64 = b::table.filter(b::election_id.eq(&id)).count().get_result(conn)?;
                let voted: i64 = pa::table.filter(pa::election_id.eq(&id)).count().get_result(conn)?;
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
                if !transition(conn, &id, Status::Closed, Status::Tallied)? {
                    return Err(rules::require(store::get(conn, &id)?.state(), &[Status::Closed])
                        .err()
                        .unwrap_or(ApiError::Internal));
                }
                diesel::update(el::table.find(&id))
                    .set((el::results.eq(&json), el::counts.eq(&counts_json)))
                    .execute(conn)?;
                audit::record(
                    conn,
                    Event::new("election.tallied", "election", Some(&id))
                        .by(&user.person_id)
                        .states(None, Some(serde_json::to_value(&results).unwrap_or_default())),
                )?;
                Ok::<_, ApiError>(results)
            })
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
async fn publish_results(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = managed(conn, &user, &id)?;
                rules::require(e.state(), &[Status::Tallied])?;
                transition(conn, &id, Status::Tallied, Status::ResultsPublished)?;
                let text = format!("نتایج انتخابات «{}» اعلام شد.", e.title);
                notify_members(conn, &e.association_id, "election_results", &e.title, &text, None)?;
                let association: String = anjoman_core::db::schema::associations::table
                    .find(&e.association_id)
                    .select(anjoman_core::db::schema::associations::code)
                    .first(conn)?;
                anjoman_core::platform::webhooks::emit(
                    conn,
                    &anjoman_core::platform::webhooks::Owner::commission(),
                    "election.results_published",
                    serde_json::json!({"election_id": id, "association": association, "title": e.title}),
                )?;
                audit::record(
                    conn,
                    Event::new("election.results_published", "election", Some(&id)).by(&user.person_id),
                )?;
                reload(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// The results: public once published; the association's admins see them once counted.
pub fn load_results(conn: &mut DbConn, user: Option<&CurrentUser>, id: &str) -> Result<(Election, Results), ApiError> {
    let e = store::get(conn, id)?;
    let visible = match e.state() {
        Status::ResultsPublished => true,
        Status::Tallied => user.is_some_and(|u| require_manager(u, &e.association_id).is_ok()),
        _ => false,
    };
    let results = e.results.as_deref().filter(|_| visible).and_then(|r| serde_json::from_str(r).ok());
    let results = results.ok_or_else(|| ApiError::Conflict {
        code: "results_not_available",
        msg: Msg::new("نتایج هنوز اعلام نشده است.", "The results are not published yet."),
    })?;
    Ok((e, results))
}

/// The results of an election (EL-11).
#[utoipa::path(tag = "elections", security((), ("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "Results", body = Results), (status = 409, description = "`results_not_available`", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/results")]
async fn show_results(
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
async fn results_csv(
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
async fn bulletin(state: web::Data<AppState>, id: web::Path<String>) -> Result<web::Json<Bulletin>, ApiError> {
    let id = id.into_inner();
    let tracking_codes = state
        .db(move |conn| {
            if !store::get(conn, &id)?.state().public() {
                return Err(ApiError::NotFound);
            }
            Ok(b::table.filter(b::election_id.eq(&id)).order(b::tracking_code).select(b::tracking_code).load(conn)?)
        })
        .await?;
    Ok(web::Json(Bulletin { tracking_codes }))
}
