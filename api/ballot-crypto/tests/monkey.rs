//! Belenios-style "monkey" ballots: random, or structurally valid but wrong (another election's
//! or contest's, too many choices, parts swapped, shuffled or taken from another ballot, bytes
//! changed). Every one is refused with an error — never accepted, never a panic — and the
//! honest ballot they were made from is accepted.

use anjoman_ballot_crypto::proofs::encrypt_contest;
use anjoman_ballot_crypto::wire::{self, BallotJson, ContestShape};
use anjoman_ballot_crypto::{g, random_scalar};
use proptest::prelude::*;

const E: &str = "election-monkey";

fn ballot(y: &anjoman_ballot_crypto::Point, picks: &[Vec<bool>], max: &[u64]) -> BallotJson {
    let contests = picks
        .iter()
        .zip(max)
        .enumerate()
        .map(|(i, (p, m))| {
            let id = format!("c{i}");
            wire::contest_json(&id, &encrypt_contest(E, &id, y, p, *m))
        })
        .collect();
    BallotJson { version: wire::VERSION, election: E.into(), contests }
}

/// One way of spoiling a ballot; `k` picks the part it touches.
#[derive(Debug, Clone)]
enum Monkey {
    OtherElection,
    RenameContest,
    DropContest,
    SwapChoices(usize),
    ChoiceFromOtherBallot(usize),
    ProofsFromOtherBallot,
    BlankFromOtherBallot,
    TooMany,
    FlipByte(usize, usize),
    TruncateChoices,
    Version(u32),
}

fn monkey() -> impl Strategy<Value = Monkey> {
    prop_oneof![
        Just(Monkey::OtherElection),
        Just(Monkey::RenameContest),
        Just(Monkey::DropContest),
        (0usize..8).prop_map(Monkey::SwapChoices),
        (0usize..8).prop_map(Monkey::ChoiceFromOtherBallot),
        Just(Monkey::ProofsFromOtherBallot),
        Just(Monkey::BlankFromOtherBallot),
        Just(Monkey::TooMany),
        (0usize..8, 0usize..200).prop_map(|(c, b)| Monkey::FlipByte(c, b)),
        Just(Monkey::TruncateChoices),
        (2u32..10).prop_map(Monkey::Version),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn monkey_ballots_are_refused(
        candidates in 2usize..5,
        picks in proptest::collection::vec(any::<bool>(), 5),
        other_picks in proptest::collection::vec(any::<bool>(), 5),
        how in monkey(),
    ) {
        let y = g() * random_scalar();
        let max = 2u64;
        let chosen: Vec<bool> = picks[..candidates].iter().copied().scan(0, |n, p| {
            let take = p && *n < max;
            *n += u64::from(take);
            Some(take)
        }).collect();
        let other: Vec<bool> = other_picks[..candidates].iter().copied().scan(0, |n, p| {
            let take = p && *n < max;
            *n += u64::from(take);
            Some(take)
        }).collect();
        let shape = [ContestShape { id: "c0", candidates, max }];
        let honest = ballot(&y, std::slice::from_ref(&chosen), &[max]);
        prop_assert!(wire::verify_ballot(&honest, E, &y, &shape).is_ok());

        let donor = ballot(&y, std::slice::from_ref(&other), &[max]);
        let mut bad = honest.clone();
        let c = &mut bad.contests[0];
        match how {
            Monkey::OtherElection => bad.election = "another-election".into(),
            Monkey::RenameContest => c.contest = "c9".into(),
            Monkey::DropContest => { bad.contests.clear(); }
            Monkey::SwapChoices(i) => {
                let (i, j) = (i % candidates, (i + 1) % candidates);
                prop_assume!(c.choices[i] != c.choices[j]);
                c.choices.swap(i, j);
            }
            Monkey::ChoiceFromOtherBallot(i) => {
                let i = i % candidates;
                c.choices[i] = donor.contests[0].choices[i].clone();
            }
            Monkey::ProofsFromOtherBallot => c.choice_proofs = donor.contests[0].choice_proofs.clone(),
            Monkey::BlankFromOtherBallot => c.blank = donor.contests[0].blank.clone(),
            Monkey::TooMany => {
                let all = vec![true; candidates];
                prop_assume!(candidates as u64 > max);
                bad = ballot(&y, &[all], &[candidates as u64]);
            }
            Monkey::FlipByte(part, at) => {
                let field = match part % 4 {
                    0 => &mut c.choices[part % candidates],
                    1 => &mut c.choice_proofs[part % candidates],
                    2 => &mut c.blank,
                    _ => &mut c.sum_proof,
                };
                let mut bytes = field.clone().into_bytes();
                let i = at % bytes.len();
                bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
                *field = String::from_utf8(bytes).unwrap();
            }
            Monkey::TruncateChoices => { c.choices.pop(); c.choice_proofs.pop(); }
            Monkey::Version(v) => bad.version = v,
        }
        prop_assert!(wire::verify_ballot(&bad, E, &y, &shape).is_err(), "{:?} was accepted", how);
    }

    /// Any JSON value at all, read as a ballot, is refused or fails verification; nothing panics.
    #[test]
    fn random_input_never_panics(json in "\\PC{0,400}") {
        let y = g() * random_scalar();
        let shape = [ContestShape { id: "c0", candidates: 3, max: 1 }];
        if let Ok(b) = serde_json::from_str::<BallotJson>(&json) {
            prop_assert!(wire::verify_ballot(&b, E, &y, &shape).is_err());
        }
    }

    /// Structurally valid ballots whose strings are random: refused, without a panic.
    #[test]
    fn random_strings_in_the_right_places_are_refused(
        parts in proptest::collection::vec("[A-Za-z0-9_-]{0,120}", 9),
    ) {
        let y = g() * random_scalar();
        let shape = [ContestShape { id: "c0", candidates: 3, max: 1 }];
        let b = BallotJson {
            version: wire::VERSION,
            election: E.into(),
            contests: vec![wire::ContestJson {
                contest: "c0".into(),
                choices: parts[0..3].to_vec(),
                choice_proofs: parts[3..6].to_vec(),
                blank: parts[6].clone(),
                blank_proof: parts[7].clone(),
                sum_proof: parts[8].clone(),
            }],
        };
        prop_assert!(wire::verify_ballot(&b, E, &y, &shape).is_err());
    }
}
