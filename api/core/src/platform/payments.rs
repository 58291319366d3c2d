//! Payments (PL-02): invoices in rials, paid through a Shaparak-style gateway — ask for a
//! token, send the payer there, take the callback, verify on the server with the amount from
//! our own records. Verification is idempotent: however often and however concurrently a
//! callback (or the reconciliation worker) settles an invoice, it is credited and its purpose
//! handled once.
//!
//! The gateway client speaks Zarinpal's v4 API. The built-in sandbox gateway serves that same
//! API from this process (see `sandbox`), so development and tests run the real client.

use std::sync::OnceLock;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Event};
use crate::config::{Config, PaymentSettings};
use crate::db::schema::invoices as inv;
use crate::db::{DbConn, new_id, now, write_tx};
use crate::error::ApiError;
use crate::http::AppState;

/// Where this process serves the sandbox gateway; set once the server is listening.
static SANDBOX_BASE: OnceLock<String> = OnceLock::new();
pub const SANDBOX_PATH: &str = "/api/v1/payments/sandbox";
pub const SANDBOX_MERCHANT: &str = "anjoman-sandbox-merchant";

pub fn set_sandbox_address(addr: std::net::SocketAddr) {
    let _ = SANDBOX_BASE.set(format!("http://{addr}{SANDBOX_PATH}"));
}

pub mod status {
    pub const PENDING: &str = "pending";
    pub const PAID: &str = "paid";
    pub const CANCELLED: &str = "cancelled";
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = inv)]
pub struct Invoice {
    pub id: String,
    pub payer_id: String,
    pub purpose: String,
    pub reference: Option<String>,
    pub description: String,
    pub amount_rials: i64,
    pub status: String,
    pub authority: Option<String>,
    pub ref_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub payment_started_at: Option<NaiveDateTime>,
    pub paid_at: Option<NaiveDateTime>,
    pub handled_at: Option<NaiveDateTime>,
}

/// Creates an invoice. Domains call this inside the transaction that makes the debt.
pub fn create_invoice(
    conn: &mut DbConn,
    payer_id: &str,
    purpose: &str,
    reference: Option<&str>,
    description: &str,
    amount_rials: i64,
) -> QueryResult<Invoice> {
    let id = new_id();
    diesel::insert_into(inv::table)
        .values((
            inv::id.eq(&id),
            inv::payer_id.eq(payer_id),
            inv::purpose.eq(purpose),
            inv::reference.eq(reference),
            inv::description.eq(description),
            inv::amount_rials.eq(amount_rials),
            inv::status.eq(status::PENDING),
            inv::created_at.eq(now()),
        ))
        .execute(conn)?;
    inv::table.find(&id).select(Invoice::as_select()).first(conn)
}

/// The person with this national code, who pays a manual invoice. (Core sits below identity, so
/// it reads the person's id itself.)
pub fn payer_by_national_code(conn: &mut DbConn, national_code: &str) -> QueryResult<Option<String>> {
    use crate::db::schema::persons;
    persons::table.filter(persons::national_code.eq(national_code)).select(persons::id).first(conn).optional()
}

/// The gateway's token for a pending invoice, as the payer is sent to pay.
pub fn mark_started(conn: &mut DbConn, invoice_id: &str, authority: &str) -> QueryResult<()> {
    diesel::update(inv::table.find(invoice_id).filter(inv::status.eq(status::PENDING)))
        .set((inv::authority.eq(authority), inv::payment_started_at.eq(now())))
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<Invoice>> {
    inv::table.find(id).select(Invoice::as_select()).first(conn).optional()
}

pub fn by_authority(conn: &mut DbConn, authority: &str) -> QueryResult<Option<Invoice>> {
    inv::table.filter(inv::authority.eq(authority)).select(Invoice::as_select()).first(conn).optional()
}

pub fn list_for(conn: &mut DbConn, payer_id: Option<&str>, limit: i64) -> QueryResult<Vec<Invoice>> {
    let mut q = inv::table.into_boxed();
    if let Some(p) = payer_id {
        q = q.filter(inv::payer_id.eq(p.to_owned()));
    }
    q.order(inv::created_at.desc()).limit(limit).select(Invoice::as_select()).load(conn)
}

/// The gateway client (Zarinpal v4).
#[derive(Clone)]
pub struct Gateway {
    http: reqwest::Client,
    base: String,
    merchant_id: String,
    /// Where the payer is sent: `{start}/{authority}`.
    start: String,
}

#[derive(Serialize)]
struct RequestBody<'a> {
    merchant_id: &'a str,
    amount: i64,
    callback_url: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct VerifyBody<'a> {
    merchant_id: &'a str,
    amount: i64,
    authority: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    data: serde_json::Value,
    #[serde(default)]
    errors: serde_json::Value,
}

