//! Letters and messages (AS-07): the commission writes to one, several or all associations; an
//! association writes to the commission or to its approved members (all, or those of a field and
//! degree). Every recipient has an inbox with read and unread; attachments are files uploaded
//! with purpose `attachment`, readable by the sender and by the mailboxes the message went to.

pub mod inbox;
pub mod send;
pub mod store;

use anjoman_core::ApiError;
use anjoman_core::auth::{CurrentUser, Role};
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::{message_attachments as ma, message_recipients as mr};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::require_manager;

pub(crate) const SUBJECT_MAX: usize = 200;
pub(crate) const BODY_MAX: usize = 20_000;
pub(crate) const ATTACHMENTS_MAX: usize = 10;

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
                user.require(&[Role::CommissionAdmin.any()])?;
                Ok(Mailbox::Commission)
            }
            "directorate" => {
                user.require(&[Role::DirectorateAdmin.any()])?;
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
            Mailbox::Commission => user.may(&[Role::CommissionAdmin.any()]),
            Mailbox::Directorate => user.may(&[Role::DirectorateAdmin.any()]),
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
