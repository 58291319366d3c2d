//! The engineer's own record over HTTP, tab by tab, each saved on its own (EN-03..08), and the
//! province's experts' view of it.

use actix_web::{delete, get, post, put, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind};
use anjoman_core::db::schema::{
    engineer_addresses as ad, engineer_contacts as ct, engineer_degrees as dg, engineer_documents as dc,
    engineer_relatives as rl, engineers as en, persons as p, provinces as pr,
};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::files::Purpose;
use anjoman_core::text::{NationalCode, normalize_persian, parse_email, parse_mobile};
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::rules::{AddressKind, ContactKind, DegreeLevel, Discipline, DocumentKind, Relation};
use crate::store::{self, EngineerRecord};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(my_record)
        .service(save_main)
        .service(add_degree)
        .service(edit_degree)
        .service(remove_degree)
        .service(add_contact)
        .service(edit_contact)
        .service(remove_contact)
        .service(add_address)
        .service(edit_address)
        .service(remove_address)
        .service(make_correspondence)
        .service(add_document)
        .service(remove_document)
        .service(add_relative)
        .service(edit_relative)
        .service(remove_relative)
        .service(crate::renewal::list_orgs)
        .service(crate::renewal::update_org)
        .service(crate::renewal::add_expert)
        .service(crate::renewal::request_renewal)
        .service(crate::renewal::renewal_queue)
        .service(crate::renewal::assess_renewal)
        .service(crate::renewal::list_engineers)
        .service(crate::renewal::show_engineer)
        .service(crate::renewal::verify_degree)
        .service(crate::import::import_engineers);
}

pub(crate) fn clean(v: &str) -> String {
    normalize_persian(v.trim())
}

/// The caller's engineer record id: they must hold the engineer role and a record.
fn engineer_of(conn: &mut DbConn, user: &AuthUser) -> Result<String, ApiError> {
    if !user.has_role(Role::Engineer) {
        return Err(ApiError::Forbidden);
    }
    store::engineer(conn, &user.person_id)?.map(|e| e.person_id).ok_or(ApiError::NotFound)
}

/// Runs `change` on the caller's record in one transaction, audits it, and answers the whole
/// record as it now stands.
async fn change_record<F>(
    state: &AppState,
    user: AuthUser,
    action: &'static str,
    change: F,
) -> Result<web::Json<EngineerRecord>, ApiError>
where
    F: FnOnce(&mut DbConn, &str) -> Result<(), ApiError> + Send + 'static,
{
    let record = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let me = engineer_of(conn, &user)?;
                change(conn, &me)?;
                diesel::update(en::table.find(&me)).set(en::updated_at.eq(now())).execute(conn)?;
                audit::record(conn, Event::new(action, "engineer", Some(&me)).by(&user.person_id))?;
                store::record(conn, &me)
            })
        })
        .await?;
    Ok(web::Json(record))
}

fn required(e: &mut FieldErrors, field: &str, v: &str) -> String {
    let v = clean(v);
    if v.is_empty() {
        e.add(field, Msg::new("این بخش را پر کنید.", "Fill this in."));
    } else if v.chars().count() > 200 {
        e.add(field, Msg::new("بیش از ۲۰۰ نویسه است.", "Longer than 200 characters."));
    }
    v
}

fn optional(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<String> {
    v.map(|v| required(e, field, v)).filter(|v| !v.is_empty())
}

fn one_of<T: Copy>(
    e: &mut FieldErrors,
    field: &str,
    v: &str,
    parse: fn(&str) -> Option<T>,
    codes: String,
) -> Option<T> {
    let found = parse(v);
    if found.is_none() {
        e.add(
            field,
            Msg::new(format!("مقدار پذیرفته نیست؛ یکی از: {codes}"), format!("Not accepted; one of: {codes}")),
        );
    }
    found
}

fn not_future(e: &mut FieldErrors, field: &str, d: NaiveDate) {
    if d > now().date() {
        e.add(field, Msg::new("تاریخ نمی‌تواند در آینده باشد.", "The date cannot be in the future."));
    }
}

fn check_file(conn: &mut DbConn, id: &str, owner: &str, field: &str, e: &mut FieldErrors) {
    match anjoman_core::platform::files::check(conn, id, Purpose::EngineerDocument, owner, field) {
        Ok(()) => {}
        Err(ApiError::Validation(f)) => e.merge(f),
        Err(_) => e.add(field, Msg::new("پرونده بررسی نشد.", "The file could not be checked.")),
    }
}

fn province_exists(conn: &mut DbConn, e: &mut FieldErrors, field: &str, id: &str) -> Result<(), ApiError> {
    if pr::table.find(id).select(pr::id).first::<String>(conn).optional()?.is_none() {
        e.add(field, Msg::new("استان شناخته نیست.", "Unknown province."));
    }
    Ok(())
}

/// The caller's own record, every tab (EN-03).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record", body = EngineerRecord),
        (status = 403, description = "Not an engineer", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "The organisation holds no record of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/engineers/me")]
