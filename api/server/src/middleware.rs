//! Request-wide behaviour: request ids, structured access logs, metrics, errors rendered as the
//! envelope in the caller's language, cross-origin and transport policy, slow bodies.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, Lang};
use futures_util::StreamExt;
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
        StatusCode::METHOD_NOT_ALLOWED => anjoman_core::refusals::CoreError::MethodNotAllowed.into(),
        s if s.is_client_error() => anjoman_core::refusals::CoreError::BadRequest.into(),
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

/// Browsers on the configured other origins may call the API (CORS; answers their preflight);
/// every other origin gets no CORS headers, so browsers keep its pages from reading answers.
/// Requests that came over TLS (as this process sees it) are told to keep to HTTPS (HSTS). API
/// answers are not cached.
pub async fn browser_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let config = &state.config;
    let allowed = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase)
        .filter(|origin| config.cors_origins.iter().any(|o| o == origin))
        .and_then(|origin| HeaderValue::from_str(&origin).ok());
    let over_tls = config.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
        || (config.trust_forwarded_for
            && req
                .headers()
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.eq_ignore_ascii_case("https")));
    let preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let api = req.path().starts_with("/api/v1/");
    let mut res = match (&allowed, preflight) {
        (Some(_), true) => {
            let answer = HttpResponse::NoContent()
                .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, PATCH, DELETE"))
                .insert_header((
                    header::ACCESS_CONTROL_ALLOW_HEADERS,
                    "authorization, content-type, accept-language, x-api-key, x-request-id",
                ))
                .insert_header((header::ACCESS_CONTROL_MAX_AGE, "600"))
                .finish();
            req.into_response(answer)
        }
        _ => next.call(req).await?.map_into_boxed_body(),
    };
    let headers = res.headers_mut();
    if let Some(origin) = allowed {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-request-id, retry-after, content-disposition"),
        );
    }
    if !headers.get_all(header::VARY).any(|v| v.as_bytes().eq_ignore_ascii_case(b"origin")) {
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    // API answers carry personal data: browsers and proxies keep no copy unless a handler
    // said otherwise (the OpenAPI document and Swagger UI are not under /api/v1).
    if api && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if over_tls {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    Ok(res)
}

/// A request body that sends nothing for `ANJOMAN_CLIENT_BODY_IDLE_SECONDS` is cut off: the
/// handler reading it gets an error (and answers it) instead of holding its connection and
/// buffer for as long as a slow client likes.
pub async fn body_idle_timeout(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let idle = req.app_data::<web::Data<AppState>>().map(|s| s.config.client_body_idle);
    // Only requests that announce a body have one to wait for.
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|n| n > 0);
    if let Some(idle) = idle.filter(|d| has_body && !d.is_zero()) {
        let payload = req.take_payload();
        let guarded = futures_util::stream::unfold((payload, false), move |(mut payload, over)| async move {
            if over {
                return None;
            }
            match tokio::time::timeout(idle, payload.next()).await {
                Ok(Some(item)) => Some((item, (payload, false))),
                Ok(None) => None,
                Err(_) => Some((Err(PayloadError::Io(std::io::ErrorKind::TimedOut.into())), (payload, true))),
            }
        });
        req.set_payload(Payload::Stream { payload: Box::pin(guarded) });
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
