//! Request-wide behaviour: request ids, structured access logs, metrics, and errors rendered as
//! the envelope in the caller's language.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use anjoman_core::{ApiError, Lang, Msg};
use tracing::Instrument;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// The envelope for an error that did not come from our code (no route, wrong method…).
fn foreign_error(status: StatusCode) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::METHOD_NOT_ALLOWED => ApiError::BadRequest {
            code: "method_not_allowed",
            msg: Msg::new("این روش درخواست برای این نشانی پشتیبانی نمی‌شود.", "This method is not supported here."),
        },
        s if s.is_client_error() => ApiError::BadRequest {
            code: "bad_request",
            msg: Msg::new("درخواست نامعتبر است.", "The request is invalid."),
        },
        _ => ApiError::Internal,
    }
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let lang = Lang::from_accept_language(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let res = next.call(req).instrument(span.clone()).await?;

    // Render every error as the envelope, in the caller's language.
    let status = res.status();
    let replacement = match res.response().error() {
        Some(err) => Some(err.as_error::<ApiError>().cloned().unwrap_or_else(|| foreign_error(status))),
        None if status == StatusCode::NOT_FOUND && path.starts_with("/api/") => Some(ApiError::NotFound),
        None if status == StatusCode::METHOD_NOT_ALLOWED => Some(foreign_error(status)),
        None => None,
    };
    if let Some(ApiError::Internal) = replacement {
        let detail = res.response().error().map(|e| e.to_string()).unwrap_or_default();
        span.in_scope(|| tracing::error!(error = %detail, "internal error"));
    }
    let mut res = match replacement {
        Some(api) => {
            let (request, _) = res.into_parts();
            ServiceResponse::new(request, api.response(lang))
        }
        None => res.map_into_boxed_body(),
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }

    let status = res.status().as_u16();
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let elapsed = started.elapsed();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(elapsed.as_secs_f64());
    span.in_scope(|| tracing::info!(status, duration_ms = elapsed.as_millis() as u64, "request"));
    Ok(res)
}
