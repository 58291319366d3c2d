//! The public registry of associations (AS-01..03): what the commission creates and edits, who
//! administers each association, and the fields and degrees that qualify for membership.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::write_tx;
use anjoman_core::http::{AppState, client_ip};
use anjoman_core::platform::files::Purpose;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::require_manager;
use crate::errors::AssociationsError;
use crate::rules::{self, DegreeLevel, field_key};
use crate::store::{self, Association};

#[derive(Serialize, ToSchema)]
pub struct Qualification {
    pub field: String,
    pub degree_level: DegreeLevel,
}

#[derive(Serialize, ToSchema)]
pub struct AssociationDto {
    pub id: String,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub statute_date: Option<NaiveDate>,
    /// Where to download the logo, if it has one.
    pub logo_url: Option<String>,
    /// Approved members.
    pub member_count: i64,
    pub qualifications: Vec<Qualification>,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn dto(a: Association, member_count: i64, quals: Vec<(String, String)>) -> AssociationDto {
    AssociationDto {
        id: a.id,
        code: a.code,
        name: a.name,
        email: a.email,
        phone: a.phone,
        website: a.website,
        statute_date: a.statute_date,
        logo_url: a.logo_file_id.as_deref().map(anjoman_core::platform::files::url),
        member_count,
        qualifications: quals
            .into_iter()
            .filter_map(|(field, d)| Some(Qualification { field, degree_level: DegreeLevel::parse(&d)? }))
            .collect(),
        created_at: a.created_at.and_utc(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssociationList {
    pub items: Vec<AssociationDto>,
}

/// Every association with its approved-member count (public, AS-08).
#[utoipa::path(tag = "associations", responses((status = 200, description = "The associations", body = AssociationList)))]
#[get("/associations")]
pub async fn list_associations(state: web::Data<AppState>) -> Result<web::Json<AssociationList>, ApiError> {
    let items = state
        .db(|conn| {
            let rows = store::list_with_counts(conn)?;
            let mut out = Vec::new();
            for (a, n) in rows {
                let q = store::qualifications(conn, &a.id)?;
                out.push(dto(a, n, q));
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(AssociationList { items }))
}

pub(crate) async fn load(state: &AppState, id: String) -> Result<AssociationDto, ApiError> {
    state
        .db(move |conn| {
            let a = store::get(conn, &id)?.ok_or(ApiError::NotFound)?;
            let n = store::approved_count(conn, &id)?;
            let q = store::qualifications(conn, &id)?;
            Ok(dto(a, n, q))
        })
        .await
}

/// One association (public).
#[utoipa::path(tag = "associations", params(("id" = String, Path, description = "The association")), responses((status = 200, description = "The association", body = AssociationDto), (status = 404, description = "No such association", body = anjoman_core::error::ErrorBody)))]
#[get("/associations/{id}")]
pub async fn show_association(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<AssociationDto>, ApiError> {
    Ok(web::Json(load(&state, id.into_inner()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct AssociationBody {
    /// Short Latin code, e.g. `medical-informatics`; fixed once created.
    pub code: Option<String>,
    pub name: Option<String>,
    /// An empty string clears it (also below).
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// `YYYY-MM-DD`
    pub statute_date: Option<String>,
    /// A file uploaded with purpose `association_logo`.
    pub logo_file_id: Option<String>,
}

fn input(b: &AssociationBody, with_code: bool) -> Result<rules::AssociationInput, ApiError> {
    rules::association_input(
        if with_code { b.code.as_deref().or(Some("")) } else { None },
        b.name.as_deref(),
        b.email.as_deref(),
        b.phone.as_deref(),
        b.website.as_deref(),
        b.statute_date.as_deref(),
        b.logo_file_id.as_deref(),
    )
}

/// Creates an association (commission admins, AS-01).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    request_body = AssociationBody,
    responses(
        (status = 201, description = "Created", body = AssociationDto),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not a commission admin", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`code_taken`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations")]
pub async fn create_association(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<AssociationBody>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let checked = input(&body, true)?;
    if checked.name.is_none() {
        return Err(ApiError::field("name", "نام انجمن الزامی است.", "The name is required."));
    }
    let actor = user.person_id.clone();
    let id = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if let Some(Some(logo)) = &checked.logo_file_id {
                    anjoman_core::platform::files::check(conn, logo, Purpose::AssociationLogo, &actor, "logo_file_id")?;
                }
                let id = store::insert(conn, &checked).map_err(|e| match ApiError::from(e) {
                    ApiError::Conflict { .. } => AssociationsError::CodeTaken.into(),
                    other => other,
                })?;
                let after = serde_json::json!({"code": checked.code, "name": checked.name});
                audit::record(
                    conn,
                    Event::new("association.created", "association", Some(&id)).by(&actor).states(None, Some(after)),
                )?;
                Ok::<_, ApiError>(id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(load(&state, id).await?))
}

/// Edits an association's profile (its admins or commission admins).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = AssociationBody,
    responses(
        (status = 200, description = "Updated", body = AssociationDto),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such association", body = anjoman_core::error::ErrorBody),
    )
)]
#[patch("/associations/{id}")]
pub async fn edit_association(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<AssociationBody>,
) -> Result<web::Json<AssociationDto>, ApiError> {
    let id = id.into_inner();
    require_manager(&user, &id)?;
    if body.code.is_some() {
        return Err(ApiError::field("code", "کد انجمن تغییر نمی‌کند.", "An association's code cannot change."));
    }
    let checked = input(&body, false)?;
    let (aid, actor) = (id.clone(), user.person_id.clone());
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                if let Some(Some(logo)) = &checked.logo_file_id {
                    anjoman_core::platform::files::check(conn, logo, Purpose::AssociationLogo, &actor, "logo_file_id")?;
                }
                store::update(conn, &aid, &checked)?;
                audit::record(conn, Event::new("association.updated", "association", Some(&aid)).by(&actor))?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(web::Json(load(&state, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PersonRef {
    pub national_code: String,
}

pub(crate) fn parse_person(code: &str, field: &str) -> Result<NationalCode, ApiError> {
    NationalCode::parse(code).map_err(|e| ApiError::field(field, e.message_fa(), e.message_en()))
}

pub(crate) fn unknown_person(field: &str) -> ApiError {
    ApiError::field(field, "کسی با این کد ملی ثبت‌نام نکرده است.", "No one with this national code is registered.")
}

/// Makes a registered person an admin of the association (commission admins).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = PersonRef,
    responses(
        (status = 204, description = "Granted"),
        (status = 400, description = "Invalid or unknown national code", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not a commission admin", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/admins")]
pub async fn add_association_admin(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<PersonRef>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let code = parse_person(&body.national_code, "national_code")?;
    let (aid, actor) = (id.into_inner(), user.person_id.clone());
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let hooks = state.hooks.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                let person = anjoman_identity::store::person_id_by_code(conn, code.as_str())?
                    .ok_or_else(|| unknown_person("national_code"))?;
                anjoman_identity::roles::grant(
                    conn,
                    &hooks,
                    &actor,
                    Some(&ip),
                    &person,
                    Role::AssociationAdmin,
                    Some(&aid),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct QualificationBody {
    pub field: String,
    pub degree_level: String,
}

pub(crate) fn check_pair(e: &mut FieldErrors, i: usize, field: &str, degree: &str) -> Option<(String, String)> {
    let key = field_key(field);
    let level = DegreeLevel::parse(degree);
    if key.is_empty() || key.chars().count() > 100 {
        e.add(&format!("qualifications[{i}].field"), Msg::new("رشته الزامی است.", "The field is required."));
    }
    if level.is_none() {
        e.add(&format!("qualifications[{i}].degree_level"), Msg::new("مقطع نامعتبر است.", "Unknown degree level."));
    }
    Some((key, level?.as_str().to_owned()))
}

/// Declares the fields and degree levels that qualify for membership (AS-02); replaces them all.
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = Vec<QualificationBody>,
    responses(
        (status = 200, description = "Updated", body = AssociationDto),
        (status = 400, description = "Invalid entries", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/associations/{id}/qualifications")]
pub async fn set_qualifications(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Vec<QualificationBody>>,
) -> Result<web::Json<AssociationDto>, ApiError> {
    let id = id.into_inner();
    require_manager(&user, &id)?;
    let mut e = FieldErrors::new();
    let mut pairs: Vec<(String, String)> =
        body.iter().enumerate().filter_map(|(i, q)| check_pair(&mut e, i, &q.field, &q.degree_level)).collect();
    e.into_result()?;
    pairs.sort();
    pairs.dedup();
    let (aid, actor) = (id.clone(), user.person_id.clone());
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                store::replace_qualifications(conn, &aid, &pairs)?;
                audit::record(
                    conn,
                    Event::new("association.qualifications_set", "association", Some(&aid))
                        .by(&actor)
                        .states(None, Some(serde_json::json!(pairs))),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(web::Json(load(&state, id).await?))
}
