//! The officer's side of requests over HTTP: submit (TO-02, TO-05), fix and send back (TO-03),
//! and the fee's payment that completes a request (TO-04).

use actix_web::{HttpResponse, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::payments::{self, Invoice};
use anjoman_core::{ApiError, FieldErrors, Msg};
use anjoman_identity::rules::ProfileChanges;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{NewRequest as RequestRow, Outcome, Request};
use super::store::{self, transition};
use crate::errors::OfficersError;
use crate::reference::{city_in, field_allowed};
use crate::registration::http::{OfficerDto, officer_dto};
use crate::registration::model::{Officer, QualifiedItems};
use crate::registration::store as officers;
use crate::rules::{Action, RequestKind, RequestStatus, Standing};
use crate::shared::{FileRef, check_documents, clean, file_refs, files_json, files_of, notify};

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

pub(crate) fn request_dto(conn: &mut DbConn, r: Request) -> Result<RequestDto, ApiError> {
    use anjoman_identity::store::full_name;
    let university = crate::reference::university(conn, &r.province_id)?;
    let paid = match &r.invoice_id {
        Some(i) => payments::get(conn, i)?.is_some_and(|x| x.status == payments::status::PAID),
        None => false,
    };
    let reviewer = r.reviewer_id.as_deref().map(|x| full_name(conn, x)).transpose()?;
    let events = store::events(conn, &r.id)?
        .into_iter()
        .map(|x| {
            Ok(EventDto {
                from_status: x.from_status.as_deref().and_then(RequestStatus::parse),
                to_status: RequestStatus::parse(&x.to_status).unwrap_or(RequestStatus::Submitted),
                note: x.note,
                actor: x.actor_id.as_deref().map(|a| full_name(conn, a)).transpose()?,
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

impl Changes {
    fn is_empty(&self) -> bool {
        self.first_name.is_none()
            && self.last_name.is_none()
            && self.field.is_none()
            && self.degree_level.is_none()
            && self.province_id.is_none()
            && self.city_id.is_none()
            && self.documents.is_none()
    }
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

/// What a new request holds: its province, documents and, for amendments, the change and what
/// it replaces.
struct Filed {
    province: String,
    documents: Vec<String>,
    changes: Option<serde_json::Value>,
    previous: Option<serde_json::Value>,
}

fn city_not_in_province(field: &str) -> ApiError {
    ApiError::field(field, "شهر در این استان نیست.", "The city is not in this province.")
}

/// A qualification request: refused while qualified (a revoked one may start again), and it may
/// move the officer to another province.
fn file_qualification(conn: &mut DbConn, off: &Officer, b: &NewRequest) -> Result<Filed, ApiError> {
    if off.qualified_at.is_some() && off.standing() == Standing::Active {
        return Err(OfficersError::AlreadyQualified.into());
    }
    let province = b.province_id.clone().unwrap_or(off.province_id.clone());
    if b.province_id.is_some() || b.city_id.is_some() {
        let city = b.city_id.clone().unwrap_or(off.city_id.clone());
        if !city_in(conn, &province, &city)? {
            return Err(city_not_in_province("city_id"));
        }
        let place = QualifiedItems { province_id: Some(province.clone()), city_id: Some(city), ..Default::default() };
        officers::update_qualified(conn, &off.person_id, &place)?;
    }
    let documents = if b.documents.is_empty() { files_of(&off.documents) } else { b.documents.clone() };
    Ok(Filed { province, documents, changes: None, previous: None })
}

fn file_amendment(conn: &mut DbConn, off: &Officer, b: &NewRequest) -> Result<Filed, ApiError> {
    if !off.qualified() {
        return Err(OfficersError::NotQualified.into());
    }
    let (changes, previous) = check_changes(conn, off, b.changes.clone().unwrap_or_default())?;
    Ok(Filed {
        province: off.province_id.clone(),
        documents: b.documents.clone(),
        changes: Some(changes),
        previous: Some(previous),
    })
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
pub async fn submit_request(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let me = user.person_id.as_str();
                let off = officers::officer(conn, me)?.ok_or(ApiError::NotFound)?;
                if store::open_request(conn, me)?.is_some() {
                    return Err(OfficersError::RequestInProgress.into());
                }
                check_documents(conn, &b.documents, me, "documents")?;
                if off.qualified_at.is_some() && off.standing() == Standing::Suspended {
                    return Err(OfficersError::QualificationSuspended.into());
                }
                let filed = match b.kind {
                    RequestKind::Qualification => file_qualification(conn, &off, &b)?,
                    RequestKind::Amendment => file_amendment(conn, &off, &b)?,
                };
                let (id, at) = (new_id(), now());
                let row = RequestRow {
                    id: &id,
                    officer_id: me,
                    kind: b.kind.as_str(),
                    province_id: &filed.province,
                    status: RequestStatus::Submitted.as_str(),
                    changes: filed.changes.map(|c| c.to_string()),
                    previous: filed.previous.map(|c| c.to_string()),
                    documents: files_json(&filed.documents),
                    created_at: at,
                    updated_at: at,
                };
                store::insert(conn, &row, me)?;
                let facts = serde_json::json!({"kind": b.kind.as_str(), "province_id": filed.province});
                let event = Event::new("officer_request.submitted", "officer_request", Some(&id)).by(me);
                audit::record(conn, event.states(None, Some(facts)))?;
                officer_dto(conn, me)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Validates an amendment's changes; returns them (normalised) and the data they replace.
fn check_changes(
    conn: &mut DbConn,
    off: &Officer,
    c: Changes,
) -> Result<(serde_json::Value, serde_json::Value), ApiError> {
    let person = off.person_id.as_str();
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
    if changes.is_empty() {
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
    if c.first_name.is_some() || c.last_name.is_some() {
        let name = ProfileChanges { first_name: c.first_name, last_name: c.last_name, ..Default::default() };
        anjoman_identity::store::update_person(conn, &r.officer_id, &name)?;
    }
    let items = QualifiedItems {
        field: c.field,
        degree_level: c.degree_level,
        province_id: c.province_id,
        city_id: c.city_id,
        documents: c.documents.map(|d| files_json(&d)),
    };
    officers::update_qualified(conn, &r.officer_id, &items)?;
    Ok(())
}

/// The payment handler: the fee of an approved request is paid — the qualification or the
/// amendment takes effect, once (the payments service calls it once per invoice).
pub fn on_paid(conn: &mut DbConn, invoice: &Invoice) -> Result<(), ApiError> {
    let Some(id) = invoice.reference.as_deref() else { return Ok(()) };
    let r = store::request(conn, id)?;
    let done = Outcome { completed_at: Some(now()), ..Default::default() };
    transition(conn, &r, Action::Pay, None, Some(&format!("invoice {}", invoice.id)), &done)?;
    match RequestKind::parse(&r.kind) {
        Some(RequestKind::Amendment) => apply_changes(conn, &r)?,
        _ => {
            officers::mark_qualified(conn, &r.officer_id)?;
            let off = officers::officer(conn, &r.officer_id)?.ok_or(ApiError::NotFound)?;
            let who = anjoman_identity::store::person(conn, &r.officer_id)?.ok_or(ApiError::NotFound)?;
            anjoman_core::platform::webhooks::emit(
                conn,
                &anjoman_core::platform::webhooks::Owner::directorate(),
                "qualification.approved",
                serde_json::json!({"national_code": who.national_code, "field": off.field, "degree_level": off.degree_level}),
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
pub async fn resubmit_request(
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
    if b.documents.as_ref().is_some_and(Vec::is_empty) {
        return Err(ApiError::field("documents", "دست‌کم یک مدرک لازم است.", "At least one document is needed."));
    }
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let me = user.person_id.as_str();
                let r = store::request(conn, &id)?;
                if r.officer_id != me {
                    return Err(ApiError::NotFound);
                }
                if let Some(docs) = &b.documents {
                    check_documents(conn, docs, me, "documents")?;
                }
                let docs = b.documents.as_deref().map(files_json);
                let fixed = Outcome { documents: docs.clone(), ..Default::default() };
                transition(conn, &r, Action::Resubmit, Some(me), note.as_deref(), &fixed)?;
                if RequestKind::parse(&r.kind) == Some(RequestKind::Qualification) && docs.is_some() {
                    let items = QualifiedItems { documents: docs, ..Default::default() };
                    officers::update_qualified(conn, me, &items)?;
                }
                if let Some(reviewer) = &r.reviewer_id {
                    notify(conn, reviewer, "درخواستی که نقص آن را اعلام کرده بودید رفع نقص شد و به کارتابل شما بازگشت.\nA request you sent back was fixed and is in your queue again.")?;
                }
                officer_dto(conn, me)
            })
        })
        .await?;
    Ok(web::Json(out))
}
