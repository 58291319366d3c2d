//! Upload and download endpoints of files (PL-03).

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{AuthUser, CurrentUser};
use crate::db::{new_id, now, write_tx};
use crate::error::{ApiError, Msg};
use crate::http::AppState;
use crate::platform::files::NewFile;
use crate::platform::files::{Kind, Purpose, clean_name, sha256_hex, storage_key};
use crate::refusals::CoreError;

#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// `profile_photo`, `candidate_photo`, `candidate_resume`, `candidate_programme`,
    /// `officer_document`, `engineer_document`, `attachment`, `association_logo` or `news_image`
    pub purpose: String,
    /// The original file name, kept only for downloads' `Content-Disposition`.
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FileInfo {
    pub id: String,
    pub purpose: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub name: Option<String>,
    /// Where to download it.
    pub url: String,
    pub created_at: DateTime<Utc>,
}

fn too_large(limit: usize) -> ApiError {
    CoreError::FileTooLarge { mb: limit / (1024 * 1024) }.into()
}

/// Uploads a file: the raw bytes as the body. Its type is decided by its content (PDF, PNG,
/// JPEG, WebP as the purpose allows), whatever its name says.
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored", body = FileInfo),
        (status = 400, description = "`unsupported_file_type`, `file_too_large`, `empty_file` or an unknown purpose", body = crate::error::ErrorBody),
        (status = 401, description = "Not signed in", body = crate::error::ErrorBody),
    )
)]
#[post("/files")]
async fn upload(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<UploadQuery>,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let purpose = Purpose::parse(&q.purpose)
        .ok_or_else(|| ApiError::field("purpose", "کاربرد پرونده نامعتبر است.", "Unknown file purpose."))?;
    let bytes = read_body(&mut body, purpose.max_bytes()).await?;
    let kind = accepted_kind(purpose, &bytes)?;
    let key = storage_key(purpose, kind);
    let (size, sha) = (bytes.len() as i64, sha256_hex(&bytes));
    state.files.put(&key, bytes).await.map_err(|e| {
        tracing::error!(error = %e, "cannot store a file");
        ApiError::Unavailable
    })?;
    let id = new_id();
    let name = q.name.as_deref().and_then(clean_name);
    let owner = user.person_id.clone();
    let created = now();
    let (fid, n, k) = (id.clone(), name.clone(), key.clone());
    let s = sha.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = NewFile {
                    id: &fid,
                    purpose: purpose.as_str(),
                    owner_id: &owner,
                    content_type: kind.content_type(),
                    size_bytes: size,
                    sha256: &s,
                    storage_key: &k,
                    original_name: n.as_deref(),
                    created_at: created,
                };
                crate::platform::files::record(conn, &row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(FileInfo {
        url: crate::platform::files::url(&id),
        id,
        purpose: purpose.as_str().to_owned(),
        content_type: kind.content_type().to_owned(),
        size_bytes: size,
        sha256: sha,
        name,
        created_at: created.and_utc(),
    }))
}

/// The uploaded bytes, at most `limit` of them and not none.
async fn read_body(body: &mut web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| CoreError::UploadInterrupted)?;
        if bytes.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.is_empty() {
        return Err(CoreError::EmptyFile.into());
    }
    Ok(bytes)
}

/// The file's kind, judged by its content, if the purpose accepts it.
fn accepted_kind(purpose: Purpose, bytes: &[u8]) -> Result<Kind, ApiError> {
    Kind::sniff(bytes).filter(|k| purpose.kinds().contains(k)).ok_or(CoreError::UnsupportedFileType.into())
}

/// Downloads a file: public purposes to anyone, others to their owner and the roles their
/// purpose names.
#[utoipa::path(
    tag = "files",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The file")),
    responses(
        (status = 200, description = "The content", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "Sign in to read this file", body = crate::error::ErrorBody),
        (status = 403, description = "Not yours to read", body = crate::error::ErrorBody),
        (status = 404, description = "No such file", body = crate::error::ErrorBody),
    )
)]
#[get("/files/{id}")]
async fn download(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let fid = id.clone();
    let row = state.db(move |conn| crate::platform::files::stored(conn, &id)).await?;
    let (purpose, owner, content_type, key, name) = row;
    let purpose = Purpose::parse(&purpose).ok_or(ApiError::Internal)?;
    let allowed = purpose.may_read(&owner, user.as_ref()) || granted_by_domain(&state, &fid, user.as_ref()).await?;
    if !allowed {
        return Err(if user.is_none() {
            ApiError::Unauthorized(Msg::new("برای دیدن این پرونده وارد شوید.", "Sign in to read this file."))
        } else {
            ApiError::Forbidden
        });
    }
    let bytes = state.files.get(&key).await.map_err(|e| {
        tracing::error!(error = %e, "cannot read a stored file");
        ApiError::Unavailable
    })?;
    let disposition = match name {
        Some(n) => format!("inline; filename*=UTF-8''{}", utf8_percent(&n)),
        None => "inline".to_owned(),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((
            header::CACHE_CONTROL,
            if purpose.public() { "public, max-age=3600" } else { "private, no-store" },
        ))
        .body(bytes))
}

/// Whether a domain lets this signed-in user read the file (a message's recipients its attachments).
async fn granted_by_domain(state: &AppState, file_id: &str, user: Option<&CurrentUser>) -> Result<bool, ApiError> {
    let Some(user) = user.cloned() else { return Ok(false) };
    if state.hooks.file_readers.is_empty() {
        return Ok(false);
    }
    let (hooks, file_id) = (state.hooks.clone(), file_id.to_owned());
    state
        .db(move |conn| {
            for reader in &hooks.file_readers {
                if reader(conn, &file_id, &user)? {
                    return Ok(true);
                }
            }
            Ok(false)
        })
        .await
}

fn utf8_percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect()
}
