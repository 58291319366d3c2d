//! API keys: made for an owner with its scopes and rate, rotated, revoked; the secret is shown
//! once and only its hash is kept.

use actix_web::{get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::api_keys as k;
use anjoman_core::db::{DbConn, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::webhooks::{Owner, OwnerKind};
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{may_manage, owners_of, province_exists, requested_owner, utc};
use crate::errors::IntegrationsError;
use crate::keys::{self, ApiKey, Scope};

/// Longest life of a key: two years; rotate before then.
const MAX_KEY_DAYS: i64 = 730;
const DEFAULT_RATE: i32 = 600;

#[derive(Serialize, ToSchema)]
pub struct KeyDto {
    pub id: String,
    pub name: String,
    pub owner: OwnerKind,
    pub province_id: Option<String>,
    pub scopes: Vec<Scope>,
    /// The key's public start (`anj_<id>`), to recognise it; the secret is never shown again.
    pub prefix: String,
    pub rate_per_minute: i32,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// `active`, `revoked` or `expired`.
    pub status: String,
}

fn key_dto(key: &ApiKey) -> KeyDto {
    let status = if key.revoked_at.is_some() {
        "revoked"
    } else if key.expires_at <= now() {
        "expired"
    } else {
        "active"
    };
    KeyDto {
        id: key.id.clone(),
        name: key.name.clone(),
        owner: key.owner().kind,
        province_id: key.province_id.clone(),
        scopes: key.scopes(),
        prefix: key.prefix.clone(),
        rate_per_minute: key.rate_per_minute,
        expires_at: utc(key.expires_at),
        revoked_at: key.revoked_at.map(utc),
        rotated_at: key.rotated_at.map(utc),
        last_used_at: key.last_used_at.map(utc),
        created_at: utc(key.created_at),
        status: status.to_owned(),
    }
}

/// A key with its secret: the only answer that carries it.
#[derive(Serialize, ToSchema)]
pub struct IssuedKey {
    pub key: KeyDto,
    /// The whole key to give the third party, for the `X-Api-Key` header. Shown this once.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewKey {
    /// Who it is for, e.g. "Tehran University HR".
    pub name: String,
    pub owner: OwnerKind,
    /// For an engineering organisation: its province.
    pub province_id: Option<String>,
    /// What it may read; each must belong to the owner.
    pub scopes: Vec<String>,
    /// Last day of validity (YYYY-MM-DD, Gregorian), at most two years ahead.
    pub expires_on: String,
    /// Requests a minute; 600 by default, at most 6,000.
    pub rate_per_minute: Option<i32>,
}

fn load_key(conn: &mut DbConn, id: &str) -> Result<ApiKey, ApiError> {
    k::table.find(id).select(ApiKey::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// Lists the keys of the owners the caller administers, newest first.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), responses((status = 200, description = "Keys", body = Vec<KeyDto>)))]
#[get("/integrations/keys")]
pub async fn list_keys(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<KeyDto>>, ApiError> {
    let owners = owners_of(&user);
    let keys = state
        .db(move |conn| Ok(all_keys(conn)?.into_iter().filter(|key| owners.contains(&key.owner())).collect::<Vec<_>>()))
        .await?;
    Ok(web::Json(keys.iter().map(key_dto).collect()))
}

/// Makes a key. The answer carries the secret, which is never shown again.
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    request_body = NewKey,
    responses(
        (status = 201, description = "Made; `secret` is shown this once", body = IssuedKey),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this owner", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/integrations/keys")]
pub async fn create_key(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewKey>,
) -> Result<(web::Json<IssuedKey>, actix_web::http::StatusCode), ApiError> {
    let (KeyForm { name, owner, scopes, expires, rate }, mut errors) = KeyForm::check(body.into_inner())?;
    may_manage(&user, &owner)?;
    let issued = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                province_exists(conn, &owner, &mut errors)?;
                errors.into_result()?;
                let (id, secret) = keys::generate();
                insert_key(
                    conn,
                    &id,
                    &secret,
                    &KeyForm { name: name.clone(), owner, scopes, expires, rate },
                    &user.person_id,
                )?;
                let key = load_key(conn, &id)?;
                audit::record(
                    conn,
                    Event::new("api_key.created", "api_key", Some(&id)).by(&user.person_id).states(
                        None,
                        Some(serde_json::json!({"name": name, "scopes": key.scopes, "owner": key.owner_kind})),
                    ),
                )?;
                Ok(IssuedKey { key: key_dto(&key), secret: keys::full_key(&id, &secret) })
            })
        })
        .await?;
    Ok((web::Json(issued), actix_web::http::StatusCode::CREATED))
}

/// Replaces a key's secret: the old one stops working at once; the new one is shown once.
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The key")),
    responses(
        (status = 200, description = "Rotated; `secret` is shown this once", body = IssuedKey),
        (status = 409, description = "`key_revoked`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/integrations/keys/{id}/rotate")]
