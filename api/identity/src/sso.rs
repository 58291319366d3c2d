//! Government single sign-on (ID-09, EN-01): login through an external OpenID Connect provider
//! ("Dolat-e Man"). Authorization code flow with PKCE (S256); the provider's endpoints and keys
//! come from its discovery document, whose `issuer` must be the configured one. `state` is single
//! use, kept in the database (so any process can finish a login another began) and bound to the
//! browser by a short-lived cookie; `nonce` is checked in the ID token, whose signature (RS256,
//! PS256 or ES256 from the provider's JWKS), issuer, audience and expiry are verified. The
//! national code is read from a configurable claim. A person with an account signs in; a person
//! the engineering organisation holds a record of (the engineers' import) gets an account on the
//! first login; anyone else is refused.

use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, get, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{Role, password};
use anjoman_core::config::OidcSettings;
use anjoman_core::db::schema::sso_logins as sl;
use anjoman_core::db::{DbConn, now, write_tx};
use anjoman_core::http::{AppState, client_ip, public_base};
use anjoman_core::text::NationalCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use crate::errors::IdentityError;
use crate::store;

/// Binds a login's `state` to the browser that started it.
const STATE_COOKIE: &str = "anjoman_sso";
const STATE_COOKIE_PATH: &str = "/api/v1/auth/sso";
/// How long a started login may take.
const LOGIN_TTL: Duration = Duration::from_secs(600);
const CALLBACK_PATH: &str = "/api/v1/auth/sso/callback";

/// Why a single sign-on failed; the SPA shows the message for the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsoError {
    /// The provider refused or the person cancelled.
    Denied,
    /// Unknown, used, expired or foreign `state`.
    StateInvalid,
    /// The provider could not be reached, or its discovery document is wrong.
    Unavailable,
    /// The code was refused at the token endpoint (e.g. replayed).
    ExchangeFailed,
    /// The ID token's signature, issuer, audience, expiry or nonce is wrong.
    TokenInvalid,
    /// No valid national code in the configured claim.
    NoNationalCode,
    /// Nobody with this national code has an account or an engineer's record.
    NoRecord,
    /// The account is disabled.
    Disabled,
}

impl SsoError {
    pub fn code(self) -> &'static str {
        match self {
            SsoError::Denied => "sso_denied",
            SsoError::StateInvalid => "sso_state_invalid",
            SsoError::Unavailable => "sso_unavailable",
            SsoError::ExchangeFailed => "sso_exchange_failed",
            SsoError::TokenInvalid => "sso_token_invalid",
            SsoError::NoNationalCode => "sso_no_national_code",
            SsoError::NoRecord => "sso_no_record",
            SsoError::Disabled => "sso_account_disabled",
        }
    }
}

/// The parts of the provider's discovery document we use.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

