//! Every query of `officers`. Names, contacts and the birth date live with the person and are
//! written through identity's store; the officer's own items here.

use anjoman_core::db::schema::officers as o;
use anjoman_core::db::{DbConn, now};
use diesel::prelude::*;

use super::model::{FreeItems, NewOfficer, Officer, QualifiedItems};
use crate::rules::Standing;

pub fn officer(conn: &mut DbConn, person: &str) -> QueryResult<Option<Officer>> {
    o::table.find(person).select(Officer::as_select()).first(conn).optional()
}

pub fn insert(conn: &mut DbConn, row: &NewOfficer) -> QueryResult<()> {
    diesel::insert_into(o::table).values(row).execute(conn).map(drop)
}

/// Saves the free items in one write.
pub fn update_free(conn: &mut DbConn, person: &str, items: &FreeItems) -> QueryResult<()> {
    diesel::update(o::table.find(person)).set((items, o::updated_at.eq(now()))).execute(conn).map(drop)
}

/// Saves the items an approved amendment or a qualification request changes, in one write.
pub fn update_qualified(conn: &mut DbConn, person: &str, items: &QualifiedItems) -> QueryResult<()> {
    diesel::update(o::table.find(person)).set((items, o::updated_at.eq(now()))).execute(conn).map(drop)
}

/// The qualification takes effect (its fee paid) and is in force.
pub fn mark_qualified(conn: &mut DbConn, person: &str) -> QueryResult<()> {
    diesel::update(o::table.find(person))
        .set((o::qualified_at.eq(now()), o::standing.eq(Standing::Active.as_str())))
        .execute(conn)
        .map(drop)
}
