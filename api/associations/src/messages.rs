//! Letters and messages (AS-07): the commission writes to one, several or all associations; an
//! association writes to the commission or to its approved members (all, or those of a field and
//! degree). Every recipient has an inbox with read and unread; attachments are files uploaded
//! with purpose `attachment`, readable by the sender and by the mailboxes the message went to.

use actix_web::{HttpResponse, get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser, Role, ScopeKind};
use anjoman_core::db::schema::{
    associations as a, memberships as m, message_attachments as ma, message_recipients as mr, messages as msg,
};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::files::Purpose;
use anjoman_core::platform::http::page_bounds;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::require_manager;
use crate::rules::{DegreeLevel, MembershipStatus, field_key};

const SUBJECT_MAX: usize = 200;
const BODY_MAX: usize = 20_000;
const ATTACHMENTS_MAX: usize = 10;

/// Whose mailbox: in paths `commission`, `me`, or an association's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailbox {
    Commission,
    /// The medical-equipment directorate, writing to technical officers (TO-09).
    Directorate,
    Association(String),
    Person(String),
}

impl Mailbox {
    fn kind(&self) -> &'static str {
        match self {
            Mailbox::Commission => "commission",
            Mailbox::Directorate => "directorate",
            Mailbox::Association(_) => "association",
            Mailbox::Person(_) => "person",
        }
    }

    fn id(&self) -> &str {
        match self {
            Mailbox::Commission => "commission",
            Mailbox::Directorate => "directorate",
            Mailbox::Association(id) | Mailbox::Person(id) => id,
        }
    }

    fn from_row(kind: &str, id: &str) -> Option<Self> {
        match kind {
            "commission" => Some(Mailbox::Commission),
            "directorate" => Some(Mailbox::Directorate),
            "association" => Some(Mailbox::Association(id.to_owned())),
            "person" => Some(Mailbox::Person(id.to_owned())),
            _ => None,
        }
    }

    /// The mailbox a path names, if the caller may open it.
    fn open(name: &str, user: &CurrentUser) -> Result<Self, ApiError> {
        match name {
            "me" => Ok(Mailbox::Person(user.person_id.clone())),
            "commission" => {
                user.require_any(&[Role::CommissionAdmin])?;
                Ok(Mailbox::Commission)
            }
            "directorate" => {
                user.require_any(&[Role::DirectorateAdmin])?;
                Ok(Mailbox::Directorate)
            }
            id => {
                require_manager(user, id)?;
                Ok(Mailbox::Association(id.to_owned()))
            }
        }
    }

    fn readable_by(&self, user: &CurrentUser) -> bool {
        match self {
            Mailbox::Commission => user.has_role(Role::CommissionAdmin),
            Mailbox::Directorate => user.has_role(Role::DirectorateAdmin),
            Mailbox::Association(id) => require_manager(user, id).is_ok(),
            Mailbox::Person(id) => *id == user.person_id,
        }
    }
}

