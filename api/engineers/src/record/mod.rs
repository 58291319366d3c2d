//! The engineer's own record, tab by tab, each saved on its own (EN-03..08): the main
//! information, degrees, contacts, addresses, the document archive and relatives. Every change
//! runs through [`change_record`]: in one transaction, audited, answering the whole record.

pub mod addresses;
pub mod contacts;
pub mod degrees;
pub mod documents;
pub mod main_info;
pub mod model;
pub mod relatives;
pub mod store;

use actix_web::web;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::{DbConn, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::platform::files::{self, Purpose};
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::NaiveDate;

use crate::shared::clean;
use crate::store::EngineerRecord;

/// The caller's engineer record id: they must hold the engineer role and a record.
fn engineer_of(conn: &mut DbConn, user: &AuthUser) -> Result<String, ApiError> {
    if !user.may(&[Role::Engineer.any()]) {
        return Err(ApiError::Forbidden);
    }
    crate::store::engineer(conn, &user.person_id)?.map(|e| e.person_id).ok_or(ApiError::NotFound)
}

/// Runs `change` on the caller's record in one transaction, audits it, and answers the whole
/// record as it now stands.
async fn change_record<F>(
    state: &AppState,
    user: AuthUser,
    action: &'static str,
    change: F,
) -> Result<web::Json<EngineerRecord>, ApiError>
where
    F: FnOnce(&mut DbConn, &str) -> Result<(), ApiError> + Send + 'static,
{
    let record = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let me = engineer_of(conn, &user)?;
                change(conn, &me)?;
                store::touch(conn, &me)?;
                audit::record(conn, Event::new(action, "engineer", Some(&me)).by(&user.person_id))?;
                crate::store::record(conn, &me)
            })
        })
        .await?;
    Ok(web::Json(record))
}

fn required(e: &mut FieldErrors, field: &str, v: &str) -> String {
    let v = clean(v);
    if v.is_empty() {
        e.add(field, Msg::new("این بخش را پر کنید.", "Fill this in."));
    } else if v.chars().count() > 200 {
        e.add(field, Msg::new("بیش از ۲۰۰ نویسه است.", "Longer than 200 characters."));
    }
    v
}

fn optional(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<String> {
    v.map(|v| required(e, field, v)).filter(|v| !v.is_empty())
}

fn one_of<T: Copy>(
    e: &mut FieldErrors,
    field: &str,
    v: &str,
    parse: fn(&str) -> Option<T>,
    codes: String,
) -> Option<T> {
    let found = parse(v);
    if found.is_none() {
        e.add(
            field,
            Msg::new(format!("مقدار پذیرفته نیست؛ یکی از: {codes}"), format!("Not accepted; one of: {codes}")),
        );
    }
    found
}

fn not_future(e: &mut FieldErrors, field: &str, d: NaiveDate) {
    if d > now().date() {
        e.add(field, Msg::new("تاریخ نمی‌تواند در آینده باشد.", "The date cannot be in the future."));
    }
}

fn check_file(conn: &mut DbConn, id: &str, owner: &str, field: &str, e: &mut FieldErrors) {
    match files::check(conn, id, Purpose::EngineerDocument, owner, field) {
        Ok(()) => {}
        Err(ApiError::Validation(f)) => e.merge(f),
        Err(_) => e.add(field, Msg::new("پرونده بررسی نشد.", "The file could not be checked.")),
    }
}

fn province_exists(conn: &mut DbConn, e: &mut FieldErrors, field: &str, id: &str) -> Result<(), ApiError> {
    if !anjoman_core::db::province_exists(conn, id)? {
        e.add(field, Msg::new("استان شناخته نیست.", "Unknown province."));
    }
    Ok(())
}
