//! Checks on associations and memberships, pure where possible.

use crate::errors::AssociationsError;
use anjoman_core::text::{normalize_persian, search_key};
use anjoman_core::{ApiError, FieldErrors, Msg};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use anjoman_core::degrees::DegreeLevel;

/// A field of study as stored and compared: Persian-normalised, lower case.
pub fn field_key(field: &str) -> String {
    search_key(field)
}

/// Where a membership stands (AS-03). Only approved members count anywhere; a member who
/// left or was removed may ask to join again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    Pending,
    Approved,
    Rejected,
    /// The member left the association.
    Left,
    /// The association removed the member.
    Removed,
}

impl MembershipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Pending => "pending",
            MembershipStatus::Approved => "approved",
            MembershipStatus::Rejected => "rejected",
            MembershipStatus::Left => "left",
            MembershipStatus::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected, Self::Left, Self::Removed].into_iter().find(|m| m.as_str() == s)
    }

    /// Closed without a current membership: the person may ask (or be registered) again.
    pub fn closed(self) -> bool {
        matches!(self, MembershipStatus::Rejected | MembershipStatus::Left | MembershipStatus::Removed)
    }
}

/// An admin's decision on a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// The one transition function of a membership: only a pending request is decided.
pub fn transition(current: MembershipStatus, decision: Decision) -> Result<MembershipStatus, ApiError> {
    match (current, decision) {
        (MembershipStatus::Pending, Decision::Approve) => Ok(MembershipStatus::Approved),
        (MembershipStatus::Pending, Decision::Reject) => Ok(MembershipStatus::Rejected),
        (MembershipStatus::Approved, _) => Err(AssociationsError::AlreadyApproved.into()),
        (MembershipStatus::Rejected, _) => Err(AssociationsError::AlreadyRejected.into()),
        (MembershipStatus::Left | MembershipStatus::Removed, _) => Err(AssociationsError::NotAMember.into()),
    }
}

/// Who ends a membership: the member leaving, or the association removing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Leave,
    Remove,
}

/// Only a current (approved) membership ends; the result says how.
pub fn end(current: MembershipStatus, how: Ending) -> Result<MembershipStatus, ApiError> {
    match (current, how) {
        (MembershipStatus::Approved, Ending::Leave) => Ok(MembershipStatus::Left),
        (MembershipStatus::Approved, Ending::Remove) => Ok(MembershipStatus::Removed),
        _ => Err(AssociationsError::NotAMember.into()),
    }
}

/// What creating or editing an association carries, checked.
pub struct AssociationInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub statute_date: Option<Option<chrono::NaiveDate>>,
    /// A file uploaded for `association_logo`; `Some(None)` removes the logo.
    pub logo_file_id: Option<Option<String>>,
}

pub fn association_input(
    code: Option<&str>,
    name: Option<&str>,
    email: Option<&str>,
    phone: Option<&str>,
    website: Option<&str>,
    statute_date: Option<&str>,
    logo_file_id: Option<&str>,
) -> Result<AssociationInput, ApiError> {
    let mut e = FieldErrors::new();
    let code = code.map(|c| {
        let c = c.trim().to_ascii_lowercase();
        if c.is_empty() || c.len() > 40 || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') {
            e.add(
                "code",
                Msg::new(
                    "کد انجمن: حروف لاتین، رقم و خط تیره (حداکثر ۴۰).",
                    "Code: Latin letters, digits and dashes (at most 40).",
                ),
            );
        }
        c
    });
    let name = name.map(|n| {
        let n = normalize_persian(n);
        if n.is_empty() || n.chars().count() > 200 {
            e.add(
                "name",
                Msg::new("نام انجمن الزامی است (حداکثر ۲۰۰ نویسه).", "The name is required (at most 200 characters)."),
            );
        }
        n
    });
    let optional = |v: Option<&str>| v.map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty()));
    let email = optional(email).map(|o| {
        o.and_then(|s| {
            let parsed = anjoman_core::text::parse_email(&s);
            if parsed.is_none() {
                e.add("email", Msg::new("نشانی رایانامه معتبر نیست.", "The e-mail address is not valid."));
            }
            parsed
        })
    });
    let phone = optional(phone).map(|o| o.map(|s| anjoman_core::text::normalize_digits(&s)));
    let website = optional(website).map(|o| {
        o.inspect(|s| {
            if !(s.starts_with("https://") || s.starts_with("http://")) || s.len() > 200 {
                e.add(
                    "website",
                    Msg::new(
                        "نشانی وب باید با http:// یا https:// آغاز شود.",
                        "The website must start with http:// or https://.",
                    ),
                );
            }
        })
    });
    let statute_date = optional(statute_date).map(|o| {
        o.and_then(|s| {
            let d = chrono::NaiveDate::parse_from_str(&anjoman_core::text::normalize_digits(&s), "%Y-%m-%d").ok();
            if d.is_none() {
                e.add(
                    "statute_date",
                    Msg::new("تاریخ اساسنامه باید به شکل YYYY-MM-DD باشد.", "The statute date must be YYYY-MM-DD."),
                );
            }
            d
        })
    });
    let logo_file_id = optional(logo_file_id);
    e.into_result()?;
    Ok(AssociationInput { code, name, email, phone, website, statute_date, logo_file_id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pending_requests_are_decided() {
        assert_eq!(transition(MembershipStatus::Pending, Decision::Approve).unwrap(), MembershipStatus::Approved);
        assert_eq!(transition(MembershipStatus::Pending, Decision::Reject).unwrap(), MembershipStatus::Rejected);
        assert_eq!(transition(MembershipStatus::Approved, Decision::Approve).unwrap_err().code(), "already_approved");
        assert_eq!(transition(MembershipStatus::Rejected, Decision::Approve).unwrap_err().code(), "already_rejected");
        assert_eq!(transition(MembershipStatus::Left, Decision::Approve).unwrap_err().code(), "not_a_member");
    }

    #[test]
    fn only_current_memberships_end() {
        assert_eq!(end(MembershipStatus::Approved, Ending::Leave).unwrap(), MembershipStatus::Left);
        assert_eq!(end(MembershipStatus::Approved, Ending::Remove).unwrap(), MembershipStatus::Removed);
        for s in
            [MembershipStatus::Pending, MembershipStatus::Rejected, MembershipStatus::Left, MembershipStatus::Removed]
        {
            assert_eq!(end(s, Ending::Leave).unwrap_err().code(), "not_a_member");
            assert_eq!(end(s, Ending::Remove).unwrap_err().code(), "not_a_member");
            assert!(s.closed() || s == MembershipStatus::Pending);
        }
        assert!(!MembershipStatus::Approved.closed());
    }

    #[test]
    fn fields_compare_normalised() {
        assert_eq!(field_key("فیزیوتراپي"), field_key("فیزیوتراپی"));
        assert_eq!(field_key(" Medical  Informatics "), "medical informatics");
    }
}
