//! The machine's ceilings, measured in the same run as the scenarios so that their ratios hold
//! on a noisy machine: PostgreSQL's single-row INSERT rate (pgbench), the raw argon2id rate with
//! the configured parameters on every core, and an empty actix-web handler.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anjoman_core::auth::password::{hash_password, verify_password};
use anjoman_core::config::Argon2Params;

/// pgbench with one INSERT of a ballot-sized row (2,816 incompressible bytes, like a stored
/// ballot) per transaction, at `clients` connections; returns transactions per second.
pub fn pgbench_insert(url: &str, clients: usize, seconds: u64) -> f64 {
    crate::seed::psql(
        url,
        "DROP TABLE IF EXISTS bench_inserts; CREATE TABLE bench_inserts (id BIGSERIAL PRIMARY KEY, election_id TEXT NOT NULL, tracking_code TEXT NOT NULL, body TEXT NOT NULL)",
    );
    let script = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(
        script.path(),
        "INSERT INTO bench_inserts (election_id, tracking_code, body) VALUES ('bench', md5(random()::text), (SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 88)));\n",
    )
    .expect("script written");
    let out = Command::new("pgbench")
        .args(["-n", "-c", &clients.to_string(), "-j", "2", "-T", &seconds.to_string(), "-f"])
        .arg(script.path())
        .arg(url)
        .stderr(Stdio::inherit())
        .output()
        .expect("pgbench runs (Debian's postgresql-contrib / postgresql-client)");
    let text = String::from_utf8_lossy(&out.stdout);
    crate::seed::psql(url, "DROP TABLE bench_inserts");
    text.lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("pgbench printed no tps:\n{text}"))
}

/// Password checks per second with these parameters, one thread per core.
pub fn argon2_rate(params: &Argon2Params, seconds: u64) -> f64 {
    let hash = hash_password(params, "Bench-Voter-1405");
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..std::thread::available_parallelism().map_or(2, |n| n.get()))
        .map(|_| {
            let (hash, done, params) = (hash.clone(), done.clone(), params.clone());
            std::thread::spawn(move || {
                while Instant::now() < deadline {
                    assert!(verify_password(&params, &hash, "Bench-Voter-1405"));
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("argon2 thread");
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

/// `anjoman-load empty-server`: an actix-web server with one empty handler and the same worker
/// count as anjoman's (one per core); prints its address like anjoman does.
pub fn empty_server() -> std::io::Result<()> {
    actix_web::rt::System::new().block_on(async {
        let server = actix_web::HttpServer::new(|| {
            actix_web::App::new()
                .route("/", actix_web::web::get().to(|| async { actix_web::HttpResponse::Ok().finish() }))
        })
        .bind("127.0.0.1:0")?;
        println!("anjoman listening on {}", server.addrs()[0]);
        server.run().await
    })
}
