//! The trustees' key ceremony, with the server only as a courier.
//!
//! 1. Each trustee makes a transport key pair on its own device and publishes `T = t·G` with a
//!    Schnorr proof.
//! 2. Once all `n` transport keys are published, each trustee makes its polynomial and publishes
//!    its [`crate::threshold::Dealing`] and, for every trustee `j`, the share `f_i(j)` encrypted to
//!    `T_j` ([`EncryptedShare`]).
//! 3. Each trustee decrypts the shares addressed to it, checks each against its dealing's
//!    commitments, keeps `x_j = Σ_i f_i(j)` on its device and confirms by publishing `x_j·G`, which
//!    anyone can compare with the verification key computed from the dealings.
//!
//! A share is encrypted as `(E, s + H(E, t·E))` with `E = e·G` — a one-time pad in the scalar
//! field keyed by a Diffie–Hellman secret, hashed with the election id and both trustees' places.

use crate::proofs::SchnorrProof;
use crate::{Error, Point, Scalar, challenge, g, random_scalar};

/// Label of a trustee's transport key proof.
pub fn transport_label(trustee: u32) -> String {
    format!("trustee-{trustee}/transport")
}

fn share_label(from: u32, to: u32) -> String {
    format!("share/{from}-{to}")
}

/// A transport key pair: the secret stays on the trustee's device.
pub fn transport_keypair(election: &str, trustee: u32) -> (Scalar, Point, SchnorrProof) {
    let t = random_scalar();
    (t, g() * t, SchnorrProof::prove(election, &transport_label(trustee), &t))
}

/// A share from trustee `from` to trustee `to`, readable only with `to`'s transport secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncryptedShare {
    pub to: u32,
    pub ephemeral: Point,
    pub masked: Scalar,
}

fn pad(election: &str, from: u32, to: u32, transport: &Point, ephemeral: &Point, shared: &Point) -> Scalar {
    challenge(&share_label(from, to), election, &[*transport, *ephemeral, *shared])
}

pub fn encrypt_share(election: &str, from: u32, to: u32, transport: &Point, share: &Scalar) -> EncryptedShare {
    let e = random_scalar();
    let ephemeral = g() * e;
    EncryptedShare { to, ephemeral, masked: share + pad(election, from, to, transport, &ephemeral, &(transport * e)) }
}

pub fn decrypt_share(election: &str, from: u32, secret: &Scalar, s: &EncryptedShare) -> Scalar {
    let transport = g() * secret;
    s.masked - pad(election, from, s.to, &transport, &s.ephemeral, &(s.ephemeral * secret))
}

/// Trustee `j`'s share of the key from every dealing, each checked against its commitments.
pub fn combine_shares(
    election: &str,
    j: u32,
    secret: &Scalar,
    received: &[(&crate::threshold::Dealing, &EncryptedShare)],
) -> Result<Scalar, Error> {
    let mut x = Scalar::ZERO;
    for (dealing, share) in received {
        if share.to != j {
            return Err(Error::Proof("a share addressed to another trustee"));
        }
        let s = decrypt_share(election, dealing.trustee, secret, share);
        dealing.check_share(j, &s)?;
        x += s;
    }
    Ok(x)
}

/// The whole ceremony in one place — for tests, benchmarks and demonstrations only: holding every
/// secret together defeats its purpose in a real election. Returns each trustee's public record
/// and its key share.
pub fn run_locally(election: &str, trustees: u32, threshold: u32) -> (Vec<crate::record::TrusteeRecord>, Vec<Scalar>) {
    use crate::threshold::{Polynomial, verification_key};
    use crate::wire::{TransportKeyJson, dealing_json, point_hex, schnorr_json};
    let transports: Vec<_> = (1..=trustees).map(|i| transport_keypair(election, i)).collect();
    let polys: Vec<Polynomial> = (1..=trustees).map(|i| Polynomial::random(i, threshold)).collect();
    let dealings: Vec<_> = polys.iter().map(|p| p.dealing(election)).collect();
    let encrypted: Vec<Vec<EncryptedShare>> = polys
        .iter()
        .map(|p| {
            (1..=trustees)
                .map(|j| encrypt_share(election, p.trustee, j, &transports[j as usize - 1].1, &p.share_for(j)))
                .collect()
        })
        .collect();
    let shares: Vec<Scalar> = (1..=trustees)
        .map(|j| {
            let received: Vec<_> = dealings.iter().zip(&encrypted).map(|(d, s)| (d, &s[j as usize - 1])).collect();
            combine_shares(election, j, &transports[j as usize - 1].0, &received).expect("honest shares")
        })
        .collect();
    let records = (1..=trustees)
        .map(|i| {
            let k = i as usize - 1;
            crate::record::TrusteeRecord {
                trustee: i,
                transport: TransportKeyJson {
                    trustee: i,
                    key: point_hex(&transports[k].1),
                    proof: schnorr_json(&transports[k].2),
                },
                dealing: dealing_json(&dealings[k], &encrypted[k]),
                verification_key: point_hex(&verification_key(&dealings, i)),
            }
        })
        .collect();
    (records, shares)
}
