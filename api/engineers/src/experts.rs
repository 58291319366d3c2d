//! The province's experts' view of its engineers: the searchable list, an engineer's whole
//! record, and degree verification.

use actix_web::{get, post, put, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::{engineers as en, persons as p};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::text::search_key;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::errors::EngineersError;
use crate::rules::BirthProvinceSource;
use crate::shared::expert_of;
use crate::store::{self, EngineerRecord};
use anjoman_core::paging::Page;

#[derive(Deserialize, IntoParams)]
pub struct EngineerListQuery {
    pub province_id: String,
    /// Part of a name, a national code or a membership number.
    pub q: Option<String>,
    /// From 1.
    pub page: Option<i64>,
    /// 1 to 100; 25 by default.
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EngineerListItem {
    pub person_id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub membership_number: String,
    pub expires_on: NaiveDate,
}

/// The engineers of a province, for its experts, a page at a time.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(EngineerListQuery),
    responses(
        (status = 200, description = "The engineers", body = Page<EngineerListItem>),
        (status = 403, description = "Not an expert of that province", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/engineering/engineers")]
pub async fn list_engineers(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<EngineerListQuery>,
) -> Result<web::Json<Page<EngineerListItem>>, ApiError> {
    expert_of(&user, &q.province_id)?;
    let q = q.into_inner();
    let (page, per_page, offset) = anjoman_core::paging::page_bounds(q.page, q.per_page)?;
    let list = state
        .db(move |conn| {
            let (items, total) = search(conn, &q.province_id, q.q.as_deref(), offset, per_page)?;
            Ok(Page { total, page, per_page, items })
        })
        .await?;
    Ok(web::Json(list))
}

/// A page of a province's engineers by name, national code or membership number (names in
/// Persian order of last, first), and how many match in all. Reads `persons` in the same join:
/// a search over names cannot be split across two stores without losing the order.
fn search(
    conn: &mut DbConn,
    province: &str,
    text: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<EngineerListItem>, i64)> {
    let filtered = || {
        let mut query = en::table.inner_join(p::table).filter(en::province_id.eq(province.to_owned())).into_boxed();
        if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
            let digits = anjoman_core::text::normalize_digits(t);
            let like = format!("%{}%", search_key(t));
            query = query.filter(
                p::search_name.like(like).or(p::national_code.eq(digits.clone())).or(en::membership_number.eq(digits)),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<(String, String, String, String, String, NaiveDate)> = filtered()
        .order((p::last_name, p::first_name, en::person_id))
        .offset(offset)
        .limit(limit)
        .select((en::person_id, p::national_code, p::first_name, p::last_name, en::membership_number, en::expires_on))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(person_id, national_code, first_name, last_name, membership_number, expires_on)| EngineerListItem {
            person_id,
            national_code,
            first_name,
            last_name,
            membership_number,
            expires_on,
        })
        .collect();
    Ok((items, total))
}

/// An engineer's whole record, for the experts of the engineer's province.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("person_id" = String, Path, description = "The engineer")),
    responses(
        (status = 200, description = "The record", body = EngineerRecord),
        (status = 403, description = "Not an expert of the engineer's province", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such engineer", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/engineering/engineers/{person_id}")]
pub async fn show_engineer(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    let record = state
        .db(move |conn| {
            let e = store::engineer(conn, &id)?.ok_or(ApiError::NotFound)?;
            expert_of(&user, &e.province_id)?;
            store::record(conn, &id)
        })
        .await?;
    Ok(web::Json(record))
}

/// Marks a degree verified by the organisation: from then on it is read-only to the engineer.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("person_id" = String, Path, description = "The engineer"), ("degree_id" = String, Path, description = "The degree")),
    responses(
        (status = 200, description = "Verified; the whole record", body = EngineerRecord),
        (status = 403, description = "Not an expert of the engineer's province", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such degree", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineering/engineers/{person_id}/degrees/{degree_id}/verification")]
pub async fn verify_degree(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, degree) = path.into_inner();
    let record = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = store::engineer(conn, &id)?.ok_or(ApiError::NotFound)?;
                expert_of(&user, &e.province_id)?;
                if !store::verify_degree(conn, &id, &degree)? {
                    return Err(ApiError::NotFound);
                }
                audit::record(
                    conn,
                    Event::new("engineer.degree_verified", "engineer_degree", Some(&degree)).by(&user.person_id),
                )?;
                store::record(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(record))
}

#[derive(Deserialize, ToSchema)]
pub struct BirthProvinceConfirmation {
    /// The province of birth as the expert finds it (the engineer's entry, or a correction).
    pub province_id: String,
}

/// Confirms or corrects the province of birth an engineer entered because their national code's
/// issuing area does not give one (EN-07); audited. Refused when the code gives it.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("person_id" = String, Path, description = "The engineer")),
    request_body = BirthProvinceConfirmation,
    responses(
        (status = 200, description = "Confirmed; the whole record", body = EngineerRecord),
        (status = 400, description = "Unknown province", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an expert of the engineer's province", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such engineer", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`birth_province_from_national_code`", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineering/engineers/{person_id}/birth-province")]
pub async fn confirm_birth_province(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<BirthProvinceConfirmation>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    let province = body.into_inner().province_id.trim().to_owned();
    let record = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = store::engineer(conn, &id)?.ok_or(ApiError::NotFound)?;
                expert_of(&user, &e.province_id)?;
                let (before, source) = store::birth_province_of(conn, &e)?;
                if source == BirthProvinceSource::NationalCode {
                    return Err(EngineersError::BirthProvinceFromNationalCode.into());
                }
                if !anjoman_core::db::province_exists(conn, &province)? {
                    return Err(ApiError::field("province_id", "استان شناخته نیست.", "Unknown province."));
                }
                store::confirm_birth_province(conn, &id, &province, &user.person_id)?;
                audit::record(
                    conn,
                    Event::new("engineer.birth_province_confirmed", "engineer", Some(&id)).by(&user.person_id).states(
                        Some(serde_json::json!({ "birth_province_id": before })),
                        Some(serde_json::json!({ "birth_province_id": province })),
                    ),
                )?;
                store::record(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(record))
}
