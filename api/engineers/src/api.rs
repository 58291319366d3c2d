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

/// The rule table's hook (`anjoman_core::person_fields`): an engineer's name is the
/// organisation's record, the birth date and the province of birth never change.
pub fn standing(conn: &mut DbConn, person_id: &str) -> Result<Option<anjoman_core::person_fields::Standing>, ApiError> {
    Ok(engineer(conn, person_id)?.map(|_| anjoman_core::person_fields::Standing::Engineer))
}
