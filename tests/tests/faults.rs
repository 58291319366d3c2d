//! Fault injection with real processes on loopback, each bounded and cleaning up after itself:
//! the server killed (SIGKILL) while voters cast, PostgreSQL restarted under load, the SMTP and
//! SMS providers down for a while, the file store down or full during an upload.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anjoman_tests::fakes::{S3Server, SmsGateway, SmtpSink};
use anjoman_tests::{Backend, GOOD_PASSWORD, PDF, TestApp, TestDb, fresh_national_code, on_both_backends};
use serde_json::json;

mod support;
use support::*;

on_both_backends!(
    a_server_killed_while_twenty_voters_cast_keeps_every_acknowledged_ballot,
    providers_down_for_a_while_deliver_later_once,
    a_store_that_is_down_or_full_leaves_no_record,
);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn a_server_killed_while_twenty_voters_cast_keeps_every_acknowledged_ballot(backend: Backend) {
    let env = [("ANJOMAN_ELECTION_TICK_MS", "200")];
    let mut app = TestApp::spawn_with(backend, &env, &["--demo"]).await;
    let (aid, admin, voters) = association(&app, "faults-kill", 20).await;
    let (id, _, cand) = published(&app, &aid, &admin, &voters[0], 3, 300).await;
    wait_for_status(&app, &id, "open").await;
    let mut prepared = Vec::new();
    for v in &voters {
        app.post(&format!("/api/v1/elections/{id}/vote-code"), Some(&v.token), &json!({"channel": "email"}))
            .await
            .expect_status(201);
        prepared.push((v, emailed_code(&app, &v.email), encrypted(&app, &id, &[&cand]).await));
    }

    // Twenty casts at once; the process is killed once a few have been stored.
    let client = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/elections/{id}/ballot"));
    let casts: Vec<_> = prepared
        .iter()
        .map(|(v, code, ballot)| {
            let req = client.post(&url).bearer_auth(&v.token).json(&json!({"ballot": ballot, "code": code}));
            tokio::spawn(async move {
                match req.send().await {
                    Ok(res) if res.status() == 201 => {
                        let body: serde_json::Value = res.json().await.unwrap_or_default();
                        body["tracking_code"].as_str().map(str::to_owned)
                    }
                    _ => None,
                }
            })
        })
        .collect();
    for _ in 0..400 {
        if app.count("ballots") >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    app.kill();
    let mut acknowledged = BTreeSet::new();
    for cast in casts {
        if let Some(tracker) = cast.await.unwrap() {
            acknowledged.insert(tracker);
        }
    }

    eprintln!("killed with {} of 20 casts acknowledged", acknowledged.len());
    // After a restart: every acknowledged ballot is on the bulletin board, and ballots and
    // participations match one for one (they are written in one transaction).
    let app = TestApp::spawn_sharing(&app, &env).await;
    let stored = app.count("ballots");
    assert_eq!(stored, app.count("participations"));
    assert!(
        stored as usize >= acknowledged.len() && stored >= 3,
        "{stored} stored, {} acknowledged",
        acknowledged.len()
    );
    let bulletin = app.get(&format!("/api/v1/elections/{id}/bulletin?per_page=100"), None).await;
    let on_board: BTreeSet<String> = bulletin.expect_status(200)["tracking_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    assert!(acknowledged.is_subset(&on_board), "acknowledged {acknowledged:?}, on the board {on_board:?}");

    // Everyone whose answer was lost tries again: stored ballots are refused as already cast,
    // the others are taken; in the end twenty ballots, twenty participations.
    for (v, code, ballot) in &prepared {
        let again = cast(&app, &v.token, &id, ballot, code).await;
        assert!(
            again.status == 201 || (again.status == 409 && again.body["code"] == "already_voted"),
            "{}: {}",
            again.status,
            again.body
        );
    }
    assert_eq!(app.count("ballots"), 20);
    assert_eq!(app.count("participations"), 20);
}

async fn providers_down_for_a_while_deliver_later_once(backend: Backend) {
    let (smtp_port, sms_port) = (free_port(), free_port());
    let (smtp_url, sms_url) = (format!("smtp://127.0.0.1:{smtp_port}"), format!("http://127.0.0.1:{sms_port}"));
    let app = TestApp::spawn_with(
        backend,
        &[
            ("ANJOMAN_SMS_PROVIDER", "kavenegar"),
            ("ANJOMAN_SMS_API_URL", &sms_url),
            ("ANJOMAN_SMS_API_KEY", "test-key"),
            ("ANJOMAN_SMTP_URL", &smtp_url),
            ("ANJOMAN_OUTBOX_RETRY_BASE_MS", "200"),
            ("ANJOMAN_OUTBOX_MAX_ATTEMPTS", "10"),
        ],
        &[],
    )
    .await;
    let code = fresh_national_code();
    let body = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": "رضا", "last_name": "امینی", "mobile": "09121110077", "email": "down@example.ir"});
    app.post("/api/v1/auth/register", None, &body).await.expect_status(201);
    app.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await.expect_status(202);

    // Both providers refuse connections: the messages wait and are tried again, not dropped.
    for _ in 0..200 {
        if app.count("outbox_messages WHERE attempts >= 2") == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.count("outbox_messages WHERE attempts >= 2 AND status = 'pending'"), 2);

    // They come back on the same addresses: each message is delivered, once.
    let smtp = SmtpSink::start_on(smtp_port).await;
    let gateway = SmsGateway::start_on(sms_port, 0).await;
    smtp.wait_for("down@example.ir").await;
    gateway.wait_for("09121110077").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(smtp.mails.lock().unwrap().len(), 1);
    assert_eq!(gateway.accepted_for("09121110077").len(), 1);
    assert_eq!(app.count("outbox_messages WHERE status IN ('sent', 'delivered')"), 2);
}

async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>) -> anjoman_tests::Answer {
    let url = app.url("/api/v1/files?purpose=officer_document&name=scan.pdf");
    app.send(app.client.post(url).bearer_auth(token).header("content-type", "application/octet-stream").body(bytes))
        .await
}

/// A PDF of about `n` bytes.
fn pdf_of(n: usize) -> Vec<u8> {
    let mut bytes = PDF.to_vec();
    bytes.extend(std::iter::repeat_n(b' ', n.saturating_sub(bytes.len())));
    bytes
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() { out.extend(files_under(&p)) } else { out.push(p) }
    }
    out
}

