//! The record as a whole (EN-03) and its main-information tab.

use actix_web::{get, put, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::DbConn;
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, FieldErrors, Msg};
use anjoman_identity::rules::ProfileChanges;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::MainForm;
use super::{change_record, engineer_of, not_future, province_exists, required, store};
use crate::rules::BirthProvinceSource;
use crate::store::EngineerRecord;
use anjoman_core::person_fields::{self, PersonField, Standing};

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
    /// Where the engineer was born, only when the national code's issuing area does not give it
    /// (unknown or abroad): then an expert of the province confirms it, and changing it asks for
    /// confirmation again. When the code gives it, it is read-only: leave it out or send the same.
    /// Residence proof is needed when it is not the membership province (EN-07).
    pub birth_province_id: Option<String>,
    /// Only when the record has none yet; never changes afterwards.
    pub birth_date: Option<NaiveDate>,
}

/// Checks the main-information tab against the record and the rule table; fills a missing birth
/// date, and asks an expert again when an entered province of birth changes.
fn checked_main(conn: &mut DbConn, me: &str, b: &MainInfo) -> Result<MainForm, ApiError> {
    let mut e = FieldErrors::new();
    let father = required(&mut e, "father_name", &b.father_name);
    let gender = b.gender.trim().to_owned();
    if gender != "male" && gender != "female" {
        e.add("gender", Msg::new("جنسیت را انتخاب کنید.", "Choose male or female."));
    }
    let id_card = required(&mut e, "id_card_number", &b.id_card_number);
    let place = required(&mut e, "birth_place", &b.birth_place);
    let wanted = b.birth_province_id.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if let Some(p) = wanted {
        province_exists(conn, &mut e, "birth_province_id", p)?;
    }
    if let Some(d) = b.birth_date {
        not_future(&mut e, "birth_date", d);
    }
    e.into_result()?;
    let person = anjoman_identity::store::person_of(conn, me)?;
    let engineer = crate::store::engineer(conn, me)?.ok_or(ApiError::NotFound)?;
    let (born, source) = crate::store::birth_province_of(conn, &engineer)?;
    let derived = source == BirthProvinceSource::NationalCode;
    person_fields::check_own_edit(
        &[Standing::Engineer],
        &[
            (
                PersonField::BirthDate,
                person.birth_date.is_some(),
                b.birth_date.is_some_and(|d| Some(d) != person.birth_date),
            ),
            (PersonField::BirthProvince, derived, derived && wanted.is_some_and(|p| Some(p) != born.as_deref())),
        ],
    )?;
    if person.birth_date.is_none()
        && let Some(d) = b.birth_date
    {
        let birth = ProfileChanges { birth_date: Some(Some(d)), ..Default::default() };
        anjoman_identity::store::update_person(conn, me, &birth)?;
    }
    // Stored only where the code gives none; a new entry waits for an expert again.
    let entered = if derived { born } else { wanted.map(str::to_owned) };
    let reconfirm = !derived && entered != engineer.birth_province_id;
    let form = MainForm {
        father_name: father,
        gender,
        id_card_number: id_card,
        birth_place: place,
        birth_province_id: entered,
    };
    if reconfirm {
        store::unconfirm_birth_province(conn, me)?;
    }
    Ok(form)
}

/// Saves the main-information tab.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = MainInfo,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields, or `field_protected`: a birth date or a province of birth the national code gives would change", body = anjoman_core::error::ErrorBody),
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
        let form = checked_main(conn, me, &b)?;
        Ok(store::save_main(conn, me, &form)?)
    })
    .await
}
