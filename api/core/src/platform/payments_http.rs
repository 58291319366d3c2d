//! Invoices and payments over HTTP (PL-02), and the built-in sandbox gateway, which speaks
//! Zarinpal's v4 API and shows the payer a page with Pay and Cancel.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit::{self, Event};
use crate::auth::{AuthUser, Role};
use crate::db::write_tx;
use crate::error::{ApiError, Msg};
use crate::http::AppState;
use crate::platform::payments::{self, Gateway, Invoice, SANDBOX_MERCHANT, Settlement};
use crate::platform::sandbox::{self, NewSandboxPayment};
use crate::refusals::CoreError;
use crate::text::NationalCode;

#[derive(Serialize, ToSchema)]
pub struct InvoiceDto {
    pub id: String,
    pub payer_id: String,
    pub purpose: String,
    pub reference: Option<String>,
    pub description: String,
    /// Rials.
    pub amount_rials: i64,
    /// `pending`, `paid` or `cancelled`
    pub status: String,
    /// The bank's reference once paid.
    pub ref_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

impl From<Invoice> for InvoiceDto {
    fn from(i: Invoice) -> Self {
        Self {
            id: i.id,
            payer_id: i.payer_id,
            purpose: i.purpose,
            reference: i.reference,
            description: i.description,
            amount_rials: i.amount_rials,
            status: i.status,
            ref_id: i.ref_id,
            created_at: i.created_at.and_utc(),
            paid_at: i.paid_at.map(|t| t.and_utc()),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewInvoice {
    pub payer_national_code: String,
    /// Rials, more than zero.
    pub amount_rials: i64,
    pub description: String,
}

/// Issues an invoice to a person (commission admins); domains issue theirs themselves.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    request_body = NewInvoice,
    responses(
        (status = 201, description = "Issued", body = InvoiceDto),
        (status = 400, description = "Invalid fields or unknown payer", body = crate::error::ErrorBody),
        (status = 403, description = "Not a commission admin", body = crate::error::ErrorBody),
    )
)]
#[post("/invoices")]
async fn create_invoice(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewInvoice>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::CommissionAdmin.any()])?;
    let body = body.into_inner();
    let mut errors = crate::FieldErrors::new();
    let code = NationalCode::parse(&body.payer_national_code)
        .map_err(|e| errors.add("payer_national_code", Msg::new(e.message_fa(), e.message_en())))
        .ok();
    if !(1..=1_000_000_000_000).contains(&body.amount_rials) {
        errors.add(
            "amount_rials",
            Msg::new("مبلغ باید بیش از صفر ریال باشد.", "The amount must be more than zero rials."),
        );
    }
    let description = body.description.trim().to_owned();
    if description.is_empty() || description.chars().count() > 300 {
        errors.add(
            "description",
            Msg::new("شرح الزامی است (حداکثر ۳۰۰ نویسه).", "A description is required (at most 300 characters)."),
        );
    }
    errors.into_result()?;
    let code = code.ok_or(ApiError::Internal)?;
    let actor = user.person_id.clone();
    let invoice = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let payer = payments::payer_by_national_code(conn, code.as_str())?.ok_or_else(|| {
                    ApiError::field(
                        "payer_national_code",
                        "این شخص ثبت‌نام نکرده است.",
                        "No one with this national code is registered.",
                    )
                })?;
                let invoice = payments::create_invoice(conn, &payer, "manual", None, &description, body.amount_rials)?;
                audit::record(conn, Event::new("invoice.issued", "invoice", Some(&invoice.id)).by(&actor))?;
                Ok::<_, ApiError>(invoice)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(InvoiceDto::from(invoice)))
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceList {
    pub items: Vec<InvoiceDto>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Commission admins: `true` lists everyone's invoices.
    pub all: Option<bool>,
}

