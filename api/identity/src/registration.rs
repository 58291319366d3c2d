//! Registration (ID-01..04) and the captcha that guards it and the other anonymous forms.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{captcha, password};
use anjoman_core::db::write_tx;
use anjoman_core::http::{AppState, client_ip};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::IdentityError;
use crate::rules::{self, RegistrationInput};
use crate::store::{self};

#[derive(Serialize, ToSchema)]
pub struct CaptchaResponse {
    /// Send back with the answer as `captcha_id`.
    pub captcha_id: String,
    /// The numeric image, PNG, base64-encoded.
    pub image_png_base64: String,
    /// Seconds until it expires.
    pub expires_in: u64,
}

/// A new captcha (کد امنیتی): a numeric image, single use, valid for two minutes.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "A new captcha", body = CaptchaResponse))
)]
#[get("/auth/captcha")]
pub async fn captcha_new(state: web::Data<AppState>) -> Result<web::Json<CaptchaResponse>, ApiError> {
    let ttl = state.config.captcha_ttl;
    let (captcha_id, png) = state.db(move |conn| captcha::create(conn, ttl)).await?;
    Ok(web::Json(CaptchaResponse {
        captcha_id,
        image_png_base64: base64::engine::general_purpose::STANDARD.encode(png),
        expires_in: ttl.as_secs(),
    }))
}

/// Checks the captcha unless it is switched off for automated tests.
pub(crate) fn check_captcha(
    state: &AppState,
    conn: &mut anjoman_core::db::DbConn,
    id: Option<&str>,
    answer: Option<&str>,
) -> Result<(), ApiError> {
    if state.config.captcha_enabled { captcha::verify(conn, id, answer) } else { Ok(()) }
}

#[derive(Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// Ten digits; Persian and Arabic-Indic digits are accepted.
    #[schema(example = "0499370899")]
    pub national_code: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    /// Iranian mobile, e.g. 09121234567; may be completed later.
    pub mobile: Option<String>,
    /// May be completed later.
    pub email: Option<String>,
    pub captcha_id: Option<String>,
    pub captcha_answer: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonResponse {
    pub id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
    /// Gregorian `YYYY-MM-DD`; the web client shows it in the Jalali calendar.
    pub birth_date: Option<chrono::NaiveDate>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<store::Person> for PersonResponse {
    fn from(p: store::Person) -> Self {
        Self {
            id: p.id,
            national_code: p.national_code,
            first_name: p.first_name,
            last_name: p.last_name,
            mobile: p.mobile,
            email: p.email,
            birth_date: p.birth_date,
            created_at: p.created_at.and_utc(),
        }
    }
}

/// Self-registration (ID-02): national code, password, name and contacts, with a captcha.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered", body = PersonResponse),
        (status = 400, description = "Invalid fields or captcha", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_registered`: the national code has an account; `record_claim_by_recovery`: an organisation recorded it, and its owner gets the account through \"forgot password\" with a code sent to the recorded contacts; `record_without_contact`: recorded without contacts, so the organisation must record one first", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let person = rules::registration(
        &state.config.password,
        &RegistrationInput {
            national_code: &body.national_code,
            password: &body.password,
            first_name: &body.first_name,
            last_name: &body.last_name,
            mobile: body.mobile.as_deref(),
            email: body.email.as_deref(),
        },
    )?;
    let params = state.config.argon2.clone();
    let pw = body.password.clone();
    let hash = state.blocking(move || password::hash_password(&params, &pw)).await?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let st = state.clone();
    let created = state
        .db(move |conn| {
            check_captcha(&st, conn, body.captcha_id.as_deref(), body.captcha_answer.as_deref())?;
            write_tx(conn, |conn| {
                // A password equal to the national code is refused by the policy, so a new
                // self-registered account never starts with a forced change.
                let id = match store::person_id_by_code(conn, person.national_code.as_str())? {
                    Some(id) if store::account(conn, &id)?.is_some() => {
                        return Err(IdentityError::AlreadyRegistered.into());
                    }
                    // Recorded by an organisation without an account (AS-04, TO-10, EN-01):
                    // whoever types the national code is not thereby its owner. The owner
                    // proves the recorded mobile or e-mail through "forgot password", which
                    // opens the account; the recorded contacts are never replaced.
                    Some(id) => return Err(record_needs_claim(conn, &id)?),
                    None => store::insert_person(conn, &person, &hash, false).map_err(|e| match ApiError::from(e) {
                        // Lost a race with a concurrent registration of the same code.
                        ApiError::Conflict { .. } => IdentityError::AlreadyRegistered.into(),
                        other => other,
                    })?,
                };
                audit::record(
                    conn,
                    Event::new("person.registered", "person", Some(&id))
                        .by(&id)
                        .from_ip(&ip)
                        .states(None, Some(serde_json::json!({"national_code": person.national_code.as_str()}))),
                )?;
                store::person(conn, &id)?.ok_or(ApiError::Internal)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(PersonResponse::from(created)))
}

/// Why a recorded person cannot simply register: `record_claim_by_recovery` when the record has
/// a mobile or e-mail to send a code to, `record_without_contact` otherwise.
fn record_needs_claim(conn: &mut anjoman_core::db::DbConn, id: &str) -> Result<ApiError, ApiError> {
    let recorded = store::person(conn, id)?.ok_or(ApiError::Internal)?;
    Ok(if recorded.mobile.is_some() || recorded.email.is_some() {
        IdentityError::RecordClaimByRecovery.into()
    } else {
        IdentityError::RecordWithoutContact.into()
    })
}
