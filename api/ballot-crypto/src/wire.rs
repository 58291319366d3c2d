//! The versioned JSON format: points and scalars as lowercase hex of their canonical 32 bytes.
//! Decoding refuses non-canonical scalars and byte strings that are not Ristretto points.

use curve25519_dalek::ristretto::CompressedRistretto;
use serde::{Deserialize, Serialize};

use crate::elgamal::Ciphertext;
use crate::proofs::{EncryptedContest, RangeProof};
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiphertextJson {
    pub a: String,
    pub b: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeProofJson {
    pub challenges: Vec<String>,
    pub responses: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestJson {
    pub contest: String,
    pub choices: Vec<CiphertextJson>,
    pub choice_proofs: Vec<RangeProofJson>,
    pub sum_proof: RangeProofJson,
}

/// An encrypted ballot as the browser sends it and the bulletin board keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotJson {
    pub version: u32,
    pub election: String,
    pub contests: Vec<ContestJson>,
}

fn ct_json(c: &Ciphertext) -> CiphertextJson {
    CiphertextJson { a: point_hex(&c.a), b: point_hex(&c.b) }
}

fn ct_parse(c: &CiphertextJson) -> Result<Ciphertext, Error> {
    Ok(Ciphertext { a: parse_point(&c.a)?, b: parse_point(&c.b)? })
}

fn proof_json(p: &RangeProof) -> RangeProofJson {
    RangeProofJson {
        challenges: p.challenges.iter().map(scalar_hex).collect(),
        responses: p.responses.iter().map(scalar_hex).collect(),
    }
}

fn proof_parse(p: &RangeProofJson) -> Result<RangeProof, Error> {
    Ok(RangeProof {
        challenges: p.challenges.iter().map(|s| parse_scalar(s)).collect::<Result<_, _>>()?,
        responses: p.responses.iter().map(|s| parse_scalar(s)).collect::<Result<_, _>>()?,
    })
}

pub fn contest_json(contest: &str, c: &EncryptedContest) -> ContestJson {
    ContestJson {
        contest: contest.to_owned(),
        choices: c.choices.iter().map(ct_json).collect(),
        choice_proofs: c.choice_proofs.iter().map(proof_json).collect(),
        sum_proof: proof_json(&c.sum_proof),
    }
}

pub fn contest_parse(c: &ContestJson) -> Result<EncryptedContest, Error> {
    Ok(EncryptedContest {
        choices: c.choices.iter().map(ct_parse).collect::<Result<_, _>>()?,
        choice_proofs: c.choice_proofs.iter().map(proof_parse).collect::<Result<_, _>>()?,
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