/// What the gateway says of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Paid (or already verified earlier) with the bank's reference.
    Paid(String),
    /// Not paid, cancelled, or not for this amount: the gateway's code.
    Refused(i64),
}

impl Gateway {
    pub fn from_config(config: &Config) -> Self {
        // A gateway's API answers where it is asked; a redirect is a failure, never followed.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        match &config.payments {
            PaymentSettings::Sandbox => {
                let base =
                    SANDBOX_BASE.get().cloned().unwrap_or_else(|| format!("http://127.0.0.1:8080{SANDBOX_PATH}"));
                // The payer's browser reaches the sandbox on this same site: a relative page.
                Self { http, start: format!("{SANDBOX_PATH}/pg/StartPay"), base, merchant_id: SANDBOX_MERCHANT.into() }
            }
            PaymentSettings::Zarinpal { url, merchant_id } => {
                Self { http, start: format!("{url}/pg/StartPay"), base: url.clone(), merchant_id: merchant_id.clone() }
            }
        }
    }

    async fn call<B: Serialize>(&self, path: &str, body: &B) -> Result<Answer, String> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .map_err(|e| format!("gateway unreachable: {}", e.without_url()))?;
        res.json().await.map_err(|e| format!("gateway answered something unreadable: {e}"))
    }

    fn error_code(a: &Answer) -> i64 {
        a.errors.get("code").and_then(|c| c.as_i64()).unwrap_or(-1)
    }

    /// Asks for a payment token; returns it and the page to send the payer to.
    pub async fn request(
        &self,
        amount: i64,
        callback_url: &str,
        description: &str,
    ) -> Result<(String, String), String> {
        let body = RequestBody { merchant_id: &self.merchant_id, amount, callback_url, description };
        let answer = self.call("/pg/v4/payment/request.json", &body).await?;
        match (answer.data.get("code").and_then(|c| c.as_i64()), answer.data.get("authority").and_then(|a| a.as_str()))
        {
            (Some(100), Some(authority)) => Ok((authority.to_owned(), format!("{}/{authority}", self.start))),
            _ => Err(format!("gateway refused the request (code {})", Self::error_code(&answer))),
        }
    }

    /// Verifies a payment for the amount we expect.
    pub async fn verify(&self, authority: &str, amount: i64) -> Result<Verification, String> {
        let body = VerifyBody { merchant_id: &self.merchant_id, amount, authority };
        let answer = self.call("/pg/v4/payment/verify.json", &body).await?;
        match answer.data.get("code").and_then(|c| c.as_i64()) {
            Some(100 | 101) => {
                let ref_id =
                    answer.data.get("ref_id").map(|r| r.to_string().trim_matches('"').to_owned()).unwrap_or_default();
                Ok(Verification::Paid(ref_id))
            }
            _ => Ok(Verification::Refused(Self::error_code(&answer))),
        }
    }
}

/// What settling an invoice came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    Paid,
    Unpaid,
}

