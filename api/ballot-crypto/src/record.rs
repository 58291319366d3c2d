//! The election record (everything needed to re-check an election without trusting anyone) and
//! its verification, plus the tally steps the server and the trustees share: aggregation,
//! partial decryption of the aggregate, and recovery of the counts.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::elgamal::{Ciphertext, discrete_log};
use crate::proofs::EncryptedContest;
use crate::threshold::{Dealing, PartialDecryption, combine, election_key, partial_decrypt, verification_key};
use crate::wire::{
    self, BallotJson, ContestAggregateJson, ContestFactorsJson, ContestShape, DealingJson, PartialDecryptionJson,
    TransportKeyJson, ct_json, ct_parse, factor_json, factor_parse, parse_point, point_hex, tally_label,
};
use crate::{Error, Point, Scalar, g};

/// A contest as the record states it: its candidates in ballot order and its maximum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestParams {
    pub id: String,
    pub candidates: Vec<String>,
    pub max: u64,
}

impl ContestParams {
    pub fn shape(&self) -> ContestShape<'_> {
        ContestShape { id: &self.id, candidates: self.candidates.len(), max: self.max }
    }
}

/// A trustee's public part: transport key, dealing, and the verification key it confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrusteeRecord {
    pub trustee: u32,
    pub transport: TransportKeyJson,
    pub dealing: DealingJson,
    pub verification_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestCounts {
    pub contest: String,
    pub choices: Vec<u64>,
    pub blank: u64,
}

/// The full record of a counted election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectionRecord {
    pub version: u32,
    pub election: String,
    pub title: String,
    pub threshold: u32,
    pub contests: Vec<ContestParams>,
    pub trustees: Vec<TrusteeRecord>,
    pub public_key: String,
    pub ballots: Vec<BallotJson>,
    pub aggregate: Vec<ContestAggregateJson>,
    pub partial_decryptions: Vec<PartialDecryptionJson>,
    pub counts: Vec<ContestCounts>,
}

/// The homomorphic sum of the ballots: per contest, a ciphertext per candidate and the blanks.
pub fn aggregate<'a>(
    contests: &[ContestParams],
    ballots: impl IntoIterator<Item = &'a [EncryptedContest]>,
) -> Vec<(Vec<Ciphertext>, Ciphertext)> {
    let mut sums: Vec<(Vec<Ciphertext>, Ciphertext)> =
        contests.iter().map(|c| (vec![Ciphertext::zero(); c.candidates.len()], Ciphertext::zero())).collect();
    for ballot in ballots {
        for (sum, contest) in sums.iter_mut().zip(ballot) {
            for (s, c) in sum.0.iter_mut().zip(&contest.choices) {
                *s = *s + *c;
            }
            sum.1 = sum.1 + contest.blank;
        }
    }
    sums
}

/// Adds `more` (a sum over other ballots of the same contests) into `sums`: sums made over
/// parts of the ballots, on several cores, combine into the sum of all.
pub fn aggregate_merge(sums: &mut [(Vec<Ciphertext>, Ciphertext)], more: &[(Vec<Ciphertext>, Ciphertext)]) {
    for (sum, add) in sums.iter_mut().zip(more) {
        for (s, c) in sum.0.iter_mut().zip(&add.0) {
            *s = *s + *c;
        }
        sum.1 = sum.1 + add.1;
    }
}

pub fn aggregate_json(contests: &[ContestParams], sums: &[(Vec<Ciphertext>, Ciphertext)]) -> Vec<ContestAggregateJson> {
    contests
        .iter()
        .zip(sums)
        .map(|(c, (choices, blank))| ContestAggregateJson {
            contest: c.id.clone(),
            choices: choices.iter().map(ct_json).collect(),
            blank: ct_json(blank),
        })
        .collect()
}

/// Parses a published aggregate against the contests' shape.
pub fn aggregate_parse(
    contests: &[ContestParams],
    json: &[ContestAggregateJson],
) -> Result<Vec<(Vec<Ciphertext>, Ciphertext)>, Error> {
    if json.len() != contests.len() {
        return Err(Error::Encoding("aggregate: wrong number of contests"));
    }
    contests
        .iter()
        .zip(json)
        .map(|(c, a)| {
            if a.contest != c.id || a.choices.len() != c.candidates.len() {
                return Err(Error::Encoding("aggregate: wrong shape"));
            }
            Ok((a.choices.iter().map(|x| ct_parse(x)).collect::<Result<_, _>>()?, ct_parse(&a.blank)?))
        })
        .collect()
}

