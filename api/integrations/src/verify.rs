//! Verification endpoints for third-party systems, each behind one scope of an API key. They
//! answer the question asked and no more: no names, addresses or contact details; an engineer
//! key of one province sees that province's engineers only.

use actix_web::{get, web};
use anjoman_core::ApiError;
use anjoman_core::http::AppState;
use anjoman_core::text::NationalCode;
use anjoman_identity::store::person_id_by_code;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::keys::{ApiClient, Scope};

fn national_code(raw: &str) -> Result<String, ApiError> {
    NationalCode::parse(raw)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| ApiError::field("national_code", e.message_fa(), e.message_en()))
}

#[derive(Deserialize, IntoParams)]
pub struct MemberQuery {
    /// The association's code (as in its public page), e.g. `iranian-cardiology`.
    pub association: String,
    pub national_code: String,
}

/// Whether a national code is an approved member of an association.
#[derive(Serialize, ToSchema)]
pub struct MemberVerification {
    pub association: String,
    pub national_code: String,
    /// True only for an approved membership (a pending or rejected request is false).
    pub member: bool,
    /// When the membership was approved, if it is.
    pub approved_on: Option<NaiveDate>,
}

/// Is this national code an approved member of this association? (scope `members:verify`)
#[utoipa::path(
    tag = "integrations",
    security(("api_key" = ["members:verify"])),
    params(MemberQuery),
    responses(
        (status = 200, description = "The answer", body = MemberVerification),
        (status = 400, description = "Invalid national code", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "Missing, unknown, revoked or expired key", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "`missing_scope`", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No association with this code", body = anjoman_core::error::ErrorBody),
        (status = 429, description = "The key's rate is used up; see Retry-After", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/integrations/members/verify")]
pub async fn verify_member(
    state: web::Data<AppState>,
    client: ApiClient,
    q: web::Query<MemberQuery>,
) -> Result<web::Json<MemberVerification>, ApiError> {
    client.require(Scope::MembersVerify)?;
    let code = national_code(&q.national_code)?;
    let association = q.association.trim().to_owned();
    let out = state
        .db(move |conn| {
            let aid = anjoman_associations::api::by_code(conn, &association)?.ok_or(ApiError::NotFound)?.id;
            let approved = match person_id_by_code(conn, &code)? {
                Some(pid) => anjoman_associations::api::approved_membership(conn, &aid, &pid)?,
                None => None,
            };
            Ok(MemberVerification {
                association,
                national_code: code,
                member: approved.is_some(),
                approved_on: approved.flatten().map(|t| t.date()),
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, IntoParams)]
pub struct PersonQuery {
    pub national_code: String,
}

/// A branch where the officer is the technical officer now.
#[derive(Serialize, ToSchema)]
pub struct OfficerBranch {
    pub distributor: String,
    pub branch: String,
    /// The province's id, e.g. `tehran`.
    pub province: String,
}

/// Whether a person is a qualified technical officer.
#[derive(Serialize, ToSchema)]
pub struct OfficerVerification {
    pub national_code: String,
    /// Qualified, and the qualification neither suspended nor revoked by the directorate.
    pub qualified: bool,
    /// `active`, `suspended` or `revoked` for a person ever qualified; none otherwise.
    pub standing: Option<String>,
    pub qualified_on: Option<NaiveDate>,
    /// Field of study and degree the qualification is for (when qualified).
    pub field: Option<String>,
    pub degree_level: Option<String>,
    /// The distributors' branches the officer serves now (when qualified).
    pub branches: Vec<OfficerBranch>,
}

/// Is this person a qualified technical officer, and of which branches? (scope `officers:verify`)
#[utoipa::path(
    tag = "integrations",
    security(("api_key" = ["officers:verify"])),
    params(PersonQuery),
    responses(
        (status = 200, description = "The answer", body = OfficerVerification),
        (status = 400, description = "Invalid national code", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "Missing, unknown, revoked or expired key", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "`missing_scope`", body = anjoman_core::error::ErrorBody),
        (status = 429, description = "The key's rate is used up; see Retry-After", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/integrations/officers/verify")]
pub async fn verify_officer(
    state: web::Data<AppState>,
    client: ApiClient,
    q: web::Query<PersonQuery>,
) -> Result<web::Json<OfficerVerification>, ApiError> {
    client.require(Scope::OfficersVerify)?;
    let code = national_code(&q.national_code)?;
    let out = state
        .db(move |conn| {
            let officer = match person_id_by_code(conn, &code)? {
                Some(pid) => anjoman_officers::api::officer(conn, &pid)?,
                None => None,
            };
            let standing = officer.as_ref().filter(|o| o.qualified_at.is_some()).map(|o| o.standing.clone());
            let Some((officer, at)) = officer.filter(|o| o.qualified()).and_then(|o| o.qualified_at.map(|at| (o, at)))
            else {
                return Ok(OfficerVerification {
                    national_code: code,
                    qualified: false,
                    standing,
                    qualified_on: None,
                    field: None,
                    degree_level: None,
                    branches: Vec::new(),
                });
            };
            let branches = anjoman_officers::api::branches_served(conn, &officer.person_id)?;
            Ok(OfficerVerification {
                national_code: code,
                qualified: true,
                standing: Some(officer.standing),
                qualified_on: Some(at.date()),
                field: Some(officer.field),
                degree_level: Some(officer.degree_level),
                branches: branches
                    .into_iter()
                    .map(|b| OfficerBranch { distributor: b.distributor, branch: b.branch, province: b.province_id })
                    .collect(),
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, IntoParams)]
pub struct EngineerQuery {
    pub national_code: String,
    /// The day asked about (YYYY-MM-DD, Gregorian); today when left out.
    pub on: Option<String>,
}

/// Whether an engineer's membership is valid on a day.
#[derive(Serialize, ToSchema)]
pub struct EngineerVerification {
    pub national_code: String,
    pub membership_number: String,
    pub on: NaiveDate,
    pub valid: bool,
    /// The last day of the current membership.
    pub expires_on: NaiveDate,
}

/// Is this engineer's membership valid on this day? Only engineers of the key's province are
/// answered; any other national code is 404. (scope `engineers:verify`)
#[utoipa::path(
    tag = "integrations",
    security(("api_key" = ["engineers:verify"])),
    params(EngineerQuery),
    responses(
        (status = 200, description = "The answer", body = EngineerVerification),
        (status = 400, description = "Invalid national code or day", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "Missing, unknown, revoked or expired key", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "`missing_scope`", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No engineer of the key's province with this national code", body = anjoman_core::error::ErrorBody),
        (status = 429, description = "The key's rate is used up; see Retry-After", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/integrations/engineers/verify")]
pub async fn verify_engineer(
    state: web::Data<AppState>,
    client: ApiClient,
    q: web::Query<EngineerQuery>,
) -> Result<web::Json<EngineerVerification>, ApiError> {
    client.require(Scope::EngineersVerify)?;
    let code = national_code(&q.national_code)?;
    let on = match q.on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::field("on", "تاریخ به شکل YYYY-MM-DD باشد.", "Give the date as YYYY-MM-DD."))?,
        None => Utc::now().date_naive(),
    };
    let province = client.owner.province_id.clone().ok_or(ApiError::Forbidden)?;
    let out = state
        .db(move |conn| {
            let engineer = match person_id_by_code(conn, &code)? {
                Some(pid) => anjoman_engineers::api::engineer(conn, &pid)?,
                None => None,
            };
            let engineer = engineer.filter(|e| e.province_id == province).ok_or(ApiError::NotFound)?;
            let (number, expires) = (engineer.membership_number, engineer.expires_on);
            Ok(EngineerVerification {
                national_code: code,
                membership_number: number,
                on,
                valid: on <= expires,
                expires_on: expires,
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// Published results of an election. (scope `results:read`)
#[utoipa::path(
    tag = "integrations",
    security(("api_key" = ["results:read"])),
    params(("id" = String, Path, description = "The election")),
    responses(
        (status = 200, description = "The results", body = anjoman_elections::results::Results),
        (status = 401, description = "Missing, unknown, revoked or expired key", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "`missing_scope`", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such election", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`results_not_available`: not published", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/integrations/elections/{id}/results")]
pub async fn election_results(
    state: web::Data<AppState>,
    client: ApiClient,
    id: web::Path<String>,
) -> Result<web::Json<anjoman_elections::results::Results>, ApiError> {
    client.require(Scope::ResultsRead)?;
    let id = id.into_inner();
    let (_, results) = state.db(move |conn| anjoman_elections::results::load_results(conn, None, &id)).await?;
    Ok(web::Json(results))
}
