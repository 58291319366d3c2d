//! anjoman-ballot-crypto: the arithmetic of verifiable ballots (EL-10), with no I/O.
//!
//! - Exponential ElGamal on Ristretto255: a choice `m` is encrypted as `(r·G, m·G + r·Y)` under the
//!   election key `Y`; ciphertexts add up, so the sum of ballots encrypts the count.
//! - Disjunctive Chaum–Pedersen proofs (Cramer–Damgård–Schoenmakers) that a ciphertext encrypts a
//!   value in `0..=max`: each choice is 0 or 1 (`max = 1`) and each contest's sum is at most its
//!   maximum.
//! - Threshold trustees: a dealerless key generation in which every trustee deals a Feldman
//!   verifiable secret sharing of degree `k - 1`; any `k` of the `n` trustees decrypt, each with a
//!   proof that its partial decryption matches its public verification key.
//! - Fiat–Shamir challenges hash a domain label, the election id and every public value
//!   (SHA-512, reduced to a scalar, or its first 128 bits for the disjunctive proofs of ballots),
//!   so a proof made for one election or statement is worthless elsewhere.
//! - Counts are recovered from `m·G` by baby-step giant-step up to the electorate size.
//!
//! Ballots serialise compactly (unpadded base64url of ciphertexts and proofs); trustees' values as
//! lowercase hex of their 32-byte encodings (see [`wire`]).

#![forbid(unsafe_code)]

pub mod ceremony;
pub mod elgamal;
pub mod proofs;
pub mod record;
pub mod threshold;
pub mod wire;

pub use curve25519_dalek::ristretto::RistrettoPoint as Point;
pub use curve25519_dalek::scalar::Scalar;

/// Why something did not verify or decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("not a valid encoding: {0}")]
    Encoding(&'static str),
    #[error("a proof does not verify: {0}")]
    Proof(&'static str),
    #[error("the count is beyond the bound searched")]
    OutOfRange,
    #[error("not enough partial decryptions: {0}")]
    Threshold(&'static str),
}

/// The group's generator.
pub fn g() -> Point {
    curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT
}

/// A fresh random scalar from the operating system's generator.
pub fn random_scalar() -> Scalar {
    let mut bytes = [0u8; 64];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    Scalar::from_bytes_mod_order_wide(&bytes)
}

fn transcript(label: &str, election: &str, points: &[Point]) -> [u8; 64] {
    use sha2::{Digest, Sha512};
    let mut h = Sha512::new();
    h.update(b"anjoman-ballot-crypto/v1\0");
    h.update((label.len() as u64).to_le_bytes());
    h.update(label.as_bytes());
    h.update((election.len() as u64).to_le_bytes());
    h.update(election.as_bytes());
    // Each point enters as the encoding of its double: one batched inversion for all of them
    // instead of one per point (doubling is a bijection of the prime-order group).
    for c in Point::double_and_compress_batch(points) {
        h.update(c.as_bytes());
    }
    let mut wide = [0u8; 64];
    wide.copy_from_slice(&h.finalize());
    wide
}

/// Fiat–Shamir: a challenge scalar from a domain label, the election id and public points.
pub fn challenge(label: &str, election: &str, points: &[Point]) -> Scalar {
    Scalar::from_bytes_mod_order_wide(&transcript(label, election, points))
}

/// A 128-bit Fiat–Shamir challenge (the first 16 bytes of the same hash), for the proofs in
/// every ballot: 128-bit challenges keep 128-bit soundness, halve their size on the wire and
/// shorten the verifier's scalar multiplications.
pub fn challenge128(label: &str, election: &str, points: &[Point]) -> u128 {
    let wide = transcript(label, election, points);
    let mut low = [0u8; 16];
    low.copy_from_slice(&wide[..16]);
    u128::from_le_bytes(low)
}
