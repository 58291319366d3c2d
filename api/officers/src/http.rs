//! Officers and reviewers over HTTP (TO-01..07).

use actix_web::{HttpResponse, get, patch, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser, Role, ScopeKind};
use anjoman_core::db::schema::{officer_requests as rq, officers as o, persons as p, provinces as pr};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::degrees::DegreeLevel;
use anjoman_core::http::AppState;
use anjoman_core::platform::files::Purpose;
use anjoman_core::platform::payments::{self, Invoice};
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::reference::{self, city_in, field_allowed};
use crate::rules::{Action, RequestKind, RequestStatus, Standing};
use crate::store::{self, Officer, Request, transition};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(reference::list_provinces)
        .service(reference::list_fields)
        .service(reference::replace_fields)
        .service(reference::add_reviewer)
        .service(register_officer)
        .service(my_officer)
        .service(edit_my_officer)
        .service(submit_request)
        .service(review_queue)
        .service(show_request)
        .service(resubmit_request)
        .service(approve_request)
        .service(reject_request)
        .service(declare_deficiencies)
        .service(crate::distributors::create_distributor)
        .service(crate::distributors::list_distributors)
        .service(crate::distributors::show_distributor)
        .service(crate::distributors::add_branch)
        .service(crate::distributors::name_branch_officer)
        .service(crate::distributors::my_cooperations)
        .service(crate::distributors::accept_cooperation)
        .service(crate::distributors::decline_cooperation)
        .service(crate::distributors::terminate_cooperation)
        .service(crate::distributors::cooperation_queue)
        .service(crate::distributors::approve_cooperation)
        .service(crate::distributors::reject_cooperation)
        .service(crate::import::import_officers)
        .service(crate::standing::list_qualified)
        .service(crate::standing::show_standing)
        .service(crate::standing::change_standing);
}

/// The fee of a request kind, in rials (ANJOMAN_OFFICER_*_FEE_RIALS).
fn fee(state: &AppState, kind: RequestKind) -> i64 {
    match kind {
        RequestKind::Qualification => state.config.officer_fees.qualification_rials,
        RequestKind::Amendment => state.config.officer_fees.amendment_rials,
    }
}

fn clean(v: &str) -> String {
    anjoman_core::text::normalize_persian(v.trim())
}