async fn my_record(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<EngineerRecord>, ApiError> {
    let record = state
        .db(move |conn| {
            let me = engineer_of(conn, &user)?;
            store::record(conn, &me)
        })
        .await?;
    Ok(web::Json(record))
}

#[derive(Deserialize, ToSchema)]
pub struct MainInfo {
    pub father_name: String,
    /// `male` or `female`
    pub gender: String,
    pub id_card_number: String,
    pub birth_place: String,
    /// Where the engineer was born; residence proof is needed when it is not the membership
    /// province (EN-07).
    pub birth_province_id: String,
    /// Only when the record has none yet; never changes afterwards.
    pub birth_date: Option<NaiveDate>,
}

/// Saves the main-information tab.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = MainInfo,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/main")]
async fn save_main(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<MainInfo>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let b = body.into_inner();
    change_record(&state, user, "engineer.main_saved", move |conn, me| {
        let mut e = FieldErrors::new();
        let father = required(&mut e, "father_name", &b.father_name);
        let gender = b.gender.trim().to_owned();
        if gender != "male" && gender != "female" {
            e.add("gender", Msg::new("جنسیت را انتخاب کنید.", "Choose male or female."));
        }
        let id_card = required(&mut e, "id_card_number", &b.id_card_number);
        let place = required(&mut e, "birth_place", &b.birth_place);
        province_exists(conn, &mut e, "birth_province_id", &b.birth_province_id)?;
        let current: Option<NaiveDate> = p::table.find(me).select(p::birth_date).first(conn)?;
        if let Some(d) = b.birth_date {
            not_future(&mut e, "birth_date", d);
            if current.is_some_and(|c| c != d) {
                e.add("birth_date", Msg::new("تاریخ تولد تغییر نمی‌کند.", "The birth date cannot change."));
            }
        }
        e.into_result()?;
        if current.is_none()
            && let Some(d) = b.birth_date
        {
            diesel::update(p::table.find(me)).set(p::birth_date.eq(d)).execute(conn)?;
        }
        diesel::update(en::table.find(me))
            .set((
                en::father_name.eq(father),
                en::gender.eq(gender),
                en::id_card_number.eq(id_card),
                en::birth_place.eq(place),
                en::birth_province_id.eq(&b.birth_province_id),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct DegreeInput {
    /// `associate`, `bachelor_noncontinuous`, `bachelor`, `master` or `doctorate`
    pub level: String,
    /// One of the seven building disciplines.
    pub discipline: String,
    pub orientation: String,
    pub university: String,
    pub graduated_on: NaiveDate,
    /// The degree's inquiry code; without one, a verification letter is needed.
    pub inquiry_code: Option<String>,
    /// The uploaded verification letter (`engineer_document`), when there is no inquiry code.
    pub letter_file_id: Option<String>,
    /// The uploaded degree image (`engineer_document`): required.
    pub image_file_id: Option<String>,
}

/// A checked degree, ready to store.
struct Degree {
    level: &'static str,
    discipline: &'static str,
    orientation: String,
    university: String,
    graduated_on: NaiveDate,
    inquiry_code: Option<String>,
    letter_file_id: Option<String>,
    image_file_id: String,
}

fn degree_values(conn: &mut DbConn, me: &str, d: DegreeInput) -> Result<Degree, ApiError> {
    let mut e = FieldErrors::new();
    let level = one_of(&mut e, "level", &d.level, DegreeLevel::parse, DegreeLevel::codes());
    let discipline = one_of(&mut e, "discipline", &d.discipline, Discipline::parse, Discipline::codes());
    let orientation = required(&mut e, "orientation", &d.orientation);
    let university = required(&mut e, "university", &d.university);
    not_future(&mut e, "graduated_on", d.graduated_on);
    let inquiry = optional(&mut e, "inquiry_code", d.inquiry_code.as_deref());
    let letter = d.letter_file_id.filter(|f| !f.trim().is_empty());
    if inquiry.is_none() && letter.is_none() {
        e.add(
            "inquiry_code",
            Msg::new(
                "کد استعلام را وارد کنید یا تصویر تأییدیهٔ تحصیلی را بارگذاری کنید.",
                "Enter the inquiry code, or upload the verification letter.",
            ),
        );
    }
    if let Some(f) = &letter {
        check_file(conn, f, me, "letter_file_id", &mut e);
    }
    let image = d.image_file_id.filter(|f| !f.trim().is_empty());
    match &image {
        None => {
            e.add("image_file_id", Msg::new("بارگذاری تصویر مدرک تحصیلی اجباری است.", "The degree image is required."))
        }
        Some(f) => check_file(conn, f, me, "image_file_id", &mut e),
    }
    e.into_result()?;
    let (Some(level), Some(discipline), Some(image)) = (level, discipline, image) else {
        return Err(ApiError::Internal);
    };
    Ok(Degree {
        level: level.as_str(),
        discipline: discipline.as_str(),
        orientation,
        university,
        graduated_on: d.graduated_on,
        inquiry_code: inquiry,
        letter_file_id: letter,
        image_file_id: image,
    })
}

/// Adds a degree (EN-04): the image is required, and the inquiry code or a verification letter.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = DegreeInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields (`image_file_id` when the image is missing)", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/degrees")]
async fn add_degree(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DegreeInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let d = body.into_inner();
    change_record(&state, user, "engineer.degree_added", move |conn, me| {
        let g = degree_values(conn, me, d)?;
        let at = now();
        diesel::insert_into(dg::table)
            .values((
                dg::id.eq(new_id()),
                dg::engineer_id.eq(me),
                dg::level.eq(g.level),
                dg::discipline.eq(g.discipline),
                dg::orientation.eq(g.orientation),
                dg::university.eq(g.university),
                dg::graduated_on.eq(g.graduated_on),
                dg::inquiry_code.eq(g.inquiry_code),
                dg::letter_file_id.eq(g.letter_file_id),
                dg::image_file_id.eq(Some(g.image_file_id)),
                dg::verified.eq(false),
                dg::created_at.eq(at),
                dg::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
}

/// A degree of the caller that the organisation has not verified.
fn own_unverified_degree(conn: &mut DbConn, me: &str, id: &str) -> Result<(), ApiError> {
    let verified: bool = dg::table
        .find(id)
        .filter(dg::engineer_id.eq(me))
        .select(dg::verified)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if verified {
        return Err(ApiError::Conflict {
            code: "degree_verified",
            msg: Msg::new(
                "این مدرک را سازمان تأیید کرده و فقط خواندنی است؛ برای اصلاح به کارشناسان سازمان استان مراجعه کنید.",
                "The organisation has verified this degree, so it is read-only; ask the province's experts to correct it.",
            ),
        });
    }
    Ok(())
}

/// Edits a degree the organisation has not verified (`409 degree_verified` otherwise).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The degree")),
    request_body = DegreeInput,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`degree_verified`", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/degrees/{id}")]
async fn edit_degree(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<DegreeInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, d) = (path.into_inner(), body.into_inner());
    change_record(&state, user, "engineer.degree_edited", move |conn, me| {
        own_unverified_degree(conn, me, &id)?;
        let g = degree_values(conn, me, d)?;
        diesel::update(dg::table.find(&id))
            .set((
                dg::level.eq(g.level),
                dg::discipline.eq(g.discipline),
                dg::orientation.eq(g.orientation),
                dg::university.eq(g.university),
                dg::graduated_on.eq(g.graduated_on),
                dg::inquiry_code.eq(g.inquiry_code),
                dg::letter_file_id.eq(g.letter_file_id),
                dg::image_file_id.eq(Some(g.image_file_id)),
                dg::updated_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
}

/// Removes a degree the organisation has not verified.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The degree")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 409, description = "`degree_verified`", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/degrees/{id}")]
async fn remove_degree(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.degree_removed", move |conn, me| {
        own_unverified_degree(conn, me, &id)?;
        diesel::delete(dg::table.find(&id)).execute(conn)?;
        Ok(())
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ContactInput {
    /// `landline`, `mobile`, `email` or `work_landline`
    pub kind: String,
    pub value: String,
    /// Unticked: kept but inactive.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

fn contact_values(c: &ContactInput) -> Result<(&'static str, String), ApiError> {
    let mut e = FieldErrors::new();
    let kind = one_of(&mut e, "kind", &c.kind, ContactKind::parse, ContactKind::codes());
    let value = match kind {
        Some(ContactKind::Mobile) => parse_mobile(&c.value).unwrap_or_else(|| {
            e.add("value", Msg::new("شمارهٔ همراه درست نیست (۰۹…).", "Not a mobile number (09…)."));
            String::new()
        }),
        Some(ContactKind::Email) => parse_email(&c.value).unwrap_or_else(|| {
            e.add("value", Msg::new("نشانی رایانامه درست نیست.", "Not an e-mail address."));
            String::new()
        }),
        _ => {
            let digits = anjoman_core::text::normalize_digits(c.value.trim()).replace(['-', ' '], "");
            if digits.len() < 8 || digits.len() > 15 || !digits.chars().all(|c| c.is_ascii_digit()) {
                e.add(
                    "value",
                    Msg::new("شمارهٔ تلفن را با پیش‌شماره وارد کنید.", "Enter the phone number with its area code."),
                );
            }
            digits
        }
    };
    e.into_result()?;
    Ok((kind.map(ContactKind::as_str).unwrap_or_default(), value))
}

/// Adds a contact (EN-05).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = ContactInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/contacts")]
async fn add_contact(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<ContactInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let c = body.into_inner();
    change_record(&state, user, "engineer.contact_added", move |conn, me| {
        let (kind, value) = contact_values(&c)?;
        diesel::insert_into(ct::table)
            .values((
                ct::id.eq(new_id()),
                ct::engineer_id.eq(me),
                ct::kind.eq(kind),
                ct::value.eq(value),
                ct::active.eq(c.active),
                ct::created_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
}

/// Edits a contact, or ticks it active or inactive.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The contact")),
    request_body = ContactInput,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such contact of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/contacts/{id}")]
async fn edit_contact(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<ContactInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, c) = (path.into_inner(), body.into_inner());
    change_record(&state, user, "engineer.contact_edited", move |conn, me| {
        let (kind, value) = contact_values(&c)?;
        let n = diesel::update(ct::table.find(&id).filter(ct::engineer_id.eq(me)))
            .set((ct::kind.eq(kind), ct::value.eq(value), ct::active.eq(c.active)))
            .execute(conn)?;
        if n == 0 { Err(ApiError::NotFound) } else { Ok(()) }
    })
    .await
}

/// Removes a contact.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The contact")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 404, description = "No such contact of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/contacts/{id}")]
async fn remove_contact(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.contact_removed", move |conn, me| {
        let n = diesel::delete(ct::table.find(&id).filter(ct::engineer_id.eq(me))).execute(conn)?;
        if n == 0 { Err(ApiError::NotFound) } else { Ok(()) }
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct AddressInput {
    /// `residence`, `work` or `legal_domicile`
    pub kind: String,
    pub province_id: String,
    pub city: String,
    pub address: String,
    /// Ten digits.
    pub postal_code: Option<String>,
    /// Make this the correspondence address (the others lose it). The first address always is.
    #[serde(default)]
    pub correspondence: bool,
}

fn address_values(
    conn: &mut DbConn,
    a: &AddressInput,
) -> Result<(&'static str, String, String, Option<String>), ApiError> {
    let mut e = FieldErrors::new();
    let kind = one_of(&mut e, "kind", &a.kind, AddressKind::parse, AddressKind::codes());
    province_exists(conn, &mut e, "province_id", &a.province_id)?;
    let city = required(&mut e, "city", &a.city);
    let address = clean(&a.address);
    if address.chars().count() < 10 || address.chars().count() > 500 {
        e.add(
            "address",
            Msg::new("نشانی کامل را بنویسید (۱۰ تا ۵۰۰ نویسه).", "Write the full address (10 to 500 characters)."),
        );
    }
    let postal = a.postal_code.as_deref().map(|c| anjoman_core::text::normalize_digits(c.trim()).replace('-', ""));
    let postal = postal.filter(|c| !c.is_empty());
    if postal.as_deref().is_some_and(|c| c.len() != 10 || !c.chars().all(|d| d.is_ascii_digit())) {
        e.add("postal_code", Msg::new("کد پستی ده رقم است.", "The postal code has ten digits."));
    }
    e.into_result()?;
    Ok((kind.map(AddressKind::as_str).unwrap_or_default(), city, address, postal))
}

/// Moves the correspondence mark to `id`: the others lose it in the same transaction, so exactly
/// one address has it (and a unique index refuses a second whatever the code does).
fn set_correspondence(conn: &mut DbConn, me: &str, id: &str) -> QueryResult<()> {
    diesel::update(ad::table.filter(ad::engineer_id.eq(me)).filter(ad::id.ne(id)))
        .set(ad::correspondence.eq(false))
        .execute(conn)?;
    diesel::update(ad::table.find(id)).set(ad::correspondence.eq(true)).execute(conn)?;
    Ok(())
}

/// Adds an address (EN-05). The first one becomes the correspondence address.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = AddressInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/addresses")]
async fn add_address(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<AddressInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let a = body.into_inner();
    change_record(&state, user, "engineer.address_added", move |conn, me| {
        let (kind, city, address, postal) = address_values(conn, &a)?;
        let existing: i64 = ad::table.filter(ad::engineer_id.eq(me)).count().get_result(conn)?;
        let id = new_id();
        let at = now();
        diesel::insert_into(ad::table)
            .values((
                ad::id.eq(&id),
                ad::engineer_id.eq(me),
                ad::kind.eq(kind),
                ad::province_id.eq(&a.province_id),
                ad::city.eq(city),
                ad::address.eq(address),
                ad::postal_code.eq(postal),
                ad::correspondence.eq(false),
                ad::created_at.eq(at),
                ad::updated_at.eq(at),
            ))
            .execute(conn)?;
        if existing == 0 || a.correspondence {
            set_correspondence(conn, me, &id)?;
        }
        Ok(())
    })
    .await
}

fn own_address(conn: &mut DbConn, me: &str, id: &str) -> Result<bool, ApiError> {
    ad::table
        .find(id)
        .filter(ad::engineer_id.eq(me))
        .select(ad::correspondence)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Edits an address; `correspondence: true` moves the mark to it.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The address")),
    request_body = AddressInput,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such address of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/addresses/{id}")]
async fn edit_address(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<AddressInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, a) = (path.into_inner(), body.into_inner());
    change_record(&state, user, "engineer.address_edited", move |conn, me| {
        own_address(conn, me, &id)?;
        let (kind, city, address, postal) = address_values(conn, &a)?;
        diesel::update(ad::table.find(&id))
            .set((
                ad::kind.eq(kind),
                ad::province_id.eq(&a.province_id),
                ad::city.eq(city),
                ad::address.eq(address),
                ad::postal_code.eq(postal),
                ad::updated_at.eq(now()),
            ))
            .execute(conn)?;
        if a.correspondence {
            set_correspondence(conn, me, &id)?;
        }
        Ok(())
    })
    .await
}

/// Removes an address. The correspondence address can go only when it is the last one; choose
/// another first (`409 correspondence_address`).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The address")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 404, description = "No such address of the caller", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`correspondence_address`", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/addresses/{id}")]
async fn remove_address(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.address_removed", move |conn, me| {
        let is_correspondence = own_address(conn, me, &id)?;
        let count: i64 = ad::table.filter(ad::engineer_id.eq(me)).count().get_result(conn)?;
        if is_correspondence && count > 1 {
            return Err(ApiError::Conflict {
                code: "correspondence_address",
                msg: Msg::new(
                    "این نشانی مکاتبات است؛ نخست نشانی دیگری را نشانی مکاتبات کنید.",
                    "This is the correspondence address; make another address the correspondence address first.",
                ),
            });
        }
        diesel::delete(ad::table.find(&id)).execute(conn)?;
        Ok(())
    })
    .await
}

/// Makes an address the correspondence address (all letters go there); the others lose the mark.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The address")),
    responses(
        (status = 200, description = "Done; the whole record", body = EngineerRecord),
        (status = 404, description = "No such address of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/addresses/{id}/correspondence")]
async fn make_correspondence(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.correspondence_address_set", move |conn, me| {
        own_address(conn, me, &id)?;
        set_correspondence(conn, me, &id)?;
        Ok(())
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct DocumentInput {
    /// `employment_order`, `insurance_record`, `property_deed`, `official_lease`,
    /// `school_certificate` (these five prove residence), `national_card`, `birth_certificate`,
    /// `photo`, `military_service` or `other`
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    /// The uploaded file (`engineer_document`).
    pub file_id: String,
}

/// Adds a document to the archive (EN-06), any number.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = DocumentInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/documents")]
async fn add_document(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DocumentInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let d = body.into_inner();
    change_record(&state, user, "engineer.document_added", move |conn, me| {
        let mut e = FieldErrors::new();
        let kind = one_of(&mut e, "kind", &d.kind, DocumentKind::parse, DocumentKind::codes());
        let title = required(&mut e, "title", &d.title);
        let description = optional(&mut e, "description", d.description.as_deref());
        check_file(conn, &d.file_id, me, "file_id", &mut e);
        e.into_result()?;
        diesel::insert_into(dc::table)
            .values((
                dc::id.eq(new_id()),
                dc::engineer_id.eq(me),
                dc::kind.eq(kind.map(DocumentKind::as_str).unwrap_or_default()),
                dc::title.eq(title),
                dc::description.eq(description),
                dc::file_id.eq(&d.file_id),
                dc::created_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
}

/// Removes a document from the archive.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The document")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 404, description = "No such document of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/documents/{id}")]
async fn remove_document(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.document_removed", move |conn, me| {
        let n = diesel::delete(dc::table.find(&id).filter(dc::engineer_id.eq(me))).execute(conn)?;
        if n == 0 { Err(ApiError::NotFound) } else { Ok(()) }
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct RelativeInput {
    /// `spouse` or `child`
    pub relation: String,
    pub first_name: String,
    pub last_name: String,
    pub national_code: String,
    pub birth_date: NaiveDate,
}

fn relative_values(r: &RelativeInput) -> Result<(&'static str, String, String, String), ApiError> {
    let mut e = FieldErrors::new();
    let relation = one_of(&mut e, "relation", &r.relation, Relation::parse, Relation::codes());
    let first = required(&mut e, "first_name", &r.first_name);
    let last = required(&mut e, "last_name", &r.last_name);
    let code = match NationalCode::parse(&r.national_code) {
        Ok(c) => c.as_str().to_owned(),
        Err(err) => {
            e.add("national_code", Msg::new(err.message_fa(), err.message_en()));
            String::new()
        }
    };
    not_future(&mut e, "birth_date", r.birth_date);
    e.into_result()?;
    Ok((relation.map(Relation::as_str).unwrap_or_default(), first, last, code))
}

/// Adds a spouse or child (EN-08).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = RelativeInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/relatives")]
async fn add_relative(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<RelativeInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let r = body.into_inner();
    change_record(&state, user, "engineer.relative_added", move |conn, me| {
        let (relation, first, last, code) = relative_values(&r)?;
        diesel::insert_into(rl::table)
            .values((
                rl::id.eq(new_id()),
                rl::engineer_id.eq(me),
                rl::relation.eq(relation),
                rl::first_name.eq(first),
                rl::last_name.eq(last),
                rl::national_code.eq(code),
                rl::birth_date.eq(r.birth_date),
                rl::created_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
}

/// Edits a spouse or child.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The relative")),
    request_body = RelativeInput,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such relative of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/relatives/{id}")]
async fn edit_relative(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<RelativeInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, r) = (path.into_inner(), body.into_inner());
    change_record(&state, user, "engineer.relative_edited", move |conn, me| {
        let (relation, first, last, code) = relative_values(&r)?;
        let n = diesel::update(rl::table.find(&id).filter(rl::engineer_id.eq(me)))
            .set((
                rl::relation.eq(relation),
                rl::first_name.eq(first),
                rl::last_name.eq(last),
                rl::national_code.eq(code),
                rl::birth_date.eq(r.birth_date),
            ))
            .execute(conn)?;
        if n == 0 { Err(ApiError::NotFound) } else { Ok(()) }
    })
    .await
}

/// Removes a spouse or child.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The relative")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 404, description = "No such relative of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/relatives/{id}")]
async fn remove_relative(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.relative_removed", move |conn, me| {
        let n = diesel::delete(rl::table.find(&id).filter(rl::engineer_id.eq(me))).execute(conn)?;
        if n == 0 { Err(ApiError::NotFound) } else { Ok(()) }
    })
    .await
}

/// May `user` act for this province's organisation (its admins and experts)?
pub(crate) fn expert_of(user: &AuthUser, province: &str) -> Result<(), ApiError> {
    user.require_scoped(Role::EngineeringAdmin, ScopeKind::Province, province)
}
