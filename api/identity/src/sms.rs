//! Inbound SMS (PL-01): the gateway relays texts sent to the system's number to a webhook
//! signed with a shared secret. Each message is handled once (its id is unique); the commands
//! are the recovery code of ID-05 option 2 and the e-mail change of ID-10, and other domains
//! add theirs through hooks. Only the person's registered mobile counts.

use actix_web::{HttpRequest, HttpResponse, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::db::schema::inbound_sms;
use anjoman_core::db::{DbConn, now, write_tx};
use anjoman_core::http::{AppState, InboundSms};
use anjoman_core::text::{NationalCode, normalize_digits, parse_email, parse_mobile};
use anjoman_core::{ApiError, Msg};
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

use crate::errors::IdentityError;
use crate::{recovery, store};

/// The header carrying `sha256=<hex HMAC-SHA256 of the raw body>`.
pub const SIGNATURE_HEADER: &str = "x-anjoman-signature";

#[derive(Deserialize, ToSchema)]
pub struct InboundSmsRequest {
    /// The gateway's id of the message; a repeated id is ignored.
    pub message_id: String,
    /// The sender's mobile, in any common form.
    pub from: String,
    /// The number it was sent to.
    pub to: String,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct InboundSmsOutcome {
    /// What was done: e.g. `password_reset`, `email_changed`, `duplicate`, `unrecognised`.
    pub outcome: String,
}

fn signature_ok(secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else { return false };
    let Ok(sig) = hex::decode(hex_sig) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return false };
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// `EMAIL <national code> <new e-mail>` from the registered mobile changes the e-mail (ID-10),
/// also while profile edits are locked.
fn handle_email_change(conn: &mut DbConn, sms: &InboundSms) -> Result<Option<String>, ApiError> {
    let words: Vec<&str> = sms.text.split_whitespace().collect();
    let [command, code, email] = words.as_slice() else { return Ok(None) };
    if !command.eq_ignore_ascii_case("EMAIL") && *command != "ایمیل" {
        return Ok(None);
    }
    let (Ok(code), Some(email)) = (NationalCode::parse(code), parse_email(email)) else {
        return Ok(Some("email_change_malformed".into()));
    };
    let Some(person) = store::person_by_code(conn, code.as_str())? else {
        return Ok(Some("email_change_from_unregistered_mobile".into()));
    };
    if person.mobile.as_deref() != Some(sms.from.as_str()) {
        return Ok(Some("email_change_from_unregistered_mobile".into()));
    }
    let changes = crate::rules::ProfileChanges { email: Some(Some(email.clone())), ..Default::default() };
    store::update_person(conn, &person.id, &changes)?;
    let before = serde_json::json!({"email": person.email});
    let after = serde_json::json!({"email": email});
    audit::record(
        conn,
        Event::new("person.email_changed_by_sms", "person", Some(&person.id))
            .by(&person.id)
            .states(Some(before), Some(after)),
    )?;
    Ok(Some("email_changed".into()))
}

fn unauthorized() -> ApiError {
    ApiError::Unauthorized(Msg::new("امضای درخواست نامعتبر است.", "The request signature is invalid."))
}

/// Who handles an inbound SMS: a recovery code, an e-mail change confirmation, or the first
/// domain hook that recognises it (e.g. an election's vote code); `unrecognised` otherwise.
fn dispatch(state: &AppState, conn: &mut DbConn, sms: &InboundSms) -> Result<String, ApiError> {
    if let Some(o) = recovery::handle_recovery_sms(state, conn, sms)? {
        return Ok(o);
    }
    if let Some(o) = handle_email_change(conn, sms)? {
        return Ok(o);
    }
    for hook in &state.hooks.inbound_sms {
        if let Some(o) = hook(conn, sms)? {
            return Ok(o);
        }
    }
    Ok("unrecognised".to_owned())
}

/// Receives an SMS sent to the system's number (for the SMS gateway only; HMAC-signed).
#[utoipa::path(
    tag = "sms",
    request_body(content = InboundSmsRequest, description = "Signed: `X-Anjoman-Signature: sha256=<hex HMAC-SHA256 of the body>`"),
    responses(
        (status = 200, description = "Handled (or recognised as a repeat)", body = InboundSmsOutcome),
        (status = 400, description = "Malformed body", body = anjoman_core::error::ErrorBody),
        (status = 401, description = "Missing or wrong signature: nothing was done", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/sms/inbound")]
async fn receive(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    let header = req.headers().get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if !signature_ok(&state.config.inbound_sms_secret, &body, header) {
        return Err(unauthorized());
    }
    let parsed: InboundSmsRequest =
        serde_json::from_slice(&body).map_err(|e| IdentityError::InvalidSmsBody(e.to_string()))?;
    if parsed.message_id.is_empty() || parsed.message_id.len() > 200 || parsed.text.len() > 2000 {
        return Err(ApiError::field("message_id", "شناسهٔ پیام نامعتبر است.", "The message id is invalid."));
    }
    let st = state.clone();
    let outcome = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if seen(conn, &parsed.message_id)? {
                    return Ok("duplicate".to_owned());
                }
                let sms = InboundSms {
                    message_id: parsed.message_id.clone(),
                    from: parse_mobile(&parsed.from).unwrap_or_else(|| parsed.from.clone()),
                    text: normalize_digits(parsed.text.trim()),
                };
                let outcome = dispatch(&st, conn, &sms)?;
                keep(conn, &sms, &parsed.to, &parsed.text, &outcome)?;
                Ok::<_, ApiError>(outcome)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(InboundSmsOutcome { outcome }))
}

/// Whether the gateway delivered this message before.
fn seen(conn: &mut DbConn, message_id: &str) -> QueryResult<bool> {
    Ok(inbound_sms::table.find(message_id).count().get_result::<i64>(conn)? > 0)
}

/// Keeps a received message with what it did; the same message delivered twice at once is
/// refused (`duplicate`): the other copy handled it.
fn keep(conn: &mut DbConn, sms: &InboundSms, to: &str, text: &str, outcome: &str) -> Result<(), ApiError> {
    diesel::insert_into(inbound_sms::table)
        .values((
            inbound_sms::message_id.eq(&sms.message_id),
            inbound_sms::sender.eq(&sms.from),
            inbound_sms::receiver.eq(to),
            inbound_sms::text.eq(text),
            inbound_sms::outcome.eq(outcome),
            inbound_sms::received_at.eq(now()),
        ))
        .execute(conn)
        .map_err(|e| match ApiError::from(e) {
            ApiError::Conflict { .. } => IdentityError::DuplicateSms.into(),
            other => other,
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_signature() {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
        mac.update(b"{}");
        let good = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert!(signature_ok(b"secret", b"{}", Some(&good)));
        assert!(!signature_ok(b"other", b"{}", Some(&good)));
        assert!(!signature_ok(b"secret", b"{ }", Some(&good)));
        assert!(!signature_ok(b"secret", b"{}", None));
        assert!(!signature_ok(b"secret", b"{}", Some("sha256=zz")));
    }
}
