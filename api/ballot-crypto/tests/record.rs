//! The ceremony, the tally pipeline and the election record: a whole election checks out, and any
//! change to a ballot, a partial decryption or a count is found.

use anjoman_ballot_crypto::ceremony::{self, decrypt_share, encrypt_share, run_locally, transport_keypair};
use anjoman_ballot_crypto::proofs::encrypt_contest;
use anjoman_ballot_crypto::record::{
    ContestParams, ElectionRecord, aggregate, aggregate_json, aggregate_merge, counts, decrypt_aggregate,
    verify_partial, verify_record,
};
use anjoman_ballot_crypto::threshold::election_key;
use anjoman_ballot_crypto::wire::{self, BallotJson, dealing_parse, parse_point, point_hex};
use anjoman_ballot_crypto::{Scalar, random_scalar};
use rand::Rng;

const E: &str = "0b6a2c8e4f0d4b1e9a7c3d5e6f708192";

fn contests() -> Vec<ContestParams> {
    vec![
        ContestParams { id: "board".into(), candidates: (1..=5).map(|i| format!("c{i}")).collect(), max: 3 },
        ContestParams { id: "inspector".into(), candidates: vec!["i1".into(), "i2".into()], max: 1 },
    ]
}

/// A counted election: 3 trustees, threshold 2, random ballots, decrypted by trustees 1 and 3.
fn election(voters: usize) -> (ElectionRecord, Vec<Vec<u64>>, Vec<u64>) {
    let (trustees, shares) = run_locally(E, 3, 2);
    let dealings: Vec<_> = trustees.iter().map(|t| dealing_parse(&t.dealing).unwrap().0).collect();
    let y = election_key(&dealings);
    let contests = contests();
    let mut rng = rand::thread_rng();
    let mut plain: Vec<Vec<u64>> = contests.iter().map(|c| vec![0; c.candidates.len()]).collect();
    let mut blanks = vec![0u64; contests.len()];
    let mut ballots = Vec::new();
    let mut parsed = Vec::new();
    for _ in 0..voters {
        let mut json = Vec::new();
        let mut enc = Vec::new();
        for (ci, c) in contests.iter().enumerate() {
            let mut picks = vec![false; c.candidates.len()];
            let n = picks.len();
            for _ in 0..rng.gen_range(0..=c.max) {
                picks[rng.gen_range(0..n)] = true;
            }
            for (i, p) in picks.iter().enumerate() {
                plain[ci][i] += u64::from(*p);
            }
            blanks[ci] += u64::from(!picks.contains(&true));
            let ec = encrypt_contest(E, &c.id, &y, &picks, c.max);
            json.push(wire::contest_json(&c.id, &ec));
            enc.push(ec);
        }
        ballots.push(BallotJson { version: wire::VERSION, election: E.into(), contests: json });
        parsed.push(enc);
    }
    // Summed in uneven parts and merged, as the server does on several cores; the record's
    // check below sums the ballots again in one pass, and the counts must match the plaintext.
    let mut sums = aggregate(&contests, std::iter::empty());
    for part in parsed.chunks(voters.div_ceil(3).max(1)) {
        aggregate_merge(&mut sums, &aggregate(&contests, part.iter().map(Vec::as_slice)));
    }
    let pds: Vec<_> =
        [1u32, 3].iter().map(|j| decrypt_aggregate(E, *j, &shares[*j as usize - 1], &contests, &sums)).collect();
    let verified: Vec<_> = pds
        .iter()
        .map(|pd| {
            let vk = parse_point(&trustees[pd.trustee as usize - 1].verification_key).unwrap();
            verify_partial(E, &vk, &contests, &sums, pd).unwrap()
        })
        .collect();
    let counted = counts(&contests, &sums, &verified, 2, voters as u64).unwrap();
    let record = ElectionRecord {
        version: wire::VERSION,
        election: E.into(),
        title: "Board election".into(),
        threshold: 2,
        aggregate: aggregate_json(&contests, &sums),
        contests,
        public_key: point_hex(&y),
        trustees,
        ballots,
        partial_decryptions: pds,
        counts: counted,
    };
    (record, plain, blanks)
}

