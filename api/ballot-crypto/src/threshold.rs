//! Threshold trustees without a dealer: each of the `n` trustees picks a random polynomial of
//! degree `k - 1`, publishes Feldman commitments to its coefficients (with a Schnorr proof for the
//! constant term) and gives trustee `j` the share `f_i(j)` privately. Trustee `j` checks every
//! share it receives against the commitments and keeps `x_j = Σ_i f_i(j)`; the election key is
//! `Y = Σ_i f_i(0)·G`, which no one knows the logarithm of. Any `k` trustees decrypt:
//! `x·a = Σ λ_j·(x_j·a)` with Lagrange coefficients at 0.

use curve25519_dalek::traits::Identity;

use crate::elgamal::Ciphertext;
use crate::proofs::{DleqProof, SchnorrProof};
use crate::{Error, Point, Scalar, g, random_scalar};

/// What trustee `i` publishes: commitments `a_{i,l}·G` and the proof for `a_{i,0}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dealing {
    pub trustee: u32,
    pub commitments: Vec<Point>,
    pub proof: SchnorrProof,
}

/// Trustee `i`'s polynomial: kept on its device until the shares are handed out.
pub struct Polynomial {
    pub trustee: u32,
    coefficients: Vec<Scalar>,
}

impl Polynomial {
    pub fn random(trustee: u32, threshold: u32) -> Self {
        assert!(trustee >= 1 && threshold >= 1);
        Self { trustee, coefficients: (0..threshold).map(|_| random_scalar()).collect() }
    }

    pub fn dealing(&self, election: &str) -> Dealing {
        Dealing {
            trustee: self.trustee,
            commitments: self.coefficients.iter().map(|a| g() * a).collect(),
            proof: SchnorrProof::prove(election, &format!("trustee-{}/key", self.trustee), &self.coefficients[0]),
        }
    }

    /// The share for trustee `j` (1-based), sent to it privately.
    pub fn share_for(&self, j: u32) -> Scalar {
        let x = Scalar::from(u64::from(j));
        self.coefficients.iter().rev().fold(Scalar::ZERO, |acc, a| acc * x + a)
    }
}

/// `Σ_l j^l·C_l`: what a share for trustee `j` must be the logarithm of.
fn evaluate_commitments(commitments: &[Point], j: u32) -> Point {
    let x = Scalar::from(u64::from(j));
    commitments.iter().rev().fold(Point::identity(), |acc, c| acc * x + c)
}

impl Dealing {
    pub fn verify(&self, election: &str, threshold: u32) -> Result<(), Error> {
        if self.commitments.len() != threshold as usize {
            return Err(Error::Proof("dealing of the wrong degree"));
        }
        self.proof.verify(election, &format!("trustee-{}/key", self.trustee), &self.commitments[0])
    }

    /// Trustee `j` checks the share it received from this dealing.
    pub fn check_share(&self, j: u32, share: &Scalar) -> Result<(), Error> {
        if g() * share == evaluate_commitments(&self.commitments, j) {
            Ok(())
        } else {
            Err(Error::Proof("share does not match its commitments"))
        }
    }
}

/// The election key from all the dealings.
pub fn election_key(dealings: &[Dealing]) -> Point {
    dealings.iter().map(|d| d.commitments[0]).fold(Point::identity(), |a, b| a + b)
}

/// Trustee `j`'s public verification key `x_j·G`, from the dealings alone.
pub fn verification_key(dealings: &[Dealing], j: u32) -> Point {
    dealings.iter().map(|d| evaluate_commitments(&d.commitments, j)).fold(Point::identity(), |a, b| a + b)
}

/// A trustee's partial decryption of one ciphertext, with its proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDecryption {
    pub trustee: u32,
    pub factor: Point,
    pub proof: DleqProof,
}

pub fn partial_decrypt(
    election: &str,
    label: &str,
    trustee: u32,
    secret_share: &Scalar,
    ct: &Ciphertext,
) -> PartialDecryption {
    PartialDecryption {
        trustee,
        factor: ct.a * secret_share,
        proof: DleqProof::prove(election, &format!("{label}/trustee-{trustee}"), secret_share, &ct.a),
    }
}

impl PartialDecryption {
    pub fn verify(&self, election: &str, label: &str, verification_key: &Point, ct: &Ciphertext) -> Result<(), Error> {
        self.proof.verify(election, &format!("{label}/trustee-{}", self.trustee), verification_key, &ct.a, &self.factor)
    }
}

/// Lagrange coefficient at 0 of trustee `j` among `set`.
fn lagrange(j: u32, set: &[u32]) -> Scalar {
    let xj = Scalar::from(u64::from(j));
    set.iter().filter(|m| **m != j).fold(Scalar::ONE, |acc, m| {
        let xm = Scalar::from(u64::from(*m));
        acc * xm * (xm - xj).invert()
    })
}

/// `m·G` from at least `threshold` verified partial decryptions of distinct trustees.
pub fn combine(ct: &Ciphertext, partials: &[PartialDecryption], threshold: u32) -> Result<Point, Error> {
    let mut set: Vec<u32> = partials.iter().map(|p| p.trustee).collect();
    set.sort_unstable();
    set.dedup();
    if set.len() != partials.len() {
        return Err(Error::Threshold("a trustee appears twice"));
    }
    if set.len() < threshold as usize || set.contains(&0) {
        return Err(Error::Threshold("fewer trustees than the threshold"));
    }
    let set: Vec<u32> = set.into_iter().take(threshold as usize).collect();
    let xa = partials
        .iter()
        .filter(|p| set.contains(&p.trustee))
        .fold(Point::identity(), |acc, p| acc + p.factor * lagrange(p.trustee, &set));
    Ok(ct.b - xa)
}
