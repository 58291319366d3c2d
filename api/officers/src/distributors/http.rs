//! Distributors and their branches over HTTP (DI-01, DI-02): the directorate registers a
//! distributor with its manager and central branch; the manager adds branches and names their
//! technical officers (a cooperation request, `cooperations`).

use actix_web::{HttpResponse, get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser, Role, ScopeKind};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::outbox::{Channel, NewMessage, enqueue};
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, Utc};
use diesel::QueryResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cooperations::request;
use super::model::{Branch, Coop, NewBranch, NewDistributor};
use super::rules::CoopStatus;
use super::store;
use crate::reference::city_in;

pub(crate) fn manager_of(user: &CurrentUser, distributor: &str) -> Result<(), ApiError> {
    if user.may(&[Role::DirectorateAdmin.any()]) {
        return Ok(());
    }
    user.require(&[Role::DistributorManager.of(distributor)])
}

pub(crate) fn sms(conn: &mut DbConn, person: &str, text: &str) -> Result<(), ApiError> {
    let mobile = anjoman_identity::store::person_of(conn, person)?.mobile;
    if let Some(m) = mobile {
        enqueue(
            conn,
            NewMessage {
                channel: Channel::Sms,
                recipient: &m,
                subject: None,
                body: text,
                purpose: "cooperation",
                template: None,
                urgent: false,
            },
        )?;
    }
    Ok(())
}

#[derive(Serialize, ToSchema)]
pub struct Party {
    pub name: String,
    pub national_code: String,
    pub mobile: Option<String>,
}

pub(crate) fn person_ref(conn: &mut DbConn, id: &str) -> QueryResult<Party> {
    let p = anjoman_identity::store::person_of(conn, id)?;
    Ok(Party { name: format!("{} {}", p.first_name, p.last_name), national_code: p.national_code, mobile: p.mobile })
}

#[derive(Serialize, ToSchema)]
pub struct BranchDto {
    pub id: String,
    pub name: String,
    pub is_central: bool,
    pub province_id: String,
    pub city_id: String,
    pub address: String,
    /// The branch's technical officer, once a cooperation is approved.
    pub officer: Option<Party>,
}

