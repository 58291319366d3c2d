//! Voting (EL-06..09): who may vote, the confirmation code by the channel the voter picks, and
//! casting the ballot once — stored apart from who voted.

use actix_web::{HttpResponse, get, post, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::{
    ballots as b, elections as el, participations as pa, vote_codes as vc, voter_roll as vr,
};
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::{AppState, InboundSms};
use anjoman_core::platform::outbox::{Channel, NewMessage, enqueue};
use anjoman_core::{ApiError, Msg};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::rules::Status;
use crate::store;

const CODE_MINUTES: i64 = 10;
const MAX_ATTEMPTS: i32 = 5;

fn hash(id: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{code}").as_bytes()))
}

fn not_on_roll() -> ApiError {
    ApiError::Denied {
        code: "not_on_roll",
        msg: Msg::new("شما عضو این انجمن نیستید.", "You are not a member of this association."),
    }
}

/// The election, if voting is open now on the server clock.
fn open_now(conn: &mut DbConn, id: &str) -> Result<crate::model::Election, ApiError> {
    let e = store::get(conn, id)?;
    let at = now();
    if e.state() != Status::Open || at < e.starts_at || at >= e.ends_at {
        return Err(ApiError::Conflict {
            code: "voting_closed",
            msg: Msg::new("رأی‌گیری این انتخابات اکنون باز نیست.", "Voting in this election is not open now."),
        });
    }
    Ok(e)
}

fn on_roll(conn: &mut DbConn, election: &str, person: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(vr::table.filter(vr::election_id.eq(election)).filter(vr::person_id.eq(person))))
        .get_result(conn)
}

fn has_voted(conn: &mut DbConn, election: &str, person: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(pa::table.filter(pa::election_id.eq(election)).filter(pa::person_id.eq(person))))
        .get_result(conn)
}

fn already_voted() -> ApiError {
    ApiError::Conflict {
        code: "already_voted",
        msg: Msg::new(
            "رأی شما پیش‌تر ثبت شده است؛ رأی دوم ممکن نیست.",
            "Your ballot is already cast; there is no second ballot.",
        ),
    }
}

#[derive(Serialize, ToSchema)]
pub struct MyVote {
    pub status: Status,
    pub on_roll: bool,
    pub voted: bool,
    /// The live confirmation code's channel, if one was asked for.
    pub channel: Option<String>,
    /// Inbound channel: whether the voter's SMS has arrived.
    pub confirmed_by_sms: bool,
    pub ends_at: DateTime<Utc>,
    pub server_time: DateTime<Utc>,
}

/// Where the signed-in person stands in an election: on the roll, voted, code asked for.
#[utoipa::path(tag = "voting", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "The voter's state", body = MyVote)))]
#[get("/elections/{id}/my-vote")]
pub async fn my_vote(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<MyVote>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let e = store::get(conn, &id)?;
            if !e.state().public() {
                return Err(ApiError::NotFound);
            }
            let code: Option<(String, Option<NaiveDateTime>)> = vc::table
                .filter(vc::election_id.eq(&id))
                .filter(vc::person_id.eq(&user.person_id))
                .filter(vc::expires_at.gt(now()))
                .order(vc::created_at.desc())
                .select((vc::channel, vc::confirmed_at))
                .first(conn)
                .optional()?;
            Ok(MyVote {
                status: e.state(),
                on_roll: on_roll(conn, &id, &user.person_id)?,
                voted: has_voted(conn, &id, &user.person_id)?,
                confirmed_by_sms: code.as_ref().is_some_and(|(_, c)| c.is_some()),
                channel: code.map(|(c, _)| c),
                ends_at: e.ends_at.and_utc(),
                server_time: Utc::now(),
            })
        })
        .await?;
    Ok(web::Json(out))
}

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

fn mask_mobile(m: &str) -> String {
    if m.len() < 7 {
        return "***".into();
    }
    format!("{}****{}", &m[..4], &m[m.len() - 3..])
}

