//! Provincial organisations, membership renewal (EN-02) and the experts' work: the renewal
//! queue with the debt assessment, the engineers of the province, degree verification.

use actix_web::{get, post, put, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind};
use anjoman_core::db::schema::{
    engineer_degrees as dg, engineer_renewals as rn, engineering_orgs as org, engineers as en, persons as p,
};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::outbox::{Channel, NewMessage, enqueue};
use anjoman_core::platform::payments::{self, Invoice};
use anjoman_core::text::{NationalCode, search_key};
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::rules::{self, RenewalStatus};
use crate::shared::{clean, expert_of};
use crate::store::{self, EngineerRecord, EngineeringOrg, RenewalView};

/// Every provincial engineering organisation and its renewal rules.
#[utoipa::path(tag = "engineers", responses((status = 200, description = "The organisations", body = [EngineeringOrg])))]
#[get("/engineering/provinces")]
pub async fn list_orgs(state: web::Data<AppState>) -> Result<web::Json<Vec<EngineeringOrg>>, ApiError> {
    let orgs = state.db(|conn| Ok(org::table.order(org::name).select(EngineeringOrg::as_select()).load(conn)?)).await?;
    Ok(web::Json(orgs))
}

#[derive(Deserialize, ToSchema)]
pub struct OrgSettings {
    pub name: String,
    /// 1 to 365
    pub renewal_window_days: i32,
    /// More than zero.
    pub annual_fee_rials: i64,
    /// 1 to 5
    pub renewal_years: i32,
}

/// Sets a province's organisation's name and renewal rules (its admins and experts). Renewals
/// already assessed keep the amount they were given.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("province_id" = String, Path, description = "The province")),
    request_body = OrgSettings,
    responses(
        (status = 200, description = "Saved", body = EngineeringOrg),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not this province's organisation", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineering/provinces/{province_id}")]
pub async fn update_org(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<OrgSettings>,
) -> Result<web::Json<EngineeringOrg>, ApiError> {
    let province = path.into_inner();
    expert_of(&user, &province)?;
    let b = body.into_inner();
    let mut e = FieldErrors::new();
    let name = clean(&b.name);
    if name.is_empty() || name.chars().count() > 200 {
        e.add("name", Msg::new("نام سازمان را بنویسید.", "Write the organisation's name."));
    }
    if !(1..=365).contains(&b.renewal_window_days) {
        e.add("renewal_window_days", Msg::new("بین ۱ تا ۳۶۵ روز.", "Between 1 and 365 days."));
    }
    if b.annual_fee_rials <= 0 || b.annual_fee_rials > 1_000_000_000_000 {
        e.add(
            "annual_fee_rials",
            Msg::new("حق عضویت سالانه باید بیش از صفر باشد.", "The annual fee must be more than zero."),
        );
    }
    if !(1..=5).contains(&b.renewal_years) {
        e.add("renewal_years", Msg::new("بین ۱ تا ۵ سال.", "Between 1 and 5 years."));
    }
    e.into_result()?;
    let saved = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let n = diesel::update(org::table.find(&province))
                    .set((
                        org::name.eq(&name),
                        org::renewal_window_days.eq(b.renewal_window_days),
                        org::annual_fee_rials.eq(b.annual_fee_rials),
                        org::renewal_years.eq(b.renewal_years),
                        org::updated_at.eq(now()),
                    ))
                    .execute(conn)?;
                if n == 0 {
                    return Err(ApiError::NotFound);
                }
                let saved = store::org(conn, &province)?.ok_or(ApiError::NotFound)?;
                audit::record(
                    conn,
                    Event::new("engineering.org_updated", "province", Some(&province))
                        .by(&user.person_id)
                        .states(None, serde_json::to_value(&saved).ok()),
                )?;
                Ok(saved)
            })
        })
        .await?;
    Ok(web::Json(saved))
}

