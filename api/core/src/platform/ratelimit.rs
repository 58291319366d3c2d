//! Request rate limits kept in the database, so a limit holds however many processes serve.
//!
//! Each key (an endpoint with a client address or an account) has one fixed window: the first
//! hit opens it, and hits past the window's maximum are refused until it ends. The counting is
//! one conditional UPDATE, atomic on both backends, so concurrent hits from several processes
//! are all counted.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Timestamp};

use crate::db::schema::rate_windows as rw;
use crate::db::{DbConn, now};

/// Windows are at most this long; rows older than it are deleted now and then.
pub const LONGEST_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// Counts one hit on `key`. `Some(seconds)` when the window already held `max` hits: the caller
/// refuses the request and says how long to wait.
pub fn hit(conn: &mut DbConn, key: &str, max: i32, window: Duration) -> QueryResult<Option<u64>> {
    let at = now();
    let span = chrono::Duration::from_std(window.min(LONGEST_WINDOW)).unwrap_or_default();
    if rand::random::<u8>() == 0 {
        let stale = at - chrono::Duration::from_std(LONGEST_WINDOW).unwrap_or_default();
        diesel::delete(rw::table.filter(rw::window_started_at.lt(stale))).execute(conn)?;
    }
    let fresh = (rw::key.eq(key), rw::window_started_at.eq(at), rw::hits.eq(0));
    crate::per_backend!(&mut *conn, |c| diesel::insert_into(rw::table)
        .values(fresh)
        .on_conflict(rw::key)
        .do_nothing()
        .execute(c))?;
    let over = at - span;
    let expired = || rw::window_started_at.le(over);
    diesel::update(rw::table.find(key))
        .set((
            rw::hits.eq(case_when(expired(), 1.into_sql::<Integer>()).otherwise(rw::hits + 1)),
            rw::window_started_at.eq(case_when(expired(), at.into_sql::<Timestamp>()).otherwise(rw::window_started_at)),
        ))
        .execute(conn)?;
    let (hits, started): (i32, NaiveDateTime) =
        rw::table.find(key).select((rw::hits, rw::window_started_at)).first(conn)?;
    Ok(wait(hits, max, started + span, at))
}

/// The seconds until `ends` (at least one) when `hits` went over `max`.
fn wait(hits: i32, max: i32, ends: NaiveDateTime, at: NaiveDateTime) -> Option<u64> {
    (hits > max).then(|| ((ends - at).num_milliseconds().max(0) as u64).div_ceil(1000).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_only_past_the_maximum_and_at_least_a_second() {
        let at = chrono::DateTime::from_timestamp(1_000_000, 0).unwrap().naive_utc();
        let ends = at + chrono::Duration::milliseconds(2_500);
        assert_eq!(wait(3, 3, ends, at), None);
        assert_eq!(wait(4, 3, ends, at), Some(3));
        assert_eq!(wait(4, 3, at, at), Some(1));
    }
}
