//! Ballot benchmarks for BENCHMARKS.md (figures, not timed assertions):
//!
//!   cargo bench -p anjoman-ballot-crypto --bench ballots              # 1,000 ballots
//!   BALLOTS=100000 cargo bench -p anjoman-ballot-crypto --bench ballots
//!
//! The election shape is Belenios's reference "up to 3 of 10" (one contest, ten candidates, at
//! most three choices) with 2-of-3 trustees, so `benches/belenios.sh` runs the same election.
//! Prints one line per figure: `anjoman <what> <value> <unit>`.

use std::time::Instant;

use anjoman_ballot_crypto::ceremony::run_locally;
use anjoman_ballot_crypto::proofs::encrypt_contest;
use anjoman_ballot_crypto::record::{
    ContestParams, ElectionRecord, aggregate, aggregate_json, counts, decrypt_aggregate, verify_partial, verify_record,
};
use anjoman_ballot_crypto::threshold::election_key;
use anjoman_ballot_crypto::wire::{self, BallotJson, ContestShape, dealing_parse, parse_point, point_hex};
use rand::Rng;

const E: &str = "3f2a9c1e7b5d4a6c8e0f1a2b3c4d5e6f";

fn ballot(y: &anjoman_ballot_crypto::Point, contest: &ContestParams) -> BallotJson {
    let mut rng = rand::thread_rng();
    let mut picks = [false; 10];
    for _ in 0..rng.gen_range(0..=3) {
        picks[rng.gen_range(0..10)] = true;
    }
    let c = encrypt_contest(E, &contest.id, y, &picks, contest.max);
    BallotJson { version: wire::VERSION, election: E.into(), contests: vec![wire::contest_json(&contest.id, &c)] }
}

/// `f` over `items` on every core; returns the results in order.
fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let chunk = items.len().div_ceil(cores).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| s.spawn(|| part.iter().map(&f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().expect("a worker")).collect()
    })
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn main() {
    let n: usize = std::env::var("BALLOTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let contest = ContestParams { id: "board".into(), candidates: (1..=10).map(|i| format!("c{i}")).collect(), max: 3 };
    let contests = vec![contest.clone()];
    let shape = [ContestShape { id: "board", candidates: 10, max: 3 }];

    let total = Instant::now();
    let t = Instant::now();
    let (trustees, shares) = run_locally(E, 3, 2);
    let dealings: Vec<_> = trustees.iter().map(|x| dealing_parse(&x.dealing).unwrap().0).collect();
    let y = election_key(&dealings);
    println!("anjoman setup-2-of-3 {:.4} s", secs(t));

    // One core, one ballot at a time: what a voter's device and the server do per ballot.
    let rounds = 200;
    let t = Instant::now();
    let sample: Vec<BallotJson> = (0..rounds).map(|_| ballot(&y, &contest)).collect();
    println!("anjoman make-one-ballot {:.3} ms", secs(t) * 1e3 / rounds as f64);
    let bytes = serde_json::to_string(&sample[0]).unwrap().len();
    println!("anjoman ballot-bytes {bytes} bytes");
    // Warm up, then five passes over the sample; the best pass is the figure (the least disturbed
    // by whatever else the machine does).
    let mut best = f64::MAX;
    for _ in 0..6 {
        let t = Instant::now();
        for b in &sample {
            wire::verify_ballot(b, E, &y, &shape).unwrap();
        }
        best = best.min(secs(t));
    }
    println!("anjoman verify-one-ballot {:.3} ms", best * 1e3 / rounds as f64);

    // The pipeline, ballots made and checked on every core.
    let t = Instant::now();
    let ballots: Vec<BallotJson> = parallel(&vec![(); n], |_| ballot(&y, &contest));
    println!("anjoman cast-{n}-ballots {:.3} s ({cores} cores)", secs(t));
    let t = Instant::now();
    let parsed: Vec<_> = parallel(&ballots, |b| wire::verify_ballot(b, E, &y, &shape).unwrap());
    println!("anjoman verify-{n}-ballots {:.3} s ({cores} cores)", secs(t));
    let t = Instant::now();
    let sums = aggregate(&contests, parsed.iter().map(Vec::as_slice));
    let pds: Vec<_> =
        [1u32, 2].iter().map(|j| decrypt_aggregate(E, *j, &shares[*j as usize - 1], &contests, &sums)).collect();
    let verified: Vec<_> = pds
        .iter()
        .map(|pd| {
            let vk = parse_point(&trustees[pd.trustee as usize - 1].verification_key).unwrap();
            verify_partial(E, &vk, &contests, &sums, pd).unwrap()
        })
        .collect();
    let counted = counts(&contests, &sums, &verified, 2, n as u64).unwrap();
    println!("anjoman tally-2-of-3 {:.3} s", secs(t));
    let record = ElectionRecord {
        version: wire::VERSION,
        election: E.into(),
        title: "bench".into(),
        threshold: 2,
        aggregate: aggregate_json(&contests, &sums),
        contests,
        public_key: point_hex(&y),
        trustees,
        ballots,
        partial_decryptions: pds,
        counts: counted,
    };
    let t = Instant::now();
    verify_record(&record).unwrap();
    println!("anjoman verify-record {:.3} s (1 core)", secs(t));
    println!("anjoman total {:.3} s", secs(total));
    println!("anjoman record-bytes {} bytes", serde_json::to_string(&record).unwrap().len());
}