/// Issues a code for the person; returns (code, vote_codes id). Earlier codes stop working;
/// wrong tries carry over so asking again buys no guesses.
fn issue(conn: &mut DbConn, election: &str, person: &str, channel: &str) -> QueryResult<(String, String)> {
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

fn email_code(conn: &mut DbConn, email: &str, title: &str, code: &str) -> QueryResult<String> {
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
                    return Err(not_on_roll());
                }
                if has_voted(conn, &id, &user.person_id)? {
                    return Err(already_voted());
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

#[derive(Deserialize, ToSchema)]
pub struct CastBallot {
    /// The encrypted ballot made in the voter's browser (EL-10): `{version, election, contests:
    /// [{contest, choices, choice_proofs, blank, blank_proof, sum_proof}]}`, one ciphertext per
    /// candidate in the order of the election page, each proven 0 or 1, and the contest's total
    /// proven within its maximum. Plaintext choices are not accepted.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub ballot: serde_json::Value,
    /// The confirmation code (EL-07).
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct Cast {
    /// The hash of the encrypted ballot (SHA-256, base64url): find it on the public bulletin.
    pub tracking_code: String,
}

fn ballot_refused(why: impl std::fmt::Display) -> ApiError {
    ApiError::field(
        "ballot",
        &format!("برگهٔ رمزشده پذیرفته نشد: {why}"),
        &format!("The encrypted ballot was refused: {why}"),
    )
}

/// Parses and checks an encrypted ballot against the election's key and contests; returns its
/// canonical JSON and tracking code. CPU work, run off the request threads.
fn check_encrypted(
    election: &str,
    key: &str,
    params: &[anjoman_ballot_crypto::record::ContestParams],
    ballot: serde_json::Value,
) -> Result<(String, String), ApiError> {
    use anjoman_ballot_crypto::wire;
    let parsed: wire::BallotJson = serde_json::from_value(ballot).map_err(ballot_refused)?;
    let y = wire::parse_point(key).map_err(|_| ApiError::Internal)?;
    let shape: Vec<_> = params.iter().map(|c| c.shape()).collect();
    wire::verify_ballot(&parsed, election, &y, &shape).map_err(ballot_refused)?;
    let canonical = serde_json::to_string(&parsed).map_err(|_| ApiError::Internal)?;
    Ok((canonical, wire::tracker(&parsed)))
}

enum Outcome {
    Cast(String),
    Refused(ApiError),
}

fn wrong_code(exhausted: bool) -> ApiError {
    if exhausted {
        ApiError::Conflict {
            code: "code_exhausted",
            msg: Msg::new("تلاش‌های نادرست زیاد بود؛ کد تازه بخواهید.", "Too many wrong tries; ask for a new code."),
        }
    } else {
        ApiError::field("code", "کد تأیید نادرست یا منقضی است.", "The confirmation code is wrong or has expired.")
    }
}

/// Casts the ballot with the confirmation code (EL-08, EL-09): once, whatever the number of
/// devices or concurrent requests. Who voted and what was voted go to separate tables.
#[utoipa::path(
    tag = "voting",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The election")),
    request_body = CastBallot,
    responses(
        (status = 201, description = "Cast", body = Cast),
        (status = 400, description = "The encrypted ballot does not verify (field `ballot`), or a wrong or expired code", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not on the roll", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_voted`, `voting_closed`, `code_exhausted`, `duplicate_ballot`, or `sms_not_arrived` (inbound channel)", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/elections/{id}/ballot")]
pub async fn cast_ballot(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CastBallot>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    // The cheap refusals first, then the proofs (off the database), then the cast itself.
    let (person, election) = (user.person_id.clone(), id.clone());
    let (key, params) = state
        .db(move |conn| {
            let e = open_now(conn, &election)?;
            if !on_roll(conn, &election, &person)? {
                return Err(not_on_roll());
            }
            if has_voted(conn, &election, &person)? {
                return Err(already_voted());
            }
            let params = crate::verifiable::record::ballot_params(conn, &election)?;
            Ok((e.public_key.unwrap_or_default(), params))
        })
        .await?;
    let election = id.clone();
    let ballot = body.ballot;
    let (content, tracking) = web::block(move || check_encrypted(&election, &key, &params, ballot))
        .await
        .map_err(|_| ApiError::Internal)??;
    let code = body.code;
    let outcome = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                open_now(conn, &id)?;
                if !on_roll(conn, &id, &user.person_id)? {
                    return Err(not_on_roll());
                }
                if has_voted(conn, &id, &user.person_id)? {
                    return Err(already_voted());
                }
                let live: Option<(String, String, i32, String, Option<NaiveDateTime>)> = vc::table
                    .filter(vc::election_id.eq(&id))
                    .filter(vc::person_id.eq(&user.person_id))
                    .filter(vc::expires_at.gt(now()))
                    .order(vc::created_at.desc())
                    .select((vc::id, vc::code_hash, vc::attempts, vc::channel, vc::confirmed_at))
                    .first(conn)
                    .optional()?;
                let Some((code_id, code_hash, attempts, channel, confirmed)) = live else {
                    // A concurrent request from another device may just have cast it (and used
                    // the code up): say so rather than "wrong code".
                    if has_voted(conn, &id, &user.person_id)? {
                        return Err(already_voted());
                    }
                    return Ok(Outcome::Refused(wrong_code(false)));
                };
                if attempts >= MAX_ATTEMPTS {
                    return Ok(Outcome::Refused(wrong_code(true)));
                }
                if hash(&code_id, &anjoman_core::text::normalize_digits(code.trim())) != code_hash {
                    // Counted, and kept: the refusal must not roll this back.
                    diesel::update(vc::table.find(&code_id)).set(vc::attempts.eq(vc::attempts + 1)).execute(conn)?;
                    return Ok(Outcome::Refused(wrong_code(attempts + 1 >= MAX_ATTEMPTS)));
                }
                if channel == "inbound" && confirmed.is_none() {
                    return Ok(Outcome::Refused(ApiError::Conflict {
                        code: "sms_not_arrived",
                        msg: Msg::new(
                            "پیامک شما هنوز نرسیده است؛ کد را از تلفن همراه ثبت‌شده بفرستید.",
                            "Your SMS has not arrived yet; text the code from your registered mobile.",
                        ),
                    }));
                }
                // The same encrypted ballot twice (a replay of someone else's): refused before
                // anything is written, so the transaction stays usable on PostgreSQL.
                let replay: bool = diesel::select(diesel::dsl::exists(b::table.filter(b::tracking_code.eq(&tracking))))
                    .get_result(conn)?;
                if replay {
                    return Ok(Outcome::Refused(ApiError::Conflict {
                        code: "duplicate_ballot",
                        msg: Msg::new(
                            "این برگهٔ رمزشده پیش‌تر در صندوق انداخته شده است.",
                            "This encrypted ballot is already in the ballot box.",
                        ),
                    }));
                }
                // Who voted: the primary key refuses a second row, also under concurrency.
                diesel::insert_into(pa::table)
                    .values((pa::election_id.eq(&id), pa::person_id.eq(&user.person_id)))
                    .execute(conn)
                    .map_err(|e| match ApiError::from(e) {
                        ApiError::Conflict { .. } => already_voted(),
                        other => other,
                    })?;
                // What was voted: a random id, no person, no time; only ciphertexts and proofs.
                let ballot_id = uuid::Uuid::new_v4().simple().to_string();
                diesel::insert_into(b::table)
                    .values((
                        b::id.eq(&ballot_id),
                        b::election_id.eq(&id),
                        b::tracking_code.eq(&tracking),
                        b::content.eq(&content),
                    ))
                    .execute(conn)?;
                diesel::delete(vc::table.filter(vc::election_id.eq(&id)).filter(vc::person_id.eq(&user.person_id)))
                    .execute(conn)?;
                Ok(Outcome::Cast(tracking))
            })
        })
        .await?;
    match outcome {
        Outcome::Cast(tracking_code) => Ok(HttpResponse::Created().json(Cast { tracking_code })),
        Outcome::Refused(e) => Err(e),
    }
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

/// ID-10 and ID-05: while an election of one of the person's associations is open, personal
/// details and contacts are locked and SMS recovery is refused.
pub fn election_lock(conn: &mut DbConn, person: &str) -> Result<Option<Msg>, ApiError> {
    let associations = anjoman_associations::api::approved_associations_of(conn, person)?;
    let open: i64 = el::table
        .filter(el::association_id.eq_any(&associations))
        .filter(el::status.eq(Status::Open.as_str()))
        .count()
        .get_result(conn)?;
    Ok((open > 0).then(|| {
        Msg::new(
            "در زمان برگزاری انتخابات انجمن شما، تغییر مشخصات و بازیابی با پیامک ممکن نیست؛ رایانامه را می‌توانید با پیامک از تلفن همراه ثبت‌شده تغییر دهید.",
            "While an election of your association is open, your details cannot change and SMS recovery is off; the e-mail can be changed by SMS from your registered mobile.",
        )
    }))
}

/// The open elections of `association` whose roll, frozen at opening, holds `person`: a
/// membership ending now leaves those rolls as they are (a hook of the associations domain).
pub fn frozen_rolls_holding(
    conn: &mut DbConn,
    association: &str,
    person: &str,
) -> Result<Vec<(String, String)>, ApiError> {
    Ok(el::table
        .inner_join(vr::table.on(vr::election_id.eq(el::id)))
        .filter(el::association_id.eq(association))
        .filter(el::status.eq(Status::Open.as_str()))
        .filter(vr::person_id.eq(person))
        .order(el::starts_at.asc())
        .select((el::id, el::title))
        .load(conn)?)
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
