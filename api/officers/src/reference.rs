//! Reference data: provinces with the university of medical sciences that reviews each, their
//! cities, and the fields and degree levels that qualify an officer (TO-01).

use actix_web::{get, post, put, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::schema::{cities as ci, counties as co, officer_fields as of, provinces as pr};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::degrees::DegreeLevel;
use anjoman_core::http::AppState;
use anjoman_core::reference::persian_sort_key;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct City {
    pub id: String,
    pub name_fa: String,
    /// The county (شهرستان) the city belongs to, to tell apart cities of one name.
    pub county_fa: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Province {
    pub id: String,
    pub name_fa: String,
    pub name_en: String,
    /// The university of medical sciences that reviews the province's officers.
    pub university: String,
    pub cities: Vec<City>,
}

#[derive(Serialize, ToSchema)]
pub struct ProvinceList {
    pub items: Vec<Province>,
}

/// The Persian names of the provinces among `ids` (the scope of reviewers' and engineering
/// admins' grants).
pub fn province_names(conn: &mut DbConn, ids: &[String]) -> Result<Vec<(String, String)>, ApiError> {
    Ok(pr::table.filter(pr::id.eq_any(ids)).select((pr::id, pr::name_fa)).load(conn)?)
}

/// The university of medical sciences that reviews the province's requests.
pub fn university(conn: &mut DbConn, province: &str) -> QueryResult<String> {
    pr::table.find(province).select(pr::university).first(conn)
}

pub fn provinces(conn: &mut DbConn) -> QueryResult<Vec<Province>> {
    let rows: Vec<(String, String, String, String)> =
        pr::table.order(pr::sort_order).select((pr::id, pr::name_fa, pr::name_en, pr::university)).load(conn)?;
    let mut cities: Vec<(String, String, String, Option<String>)> = ci::table
        .left_join(co::table)
        .select((ci::id, ci::province_id, ci::name_fa, co::name_fa.nullable()))
        .load(conn)?;
    cities.sort_by_cached_key(|c| persian_sort_key(&c.2));
    Ok(rows
        .into_iter()
        .map(|(id, name_fa, name_en, university)| Province {
            cities: cities
                .iter()
                .filter(|c| c.1 == id)
                .map(|c| City { id: c.0.clone(), name_fa: c.2.clone(), county_fa: c.3.clone() })
                .collect(),
            id,
            name_fa,
            name_en,
            university,
        })
        .collect())
}

/// The 31 provinces, their universities of medical sciences and every city (over a thousand, in
/// the order of the Persian alphabet, each with its county).
#[utoipa::path(tag = "officers", responses((status = 200, description = "Provinces", body = ProvinceList)))]
#[get("/provinces")]
pub async fn list_provinces(state: web::Data<AppState>) -> Result<web::Json<ProvinceList>, ApiError> {
    let items = state.db(|conn| Ok(provinces(conn)?)).await?;
    Ok(web::Json(ProvinceList { items }))
}

/// Whether the city is one of the province's.
pub fn city_in(conn: &mut DbConn, province: &str, city: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(ci::table.filter(ci::id.eq(city)).filter(ci::province_id.eq(province))))
        .get_result(conn)
}

#[derive(Serialize, Deserialize, ToSchema, Clone, PartialEq, Eq)]
pub struct OfficerField {
    pub field: String,
    pub degree_level: DegreeLevel,
}

#[derive(Serialize, ToSchema)]
pub struct OfficerFieldList {
    pub items: Vec<OfficerField>,
}

pub fn allowed_fields(conn: &mut DbConn) -> QueryResult<Vec<OfficerField>> {
    let rows: Vec<(String, String)> =
        of::table.order((of::field, of::degree_level)).select((of::field, of::degree_level)).load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(field, d)| DegreeLevel::parse(&d).map(|degree_level| OfficerField { field, degree_level }))
        .collect())
}

pub fn field_allowed(conn: &mut DbConn, field: &str, degree: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(of::table.filter(of::field.eq(field)).filter(of::degree_level.eq(degree))))
        .get_result(conn)
}

