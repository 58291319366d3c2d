//! Contacts (EN-05): phones, mobiles and e-mail addresses, each active or kept inactive.

use actix_web::{delete, post, put, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::{new_id, now};
use anjoman_core::http::AppState;
use anjoman_core::text::{parse_email, parse_mobile};
use anjoman_core::{ApiError, FieldErrors, Msg};
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{ContactForm, NewContact};
use super::{change_record, one_of, store};
use crate::rules::ContactKind;
use crate::store::EngineerRecord;

#[derive(Deserialize, ToSchema)]
pub struct ContactInput {
    /// `landline`, `mobile`, `email` or `work_landline`
    pub kind: String,
    pub value: String,
    /// Unticked: kept but inactive.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

fn contact_values(c: &ContactInput) -> Result<ContactForm, ApiError> {
    let mut e = FieldErrors::new();
    let kind = one_of(&mut e, "kind", &c.kind, ContactKind::parse, ContactKind::codes());
    let value = match kind {
        Some(ContactKind::Mobile) => parse_mobile(&c.value).unwrap_or_else(|| {
            e.add("value", Msg::new("شمارهٔ همراه درست نیست (۰۹…).", "Not a mobile number (09…)."));
            String::new()
        }),
        Some(ContactKind::Email) => parse_email(&c.value).unwrap_or_else(|| {
            e.add("value", Msg::new("نشانی رایانامه درست نیست.", "Not an e-mail address."));
            String::new()
        }),
        _ => {
            let digits = anjoman_core::text::normalize_digits(c.value.trim()).replace(['-', ' '], "");
            if digits.len() < 8 || digits.len() > 15 || !digits.chars().all(|c| c.is_ascii_digit()) {
                e.add(
                    "value",
                    Msg::new("شمارهٔ تلفن را با پیش‌شماره وارد کنید.", "Enter the phone number with its area code."),
                );
            }
            digits
        }
    };
    e.into_result()?;
    Ok(ContactForm { kind: kind.map(ContactKind::as_str).unwrap_or_default(), value, active: c.active })
}

/// Adds a contact (EN-05).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = ContactInput,
    responses(
        (status = 200, description = "Added; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineers/me/contacts")]
pub async fn add_contact(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<ContactInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let c = body.into_inner();
    change_record(&state, user, "engineer.contact_added", move |conn, me| {
        let form = contact_values(&c)?;
        let row = NewContact { id: new_id(), engineer_id: me.to_owned(), form, created_at: now() };
        Ok(store::insert_contact(conn, &row)?)
    })
    .await
}

/// Edits a contact, or ticks it active or inactive.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The contact")),
    request_body = ContactInput,
    responses(
        (status = 200, description = "Saved; the whole record", body = EngineerRecord),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 404, description = "No such contact of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineers/me/contacts/{id}")]
pub async fn edit_contact(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<ContactInput>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let (id, c) = (path.into_inner(), body.into_inner());
    change_record(&state, user, "engineer.contact_edited", move |conn, me| {
        store::update_contact(conn, me, &id, &contact_values(&c)?)
    })
    .await
}

/// Removes a contact.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The contact")),
    responses(
        (status = 200, description = "Removed; the whole record", body = EngineerRecord),
        (status = 404, description = "No such contact of the caller", body = anjoman_core::error::ErrorBody),
    )
)]
#[delete("/engineers/me/contacts/{id}")]
pub async fn remove_contact(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<web::Json<EngineerRecord>, ApiError> {
    let id = path.into_inner();
    change_record(&state, user, "engineer.contact_removed", move |conn, me| store::delete_contact(conn, me, &id)).await
}
