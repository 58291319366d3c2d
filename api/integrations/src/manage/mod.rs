//! Administrators manage their integrations: API keys (made, rotated, revoked; the secret shown
//! once) and webhook subscriptions (made, changed, their delivery log, redelivery). An admin
//! manages the keys and subscriptions of the owners they administer: commission admins the
//! commission's, directorate admins the directorate's, a province's engineering admins that
//! province's.

pub mod api_keys;
pub mod subscriptions;

use actix_web::{get, web};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::provinces as pr;
use anjoman_core::http::AppState;
use anjoman_core::platform::webhooks::{self, Owner, OwnerKind};
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::keys::Scope;

pub(crate) fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// The owners the caller administers.
pub fn owners_of(user: &AuthUser) -> Vec<Owner> {
    let mut out = Vec::new();
    if user.may(&[Role::CommissionAdmin.any()]) {
        out.push(Owner::commission());
    }
    if user.may(&[Role::DirectorateAdmin.any()]) {
        out.push(Owner::directorate());
    }
    out.extend(user.scopes(Role::EngineeringAdmin).iter().map(|p| Owner::engineering(p)));
    out
}

pub(crate) fn may_manage(user: &AuthUser, owner: &Owner) -> Result<(), ApiError> {
    if owners_of(user).contains(owner) { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// The owner named in a request: engineering owners need their province, the others have none.
pub(crate) fn requested_owner(kind: OwnerKind, province_id: Option<&str>, errors: &mut FieldErrors) -> Option<Owner> {
    match (kind, province_id.map(str::trim).filter(|p| !p.is_empty())) {
        (OwnerKind::Engineering, Some(p)) => Some(Owner::engineering(p)),
        (OwnerKind::Engineering, None) => {
            errors.add("province_id", Msg::new("استان را انتخاب کنید.", "Choose the province."));
            None
        }
        (OwnerKind::Commission, _) => Some(Owner::commission()),
        (OwnerKind::Directorate, _) => Some(Owner::directorate()),
    }
}

/// What an owner's keys may read and its subscriptions may hear of.
#[derive(Serialize, ToSchema)]
pub struct OwnerCatalogue {
    pub owner: OwnerKind,
    pub province_id: Option<String>,
    /// The province's name in Persian and in English, for engineering owners.
    pub province_name: Option<String>,
    pub province_name_en: Option<String>,
    pub scopes: Vec<Scope>,
    pub events: Vec<String>,
}

/// The owners the caller administers, with the scopes and events each may use.
#[utoipa::path(
    tag = "integrations",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's owners (empty when they administer none)", body = Vec<OwnerCatalogue>))
)]
#[get("/integrations/catalogue")]
pub async fn catalogue(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<OwnerCatalogue>>, ApiError> {
    let owners = owners_of(&user);
    let out = state
        .db(move |conn| {
            let mut out = Vec::new();
            for o in owners {
                let names = match &o.province_id {
                    Some(p) => province_names(conn, p)?,
                    None => None,
                };
                let (province_name, province_name_en) = names.unzip();
                out.push(OwnerCatalogue {
                    owner: o.kind,
                    province_id: o.province_id.clone(),
                    province_name,
                    province_name_en,
                    scopes: Scope::ALL.into_iter().filter(|s| s.owner_kind() == o.kind).collect(),
                    events: webhooks::events_of(o.kind).into_iter().map(str::to_owned).collect(),
                });
            }
            Ok(out)
        })
        .await?;
    Ok(web::Json(out))
}

/// Refuses an owner of a province that does not exist.
pub(crate) fn province_exists(conn: &mut DbConn, owner: &Owner, errors: &mut FieldErrors) -> QueryResult<()> {
    if let Some(p) = &owner.province_id
        && !anjoman_core::db::province_exists(conn, p)?
    {
        errors.add("province_id", Msg::new("این استان شناخته نیست.", "Unknown province."));
    }
    Ok(())
}

/// A province's names in Persian and English.
fn province_names(conn: &mut DbConn, id: &str) -> QueryResult<Option<(String, String)>> {
    pr::table.find(id).select((pr::name_fa, pr::name_en)).first(conn).optional()
}
