//! Files (PL-03): uploads checked by content, not by name or declared type; stored under random
//! keys on local disk or S3-compatible object storage; read back only by those a file's
//! purpose allows.

use std::sync::Arc;

use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};

use diesel::prelude::*;

use crate::ApiError;
use crate::auth::{CurrentUser, Role};
use crate::db::schema::files;

/// What the content really is, decided by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Webp,
}

impl Kind {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Kind::Webp)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Webp => "webp",
        }
    }
}

const IMAGES: &[Kind] = &[Kind::Png, Kind::Jpeg, Kind::Webp];
const DOCUMENTS: &[Kind] = &[Kind::Pdf, Kind::Png, Kind::Jpeg, Kind::Webp];
const MB: usize = 1024 * 1024;

/// Why a file is kept: decides its size limit, its types and who may read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A person's own photo.
    ProfilePhoto,
    /// A candidate's photo, résumé and programme (EL-03): public.
    CandidatePhoto,
    CandidateResume,
    CandidateProgramme,
    /// A technical officer's degree and identity scans (TO-01): reviewers only.
    OfficerDocument,
    /// An engineer's archive and degree images (EN-04, EN-06): the province's experts only.
    EngineerDocument,
    /// An attachment of a message (AS-07): its sender, and the mailboxes it went to.
    Attachment,
    /// An association's logo (AS-01): public.
    AssociationLogo,
    /// A news item's image (AS-06): public once chosen; drafts' images too, as they reveal little.
    NewsImage,
}

impl Purpose {
    pub const ALL: [Purpose; 9] = [
        Purpose::ProfilePhoto,
        Purpose::CandidatePhoto,
        Purpose::CandidateResume,
        Purpose::CandidateProgramme,
        Purpose::OfficerDocument,
        Purpose::EngineerDocument,
        Purpose::Attachment,
        Purpose::AssociationLogo,
        Purpose::NewsImage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::ProfilePhoto => "profile_photo",
            Purpose::CandidatePhoto => "candidate_photo",
            Purpose::CandidateResume => "candidate_resume",
            Purpose::CandidateProgramme => "candidate_programme",
            Purpose::OfficerDocument => "officer_document",
            Purpose::EngineerDocument => "engineer_document",
            Purpose::Attachment => "attachment",
            Purpose::AssociationLogo => "association_logo",
            Purpose::NewsImage => "news_image",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn max_bytes(self) -> usize {
        match self {
            Purpose::ProfilePhoto | Purpose::CandidatePhoto | Purpose::AssociationLogo => 2 * MB,
            Purpose::NewsImage => 5 * MB,
            Purpose::CandidateResume | Purpose::CandidateProgramme => 5 * MB,
            Purpose::OfficerDocument | Purpose::EngineerDocument | Purpose::Attachment => 10 * MB,
        }
    }

    pub fn kinds(self) -> &'static [Kind] {
        match self {
            Purpose::ProfilePhoto | Purpose::CandidatePhoto | Purpose::AssociationLogo | Purpose::NewsImage => IMAGES,
            Purpose::CandidateResume | Purpose::CandidateProgramme => &[Kind::Pdf],
            Purpose::OfficerDocument | Purpose::EngineerDocument | Purpose::Attachment => DOCUMENTS,
        }
    }

    /// Readable by anyone, signed in or not.
    pub fn public(self) -> bool {
        matches!(
            self,
            Purpose::CandidatePhoto
                | Purpose::CandidateResume
                | Purpose::CandidateProgramme
                | Purpose::AssociationLogo
                | Purpose::NewsImage
        )
    }

    /// Besides the owner, who may read a private file of this purpose.
    pub fn reader_roles(self) -> &'static [Role] {
        match self {
            Purpose::OfficerDocument => &[Role::UniversityReviewer, Role::DirectorateAdmin],
            Purpose::EngineerDocument => &[Role::EngineeringAdmin],
            Purpose::ProfilePhoto | Purpose::Attachment => &[Role::CommissionAdmin],
            _ => &[],
        }
    }

    /// The largest upload of any purpose: the stream is cut there before anything else.
    pub fn largest() -> usize {
        Self::ALL.iter().map(|p| p.max_bytes()).max().unwrap_or(10 * MB)
    }

    pub fn may_read(self, owner_id: &str, user: Option<&CurrentUser>) -> bool {
        if self.public() {
            return true;
        }
        let Some(user) = user else { return false };
        user.person_id == owner_id || self.reader_roles().iter().any(|r| user.may(&[r.any()]))
    }
}

/// Where file contents live.
#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    /// For the log: `local:<dir>` or `s3://bucket`.
    pub description: String,
}

