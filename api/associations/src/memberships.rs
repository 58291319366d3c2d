//! Memberships (AS-04..06): a person's request, an admin's registration of a member, the
//! decision on a request, one's own memberships, and the public status check.

use actix_web::{HttpResponse, get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::require_manager;
use crate::errors::AssociationsError;
use crate::registry::{check_pair, parse_person};
use crate::rules::{self, Decision, MembershipStatus};
use crate::store::{self, NewMembership};

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
pub async fn request_membership(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<MembershipRequest>,
) -> Result<HttpResponse, ApiError> {
    let (field, degree) = requested_pair(&body)?;
    let (aid, person) = (id.into_inner(), user.person_id.clone());
    let m = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let assoc = store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
                qualifies(&store::qualifications(conn, &aid)?, &field, &degree)?;
                let request = NewMembership {
                    association_id: &aid,
                    person_id: &person,
                    field: &field,
                    degree_level: &degree,
                    status: MembershipStatus::Pending,
                    source: "self",
                    decided_by: None,
                };
                let id = open_membership(conn, &request, |status| match status {
                    MembershipStatus::Approved => AssociationsError::AlreadyMember.into(),
                    _ => AssociationsError::AlreadyRequested.into(),
                })?;
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
pub async fn register_member(
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
                let person = person_to_register(conn, &code, newcomer.as_ref(), &actor)?;
                let id = approved_membership(conn, &aid, &person, &field, &degree, &actor)?;
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

/// The person an admin registers: the one with this national code, or recorded now from the
/// names and contacts given.
fn person_to_register(
    conn: &mut DbConn,
    code: &NationalCode,
    newcomer: Option<&anjoman_identity::rules::NewPerson>,
    actor: &str,
) -> Result<String, ApiError> {
    match (anjoman_identity::store::person_id_by_code(conn, code.as_str())?, newcomer) {
        (Some(id), _) => Ok(id),
        (None, Some(p)) => {
            let id = anjoman_identity::store::insert_person_record(conn, p)?;
            audit::record(conn, Event::new("person.recorded", "person", Some(&id)).by(actor))?;
            Ok(id)
        }
        (None, None) => Err(ApiError::field(
            "national_code",
            "کسی با این کد ملی در سامانه نیست؛ نام، نام خانوادگی و تلفن همراه یا رایانامهٔ او را هم بنویسید تا ثبت شود.",
            "Nobody with this national code is in the system; give their names and mobile or e-mail to record them.",
        )),
    }
}

/// An approved membership registered by an admin; anyone already on the list is refused.
fn approved_membership(
    conn: &mut DbConn,
    aid: &str,
    person: &str,
    field: &str,
    degree: &str,
    actor: &str,
) -> Result<String, ApiError> {
    let row = NewMembership {
        association_id: aid,
        person_id: person,
        field,
        degree_level: degree,
        status: MembershipStatus::Approved,
        source: "admin",
        decided_by: Some(actor),
    };
    open_membership(conn, &row, |status| {
        AssociationsError::AlreadyListed { approved: status == MembershipStatus::Approved }.into()
    })
}

/// A membership opened: a new row, or a closed one (left, removed or refused) reopened with its
/// history kept; an open one (pending or approved) is refused with `taken(its status)`.
fn open_membership(
    conn: &mut DbConn,
    row: &NewMembership,
    taken: impl FnOnce(MembershipStatus) -> ApiError,
) -> Result<String, ApiError> {
    match store::membership_of(conn, row.association_id, row.person_id)? {
        Some(m) => match MembershipStatus::parse(&m.status) {
            Some(s) if s.closed() => {
                store::reopen(conn, &m.id, row.field, row.degree_level, row.status, row.decided_by)?;
                Ok(m.id)
            }
            s => Err(taken(s.unwrap_or(MembershipStatus::Pending))),
        },
        None => Ok(store::insert_membership(conn, row)?),
    }
}

/// The field and degree of a member's own request, with errors named after its own fields.
fn requested_pair(body: &MembershipRequest) -> Result<(String, String), ApiError> {
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
    pair.ok_or(ApiError::Internal)
}

#[derive(Serialize, ToSchema)]
pub struct MembershipList {
    pub items: Vec<MembershipDto>,
}

/// The caller's memberships in every association, with their status.
#[utoipa::path(tag = "associations", security(("bearer" = [])), responses((status = 200, description = "Memberships", body = MembershipList)))]
#[get("/me/memberships")]
pub async fn my_memberships(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<MembershipList>, ApiError> {
    let person = user.person_id.clone();
    let rows = state.db(move |conn| Ok(store::memberships_of_person(conn, &person)?)).await?;
    Ok(web::Json(MembershipList { items: rows.into_iter().map(|(m, name)| membership_dto(m, Some(name))).collect() }))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct RejectBody {
    /// Shown to the person.
    pub reason: String,
}

pub async fn decide(
    state: &AppState,
    user: &AuthUser,
    id: String,
    decision: Decision,
    reason: Option<String>,
) -> Result<MembershipDto, ApiError> {
    let actor = user.person_id.clone();
    let user = user.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let m = store::membership(conn, &id)?.ok_or(ApiError::NotFound)?;
                user.require(&[Role::CommissionAdmin.any(), Role::AssociationAdmin.of(&m.association_id)])?;
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
pub async fn approve_membership(
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
pub async fn reject_membership(
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
pub async fn membership_status(
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
