//! Bulk import of members from CSV (AS-04): every row is checked; if any is rejected nothing is
//! imported and the answer lists every rejected row and why. People not yet registered are
//! recorded without an account; they sign up later with their national code and find their
//! membership waiting.

use std::collections::HashMap;

use actix_web::{HttpRequest, get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind};
use anjoman_core::db::schema::{memberships as m, persons as p};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::error::Lang;
use anjoman_core::http::AppState;
use anjoman_core::text::{NationalCode, normalize_persian};
use anjoman_core::{ApiError, FieldErrors};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use anjoman_core::import::{Rejections, no_rows, read_sheet, rejected_error};

use crate::api::require_manager;
use crate::rules::{DegreeLevel, MembershipStatus, field_key};
use crate::store::{self, NewMembership};

/// The largest file accepted, and the most rows.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
pub const MAX_ROWS: usize = 20_000;

/// Columns by their English or Persian heading.
const COLUMNS: [(&str, &[&str]); 7] = [
    ("national_code", &["national_code", "کد ملی"]),
    ("first_name", &["first_name", "نام"]),
    ("last_name", &["last_name", "نام خانوادگی"]),
    ("field", &["field", "رشته"]),
    ("degree_level", &["degree_level", "مقطع"]),
    ("mobile", &["mobile", "تلفن همراه", "موبایل"]),
    ("email", &["email", "رایانامه", "ایمیل"]),
];

/// One checked row, ready to write.
struct Row {
    line: usize,
    code: NationalCode,
    first_name: String,
    last_name: String,
    field: String,
    degree: DegreeLevel,
    mobile: Option<String>,
    email: Option<String>,
}

/// Reads a members file as the import does before any database check: how many rows it would
/// keep, and the rejections by row. Public for the fuzz target (`fuzz/`).
pub fn read_file(bytes: &[u8]) -> Result<(usize, FieldErrors), ApiError> {
    let mut rejected = Rejections::default();
    let rows = parse(bytes, &mut rejected)?;
    Ok((rows.len(), rejected.0))
}

/// Parses and checks each row on its own (the database checks come after).
fn parse(bytes: &[u8], rejected: &mut Rejections) -> Result<Vec<Row>, ApiError> {
    let sheet = read_sheet(bytes, &COLUMNS, &["national_code", "field", "degree_level"], MAX_ROWS, rejected)?;
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for l in sheet.lines() {
        let (line, cell) = (l.line, |name: &str| l.cell(name));
        let before = rejected.count();
        let code = rejected.national_code(line, &cell("national_code"), &mut seen);
        let field = field_key(&cell("field"));
        if field.is_empty() || field.chars().count() > 100 {
            rejected.add(line, "field", "رشته الزامی است.", "The field is required.");
        }
        let degree = DegreeLevel::from_label(&cell("degree_level"));
        if degree.is_none() {
            rejected.add(line, "degree_level", "مقطع شناخته نشد.", "Unknown degree level.");
        }
        let (first_name, last_name) = (normalize_persian(&cell("first_name")), normalize_persian(&cell("last_name")));
        if first_name.chars().count() > 100 || last_name.chars().count() > 100 {
            rejected.add(line, "last_name", "نام بیش از ۱۰۰ نویسه است.", "A name is longer than 100 characters.");
        }
        let mobile = rejected.mobile(line, &cell("mobile"));
        let email = rejected.email(line, &cell("email"));
        if rejected.count() != before {
            continue;
        }
        if let (Some(code), Some(degree)) = (code, degree) {
            rows.push(Row { line, code, first_name, last_name, field, degree, mobile, email });
        }
    }
    if rows.is_empty() && rejected.0.is_empty() {
        return Err(no_rows());
    }
    Ok(rows)
}

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Only check the rows and report; import nothing.
    pub dry_run: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportReport {
    /// Rows read (blank lines aside).
    pub rows: usize,
    /// Members added (0 on a dry run).
    pub imported: usize,
    /// Of them, people who were not registered and were recorded without an account.
    pub new_people: usize,
    pub dry_run: bool,
}

