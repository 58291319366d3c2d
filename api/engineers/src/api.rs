//! What other domains may ask of the engineers' domain: whether a person is an engineer on the
//! organisation's record (single sign-on creates accounts only for them), and an engineer's
//! membership (for third parties' verification). Other crates use this and nothing else of the
//! engineers' tables.

use anjoman_core::ApiError;
use anjoman_core::db::DbConn;
use diesel::QueryResult;

pub use crate::store::Engineer;

pub fn engineer(conn: &mut DbConn, person_id: &str) -> QueryResult<Option<Engineer>> {
    crate::store::engineer(conn, person_id)
}

/// The single sign-on hook: a person the organisation holds a record of may get an account.
pub fn on_record(conn: &mut DbConn, person_id: &str) -> Result<bool, ApiError> {
    Ok(engineer(conn, person_id)?.is_some())
}
