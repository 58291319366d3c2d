//! The confirmation code (EL-07): by SMS, by e-mail, or sent by the voter from their registered
//! mobile; a code not delivered in time goes by e-mail once.

use actix_web::{HttpResponse, post, web};
use anjoman_core::ApiError;
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::{elections as el, vote_codes as vc};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::{AppState, InboundSms};
use anjoman_core::platform::outbox::{Channel, NewMessage, enqueue};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{CODE_MINUTES, MAX_ATTEMPTS, has_voted, hash, on_roll, open_now};
use crate::errors::ElectionsError;

#[derive(Deserialize, ToSchema)]
pub struct CodeRequest {
    /// `email`, `sms`, or `inbound` (the code is shown here; text it from the registered mobile).
    pub channel: String,
}

#[derive(Serialize, ToSchema)]
pub struct CodeIssued {
    pub channel: String,
    /// Where it went, mostly hidden (e-mail and SMS).
    pub sent_to: Option<String>,
    /// Inbound channel only: the code to text, and the number to text it to.
    pub code: Option<String>,
    pub send_to_number: Option<String>,
    pub expires_at: DateTime<Utc>,
}

pub(crate) fn mask_mobile(m: &str) -> String {
    if m.len() < 7 {
        return "***".into();
    }
    format!("{}****{}", &m[..4], &m[m.len() - 3..])
}

