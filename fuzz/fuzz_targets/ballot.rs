//! Any bytes sent as a ballot: read as the cast endpoint reads them (JSON, then every encoding
//! and proof checked against an election's key and contests). Nothing may panic, and nothing
//! random may pass.
#![no_main]

use std::sync::OnceLock;

use anjoman_ballot_crypto::wire::{self, BallotJson, ContestShape};
use anjoman_ballot_crypto::{Point, g, random_scalar};
use libfuzzer_sys::fuzz_target;

const ELECTION: &str = "fuzz-election";

fn key() -> &'static Point {
    static KEY: OnceLock<Point> = OnceLock::new();
    KEY.get_or_init(|| g() * random_scalar())
}

fuzz_target!(|data: &[u8]| {
    let Ok(ballot) = serde_json::from_slice::<BallotJson>(data) else { return };
    let shape = [ContestShape { id: "c0", candidates: 3, max: 1 }, ContestShape { id: "c1", candidates: 2, max: 2 }];
    let verified = wire::verify_ballot(&ballot, ELECTION, key(), &shape);
    assert!(verified.is_err(), "a ballot made without the proofs' secrets was accepted");
    let _ = wire::tracker(&ballot);
});
