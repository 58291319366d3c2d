//! Numeric image captcha (ID-06): made on the server, single use, short-lived, its answer
//! stored hashed in the database so that any process can check it.

use captcha::Captcha;
use captcha::filters::{Noise, Wave};
use chrono::Duration as ChronoDuration;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::captchas;
use crate::db::{DbConn, new_id, now};
use crate::error::{ApiError, FieldErrors, Msg};

const DIGITS: [char; 9] = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
const LENGTH: u32 = 5;

/// How an answer is kept: SHA-256 of `id:answer`, hex. Public so the load benchmark can lay out
/// captchas whose answers it knows (it cannot read the images).
pub fn answer_hash(id: &str, answer: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{answer}").as_bytes()))
}

/// A new captcha: its id and PNG image. The answer exists only as a hash.
pub fn create(conn: &mut DbConn, ttl: std::time::Duration) -> Result<(String, Vec<u8>), ApiError> {
    let mut c = Captcha::new();
    c.set_chars(&DIGITS)
        .add_chars(LENGTH)
        .apply_filter(Noise::new(0.2))
        .apply_filter(Wave::new(2.0, 12.0).horizontal())
        .view(200, 70);
    let answer = c.chars_as_string();
    let png = c.as_png().ok_or(ApiError::Internal)?;
    let id = new_id();
    let created = now();
    let ttl = ChronoDuration::from_std(ttl).unwrap_or(ChronoDuration::minutes(2));
    // Expired captchas are swept by whoever makes a new one.
    diesel::delete(captchas::table.filter(captchas::expires_at.lt(created))).execute(conn)?;
    diesel::insert_into(captchas::table)
        .values((
            captchas::id.eq(&id),
            captchas::answer_hash.eq(answer_hash(&id, &answer)),
            captchas::expires_at.eq(created + ttl),
            captchas::created_at.eq(created),
        ))
        .execute(conn)?;
    Ok((id, png))
}

fn captcha_error(fa: &str, en: &str) -> ApiError {
    let mut f = FieldErrors::new();
    f.add("captcha_answer", Msg::new(fa, en));
    ApiError::Validation(f)
}

/// Checks and consumes a captcha: right or wrong, it cannot be used again.
pub fn verify(conn: &mut DbConn, id: Option<&str>, answer: Option<&str>) -> Result<(), ApiError> {
    let (Some(id), Some(answer)) = (id.filter(|s| !s.is_empty()), answer.filter(|s| !s.is_empty())) else {
        return Err(captcha_error("کد امنیتی را وارد کنید.", "Enter the security code."));
    };
    let row: Option<(String, chrono::NaiveDateTime)> =
        captchas::table.find(id).select((captchas::answer_hash, captchas::expires_at)).first(conn).optional()?;
    // Deleting decides who consumed it: of two concurrent uses only one deletes the row.
    let deleted = diesel::delete(captchas::table.find(id)).execute(conn)?;
    let Some((hash, expires_at)) = row.filter(|_| deleted == 1) else {
        return Err(captcha_error(
            "کد امنیتی منقضی شده یا پیش‌تر به کار رفته است؛ کد تازه‌ای بگیرید.",
            "The security code has expired or was already used; get a new one.",
        ));
    };
    if expires_at < now() {
        return Err(captcha_error(
            "کد امنیتی منقضی شده است؛ کد تازه‌ای بگیرید.",
            "The security code has expired; get a new one.",
        ));
    }
    let given = crate::text::normalize_digits(answer.trim());
    if answer_hash(id, &given) != hash {
        return Err(captcha_error("کد امنیتی نادرست است.", "The security code is incorrect."));
    }
    Ok(())
}