/// Who a message went to, as the sender chose.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Audience {
    /// `associations`, `commission`, `members` or `officers`
    pub to: String,
    /// The associations written to; empty for all of them (`to` = `associations`).
    #[serde(default)]
    pub association_ids: Vec<String>,
    /// Members of this field only (`to` = `members`).
    pub field: Option<String>,
    /// Members of this degree level only (`to` = `members`).
    pub degree_level: Option<String>,
    /// Technical officers of this province only (`to` = `officers`).
    #[serde(default)]
    pub province_id: Option<String>,
    /// Qualified officers only (`to` = `officers`).
    #[serde(default)]
    pub qualified_only: bool,
    /// The one officer written to, by national code (`to` = `officers`).
    #[serde(default)]
    pub officer_national_code: Option<String>,
    /// How many mailboxes it reached.
    pub recipient_count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Sender {
    /// `commission`, `directorate` or `association`
    pub kind: String,
    /// The association's id (`commission` for the commission).
    pub id: String,
    /// The association's name; the commission's is shown by the client in its language.
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageSummary {
    pub id: String,
    pub subject: String,
    pub sender: Sender,
    pub created_at: DateTime<Utc>,
    /// In an inbox: whether it was read (by anyone with access to the mailbox). Unset in sent.
    pub read: Option<bool>,
    pub attachment_count: i64,
    pub audience: Audience,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: String,
    pub name: Option<String>,
    pub content_type: String,
    pub size_bytes: i64,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct MessageDto {
    #[serde(flatten)]
    pub summary: MessageSummary,
    /// Plain text.
    pub body: String,
    pub attachments: Vec<AttachmentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct MessagePage {
    pub total: i64,
    /// Unread messages in this mailbox's inbox, whatever the folder asked for.
    pub unread: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<MessageSummary>,
}

#[derive(Serialize, ToSchema)]
pub struct MailboxDto {
    /// Its name in paths: `me`, `commission` or the association's id.
    pub mailbox: String,
    /// `person`, `commission` or `association`
    pub kind: String,
    pub name: Option<String>,
    pub unread: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MailboxList {
    pub items: Vec<MailboxDto>,
}

type Header = (String, String, String, String, String, NaiveDateTime);

fn header_cols() -> (msg::id, msg::sender_kind, msg::sender_id, msg::subject, msg::audience, msg::created_at) {
    (msg::id, msg::sender_kind, msg::sender_id, msg::subject, msg::audience, msg::created_at)
}

/// Turns message headers into summaries: senders' names and attachment counts in two queries.
fn summaries(
    conn: &mut DbConn,
    rows: Vec<(Header, Option<Option<NaiveDateTime>>)>,
) -> QueryResult<Vec<MessageSummary>> {
    let ids: Vec<String> = rows.iter().map(|((id, ..), _)| id.clone()).collect();
    let senders: Vec<String> = rows.iter().map(|((_, _, sender, ..), _)| sender.clone()).collect();
    let names: Vec<(String, String)> = a::table.filter(a::id.eq_any(&senders)).select((a::id, a::name)).load(conn)?;
    let counts: Vec<(String, i64)> = ma::table
        .filter(ma::message_id.eq_any(&ids))
        .group_by(ma::message_id)
        .select((ma::message_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|((id, sender_kind, sender_id, subject, audience, created_at), read_at)| MessageSummary {
            sender: Sender {
                name: names.iter().find(|(i, _)| *i == sender_id).map(|(_, n)| n.clone()),
                kind: sender_kind,
                id: sender_id,
            },
            attachment_count: counts.iter().find(|(i, _)| *i == id).map_or(0, |(_, n)| *n),
            id,
            subject,
            created_at: created_at.and_utc(),
            read: read_at.map(|r| r.is_some()),
            audience: serde_json::from_str(&audience).unwrap_or(Audience {
                to: String::new(),
                association_ids: Vec::new(),
                field: None,
                degree_level: None,
                province_id: None,
                qualified_only: false,
                officer_national_code: None,
                recipient_count: 0,
            }),
        })
        .collect())
}

fn unread(conn: &mut DbConn, mailbox: &Mailbox) -> QueryResult<i64> {
    mr::table
        .filter(mr::mailbox_kind.eq(mailbox.kind()))
        .filter(mr::mailbox_id.eq(mailbox.id()))
        .filter(mr::read_at.is_null())
        .count()
        .get_result(conn)
}

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
            if user.has_role(Role::CommissionAdmin) {
                let n = unread(conn, &Mailbox::Commission)?;
                out.push(MailboxDto { mailbox: "commission".into(), kind: "commission".into(), name: None, unread: n });
            }
            if user.has_role(Role::DirectorateAdmin) {
                let n = unread(conn, &Mailbox::Directorate)?;
                out.push(MailboxDto {
                    mailbox: "directorate".into(),
                    kind: "directorate".into(),
                    name: None,
                    unread: n,
                });
            }
            let managed: Vec<String> = user
                .grants
                .iter()
                .filter(|g| g.role == Role::AssociationAdmin && g.scope_type == Some(ScopeKind::Association))
                .filter_map(|g| g.scope_id.clone())
                .collect();
            let names: Vec<(String, String)> =
                a::table.filter(a::id.eq_any(&managed)).order(a::name).select((a::id, a::name)).load(conn)?;
            for (id, name) in names {
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
            let (total, rows) = if sent {
                let filtered =
                    || msg::table.filter(msg::sender_kind.eq(mailbox.kind())).filter(msg::sender_id.eq(mailbox.id()));
                let total: i64 = filtered().count().get_result(conn)?;
                let rows: Vec<Header> = filtered()
                    .order(msg::created_at.desc())
                    .offset(offset)
                    .limit(per_page)
                    .select(header_cols())
                    .load(conn)?;
                (total, rows.into_iter().map(|h| (h, None)).collect())
            } else {
                let filtered = || {
                    let mut q = mr::table
                        .inner_join(msg::table)
                        .filter(mr::mailbox_kind.eq(mailbox.kind()))
                        .filter(mr::mailbox_id.eq(mailbox.id().to_owned()))
                        .into_boxed();
                    if unread_only {
                        q = q.filter(mr::read_at.is_null());
                    }
                    q
                };
                let total: i64 = filtered().count().get_result(conn)?;
                let rows: Vec<(Header, Option<NaiveDateTime>)> = filtered()
                    .order(msg::created_at.desc())
                    .offset(offset)
                    .limit(per_page)
                    .select((header_cols(), mr::read_at))
                    .load(conn)?;
                (total, rows.into_iter().map(|(h, r)| (h, Some(r))).collect())
            };
            Ok((total, unread(conn, &mailbox)?, summaries(conn, rows)?))
        })
        .await?;
    Ok(web::Json(MessagePage { total, unread: unread_n, page, per_page, items }))
}

/// The message as this mailbox sees it: `Some(read_at)` when received, `None` when sent by it.
fn find(conn: &mut DbConn, mailbox: &Mailbox, id: &str) -> Result<(Header, Option<Option<NaiveDateTime>>), ApiError> {
    let header: Header = msg::table.find(id).select(header_cols()).first(conn).optional()?.ok_or(ApiError::NotFound)?;
    let received: Option<Option<NaiveDateTime>> = mr::table
        .filter(mr::message_id.eq(id))
        .filter(mr::mailbox_kind.eq(mailbox.kind()))
        .filter(mr::mailbox_id.eq(mailbox.id()))
        .select(mr::read_at)
        .first(conn)
        .optional()?;
    match received {
        Some(read_at) => Ok((header, Some(read_at))),
        None if header.1 == mailbox.kind() && header.2 == mailbox.id() => Ok((header, None)),
        None => Err(ApiError::NotFound),
    }
}

fn set_read(conn: &mut DbConn, mailbox: &Mailbox, id: &str, read: bool) -> QueryResult<()> {
    let target = mr::table
        .filter(mr::message_id.eq(id))
        .filter(mr::mailbox_kind.eq(mailbox.kind()))
        .filter(mr::mailbox_id.eq(mailbox.id()));
    if read {
        diesel::update(target.filter(mr::read_at.is_null())).set(mr::read_at.eq(Some(now()))).execute(conn)?;
    } else {
        diesel::update(target).set(mr::read_at.eq(None::<NaiveDateTime>)).execute(conn)?;
    }
    Ok(())
}

/// The whole message: body and attachments besides the summary.
fn message_dto(conn: &mut DbConn, header: (Header, Option<Option<NaiveDateTime>>)) -> Result<MessageDto, ApiError> {
    let id = header.0.0.clone();
    let body: String = msg::table.find(&id).select(msg::body).first(conn)?;
    let ids: Vec<String> = ma::table.filter(ma::message_id.eq(&id)).select(ma::file_id).load(conn)?;
    let files = anjoman_core::platform::files::meta(conn, &ids)?;
    let summary = summaries(conn, vec![header])?.pop().ok_or(ApiError::Internal)?;
    Ok(MessageDto {
        summary,
        body,
        attachments: files
            .into_iter()
            .map(|f| AttachmentDto {
                url: anjoman_core::platform::files::url(&f.id),
                id: f.id,
                name: f.original_name,
                content_type: f.content_type,
                size_bytes: f.size_bytes,
            })
            .collect(),
    })
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
                    Ok::<_, diesel::result::Error>(Some(now()))
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

#[derive(Deserialize, ToSchema)]
pub struct SendMessage {
    /// The sending mailbox: `commission`, `directorate`, or an association's id.
    pub from: String,
    /// From the commission: `associations`. From an association: `commission` or `members`.
    /// From the directorate: `officers` (TO-09).
    pub to: String,
    /// `to` = `officers`: one officer by national code; otherwise all that match the filters.
    pub officer_national_code: Option<String>,
    /// `to` = `officers`: only officers of this province.
    pub province_id: Option<String>,
    /// `to` = `officers`: only qualified officers.
    #[serde(default)]
    pub qualified_only: bool,
    /// `to` = `associations`: which ones; empty or left out for all.
    #[serde(default)]
    pub association_ids: Vec<String>,
    /// `to` = `members`: only approved members of this field (optional).
    pub field: Option<String>,
    /// `to` = `members`: only approved members of this degree level (optional).
    pub degree_level: Option<String>,
    pub subject: String,
    pub body: String,
    /// Files uploaded by the sender with purpose `attachment` (at most 10).
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

/// Sends a letter or message (AS-07) from the commission's or an association's mailbox.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    request_body = SendMessage,
    responses(
        (status = 201, description = "Sent", body = MessageDto),
        (status = 400, description = "Invalid fields, an unknown association or attachment, or no recipients", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "May not send from this mailbox", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/messages")]
pub async fn send_message(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<SendMessage>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let from = match body.from.as_str() {
        "me" => return Err(ApiError::field("from", "اعضا پیام نمی‌فرستند.", "Members do not send messages.")),
        other => Mailbox::open(other, &user)?,
    };
    let mut e = FieldErrors::new();
    let subject = anjoman_core::text::normalize_persian(body.subject.trim());
    if subject.is_empty() || subject.chars().count() > SUBJECT_MAX {
        e.add("subject", Msg::new("موضوع الزامی است (حداکثر ۲۰۰ نویسه).", "A subject is required (at most 200)."));
    }
    let text = anjoman_core::text::normalize_persian(body.body.trim());
    if text.is_empty() || text.chars().count() > BODY_MAX {
        e.add("body", Msg::new("متن الزامی است (حداکثر ۲۰٬۰۰۰ نویسه).", "The text is required (at most 20,000)."));
    }
    let allowed = match from {
        Mailbox::Commission => body.to == "associations",
        Mailbox::Directorate => body.to == "officers",
        _ => body.to == "commission" || body.to == "members",
    };
    if !allowed {
        e.add(
            "to",
            Msg::new(
                "کمیسیون به انجمن‌ها می‌نویسد؛ انجمن به کمیسیون یا اعضای خود؛ اداره کل به مسئولان فنی.",
                "The commission writes to associations; an association to the commission or its members; the directorate to technical officers.",
            ),
        );
    }
    let field = body.field.as_deref().map(field_key).filter(|f| !f.is_empty());
    let degree = match body.degree_level.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => {
            let parsed = DegreeLevel::parse(d);
            if parsed.is_none() {
                e.add("degree_level", Msg::new("مقطع نامعتبر است.", "Unknown degree level."));
            }
            parsed
        }
        None => None,
    };
    let mut attachments = body.attachment_ids.clone();
    attachments.sort();
    attachments.dedup();
    if attachments.len() > ATTACHMENTS_MAX {
        e.add("attachment_ids", Msg::new("حداکثر ۱۰ پیوست.", "At most 10 attachments."));
    }
    e.into_result()?;
    let actor = user.person_id.clone();
    let mut ids = body.association_ids.clone();
    ids.sort();
    ids.dedup();
    let to = body.to.clone();
    let officer_code = match body.officer_national_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(
            anjoman_core::text::NationalCode::parse(c)
                .map_err(|x| ApiError::field("officer_national_code", x.message_fa(), x.message_en()))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let province = body.province_id.clone().filter(|p| !p.is_empty());
    let qualified_only = body.qualified_only;
    let created = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                for file in &attachments {
                    anjoman_core::platform::files::check(conn, file, Purpose::Attachment, &actor, "attachment_ids")?;
                }
                let recipients: Vec<Mailbox> = match (&from, to.as_str()) {
                    (Mailbox::Commission, _) => {
                        let all: Vec<String> = a::table.select(a::id).load(conn)?;
                        if let Some(unknown) = ids.iter().find(|id| !all.contains(id)) {
                            return Err(ApiError::field(
                                "association_ids",
                                "انجمنی با این شناسه نیست.",
                                &format!("No association has the id {unknown}."),
                            ));
                        }
                        let chosen = if ids.is_empty() { all } else { ids.clone() };
                        chosen.into_iter().map(Mailbox::Association).collect()
                    }
                    (Mailbox::Association(_), "commission") => vec![Mailbox::Commission],
                    (Mailbox::Association(aid), _) => {
                        let mut q = m::table
                            .filter(m::association_id.eq(aid.clone()))
                            .filter(m::status.eq(MembershipStatus::Approved.as_str()))
                            .into_boxed();
                        if let Some(fk) = &field {
                            q = q.filter(m::field.eq(fk.clone()));
                        }
                        if let Some(d) = degree {
                            q = q.filter(m::degree_level.eq(d.as_str()));
                        }
                        q.select(m::person_id).load::<String>(conn)?.into_iter().map(Mailbox::Person).collect()
                    }
                    (Mailbox::Directorate, _) => {
                        use anjoman_officers::api::{OfficerFilter, officer_ids};
                        // An unknown national code matches no officer (the empty id).
                        let person_id = match &officer_code {
                            Some(code) => {
                                Some(anjoman_identity::store::person_id_by_code(conn, code)?.unwrap_or_default())
                            }
                            None => None,
                        };
                        let filter = OfficerFilter { person_id, province_id: province.clone(), qualified_only };
                        officer_ids(conn, &filter)?.into_iter().map(Mailbox::Person).collect()
                    }
                    (Mailbox::Person(_), _) => return Err(ApiError::Forbidden),
                };
                if recipients.is_empty() {
                    return Err(ApiError::field(
                        "to",
                        "هیچ گیرنده‌ای با این مشخصات نیست.",
                        "No one matches these recipients.",
                    ));
                }
                let audience = Audience {
                    to: to.clone(),
                    association_ids: if matches!(from, Mailbox::Commission) { ids.clone() } else { Vec::new() },
                    field: field.clone(),
                    degree_level: degree.map(|d| d.as_str().to_owned()),
                    province_id: province.clone(),
                    qualified_only,
                    officer_national_code: officer_code.clone(),
                    recipient_count: recipients.len() as i64,
                };
                let (id, at) = (new_id(), now());
                diesel::insert_into(msg::table)
                    .values((
                        msg::id.eq(&id),
                        msg::sender_kind.eq(from.kind()),
                        msg::sender_id.eq(from.id()),
                        msg::sent_by.eq(&actor),
                        msg::subject.eq(&subject),
                        msg::body.eq(&text),
                        msg::audience.eq(serde_json::to_string(&audience).map_err(|_| ApiError::Internal)?),
                        msg::created_at.eq(at),
                    ))
                    .execute(conn)?;
                for r in &recipients {
                    diesel::insert_into(mr::table)
                        .values((
                            mr::id.eq(new_id()),
                            mr::message_id.eq(&id),
                            mr::mailbox_kind.eq(r.kind()),
                            mr::mailbox_id.eq(r.id()),
                        ))
                        .execute(conn)?;
                }
                for file in &attachments {
                    diesel::insert_into(ma::table)
                        .values((ma::message_id.eq(&id), ma::file_id.eq(file)))
                        .execute(conn)?;
                }
                audit::record(
                    conn,
                    Event::new("message.sent", "message", Some(&id))
                        .by(&actor)
                        .states(None, Some(serde_json::json!({"from": from.id(), "audience": audience}))),
                )?;
                let header = find(conn, &from, &id)?;
                message_dto(conn, header)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// The file-reading grant for attachments: the recipients of a message with this file read it.
pub fn may_read_attachment(conn: &mut DbConn, file_id: &str, user: &CurrentUser) -> Result<bool, ApiError> {
    let mailboxes: Vec<(String, String)> = ma::table
        .inner_join(mr::table.on(mr::message_id.eq(ma::message_id)))
        .filter(ma::file_id.eq(file_id))
        .select((mr::mailbox_kind, mr::mailbox_id))
        .distinct()
        .load(conn)?;
    Ok(mailboxes.iter().filter_map(|(k, id)| Mailbox::from_row(k, id)).any(|mb| mb.readable_by(user)))
}