#[derive(Serialize, ToSchema)]
pub struct CooperationDto {
    pub id: String,
    pub status: CoopStatus,
    pub branch: BranchDto,
    pub distributor_id: String,
    pub distributor_name: String,
    pub distributor_kind: String,
    pub manager: Party,
    pub officer: Party,
    pub province_id: String,
    pub reviewer: Option<String>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn branch_dto(conn: &mut DbConn, b: Branch) -> QueryResult<BranchDto> {
    Ok(BranchDto {
        officer: b.officer_id.as_deref().map(|x| person_ref(conn, x)).transpose()?,
        id: b.id,
        name: b.name,
        is_central: b.is_central,
        province_id: b.province_id,
        city_id: b.city_id,
        address: b.address,
    })
}

pub(crate) fn coop_dto(conn: &mut DbConn, c: Coop) -> Result<CooperationDto, ApiError> {
    let b = store::branch(conn, &c.branch_id)?;
    let d = store::distributor(conn, &c.distributor_id)?;
    Ok(CooperationDto {
        status: c.state(),
        branch: branch_dto(conn, b)?,
        distributor_name: d.name,
        distributor_kind: d.kind,
        manager: person_ref(conn, &d.manager_id)?,
        officer: person_ref(conn, &c.officer_id)?,
        reviewer: match &c.reviewer_id {
            Some(r) => Some(person_ref(conn, r)?.name),
            None => None,
        },
        created_at: c.created_at.and_utc(),
        updated_at: c.updated_at.and_utc(),
        id: c.id,
        distributor_id: c.distributor_id,
        province_id: c.province_id,
        reason: c.reason,
    })
}

#[derive(Serialize, ToSchema)]
pub struct DistributorDto {
    pub id: String,
    pub name: String,
    /// `company` or `guild`
    pub kind: String,
    pub manager: Party,
    pub branches: Vec<BranchDto>,
    /// Every cooperation request of its branches, newest first (the distributor's archive).
    pub cooperations: Vec<CooperationDto>,
}

fn distributor_dto(conn: &mut DbConn, id: &str) -> Result<DistributorDto, ApiError> {
    let d = store::distributor(conn, id)?;
    let mut branches = Vec::new();
    for b in store::branches_of(conn, id)? {
        branches.push(branch_dto(conn, b)?);
    }
    let mut cooperations = Vec::new();
    for c in store::coops_of_distributor(conn, id)? {
        cooperations.push(coop_dto(conn, c)?);
    }
    Ok(DistributorDto {
        manager: person_ref(conn, &d.manager_id)?,
        id: d.id,
        name: d.name,
        kind: d.kind,
        branches,
        cooperations,
    })
}

#[derive(Deserialize, ToSchema)]
pub struct BranchBody {
    pub name: String,
    pub province_id: String,
    pub city_id: String,
    pub address: String,
    /// A qualified officer to name for the branch (a cooperation request).
    pub officer_national_code: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct DistributorBody {
    pub name: String,
    /// `company` or `guild`
    pub kind: String,
    /// The manager's national code; they need an account.
    pub manager_national_code: String,
    /// The central branch.
    pub central: BranchBody,
}

fn check_branch(conn: &mut DbConn, b: &BranchBody, e: &mut FieldErrors, prefix: &str) -> QueryResult<(String, String)> {
    let name = anjoman_core::text::normalize_persian(b.name.trim());
    if name.is_empty() || name.chars().count() > 200 {
        e.add(&format!("{prefix}name"), Msg::new("نام شعبه الزامی است.", "The branch needs a name."));
    }
    let address = anjoman_core::text::normalize_persian(b.address.trim());
    if address.chars().count() < 10 || address.chars().count() > 500 {
        e.add(&format!("{prefix}address"), Msg::new("نشانی کامل شعبه را بنویسید.", "Write the branch's full address."));
    }
    if !city_in(conn, &b.province_id, &b.city_id)? {
        e.add(&format!("{prefix}city_id"), Msg::new("شهر در این استان نیست.", "The city is not in this province."));
    }
    Ok((name, address))
}

fn insert_branch(
    conn: &mut DbConn,
    distributor: &str,
    b: &BranchBody,
    name: &str,
    address: &str,
    central: bool,
) -> QueryResult<String> {
    let id = new_id();
    let row = NewBranch {
        id: &id,
        distributor_id: distributor,
        name,
        is_central: central,
        province_id: &b.province_id,
        city_id: &b.city_id,
        address,
        created_at: now(),
    };
    store::insert_branch(conn, &row)?;
    Ok(id)
}

/// Registers a distributor with its manager and central branch (the directorate, DI-01).
#[utoipa::path(tag = "distributors", security(("bearer" = [])), request_body = DistributorBody, responses((status = 201, description = "Created", body = DistributorDto), (status = 400, description = "Invalid fields or an unknown manager", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not the directorate", body = anjoman_core::error::ErrorBody)))]
#[post("/distributors")]
pub async fn create_distributor(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DistributorBody>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::DirectorateAdmin.any()])?;
    let b = body.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let mut e = FieldErrors::new();
                let name = anjoman_core::text::normalize_persian(b.name.trim());
                if name.is_empty() || name.chars().count() > 200 {
                    e.add("name", Msg::new("نام توزیع‌کننده الزامی است.", "The distributor needs a name."));
                }
                if b.kind != "company" && b.kind != "guild" {
                    e.add("kind", Msg::new("نوع: شرکت یا صنف.", "Kind is company or guild."));
                }
                let manager = match NationalCode::parse(&b.manager_national_code) {
                    Ok(code) => anjoman_identity::store::account_by_code(conn, code.as_str())?.map(|a| a.person_id),
                    Err(_) => None,
                };
                if manager.is_none() {
                    e.add(
                        "manager_national_code",
                        Msg::new("مدیر باید حساب کاربری داشته باشد.", "The manager needs an account here."),
                    );
                }
                let (bname, address) = check_branch(conn, &b.central, &mut e, "central.")?;
                e.into_result()?;
                let manager = manager.unwrap_or_default();
                let id = new_id();
                let row =
                    NewDistributor { id: &id, name: &name, kind: &b.kind, manager_id: &manager, created_at: now() };
                store::insert_distributor(conn, &row)?;
                insert_branch(conn, &id, &b.central, &bname, &address, true)?;
                anjoman_identity::store::grant_role(
                    conn,
                    &manager,
                    Role::DistributorManager,
                    Some((ScopeKind::Distributor, &id)),
                    Some(&user.person_id),
                )?;
                audit::record(conn, Event::new("distributor.created", "distributor", Some(&id)).by(&user.person_id))?;
                distributor_dto(conn, &id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Serialize, ToSchema)]
