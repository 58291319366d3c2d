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

use anjoman_core::auth::CurrentUser;
use anjoman_core::db::DbConn;
use anjoman_core::{ApiError, Msg};

use crate::model::Election;
use crate::rules::{self, Status};
use crate::store;
use trustees::{TrusteeRow, trustees};

pub(crate) fn not_a_trustee() -> ApiError {
    ApiError::Denied {
        code: "not_a_trustee",
        msg: Msg::new("شما امین این انتخابات نیستید.", "You are not a trustee of this election."),
    }
}

pub(crate) fn invalid(field: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::field(
        field,
        &format!("پیام رمزنگاری نامعتبر است: {why}"),
        &format!("The cryptographic message does not check out: {why}"),
    )
}

pub(crate) fn waiting(fa: &str, en: &str) -> ApiError {
    ApiError::Conflict { code: "ceremony_waiting", msg: Msg::new(fa, en) }
}

pub(crate) fn already(fa: &str, en: &str) -> ApiError {
    ApiError::Conflict { code: "already_done", msg: Msg::new(fa, en) }
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
    let i = rows.iter().position(|t| t.person_id == user.person_id).ok_or_else(not_a_trustee)?;
    rules::require(e.state(), allowed)?;
    Ok((e, rows, i))
}
