//! The caller's own profile (`/api/v1/me`, ID-10): who they are, their roles, and the edits
//! that the rules of their domains allow.

use actix_web::{HttpRequest, get, patch, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser, Grant, load_grants};
use anjoman_core::db::write_tx;
use anjoman_core::http::{AppState, client_ip};
use anjoman_core::person_fields::{self, PersonField, Protected};
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
    /// The personal fields that do not change on this page, and where they do (the rule table
    /// of every domain holding the person: a registered officer's name only by amendment, an
    /// engineer's by the organisation, national code and recorded birth date never).
    pub protected_fields: Vec<Protected>,
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
    let hooks = state.hooks.clone();
    let (person, grants, protected_fields) = state
        .db(move |conn| {
            let p = store::person(conn, &user.person_id)?.ok_or(ApiError::NotFound)?;
            let protected = person_fields::protected(&hooks.standings(conn, &user.person_id)?);
            Ok((p, load_grants(conn, &user.person_id)?, protected))
        })
        .await?;
    Ok(web::Json(MeResponse { person: person.into(), must_change_password, grants, protected_fields }))
}

/// The rule table on the profile's fields: what would change must be free for the person.
fn own_edit_allowed(
    standings: &[person_fields::Standing],
    before: &store::Person,
    c: &rules::ProfileChanges,
) -> Result<(), ApiError> {
    let differs = |new: &Option<String>, old: &str| new.as_deref().is_some_and(|n| n != old);
    person_fields::check_own_edit(
        standings,
        &[
            (PersonField::FirstName, true, differs(&c.first_name, &before.first_name)),
            (PersonField::LastName, true, differs(&c.last_name, &before.last_name)),
            (PersonField::BirthDate, before.birth_date.is_some(), c.birth_date.is_some_and(|d| d != before.birth_date)),
        ],
    )
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
/// fields sent change. Not allowed while a password change is pending. A field of
/// `protected_fields` that would change is refused (`field_protected`): a registered officer's
/// name changes only by amendment, an engineer's only by the organisation, a recorded birth date
/// never.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated person", body = MeResponse),
        (status = 400, description = "Invalid fields, or `field_protected`: a protected field would change", body = anjoman_core::error::ErrorBody),
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
    let (person, grants, protected_fields) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let before = store::person(conn, &person_id)?.ok_or(ApiError::NotFound)?;
                // ID-10: locked while an election of one of the person's associations is open.
                for lock in &hooks.profile_locks {
                    if let Some(reason) = lock(conn, &person_id)? {
                        return Err(IdentityError::ProfileLocked(reason).into());
                    }
                }
                let standings = hooks.standings(conn, &person_id)?;
                own_edit_allowed(&standings, &before, &changes)?;
                store::update_person(conn, &person_id, &changes)?;
                let after = store::person(conn, &person_id)?.ok_or(ApiError::NotFound)?;
                audit::record(
                    conn,
                    Event::new("person.profile_updated", "person", Some(&person_id))
                        .by(&person_id)
                        .from_ip(&ip)
                        .states(Some(store::profile_json(&before)), Some(store::profile_json(&after))),
                )?;
                let protected = person_fields::protected(&standings);
                Ok::<_, ApiError>((after, load_grants(conn, &person_id)?, protected))
            })
        })
        .await?;
    Ok(web::Json(MeResponse { person: person.into(), must_change_password: false, grants, protected_fields }))
}
