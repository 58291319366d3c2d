//! Liveness and readiness probes.

use actix_web::{HttpResponse, get, web};
use anjoman_core::ApiError;
use anjoman_core::http::AppState;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

/// The process is up.
#[utoipa::path(tag = "system", responses((status = 200, description = "Up", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into() })
}

/// The database is reachable and every migration is applied.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "`unavailable`", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ready = state
        .db(|conn| {
            anjoman_core::db::migrations_complete(conn).map_err(|e| {
                tracing::warn!(error = %e, "readiness check failed");
                ApiError::Unavailable
            })
        })
        .await?;
    if !ready {
        return Err(ApiError::Unavailable);
    }
    Ok(HttpResponse::Ok().json(Health { status: "ready".into() }))
}