#[derive(Deserialize, ToSchema)]
pub struct NewExpert {
    /// A registered person's national code.
    pub national_code: String,
}

/// Names another admin or expert of the province's organisation (its admins).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("province_id" = String, Path, description = "The province")),
    request_body = NewExpert,
    responses(
        (status = 204, description = "Named"),
        (status = 400, description = "Invalid or unknown national code", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not this province's organisation", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineering/provinces/{province_id}/experts")]
pub async fn add_expert(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<NewExpert>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let province = path.into_inner();
    expert_of(&user, &province)?;
    let code = NationalCode::parse(&body.national_code)
        .map_err(|err| ApiError::field("national_code", err.message_fa(), err.message_en()))?;
    let ip = anjoman_core::http::client_ip(&req, state.config.trust_forwarded_for);
    let hooks = state.hooks.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let Some(person) = anjoman_identity::store::person_id_by_code(conn, code.as_str())? else {
                    return Err(ApiError::field(
                        "national_code",
                        "کسی با این کد ملی ثبت‌نام نکرده است.",
                        "Nobody with this national code has registered.",
                    ));
                };
                anjoman_identity::roles::grant(
                    conn,
                    &hooks,
                    &user.person_id,
                    Some(&ip),
                    &person,
                    Role::EngineeringAdmin,
                    Some(&province),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}

fn renewal_not_open(opens: NaiveDate) -> ApiError {
    ApiError::Conflict {
        code: "renewal_not_open",
        msg: Msg::new(
            format!("تمدید عضویت از {} (چند روز پیش از پایان اعتبار) ممکن می‌شود.", rules::jalali_text(opens)),
            format!("Renewal opens on {opens} (a set number of days before your membership expires)."),
        ),
    }
}

fn renewal_open_already() -> ApiError {
    ApiError::Conflict {
        code: "renewal_in_progress",
        msg: Msg::new(
            "درخواست تمدید شما در جریان است؛ تا پایان آن درخواست دیگری ممکن نیست.",
            "Your renewal request is already in progress; another must wait until it is finished.",
        ),
    }
}

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
    user.require_any(&[Role::Engineer])?;
    let view = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = store::engineer(conn, &user.person_id)?.ok_or(ApiError::NotFound)?;
                let o = store::org(conn, &e.province_id)?.ok_or(ApiError::Internal)?;
                let opens = rules::renewal_opens_on(e.expires_on, o.renewal_window_days);
                if now().date() < opens {
                    return Err(renewal_not_open(opens));
                }
                let open: i64 = rn::table
                    .filter(rn::engineer_id.eq(&e.person_id))
                    .filter(rn::status.ne(RenewalStatus::Completed.as_str()))
                    .count()
                    .get_result(conn)?;
                if open > 0 {
                    return Err(renewal_open_already());
                }
                if rules::residence_proof_required(&e.province_id, e.birth_province_id.as_deref())
                    && !store::has_residence_proof(conn, &e.person_id)?
                {
                    return Err(ApiError::Conflict {
                        code: "residence_proof_required",
                        msg: Msg::new(
                            "استان عضویت شما با استان محل تولدتان فرق دارد: نخست مدرکی دال بر دست‌کم ۶ ماه سکونت (حکم کارگزینی، لیست بیمه، سند مالکیت، اجاره‌نامهٔ رسمی یا گواهی محل تحصیل فرزند) در آرشیو مدارک بارگذاری کنید.",
                            "Your membership province differs from your province of birth: first add proof of at least six months' residence (employment order, insurance record, property deed, official lease or a child's school certificate) to your document archive.",
                        ),
                    });
                }
                let id = new_id();
                diesel::insert_into(rn::table)
                    .values((
                        rn::id.eq(&id),
                        rn::engineer_id.eq(&e.person_id),
                        rn::province_id.eq(&e.province_id),
                        rn::status.eq(RenewalStatus::UnderReview.as_str()),
                        rn::expires_before.eq(e.expires_on),
                        rn::created_at.eq(now()),
                    ))
                    .execute(conn)
                    .map_err(|err| match ApiError::from(err) {
                        // A concurrent request won the one-open-renewal index.
                        ApiError::Conflict { .. } => renewal_open_already(),
                        other => other,
                    })?;
                audit::record(conn, Event::new("engineer.renewal_requested", "engineer_renewal", Some(&id)).by(&user.person_id))?;
                Ok(RenewalView::from(store::renewal(conn, &id)?))
            })
        })
        .await?;
    Ok((web::Json(view), actix_web::http::StatusCode::CREATED))
}

