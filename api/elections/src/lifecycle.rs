//! An election's lifecycle at its admins' hands (EL-02, EL-13): publishing a draft, cancelling
//! with a reason, extending an open election; and the notices to the members.

use actix_web::{post, web};
use anjoman_associations::api as associations;
use anjoman_core::ApiError;
use anjoman_core::auth::AuthUser;
use anjoman_core::db::{DbConn, now};
use anjoman_core::http::AppState;
use anjoman_core::platform::outbox::{Channel, NewMessage, enqueue_many};
use chrono::{DateTime, Utc};
use diesel::QueryResult;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::errors::ElectionsError;
use crate::model::StepChanges;
use crate::rules::Action;
use crate::setup::as_manager;
use crate::store;
use crate::store::Step;
use crate::views::{ElectionDto, reload};

/// Tells the association's approved members by e-mail and SMS (EL-13); never anyone's choice.
pub(crate) fn notify_members(
    conn: &mut DbConn,
    association: &str,
    purpose: &str,
    subject: &str,
    text: &str,
    only: Option<&std::collections::HashSet<String>>,
) -> QueryResult<usize> {
    // Page by page, so that a million members never sit in memory at once; `only` is filtered
    // here rather than in SQL, as it can hold a million ids.
    let (mut after, mut stored) = (String::new(), 0);
    loop {
        let page = associations::approved_contacts(conn, association, &after, NOTIFY_PAGE)?;
        let Some(last) = page.last() else { return Ok(stored) };
        after = last.person_id.clone();
        let message = |channel, recipient, subject| NewMessage {
            channel,
            recipient,
            subject,
            body: text,
            purpose,
            template: None,
            urgent: false,
        };
        let messages: Vec<NewMessage<'_>> = page
            .iter()
            .filter(|c| only.is_none_or(|ids| ids.contains(&c.person_id)))
            .flat_map(|c| {
                let by_email = c.email.as_deref().map(|e| message(Channel::Email, e, Some(subject)));
                let by_sms = c.mobile.as_deref().map(|mo| message(Channel::Sms, mo, None));
                by_email.into_iter().chain(by_sms)
            })
            .collect();
        stored += enqueue_many(conn, &messages)?;
    }
}

/// Members read per page when notifying them all.
const NOTIFY_PAGE: i64 = 5000;

/// Publishes a draft: candidates become public and members are told (EL-02, EL-13).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    responses(
        (status = 200, description = "Published", body = ElectionDto),
        (status = 400, description = "A contest has no candidates, or the start has passed", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`wrong_election_state`, or `key_ceremony_incomplete`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/publish")]
pub async fn publish_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let id = id.into_inner();
    let out = as_manager(&state, user, id.clone(), Action::Publish.from(), move |conn, user, e| {
        if e.starts_at <= now() {
            return Err(ApiError::field(
                "starts_at",
                "زمان آغاز گذشته است؛ آن را تغییر دهید.",
                "The start has passed; change it first.",
            ));
        }
        let rules = store::contest_rules(conn, &id)?;
        if rules.iter().any(|c| c.candidates.is_empty()) {
            return Err(ApiError::field(
                "contests",
                "هر رقابت دست‌کم یک نامزد لازم دارد.",
                "Every contest needs a candidate.",
            ));
        }
        if e.public_key.is_none() {
            return Err(ElectionsError::KeyCeremonyIncomplete.into());
        }
        store::step(conn, &e, Action::Publish, Step::by(&user.person_id))?;
        let text =
            format!("انتخابات «{}» اعلام شد. آغاز رأی‌گیری: {}.", e.title, anjoman_core::dates::tehran_fa(e.starts_at));
        notify_members(conn, &e.association_id, "election_announcement", &e.title, &text, None)?;
        reload(conn, &id)
    })
    .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct ReasonBody {
    pub reason: String,
}

fn reason(r: &str) -> Result<String, ApiError> {
    let r = anjoman_core::text::normalize_persian(r.trim());
    if r.is_empty() || r.chars().count() > 500 {
        return Err(ApiError::field(
            "reason",
            "دلیل را بنویسید (حداکثر ۵۰۰ نویسه).",
            "Give the reason (at most 500 characters).",
        ));
    }
    Ok(r)
}

/// Cancels an election that is not yet counted, with a reason.
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = ReasonBody,
    responses((status = 200, description = "Cancelled", body = ElectionDto), (status = 409, description = "`wrong_election_state`", body = anjoman_core::error::ErrorBody))
)]
#[post("/elections/{id}/cancel")]
pub async fn cancel_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ReasonBody>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let why = reason(&body.reason)?;
    let id = id.into_inner();
    let out = as_manager(&state, user, id.clone(), Action::Cancel.from(), move |conn, user, e| {
        let before = Some(serde_json::json!({"status": e.state().as_str()}));
        let after = Some(serde_json::json!({"reason": why}));
        store::step(conn, &e, Action::Cancel, Step::by(&user.person_id).states(before, after))?;
        reload(conn, &id)
    })
    .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct ExtendBody {
    pub ends_at: DateTime<Utc>,
    pub reason: String,
}

/// Extends the end of an open election, with a reason (the only change once voting opened).
#[utoipa::path(
    tag = "elections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = ExtendBody,
    responses(
        (status = 200, description = "Extended", body = ElectionDto),
        (status = 400, description = "Not later than the current end, or no reason", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`wrong_election_state`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/extend")]
pub async fn extend_election(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ExtendBody>,
) -> Result<web::Json<ElectionDto>, ApiError> {
    let why = reason(&body.reason)?;
    let new_end = body.ends_at.naive_utc();
    let id = id.into_inner();
    let out = as_manager(&state, user, id.clone(), Action::Extend.from(), move |conn, user, e| {
        if new_end <= e.ends_at {
            return Err(ApiError::field(
                "ends_at",
                "پایان تازه باید دیرتر از پایان کنونی باشد.",
                "The new end must be later than the current one.",
            ));
        }
        let step = Step::by(&user.person_id).set(StepChanges { ends_at: Some(new_end), ..Default::default() }).states(
            Some(serde_json::json!({"ends_at": e.ends_at})),
            Some(serde_json::json!({"ends_at": new_end, "reason": why})),
        );
        store::step(conn, &e, Action::Extend, step)?;
        reload(conn, &id)
    })
    .await?;
    Ok(web::Json(out))
}
