//! Password policy (ID-04) and argon2id hashing with configurable cost.

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::{Argon2Params, PasswordPolicy};
use crate::error::Msg;

/// The 20,000 most common passwords of public breach corpora (from the zxcvbn project, MIT).
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

fn common_passwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
}

/// Checks a new password against the policy; returns every problem found.
pub fn check_policy(policy: &PasswordPolicy, password: &str, national_code: &str) -> Result<(), Vec<Msg>> {
    let mut problems = Vec::new();
    let length = password.chars().count();
    if length < policy.min_length {
        problems.push(Msg::new(
            format!("رمز عبور باید دست‌کم {} نویسه باشد.", policy.min_length),
            format!("The password must be at least {} characters long.", policy.min_length),
        ));
    }
    if length > policy.max_length {
        problems.push(Msg::new(
            format!("رمز عبور حداکثر می‌تواند {} نویسه باشد.", policy.max_length),
            format!("The password may be at most {} characters long.", policy.max_length),
        ));
    }
    if policy.require_classes {
        let upper = password.chars().any(|c| c.is_ascii_uppercase());
        let lower = password.chars().any(|c| c.is_ascii_lowercase());
        let digit = password.chars().any(|c| c.is_ascii_digit());
        if !(upper && lower && digit) {
            problems.push(Msg::new(
                "رمز عبور باید حروف بزرگ و کوچک لاتین و دست‌کم یک رقم داشته باشد.",
                "The password must contain upper- and lower-case Latin letters and a digit.",
            ));
        }
    }
    let normalized = crate::text::normalize_digits(password);
    if normalized.contains(national_code) && !national_code.is_empty() {
        problems.push(Msg::new(
            "رمز عبور نباید کد ملی شما باشد یا آن را در بر داشته باشد.",
            "The password must not be or contain your national code.",
        ));
    }
    if common_passwords().contains(password.to_lowercase().as_str()) {
        problems.push(Msg::new(
            "این رمز عبور بسیار رایج است و به‌راحتی حدس زده می‌شود؛ رمز دیگری برگزینید.",
            "This password is too common and easily guessed; choose another.",
        ));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

fn argon2(params: &Argon2Params) -> Argon2<'static> {
    let p = Params::new(params.memory_kib, params.iterations, params.parallelism, None)
        .unwrap_or_else(|_| Params::default());
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
}

/// Hashes a password into a PHC string (argon2id, random salt).
pub fn hash_password(params: &Argon2Params, password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    match argon2(params).hash_password(password.as_bytes(), &salt) {
        Ok(hash) => hash.to_string(),
        Err(e) => {
            // Only possible with invalid parameters; never store a usable empty hash.
            tracing::error!(error = %e, "argon2 hashing failed");
            String::from("!")
        }
    }
}

/// Verifies a password against a stored PHC string; the cost comes from the string itself.
pub fn verify_password(params: &Argon2Params, hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2(params).verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A random password for accounts created by an administrator (ID-03): it is never shown, the
/// person fetches a new one through recovery.
pub fn random_password() -> String {
    use rand::Rng;
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::thread_rng();
    let mut out: Vec<u8> = Vec::with_capacity(20);
    for set in [LOWER, UPPER, DIGITS] {
        out.push(set[rng.gen_range(0..set.len())]);
    }
    let all: Vec<u8> = [LOWER, UPPER, DIGITS].concat();
    while out.len() < 20 {
        out.push(all[rng.gen_range(0..all.len())]);
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> PasswordPolicy {
        PasswordPolicy { min_length: 8, max_length: 128, require_classes: true }
    }

    #[test]
    fn accepts_strong_password_with_spaces_and_symbols() {
        assert!(check_policy(&policy(), "Gol-e Sorkh 1403!", "0499370899").is_ok());
    }

    #[test]
    fn rejects_short_classless_common_and_national_code() {
        assert!(check_policy(&policy(), "Ab1", "0499370899").is_err());
        assert!(check_policy(&policy(), "abcdefgh1", "0499370899").is_err());
        assert!(check_policy(&policy(), "Password1", "0499370899").is_err());
        assert!(check_policy(&policy(), "Xy0499370899", "0499370899").is_err());
        assert!(check_policy(&policy(), &"Aa1".repeat(43), "0499370899").is_err());
    }

    #[test]
    fn hashes_and_verifies() {
        let params = Argon2Params { memory_kib: 64, iterations: 1, parallelism: 1 };
        let hash = hash_password(&params, "Secret-pass1");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&params, &hash, "Secret-pass1"));
        assert!(!verify_password(&params, &hash, "Secret-pass2"));
    }

    #[test]
    fn random_password_meets_policy() {
        let pw = random_password();
        assert!(check_policy(&policy(), &pw, "0499370899").is_ok(), "{pw}");
    }
}
