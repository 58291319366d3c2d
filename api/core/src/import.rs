//! What every CSV import shares (members AS-04, officers TO-10, engineers): rows are checked
//! first, and if any is rejected nothing is written and the answer lists every rejected row by
//! its line and column.

use std::collections::HashSet;

use crate::error::{ApiError, FieldErrors, Msg};

/// What is wrong with rows, by line (the heading is line 1); as `rows[<line>].<column>`.
#[derive(Default)]
pub struct Rejections(pub FieldErrors);

impl Rejections {
    pub fn add(&mut self, line: usize, column: &str, fa: impl Into<String>, en: impl Into<String>) {
        self.0.add(&format!("rows[{line}].{column}"), Msg::new(fa, en));
    }
}

/// Reads an uploaded CSV file whole, refusing it once it passes `max_bytes` (`import_too_large`,
/// the limit named in the message) or when the upload breaks off (`upload_interrupted`).
pub async fn read_upload(mut body: actix_web::web::Payload, max_bytes: usize) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| ApiError::BadRequest {
            code: "upload_interrupted",
            msg: Msg::new("ارسال پرونده ناتمام ماند.", "The upload was interrupted."),
        })?;
        if bytes.len() + chunk.len() > max_bytes {
            let mb = max_bytes / (1024 * 1024);
            return Err(ApiError::BadRequest {
                code: "import_too_large",
                msg: Msg::new(
                    format!("حجم پرونده بیش از {} مگابایت است.", crate::text::persian_digits(&mb.to_string())),
                    format!("The file is larger than {mb} MB."),
                ),
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The `import_rejected` answer: how many lines were refused, and every problem by row and column.
pub fn rejected_error(fields: FieldErrors) -> ApiError {
    let lines: HashSet<&str> = fields.0.keys().filter_map(|k| k.split(']').next()).collect();
    ApiError::Rejected {
        code: "import_rejected",
        msg: Msg::new(
            format!("{} سطر پذیرفته نشد؛ هیچ سطری وارد نشد. سطرها را درست کنید و دوباره بفرستید.", lines.len()),
            format!(
                "{} row(s) were rejected, so nothing was imported. Correct them and send the file again.",
                lines.len()
            ),
        ),
        fields,
    }
}
