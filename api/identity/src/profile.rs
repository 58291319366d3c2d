//! The caller's own profile (`/api/v1/me`, ID-10): who they are, their roles, and the edits
//! that the rules of their domains allow.

use actix_web::{HttpRequest, get, patch, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser, Grant, load_grants};
use anjoman_core::db::write_tx;
use anjoman_core::http::{AppState, client_ip};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::IdentityError;
use crate::registration::PersonResponse;
use crate::rules::{self};
use crate::store::{self};

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    #[serde(flatten)]
    pub person: PersonResponse,
    /// True until the person changes a password that was issued or reset.
    pub must_change_password: bool,
    /// The person's roles, each with its scope.
    pub grants: Vec<Grant>,
}

/// The signed-in person with their role grants.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = MeResponse),
        (status = 401, description = "Not signed in", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> Result<web::Json<MeResponse>, ApiError> {
    let must_change_password = user.must_change_password;
    let (person, grants) = state
        .db(move |conn| {
            let p = store::person(conn, &user.person_id)?.ok_or(ApiError::NotFound)?;
            Ok((p, load_grants(conn, &user.person_id)?))
        })
        .await?;
    Ok(web::Json(MeResponse { person: person.into(), must_change_password, grants }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// An empty string removes it.
    pub mobile: Option<String>,
    /// An empty string removes it.
    pub email: Option<String>,
    /// Gregorian `YYYY-MM-DD`; an empty string removes it.
    #[schema(example = "1980-03-20")]
    pub birth_date: Option<String>,
}

/// Completes or corrects the caller's own profile (ID-02 partial profiles, ID-10). Only the
/// fields sent change. Not allowed while a password change is pending.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated person", body = MeResponse),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "Not signed in", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "`password_change_required`", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`profile_locked`: an election of one of the person's associations is open (ID-10); the e-mail can then change only by SMS", body = anjoman_core::error::ErrorBody),
    )
)]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    body: web::Json<UpdateMeRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let changes = rules::profile_changes(
        &rules::ProfileInput {
            first_name: body.first_name.as_deref(),
            last_name: body.last_name.as_deref(),
            mobile: body.mobile.as_deref(),
            email: body.email.as_deref(),
            birth_date: body.birth_date.as_deref(),
        },
        chrono::Utc::now().date_naive(),
    )?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let person_id = user.person_id.clone();
    let hooks = state.hooks.clone();
    let (person, grants) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let before = store::person(conn, &person_id)?.ok_or(ApiError::NotFound)?;
                // ID-10: locked while an election of one of the person's associations is open.
                for lock in &hooks.profile_locks {
                    if let Some(reason) = lock(conn, &person_id)? {
                        return Err(IdentityError::ProfileLocked(reason).into());
                    }
                }
                store::update_person(conn, &person_id, &changes)?;
                let after = store::person(conn, &person_id)?.ok_or(ApiError::NotFound)?;
                audit::record(
                    conn,
                    Event::new("person.profile_updated", "person", Some(&person_id))
                        .by(&person_id)
                        .from_ip(&ip)
                        .states(Some(store::profile_json(&before)), Some(store::profile_json(&after))),
                )?;
                Ok::<_, ApiError>((after, load_grants(conn, &person_id)?))
            })
        })
        .await?;
    Ok(web::Json(MeResponse { person: person.into(), must_change_password: false, grants }))
}
