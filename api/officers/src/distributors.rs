//! Distributors and cooperation with technical officers (DI-01..04, TO-08): a distributor (company
//! or guild) has a manager and branches; naming a qualified officer for a branch asks the officer,
//! then the university of the branch's province; the officer may end the cooperation at once,
//! and the manager is told by SMS.

use actix_web::{HttpResponse, get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser, Role, ScopeKind};
use anjoman_core::db::schema::{branches as br, cooperations as co, distributors as di, officers as o};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::outbox::{Channel, NewMessage, enqueue};
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::reference::city_in;

/// The names of the distributors among `ids` (the scope of distributor managers' grants).
pub fn scope_names(conn: &mut DbConn, ids: &[String]) -> Result<Vec<(String, String)>, ApiError> {
    Ok(di::table.filter(di::id.eq_any(ids)).select((di::id, di::name)).load(conn)?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoopStatus {
    /// Named by the distributor; the officer decides.
    AwaitingOfficer,
    /// The officer declined: closed, back to the distributor.
    Declined,
    /// The officer accepted; the province's university decides.
    AwaitingUniversity,
    /// The university rejected it.
    Rejected,
    /// The officer is the branch's technical officer.
    Active,
    /// Ended by the officer.
    Terminated,
    /// Ended by the directorate: the officer's qualification was suspended or revoked.
    Ended,
}

impl CoopStatus {
    const ALL: [CoopStatus; 7] = [
        CoopStatus::AwaitingOfficer,
        CoopStatus::Declined,
        CoopStatus::AwaitingUniversity,
        CoopStatus::Rejected,
        CoopStatus::Active,
        CoopStatus::Terminated,
        CoopStatus::Ended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CoopStatus::AwaitingOfficer => "awaiting_officer",
            CoopStatus::Declined => "declined",
            CoopStatus::AwaitingUniversity => "awaiting_university",
            CoopStatus::Rejected => "rejected",
            CoopStatus::Active => "active",
            CoopStatus::Terminated => "terminated",
            CoopStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Binds the officer (or is about to): no second distributor may name them meanwhile.
    pub fn binding(self) -> bool {
        matches!(self, CoopStatus::AwaitingOfficer | CoopStatus::AwaitingUniversity | CoopStatus::Active)
    }
}

const BINDING: [&str; 3] = ["awaiting_officer", "awaiting_university", "active"];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = co)]
struct Coop {
    id: String,
    branch_id: String,
    distributor_id: String,
    officer_id: String,
    province_id: String,
    status: String,
    reviewer_id: Option<String>,
    reason: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn coop(conn: &mut DbConn, id: &str) -> Result<Coop, ApiError> {
    co::table.find(id).select(Coop::as_select()).first(conn).optional()?.ok_or(ApiError::NotFound)
}

fn state(c: &Coop) -> CoopStatus {
    CoopStatus::parse(&c.status).unwrap_or(CoopStatus::AwaitingOfficer)
}

/// Moves a cooperation from `from` to `to` by a conditional update; refuses anything else.
fn move_coop(
    conn: &mut DbConn,
    c: &Coop,
    from: CoopStatus,
    to: CoopStatus,
    actor: &str,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    let n = diesel::update(co::table.find(&c.id).filter(co::status.eq(from.as_str())))
        .set((co::status.eq(to.as_str()), co::updated_at.eq(now())))
        .execute(conn)?;
    if n != 1 {
        return Err(ApiError::Conflict {
            code: "illegal_transition",
            msg: Msg::new(
                "این درخواست همکاری در وضعیتی نیست که این کار را بپذیرد.",
                format!(
                    "This cooperation request is {}, not {}.",
                    c.status.replace('_', " "),
                    from.as_str().replace('_', " ")
                ),
            ),
        });
    }
    if reason.is_some() {
        diesel::update(co::table.find(&c.id)).set(co::reason.eq(reason)).execute(conn)?;
    }
    let name = format!("cooperation.{}", to.as_str());
    audit::record(
        conn,
        Event::new(&name, "cooperation", Some(&c.id)).by(actor).states(
            Some(serde_json::json!({"status": from.as_str()})),
            Some(serde_json::json!({"status": to.as_str(), "reason": reason})),
        ),
    )?;
    Ok(())
}

fn manager_of(user: &CurrentUser, distributor: &str) -> Result<(), ApiError> {
    if user.has_role(Role::DirectorateAdmin) {
        return Ok(());
    }
    user.require_scoped(Role::DistributorManager, ScopeKind::Distributor, distributor)
}

fn sms(conn: &mut DbConn, person: &str, text: &str) -> Result<(), ApiError> {
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

fn person_ref(conn: &mut DbConn, id: &str) -> QueryResult<Party> {
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

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = br)]
struct Branch {
    id: String,
    distributor_id: String,
    name: String,
    is_central: bool,
    province_id: String,
    city_id: String,
    address: String,
    officer_id: Option<String>,
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

fn coop_dto(conn: &mut DbConn, c: Coop) -> Result<CooperationDto, ApiError> {
    let b: Branch = br::table.find(&c.branch_id).select(Branch::as_select()).first(conn)?;
    let (name, kind, manager): (String, String, String) =
        di::table.find(&c.distributor_id).select((di::name, di::kind, di::manager_id)).first(conn)?;
    Ok(CooperationDto {
        status: state(&c),
        branch: branch_dto(conn, b)?,
        distributor_name: name,
        distributor_kind: kind,
        manager: person_ref(conn, &manager)?,
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
    let (name, kind, manager): (String, String, String) = di::table
        .find(id)
        .select((di::name, di::kind, di::manager_id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let rows: Vec<Branch> = br::table
        .filter(br::distributor_id.eq(id))
        .order((br::is_central.desc(), br::created_at))
        .select(Branch::as_select())
        .load(conn)?;
    let mut branches = Vec::new();
    for b in rows {
        branches.push(branch_dto(conn, b)?);
    }
    let coops: Vec<Coop> = co::table
        .filter(co::distributor_id.eq(id))
        .order(co::created_at.desc())
        .select(Coop::as_select())
        .load(conn)?;
    let mut cooperations = Vec::new();
    for c in coops {
        cooperations.push(coop_dto(conn, c)?);
    }
    Ok(DistributorDto { id: id.to_owned(), name, kind, manager: person_ref(conn, &manager)?, branches, cooperations })
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
    diesel::insert_into(br::table)
        .values((
            br::id.eq(&id),
            br::distributor_id.eq(distributor),
            br::name.eq(name),
            br::is_central.eq(central),
            br::province_id.eq(&b.province_id),
            br::city_id.eq(&b.city_id),
            br::address.eq(address),
            br::created_at.eq(now()),
        ))
        .execute(conn)?;
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
    user.require_any(&[Role::DirectorateAdmin])?;
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
                diesel::insert_into(di::table)
                    .values((
                        di::id.eq(&id),
                        di::name.eq(&name),
                        di::kind.eq(&b.kind),
                        di::manager_id.eq(&manager),
                        di::created_at.eq(now()),
                    ))
                    .execute(conn)?;
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
    let all = user.has_role(Role::DirectorateAdmin);
    let mine: Vec<String> =
        user.grants.iter().filter(|g| g.role == Role::DistributorManager).filter_map(|g| g.scope_id.clone()).collect();
    let items = state
        .db(move |conn| {
            let mut q = di::table.order(di::name).into_boxed();
            if !all {
                q = q.filter(di::id.eq_any(mine));
            }
            let rows: Vec<(String, String, String)> = q.select((di::id, di::name, di::kind)).load(conn)?;
            Ok(rows.into_iter().map(|(id, name, kind)| DistributorSummary { id, name, kind }).collect())
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

/// Ends every cooperation that binds `officer` (named, awaiting the university, or active),
/// because the directorate suspended or revoked their qualification: each becomes `ended` with
/// `reason`, the branch loses its officer, and each distributor's manager is texted. Call inside
/// the transaction of the suspension or revocation; returns how many ended.
pub fn end_for_officer(conn: &mut DbConn, officer: &str, actor: &str, reason: &str) -> Result<usize, ApiError> {
    let rows: Vec<Coop> = co::table
        .filter(co::officer_id.eq(officer))
        .filter(co::status.eq_any(BINDING))
        .select(Coop::as_select())
        .load(conn)?;
    let who = person_ref(conn, officer)?;
    for c in &rows {
        move_coop(conn, c, state(c), CoopStatus::Ended, actor, Some(reason))?;
        diesel::update(br::table.find(&c.branch_id).filter(br::officer_id.eq(officer)))
            .set(br::officer_id.eq(None::<String>))
            .execute(conn)?;
        diesel::update(co::table.find(&c.id)).set(co::ended_at.eq(now())).execute(conn)?;
        let (manager, branch): (String, String) = di::table
            .inner_join(br::table.on(br::distributor_id.eq(di::id)))
            .filter(br::id.eq(&c.branch_id))
            .select((di::manager_id, br::name))
            .first(conn)?;
        sms(
            conn,
            &manager,
            &format!(
                "صلاحیت {} به‌عنوان مسئول فنی از سوی اداره کل تجهیزات پزشکی متوقف شد و همکاری او با شعبهٔ «{branch}» پایان یافت. مسئول فنی دیگری معرفی کنید.
The directorate stopped {}'s qualification as a technical officer; their cooperation with branch “{branch}” has ended. Name another technical officer.",
                who.name, who.name
            ),
        )?;
    }
    Ok(rows.len())
}

/// Names an officer for a branch: a cooperation request to the officer (DI-02). Only a qualified
/// officer not bound elsewhere (TO-08), and only for a branch without one.
fn name_officer(conn: &mut DbConn, actor: &str, branch: &Branch, raw: &str) -> Result<(), ApiError> {
    let code = NationalCode::parse(raw)
        .map_err(|e| ApiError::field("officer_national_code", e.message_fa(), e.message_en()))?;
    let person = anjoman_identity::store::person_id_by_code(conn, code.as_str())?;
    let qualified: Option<(Option<NaiveDateTime>, String)> = match &person {
        Some(pid) => o::table.find(pid).select((o::qualified_at, o::standing)).first(conn).optional()?,
        None => None,
    };
    let Some((Some(_), standing)) = qualified else {
        return Err(ApiError::Conflict {
            code: "officer_not_qualified",
            msg: Msg::new(
                "تنها مسئول فنی احراز صلاحیت‌شده را می‌توان معرفی کرد.",
                "Only a qualified technical officer can be named.",
            ),
        });
    };
    if standing != crate::rules::Standing::Active.as_str() {
        return Err(ApiError::Conflict {
            code: "officer_not_qualified",
            msg: Msg::new(
                "صلاحیت این مسئول فنی تعلیق یا لغو شده است.",
                "This technical officer's qualification is suspended or revoked.",
            ),
        });
    }
    let officer = person.unwrap_or_default();
    let bound: bool = diesel::select(diesel::dsl::exists(
        co::table.filter(co::officer_id.eq(&officer)).filter(co::status.eq_any(BINDING)),
    ))
    .get_result(conn)?;
    if bound {
        return Err(ApiError::Conflict {
            code: "officer_already_bound",
            msg: Msg::new(
                "این مسئول فنی با شعبهٔ دیگری همکاری دارد یا درخواست همکاری باز دارد.",
                "This officer already works for a branch or has an open cooperation request.",
            ),
        });
    }
    let taken: bool = diesel::select(diesel::dsl::exists(
        co::table.filter(co::branch_id.eq(&branch.id)).filter(co::status.eq_any(BINDING)),
    ))
    .get_result(conn)?;
    if taken {
        return Err(ApiError::Conflict {
            code: "branch_taken",
            msg: Msg::new(
                "این شعبه مسئول فنی یا درخواست همکاری باز دارد.",
                "This branch has an officer or an open request.",
            ),
        });
    }
    let id = new_id();
    let at = now();
    diesel::insert_into(co::table)
        .values((
            co::id.eq(&id),
            co::branch_id.eq(&branch.id),
            co::distributor_id.eq(&branch.distributor_id),
            co::officer_id.eq(&officer),
            co::province_id.eq(&branch.province_id),
            co::status.eq(CoopStatus::AwaitingOfficer.as_str()),
            co::created_at.eq(at),
            co::updated_at.eq(at),
        ))
        .execute(conn)?;
    audit::record(conn, Event::new("cooperation.requested", "cooperation", Some(&id)).by(actor))?;
    sms(
        conn,
        &officer,
        "درخواست همکاری تازه‌ای از یک توزیع‌کننده برای شما رسیده است.\nA distributor asks you to be a branch's technical officer.",
    )?;
    Ok(())
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
                di::table.find(&id).select(di::id).first::<String>(conn).optional()?.ok_or(ApiError::NotFound)?;
                let mut e = FieldErrors::new();
                let (name, address) = check_branch(conn, &b, &mut e, "")?;
                e.into_result()?;
                let bid = insert_branch(conn, &id, &b, &name, &address, false)?;
                if let Some(code) = b.officer_national_code.as_deref().filter(|c| !c.trim().is_empty()) {
                    let branch: Branch = br::table.find(&bid).select(Branch::as_select()).first(conn)?;
                    name_officer(conn, &user.person_id, &branch, code)?;
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
                let branch: Branch = br::table
                    .find(&id)
                    .select(Branch::as_select())
                    .first(conn)
                    .optional()?
                    .ok_or(ApiError::NotFound)?;
                manager_of(&user, &branch.distributor_id)?;
                name_officer(conn, &user.person_id, &branch, &body.national_code)?;
                distributor_dto(conn, &branch.distributor_id)
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct CooperationList {
    pub items: Vec<CooperationDto>,
}

/// The signed-in officer's cooperation requests: new ones first, then the archive (DI-02, DI-03).
#[utoipa::path(tag = "distributors", security(("bearer" = [])), responses((status = 200, description = "Cooperation requests", body = CooperationList)))]
#[get("/officers/me/cooperations")]
pub async fn my_cooperations(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<CooperationList>, ApiError> {
    let items = state
        .db(move |conn| {
            let rows: Vec<Coop> = co::table
                .filter(co::officer_id.eq(&user.person_id))
                .order(co::created_at.desc())
                .select(Coop::as_select())
                .load(conn)?;
            let mut out = Vec::new();
            for c in rows {
                out.push(coop_dto(conn, c)?);
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(CooperationList { items }))
}

async fn officer_step(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    from: CoopStatus,
    to: CoopStatus,
) -> Result<web::Json<CooperationDto>, ApiError> {
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let c = coop(conn, &id)?;
                if c.officer_id != user.person_id {
                    return Err(ApiError::NotFound);
                }
                move_coop(conn, &c, from, to, &user.person_id, None)?;
                let manager: String = di::table.find(&c.distributor_id).select(di::manager_id).first(conn)?;
                let officer = person_ref(conn, &c.officer_id)?;
                match to {
                    CoopStatus::Declined => sms(conn, &manager, &format!("{} درخواست همکاری شما را نپذیرفت.\n{} declined your cooperation request.", officer.name, officer.name))?,
                    CoopStatus::Terminated => {
                        diesel::update(br::table.find(&c.branch_id).filter(br::officer_id.eq(&c.officer_id)))
                            .set(br::officer_id.eq(None::<String>))
                            .execute(conn)?;
                        diesel::update(co::table.find(&c.id)).set(co::ended_at.eq(now())).execute(conn)?;
                        sms(conn, &manager, &format!("{} همکاری خود را به‌عنوان مسئول فنی شعبهٔ شما پایان داد.\n{} ended their work as your branch's technical officer.", officer.name, officer.name))?;
                    }
                    _ => {}
                }
                let c = coop(conn, &id)?;
                coop_dto(conn, c)
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// The officer accepts: the request goes to the university of the branch's province.
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), responses((status = 200, description = "Accepted", body = CooperationDto), (status = 404, description = "No such request of yours", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/accept")]
pub async fn accept_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    officer_step(state, user, id.into_inner(), CoopStatus::AwaitingOfficer, CoopStatus::AwaitingUniversity).await
}

/// The officer declines: closed, and the distributor's manager is told.
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), responses((status = 200, description = "Declined", body = CooperationDto), (status = 404, description = "No such request of yours", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/decline")]
pub async fn decline_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    officer_step(state, user, id.into_inner(), CoopStatus::AwaitingOfficer, CoopStatus::Declined).await
}

/// The officer ends an active cooperation: removed from the branch at once, the manager told by
/// SMS; no approval needed (DI-04).
#[utoipa::path(tag = "distributors", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), responses((status = 200, description = "Ended", body = CooperationDto), (status = 404, description = "No such cooperation of yours", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/terminate")]
pub async fn terminate_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    officer_step(state, user, id.into_inner(), CoopStatus::Active, CoopStatus::Terminated).await
}

#[derive(Deserialize, IntoParams)]
pub struct CoopQueueQuery {
    /// `pending` (awaiting the university, default) or `decided`.
    pub filter: Option<String>,
}

/// The university's queue of cooperation requests for its province (the directorate: all).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(CoopQueueQuery), responses((status = 200, description = "Cooperation requests", body = CooperationList), (status = 400, description = "Unknown filter", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer", body = anjoman_core::error::ErrorBody)))]
#[get("/cooperation-reviews")]
pub async fn cooperation_queue(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<CoopQueueQuery>,
) -> Result<web::Json<CooperationList>, ApiError> {
    let statuses: Vec<&str> = match q.filter.as_deref().unwrap_or("pending") {
        "pending" => vec!["awaiting_university"],
        "decided" => vec!["active", "rejected", "terminated", "ended"],
        _ => return Err(ApiError::field("filter", "فیلتر نامعتبر است.", "Unknown filter.")),
    };
    let all = user.has_role(Role::DirectorateAdmin);
    let mine: Vec<String> =
        user.grants.iter().filter(|g| g.role == Role::UniversityReviewer).filter_map(|g| g.scope_id.clone()).collect();
    if !all && mine.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let items = state
        .db(move |conn| {
            let mut query = co::table.filter(co::status.eq_any(&statuses)).into_boxed();
            if !all {
                query = query.filter(co::province_id.eq_any(mine));
            }
            let rows: Vec<Coop> = query.order(co::updated_at.asc()).limit(500).select(Coop::as_select()).load(conn)?;
            let mut out = Vec::new();
            for c in rows {
                out.push(coop_dto(conn, c)?);
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(CooperationList { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct CoopDecision {
    /// Required when rejecting.
    pub reason: Option<String>,
}

async fn university_step(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    approve: bool,
    reason: Option<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    let reason = reason.map(|r| anjoman_core::text::normalize_persian(r.trim())).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(ApiError::field("reason", "دلیل رد را بنویسید.", "Give the reason."));
    }
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let c = coop(conn, &id)?;
                user.require_scoped(Role::UniversityReviewer, ScopeKind::Province, &c.province_id)?;
                let to = if approve { CoopStatus::Active } else { CoopStatus::Rejected };
                move_coop(conn, &c, CoopStatus::AwaitingUniversity, to, &user.person_id, reason.as_deref())?;
                diesel::update(co::table.find(&c.id)).set(co::reviewer_id.eq(&user.person_id)).execute(conn)?;
                let manager: String = di::table.find(&c.distributor_id).select(di::manager_id).first(conn)?;
                if approve {
                    diesel::update(br::table.find(&c.branch_id)).set(br::officer_id.eq(&c.officer_id)).execute(conn)?;
                    sms(conn, &manager, "همکاری مسئول فنی با شعبهٔ شما تأیید شد.\nThe cooperation with your branch's technical officer was approved.")?;
                } else {
                    sms(conn, &manager, "دانشگاه درخواست همکاری مسئول فنی با شعبهٔ شما را رد کرد.\nThe university rejected the cooperation request.")?;
                }
                sms(conn, &c.officer_id, if approve { "همکاری شما با شعبهٔ توزیع‌کننده تأیید شد.\nYour cooperation was approved." } else { "درخواست همکاری شما رد شد.\nYour cooperation request was rejected." })?;
                let c = coop(conn, &id)?;
                coop_dto(conn, c)
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// The university approves: the officer becomes the branch's technical officer (DI-03).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), responses((status = 200, description = "Approved", body = CooperationDto), (status = 403, description = "Not a reviewer of its province", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/approve")]
pub async fn approve_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    university_step(state, user, id.into_inner(), true, None).await
}

/// The university rejects, with a reason.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(("id" = String, Path, description = "The cooperation")), request_body = CoopDecision, responses((status = 200, description = "Rejected", body = CooperationDto), (status = 400, description = "No reason", body = anjoman_core::error::ErrorBody), (status = 403, description = "Not a reviewer of its province", body = anjoman_core::error::ErrorBody), (status = 409, description = "`illegal_transition`", body = anjoman_core::error::ErrorBody)))]
#[post("/cooperations/{id}/reject")]
pub async fn reject_cooperation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CoopDecision>,
) -> Result<web::Json<CooperationDto>, ApiError> {
    university_step(state, user, id.into_inner(), false, body.into_inner().reason).await
}
