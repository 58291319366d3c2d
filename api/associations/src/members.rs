//! An association's members as its admins see them: the searchable, paged list and the CSV
//! export.

use actix_web::{HttpResponse, get, web};
use anjoman_core::ApiError;
use anjoman_core::auth::AuthUser;
use anjoman_core::http::AppState;
use anjoman_core::paging::page_bounds;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::require_manager;
use crate::memberships::{MembershipDto, membership_dto};
use crate::rules::MembershipStatus;
use crate::store;

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
pub async fn list_members(
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
pub async fn export_members(
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
