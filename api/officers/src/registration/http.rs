//! The officer's record over HTTP: register (TO-01), read (TO-07), free edits (TO-06).

use actix_web::{HttpResponse, get, patch, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::{DbConn, now, write_tx};
use anjoman_core::degrees::DegreeLevel;
use anjoman_core::http::AppState;
use anjoman_core::person_fields::{self, Change, PersonField};
use anjoman_core::{ApiError, FieldErrors, Msg};
use anjoman_identity::rules::ProfileChanges;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{FreeItems, NewOfficer};
use super::store;
use crate::errors::OfficersError;
use crate::reference::{city_in, field_allowed};
use crate::requests::http::{RequestDto, request_dto};
use crate::rules::Standing;
use crate::shared::{FileRef, check_documents, clean, file_refs, files_json};

#[derive(Deserialize, ToSchema)]
pub struct Registration {
    /// Needed when the account does not hold it yet; never changes afterwards.
    pub birth_date: Option<NaiveDate>,
    pub father_name: String,
    /// `male` or `female`
    pub gender: String,
    pub id_card_number: String,
    pub phone: Option<String>,
    pub address: String,
    pub province_id: String,
    pub city_id: String,
    /// From the allowed list (`GET /officer-fields`); without a degree there is no registration.
    pub field: String,
    pub degree_level: String,
    /// Files uploaded with purpose `officer_document` (degree, identity card…).
    pub documents: Vec<String>,
}

/// The free items as typed, each checked; `None` where not given.
#[derive(Default)]
struct Free {
    father: Option<String>,
    gender: Option<String>,
    id_card: Option<String>,
    address: Option<String>,
}

fn check_free(
    e: &mut FieldErrors,
    father: Option<&str>,
    gender: Option<&str>,
    id_card: Option<&str>,
    address: Option<&str>,
) -> Free {
    let father = father.map(clean);
    if father.as_ref().is_some_and(|f| f.is_empty() || f.chars().count() > 100) {
        e.add("father_name", Msg::new("نام پدر الزامی است.", "The father's name is required."));
    }
    let gender = gender.map(|g| g.trim().to_owned());
    if gender.as_ref().is_some_and(|g| g != "male" && g != "female") {
        e.add("gender", Msg::new("جنسیت نامعتبر است.", "Gender is male or female."));
    }
    let id_card = id_card.map(|v| anjoman_core::text::normalize_digits(v.trim()));
    if id_card.as_ref().is_some_and(|v| v.is_empty() || v.len() > 10 || !v.chars().all(|c| c.is_ascii_digit())) {
        e.add(
            "id_card_number",
            Msg::new("شمارهٔ شناسنامه باید رقمی باشد (تا ۱۰ رقم).", "The ID-card number is up to 10 digits."),
        );
    }
    let address = address.map(clean);
    if address.as_ref().is_some_and(|a| a.chars().count() < 10 || a.chars().count() > 500) {
        e.add("address", Msg::new("نشانی کامل را بنویسید.", "Write the full address."));
    }
    Free { father, gender, id_card, address }
}

/// The checks that need no database; returns the cleaned free items and phone.
fn check_registration(b: &Registration, e: &mut FieldErrors) -> (Free, Option<String>) {
    let free = check_free(e, Some(&b.father_name), Some(&b.gender), Some(&b.id_card_number), Some(&b.address));
    let phone = b.phone.as_deref().map(|v| anjoman_core::text::normalize_digits(v.trim())).filter(|v| !v.is_empty());
    if phone.as_ref().is_some_and(|v| v.len() > 20) {
        e.add("phone", Msg::new("شمارهٔ تلفن نامعتبر است.", "Invalid phone number."));
    }
    if b.birth_date.is_some_and(|d| d >= Utc::now().date_naive()) {
        e.add("birth_date", Msg::new("تاریخ تولد نامعتبر است.", "Invalid birth date."));
    }
    if b.documents.is_empty() || b.documents.len() > 20 {
        e.add(
            "documents",
            Msg::new("مدارک (مدرک تحصیلی و کارت ملی) را بارگذاری کنید.", "Upload your documents (degree and ID card)."),
        );
    }
    (free, phone)
}

/// The checks against the database: birth date known, field and degree allowed, city in the
/// province, documents the person's own.
fn check_registration_data(
    conn: &mut DbConn,
    person: &str,
    b: &Registration,
    field: &str,
    e: &mut FieldErrors,
) -> Result<Option<NaiveDate>, ApiError> {
    let known_birth = anjoman_identity::store::person(conn, person)?.ok_or(ApiError::NotFound)?.birth_date;
    if known_birth.is_none() && b.birth_date.is_none() {
        e.add("birth_date", Msg::new("تاریخ تولد الزامی است.", "The birth date is required."));
    }
    if DegreeLevel::parse(&b.degree_level).is_none() || !field_allowed(conn, field, &b.degree_level)? {
        e.add(
            "field",
            Msg::new(
                "این رشته و مقطع در فهرست مجاز مسئولان فنی نیست؛ بی مدرک تحصیلی مجاز ثبت‌نام ممکن نیست.",
                "This field and degree are not on the allowed list; registration needs an allowed degree.",
            ),
        );
    }
    if !city_in(conn, &b.province_id, &b.city_id)? {
        e.add("city_id", Msg::new("شهر در این استان نیست.", "The city is not in this province."));
    }
    if let Err(ApiError::Validation(f)) = check_documents(conn, &b.documents, person, "documents") {
        e.merge(f);
    }
    Ok(known_birth)
}

/// Registers the signed-in person as a technical officer, once (TO-01).
#[utoipa::path(
    tag = "officers",
    security(("bearer" = [])),
    request_body = Registration,
    responses(
        (status = 201, description = "Registered", body = OfficerDto),
        (status = 400, description = "Invalid fields, or a field and degree that do not qualify", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_registered`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/officers")]
pub async fn register_officer(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<Registration>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let mut e = FieldErrors::new();
    let (free, phone) = check_registration(&b, &mut e);
    let field = clean(&b.field);
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let me = user.person_id.as_str();
                if store::officer(conn, me)?.is_some() {
                    return Err(OfficersError::AlreadyRegistered.into());
                }
                let known_birth = check_registration_data(conn, me, &b, &field, &mut e)?;
                std::mem::take(&mut e).into_result()?;
                if known_birth.is_none() {
                    let birth = ProfileChanges { birth_date: Some(b.birth_date), ..Default::default() };
                    anjoman_identity::store::update_person(conn, me, &birth)?;
                }
                let at = now();
                store::insert(
                    conn,
                    &NewOfficer {
                        person_id: me,
                        father_name: free.father.as_deref().unwrap_or_default(),
                        gender: free.gender.as_deref().unwrap_or_default(),
                        id_card_number: free.id_card.as_deref().unwrap_or_default(),
                        phone: phone.as_deref(),
                        address: free.address.as_deref().unwrap_or_default(),
                        province_id: &b.province_id,
                        city_id: &b.city_id,
                        field: &field,
                        degree_level: &b.degree_level,
                        documents: files_json(&b.documents),
                        qualified_at: None,
                        created_at: at,
                        updated_at: at,
                    },
                )?;
                anjoman_identity::store::grant_role(conn, me, Role::TechnicalOfficer, None, None)?;
                audit::record(conn, Event::new("officer.registered", "officer", Some(me)).by(me))?;
                officer_dto(conn, me)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Serialize, ToSchema)]
pub struct OfficerDto {
    pub person_id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<NaiveDate>,
    pub father_name: String,
    pub gender: String,
    pub id_card_number: String,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub address: String,
    pub province_id: String,
    pub city_id: String,
    pub field: String,
    pub degree_level: String,
    pub documents: Vec<FileRef>,
    /// When the qualification took effect (its fee paid).
    pub qualified_at: Option<DateTime<Utc>>,
    /// Whether the qualification is in force, suspended or revoked by the directorate
    /// (meaningful once `qualified_at` is set).
    pub standing: Standing,
    /// The directorate's suspensions, reinstatements and revocations, oldest first.
    pub standing_history: Vec<crate::standing::StandingEntry>,
    /// The request in progress, if any (TO-07).
    pub current_request: Option<RequestDto>,
    /// Every request, newest first.
    pub history: Vec<RequestDto>,
}

pub(crate) fn officer_dto(conn: &mut DbConn, person: &str) -> Result<OfficerDto, ApiError> {
    let off = store::officer(conn, person)?.ok_or(ApiError::NotFound)?;
    let who = anjoman_identity::store::person(conn, person)?.ok_or(ApiError::NotFound)?;
    let mut history = Vec::new();
    for r in crate::requests::store::requests_of(conn, person)? {
        history.push(request_dto(conn, r)?);
    }
    let current = history.iter().position(|r| r.status.open()).map(|i| history.remove(i));
    let standing = off.standing();
    Ok(OfficerDto {
        person_id: off.person_id,
        national_code: who.national_code,
        first_name: who.first_name,
        last_name: who.last_name,
        birth_date: who.birth_date,
        mobile: who.mobile,
        email: who.email,
        father_name: off.father_name,
        gender: off.gender,
        id_card_number: off.id_card_number,
        phone: off.phone,
        address: off.address,
        province_id: off.province_id,
        city_id: off.city_id,
        field: off.field,
        degree_level: off.degree_level,
        documents: file_refs(&off.documents),
        qualified_at: off.qualified_at.map(|t| t.and_utc()),
        standing,
        standing_history: crate::standing::history(conn, person)?,
        current_request: current,
        history,
    })
}

/// The signed-in officer: data, the request in progress and the history (TO-07).
#[utoipa::path(tag = "officers", security(("bearer" = [])), responses((status = 200, description = "The officer", body = OfficerDto), (status = 404, description = "Not registered as an officer", body = anjoman_core::error::ErrorBody)))]
#[get("/officers/me")]
pub async fn my_officer(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<OfficerDto>, ApiError> {
    let out = state.db(move |conn| officer_dto(conn, &user.person_id)).await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct OfficerEdit {
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub father_name: Option<String>,
    pub gender: Option<String>,
    pub id_card_number: Option<String>,
    /// Only by an amendment request: refused here.
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub field: Option<String>,
    pub degree_level: Option<String>,
    pub province_id: Option<String>,
    pub city_id: Option<String>,
    pub documents: Option<Vec<String>>,
    /// Never change: refused.
    pub national_code: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

/// An optional contact: absent or empty leaves it, otherwise it must parse.
fn contact(
    e: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<String>,
    msg: Msg,
) -> Option<String> {
    let v = value.map(str::trim).filter(|m| !m.is_empty())?;
    let parsed = parse(v);
    if parsed.is_none() {
        e.add(field, msg);
    }
    parsed
}

/// Checks an edit: refuses what changes only by amendment or never, validates the free items.
fn check_edit(b: OfficerEdit) -> Result<(FreeItems, ProfileChanges), ApiError> {
    let mut e = FieldErrors::new();
    // The officer's own items that change only by amendment (TO-05), and the personal fields as
    // the rule table has them for an officer (name by amendment; national code, birth date never).
    let by_amendment = [
        ("field", b.field.is_some()),
        ("degree_level", b.degree_level.is_some()),
        ("province_id", b.province_id.is_some()),
        ("city_id", b.city_id.is_some()),
        ("documents", b.documents.is_some()),
    ];
    for (name, _) in by_amendment.into_iter().filter(|(_, present)| *present) {
        e.add(name, person_fields::reason(Change::ByAmendment));
    }
    let personal = [
        (PersonField::FirstName, b.first_name.is_some()),
        (PersonField::LastName, b.last_name.is_some()),
        (PersonField::NationalCode, b.national_code.is_some()),
        (PersonField::BirthDate, b.birth_date.is_some()),
    ];
    for (field, _) in personal.into_iter().filter(|(_, present)| *present) {
        e.add(field.key(), person_fields::reason(person_fields::rule(&[person_fields::Standing::Officer], field)));
    }
    let free = check_free(
        &mut e,
        b.father_name.as_deref(),
        b.gender.as_deref(),
        b.id_card_number.as_deref(),
        b.address.as_deref(),
    );
    let invalid_mobile = Msg::new("شمارهٔ همراه نامعتبر است.", "Invalid mobile number.");
    let mobile = contact(&mut e, "mobile", b.mobile.as_deref(), anjoman_core::text::parse_mobile, invalid_mobile);
    let email = contact(
        &mut e,
        "email",
        b.email.as_deref(),
        anjoman_core::text::parse_email,
        Msg::new("رایانامه نامعتبر است.", "Invalid e-mail."),
    );
    let phone = b.phone.as_deref().map(|v| anjoman_core::text::normalize_digits(v.trim()));
    e.into_result()?;
    let items = FreeItems {
        father_name: free.father,
        gender: free.gender,
        id_card_number: free.id_card,
        address: free.address,
        phone: phone.map(|v| Some(v).filter(|v| !v.is_empty())),
    };
    let contacts = ProfileChanges { mobile: mobile.map(Some), email: email.map(Some), ..Default::default() };
    Ok((items, contacts))
}

/// Free edits (TO-06): contacts, address, father's name, gender and ID-card number — not while a
/// request is in progress. Name, field and degree, province and city and documents change only by
/// an amendment; national code and birth date never.
#[utoipa::path(
    tag = "officers",
    security(("bearer" = [])),
    request_body = OfficerEdit,
    responses(
        (status = 200, description = "Saved", body = OfficerDto),
        (status = 400, description = "Invalid fields, or fields that change only by amendment or never", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "The caller is not a registered technical officer", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`request_in_progress`", body = anjoman_core::error::ErrorBody),
    )
)]
#[patch("/officers/me")]
pub async fn edit_my_officer(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<OfficerEdit>,
) -> Result<web::Json<OfficerDto>, ApiError> {
    let (items, contacts) = check_edit(body.into_inner())?;
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let me = user.person_id.as_str();
                store::officer(conn, me)?.ok_or(ApiError::NotFound)?;
                if crate::requests::store::open_request(conn, me)?.is_some() {
                    return Err(OfficersError::RequestInProgress.into());
                }
                store::update_free(conn, me, &items)?;
                if contacts.mobile.is_some() || contacts.email.is_some() {
                    anjoman_identity::store::update_person(conn, me, &contacts)?;
                }
                audit::record(conn, Event::new("officer.updated", "officer", Some(me)).by(me))?;
                officer_dto(conn, me)
            })
        })
        .await?;
    Ok(web::Json(out))
}
