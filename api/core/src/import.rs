//! What every CSV import shares (members AS-04, officers TO-10, engineers): rows are checked
//! first, and if any is rejected nothing is written and the answer lists every rejected row by
//! its line and column.

use std::collections::{HashMap, HashSet};

use crate::error::Refusal;
use crate::error::{ApiError, FieldErrors, Msg};
use crate::refusals::CoreError;

/// What is wrong with rows, by line (the heading is line 1); as `rows[<line>].<column>`.
#[derive(Default)]
pub struct Rejections(pub FieldErrors);

impl Rejections {
    pub fn add(&mut self, line: usize, column: &str, fa: impl Into<String>, en: impl Into<String>) {
        self.0.add(&format!("rows[{line}].{column}"), Msg::new(fa, en));
    }

    /// How many problems so far (a row is taken only if it added none).
    pub fn count(&self) -> usize {
        self.0.0.len()
    }

    /// The row's national code: refused when malformed, or when an earlier line of the file has
    /// it (`seen` remembers the lines).
    pub fn national_code(
        &mut self,
        line: usize,
        text: &str,
        seen: &mut HashMap<String, usize>,
    ) -> Option<crate::text::NationalCode> {
        let code = crate::text::NationalCode::parse(text)
            .map_err(|e| self.add(line, "national_code", e.message_fa(), e.message_en()))
            .ok()?;
        if let Some(first) = seen.insert(code.as_str().to_owned(), line) {
            self.add(
                line,
                "national_code",
                format!("این کد ملی در سطر {first} هم آمده است."),
                format!("This national code is also on line {first}."),
            );
        }
        Some(code)
    }

    /// An optional mobile number, refused when given and not valid.
    pub fn mobile(&mut self, line: usize, text: &str) -> Option<String> {
        let mobile = crate::text::parse_mobile(text);
        if !text.is_empty() && mobile.is_none() {
            self.add(line, "mobile", "شمارهٔ همراه معتبر نیست.", "The mobile number is not valid.");
        }
        mobile
    }

    /// An optional e-mail address, refused when given and not valid.
    pub fn email(&mut self, line: usize, text: &str) -> Option<String> {
        let email = crate::text::parse_email(text);
        if !text.is_empty() && email.is_none() {
            self.add(line, "email", "رایانامه معتبر نیست.", "The e-mail address is not valid.");
        }
        email
    }
}

/// All rows or none, in one write transaction: every row's checks against the database, then —
/// if none was rejected — `apply` (which writes, or on a dry run only reports); otherwise
/// `import_rejected` listing every problem, the file's own and the database's.
pub fn all_or_none<R, T>(
    conn: &mut crate::db::DbConn,
    rows: &[R],
    mut rejected: Rejections,
    mut check: impl FnMut(&mut crate::db::DbConn, &R, &mut Rejections) -> Result<(), ApiError>,
    apply: impl FnOnce(&mut crate::db::DbConn) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    crate::db::write_tx(conn, |conn| {
        for r in rows {
            check(conn, r, &mut rejected)?;
        }
        if !rejected.0.is_empty() {
            return Err(rejected_error(rejected.0));
        }
        apply(conn)
    })
}

/// An import file read and its heading understood: each column found by its English or Persian
/// name (ی/ي, ک/ك and spacing folded, a byte-order mark ignored), the lines kept with their
/// numbers (the heading is line 1).
pub struct Sheet {
    index: HashMap<&'static str, usize>,
    lines: Vec<(usize, csv::StringRecord)>,
}

/// One line of an import file.
pub struct Line<'a> {
    pub line: usize,
    record: &'a csv::StringRecord,
    index: &'a HashMap<&'static str, usize>,
}

impl Line<'_> {
    /// The cell of a column, trimmed; empty when the column or the cell is missing.
    pub fn cell(&self, column: &str) -> String {
        self.index.get(column).and_then(|i| self.record.get(*i)).unwrap_or("").to_owned()
    }
}

impl Sheet {
    pub fn lines(&self) -> impl Iterator<Item = Line<'_>> {
        self.lines.iter().map(|(line, record)| Line { line: *line, record, index: &self.index })
    }
}

