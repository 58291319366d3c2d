//! Migration of existing officers (TO-10): a CSV of officers and their current distributor, all
//! rows or none. Each officer becomes a qualified officer (their qualification predates this
//! system); people without an account get one with the password hash carried over from the
//! previous system (bcrypt or argon2, re-hashed at first login) or else a random password that
//! nobody knows — they set their own through "forgot password" (ID-03). The distributor is found by name or created
//! with its manager, and the officer becomes the technical officer of its central branch.

use std::collections::HashMap;

use actix_web::{post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind, password};
use anjoman_core::db::schema::{
    branches as br, cities as ci, cooperations as co, distributors as di, officers as o, provinces as pr,
};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::degrees::DegreeLevel;
use anjoman_core::http::AppState;
use anjoman_core::import::{Rejections, rejected_error};
use anjoman_core::text::{NationalCode, normalize_persian, parse_email, parse_mobile, search_key};
use anjoman_core::{ApiError, Msg};
use chrono::NaiveDate;
use diesel::prelude::*;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub const MAX_BYTES: usize = 4 * 1024 * 1024;
pub const MAX_ROWS: usize = 5_000;

/// Columns by their English or Persian heading.
const COLUMNS: [(&str, &[&str]); 18] = [
    ("national_code", &["national_code", "کد ملی"]),
    ("first_name", &["first_name", "نام"]),
    ("last_name", &["last_name", "نام خانوادگی"]),
    ("birth_date", &["birth_date", "تاریخ تولد"]),
    ("father_name", &["father_name", "نام پدر"]),
    ("gender", &["gender", "جنسیت"]),
    ("id_card_number", &["id_card_number", "شماره شناسنامه"]),
    ("mobile", &["mobile", "تلفن همراه", "موبایل"]),
    ("email", &["email", "رایانامه", "ایمیل"]),
    ("address", &["address", "نشانی"]),
    ("province", &["province", "استان"]),
    ("city", &["city", "شهر"]),
    ("field", &["field", "رشته"]),
    ("degree_level", &["degree_level", "مقطع"]),
    ("distributor", &["distributor", "توزیع کننده", "شرکت"]),
    ("distributor_kind", &["distributor_kind", "نوع توزیع کننده"]),
    ("manager_national_code", &["manager_national_code", "کد ملی مدیر"]),
    ("password_hash", &["password_hash", "هش رمز عبور"]),
];

const REQUIRED: [&str; 11] = [
    "national_code",
    "first_name",
    "last_name",
    "birth_date",
    "father_name",
    "gender",
    "id_card_number",
    "address",
    "province",
    "city",
    "field",
];

struct Row {
    line: usize,
    code: NationalCode,
    first_name: String,
    last_name: String,
    birth_date: NaiveDate,
    father_name: String,
    gender: &'static str,
    id_card_number: String,
    mobile: Option<String>,
    email: Option<String>,
    address: String,
    province: String,
    city: String,
    field: String,
    degree: DegreeLevel,
    distributor: Option<(String, &'static str, NationalCode)>,
    /// The officer's password hash from the previous system (bcrypt or argon2), if given.
    password_hash: Option<String>,
}

fn bad(code: &'static str, fa: &str, en: &str) -> ApiError {
    ApiError::BadRequest { code, msg: Msg::new(fa, en) }
}

/// Provinces and cities by their id or Persian name (ی/ي, ک/ك, spaces folded).
struct Places {
    provinces: Vec<(String, String)>,
    cities: Vec<(String, String, String)>,
}

impl Places {
    fn load(conn: &mut DbConn) -> QueryResult<Self> {
        Ok(Self {
            provinces: pr::table.select((pr::id, pr::name_fa)).load(conn)?,
            cities: ci::table.select((ci::id, ci::province_id, ci::name_fa)).load(conn)?,
        })
    }

    fn province(&self, text: &str) -> Option<String> {
        let key = search_key(text);
        self.provinces.iter().find(|(id, name)| *id == text || search_key(name) == key).map(|(id, _)| id.clone())
    }

