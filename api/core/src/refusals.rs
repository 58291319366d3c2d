//! The platform's own refusals (requests the server cannot read, uploads, imports, payments,
//! the outbox, concurrent writes): each one's code, answer and both messages, in one place, as
//! every domain keeps its own in its `errors` module.

use crate::error::{Answer, Msg, Refusal};
use crate::text::persian_digits;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreError {
    /// Two requests created the same thing at once (a unique index refused the second).
    ConcurrentWrite,
    /// A body that is not `application/json` (400).
    UnsupportedContentType,
    /// A body that stopped arriving (400).
    BodyTimeout,
    /// JSON of the wrong shape, with the reader's words (400).
    InvalidBody(String),
    /// Not JSON at all (400).
    MalformedJson,
    /// Query parameters that do not parse (400).
    InvalidQuery(String),
    /// A path segment that does not parse (400).
    InvalidPath(String),
    /// A method the route does not serve (400).
    MethodNotAllowed,
    /// Any other client error the router answers (400).
    BadRequest,
    /// An upload that broke off (400).
    UploadInterrupted,
    /// An empty upload (400).
    EmptyFile,
    /// A file over the limit, in MB (400).
    FileTooLarge { mb: usize },
    /// A file whose content is not of a kind its purpose accepts (400).
    UnsupportedFileType,
    /// An import file that is not UTF-8 (400).
    ImportNotUtf8,
    /// An import file without a heading (400).
    ImportEmpty,
    /// An import file with a heading and no line (400).
    ImportNoRows,
    /// An import file lacking required columns (400).
    ImportColumnsMissing(Vec<String>),
    /// An import file over the line limit (400).
    ImportTooManyRows { max: usize },
    /// An import upload over the size limit, in MB (400).
    ImportTooLarge { mb: usize },
    /// Lines of an import refused; the rows' problems go in the envelope's fields (400).
    ImportRejected { lines: usize },
    /// Paying an invoice that is no longer pending.
    AlreadyPaid,
    /// Deciding a sandbox payment twice.
    AlreadyDecided,
    /// Resending a message that did not fail.
    NotResendable,
}

