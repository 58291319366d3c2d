//! Webhook subscriptions: made and changed by their owner's admins, with the delivery log and
//! redelivery of a failed delivery.

use actix_web::{get, post, put, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::webhook_subscriptions as ws;
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::paging::page_bounds;
use anjoman_core::platform::outbox::{self, Channel, ListFilter, Message};
use anjoman_core::platform::webhooks::{self, EVENTS, Owner, OwnerKind};
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{may_manage, owners_of, province_exists, requested_owner, utc};
use crate::keys::{self};
use anjoman_core::paging::Page;

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
    let rows: Vec<WebhookRow> = state.db(|conn| Ok(all_webhooks(conn)?)).await?;
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
                let row = WebhookInsert {
                    id: &id,
                    owner_kind: owner.kind.as_str(),
                    province_id: owner.province_id.as_deref(),
                    url: &url,
                    events: &events,
                    secret: &secret,
                    active: true,
                    created_by: &user.person_id,
                    created_at: now(),
                };
                insert_webhook(conn, &row)?;
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
                set_webhook(conn, &id, &url, &events, body.active)?;
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
    responses((status = 200, description = "One page of deliveries", body = Page<DeliveryDto>))
)]
#[get("/integrations/webhooks/{id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    q: web::Query<DeliveryQuery>,
) -> Result<web::Json<Page<DeliveryDto>>, ApiError> {
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
    Ok(web::Json(Page { total, page, per_page, items: rows.into_iter().map(delivery_dto).collect() }))
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

/// Every subscription, newest first.
fn all_webhooks(conn: &mut DbConn) -> QueryResult<Vec<WebhookRow>> {
    ws::table
        .order(ws::created_at.desc())
        .select((ws::id, ws::owner_kind, ws::province_id, ws::url, ws::events, ws::active, ws::created_at))
        .load(conn)
}

#[derive(Insertable)]
#[diesel(table_name = ws)]
struct WebhookInsert<'a> {
    id: &'a str,
    owner_kind: &'a str,
    province_id: Option<&'a str>,
    url: &'a str,
    events: &'a str,
    secret: &'a str,
    active: bool,
    created_by: &'a str,
    created_at: NaiveDateTime,
}

fn insert_webhook(conn: &mut DbConn, row: &WebhookInsert) -> QueryResult<()> {
    diesel::insert_into(ws::table).values(row).execute(conn)?;
    Ok(())
}

/// A subscription's address, events and whether it is active.
fn set_webhook(conn: &mut DbConn, id: &str, url: &str, events: &str, active: bool) -> QueryResult<()> {
    diesel::update(ws::table.find(id))
        .set((ws::url.eq(url), ws::events.eq(events), ws::active.eq(active)))
        .execute(conn)?;
    Ok(())
}
