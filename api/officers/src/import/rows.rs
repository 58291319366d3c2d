//! Reading the officers' CSV: the columns, and each row checked (national code, names,
//! birth date, contacts, province and city, field and degree, the distributor) with every
//! problem reported by row and column.

use std::collections::HashMap;

use anjoman_core::ApiError;
use anjoman_core::auth::password;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::{cities as ci, provinces as pr};
use anjoman_core::degrees::DegreeLevel;
use anjoman_core::import::{Rejections, no_rows, read_sheet};
use anjoman_core::text::{NationalCode, normalize_persian, search_key};
use chrono::NaiveDate;
use diesel::prelude::*;

pub const MAX_BYTES: usize = 4 * 1024 * 1024;
pub const MAX_ROWS: usize = 5_000;

/// Columns by their English or Persian heading.
pub(crate) const COLUMNS: [(&str, &[&str]); 18] = [
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

pub(crate) const REQUIRED: [&str; 11] = [
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

pub(crate) struct Row {
    pub(crate) line: usize,
    pub(crate) code: NationalCode,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) birth_date: NaiveDate,
    pub(crate) father_name: String,
    pub(crate) gender: &'static str,
    pub(crate) id_card_number: String,
    pub(crate) mobile: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) address: String,
    pub(crate) province: String,
    pub(crate) city: String,
    pub(crate) field: String,
    pub(crate) degree: DegreeLevel,
    pub(crate) distributor: Option<(String, &'static str, NationalCode)>,
    /// The officer's password hash from the previous system (bcrypt or argon2), if given.
    pub(crate) password_hash: Option<String>,
}

/// Provinces and cities by their id or Persian name (ی/ي, ک/ك, spaces folded).
pub(crate) struct Places {
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

pub(crate) fn parse(conn: &mut DbConn, bytes: &[u8], rejected: &mut Rejections) -> Result<Vec<Row>, ApiError> {
    let sheet = read_sheet(bytes, &COLUMNS, &REQUIRED, MAX_ROWS, rejected)?;
    let places = Places::load(conn)?;
    let allowed = crate::reference::allowed_fields(conn)?;
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for l in sheet.lines() {
        let (line, cell) = (l.line, |name: &str| l.cell(name));
        let before = rejected.count();
        let code = rejected.national_code(line, &cell("national_code"), &mut seen);
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
        let mobile = rejected.mobile(line, &cell("mobile"));
        let email = rejected.email(line, &cell("email"));
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
        if rejected.count() != before {
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
        return Err(no_rows());
    }
    Ok(rows)
}