    fn city(&self, province: &str, text: &str) -> Option<String> {
        let key = search_key(text);
        self.cities
            .iter()
            .find(|(id, pv, name)| pv == province && (*id == text || search_key(name) == key))
            .map(|(id, _, _)| id.clone())
    }
}

fn parse(conn: &mut DbConn, bytes: &[u8], rejected: &mut Rejections) -> Result<Vec<Row>, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        bad("import_not_utf8", "پرونده باید CSV با کدگذاری UTF-8 باشد.", "The file must be CSV in UTF-8.")
    })?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| bad("import_empty", "پرونده خالی است.", "The file is empty."))?.clone();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let key = search_key(h.trim_start_matches('\u{FEFF}'));
        if let Some((name, _)) = COLUMNS.iter().find(|(_, names)| names.iter().any(|n| search_key(n) == key)) {
            index.entry(*name).or_insert(i);
        }
    }
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !index.contains_key(c)).collect();
    if !missing.is_empty() {
        return Err(ApiError::BadRequest {
            code: "import_columns_missing",
            msg: Msg::new(
                format!("ستون‌های لازم در سطر نخست نیست: {}", missing.join("، ")),
                format!("The first line lacks required columns: {}", missing.join(", ")),
            ),
        });
    }
    let places = Places::load(conn)?;
    let allowed = crate::reference::allowed_fields(conn)?;
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if i >= MAX_ROWS {
            return Err(bad("import_too_large", "حداکثر ۵٬۰۰۰ سطر در هر بار.", "At most 5,000 rows at a time."));
        }
        let Ok(record) = record else {
            rejected.add(line, "line", "این سطر CSV خوانا نیست.", "This CSV line cannot be read.");
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |name: &str| index.get(name).and_then(|i| record.get(*i)).unwrap_or("").to_owned();
        let before = rejected.0.0.len();
        let code = NationalCode::parse(&cell("national_code"))
            .map_err(|e| rejected.add(line, "national_code", e.message_fa(), e.message_en()))
            .ok();
        if let Some(c) = &code
            && let Some(first) = seen.insert(c.as_str().to_owned(), line)
        {
            rejected.add(
                line,
                "national_code",
                format!("این کد ملی در سطر {first} هم آمده است."),
                format!("This national code is also on line {first}."),
            );
        }
        let name = |v: String, column: &str, rejected: &mut Rejections| {
            let v = normalize_persian(&v);
            if v.is_empty() || v.chars().count() > 100 {
                rejected.add(line, column, "الزامی است (حداکثر ۱۰۰ نویسه).", "Required (at most 100 characters).");
            }
            v
        };
        let first_name = name(cell("first_name"), "first_name", rejected);
        let last_name = name(cell("last_name"), "last_name", rejected);
        let father_name = name(cell("father_name"), "father_name", rejected);
        let birth_date =
            NaiveDate::parse_from_str(&anjoman_core::text::normalize_digits(&cell("birth_date")), "%Y-%m-%d")
                .ok()
                .filter(|d| *d < chrono::Utc::now().date_naive());
        if birth_date.is_none() {
            rejected.add(
                line,
                "birth_date",
                "تاریخ تولد به شکل YYYY-MM-DD (میلادی).",
                "Birth date as YYYY-MM-DD (Gregorian).",
            );
        }
        let gender = match search_key(&cell("gender")).as_str() {
            "male" | "مرد" => Some("male"),
            "female" | "زن" => Some("female"),
            _ => {
                rejected.add(line, "gender", "جنسیت: مرد یا زن.", "Gender: male or female.");
                None
            }
        };
        let id_card_number = anjoman_core::text::normalize_digits(&cell("id_card_number"));
        if id_card_number.is_empty() || id_card_number.len() > 10 || !id_card_number.chars().all(|c| c.is_ascii_digit())
        {
            rejected.add(
                line,
                "id_card_number",
                "شمارهٔ شناسنامه رقمی است (تا ۱۰ رقم).",
                "The ID-card number is up to 10 digits.",
            );
        }
        let mobile_text = cell("mobile");
        let mobile = parse_mobile(&mobile_text);
        if !mobile_text.is_empty() && mobile.is_none() {
            rejected.add(line, "mobile", "شمارهٔ همراه معتبر نیست.", "The mobile number is not valid.");
        }
        let email_text = cell("email");
        let email = parse_email(&email_text);
        if !email_text.is_empty() && email.is_none() {
            rejected.add(line, "email", "رایانامه معتبر نیست.", "The e-mail address is not valid.");
        }
        let address = normalize_persian(&cell("address"));
        if address.chars().count() < 10 || address.chars().count() > 500 {
            rejected.add(line, "address", "نشانی کامل لازم است.", "A full address is needed.");
        }
        let province = places.province(&cell("province"));
        let city = province.as_deref().and_then(|pv| places.city(pv, &cell("city")));
        if province.is_none() {
            rejected.add(line, "province", "استان شناخته نشد.", "Unknown province.");
        } else if city.is_none() {
            rejected.add(line, "city", "شهر در این استان شناخته نشد.", "Unknown city in this province.");
        }
        let field = normalize_persian(&cell("field"));
        let degree = DegreeLevel::from_label(&cell("degree_level"));
        if degree.is_none_or(|d| !allowed.iter().any(|a| a.field == field && a.degree_level == d)) {
            rejected.add(
                line,
                "field",
                "این رشته و مقطع در فهرست مجاز نیست.",
                "This field and degree are not on the allowed list.",
            );
        }
        let dist_name = normalize_persian(&cell("distributor"));
        let distributor = if dist_name.is_empty() {
            None
        } else {
            let kind = match search_key(&cell("distributor_kind")).as_str() {
                "" | "company" | "شرکت" => Some("company"),
                "guild" | "صنف" => Some("guild"),
                _ => None,
            };
            if kind.is_none() {
                rejected.add(line, "distributor_kind", "نوع: شرکت یا صنف.", "Kind: company or guild.");
            }
            let manager = NationalCode::parse(&cell("manager_national_code"))
                .map_err(|e| rejected.add(line, "manager_national_code", e.message_fa(), e.message_en()))
                .ok();
            kind.zip(manager).map(|(k, m)| (dist_name.clone(), k, m))
        };
        let hash_text = cell("password_hash");
        let password_hash = (!hash_text.is_empty()).then_some(hash_text);
        if let Some(Err(why)) = password_hash.as_deref().map(password::check_imported_hash) {
            rejected.add(
                line,
                "password_hash",
                format!("هش رمز عبور پذیرفته نیست ({why})؛ bcrypt یا argon2 لازم است."),
                format!("The password hash is not accepted ({why}); bcrypt or argon2 is needed."),
            );
        }
        if rejected.0.0.len() != before {
            continue;
        }
        if let (Some(code), Some(birth_date), Some(gender), Some(province), Some(city), Some(degree)) =
            (code, birth_date, gender, province, city, degree)
        {
            rows.push(Row {
                line,
                code,
                first_name,
                last_name,
                birth_date,
                father_name,
                gender,
                id_card_number,
                mobile,
                email,
                address,
                province,
                city,
                field,
                degree,
                distributor,
                password_hash,
            });
        }
    }
    if rows.is_empty() && rejected.0.is_empty() {
        return Err(bad("import_empty", "پرونده هیچ سطری برای ورود ندارد.", "The file has no rows to import."));
    }
    Ok(rows)
}

