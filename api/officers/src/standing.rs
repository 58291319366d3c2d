//! The directorate's register of qualified technical officers and its hold on their
//! qualifications: suspend (reinstatable), reinstate, revoke — each with a reason, kept in the
//! officer's standing history, audited, announced to webhook subscribers, and told to the
//! officer. A suspension or revocation ends at once every cooperation that binds the officer
//! (their branches lose them, and each distributor's manager is texted); the officer can no
//! longer be named for a branch until reinstated or qualified again.

use actix_web::{get, post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser, Role};
use anjoman_core::db::schema::{officer_standing_events as se, officers as o, persons as p};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::paging::page_bounds;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::errors::OfficersError;
use crate::rules::{Standing, StandingAction, next_standing};
use anjoman_core::paging::Page;

// ---- store ----------------------------------------------------------------------------------

type RowTuple = (String, String, String, String, String, String, String, Option<NaiveDateTime>, String);

/// The qualified officers (ever qualified) matching the filters, newest qualification first.
fn register(
    conn: &mut DbConn,
    provinces: Option<&[String]>,
    standing: Option<Standing>,
    term: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(i64, Vec<RowTuple>)> {
    let found = anjoman_identity::store::person_match(term.unwrap_or(""));
    let filtered = || {
        let mut q = o::table.inner_join(p::table).filter(o::qualified_at.is_not_null()).into_boxed();
        if let Some(ps) = provinces {
            q = q.filter(o::province_id.eq_any(ps.to_vec()));
        }
        if let Some(s) = standing {
            q = q.filter(o::standing.eq(s.as_str()));
        }
        match &found {
            Some(anjoman_identity::store::PersonMatch::CodePrefix(x)) => q.filter(p::national_code.like(x.clone())),
            Some(anjoman_identity::store::PersonMatch::Name(x)) => q.filter(p::search_name.like(x.clone())),
            None => q,
        }
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((o::qualified_at.desc(), o::person_id.asc()))
        .offset(offset)
        .limit(limit)
        .select((
            o::person_id,
            p::national_code,
            p::first_name,
            p::last_name,
            o::province_id,
            o::field,
            o::degree_level,
            o::qualified_at,
            o::standing,
        ))
        .load(conn)?;
    Ok((total, rows))
}

fn row(conn: &mut DbConn, officer: &str) -> Result<RowTuple, ApiError> {
    o::table
        .inner_join(p::table)
        .filter(o::person_id.eq(officer))
        .filter(o::qualified_at.is_not_null())
        .select((
            o::person_id,
            p::national_code,
            p::first_name,
            p::last_name,
            o::province_id,
            o::field,
            o::degree_level,
            o::qualified_at,
            o::standing,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Sets the standing if it is still `from`, with its history entry; false when it changed.
fn set_standing(
    conn: &mut DbConn,
    officer: &str,
    from: Standing,
    to: Standing,
    reason: &str,
    actor: &str,
) -> QueryResult<bool> {
    let n = diesel::update(o::table.find(officer).filter(o::standing.eq(from.as_str())))
        .set((o::standing.eq(to.as_str()), o::updated_at.eq(now())))
        .execute(conn)?;
    if n == 1 {
        diesel::insert_into(se::table)
            .values((
                se::id.eq(new_id()),
                se::officer_id.eq(officer),
                se::standing.eq(to.as_str()),
                se::reason.eq(reason),
                se::actor_id.eq(actor),
                se::at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(n == 1)
}

/// standing, reason, actor's first and last name, time.
type StandingTuple = (String, String, Option<String>, Option<String>, NaiveDateTime);

/// An officer's standing history, oldest first.
pub fn history(conn: &mut DbConn, officer: &str) -> QueryResult<Vec<StandingEntry>> {
    let rows: Vec<StandingTuple> = se::table
        .left_join(p::table.on(se::actor_id.eq(p::id.nullable())))
        .filter(se::officer_id.eq(officer))
        .order((se::at.asc(), se::id.asc()))
        .select((se::standing, se::reason, p::first_name.nullable(), p::last_name.nullable(), se::at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(s, reason, f, l, at)| StandingEntry {
            standing: Standing::parse(&s).unwrap_or(Standing::Active),
            reason,
            by: f.zip(l).map(|(f, l)| format!("{f} {l}")),
            at: at.and_utc(),
        })
        .collect())
}

// ---- http -----------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct StandingEntry {
    /// The standing the qualification took.
    pub standing: Standing,
    pub reason: String,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct QualifiedOfficer {
    pub person_id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub province_id: String,
    pub field: String,
    pub degree_level: String,
    pub qualified_at: Option<DateTime<Utc>>,
    pub standing: Standing,
}

fn dto(r: RowTuple) -> QualifiedOfficer {
    QualifiedOfficer {
        person_id: r.0,
        national_code: r.1,
        first_name: r.2,
        last_name: r.3,
        province_id: r.4,
        field: r.5,
        degree_level: r.6,
        qualified_at: r.7.map(|t| t.and_utc()),
        standing: Standing::parse(&r.8).unwrap_or(Standing::Active),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct RegisterQuery {
    /// Part of the name, or the start of the national code.
    pub q: Option<String>,
    /// `active`, `suspended` or `revoked`.
    pub standing: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The provinces whose officers `user` may see: every one for the directorate (`None`), their
/// own for a university's reviewers; nobody else.
fn visible_provinces(user: &CurrentUser) -> Result<Option<Vec<String>>, ApiError> {
    user.reach(Role::UniversityReviewer, Role::DirectorateAdmin)
}

/// The register of qualified technical officers, searched and filtered by standing (the
/// directorate: every province; a university's reviewers: their province).
#[utoipa::path(
    tag = "officers",
    security(("bearer" = [])),
    params(RegisterQuery),
    responses(
        (status = 200, description = "One page", body = Page<QualifiedOfficer>),
        (status = 400, description = "Unknown standing or page bounds", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Neither the directorate nor a reviewer", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/qualified-officers")]
pub async fn list_qualified(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<RegisterQuery>,
) -> Result<web::Json<Page<QualifiedOfficer>>, ApiError> {
    let provinces = visible_provinces(&user)?;
    let q = q.into_inner();
    let (page, per_page, offset) = page_bounds(q.page, q.per_page)?;
    let standing = match q.standing.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(Standing::parse(s).ok_or_else(|| {
            ApiError::field("standing", "وضعیت نامعتبر است.", "Unknown standing: active, suspended or revoked.")
        })?),
        None => None,
    };
    let (total, rows) = state
        .db(move |conn| Ok(register(conn, provinces.as_deref(), standing, q.q.as_deref(), offset, per_page)?))
        .await?;
    Ok(web::Json(Page { total, page, per_page, items: rows.into_iter().map(dto).collect() }))
}

#[derive(Serialize, ToSchema)]
pub struct StandingHistory {
    pub officer: QualifiedOfficer,
    pub items: Vec<StandingEntry>,
}

/// A qualified officer's standing and its history (the directorate, the province's reviewers,
/// the officer).
#[utoipa::path(
    tag = "officers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The officer (person id)")),
    responses(
        (status = 200, description = "The standing and its history", body = StandingHistory),
        (status = 403, description = "Not allowed to see this officer", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No qualified officer of that id", body = anjoman_core::error::ErrorBody),
    )
)]
#[get("/qualified-officers/{id}")]
pub async fn show_standing(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<StandingHistory>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let r = row(conn, &id)?;
            if r.0 != user.person_id && visible_provinces(&user)?.is_some_and(|ps| !ps.contains(&r.4)) {
                return Err(ApiError::Forbidden);
            }
            Ok(StandingHistory { items: history(conn, &id)?, officer: dto(r) })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct StandingChange {
    pub action: StandingAction,
    /// Why (the officer and, on a suspension or revocation, each distributor's manager are
    /// told). 3 to 500 characters.
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct StandingChanged {
    pub officer: QualifiedOfficer,
    /// How many cooperations ended with it.
    pub cooperations_ended: usize,
}

/// What a change of standing brings: a suspension or revocation ends the officer's binding
/// cooperations and is announced to the directorate's webhooks; every change is audited and told
/// to the officer. How many cooperations ended.
fn consequences(
    conn: &mut DbConn,
    id: &str,
    national_code: &str,
    from: Standing,
    to: Standing,
    reason: &str,
    actor: &str,
) -> Result<usize, ApiError> {
    let ended = if to == Standing::Active {
        0
    } else {
        crate::distributors::cooperations::end_for_officer(conn, id, actor, reason)?
    };
    let (event, fa, en) = match to {
        Standing::Suspended => ("qualification.suspended", "تعلیق شد", "was suspended"),
        Standing::Revoked => ("qualification.revoked", "لغو شد", "was revoked"),
        Standing::Active => ("qualification.reinstated", "دوباره فعال شد", "was reinstated"),
    };
    if to != Standing::Active {
        anjoman_core::platform::webhooks::emit(
            conn,
            &anjoman_core::platform::webhooks::Owner::directorate(),
            event,
            serde_json::json!({"national_code": national_code, "standing": to.as_str(), "reason": reason}),
        )?;
    }
    audit::record(
        conn,
        Event::new(event, "officer", Some(id)).by(actor).states(
            Some(serde_json::json!({"standing": from.as_str()})),
            Some(serde_json::json!({"standing": to.as_str(), "reason": reason, "cooperations_ended": ended})),
        ),
    )?;
    anjoman_identity::store::notify_person(
        conn,
        id,
        "officer_standing",
        "صلاحیت مسئول فنی / Technical officer qualification",
        &format!(
            "صلاحیت شما به‌عنوان مسئول فنی {fa}. دلیل: {reason}\nYour qualification as a technical officer {en}. Reason: {reason}"
        ),
    )?;
    Ok(ended)
}

/// Suspends, reinstates or revokes a qualification (the directorate only). A suspension or a
/// revocation ends the officer's cooperations at once and texts each manager; webhooks
/// `qualification.suspended` and `qualification.revoked`.
#[utoipa::path(
    tag = "officers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The officer (person id)")),
    request_body = StandingChange,
    responses(
        (status = 200, description = "Changed", body = StandingChanged),
        (status = 400, description = "A reason is required", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not the directorate", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No qualified officer of that id", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`illegal_transition` (e.g. reinstating a revoked qualification)", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/qualified-officers/{id}/standing")]
pub async fn change_standing(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<StandingChange>,
) -> Result<web::Json<StandingChanged>, ApiError> {
    user.require(&[Role::DirectorateAdmin.any()])?;
    let reason = anjoman_core::text::normalize_persian(&body.reason);
    if !(3..=500).contains(&reason.chars().count()) {
        return Err(ApiError::field(
            "reason",
            "دلیل را بنویسید (۳ تا ۵۰۰ نویسه).",
            "Give the reason (3 to 500 characters).",
        ));
    }
    let (id, action) = (id.into_inner(), body.action);
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let r = row(conn, &id)?;
                let from = Standing::parse(&r.8).ok_or(ApiError::Internal)?;
                let to = next_standing(from, action)?;
                if !set_standing(conn, &id, from, to, &reason, &user.person_id)? {
                    return Err(OfficersError::StandingChanged.into());
                }
                let ended = consequences(conn, &id, &r.1, from, to, &reason, &user.person_id)?;
                Ok::<_, ApiError>(StandingChanged { officer: dto(row(conn, &id)?), cooperations_ended: ended })
            })
        })
        .await?;
    Ok(web::Json(out))
}
