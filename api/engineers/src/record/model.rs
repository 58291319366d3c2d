//! The forms that write the engineer's record: each tab's checked values, and the new rows that
//! carry them with the owner and the times.

use anjoman_core::db::schema::{
    engineer_addresses as ad, engineer_contacts as ct, engineer_degrees as dg, engineer_documents as dc,
    engineer_relatives as rl, engineers as en,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// The main-information tab's columns of `engineers`.
#[derive(AsChangeset)]
#[diesel(table_name = en, treat_none_as_null = true)]
pub struct MainForm {
    pub father_name: String,
    pub gender: String,
    pub id_card_number: String,
    pub birth_place: String,
    pub birth_province_id: Option<String>,
}

/// A checked degree (EN-04).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = dg, treat_none_as_null = true)]
pub struct DegreeForm {
    pub level: &'static str,
    pub discipline: &'static str,
    pub orientation: String,
    pub university: String,
    pub graduated_on: NaiveDate,
    pub inquiry_code: Option<String>,
    pub letter_file_id: Option<String>,
    pub image_file_id: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = dg)]
pub struct NewDegree {
    pub id: String,
    pub engineer_id: String,
    #[diesel(embed)]
    pub form: DegreeForm,
    pub verified: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A checked contact (EN-05).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = ct)]
pub struct ContactForm {
    pub kind: &'static str,
    pub value: String,
    pub active: bool,
}

#[derive(Insertable)]
#[diesel(table_name = ct)]
pub struct NewContact {
    pub id: String,
    pub engineer_id: String,
    #[diesel(embed)]
    pub form: ContactForm,
    pub created_at: NaiveDateTime,
}

/// A checked address (EN-05).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = ad, treat_none_as_null = true)]
pub struct AddressForm {
    pub kind: &'static str,
    pub province_id: String,
    pub city: String,
    pub address: String,
    pub postal_code: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = ad)]
pub struct NewAddress {
    pub id: String,
    pub engineer_id: String,
    #[diesel(embed)]
    pub form: AddressForm,
    pub correspondence: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A document of the archive (EN-06).
#[derive(Insertable)]
#[diesel(table_name = dc)]
pub struct NewDocument<'a> {
    pub id: String,
    pub engineer_id: &'a str,
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub file_id: String,
    pub created_at: NaiveDateTime,
}

/// A checked spouse or child (EN-08).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = rl)]
pub struct RelativeForm {
    pub relation: &'static str,
    pub first_name: String,
    pub last_name: String,
    pub national_code: String,
    pub birth_date: NaiveDate,
}

#[derive(Insertable)]
#[diesel(table_name = rl)]
pub struct NewRelative {
    pub id: String,
    pub engineer_id: String,
    #[diesel(embed)]
    pub form: RelativeForm,
    pub created_at: NaiveDateTime,
}
