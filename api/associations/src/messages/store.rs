//! The messages' queries: summaries with their senders, unread counts, one message with its
//! attachments, and read marks.

use anjoman_core::ApiError;
use anjoman_core::db::schema::{
    associations as a, message_attachments as ma, message_recipients as mr, messages as msg,
};
use anjoman_core::db::{DbConn, new_id, now};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::send::Letter;
use super::{AttachmentDto, Audience, Mailbox, MessageDto, MessageSummary, Sender};

pub(crate) type Header = (String, String, String, String, String, NaiveDateTime);

pub(crate) fn header_cols() -> (msg::id, msg::sender_kind, msg::sender_id, msg::subject, msg::audience, msg::created_at)
{
    (msg::id, msg::sender_kind, msg::sender_id, msg::subject, msg::audience, msg::created_at)
}

/// Turns message headers into summaries: senders' names and attachment counts in two queries.
pub(crate) fn summaries(
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

/// The ids and names of associations, by name.
pub(crate) fn association_names(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    a::table.filter(a::id.eq_any(ids)).order(a::name).select((a::id, a::name)).load(conn)
}

/// One page of a mailbox's inbox (with each message's read mark) or sent folder, newest first,
/// and the folder's total.
#[allow(clippy::type_complexity)]
pub(crate) fn folder(
    conn: &mut DbConn,
    mailbox: &Mailbox,
    sent: bool,
    unread_only: bool,
    offset: i64,
    per_page: i64,
) -> QueryResult<(i64, Vec<(Header, Option<Option<NaiveDateTime>>)>)> {
    if sent {
        let filtered =
            || msg::table.filter(msg::sender_kind.eq(mailbox.kind())).filter(msg::sender_id.eq(mailbox.id()));
        let total: i64 = filtered().count().get_result(conn)?;
        let rows: Vec<Header> =
            filtered().order(msg::created_at.desc()).offset(offset).limit(per_page).select(header_cols()).load(conn)?;
        return Ok((total, rows.into_iter().map(|h| (h, None)).collect()));
    }
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
    Ok((total, rows.into_iter().map(|(h, r)| (h, Some(r))).collect()))
}

pub(crate) fn unread(conn: &mut DbConn, mailbox: &Mailbox) -> QueryResult<i64> {
    mr::table
        .filter(mr::mailbox_kind.eq(mailbox.kind()))
        .filter(mr::mailbox_id.eq(mailbox.id()))
        .filter(mr::read_at.is_null())
        .count()
        .get_result(conn)
}

/// The message as this mailbox sees it: `Some(read_at)` when received, `None` when sent by it.
pub(crate) fn find(
    conn: &mut DbConn,
    mailbox: &Mailbox,
    id: &str,
) -> Result<(Header, Option<Option<NaiveDateTime>>), ApiError> {
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

pub(crate) fn set_read(conn: &mut DbConn, mailbox: &Mailbox, id: &str, read: bool) -> QueryResult<()> {
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
pub(crate) fn message_dto(
    conn: &mut DbConn,
    header: (Header, Option<Option<NaiveDateTime>>),
) -> Result<MessageDto, ApiError> {
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

/// A sent message: its row, one row per recipient's mailbox and one per attachment; its id.
pub(crate) fn insert(
    conn: &mut DbConn,
    from: &Mailbox,
    actor: &str,
    letter: &Letter,
    audience: &Audience,
    recipients: &[Mailbox],
) -> Result<String, ApiError> {
    let id = new_id();
    diesel::insert_into(msg::table)
        .values((
            msg::id.eq(&id),
            msg::sender_kind.eq(from.kind()),
            msg::sender_id.eq(from.id()),
            msg::sent_by.eq(actor),
            msg::subject.eq(&letter.subject),
            msg::body.eq(&letter.text),
            msg::audience.eq(serde_json::to_string(audience).map_err(|_| ApiError::Internal)?),
            msg::created_at.eq(now()),
        ))
        .execute(conn)?;
    for r in recipients {
        diesel::insert_into(mr::table)
            .values((
                mr::id.eq(new_id()),
                mr::message_id.eq(&id),
                mr::mailbox_kind.eq(r.kind()),
                mr::mailbox_id.eq(r.id()),
            ))
            .execute(conn)?;
    }
    for file in &letter.attachments {
        diesel::insert_into(ma::table).values((ma::message_id.eq(&id), ma::file_id.eq(file))).execute(conn)?;
    }
    Ok(id)
}