/// Reads an import file: UTF-8 (`import_not_utf8`), a heading (`import_empty`) naming every
/// `required` column (`import_columns_missing`), at most `max_rows` lines (`import_too_large`).
/// A line the CSV reader cannot read is rejected in `rejected`; blank lines are skipped.
pub fn read_sheet(
    bytes: &[u8],
    columns: &[(&'static str, &[&str])],
    required: &[&str],
    max_rows: usize,
    rejected: &mut Rejections,
) -> Result<Sheet, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ApiError::from(CoreError::ImportNotUtf8))?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| ApiError::from(CoreError::ImportEmpty))?.clone();
    if headers.iter().all(str::is_empty) {
        return Err(ApiError::from(CoreError::ImportEmpty));
    }
    let mut index = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let key = crate::text::search_key(h.trim_start_matches('\u{FEFF}'));
        if let Some((name, _)) =
            columns.iter().find(|(_, names)| names.iter().any(|n| crate::text::search_key(n) == key))
        {
            index.entry(*name).or_insert(i);
        }
    }
    let missing: Vec<&str> = required.iter().copied().filter(|c| !index.contains_key(c)).collect();
    if !missing.is_empty() {
        return Err(CoreError::ImportColumnsMissing(missing.iter().map(|m| m.to_string()).collect()).into());
    }
    let mut lines = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let Ok(record) = record else {
            rejected.add(line, "line", "این سطر CSV خوانا نیست.", "This CSV line cannot be read.");
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if lines.len() >= max_rows {
            return Err(CoreError::ImportTooManyRows { max: max_rows }.into());
        }
        lines.push((line, record));
    }
    Ok(Sheet { index, lines })
}

/// `import_empty`: the file had a heading and no line to import.
pub fn no_rows() -> ApiError {
    CoreError::ImportNoRows.into()
}

/// Reads an uploaded CSV file whole, refusing it once it passes `max_bytes` (`import_too_large`,
/// the limit named in the message) or when the upload breaks off (`upload_interrupted`).
pub async fn read_upload(mut body: actix_web::web::Payload, max_bytes: usize) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| CoreError::UploadInterrupted)?;
        if bytes.len() + chunk.len() > max_bytes {
            return Err(CoreError::ImportTooLarge { mb: max_bytes / (1024 * 1024) }.into());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The `import_rejected` answer: how many lines were refused, and every problem by row and column.
pub fn rejected_error(fields: FieldErrors) -> ApiError {
    let lines: HashSet<&str> = fields.0.keys().filter_map(|k| k.split(']').next()).collect();
    let refusal = CoreError::ImportRejected { lines: lines.len() };
    ApiError::Rejected { code: refusal.code(), msg: refusal.msg(), fields }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [(&str, &[&str]); 2] = [("national_code", &["national_code", "کد ملی"]), ("name", &["name", "نام"])];

    fn read(text: &str, max: usize) -> (Result<Sheet, ApiError>, Rejections) {
        let mut rejected = Rejections::default();
        (read_sheet(text.as_bytes(), &COLUMNS, &["national_code"], max, &mut rejected), rejected)
    }

    fn code(r: Result<Sheet, ApiError>) -> &'static str {
        match r {
            Err(ApiError::BadRequest { code, .. }) => code,
            Err(_) => "other error",
            Ok(_) => "read",
        }
    }

    #[test]
    fn headings_are_found_in_either_language_and_blank_lines_are_skipped() {
        let (sheet, rejected) = read("\u{FEFF}نام,كد ملي\r\nسارا,0012345678\r\n,\r\nعلی, 0098765432 \r\n", 10);
        let sheet = sheet.map_err(|_| "not read").unwrap();
        let lines: Vec<(usize, String, String)> =
            sheet.lines().map(|l| (l.line, l.cell("national_code"), l.cell("name"))).collect();
        assert_eq!(lines, vec![(2, "0012345678".into(), "سارا".into()), (4, "0098765432".into(), "علی".into())]);
        assert!(rejected.0.is_empty());
        assert_eq!(sheet.lines().next().map(|l| l.cell("no_such_column")), Some(String::new()));
    }

    #[test]
    fn a_file_that_cannot_be_imported_is_refused_with_its_reason() {
        assert_eq!(code(read("", 10).0), "import_empty");
        assert_eq!(code(read("name\nسارا\n", 10).0), "import_columns_missing");
        assert_eq!(code(read("national_code\n1\n2\n3\n", 2).0), "import_too_large");
        assert_eq!(code(read("national_code\n1\n2\n", 2).0), "read");
        let mut rejected = Rejections::default();
        let latin1 = [b'n', b'a', b'm', b'e', b'\n', 0xE9, b'\n'];
        assert_eq!(code(read_sheet(&latin1, &COLUMNS, &[], 10, &mut rejected)), "import_not_utf8");
    }
}