/// Imports members from CSV (the association's admins, AS-04). The body is the file: UTF-8,
/// comma-separated, a heading line naming the columns `national_code`, `field`, `degree_level`
/// and optionally `first_name`, `last_name`, `mobile`, `email` (Persian headings work too:
/// کد ملی، نام، نام خانوادگی، رشته، مقطع، تلفن همراه، رایانامه). Names are required for people who
/// are not registered yet. Degree levels are codes or their Persian names.
///
/// All rows or none: when any row is rejected, nothing changes and the answer is
/// `import_rejected` with one entry per problem in `fields`, keyed `rows[<line>].<column>`.
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association"), ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The CSV file"),
    responses(
        (status = 200, description = "Imported (or, on a dry run, would import)", body = ImportReport),
        (status = 400, description = "`import_rejected` with the rejected rows in `fields`; `import_columns_missing`, `import_empty`, `import_not_utf8`, `import_too_large`", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/members/import")]
pub async fn import_members(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    q: web::Query<ImportQuery>,
    body: web::Payload,
) -> Result<web::Json<ImportReport>, ApiError> {
    let aid = id.into_inner();
    require_manager(&user, &aid)?;
    let bytes = anjoman_core::import::read_upload(body, MAX_BYTES).await?;
    let dry_run = q.dry_run.unwrap_or(false);
    let actor = user.person_id.clone();
    let report = state
        .db(move |conn| {
            let mut rejected = Rejections::default();
            let rows = parse(&bytes, &mut rejected)?;
            write_tx(conn, |conn| {
                let quals = store::qualifications(conn, &aid)?;
                store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                let known = known_people(conn, &aid, &rows)?;
                for r in &rows {
                    check_row(r, &quals, &known, &mut rejected);
                }
                if !rejected.0.is_empty() {
                    return Err(rejected_error(std::mem::take(&mut rejected.0)));
                }
                let n = rows.len();
                if dry_run {
                    let new_people = rows.iter().filter(|r| !known.contains_key(r.code.as_str())).count();
                    return Ok(ImportReport { rows: n, imported: 0, new_people, dry_run });
                }
                let new_people = write_rows(conn, &aid, &actor, &rows, &known)?;
                audit::record(
                    conn,
                    Event::new("membership.imported", "association", Some(&aid))
                        .by(&actor)
                        .states(None, Some(serde_json::json!({"members": n, "new_people": new_people}))),
                )?;
                Ok(ImportReport { rows: n, imported: n, new_people, dry_run })
            })
        })
        .await?;
    Ok(web::Json(report))
}

/// Who among the file's people is registered, and their membership status here if any.
type Known = HashMap<String, (String, Option<String>)>;

fn known_people(conn: &mut DbConn, aid: &str, rows: &[Row]) -> QueryResult<Known> {
    let mut known = Known::new();
    for chunk in rows.chunks(500) {
        let codes: Vec<&str> = chunk.iter().map(|r| r.code.as_str()).collect();
        let people: Vec<(String, String)> =
            p::table.filter(p::national_code.eq_any(&codes)).select((p::national_code, p::id)).load(conn)?;
        let ids: Vec<&str> = people.iter().map(|(_, id)| id.as_str()).collect();
        let statuses: Vec<(String, String)> = m::table
            .filter(m::association_id.eq(aid))
            .filter(m::person_id.eq_any(&ids))
            .select((m::person_id, m::status))
            .load(conn)?;
        for (code, id) in people {
            let status = statuses.iter().find(|(pid, _)| *pid == id).map(|(_, s)| s.clone());
            known.insert(code, (id, status));
        }
    }
    Ok(known)
}

fn check_row(r: &Row, quals: &[(String, String)], known: &Known, rejected: &mut Rejections) {
    if !quals.iter().any(|(f, d)| *f == r.field && d == r.degree.as_str()) {
        rejected.add(
            r.line,
            "field",
            "این رشته و مقطع در فهرست پذیرفته‌شدهٔ انجمن نیست.",
            "This field and degree are not among those the association accepts.",
        );
    }
    match known.get(r.code.as_str()) {
        None if r.first_name.is_empty() || r.last_name.is_empty() => rejected.add(
            r.line,
            "first_name",
            "این شخص ثبت‌نام نکرده است؛ نام و نام خانوادگی لازم است.",
            "This person is not registered: first and last name are required.",
        ),
        Some((_, Some(status))) => {
            let (fa, en) = match MembershipStatus::parse(status) {
                Some(MembershipStatus::Approved) => {
                    ("پیش‌تر عضو این انجمن است.", "Already a member of this association.")
                }
                Some(MembershipStatus::Pending) => (
                    "درخواست عضویت او در انتظار بررسی است؛ آن را تأیید کنید.",
                    "Their membership request is pending; approve it instead.",
                ),
                Some(MembershipStatus::Left | MembershipStatus::Removed) => (
                    "عضویت او پایان یافته است؛ برای بازگرداندن، او را با فرم ثبت یک عضو ثبت کنید.",
                    "Their membership has ended; register them again with the single-member form.",
                ),
                _ => ("درخواست او رد شده است.", "Their request was rejected."),
            };
            rejected.add(r.line, "national_code", fa, en);
        }
        _ => {}
    }
}

/// Writes every row; returns how many people were new.
fn write_rows(conn: &mut DbConn, aid: &str, actor: &str, rows: &[Row], known: &Known) -> Result<usize, ApiError> {
    let mut new_people = 0;
    for r in rows {
        let person = match known.get(r.code.as_str()) {
            Some((id, _)) => id.clone(),
            None => {
                new_people += 1;
                anjoman_identity::store::insert_person_record(
                    conn,
                    &anjoman_identity::rules::NewPerson {
                        national_code: r.code.clone(),
                        first_name: r.first_name.clone(),
                        last_name: r.last_name.clone(),
                        mobile: r.mobile.clone(),
                        email: r.email.clone(),
                    },
                )?
            }
        };
        let membership = store::insert_membership(
            conn,
            &NewMembership {
                association_id: aid,
                person_id: &person,
                field: &r.field,
                degree_level: r.degree.as_str(),
                status: MembershipStatus::Approved,
                source: "import",
                decided_by: Some(actor),
            },
        )?;
        store::announce_approval(conn, &membership)?;
        anjoman_identity::store::grant_role(
            conn,
            &person,
            Role::Member,
            Some((ScopeKind::Association, aid)),
            Some(actor),
        )?;
    }
    Ok(new_people)
}

/// A CSV to start from: the heading line and one example row.
#[utoipa::path(tag = "associations", responses((status = 200, description = "CSV", content_type = "text/csv")))]
#[get("/members-import-template.csv")]
pub async fn import_template(req: HttpRequest) -> actix_web::HttpResponse {
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let body = match lang {
        Lang::Fa => {
            "\u{FEFF}کد ملی,نام,نام خانوادگی,رشته,مقطع,تلفن همراه,رایانامه\r\n0499370899,سارا,احمدی,انفورماتیک پزشکی,کارشناسی ارشد,09121234567,sara@example.ir\r\n"
        }
        Lang::En => {
            "\u{FEFF}national_code,first_name,last_name,field,degree_level,mobile,email\r\n0499370899,Sara,Ahmadi,medical informatics,master,09121234567,sara@example.ir\r\n"
        }
    };
    actix_web::HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"members-template.csv\""))
        .body(body)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    const HEADINGS: [&str; 7] =
        ["national_code", "first_name", "last_name", "field", "degree_level", "mobile", "email"];

    fn rejected_lines(rejected: &Rejections) -> BTreeSet<usize> {
        rejected.0.0.keys().filter_map(|k| k.strip_prefix("rows[")?.split(']').next()?.parse().ok()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Any bytes at all: parsed or refused in the envelope, never a panic.
        #[test]
        fn any_file_is_parsed_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
            let mut rejected = Rejections::default();
            let _ = parse(&bytes, &mut rejected);
        }

        /// Every non-blank row of a well-formed file is either kept or rejected, by its own line,
        /// never both; kept rows hold a valid national code and no other row has the same one.
        #[test]
        fn every_row_is_kept_or_rejected_by_its_line(
            rows in proptest::collection::vec(
                proptest::collection::vec(prop_oneof!["\\PC{0,12}", "[0-9]{10}", "09[0-9]{9}", Just("master".to_owned())], 7),
                1..25,
            ),
        ) {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADINGS).unwrap();
            for r in &rows {
                w.write_record(r).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            let mut rejected = Rejections::default();
            let Ok(kept) = parse(&bytes, &mut rejected) else { return Ok(()) };
            let bad = rejected_lines(&rejected);
            let good: BTreeSet<usize> = kept.iter().map(|r| r.line).collect();
            prop_assert!(good.is_disjoint(&bad));
            // The reader trims ASCII white space only.
            let blank = rows.iter().filter(|r| r.iter().all(|c| c.trim_ascii().is_empty())).count();
            prop_assert_eq!(good.len() + bad.len() + blank, rows.len());
            prop_assert!(good.iter().chain(&bad).all(|l| (2..=rows.len() + 1).contains(l)));
            let codes: BTreeSet<&str> = kept.iter().map(|r| r.code.as_str()).collect();
            prop_assert_eq!(codes.len(), kept.len());
        }
    }
}