/// Issues a code for the person; returns (code, vote_codes id). Earlier codes stop working;
/// wrong tries carry over so asking again buys no guesses.
pub(crate) fn issue(conn: &mut DbConn, election: &str, person: &str, channel: &str) -> QueryResult<(String, String)> {
    let at = now();
    let carried: Option<i32> = vc::table
        .filter(vc::election_id.eq(election))
        .filter(vc::person_id.eq(person))
        .filter(vc::expires_at.gt(at))
        .select(diesel::dsl::max(vc::attempts))
        .first(conn)?;
    diesel::update(vc::table.filter(vc::election_id.eq(election)).filter(vc::person_id.eq(person)))
        .set(vc::expires_at.eq(at))
        .execute(conn)?;
    let code: String = {
        let mut rng = rand::thread_rng();
        (0..6).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
    };
    let id = new_id();
    diesel::insert_into(vc::table)
        .values((
            vc::id.eq(&id),
            vc::election_id.eq(election),
            vc::person_id.eq(person),
            vc::channel.eq(channel),
            vc::code_hash.eq(hash(&id, &code)),
            vc::attempts.eq(carried.unwrap_or(0)),
            vc::expires_at.eq(at + Duration::minutes(CODE_MINUTES)),
            vc::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok((code, id))
}

pub(crate) fn email_code(conn: &mut DbConn, email: &str, title: &str, code: &str) -> QueryResult<String> {
    let body =
        format!("کد تأیید رأی شما در انتخابات «{title}»: {code}\nاین کد ده دقیقه اعتبار دارد. آن را به کسی ندهید.");
    enqueue(
        conn,
        NewMessage {
            channel: Channel::Email,
            recipient: email,
            subject: Some("کد تأیید رأی"),
            body: &body,
            purpose: "vote_code",
            template: None,
            urgent: true,
        },
    )
}

/// Sends (or shows) the confirmation code by the channel the voter picked (EL-07).
#[utoipa::path(
    tag = "voting",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = CodeRequest,
    responses(
        (status = 201, description = "Issued", body = CodeIssued),
        (status = 400, description = "Unknown channel, or no e-mail or mobile on file for it", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "`not_on_roll`: not on the roll (\"you are not a member of this association\")", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`voting_closed` or `already_voted`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/vote-code")]
pub async fn request_code(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CodeRequest>,
) -> Result<HttpResponse, ApiError> {
    issue_code(state, user, id.into_inner(), body.into_inner().channel).await
}

async fn issue_code(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    channel: String,
) -> Result<HttpResponse, ApiError> {
    if !["email", "sms", "inbound"].contains(&channel.as_str()) {
        return Err(ApiError::field("channel", "روش تأیید نامعتبر است.", "Unknown confirmation channel."));
    }
    let number = state.config.sms_sender.clone();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = open_now(conn, &id)?;
                if !on_roll(conn, &id, &user.person_id)? {
                    return Err(ElectionsError::NotOnRoll.into());
                }
                if has_voted(conn, &id, &user.person_id)? {
                    return Err(ElectionsError::AlreadyVoted.into());
                }
                let person = anjoman_identity::store::person(conn, &user.person_id)?.ok_or(ApiError::NotFound)?;
                let (email, mobile) = (person.email, person.mobile);
                let missing = |what: &str| {
                    ApiError::field(
                        "channel",
                        &format!("{what} شما در سامانه ثبت نشده است؛ روش دیگری برگزینید."),
                        "This contact is not on file; choose another channel.",
                    )
                };
                let (code, code_id) = issue(conn, &id, &user.person_id, &channel)?;
                let expires_at = (now() + Duration::minutes(CODE_MINUTES)).and_utc();
                let issued = match channel.as_str() {
                    "email" => {
                        let email = email.ok_or_else(|| missing("رایانامهٔ"))?;
                        email_code(conn, &email, &e.title, &code)?;
                        CodeIssued {
                            sent_to: Some(anjoman_core::text::mask_email(&email)),
                            code: None,
                            send_to_number: None,
                            channel,
                            expires_at,
                        }
                    }
                    "sms" => {
                        let mobile = mobile.ok_or_else(|| missing("تلفن همراه"))?;
                        let text = format!("کد تأیید رأی: {code}");
                        let outbox = enqueue(
                            conn,
                            NewMessage {
                                channel: Channel::Sms,
                                recipient: &mobile,
                                subject: None,
                                body: &text,
                                purpose: "vote_code",
                                template: Some(("vote-code", &code)),
                                urgent: true,
                            },
                        )?;
                        diesel::update(vc::table.find(&code_id)).set(vc::outbox_id.eq(outbox)).execute(conn)?;
                        CodeIssued {
                            sent_to: Some(mask_mobile(&mobile)),
                            code: None,
                            send_to_number: None,
                            channel,
                            expires_at,
                        }
                    }
                    _ => {
                        if mobile.is_none() {
                            return Err(missing("تلفن همراه"));
                        }
                        CodeIssued {
                            sent_to: None,
                            code: Some(code),
                            send_to_number: Some(number.clone()),
                            channel,
                            expires_at,
                        }
                    }
                };
                Ok::<_, ApiError>(issued)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Sends the live SMS code by e-mail now, instead of waiting for the automatic fallback.
#[utoipa::path(
    tag = "voting",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    responses(
        (status = 201, description = "A new code went by e-mail", body = CodeIssued),
        (status = 400, description = "No e-mail on file", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`voting_closed` or `already_voted`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/vote-code/email")]
pub async fn email_code_now(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    issue_code(state, user, id.into_inner(), "email".into()).await
}

/// Inbound SMS (EL-07 option 3): a text equal to a live on-screen code, from the voter's
/// registered mobile, confirms it.
pub fn inbound_vote_code(conn: &mut DbConn, sms: &InboundSms) -> Result<Option<String>, ApiError> {
    let code: String = sms.text.chars().filter(char::is_ascii_digit).collect();
    if code.len() != 6 || sms.text.chars().filter(|c| !c.is_whitespace()).count() != 6 {
        return Ok(None);
    }
    let people = anjoman_identity::store::person_ids_by_mobile(conn, &sms.from)?;
    let live: Vec<(String, String, i32)> = vc::table
        .filter(vc::person_id.eq_any(&people))
        .filter(vc::channel.eq("inbound"))
        .filter(vc::confirmed_at.is_null())
        .filter(vc::expires_at.gt(now()))
        .select((vc::id, vc::code_hash, vc::attempts))
        .load(conn)?;
    for (id, code_hash, attempts) in live {
        if attempts < MAX_ATTEMPTS && hash(&id, &code) == code_hash {
            diesel::update(vc::table.find(&id)).set(vc::confirmed_at.eq(now())).execute(conn)?;
            return Ok(Some("vote_code_confirmed".into()));
        }
    }
    Ok(None)
}

/// SMS codes not delivered in time go by e-mail, once (EL-07); run by the elections worker.
pub fn email_fallbacks(conn: &mut DbConn, after: std::time::Duration) -> QueryResult<usize> {
    let cutoff = now() - Duration::from_std(after).unwrap_or(Duration::minutes(2));
    let due: Vec<(String, String, String, Option<String>)> = vc::table
        .filter(vc::channel.eq("sms"))
        .filter(vc::email_fallback_at.is_null())
        .filter(vc::created_at.le(cutoff))
        .filter(vc::expires_at.gt(now()))
        .select((vc::id, vc::election_id, vc::person_id, vc::outbox_id))
        .load(conn)?;
    let mut sent = 0;
    for (id, election, person, outbox) in due {
        let Some(outbox) = outbox else { continue };
        let Some(message) = anjoman_core::platform::outbox::get(conn, &outbox)? else { continue };
        let (status, token) = (message.status, message.token);
        if status == "delivered" {
            continue;
        }
        // Claimed by one process only.
        let claimed = diesel::update(vc::table.find(&id).filter(vc::email_fallback_at.is_null()))
            .set(vc::email_fallback_at.eq(now()))
            .execute(conn)?;
        let email = anjoman_identity::store::person(conn, &person)?.and_then(|p| p.email);
        let title: String = el::table.find(&election).select(el::title).first(conn)?;
        if let (1, Some(email), Some(code)) = (claimed, email, token) {
            email_code(conn, &email, &title, &code)?;
            sent += 1;
        }
    }
    Ok(sent)
}
