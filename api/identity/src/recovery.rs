//! Password recovery (ID-05, ID-03).
//!
//! Option 1: a one-time code goes to the registered mobile (SMS) and e-mail; with it the person
//! sets a new password. Option 2 (natural persons only, never association admins): the page
//! shows a code that the person texts from the registered mobile to the system's number; when
//! it arrives the password becomes the national code, to be changed at the next login. Known
//! and unknown national codes get the same answers.
//!
//! Recovery is also how a person recorded by an organisation (imported, or registered by an
//! admin) gets their account: proving the recorded mobile or e-mail opens it (`person.claimed`).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::throttle::{self, Key};
use anjoman_core::auth::{Role, password};
use anjoman_core::db::schema::sms_recovery_requests as srr;
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::{AppState, InboundSms, client_ip};
use anjoman_core::platform::otp::{self, Check};
use anjoman_core::platform::outbox::{self, Channel, NewMessage};
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use diesel::prelude::*;
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::IdentityError;
use crate::registration::check_captcha;
use crate::{rules, store};

const RESET_PURPOSE: &str = "password_reset";
/// The SMS gateway's template for reset codes (`verify/lookup`).
const RESET_TEMPLATE: &str = "anjoman-reset";
const SMS_CODE_MINUTES: i64 = 15;

#[derive(Deserialize, ToSchema)]
pub struct RecoveryRequest {
    #[schema(example = "0499370899")]
    pub national_code: String,
    pub captcha_id: Option<String>,
    pub captcha_answer: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryAccepted {
    /// The same for every national code, registered or not.
    pub message: String,
}

fn parse_code(value: &str) -> Result<NationalCode, ApiError> {
    let mut errors = FieldErrors::new();
    let code = rules::national_code(&mut errors, "national_code", value);
    errors.into_result()?;
    code.ok_or(ApiError::Internal)
}

/// What both recovery options check first: not asked too often for this national code, and
/// the captcha. Returns the throttle key every request counts against.
fn admit(state: &AppState, conn: &mut DbConn, code: &NationalCode, body: &RecoveryRequest) -> Result<Key, ApiError> {
    let key = Key { name: format!("recovery:{code}"), free_attempts: 3 };
    if let Some(secs) = throttle::blocked_for(conn, std::slice::from_ref(&key))? {
        return Err(ApiError::Throttled { retry_after_secs: secs });
    }
    check_captcha(state, conn, body.captcha_id.as_deref(), body.captcha_answer.as_deref())?;
    Ok(key)
}

fn lang(req: &HttpRequest) -> anjoman_core::Lang {
    anjoman_core::Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()))
}

/// A new reset code, sent urgently by SMS and e-mail to the contacts the person has.
fn send_reset_code(conn: &mut DbConn, person: &store::Person) -> Result<(), ApiError> {
    let otp = otp::issue(conn, &person.id, RESET_PURPOSE)?;
    let text = format!(
        "انجمن — کد بازیابی رمز عبور: {otp}\nاین کد ۱۰ دقیقه معتبر است. آن را به کسی ندهید.\n\
         Anjoman password reset code: {otp} (valid for 10 minutes)."
    );
    if let Some(mobile) = &person.mobile {
        outbox::enqueue(
            conn,
            NewMessage {
                channel: Channel::Sms,
                recipient: mobile,
                subject: None,
                body: &text,
                purpose: RESET_PURPOSE,
                template: Some((RESET_TEMPLATE, &otp)),
                urgent: true,
            },
        )?;
    }
    if let Some(email) = &person.email {
        outbox::enqueue(
            conn,
            NewMessage {
                channel: Channel::Email,
                recipient: email,
                subject: Some("انجمن: کد بازیابی رمز عبور / Anjoman password reset code"),
                body: &text,
                purpose: RESET_PURPOSE,
                template: None,
                urgent: true,
            },
        )?;
    }
    Ok(())
}

