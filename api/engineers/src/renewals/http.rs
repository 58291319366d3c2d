//! The renewal endpoints: the engineer's request, the experts' queue and their assessment.

use actix_web::{get, post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::{new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::payments;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{NewRenewal, RenewalOutcome, RenewalView};
use super::{RenewalAction, next, notify, store};
use crate::errors::EngineersError;
use crate::rules::{self, RenewalStatus};
use crate::shared::expert_of;

/// Requests a membership renewal (EN-02): only from the opening day of the province's window
/// (`409 renewal_not_open` with the date), one at a time (`409 renewal_in_progress`), and with
/// a residence proof when the provinces differ (`409 residence_proof_required`). The request goes
/// to the province's experts; the engineer sees "under review".
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Filed, under review", body = RenewalView),
        (status = 403, description = "Not an engineer", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`renewal_not_open`, `renewal_in_progress` or `residence_proof_required`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/renewals")]
pub async fn request_renewal(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<(web::Json<RenewalView>, actix_web::http::StatusCode), ApiError> {
    user.require(&[Role::Engineer.any()])?;
    let view = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = crate::store::engineer(conn, &user.person_id)?.ok_or(ApiError::NotFound)?;
                let o = crate::store::org(conn, &e.province_id)?.ok_or(ApiError::Internal)?;
                let opens = rules::renewal_opens_on(e.expires_on, o.renewal_window_days);
                if now().date() < opens {
                    return Err(EngineersError::RenewalNotOpen { opens }.into());
                }
                let open = store::open_count(conn, &e.person_id)?;
                if open > 0 {
                    return Err(EngineersError::RenewalInProgress.into());
                }
                let (born, _) = crate::store::birth_province_of(conn, &e)?;
                if rules::residence_proof_required(&e.province_id, born.as_deref())
                    && !crate::store::has_residence_proof(conn, &e.person_id)?
                {
                    return Err(EngineersError::ResidenceProofRequired.into());
                }
                let id = new_id();
                store::insert(
                    conn,
                    &NewRenewal {
                        id: &id,
                        engineer_id: &e.person_id,
                        province_id: &e.province_id,
                        status: RenewalStatus::UnderReview.as_str(),
                        expires_before: e.expires_on,
                        created_at: now(),
                    },
                )
                .map_err(|err| match ApiError::from(err) {
                    // A concurrent request won the one-open-renewal index.
                    ApiError::Conflict { .. } => EngineersError::RenewalInProgress.into(),
                    other => other,
                })?;
                audit::record(
                    conn,
                    Event::new("engineer.renewal_requested", "engineer_renewal", Some(&id)).by(&user.person_id),
                )?;
                Ok(RenewalView::from(store::get(conn, &id)?))
            })
        })
        .await?;
    Ok((web::Json(view), actix_web::http::StatusCode::CREATED))
}

