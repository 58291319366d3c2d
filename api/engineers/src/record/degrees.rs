//! Degrees (EN-04): the image is required, and the inquiry code or a verification letter; a
//! degree the organisation has verified is read-only to the engineer.

use actix_web::{delete, post, put, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::{DbConn, new_id, now};
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{DegreeForm, NewDegree};
use super::{change_record, check_file, not_future, one_of, optional, required, store};
use crate::errors::EngineersError;
use crate::rules::{DegreeLevel, Discipline};
use crate::store::EngineerRecord;

#[derive(Deserialize, ToSchema)]
pub struct DegreeInput {
    /// `associate`, `bachelor_noncontinuous`, `bachelor`, `master` or `doctorate`
    pub level: String,
    /// One of the seven building disciplines.
    pub discipline: String,
    pub orientation: String,
    pub university: String,
    pub graduated_on: NaiveDate,
    /// The degree's inquiry code; without one, a verification letter is needed.
    pub inquiry_code: Option<String>,
    /// The uploaded verification letter (`engineer_document`), when there is no inquiry code.
    pub letter_file_id: Option<String>,
    /// The uploaded degree image (`engineer_document`): required.
    pub image_file_id: Option<String>,
}

fn degree_values(conn: &mut DbConn, me: &str, d: DegreeInput) -> Result<DegreeForm, ApiError> {
    let mut e = FieldErrors::new();
    let level = one_of(&mut e, "level", &d.level, DegreeLevel::parse, DegreeLevel::codes());
    let discipline = one_of(&mut e, "discipline", &d.discipline, Discipline::parse, Discipline::codes());
    let orientation = required(&mut e, "orientation", &d.orientation);
    let university = required(&mut e, "university", &d.university);
    not_future(&mut e, "graduated_on", d.graduated_on);
    let inquiry = optional(&mut e, "inquiry_code", d.inquiry_code.as_deref());
    let letter = d.letter_file_id.filter(|f| !f.trim().is_empty());
    if inquiry.is_none() && letter.is_none() {
        e.add(
            "inquiry_code",
            Msg::new(
                "کد استعلام را وارد کنید یا تصویر تأییدیهٔ تحصیلی را بارگذاری کنید.",
                "Enter the inquiry code, or upload the verification letter.",
            ),
        );
    }
    if let Some(f) = &letter {
        check_file(conn, f, me, "letter_file_id", &mut e);
    }
    let image = d.image_file_id.filter(|f| !f.trim().is_empty());
    match &image {
        None => {
            e.add("image_file_id", Msg::new("بارگذاری تصویر مدرک تحصیلی اجباری است.", "The degree image is required."))
        }
        Some(f) => check_file(conn, f, me, "image_file_id", &mut e),
    }
    e.into_result()?;
    let (Some(level), Some(discipline), Some(image)) = (level, discipline, image) else {
        return Err(ApiError::Internal);
    };
    Ok(DegreeForm {
        level: level.as_str(),
        discipline: discipline.as_str(),
        orientation,
        university,
        graduated_on: d.graduated_on,
        inquiry_code: inquiry,
        letter_file_id: letter,
        image_file_id: Some(image),
    })
}

/// Adds a degree (EN-04): the image is required, and the inquiry code or a verification letter.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = DegreeInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields (`image_file_id` when the image is missing)", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/degrees")]
pub async fn add_degree(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DegreeInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let d = body.into_inner();
    change_record(&state, user, "engineer.degree_added", move |conn, me| {
        let form = degree_values(conn, me, d)?;
        let at = now();
        let row = NewDegree {
            id: new_id(),
            engineer_id: me.to_owned(),
            form,
            verified: false,
            created_at: at,
            updated_at: at,
        };
        Ok(store::insert_degree(conn, &row)?)
    })
    .await
}

/// A degree of the caller that the organisation has not verified.
fn own_unverified_degree(conn: &mut DbConn, me: &str, id: &str) -> Result<(), ApiError> {
    if store::degree_verified(conn, me, id)? {
        return Err(EngineersError::DegreeVerified.into());
    }
    Ok(())
}

/// Edits a degree the organisation has not verified (`409 degree_verified` otherwise).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The degree")),
    request_body = DegreeInput,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`degree_verified`", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/degrees/{id}")]
pub async fn edit_degree(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<DegreeInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, d) = (path.into_inner(), body.into_inner());
    change_record(&state, user, "engineer.degree_edited", move |conn, me| {
        own_unverified_degree(conn, me, &id)?;
        let form = degree_values(conn, me, d)?;
        store::update_degree(conn, me, &id, &form)
    })
    .await
}

/// Removes a degree the organisation has not verified.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The degree")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 409, description = "`degree_verified`", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/degrees/{id}")]
pub async fn remove_degree(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.degree_removed", move |conn, me| {
        own_unverified_degree(conn, me, &id)?;
        store::delete_degree(conn, me, &id)
    })
    .await
}
