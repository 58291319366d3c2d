//! Zero-knowledge proofs, made non-interactive by Fiat–Shamir ([`crate::challenge`]).
//!
//! - [`RangeProof`]: a ciphertext `(a, b)` under `Y` encrypts some `v` in `0..=max`. For each `j`
//!   the statement is "`log_G a = log_Y (b - j·G)`"; one branch is proven, the others simulated,
//!   and the challenges must add up to the hash (Cramer–Damgård–Schoenmakers).
//! - [`DleqProof`]: `log_G X = log_H Z` (Chaum–Pedersen): a trustee's partial decryption
//!   `D = x·a` matches its verification key `X = x·G`.
//! - [`SchnorrProof`]: knowledge of `log_G X` (a trustee's key possession).

use crate::elgamal::Ciphertext;
use crate::{Error, Point, Scalar, challenge, g, random_scalar};

/// Proof that a ciphertext encrypts a value in `0..=max`: one `(c_j, s_j)` per value, the
/// challenges 128-bit and adding up (mod 2^128) to the hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeProof {
    pub challenges: Vec<u128>,
    pub responses: Vec<Scalar>,
}

/// The commitments branch `j` implies, `shifted = b - j·G`: `s·G - c·a` and `s·Y - c·shifted`.
/// They are public values (published in the proof, or about to be), so variable-time arithmetic
/// leaks nothing; the 128-bit challenge multiplies the negated point, keeping its scalar short.
fn branch_commitments(y: &Point, a: &Point, shifted: &Point, c: u128, s: &Scalar) -> (Point, Point) {
    use curve25519_dalek::traits::VartimeMultiscalarMul;
    let c = Scalar::from(c);
    (Point::vartime_double_scalar_mul_basepoint(&c, &-a, s), Point::vartime_multiscalar_mul([*s, c], [*y, -shifted]))
}

fn range_hash(election: &str, label: &str, y: &Point, ct: &Ciphertext, commitments: &[(Point, Point)]) -> u128 {
    let mut points = Vec::with_capacity(3 + 2 * commitments.len());
    points.extend([*y, ct.a, ct.b]);
    for (a, b) in commitments {
        points.push(*a);
        points.push(*b);
    }
    crate::challenge128(label, election, &points)
}

impl RangeProof {
    /// Proves that `ct = Enc(v; r)` under `y` with `v <= max`. `label` binds the proof to its place
    /// in the ballot (e.g. `contest-3/choice-1`).
    pub fn prove(election: &str, label: &str, y: &Point, ct: &Ciphertext, v: u64, r: &Scalar, max: u64) -> Self {
        assert!(v <= max, "the value must be in range");
        let n = (max + 1) as usize;
        let mut challenges = vec![0u128; n];
        let mut responses = vec![Scalar::ZERO; n];
        let mut commitments = Vec::with_capacity(n);
        let w = random_scalar();
        let mut shifted = ct.b;
        for j in 0..n {
            if j as u64 == v {
                commitments.push((g() * w, y * w));
            } else {
                challenges[j] = random_u128();
                responses[j] = random_scalar();
                commitments.push(branch_commitments(y, &ct.a, &shifted, challenges[j], &responses[j]));
            }
            shifted -= g();
        }
        let c = range_hash(election, label, y, ct, &commitments);
        let others = challenges.iter().fold(0u128, |acc, x| acc.wrapping_add(*x));
        challenges[v as usize] = c.wrapping_sub(others);
        responses[v as usize] = w + Scalar::from(challenges[v as usize]) * r;
        Self { challenges, responses }
    }

    pub fn verify(&self, election: &str, label: &str, y: &Point, ct: &Ciphertext, max: u64) -> Result<(), Error> {
        let n = (max + 1) as usize;
        if self.challenges.len() != n || self.responses.len() != n {
            return Err(Error::Proof("range proof of the wrong size"));
        }
        let mut shifted = ct.b;
        let mut commitments = Vec::with_capacity(n);
        for j in 0..n {
            commitments.push(branch_commitments(y, &ct.a, &shifted, self.challenges[j], &self.responses[j]));
            shifted -= g();
        }
        let c = range_hash(election, label, y, ct, &commitments);
        let sum = self.challenges.iter().fold(0u128, |acc, x| acc.wrapping_add(*x));
        if sum == c { Ok(()) } else { Err(Error::Proof("range proof")) }
    }
}

fn random_u128() -> u128 {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    u128::from_le_bytes(bytes)
}

/// Chaum–Pedersen proof that `log_G X = log_H Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DleqProof {
    pub challenge: Scalar,
    pub response: Scalar,
}

impl DleqProof {
    pub fn prove(election: &str, label: &str, x: &Scalar, h: &Point) -> Self {
        let (big_x, z) = (g() * x, h * x);
        let w = random_scalar();
        let c = challenge(label, election, &[big_x, *h, z, g() * w, h * w]);
        Self { challenge: c, response: w + c * x }
    }