pub async fn rotate_key(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<IssuedKey>, ApiError> {
    let id = id.into_inner();
    let issued = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let key = load_key(conn, &id)?;
                may_manage(&user, &key.owner())?;
                if key.revoked_at.is_some() {
                    return Err(IntegrationsError::KeyRevoked.into());
                }
                let (_, secret) = keys::generate();
                replace_secret(conn, &id, &secret)?;
                audit::record(conn, Event::new("api_key.rotated", "api_key", Some(&id)).by(&user.person_id))?;
                Ok(IssuedKey { key: key_dto(&load_key(conn, &id)?), secret: keys::full_key(&id, &secret) })
            })
        })
        .await?;
    Ok(web::Json(issued))
}

/// Revokes a key for good.
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The key")),
    responses((status = 200, description = "Revoked (again: unchanged)", body = KeyDto))
)]
#[post("/integrations/keys/{id}/revoke")]
pub async fn revoke_key(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<KeyDto>, ApiError> {
    let id = id.into_inner();
    let key = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let key = load_key(conn, &id)?;
                may_manage(&user, &key.owner())?;
                if key.revoked_at.is_none() {
                    mark_revoked(conn, &id)?;
                    audit::record(conn, Event::new("api_key.revoked", "api_key", Some(&id)).by(&user.person_id))?;
                }
                load_key(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(key_dto(&key)))
}

/// A new key's form as checked. The errors found so far come with it: whether the province
/// exists is known only inside the transaction.
struct KeyForm {
    name: String,
    owner: Owner,
    scopes: Vec<Scope>,
    expires: NaiveDateTime,
    rate: i32,
}

impl KeyForm {
    fn check(body: NewKey) -> Result<(KeyForm, FieldErrors), ApiError> {
        let mut errors = FieldErrors::new();
        let name = body.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            errors.add(
                "name",
                Msg::new("نام کلید (تا ۱۰۰ نویسه) لازم است.", "A name of up to 100 characters is required."),
            );
        }
        let owner = requested_owner(body.owner, body.province_id.as_deref(), &mut errors);
        let mut scopes = Vec::new();
        for s in &body.scopes {
            match Scope::parse(s) {
                Some(scope) if scope.owner_kind() == body.owner => {
                    if !scopes.contains(&scope) {
                        scopes.push(scope);
                    }
                }
                _ => errors.add(
                    "scopes",
                    Msg::new("این دسترسی برای این مالک نیست.", "A scope does not belong to this owner."),
                ),
            }
        }
        if body.scopes.is_empty() {
            errors.add("scopes", Msg::new("دست‌کم یک دسترسی را انتخاب کنید.", "Choose at least one scope."));
        }
        let today = Utc::now().date_naive();
        let expires = match NaiveDate::parse_from_str(body.expires_on.trim(), "%Y-%m-%d") {
            Ok(d) if d > today && (d - today).num_days() <= MAX_KEY_DAYS => d.and_hms_opt(23, 59, 59),
            Ok(_) => {
                errors.add(
                    "expires_on",
                    Msg::new(
                        "انقضا باید از فردا تا دو سال دیگر باشد.",
                        "The expiry must be from tomorrow to two years ahead.",
                    ),
                );
                None
            }
            Err(_) => {
                errors.add("expires_on", Msg::new("تاریخ به شکل YYYY-MM-DD باشد.", "Give the date as YYYY-MM-DD."));
                None
            }
        };
        let rate = body.rate_per_minute.unwrap_or(DEFAULT_RATE);
        if !(1..=6000).contains(&rate) {
            errors.add("rate_per_minute", Msg::new("از ۱ تا ۶۰۰۰ در دقیقه.", "From 1 to 6,000 a minute."));
        }
        let (Some(owner), Some(expires)) = (owner, expires) else {
            return Err(ApiError::Validation(errors));
        };
        Ok((KeyForm { name, owner, scopes, expires, rate }, errors))
    }
}

fn insert_key(conn: &mut DbConn, id: &str, secret: &str, form: &KeyForm, by: &str) -> Result<(), ApiError> {
    let at = now();
    diesel::insert_into(k::table)
        .values((
            k::id.eq(id),
            k::owner_kind.eq(form.owner.kind.as_str()),
            k::province_id.eq(&form.owner.province_id),
            k::name.eq(&form.name),
            k::scopes.eq(form.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")),
            k::secret_hash.eq(keys::secret_hash(secret)),
            k::prefix.eq(keys::prefix(id)),
            k::rate_per_minute.eq(form.rate),
            k::expires_at.eq(form.expires),
            k::created_by.eq(by),
            k::created_at.eq(at),
            k::window_started_at.eq(at),
            k::window_uses.eq(0),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every key, newest first.
fn all_keys(conn: &mut DbConn) -> QueryResult<Vec<ApiKey>> {
    k::table.order(k::created_at.desc()).select(ApiKey::as_select()).load(conn)
}

/// A key's new secret (only its hash is kept).
fn replace_secret(conn: &mut DbConn, id: &str, secret: &str) -> QueryResult<()> {
    diesel::update(k::table.find(id))
        .set((k::secret_hash.eq(keys::secret_hash(secret)), k::rotated_at.eq(Some(now()))))
        .execute(conn)?;
    Ok(())
}

fn mark_revoked(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::update(k::table.find(id)).set(k::revoked_at.eq(Some(now()))).execute(conn)?;
    Ok(())
}