impl Refusal for CoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::ConcurrentWrite => "conflict",
            Self::UnsupportedContentType => "unsupported_content_type",
            Self::BodyTimeout => "body_timeout",
            Self::InvalidBody(_) => "invalid_body",
            Self::MalformedJson => "malformed_json",
            Self::InvalidQuery(_) => "invalid_query",
            Self::InvalidPath(_) => "invalid_path",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::BadRequest => "bad_request",
            Self::UploadInterrupted => "upload_interrupted",
            Self::EmptyFile => "empty_file",
            Self::FileTooLarge { .. } => "file_too_large",
            Self::UnsupportedFileType => "unsupported_file_type",
            Self::ImportNotUtf8 => "import_not_utf8",
            Self::ImportEmpty | Self::ImportNoRows => "import_empty",
            Self::ImportColumnsMissing(_) => "import_columns_missing",
            Self::ImportTooManyRows { .. } | Self::ImportTooLarge { .. } => "import_too_large",
            Self::ImportRejected { .. } => "import_rejected",
            Self::AlreadyPaid => "already_paid",
            Self::AlreadyDecided => "already_decided",
            Self::NotResendable => "not_resendable",
        }
    }

    fn msg(&self) -> Msg {
        match self {
            Self::ConcurrentWrite => Msg::new(
                "این مورد هم‌زمان ثبت شده است؛ صفحه را تازه کنید.",
                "This was just created by another request; refresh and try again.",
            ),
            Self::UnsupportedContentType => Msg::new(
                "بدنهٔ درخواست باید JSON باشد (Content-Type: application/json).",
                "The request body must be JSON (Content-Type: application/json).",
            ),
            Self::BodyTimeout => Msg::new(
                "بدنهٔ درخواست در زمان مجاز نرسید.",
                "The request body stopped arriving before it was complete.",
            ),
            Self::InvalidBody(why) => Msg::new(
                format!("ساختار بدنهٔ درخواست نادرست است: {why}"),
                format!("The request body has the wrong shape: {why}"),
            ),
            Self::MalformedJson => Msg::new("بدنهٔ درخواست JSON معتبر نیست.", "The request body is not valid JSON."),
            Self::InvalidQuery(why) => {
                Msg::new(format!("پارامترهای نشانی نادرست است: {why}"), format!("Invalid query parameters: {why}"))
            }
            Self::InvalidPath(why) => Msg::new(format!("نشانی نادرست است: {why}"), format!("Invalid path: {why}")),
            Self::MethodNotAllowed => {
                Msg::new("این روش درخواست برای این نشانی پشتیبانی نمی‌شود.", "This method is not supported here.")
            }
            Self::BadRequest => Msg::new("درخواست نامعتبر است.", "The request is invalid."),
            Self::UploadInterrupted => Msg::new("ارسال پرونده ناتمام ماند.", "The upload was interrupted."),
            Self::EmptyFile => Msg::new("پرونده خالی است.", "The file is empty."),
            Self::FileTooLarge { mb } => {
                Msg::new(format!("حجم پرونده بیش از {mb} مگابایت است."), format!("The file is larger than {mb} MB."))
            }
            Self::UnsupportedFileType => Msg::new(
                "نوع پرونده پذیرفته نیست (بر پایهٔ محتوای آن سنجیده می‌شود).",
                "This type of file is not accepted (judged by its content).",
            ),
            Self::ImportNotUtf8 => Msg::new(
                "پرونده باید CSV با کدگذاری UTF-8 باشد (در اکسل: «CSV UTF-8»).",
                "The file must be CSV in UTF-8 (in Excel: \"CSV UTF-8\").",
            ),
            Self::ImportEmpty => Msg::new("پرونده خالی است.", "The file is empty."),
            Self::ImportNoRows => Msg::new("پرونده هیچ سطری برای ورود ندارد.", "The file has no rows to import."),
            Self::ImportColumnsMissing(missing) => Msg::new(
                format!("ستون‌های لازم در سطر نخست نیست: {}", missing.join("، ")),
                format!("The first line lacks required columns: {}", missing.join(", ")),
            ),
            Self::ImportTooManyRows { max } => Msg::new(
                format!("حداکثر {} سطر در هر بار.", persian_digits(&max.to_string())),
                format!("At most {max} rows at a time."),
            ),
            Self::ImportTooLarge { mb } => Msg::new(
                format!("حجم پرونده بیش از {} مگابایت است.", persian_digits(&mb.to_string())),
                format!("The file is larger than {mb} MB."),
            ),
            Self::ImportRejected { lines } => Msg::new(
                format!("{lines} سطر پذیرفته نشد؛ هیچ سطری وارد نشد. سطرها را درست کنید و دوباره بفرستید."),
                format!("{lines} row(s) were rejected, so nothing was imported. Correct them and send the file again."),
            ),
            Self::AlreadyPaid => Msg::new("این صورت‌حساب پرداخت شده است.", "This invoice is already paid."),
            Self::AlreadyDecided => {
                Msg::new("این پرداخت پیش‌تر انجام یا لغو شده است.", "This payment was already made or cancelled.")
            }
            Self::NotResendable => Msg::new(
                "فقط پیام‌های ناموفق دوباره فرستاده می‌شوند.",
                "Only failed or undelivered messages can be resent.",
            ),
        }
    }

    fn answer(&self) -> Answer {
        match self {
            Self::ConcurrentWrite | Self::AlreadyPaid | Self::AlreadyDecided | Self::NotResendable => Answer::Conflict,
            _ => Answer::BadRequest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CoreError::*;
    use super::*;

    #[test]
    fn every_refusal_has_its_code_answer_and_both_messages() {
        crate::error::assert_refusals(&[
            ConcurrentWrite,
            UnsupportedContentType,
            BodyTimeout,
            InvalidBody("missing field `name`".into()),
            MalformedJson,
            InvalidQuery("invalid digit".into()),
            InvalidPath("invalid digit".into()),
            MethodNotAllowed,
            BadRequest,
            UploadInterrupted,
            EmptyFile,
            FileTooLarge { mb: 5 },
            UnsupportedFileType,
            ImportNotUtf8,
            ImportEmpty,
            ImportNoRows,
            ImportColumnsMissing(vec!["national_code".into()]),
            ImportTooManyRows { max: 10_000 },
            ImportTooLarge { mb: 20 },
            ImportRejected { lines: 2 },
            AlreadyPaid,
            AlreadyDecided,
            NotResendable,
        ]);
        assert_eq!(ImportTooManyRows { max: 250 }.msg().fa, "حداکثر ۲۵۰ سطر در هر بار.");
    }
}