fn files_json(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

fn files_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Checks that each file was uploaded by `owner` as an officer document.
fn check_documents(conn: &mut DbConn, ids: &[String], owner: &str, field: &str) -> Result<(), ApiError> {
    for (i, f) in ids.iter().enumerate() {
        anjoman_associations::files::check(conn, f, Purpose::OfficerDocument, owner, &format!("{field}[{i}]"))?;
    }
    Ok(())
}

fn notify(conn: &mut DbConn, person: &str, text: &str) -> Result<(), ApiError> {
    Ok(anjoman_identity::store::notify_person(
        conn,
        person,
        "officer_request",
        "درخواست مسئول فنی / Technical officer request",
        text,
    )?)
}

fn suspended() -> ApiError {
    ApiError::Conflict {
        code: "qualification_suspended",
        msg: Msg::new(
            "صلاحیت شما از سوی اداره کل تعلیق شده است؛ تا رفع تعلیق درخواستی پذیرفته نمی‌شود.",
            "The directorate has suspended your qualification; no request is taken until it is lifted.",
        ),
    }
}

fn in_progress() -> ApiError {
    ApiError::Conflict {
        code: "request_in_progress",
        msg: Msg::new(
            "درخواست شما در جریان بررسی است؛ تا پایان آن این تغییر ممکن نیست.",
            "Your request is being processed; this change must wait until it is finished.",
        ),
    }
}

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

struct Checked {
    birth_date: Option<NaiveDate>,
    father_name: String,
    gender: String,
    id_card_number: String,
    phone: Option<String>,
    address: String,
}

fn check_free(
    e: &mut FieldErrors,
    father: Option<&str>,
    gender: Option<&str>,
    id_card: Option<&str>,
    address: Option<&str>,
) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
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
    (father, gender, id_card, address)
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
async fn register_officer(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<Registration>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let mut e = FieldErrors::new();
    let (father, gender, id_card, address) =
        check_free(&mut e, Some(&b.father_name), Some(&b.gender), Some(&b.id_card_number), Some(&b.address));
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
    let c = Checked {
        birth_date: b.birth_date,
        father_name: father.unwrap_or_default(),
        gender: gender.unwrap_or_default(),
        id_card_number: id_card.unwrap_or_default(),
        phone,
        address: address.unwrap_or_default(),
    };
    let field = clean(&b.field);
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if store::officer(conn, &user.person_id)?.is_some() {
                    return Err(ApiError::Conflict {
                        code: "already_registered",
                        msg: Msg::new(
                            "شما پیش‌تر به‌عنوان مسئول فنی ثبت‌نام کرده‌اید.",
                            "You are already registered as a technical officer.",
                        ),
                    });
                }
                let known_birth: Option<NaiveDate> =
                    p::table.find(&user.person_id).select(p::birth_date).first(conn)?;
                if known_birth.is_none() && c.birth_date.is_none() {
                    e.add("birth_date", Msg::new("تاریخ تولد الزامی است.", "The birth date is required."));
                }
                if DegreeLevel::parse(&b.degree_level).is_none() || !field_allowed(conn, &field, &b.degree_level)? {
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
                let mut docs = FieldErrors::new();
                if let Err(ApiError::Validation(f)) = check_documents(conn, &b.documents, &user.person_id, "documents")
                {
                    docs = f;
                }
                e.merge(docs);
                std::mem::take(&mut e).into_result()?;
                if known_birth.is_none() {
                    diesel::update(p::table.find(&user.person_id)).set(p::birth_date.eq(c.birth_date)).execute(conn)?;
                }
                let at = now();
                diesel::insert_into(o::table)
                    .values((
                        o::person_id.eq(&user.person_id),
                        o::father_name.eq(&c.father_name),
                        o::gender.eq(&c.gender),
                        o::id_card_number.eq(&c.id_card_number),
                        o::phone.eq(&c.phone),
                        o::address.eq(&c.address),
                        o::province_id.eq(&b.province_id),
                        o::city_id.eq(&b.city_id),
                        o::field.eq(&field),
                        o::degree_level.eq(&b.degree_level),
                        o::documents.eq(files_json(&b.documents)),
                        o::created_at.eq(at),
                        o::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                anjoman_identity::store::grant_role(conn, &user.person_id, Role::TechnicalOfficer, None, None)?;
                audit::record(
                    conn,
                    Event::new("officer.registered", "officer", Some(&user.person_id)).by(&user.person_id),
                )?;
                officer_dto(conn, &user.person_id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Serialize, ToSchema)]
pub struct FileRef {
    pub id: String,
    pub url: String,
}

fn file_refs(json: &str) -> Vec<FileRef> {
    files_of(json).into_iter().map(|id| FileRef { url: format!("/api/v1/files/{id}"), id }).collect()
}

#[derive(Serialize, ToSchema)]
pub struct EventDto {
    pub from_status: Option<RequestStatus>,
    pub to_status: RequestStatus,
    pub note: Option<String>,
    /// Who acted: the officer, a reviewer (by name), or nobody (the payment).
    pub actor: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestDto {
    pub id: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub province_id: String,
    pub university: String,
    /// The deficiency items, while the request is deficient.
    pub deficiencies: Vec<String>,
    pub reason: Option<String>,
    /// Amendments: what changes, and what it replaces.
    #[schema(value_type = Option<Object>)]
    pub changes: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub previous: Option<serde_json::Value>,
    pub documents: Vec<FileRef>,
    /// Once approved: the fee and its invoice (pay it with `POST /invoices/{id}/pay`).
    pub fee_rials: Option<i64>,
    pub invoice_id: Option<String>,
    pub paid: bool,
    pub reviewer: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub events: Vec<EventDto>,
}

fn name_of(conn: &mut DbConn, person: &str) -> QueryResult<String> {
    let (f, l): (String, String) = p::table.find(person).select((p::first_name, p::last_name)).first(conn)?;
    Ok(format!("{f} {l}"))
}

fn request_dto(conn: &mut DbConn, r: Request) -> Result<RequestDto, ApiError> {
    let university: String = pr::table.find(&r.province_id).select(pr::university).first(conn)?;
    let paid = match &r.invoice_id {
        Some(i) => payments::get(conn, i)?.is_some_and(|x| x.status == payments::status::PAID),
        None => false,
    };
    let reviewer = r.reviewer_id.as_deref().map(|x| name_of(conn, x)).transpose()?;
    let events = store::events(conn, &r.id)?
        .into_iter()
        .map(|x| {
            Ok(EventDto {
                from_status: x.from_status.as_deref().and_then(RequestStatus::parse),
                to_status: RequestStatus::parse(&x.to_status).unwrap_or(RequestStatus::Submitted),
                note: x.note,
                actor: x.actor_id.as_deref().map(|a| name_of(conn, a)).transpose()?,
                at: x.at.and_utc(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(RequestDto {
        kind: RequestKind::parse(&r.kind).unwrap_or(RequestKind::Qualification),
        status: r.state(),
        deficiencies: r.deficiencies.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default(),
        changes: r.changes.as_deref().and_then(|d| serde_json::from_str(d).ok()),
        previous: r.previous.as_deref().and_then(|d| serde_json::from_str(d).ok()),
        documents: file_refs(&r.documents),
        university,
        paid,
        reviewer,
        events,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        id: r.id,
        province_id: r.province_id,
        reason: r.reason,
        fee_rials: r.fee_rials,
        invoice_id: r.invoice_id,
    })
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

fn officer_dto(conn: &mut DbConn, person: &str) -> Result<OfficerDto, ApiError> {
    let off = store::officer(conn, person)?.ok_or(ApiError::NotFound)?;
    let who = anjoman_identity::store::person(conn, person)?.ok_or(ApiError::NotFound)?;
    let mut history = Vec::new();
    for r in store::requests_of(conn, person)? {
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
async fn my_officer(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<OfficerDto>, ApiError> {
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
async fn edit_my_officer(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<OfficerEdit>,
) -> Result<web::Json<OfficerDto>, ApiError> {
    let b = body.into_inner();
    let mut e = FieldErrors::new();
    for (name, present) in [
        ("first_name", b.first_name.is_some()),
        ("last_name", b.last_name.is_some()),
        ("field", b.field.is_some()),
        ("degree_level", b.degree_level.is_some()),
        ("province_id", b.province_id.is_some()),
        ("city_id", b.city_id.is_some()),
        ("documents", b.documents.is_some()),
    ] {
        if present {
            e.add(
                name,
                Msg::new("این مورد تنها با درخواست اصلاحیه تغییر می‌کند.", "This changes only by an amendment request."),
            );
        }
    }
    for (name, present) in [("national_code", b.national_code.is_some()), ("birth_date", b.birth_date.is_some())] {
        if present {
            e.add(
                name,
                Msg::new("کد ملی و تاریخ تولد تغییر نمی‌کنند.", "The national code and birth date never change."),
            );
        }
    }
    let (father, gender, id_card, address) = check_free(
        &mut e,
        b.father_name.as_deref(),
        b.gender.as_deref(),
        b.id_card_number.as_deref(),
        b.address.as_deref(),
    );
    let mobile = match b.mobile.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => match anjoman_core::text::parse_mobile(m) {
            Some(v) => Some(v),
            None => {
                e.add("mobile", Msg::new("شمارهٔ همراه نامعتبر است.", "Invalid mobile number."));
                None
            }
        },
        None => None,
    };
    let email = match b.email.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => match anjoman_core::text::parse_email(m) {
            Some(v) => Some(v),
            None => {
                e.add("email", Msg::new("رایانامه نامعتبر است.", "Invalid e-mail."));
                None
            }
        },
        None => None,
    };
    let phone = b.phone.as_deref().map(|v| anjoman_core::text::normalize_digits(v.trim()));
    e.into_result()?;
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let before = store::officer(conn, &user.person_id)?.ok_or(ApiError::NotFound)?;
                if store::open_request(conn, &user.person_id)?.is_some() {
                    return Err(in_progress());
                }
                diesel::update(o::table.find(&user.person_id))
                    .set((
                        o::father_name.eq(father.unwrap_or(before.father_name)),
                        o::gender.eq(gender.unwrap_or(before.gender)),
                        o::id_card_number.eq(id_card.unwrap_or(before.id_card_number)),
                        o::address.eq(address.unwrap_or(before.address)),
                        o::phone.eq(match phone {
                            Some(v) if v.is_empty() => None,
                            Some(v) => Some(v),
                            None => before.phone,
                        }),
                        o::updated_at.eq(now()),
                    ))
                    .execute(conn)?;
                if let Some(m) = &mobile {
                    diesel::update(p::table.find(&user.person_id)).set(p::mobile.eq(m)).execute(conn)?;
                }
                if let Some(m) = &email {
                    diesel::update(p::table.find(&user.person_id)).set(p::email.eq(m)).execute(conn)?;
                }
                audit::record(
                    conn,
                    Event::new("officer.updated", "officer", Some(&user.person_id)).by(&user.person_id),
                )?;
                officer_dto(conn, &user.person_id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
pub struct Changes {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub field: Option<String>,
    pub degree_level: Option<String>,
    pub province_id: Option<String>,
    pub city_id: Option<String>,
    pub documents: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewRequest {
    pub kind: RequestKind,
    /// Documents for this request (uploaded as `officer_document`); a qualification request
    /// defaults to the registration's documents.
    #[serde(default)]
    pub documents: Vec<String>,
    /// A qualification request may name another province (after a rejection for the wrong one).
    pub province_id: Option<String>,
    pub city_id: Option<String>,
    /// Amendments: the new data (TO-05).
    pub changes: Option<Changes>,
}

/// Submits a qualification request (TO-02) or, once qualified, an amendment request (TO-05), to
/// the queue of the province's university. One request at a time.
#[utoipa::path(
    tag = "officers",
    security(("bearer" = [])),
    request_body = NewRequest,
    responses(
        (status = 201, description = "Submitted", body = OfficerDto),
        (status = 400, description = "Invalid documents or changes", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "Not registered as an officer", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`request_in_progress`, `already_qualified`, `not_qualified` or `qualification_suspended`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/officers/me/requests")]
async fn submit_request(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let off = store::officer(conn, &user.person_id)?.ok_or(ApiError::NotFound)?;
                if store::open_request(conn, &user.person_id)?.is_some() {
                    return Err(in_progress());
                }
                check_documents(conn, &b.documents, &user.person_id, "documents")?;
                let (province, documents, changes, previous) = match b.kind {
                    RequestKind::Qualification => {
                        if off.qualified_at.is_some() && off.standing() == Standing::Suspended {
                            return Err(suspended());
                        }
                        // A revoked qualification may be sought again from the start.
                        if off.qualified_at.is_some() && off.standing() == Standing::Active {
                            return Err(ApiError::Conflict {
                                code: "already_qualified",
                                msg: Msg::new(
                                    "صلاحیت شما احراز شده است؛ برای تغییر، اصلاحیه بفرستید.",
                                    "You are qualified; file an amendment to change your data.",
                                ),
                            });
                        }
                        let province = b.province_id.clone().unwrap_or(off.province_id.clone());
                        if b.province_id.is_some() || b.city_id.is_some() {
                            let city = b.city_id.clone().unwrap_or(off.city_id.clone());
                            if !city_in(conn, &province, &city)? {
                                return Err(ApiError::field(
                                    "city_id",
                                    "شهر در این استان نیست.",
                                    "The city is not in this province.",
                                ));
                            }
                            diesel::update(o::table.find(&user.person_id))
                                .set((o::province_id.eq(&province), o::city_id.eq(&city), o::updated_at.eq(now())))
                                .execute(conn)?;
                        }
                        let docs = if b.documents.is_empty() { files_of(&off.documents) } else { b.documents.clone() };
                        (province, docs, None, None)
                    }
                    RequestKind::Amendment => {
                        if off.qualified_at.is_some() && off.standing() == Standing::Suspended {
                            return Err(suspended());
                        }
                        if !off.qualified() {
                            return Err(ApiError::Conflict {
                                code: "not_qualified",
                                msg: Msg::new(
                                    "اصلاحیه پس از احراز صلاحیت ممکن است.",
                                    "Amendments come after qualification.",
                                ),
                            });
                        }
                        let (changes, previous) =
                            check_changes(conn, &user.person_id, &off, b.changes.clone().unwrap_or_default())?;
                        (off.province_id.clone(), b.documents.clone(), Some(changes), Some(previous))
                    }
                };
                let id = new_id();
                let at = now();
                diesel::insert_into(rq::table)
                    .values((
                        rq::id.eq(&id),
                        rq::officer_id.eq(&user.person_id),
                        rq::kind.eq(b.kind.as_str()),
                        rq::province_id.eq(&province),
                        rq::status.eq(RequestStatus::Submitted.as_str()),
                        rq::changes.eq(changes.map(|c| c.to_string())),
                        rq::previous.eq(previous.map(|c| c.to_string())),
                        rq::documents.eq(files_json(&documents)),
                        rq::created_at.eq(at),
                        rq::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                store::record_event(conn, &id, Some(&user.person_id), None, RequestStatus::Submitted, None)?;
                audit::record(
                    conn,
                    Event::new("officer_request.submitted", "officer_request", Some(&id))
                        .by(&user.person_id)
                        .states(None, Some(serde_json::json!({"kind": b.kind.as_str(), "province_id": province}))),
                )?;
                officer_dto(conn, &user.person_id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Validates an amendment's changes; returns them (normalised) and the data they replace.
fn check_changes(
    conn: &mut DbConn,
    person: &str,
    off: &Officer,
    c: Changes,
) -> Result<(serde_json::Value, serde_json::Value), ApiError> {
    let who = anjoman_identity::store::person(conn, person)?.ok_or(ApiError::NotFound)?;
    let mut e = FieldErrors::new();
    let name = |v: &Option<String>, field: &str, e: &mut FieldErrors| {
        let v = v.as_deref().map(clean);
        if v.as_ref().is_some_and(|x| x.is_empty() || x.chars().count() > 100) {
            e.add(field, Msg::new("نام نامعتبر است.", "Invalid name."));
        }
        v
    };
    let first = name(&c.first_name, "changes.first_name", &mut e);
    let last = name(&c.last_name, "changes.last_name", &mut e);
    let field = c.field.as_deref().map(clean);
    if field.is_some() || c.degree_level.is_some() {
        let f = field.clone().unwrap_or(off.field.clone());
        let d = c.degree_level.clone().unwrap_or(off.degree_level.clone());
        if !field_allowed(conn, &f, &d)? {
            e.add(
                "changes.field",
                Msg::new("این رشته و مقطع در فهرست مجاز نیست.", "This field and degree are not on the allowed list."),
            );
        }
    }
    if c.province_id.is_some() || c.city_id.is_some() {
        let pv = c.province_id.clone().unwrap_or(off.province_id.clone());
        let ct = c.city_id.clone().unwrap_or(off.city_id.clone());
        if !city_in(conn, &pv, &ct)? {
            e.add("changes.city_id", Msg::new("شهر در این استان نیست.", "The city is not in this province."));
        }
    }
    if let Some(docs) = &c.documents {
        if docs.is_empty() {
            e.add("changes.documents", Msg::new("دست‌کم یک مدرک لازم است.", "At least one document is needed."));
        }
        if let Err(ApiError::Validation(f)) = check_documents(conn, docs, person, "changes.documents") {
            e.merge(f);
        }
    }
    let changes = Changes { first_name: first, last_name: last, field, ..c };
    let empty = changes.first_name.is_none()
        && changes.last_name.is_none()
        && changes.field.is_none()
        && changes.degree_level.is_none()
        && changes.province_id.is_none()
        && changes.city_id.is_none()
        && changes.documents.is_none();
    if empty {
        e.add("changes", Msg::new("تغییری خواسته نشده است.", "No change is asked for."));
    }
    e.into_result()?;
    let previous = serde_json::json!({
        "first_name": who.first_name, "last_name": who.last_name, "field": off.field, "degree_level": off.degree_level,
        "province_id": off.province_id, "city_id": off.city_id, "documents": files_of(&off.documents),
    });
    Ok((serde_json::to_value(&changes).unwrap_or_default(), previous))
}

/// Applies a paid amendment: the qualified data changes only now (TO-05).
fn apply_changes(conn: &mut DbConn, r: &Request) -> Result<(), ApiError> {
    let c: Changes = r.changes.as_deref().and_then(|c| serde_json::from_str(c).ok()).unwrap_or_default();
    let off = store::officer(conn, &r.officer_id)?.ok_or(ApiError::NotFound)?;
    if c.first_name.is_some() || c.last_name.is_some() {
        let who = anjoman_identity::store::person(conn, &r.officer_id)?.ok_or(ApiError::NotFound)?;
        let first = c.first_name.clone().unwrap_or(who.first_name);
        let last = c.last_name.clone().unwrap_or(who.last_name);
        diesel::update(p::table.find(&r.officer_id))
            .set((
                p::first_name.eq(&first),
                p::last_name.eq(&last),
                p::search_name.eq(anjoman_identity::store::search_name(&first, &last)),
                p::updated_at.eq(now()),
            ))
            .execute(conn)?;
    }
    diesel::update(o::table.find(&r.officer_id))
        .set((
            o::field.eq(c.field.unwrap_or(off.field)),
            o::degree_level.eq(c.degree_level.unwrap_or(off.degree_level)),
            o::province_id.eq(c.province_id.unwrap_or(off.province_id)),
            o::city_id.eq(c.city_id.unwrap_or(off.city_id)),
            o::documents.eq(c.documents.map(|d| files_json(&d)).unwrap_or(off.documents)),
            o::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The payment handler: the fee of an approved request is paid — the qualification or the
/// amendment takes effect, once (the payments service calls it once per invoice).
pub fn on_paid(conn: &mut DbConn, invoice: &Invoice) -> Result<(), ApiError> {
    let Some(id) = invoice.reference.as_deref() else { return Ok(()) };
    let r = store::request(conn, id)?;
    transition(conn, &r, Action::Pay, None, Some(&format!("invoice {}", invoice.id)))?;
    diesel::update(rq::table.find(&r.id)).set(rq::completed_at.eq(now())).execute(conn)?;
    match RequestKind::parse(&r.kind) {
        Some(RequestKind::Amendment) => apply_changes(conn, &r)?,
        _ => {
            diesel::update(o::table.find(&r.officer_id))
                .set((o::qualified_at.eq(now()), o::standing.eq(Standing::Active.as_str())))
                .execute(conn)?;
            let (national_code, field, degree): (String, String, String) = o::table
                .inner_join(anjoman_core::db::schema::persons::table)
                .filter(o::person_id.eq(&r.officer_id))
                .select((anjoman_core::db::schema::persons::national_code, o::field, o::degree_level))
                .first(conn)?;
            anjoman_core::platform::webhooks::emit(
                conn,
                &anjoman_core::platform::webhooks::Owner::directorate(),
                "qualification.approved",
                serde_json::json!({"national_code": national_code, "field": field, "degree_level": degree}),
            )?;
        }
    }
    notify(
        conn,
        &r.officer_id,
        "پرداخت هزینهٔ بررسی انجام شد و درخواست شما نهایی شد.\nYour review fee is paid and your request is complete.",
    )?;
    Ok(())
}

/// May `user` see requests of this province: its reviewers, and the directorate (all provinces).
fn may_see(user: &CurrentUser, province: &str) -> bool {
    user.has_role(Role::DirectorateAdmin)
        || user.require_scoped(Role::UniversityReviewer, ScopeKind::Province, province).is_ok()
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `new` (not taken up), `returned` (fixed, back with you), `deficient` (with the officer),
    /// `awaiting_payment`, `decided` (completed or rejected) or `all` (default).
    pub filter: Option<String>,
    /// One province; by default every province the caller reviews (the directorate: all).
    pub province_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QueueItem {
    pub id: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub province_id: String,
    pub officer_name: String,
    pub national_code: String,
    pub field: String,
    pub degree_level: String,
    pub reviewer: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct Queue {
    pub items: Vec<QueueItem>,
}

/// The reviewer's queue (کارتابل), oldest first: requests of the provinces they review.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(QueueQuery), responses((status = 200, description = "The queue", body = Queue), (status = 400, description = "Unknown filter", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer of that province", body = anjoman_core::error::ErrorBody)))]
#[get("/officer-requests")]
async fn review_queue(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<QueueQuery>,
) -> Result<web::Json<Queue>, ApiError> {
    let q = q.into_inner();
    let statuses: Vec<&str> = match q.filter.as_deref().unwrap_or("all") {
        "new" => vec!["submitted"],
        "returned" => vec!["resubmitted"],
        "deficient" => vec!["deficient"],
        "awaiting_payment" => vec!["awaiting_payment"],
        "decided" => vec!["completed", "rejected"],
        "all" => RequestStatus::ALL.iter().map(|s| s.as_str()).collect(),
        _ => return Err(ApiError::field("filter", "فیلتر نامعتبر است.", "Unknown filter.")),
    };
    let provinces: Option<Vec<String>> = match &q.province_id {
        Some(pv) if may_see(&user, pv) => Some(vec![pv.clone()]),
        Some(_) => return Err(ApiError::Forbidden),
        None if user.has_role(Role::DirectorateAdmin) => None,
        None => {
            let mine: Vec<String> = user
                .grants
                .iter()
                .filter(|g| g.role == Role::UniversityReviewer)
                .filter_map(|g| g.scope_id.clone())
                .collect();
            if mine.is_empty() {
                return Err(ApiError::Forbidden);
            }
            Some(mine)
        }
    };
    let returned_only_mine = q.filter.as_deref() == Some("returned");
    let me = user.person_id.clone();
    let items = state
        .db(move |conn| {
            let mut query =
                rq::table.inner_join(o::table.inner_join(p::table)).filter(rq::status.eq_any(&statuses)).into_boxed();
            if let Some(pv) = provinces {
                query = query.filter(rq::province_id.eq_any(pv));
            }
            if returned_only_mine {
                query = query.filter(rq::reviewer_id.eq(&me));
            }
            let rows: Vec<(Request, String, String, String, String, String)> = query
                .order(rq::updated_at.asc())
                .limit(500)
                .select((
                    Request::as_select(),
                    p::first_name,
                    p::last_name,
                    p::national_code,
                    o::field,
                    o::degree_level,
                ))
                .load(conn)?;
            rows.into_iter()
                .map(|(r, f, l, code, field, degree)| {
                    Ok(QueueItem {
                        kind: RequestKind::parse(&r.kind).unwrap_or(RequestKind::Qualification),
                        status: r.state(),
                        reviewer: r.reviewer_id.as_deref().map(|x| name_of(conn, x)).transpose()?,
                        updated_at: r.updated_at.and_utc(),
                        officer_name: format!("{f} {l}"),
                        national_code: code,
                        field,
                        degree_level: degree,
                        id: r.id,
                        province_id: r.province_id,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(web::Json(Queue { items }))
}

#[derive(Serialize, ToSchema)]
pub struct RequestDetail {
    pub request: RequestDto,
    pub officer: OfficerDto,
    /// Whether the caller may decide it now (its reviewer, or any reviewer of the province while
    /// no one has taken it up).
    pub can_decide: bool,
}

/// A request with the officer's data and documents: to its officer, the province's reviewers and
/// the directorate.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), responses((status = 200, description = "The request", body = RequestDetail), (status = 403, description = "Not yours, nor of a province you review", body = anjoman_core::error::ErrorBody), (status = 404, description = "No such request", body = anjoman_core::error::ErrorBody)))]
#[get("/officer-requests/{id}")]
async fn show_request(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let r = store::request(conn, &id)?;
            if r.officer_id != user.person_id && !may_see(&user, &r.province_id) {
                return Err(ApiError::Forbidden);
            }
            let can_decide = decider(&user, &r).is_ok()
                && matches!(r.state(), RequestStatus::Submitted | RequestStatus::Resubmitted);
            let officer = officer_dto(conn, &r.officer_id)?;
            Ok(RequestDetail { request: request_dto(conn, r)?, officer, can_decide })
        })
        .await?;
    Ok(web::Json(out))
}

/// Whether `user` may decide the request: a reviewer of its province; once taken up, only the
/// reviewer who took it (fixes come back to the same reviewer, TO-03).
fn decider(user: &CurrentUser, r: &Request) -> Result<(), ApiError> {
    user.require_scoped(Role::UniversityReviewer, ScopeKind::Province, &r.province_id)?;
    match &r.reviewer_id {
        Some(x) if *x != user.person_id => Err(ApiError::Denied {
            code: "assigned_to_another_reviewer",
            msg: Msg::new("این درخواست با کارشناس دیگری است.", "Another reviewer handles this request."),
        }),
        _ => Ok(()),
    }
}

/// A reviewer's decision, in one transaction: the check, the transition, its own columns.
async fn decide(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    action: Action,
    note: Option<String>,
    deficiencies: Option<Vec<String>>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    let fee_q = fee(&state, RequestKind::Qualification);
    let fee_a = fee(&state, RequestKind::Amendment);
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let r = store::request(conn, &id)?;
                if !may_see(&user, &r.province_id) {
                    return Err(ApiError::Forbidden);
                }
                decider(&user, &r)?;
                transition(conn, &r, action, Some(&user.person_id), note.as_deref())?;
                let at = now();
                diesel::update(rq::table.find(&r.id)).set((rq::reviewer_id.eq(&user.person_id), rq::decided_at.eq(at))).execute(conn)?;
                let kind = RequestKind::parse(&r.kind).unwrap_or(RequestKind::Qualification);
                let what = match kind {
                    RequestKind::Qualification => "احراز صلاحیت",
                    RequestKind::Amendment => "اصلاحیه",
                };
                match action {
                    Action::Approve => {
                        let amount = if kind == RequestKind::Qualification { fee_q } else { fee_a };
                        let invoice = payments::create_invoice(
                            conn,
                            &r.officer_id,
                            crate::PAYMENT_PURPOSE,
                            Some(&r.id),
                            &format!("هزینهٔ بررسی درخواست {what}"),
                            amount,
                        )?;
                        diesel::update(rq::table.find(&r.id))
                            .set((rq::fee_rials.eq(amount), rq::invoice_id.eq(&invoice.id), rq::deficiencies.eq(None::<String>)))
                            .execute(conn)?;
                        notify(conn, &r.officer_id, &format!("درخواست {what} شما تأیید شد. هزینهٔ بررسی ({amount} ریال) را از صفحهٔ پیگیری بپردازید.\nYour request was approved; pay the review fee ({amount} rials) on your tracking page."))?;
                    }
                    Action::Reject => {
                        diesel::update(rq::table.find(&r.id)).set(rq::reason.eq(&note)).execute(conn)?;
                        notify(conn, &r.officer_id, &format!("درخواست {what} شما رد شد: {}\nYour request was rejected; you may submit a new one.", note.clone().unwrap_or_default()))?;
                    }
                    Action::DeclareDeficiencies => {
                        let items = serde_json::to_string(&deficiencies.clone().unwrap_or_default()).unwrap_or_default();
                        diesel::update(rq::table.find(&r.id)).set(rq::deficiencies.eq(items)).execute(conn)?;
                        notify(conn, &r.officer_id, &format!("درخواست {what} شما نقص دارد؛ موارد را در صفحهٔ پیگیری ببینید و رفع کنید.\nYour request has deficiencies; see and fix them on your tracking page."))?;
                    }
                    _ => {}
                }
                let r = store::request(conn, &id)?;
                let officer = officer_dto(conn, &r.officer_id)?;
                Ok::<_, ApiError>(RequestDetail { request: request_dto(conn, r)?, officer, can_decide: false })
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// Approves: the fee's invoice is made and shown to the officer (TO-04).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), responses((status = 200, description = "Approved", body = RequestDetail), (status = 403, description = "Not a reviewer of its province, or `assigned_to_another_reviewer`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/officer-requests/{id}/approve")]
async fn approve_request(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    decide(state, user, id.into_inner(), Action::Approve, None, None).await
}

#[derive(Deserialize, ToSchema)]
pub struct RequestRejection {
    pub reason: String,
}

/// Rejects with a reason; the officer may submit a new request.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), request_body = RequestRejection, responses((status = 200, description = "Rejected", body = RequestDetail), (status = 400, description = "No reason", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer of its province, or `assigned_to_another_reviewer`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/officer-requests/{id}/reject")]
async fn reject_request(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<RequestRejection>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    let reason = clean(&body.reason);
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::field("reason", "دلیل رد را بنویسید.", "Give the reason."));
    }
    decide(state, user, id.into_inner(), Action::Reject, Some(reason), None).await
}

#[derive(Deserialize, ToSchema)]
pub struct DeficienciesBody {
    /// What is missing or wrong, item by item.
    pub items: Vec<String>,
}

/// Declares deficiencies; once fixed, the request returns to this reviewer.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), request_body = DeficienciesBody, responses((status = 200, description = "Sent back to the officer", body = RequestDetail), (status = 400, description = "No items", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer of its province, or `assigned_to_another_reviewer`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/officer-requests/{id}/deficiencies")]
async fn declare_deficiencies(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<DeficienciesBody>,
) -> Result<web::Json<RequestDetail>, ApiError> {
    let items: Vec<String> = body.items.iter().map(|i| clean(i)).filter(|i| !i.is_empty()).collect();
    if items.is_empty() || items.len() > 50 || items.iter().any(|i| i.chars().count() > 500) {
        return Err(ApiError::field("items", "دست‌کم یک مورد نقص بنویسید.", "List at least one deficiency."));
    }
    let note = items.join(" · ");
    decide(state, user, id.into_inner(), Action::DeclareDeficiencies, Some(note), Some(items)).await
}

#[derive(Deserialize, ToSchema)]
pub struct ResubmitBody {
    /// The request's documents after the fixes (uploaded as `officer_document`); omitted: unchanged.
    pub documents: Option<Vec<String>>,
    /// What was fixed, for the reviewer.
    pub note: Option<String>,
}

/// The officer sends a deficient request back after fixing it; it returns to the same reviewer.
#[utoipa::path(tag = "officers", security(("bearer" = [])), params(("id" = String, Path, description = "The request")), request_body = ResubmitBody, responses((status = 200, description = "Back with the reviewer", body = OfficerDto), (status = 400, description = "Invalid documents", body = anjoman_core::error::ErrorBody), (status = 404, description = "No such request of yours", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/officer-requests/{id}/resubmit")]
async fn resubmit_request(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ResubmitBody>,
) -> Result<web::Json<OfficerDto>, ApiError> {
    let id = id.into_inner();
    let b = body.into_inner();
    let note = b.note.as_deref().map(clean).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(ApiError::field("note", "توضیح بیش از اندازه است.", "The note is too long."));
    }
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let r = store::request(conn, &id)?;
                if r.officer_id != user.person_id {
                    return Err(ApiError::NotFound);
                }
                if let Some(docs) = &b.documents {
                    if docs.is_empty() {
                        return Err(ApiError::field("documents", "دست‌کم یک مدرک لازم است.", "At least one document is needed."));
                    }
                    check_documents(conn, docs, &user.person_id, "documents")?;
                }
                transition(conn, &r, Action::Resubmit, Some(&user.person_id), note.as_deref())?;
                if let Some(docs) = &b.documents {
                    diesel::update(rq::table.find(&r.id)).set(rq::documents.eq(files_json(docs))).execute(conn)?;
                    if RequestKind::parse(&r.kind) == Some(RequestKind::Qualification) {
                        diesel::update(o::table.find(&r.officer_id)).set(o::documents.eq(files_json(docs))).execute(conn)?;
                    }
                }
                if let Some(reviewer) = &r.reviewer_id {
                    notify(conn, reviewer, "درخواستی که نقص آن را اعلام کرده بودید رفع نقص شد و به کارتابل شما بازگشت.\nA request you sent back was fixed and is in your queue again.")?;
                }
                officer_dto(conn, &user.person_id)
            })
        })
        .await?;
    Ok(web::Json(out))
}