#[derive(Deserialize, IntoParams)]
pub struct RenewalQueueQuery {
    /// The province; by default every province the caller is an expert of.
    pub province_id: Option<String>,
    /// `under_review` (default), `awaiting_payment`, `completed` or `all`
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

fn expert_provinces(user: &AuthUser) -> Vec<String> {
    user.grants
        .iter()
        .filter(|g| g.role == Role::EngineeringAdmin && g.scope_type == Some(ScopeKind::Province))
        .filter_map(|g| g.scope_id.clone())
        .collect()
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
        None => expert_provinces(&user),
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
            let mut query = rn::table
                .inner_join(en::table.inner_join(p::table))
                .filter(rn::province_id.eq_any(&provinces))
                .into_boxed();
            if status != "all" {
                query = query.filter(rn::status.eq(status));
            }
            let rows: Vec<(store::Renewal, String, String, String, String)> = query
                .order(rn::created_at.asc())
                .limit(500)
                .select((
                    store::Renewal::as_select(),
                    p::national_code,
                    p::first_name,
                    p::last_name,
                    en::membership_number,
                ))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|(r, national_code, first_name, last_name, membership_number)| RenewalQueueItem {
                    engineer_id: r.engineer_id.clone(),
                    province_id: r.province_id.clone(),
                    renewal: RenewalView::from(r),
                    national_code,
                    first_name,
                    last_name,
                    membership_number,
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

fn notify(conn: &mut DbConn, person: &str, text: &str) -> Result<(), ApiError> {
    let p = anjoman_identity::store::person_of(conn, person)?;
    let (mobile, email) = (p.mobile, p.email);
    for (channel, to) in [(Channel::Sms, mobile), (Channel::Email, email)] {
        if let Some(to) = to {
            enqueue(
                conn,
                NewMessage {
                    channel,
                    recipient: &to,
                    subject: Some("تمدید عضویت / Membership renewal"),
                    body: text,
                    purpose: "engineer_renewal",
                    template: None,
                    urgent: false,
                },
            )?;
        }
    }
    Ok(())
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
        (status = 409, description = "`renewal_not_under_review`", body = anjoman_core::error::ErrorBody),
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
                let r = store::renewal(conn, &id)?;
                expert_of(&user, &r.province_id)?;
                if r.status != RenewalStatus::UnderReview.as_str() {
                    return Err(ApiError::Conflict {
                        code: "renewal_not_under_review",
                        msg: Msg::new("این درخواست دیگر در دست بررسی نیست.", "This request is no longer under review."),
                    });
                }
                let o = store::org(conn, &r.province_id)?.ok_or(ApiError::Internal)?;
                let amount = rules::amount_due(o.annual_fee_rials, o.renewal_years, debt).ok_or_else(|| {
                    ApiError::field("debt_rials", "مبلغ بیش از حد بزرگ است.", "The amount is too large.")
                })?;
                let invoice = payments::create_invoice(
                    conn,
                    &r.engineer_id,
                    crate::PAYMENT_PURPOSE,
                    Some(&r.id),
                    &format!("تمدید عضویت {} ساله، {}", o.renewal_years, o.name),
                    amount,
                )?;
                let n = diesel::update(rn::table.find(&r.id).filter(rn::status.eq(RenewalStatus::UnderReview.as_str())))
                    .set((
                        rn::status.eq(RenewalStatus::AwaitingPayment.as_str()),
                        rn::years.eq(o.renewal_years),
                        rn::annual_fee_rials.eq(o.annual_fee_rials),
                        rn::debt_rials.eq(debt),
                        rn::amount_rials.eq(amount),
                        rn::invoice_id.eq(&invoice.id),
                        rn::assessed_by.eq(&user.person_id),
                        rn::assessed_at.eq(now()),
                    ))
                    .execute(conn)?;
                if n == 0 {
                    return Err(ApiError::Conflict {
                        code: "renewal_not_under_review",
                        msg: Msg::new("این درخواست دیگر در دست بررسی نیست.", "This request is no longer under review."),
                    });
                }
                audit::record(
                    conn,
                    Event::new("engineer.renewal_assessed", "engineer_renewal", Some(&r.id))
                        .by(&user.person_id)
                        .states(None, Some(serde_json::json!({"debt_rials": debt, "amount_rials": amount}))),
                )?;
                notify(
                    conn,
                    &r.engineer_id,
                    &format!(
                        "مبلغ تمدید عضویت شما تعیین شد: {amount} ریال. از درگاه سامانه پرداخت کنید.\nYour renewal amount is set: {amount} rials. Pay it on the portal."
                    ),
                )?;
                Ok(RenewalView::from(store::renewal(conn, &r.id)?))
            })
        })
        .await?;
    Ok(web::Json(view))
}