/// Option 1: sends a reset code to the registered mobile and e-mail.
#[utoipa::path(
    tag = "auth",
    request_body = RecoveryRequest,
    responses(
        (status = 202, description = "Sent if the national code is registered (same answer either way)", body = RecoveryAccepted),
        (status = 400, description = "Invalid national code or captcha", body = anjoman_core::error::ErrorBody),
        (status = 429, description = "Asked too often", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/recovery")]
async fn request_reset_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RecoveryRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let code = parse_code(&body.national_code)?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let st = state.clone();
    state
        .db(move |conn| {
            let key = admit(&st, conn, &code, &body)?;
            write_tx(conn, |conn| {
                // Every request counts, so codes cannot be requested endlessly.
                throttle::record_failure(conn, &st.config.throttle, std::slice::from_ref(&key))?;
                let Some(person) = store::person_by_code(conn, code.as_str())? else { return Ok(()) };
                if person.mobile.is_none() && person.email.is_none() {
                    return Ok(());
                }
                send_reset_code(conn, &person)?;
                audit::record(conn, Event::new("auth.recovery_code_sent", "person", Some(&person.id)).from_ip(&ip))?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    let message = Msg::new(
        "اگر این کد ملی ثبت شده باشد، کد بازیابی به تلفن همراه و رایانامهٔ ثبت‌شده فرستاده شد.",
        "If this national code is registered, a reset code was sent to the registered mobile and e-mail.",
    );
    Ok(HttpResponse::Accepted().json(RecoveryAccepted { message: message.get(lang(&req)).to_owned() }))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetRequest {
    pub national_code: String,
    /// The six-digit code from the SMS or e-mail.
    pub code: String,
    pub new_password: String,
}

fn invalid_code() -> ApiError {
    ApiError::field("code", "کد نادرست است یا منقضی شده است.", "The code is wrong or has expired.")
}

/// Option 1, second step: the code and a new password. All sessions are signed out.
#[utoipa::path(
    tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 204, description = "The password was changed"),
        (status = 400, description = "Wrong or expired code, or a password the policy refuses", body = anjoman_core::error::ErrorBody),
        (status = 429, description = "Too many wrong codes: ask for a new one", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/recovery/reset")]
async fn reset_with_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let code = parse_code(&body.national_code)?;
    let mut errors = FieldErrors::new();
    rules::password(&mut errors, "new_password", &state.config.password, &body.new_password, Some(&code));
    errors.into_result()?;
    let params = state.config.argon2.clone();
    let pw = body.new_password.clone();
    let hash = state.blocking(move || password::hash_password(&params, &pw)).await?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let account_key = Key::account(&state.config.throttle, code.as_str());
    // The check is committed whatever it finds, so wrong tries count; errors come after.
    let check = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let Some(person) = store::person_by_code(conn, code.as_str())? else { return Ok(Check::Missing) };
                let check = otp::verify(conn, &person.id, RESET_PURPOSE, &body.code)?;
                if check == Check::Accepted {
                    if store::set_or_open_password(conn, &person.id, &hash, false)? {
                        // A recorded person proved the recorded contact: the account is theirs.
                        audit::record(
                            conn,
                            Event::new("person.claimed", "account", Some(&person.id)).by(&person.id).from_ip(&ip),
                        )?;
                    }
                    store::revoke_all_sessions(conn, &person.id, "password_reset")?;
                    // A new password lifts any login delay on the account.
                    throttle::clear(conn, &account_key)?;
                    audit::record(
                        conn,
                        Event::new("auth.password_reset", "account", Some(&person.id)).by(&person.id).from_ip(&ip),
                    )?;
                }
                Ok::<_, ApiError>(check)
            })
        })
        .await?;
    match check {
        Check::Accepted => {}
        Check::Exhausted => {
            return Err(IdentityError::CodeAttemptsExhausted.into());
        }
        Check::Wrong | Check::Missing => return Err(invalid_code()),
    }
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct SmsRecoveryResponse {
    /// Poll `GET /auth/recovery/sms/{id}` with this.
    pub id: String,
    /// The code to text.
    pub code: String,
    /// The system's number to text it to.
    pub system_number: String,
    pub expires_in: u64,
}

fn sms_code() -> String {
    let mut rng = rand::thread_rng();
    (0..7).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

/// Why a person may not use SMS recovery, if they may not.
fn sms_recovery_refusal(state: &AppState, conn: &mut DbConn, person_id: &str) -> Result<Option<ApiError>, ApiError> {
    if store::has_role(conn, person_id, Role::AssociationAdmin)?
        || store::has_role(conn, person_id, Role::CommissionAdmin)?
    {
        return Ok(Some(IdentityError::SmsRecoveryNotForAdmins.into()));
    }
    for guard in &state.hooks.sms_recovery_guards {
        if let Some(reason) = guard(conn, person_id)? {
            return Ok(Some(IdentityError::SmsRecoveryUnavailable(reason).into()));
        }
    }
    Ok(None)
}

/// Option 2: a code to text from the registered mobile to the system's number.
#[utoipa::path(
    tag = "auth",
    request_body = RecoveryRequest,
    responses(
        (status = 201, description = "The code to send (the same for every national code)", body = SmsRecoveryResponse),
        (status = 400, description = "Invalid national code or captcha", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "Not available to this person now (administrators, open elections)", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/recovery/sms")]
async fn request_sms_recovery(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RecoveryRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let code = parse_code(&body.national_code)?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let st = state.clone();
    let created = state
        .db(move |conn| {
            let key = admit(&st, conn, &code, &body)?;
            let person = store::person_by_code(conn, code.as_str())?;
            if let Some(p) = &person
                && let Some(refusal) = sms_recovery_refusal(&st, conn, &p.id)?
            {
                return Err(refusal);
            }
            write_tx(conn, |conn| {
                throttle::record_failure(conn, &st.config.throttle, std::slice::from_ref(&key))?;
                let (id, sms) = (new_id(), sms_code());
                let expires_at = now() + chrono::Duration::minutes(SMS_CODE_MINUTES);
                store::insert_sms_recovery(conn, &id, &sms, person.as_ref().map(|p| p.id.as_str()), expires_at)?;
                if let Some(p) = &person {
                    audit::record(conn, Event::new("auth.sms_recovery_requested", "person", Some(&p.id)).from_ip(&ip))?;
                }
                Ok::<_, ApiError>((id, sms))
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(SmsRecoveryResponse {
        id: created.0,
        code: created.1,
        system_number: state.config.sms_sender.clone(),
        expires_in: (SMS_CODE_MINUTES * 60) as u64,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct SmsRecoveryStatus {
    /// `pending`, `completed` (sign in with the national code as password) or `expired`.
    pub status: String,
}

/// Whether the texted code has arrived; the page polls this and confirms by itself.
#[utoipa::path(
    tag = "auth",
    params(("id" = String, Path, description = "From the request")),
    responses(
        (status = 200, description = "The request's state", body = SmsRecoveryStatus),
        (status = 404, description = "Unknown request", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/auth/recovery/sms/{id}")]
async fn sms_recovery_status(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<SmsRecoveryStatus>, ApiError> {
    let id = id.into_inner();
    let row = state.db(move |conn| store::sms_recovery_state(conn, &id)?.ok_or(ApiError::NotFound)).await?;
    let status = if row.0 == "pending" && row.1 < now() { "expired".to_owned() } else { row.0 };
    Ok(web::Json(SmsRecoveryStatus { status }))
}

/// Handles a texted recovery code: from the person's registered mobile, within its time, the
/// password becomes the national code and must be changed at the next login.
pub fn handle_recovery_sms(state: &AppState, conn: &mut DbConn, sms: &InboundSms) -> Result<Option<String>, ApiError> {
    if sms.text.len() != 7 || !sms.text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let request: Option<(String, Option<String>, chrono::NaiveDateTime)> = srr::table
        .filter(srr::code.eq(&sms.text))
        .filter(srr::status.eq("pending"))
        .select((srr::id, srr::person_id, srr::expires_at))
        .first(conn)
        .optional()?;
    let Some((id, Some(person_id), expires_at)) = request else { return Ok(Some("recovery_code_unknown".into())) };
    if expires_at < now() {
        return Ok(Some("recovery_code_expired".into()));
    }
    let Some(person) = store::person(conn, &person_id)? else { return Ok(Some("recovery_code_unknown".into())) };
    if person.mobile.as_deref() != Some(sms.from.as_str()) {
        return Ok(Some("recovery_from_unregistered_mobile".into()));
    }
    if sms_recovery_refusal(state, conn, &person.id)?.is_some() {
        return Ok(Some("recovery_refused".into()));
    }
    let hash = password::hash_password(&state.config.argon2, &person.national_code);
    if store::set_or_open_password(conn, &person.id, &hash, true)? {
        audit::record(conn, Event::new("person.claimed", "account", Some(&person.id)).by(&person.id))?;
    }
    store::revoke_all_sessions(conn, &person.id, "password_reset")?;
    diesel::update(srr::table.find(&id))
        .set((srr::status.eq("completed"), srr::completed_at.eq(now())))
        .execute(conn)?;
    audit::record(conn, Event::new("auth.password_reset_by_sms", "account", Some(&person.id)).by(&person.id))?;
    Ok(Some("password_reset".into()))
}