/// The caller's invoices, newest first (commission admins may ask for all).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, description = "Invoices", body = InvoiceList), (status = 401, description = "Not signed in", body = crate::error::ErrorBody))
)]
#[get("/invoices")]
async fn list_invoices(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<ListQuery>,
) -> Result<web::Json<InvoiceList>, ApiError> {
    let all = q.all.unwrap_or(false);
    if all {
        user.require(&[Role::CommissionAdmin.any()])?;
    }
    let payer = (!all).then(|| user.person_id.clone());
    let rows = state.db(move |conn| Ok(payments::list_for(conn, payer.as_deref(), 200)?)).await?;
    Ok(web::Json(InvoiceList { items: rows.into_iter().map(Into::into).collect() }))
}

async fn own_invoice(state: &AppState, user: &AuthUser, id: String) -> Result<Invoice, ApiError> {
    let invoice = state.db(move |conn| payments::get(conn, &id)?.ok_or(ApiError::NotFound)).await?;
    if invoice.payer_id != user.person_id && !user.may(&[Role::CommissionAdmin.any()]) {
        return Err(ApiError::NotFound);
    }
    Ok(invoice)
}

/// One invoice (its payer or a commission admin).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The invoice")),
    responses((status = 200, description = "The invoice", body = InvoiceDto), (status = 404, description = "No such invoice of yours", body = crate::error::ErrorBody))
)]
#[get("/invoices/{id}")]
async fn show_invoice(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<InvoiceDto>, ApiError> {
    Ok(web::Json(own_invoice(&state, &user, id.into_inner()).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct PaymentStart {
    /// Send the payer's browser here.
    pub redirect_url: String,
}

/// Starts paying an invoice at the gateway (its payer).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The invoice")),
    responses(
        (status = 200, description = "Go to the gateway", body = PaymentStart),
        (status = 404, description = "No such invoice of yours", body = crate::error::ErrorBody),
        (status = 409, description = "`already_paid`", body = crate::error::ErrorBody),
        (status = 503, description = "The gateway is unreachable", body = crate::error::ErrorBody),
    )
)]
#[post("/invoices/{id}/pay")]
async fn pay_invoice(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<PaymentStart>, ApiError> {
    let invoice = own_invoice(&state, &user, id.into_inner()).await?;
    if invoice.payer_id != user.person_id {
        return Err(ApiError::Forbidden);
    }
    if invoice.status != payments::status::PENDING {
        return Err(CoreError::AlreadyPaid.into());
    }
    let base = crate::http::public_base(&state, &req);
    let callback_url = format!("{base}/api/v1/payments/callback");
    let (authority, redirect_url) = Gateway::from_config(&state.config)
        .request(invoice.amount_rials, &callback_url, &invoice.description)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "payment request failed");
            ApiError::Unavailable
        })?;
    state
        .db(move |conn| {
            payments::mark_started(conn, &invoice.id, &authority)?;
            Ok(())
        })
        .await?;
    let redirect_url = if redirect_url.starts_with('/') { format!("{base}{redirect_url}") } else { redirect_url };
    Ok(web::Json(PaymentStart { redirect_url }))
}

#[derive(Deserialize, IntoParams)]
pub struct CallbackQuery {
    #[serde(rename = "Authority")]
    pub authority: String,
    /// `OK` or `NOK`
    #[serde(rename = "Status")]
    pub status: String,
}

/// The gateway sends the payer back here; the payment is verified on the server with the
/// amount from our records, then the payer is shown the invoice.
#[utoipa::path(
    tag = "payments",
    params(CallbackQuery),
    responses((status = 303, description = "To the invoice page in the web client"), (status = 404, description = "Unknown payment", body = crate::error::ErrorBody))
)]
#[get("/payments/callback")]
async fn payment_callback(state: web::Data<AppState>, q: web::Query<CallbackQuery>) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let authority = q.authority.clone();
    let invoice = state.db(move |conn| payments::by_authority(conn, &authority)?.ok_or(ApiError::NotFound)).await?;
    let outcome = if q.status == "OK" {
        match payments::settle(&state, &invoice.id).await? {
            Settlement::Paid => "paid",
            Settlement::Unpaid => "failed",
        }
    } else {
        "cancelled"
    };
    let location = format!("/invoices/{}?payment={outcome}", invoice.id);
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish())
}

