//! Associations over HTTP: the public registry, what the commission and association admins
//! manage, and people's membership requests.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind};
use anjoman_core::db::write_tx;
use anjoman_core::http::{AppState, client_ip};
use anjoman_core::platform::files::Purpose;
use anjoman_core::platform::http::page_bounds;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::require_manager;
use crate::rules::{self, Decision, DegreeLevel, MembershipStatus, field_key};
use crate::store::{self, Association, NewMembership};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_associations)
        .service(create_association)
        .service(show_association)
        .service(edit_association)
        .service(add_association_admin)
        .service(set_qualifications)
        .service(request_membership)
        .service(register_member)
        .service(my_memberships)
        .service(list_members)
        .service(approve_membership)
        .service(reject_membership)
        .service(membership_status)
        .service(crate::endings::remove_member)
        .service(crate::endings::leave_association)
        .service(crate::endings::membership_history)
        .service(export_members)
        .service(crate::board::show_board)
        .service(crate::board::assign_seat)
        .service(crate::board::close_seat)
        .service(crate::import::import_members)
        .service(crate::import::import_template)
        .service(crate::news::list_news)
        .service(crate::news::association_news)
        .service(crate::news::show_news)
        .service(crate::news::create_news)
        .service(crate::news::edit_news)
        .service(crate::news::publish_news)
        .service(crate::news::unpublish_news)
        .service(crate::messages::list_mailboxes)
        .service(crate::messages::list_messages)
        .service(crate::messages::show_message)
        .service(crate::messages::mark_message)
        .service(crate::messages::send_message);
}

#[derive(Serialize, ToSchema)]
pub struct Qualification {
    pub field: String,
    pub degree_level: DegreeLevel,
}

#[derive(Serialize, ToSchema)]
pub struct AssociationDto {
    pub id: String,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub statute_date: Option<NaiveDate>,
    /// Where to download the logo, if it has one.
    pub logo_url: Option<String>,
    /// Approved members.
    pub member_count: i64,
    pub qualifications: Vec<Qualification>,
    pub created_at: DateTime<Utc>,
}

