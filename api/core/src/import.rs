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