/// Trustee `j`'s partial decryption of every slot of the aggregate.
pub fn decrypt_aggregate(
    election: &str,
    trustee: u32,
    share: &Scalar,
    contests: &[ContestParams],
    sums: &[(Vec<Ciphertext>, Ciphertext)],
) -> PartialDecryptionJson {
    PartialDecryptionJson {
        version: wire::VERSION,
        election: election.to_owned(),
        trustee,
        contests: contests
            .iter()
            .zip(sums)
            .map(|(c, (choices, blank))| ContestFactorsJson {
                contest: c.id.clone(),
                choices: choices
                    .iter()
                    .enumerate()
                    .map(|(i, ct)| {
                        factor_json(&partial_decrypt(election, &tally_label(&c.id, Some(i)), trustee, share, ct))
                    })
                    .collect(),
                blank: factor_json(&partial_decrypt(election, &tally_label(&c.id, None), trustee, share, blank)),
            })
            .collect(),
    }
}

/// Checks a trustee's partial decryption of the aggregate against its verification key; returns
/// the factors slot by slot (choices, then the blank), contest by contest.
pub fn verify_partial(
    election: &str,
    verification_key: &Point,
    contests: &[ContestParams],
    sums: &[(Vec<Ciphertext>, Ciphertext)],
    pd: &PartialDecryptionJson,
) -> Result<Vec<Vec<PartialDecryption>>, Error> {
    if pd.version != wire::VERSION || pd.election != election || pd.contests.len() != contests.len() {
        return Err(Error::Proof("partial decryption of another election or shape"));
    }
    contests
        .iter()
        .zip(sums)
        .zip(&pd.contests)
        .map(|((c, (choices, blank)), f)| {
            if f.contest != c.id || f.choices.len() != choices.len() {
                return Err(Error::Proof("partial decryption of another shape"));
            }
            let mut out = Vec::with_capacity(choices.len() + 1);
            for (i, (ct, fj)) in choices.iter().zip(&f.choices).enumerate() {
                let p = factor_parse(pd.trustee, fj)?;
                p.verify(election, &tally_label(&c.id, Some(i)), verification_key, ct)?;
                out.push(p);
            }
            let p = factor_parse(pd.trustee, &f.blank)?;
            p.verify(election, &tally_label(&c.id, None), verification_key, blank)?;
            out.push(p);
            Ok(out)
        })
        .collect()
}

/// The counts from `threshold` verified partial decryptions (each from [`verify_partial`]),
/// searched up to `bound` (the electorate).
pub fn counts(
    contests: &[ContestParams],
    sums: &[(Vec<Ciphertext>, Ciphertext)],
    partials: &[Vec<Vec<PartialDecryption>>],
    threshold: u32,
    bound: u64,
) -> Result<Vec<ContestCounts>, Error> {
    contests
        .iter()
        .zip(sums)
        .enumerate()
        .map(|(ci, (c, (choices, blank)))| {
            let slots: Vec<&Ciphertext> = choices.iter().chain(std::iter::once(blank)).collect();
            let mut values = Vec::with_capacity(slots.len());
            for (si, ct) in slots.iter().enumerate() {
                let factors: Vec<PartialDecryption> = partials.iter().map(|p| p[ci][si]).collect();
                values.push(discrete_log(&combine(ct, &factors, threshold)?, bound)?);
            }
            let blank = values.pop().unwrap_or(0);
            Ok(ContestCounts { contest: c.id.clone(), choices: values, blank })
        })
        .collect()
}

/// Where a record first fails to check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistency {
    pub what: String,
    pub why: Error,
}

impl std::fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.why)
    }
}

/// What a successful verification checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub trustees: usize,
    pub ballots: usize,
    pub decrypting_trustees: usize,
}

fn at<T>(what: impl Into<String>, r: Result<T, Error>) -> Result<T, Inconsistency> {
    r.map_err(|why| Inconsistency { what: what.into(), why })
}

