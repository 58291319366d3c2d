//! The one error type of the API and its envelope `{code, message, fields}`.
//!
//! Every message exists in Persian and English; the envelope is rendered in the language the
//! request asked for (`Accept-Language`, Persian by default) by [`crate::http::localize_errors`].

use std::collections::BTreeMap;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::refusals::CoreError;

/// A message in both languages of the product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub fa: String,
    pub en: String,
}

impl Msg {
    /// The Persian text is read with Persian digits, whatever a caller formatted into it (a
    /// count, a date, a line number); digits inside Latin words (`argon2`, `$2b$`) stay.
    pub fn new(fa: impl Into<String>, en: impl Into<String>) -> Self {
        Self { fa: crate::text::persian_digits_in_text(&fa.into()), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fa => &self.fa,
            Lang::En => &self.en,
        }
    }
}

/// The two languages the API answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fa,
    En,
}

impl Lang {
    /// Picks the language from an `Accept-Language` header: the first of `fa`/`en` by quality.
    pub fn from_accept_language(value: Option<&str>) -> Self {
        let Some(value) = value else { return Self::Fa };
        let mut best: Option<(f32, Lang)> = None;
        for part in value.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = if tag == "fa" || tag.starts_with("fa-") {
                Lang::Fa
            } else if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Self::Fa, |(_, l)| l)
    }
}

/// Field-level problems: field name → messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<Msg>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, msg: Msg) {
        self.0.entry(field.to_owned()).or_default().push(msg);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every problem of `other`.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, msgs) in other.0 {
            self.0.entry(field).or_default().extend(msgs);
        }
    }

    /// `Ok(())` when nothing was added, otherwise a validation error carrying the fields.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() { Ok(()) } else { Err(ApiError::Validation(self)) }
    }
}

/// Every failure the API reports. Codes are stable, snake_case, and documented in OpenAPI.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// 400 `validation_failed`: one or more fields are invalid.
    Validation(FieldErrors),
    /// 400 with a specific code, for malformed requests that are not about one field.
    BadRequest { code: &'static str, msg: Msg },
    /// 400 with a specific code, a summary and per-field messages (e.g. `import_rejected` with
    /// one entry per rejected row of a file).
    Rejected { code: &'static str, msg: Msg, fields: FieldErrors },
    /// 401 `unauthorized`: missing, invalid or expired credentials.
    Unauthorized(Msg),
    /// 401 `invalid_credentials`: the national code/password pair is wrong (or unknown).
    InvalidCredentials,
    /// 403 `forbidden`: authenticated but not allowed.
    Forbidden,
    /// 403 with a specific code and message, e.g. `not_on_roll`.
    Denied { code: &'static str, msg: Msg },
    /// 403 `password_change_required`: the account must change its password first.
    PasswordChangeRequired,
    /// 404 `not_found`.
    NotFound,
    /// 409 with a specific code, e.g. `already_registered`.
    Conflict { code: &'static str, msg: Msg },
    /// 413 `payload_too_large`.
    PayloadTooLarge,
    /// 429 `too_many_attempts` with the seconds to wait.
    Throttled { retry_after_secs: u64 },
    /// 429 `rate_limited`: too many requests of one kind from one client or account; wait the
    /// seconds given.
    RateLimited { retry_after_secs: u64 },
    /// 503 `unavailable`: a dependency (the database) is not reachable.
    Unavailable,
    /// 500 `internal_error`; the details are logged, never sent.
    Internal,
}

/// The JSON envelope of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`, `invalid_credentials`.
    #[schema(example = "validation_failed")]
    pub code: String,
    /// Human-readable message in the language of `Accept-Language` (Persian by default).
    pub message: String,
    /// Field name → messages for that field; empty when the error is not about fields.
    pub fields: BTreeMap<String, Vec<String>>,
}

impl ApiError {
    pub fn field(field: &str, fa: &str, en: &str) -> Self {
        let mut f = FieldErrors::new();
        f.add(field, Msg::new(fa, en));
        Self::Validation(f)
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::BadRequest { code, .. }
            | Self::Conflict { code, .. }
            | Self::Rejected { code, .. }
            | Self::Denied { code, .. } => code,
            Self::Unauthorized(_) => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden => "forbidden",
            Self::PasswordChangeRequired => "password_change_required",
            Self::NotFound => "not_found",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Throttled { .. } => "too_many_attempts",
            Self::RateLimited { .. } => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal_error",
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            Self::Validation(_) => {
                Msg::new("برخی از مقادیر واردشده نامعتبر است.", "Some of the values you entered are invalid.")
            }
            Self::BadRequest { msg, .. }
            | Self::Conflict { msg, .. }
            | Self::Rejected { msg, .. }
            | Self::Denied { msg, .. }
            | Self::Unauthorized(msg) => msg.clone(),
            Self::InvalidCredentials => {
                Msg::new("کد ملی یا رمز عبور نادرست است.", "The national code or password is incorrect.")
            }
            Self::Forbidden => Msg::new("شما اجازهٔ انجام این کار را ندارید.", "You are not allowed to do this."),
            Self::PasswordChangeRequired => Msg::new(
                "پیش از هر کار دیگری باید رمز عبور خود را تغییر دهید.",
                "You must change your password before doing anything else.",
            ),
            Self::NotFound => Msg::new("مورد درخواستی یافت نشد.", "The requested item was not found."),
            Self::PayloadTooLarge => Msg::new("حجم درخواست بیش از حد مجاز است.", "The request body is too large."),
            Self::Throttled { retry_after_secs } => Msg::new(
                format!("تلاش‌های ناموفق زیاد بوده است؛ لطفاً {retry_after_secs} ثانیه دیگر دوباره تلاش کنید."),
                format!("Too many failed attempts; please try again in {retry_after_secs} seconds."),
            ),
            Self::RateLimited { retry_after_secs } => Msg::new(
                format!(
                    "درخواست‌های این کار بیش از حد مجاز بوده است؛ لطفاً {retry_after_secs} ثانیه دیگر دوباره تلاش کنید."
                ),
                format!("Too many requests of this kind; please try again in {retry_after_secs} seconds."),
            ),
            Self::Unavailable => Msg::new(
                "سامانه موقتاً در دسترس نیست؛ لطفاً کمی بعد تلاش کنید.",
                "The service is temporarily unavailable; please try again shortly.",
            ),
            Self::Internal => {
                Msg::new("خطای داخلی رخ داد؛ لطفاً دوباره تلاش کنید.", "An internal error occurred; please try again.")
            }
        }
    }

    /// The envelope in one language.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let fields = match self {
            Self::Validation(f) | Self::Rejected { fields: f, .. } => {
                f.0.iter().map(|(k, v)| (k.clone(), v.iter().map(|m| m.get(lang).to_owned()).collect())).collect()
            }
            _ => BTreeMap::new(),
        };
        ErrorBody { code: self.code().to_owned(), message: self.message().get(lang).to_owned(), fields }
    }

    /// The full response in one language (status, `Retry-After`, envelope).
    pub fn response(&self, lang: Lang) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        if let Self::Throttled { retry_after_secs } | Self::RateLimited { retry_after_secs } = self {
            res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if matches!(self, Self::Unauthorized(_) | Self::InvalidCredentials) {
            res.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        res.json(self.body(lang))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message().en)
    }
}

