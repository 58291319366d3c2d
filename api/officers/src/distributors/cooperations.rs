//! Cooperation between a branch and a technical officer (DI-02..04, TO-08): the manager names a
//! qualified officer not bound elsewhere, the officer accepts or declines, the university of the
//! branch's province approves or rejects, the officer may end it at once, and the directorate's
//! suspension or revocation ends it. The manager is told each step by SMS.

use actix_web::{get, post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::text::NationalCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::http::{CooperationDto, coop_dto, person_ref, sms};
use super::model::{Branch, CoopOutcome, NewCoop};
use super::rules::{CoopAction, CoopStatus};
use super::store;
use crate::errors::OfficersError;

/// Ends every cooperation that binds `officer` (named, awaiting the university, or active),
/// because the directorate suspended or revoked their qualification: each becomes `ended` with
/// `reason`, the branch loses its officer, and each distributor's manager is texted. Call inside
/// the transaction of the suspension or revocation; returns how many ended.
pub fn end_for_officer(conn: &mut DbConn, officer: &str, actor: &str, reason: &str) -> Result<usize, ApiError> {
    let rows = store::binding_coops_of(conn, officer)?;
    let who = person_ref(conn, officer)?;
    for c in &rows {
        let outcome = CoopOutcome { reason: Some(reason.to_owned()), ended_at: Some(now()), ..CoopOutcome::default() };
        store::transition(conn, c, CoopAction::End, actor, &outcome)?;
        store::unseat_officer(conn, &c.branch_id, officer)?;
        let branch = store::branch(conn, &c.branch_id)?.name;
        let manager = store::distributor(conn, &c.distributor_id)?.manager_id;
        sms(
            conn,
            &manager,
            &format!(
                "صلاحیت {} به‌عنوان مسئول فنی از سوی اداره کل تجهیزات پزشکی متوقف شد و همکاری او با شعبهٔ «{branch}» پایان یافت. مسئول فنی دیگری معرفی کنید.
The directorate stopped {}'s qualification as a technical officer; their cooperation with branch “{branch}” has ended. Name another technical officer.",
                who.name, who.name
            ),
        )?;
    }
    Ok(rows.len())
}

/// Names an officer for a branch: a cooperation request to the officer (DI-02). Only a qualified
/// officer not bound elsewhere (TO-08), and only for a branch without one.
pub(crate) fn request(conn: &mut DbConn, actor: &str, branch: &Branch, raw: &str) -> Result<(), ApiError> {
    let code = NationalCode::parse(raw)
        .map_err(|e| ApiError::field("officer_national_code", e.message_fa(), e.message_en()))?;
    let person = anjoman_identity::store::person_id_by_code(conn, code.as_str())?;
    let qualified = match &person {
        Some(pid) => crate::registration::store::officer(conn, pid)?.map(|o| (o.qualified_at, o.standing)),
        None => None,
    };
    let Some((Some(_), standing)) = qualified else {
        return Err(OfficersError::OfficerNotQualified.into());
    };
    if standing != crate::rules::Standing::Active.as_str() {
        return Err(OfficersError::OfficerNotActive.into());
    }
    let officer = person.unwrap_or_default();
    if store::officer_bound(conn, &officer)? {
        return Err(OfficersError::OfficerAlreadyBound.into());
    }
    if store::branch_taken(conn, &branch.id)? {
        return Err(OfficersError::BranchTaken.into());
    }
    let id = new_id();
    let at = now();
    let row = NewCoop {
        id: &id,
        branch_id: &branch.id,
        distributor_id: &branch.distributor_id,
        officer_id: &officer,
        province_id: &branch.province_id,
        status: CoopStatus::AwaitingOfficer.as_str(),
        created_at: at,
        updated_at: at,
    };
    store::insert_coop(conn, &row)?;
    audit::record(conn, Event::new("cooperation.requested", "cooperation", Some(&id)).by(actor))?;
    sms(
        conn,
        &officer,
        "درخواست همکاری تازه‌ای از یک توزیع‌کننده برای شما رسیده است.\nA distributor asks you to be a branch's technical officer.",
    )?;
    Ok(())
}

#[derive(Serialize, ToSchema)]
pub struct CooperationList {
    pub items: Vec<CooperationDto>,
}

/// The signed-in officer's cooperation requests: new ones first, then the archive (DI-02, DI-03).
#[utoipa::path(tag = "distributors", security(("bearer" = [])), responses((status = 200, description = "Cooperation requests", body = CooperationList)))]
#[get("/officers/me/cooperations")]
pub async fn my_cooperations(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<CooperationList>, ApiError> {
    let items = state
        .db(move |conn| {
            let mut out = Vec::new();
            for c in store::coops_of_officer(conn, &user.person_id)? {
                out.push(coop_dto(conn, c)?);
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(CooperationList { items }))
}

async fn officer_step(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    action: CoopAction,
) -> Result<web::Json<CooperationDto>, ApiError> {
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let c = store::coop(conn, &id)?;
                if c.officer_id != user.person_id {
                    return Err(ApiError::NotFound);
                }
                let ended = (action == CoopAction::Terminate).then(now);
                let outcome = CoopOutcome { ended_at: ended, ..CoopOutcome::default() };
                let to = store::transition(conn, &c, action, &user.person_id, &outcome)?;
                let manager = store::distributor(conn, &c.distributor_id)?.manager_id;
                let officer = person_ref(conn, &c.officer_id)?;
                match to {
                    CoopStatus::Declined => sms(conn, &manager, &format!("{} درخواست همکاری شما را نپذیرفت.\n{} declined your cooperation request.", officer.name, officer.name))?,
                    CoopStatus::Terminated => {
                        store::unseat_officer(conn, &c.branch_id, &c.officer_id)?;
                        sms(conn, &manager, &format!("{} همکاری خود را به‌عنوان مسئول فنی شعبهٔ شما پایان داد.\n{} ended their work as your branch's technical officer.", officer.name, officer.name))?;
                    }
                    _ => {}
                }
                let c = store::coop(conn, &id)?;
                coop_dto(conn, c)
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// The officer accepts: the request goes to the university of the branch's province.
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), responses((status = 200, description = "Accepted", body = CooperationDto), (status = 404, description = "No such request of yours", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/accept")]
pub async fn accept_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    officer_step(state, user, id.into_inner(), CoopAction::Accept).await
}

/// The officer declines: closed, and the distributor's manager is told.
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), responses((status = 200, description = "Declined", body = CooperationDto), (status = 404, description = "No such request of yours", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/decline")]
pub async fn decline_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    officer_step(state, user, id.into_inner(), CoopAction::Decline).await
}

/// The officer ends an active cooperation: removed from the branch at once, the manager told by
/// SMS; no approval needed (DI-04).
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), responses((status = 200, description = "Ended", body = CooperationDto), (status = 404, description = "No such cooperation of yours", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/terminate")]
pub async fn terminate_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    officer_step(state, user, id.into_inner(), CoopAction::Terminate).await
}

#[derive(Deserialize, IntoParams)]
pub struct CoopQueueQuery {
    /// `pending` (awaiting the university, default) or `decided`.
    pub filter: Option<String>,
}

/// The university's queue of cooperation requests for its province (the directorate: all).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(CoopQueueQuery), responses((status = 200, description = "Cooperation requests", body = CooperationList), (status = 400, description = "Unknown filter", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer", body = anjoman_core::error::ErrorBody)))]
#[get("/cooperation-reviews")]
pub async fn cooperation_queue(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<CoopQueueQuery>,
) -> Result<web::Json<CooperationList>, ApiError> {
    let statuses: Vec<&str> = match q.filter.as_deref().unwrap_or("pending") {
        "pending" => vec!["awaiting_university"],
        "decided" => vec!["active", "rejected", "terminated", "ended"],
        _ => return Err(ApiError::field("filter", "فیلتر نامعتبر است.", "Unknown filter.")),
    };
    let provinces = user.reach(Role::UniversityReviewer, Role::DirectorateAdmin)?;
    let items = state
        .db(move |conn| {
            let mut out = Vec::new();
            for c in store::coop_queue(conn, &statuses, provinces.as_deref())? {
                out.push(coop_dto(conn, c)?);
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(CooperationList { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct CoopDecision {
    /// Required when rejecting.
    pub reason: Option<String>,
}

async fn university_step(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    approve: bool,
    reason: Option<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    let reason = reason.map(|r| anjoman_core::text::normalize_persian(r.trim())).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(ApiError::field("reason", "دلیل رد را بنویسید.", "Give the reason."));
    }
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let c = store::coop(conn, &id)?;
                user.require(&[Role::UniversityReviewer.of(&c.province_id)])?;
                let action = if approve { CoopAction::Approve } else { CoopAction::Reject };
                let outcome =
                    CoopOutcome { reviewer_id: Some(user.person_id.clone()), reason: reason.clone(), ..CoopOutcome::default() };
                store::transition(conn, &c, action, &user.person_id, &outcome)?;
                let manager = store::distributor(conn, &c.distributor_id)?.manager_id;
                if approve {
                    store::seat_officer(conn, &c.branch_id, &c.officer_id)?;
                    sms(conn, &manager, "همکاری مسئول فنی با شعبهٔ شما تأیید شد.\nThe cooperation with your branch's technical officer was approved.")?;
                } else {
                    sms(conn, &manager, "دانشگاه درخواست همکاری مسئول فنی با شعبهٔ شما را رد کرد.\nThe university rejected the cooperation request.")?;
                }
                sms(conn, &c.officer_id, if approve { "همکاری شما با شعبهٔ توزیع‌کننده تأیید شد.\nYour cooperation was approved." } else { "درخواست همکاری شما رد شد.\nYour cooperation request was rejected." })?;
                let c = store::coop(conn, &id)?;
                coop_dto(conn, c)
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// The university approves: the officer becomes the branch's technical officer (DI-03).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), responses((status = 200, description = "Approved", body = CooperationDto), (status = 403, description = "Not a reviewer of its province", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/approve")]
pub async fn approve_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    university_step(state, user, id.into_inner(), true, None).await
}

/// The university rejects, with a reason.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), request_body = CoopDecision, responses((status = 200, description = "Rejected", body = CooperationDto), (status = 400, description = "No reason", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer of its province", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/reject")]
pub async fn reject_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CoopDecision>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    university_step(state, user, id.into_inner(), false, body.into_inner().reason).await
}
