//! Failed-attempt throttling kept in the database, so it holds across processes (ID-06).
//!
//! Each key (an account, a client IP) has a count of recent failures. The first
//! `free_attempts` failures cost nothing; each further one blocks the key for a delay that
//! doubles, up to `max`. There is no permanent lockout: once the delay has passed the right
//! password works, and a success clears the key.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::config::ThrottlePolicy;
use crate::db::schema::throttle_counters as tc;
use crate::db::{DbConn, now};

/// Failures older than this are forgotten when the next one comes.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);

/// One throttled subject and how many failures it may have before delays start.
#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub free_attempts: i32,
}

impl Key {
    /// Failed logins of one account, from anywhere.
    pub fn account(policy: &ThrottlePolicy, national_code: &str) -> Self {
        Self { name: format!("account:{national_code}"), free_attempts: policy.free_attempts }
    }

    /// Failed logins from one client address, for any account. More generous than the account
    /// key, since many people may share one address (a university, a mobile carrier's NAT).
    pub fn client(policy: &ThrottlePolicy, ip: &str) -> Self {
        Self { name: format!("ip:{ip}"), free_attempts: policy.free_attempts.saturating_mul(4) }
    }
}

/// The seconds to wait if any of the keys is blocked now.
pub fn blocked_for(conn: &mut DbConn, keys: &[Key]) -> QueryResult<Option<u64>> {
    let current = now();
    let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
    let until: Vec<Option<NaiveDateTime>> = tc::table
        .filter(tc::key.eq_any(names))
        .filter(tc::blocked_until.gt(current))
        .select(tc::blocked_until)
        .load(conn)?;
    Ok(until
        .into_iter()
        .flatten()
        .map(|u| {
            let ms = (u - current).num_milliseconds().max(0) as u64;
            ms.div_ceil(1000).max(1)
        })
        .max())
}

/// The delay after `failures` failures under the policy.
pub fn delay_after(policy: &ThrottlePolicy, free_attempts: i32, failures: i32) -> Option<Duration> {
    let over = failures - free_attempts;
    if over <= 0 {
        return None;
    }
    let factor = 2u32.saturating_pow((over - 1).min(30) as u32);
    Some(policy.base.saturating_mul(factor).min(policy.max))
}

/// Records one failure for each key and blocks the keys that went over the free attempts.
/// Call inside a write transaction. Safe under concurrent failures from several processes:
/// the row is created if missing without a race, and the increment is a single UPDATE that
/// locks the row until the transaction ends.
pub fn record_failure(conn: &mut DbConn, policy: &ThrottlePolicy, keys: &[Key]) -> QueryResult<()> {
    let current = now();
    let forget_before = current - chrono::Duration::from_std(FORGET_AFTER).unwrap_or_default();
    for Key { name, free_attempts } in keys {
        // Old failures are forgotten.
        diesel::delete(tc::table.find(name).filter(tc::updated_at.lt(forget_before))).execute(conn)?;
        let fresh = (tc::key.eq(name), tc::failures.eq(0), tc::updated_at.eq(current));
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(tc::table)
            .values(fresh)
            .on_conflict(tc::key)
            .do_nothing()
            .execute(c))?;
        diesel::update(tc::table.find(name))
            .set((tc::failures.eq(tc::failures + 1), tc::updated_at.eq(current)))
            .execute(conn)?;
        let failures: i32 = tc::table.find(name).select(tc::failures).first(conn)?;
        let blocked_until = delay_after(policy, *free_attempts, failures)
            .map(|d| current + chrono::Duration::from_std(d).unwrap_or_default());
        diesel::update(tc::table.find(name)).set(tc::blocked_until.eq(blocked_until)).execute(conn)?;
    }
    Ok(())
}

/// Clears the keys after a success.
pub fn clear(conn: &mut DbConn, key: &Key) -> QueryResult<()> {
    diesel::delete(tc::table.find(&key.name)).execute(conn).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_and_is_capped() {
        let p = ThrottlePolicy { free_attempts: 5, base: Duration::from_secs(1), max: Duration::from_secs(900) };
        assert_eq!(delay_after(&p, 5, 5), None);
        assert_eq!(delay_after(&p, 5, 6), Some(Duration::from_secs(1)));
        assert_eq!(delay_after(&p, 5, 7), Some(Duration::from_secs(2)));
        assert_eq!(delay_after(&p, 5, 10), Some(Duration::from_secs(16)));
        assert_eq!(delay_after(&p, 5, 40), Some(Duration::from_secs(900)));
    }
}