// ---- The sandbox gateway: Zarinpal's v4 API, served by anjoman for development and tests.

#[derive(Deserialize, ToSchema)]
pub struct SandboxRequest {
    pub merchant_id: String,
    pub amount: i64,
    pub callback_url: String,
    pub description: String,
}

#[derive(Deserialize, ToSchema)]
pub struct SandboxVerify {
    pub merchant_id: String,
    pub amount: i64,
    pub authority: String,
}

fn zarinpal_error(code: i64, message: &str) -> serde_json::Value {
    serde_json::json!({"data": [], "errors": {"code": code, "message": message, "validations": []}})
}

/// The built-in gateway answers only where it is the configured provider: with a real gateway
/// configured its pages and API are not found, so production serves no test functionality.
fn sandbox_only(state: &AppState) -> Result<(), ApiError> {
    match state.config.payments {
        crate::config::PaymentSettings::Sandbox => Ok(()),
        _ => Err(ApiError::NotFound),
    }
}

/// Sandbox gateway: a payment token (as Zarinpal's `payment/request.json`).
#[utoipa::path(tag = "sandbox gateway", request_body = SandboxRequest, responses((status = 200, description = "`data.authority` on success, `errors.code` otherwise")))]
#[post("/payments/sandbox/pg/v4/payment/request.json")]
async fn sandbox_request(
    state: web::Data<AppState>,
    body: web::Json<SandboxRequest>,
) -> Result<HttpResponse, ApiError> {
    sandbox_only(&state)?;
    let body = body.into_inner();
    if body.merchant_id != SANDBOX_MERCHANT {
        return Ok(HttpResponse::Ok().json(zarinpal_error(-11, "merchant not found")));
    }
    if body.amount < 1000 {
        return Ok(HttpResponse::Ok().json(zarinpal_error(-9, "amount is too small")));
    }
    let authority: String = {
        let mut rng = rand::thread_rng();
        let tail: String = (0..35).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect();
        format!("S{tail}")
    };
    let a = authority.clone();
    state
        .db(move |conn| {
            let row = NewSandboxPayment {
                authority: &a,
                amount_rials: body.amount,
                callback_url: &body.callback_url,
                description: &body.description,
            };
            Ok(sandbox::insert(conn, &row)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"data": {"code": 100, "message": "Success", "authority": authority, "fee_type": "Merchant", "fee": 0}, "errors": []})))
}

