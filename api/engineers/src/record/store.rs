//! Every write of the engineer's record. A sub-resource is written only through its owner: an
//! id of someone else's row is "not found", never changed.

use anjoman_core::ApiError;
use anjoman_core::db::schema::{
    engineer_addresses as ad, engineer_contacts as ct, engineer_degrees as dg, engineer_documents as dc,
    engineer_relatives as rl, engineers as en,
};
use anjoman_core::db::{DbConn, now};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{
    AddressForm, ContactForm, DegreeForm, MainForm, NewAddress, NewContact, NewDegree, NewDocument, NewRelative,
    RelativeForm,
};

/// One row changed, or the caller owns no such row.
fn one(n: usize) -> Result<(), ApiError> {
    if n == 0 { Err(ApiError::NotFound) } else { Ok(()) }
}

pub fn touch(conn: &mut DbConn, me: &str) -> QueryResult<()> {
    diesel::update(en::table.find(me)).set(en::updated_at.eq(now())).execute(conn).map(drop)
}

pub fn save_main(conn: &mut DbConn, me: &str, form: &MainForm) -> QueryResult<()> {
    diesel::update(en::table.find(me)).set(form).execute(conn).map(drop)
}

/// An entered province of birth changed: it waits for an expert's confirmation again (EN-07).
pub fn unconfirm_birth_province(conn: &mut DbConn, me: &str) -> QueryResult<()> {
    diesel::update(en::table.find(me))
        .set((
            en::birth_province_confirmed_by.eq(None::<String>),
            en::birth_province_confirmed_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

/// Whether the caller's degree is verified (`NotFound` when it is not theirs).
pub fn degree_verified(conn: &mut DbConn, me: &str, id: &str) -> Result<bool, ApiError> {
    dg::table
        .find(id)
        .filter(dg::engineer_id.eq(me))
        .select(dg::verified)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub fn insert_degree(conn: &mut DbConn, row: &NewDegree) -> QueryResult<()> {
    diesel::insert_into(dg::table).values(row).execute(conn).map(drop)
}

pub fn update_degree(conn: &mut DbConn, me: &str, id: &str, form: &DegreeForm) -> Result<(), ApiError> {
    one(diesel::update(dg::table.find(id).filter(dg::engineer_id.eq(me)))
        .set((form, dg::updated_at.eq(now())))
        .execute(conn)?)
}

pub fn delete_degree(conn: &mut DbConn, me: &str, id: &str) -> Result<(), ApiError> {
    one(diesel::delete(dg::table.find(id).filter(dg::engineer_id.eq(me))).execute(conn)?)
}

pub fn insert_contact(conn: &mut DbConn, row: &NewContact) -> QueryResult<()> {
    diesel::insert_into(ct::table).values(row).execute(conn).map(drop)
}

pub fn update_contact(conn: &mut DbConn, me: &str, id: &str, form: &ContactForm) -> Result<(), ApiError> {
    one(diesel::update(ct::table.find(id).filter(ct::engineer_id.eq(me))).set(form).execute(conn)?)
}

pub fn delete_contact(conn: &mut DbConn, me: &str, id: &str) -> Result<(), ApiError> {
    one(diesel::delete(ct::table.find(id).filter(ct::engineer_id.eq(me))).execute(conn)?)
}

pub fn address_count(conn: &mut DbConn, me: &str) -> QueryResult<i64> {
    ad::table.filter(ad::engineer_id.eq(me)).count().get_result(conn)
}

/// Whether the caller's address is the correspondence address (`NotFound` when not theirs).
pub fn address_is_correspondence(conn: &mut DbConn, me: &str, id: &str) -> Result<bool, ApiError> {
    ad::table
        .find(id)
        .filter(ad::engineer_id.eq(me))
        .select(ad::correspondence)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// The kind of the caller's address (`NotFound` when not theirs).
pub fn address_kind(conn: &mut DbConn, me: &str, id: &str) -> Result<String, ApiError> {
    ad::table.find(id).filter(ad::engineer_id.eq(me)).select(ad::kind).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// Whether the engineer has a correspondence address.
pub fn has_correspondence(conn: &mut DbConn, me: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(ad::table.filter(ad::engineer_id.eq(me)).filter(ad::correspondence.eq(true))))
        .get_result(conn)
}

pub fn insert_address(conn: &mut DbConn, row: &NewAddress) -> QueryResult<()> {
    diesel::insert_into(ad::table).values(row).execute(conn).map(drop)
}

pub fn update_address(conn: &mut DbConn, me: &str, id: &str, form: &AddressForm) -> Result<(), ApiError> {
    one(diesel::update(ad::table.find(id).filter(ad::engineer_id.eq(me)))
        .set((form, ad::updated_at.eq(now())))
        .execute(conn)?)
}

pub fn delete_address(conn: &mut DbConn, me: &str, id: &str) -> Result<(), ApiError> {
    one(diesel::delete(ad::table.find(id).filter(ad::engineer_id.eq(me))).execute(conn)?)
}

/// Moves the correspondence mark to `id`: the others lose it in the same transaction, so exactly
/// one address has it (and a unique index refuses a second whatever the code does).
pub fn set_correspondence(conn: &mut DbConn, me: &str, id: &str) -> QueryResult<()> {
    diesel::update(ad::table.filter(ad::engineer_id.eq(me)).filter(ad::id.ne(id)))
        .set(ad::correspondence.eq(false))
        .execute(conn)?;
    diesel::update(ad::table.find(id).filter(ad::engineer_id.eq(me))).set(ad::correspondence.eq(true)).execute(conn)?;
    Ok(())
}

pub fn insert_document(conn: &mut DbConn, row: &NewDocument) -> QueryResult<()> {
    diesel::insert_into(dc::table).values(row).execute(conn).map(drop)
}

pub fn delete_document(conn: &mut DbConn, me: &str, id: &str) -> Result<(), ApiError> {
    one(diesel::delete(dc::table.find(id).filter(dc::engineer_id.eq(me))).execute(conn)?)
}

pub fn insert_relative(conn: &mut DbConn, row: &NewRelative) -> QueryResult<()> {
    diesel::insert_into(rl::table).values(row).execute(conn).map(drop)
}

pub fn update_relative(conn: &mut DbConn, me: &str, id: &str, form: &RelativeForm) -> Result<(), ApiError> {
    one(diesel::update(rl::table.find(id).filter(rl::engineer_id.eq(me))).set(form).execute(conn)?)
}

pub fn delete_relative(conn: &mut DbConn, me: &str, id: &str) -> Result<(), ApiError> {
    one(diesel::delete(rl::table.find(id).filter(rl::engineer_id.eq(me))).execute(conn)?)
}
