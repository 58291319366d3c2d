//! Cross-checks with the browser's implementation (web-client/src/lib/ballot/crypto.ts).
//!
//! - `vectors/rust-record.json`: fixed values (a Fiat–Shamir challenge, an encryption with given
//!   randomness) and a whole counted election made here; the TypeScript tests check them.
//! - `vectors/typescript-record.json`: a whole election made by the TypeScript code — ceremony,
//!   ballots, trackers, partial decryptions; checked here, ballot by ballot and as a record.
//!
//! `WRITE_VECTORS=1 cargo test -p anjoman-ballot-crypto --test vectors` rewrites the first (the
//! second is written by `WRITE_VECTORS=1 npx vitest run src/lib/ballot` in web-client).

use std::path::PathBuf;

use anjoman_ballot_crypto::ceremony::run_locally;
use anjoman_ballot_crypto::elgamal::encrypt_with;
use anjoman_ballot_crypto::proofs::encrypt_contest;
use anjoman_ballot_crypto::record::{
    ContestParams, ElectionRecord, aggregate, aggregate_json, counts, decrypt_aggregate, verify_partial, verify_record,
};
use anjoman_ballot_crypto::threshold::election_key;
use anjoman_ballot_crypto::wire::{self, BallotJson, dealing_parse, parse_point, point_hex, scalar_hex};
use anjoman_ballot_crypto::{Scalar, challenge, g};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Fixed {
    label: String,
    election: String,
    points: Vec<String>,
    challenge: String,
    key: String,
    message: u64,
    randomness: String,
    a: String,
    b: String,
}

