//! `anjoman-load`: load benchmarks against a release `anjoman` on PostgreSQL on this machine
//! (BENCHMARKS.md, `make bench`). It makes a fresh database, fills it (1,000,000 people with
//! Persian names, members of one association, voters with accounts, an open verifiable
//! election), starts the server with production settings (captcha on, argon2id at its default
//! strength, `synchronous_commit` as the server has it, SMS through a Kavenegar-shaped gateway
//! that the benchmark runs and reads the codes from), measures the machine's limits, then runs
//! the scenarios and prints each one's throughput, latencies, errors and the server's RSS.

mod limits;
mod seed;
mod stats;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anjoman_ballot_crypto::ceremony::{combine_shares, encrypt_share, transport_keypair};
use anjoman_ballot_crypto::proofs::encrypt_contest;
use anjoman_ballot_crypto::record::{ContestParams, aggregate_parse, decrypt_aggregate};
use anjoman_ballot_crypto::threshold::Polynomial;
use anjoman_ballot_crypto::wire::{self, BallotJson, DealingJson, TransportKeyJson};
use anjoman_ballot_crypto::{Point, Scalar};
use anjoman_core::config::Argon2Params;
use anjoman_tests::fakes::SmsGateway;
use clap::Parser;
use rand::Rng;
use serde_json::{Value, json};
use stats::{Recorder, Report, RssWatch, closed_loop};

#[derive(Parser)]
#[command(about = "Load benchmarks of anjoman on PostgreSQL, with the machine's limits measured in the same run")]
struct Args {
    /// Comma-separated: limits, reads, search, login, cast, session, tally — or all.
    #[arg(long, default_value = "all")]
    scenarios: String,
    /// Length of each timed scenario (the voter session: see --session-seconds).
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Length of the voter-session scenario.
    #[arg(long, default_value_t = 120)]
    session_seconds: u64,
    /// Concurrent clients of the request scenarios (and pgbench's connections).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Concurrent voters in the session scenario (each spends most of a session waiting for
    /// its SMS, as people do).
    #[arg(long, default_value_t = 256)]
    session_concurrency: usize,
    /// Concurrent administrators searching members (a realistic few; the request scenarios'
    /// --concurrency saturates the cores, where latency is only concurrency ÷ throughput).
    #[arg(long, default_value_t = 4)]
    search_concurrency: usize,
    /// People in the database, all members of the benchmark association.
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// Of them, voters with accounts (each casts at most once).
    #[arg(long, default_value_t = 20_000)]
    voters: usize,
    /// Sessions prepared (logged in, code received) for the cast-only scenario.
    #[arg(long, default_value_t = 3_000)]
    casts: usize,
    /// The PostgreSQL server; a database `anjoman_bench` is made on it and dropped at the end.
    #[arg(long, env = "ANJOMAN_BENCH_POSTGRES", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres: String,
    /// The release binary to measure.
    #[arg(long, default_value = "target/release/anjoman")]
    binary: PathBuf,
    /// anjoman's database connections (ANJOMAN_DB_POOL_SIZE).
    #[arg(long, default_value_t = 10)]
    pool: u32,
    /// Keep the database afterwards.
    #[arg(long)]
    keep: bool,
    #[command(subcommand)]
    command: Option<Sub>,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// An actix-web server with one empty handler (the framework's ceiling); used by the run.
    EmptyServer,
}

/// The argon2id strength anjoman has by default (OWASP's second recommendation: 19 MiB, t=2, p=1).
const ARGON2: Argon2Params = Argon2Params { memory_kib: 19_456, iterations: 2, parallelism: 1 };
const COMMISSION_PASSWORD: &str = "Bench-Commission-1405";
const DB: &str = "anjoman_bench";

/// A child process that is killed with its owner; stdout is read for its address and drained.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(mut cmd: Command, log: PathBuf) -> Self {
        let log = std::fs::File::create(log).expect("server log");
        let mut child = cmd.stdout(Stdio::piped()).stderr(log).spawn().expect("server starts");
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let base = loop {
            line.clear();
            assert!(reader.read_line(&mut line).unwrap_or(0) > 0, "the server stopped before listening");
            if let Some(addr) = line.trim().strip_prefix("anjoman listening on ") {
                break if addr.starts_with("http") { addr.to_owned() } else { format!("http://{addr}") };
            }
        };
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        Self { child, base }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the scenarios share.
struct Bench {
    http: reqwest::Client,
    base: String,
    election: String,
    association: String,
    contests: Vec<ContestParams>,
    gateway: SmsGateway,
}

