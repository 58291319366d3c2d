//! Signing in and out (ID-06..09): login with the password, the refresh token in its cookie,
//! logout, and the password change that ends the other sessions.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::throttle::{self, Key};
use anjoman_core::auth::{CurrentUser, password};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::{AppState, client_ip};
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::IdentityError;
use crate::registration::check_captcha;
use crate::rules::{self};
use crate::store::{self, Refresh};

/// The refresh-token cookie the SPA receives (httpOnly, SameSite=Strict, only sent to auth).
pub const REFRESH_COOKIE: &str = "anjoman_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

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
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let code = login_form(&body)?;
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

    let (ok_account, rehashed) = check_password(&state, account, &body.password, &ip).await?;
    let client = store::SessionClient::of(&req, &ip);
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
                let (session_id, token, must_change) =
                    open_session(conn, &acc, rehashed.as_deref(), password_is_code, ttl, &client, &ip)?;
                Ok::<_, ApiError>(Some((acc.person_id, session_id, token, must_change)))
            })
        })
        .await?;
    let Some((person_id, session_id, token, must_change)) = outcome else {
        return Err(ApiError::InvalidCredentials);
    };
    token_response(&state, &person_id, &session_id, token, must_change, body.use_cookie)
}

/// The password against the account's hash (an unknown account against a dummy hash, so both
/// answers take as long): the account when it matches, with a new argon2id hash when the stored
/// one came from another system. A disabled account that matches is refused, and that audited.
async fn check_password(
    state: &AppState,
    account: Option<store::Account>,
    given: &str,
    ip: &str,
) -> Result<(Option<store::Account>, Option<String>), ApiError> {
    let params = state.config.argon2.clone();
    let stored = account.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| state.dummy_hash.to_string());
    let pw = given.to_owned();
    let matches = state.blocking(move || password::verify_password(&params, &stored, &pw)).await?;
    if let Some(acc) = account.as_ref().filter(|a| matches && a.disabled) {
        let (person, ip) = (acc.person_id.clone(), ip.to_owned());
        state
            .db(move |conn| {
                Ok(audit::record(
                    conn,
                    Event::new("auth.login_refused_disabled", "account", Some(&person)).from_ip(&ip),
                )?)
            })
            .await?;
        return Err(IdentityError::AccountDisabled.into());
    }
    let ok_account = account.filter(|_| matches);
    let rehashed = match ok_account.as_ref().filter(|a| password::needs_rehash(&a.password_hash)) {
        Some(_) => {
            let (params, pw) = (state.config.argon2.clone(), given.to_owned());
            Some(state.blocking(move || password::hash_password(&params, &pw)).await?)
        }
        None => None,
    };
    Ok((ok_account, rehashed))
}

/// The sign-in form checked: a valid national code and a password of sane length.
fn login_form(body: &LoginRequest) -> Result<NationalCode, ApiError> {
    let mut errors = FieldErrors::new();
    let code = rules::national_code(&mut errors, "national_code", &body.national_code);
    if body.password.is_empty() {
        errors.add("password", Msg::new("رمز عبور را وارد کنید.", "Enter your password."));
    } else if body.password.chars().count() > 1024 {
        errors.add("password", Msg::new("رمز عبور بیش از حد بلند است.", "The password is too long."));
    }
    errors.into_result()?;
    code.ok_or(ApiError::Internal)
}

/// A session for an account whose password matched: a password equal to the national code must
/// be changed first, a hash carried over from another system is replaced (the account keeps its
/// password), and the sign-in is audited. The session's id, its refresh token and whether the
/// password must change.
fn open_session(
    conn: &mut DbConn,
    acc: &store::Account,
    rehashed: Option<&str>,
    password_is_code: bool,
    ttl: std::time::Duration,
    client: &store::SessionClient,
    ip: &str,
) -> Result<(String, String, bool), ApiError> {
    let must_change = acc.must_change_password || password_is_code;
    if must_change && !acc.must_change_password {
        store::require_password_change(conn, &acc.person_id)?;
    }
    if let Some(hash) = rehashed {
        store::replace_hash(conn, &acc.person_id, &acc.password_hash, hash)?;
        audit::record(conn, Event::new("auth.password_rehashed", "account", Some(&acc.person_id)))?;
    }
    let (session_id, token) = store::create_session(conn, &acc.person_id, ttl, client)?;
    audit::record(conn, Event::new("auth.login", "session", Some(&session_id)).by(&acc.person_id).from_ip(ip))?;
    Ok((session_id, token, must_change))
}

/// A new password that follows the policy and differs from the current one.
fn check_new_password(
    policy: &anjoman_core::config::PasswordPolicy,
    body: &ChangePasswordRequest,
    code: &NationalCode,
) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    rules::password(&mut errors, "new_password", policy, &body.new_password, Some(code));
    if body.new_password == body.current_password {
        errors.add(
            "new_password",
            Msg::new(
                "رمز عبور تازه باید با رمز کنونی فرق داشته باشد.",
                "The new password must differ from the current one.",
            ),
        );
    }
    errors.into_result()
}

/// The new password's hash stored, every other session of the person signed out, and audited.
fn set_new_password(conn: &mut DbConn, user: &CurrentUser, hash: &str, ip: &str) -> Result<(), ApiError> {
    store::set_password(conn, &user.person_id, hash, false)?;
    store::revoke_other_sessions(conn, &user.person_id, &user.session_id, "password_changed")?;
    audit::record(
        conn,
        Event::new("auth.password_changed", "account", Some(&user.person_id)).by(&user.person_id).from_ip(ip),
    )?;
    Ok(())
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
pub async fn refresh(
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
pub async fn logout(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> Result<HttpResponse, ApiError> {
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

/// `password_locked` while a domain locks the person's page (an open election).
fn password_unlocked(conn: &mut DbConn, hooks: &anjoman_core::http::Hooks, person: &str) -> Result<(), ApiError> {
    for lock in &hooks.profile_locks {
        if lock(conn, person)?.is_some() {
            return Err(IdentityError::PasswordLocked.into());
        }
    }
    Ok(())
}

/// Changes the caller's password; allowed (and required) when a change is forced. Other
/// sessions of the person are signed out. Refused (`password_locked`) while an election of one
/// of the person's associations is open, as the personal page is (guide 001).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "The new password does not meet the policy", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "Not signed in", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`password_locked`: an election of the person's associations is open", body = anjoman_core::error::ErrorBody),
        (status = 429, description = "Too many wrong current passwords", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/auth/change-password")]
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let person_id = user.person_id.clone();
    let hooks = state.hooks.clone();
    let (person, account) = state
        .db(move |conn| {
            password_unlocked(conn, &hooks, &person_id)?;
            let p = store::person(conn, &person_id)?.ok_or(ApiError::NotFound)?;
            let a = store::account(conn, &person_id)?.ok_or(ApiError::NotFound)?;
            Ok((p, a))
        })
        .await?;
    let code = NationalCode::parse(&person.national_code).map_err(|_| ApiError::Internal)?;
    check_new_password(&state.config.password, &body, &code)?;

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
                set_new_password(conn, &user, &hash, &ip)?;
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
