//! The reviewers' side of requests over HTTP (TO-03, TO-04): the queue (کارتابل) of the provinces
//! a reviewer serves, a request with its officer, and the three decisions.

use actix_web::{get, post, web};
use anjoman_core::ApiError;
use anjoman_core::auth::{AuthUser, CurrentUser, Role};
use anjoman_core::db::{now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::payments;
use anjoman_identity::store::{full_name, persons_by_id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::http::{RequestDto, request_dto};
use super::model::{Outcome, Request};
use super::store::{self, QueueFilter, transition};
use crate::errors::OfficersError;
use crate::registration::http::{OfficerDto, officer_dto};
use crate::rules::{Action, RequestKind, RequestStatus, next};
use crate::shared::{clean, fee, notify};

/// May `user` see requests of this province: its reviewers, and the directorate (all provinces).
fn may_see(user: &CurrentUser, province: &str) -> bool {
    user.may(&[Role::DirectorateAdmin.any()]) || user.require(&[Role::UniversityReviewer.of(province)]).is_ok()
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `new` (not taken up), `returned` (fixed, back with you), `deficient` (with the officer),
    /// `awaiting_payment`, `decided` (completed or rejected) or `all` (default).
    pub filter: Option<String>,
    /// One province; by default every province the caller reviews (the directorate: all).
    pub province_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QueueItem {
    pub id: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub province_id: String,
    pub officer_name: String,
    pub national_code: String,
    pub field: String,
    pub degree_level: String,
    pub reviewer: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct Queue {
    pub items: Vec<QueueItem>,
}

/// The statuses a queue filter stands for.
fn statuses(filter: &str) -> Result<Vec<&'static str>, ApiError> {
    Ok(match filter {
        "new" => vec!["submitted"],
        "returned" => vec!["resubmitted"],
        "deficient" => vec!["deficient"],
        "awaiting_payment" => vec!["awaiting_payment"],
        "decided" => vec!["completed", "rejected"],
        "all" => RequestStatus::ALL.iter().map(|s| s.as_str()).collect(),
        _ => return Err(ApiError::field("filter", "فیلتر نامعتبر است.", "Unknown filter.")),
    })
}

/// The provinces whose requests the caller asks for and may see (`None`: all of them).
fn provinces(user: &CurrentUser, asked: Option<&str>) -> Result<Option<Vec<String>>, ApiError> {
    match asked {
        Some(pv) if may_see(user, pv) => Ok(Some(vec![pv.to_string()])),
        Some(_) => Err(ApiError::Forbidden),
        None => user.reach(Role::UniversityReviewer, Role::DirectorateAdmin),
    }
}

/// The reviewer's queue (کارتابل), oldest first: requests of the provinces they review.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(QueueQuery), responses((status = 200, description = "The queue", body = Queue), (status = 400, description = "Unknown filter", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer of that province", body = anjoman_core::error::ErrorBody)))]
#[get("/officer-requests")]
pub async fn review_queue(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<QueueQuery>,
) -> Result<web::Json<Queue>, ApiError> {
    let q = q.into_inner();
    let filter = QueueFilter {
        statuses: statuses(q.filter.as_deref().unwrap_or("all"))?,
        provinces: provinces(&user, q.province_id.as_deref())?,
        reviewer: (q.filter.as_deref() == Some("returned")).then(|| user.person_id.clone()),
    };
    let items = state
        .db(move |conn| {
            let rows = store::queue(conn, &filter)?;
            let ids: Vec<String> = rows.iter().map(|(_, o)| o.person_id.clone()).collect();
            let persons = persons_by_id(conn, &ids)?;
            rows.into_iter()
                .map(|(r, o)| {
                    let person = persons.get(&o.person_id);
                    Ok(QueueItem {
                        kind: RequestKind::parse(&r.kind).unwrap_or(RequestKind::Qualification),
                        status: r.state(),
                        reviewer: r.reviewer_id.as_deref().map(|x| full_name(conn, x)).transpose()?,
                        updated_at: r.updated_at.and_utc(),
                        officer_name: person.map(|p| format!("{} {}", p.first_name, p.last_name)).unwrap_or_default(),
                        national_code: person.map(|p| p.national_code.clone()).unwrap_or_default(),
                        field: o.field,
                        degree_level: o.degree_level,
                        id: r.id,
                        province_id: r.province_id,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(web::Json(Queue { items }))
}

#[derive(Serialize, ToSchema)]
pub struct RequestDetail {
    pub request: RequestDto,
    pub officer: OfficerDto,
    /// Whether the caller may decide it now (its reviewer, or any reviewer of the province while
    /// no one has taken it up).
    pub can_decide: bool,
}

/// A request with the officer's data and documents: to its officer, the province's reviewers and
/// the directorate.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), responses((status = 200, description = "The request", body = RequestDetail), (status = 403, description = "Not yours, nor of a province you review", body = anjoman_core::error::ErrorBody), (status = 404, description = "No such request", body = anjoman_core::error::ErrorBody)))]
#[get("/officer-requests/{id}")]
pub async fn show_request(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let r = store::request(conn, &id)?;
            if r.officer_id != user.person_id && !may_see(&user, &r.province_id) {
                return Err(ApiError::Forbidden);
            }
            let can_decide = decider(&user, &r).is_ok()
                && matches!(r.state(), RequestStatus::Submitted | RequestStatus::Resubmitted);
            let officer = officer_dto(conn, &r.officer_id)?;
            Ok(RequestDetail { request: request_dto(conn, r)?, officer, can_decide })
        })
        .await?;
    Ok(web::Json(out))
}

/// Whether `user` may decide the request: a reviewer of its province; once taken up, only the
/// reviewer who took it (fixes come back to the same reviewer, TO-03).
fn decider(user: &CurrentUser, r: &Request) -> Result<(), ApiError> {
    user.require(&[Role::UniversityReviewer.of(&r.province_id)])?;
    match &r.reviewer_id {
        Some(x) if *x != user.person_id => Err(OfficersError::AssignedToAnotherReviewer.into()),
        _ => Ok(()),
    }
}

/// A reviewer's decision.
enum Decision {
    Approve,
    Reject { reason: String },
    Deficiencies { items: Vec<String> },
}

impl Decision {
    fn action(&self) -> Action {
        match self {
            Decision::Approve => Action::Approve,
            Decision::Reject { .. } => Action::Reject,
            Decision::Deficiencies { .. } => Action::DeclareDeficiencies,
        }
    }

    /// The note in the request's history.
    fn note(&self) -> Option<String> {
        match self {
            Decision::Approve => None,
            Decision::Reject { reason } => Some(reason.clone()),
            Decision::Deficiencies { items } => Some(items.join(" · ")),
        }
    }
}

/// A reviewer's decision, in one transaction: the checks, then the transition writing the
/// request's row once with the decision's columns, and the notice to the officer.
async fn decide(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    decision: Decision,
) -> Result<web::Json<RequestDetail>, ApiError> {
    let fee_q = fee(&state, RequestKind::Qualification);
    let fee_a = fee(&state, RequestKind::Amendment);
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let r = store::request(conn, &id)?;
                if !may_see(&user, &r.province_id) {
                    return Err(ApiError::Forbidden);
                }
                decider(&user, &r)?;
                let action = decision.action();
                next(r.state(), action)?;
                let kind = RequestKind::parse(&r.kind).unwrap_or(RequestKind::Qualification);
                let what = match kind {
                    RequestKind::Qualification => "احراز صلاحیت",
                    RequestKind::Amendment => "اصلاحیه",
                };
                let mut outcome =
                    Outcome { reviewer_id: Some(user.person_id.clone()), decided_at: Some(now()), ..Outcome::default() };
                let notice = match &decision {
                    Decision::Approve => {
                        let amount = if kind == RequestKind::Qualification { fee_q } else { fee_a };
                        let invoice = payments::create_invoice(
                            conn,
                            &r.officer_id,
                            crate::PAYMENT_PURPOSE,
                            Some(&r.id),
                            &format!("هزینهٔ بررسی درخواست {what}"),
                            amount,
                        )?;
                        outcome.fee_rials = Some(amount);
                        outcome.invoice_id = Some(invoice.id);
                        outcome.deficiencies = Some(None);
                        format!("درخواست {what} شما تأیید شد. هزینهٔ بررسی ({} ریال) را از صفحهٔ پیگیری بپردازید.\nYour request was approved; pay the review fee ({amount} rials) on your tracking page.", anjoman_core::dates::number_fa(amount))
                    }
                    Decision::Reject { reason } => {
                        outcome.reason = Some(Some(reason.clone()));
                        format!("درخواست {what} شما رد شد: {reason}\nYour request was rejected; you may submit a new one.")
                    }
                    Decision::Deficiencies { items } => {
                        outcome.deficiencies = Some(Some(serde_json::to_string(items).unwrap_or_default()));
                        format!("درخواست {what} شما نقص دارد؛ موارد را در صفحهٔ پیگیری ببینید و رفع کنید.\nYour request has deficiencies; see and fix them on your tracking page.")
                    }
                };
                transition(conn, &r, action, Some(&user.person_id), decision.note().as_deref(), &outcome)?;
                notify(conn, &r.officer_id, &notice)?;
                let r = store::request(conn, &id)?;
                let officer = officer_dto(conn, &r.officer_id)?;
                Ok::<_, ApiError>(RequestDetail { request: request_dto(conn, r)?, officer, can_decide: false })
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// Approves: the fee's invoice is made and shown to the officer (TO-04).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), responses((status = 200, description = "Approved", body = RequestDetail), (status = 403, description = "Not a reviewer of its province, or `assigned_to_another_reviewer`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/officer-requests/{id}/approve")]
pub async fn approve_request(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    decide(state, user, id.into_inner(), Decision::Approve).await
}

#[derive(Deserialize, ToSchema)]
pub struct RequestRejection {
    pub reason: String,
}

/// Rejects with a reason; the officer may submit a new request.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), request_body = RequestRejection, responses((status = 200, description = "Rejected", body = RequestDetail), (status = 400, description = "No reason", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer of its province, or `assigned_to_another_reviewer`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/officer-requests/{id}/reject")]
pub async fn reject_request(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<RequestRejection>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    let reason = clean(&body.reason);
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::field("reason", "دلیل رد را بنویسید.", "Give the reason."));
    }
    decide(state, user, id.into_inner(), Decision::Reject { reason }).await
}

#[derive(Deserialize, ToSchema)]
pub struct DeficienciesBody {
    /// What is missing or wrong, item by item.
    pub items: Vec<String>,
}

/// Declares deficiencies; once fixed, the request returns to this reviewer.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), request_body = DeficienciesBody, responses((status = 200, description = "Sent back to the officer", body = RequestDetail), (status = 400, description = "No items", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer of its province, or `assigned_to_another_reviewer`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/officer-requests/{id}/deficiencies")]
pub async fn declare_deficiencies(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<DeficienciesBody>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    let items: Vec<String> = body.items.iter().map(|i| clean(i)).filter(|i| !i.is_empty()).collect();
    if items.is_empty() || items.len() > 50 || items.iter().any(|i| i.chars().count() > 500) {
        return Err(ApiError::field("items", "دست‌کم یک مورد نقص بنویسید.", "List at least one deficiency."));
    }
    decide(state, user, id.into_inner(), Decision::Deficiencies { items }).await
}