impl FileStore {
    /// `ANJOMAN_FILES`: a directory (default `data/files`) or `s3://bucket`; for S3 the endpoint
    /// and region come from `ANJOMAN_S3_ENDPOINT` and `ANJOMAN_S3_REGION`, the keys from
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    pub fn from_config(files: &str, s3_endpoint: Option<&str>, s3_region: &str) -> Result<Self, String> {
        if let Some(bucket) = files.strip_prefix("s3://") {
            let bucket = bucket.trim_end_matches('/');
            let mut builder = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .with_region(s3_region)
                .with_virtual_hosted_style_request(false);
            if let Some(endpoint) = s3_endpoint {
                builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
            }
            let store = builder.build().map_err(|e| format!("ANJOMAN_FILES: {e}"))?;
            return Ok(Self { store: Arc::new(store), description: files.to_owned() });
        }
        std::fs::create_dir_all(files).map_err(|e| format!("ANJOMAN_FILES: cannot create {files}: {e}"))?;
        let store =
            object_store::local::LocalFileSystem::new_with_prefix(files).map_err(|e| format!("ANJOMAN_FILES: {e}"))?;
        Ok(Self { store: Arc::new(store), description: format!("local:{files}") })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.store.put(&StorePath::from(key), bytes.into()).await.map(|_| ()).map_err(|e| e.to_string())
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, String> {
        let got = self.store.get(&StorePath::from(key)).await.map_err(|e| e.to_string())?;
        got.bytes().await.map(|b| b.to_vec()).map_err(|e| e.to_string())
    }
}

/// A random storage key: never derived from anything the client sent.
pub fn storage_key(purpose: Purpose, kind: Kind) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{}/{}/{id}.{}", purpose.as_str(), &id[..2], kind.extension())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A file name safe to echo in `Content-Disposition`: letters, digits, dot, dash, underscore
/// and spaces only (Persian letters included), at most 100 characters.
pub fn clean_name(name: &str) -> Option<String> {
    let cleaned: String =
        name.chars().filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ')).take(100).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    (!cleaned.is_empty()).then_some(cleaned)
}

/// The file exists and was uploaded for `purpose`; for private purposes, by `uploader` too, so no
/// one can hand on a file they cannot read themselves. Every domain that points a record at an
/// uploaded file checks it with this.
pub fn check(
    conn: &mut crate::db::DbConn,
    file_id: &str,
    purpose: Purpose,
    uploader: &str,
    field: &str,
) -> Result<(), crate::ApiError> {
    use crate::db::schema::files;
    use diesel::prelude::*;
    let row: Option<(String, String)> =
        files::table.find(file_id).select((files::purpose, files::owner_id)).first(conn).optional()?;
    match row {
        Some((p, owner)) if p == purpose.as_str() && (purpose.public() || owner == uploader) => Ok(()),
        _ => Err(crate::ApiError::field(
            field,
            "پرونده پیدا نشد یا برای این کار بارگذاری نشده است.",
            "No such file, or it was not uploaded for this use.",
        )),
    }
}

/// Where a file is downloaded.
/// What a list shows of an uploaded file.
#[derive(Debug, Clone, diesel::Queryable)]
pub struct FileMeta {
    pub id: String,
    pub original_name: Option<String>,
    pub content_type: String,
    pub size_bytes: i64,
}

/// The files among `ids`, in upload order.
pub fn meta(conn: &mut crate::db::DbConn, ids: &[String]) -> diesel::QueryResult<Vec<FileMeta>> {
    use crate::db::schema::files as f;
    use diesel::prelude::*;
    f::table
        .filter(f::id.eq_any(ids))
        .order(f::created_at)
        .select((f::id, f::original_name, f::content_type, f::size_bytes))
        .load(conn)
}

/// A stored file's row.
#[derive(Insertable)]
#[diesel(table_name = files)]
pub(crate) struct NewFile<'a> {
    pub(crate) id: &'a str,
    pub(crate) purpose: &'a str,
    pub(crate) owner_id: &'a str,
    pub(crate) content_type: &'a str,
    pub(crate) size_bytes: i64,
    pub(crate) sha256: &'a str,
    pub(crate) storage_key: &'a str,
    pub(crate) original_name: Option<&'a str>,
    pub(crate) created_at: chrono::NaiveDateTime,
}

/// Records an uploaded file; audited.
pub(crate) fn record(conn: &mut crate::db::DbConn, row: &NewFile) -> Result<(), ApiError> {
    diesel::insert_into(files::table).values(row).execute(conn)?;
    crate::audit::record(conn, crate::audit::Event::new("file.uploaded", "file", Some(row.id)).by(row.owner_id))?;
    Ok(())
}

/// A file's purpose, owner, content type, storage key and original name.
pub(crate) fn stored(
    conn: &mut crate::db::DbConn,
    id: &str,
) -> Result<(String, String, String, String, Option<String>), ApiError> {
    files::table
        .find(id)
        .select((files::purpose, files::owner_id, files::content_type, files::storage_key, files::original_name))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub fn url(file_id: &str) -> String {
    format!("/api/v1/files/{file_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_by_name() {
        assert_eq!(Kind::sniff(b"%PDF-1.7\n"), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(Kind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Kind::Jpeg));
        assert_eq!(Kind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(Kind::sniff(b"MZ\x90\0\x03\0\0\0"), None, "a Windows executable");
        assert_eq!(Kind::sniff(b"<html>"), None);
    }

    #[test]
    fn cleans_names() {
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Some("etcpasswd"));
        assert_eq!(clean_name("رزومه من.pdf").as_deref(), Some("رزومه من.pdf"));
        assert_eq!(clean_name("\"; rm -rf /"), Some("rm -rf".to_owned()));
        assert_eq!(clean_name("///"), None);
    }
}