#[test]
fn a_whole_election_counts_right_and_verifies() {
    let (record, plain, blanks) = election(40);
    for (ci, c) in record.counts.iter().enumerate() {
        assert_eq!(c.choices, plain[ci], "{}", c.contest);
        assert_eq!(c.blank, blanks[ci], "{}", c.contest);
    }
    let ok = verify_record(&record).unwrap();
    assert_eq!((ok.trustees, ok.ballots, ok.decrypting_trustees), (3, 40, 2));
    // The record survives its JSON form.
    let text = serde_json::to_string(&record).unwrap();
    verify_record(&serde_json::from_str(&text).unwrap()).unwrap();
}

#[test]
fn any_change_to_a_ballot_a_partial_decryption_or_a_count_is_found() {
    let (record, _, _) = election(6);
    let mut r = record.clone();
    r.counts[0].choices[2] += 1;
    assert!(verify_record(&r).unwrap_err().what.starts_with("counts of board"), "count");
    let mut r = record.clone();
    r.counts[1].blank += 1;
    assert!(verify_record(&r).is_err(), "blank count");
    let mut r = record.clone();
    r.ballots.remove(3);
    assert_eq!(verify_record(&r).unwrap_err().what, "aggregate", "a ballot dropped");
    let mut r = record.clone();
    let dup = r.ballots[0].clone();
    r.ballots.push(dup);
    assert!(verify_record(&r).unwrap_err().why.to_string().contains("twice"), "a ballot twice");
    let mut r = record.clone();
    r.partial_decryptions.truncate(1);
    assert!(verify_record(&r).is_err(), "one trustee alone");

    // Every hex digit of the first partial decryption and of the first ballot, changed in turn.
    let mut tried = 0;
    for which in ["partial", "ballot", "dealing"] {
        let text = match which {
            "partial" => serde_json::to_string(&record.partial_decryptions[0]).unwrap(),
            "ballot" => serde_json::to_string(&record.ballots[0]).unwrap(),
            _ => serde_json::to_string(&record.trustees[1].dealing).unwrap(),
        };
        // The encrypted shares in a dealing are checked by the trustees who receive them (test
        // below), not by the public: only the commitments and the proof are the record's.
        let end = text.find("\"shares\"").unwrap_or(text.len());
        let bytes = text.as_bytes();
        for i in (0..end).step_by(11) {
            if !bytes[i].is_ascii_hexdigit() {
                continue;
            }
            let mut changed = bytes.to_vec();
            changed[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
            let s = String::from_utf8(changed).unwrap();
            let mut r = record.clone();
            let differs = match which {
                "partial" => serde_json::from_str(&s).map(|p| r.partial_decryptions[0] = p).is_ok(),
                "ballot" => serde_json::from_str(&s).map(|b| r.ballots[0] = b).is_ok(),
                _ => serde_json::from_str(&s).map(|d| r.trustees[1].dealing = d).is_ok(),
            };
            if !differs || r == record {
                continue;
            }
            tried += 1;
            assert!(verify_record(&r).is_err(), "a change at byte {i} of the {which} went unnoticed");
        }
    }
    assert!(tried > 150, "{tried}");
}

#[test]
fn shares_travel_encrypted_to_their_trustee_only() {
    let (t2, big_t2, proof) = transport_keypair(E, 2);
    proof.verify(E, &ceremony::transport_label(2), &big_t2).unwrap();
    assert!(proof.verify(E, &ceremony::transport_label(3), &big_t2).is_err());
    let share = random_scalar();
    let sealed = encrypt_share(E, 1, 2, &big_t2, &share);
    assert_eq!(decrypt_share(E, 1, &t2, &sealed), share);
    assert_ne!(decrypt_share(E, 1, &random_scalar(), &sealed), share, "another trustee's key");
    assert_ne!(decrypt_share(E, 3, &t2, &sealed), share, "bound to the sender");
    assert_ne!(sealed.masked, share);
}

#[test]
fn a_wrong_share_is_refused_by_the_receiving_trustee() {
    let (records, _) = run_locally(E, 3, 2);
    let (d1, s1) = dealing_parse(&records[0].dealing).unwrap();
    let (t, big_t, _) = transport_keypair(E, 2);
    // A dealer who sends a share that does not match its commitments is caught.
    let forged = encrypt_share(E, 1, 2, &big_t, &(random_scalar() + Scalar::ONE));
    assert!(ceremony::combine_shares(E, 2, &t, &[(&d1, &forged)]).is_err());
    // A share addressed to trustee 3 is not taken by trustee 2.
    assert!(ceremony::combine_shares(E, 2, &t, &[(&d1, &s1[2])]).is_err());
}
