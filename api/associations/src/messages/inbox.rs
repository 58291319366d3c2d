//! Reading mail: the caller's mailboxes with unread counts, a folder page, one message, and
//! marking it read or unread.

use actix_web::{HttpResponse, get, post, web};
use anjoman_core::ApiError;
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::{now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::paging::page_bounds;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::store::{association_names, find, folder, message_dto, set_read, summaries, unread};
use super::{Mailbox, MailboxDto, MailboxList, MessageDto, MessagePage};

/// The caller's mailboxes (their own, the commission's, their associations') with unread counts.
#[utoipa::path(tag = "messages", security(("bearer" = [])), responses((status = 200, description = "Mailboxes", body = MailboxList)))]
#[get("/mailboxes")]
pub async fn list_mailboxes(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<MailboxList>, ApiError> {
    let items = state
        .db(move |conn| {
            let mut out = vec![];
            let me = Mailbox::Person(user.person_id.clone());
            out.push(MailboxDto {
                mailbox: "me".into(),
                kind: "person".into(),
                name: None,
                unread: unread(conn, &me)?,
            });
            if user.may(&[Role::CommissionAdmin.any()]) {
                let n = unread(conn, &Mailbox::Commission)?;
                out.push(MailboxDto { mailbox: "commission".into(), kind: "commission".into(), name: None, unread: n });
            }
            if user.may(&[Role::DirectorateAdmin.any()]) {
                let n = unread(conn, &Mailbox::Directorate)?;
                out.push(MailboxDto {
                    mailbox: "directorate".into(),
                    kind: "directorate".into(),
                    name: None,
                    unread: n,
                });
            }
            let managed = user.scopes(Role::AssociationAdmin);
            for (id, name) in association_names(conn, &managed)? {
                let n = unread(conn, &Mailbox::Association(id.clone()))?;
                out.push(MailboxDto { mailbox: id, kind: "association".into(), name: Some(name), unread: n });
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(MailboxList { items }))
}

#[derive(Deserialize, IntoParams)]
pub struct FolderQuery {
    /// `inbox` (default) or `sent`
    pub folder: Option<String>,
    /// Inbox: only unread messages.
    pub unread_only: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A mailbox's inbox or sent folder, newest first.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("mailbox" = String, Path, description = "`me`, `commission` or an association's id"), FolderQuery),
    responses(
        (status = 200, description = "One page", body = MessagePage),
        (status = 400, description = "Unknown folder or invalid paging", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not this mailbox's holder", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/mailboxes/{mailbox}/messages")]
pub async fn list_messages(
    state: web::Data<AppState>,
    user: AuthUser,
    mailbox: web::Path<String>,
    q: web::Query<FolderQuery>,
) -> Result<web::Json<MessagePage>, ApiError> {
    let mailbox = Mailbox::open(&mailbox, &user)?;
    let sent = match q.folder.as_deref().unwrap_or("inbox") {
        "inbox" => false,
        "sent" => true,
        _ => return Err(ApiError::field("folder", "پوشه نامعتبر است.", "Unknown folder.")),
    };
    if sent && matches!(mailbox, Mailbox::Person(_)) {
        return Err(ApiError::field("folder", "اعضا پیام نمی‌فرستند.", "Members do not send messages."));
    }
    let (page, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let unread_only = q.unread_only.unwrap_or(false);
    let (total, unread_n, items) = state
        .db(move |conn| {
            let (total, rows) = folder(conn, &mailbox, sent, unread_only, offset, per_page)?;
            Ok((total, unread(conn, &mailbox)?, summaries(conn, rows)?))
        })
        .await?;
    Ok(web::Json(MessagePage { total, unread: unread_n, page, per_page, items }))
}

/// Opens a message; opening a received one marks it read.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("mailbox" = String, Path, description = "`me`, `commission` or an association's id"), ("id" = String, Path, description = "The message")),
    responses(
        (status = 200, description = "The message", body = MessageDto),
        (status = 403, description = "Not this mailbox's holder", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "Not in this mailbox", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/mailboxes/{mailbox}/messages/{id}")]
pub async fn show_message(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<web::Json<MessageDto>, ApiError> {
    let (mailbox, id) = path.into_inner();
    let mailbox = Mailbox::open(&mailbox, &user)?;
    let dto = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (header, read_at) = find(conn, &mailbox, &id)?;
                let read_now = read_at.map(|_| {
                    set_read(conn, &mailbox, &id, true)?;
                    Ok::<_, ApiError>(Some(now()))
                });
                let read_at = read_now.transpose()?;
                message_dto(conn, (header, read_at))
            })
        })
        .await?;
    Ok(web::Json(dto))
}

#[derive(Deserialize, ToSchema)]
pub struct ReadMark {
    pub read: bool,
}

/// Marks a received message read or unread again.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("mailbox" = String, Path, description = "`me`, `commission` or an association's id"), ("id" = String, Path, description = "The message")),
    request_body = ReadMark,
    responses(
        (status = 204, description = "Marked"),
        (status = 403, description = "Not this mailbox's holder", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "Not received by this mailbox", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/mailboxes/{mailbox}/messages/{id}/read")]
pub async fn mark_message(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
    body: web::Json<ReadMark>,
) -> Result<HttpResponse, ApiError> {
    let (mailbox, id) = path.into_inner();
    let mailbox = Mailbox::open(&mailbox, &user)?;
    let read = body.read;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                match find(conn, &mailbox, &id)? {
                    (_, Some(_)) => set_read(conn, &mailbox, &id, read)?,
                    (_, None) => return Err(ApiError::NotFound),
                }
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