/// The payment handler: a renewal's invoice is paid — the membership expiry moves forward by the
/// renewal's years, once (the conditional update and the payments service both see to that).
pub fn on_paid(conn: &mut DbConn, invoice: &Invoice) -> Result<(), ApiError> {
    let Some(id) = invoice.reference.as_deref() else { return Ok(()) };
    let r = store::renewal(conn, id)?;
    let e = store::engineer(conn, &r.engineer_id)?.ok_or(ApiError::NotFound)?;
    let new_expiry = rules::extended(e.expires_on, r.years.unwrap_or(0)).ok_or(ApiError::Internal)?;
    let n = diesel::update(rn::table.find(&r.id).filter(rn::status.eq(RenewalStatus::AwaitingPayment.as_str())))
        .set((
            rn::status.eq(RenewalStatus::Completed.as_str()),
            rn::expires_after.eq(new_expiry),
            rn::completed_at.eq(now()),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(());
    }
    diesel::update(en::table.find(&r.engineer_id))
        .set((en::expires_on.eq(new_expiry), en::updated_at.eq(now())))
        .execute(conn)?;
    audit::record(
        conn,
        Event::new("engineer.renewed", "engineer", Some(&r.engineer_id)).by(&invoice.payer_id).states(
            Some(serde_json::json!({"expires_on": e.expires_on})),
            Some(serde_json::json!({"expires_on": new_expiry})),
        ),
    )?;
    let national_code = anjoman_identity::store::person_of(conn, &e.person_id)?.national_code;
    anjoman_core::platform::webhooks::emit(
        conn,
        &anjoman_core::platform::webhooks::Owner::engineering(&e.province_id),
        "renewal.paid",
        serde_json::json!({
            "national_code": national_code,
            "membership_number": e.membership_number,
            "expires_on": new_expiry,
            "amount_rials": invoice.amount_rials,
        }),
    )?;
    notify(
        conn,
        &r.engineer_id,
        &format!(
            "عضویت شما تمدید شد؛ اعتبار تا {}.\nYour membership is renewed until {new_expiry}.",
            rules::jalali_text(new_expiry)
        ),
    )?;
    Ok(())
}

#[derive(Deserialize, IntoParams)]
pub struct EngineerListQuery {
    pub province_id: String,
    /// Part of a name, a national code or a membership number.
    pub q: Option<String>,
    /// From 1.
    pub page: Option<i64>,
    /// 1 to 100; 25 by default.
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EngineerListItem {
    pub person_id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub membership_number: String,
    pub expires_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct EngineerList {
    pub items: Vec<EngineerListItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The engineers of a province, for its experts, a page at a time.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(EngineerListQuery),
    responses(
        (status = 200, description = "The engineers", body = EngineerList),
        (status = 403, description = "Not an expert of that province", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/engineering/engineers")]
pub async fn list_engineers(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<EngineerListQuery>,
) -> Result<web::Json<EngineerList>, ApiError> {
    expert_of(&user, &q.province_id)?;
    let q = q.into_inner();
    let (page, per_page, offset) = anjoman_core::platform::http::page_bounds(q.page, q.per_page)?;
    let list = state
        .db(move |conn| {
            let filtered = |text: Option<&str>| {
                let mut query =
                    en::table.inner_join(p::table).filter(en::province_id.eq(q.province_id.clone())).into_boxed();
                if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
                    let digits = anjoman_core::text::normalize_digits(t);
                    let like = format!("%{}%", search_key(t));
                    query = query.filter(
                        p::search_name
                            .like(like)
                            .or(p::national_code.eq(digits.clone()))
                            .or(en::membership_number.eq(digits)),
                    );
                }
                query
            };
            let total: i64 = filtered(q.q.as_deref()).count().get_result(conn)?;
            let rows: Vec<(String, String, String, String, String, NaiveDate)> = filtered(q.q.as_deref())
                .order((p::last_name, p::first_name, en::person_id))
                .offset(offset)
                .limit(per_page)
                .select((
                    en::person_id,
                    p::national_code,
                    p::first_name,
                    p::last_name,
                    en::membership_number,
                    en::expires_on,
                ))
                .load(conn)?;
            Ok(EngineerList {
                items: rows
                    .into_iter()
                    .map(|(person_id, national_code, first_name, last_name, membership_number, expires_on)| {
                        EngineerListItem {
                            person_id,
                            national_code,
                            first_name,
                            last_name,
                            membership_number,
                            expires_on,
                        }
                    })
                    .collect(),
                total,
                page,
                per_page,
            })
        })
        .await?;
    Ok(web::Json(list))
}

/// An engineer's whole record, for the experts of the engineer's province.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("person_id" = String, Path, description = "The engineer")),
    responses(
        (status = 200, description = "The record", body = EngineerRecord),
        (status = 403, description = "Not an expert of the engineer's province", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such engineer", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/engineering/engineers/{person_id}")]
pub async fn show_engineer(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    let record = state
        .db(move |conn| {
            let e = store::engineer(conn, &id)?.ok_or(ApiError::NotFound)?;
            expert_of(&user, &e.province_id)?;
            store::record(conn, &id)
        })
        .await?;
    Ok(web::Json(record))
}

/// Marks a degree verified by the organisation: from then on it is read-only to the engineer.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("person_id" = String, Path, description = "The engineer"), ("degree_id" = String, Path, description = "The degree")),
    responses(
        (status = 200, description = "Verified; the whole record", body = EngineerRecord),
        (status = 403, description = "Not an expert of the engineer's province", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such degree", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineering/engineers/{person_id}/degrees/{degree_id}/verification")]
pub async fn verify_degree(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, degree) = path.into_inner();
    let record = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = store::engineer(conn, &id)?.ok_or(ApiError::NotFound)?;
                expert_of(&user, &e.province_id)?;
                let n = diesel::update(dg::table.find(&degree).filter(dg::engineer_id.eq(&id)))
                    .set((dg::verified.eq(true), dg::updated_at.eq(now())))
                    .execute(conn)?;
                if n == 0 {
                    return Err(ApiError::NotFound);
                }
                audit::record(
                    conn,
                    Event::new("engineer.degree_verified", "engineer_degree", Some(&degree)).by(&user.person_id),
                )?;
                store::record(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(record))
}
