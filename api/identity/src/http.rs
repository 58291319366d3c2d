//! Auth endpoints (`/api/v1/auth/…`) and the caller's own profile (`/api/v1/me`).

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::throttle::{self, Key};
use anjoman_core::auth::{AuthUser, CurrentUser, Grant, captcha, load_grants, password};
use anjoman_core::db::write_tx;
use anjoman_core::http::{AppState, client_ip};
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::rules::{self, RegistrationInput};
use crate::store::{self, Refresh};

/// The refresh-token cookie the SPA receives (httpOnly, SameSite=Strict, only sent to auth).
pub const REFRESH_COOKIE: &str = "anjoman_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(captcha_new)
        .service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(change_password)
        .service(me)
        .service(update_me)
        .service(crate::recovery::request_reset_code)
        .service(crate::recovery::reset_with_code)
        .service(crate::recovery::request_sms_recovery)
        .service(crate::recovery::sms_recovery_status)
        .service(crate::sms::receive)
        .service(crate::sso::sso_info)
        .service(crate::sso::sso_start)
        .service(crate::sso::sso_callback)
        .service(crate::roles::list_grants)
        .service(crate::roles::grantable_roles)
        .service(crate::roles::create_grant)
        .service(crate::roles::revoke_grant)
        .service(crate::accounts::list_people)
        .service(crate::accounts::disable_account)
        .service(crate::accounts::enable_account)
        .service(crate::accounts::my_sessions)
        .service(crate::accounts::end_session)
        .service(crate::accounts::end_other_sessions);
}

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
async fn captcha_new(state: web::Data<AppState>) -> Result<web::Json<CaptchaResponse>, ApiError> {
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
async fn register(
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
                let race = |e: diesel::result::Error| match ApiError::from(e) {
                    // Lost a race with a concurrent registration of the same code.
                    ApiError::Conflict { .. } => already_registered(),
                    other => other,
                };
                // A password equal to the national code is refused by the policy, so a new
                // self-registered account never starts with a forced change.
                let id = match store::person_id_by_code(conn, person.national_code.as_str())? {
                    Some(id) if store::account(conn, &id)?.is_some() => return Err(already_registered()),
                    // Recorded by an organisation without an account (AS-04, TO-10, EN-01):
                    // whoever types the national code is not thereby its owner. The owner
                    // proves the recorded mobile or e-mail through "forgot password", which
                    // opens the account; the recorded contacts are never replaced.
                    Some(id) => return Err(record_needs_claim(conn, &id)?),
                    None => store::insert_person(conn, &person, &hash, false).map_err(race)?,
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
        ApiError::Conflict {
            code: "record_claim_by_recovery",
            msg: Msg::new(
                "این کد ملی را یک انجمن یا سازمان پیش‌تر ثبت کرده است. برای دریافت حساب، «فراموشی رمز عبور» را بزنید: کدی به تلفن همراه یا رایانامه‌ای که ثبت کرده‌اند فرستاده می‌شود.",
                "An association or organisation has already recorded this national code. To get your account, use \"forgot password\": a code is sent to the mobile or e-mail they recorded.",
            ),
        }
    } else {
        ApiError::Conflict {
            code: "record_without_contact",
            msg: Msg::new(
                "این کد ملی را یک انجمن یا سازمان بدون تلفن همراه و رایانامه ثبت کرده است؛ از آن بخواهید تلفن همراه یا رایانامهٔ شما را ثبت کند، سپس «فراموشی رمز عبور» را بزنید.",
                "An association or organisation has recorded this national code without a mobile or e-mail; ask them to record yours, then use \"forgot password\".",
            ),
        }
    })
}

fn already_registered() -> ApiError {
    ApiError::Conflict {
        code: "already_registered",
        msg: Msg::new(
            "این کد ملی پیش‌تر ثبت‌نام شده است؛ وارد شوید یا از «فراموشی رمز عبور» استفاده کنید.",
            "This national code is already registered; sign in or use \"forgot password\".",
        ),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "0499370899")]
    pub national_code: String,
    pub password: String,
    pub captcha_id: Option<String>,
    pub captcha_answer: Option<String>,
    /// The SPA sets this: the refresh token then comes as an httpOnly cookie, not in the body.
    #[serde(default)]
    pub use_cookie: bool,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct RefreshRequest {
    /// The refresh token from login; the SPA leaves it out and relies on the cookie.
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub use_cookie: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Opaque, single use; absent when it was set as a cookie.
    pub refresh_token: Option<String>,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// When true, only `change-password`, `me` and `logout` are allowed until it is changed.
    pub must_change_password: bool,
}

