//! Checks on files that associations' records point at: logos, news images, attachments.

use anjoman_core::ApiError;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::files;
use anjoman_core::platform::files::Purpose;
use diesel::prelude::*;

/// The file exists and was uploaded for `purpose`; for private purposes, by `uploader` too, so no
/// one can hand on a file they cannot read themselves.
pub fn check(conn: &mut DbConn, file_id: &str, purpose: Purpose, uploader: &str, field: &str) -> Result<(), ApiError> {
    let row: Option<(String, String)> =
        files::table.find(file_id).select((files::purpose, files::owner_id)).first(conn).optional()?;
    match row {
        Some((p, owner)) if p == purpose.as_str() && (purpose.public() || owner == uploader) => Ok(()),
        _ => Err(ApiError::field(
            field,
            "پرونده پیدا نشد یا برای این کار بارگذاری نشده است.",
            "No such file, or it was not uploaded for this use.",
        )),
    }
}

/// Where a file is downloaded.
pub fn url(file_id: &str) -> String {
    format!("/api/v1/files/{file_id}")
}