#[derive(Deserialize, IntoParams)]
pub struct RenewalQueueQuery {
    /// The province; by default every province the caller is an expert of.
    pub province_id: Option<String>,
    /// `under_review` (default), `awaiting_payment`, `completed`, `rejected` or `all`
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RenewalQueueItem {
    pub renewal: RenewalView,
    pub engineer_id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub province_id: String,
    pub membership_number: String,
}

/// The province experts' renewal queue (oldest first).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(RenewalQueueQuery),
    responses(
        (status = 200, description = "The renewals", body = [RenewalQueueItem]),
        (status = 400, description = "Unknown status", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an expert (of that province)", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/engineering/renewals")]
pub async fn renewal_queue(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<RenewalQueueQuery>,
) -> Result<web::Json<Vec<RenewalQueueItem>>, ApiError> {
    let provinces = match &q.province_id {
        Some(pv) => {
            expert_of(&user, pv)?;
            vec![pv.clone()]
        }
        None => user.scopes(Role::EngineeringAdmin),
    };
    if provinces.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let status = q.status.clone().unwrap_or_else(|| "under_review".into());
    if status != "all" && RenewalStatus::parse(&status).is_none() {
        return Err(ApiError::field("status", "وضعیت شناخته نیست.", "Unknown status."));
    }
    let items = state
        .db(move |conn| {
            let rows = store::queue(conn, &provinces, (status != "all").then_some(status.as_str()))?;
            let ids: Vec<String> = rows.iter().map(|(r, _)| r.engineer_id.clone()).collect();
            let mut persons = anjoman_identity::store::persons_by_id(conn, &ids)?;
            Ok(rows
                .into_iter()
                .filter_map(|(r, membership_number)| {
                    let p = persons.remove(&r.engineer_id)?;
                    Some(RenewalQueueItem {
                        engineer_id: r.engineer_id.clone(),
                        province_id: r.province_id.clone(),
                        renewal: RenewalView::from(r),
                        national_code: p.national_code,
                        first_name: p.first_name,
                        last_name: p.last_name,
                        membership_number,
                    })
                })
                .collect())
        })
        .await?;
    Ok(web::Json(items))
}

#[derive(Deserialize, ToSchema)]
pub struct Assessment {
    /// Prior unpaid dues found by the expert, in rials; zero when there are none.
    pub debt_rials: i64,
}

/// The expert's assessment (EN-02): enters the prior debt (possibly zero); the amount due is the
/// province's annual fee × its renewal years + the debt, and an invoice is made for the engineer.
/// Only an expert of the renewal's province (`403` otherwise), only while under review.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The renewal")),
    request_body = Assessment,
    responses(
        (status = 200, description = "Assessed; awaiting payment", body = RenewalView),
        (status = 400, description = "Invalid debt", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an expert of the renewal's province", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`renewal_not_under_review`, or `birth_province_unconfirmed`: confirm the province of birth the engineer entered first", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineering/renewals/{id}/assessment")]
pub async fn assess_renewal(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<Assessment>,
) -> Result<web::Json<RenewalView>, ApiError> {
    let id = path.into_inner();
    let debt = body.debt_rials;
    if !(0..=1_000_000_000_000).contains(&debt) {
        return Err(ApiError::field("debt_rials", "بدهی نمی‌تواند منفی باشد.", "The debt cannot be negative."));
    }
    let view = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let r = store::get(conn, &id)?;
                expert_of(&user, &r.province_id)?;
                next(r.state(), RenewalAction::Assess)?;
                crate::store::birth_province_settled(conn, &r.engineer_id)?;
                let o = crate::store::org(conn, &r.province_id)?.ok_or(ApiError::Internal)?;
                let amount = rules::amount_due(o.annual_fee_rials, o.renewal_years, debt).ok_or_else(|| {
                    ApiError::field("debt_rials", "مبلغ بیش از حد بزرگ است.", "The amount is too large.")
                })?;
                let invoice = payments::create_invoice(
                    conn,
                    &r.engineer_id,
                    crate::PAYMENT_PURPOSE,
                    Some(&r.id),
                    &format!("تمدید عضویت {} ساله، {}", anjoman_core::dates::number_fa(i64::from(o.renewal_years)), o.name),
                    amount,
                )?;
                let outcome = RenewalOutcome {
                    years: Some(o.renewal_years),
                    annual_fee_rials: Some(o.annual_fee_rials),
                    debt_rials: Some(debt),
                    amount_rials: Some(amount),
                    invoice_id: Some(invoice.id.clone()),
                    assessed_by: Some(user.person_id.clone()),
                    assessed_at: Some(now()),
                    ..Default::default()
                };
                let states = (None, Some(serde_json::json!({"debt_rials": debt, "amount_rials": amount})));
                if !store::transition(conn, &r, RenewalAction::Assess, &user.person_id, &outcome, states)? {
                    return Err(EngineersError::RenewalNotUnderReview.into());
                }
                notify(
                    conn,
                    &r.engineer_id,
                    &format!(
                        "مبلغ تمدید عضویت شما تعیین شد: {} ریال. از درگاه سامانه پرداخت کنید.\nYour renewal amount is set: {amount} rials. Pay it on the portal.",
                        anjoman_core::dates::number_fa(amount)
                    ),
                )?;
                Ok(RenewalView::from(store::get(conn, &r.id)?))
            })
        })
        .await?;
    Ok(web::Json(view))
}

#[derive(Deserialize, ToSchema)]
pub struct Rejection {
    /// Why, in words the engineer reads (1 to 500 characters).
    pub reason: String,
}

/// The expert refuses a renewal under review (EN-02), with a reason the engineer is told by SMS
/// and e-mail and sees on their page; a new request may follow. Only an expert of the renewal's
/// province; audited.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The renewal")),
    request_body = Rejection,
    responses(
        (status = 200, description = "Rejected", body = RenewalView),
        (status = 400, description = "No reason, or too long", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an expert of the renewal's province", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`renewal_not_under_review`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineering/renewals/{id}/rejection")]
pub async fn reject_renewal(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<Rejection>,
) -> Result<web::Json<RenewalView>, ApiError> {
    let id = path.into_inner();
    let reason = anjoman_core::text::normalize_persian(body.reason.trim());
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::field(
            "reason",
            "دلیل را بنویسید (حداکثر ۵۰۰ نویسه).",
            "Give the reason (at most 500 characters).",
        ));
    }
    let view = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let r = store::get(conn, &id)?;
                expert_of(&user, &r.province_id)?;
                next(r.state(), RenewalAction::Reject)?;
                let outcome = RenewalOutcome { reason: Some(reason.clone()), ..Default::default() };
                let states = (None, Some(serde_json::json!({ "reason": reason })));
                if !store::transition(conn, &r, RenewalAction::Reject, &user.person_id, &outcome, states)? {
                    return Err(EngineersError::RenewalNotUnderReview.into());
                }
                let text = format!(
                    "درخواست تمدید عضویت شما پذیرفته نشد: {reason}\nمی‌توانید درخواست تازه‌ای بفرستید.\nYour renewal request was refused: {reason}\nYou may file a new request."
                );
                notify(conn, &r.engineer_id, &text)?;
                Ok(RenewalView::from(store::get(conn, &r.id)?))
            })
        })
        .await?;
    Ok(web::Json(view))
}
