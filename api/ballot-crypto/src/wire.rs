//! The versioned JSON format. Ballots and aggregates are compact: each ciphertext and each range
//! proof is one unpadded base64url string. The trustees' messages carry points and scalars as
//! lowercase hex of their canonical 32 bytes. Decoding refuses non-canonical encodings (scalars,
//! base64 with stray bits) and byte strings that are not Ristretto points.

use curve25519_dalek::ristretto::CompressedRistretto;
use serde::{Deserialize, Serialize};

use crate::ceremony::EncryptedShare;
use crate::elgamal::Ciphertext;
use crate::proofs::{DleqProof, EncryptedContest, RangeProof, SchnorrProof};
use crate::threshold::{Dealing, PartialDecryption};
use crate::{Error, Point, Scalar};

pub const VERSION: u32 = 1;

pub fn point_hex(p: &Point) -> String {
    hex::encode(p.compress().as_bytes())
}

pub fn parse_point(s: &str) -> Result<Point, Error> {
    let bytes = hex::decode(s).map_err(|_| Error::Encoding("point: not hex"))?;
    let c = CompressedRistretto::from_slice(&bytes).map_err(|_| Error::Encoding("point: not 32 bytes"))?;
    c.decompress().ok_or(Error::Encoding("point: not on the group"))
}

pub fn scalar_hex(s: &Scalar) -> String {
    hex::encode(s.as_bytes())
}

pub fn parse_scalar(s: &str) -> Result<Scalar, Error> {
    let bytes: [u8; 32] = hex::decode(s)
        .map_err(|_| Error::Encoding("scalar: not hex"))?
        .try_into()
        .map_err(|_| Error::Encoding("scalar: not 32 bytes"))?;
    Option::from(Scalar::from_canonical_bytes(bytes)).ok_or(Error::Encoding("scalar: not canonical"))
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict unpadded base64url: one encoding per byte string.
fn unb64(s: &str, what: &'static str) -> Result<Vec<u8>, Error> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).map_err(|_| Error::Encoding(what))
}

fn point_from(bytes: &[u8]) -> Result<Point, Error> {
    CompressedRistretto::from_slice(bytes)
        .map_err(|_| Error::Encoding("point: not 32 bytes"))?
        .decompress()
        .ok_or(Error::Encoding("point: not on the group"))
}

fn scalar_from(bytes: &[u8]) -> Result<Scalar, Error> {
    let b: [u8; 32] = bytes.try_into().map_err(|_| Error::Encoding("scalar: not 32 bytes"))?;
    Option::from(Scalar::from_canonical_bytes(b)).ok_or(Error::Encoding("scalar: not canonical"))
}

/// A ciphertext on the wire: base64url of `a ‖ b` (64 bytes).
pub fn ct_json(c: &Ciphertext) -> String {
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(c.a.compress().as_bytes());
    bytes[32..].copy_from_slice(c.b.compress().as_bytes());
    b64(&bytes)
}

pub fn ct_parse(s: &str) -> Result<Ciphertext, Error> {
    let bytes = unb64(s, "ciphertext: not base64url")?;
    if bytes.len() != 64 {
        return Err(Error::Encoding("ciphertext: not 64 bytes"));
    }
    Ok(Ciphertext { a: point_from(&bytes[..32])?, b: point_from(&bytes[32..])? })
}

/// A range proof on the wire: base64url of its challenges (16 bytes each, little-endian) then its
/// responses (32 bytes each).
pub fn proof_json(p: &RangeProof) -> String {
    let mut bytes = Vec::with_capacity(48 * p.challenges.len());
    for c in &p.challenges {
        bytes.extend_from_slice(&c.to_le_bytes());
    }
    for r in &p.responses {
        bytes.extend_from_slice(r.as_bytes());
    }
    b64(&bytes)
}

pub fn proof_parse(s: &str) -> Result<RangeProof, Error> {
    let bytes = unb64(s, "proof: not base64url")?;
    if bytes.is_empty() || bytes.len() % 48 != 0 {
        return Err(Error::Encoding("proof: wrong length"));
    }
    let n = bytes.len() / 48;
    let (cs, rs) = bytes.split_at(16 * n);
    Ok(RangeProof {
        challenges: cs.chunks(16).map(|c| u128::from_le_bytes(c.try_into().unwrap_or_default())).collect(),
        responses: rs.chunks(32).map(scalar_from).collect::<Result<_, _>>()?,
    })
}

/// One contest of a ballot: a ciphertext and a 0-or-1 proof per candidate, the blank mark with
/// its proof, and the proof on the contest's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestJson {
    pub contest: String,
    pub choices: Vec<String>,
    pub choice_proofs: Vec<String>,
    pub blank: String,
    pub blank_proof: String,
    pub sum_proof: String,
}

/// An encrypted ballot as the browser sends it and the bulletin board keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotJson {
    pub version: u32,
    pub election: String,
    pub contests: Vec<ContestJson>,
}

pub fn contest_json(contest: &str, c: &EncryptedContest) -> ContestJson {
    ContestJson {
        contest: contest.to_owned(),
        choices: c.choices.iter().map(ct_json).collect(),
        choice_proofs: c.choice_proofs.iter().map(proof_json).collect(),
        blank: ct_json(&c.blank),
        blank_proof: proof_json(&c.blank_proof),
        sum_proof: proof_json(&c.sum_proof),
    }
}

