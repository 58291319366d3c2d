//! Administrators manage their integrations: API keys (made, rotated, revoked; the secret shown
//! once) and webhook subscriptions (made, changed, their delivery log, redelivery). An admin
//! manages the keys and subscriptions of the owners they administer: commission admins the
//! commission's, directorate admins the directorate's, a province's engineering admins that
//! province's.

use actix_web::{get, post, put, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind};
use anjoman_core::db::schema::{api_keys as k, provinces as pr, webhook_subscriptions as ws};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::http::page_bounds;
use anjoman_core::platform::outbox::{self, Channel, ListFilter, Message};
use anjoman_core::platform::webhooks::{self, EVENTS, Owner, OwnerKind};
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::keys::{self, ApiKey, Scope};

/// Longest life of a key: two years; rotate before then.
const MAX_KEY_DAYS: i64 = 730;
const DEFAULT_RATE: i32 = 600;

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// The owners the caller administers.
pub fn owners_of(user: &AuthUser) -> Vec<Owner> {
    let mut out = Vec::new();
    if user.has_role(Role::CommissionAdmin) {
        out.push(Owner::commission());
    }
    if user.has_role(Role::DirectorateAdmin) {
        out.push(Owner::directorate());
    }
    for g in &user.grants {
        if g.role == Role::EngineeringAdmin
            && g.scope_type == Some(ScopeKind::Province)
            && let Some(p) = &g.scope_id
        {
            out.push(Owner::engineering(p));
        }
    }
    out
}