/// Re-checks everything in the record and stops at the first inconsistency: the trustees'
/// proofs and the election key, every ballot's proofs (and that none appears twice), the
/// aggregate, every partial decryption and the counts.
pub fn verify_record(r: &ElectionRecord) -> Result<Verified, Inconsistency> {
    let e = r.election.as_str();
    if r.version != wire::VERSION {
        return at("record", Err(Error::Encoding("unknown record version")));
    }
    let n = r.trustees.len() as u32;
    if r.threshold == 0 || r.threshold > n {
        return at("record", Err(Error::Threshold("threshold beyond the number of trustees")));
    }
    let mut dealings: Vec<Dealing> = Vec::new();
    for (i, t) in r.trustees.iter().enumerate() {
        let what = format!("trustee {}", t.trustee);
        if t.trustee != i as u32 + 1 || t.transport.trustee != t.trustee || t.dealing.trustee != t.trustee {
            return at(what, Err(Error::Encoding("trustees out of order")));
        }
        let transport = at(&what, parse_point(&t.transport.key))?;
        let proof = at(&what, wire::schnorr_parse(&t.transport.proof))?;
        at(&what, proof.verify(e, &crate::ceremony::transport_label(t.trustee), &transport))?;
        let (dealing, _) = at(&what, wire::dealing_parse(&t.dealing))?;
        at(&what, dealing.verify(e, r.threshold))?;
        dealings.push(dealing);
    }
    for t in &r.trustees {
        let claimed = at(format!("trustee {}", t.trustee), parse_point(&t.verification_key))?;
        if claimed != verification_key(&dealings, t.trustee) {
            return at(format!("trustee {}", t.trustee), Err(Error::Proof("verification key")));
        }
    }
    let y = election_key(&dealings);
    if point_hex(&y) != r.public_key {
        return at("election key", Err(Error::Proof("not the sum of the trustees' keys")));
    }
    let shape: Vec<ContestShape<'_>> = r.contests.iter().map(ContestParams::shape).collect();
    let mut seen = HashSet::new();
    let mut parsed = Vec::with_capacity(r.ballots.len());
    for (i, b) in r.ballots.iter().enumerate() {
        let code = wire::tracker(b);
        let what = format!("ballot {} ({code})", i + 1);
        if !seen.insert(code.clone()) {
            return at(what, Err(Error::Proof("the same ballot twice")));
        }
        parsed.push(at(what, wire::verify_ballot(b, e, &y, &shape))?);
    }
    let sums = aggregate(&r.contests, parsed.iter().map(Vec::as_slice));
    if aggregate_json(&r.contests, &sums) != r.aggregate {
        return at("aggregate", Err(Error::Proof("not the sum of the ballots")));
    }
    let mut partials = Vec::new();
    let mut who = HashSet::new();
    for pd in &r.partial_decryptions {
        let what = format!("partial decryption of trustee {}", pd.trustee);
        if pd.trustee == 0 || pd.trustee > n || !who.insert(pd.trustee) {
            return at(what, Err(Error::Threshold("unknown or repeated trustee")));
        }
        let vk = verification_key(&dealings, pd.trustee);
        partials.push(at(what, verify_partial(e, &vk, &r.contests, &sums, pd))?);
    }
    if partials.len() < r.threshold as usize {
        return at("partial decryptions", Err(Error::Threshold("fewer trustees than the threshold")));
    }
    if r.counts.len() != r.contests.len() {
        return at("counts", Err(Error::Encoding("wrong number of contests")));
    }
    for (ci, (c, (choices, blank))) in r.contests.iter().zip(&sums).enumerate() {
        let claimed = &r.counts[ci];
        if claimed.contest != c.id || claimed.choices.len() != choices.len() {
            return at(format!("counts of {}", c.id), Err(Error::Encoding("wrong shape")));
        }
        let slots = choices.iter().chain(std::iter::once(blank));
        let values = claimed.choices.iter().chain(std::iter::once(&claimed.blank));
        for (si, (ct, v)) in slots.zip(values).enumerate() {
            let factors: Vec<PartialDecryption> = partials.iter().map(|p| p[ci][si]).collect();
            let point = at(format!("counts of {}", c.id), combine(ct, &factors, r.threshold))?;
            if point != g() * Scalar::from(*v) {
                let slot = if si < choices.len() { format!("candidate {}", si + 1) } else { "blank".into() };
                return at(format!("counts of {}, {slot}", c.id), Err(Error::Proof("the count does not decrypt")));
            }
        }
    }
    Ok(Verified { trustees: r.trustees.len(), ballots: r.ballots.len(), decrypting_trustees: partials.len() })
}
