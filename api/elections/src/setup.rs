//! Setting an election up (EL-01): the association's admins create a draft with its contests
//! and trustees, and edit it until voting opens.

use actix_web::{HttpResponse, patch, post, web};
use anjoman_associations::api::{self as associations, require_manager};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::model::{Election, ElectionChanges, NewContest, NewElection};
use crate::rules::{self, Status};
use crate::store;
use crate::views::{ElectionDto, dto, reload};

#[derive(Deserialize, ToSchema)]
pub struct ContestBody {
    pub title: String,
    pub seats: i32,
    /// Alternates (علی‌البدل) after the elected; 0 when none.
    #[serde(default)]
    pub alternates: i32,
    pub max_selections: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct ElectionBody {
    pub title: Option<String>,
    pub description: Option<String>,
    pub support_contact: Option<String>,
    /// UTC, ISO-8601.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// On creation only.
    pub contests: Option<Vec<ContestBody>>,
    /// The trustees' national codes (1 to 9, each with an account): they make the election key
    /// in a ceremony and decrypt the totals (EL-10). Required on creation; changeable in a draft
    /// until the ceremony starts.
    pub trustees: Option<Vec<String>>,
    /// How many of the trustees must decrypt (1 to their number). Required with `trustees`.
    pub trustee_threshold: Option<i32>,
}

struct CheckedElection {
    title: Option<String>,
    description: Option<String>,
    support_contact: Option<Option<String>>,
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
}

fn check_election(b: &ElectionBody, creating: bool, current: Option<&Election>) -> Result<CheckedElection, ApiError> {
    let mut e = FieldErrors::new();
    let text = |v: &Option<String>| v.as_deref().map(|s| anjoman_core::text::normalize_persian(s.trim()));
    let title = text(&b.title);
    if title.as_ref().is_some_and(|t| t.is_empty() || t.chars().count() > 200) || (creating && title.is_none()) {
        e.add("title", Msg::new("عنوان الزامی است (حداکثر ۲۰۰ نویسه).", "A title is required (at most 200)."));
    }
    let description = text(&b.description);
    if description.as_ref().is_some_and(|t| t.chars().count() > 20_000) {
        e.add("description", Msg::new("متن معرفی بیش از اندازه است.", "The introduction is too long."));
    }
    let support_contact = b.support_contact.as_deref().map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty()));
    let starts_at = b.starts_at.map(|t| t.naive_utc());
    let ends_at = b.ends_at.map(|t| t.naive_utc());
    if creating && (starts_at.is_none() || ends_at.is_none()) {
        e.add("starts_at", Msg::new("آغاز و پایان الزامی است.", "The start and the end are required."));
    }
    let start = starts_at.or(current.map(|c| c.starts_at));
    let end = ends_at.or(current.map(|c| c.ends_at));
    if let (Some(s), Some(x)) = (start, end)
        && x <= s
    {
        e.add("ends_at", Msg::new("پایان باید پس از آغاز باشد.", "The end must be after the start."));
    }
    if starts_at.is_some_and(|s| s <= now()) {
        e.add("starts_at", Msg::new("آغاز باید در آینده باشد.", "The start must be in the future."));
    }
    if let Some(contests) = &b.contests {
        if !creating {
            e.add("contests", Msg::new("رقابت‌ها پس از ساخت تغییر نمی‌کنند.", "Contests are fixed once created."));
        }
        if contests.is_empty() {
            e.add("contests", Msg::new("دست‌کم یک رقابت لازم است.", "At least one contest is needed."));
        }
        for (i, c) in contests.iter().enumerate() {
            if c.title.trim().is_empty() {
                e.add(&format!("contests[{i}].title"), Msg::new("عنوان الزامی است.", "A title is required."));
            }
            if c.seats < 1 || c.max_selections < 1 || c.alternates < 0 || c.seats > 100 || c.max_selections > 100 {
                e.add(
                    &format!("contests[{i}].seats"),
                    Msg::new("کرسی‌ها و حداکثر انتخاب از ۱ تا ۱۰۰.", "Seats and maximum selections are 1 to 100."),
                );
            }
        }
    } else if creating {
        e.add("contests", Msg::new("دست‌کم یک رقابت لازم است.", "At least one contest is needed."));
    }
    e.into_result()?;
    Ok(CheckedElection { title, description, support_contact, starts_at, ends_at })
}

