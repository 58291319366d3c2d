//! News of associations (AS-06): admins write drafts, publish, edit and unpublish them; published
//! items are public per association and across all associations.

use actix_web::{HttpResponse, get, patch, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser};
use anjoman_core::db::schema::{associations as a, news as n};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::paging::page_bounds;
use anjoman_core::platform::files::Purpose;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::require_manager;
use crate::errors::AssociationsError;
use crate::store;
use anjoman_core::paging::Page;

const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 20_000;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = n)]
struct Row {
    id: String,
    association_id: String,
    title: String,
    body: String,
    image_file_id: Option<String>,
    published_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Serialize, ToSchema)]
pub struct NewsItem {
    pub id: String,
    pub association_id: String,
    pub association_name: String,
    pub title: String,
    /// Plain text; line breaks separate paragraphs.
    pub body: String,
    pub image_url: Option<String>,
    /// Unset while a draft (never published, or unpublished).
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn item(r: Row, association_name: String) -> NewsItem {
    NewsItem {
        id: r.id,
        association_id: r.association_id,
        association_name,
        title: r.title,
        body: r.body,
        image_url: r.image_file_id.as_deref().map(anjoman_core::platform::files::url),
        published_at: r.published_at.map(|t| t.and_utc()),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct NewsQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// Drafts too (the association's admins only).
    pub drafts: Option<bool>,
}

/// One page of news, newest first: published only, or everything of one association.
fn page(
    conn: &mut DbConn,
    association: Option<&str>,
    drafts: bool,
    offset: i64,
    limit: i64,
) -> QueryResult<(i64, Vec<NewsItem>)> {
    let filtered = || {
        let mut q = n::table.inner_join(a::table).into_boxed();
        if let Some(id) = association {
            q = q.filter(n::association_id.eq(id.to_owned()));
        }
        if !drafts {
            q = q.filter(n::published_at.is_not_null());
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows: Vec<(Row, String)> = filtered()
        .order((n::published_at.desc(), n::updated_at.desc()))
        .offset(offset)
        .limit(limit)
        .select((Row::as_select(), a::name))
        .load(conn)?;
    Ok((total, rows.into_iter().map(|(r, name)| item(r, name)).collect()))
}

/// Published news of every association, newest first (public, AS-08).
#[utoipa::path(
    tag = "news",
    params(NewsQuery),
    responses((status = 200, description = "One page", body = Page<NewsItem>), (status = 400, description = "Invalid paging", body = anjoman_core::error::ErrorBody))
)]
#[get("/news")]
pub async fn list_news(
    state: web::Data<AppState>,
    q: web::Query<NewsQuery>,
) -> Result<web::Json<Page<NewsItem>>, ApiError> {
    let (page_no, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let (total, items) = state.db(move |conn| Ok(page(conn, None, false, offset, per_page)?)).await?;
    Ok(web::Json(Page { total, page: page_no, per_page, items }))
}

/// An association's published news; with `drafts=true` its admins see drafts too.
#[utoipa::path(
    tag = "news",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The association"), NewsQuery),
    responses(
        (status = 200, description = "One page", body = Page<NewsItem>),
        (status = 403, description = "Drafts asked for by someone not an admin of this association", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such association", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/associations/{id}/news")]
pub async fn association_news(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
    q: web::Query<NewsQuery>,
) -> Result<web::Json<Page<NewsItem>>, ApiError> {
    let aid = id.into_inner();
    let drafts = q.drafts.unwrap_or(false);
    if drafts {
        let user = user.ok_or_else(|| ApiError::Unauthorized(Msg::new("وارد شوید.", "Sign in.")))?;
        require_manager(&user, &aid)?;
    }
    let (page_no, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let (total, items) = state
        .db(move |conn| {
            store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
            Ok(page(conn, Some(&aid), drafts, offset, per_page)?)
        })
        .await?;
    Ok(web::Json(Page { total, page: page_no, per_page, items }))
}

fn load(conn: &mut DbConn, id: &str) -> Result<(Row, String), ApiError> {
    n::table
        .inner_join(a::table)
        .filter(n::id.eq(id))
        .select((Row::as_select(), a::name))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// One news item: public once published; drafts only to the association's admins.
#[utoipa::path(
    tag = "news",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The news item")),
    responses((status = 200, description = "The item", body = NewsItem), (status = 404, description = "No such published item", body = anjoman_core::error::ErrorBody))
)]
#[get("/news/{id}")]
pub async fn show_news(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<web::Json<NewsItem>, ApiError> {
    let id = id.into_inner();
    let (row, name) = state.db(move |conn| load(conn, &id)).await?;
    if row.published_at.is_none() {
        // A draft does not exist for the public.
        let allowed = user.is_some_and(|u| require_manager(&u, &row.association_id).is_ok());
        if !allowed {
            return Err(ApiError::NotFound);
        }
    }
    Ok(web::Json(item(row, name)))
}

#[derive(Deserialize, ToSchema)]
pub struct NewsBody {
    pub title: Option<String>,
    pub body: Option<String>,
    /// A file uploaded with purpose `news_image`; an empty string removes the image.
    pub image_file_id: Option<String>,
    /// On creation: publish at once instead of keeping a draft.
    pub publish: Option<bool>,
}

struct Checked {
    title: Option<String>,
    body: Option<String>,
    image: Option<Option<String>>,
}

fn check(b: &NewsBody, creating: bool) -> Result<Checked, ApiError> {
    let mut e = FieldErrors::new();
    let text = |v: &Option<String>| v.as_deref().map(|s| anjoman_core::text::normalize_persian(s.trim()));
    let (title, body) = (text(&b.title), text(&b.body));
    match &title {
        Some(t) if t.is_empty() || t.chars().count() > TITLE_MAX => e.add(
            "title",
            Msg::new("عنوان الزامی است (حداکثر ۲۰۰ نویسه).", "The title is required (at most 200 characters)."),
        ),
        None if creating => e.add("title", Msg::new("عنوان الزامی است.", "The title is required.")),
        _ => {}
    }
    match &body {
        Some(t) if t.is_empty() || t.chars().count() > BODY_MAX => e.add(
            "body",
            Msg::new("متن خبر الزامی است (حداکثر ۲۰٬۰۰۰ نویسه).", "The text is required (at most 20,000 characters)."),
        ),
        None if creating => e.add("body", Msg::new("متن خبر الزامی است.", "The text is required.")),
        _ => {}
    }
    e.into_result()?;
    let image = b.image_file_id.as_deref().map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty()));
    Ok(Checked { title, body, image })
}

/// Writes a news item for the association: a draft, or published at once (its admins).
#[utoipa::path(
    tag = "news",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = NewsBody,
    responses(
        (status = 201, description = "Created", body = NewsItem),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/news")]
pub async fn create_news(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<NewsBody>,
) -> Result<HttpResponse, ApiError> {
    let aid = id.into_inner();
    require_manager(&user, &aid)?;
    let c = check(&body, true)?;
    let publish = body.publish.unwrap_or(false);
    let actor = user.person_id.clone();
    let created = state.db(move |conn| write_tx(conn, |conn| insert(conn, &aid, &actor, c, publish))).await?;
    Ok(HttpResponse::Created().json(created))
}

#[derive(Insertable)]
#[diesel(table_name = n)]
struct NewNews<'a> {
    id: &'a str,
    association_id: &'a str,
    title: String,
    body: String,
    image_file_id: Option<String>,
    published_at: Option<NaiveDateTime>,
    created_by: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A new item of an association's news, published now or kept as a draft; audited.
fn insert(conn: &mut DbConn, aid: &str, actor: &str, c: Checked, publish: bool) -> Result<NewsItem, ApiError> {
    store::get(conn, aid)?.ok_or(ApiError::NotFound)?;
    let image = c.image.flatten();
    if let Some(f) = &image {
        anjoman_core::platform::files::check(conn, f, Purpose::NewsImage, actor, "image_file_id")?;
    }
    let (id, at) = (new_id(), now());
    let row = NewNews {
        id: &id,
        association_id: aid,
        title: c.title.unwrap_or_default(),
        body: c.body.unwrap_or_default(),
        image_file_id: image,
        published_at: publish.then_some(at),
        created_by: actor,
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(n::table).values(&row).execute(conn)?;
    let action = if publish { "news.published" } else { "news.created" };
    audit::record(conn, Event::new(action, "news", Some(&id)).by(actor))?;
    let (row, name) = load(conn, &id)?;
    Ok(item(row, name))
}

/// The item, after checking the caller manages its association.
fn managed(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Row, ApiError> {
    let (row, _) = load(conn, id)?;
    require_manager(user, &row.association_id)?;
    Ok(row)
}

#[derive(AsChangeset)]
#[diesel(table_name = n)]
struct Changes {
    title: Option<String>,
    body: Option<String>,
    image_file_id: Option<Option<String>>,
    updated_at: NaiveDateTime,
}

/// Edits a news item, published or not (the association's admins).
#[utoipa::path(
    tag = "news",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The news item")),
    request_body = NewsBody,
    responses(
        (status = 200, description = "Updated", body = NewsItem),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of its association", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such item", body = anjoman_core::error::ErrorBody),
    )
)]
#[patch("/news/{id}")]
pub async fn edit_news(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<NewsBody>,
) -> Result<web::Json<NewsItem>, ApiError> {
    let c = check(&body, false)?;
    let id = id.into_inner();
    let updated = state.db(move |conn| write_tx(conn, |conn| update(conn, &user, &id, c))).await?;
    Ok(web::Json(updated))
}

/// An item's changes, by an admin of its association; audited.
fn update(conn: &mut DbConn, user: &AuthUser, id: &str, c: Checked) -> Result<NewsItem, ApiError> {
    managed(conn, user, id)?;
    if let Some(Some(f)) = &c.image {
        anjoman_core::platform::files::check(conn, f, Purpose::NewsImage, &user.person_id, "image_file_id")?;
    }
    let changes = Changes { title: c.title, body: c.body, image_file_id: c.image, updated_at: now() };
    diesel::update(n::table.find(id)).set(&changes).execute(conn)?;
    audit::record(conn, Event::new("news.updated", "news", Some(id)).by(&user.person_id))?;
    let (row, name) = load(conn, id)?;
    Ok(item(row, name))
}

async fn set_published(state: &AppState, user: AuthUser, id: String, publish: bool) -> Result<NewsItem, ApiError> {
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = managed(conn, &user, &id)?;
                if row.published_at.is_some() == publish {
                    let refusal =
                        if publish { AssociationsError::AlreadyPublished } else { AssociationsError::NotPublished };
                    return Err(refusal.into());
                }
                let at = now();
                diesel::update(n::table.find(&id))
                    .set((n::published_at.eq(publish.then_some(at)), n::updated_at.eq(at)))
                    .execute(conn)?;
                let action = if publish { "news.published" } else { "news.unpublished" };
                audit::record(conn, Event::new(action, "news", Some(&id)).by(&user.person_id))?;
                let (row, name) = load(conn, &id)?;
                Ok::<_, ApiError>(item(row, name))
            })
        })
        .await
}

/// Publishes a draft: it becomes public, dated now.
#[utoipa::path(
    tag = "news",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The news item")),
    responses(
        (status = 200, description = "Published", body = NewsItem),
        (status = 403, description = "Not an admin of its association", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_published`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/news/{id}/publish")]
pub async fn publish_news(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<NewsItem>, ApiError> {
    Ok(web::Json(set_published(&state, user, id.into_inner(), true).await?))
}

/// Takes an item off the public lists; it stays as a draft.
#[utoipa::path(
    tag = "news",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The news item")),
    responses(
        (status = 200, description = "Unpublished", body = NewsItem),
        (status = 403, description = "Not an admin of its association", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`not_published`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/news/{id}/unpublish")]
pub async fn unpublish_news(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<NewsItem>, ApiError> {
    Ok(web::Json(set_published(&state, user, id.into_inner(), false).await?))
}
