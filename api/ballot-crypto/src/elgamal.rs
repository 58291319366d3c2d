//! Exponential ElGamal: `Enc(m; r) = (r·G, m·G + r·Y)`.

use std::collections::HashMap;
use std::ops::Add;

use curve25519_dalek::traits::Identity;

use crate::{Error, Point, Scalar, g};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ciphertext {
    pub a: Point,
    pub b: Point,
}

impl Ciphertext {
    /// The encryption of 0 with randomness 0: the neutral element of the sum.
    pub fn zero() -> Self {
        Self { a: Point::identity(), b: Point::identity() }
    }
}

impl Add for Ciphertext {
    type Output = Ciphertext;
    fn add(self, o: Ciphertext) -> Ciphertext {
        Ciphertext { a: self.a + o.a, b: self.b + o.b }
    }
}

/// Encrypts `m` under `y` with the given randomness (kept by the caller for proofs).
pub fn encrypt_with(y: &Point, m: u64, r: &Scalar) -> Ciphertext {
    Ciphertext { a: g() * r, b: g() * Scalar::from(m) + y * r }
}

/// Encrypts `m` under `y` with fresh randomness; returns the ciphertext and the randomness.
pub fn encrypt(y: &Point, m: u64) -> (Ciphertext, Scalar) {
    let r = crate::random_scalar();
    (encrypt_with(y, m, &r), r)
}

/// `m·G` from the ciphertext and the secret key (single-key use and tests).
pub fn decrypt_point(x: &Scalar, c: &Ciphertext) -> Point {
    c.b - c.a * x
}

/// Recovers `m` from `m·G` for `0 <= m <= bound` by baby-step giant-step.
pub fn discrete_log(target: &Point, bound: u64) -> Result<u64, Error> {
    let step = ((bound + 1) as f64).sqrt().ceil() as u64;
    let step = step.max(1);
    let mut baby: HashMap<[u8; 32], u64> = HashMap::with_capacity(step as usize);
    let mut p = Point::identity();
    for j in 0..step {
        baby.entry(p.compress().to_bytes()).or_insert(j);
        p += g();
    }
    let giant = -(g() * Scalar::from(step));
    let mut gamma = *target;
    for i in 0..=step {
        if let Some(j) = baby.get(&gamma.compress().to_bytes()) {
            let m = i * step + j;
            if m <= bound {
                return Ok(m);
            }
        }
        gamma += giant;
    }
    Err(Error::OutOfRange)
}