/// Creates a draft election with its contests (the association's admins, EL-01).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = ElectionBody,
    responses(
        (status = 201, description = "Created as a draft", body = ElectionDto),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/elections")]
pub async fn create_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ElectionBody>,
) -> Result<HttpResponse, ApiError> {
    let aid = id.into_inner();
    require_manager(&user, &aid)?;
    let c = check_election(&body, true, None)?;
    let body = body.into_inner();
    let contests = body.contests.unwrap_or_default();
    let (trustees, threshold) = (body.trustees.unwrap_or_default(), body.trustee_threshold.unwrap_or(0));
    let actor = user.person_id.clone();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                associations::association(conn, &aid)?.ok_or(ApiError::NotFound)?;
                let (id, at) = (new_id(), now());
                let row = NewElection {
                    id: &id,
                    association_id: &aid,
                    title: c.title.clone().unwrap_or_default(),
                    description: c.description.clone().unwrap_or_default(),
                    support_contact: c.support_contact.clone().flatten(),
                    starts_at: c.starts_at.unwrap_or(at),
                    ends_at: c.ends_at.unwrap_or(at),
                    status: Status::Draft.as_str(),
                    created_by: &actor,
                    created_at: at,
                    updated_at: at,
                };
                let contests: Vec<NewContest> = contests
                    .iter()
                    .enumerate()
                    .map(|(i, k)| NewContest {
                        id: new_id(),
                        election_id: &id,
                        title: anjoman_core::text::normalize_persian(k.title.trim()),
                        seats: k.seats,
                        alternates: k.alternates,
                        max_selections: k.max_selections,
                        sort_order: i as i32,
                    })
                    .collect();
                store::insert(conn, &row, &contests)?;
                crate::verifiable::trustees::set_trustees(conn, &id, &trustees, threshold)?;
                audit::record(
                    conn,
                    Event::new("election.created", "election", Some(&id))
                        .by(&actor)
                        .states(None, Some(serde_json::json!({"title": c.title, "association_id": aid}))),
                )?;
                reload(conn, &id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The election, after checking the caller manages its association.
pub(crate) fn managed(conn: &mut DbConn, user: &CurrentUser, id: &str) -> Result<Election, ApiError> {
    let e = store::get(conn, id)?;
    require_manager(user, &e.association_id)?;
    Ok(e)
}

/// An admin's step on an election, in one write transaction: the election is loaded, the caller
/// must manage its association and it must be in one of `allowed`, then `step` runs on it.
pub(crate) async fn as_manager<T, F>(
    state: &AppState,
    user: AuthUser,
    id: String,
    allowed: &'static [Status],
    step: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &AuthUser, Election) -> Result<T, ApiError> + Send + 'static,
{
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = managed(conn, &user, &id)?;
                rules::require(e.state(), allowed)?;
                step(conn, &user, e)
            })
        })
        .await
}

/// Edits an election before it opens (draft or published).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = ElectionBody,
    responses(
        (status = 200, description = "Updated", body = ElectionDto),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`wrong_election_state`: voting has opened", body = anjoman_core::error::ErrorBody),
    )
)]
#[patch("/elections/{id}")]
pub async fn edit_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ElectionBody>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let id = id.into_inner();
    let out = as_manager(&state, user, id.clone(), &[Status::Draft, Status::Published], move |conn, user, e| {
        let c = check_election(&body, false, Some(&e))?;
        if body.trustees.is_some() || body.trustee_threshold.is_some() {
            rules::require(e.state(), &[Status::Draft])?;
            let codes = match &body.trustees {
                Some(t) => t.clone(),
                None => crate::verifiable::trustees::trustee_codes(conn, &id)?,
            };
            crate::verifiable::trustees::set_trustees(
                conn,
                &id,
                &codes,
                body.trustee_threshold.unwrap_or(e.trustee_threshold),
            )?;
        }
        let before = serde_json::json!({"title": e.title, "starts_at": e.starts_at, "ends_at": e.ends_at});
        let changes = ElectionChanges {
            title: c.title,
            description: c.description,
            support_contact: c.support_contact,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
        };
        store::update(conn, &id, &changes)?;
        let after = store::get(conn, &id)?;
        audit::record(
            conn,
            Event::new("election.updated", "election", Some(&id)).by(&user.person_id).states(
                Some(before),
                Some(serde_json::json!({"title": after.title, "starts_at": after.starts_at, "ends_at": after.ends_at})),
            ),
        )?;
        dto(conn, after)
    })
    .await?;
    Ok(web::Json(out))
}