#[derive(Deserialize, IntoParams)]
pub struct OfficerImportQuery {
    /// Only check the rows and report; import nothing.
    pub dry_run: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct OfficerImportReport {
    pub rows: usize,
    /// Officers added (0 on a dry run).
    pub imported: usize,
    /// Accounts created: with the `password_hash` carried over, or else a random password to be
    /// set through "forgot password".
    pub new_accounts: usize,
    /// Distributors created (the others were found by name).
    pub new_distributors: usize,
    pub dry_run: bool,
}

fn person_id(conn: &mut DbConn, code: &str) -> QueryResult<Option<String>> {
    anjoman_identity::store::person_id_by_code(conn, code)
}

/// An account for the person, created when missing: with the password hash carried over from the
/// previous system, or else a random password nobody knows (ID-03). An existing account keeps its
/// own password.
#[allow(clippy::too_many_arguments)]
fn ensure_account(
    conn: &mut DbConn,
    config: &anjoman_core::Config,
    code: &NationalCode,
    first: &str,
    last: &str,
    mobile: Option<&str>,
    email: Option<&str>,
    imported_hash: Option<&str>,
) -> Result<(String, bool), ApiError> {
    let existing = person_id(conn, code.as_str())?;
    let has_account = match &existing {
        Some(id) => anjoman_identity::store::account_by_code(conn, code.as_str())?.is_some_and(|a| a.person_id == *id),
        None => false,
    };
    if has_account {
        return Ok((existing.unwrap_or_default(), false));
    }
    let hash = match imported_hash {
        Some(h) => h.to_owned(),
        None => password::hash_password(&config.argon2, &password::random_password()),
    };
    let id = match existing {
        Some(id) => id,
        None => anjoman_identity::store::insert_person_record(
            conn,
            &anjoman_identity::rules::NewPerson {
                national_code: code.clone(),
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                mobile: mobile.map(str::to_owned),
                email: email.map(str::to_owned),
            },
        )?,
    };
    anjoman_identity::store::insert_account(conn, &id, &hash, false)?;
    Ok((id, true))
}

/// Imports existing officers and their current distributor as its central branch (the
/// directorate, TO-10). The body is the CSV (UTF-8, a heading line; Persian headings work):
/// `national_code, first_name, last_name, birth_date (YYYY-MM-DD), father_name, gender,
/// id_card_number, mobile, email, address, province, city, field, degree_level` and optionally
/// `distributor, distributor_kind (company|guild), manager_national_code` and `password_hash` (the
/// previous system's bcrypt `$2a$/$2b$/$2y$` or argon2 PHC hash, with bounded cost: the officer logs
/// in with their old password, which is then re-hashed as argon2id). All rows or none:
/// any rejected row answers `import_rejected` with `rows[<line>].<column>` in `fields`.
#[utoipa::path(
    tag = "officers",
    security(("bearer" = [])),
    params(OfficerImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The CSV file"),
    responses(
        (status = 200, description = "Imported (or, on a dry run, would import)", body = OfficerImportReport),
        (status = 400, description = "`import_rejected` with the rejected rows in `fields`; `import_columns_missing`, `import_empty`, `import_not_utf8`, `import_too_large`", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not the directorate", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/officers/import")]
pub async fn import_officers(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<OfficerImportQuery>,
    mut body: web::Payload,
) -> Result<web::Json<OfficerImportReport>, ApiError> {
    user.require_any(&[Role::DirectorateAdmin])?;
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk =
            chunk.map_err(|_| bad("upload_interrupted", "ارسال پرونده ناتمام ماند.", "The upload was interrupted."))?;
        if bytes.len() + chunk.len() > MAX_BYTES {
            return Err(bad("import_too_large", "حجم پرونده بیش از ۴ مگابایت است.", "The file is larger than 4 MB."));
        }
        bytes.extend_from_slice(&chunk);
    }
    let dry_run = q.dry_run.unwrap_or(false);
    let config = state.config.clone();
    let report = state
        .db(move |conn| {
            let mut rejected = Rejections::default();
            let rows = parse(conn, &bytes, &mut rejected)?;
            write_tx(conn, |conn| {
                for r in &rows {
                    if let Some(pid) = person_id(conn, r.code.as_str())?
                        && o::table.find(&pid).select(o::person_id).first::<String>(conn).optional()?.is_some()
                    {
                        rejected.add(r.line, "national_code", "این شخص پیش‌تر مسئول فنی ثبت شده است.", "This person is already a technical officer.");
                    }
                }
                if !rejected.0.is_empty() {
                    return Err(rejected_error(std::mem::take(&mut rejected.0)));
                }
                let n = rows.len();
                if dry_run {
                    return Ok(OfficerImportReport { rows: n, imported: 0, new_accounts: 0, new_distributors: 0, dry_run });
                }
                let (mut new_accounts, mut new_distributors) = (0, 0);
                let at = now();
                for r in &rows {
                    let (officer, created) = ensure_account(conn, &config, &r.code, &r.first_name, &r.last_name, r.mobile.as_deref(), r.email.as_deref(), r.password_hash.as_deref())?;
                    new_accounts += usize::from(created);
                    if anjoman_identity::store::person_of(conn, &officer)?.birth_date.is_none() {
                        let birth = anjoman_identity::rules::ProfileChanges { birth_date: Some(Some(r.birth_date)), ..Default::default() };
                        anjoman_identity::store::update_person(conn, &officer, &birth)?;
                    }
                    diesel::insert_into(o::table)
                        .values((
                            o::person_id.eq(&officer),
                            o::father_name.eq(&r.father_name),
                            o::gender.eq(r.gender),
                            o::id_card_number.eq(&r.id_card_number),
                            o::address.eq(&r.address),
                            o::province_id.eq(&r.province),
                            o::city_id.eq(&r.city),
                            o::field.eq(&r.field),
                            o::degree_level.eq(r.degree.as_str()),
                            o::documents.eq("[]"),
                            o::qualified_at.eq(Some(at)),
                            o::created_at.eq(at),
                            o::updated_at.eq(at),
                        ))
                        .execute(conn)?;
                    anjoman_identity::store::grant_role(conn, &officer, Role::TechnicalOfficer, None, None)?;
                    let Some((name, kind, manager_code)) = &r.distributor else { continue };
                    let found: Option<String> = di::table.filter(di::name.eq(name)).select(di::id).first(conn).optional()?;
                    let distributor = match found {
                        Some(id) => id,
                        None => {
                            let (manager, created) = ensure_account(conn, &config, manager_code, "مدیر", name, None, None, None)?;
                            new_accounts += usize::from(created);
                            let id = new_id();
                            diesel::insert_into(di::table)
                                .values((di::id.eq(&id), di::name.eq(name), di::kind.eq(*kind), di::manager_id.eq(&manager), di::created_at.eq(at)))
                                .execute(conn)?;
                            anjoman_identity::store::grant_role(conn, &manager, Role::DistributorManager, Some((ScopeKind::Distributor, &id)), Some(&user.person_id))?;
                            new_distributors += 1;
                            id
                        }
                    };
                    let central: Option<(String, Option<String>)> = br::table
                        .filter(br::distributor_id.eq(&distributor))
                        .filter(br::is_central.eq(true))
                        .select((br::id, br::officer_id))
                        .first(conn)
                        .optional()?;
                    // The officer is the central branch's; a central branch that already has one
                    // gets a new branch named after the officer's city.
                    let branch = match central {
                        Some((id, None)) => id,
                        other => {
                            let id = new_id();
                            diesel::insert_into(br::table)
                                .values((
                                    br::id.eq(&id),
                                    br::distributor_id.eq(&distributor),
                                    br::name.eq(if other.is_none() { "دفتر مرکزی" } else { "شعبه" }),
                                    br::is_central.eq(other.is_none()),
                                    br::province_id.eq(&r.province),
                                    br::city_id.eq(&r.city),
                                    br::address.eq(&r.address),
                                    br::created_at.eq(at),
                                ))
                                .execute(conn)?;
                            id
                        }
                    };
                    diesel::update(br::table.find(&branch)).set(br::officer_id.eq(&officer)).execute(conn)?;
                    diesel::insert_into(co::table)
                        .values((
                            co::id.eq(new_id()),
                            co::branch_id.eq(&branch),
                            co::distributor_id.eq(&distributor),
                            co::officer_id.eq(&officer),
                            co::province_id.eq(&r.province),
                            co::status.eq("active"),
                            co::created_at.eq(at),
                            co::updated_at.eq(at),
                        ))
                        .execute(conn)?;
                }
                audit::record(
                    conn,
                    Event::new("officers.imported", "officers", None).by(&user.person_id).states(
                        None,
                        Some(serde_json::json!({"officers": n, "new_accounts": new_accounts, "new_distributors": new_distributors})),
                    ),
                )?;
                Ok(OfficerImportReport { rows: n, imported: n, new_accounts, new_distributors, dry_run })
            })
        })
        .await?;
    Ok(web::Json(report))
}