    pub fn verify(&self, election: &str, label: &str, big_x: &Point, h: &Point, z: &Point) -> Result<(), Error> {
        let t1 = g() * self.response - big_x * self.challenge;
        let t2 = h * self.response - z * self.challenge;
        if challenge(label, election, &[*big_x, *h, *z, t1, t2]) == self.challenge {
            Ok(())
        } else {
            Err(Error::Proof("equality of discrete logarithms"))
        }
    }
}

/// Schnorr proof of knowledge of `log_G X`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchnorrProof {
    pub challenge: Scalar,
    pub response: Scalar,
}

impl SchnorrProof {
    pub fn prove(election: &str, label: &str, x: &Scalar) -> Self {
        let w = random_scalar();
        let c = challenge(label, election, &[g() * x, g() * w]);
        Self { challenge: c, response: w + c * x }
    }

    pub fn verify(&self, election: &str, label: &str, big_x: &Point) -> Result<(), Error> {
        let t = g() * self.response - big_x * self.challenge;
        if challenge(label, election, &[*big_x, t]) == self.challenge {
            Ok(())
        } else {
            Err(Error::Proof("key possession"))
        }
    }
}

/// One contest of an encrypted ballot: a ciphertext per candidate, each proven 0 or 1; a "blank"
/// ciphertext, proven 0 or 1, that is 1 exactly when no one is chosen; and a proof that
/// `Σ choices + max·blank` lies in `1..=max` — so a contest has between one and `max` choices, or
/// none and the blank mark, and the blank ballots are counted like candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedContest {
    pub choices: Vec<Ciphertext>,
    pub choice_proofs: Vec<RangeProof>,
    pub blank: Ciphertext,
    pub blank_proof: RangeProof,
    pub sum_proof: RangeProof,
}

/// `Σ choices + max·blank - G`: encrypts `selections - 1` (or `max - 1` for a blank contest),
/// which the sum proof shows to lie in `0..max`.
pub fn shifted_sum(choices: &[Ciphertext], blank: &Ciphertext, max: u64) -> Ciphertext {
    let sum = choices.iter().fold(Ciphertext::zero(), |acc, c| acc + *c);
    let m = Scalar::from(max);
    Ciphertext { a: sum.a + blank.a * m, b: sum.b + blank.b * m - g() }
}

/// The labels that bind each proof to its place in the ballot.
pub fn choice_label(contest: &str, i: usize) -> String {
    format!("{contest}/choice-{i}")
}
pub fn blank_label(contest: &str) -> String {
    format!("{contest}/blank")
}
pub fn sum_label(contest: &str) -> String {
    format!("{contest}/sum")
}

/// Encrypts one contest's selection (`selected[i]` for candidate `i`) with all its proofs.
pub fn encrypt_contest(election: &str, contest: &str, y: &Point, selected: &[bool], max: u64) -> EncryptedContest {
    assert!(max >= 1, "a contest allows at least one selection");
    let count = selected.iter().filter(|s| **s).count() as u64;
    assert!(count <= max, "more selections than allowed");
    let mut choices = Vec::new();
    let mut choice_proofs = Vec::new();
    let mut r_sum = Scalar::ZERO;
    for (i, s) in selected.iter().enumerate() {
        let v = u64::from(*s);
        let (ct, r) = crate::elgamal::encrypt(y, v);
        choice_proofs.push(RangeProof::prove(election, &choice_label(contest, i), y, &ct, v, &r, 1));
        choices.push(ct);
        r_sum += r;
    }
    let is_blank = u64::from(count == 0);
    let (blank, r_blank) = crate::elgamal::encrypt(y, is_blank);
    let blank_proof = RangeProof::prove(election, &blank_label(contest), y, &blank, is_blank, &r_blank, 1);
    let shifted = shifted_sum(&choices, &blank, max);
    let value = count + max * is_blank - 1;
    let r_shifted = r_sum + r_blank * Scalar::from(max);
    let sum_proof = RangeProof::prove(election, &sum_label(contest), y, &shifted, value, &r_shifted, max - 1);
    EncryptedContest { choices, choice_proofs, blank, blank_proof, sum_proof }
}

impl EncryptedContest {
    /// Checks every proof: `candidates` ciphertexts and the blank mark, each 0 or 1, with between
    /// one and `max` choices or else the blank mark.
    pub fn verify(&self, election: &str, contest: &str, y: &Point, candidates: usize, max: u64) -> Result<(), Error> {
        if max == 0 {
            return Err(Error::Proof("a contest allows at least one selection"));
        }
        if self.choices.len() != candidates || self.choice_proofs.len() != candidates {
            return Err(Error::Proof("wrong number of choices"));
        }
        for (i, (ct, p)) in self.choices.iter().zip(&self.choice_proofs).enumerate() {
            p.verify(election, &choice_label(contest, i), y, ct, 1)?;
        }
        self.blank_proof.verify(election, &blank_label(contest), y, &self.blank, 1)?;
        let shifted = shifted_sum(&self.choices, &self.blank, max);
        self.sum_proof.verify(election, &sum_label(contest), y, &shifted, max - 1)
    }
}
