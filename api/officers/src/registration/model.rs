//! Rows of `officers` and the forms that write them.

use anjoman_core::db::schema::officers as o;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::rules::Standing;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = o)]
pub struct Officer {
    pub person_id: String,
    pub father_name: String,
    pub gender: String,
    pub id_card_number: String,
    pub phone: Option<String>,
    pub address: String,
    pub province_id: String,
    pub city_id: String,
    pub field: String,
    pub degree_level: String,
    pub documents: String,
    pub qualified_at: Option<NaiveDateTime>,
    pub standing: String,
}

impl Officer {
    /// Qualified, and the qualification neither suspended nor revoked.
    pub fn qualified(&self) -> bool {
        self.qualified_at.is_some() && self.standing == Standing::Active.as_str()
    }

    pub fn standing(&self) -> Standing {
        Standing::parse(&self.standing).unwrap_or(Standing::Active)
    }
}

/// A registration (TO-01).
#[derive(Insertable)]
#[diesel(table_name = o)]
pub struct NewOfficer<'a> {
    pub person_id: &'a str,
    pub father_name: &'a str,
    pub gender: &'a str,
    pub id_card_number: &'a str,
    pub phone: Option<&'a str>,
    pub address: &'a str,
    pub province_id: &'a str,
    pub city_id: &'a str,
    pub field: &'a str,
    pub degree_level: &'a str,
    pub documents: String,
    /// Set for a qualified officer brought in by an import; a registering officer has none.
    pub qualified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The free items (TO-06); `None` keeps a value, `Some(None)` clears the phone.
#[derive(AsChangeset, Default)]
#[diesel(table_name = o)]
pub struct FreeItems {
    pub father_name: Option<String>,
    pub gender: Option<String>,
    pub id_card_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<Option<String>>,
}

/// The items only an approved amendment (or the qualification request's province) changes.
#[derive(AsChangeset, Default)]
#[diesel(table_name = o)]
pub struct QualifiedItems {
    pub field: Option<String>,
    pub degree_level: Option<String>,
    pub province_id: Option<String>,
    pub city_id: Option<String>,
    pub documents: Option<String>,
}
