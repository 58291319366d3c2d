//! Verifiable ballots on the server (EL-10). The server is a courier and a bulletin board: the
//! trustees' ceremony messages, the encrypted ballots and the partial decryptions pass through it
//! and are checked by it, but it never holds a key share or a plaintext choice.
//!
//! The crypto's election id is the election's id; the candidates' order in an encrypted contest is
//! their order on the ballot page (Persian alphabetical, [`store::candidates`]).

pub mod ceremony;
pub mod decryption;
pub mod record;
pub mod trustees;

use anjoman_core::ApiError;
use anjoman_core::auth::CurrentUser;
use anjoman_core::db::DbConn;

use crate::errors::ElectionsError;
use crate::model::Election;
use crate::rules::{self, Status};
use crate::store;
use trustees::{TrusteeRow, trustees};

pub(crate) fn invalid(field: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::field(
        field,
        &format!("پیام رمزنگاری نامعتبر است: {why}"),
        &format!("The cryptographic message does not check out: {why}"),
    )
}

/// The signed-in trustee's row, for a step of the ceremony while the election is a draft.
pub(crate) fn my_row(
    conn: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    allowed: &[Status],
) -> Result<(Election, Vec<TrusteeRow>, usize), ApiError> {
    let e = store::get(conn, id)?;
    let rows = trustees(conn, id)?;
    let i = rows.iter().position(|t| t.person_id == user.person_id).ok_or(ElectionsError::NotATrustee)?;
    rules::require(e.state(), allowed)?;
    Ok((e, rows, i))
}