/// The fields and degree levels that qualify for registration (TO-01).
#[utoipa::path(tag = "officers", responses((status = 200, description = "Allowed fields and degrees", body = OfficerFieldList)))]
#[get("/officer-fields")]
pub async fn list_fields(state: web::Data<AppState>) -> Result<web::Json<OfficerFieldList>, ApiError> {
    let items = state.db(|conn| Ok(allowed_fields(conn)?)).await?;
    Ok(web::Json(OfficerFieldList { items }))
}

/// Replaces the allow-list (the directorate). Registered officers keep their data.
#[utoipa::path(tag = "officers", security(("bearer" = [])), request_body = Vec<OfficerField>, responses((status = 200, description = "The new list", body = OfficerFieldList), (status = 400, description = "Empty list or an empty field", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not the directorate", body = anjoman_core::error::ErrorBody)))]
#[put("/officer-fields")]
pub async fn replace_fields(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<Vec<OfficerField>>,
) -> Result<web::Json<OfficerFieldList>, ApiError> {
    user.require(&[Role::DirectorateAdmin.any()])?;
    let list: Vec<OfficerField> = body
        .into_inner()
        .into_iter()
        .map(|f| OfficerField { field: anjoman_core::text::normalize_persian(f.field.trim()), ..f })
        .collect();
    let mut e = FieldErrors::new();
    if list.is_empty() {
        e.add("items", Msg::new("دست‌کم یک رشته لازم است.", "At least one field is needed."));
    }
    for (i, f) in list.iter().enumerate() {
        if f.field.is_empty() || f.field.chars().count() > 100 {
            e.add(&format!("items[{i}].field"), Msg::new("نام رشته الزامی است.", "A field name is required."));
        }
    }
    e.into_result()?;
    let items = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                set_allowed_fields(conn, &list)?;
                audit::record(
                    conn,
                    Event::new("officer_fields.replaced", "officer_fields", None)
                        .by(&user.person_id)
                        .states(None, Some(serde_json::to_value(&list).unwrap_or_default())),
                )?;
                Ok::<_, ApiError>(allowed_fields(conn)?)
            })
        })
        .await?;
    Ok(web::Json(OfficerFieldList { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewerBody {
    pub national_code: String,
}

/// Makes a person (with an account) a reviewer of the province's university (the directorate).
#[utoipa::path(tag = "officers", security(("bearer" = [])), params(("id" = String, Path, description = "The province")), request_body = ReviewerBody, responses((status = 204, description = "Granted"), (status = 400, description = "Unknown person", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not the directorate", body = anjoman_core::error::ErrorBody), (status = 404, description = "No such province", body = anjoman_core::error::ErrorBody)))]
#[post("/provinces/{id}/reviewers")]
pub async fn add_reviewer(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ReviewerBody>,
) -> Result<actix_web::HttpResponse, ApiError> {
    user.require(&[Role::DirectorateAdmin.any()])?;
    let code = NationalCode::parse(&body.national_code)
        .map_err(|e| ApiError::field("national_code", e.message_fa(), e.message_en()))?;
    let province = id.into_inner();
    let ip = anjoman_core::http::client_ip(&req, state.config.trust_forwarded_for);
    let hooks = state.hooks.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if !anjoman_core::db::province_exists(conn, &province)? {
                    return Err(ApiError::NotFound);
                }
                let person = anjoman_identity::store::account_by_code(conn, code.as_str())?.ok_or_else(|| {
                    ApiError::field("national_code", "این شخص حساب کاربری ندارد.", "This person has no account.")
                })?;
                anjoman_identity::roles::grant(
                    conn,
                    &hooks,
                    &user.person_id,
                    Some(&ip),
                    &person.person_id,
                    Role::UniversityReviewer,
                    Some(&province),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}

/// The directorate's list of allowed fields and degrees, replacing the old one (repeats kept once).
fn set_allowed_fields(conn: &mut DbConn, list: &[OfficerField]) -> QueryResult<()> {
    diesel::delete(of::table).execute(conn)?;
    let mut seen = std::collections::BTreeSet::new();
    for f in list {
        if seen.insert((f.field.clone(), f.degree_level.as_str())) {
            diesel::insert_into(of::table)
                .values((of::field.eq(&f.field), of::degree_level.eq(f.degree_level.as_str())))
                .execute(conn)?;
        }
    }
    Ok(())
}
