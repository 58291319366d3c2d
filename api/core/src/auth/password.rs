//! Password policy (ID-04) and argon2id hashing with configurable cost.

use std::collections::HashSet;
use std::sync::OnceLock;

use std::sync::Mutex;

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Block, Params, Version};

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

/// Argon2 working memory kept for the next check (one block set per core at most). Allocating
/// 19 MiB afresh for every login leaves it resident in the allocator's per-thread arenas, one
/// set per blocking thread that ever hashed: hundreds of MiB after a burst of logins.
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

fn with_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let mut memory = MEMORY.lock().ok().and_then(|mut kept| kept.pop()).unwrap_or_default();
    memory.resize(blocks, Block::default());
    let out = f(&mut memory);
    let keep = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    if let Ok(mut kept) = MEMORY.lock()
        && kept.len() < keep
    {
        kept.push(memory);
    }
    out
}

/// Verifies a password against a stored PHC string; the cost comes from the string itself
/// (`_params` is the configured cost, which new hashes get). The comparison is constant-time.
pub fn verify_password(_params: &Argon2Params, hash: &str, password: &str) -> bool {
    if is_bcrypt(hash) {
        // Carried over from the officers' previous system (TO-10); re-hashed at first login.
        return bcrypt::verify(password, hash).unwrap_or(false);
    }
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let (Ok(algorithm), Ok(cost)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed)) else {
        return false;
    };
    let Ok(version) = parsed.version.map_or(Ok(Version::V0x13), Version::try_from) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, cost.clone());
    let hashed = with_memory(cost.block_count(), |m| {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, m)
    });
    hashed.is_ok() && Output::new(&out).is_ok_and(|computed| computed == expected)
}

fn is_bcrypt(hash: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p))
}

/// The highest costs an imported hash may carry: each login would pay them until the first
/// one re-hashes it, so an import cannot make logins arbitrarily slow.
const MAX_BCRYPT_COST: u32 = 14;
const MAX_IMPORTED_ARGON2_KIB: u32 = 256 * 1024;
const MAX_IMPORTED_ARGON2_ITERATIONS: u32 = 10;
const MAX_IMPORTED_ARGON2_LANES: u32 = 8;

/// Whether another system's password hash can be carried over (TO-10): bcrypt (`$2a$`, `$2b$`,
/// `$2y$`, cost 4 to 14) or an argon2 PHC string (`$argon2id$…`, `$argon2i$…`, `$argon2d$…`)
/// within bounded costs. `Err` says what is wrong.
pub fn check_imported_hash(hash: &str) -> Result<(), &'static str> {
    if is_bcrypt(hash) {
        let parts: Vec<&str> = hash.split('$').collect();
        let cost = parts.get(2).and_then(|c| (c.len() == 2).then(|| c.parse::<u32>().ok()).flatten());
        let body_ok = parts.len() == 4
            && parts[3].len() == 53
            && parts[3].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/');
        return match cost {
            Some(c) if (4..=MAX_BCRYPT_COST).contains(&c) && body_ok => Ok(()),
            Some(c) if c > MAX_BCRYPT_COST && body_ok => Err("bcrypt cost above 14"),
            _ => Err("not a bcrypt hash"),
        };
    }
    let parsed = PasswordHash::new(hash).map_err(|_| "neither bcrypt nor a PHC string")?;
    if Algorithm::try_from(parsed.algorithm).is_err() {
        return Err("a PHC string of an unsupported algorithm (bcrypt or argon2 only)");
    }
    let cost = Params::try_from(&parsed).map_err(|_| "invalid argon2 parameters")?;
    if parsed.salt.is_none() || parsed.hash.is_none() {
        return Err("a PHC string without salt or hash");
    }
    if cost.m_cost() > MAX_IMPORTED_ARGON2_KIB
        || cost.t_cost() > MAX_IMPORTED_ARGON2_ITERATIONS
        || cost.p_cost() > MAX_IMPORTED_ARGON2_LANES
    {
        return Err("argon2 cost above 256 MiB, 10 iterations or 8 lanes");
    }
    Ok(())
}

/// Whether a stored hash should be replaced, at the next successful login, by an argon2id hash
/// at the configured cost: hashes carried over from another system (bcrypt, argon2i/d).
pub fn needs_rehash(hash: &str) -> bool {
    !hash.starts_with("$argon2id$")
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
    fn verification_takes_the_cost_from_the_stored_hash_and_reuses_memory() {
        // A hash made with another cost (say before the configured one changed), by argon2's
        // own hasher: still verified, with reused working memory of another size in between.
        let old = Argon2Params { memory_kib: 256, iterations: 2, parallelism: 2 };
        let now = Argon2Params { memory_kib: 64, iterations: 1, parallelism: 1 };
        let old_hash = hash_password(&old, "Secret-pass1");
        let new_hash = hash_password(&now, "Secret-pass1");
        for _ in 0..3 {
            assert!(verify_password(&now, &old_hash, "Secret-pass1"));
            assert!(verify_password(&now, &new_hash, "Secret-pass1"));
            assert!(!verify_password(&now, &old_hash, "secret-pass1"));
        }
        for broken in ["", "!", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ", &old_hash.replace("$v=19$", "$v=7$")] {
            assert!(!verify_password(&now, broken, "Secret-pass1"), "{broken}");
        }
    }

    #[test]
    fn imported_bcrypt_and_argon2_hashes_verify_and_are_bounded() {
        let now = Argon2Params { memory_kib: 64, iterations: 1, parallelism: 1 };
        let b = bcrypt::hash_with_result("Old-system-pass1", 4).unwrap().format_for_version(bcrypt::Version::TwoY);
        assert!(b.starts_with("$2y$04$"));
        assert_eq!(check_imported_hash(&b), Ok(()));
        assert!(verify_password(&now, &b, "Old-system-pass1"));
        assert!(!verify_password(&now, &b, "Old-system-pass2"));
        assert!(needs_rehash(&b));
        let a2b = b.replacen("$2y$", "$2b$", 1);
        assert!(verify_password(&now, &a2b, "Old-system-pass1"));
        let argon2i = {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::new(64, 1, 1, None).unwrap())
                .hash_password(b"Old-system-pass1", &salt)
                .unwrap()
                .to_string()
        };
        assert_eq!(check_imported_hash(&argon2i), Ok(()));
        assert!(verify_password(&now, &argon2i, "Old-system-pass1"));
        assert!(needs_rehash(&argon2i));
        assert!(!needs_rehash(&hash_password(&now, "x")));
        let slow = b.replacen("$04$", "$20$", 1);
        assert_eq!(check_imported_hash(&slow), Err("bcrypt cost above 14"));
        for bad in [
            "",
            "plain",
            "$2y$04$short",
            "$pbkdf2-sha256$i=1000$c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1048576,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        ] {
            assert!(check_imported_hash(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn random_password_meets_policy() {
        let pw = random_password();
        assert!(check_policy(&policy(), &pw, "0499370899").is_ok(), "{pw}");
    }
}