/// Reads the discovery document; its `issuer` must be exactly the configured issuer.
pub async fn discover(settings: &OidcSettings) -> Result<Discovery, SsoError> {
    let url = format!("{}/.well-known/openid-configuration", settings.issuer.trim_end_matches('/'));
    let doc: Discovery = http_client()
        .get(&url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| {
            tracing::warn!(error = %e, "SSO discovery failed");
            SsoError::Unavailable
        })?
        .json()
        .await
        .map_err(|_| SsoError::Unavailable)?;
    if doc.issuer != settings.issuer {
        tracing::warn!(configured = %settings.issuer, announced = %doc.issuer, "SSO provider announces another issuer");
        return Err(SsoError::Unavailable);
    }
    Ok(doc)
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The PKCE S256 challenge of a verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[derive(Debug, Deserialize)]
struct IdClaims {
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    aud: serde_json::Value,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

/// Verifies an ID token against the provider's keys: signature (asymmetric algorithms only),
/// issuer, audience (and `azp` when there are several), expiry and nonce. Answers the national
/// code from the configured claim.
pub async fn verify_id_token(
    settings: &OidcSettings,
    discovery: &Discovery,
    id_token: &str,
    nonce: &str,
) -> Result<NationalCode, SsoError> {
    let header = jsonwebtoken::decode_header(id_token).map_err(|_| SsoError::TokenInvalid)?;
    if !matches!(header.alg, Algorithm::RS256 | Algorithm::PS256 | Algorithm::ES256) {
        return Err(SsoError::TokenInvalid);
    }
    let jwks: JwkSet = http_client()
        .get(&discovery.jwks_uri)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|_| SsoError::Unavailable)?
        .json()
        .await
        .map_err(|_| SsoError::Unavailable)?;
    let jwk = match &header.kid {
        Some(kid) => jwks.find(kid),
        None if jwks.keys.len() == 1 => jwks.keys.first(),
        None => None,
    }
    .ok_or(SsoError::TokenInvalid)?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| SsoError::TokenInvalid)?;
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[&discovery.issuer]);
    validation.set_audience(&[&settings.client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = 60;
    let data = jsonwebtoken::decode::<IdClaims>(id_token, &key, &validation).map_err(|e| {
        tracing::info!(error = %e, "SSO ID token refused");
        SsoError::TokenInvalid
    })?;
    let claims = data.claims;
    if claims.aud.as_array().is_some_and(|a| a.len() > 1) && claims.azp.as_deref() != Some(settings.client_id.as_str())
    {
        return Err(SsoError::TokenInvalid);
    }
    if claims.nonce.as_deref() != Some(nonce) {
        return Err(SsoError::TokenInvalid);
    }
    let raw =
        claims.rest.get(&settings.national_code_claim).and_then(|v| v.as_str()).ok_or(SsoError::NoNationalCode)?;
    NationalCode::parse(raw).map_err(|_| SsoError::NoNationalCode)
}

#[derive(Serialize, ToSchema)]
pub struct SsoInfo {
    /// Whether single sign-on is configured.
    pub enabled: bool,
    /// The button's label, e.g. «دولت من».
    pub label: Option<String>,
    /// Open this address (a full-page navigation) to sign in.
    pub start_url: Option<String>,
}

/// Whether single sign-on is available, and how to start it.
#[utoipa::path(tag = "auth", responses((status = 200, description = "SSO availability", body = SsoInfo)))]
#[get("/auth/sso")]
pub async fn sso_info(state: web::Data<AppState>) -> web::Json<SsoInfo> {
    let settings = state.config.oidc.as_ref();
    web::Json(SsoInfo {
        enabled: settings.is_some(),
        label: settings.map(|s| s.label.clone()),
        start_url: settings.map(|_| "/api/v1/auth/sso/start".to_owned()),
    })
}

/// A sign-on begun: its state, nonce and PKCE verifier kept until it comes back or expires
/// (expired ones are dropped on the way).
fn begin_login(conn: &mut DbConn, state: &str, nonce: &str, verifier: &str) -> QueryResult<()> {
    let at = now();
    diesel::delete(sl::table.filter(sl::expires_at.lt(at))).execute(conn)?;
    diesel::insert_into(sl::table)
        .values((
            sl::state.eq(state),
            sl::nonce.eq(nonce),
            sl::code_verifier.eq(verifier),
            sl::created_at.eq(at),
            sl::expires_at.eq(at + chrono::Duration::from_std(LOGIN_TTL).unwrap_or_default()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Starts a single sign-on: redirects the browser to the provider with a fresh `state`, `nonce`
/// and PKCE challenge.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 302, description = "To the provider's authorization endpoint"),
        (status = 409, description = "`sso_disabled`", body = anjoman_core::error::ErrorBody),
        (status = 503, description = "The provider cannot be reached", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/auth/sso/start")]
pub async fn sso_start(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let settings = state.config.oidc.clone().ok_or(IdentityError::SsoDisabled)?;
    let discovery = discover(&settings).await.map_err(|_| ApiError::Unavailable)?;
    let (login_state, nonce, verifier) = (random_token(), random_token(), random_token());
    let (s, n, v) = (login_state.clone(), nonce.clone(), verifier.clone());
    state.db(move |conn| write_tx(conn, |conn| Ok(begin_login(conn, &s, &n, &v)?))).await?;
    let redirect_uri = format!("{}{CALLBACK_PATH}", public_base(&state, &req));
    let mut url = reqwest::Url::parse(&discovery.authorization_endpoint).map_err(|_| ApiError::Unavailable)?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &settings.client_id)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("scope", &settings.scopes)
        .append_pair("state", &login_state)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &pkce_challenge(&verifier))
        .append_pair("code_challenge_method", "S256");
    let cookie = Cookie::build(STATE_COOKIE, login_state)
        .path(STATE_COOKIE_PATH)
        .http_only(true)
        // Lax: the provider's redirect back is a top-level cross-site navigation.
        .same_site(SameSite::Lax)
        .secure(state.config.cookie_secure)
        .max_age(CookieDuration::seconds(LOGIN_TTL.as_secs() as i64))
        .finish();
    Ok(HttpResponse::Found()
        .insert_header(("Location", url.to_string()))
        .insert_header(("Cache-Control", "no-store"))
        .cookie(cookie)
        .finish())
}

#[derive(Deserialize, IntoParams)]
pub struct SsoCallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    /// Set by the provider when it refused or the person cancelled.
    pub error: Option<String>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    id_token: Option<String>,
}

/// Takes a started login by its `state`, once: the row is deleted whatever happens next.
fn take_login(conn: &mut DbConn, login_state: &str) -> QueryResult<Option<(String, String)>> {
    write_tx(conn, |conn| {
        let row: Option<(String, String, chrono::NaiveDateTime)> = sl::table
            .find(login_state)
            .select((sl::nonce, sl::code_verifier, sl::expires_at))
            .first(conn)
            .optional()?;
        let Some((nonce, verifier, expires)) = row else { return Ok(None) };
        let taken = diesel::delete(sl::table.find(login_state)).execute(conn)?;
        Ok((taken == 1 && expires >= now()).then_some((nonce, verifier)))
    })
}

async fn finish(
    state: &AppState,
    req: &HttpRequest,
    q: SsoCallbackQuery,
) -> Result<(String, String, String), SsoError> {
    let settings = state.config.oidc.clone().ok_or(SsoError::Unavailable)?;
    if q.error.is_some() {
        return Err(SsoError::Denied);
    }
    let login_state = q.state.filter(|s| !s.is_empty() && s.len() <= 128).ok_or(SsoError::StateInvalid)?;
    let bound = req.cookie(STATE_COOKIE).is_some_and(|c| c.value() == login_state);
    let s = login_state.clone();
    let taken = state.db(move |conn| Ok(take_login(conn, &s)?)).await.map_err(|_| SsoError::Unavailable)?;
    let (nonce, verifier) = taken.ok_or(SsoError::StateInvalid)?;
    if !bound {
        return Err(SsoError::StateInvalid);
    }
    let code = q.code.filter(|c| !c.is_empty() && c.len() <= 2048).ok_or(SsoError::ExchangeFailed)?;
    let discovery = discover(&settings).await?;
    let redirect_uri = format!("{}{CALLBACK_PATH}", public_base(state, req));
    let answer = http_client()
        .post(&discovery.token_endpoint)
        .basic_auth(&settings.client_id, Some(&settings.client_secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .map_err(|_| SsoError::Unavailable)?;
    if !answer.status().is_success() {
        tracing::info!(status = %answer.status(), "SSO code exchange refused");
        return Err(SsoError::ExchangeFailed);
    }
    let tokens: TokenAnswer = answer.json().await.map_err(|_| SsoError::ExchangeFailed)?;
    let id_token = tokens.id_token.ok_or(SsoError::TokenInvalid)?;
    let national_code = verify_id_token(&settings, &discovery, &id_token, &nonce).await?;
    let ip = client_ip(req, state.config.trust_forwarded_for);
    let config = state.config.clone();
    let ttl = state.config.refresh_token_ttl;
    let client = store::SessionClient::of(req, &ip);
    let hooks = state.hooks.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let code = national_code.as_str();
                let person = match store::account_by_code(conn, code)? {
                    Some(acc) if acc.disabled => return Ok(Err(SsoError::Disabled)),
                    Some(acc) => acc.person_id,
                    None => {
                        let Some(id) = store::person_id_by_code(conn, code)? else {
                            return Ok(Err(SsoError::NoRecord));
                        };
                        if !hooks.sso_subject(conn, &id)? {
                            return Ok(Err(SsoError::NoRecord));
                        }
                        // Nobody knows this password: the engineer signs in through SSO, or sets
                        // one with "forgot password".
                        let hash = password::hash_password(&config.argon2, &password::random_password());
                        store::insert_account(conn, &id, &hash, false)?;
                        store::grant_role(conn, &id, Role::Engineer, None, None)?;
                        audit::record(
                            conn,
                            Event::new("auth.sso_account_created", "person", Some(&id)).by(&id).from_ip(&ip),
                        )?;
                        id
                    }
                };
                let (session_id, token) = store::create_session(conn, &person, ttl, &client)?;
                audit::record(
                    conn,
                    Event::new("auth.sso_login", "session", Some(&session_id)).by(&person).from_ip(&ip),
                )?;
                Ok::<_, ApiError>(Ok((person, session_id, token)))
            })
        })
        .await
        .map_err(|_| SsoError::Unavailable)?
}

/// The provider sends the browser back here. On success the session's refresh cookie is set and
/// the browser goes to `/sso/complete` (the SPA finishes signing in); on failure it goes to
/// `/login?sso_error=<code>`: `sso_denied`, `sso_state_invalid`, `sso_unavailable`,
/// `sso_exchange_failed`, `sso_token_invalid`, `sso_no_national_code`, `sso_no_record` or
/// `sso_account_disabled`.
#[utoipa::path(
    tag = "auth",
    params(SsoCallbackQuery),
    responses((status = 302, description = "To `/sso/complete`, or to `/login?sso_error=…`"))
)]
#[get("/auth/sso/callback")]
pub async fn sso_callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<SsoCallbackQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut res = HttpResponse::Found();
    res.insert_header(("Cache-Control", "no-store"));
    // The binding cookie goes with the login it names; a callback with another state (forged)
    // leaves the browser's own login in progress.
    if req.cookie(STATE_COOKIE).is_some_and(|c| q.state.as_deref() == Some(c.value())) {
        res.cookie(Cookie::build(STATE_COOKIE, "").path(STATE_COOKIE_PATH).max_age(CookieDuration::ZERO).finish());
    }
    match finish(&state, &req, q.into_inner()).await {
        Ok((person, session_id, token)) => {
            let max_age = CookieDuration::seconds(state.config.refresh_token_ttl.as_secs() as i64);
            tracing::info!(person = %person, session = %session_id, "signed in through SSO");
            res.cookie(crate::sessions::refresh_cookie(&state, &token, max_age));
            res.insert_header(("Location", "/sso/complete"));
        }
        Err(e) => {
            let ip = client_ip(&req, state.config.trust_forwarded_for);
            let code = e.code();
            state
                .db(move |conn| Ok(audit::record(conn, Event::new("auth.sso_failed", "sso", Some(code)).from_ip(&ip))?))
                .await?;
            res.insert_header(("Location", format!("/login?sso_error={code}")));
        }
    }
    Ok(res.finish())
}