pub(crate) fn refresh_cookie(state: &AppState, value: &str, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value.to_owned())
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.cookie_secure)
        .max_age(max_age)
        .finish()
}

fn token_response(
    state: &AppState,
    person_id: &str,
    session_id: &str,
    refresh_token: String,
    must_change_password: bool,
    use_cookie: bool,
) -> Result<HttpResponse, ApiError> {
    let access_token = state.jwt.issue(person_id, session_id).map_err(|e| {
        tracing::error!(error = %e, "cannot sign an access token");
        ApiError::Internal
    })?;
    let mut res = HttpResponse::Ok();
    res.insert_header(("Cache-Control", "no-store"));
    let refresh_token = if use_cookie {
        let max_age = CookieDuration::seconds(state.config.refresh_token_ttl.as_secs() as i64);
        res.cookie(refresh_cookie(state, &refresh_token, max_age));
        None
    } else {
        Some(refresh_token)
    };
    Ok(res.json(TokenResponse {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: state.jwt.ttl().as_secs(),
        must_change_password,
    }))
}

/// Login with national code, password and captcha (ID-06, ID-07). Wrong and unknown national
/// codes get the same answer; repeated failures are delayed (`429` with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Invalid fields or captcha", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "`invalid_credentials`", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "`account_disabled`: the password was right but the account is disabled", body = anjoman_core::error::ErrorBody),
        (status = 429, description = "`too_many_attempts`; see `Retry-After`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::new();
    let code = rules::national_code(&mut errors, "national_code", &body.national_code);
    if body.password.is_empty() {
        errors.add("password", Msg::new("رمز عبور را وارد کنید.", "Enter your password."));
    } else if body.password.chars().count() > 1024 {
        errors.add("password", Msg::new("رمز عبور بیش از حد بلند است.", "The password is too long."));
    }
    errors.into_result()?;
    let code: NationalCode = code.ok_or(ApiError::Internal)?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let policy = state.config.throttle.clone();
    let keys = vec![Key::account(&policy, code.as_str()), Key::client(&policy, &ip)];

    let (st, k, c) = (state.clone(), keys.clone(), code.clone());
    let account = state
        .db(move |conn| {
            if let Some(secs) = throttle::blocked_for(conn, &k)? {
                return Err(ApiError::Throttled { retry_after_secs: secs });
            }
            check_captcha(&st, conn, body.captcha_id.as_deref(), body.captcha_answer.as_deref())?;
            Ok(store::account_by_code(conn, c.as_str())?)
        })
        .await?;

    // Unknown accounts are checked against a dummy hash so both answers take as long.
    let params = state.config.argon2.clone();
    let stored = account.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| state.dummy_hash.to_string());
    let pw = body.password.clone();
    let matches = state.blocking(move || password::verify_password(&params, &stored, &pw)).await?;
    if let Some(acc) = account.as_ref().filter(|a| matches && a.disabled) {
        let (person, ip) = (acc.person_id.clone(), ip.clone());
        state
            .db(move |conn| {
                Ok(audit::record(
                    conn,
                    Event::new("auth.login_refused_disabled", "account", Some(&person)).from_ip(&ip),
                )?)
            })
            .await?;
        return Err(account_disabled());
    }
    let ok_account = account.filter(|_| matches);
    let client = store::SessionClient::of(&req, &ip);
    let rehashed = match ok_account.as_ref().filter(|a| password::needs_rehash(&a.password_hash)) {
        Some(_) => {
            let (params, pw) = (state.config.argon2.clone(), body.password.clone());
            Some(state.blocking(move || password::hash_password(&params, &pw)).await?)
        }
        None => None,
    };

    let ttl = state.config.refresh_token_ttl;
    let password_is_code = body.password == code.as_str();
    let outcome = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let Some(acc) = ok_account else {
                    throttle::record_failure(conn, &policy, &keys)?;
                    audit::record(conn, Event::new("auth.login_failed", "account", Some(code.as_str())).from_ip(&ip))?;
                    return Ok(None);
                };
                throttle::clear(conn, &keys[0])?;
                let must_change = acc.must_change_password || password_is_code;
                if must_change && !acc.must_change_password {
                    store::require_password_change(conn, &acc.person_id)?;
                }
                if let Some(hash) = &rehashed {
                    // A hash carried over from another system, replaced now that the password
                    // is known to match it (the account keeps its password).
                    store::replace_hash(conn, &acc.person_id, &acc.password_hash, hash)?;
                    audit::record(conn, Event::new("auth.password_rehashed", "account", Some(&acc.person_id)))?;
                }
                let (session_id, token) = store::create_session(conn, &acc.person_id, ttl, &client)?;
                audit::record(
                    conn,
                    Event::new("auth.login", "session", Some(&session_id)).by(&acc.person_id).from_ip(&ip),
                )?;
                Ok::<_, ApiError>(Some((acc.person_id, session_id, token, must_change)))
            })
        })
        .await?;
    let Some((person_id, session_id, token, must_change)) = outcome else {
        return Err(ApiError::InvalidCredentials);
    };
    token_response(&state, &person_id, &session_id, token, must_change, body.use_cookie)
}