pub struct DistributorSummary {
    pub id: String,
    pub name: String,
    pub kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct DistributorList {
    pub items: Vec<DistributorSummary>,
}

/// The distributors the caller manages (the directorate: all).
#[utoipa::path(tag = "distributors", security(("bearer" = [])), responses((status = 200, description = "Distributors", body = DistributorList)))]
#[get("/distributors")]
pub async fn list_distributors(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<DistributorList>, ApiError> {
    let all = user.may(&[Role::DirectorateAdmin.any()]);
    let mine = user.scopes(Role::DistributorManager);
    let items = state
        .db(move |conn| {
            let rows = store::distributors(conn, (!all).then_some(mine.as_slice()))?;
            Ok(rows.into_iter().map(|d| DistributorSummary { id: d.id, name: d.name, kind: d.kind }).collect())
        })
        .await?;
    Ok(web::Json(DistributorList { items }))
}

/// A distributor with its branches and its archive of cooperation requests (its manager, the
/// directorate).
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The distributor")), responses((status = 200, description = "The distributor", body = DistributorDto), (status = 403, description = "Not its manager", body = anjoman_core::error::ErrorBody), (status = 404, description = "No such distributor", body = anjoman_core::error::ErrorBody)))]
#[get("/distributors/{id}")]
pub async fn show_distributor(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<DistributorDto>, ApiError> {
    let id = id.into_inner();
    manager_of(&user, &id)?;
    Ok(web::Json(state.db(move |conn| distributor_dto(conn, &id)).await?))
}

/// Adds a branch, optionally naming its officer (DI-01, DI-02).
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The distributor")), request_body = BranchBody, responses((status = 201, description = "Added", body = DistributorDto), (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not its manager", body = anjoman_core::error::ErrorBody), (status = 409, description = "`officer_not_qualified`, `officer_already_bound`", body = anjoman_core::error::ErrorBody)))]
#[post("/distributors/{id}/branches")]
pub async fn add_branch(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<BranchBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    manager_of(&user, &id)?;
    let b = body.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::distributor(conn, &id)?;
                let mut e = FieldErrors::new();
                let (name, address) = check_branch(conn, &b, &mut e, "")?;
                e.into_result()?;
                let bid = insert_branch(conn, &id, &b, &name, &address, false)?;
                if let Some(code) = b.officer_national_code.as_deref().filter(|c| !c.trim().is_empty()) {
                    let branch = store::branch(conn, &bid)?;
                    request(conn, &user.person_id, &branch, code)?;
                }
                audit::record(conn, Event::new("branch.created", "branch", Some(&bid)).by(&user.person_id))?;
                distributor_dto(conn, &id)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct NameOfficerBody {
    pub national_code: String,
}

/// Names an officer for an existing branch (e.g. the central one): a cooperation request.
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The branch")), request_body = NameOfficerBody, responses((status = 200, description = "Requested", body = DistributorDto), (status = 400, description = "Invalid national code", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not its manager", body = anjoman_core::error::ErrorBody), (status = 409, description = "`officer_not_qualified`, `officer_already_bound` or `branch_taken`", body = anjoman_core::error::ErrorBody)))]
#[post("/branches/{id}/officer")]
pub async fn name_branch_officer(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<NameOfficerBody>,
) -> Result<web::Json<DistributorDto>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let branch = store::branch(conn, &id)?;
                manager_of(&user, &branch.distributor_id)?;
                request(conn, &user.person_id, &branch, &body.national_code)?;
                distributor_dto(conn, &branch.distributor_id)
            })
        })
        .await?;
    Ok(web::Json(out))
}
