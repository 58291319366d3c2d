//! Addresses (EN-05): residence, work and legal domicile; exactly one is the correspondence
//! address, where letters go, and it is a legal domicile (guide 004: all of the organisation's
//! letters to its members go to their legal domicile).

use actix_web::{delete, post, put, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::{DbConn, new_id, now};
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, FieldErrors, Msg};
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{AddressForm, NewAddress};
use super::{change_record, one_of, province_exists, required, store};
use crate::errors::EngineersError;
use crate::rules::AddressKind;
use crate::shared::clean;
use crate::store::EngineerRecord;

#[derive(Deserialize, ToSchema)]
pub struct AddressInput {
    /// `residence`, `work` or `legal_domicile`
    pub kind: String,
    pub province_id: String,
    pub city: String,
    pub address: String,
    /// Ten digits.
    pub postal_code: Option<String>,
    /// Make this the correspondence address (the others lose it); only a `legal_domicile` can
    /// be. The first legal domicile always is.
    #[serde(default)]
    pub correspondence: bool,
}

/// Letters go to the legal domicile (guide 004): no other kind of address takes the mark.
fn domicile_for_letters(kind: &str, correspondence: bool) -> Result<bool, ApiError> {
    let domicile = kind == AddressKind::LegalDomicile.as_str();
    if correspondence && !domicile {
        return Err(EngineersError::CorrespondenceNotDomicile.into());
    }
    Ok(domicile)
}

fn address_values(conn: &mut DbConn, a: &AddressInput) -> Result<AddressForm, ApiError> {
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
    Ok(AddressForm {
        kind: kind.map(AddressKind::as_str).unwrap_or_default(),
        province_id: a.province_id.clone(),
        city,
        address,
        postal_code: postal,
    })
}

/// Adds an address (EN-05). The first legal domicile becomes the correspondence address; only a
/// legal domicile can be it (`409 correspondence_not_domicile`).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = AddressInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`correspondence_not_domicile`: only a legal domicile receives letters", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/addresses")]
pub async fn add_address(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<AddressInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let a = body.into_inner();
    change_record(&state, user, "engineer.address_added", move |conn, me| {
        let form = address_values(conn, &a)?;
        let domicile = domicile_for_letters(form.kind, a.correspondence)?;
        let first = domicile && !store::has_correspondence(conn, me)?;
        let id = new_id();
        let at = now();
        let row = NewAddress {
            id: id.clone(),
            engineer_id: me.to_owned(),
            form,
            correspondence: false,
            created_at: at,
            updated_at: at,
        };
        store::insert_address(conn, &row)?;
        if first || a.correspondence {
            store::set_correspondence(conn, me, &id)?;
        }
        Ok(())
    })
    .await
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
        (status = 409, description = "`correspondence_not_domicile`: the correspondence address stays a legal domicile", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/addresses/{id}")]
pub async fn edit_address(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<AddressInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, a) = (path.into_inner(), body.into_inner());
    change_record(&state, user, "engineer.address_edited", move |conn, me| {
        let is_correspondence = store::address_is_correspondence(conn, me, &id)?;
        let form = address_values(conn, &a)?;
        domicile_for_letters(form.kind, a.correspondence || is_correspondence)?;
        store::update_address(conn, me, &id, &form)?;
        if a.correspondence {
            store::set_correspondence(conn, me, &id)?;
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
pub async fn remove_address(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.address_removed", move |conn, me| {
        let is_correspondence = store::address_is_correspondence(conn, me, &id)?;
        let count = store::address_count(conn, me)?;
        if is_correspondence && count > 1 {
            return Err(EngineersError::CorrespondenceAddress.into());
        }
        store::delete_address(conn, me, &id)
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
        (status = 409, description = "`correspondence_not_domicile`: only a legal domicile receives letters", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/addresses/{id}/correspondence")]
pub async fn make_correspondence(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.correspondence_address_set", move |conn, me| {
        domicile_for_letters(&store::address_kind(conn, me, &id)?, true)?;
        Ok(store::set_correspondence(conn, me, &id)?)
    })
    .await
}