impl Bench {
    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }
}

/// One request, timed as the step `step`; an answer outside 2xx is recorded as an error.
async fn call(rec: &Recorder, step: &'static str, req: reqwest::RequestBuilder) -> Option<Value> {
    let start = Instant::now();
    let res = req.send().await;
    match res {
        Ok(r) => {
            let status = r.status();
            let body = r.bytes().await;
            rec.step(step, start.elapsed());
            match body {
                Ok(b) if status.is_success() => Some(serde_json::from_slice(&b).unwrap_or(Value::Null)),
                Ok(b) => {
                    let code = serde_json::from_slice::<Value>(&b)
                        .ok()
                        .and_then(|v| v["code"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    rec.error(format!("{step}: {} {code}", status.as_u16()));
                    None
                }
                Err(e) => {
                    rec.error(format!("{step}: body {e}"));
                    None
                }
            }
        }
        Err(e) => {
            rec.error(format!("{step}: {}", if e.is_timeout() { "timeout".to_owned() } else { e.to_string() }));
            None
        }
    }
}

/// Setting-up calls must succeed.
async fn must(req: reqwest::RequestBuilder, what: &str) -> Value {
    let res = req.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{what}: {status} {body}");
    body
}

async fn login(bench: &Bench, national_code: &str, password: &str, captcha: &(String, String)) -> String {
    let body = json!({"national_code": national_code, "password": password, "captcha_id": captcha.0, "captcha_answer": captcha.1});
    let out = must(bench.http.post(bench.url("/auth/login")).json(&body), "login").await;
    out["access_token"].as_str().expect("access_token").to_owned()
}

fn at(seconds: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(seconds)).to_rfc3339()
}

/// The key ceremony with one trustee (threshold 1), done as the trustee's browser does it;
/// returns the trustee's key share, needed for the tally.
async fn ceremony(bench: &Bench, token: &str) -> Scalar {
    let id = &bench.election;
    let step = |s: &str| bench.url(&format!("/elections/{id}/ceremony/{s}"));
    let (secret, key, proof) = transport_keypair(id, 1);
    let transport = TransportKeyJson { trustee: 1, key: wire::point_hex(&key), proof: wire::schnorr_json(&proof) };
    must(bench.http.post(step("transport")).bearer_auth(token).json(&json!({"transport": transport})), "transport key")
        .await;
    let poly = Polynomial::random(1, 1);
    let share = encrypt_share(id, 1, 1, &key, &poly.share_for(1));
    let dealing = wire::dealing_json(&poly.dealing(id), &[share]);
    must(bench.http.post(step("dealing")).bearer_auth(token).json(&json!({"dealing": dealing})), "dealing").await;
    let state =
        must(bench.http.get(bench.url(&format!("/elections/{id}/ceremony"))).bearer_auth(token), "ceremony").await;
    let dealings: Vec<DealingJson> = serde_json::from_value(state["dealings"].clone()).expect("dealings");
    let (d, s) = wire::dealing_parse(&dealings[0]).expect("dealing parses");
    let x = combine_shares(id, 1, &secret, &[(&d, &s[0])]).expect("shares combine");
    let vk = wire::point_hex(&(anjoman_ballot_crypto::g() * x));
    must(bench.http.post(step("confirm")).bearer_auth(token).json(&json!({"verification_key": vk})), "confirm").await;
    x
}

/// Encrypted ballots, each choosing 0 to `max` candidates at random, made on every core.
fn ballots(election: &str, contests: &[ContestParams], key: &Point, n: usize) -> Vec<Arc<Value>> {
    let threads = std::thread::available_parallelism().map_or(2, |c| c.get());
    let per = n.div_ceil(threads);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (election, contests, key) = (election.to_owned(), contests.to_vec(), *key);
            std::thread::spawn(move || {
                let mut rng = rand::thread_rng();
                (0..per.min(n.saturating_sub(t * per)))
                    .map(|_| {
                        let parts = contests
                            .iter()
                            .map(|c| {
                                let k = rng.gen_range(0..=c.max as usize);
                                let mut picks = vec![false; c.candidates.len()];
                                for i in rand::seq::index::sample(&mut rng, picks.len(), k) {
                                    picks[i] = true;
                                }
                                wire::contest_json(&c.id, &encrypt_contest(&election, &c.id, &key, &picks, c.max))
                            })
                            .collect();
                        let b = BallotJson { version: wire::VERSION, election: election.clone(), contests: parts };
                        Arc::new(serde_json::to_value(b).expect("ballot JSON"))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles.into_iter().flat_map(|h| h.join().expect("ballot thread")).collect()
}

/// The first one-time code the gateway received for this mobile (other texts, such as the
/// election's announcement, are passed over); `None` after 60 s.
async fn sms_code(bench: &Bench, mobile: &str) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    for n in 1.. {
        let left = deadline.checked_duration_since(Instant::now())?;
        let call = bench.gateway.wait_for_nth(mobile, n, left).await?;
        if let Some(code) = call.form.get("token") {
            return Some(code.clone());
        }
    }
    None
}

struct Limits {
    pgbench_tps: f64,
    argon2_per_s: f64,
    empty_rps: f64,
}

fn wants(args: &Args, name: &str) -> bool {
    args.scenarios == "all" || args.scenarios.split(',').any(|s| s.trim() == name)
}

fn main() {
    let args = Args::parse();
    if let Some(Sub::EmptyServer) = args.command {
        limits::empty_server().expect("empty server");
        return;
    }
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(run(args));
}

async fn run(args: Args) {
    let cores = std::thread::available_parallelism().map_or(2, |c| c.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_default();
    println!("machine: {cores} cores ({cpu}), {}", chrono::Utc::now().format("%Y-%m-%d"));
    assert!(
        args.binary.exists(),
        "{} is missing: build it with `cargo build --release -p anjoman-server`",
        args.binary.display()
    );
    let admin_url = args.postgres.clone();
    seed::psql(&admin_url, &format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)"));
    seed::psql(&admin_url, &format!("CREATE DATABASE {DB}"));
    let db_url = seed::url_for(&admin_url, DB);
    println!(
        "PostgreSQL: {}, synchronous_commit {}, shared_buffers {}",
        seed::psql(&db_url, "SHOW server_version"),
        seed::psql(&db_url, "SHOW synchronous_commit"),
        seed::psql(&db_url, "SHOW shared_buffers")
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let gateway = SmsGateway::start(0).await;
    let env: Vec<(String, String)> = vec![
        ("ANJOMAN_DATABASE_URL".into(), db_url.clone()),
        ("ANJOMAN_BIND".into(), "127.0.0.1:0".into()),
        ("ANJOMAN_DATA_DIR".into(), dir.path().join("data").display().to_string()),
        ("ANJOMAN_FILES".into(), dir.path().join("files").display().to_string()),
        ("ANJOMAN_WEB_DIR".into(), dir.path().join("no-web").display().to_string()),
        ("ANJOMAN_DB_POOL_SIZE".into(), args.pool.to_string()),
        ("ANJOMAN_SMS_PROVIDER".into(), "kavenegar".into()),
        ("ANJOMAN_SMS_API_URL".into(), gateway.url()),
        ("ANJOMAN_SMS_API_KEY".into(), "bench".into()),
        ("ANJOMAN_ELECTION_TICK_MS".into(), "500".into()),
        ("ANJOMAN_LOG".into(), "warn".into()),
        // Every simulated person comes from 127.0.0.1: per-address limits would measure the
        // limits, not the server.
        ("ANJOMAN_RATE_LIMITS".into(), "off".into()),
    ];
    let cli = |a: &[&str]| {
        let out = Command::new(&args.binary).args(a).envs(env.iter().cloned()).output().expect("anjoman runs");
        assert!(out.status.success(), "anjoman {a:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    cli(&["migrate"]);
    let commission_code =
        anjoman_core::text::NationalCode::from_prefix("099000001").expect("valid").as_str().to_owned();
    cli(&["create-admin", "--national-code", &commission_code, "--password", COMMISSION_PASSWORD]);
    let mut cmd = Command::new(&args.binary);
    cmd.arg("serve").envs(env.iter().cloned());
    let server = Server::start(cmd, dir.path().join("anjoman.log"));
    println!(
        "anjoman (release) at {}, pool {}, server log {}",
        server.base,
        args.pool,
        dir.path().join("anjoman.log").display()
    );
    let rss = RssWatch::start(server.pid());
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(4096)
        // Under actix-web's 5 s keep-alive: a voter who waited longer for the SMS would otherwise
        // send the cast on a connection the server is closing ("error sending request"), where a
        // browser would quietly retry.
        .pool_idle_timeout(Duration::from_secs(4))
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let mut bench = Bench {
        http: http.clone(),
        base: server.base.clone(),
        election: String::new(),
        association: String::new(),
        contests: Vec::new(),
        gateway,
    };

    // Set-up: the association, its people, the election with its key.
    let t = Instant::now();
    let caps = seed::captchas(&db_url, 2);
    let commission = login(&bench, &commission_code, COMMISSION_PASSWORD, &caps[0]).await;
    let assoc = must(
        http.post(bench.url("/associations"))
            .bearer_auth(&commission)
            .json(&json!({"code": "bench", "name": "انجمن علمی سنجش بار"})),
        "association",
    )
    .await;
    bench.association = assoc["id"].as_str().expect("id").to_owned();
    let quals = json!([{"field": seed::FIELD, "degree_level": "master"}]);
    must(
        http.put(bench.url(&format!("/associations/{}/qualifications", bench.association)))
            .bearer_auth(&commission)
            .json(&quals),
        "qualifications",
    )
    .await;
    let hash = anjoman_core::auth::password::hash_password(&ARGON2, seed::VOTER_PASSWORD);
    let (url2, assoc2, persons, voters) = (db_url.clone(), bench.association.clone(), args.persons, args.voters);
    let people = tokio::task::spawn_blocking(move || seed::people(&url2, &assoc2, persons, voters, &hash))
        .await
        .expect("seeding");
    println!(
        "seeded {} people (members of one association), {} with accounts, in {:.0} s",
        args.persons,
        people.len(),
        t.elapsed().as_secs_f64()
    );
    let admin = seed::Voter { national_code: people[0].national_code.clone(), mobile: people[0].mobile.clone() };
    must(
        http.post(bench.url(&format!("/associations/{}/admins", bench.association)))
            .bearer_auth(&commission)
            .json(&json!({"national_code": admin.national_code})),
        "association admin",
    )
    .await;
    let admin_token = login(&bench, &admin.national_code, seed::VOTER_PASSWORD, &caps[1]).await;
    let election = must(
        http.post(bench.url(&format!("/associations/{}/elections", bench.association))).bearer_auth(&admin_token).json(
            &json!({
                "title": "انتخابات هیئت‌مدیره (سنجش بار)",
                "description": "",
                "starts_at": at(30),
                "ends_at": at(48 * 3600),
                "contests": [{"title": "هیئت‌مدیره", "seats": 3, "max_selections": 3}],
                "trustees": [admin.national_code],
                "trustee_threshold": 1,
            }),
        ),
        "election",
    )
    .await;
    bench.election = election["id"].as_str().expect("id").to_owned();
    let contest = election["contests"][0]["id"].as_str().expect("contest").to_owned();
    for (i, c) in people[1..=10].iter().enumerate() {
        must(
            http.post(bench.url(&format!("/elections/{}/candidates", bench.election))).bearer_auth(&admin_token).json(
                &json!({
                    "contest_id": contest, "national_code": c.national_code, "election_code": (i + 1).to_string()
                }),
            ),
            "candidate",
        )
        .await;
    }
    let share = ceremony(&bench, &admin_token).await;
    let published = Instant::now();
    let publish =
        http.post(bench.url(&format!("/elections/{}/publish", bench.election))).timeout(Duration::from_secs(1800));
    must(publish.bearer_auth(&admin_token).json(&json!({})), "publish").await;
    println!(
        "publishing (announcements to every member queued in its transaction) took {:.1} s",
        published.elapsed().as_secs_f64()
    );
    // Publishing queued an announcement to every member by SMS and e-mail (two million
    // messages). They go out in the days before voting opens; the run measures polling day, so
    // they are marked sent rather than sent through the gateway during the scenarios.
    let queued = seed::psql(
        &db_url,
        "WITH s AS (UPDATE outbox_messages SET status = 'sent', sent_at = created_at WHERE purpose = 'election_announcement' AND status = 'pending' RETURNING 1) SELECT count(*) FROM s",
    );
    println!("publishing queued {queued} announcements (marked sent: they go out before polling day)");
    let mut opened_at = None;
    let e = loop {
        let e = must(http.get(bench.url(&format!("/elections/{}", bench.election))), "election page").await;
        if e["status"] == "open" {
            break e;
        }
        // The worker opens it at the start time, freezing the roll in the same transaction.
        if opened_at.is_none()
            && chrono::DateTime::parse_from_rfc3339(e["starts_at"].as_str().unwrap_or(""))
                .is_ok_and(|s| s <= chrono::Utc::now())
        {
            opened_at = Some(Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    if let Some(t) = opened_at {
        println!("opening with the roll frozen took about {:.1} s after the start time", t.elapsed().as_secs_f64());
    }
    bench.contests = e["contests"]
        .as_array()
        .expect("contests")
        .iter()
        .map(|c| ContestParams {
            id: c["id"].as_str().unwrap().to_owned(),
            candidates: c["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_owned())
                .collect(),
            max: c["max_selections"].as_u64().unwrap(),
        })
        .collect();
    let key = wire::parse_point(e["public_key"].as_str().expect("key")).expect("key parses");
    println!("election open, roll of {} frozen; set-up took {:.0} s", e["electorate"], t.elapsed().as_secs_f64());
    // What an operator does after loading a million rows: settle the tables and their statistics
    // now, so autovacuum does not run through the measurements.
    let t = Instant::now();
    seed::psql(&db_url, "VACUUM ANALYZE");
    println!("VACUUM ANALYZE after the set-up: {:.0} s", t.elapsed().as_secs_f64());
    // Voters 11.. (0 is the admin, 1..=10 the candidates): first the cast-only ones, then sessions.
    let pool: Vec<seed::Voter> = people.into_iter().skip(11).collect();
    let t = Instant::now();
    let (el, contests) = (bench.election.clone(), bench.contests.clone());
    let n_ballots = if wants(&args, "cast") || wants(&args, "session") { pool.len() } else { 0 };
    let ballots = tokio::task::spawn_blocking(move || ballots(&el, &contests, &key, n_ballots)).await.expect("ballots");
    println!(
        "{} encrypted ballots made in advance (what voters' browsers do) in {:.0} s",
        ballots.len(),
        t.elapsed().as_secs_f64()
    );
    rss.take_peak_mib();

    let bench = Arc::new(bench);
    let pool = Arc::new(pool);
    let ballots = Arc::new(ballots);
    let mut results: Vec<(&str, Report, &str)> = Vec::new();
    let mut limits = Limits { pgbench_tps: 0.0, argon2_per_s: 0.0, empty_rps: 0.0 };

    if wants(&args, "limits") {
        println!("\n== limits ==");
        let secs = args.seconds.min(30);
        limits.pgbench_tps = limits::pgbench_insert(&db_url, args.concurrency, secs);
        println!(
            "pgbench, one 2.8 kB INSERT per transaction, {} clients: {:.0} tps",
            args.concurrency, limits.pgbench_tps
        );
        let params = ARGON2;
        limits.argon2_per_s =
            tokio::task::spawn_blocking(move || limits::argon2_rate(&params, secs)).await.expect("argon2");
        println!("argon2id (19 MiB, t=2, p=1) on {cores} cores: {:.1} checks/s", limits.argon2_per_s);
        let mut cmd = Command::new(std::env::current_exe().expect("own path"));
        cmd.arg("empty-server");
        let empty = Server::start(cmd, dir.path().join("empty.log"));
        let rec = Recorder::default();
        let (r, h, base) = (rec.clone(), http.clone(), empty.base.clone());
        let took = closed_loop(args.concurrency, secs, move |_, _| {
            let (r, h, base) = (r.clone(), h.clone(), base.clone());
            async move {
                if call(&r, "GET /", h.get(format!("{base}/"))).await.is_some() {
                    r.complete();
                }
                true
            }
        })
        .await;
        drop(empty);
        let report = rec.report(took);
        limits.empty_rps = report.per_second;
        report.print("empty actix-web handler", "requests");
    }

    if wants(&args, "reads") {
        println!("\n== public reads: election page and the elections list ==");
        let rec = Recorder::default();
        let (r, b) = (rec.clone(), bench.clone());
        let took = closed_loop(args.concurrency, args.seconds, move |_, round| {
            let (r, b) = (r.clone(), b.clone());
            async move {
                let ok = if round % 2 == 0 {
                    call(&r, "election page", b.http.get(b.url(&format!("/elections/{}", b.election)))).await
                } else {
                    call(&r, "elections", b.http.get(b.url("/elections"))).await
                };
                if ok.is_some() {
                    r.complete();
                }
                true
            }
        })
        .await;
        let mut report = rec.report(took);
        report.peak_rss_mib = rss.take_peak_mib();
        report.print("public reads", "requests");
        results.push(("public reads", report, "requests"));
    }

    if wants(&args, "search") {
        println!(
            "\n== member search over {} members, {} administrators at once ==",
            args.persons, args.search_concurrency
        );
        let caps = seed::captchas(&db_url, 1);
        let token = Arc::new(login(&bench, &admin.national_code, seed::VOTER_PASSWORD, &caps[0]).await);
        let terms = Arc::new(seed::search_terms());
        let rec = Recorder::default();
        let (r, b) = (rec.clone(), bench.clone());
        let took = closed_loop(args.search_concurrency, args.seconds, move |w, round| {
            let (r, b, token, terms) = (r.clone(), b.clone(), token.clone(), terms.clone());
            async move {
                let term = &terms[(w * 7919 + round as usize * 104_729) % terms.len()];
                let req = b
                    .http
                    .get(b.url(&format!("/associations/{}/members", b.association)))
                    .bearer_auth(&*token)
                    .query(&[("q", term.as_str()), ("status", "approved")]);
                if call(&r, "search", req).await.is_some() {
                    r.complete();
                }
                true
            }
        })
        .await;
        let mut report = rec.report(took);
        report.peak_rss_mib = rss.take_peak_mib();
        report.print("member search", "searches");
        results.push(("member search", report, "searches"));
    }

    if wants(&args, "login") {
        println!("\n== login only ==");
        let expected = ((limits.argon2_per_s.max(50.0) * 2.0) as usize) * args.seconds as usize + 1000;
        let caps = Arc::new(seed::captchas(&db_url, expected));
        let next = Arc::new(AtomicUsize::new(0));
        let rec = Recorder::default();
        let (r, b, p) = (rec.clone(), bench.clone(), pool.clone());
        let took = closed_loop(args.concurrency, args.seconds, move |_, _| {
            let (r, b, p, caps, next) = (r.clone(), b.clone(), p.clone(), caps.clone(), next.clone());
            async move {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(cap) = caps.get(i) else { return false };
                let v = &p[i % p.len()];
                let body = json!({"national_code": v.national_code, "password": seed::VOTER_PASSWORD, "captcha_id": cap.0, "captcha_answer": cap.1});
                if call(&r, "login", b.http.post(b.url("/auth/login")).json(&body)).await.is_some() {
                    r.complete();
                }
                true
            }
        })
        .await;
        let mut report = rec.report(took);
        report.peak_rss_mib = rss.take_peak_mib();
        report.print("login", "logins");
        results.push(("login", report, "logins"));
    }

    let mut next_voter = 0usize;
    if wants(&args, "cast") {
        let n = args.casts.min(pool.len());
        println!("\n== cast only: {n} sessions prepared (login, code by SMS) ==");
        let caps = Arc::new(seed::captchas(&db_url, n));
        let prep = Recorder::default();
        let prepared: Arc<std::sync::Mutex<Vec<(usize, String, String)>>> = Arc::default();
        let next = Arc::new(AtomicUsize::new(0));
        let (r, b, p, out) = (prep.clone(), bench.clone(), pool.clone(), prepared.clone());
        let t = Instant::now();
        closed_loop(args.concurrency, 3600, move |_, _| {
            let (r, b, p, caps, next, out) = (r.clone(), b.clone(), p.clone(), caps.clone(), next.clone(), out.clone());
            async move {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return false;
                }
                let v = &p[i];
                let body = json!({"national_code": v.national_code, "password": seed::VOTER_PASSWORD, "captcha_id": caps[i].0, "captcha_answer": caps[i].1});
                let Some(tok) = call(&r, "login", b.http.post(b.url("/auth/login")).json(&body)).await else { return true };
                let tok = tok["access_token"].as_str().unwrap_or_default().to_owned();
                let req = b.http.post(b.url(&format!("/elections/{}/vote-code", b.election))).bearer_auth(&tok).json(&json!({"channel": "sms"}));
                if call(&r, "vote-code", req).await.is_none() {
                    return true;
                }
                match sms_code(&b, &v.mobile).await {
                    Some(code) => {
                        out.lock().unwrap().push((i, tok, code));
                        r.complete();
                    }
                    None => r.error("no SMS within 60 s".into()),
                }
                true
            }
        })
        .await;
        let prepared: Vec<_> = std::mem::take(&mut *prepared.lock().unwrap());
        println!("prepared {} sessions in {:.0} s", prepared.len(), t.elapsed().as_secs_f64());
        prep.report(t.elapsed()).print("preparation (login, vote-code, SMS)", "sessions");
        next_voter = n;
        let prepared = Arc::new(prepared);
        let next = Arc::new(AtomicUsize::new(0));
        let rec = Recorder::default();
        let (r, b, bal) = (rec.clone(), bench.clone(), ballots.clone());
        let took = closed_loop(args.concurrency, args.seconds, move |_, _| {
            let (r, b, bal, prepared, next) = (r.clone(), b.clone(), bal.clone(), prepared.clone(), next.clone());
            async move {
                let Some((i, tok, code)) = prepared.get(next.fetch_add(1, Ordering::Relaxed)) else { return false };
                let req = b
                    .http
                    .post(b.url(&format!("/elections/{}/ballot", b.election)))
                    .bearer_auth(tok)
                    .json(&json!({"ballot": &*bal[*i], "code": code}));
                if call(&r, "cast", req).await.is_some() {
                    r.complete();
                }
                true
            }
        })
        .await;
        let mut report = rec.report(took);
        report.peak_rss_mib = rss.take_peak_mib();
        report.print("cast only", "ballots");
        results.push(("cast only", report, "ballots"));
    }

    if wants(&args, "session") {
        let first = next_voter;
        let left = pool.len() - first;
        println!(
            "\n== voter session: captcha, login, ballot page, code by SMS, cast ({} voters available, {} at once) ==",
            left, args.session_concurrency
        );
        let caps = Arc::new(seed::captchas(&db_url, left));
        let next = Arc::new(AtomicUsize::new(first));
        let rec = Recorder::default();
        let (r, b, p, bal) = (rec.clone(), bench.clone(), pool.clone(), ballots.clone());
        let took = closed_loop(args.session_concurrency, args.session_seconds, move |_, _| {
            let (r, b, p, bal, caps, next) = (r.clone(), b.clone(), p.clone(), bal.clone(), caps.clone(), next.clone());
            async move {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(v) = p.get(i) else { return false };
                let cap = &caps[i - first];
                let e = &b.election;
                // The login page draws a captcha image; the benchmark answers one laid out
                // beforehand whose answer it knows (it cannot read images).
                if call(&r, "captcha", b.http.get(b.url("/auth/captcha"))).await.is_none() {
                    return true;
                }
                let body = json!({"national_code": v.national_code, "password": seed::VOTER_PASSWORD, "captcha_id": cap.0, "captcha_answer": cap.1});
                let Some(tok) = call(&r, "login", b.http.post(b.url("/auth/login")).json(&body)).await else { return true };
                let tok = tok["access_token"].as_str().unwrap_or_default().to_owned();
                if call(&r, "election", b.http.get(b.url(&format!("/elections/{e}")))).await.is_none() {
                    return true;
                }
                if call(&r, "my-vote", b.http.get(b.url(&format!("/elections/{e}/my-vote"))).bearer_auth(&tok)).await.is_none() {
                    return true;
                }
                let req = b.http.post(b.url(&format!("/elections/{e}/vote-code"))).bearer_auth(&tok).json(&json!({"channel": "sms"}));
                if call(&r, "vote-code", req).await.is_none() {
                    return true;
                }
                let waited = Instant::now();
                let Some(code) = sms_code(&b, &v.mobile).await else {
                    r.error("no SMS within 60 s".into());
                    return true;
                };
                r.wait("sms", waited.elapsed());
                let req = b.http.post(b.url(&format!("/elections/{e}/ballot"))).bearer_auth(&tok).json(&json!({"ballot": &*bal[i], "code": code}));
                if call(&r, "cast", req).await.is_some() {
                    r.complete();
                }
                true
            }
        })
        .await;
        let mut report = rec.report(took);
        report.peak_rss_mib = rss.take_peak_mib();
        report.print("voter session", "sessions");
        results.push(("voter session", report, "sessions"));
    }

    if wants(&args, "tally") {
        println!("\n== tally of the ballots cast ==");
        let e = &bench.election;
        seed::psql(&db_url, &format!("UPDATE elections SET ends_at = now() AT TIME ZONE 'UTC' WHERE id = '{e}'"));
        loop {
            let s = must(http.get(bench.url(&format!("/elections/{e}"))), "election page").await;
            if s["status"] == "closed" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let caps = seed::captchas(&db_url, 1);
        let token = login(&bench, &admin.national_code, seed::VOTER_PASSWORD, &caps[0]).await;
        let t = Instant::now();
        let agg = must(http.get(bench.url(&format!("/elections/{e}/aggregate"))), "aggregate").await;
        let aggregate_s = t.elapsed().as_secs_f64();
        let sums = aggregate_parse(
            &bench.contests,
            &serde_json::from_value::<Vec<wire::ContestAggregateJson>>(agg["contests"].clone()).expect("aggregate"),
        )
        .expect("aggregate parses");
        let t = Instant::now();
        let pd = decrypt_aggregate(e, 1, &share, &bench.contests, &sums);
        let trustee_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        must(
            http.post(bench.url(&format!("/elections/{e}/partial-decryption")))
                .bearer_auth(&token)
                .json(&json!({"partial_decryption": pd})),
            "partial decryption",
        )
        .await;
        let partial_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let res =
            must(http.post(bench.url(&format!("/elections/{e}/tally"))).bearer_auth(&token).json(&json!({})), "tally")
                .await;
        let tally_s = t.elapsed().as_secs_f64();
        println!(
            "{} ballots: server aggregate {aggregate_s:.2} s, trustee's partial decryption (client) {trustee_s:.3} s, server checks it {partial_s:.3} s, count {tally_s:.3} s; voted {}",
            agg["ballots"], res["voted"]
        );
    }

    println!("\n== summary ({cores} cores; limits measured in this run) ==");
    println!("peak anjoman RSS over the whole run: {:.1} MiB", rss.overall_mib());
    if limits.pgbench_tps > 0.0 {
        println!(
            "limits: pgbench INSERT {:.0} tps, argon2id {:.1}/s, empty actix-web {:.0} req/s",
            limits.pgbench_tps, limits.argon2_per_s, limits.empty_rps
        );
    }
    for (name, r, unit) in &results {
        let ratio = match *name {
            "cast only" if limits.pgbench_tps > 0.0 => {
                format!(", {:.2} × pgbench INSERT", r.per_second / limits.pgbench_tps)
            }
            "login" if limits.argon2_per_s > 0.0 => {
                format!(", {:.2} × raw argon2id", r.per_second / limits.argon2_per_s)
            }
            "public reads" | "member search" if limits.empty_rps > 0.0 => {
                format!(", {:.3} × empty actix-web", r.per_second / limits.empty_rps)
            }
            "voter session" if limits.argon2_per_s > 0.0 => {
                format!(", {:.2} × raw argon2id (one login each)", r.per_second / limits.argon2_per_s)
            }
            _ => String::new(),
        };
        println!(
            "{name:<14} {:>8.1} {unit}/s{ratio}; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms; errors {}; peak RSS {:.1} MiB",
            r.per_second,
            r.requests.p50,
            r.requests.p95,
            r.requests.p99,
            r.errors.values().sum::<u64>(),
            r.peak_rss_mib
        );
    }
    drop(rss);
    drop(server);
    if !args.keep {
        seed::psql(&admin_url, &format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)"));
    }
}
