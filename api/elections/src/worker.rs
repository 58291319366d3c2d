//! The elections worker: opens and closes elections on the server clock, freezes the roll at
//! opening, reminds non-voters before closing, and e-mails SMS codes that did not arrive. Every
//! step is a conditional update inside a transaction, so with several processes each happens once.

use anjoman_core::audit::{self, Event};
use anjoman_core::db::schema::{elections as el, memberships as m, participations as pa, voter_roll as vr};
use anjoman_core::db::{DbConn, Pool, now, write_tx};
use anjoman_core::{ApiError, Config};
use std::collections::HashSet;

use chrono::Duration;
use diesel::IntoSql;
use diesel::prelude::*;

use crate::lifecycle::notify_members;
use crate::rules::{Action, Status};
use crate::store::{Step, transition};

/// Opens what is due: the roll is frozen from the approved members in the same transaction.
pub fn open_due(conn: &mut DbConn) -> Result<usize, ApiError> {
    let at = now();
    let due: Vec<(String, String)> = el::table
        .filter(el::status.eq(Status::Published.as_str()))
        .filter(el::starts_at.le(at))
        .select((el::id, el::association_id))
        .load(conn)?;
    let mut opened = 0;
    for (id, association) in due {
        let done = write_tx(conn, |conn| {
            if !transition(conn, &id, Status::Published, Action::Open, Step::by("system"))? {
                return Ok::<_, ApiError>(false);
            }
            // One INSERT … SELECT: a roll of a million is frozen in seconds, not row by row.
            let frozen = diesel::insert_into(vr::table)
                .values(
                    m::table
                        .filter(m::association_id.eq(&association))
                        .filter(m::status.eq("approved"))
                        .select((id.clone().into_sql::<diesel::sql_types::Text>(), m::person_id)),
                )
                .into_columns((vr::election_id, vr::person_id))
                .execute(conn)?;
            diesel::update(el::table.find(&id)).set(el::roll_size.eq(frozen as i64)).execute(conn)?;
            audit::record(
                conn,
                Event::new("election.roll_frozen", "election", Some(&id))
                    .by("system")
                    .states(None, Some(serde_json::json!({"roll_size": frozen}))),
            )?;
            Ok(true)
        })?;
        opened += usize::from(done);
    }
    Ok(opened)
}

/// Closes open elections whose end has passed.
pub fn close_due(conn: &mut DbConn) -> Result<usize, ApiError> {
    let due: Vec<String> = el::table
        .filter(el::status.eq(Status::Open.as_str()))
        .filter(el::ends_at.le(now()))
        .select(el::id)
        .load(conn)?;
    let mut closed = 0;
    for id in due {
        let done = write_tx(conn, |conn| {
            let voted: i64 = pa::table.filter(pa::election_id.eq(&id)).count().get_result(conn)?;
            let step = Step::by("system").states(None, Some(serde_json::json!({"voted": voted})));
            transition(conn, &id, Status::Open, Action::Close, step)
        })?;
        closed += usize::from(done);
    }
    Ok(closed)
}

/// Reminds those on the roll who have not voted, once per election, before it closes (EL-13).
pub fn remind_due(conn: &mut DbConn, before: std::time::Duration) -> Result<usize, ApiError> {
    let horizon = now() + Duration::from_std(before).unwrap_or(Duration::hours(24));
    let due: Vec<(String, String, String)> = el::table
        .filter(el::status.eq(Status::Open.as_str()))
        .filter(el::reminder_sent_at.is_null())
        .filter(el::ends_at.le(horizon))
        .select((el::id, el::association_id, el::title))
        .load(conn)?;
    let mut sent = 0;
    for (id, association, title) in due {
        sent += write_tx(conn, |conn| {
            let claimed = diesel::update(el::table.find(&id).filter(el::reminder_sent_at.is_null()))
                .set(el::reminder_sent_at.eq(now()))
                .execute(conn)?;
            if claimed == 0 {
                return Ok::<_, ApiError>(0);
            }
            let voted: HashSet<String> = pa::table
                .filter(pa::election_id.eq(&id))
                .select(pa::person_id)
                .load::<String>(conn)?
                .into_iter()
                .collect();
            let roll: Vec<String> = vr::table.filter(vr::election_id.eq(&id)).select(vr::person_id).load(conn)?;
            let pending: HashSet<String> = roll.into_iter().filter(|p| !voted.contains(p)).collect();
            let text = format!("یادآوری: رأی‌گیری انتخابات «{title}» به‌زودی پایان می‌یابد و رأی شما هنوز ثبت نشده است.");
            Ok(notify_members(conn, &association, "election_reminder", &title, &text, Some(&pending))?)
        })?;
    }
    Ok(sent)
}

/// One pass of everything the worker does.
pub fn tick(conn: &mut DbConn, config: &Config) -> Result<(), ApiError> {
    open_due(conn)?;
    close_due(conn)?;
    remind_due(conn, config.election_reminder)?;
    write_tx(conn, |conn| {
        crate::voting::codes::email_fallbacks(conn, config.vote_sms_fallback).map_err(ApiError::from)
    })?;
    Ok(())
}

/// Runs `tick` every `ANJOMAN_ELECTION_TICK_MS` until the process stops.
pub async fn run_forever(pool: Pool, config: std::sync::Arc<Config>) {
    loop {
        let (p, c) = (pool.clone(), config.clone());
        let result = actix_web::web::block(move || -> Result<(), ApiError> {
            let mut conn = p.get()?;
            tick(&mut conn, &c)
        })
        .await;
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "elections worker pass failed"),
            Err(e) => tracing::warn!(error = %e, "elections worker pass did not run"),
        }
        actix_web::rt::time::sleep(config.election_tick).await;
    }
}
