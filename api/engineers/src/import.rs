//! Import of the organisation's existing engineers (EN-01): the records single sign-on logins
//! are matched against. A CSV of `national_code, first_name, last_name, province,
//! membership_number, expires_on` (Jalali or Gregorian) and optionally `birth_province` and `verified_degrees`
//! (`level:discipline:orientation:university:YYYY-MM-DD` items separated by `|`). All rows or
//! none, with a report of every rejected row. People unknown to the system get a person record
//! without an account, with the optional `mobile` and `email` columns as its contacts: their
//! first SSO login gives them one, or "forgot password" with a code sent to those contacts.

use std::collections::HashMap;

use actix_web::{post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::schema::{engineering_orgs as org, engineers as en, provinces as pr};
use anjoman_core::db::{DbConn, new_id, now};
use anjoman_core::http::AppState;
use anjoman_core::import::{Rejections, all_or_none, no_rows, read_sheet};
use anjoman_core::text::{NationalCode, normalize_digits, normalize_persian, search_key};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::record::model::{DegreeForm, NewDegree};
use crate::rules::{DegreeLevel, Discipline};
use crate::shared::expert_of;

pub const MAX_BYTES: usize = 8 * 1024 * 1024;
pub const MAX_ROWS: usize = 20_000;

const COLUMNS: [(&str, &[&str]); 10] = [
    ("national_code", &["national_code", "کد ملی"]),
    ("first_name", &["first_name", "نام"]),
    ("last_name", &["last_name", "نام خانوادگی"]),
    ("province", &["province", "استان"]),
    ("membership_number", &["membership_number", "شماره عضویت"]),
    ("expires_on", &["expires_on", "تاریخ اعتبار", "پایان اعتبار"]),
    ("birth_province", &["birth_province", "استان محل تولد"]),
    ("verified_degrees", &["verified_degrees", "مدارک تحصیلی"]),
    ("mobile", &["mobile", "تلفن همراه"]),
    ("email", &["email", "رایانامه", "ایمیل"]),
];

const REQUIRED: [&str; 6] = ["national_code", "first_name", "last_name", "province", "membership_number", "expires_on"];

struct Degree {
    level: DegreeLevel,
    discipline: Discipline,
    orientation: String,
    university: String,
    graduated_on: NaiveDate,
}

struct Row {
    line: usize,
    code: NationalCode,
    first_name: String,
    last_name: String,
    province: String,
    membership_number: String,
    expires_on: NaiveDate,
    birth_province: Option<String>,
    degrees: Vec<Degree>,
    mobile: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct EngineerImportQuery {
    /// Check every row and report, import nothing.
    pub dry_run: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct EngineerImportReport {
    pub rows: usize,
    pub imported: usize,
    /// Of them, people the system did not know before.
    pub new_people: usize,
    pub degrees: usize,
    pub dry_run: bool,
}

fn province_by(provinces: &[(String, String)], text: &str) -> Option<String> {
    let key = search_key(text);
    provinces.iter().find(|(id, name)| id == text || search_key(name) == key).map(|(id, _)| id.clone())
}

fn parse_degrees(text: &str) -> Result<Vec<Degree>, String> {
    text.split('|')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|item| {
            let parts: Vec<&str> = item.split(':').map(str::trim).collect();
            let [level, discipline, orientation, university, date] = parts[..] else {
                return Err(format!("«{item}»: level:discipline:orientation:university:YYYY-MM-DD"));
            };
            Ok(Degree {
                level: DegreeLevel::parse(level).ok_or_else(|| format!("{level}: {}", DegreeLevel::codes()))?,
                discipline: Discipline::parse(discipline)
                    .ok_or_else(|| format!("{discipline}: {}", Discipline::codes()))?,
                orientation: normalize_persian(orientation),
                university: normalize_persian(university),
                graduated_on: crate::rules::parse_date(date)
                    .ok_or_else(|| format!("{date}: YYYY-MM-DD or 1390/04/10"))?,
            })
        })
        .collect()
}

fn parse(conn: &mut DbConn, bytes: &[u8], rejected: &mut Rejections) -> Result<Vec<Row>, ApiError> {
    let sheet = read_sheet(bytes, &COLUMNS, &REQUIRED, MAX_ROWS, rejected)?;
    let provinces: Vec<(String, String)> = pr::table.select((pr::id, pr::name_fa)).load(conn)?;
    let orgs: Vec<String> = org::table.select(org::province_id).load(conn)?;
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut numbers: HashMap<(String, String), usize> = HashMap::new();
    for l in sheet.lines() {
        let (line, get) = (l.line, |c: &str| l.cell(c));
        let before = rejected.count();
        let code = rejected.national_code(line, &get("national_code"), &mut seen);
        let first_name = normalize_persian(&get("first_name"));
        let last_name = normalize_persian(&get("last_name"));
        if first_name.is_empty() {
            rejected.add(line, "first_name", "نام خالی است.", "The first name is empty.");
        }
        if last_name.is_empty() {
            rejected.add(line, "last_name", "نام خانوادگی خالی است.", "The last name is empty.");
        }
        let province = province_by(&provinces, &get("province"));
        match &province {
            None => rejected.add(line, "province", "استان شناخته نیست.", "Unknown province."),
            Some(p) if !orgs.contains(p) => rejected.add(
                line,
                "province",
                "این استان سازمان نظام مهندسی ثبت‌شده ندارد.",
                "This province has no engineering organisation on the system.",
            ),
            _ => {}
        }
        let membership_number = normalize_digits(&get("membership_number"));
        if membership_number.is_empty() || membership_number.chars().count() > 40 {
            rejected.add(line, "membership_number", "شمارهٔ عضویت خالی است.", "The membership number is empty.");
        } else if let Some(pv) = &province
            && let Some(first) = numbers.insert((pv.clone(), membership_number.clone()), line)
        {
            rejected.add(line, "membership_number", format!("تکرار سطر {first}"), format!("Repeats line {first}"));
        }
        let expires_on = crate::rules::parse_date(&get("expires_on"));
        if expires_on.is_none() {
            rejected.add(
                line,
                "expires_on",
                "تاریخ اعتبار را خورشیدی (۱۴۰۶/۰۲/۱۱) یا میلادی (2027-05-01) بنویسید.",
                "Write the expiry as a Jalali (1406/02/11) or Gregorian (2027-05-01) date.",
            );
        }
        let birth_text = get("birth_province");
        let birth_province = if birth_text.is_empty() {
            None
        } else {
            let found = province_by(&provinces, &birth_text);
            if found.is_none() {
                rejected.add(line, "birth_province", "استان محل تولد شناخته نیست.", "Unknown province of birth.");
            }
            found
        };
        // EN-07: where the national code gives the province of birth, the file cannot say another.
        let given = code.as_ref().and_then(|c| anjoman_core::reference::birth_province(c.as_str()));
        if let (Some(given), Some(written)) = (given, &birth_province)
            && given != written
        {
            rejected.add(
                line,
                "birth_province",
                "کد ملی استان محل تولد دیگری را نشان می‌دهد؛ این ستون را خالی بگذارید.",
                "The national code gives another province of birth; leave this column empty.",
            );
        }
        let degrees = match parse_degrees(&get("verified_degrees")) {
            Ok(d) => d,
            Err(why) => {
                rejected.add(
                    line,
                    "verified_degrees",
                    format!("مدرک درست نیست: {why}"),
                    format!("Not a degree: {why}"),
                );
                Vec::new()
            }
        };
        let mobile = rejected.mobile(line, &get("mobile"));
        let email = rejected.email(line, &get("email"));
        if rejected.count() != before {
            continue;
        }
        let (Some(code), Some(province), Some(expires_on)) = (code, province, expires_on) else { continue };
        rows.push(Row {
            line,
            code,
            first_name,
            last_name,
            province,
            membership_number,
            expires_on,
            birth_province,
            degrees,
            mobile,
            email,
        });
    }
    if rows.is_empty() && rejected.0.is_empty() {
        return Err(no_rows());
    }
    Ok(rows)
}

/// Imports the organisation's existing engineers (EN-01). The body is the CSV (UTF-8, a heading
/// line; Persian headings work): `national_code, first_name, last_name, province,
/// membership_number, expires_on (Jalali 1406/02/11 or Gregorian 2027-05-01)`, optionally `birth_province`,
/// `verified_degrees`, and `mobile` and `email` (recorded for people new to the system, who claim
/// their account with a code sent there). The caller must be an admin of every row's province. All rows or none:
/// any rejected row answers `import_rejected` with `rows[<line>].<column>` in `fields`.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(EngineerImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The CSV file"),
    responses(
        (status = 200, description = "Imported (or, on a dry run, would import)", body = EngineerImportReport),
        (status = 400, description = "`import_rejected` with the rejected rows in `fields`; `import_columns_missing`, `import_empty`, `import_not_utf8`, `import_too_large`", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an engineering organisation's admin", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/import")]
pub async fn import_engineers(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<EngineerImportQuery>,
    body: web::Payload,
) -> Result<web::Json<EngineerImportReport>, ApiError> {
    user.require(&[Role::EngineeringAdmin.any()])?;
    let bytes = anjoman_core::import::read_upload(body, MAX_BYTES).await?;
    let dry_run = q.dry_run.unwrap_or(false);
    let report = state
        .db(move |conn| {
            let mut rejected = Rejections::default();
            let rows = parse(conn, &bytes, &mut rejected)?;
            let check = |conn: &mut DbConn, r: &Row, rejected: &mut Rejections| check_row(conn, &user, r, rejected);
            all_or_none(conn, &rows, rejected, check, |conn| {
                let (n, degrees) = (rows.len(), rows.iter().map(|r| r.degrees.len()).sum());
                if dry_run {
                    return Ok(EngineerImportReport { rows: n, imported: 0, new_people: 0, degrees, dry_run });
                }
                let new_people = write_rows(conn, &rows, &user.person_id)?;
                audit_by_province(conn, &user.person_id, &rows, new_people, degrees)?;
                Ok(EngineerImportReport { rows: n, imported: n, new_people, degrees, dry_run })
            })
        })
        .await?;
    Ok(web::Json(report))
}

/// A row against the database: the caller administers its province, the engineer is not on
/// record yet, and the membership number is free in the province.
fn check_row(conn: &mut DbConn, user: &AuthUser, r: &Row, rejected: &mut Rejections) -> Result<(), ApiError> {
    if expert_of(user, &r.province).is_err() {
        rejected.add(
            r.line,
            "province",
            "شما مدیر سازمان این استان نیستید.",
            "You are not an admin of this province's organisation.",
        );
        return Ok(());
    }
    if let Some(pid) = anjoman_identity::store::person_id_by_code(conn, r.code.as_str())?
        && crate::store::engineer(conn, &pid)?.is_some()
    {
        rejected.add(r.line, "national_code", "این مهندس پیش‌تر ثبت شده است.", "This engineer is already on record.");
    }
    if crate::store::membership_number_taken(conn, &r.province, &r.membership_number)? {
        rejected.add(
            r.line,
            "membership_number",
            "این شمارهٔ عضویت در استان به نام دیگری است.",
            "Another engineer of the province has this membership number.",
        );
    }
    Ok(())
}

/// Writes every row: the person (recorded when new), the engineer, the verified degrees and the
/// role; returns how many people were new.
fn write_rows(conn: &mut DbConn, rows: &[Row], importer: &str) -> Result<usize, ApiError> {
    let mut new_people = 0;
    let at = now();
    for r in rows {
        let (person, created) = anjoman_identity::store::find_or_record(
            conn,
            &anjoman_identity::rules::NewPerson {
                national_code: r.code.clone(),
                first_name: r.first_name.clone(),
                last_name: r.last_name.clone(),
                mobile: r.mobile.clone(),
                email: r.email.clone(),
            },
        )?;
        new_people += usize::from(created);
        diesel::insert_into(en::table)
            .values((
                en::person_id.eq(&person),
                en::province_id.eq(&r.province),
                en::membership_number.eq(&r.membership_number),
                en::expires_on.eq(r.expires_on),
                en::birth_province_id.eq(&r.birth_province),
                // The organisation's own record: confirmed by the expert who imports it.
                en::birth_province_confirmed_by.eq(r.birth_province.as_ref().map(|_| importer)),
                en::birth_province_confirmed_at.eq(r.birth_province.as_ref().map(|_| at)),
                en::created_at.eq(at),
                en::updated_at.eq(at),
            ))
            .execute(conn)?;
        for d in &r.degrees {
            let form = DegreeForm {
                level: d.level.as_str(),
                discipline: d.discipline.as_str(),
                orientation: d.orientation.clone(),
                university: d.university.clone(),
                graduated_on: d.graduated_on,
                inquiry_code: None,
                letter_file_id: None,
                image_file_id: None,
            };
            let row = NewDegree {
                id: new_id(),
                engineer_id: person.clone(),
                form,
                verified: true,
                created_at: at,
                updated_at: at,
            };
            crate::record::store::insert_degree(conn, &row)?;
        }
        anjoman_identity::store::grant_role(conn, &person, Role::Engineer, None, None)?;
    }
    Ok(new_people)
}

/// One audit entry per province, in that province's part of the log.
fn audit_by_province(
    conn: &mut DbConn,
    actor: &str,
    rows: &[Row],
    new_people: usize,
    degrees: usize,
) -> Result<(), ApiError> {
    let mut provinces: Vec<&str> = rows.iter().map(|r| r.province.as_str()).collect();
    provinces.sort_unstable();
    provinces.dedup();
    for province in provinces {
        let here = rows.iter().filter(|r| r.province == province).count();
        audit::record(
            conn,
            Event::new("engineers.imported", "engineers", None)
                .by(actor)
                .scoped(Some(audit::Scope::Engineering(province.to_owned())))
                .states(
                    None,
                    Some(serde_json::json!({
                        "province": province, "engineers": here,
                        "file": {"engineers": rows.len(), "new_people": new_people, "degrees": degrees},
                    })),
                ),
        )?;
    }
    Ok(())
}
