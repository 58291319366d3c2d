//! Memberships that end, with their reasons and history: a member leaves, or the association's
//! admins remove them. The person loses the member role at once (their next request), drops out
//! of every roll frozen later, and stays on the frozen roll of an election already open — the
//! answer names those elections so the admin knows.

use actix_web::{get, post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::AppState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::require_manager;
use crate::memberships::{MembershipDto, membership_dto};
use crate::rules::{self, Ending, MembershipStatus};
use crate::store;

#[derive(Deserialize, ToSchema)]
pub struct EndBody {
    /// Why: required when an admin removes a member (the person sees it), optional when a member
    /// leaves. At most 500 characters.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ElectionRef {
    pub id: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipEnded {
    pub membership: MembershipDto,
    /// Open elections whose roll, frozen at opening, still holds the person: they may vote
    /// there; every roll frozen from now on leaves them out.
    pub kept_on_rolls: Vec<ElectionRef>,
}

fn reason_of(raw: Option<&str>, required: bool) -> Result<Option<String>, ApiError> {
    let reason = raw.map(anjoman_core::text::normalize_persian).filter(|r| !r.is_empty());
    match &reason {
        None if required => Err(ApiError::field("reason", "دلیل را بنویسید.", "Give the reason.")),
        Some(r) if r.chars().count() > 500 => {
            Err(ApiError::field("reason", "دلیل حداکثر ۵۰۰ نویسه است.", "The reason is at most 500 characters."))
        }
        _ => Ok(reason),
    }
}

/// Ends `m` as `how` inside the caller's transaction: the status and its history, the member
/// role, the audit entry, the webhook and the person's message.
fn end(
    conn: &mut DbConn,
    state: &AppState,
    m: store::Membership,
    how: Ending,
    reason: Option<&str>,
    actor: &str,
) -> Result<MembershipEnded, ApiError> {
    let from = MembershipStatus::parse(&m.status).ok_or(ApiError::Internal)?;
    let to = rules::end(from, how)?;
    if !store::end_membership(conn, &m.id, to, reason, actor)? {
        return Err(rules::end(MembershipStatus::Pending, how).err().unwrap_or(ApiError::Internal));
    }
    anjoman_identity::store::remove_role(conn, &m.person_id, Role::Member, Some(&m.association_id))?;
    store::announce_end(conn, &m.id)?;
    let kept = state.hooks.frozen_rolls(conn, &m.association_id, &m.person_id)?;
    audit::record(
        conn,
        Event::new(&format!("membership.{}", to.as_str()), "membership", Some(&m.id)).by(actor).states(
            Some(serde_json::json!({"status": from.as_str()})),
            Some(serde_json::json!({
                "status": to.as_str(),
                "reason": reason,
                "kept_on_rolls": kept.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            })),
        ),
    )?;
    let assoc = store::get(conn, &m.association_id)?.ok_or(ApiError::Internal)?;
    if how == Ending::Remove {
        let text = match reason {
            Some(r) => format!(
                "عضویت شما در {} پایان یافت. دلیل: {r}\nYour membership of {} has ended. Reason: {r}",
                assoc.name, assoc.name
            ),
            None => format!("عضویت شما در {} پایان یافت.\nYour membership of {} has ended.", assoc.name, assoc.name),
        };
        anjoman_identity::store::notify_person(conn, &m.person_id, "membership", "عضویت / Membership", &text)?;
    }
    let m = store::membership(conn, &m.id)?.ok_or(ApiError::Internal)?;
    Ok(MembershipEnded {
        membership: membership_dto(m, Some(assoc.name)),
        kept_on_rolls: kept.into_iter().map(|(id, title)| ElectionRef { id, title }).collect(),
    })
}

/// Removes a member from the association (its admins, the commission), with a reason the person
/// is told by SMS or e-mail. The person stays on the frozen roll of an election already open
/// (named in the answer) and is on no roll frozen later. They may be registered or ask again.
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The membership")),
    request_body = EndBody,
    responses(
        (status = 200, description = "Removed", body = MembershipEnded),
        (status = 400, description = "A reason is required", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of its association", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such membership", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`not_a_member`: pending, rejected or already ended", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/memberships/{id}/end")]
pub async fn remove_member(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<EndBody>,
) -> Result<web::Json<MembershipEnded>, ApiError> {
    let reason = reason_of(body.reason.as_deref(), true)?;
    let id = id.into_inner();
    let st = state.clone();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let m = store::membership(conn, &id)?.ok_or(ApiError::NotFound)?;
                require_manager(&user, &m.association_id)?;
                end(conn, &st, m, Ending::Remove, reason.as_deref(), &user.person_id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// The signed-in member leaves an association, optionally saying why. As with a removal, an
/// open election's frozen roll keeps them (named in the answer).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The caller's membership")),
    request_body = EndBody,
    responses(
        (status = 200, description = "Left", body = MembershipEnded),
        (status = 400, description = "The reason is too long", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such membership of yours", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`not_a_member`: pending, rejected or already ended", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/me/memberships/{id}/leave")]
pub async fn leave_association(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<EndBody>,
) -> Result<web::Json<MembershipEnded>, ApiError> {
    let reason = reason_of(body.reason.as_deref(), false)?;
    let id = id.into_inner();
    let st = state.clone();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let m = store::membership(conn, &id)?
                    .filter(|m| m.person_id == user.person_id)
                    .ok_or(ApiError::NotFound)?;
                end(conn, &st, m, Ending::Leave, reason.as_deref(), &user.person_id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct HistoryEntry {
    /// The status the membership took.
    pub status: MembershipStatus,
    pub reason: Option<String>,
    /// Who did it (none for the person's own request, or for a step before history was kept).
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipHistory {
    pub items: Vec<HistoryEntry>,
}

/// A membership's history, oldest first: requests, decisions, registrations, endings (the
/// member, the association's admins, the commission).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The membership")),
    responses(
        (status = 200, description = "The history", body = MembershipHistory),
        (status = 403, description = "Neither the member nor an admin of its association", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such membership", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/memberships/{id}/history")]
pub async fn membership_history(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<MembershipHistory>, ApiError> {
    let id = id.into_inner();
    let items = state
        .db(move |conn| {
            let m = store::membership(conn, &id)?.ok_or(ApiError::NotFound)?;
            if m.person_id != user.person_id {
                require_manager(&user, &m.association_id)?;
            }
            Ok::<_, ApiError>(
                store::history(conn, &id)?
                    .into_iter()
                    .map(|h| HistoryEntry {
                        status: MembershipStatus::parse(&h.status).unwrap_or(MembershipStatus::Pending),
                        reason: h.reason,
                        by: h.actor,
                        at: h.at.and_utc(),
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(web::Json(MembershipHistory { items }))
}

#[cfg(test)]
mod tests {
    use super::reason_of;

    #[test]
    fn a_removal_needs_a_reason_and_none_is_too_long() {
        assert_eq!(reason_of(None, true).unwrap_err().code(), "validation_failed");
        assert_eq!(reason_of(Some("  "), true).unwrap_err().code(), "validation_failed");
        assert_eq!(reason_of(None, false).unwrap(), None);
        assert_eq!(reason_of(Some("جابه‌جایی"), true).unwrap().as_deref(), Some("جابه‌جایی"));
        assert!(reason_of(Some(&"x".repeat(501)), false).is_err());
    }
}