pub fn contest_parse(c: &ContestJson) -> Result<EncryptedContest, Error> {
    Ok(EncryptedContest {
        choices: c.choices.iter().map(|x| ct_parse(x)).collect::<Result<_, _>>()?,
        choice_proofs: c.choice_proofs.iter().map(|x| proof_parse(x)).collect::<Result<_, _>>()?,
        blank: ct_parse(&c.blank)?,
        blank_proof: proof_parse(&c.blank_proof)?,
        sum_proof: proof_parse(&c.sum_proof)?,
    })
}

/// The shape of a contest the verifier checks a ballot against.
pub struct ContestShape<'a> {
    pub id: &'a str,
    pub candidates: usize,
    pub max: u64,
}

/// Decodes a ballot and verifies every proof against the election's key and contests.
pub fn verify_ballot(
    json: &BallotJson,
    election: &str,
    y: &Point,
    shape: &[ContestShape<'_>],
) -> Result<Vec<EncryptedContest>, Error> {
    if json.version != VERSION {
        return Err(Error::Encoding("unknown ballot version"));
    }
    if json.election != election {
        return Err(Error::Proof("ballot of another election"));
    }
    if json.contests.len() != shape.len() {
        return Err(Error::Proof("wrong number of contests"));
    }
    shape
        .iter()
        .zip(&json.contests)
        .map(|(s, c)| {
            if c.contest != s.id {
                return Err(Error::Proof("contests out of order"));
            }
            let parsed = contest_parse(c)?;
            parsed.verify(election, s.id, y, s.candidates, s.max)?;
            Ok(parsed)
        })
        .collect()
}

/// The tracking code of a ballot: SHA-256 of its canonical JSON (as [`serde_json::to_string`]
/// writes [`BallotJson`]), in unpadded base64url — what the voter sees and the bulletin lists.
pub fn tracker(ballot: &BallotJson) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let canonical = serde_json::to_string(ballot).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchnorrJson {
    pub challenge: String,
    pub response: String,
}

pub fn schnorr_json(p: &SchnorrProof) -> SchnorrJson {
    SchnorrJson { challenge: scalar_hex(&p.challenge), response: scalar_hex(&p.response) }
}

pub fn schnorr_parse(p: &SchnorrJson) -> Result<SchnorrProof, Error> {
    Ok(SchnorrProof { challenge: parse_scalar(&p.challenge)?, response: parse_scalar(&p.response)? })
}

/// A trustee's transport key, published in the ceremony's first round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransportKeyJson {
    pub trustee: u32,
    pub key: String,
    pub proof: SchnorrJson,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedShareJson {
    pub to: u32,
    pub ephemeral: String,
    pub masked: String,
}

/// A trustee's dealing, published in the second round: commitments, key proof, encrypted shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealingJson {
    pub trustee: u32,
    pub commitments: Vec<String>,
    pub proof: SchnorrJson,
    pub shares: Vec<EncryptedShareJson>,
}

pub fn dealing_json(d: &Dealing, shares: &[EncryptedShare]) -> DealingJson {
    DealingJson {
        trustee: d.trustee,
        commitments: d.commitments.iter().map(point_hex).collect(),
        proof: schnorr_json(&d.proof),
        shares: shares
            .iter()
            .map(|s| EncryptedShareJson { to: s.to, ephemeral: point_hex(&s.ephemeral), masked: scalar_hex(&s.masked) })
            .collect(),
    }
}

pub fn dealing_parse(d: &DealingJson) -> Result<(Dealing, Vec<EncryptedShare>), Error> {
    let dealing = Dealing {
        trustee: d.trustee,
        commitments: d.commitments.iter().map(|c| parse_point(c)).collect::<Result<_, _>>()?,
        proof: schnorr_parse(&d.proof)?,
    };
    let shares = d
        .shares
        .iter()
        .map(|s| {
            Ok(EncryptedShare { to: s.to, ephemeral: parse_point(&s.ephemeral)?, masked: parse_scalar(&s.masked)? })
        })
        .collect::<Result<_, Error>>()?;
    Ok((dealing, shares))
}

/// One partial decryption: `x_j·a` and the proof that it matches the trustee's verification key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorJson {
    pub factor: String,
    pub challenge: String,
    pub response: String,
}

pub fn factor_json(p: &PartialDecryption) -> FactorJson {
    FactorJson {
        factor: point_hex(&p.factor),
        challenge: scalar_hex(&p.proof.challenge),
        response: scalar_hex(&p.proof.response),
    }
}

pub fn factor_parse(trustee: u32, f: &FactorJson) -> Result<PartialDecryption, Error> {
    Ok(PartialDecryption {
        trustee,
        factor: parse_point(&f.factor)?,
        proof: DleqProof { challenge: parse_scalar(&f.challenge)?, response: parse_scalar(&f.response)? },
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestFactorsJson {
    pub contest: String,
    pub choices: Vec<FactorJson>,
    pub blank: FactorJson,
}

/// A trustee's partial decryption of the whole aggregate, contest by contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialDecryptionJson {
    pub version: u32,
    pub election: String,
    pub trustee: u32,
    pub contests: Vec<ContestFactorsJson>,
}

/// The homomorphic sum of every ballot, per contest: a ciphertext per candidate and the blanks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestAggregateJson {
    pub contest: String,
    pub choices: Vec<String>,
    pub blank: String,
}

/// The label under which slot `i` of a contest's aggregate is decrypted (`None`: the blanks).
pub fn tally_label(contest: &str, slot: Option<usize>) -> String {
    match slot {
        Some(i) => format!("tally/{contest}/choice-{i}"),
        None => format!("tally/{contest}/blank"),
    }
}