/// Sign-in refused to a disabled account (told only to someone who knows its password).
pub fn account_disabled() -> ApiError {
    ApiError::Denied {
        code: "account_disabled",
        msg: Msg::new(
            "این حساب کاربری را مدیران سامانه غیرفعال کرده‌اند؛ برای پیگیری با دبیرخانه تماس بگیرید.",
            "This account has been disabled by the administrators; contact the secretariat.",
        ),
    }
}

fn invalid_refresh() -> ApiError {
    ApiError::Unauthorized(Msg::new(
        "نشست شما معتبر نیست یا پایان یافته است؛ دوباره وارد شوید.",
        "Your session is invalid or has ended; please sign in again.",
    ))
}

/// Exchanges a refresh token (body or cookie) for new tokens. Each refresh token works once;
/// presenting a used one revokes the whole session.
#[utoipa::path(
    tag = "auth",
    request_body(content = RefreshRequest, description = "May be empty when the cookie is sent"),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Invalid, expired or reused refresh token", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    let from_cookie = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned());
    let use_cookie = body.use_cookie || (body.refresh_token.is_none() && from_cookie.is_some());
    let token =
        body.refresh_token.or(from_cookie).filter(|t| !t.is_empty() && t.len() <= 256).ok_or_else(invalid_refresh)?;
    let ttl = state.config.refresh_token_ttl;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let outcome = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let outcome = store::rotate_refresh(conn, &token, ttl)?;
                let must_change = match &outcome {
                    Refresh::Reused { person_id, session_id } => {
                        audit::record(
                            conn,
                            Event::new("auth.refresh_token_reused", "session", Some(session_id))
                                .by(person_id)
                                .from_ip(&ip),
                        )?;
                        false
                    }
                    Refresh::Rotated { person_id, .. } => {
                        store::account(conn, person_id)?.is_some_and(|a| a.must_change_password)
                    }
                    Refresh::Invalid => false,
                };
                Ok::<_, ApiError>((outcome, must_change))
            })
        })
        .await?;
    match outcome {
        (Refresh::Rotated { person_id, session_id, token }, must_change) => {
            token_response(&state, &person_id, &session_id, token, must_change, use_cookie)
        }
        _ => Err(invalid_refresh()),
    }
}