/// Settles an invoice with the gateway. Safe to call any number of times, concurrently, from
/// several processes: the conditional update lets exactly one caller credit it and run its
/// purpose's handler, in one transaction.
pub async fn settle(state: &AppState, invoice_id: &str) -> Result<Settlement, ApiError> {
    let id = invoice_id.to_owned();
    let invoice = state.db(move |conn| get(conn, &id)?.ok_or(ApiError::NotFound)).await?;
    if invoice.status == status::PAID {
        return Ok(Settlement::Paid);
    }
    let Some(authority) = invoice.authority.clone() else { return Ok(Settlement::Unpaid) };
    let gateway = Gateway::from_config(&state.config);
    let verdict = gateway.verify(&authority, invoice.amount_rials).await.map_err(|e| {
        tracing::warn!(invoice = %invoice.id, error = %e, "payment verification unavailable");
        ApiError::Unavailable
    })?;
    let Verification::Paid(ref_id) = verdict else { return Ok(Settlement::Unpaid) };
    let hooks = state.hooks.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let won = diesel::update(
                    inv::table.find(&invoice.id).filter(inv::status.eq(status::PENDING)).filter(inv::authority.eq(&authority)),
                )
                .set((inv::status.eq(status::PAID), inv::ref_id.eq(&ref_id), inv::paid_at.eq(now())))
                .execute(conn)?;
                if won == 1 {
                    send_receipt(conn, &invoice, &ref_id)?;
                    for (purpose, handler) in &hooks.payment_handlers {
                        if *purpose == invoice.purpose {
                            handler(conn, &invoice)?;
                        }
                    }
                    diesel::update(inv::table.find(&invoice.id)).set(inv::handled_at.eq(now())).execute(conn)?;
                    let after = serde_json::json!({"amount_rials": invoice.amount_rials, "ref_id": ref_id, "purpose": invoice.purpose});
                    audit::record(conn, Event::new("invoice.paid", "invoice", Some(&invoice.id)).by(&invoice.payer_id).states(None, Some(after)))?;
                }
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(Settlement::Paid)
}

/// Tells the payer (SMS and e-mail, where known) that the payment arrived, with the bank's
/// reference.
fn send_receipt(conn: &mut DbConn, invoice: &Invoice, ref_id: &str) -> Result<(), ApiError> {
    use crate::db::schema::persons;
    use crate::platform::outbox::{self, Channel, NewMessage};
    let (mobile, email): (Option<String>, Option<String>) =
        persons::table.find(&invoice.payer_id).select((persons::mobile, persons::email)).first(conn)?;
    let body = format!(
        "انجمن: پرداخت {} ریال بابت «{}» انجام شد. کد پیگیری: {ref_id}\n\
         Anjoman: your payment of {} rials for \"{}\" was received. Reference: {ref_id}",
        crate::dates::number_fa(invoice.amount_rials),
        invoice.description,
        invoice.amount_rials,
        invoice.description
    );
    for (channel, recipient) in [(Channel::Sms, mobile), (Channel::Email, email)] {
        if let Some(to) = recipient {
            outbox::enqueue(
                conn,
                NewMessage {
                    channel,
                    recipient: &to,
                    subject: Some("انجمن: رسید پرداخت / Anjoman payment receipt"),
                    body: &body,
                    purpose: "payment_receipt",
                    template: None,
                    urgent: false,
                },
            )?;
        }
    }
    Ok(())
}

/// Invoices whose payment started long enough ago without a callback.
pub fn unsettled(conn: &mut DbConn, older_than: Duration, limit: i64) -> QueryResult<Vec<String>> {
    let before = now() - chrono::Duration::from_std(older_than).unwrap_or_default();
    inv::table
        .filter(inv::status.eq(status::PENDING))
        .filter(inv::authority.is_not_null())
        .filter(inv::payment_started_at.lt(before))
        .filter(inv::payment_started_at.gt(before - chrono::Duration::days(2)))
        .order(inv::payment_started_at.asc())
        .limit(limit)
        .select(inv::id)
        .load(conn)
}

/// The reconciliation worker: asks the gateway about payments whose callback never came.
pub async fn reconcile_forever(state: AppState) {
    let every = Duration::from_secs(state.config.reconcile_after.as_secs().clamp(1, 60));
    loop {
        actix_web::rt::time::sleep(every).await;
        let after = state.config.reconcile_after;
        let ids = match state.db(move |conn| Ok(unsettled(conn, after, 50)?)).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::error!(error = %e, "reconciliation query failed");
                continue;
            }
        };
        for id in ids {
            match settle(&state, &id).await {
                Ok(Settlement::Paid) => tracing::info!(invoice = %id, "payment settled by reconciliation"),
                Ok(Settlement::Unpaid) => {}
                Err(e) => tracing::warn!(invoice = %id, error = %e, "reconciliation failed"),
            }
        }
    }
}
