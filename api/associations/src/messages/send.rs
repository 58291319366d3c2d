//! Sending a message: the sender's mailbox, the audience resolved to recipients' mailboxes,
//! the attachments checked, and one row per recipient.

use actix_web::{HttpResponse, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::{
    associations as a, memberships as m, message_attachments as ma, message_recipients as mr, messages as msg,
};
use anjoman_core::db::{new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::files::Purpose;
use anjoman_core::{ApiError, FieldErrors, Msg};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::rules::{DegreeLevel, MembershipStatus, field_key};

use super::store::{find, message_dto};
use super::{ATTACHMENTS_MAX, Audience, BODY_MAX, Mailbox, MessageDto, SUBJECT_MAX};

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