/// Sandbox gateway: verification (as Zarinpal's `payment/verify.json`): 100 the first time,
/// 101 after; -50 for another amount; -51 when not paid.
#[utoipa::path(tag = "sandbox gateway", request_body = SandboxVerify, responses((status = 200, description = "`data.code` 100/101 with `ref_id`, or `errors.code`")))]
#[post("/payments/sandbox/pg/v4/payment/verify.json")]
async fn sandbox_verify(state: web::Data<AppState>, body: web::Json<SandboxVerify>) -> Result<HttpResponse, ApiError> {
    sandbox_only(&state)?;
    let body = body.into_inner();
    if body.merchant_id != SANDBOX_MERCHANT {
        return Ok(HttpResponse::Ok().json(zarinpal_error(-11, "merchant not found")));
    }
    let answer = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = sandbox::for_verify(conn, &body.authority)?;
                let Some((amount, status, ref_id)) = row else { return Ok(zarinpal_error(-54, "invalid authority")) };
                if amount != body.amount {
                    return Ok(zarinpal_error(-50, "amount mismatch"));
                }
                match (status.as_str(), ref_id) {
                    ("paid", Some(r)) => {
                        sandbox::mark_verified(conn, &body.authority)?;
                        Ok(serde_json::json!({"data": {"code": 100, "message": "Verified", "ref_id": r.parse::<i64>().unwrap_or(0), "card_pan": "6037**********1234"}, "errors": []}))
                    }
                    ("verified", Some(r)) => Ok(serde_json::json!({"data": {"code": 101, "message": "Verified", "ref_id": r.parse::<i64>().unwrap_or(0)}, "errors": []})),
                    _ => Ok(zarinpal_error(-51, "payment not successful")),
                }
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// Sandbox gateway: the payer's page. Sends the browser to the web client's gateway page.
#[utoipa::path(tag = "sandbox gateway", params(("authority" = String, Path, description = "The token")), responses((status = 303, description = "To the sandbox page")))]
#[get("/payments/sandbox/pg/StartPay/{authority}")]
async fn sandbox_start(state: web::Data<AppState>, authority: web::Path<String>) -> Result<HttpResponse, ApiError> {
    sandbox_only(&state)?;
    let safe: String = authority.chars().filter(|c| c.is_ascii_alphanumeric()).take(64).collect();
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/sandbox-gateway/{safe}"))).finish())
}

#[derive(Serialize, ToSchema)]
pub struct SandboxPayment {
    pub authority: String,
    pub amount_rials: i64,
    pub description: String,
    /// `pending`, `paid`, `verified` or `cancelled`
    pub status: String,
}

/// Sandbox gateway: what the payer is about to pay.
#[utoipa::path(tag = "sandbox gateway", params(("authority" = String, Path, description = "The token")), responses((status = 200, description = "The payment", body = SandboxPayment), (status = 404, description = "Unknown token", body = crate::error::ErrorBody)))]
#[get("/payments/sandbox/payments/{authority}")]
async fn sandbox_show(
    state: web::Data<AppState>,
    authority: web::Path<String>,
) -> Result<web::Json<SandboxPayment>, ApiError> {
    sandbox_only(&state)?;
    let authority = authority.into_inner();
    let a = authority.clone();
    let (amount_rials, description, status) = state.db(move |conn| sandbox::shown(conn, &a)).await?;
    Ok(web::Json(SandboxPayment { authority, amount_rials, description, status }))
}

#[derive(Serialize, ToSchema)]
pub struct SandboxDecision {
    /// Where the gateway sends the payer next: the merchant's callback.
    pub redirect_url: String,
}

async fn sandbox_decide(state: &AppState, authority: String, paid: bool) -> Result<SandboxDecision, ApiError> {
    let a = authority.clone();
    let ref_id: Option<String> = paid.then(|| {
        let mut rng = rand::thread_rng();
        (0..10).map(|_| char::from(b'1' + rng.gen_range(0..9u8))).collect()
    });
    let callback_url = state.db(move |conn| write_tx(conn, |conn| sandbox::decide(conn, &a, ref_id))).await?;
    let sep = if callback_url.contains('?') { '&' } else { '?' };
    Ok(SandboxDecision {
        redirect_url: format!("{callback_url}{sep}Authority={authority}&Status={}", if paid { "OK" } else { "NOK" }),
    })
}

/// Sandbox gateway: the payer pays.
#[utoipa::path(tag = "sandbox gateway", params(("authority" = String, Path, description = "The token")), responses((status = 200, description = "Paid", body = SandboxDecision), (status = 409, description = "Already decided", body = crate::error::ErrorBody)))]
#[post("/payments/sandbox/payments/{authority}/pay")]
async fn sandbox_pay(
    state: web::Data<AppState>,
    authority: web::Path<String>,
) -> Result<web::Json<SandboxDecision>, ApiError> {
    sandbox_only(&state)?;
    Ok(web::Json(sandbox_decide(&state, authority.into_inner(), true).await?))
}

/// Sandbox gateway: the payer cancels.
#[utoipa::path(tag = "sandbox gateway", params(("authority" = String, Path, description = "The token")), responses((status = 200, description = "Cancelled", body = SandboxDecision), (status = 409, description = "Already decided", body = crate::error::ErrorBody)))]
#[post("/payments/sandbox/payments/{authority}/cancel")]
async fn sandbox_cancel(
    state: web::Data<AppState>,
    authority: web::Path<String>,
) -> Result<web::Json<SandboxDecision>, ApiError> {
    sandbox_only(&state)?;
    Ok(web::Json(sandbox_decide(&state, authority.into_inner(), false).await?))
}