fn may_manage(user: &AuthUser, owner: &Owner) -> Result<(), ApiError> {
    if owners_of(user).contains(owner) { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// The owner named in a request: engineering owners need their province, the others have none.
fn requested_owner(kind: OwnerKind, province_id: Option<&str>, errors: &mut FieldErrors) -> Option<Owner> {
    match (kind, province_id.map(str::trim).filter(|p| !p.is_empty())) {
        (OwnerKind::Engineering, Some(p)) => Some(Owner::engineering(p)),
        (OwnerKind::Engineering, None) => {
            errors.add("province_id", Msg::new("استان را انتخاب کنید.", "Choose the province."));
            None
        }
        (OwnerKind::Commission, _) => Some(Owner::commission()),
        (OwnerKind::Directorate, _) => Some(Owner::directorate()),
    }
}

/// What an owner's keys may read and its subscriptions may hear of.
#[derive(Serialize, ToSchema)]
pub struct OwnerCatalogue {
    pub owner: OwnerKind,
    pub province_id: Option<String>,
    /// The province's name in Persian and in English, for engineering owners.
    pub province_name: Option<String>,
    pub province_name_en: Option<String>,
    pub scopes: Vec<Scope>,
    pub events: Vec<String>,
}

/// The owners the caller administers, with the scopes and events each may use.
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's owners (empty when they administer none)", body = Vec<OwnerCatalogue>))
)]
#[get("/integrations/catalogue")]
pub async fn catalogue(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<OwnerCatalogue>>, ApiError> {
    let owners = owners_of(&user);
    let out = state
        .db(move |conn| {
            let mut out = Vec::new();
            for o in owners {
                let names: Option<(String, String)> = match &o.province_id {
                    Some(p) => pr::table.find(p).select((pr::name_fa, pr::name_en)).first(conn).optional()?,
                    None => None,
                };
                let (province_name, province_name_en) = names.unzip();
                out.push(OwnerCatalogue {
                    owner: o.kind,
                    province_id: o.province_id.clone(),
                    province_name,
                    province_name_en,
                    scopes: Scope::ALL.into_iter().filter(|s| s.owner_kind() == o.kind).collect(),
                    events: webhooks::events_of(o.kind).into_iter().map(str::to_owned).collect(),
                });
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(out))
}

// ---------------------------------------------------------------- keys

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

fn province_exists(conn: &mut DbConn, owner: &Owner, errors: &mut FieldErrors) -> QueryResult<()> {
    if let Some(p) = &owner.province_id
        && pr::table.find(p).count().get_result::<i64>(conn)? == 0
    {
        errors.add("province_id", Msg::new("این استان شناخته نیست.", "Unknown province."));
    }
    Ok(())
}

/// Lists the keys of the owners the caller administers, newest first.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), responses((status = 200, description = "Keys", body = Vec<KeyDto>)))]
#[get("/integrations/keys")]
pub async fn list_keys(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<KeyDto>>, ApiError> {
    let owners = owners_of(&user);
    let keys = state
        .db(move |conn| {
            let all: Vec<ApiKey> = k::table.order(k::created_at.desc()).select(ApiKey::as_select()).load(conn)?;
            Ok(all.into_iter().filter(|key| owners.contains(&key.owner())).collect::<Vec<_>>())
        })
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
    let body = body.into_inner();
    let mut errors = FieldErrors::new();
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.add("name", Msg::new("نام کلید (تا ۱۰۰ نویسه) لازم است.", "A name of up to 100 characters is required."));
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
            _ => errors
                .add("scopes", Msg::new("این دسترسی برای این مالک نیست.", "A scope does not belong to this owner.")),
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
    may_manage(&user, &owner)?;
    let issued = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                province_exists(conn, &owner, &mut errors)?;
                errors.into_result()?;
                let (id, secret) = keys::generate();
                let at = now();
                diesel::insert_into(k::table)
                    .values((
                        k::id.eq(&id),
                        k::owner_kind.eq(owner.kind.as_str()),
                        k::province_id.eq(&owner.province_id),
                        k::name.eq(&name),
                        k::scopes.eq(scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")),
                        k::secret_hash.eq(keys::secret_hash(&secret)),
                        k::prefix.eq(keys::prefix(&id)),
                        k::rate_per_minute.eq(rate),
                        k::expires_at.eq(expires),
                        k::created_by.eq(&user.person_id),
                        k::created_at.eq(at),
                        k::window_started_at.eq(at),
                        k::window_uses.eq(0),
                    ))
                    .execute(conn)?;
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
                    return Err(ApiError::Conflict {
                        code: "key_revoked",
                        msg: Msg::new("کلید باطل‌شده را نمی‌توان تازه کرد.", "A revoked key cannot be rotated."),
                    });
                }
                let (_, secret) = keys::generate();
                diesel::update(k::table.find(&id))
                    .set((k::secret_hash.eq(keys::secret_hash(&secret)), k::rotated_at.eq(Some(now()))))
                    .execute(conn)?;
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
                    diesel::update(k::table.find(&id)).set(k::revoked_at.eq(Some(now()))).execute(conn)?;
                    audit::record(conn, Event::new("api_key.revoked", "api_key", Some(&id)).by(&user.person_id))?;
                }
                load_key(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(key_dto(&key)))
}

// ---------------------------------------------------------------- webhooks

#[derive(Serialize, ToSchema)]
pub struct WebhookDto {
    pub id: String,
    pub owner: OwnerKind,
    pub province_id: Option<String>,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

type WebhookRow = (String, String, Option<String>, String, String, bool, NaiveDateTime);

fn webhook_dto(r: WebhookRow) -> WebhookDto {
    let (id, owner, province_id, url, events, active, created_at) = r;
    WebhookDto {
        id,
        owner: OwnerKind::parse(&owner).unwrap_or(OwnerKind::Commission),
        province_id,
        url,
        events: events.split(',').filter(|e| !e.is_empty()).map(str::to_owned).collect(),
        active,
        created_at: utc(created_at),
    }
}

fn load_webhook(conn: &mut DbConn, id: &str) -> Result<WebhookDto, ApiError> {
    let row: WebhookRow = ws::table
        .find(id)
        .select((ws::id, ws::owner_kind, ws::province_id, ws::url, ws::events, ws::active, ws::created_at))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    Ok(webhook_dto(row))
}

fn webhook_owner(w: &WebhookDto) -> Owner {
    Owner { kind: w.owner, province_id: w.province_id.clone() }
}

/// A subscription with its signing secret: the only answer that carries it.
#[derive(Serialize, ToSchema)]
pub struct IssuedWebhook {
    pub webhook: WebhookDto,
    /// The HMAC-SHA256 key of `X-Anjoman-Signature`. Shown this once.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewWebhook {
    pub owner: OwnerKind,
    pub province_id: Option<String>,
    /// Where deliveries are posted: an http or https address.
    pub url: String,
    /// Events wanted; each must belong to the owner.
    pub events: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct WebhookChanges {
    pub url: String,
    pub events: Vec<String>,
    /// False pauses deliveries; queued ones then fail and can be redelivered later.
    pub active: bool,
}

fn checked_url(url: &str, allow_private: bool, errors: &mut FieldErrors) -> String {
    let url = url.trim();
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() && url.len() <= 500 => {
            if !allow_private && webhooks::refused_target(url).is_some() {
                errors.add(
                    "url",
                    Msg::new(
                        "نشانی باید در اینترنت عمومی باشد، نه در شبکهٔ داخلی یا همین رایانه.",
                        "The address must be on the public internet, not an internal network or this machine.",
                    ),
                );
            }
        }
        _ => errors.add(
            "url",
            Msg::new("نشانی باید با http:// یا https:// آغاز شود.", "The address must be an http:// or https:// URL."),
        ),
    }
    url.to_owned()
}

fn checked_events(kind: OwnerKind, events: &[String], errors: &mut FieldErrors) -> String {
    let allowed = webhooks::events_of(kind);
    let mut out: Vec<&str> = Vec::new();
    for e in events {
        match allowed.iter().find(|a| **a == e.as_str()) {
            Some(a) if !out.contains(a) => out.push(a),
            Some(_) => {}
            None => errors
                .add("events", Msg::new("این رویداد برای این مالک نیست.", "An event does not belong to this owner.")),
        }
    }
    if out.is_empty() && events.is_empty() {
        errors.add("events", Msg::new("دست‌کم یک رویداد را انتخاب کنید.", "Choose at least one event."));
    }
    debug_assert!(out.iter().all(|e| EVENTS.iter().any(|(x, _)| x == e)));
    out.join(",")
}

/// Lists the subscriptions of the owners the caller administers.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), responses((status = 200, description = "Subscriptions", body = Vec<WebhookDto>)))]
#[get("/integrations/webhooks")]
pub async fn list_webhooks(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<WebhookDto>>, ApiError> {
    let owners = owners_of(&user);
    let rows: Vec<WebhookRow> = state
        .db(|conn| {
            Ok(ws::table
                .order(ws::created_at.desc())
                .select((ws::id, ws::owner_kind, ws::province_id, ws::url, ws::events, ws::active, ws::created_at))
                .load(conn)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(webhook_dto).filter(|w| owners.contains(&webhook_owner(w))).collect()))
}

/// Subscribes an address to events. The answer carries the signing secret, shown this once.
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    request_body = NewWebhook,
    responses(
        (status = 201, description = "Subscribed; `secret` is shown this once", body = IssuedWebhook),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this owner", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/integrations/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewWebhook>,
) -> Result<(web::Json<IssuedWebhook>, actix_web::http::StatusCode), ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::new();
    let owner = requested_owner(body.owner, body.province_id.as_deref(), &mut errors);
    let url = checked_url(&body.url, state.config.webhook_private_targets, &mut errors);
    let events = checked_events(body.owner, &body.events, &mut errors);
    let Some(owner) = owner else { return Err(ApiError::Validation(errors)) };
    may_manage(&user, &owner)?;
    let issued = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                province_exists(conn, &owner, &mut errors)?;
                errors.into_result()?;
                let id = new_id();
                let (_, secret) = keys::generate();
                let secret = format!("whsec_{secret}");
                diesel::insert_into(ws::table)
                    .values((
                        ws::id.eq(&id),
                        ws::owner_kind.eq(owner.kind.as_str()),
                        ws::province_id.eq(&owner.province_id),
                        ws::url.eq(&url),
                        ws::events.eq(&events),
                        ws::secret.eq(&secret),
                        ws::active.eq(true),
                        ws::created_by.eq(&user.person_id),
                        ws::created_at.eq(now()),
                    ))
                    .execute(conn)?;
                audit::record(
                    conn,
                    Event::new("webhook.created", "webhook", Some(&id))
                        .by(&user.person_id)
                        .states(None, Some(serde_json::json!({"url": url, "events": events}))),
                )?;
                Ok(IssuedWebhook { webhook: load_webhook(conn, &id)?, secret })
            })
        })
        .await?;
    Ok((web::Json(issued), actix_web::http::StatusCode::CREATED))
}

/// Changes a subscription's address, events, or pauses it.
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The subscription")),
    request_body = WebhookChanges,
    responses((status = 200, description = "Changed", body = WebhookDto), (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody))
)]
#[put("/integrations/webhooks/{id}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<WebhookChanges>,
) -> Result<web::Json<WebhookDto>, ApiError> {
    let (id, body) = (id.into_inner(), body.into_inner());
    let allow_private = state.config.webhook_private_targets;
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let before = load_webhook(conn, &id)?;
                may_manage(&user, &webhook_owner(&before))?;
                let mut errors = FieldErrors::new();
                let url = checked_url(&body.url, allow_private, &mut errors);
                let events = checked_events(before.owner, &body.events, &mut errors);
                errors.into_result()?;
                diesel::update(ws::table.find(&id))
                    .set((ws::url.eq(&url), ws::events.eq(&events), ws::active.eq(body.active)))
                    .execute(conn)?;
                audit::record(
                    conn,
                    Event::new("webhook.updated", "webhook", Some(&id)).by(&user.person_id).states(
                        Some(serde_json::json!({"url": before.url, "events": before.events, "active": before.active})),
                        Some(serde_json::json!({"url": url, "events": events, "active": body.active})),
                    ),
                )?;
                load_webhook(conn, &id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryDto {
    /// This delivery (the `X-Anjoman-Delivery` header).
    pub id: String,
    pub event: String,
    /// The event's id (in the body): the same in every redelivery.
    pub event_id: String,
    /// `pending`, `sending`, `sent` (answered 2xx) or `failed` (gave up after the retries).
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn delivery_dto(m: Message) -> DeliveryDto {
    let event_id = serde_json::from_str::<webhooks::EventBody>(&m.body).map(|b| b.id).unwrap_or_default();
    DeliveryDto {
        id: m.id,
        event: m.subject.unwrap_or_default(),
        event_id,
        status: m.status,
        attempts: m.attempts,
        last_error: m.last_error,
        next_attempt_at: utc(m.next_attempt_at),
        created_at: utc(m.created_at),
        sent_at: m.sent_at.map(utc),
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<DeliveryDto>,
}

#[derive(Deserialize, IntoParams)]
pub struct DeliveryQuery {
    /// From 1.
    pub page: Option<i64>,
    /// 1 to 100; 25 by default.
    pub per_page: Option<i64>,
}

/// A subscription's deliveries, newest first.
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The subscription"), DeliveryQuery),
    responses((status = 200, description = "One page of deliveries", body = DeliveryPage))
)]
#[get("/integrations/webhooks/{id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    q: web::Query<DeliveryQuery>,
) -> Result<web::Json<DeliveryPage>, ApiError> {
    let id = id.into_inner();
    let (page, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let (total, rows) = state
        .db(move |conn| {
            let w = load_webhook(conn, &id)?;
            may_manage(&user, &webhook_owner(&w))?;
            let filter = ListFilter {
                channel: Some(Channel::Webhook.as_str().to_owned()),
                recipient: Some(id.clone()),
                status: None,
            };
            Ok(outbox::list(conn, &filter, offset, per_page)?)
        })
        .await?;
    Ok(web::Json(DeliveryPage { total, page, per_page, items: rows.into_iter().map(delivery_dto).collect() }))
}

/// Sends an event again, as a new delivery with the same event id (receivers that remember
/// ids see it as a duplicate).
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The subscription"), ("delivery" = String, Path, description = "The delivery to repeat")),
    responses((status = 201, description = "Queued", body = DeliveryDto), (status = 404, description = "No such delivery of this subscription", body = anjoman_core::error::ErrorBody))
)]
#[post("/integrations/webhooks/{id}/deliveries/{delivery}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<(web::Json<DeliveryDto>, actix_web::http::StatusCode), ApiError> {
    let (id, delivery) = path.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let w = load_webhook(conn, &id)?;
                may_manage(&user, &webhook_owner(&w))?;
                let original = outbox::get(conn, &delivery)?
                    .filter(|m| m.channel == Channel::Webhook.as_str() && m.recipient == id)
                    .ok_or(ApiError::NotFound)?;
                let event = original.subject.clone().unwrap_or_default();
                let new = webhooks::enqueue(conn, &id, &event, &original.body)?;
                audit::record(
                    conn,
                    Event::new("webhook.redelivered", "webhook", Some(&id))
                        .by(&user.person_id)
                        .states(None, Some(serde_json::json!({"delivery": delivery, "new_delivery": new}))),
                )?;
                Ok(delivery_dto(outbox::get(conn, &new)?.ok_or(ApiError::Internal)?))
            })
        })
        .await?;
    Ok((web::Json(out), actix_web::http::StatusCode::CREATED))
}