/// A tmpfs of `kib` KiB mounted on a fresh directory, unmounted when dropped.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount(kib: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .output()
            .expect("mount runs");
        assert!(
            out.status.success(),
            "mounting a small tmpfs needs root (CI runs as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Self(dir)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

async fn a_store_that_is_down_or_full_leaves_no_record(backend: Backend) {
    // S3 down: the upload is refused as unavailable and nothing is recorded.
    let mut s3 = S3Server::start().await;
    let files = format!("s3://{}", s3.bucket);
    let env = [
        ("ANJOMAN_FILES", files.as_str()),
        ("ANJOMAN_S3_ENDPOINT", s3.endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ];
    let app = TestApp::spawn_with(backend, &env, &[]).await;
    let (_, login) = app.signed_in_person().await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    upload(&app, &token, PDF.to_vec()).await.expect_status(201);
    s3.stop();
    upload(&app, &token, PDF.to_vec()).await.expect_error(503, "unavailable");
    assert_eq!(app.count("files"), 1);

    // A full disk: the write fails part-way, the upload is refused, no record and no partial file.
    let disk = SmallDisk::mount(256);
    let dir = disk.0.path().display().to_string();
    let app = TestApp::spawn_with(backend, &[("ANJOMAN_FILES", dir.as_str())], &[]).await;
    let (_, login) = app.signed_in_person().await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    upload(&app, &token, pdf_of(100 * 1024)).await.expect_status(201);
    let before = files_under(disk.0.path());
    upload(&app, &token, pdf_of(400 * 1024)).await.expect_error(503, "unavailable");
    assert_eq!(app.count("files"), 1);
    assert_eq!(files_under(disk.0.path()), before, "no partial file left behind");
    // Space freed, uploads work again.
    upload(&app, &token, pdf_of(50 * 1024)).await.expect_status(201);
}

/// A PostgreSQL server of this test's own (initdb in a temporary directory, run as the
/// `postgres` user), so that restarting it disturbs no other test.
struct PrivatePostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl PrivatePostgres {
    fn as_postgres(&self, program: &str, args: &[&str]) -> std::process::Output {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(program))
            .args(args)
            .output()
            .expect("runuser runs")
    }

    fn start() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL's server programs in /usr/lib/postgresql")
            .flatten()
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("initdb").exists())
            .expect("initdb");
        let dir = tempfile::tempdir().unwrap();
        Command::new("chown").arg("postgres:postgres").arg(dir.path()).status().unwrap();
        let pg = Self { dir, bin, port: free_port() };
        let data = pg.data();
        let out = pg.as_postgres("initdb", &["-D", &data, "-A", "trust", "-U", "postgres"]);
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        pg.pg_ctl("start");
        pg
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn pg_ctl(&self, action: &str) {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.path().display());
        let log = self.dir.path().join("postgres.log").display().to_string();
        let data = self.data();
        let mut args = vec![action, "-D", &data, "-w", "-l", &log, "-o", &options];
        if action == "stop" {
            args.extend(["-m", "fast"]);
        }
        let out = self.as_postgres("pg_ctl", &args);
        assert!(out.status.success(), "pg_ctl {action}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.as_postgres("pg_ctl", &["stop", "-D", &data, "-m", "immediate"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_load_is_ridden_out_postgres() {
    let pg = PrivatePostgres::start();
    let out = Command::new("psql").arg(pg.url("postgres")).args(["-c", "CREATE DATABASE anjoman"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let app = Arc::new(TestApp::spawn_on(TestDb::at(&pg.url("anjoman")), &[("ANJOMAN_DB_POOL_SIZE", "4")]).await);
    app.get("/readyz", None).await.expect_status(200);

    // Load: a steady stream of reads that use the database, every answer kept.
    let stop = Arc::new(AtomicBool::new(false));
    let load = {
        let (app, stop) = (app.clone(), stop.clone());
        tokio::spawn(async move {
            let mut answers = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let res = app.get("/api/v1/associations", None).await;
                answers.push((res.status.as_u16(), res.body["code"].as_str().unwrap_or_default().to_owned()));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            answers
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;

    pg.pg_ctl("stop");
    let mut saw_unready = false;
    for _ in 0..200 {
        if app.get("/readyz", None).await.status == 503 {
            saw_unready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(saw_unready, "/readyz stayed 200 with the database stopped");
    tokio::time::sleep(Duration::from_millis(500)).await;
    pg.pg_ctl("start");
    let mut ready_again = false;
    for _ in 0..400 {
        if app.get("/readyz", None).await.status == 200 {
            ready_again = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready_again, "/readyz did not come back after the database did");
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let answers = load.await.unwrap();

    // Every answer was a success or 503 `unavailable` — never a 500 — and the last ones succeed,
    // from the same process.
    let odd: Vec<_> = answers.iter().filter(|(s, c)| *s != 200 && !(*s == 503 && c == "unavailable")).collect();
    assert!(odd.is_empty(), "unexpected answers while PostgreSQL restarted: {odd:?}");
    assert!(answers.iter().any(|(s, _)| *s == 503), "the load never saw the outage: {answers:?}");
    assert!(answers.iter().rev().take(5).all(|(s, _)| *s == 200), "{answers:?}");
    let (_, login) = app.signed_in_person().await;
    assert!(login["access_token"].is_string());
}
