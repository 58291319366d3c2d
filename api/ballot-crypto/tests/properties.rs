//! Properties of the scheme: correctness, homomorphic tally, soundness against tampering and
//! invalid ballots, and the threshold.

use anjoman_ballot_crypto::elgamal::{Ciphertext, decrypt_point, discrete_log, encrypt, encrypt_with};
use anjoman_ballot_crypto::proofs::{RangeProof, encrypt_contest};
use anjoman_ballot_crypto::threshold::{Polynomial, combine, election_key, partial_decrypt, verification_key};
use anjoman_ballot_crypto::wire::{self, BallotJson, ContestShape};
use anjoman_ballot_crypto::{Error, Scalar, g, random_scalar};
use rand::Rng;

const E: &str = "election-42";

fn keypair() -> (Scalar, anjoman_ballot_crypto::Point) {
    let x = random_scalar();
    (x, g() * x)
}

#[test]
fn decrypt_of_encrypt_is_the_message() {
    let (x, y) = keypair();
    let mut rng = rand::thread_rng();
    for _ in 0..50 {
        let m: u64 = rng.gen_range(0..5_000);
        let (ct, _) = encrypt(&y, m);
        assert_eq!(discrete_log(&decrypt_point(&x, &ct), 5_000).unwrap(), m);
    }
    let (ct, _) = encrypt(&y, 7);
    assert_eq!(discrete_log(&decrypt_point(&x, &ct), 6), Err(Error::OutOfRange));
}

#[test]
fn the_homomorphic_tally_equals_the_plaintext_tally() {
    let (x, y) = keypair();
    let mut rng = rand::thread_rng();
    let candidates = 5;
    let mut plain = vec![0u64; candidates];
    let mut sums = vec![Ciphertext::zero(); candidates];
    for _ in 0..200 {
        let mut picks = vec![false; candidates];
        for _ in 0..rng.gen_range(0..=3) {
            picks[rng.gen_range(0..candidates)] = true;
        }
        let contest = encrypt_contest(E, "board", &y, &picks, 3);
        contest.verify(E, "board", &y, candidates, 3).unwrap();
        for (i, p) in picks.iter().enumerate() {
            plain[i] += u64::from(*p);
            sums[i] = sums[i] + contest.choices[i];
        }
    }
    let counted: Vec<u64> = sums.iter().map(|c| discrete_log(&decrypt_point(&x, c), 200).unwrap()).collect();
    assert_eq!(counted, plain);
}

#[test]
fn a_two_in_one_slot_or_too_many_selections_fail_the_proofs() {
    let (_, y) = keypair();
    // A 2 in a slot: no valid 0-or-1 proof exists; one made for range 0..=2 is refused as 0..=1.
    let r = random_scalar();
    let two = encrypt_with(&y, 2, &r);
    let forged = RangeProof::prove(E, "board/choice-0", &y, &two, 2, &r, 2);
    assert!(forged.verify(E, "board/choice-0", &y, &two, 1).is_err());
    // A proof of "1" attached to an encryption of 2 does not verify either.
    let lie = RangeProof::prove(E, "board/choice-0", &y, &two, 1, &r, 1);
    assert!(lie.verify(E, "board/choice-0", &y, &two, 1).is_err());
    // Three selections where two are allowed: the sum proof for max 2 cannot be made honestly;
    // one made for max 3 is refused when checked against max 2.
    let contest = encrypt_contest(E, "board", &y, &[true, true, true, false], 3);
    assert!(contest.verify(E, "board", &y, 4, 2).is_err());
    assert!(contest.verify(E, "board", &y, 4, 3).is_ok());
}

#[test]
fn proofs_are_bound_to_their_election_and_place() {
    let (_, y) = keypair();
    let contest = encrypt_contest(E, "board", &y, &[true, false], 1);
    assert!(contest.verify("election-43", "board", &y, 2, 1).is_err());
    assert!(contest.verify(E, "inspector", &y, 2, 1).is_err());
}

#[test]
fn any_changed_byte_of_a_ballot_fails_verification() {
    let (_, y) = keypair();
    let ballot = BallotJson {
        version: wire::VERSION,
        election: E.into(),
        contests: vec![wire::contest_json("board", &encrypt_contest(E, "board", &y, &[true, false, true], 2))],
    };
    let shape = [ContestShape { id: "board", candidates: 3, max: 2 }];
    wire::verify_ballot(&ballot, E, &y, &shape).unwrap();
    let text = serde_json::to_string(&ballot).unwrap();
    // Change one character at a time across the whole encoding (every 3rd, for time).
    let bytes = text.as_bytes();
    let mut tried = 0;
    for i in (0..bytes.len()).step_by(3) {
        let c = bytes[i];
        if !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
            continue;
        }
        let mut changed = bytes.to_vec();
        changed[i] = if c == b'A' { b'B' } else { b'A' };
        let Ok(s) = String::from_utf8(changed) else { continue };
        let Ok(parsed) = serde_json::from_str::<BallotJson>(&s) else { continue };
        if parsed == ballot {
            continue;
        }
        tried += 1;
        assert!(wire::verify_ballot(&parsed, E, &y, &shape).is_err(), "a change at byte {i} went unnoticed");
    }
    assert!(tried > 100, "{tried}");
}

#[test]
fn any_two_of_three_trustees_decrypt_and_one_cannot() {
    let polys: Vec<Polynomial> = (1..=3).map(|i| Polynomial::random(i, 2)).collect();
    let dealings: Vec<_> = polys.iter().map(|p| p.dealing(E)).collect();
    for d in &dealings {
        d.verify(E, 2).unwrap();
    }
    assert!(dealings[0].verify("other", 2).is_err(), "key proofs are bound to the election");
    // Each trustee sums the shares it received, after checking them.
    let shares: Vec<Scalar> = (1..=3u32)
        .map(|j| {
            polys.iter().zip(&dealings).fold(Scalar::ZERO, |acc, (p, d)| {
                let s = p.share_for(j);
                d.check_share(j, &s).unwrap();
                acc + s
            })
        })
        .collect();
    assert!(dealings[0].check_share(2, &(polys[0].share_for(2) + Scalar::ONE)).is_err());
    let y = election_key(&dealings);
    let (ct, _) = encrypt(&y, 17);
    let partials: Vec<_> = (1..=3u32).map(|j| partial_decrypt(E, "tally/0", j, &shares[j as usize - 1], &ct)).collect();
    for p in &partials {
        p.verify(E, "tally/0", &verification_key(&dealings, p.trustee), &ct).unwrap();
    }
    for pair in [[0, 1], [0, 2], [1, 2]] {
        let chosen = [partials[pair[0]], partials[pair[1]]];
        assert_eq!(discrete_log(&combine(&ct, &chosen, 2).unwrap(), 100).unwrap(), 17);
    }
    assert!(matches!(combine(&ct, &partials[..1], 2), Err(Error::Threshold(_))));
    // One share alone, used as if it were the key, gives garbage.
    let alone = ct.b - ct.a * shares[0];
    assert!(discrete_log(&alone, 100).is_err());
    // A wrong partial decryption is caught by its proof.
    let mut bad = partials[0];
    bad.factor += g();
    assert!(bad.verify(E, "tally/0", &verification_key(&dealings, 1), &ct).is_err());
}
