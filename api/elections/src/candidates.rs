//! Candidates (EL-03): approved members of the association, added to a contest before voting
//! opens, found by voters by their election code.

use actix_web::{HttpResponse, post, web};
use anjoman_associations::api as associations;
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::{DbConn, new_id, now};
use anjoman_core::http::AppState;
use anjoman_core::platform::files::{self, Purpose};
use anjoman_core::text::NationalCode;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::errors::ElectionsError;
use crate::model::NewCandidate;
use crate::rules::Status;
use crate::setup::as_manager;
use crate::store;
use crate::views::{ElectionDto, reload};

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
pub async fn add_candidate(
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
    let out = as_manager(&state, user, id.clone(), &[Status::Draft, Status::Published], move |conn, user, e| {
        if !store::has_contest(conn, &id, &body.contest_id)? {
            return Err(ApiError::field(
                "contest_id",
                "این رقابت در این انتخابات نیست.",
                "No such contest in this election.",
            ));
        }
        let contest = body.contest_id.clone();
        let person = approved_member(conn, &e.association_id, &code)?;
        check_files(conn, &body, &user.person_id)?;
        let taken = store::code_taken(conn, &id, &election_code)?;
        if taken {
            return Err(ElectionsError::ElectionCodeTaken.into());
        }
        let cid = new_id();
        let row = new_candidate(&body, &cid, &id, &person, &election_code);
        store::insert_candidate(conn, &row).map_err(|err| match ApiError::from(err) {
            // (A concurrent request may have taken the code too; both read as a conflict.)
            ApiError::Conflict { .. } => ElectionsError::AlreadyCandidate.into(),
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
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The person with this national code, if an approved member of the association.
fn approved_member(conn: &mut DbConn, association: &str, code: &NationalCode) -> Result<String, ApiError> {
    let person = anjoman_identity::store::person_id_by_code(conn, code.as_str())?;
    let approved = match &person {
        Some(p) => associations::is_approved_member(conn, association, p)?,
        None => false,
    };
    person.filter(|_| approved).ok_or_else(|| {
        ApiError::field(
            "national_code",
            "نامزد باید عضو تأییدشدهٔ انجمن باشد.",
            "A candidate must be an approved member of the association.",
        )
    })
}

/// The photo, résumé and programme, each the caller's own upload of its kind.
fn check_files(conn: &mut DbConn, body: &CandidateBody, uploader: &str) -> Result<(), ApiError> {
    for (file, purpose, field) in [
        (&body.photo_file_id, Purpose::CandidatePhoto, "photo_file_id"),
        (&body.resume_file_id, Purpose::CandidateResume, "resume_file_id"),
        (&body.programme_file_id, Purpose::CandidateProgramme, "programme_file_id"),
    ] {
        if let Some(f) = file.as_deref().filter(|f| !f.is_empty()) {
            files::check(conn, f, purpose, uploader, field)?;
        }
    }
    Ok(())
}

fn new_candidate<'a>(
    body: &'a CandidateBody,
    id: &'a str,
    election: &'a str,
    person: &'a str,
    election_code: &'a str,
) -> NewCandidate<'a> {
    let clean = |v: &Option<String>| {
        v.as_deref().map(|s| anjoman_core::text::normalize_persian(s.trim())).filter(|s| !s.is_empty())
    };
    let file = |v: &Option<String>| v.clone().filter(|f| !f.is_empty());
    NewCandidate {
        id,
        election_id: election,
        contest_id: &body.contest_id,
        person_id: person,
        election_code,
        university: clean(&body.university),
        field: clean(&body.field),
        academic_rank: clean(&body.academic_rank),
        photo_file_id: file(&body.photo_file_id),
        resume_file_id: file(&body.resume_file_id),
        programme_file_id: file(&body.programme_file_id),
        created_at: now(),
    }
}
