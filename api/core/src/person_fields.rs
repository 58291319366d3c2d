//! One rule table for the personal fields that several domains hold (TO-05, TO-06, EN-03,
//! EN-07, ID-10): which change freely, which only by an approved amendment or by the
//! organisation's records, and which never once recorded. Every door that writes a person (the
//! profile, the officer's and the engineer's own forms, imports, single sign-on) asks this table,
//! so a field protected on one page is protected on all of them.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, FieldErrors, Msg};

/// A personal field several domains care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    NationalCode,
    FirstName,
    LastName,
    BirthDate,
    /// The engineer's province of birth, given by the national code's issuing area.
    BirthProvince,
}

impl PersonField {
    /// The field's name in request bodies.
    pub fn key(self) -> &'static str {
        match self {
            PersonField::NationalCode => "national_code",
            PersonField::FirstName => "first_name",
            PersonField::LastName => "last_name",
            PersonField::BirthDate => "birth_date",
            PersonField::BirthProvince => "birth_province_id",
        }
    }
}

/// How a field may change, from the most to the least free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The person edits it on any of their pages.
    Free,
    /// Only through an amendment request that a reviewer approves (TO-05).
    ByAmendment,
    /// Only by the organisation holding the person's record (the engineering organisation's
    /// province, through its experts and imports).
    ByOrganisation,
    /// Never, once recorded (an empty field may be filled once).
    Never,
}

/// What a person is, as far as the rules of their fields go; each domain says which apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Everyone.
    Person,
    /// A registered technical officer (TO-06).
    Officer,
    /// An engineer the engineering organisation holds a record of (EN-03).
    Engineer,
}

use Change::*;
use PersonField::*;
use Standing::*;

/// The table. A field with no row for any of a person's standings is free.
pub const RULES: &[(Standing, PersonField, Change)] = &[
    (Person, NationalCode, Never),
    (Officer, FirstName, ByAmendment),
    (Officer, LastName, ByAmendment),
    (Officer, BirthDate, Never),
    (Engineer, FirstName, ByOrganisation),
    (Engineer, LastName, ByOrganisation),
    (Engineer, BirthDate, Never),
    (Engineer, BirthProvince, Never),
];

/// How `field` may change for a person of these standings: the strictest rule that applies.
pub fn rule(standings: &[Standing], field: PersonField) -> Change {
    RULES
        .iter()
        .filter(|(s, f, _)| *f == field && (*s == Person || standings.contains(s)))
        .map(|(_, _, c)| *c)
        .max()
        .unwrap_or(Free)
}

/// A protected field, as the person's pages show it (read-only, saying where it changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Protected {
    pub field: PersonField,
    pub change: Change,
}

/// Every field that is not free for a person of these standings.
pub fn protected(standings: &[Standing]) -> Vec<Protected> {
    [NationalCode, FirstName, LastName, BirthDate, BirthProvince]
        .into_iter()
        .filter_map(|field| {
            let change = rule(standings, field);
            (change != Free).then_some(Protected { field, change })
        })
        .collect()
}

/// Why a field cannot change on a person's own page.
pub fn reason(change: Change) -> Msg {
    match change {
        Free => Msg::new("", ""),
        ByAmendment => Msg::new(
            "این مورد تنها با درخواست اصلاحیه و پس از تأیید آن تغییر می‌کند.",
            "This changes only through an amendment request, once it is approved.",
        ),
        ByOrganisation => Msg::new(
            "این مورد را تنها سازمان نظام مهندسی استان در پروندهٔ شما اصلاح می‌کند.",
            "Only the province's engineering organisation corrects this in your record.",
        ),
        Never => Msg::new("این مورد پس از ثبت تغییر نمی‌کند.", "This never changes once recorded."),
    }
}

/// Checks a person's own edit: each `(field, recorded, wanted)` whose value would change is
/// refused unless the field is free; an empty `Never` field may be filled once. Refuses with
/// `field_protected`, one message per field.
pub fn check_own_edit(standings: &[Standing], edits: &[(PersonField, bool, bool)]) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    for &(field, recorded, changes) in edits {
        if !changes {
            continue;
        }
        match rule(standings, field) {
            Free => {}
            Never if !recorded => {}
            change => errors.add(field.key(), reason(change)),
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(ApiError::Rejected {
        code: "field_protected",
        msg: Msg::new(
            "برخی موارد در این صفحه تغییر نمی‌کنند؛ توضیح هر یک کنار آن آمده است.",
            "Some fields cannot change here; each says where it does.",
        ),
        fields: errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strictest_rule_of_a_persons_standings_applies() {
        assert_eq!(rule(&[], FirstName), Free);
        assert_eq!(rule(&[], NationalCode), Never);
        assert_eq!(rule(&[Officer], FirstName), ByAmendment);
        assert_eq!(rule(&[Engineer], FirstName), ByOrganisation);
        assert_eq!(rule(&[Officer, Engineer], LastName), ByOrganisation);
        assert_eq!(rule(&[Officer], BirthDate), Never);
        assert_eq!(rule(&[Officer], BirthProvince), Free);
    }

    #[test]
    fn own_edits_of_protected_fields_are_refused_and_an_empty_birth_date_may_be_filled() {
        assert!(check_own_edit(&[], &[(FirstName, true, true), (BirthDate, true, true)]).is_ok());
        assert!(check_own_edit(&[Officer], &[(FirstName, true, false)]).is_ok());
        assert!(check_own_edit(&[Officer], &[(BirthDate, false, true)]).is_ok());
        let Err(ApiError::Rejected { code, fields, .. }) =
            check_own_edit(&[Officer], &[(FirstName, true, true), (BirthDate, true, true)])
        else {
            panic!("refused")
        };
        assert_eq!(code, "field_protected");
        let keys: Vec<_> = fields.0.keys().cloned().collect();
        assert_eq!(keys, ["birth_date", "first_name"]);
    }

    #[test]
    fn a_page_shows_every_protected_field_with_its_reason() {
        let p = protected(&[Engineer]);
        let fields: Vec<_> = p.iter().map(|p| p.field).collect();
        assert_eq!(fields, [NationalCode, FirstName, LastName, BirthDate, BirthProvince]);
        assert_eq!(p[1].change, ByOrganisation);
        assert_eq!(protected(&[]), [Protected { field: NationalCode, change: Never }]);
        assert!(reason(ByOrganisation).get(crate::Lang::En).contains("engineering organisation"));
    }
}
