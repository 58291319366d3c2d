//! One-time codes: six random digits, ten minutes, single use, at most five wrong tries; kept
//! hashed. Issuing a new code does not reset the count of wrong tries, so asking again and
//! again does not buy more guesses.

use chrono::Duration;
use diesel::prelude::*;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::db::schema::one_time_codes as otc;
use crate::db::{DbConn, new_id, now};

pub const LIFETIME_MINUTES: i64 = 10;
pub const MAX_ATTEMPTS: i32 = 5;
const DIGITS: usize = 6;

fn hash(id: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{code}").as_bytes()))
}

/// A fresh code for a person and purpose; the previous ones stop working. Returns the code.
pub fn issue(conn: &mut DbConn, person_id: &str, purpose: &str) -> QueryResult<String> {
    let at = now();
    let window = at - Duration::minutes(LIFETIME_MINUTES);
    // Wrong tries on recent codes carry over to the new one.
    let carried: Option<i32> = otc::table
        .filter(otc::person_id.eq(person_id))
        .filter(otc::purpose.eq(purpose))
        .filter(otc::consumed_at.is_null())
        .filter(otc::created_at.gt(window))
        .select(diesel::dsl::max(otc::attempts))
        .first(conn)?;
    diesel::update(
        otc::table.filter(otc::person_id.eq(person_id)).filter(otc::purpose.eq(purpose)).filter(otc::expires_at.gt(at)),
    )
    .set(otc::expires_at.eq(at))
    .execute(conn)?;
    let mut rng = rand::thread_rng();
    let code: String = (0..DIGITS).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect();
    let id = new_id();
    diesel::insert_into(otc::table)
        .values((
            otc::id.eq(&id),
            otc::person_id.eq(person_id),
            otc::purpose.eq(purpose),
            otc::code_hash.eq(hash(&id, &code)),
            otc::attempts.eq(carried.unwrap_or(0)),
            otc::expires_at.eq(at + Duration::minutes(LIFETIME_MINUTES)),
            otc::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(code)
}

/// What checking a code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Right: the code is now used up.
    Accepted,
    Wrong,
    /// Too many wrong tries: ask for a new code later.
    Exhausted,
    /// No live code (never issued, expired or used).
    Missing,
}

/// Checks a code. Call inside a write transaction.
pub fn verify(conn: &mut DbConn, person_id: &str, purpose: &str, code: &str) -> QueryResult<Check> {
    let at = now();
    let live: Option<(String, String, i32)> = otc::table
        .filter(otc::person_id.eq(person_id))
        .filter(otc::purpose.eq(purpose))
        .filter(otc::consumed_at.is_null())
        .filter(otc::expires_at.gt(at))
        .order(otc::created_at.desc())
        .select((otc::id, otc::code_hash, otc::attempts))
        .first(conn)
        .optional()?;
    let Some((id, code_hash, attempts)) = live else { return Ok(Check::Missing) };
    if attempts >= MAX_ATTEMPTS {
        return Ok(Check::Exhausted);
    }
    let given = crate::text::normalize_digits(code.trim());
    if hash(&id, &given) == code_hash {
        // Conditional, so two concurrent right answers use the code once.
        let used = diesel::update(otc::table.find(&id).filter(otc::consumed_at.is_null()))
            .set(otc::consumed_at.eq(at))
            .execute(conn)?;
        return Ok(if used == 1 { Check::Accepted } else { Check::Missing });
    }
    diesel::update(otc::table.find(&id)).set(otc::attempts.eq(otc::attempts + 1)).execute(conn)?;
    Ok(if attempts + 1 >= MAX_ATTEMPTS { Check::Exhausted } else { Check::Wrong })
}
