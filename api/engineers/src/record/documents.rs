//! The document archive (EN-06): any number of documents; five kinds prove residence (EN-07).

use actix_web::{delete, post, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::{new_id, now};
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, FieldErrors};
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::NewDocument;
use super::{change_record, check_file, one_of, optional, required, store};
use crate::rules::DocumentKind;
use crate::store::EngineerRecord;

#[derive(Deserialize, ToSchema)]
pub struct DocumentInput {
    /// `employment_order`, `insurance_record`, `property_deed`, `official_lease`,
    /// `school_certificate` (these five prove residence), `national_card`, `birth_certificate`,
    /// `photo`, `military_service` or `other`
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    /// The uploaded file (`engineer_document`).
    pub file_id: String,
}

/// Adds a document to the archive (EN-06), any number.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = DocumentInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/documents")]
pub async fn add_document(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DocumentInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let d = body.into_inner();
    change_record(&state, user, "engineer.document_added", move |conn, me| {
        let mut e = FieldErrors::new();
        let kind = one_of(&mut e, "kind", &d.kind, DocumentKind::parse, DocumentKind::codes());
        let title = required(&mut e, "title", &d.title);
        let description = optional(&mut e, "description", d.description.as_deref());
        check_file(conn, &d.file_id, me, "file_id", &mut e);
        e.into_result()?;
        let row = NewDocument {
            id: new_id(),
            engineer_id: me,
            kind: kind.map(DocumentKind::as_str).unwrap_or_default(),
            title,
            description,
            file_id: d.file_id,
            created_at: now(),
        };
        Ok(store::insert_document(conn, &row)?)
    })
    .await
}

/// Removes a document from the archive.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The document")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 404, description = "No such document of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/documents/{id}")]
pub async fn remove_document(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.document_removed", move |conn, me| store::delete_document(conn, me, &id))
        .await
}
