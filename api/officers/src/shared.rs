//! Helpers the officers' resources share: text cleaning, document lists, notices to a person and
//! the conflicts that more than one resource answers with.

use anjoman_core::ApiError;
use anjoman_core::db::DbConn;
use anjoman_core::http::AppState;
use anjoman_core::platform::files::{self, Purpose};
use serde::Serialize;
use utoipa::ToSchema;

use crate::rules::RequestKind;

/// The fee of a request kind, in rials (ANJOMAN_OFFICER_*_FEE_RIALS).
pub(crate) fn fee(state: &AppState, kind: RequestKind) -> i64 {
    match kind {
        RequestKind::Qualification => state.config.officer_fees.qualification_rials,
        RequestKind::Amendment => state.config.officer_fees.amendment_rials,
    }
}

pub(crate) fn clean(v: &str) -> String {
    anjoman_core::text::normalize_persian(v.trim())
}

/// A document list as stored in a column (a JSON array of file ids).
pub(crate) fn files_json(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn files_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Checks that each file was uploaded by `owner` as an officer document.
pub(crate) fn check_documents(conn: &mut DbConn, ids: &[String], owner: &str, field: &str) -> Result<(), ApiError> {
    for (i, f) in ids.iter().enumerate() {
        files::check(conn, f, Purpose::OfficerDocument, owner, &format!("{field}[{i}]"))?;
    }
    Ok(())
}

/// Tells a person about their request (SMS and e-mail through the outbox).
pub(crate) fn notify(conn: &mut DbConn, person: &str, text: &str) -> Result<(), ApiError> {
    Ok(anjoman_identity::store::notify_person(
        conn,
        person,
        "officer_request",
        "درخواست مسئول فنی / Technical officer request",
        text,
    )?)
}

#[derive(Serialize, ToSchema)]
pub struct FileRef {
    pub id: String,
    pub url: String,
}

pub(crate) fn file_refs(json: &str) -> Vec<FileRef> {
    files_of(json).into_iter().map(|id| FileRef { url: files::url(&id), id }).collect()
}