#[derive(Serialize, Deserialize)]
struct Vectors {
    fixed: Fixed,
    record: ElectionRecord,
    trackers: Vec<String>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn fixed() -> Fixed {
    let points = vec![g(), g() * Scalar::from(7u64), g() * Scalar::from(123_456_789u64)];
    let key = g() * Scalar::from(987_654_321u64);
    let r = Scalar::from(424_242u64) * Scalar::from(u64::MAX);
    let ct = encrypt_with(&key, 3, &r);
    Fixed {
        label: "contest-۱/choice-2".into(),
        election: "انتخابات-42".into(),
        points: points.iter().map(point_hex).collect(),
        challenge: scalar_hex(&challenge("contest-۱/choice-2", "انتخابات-42", &points)),
        key: point_hex(&key),
        message: 3,
        randomness: scalar_hex(&r),
        a: point_hex(&ct.a),
        b: point_hex(&ct.b),
    }
}

fn rust_record() -> ElectionRecord {
    let e = "7d3f0c2a9b8e4d6f8a1b2c3d4e5f6071";
    let contests = vec![
        ContestParams { id: "board".into(), candidates: vec!["a".into(), "b".into(), "c".into(), "d".into()], max: 2 },
        ContestParams { id: "inspector".into(), candidates: vec!["x".into(), "y".into()], max: 1 },
    ];
    let (trustees, shares) = run_locally(e, 3, 2);
    let dealings: Vec<_> = trustees.iter().map(|t| dealing_parse(&t.dealing).unwrap().0).collect();
    let y = election_key(&dealings);
    let picks: [[&[bool]; 2]; 4] = [
        [&[true, false, true, false], &[false, true]],
        [&[false, false, false, false], &[true, false]],
        [&[true, true, false, false], &[false, false]],
        [&[false, false, false, true], &[false, true]],
    ];
    let mut ballots = Vec::new();
    let mut parsed = Vec::new();
    for p in picks {
        let enc: Vec<_> = contests.iter().zip(p).map(|(c, s)| encrypt_contest(e, &c.id, &y, s, c.max)).collect();
        ballots.push(BallotJson {
            version: wire::VERSION,
            election: e.into(),
            contests: contests.iter().zip(&enc).map(|(c, x)| wire::contest_json(&c.id, x)).collect(),
        });
        parsed.push(enc);
    }
    let sums = aggregate(&contests, parsed.iter().map(Vec::as_slice));
    let pds: Vec<_> =
        [2u32, 3].iter().map(|j| decrypt_aggregate(e, *j, &shares[*j as usize - 1], &contests, &sums)).collect();
    let verified: Vec<_> = pds
        .iter()
        .map(|pd| {
            let vk = parse_point(&trustees[pd.trustee as usize - 1].verification_key).unwrap();
            verify_partial(e, &vk, &contests, &sums, pd).unwrap()
        })
        .collect();
    let counted = counts(&contests, &sums, &verified, 2, 4).unwrap();
    ElectionRecord {
        version: wire::VERSION,
        election: e.into(),
        title: "Vectors".into(),
        threshold: 2,
        aggregate: aggregate_json(&contests, &sums),
        contests,
        public_key: point_hex(&y),
        trustees,
        ballots,
        partial_decryptions: pds,
        counts: counted,
    }
}

#[test]
fn the_rust_vectors_are_current_and_verify() {
    let path = dir().join("rust-record.json");
    if std::env::var_os("WRITE_VECTORS").is_some() {
        let record = rust_record();
        let trackers = record.ballots.iter().map(wire::tracker).collect();
        let v = Vectors { fixed: fixed(), record, trackers };
        std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
    }
    let v: Vectors = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let f = fixed();
    assert_eq!((v.fixed.challenge, v.fixed.a, v.fixed.b), (f.challenge, f.a, f.b), "fixed values changed");
    verify_record(&v.record).unwrap();
    assert_eq!(v.record.counts[0].choices, [2, 1, 1, 1]);
    assert_eq!((v.record.counts[0].blank, v.record.counts[1].blank), (1, 1));
    assert_eq!(v.trackers, v.record.ballots.iter().map(wire::tracker).collect::<Vec<_>>());
}

/// What the TypeScript test writes: a record plus what its ballots encrypt, and the trackers the
/// browser showed.
#[derive(Deserialize)]
struct FromTypeScript {
    record: ElectionRecord,
    trackers: Vec<String>,
    /// Per ballot, per contest: the chosen positions.
    plaintexts: Vec<Vec<Vec<usize>>>,
    /// For the share check: every trustee's transport secret and the key share it computed.
    transport_secrets: Vec<String>,
    key_shares: Vec<String>,
}

#[test]
fn ballots_and_a_whole_election_made_by_the_typescript_code_verify_here() {
    let t: FromTypeScript =
        serde_json::from_str(&std::fs::read_to_string(dir().join("typescript-record.json")).unwrap()).unwrap();
    let r = &t.record;
    let ok = verify_record(r).unwrap_or_else(|e| panic!("{e}"));
    assert!(ok.ballots >= 3 && ok.trustees == 3);
    // The trackers the browser computed are the server's.
    assert_eq!(t.trackers, r.ballots.iter().map(wire::tracker).collect::<Vec<_>>());
    // The counts are those of the plaintexts.
    for (ci, c) in r.contests.iter().enumerate() {
        let mut expected = vec![0u64; c.candidates.len()];
        let mut blank = 0;
        for p in &t.plaintexts {
            for i in &p[ci] {
                expected[*i] += 1;
            }
            blank += u64::from(p[ci].is_empty());
        }
        assert_eq!(r.counts[ci].choices, expected);
        assert_eq!(r.counts[ci].blank, blank);
    }
    // Each trustee's key share, opened in TypeScript from the encrypted shares, is what the Rust
    // code opens from the same dealings.
    let dealings: Vec<_> = r.trustees.iter().map(|x| dealing_parse(&x.dealing).unwrap()).collect();
    for j in 1..=3u32 {
        let secret = wire::parse_scalar(&t.transport_secrets[j as usize - 1]).unwrap();
        let received: Vec<_> = dealings.iter().map(|(d, s)| (d, s.iter().find(|x| x.to == j).unwrap())).collect();
        let x = anjoman_ballot_crypto::ceremony::combine_shares(&r.election, j, &secret, &received).unwrap();
        assert_eq!(scalar_hex(&x), t.key_shares[j as usize - 1]);
    }
    // A ballot changed in one digit is refused.
    let y = parse_point(&r.public_key).unwrap();
    let shape: Vec<_> = r.contests.iter().map(ContestParams::shape).collect();
    let mut b = r.ballots[0].clone();
    let s = &mut b.contests[0].choice_proofs[0];
    s.replace_range(30..31, if &s[30..31] == "A" { "B" } else { "A" });
    assert!(wire::verify_ballot(&b, &r.election, &y, &shape).is_err());
}
