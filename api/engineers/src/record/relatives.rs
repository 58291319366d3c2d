//! Relatives (EN-08): the engineer's spouse and children.

use actix_web::{delete, post, put, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::{new_id, now};
use anjoman_core::http::AppState;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{NewRelative, RelativeForm};
use super::{change_record, not_future, one_of, required, store};
use crate::rules::Relation;
use crate::store::EngineerRecord;

#[derive(Deserialize, ToSchema)]
pub struct RelativeInput {
    /// `spouse` or `child`
    pub relation: String,
    pub first_name: String,
    pub last_name: String,
    pub national_code: String,
    pub birth_date: NaiveDate,
}

fn relative_values(r: &RelativeInput) -> Result<RelativeForm, ApiError> {
    let mut e = FieldErrors::new();
    let relation = one_of(&mut e, "relation", &r.relation, Relation::parse, Relation::codes());
    let first = required(&mut e, "first_name", &r.first_name);
    let last = required(&mut e, "last_name", &r.last_name);
    let code = match NationalCode::parse(&r.national_code) {
        Ok(c) => c.as_str().to_owned(),
        Err(err) => {
            e.add("national_code", Msg::new(err.message_fa(), err.message_en()));
            String::new()
        }
    };
    not_future(&mut e, "birth_date", r.birth_date);
    e.into_result()?;
    Ok(RelativeForm {
        relation: relation.map(Relation::as_str).unwrap_or_default(),
        first_name: first,
        last_name: last,
        national_code: code,
        birth_date: r.birth_date,
    })
}

/// Adds a spouse or child (EN-08).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = RelativeInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/relatives")]
pub async fn add_relative(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<RelativeInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let r = body.into_inner();
    change_record(&state, user, "engineer.relative_added", move |conn, me| {
        let form = relative_values(&r)?;
        let row = NewRelative { id: new_id(), engineer_id: me.to_owned(), form, created_at: now() };
        Ok(store::insert_relative(conn, &row)?)
    })
    .await
}

/// Edits a spouse or child.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The relative")),
    request_body = RelativeInput,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such relative of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/relatives/{id}")]
pub async fn edit_relative(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<RelativeInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, r) = (path.into_inner(), body.into_inner());
    change_record(&state, user, "engineer.relative_edited", move |conn, me| {
        store::update_relative(conn, me, &id, &relative_values(&r)?)
    })
    .await
}

/// Removes a spouse or child.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The relative")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 404, description = "No such relative of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/relatives/{id}")]
pub async fn remove_relative(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.relative_removed", move |conn, me| store::delete_relative(conn, me, &id))
        .await
}
