//! Voting (EL-06..09): who may vote, the confirmation code by the channel the voter picks, and
//! casting the ballot once — stored apart from who voted.

pub mod cast;
pub mod codes;

use actix_web::{get, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::{elections as el, participations as pa, vote_codes as vc, voter_roll as vr};
use anjoman_core::db::{DbConn, now};
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, Msg};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::errors::ElectionsError;
use crate::rules::Status;
use crate::store;

pub(crate) const CODE_MINUTES: i64 = 10;
pub(crate) const MAX_ATTEMPTS: i32 = 5;

pub(crate) fn hash(id: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{code}").as_bytes()))
}

/// The election, if voting is open now on the server clock.
pub(crate) fn open_now(conn: &mut DbConn, id: &str) -> Result<crate::model::Election, ApiError> {
    let e = store::get(conn, id)?;
    let at = now();
    if e.state() != Status::Open || at < e.starts_at || at >= e.ends_at {
        return Err(ElectionsError::VotingClosed.into());
    }
    Ok(e)
}

pub(crate) fn on_roll(conn: &mut DbConn, election: &str, person: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(vr::table.filter(vr::election_id.eq(election)).filter(vr::person_id.eq(person))))
        .get_result(conn)
}

/// The channel of the voter's newest confirmation code still valid, and when it was confirmed.
fn live_code(conn: &mut DbConn, election: &str, person: &str) -> QueryResult<Option<(String, Option<NaiveDateTime>)>> {
    vc::table
        .filter(vc::election_id.eq(election))
        .filter(vc::person_id.eq(person))
        .filter(vc::expires_at.gt(now()))
        .order(vc::created_at.desc())
        .select((vc::channel, vc::confirmed_at))
        .first(conn)
        .optional()
}

pub(crate) fn has_voted(conn: &mut DbConn, election: &str, person: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(pa::table.filter(pa::election_id.eq(election)).filter(pa::person_id.eq(person))))
        .get_result(conn)
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
            let code = live_code(conn, &id, &user.person_id)?;
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