/// Ends the caller's session: its refresh tokens and access tokens stop working at once.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::revoke_session(conn, &user.session_id, "logout")?;
                audit::record(
                    conn,
                    Event::new("auth.logout", "session", Some(&user.session_id)).by(&user.person_id).from_ip(&ip),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().cookie(refresh_cookie(&state, "", CookieDuration::ZERO)).finish())
}

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the caller's password; allowed (and required) when a change is forced. Other
/// sessions of the person are signed out.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "The new password does not meet the policy", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "Not signed in", body = anjoman_core::error::ErrorBody),
        (status = 429, description = "Too many wrong current passwords", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/change-password")]
async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let person_id = user.person_id.clone();
    let (person, account) = state
        .db(move |conn| {
            let p = store::person(conn, &person_id)?.ok_or(ApiError::NotFound)?;
            let a = store::account(conn, &person_id)?.ok_or(ApiError::NotFound)?;
            Ok((p, a))
        })
        .await?;
    let code = NationalCode::parse(&person.national_code).map_err(|_| ApiError::Internal)?;
    let mut errors = FieldErrors::new();
    rules::password(&mut errors, "new_password", &state.config.password, &body.new_password, Some(&code));
    if body.new_password == body.current_password {
        errors.add(
            "new_password",
            Msg::new(
                "رمز عبور تازه باید با رمز کنونی فرق داشته باشد.",
                "The new password must differ from the current one.",
            ),
        );
    }
    errors.into_result()?;

    let policy = state.config.throttle.clone();
    let key = Key::account(&policy, code.as_str());
    let k = key.clone();
    if let Some(secs) = state.db(move |conn| Ok(throttle::blocked_for(conn, &[k])?)).await? {
        return Err(ApiError::Throttled { retry_after_secs: secs });
    }
    let params = state.config.argon2.clone();
    let (current, new) = (body.current_password, body.new_password);
    let stored = account.password_hash;
    let (ok, new_hash) = state
        .blocking(move || {
            let ok = password::verify_password(&params, &stored, &current);
            (ok, ok.then(|| password::hash_password(&params, &new)))
        })
        .await?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let changed = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let Some(hash) = new_hash.filter(|_| ok) else {
                    throttle::record_failure(conn, &policy, std::slice::from_ref(&key))?;
                    return Ok(false);
                };
                store::set_password(conn, &user.person_id, &hash, false)?;
                store::revoke_other_sessions(conn, &user.person_id, &user.session_id, "password_changed")?;
                audit::record(
                    conn,
                    Event::new("auth.password_changed", "account", Some(&user.person_id))
                        .by(&user.person_id)
                        .from_ip(&ip),
                )?;
                Ok::<_, ApiError>(true)
            })
        })
        .await?;
    if !changed {
        return Err(ApiError::field(
            "current_password",
            "رمز عبور کنونی نادرست است.",
            "The current password is incorrect.",
        ));
    }
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    #[serde(flatten)]
    pub person: PersonResponse,
    /// True until the person changes a password that was issued or reset.
    pub must_change_password: bool,
    /// The person's roles, each with its scope.
    pub grants: Vec<Grant>,
}

/// The signed-in person with their role grants.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = MeResponse),
        (status = 401, description = "Not signed in", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/me")]
async fn me(state: web::Data<AppState>, user: CurrentUser) -> Result<web::Json<MeResponse>, ApiError> {
    let must_change_password = user.must_change_password;
    let (person, grants) = state
        .db(move |conn| {
            let p = store::person(conn, &user.person_id)?.ok_or(ApiError::NotFound)?;
            Ok((p, load_grants(conn, &user.person_id)?))
        })
        .await?;
    Ok(web::Json(MeResponse { person: person.into(), must_change_password, grants }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// An empty string removes it.
    pub mobile: Option<String>,
    /// An empty string removes it.
    pub email: Option<String>,
    /// Gregorian `YYYY-MM-DD`; an empty string removes it.
    #[schema(example = "1980-03-20")]
    pub birth_date: Option<String>,
}

/// Completes or corrects the caller's own profile (ID-02 partial profiles, ID-10). Only the
/// fields sent change. Not allowed while a password change is pending.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated person", body = MeResponse),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "Not signed in", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "`password_change_required`", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`profile_locked`: an election of one of the person's associations is open (ID-10); the e-mail can then change only by SMS", body = anjoman_core::error::ErrorBody),
    )
)]
#[patch("/me")]
async fn update_me(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    body: web::Json<UpdateMeRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let changes = rules::profile_changes(
        &rules::ProfileInput {
            first_name: body.first_name.as_deref(),
            last_name: body.last_name.as_deref(),
            mobile: body.mobile.as_deref(),
            email: body.email.as_deref(),
            birth_date: body.birth_date.as_deref(),
        },
        chrono::Utc::now().date_naive(),
    )?;
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let person_id = user.person_id.clone();
    let hooks = state.hooks.clone();
    let (person, grants) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let before = store::person(conn, &person_id)?.ok_or(ApiError::NotFound)?;
                // ID-10: locked while an election of one of the person's associations is open.
                for lock in &hooks.profile_locks {
                    if let Some(reason) = lock(conn, &person_id)? {
                        return Err(ApiError::Conflict { code: "profile_locked", msg: reason });
                    }
                }
                store::update_person(conn, &person_id, &changes)?;
                let after = store::person(conn, &person_id)?.ok_or(ApiError::NotFound)?;
                audit::record(
                    conn,
                    Event::new("person.profile_updated", "person", Some(&person_id))
                        .by(&person_id)
                        .from_ip(&ip)
                        .states(Some(store::profile_json(&before)), Some(store::profile_json(&after))),
                )?;
                Ok::<_, ApiError>((after, load_grants(conn, &person_id)?))
            })
        })
        .await?;
    Ok(web::Json(MeResponse { person: person.into(), must_change_password: false, grants }))
}