impl std::error::Error for ApiError {}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::BadRequest { .. } | Self::Rejected { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::PasswordChangeRequired | Self::Denied { .. } => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Throttled { .. } | Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        // Re-rendered in the request's language by the localisation middleware.
        self.response(Lang::Fa)
    }
}

/// How a refusal is answered: 400, 403 or 409.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    BadRequest,
    Denied,
    Conflict,
}

/// A refusal of one domain: its stable code and both messages, kept together in that domain's
/// error enum (`EngineersError`, `ElectionsError`, …). Handlers return `Err(Enum::X.into())`.
pub trait Refusal {
    fn code(&self) -> &'static str;
    fn msg(&self) -> Msg;
    /// 409 unless the refusal says otherwise.
    fn answer(&self) -> Answer {
        Answer::Conflict
    }
}

impl<R: Refusal> From<R> for ApiError {
    fn from(r: R) -> Self {
        let (code, msg) = (r.code(), r.msg());
        match r.answer() {
            Answer::BadRequest => ApiError::BadRequest { code, msg },
            Answer::Denied => ApiError::Denied { code, msg },
            Answer::Conflict => ApiError::Conflict { code, msg },
        }
    }
}

/// For each domain's unit test: every refusal listed has a snake_case code and both messages,
/// no two are indistinguishable (a code is shared only by refusals of one kind, such as each
/// state machine's `illegal_transition`, and then the messages differ), and each answers with
/// the status it declares.
pub fn assert_refusals<R: Refusal + fmt::Debug>(all: &[R]) {
    let mut seen: Vec<_> = all.iter().map(|r| (r.code(), r.msg().en)).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), all.len(), "no two refusals are alike: {all:?}");
    for r in all {
        let code = r.code();
        assert!(code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "{code} is snake_case");
        let m = r.msg();
        assert!(!m.fa.trim().is_empty() && !m.en.trim().is_empty(), "{code} has both messages");
        assert!(m.fa.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "{code}: the Persian message is Persian");
        let status = match r.answer() {
            Answer::BadRequest => StatusCode::BAD_REQUEST,
            Answer::Denied => StatusCode::FORBIDDEN,
            Answer::Conflict => StatusCode::CONFLICT,
        };
        let e = ApiError::from(RefusalRef(r));
        assert_eq!((e.code(), e.status_code()), (code, status), "{code} answers as declared");
    }
}

/// Lets [`assert_refusals`] convert a borrowed refusal.
struct RefusalRef<'a, R>(&'a R);

impl<R: Refusal> Refusal for RefusalRef<'_, R> {
    fn code(&self) -> &'static str {
        self.0.code()
    }
    fn msg(&self) -> Msg {
        self.0.msg()
    }
    fn answer(&self) -> Answer {
        self.0.answer()
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            // Two requests creating the same thing at once: the loser is told, not crashed.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => CoreError::ConcurrentWrite.into(),
            _ => {
                tracing::error!(error = %e, "database error");
                Self::Internal
            }
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        tracing::error!(error = %e, "database pool error");
        Self::Unavailable
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        tracing::error!("blocking task was cancelled");
        Self::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_language_by_quality() {
        assert_eq!(Lang::from_accept_language(None), Lang::Fa);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en;q=0.5, fa")), Lang::Fa);
        assert_eq!(Lang::from_accept_language(Some("de, en;q=0.3")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("de")), Lang::Fa);
    }
}