fn dto(a: Association, member_count: i64, quals: Vec<(String, String)>) -> AssociationDto {
    AssociationDto {
        id: a.id,
        code: a.code,
        name: a.name,
        email: a.email,
        phone: a.phone,
        website: a.website,
        statute_date: a.statute_date,
        logo_url: a.logo_file_id.as_deref().map(anjoman_core::platform::files::url),
        member_count,
        qualifications: quals
            .into_iter()
            .filter_map(|(field, d)| Some(Qualification { field, degree_level: DegreeLevel::parse(&d)? }))
            .collect(),
        created_at: a.created_at.and_utc(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssociationList {
    pub items: Vec<AssociationDto>,
}

/// Every association with its approved-member count (public, AS-08).
#[utoipa::path(tag = "associations", responses((status = 200, description = "The associations", body = AssociationList)))]
#[get("/associations")]
async fn list_associations(state: web::Data<AppState>) -> Result<web::Json<AssociationList>, ApiError> {
    let items = state
        .db(|conn| {
            let rows = store::list_with_counts(conn)?;
            let mut out = Vec::new();
            for (a, n) in rows {
                let q = store::qualifications(conn, &a.id)?;
                out.push(dto(a, n, q));
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(AssociationList { items }))
}

async fn load(state: &AppState, id: String) -> Result<AssociationDto, ApiError> {
    state
        .db(move |conn| {
            let a = store::get(conn, &id)?.ok_or(ApiError::NotFound)?;
            let n = store::approved_count(conn, &id)?;
            let q = store::qualifications(conn, &id)?;
            Ok(dto(a, n, q))
        })
        .await
}

/// One association (public).
#[utoipa::path(tag = "associations", params(("id" = String, Path, description = "The association")), responses((status = 200, description = "The association", body = AssociationDto), (status = 404, description = "No such association", body = anjoman_core::error::ErrorBody)))]
#[get("/associations/{id}")]
async fn show_association(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<AssociationDto>, ApiError> {
    Ok(web::Json(load(&state, id.into_inner()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct AssociationBody {
    /// Short Latin code, e.g. `medical-informatics`; fixed once created.
    pub code: Option<String>,
    pub name: Option<String>,
    /// An empty string clears it (also below).
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// `YYYY-MM-DD`
    pub statute_date: Option<String>,
    /// A file uploaded with purpose `association_logo`.
    pub logo_file_id: Option<String>,
}

fn input(b: &AssociationBody, with_code: bool) -> Result<rules::AssociationInput, ApiError> {
    rules::association_input(
        if with_code { b.code.as_deref().or(Some("")) } else { None },
        b.name.as_deref(),
        b.email.as_deref(),
        b.phone.as_deref(),
        b.website.as_deref(),
        b.statute_date.as_deref(),
        b.logo_file_id.as_deref(),
    )
}

/// Creates an association (commission admins, AS-01).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    request_body = AssociationBody,
    responses(
        (status = 201, description = "Created", body = AssociationDto),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not a commission admin", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`code_taken`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations")]
async fn create_association(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<AssociationBody>,
) -> Result<HttpResponse, ApiError> {
    user.require_any(&[Role::CommissionAdmin])?;
    let checked = input(&body, true)?;
    if checked.name.is_none() {
        return Err(ApiError::field("name", "نام انجمن الزامی است.", "The name is required."));
    }
    let actor = user.person_id.clone();
    let id = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if let Some(Some(logo)) = &checked.logo_file_id {
                    anjoman_core::platform::files::check(conn, logo, Purpose::AssociationLogo, &actor, "logo_file_id")?;
                }
                let id = store::insert(conn, &checked).map_err(|e| match ApiError::from(e) {
                    ApiError::Conflict { .. } => ApiError::Conflict {
                        code: "code_taken",
                        msg: Msg::new("این کد انجمن پیش‌تر به کار رفته است.", "This association code is already used."),
                    },
                    other => other,
                })?;
                let after = serde_json::json!({"code": checked.code, "name": checked.name});
                audit::record(
                    conn,
                    Event::new("association.created", "association", Some(&id)).by(&actor).states(None, Some(after)),
                )?;
                Ok::<_, ApiError>(id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(load(&state, id).await?))
}

/// Edits an association's profile (its admins or commission admins).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = AssociationBody,
    responses(
        (status = 200, description = "Updated", body = AssociationDto),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such association", body = anjoman_core::error::ErrorBody),
    )
)]
#[patch("/associations/{id}")]
async fn edit_association(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<AssociationBody>,
) -> Result<web::Json<AssociationDto>, ApiError> {
    let id = id.into_inner();
    require_manager(&user, &id)?;
    if body.code.is_some() {
        return Err(ApiError::field("code", "کد انجمن تغییر نمی‌کند.", "An association's code cannot change."));
    }
    let checked = input(&body, false)?;
    let (aid, actor) = (id.clone(), user.person_id.clone());
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                if let Some(Some(logo)) = &checked.logo_file_id {
                    anjoman_core::platform::files::check(conn, logo, Purpose::AssociationLogo, &actor, "logo_file_id")?;
                }
                store::update(conn, &aid, &checked)?;
                audit::record(conn, Event::new("association.updated", "association", Some(&aid)).by(&actor))?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(web::Json(load(&state, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PersonRef {
    pub national_code: String,
}

fn parse_person(code: &str, field: &str) -> Result<NationalCode, ApiError> {
    NationalCode::parse(code).map_err(|e| ApiError::field(field, e.message_fa(), e.message_en()))
}

fn unknown_person(field: &str) -> ApiError {
    ApiError::field(field, "کسی با این کد ملی ثبت‌نام نکرده است.", "No one with this national code is registered.")
}

/// Makes a registered person an admin of the association (commission admins).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = PersonRef,
    responses(
        (status = 204, description = "Granted"),
        (status = 400, description = "Invalid or unknown national code", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not a commission admin", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/admins")]
async fn add_association_admin(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<PersonRef>,
) -> Result<HttpResponse, ApiError> {
    user.require_any(&[Role::CommissionAdmin])?;
    let code = parse_person(&body.national_code, "national_code")?;
    let (aid, actor) = (id.into_inner(), user.person_id.clone());
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let hooks = state.hooks.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                let person = anjoman_identity::store::person_id_by_code(conn, code.as_str())?
                    .ok_or_else(|| unknown_person("national_code"))?;
                anjoman_identity::roles::grant(
                    conn,
                    &hooks,
                    &actor,
                    Some(&ip),
                    &person,
                    Role::AssociationAdmin,
                    Some(&aid),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct QualificationBody {
    pub field: String,
    pub degree_level: String,
}

fn check_pair(e: &mut FieldErrors, i: usize, field: &str, degree: &str) -> Option<(String, String)> {
    let key = field_key(field);
    let level = DegreeLevel::parse(degree);
    if key.is_empty() || key.chars().count() > 100 {
        e.add(&format!("qualifications[{i}].field"), Msg::new("رشته الزامی است.", "The field is required."));
    }
    if level.is_none() {
        e.add(&format!("qualifications[{i}].degree_level"), Msg::new("مقطع نامعتبر است.", "Unknown degree level."));
    }
    Some((key, level?.as_str().to_owned()))
}

/// Declares the fields and degree levels that qualify for membership (AS-02); replaces them all.
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = Vec<QualificationBody>,
    responses(
        (status = 200, description = "Updated", body = AssociationDto),
        (status = 400, description = "Invalid entries", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/associations/{id}/qualifications")]
async fn set_qualifications(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Vec<QualificationBody>>,
) -> Result<web::Json<AssociationDto>, ApiError> {
    let id = id.into_inner();
    require_manager(&user, &id)?;
    let mut e = FieldErrors::new();
    let mut pairs: Vec<(String, String)> =
        body.iter().enumerate().filter_map(|(i, q)| check_pair(&mut e, i, &q.field, &q.degree_level)).collect();
    e.into_result()?;
    pairs.sort();
    pairs.dedup();
    let (aid, actor) = (id.clone(), user.person_id.clone());
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                store::replace_qualifications(conn, &aid, &pairs)?;
                audit::record(
                    conn,
                    Event::new("association.qualifications_set", "association", Some(&aid))
                        .by(&actor)
                        .states(None, Some(serde_json::json!(pairs))),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(web::Json(load(&state, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct MembershipRequest {
    /// The person's field of study, as on the degree.
    pub field: String,
    pub degree_level: String,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipDto {
    pub id: String,
    pub association_id: String,
    pub association_name: Option<String>,
    pub status: MembershipStatus,
    pub field: String,
    pub degree_level: String,
    /// Why it was rejected, removed or left.
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// When the member left or was removed.
    pub ended_at: Option<DateTime<Utc>>,
}

pub(crate) fn membership_dto(m: store::Membership, association_name: Option<String>) -> MembershipDto {
    MembershipDto {
        id: m.id,
        association_id: m.association_id,
        association_name,
        status: MembershipStatus::parse(&m.status).unwrap_or(MembershipStatus::Pending),
        field: m.field,
        degree_level: m.degree_level,
        reason: m.reason,
        requested_at: m.requested_at.and_utc(),
        decided_at: m.decided_at.map(|t| t.and_utc()),
        ended_at: m.ended_at.map(|t| t.and_utc()),
    }
}

/// Whether a (field, degree) qualifies; the reason when it does not.
fn qualifies(quals: &[(String, String)], field: &str, degree: &str) -> Result<(), ApiError> {
    if quals.iter().any(|(f, d)| f == field && d == degree) {
        return Ok(());
    }
    let mut e = FieldErrors::new();
    e.add(
        "field",
        Msg::new(
            "رشته و مقطع شما در فهرست رشته‌های پذیرفته‌شدهٔ این انجمن (بر پایهٔ اساسنامه) نیست.",
            "Your field and degree are not among those this association's statute accepts.",
        ),
    );
    Err(ApiError::Validation(e))
}

/// Asks to join an association (AS-03): pending until its admin decides. Refused, with the
/// reason, when the field and degree do not qualify.
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = MembershipRequest,
    responses(
        (status = 201, description = "Requested", body = MembershipDto),
        (status = 400, description = "Does not qualify, or invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_requested` or `already_member`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/membership-requests")]
async fn request_membership(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<MembershipRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut e = FieldErrors::new();
    let pair = check_pair(&mut e, 0, &body.field, &body.degree_level);
    if !e.is_empty() {
        let mut renamed = FieldErrors::new();
        for (k, v) in e.0 {
            for m in v {
                renamed.add(k.trim_start_matches("qualifications[0]."), m);
            }
        }
        return Err(ApiError::Validation(renamed));
    }
    let (field, degree) = pair.ok_or(ApiError::Internal)?;
    let (aid, person) = (id.into_inner(), user.person_id.clone());
    let m = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let assoc = store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                qualifies(&store::qualifications(conn, &aid)?, &field, &degree)?;
                let id = match store::membership_of(conn, &aid, &person)? {
                    Some(existing) => match MembershipStatus::parse(&existing.status) {
                        Some(s) if s.closed() => {
                            store::reopen(conn, &existing.id, &field, &degree, MembershipStatus::Pending, None)?;
                            existing.id
                        }
                        Some(MembershipStatus::Approved) => {
                            return Err(ApiError::Conflict {
                                code: "already_member",
                                msg: Msg::new("شما عضو این انجمن هستید.", "You are already a member."),
                            });
                        }
                        _ => {
                            return Err(ApiError::Conflict {
                                code: "already_requested",
                                msg: Msg::new("درخواست شما در انتظار بررسی است.", "Your request is awaiting review."),
                            });
                        }
                    },
                    None => store::insert_membership(
                        conn,
                        &NewMembership {
                            association_id: &aid,
                            person_id: &person,
                            field: &field,
                            degree_level: &degree,
                            status: MembershipStatus::Pending,
                            source: "self",
                            decided_by: None,
                        },
                    )?,
                };
                audit::record(conn, Event::new("membership.requested", "membership", Some(&id)).by(&person))?;
                Ok::<_, ApiError>(membership_dto(
                    store::membership(conn, &id)?.ok_or(ApiError::Internal)?,
                    Some(assoc.name),
                ))
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(m))
}

#[derive(Deserialize, ToSchema)]
pub struct RegisterMember {
    pub national_code: String,
    pub field: String,
    pub degree_level: String,
    /// For a person new to the system (required then, ignored otherwise).
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The new person's contacts: they get their account through "forgot password", with a
    /// code sent here.
    pub mobile: Option<String>,
    pub email: Option<String>,
}

/// A new person's names and contacts from the form, checked as registration checks them; `None`
/// when the form gave none of them.
fn new_person_of(
    body: &RegisterMember,
    code: &NationalCode,
) -> Result<Option<anjoman_identity::rules::NewPerson>, ApiError> {
    let given = [&body.first_name, &body.last_name, &body.mobile, &body.email]
        .iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    if !given {
        return Ok(None);
    }
    anjoman_identity::rules::recorded_person(
        code.clone(),
        body.first_name.as_deref().unwrap_or(""),
        body.last_name.as_deref().unwrap_or(""),
        body.mobile.as_deref(),
        body.email.as_deref(),
    )
    .map(Some)
}

/// Registers a person as an approved member directly (the association's admins, AS-03a). A person
/// new to the system is recorded with the names and contacts given (`first_name` and `last_name`
/// required then); they get their account through "forgot password", with a code sent to those
/// contacts. An existing person's record is never changed here.
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = RegisterMember,
    responses(
        (status = 201, description = "Registered", body = MembershipDto),
        (status = 400, description = "Unknown person without names, invalid contacts, or does not qualify", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_member` or `already_requested`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/members")]
async fn register_member(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<RegisterMember>,
) -> Result<HttpResponse, ApiError> {
    let aid = id.into_inner();
    require_manager(&user, &aid)?;
    let code = parse_person(&body.national_code, "national_code")?;
    let mut e = FieldErrors::new();
    let pair = check_pair(&mut e, 0, &body.field, &body.degree_level);
    e.into_result().map_err(|_| {
        ApiError::field("field", "رشته و مقطع را درست وارد کنید.", "Enter a valid field and degree level.")
    })?;
    let (field, degree) = pair.ok_or(ApiError::Internal)?;
    let newcomer = new_person_of(&body, &code)?;
    let actor = user.person_id.clone();
    let m = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let assoc = store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                qualifies(&store::qualifications(conn, &aid)?, &field, &degree)?;
                let person = match (anjoman_identity::store::person_id_by_code(conn, code.as_str())?, &newcomer) {
                    (Some(id), _) => id,
                    (None, Some(p)) => {
                        let id = anjoman_identity::store::insert_person_record(conn, p)?;
                        audit::record(conn, Event::new("person.recorded", "person", Some(&id)).by(&actor))?;
                        id
                    }
                    (None, None) => {
                        return Err(ApiError::field(
                            "national_code",
                            "کسی با این کد ملی در سامانه نیست؛ نام، نام خانوادگی و تلفن همراه یا رایانامهٔ او را هم بنویسید تا ثبت شود.",
                            "Nobody with this national code is in the system; give their names and mobile or e-mail to record them.",
                        ));
                    }
                };
                let existing = store::membership_of(conn, &aid, &person)?;
                let id = match existing {
                    // A former member (or a refused one) registered again: the same membership, its
                    // history kept.
                    Some(m) if MembershipStatus::parse(&m.status).is_some_and(MembershipStatus::closed) => {
                        store::reopen(conn, &m.id, &field, &degree, MembershipStatus::Approved, Some(&actor))?;
                        m.id
                    }
                    Some(m) => {
                        let code = if m.status == "approved" { "already_member" } else { "already_requested" };
                        return Err(ApiError::Conflict {
                            code,
                            msg: Msg::new(
                                "این شخص پیش‌تر در این انجمن ثبت شده است.",
                                "This person is already on this association's list.",
                            ),
                        });
                    }
                    None => store::insert_membership(
                        conn,
                        &NewMembership {
                            association_id: &aid,
                            person_id: &person,
                            field: &field,
                            degree_level: &degree,
                            status: MembershipStatus::Approved,
                            source: "admin",
                            decided_by: Some(&actor),
                        },
                    )?,
                };
                anjoman_identity::store::grant_role(
                    conn,
                    &person,
                    Role::Member,
                    Some((ScopeKind::Association, &aid)),
                    Some(&actor),
                )?;
                store::announce_approval(conn, &id)?;
                audit::record(conn, Event::new("membership.registered", "membership", Some(&id)).by(&actor))?;
                Ok::<_, ApiError>(membership_dto(
                    store::membership(conn, &id)?.ok_or(ApiError::Internal)?,
                    Some(assoc.name),
                ))
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(m))
}

#[derive(Serialize, ToSchema)]
pub struct MembershipList {
    pub items: Vec<MembershipDto>,
}

/// The caller's memberships in every association, with their status.
#[utoipa::path(tag = "associations", security(("bearer" = [])), responses((status = 200, description = "Memberships", body = MembershipList)))]
#[get("/me/memberships")]
async fn my_memberships(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<MembershipList>, ApiError> {
    let person = user.person_id.clone();
    let rows = state.db(move |conn| Ok(store::memberships_of_person(conn, &person)?)).await?;
    Ok(web::Json(MembershipList { items: rows.into_iter().map(|(m, name)| membership_dto(m, Some(name))).collect() }))
}

#[derive(Deserialize, IntoParams)]
pub struct MembersQuery {
    /// `pending`, `approved`, `rejected`, `left` or `removed`
    pub status: Option<String>,
    /// Part of the name (Persian letters and digits normalised) or the start of the national code.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    #[serde(flatten)]
    pub membership: MembershipDto,
    pub person_id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct MemberPage {
    /// Members listed; for a search, counted up to 1,000 (see `total_capped`).
    pub total: i64,
    /// True when a search matched more than `total` members: the count stopped there and the
    /// search should be narrowed (the pages go on).
    pub total_capped: bool,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<MemberDto>,
}

/// Members and requests of an association, searched and filtered (its admins, AS-04).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association"), MembersQuery),
    responses(
        (status = 200, description = "One page", body = MemberPage),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/associations/{id}/members")]
async fn list_members(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    q: web::Query<MembersQuery>,
) -> Result<web::Json<MemberPage>, ApiError> {
    let aid = id.into_inner();
    require_manager(&user, &aid)?;
    let q = q.into_inner();
    let (page, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            MembershipStatus::parse(s)
                .ok_or_else(|| ApiError::field("status", "وضعیت نامعتبر است.", "Unknown status."))?,
        ),
        None => None,
    };
    let text = q.q.filter(|t| !t.trim().is_empty());
    let (total, rows) =
        state.db(move |conn| Ok(store::members(conn, &aid, status, text.as_deref(), offset, per_page)?)).await?;
    let items = rows
        .into_iter()
        .map(|r| MemberDto {
            person_id: r.membership.person_id.clone(),
            membership: membership_dto(r.membership, None),
            national_code: r.national_code,
            first_name: r.first_name,
            last_name: r.last_name,
        })
        .collect();
    Ok(web::Json(MemberPage { total: total.count, total_capped: total.capped, page, per_page, items }))
}

#[derive(Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `pending`, `approved` or `rejected`; all when left out.
    pub status: Option<String>,
    pub q: Option<String>,
}

fn csv_field(v: &str) -> String {
    // Quote always; double inner quotes; keep spreadsheets from reading a leading = + - @ as a formula.
    let guarded = if v.starts_with(['=', '+', '-', '@']) { format!("'{v}") } else { v.to_owned() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// The members as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Persian), with
/// the same filters as the list (the association's admins, AS-04).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association"), ExportQuery),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv"),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/associations/{id}/members.csv")]
async fn export_members(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let aid = id.into_inner();
    require_manager(&user, &aid)?;
    let q = q.into_inner();
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            MembershipStatus::parse(s)
                .ok_or_else(|| ApiError::field("status", "وضعیت نامعتبر است.", "Unknown status."))?,
        ),
        None => None,
    };
    let text = q.q.filter(|t| !t.trim().is_empty());
    let (code, rows) = {
        let a = aid.clone();
        state
            .db(move |conn| {
                let assoc = store::get(conn, &a)?.ok_or(ApiError::NotFound)?;
                let (_, rows) = store::members(conn, &a, status, text.as_deref(), 0, i64::MAX)?;
                Ok((assoc.code, rows))
            })
            .await?
    };
    let mut out = String::from("\u{FEFF}national_code,first_name,last_name,field,degree_level,status,requested_at\r\n");
    for r in rows {
        let m = &r.membership;
        let cells = [
            r.national_code.as_str(),
            r.first_name.as_str(),
            r.last_name.as_str(),
            m.field.as_str(),
            m.degree_level.as_str(),
            m.status.as_str(),
            &m.requested_at.and_utc().to_rfc3339(),
        ];
        out.push_str(&cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"members-{code}.csv\"")))
        .body(out))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct RejectBody {
    /// Shown to the person.
    pub reason: String,
}

async fn decide(
    state: &AppState,
    user: &AuthUser,
    id: String,
    decision: Decision,
    reason: Option<String>,
) -> Result<MembershipDto, ApiError> {
    let actor = user.person_id.clone();
    let is_commission = user.has_role(Role::CommissionAdmin);
    let grants = user.grants.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let m = store::membership(conn, &id)?.ok_or(ApiError::NotFound)?;
                let scoped = grants.iter().any(|g| {
                    g.role == Role::AssociationAdmin && g.scope_id.as_deref() == Some(m.association_id.as_str())
                });
                if !is_commission && !scoped {
                    return Err(ApiError::Forbidden);
                }
                let from = MembershipStatus::parse(&m.status).ok_or(ApiError::Internal)?;
                let to = rules::transition(from, decision)?;
                if !store::decide(conn, &id, from, to, reason.as_deref(), &actor)? {
                    // Decided by someone else a moment ago: report what it is now.
                    let now =
                        store::membership(conn, &id)?.and_then(|m| MembershipStatus::parse(&m.status)).unwrap_or(from);
                    return Err(rules::transition(now, decision).err().unwrap_or(ApiError::Internal));
                }
                if to == MembershipStatus::Approved {
                    anjoman_identity::store::grant_role(
                        conn,
                        &m.person_id,
                        Role::Member,
                        Some((ScopeKind::Association, &m.association_id)),
                        Some(&actor),
                    )?;
                    store::announce_approval(conn, &id)?;
                }
                let action =
                    if to == MembershipStatus::Approved { "membership.approved" } else { "membership.rejected" };
                audit::record(
                    conn,
                    Event::new(action, "membership", Some(&id)).by(&actor).states(
                        Some(serde_json::json!({"status": from.as_str()})),
                        Some(serde_json::json!({"status": to.as_str(), "reason": reason})),
                    ),
                )?;
                Ok::<_, ApiError>(membership_dto(store::membership(conn, &id)?.ok_or(ApiError::Internal)?, None))
            })
        })
        .await
}

/// Approves a pending request (the association's admins); the person becomes a member.
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The membership")),
    responses(
        (status = 200, description = "Approved", body = MembershipDto),
        (status = 403, description = "Not an admin of its association", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_approved` or `already_rejected`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/memberships/{id}/approve")]
async fn approve_membership(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<MembershipDto>, ApiError> {
    Ok(web::Json(decide(&state, &user, id.into_inner(), Decision::Approve, None).await?))
}

/// Rejects a pending request with a reason the person sees (the association's admins).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The membership")),
    request_body = RejectBody,
    responses(
        (status = 200, description = "Rejected", body = MembershipDto),
        (status = 400, description = "A reason is required", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of its association", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_approved` or `already_rejected`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/memberships/{id}/reject")]
async fn reject_membership(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<RejectBody>,
) -> Result<web::Json<MembershipDto>, ApiError> {
    let reason = anjoman_core::text::normalize_persian(&body.reason);
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::field(
            "reason",
            "دلیل رد را بنویسید (حداکثر ۵۰۰ نویسه).",
            "Give the reason (at most 500 characters).",
        ));
    }
    Ok(web::Json(decide(&state, &user, id.into_inner(), Decision::Reject, Some(reason)).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusCheck {
    pub national_code: String,
    pub captcha_id: Option<String>,
    pub captcha_answer: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StatusEntry {
    pub association_id: String,
    pub association_name: String,
    pub status: MembershipStatus,
}

#[derive(Serialize, ToSchema)]
pub struct StatusAnswer {
    /// Empty for national codes with no memberships (registered or not).
    pub memberships: Vec<StatusEntry>,
    /// The registered e-mail with most of it hidden, e.g. `s***@e******.ir`.
    pub email_masked: Option<String>,
}

/// The public membership-status check (ID-11): national code and captcha show, per association,
/// whether membership is pending, approved or rejected, with the registered e-mail masked.
#[utoipa::path(
    tag = "associations",
    request_body = StatusCheck,
    responses(
        (status = 200, description = "The memberships (none for unknown codes)", body = StatusAnswer),
        (status = 400, description = "Invalid national code or captcha", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/membership-status")]
async fn membership_status(
    state: web::Data<AppState>,
    body: web::Json<StatusCheck>,
) -> Result<web::Json<StatusAnswer>, ApiError> {
    let body = body.into_inner();
    let code = parse_person(&body.national_code, "national_code")?;
    let st = state.clone();
    let answer = state
        .db(move |conn| {
            if st.config.captcha_enabled {
                anjoman_core::auth::captcha::verify(conn, body.captcha_id.as_deref(), body.captcha_answer.as_deref())?;
            }
            let Some(person) = anjoman_identity::store::person_by_code(conn, code.as_str())? else {
                return Ok(StatusAnswer { memberships: Vec::new(), email_masked: None });
            };
            let memberships = store::memberships_of_person(conn, &person.id)?
                .into_iter()
                .map(|(m, name)| StatusEntry {
                    status: MembershipStatus::parse(&m.status).unwrap_or(MembershipStatus::Pending),
                    association_id: m.association_id,
                    association_name: name,
                })
                .collect::<Vec<_>>();
            // Nothing about people without memberships, so the check reveals no registrations.
            let email_masked =
                if memberships.is_empty() { None } else { person.email.as_deref().map(anjoman_core::text::mask_email) };
            Ok(StatusAnswer { memberships, email_masked })
        })
        .await?;
    Ok(web::Json(answer))
}
