//! The record as a whole (EN-03) and its main-information tab.

use actix_web::{get, put, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, FieldErrors, Msg};
use anjoman_identity::rules::ProfileChanges;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::MainForm;
use super::{change_record, engineer_of, not_future, province_exists, required, store};
use crate::store::EngineerRecord;

/// The caller's own record, every tab (EN-03).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record", body = EngineerRecord),
        (status = 403, description = "Not an engineer", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "The organisation holds no record of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/engineers/me")]
pub async fn my_record(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<EngineerRecord>, ApiError> {
    let record = state
        .db(move |conn| {
            let me = engineer_of(conn, &user)?;
            crate::store::record(conn, &me)
        })
        .await?;
    Ok(web::Json(record))
}

#[derive(Deserialize, ToSchema)]
pub struct MainInfo {
    pub father_name: String,
    /// `male` or `female`
    pub gender: String,
    pub id_card_number: String,
    pub birth_place: String,
    /// Where the engineer was born; residence proof is needed when it is not the membership
    /// province (EN-07).
    pub birth_province_id: String,
    /// Only when the record has none yet; never changes afterwards.
    pub birth_date: Option<NaiveDate>,
}

/// Saves the main-information tab.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = MainInfo,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/main")]
pub async fn save_main(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<MainInfo>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let b = body.into_inner();
    change_record(&state, user, "engineer.main_saved", move |conn, me| {
        let mut e = FieldErrors::new();
        let father = required(&mut e, "father_name", &b.father_name);
        let gender = b.gender.trim().to_owned();
        if gender != "male" && gender != "female" {
            e.add("gender", Msg::new("جنسیت را انتخاب کنید.", "Choose male or female."));
        }
        let id_card = required(&mut e, "id_card_number", &b.id_card_number);
        let place = required(&mut e, "birth_place", &b.birth_place);
        province_exists(conn, &mut e, "birth_province_id", &b.birth_province_id)?;
        let current = anjoman_identity::store::person(conn, me)?.and_then(|p| p.birth_date);
        if let Some(d) = b.birth_date {
            not_future(&mut e, "birth_date", d);
            if current.is_some_and(|c| c != d) {
                e.add("birth_date", Msg::new("تاریخ تولد تغییر نمی‌کند.", "The birth date cannot change."));
            }
        }
        e.into_result()?;
        if current.is_none()
            && let Some(d) = b.birth_date
        {
            let birth = ProfileChanges { birth_date: Some(Some(d)), ..Default::default() };
            anjoman_identity::store::update_person(conn, me, &birth)?;
        }
        let form = MainForm {
            father_name: father,
            gender,
            id_card_number: id_card,
            birth_place: place,
            birth_province_id: b.birth_province_id,
        };
        Ok(store::save_main(conn, me, &form)?)
    })
    .await
}
