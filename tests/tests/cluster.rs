//! Scale-out: the production topology of docker-compose.yml, run natively on loopback —
//! PostgreSQL, two anjoman processes, Debian's nginx in front with TLS and the same
//! deploy/nginx.conf, uploads on an S3 protocol server, e-mail to an SMTP sink. One person's
//! session works on either process, a voter casts once whichever process they reach, background
//! jobs (opening and closing elections, the outbox, payment reconciliation) run once, uploads
//! are readable through either process; processes starting together migrate once.
//! PostgreSQL only (production runs several processes on PostgreSQL): the names end in
//! `postgres`, so `make test` skips them when no server is reachable.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anjoman_tests::fakes::{S3Server, SmtpSink};
use anjoman_tests::{Backend, PDF, TestApp, TestDb, binary, pay_in_sandbox, workspace_root};
use diesel::RunQueryDsl;
use serde_json::json;

mod support;
use support::*;

/// Debian's nginx running deploy/nginx.conf with its upstreams, certificate and ports pointed
/// at this test's; stopped when dropped.
struct Nginx {
    child: Child,
    https: String,
    dir: tempfile::TempDir,
    cert: Vec<u8>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Nginx {
    fn start(upstreams: [&str; 2]) -> Self {
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .expect("Debian's nginx (apt-get install nginx-light; .ci/run installs it)");
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = (dir.path().join("fullchain.pem"), dir.path().join("privkey.pem"));
        let made = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"])
            .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stderr(Stdio::null())
            .status()
            .expect("openssl makes a test certificate");
        assert!(made.success());
        let (https, http) = (free_port(), free_port());
        let d = dir.path().display().to_string();
        let mut conf = std::fs::read_to_string(workspace_root().join("deploy/nginx.conf")).unwrap();
        // The production file, with only addresses and paths replaced: each must be there.
        for (from, to) in [
            ("server anjoman-1:8080", format!("server {}", upstreams[0])),
            ("server anjoman-2:8080", format!("server {}", upstreams[1])),
            ("/etc/nginx/tls/", format!("{d}/")),
            ("listen 443 ssl http2;", format!("listen 127.0.0.1:{https} ssl http2;")),
            ("listen [::]:443 ssl http2;", String::new()),
            ("listen 80;", format!("listen 127.0.0.1:{http};")),
            ("listen [::]:80;", String::new()),
            ("pid /tmp/nginx.pid;", format!("pid {d}/nginx.pid;")),
            ("/tmp/nginx-", format!("{d}/")),
            ("access_log /dev/stdout main;", format!("access_log {d}/access.log main;")),
        ] {
            assert!(conf.contains(from), "deploy/nginx.conf no longer has `{from}`");
            conf = conf.replace(from, &to);
        }
        std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
        let child = Command::new(nginx)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let cert = std::fs::read(&cert).unwrap();
        let server = Self { child, https: format!("https://localhost:{https}"), dir, cert };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", https)).is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("nginx did not listen: {}", server.log("error.log"));
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// A client that trusts the test certificate and resolves localhost to loopback.
    fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&self.cert).unwrap())
            .resolve("localhost", "127.0.0.1:0".parse().unwrap())
            .cookie_store(true)
            .build()
            .unwrap()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn host_port(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_starting_together_migrate_once_postgres() {
    let db = TestDb::new(Backend::Postgres);
    let runs: Vec<_> = (0..3)
        .map(|i| {
            Command::new(binary())
                .arg("migrate")
                .env("ANJOMAN_DATABASE_URL", &db.url)
                .env("ANJOMAN_DATA_DIR", db.dir.path().join(format!("data{i}")))
                .env("ANJOMAN_LOG", "warn")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let migrations = std::fs::read_dir(workspace_root().join("migrations/postgres")).unwrap().count() as i64;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let rows: Vec<N> =
        diesel::sql_query("SELECT COUNT(*) AS n FROM __diesel_schema_migrations").load(&mut db.connect()).unwrap();
    assert_eq!(rows[0].n, migrations);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_behind_nginx_act_as_one_postgres() {
    let s3 = S3Server::start().await;
    let smtp = SmtpSink::start().await;
    let (files, smtp_url) = (format!("s3://{}", s3.bucket), smtp.url());
    let env = [
        ("ANJOMAN_FILES", files.as_str()),
        ("ANJOMAN_S3_ENDPOINT", s3.endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("ANJOMAN_SMTP_URL", smtp_url.as_str()),
        ("ANJOMAN_TRUST_FORWARDED_FOR", "on"),
        ("ANJOMAN_ELECTION_TICK_MS", "200"),
        ("ANJOMAN_PAYMENT_RECONCILE_SECONDS", "1"),
    ];
    let a = TestApp::spawn_with(Backend::Postgres, &env, &["--demo"]).await;
    let b = TestApp::spawn_sharing(&a, &[]).await;
    let nginx = Nginx::start([&host_port(&a), &host_port(&b)]);
    let edge = nginx.client();

    // nginx balances over both, over TLS, and anjoman knows the request came over TLS.
    for _ in 0..8 {
        let res = edge.get(format!("{}/readyz", nginx.https)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["strict-transport-security"].to_str().unwrap().contains("max-age"));
    }
    let plain = reqwest::Client::new().get(format!("{}/readyz", a.base)).send().await.unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none());
    let access = nginx.log("access.log");
    for upstream in [host_port(&a), host_port(&b)] {
        assert!(access.contains(&upstream), "nginx never used {upstream}: {access}");
    }

    // A session begun on one process works on the other.
    let (code, login) = a.signed_in_person().await;
    let token = login["access_token"].as_str().unwrap();
    b.get("/api/v1/me", Some(token)).await.expect_status(200);
    // The refresh token issued by the first process, rotated by the second.
    let refresh = login["refresh_token"].as_str().expect("a refresh token");
    let refreshed = b.post("/api/v1/auth/refresh", None, &json!({"refresh_token": refresh})).await;
    let token = refreshed.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    let me = a.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.expect_status(200)["national_code"], code);

    // Uploads through nginx are readable through either process.
    let uploaded = edge
        .post(format!("{}/api/v1/files?purpose=officer_document&name=scan.pdf", nginx.https))
        .bearer_auth(&token)
        .header("content-type", "application/octet-stream")
        .body(PDF.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    let info: serde_json::Value = uploaded.json().await.unwrap();
    for app in [&a, &b] {
        let got = app.client.get(app.url(info["url"].as_str().unwrap())).bearer_auth(&token).send().await.unwrap();
        assert_eq!(got.status(), 200);
        assert_eq!(got.bytes().await.unwrap().as_ref(), PDF);
    }
    assert_eq!(s3.keys().await.len(), 1);

    // A lost payment callback is settled by reconciliation once, whichever process looks.
    let admin = commission(&a).await;
    let invoice = a
        .post(
            "/api/v1/invoices",
            Some(&admin),
            &json!({"payer_national_code": code, "amount_rials": 1_500_000, "description": "حق عضویت"}),
        )
        .await;
    let invoice = invoice.expect_status(201)["id"].as_str().unwrap().to_owned();
    let _never_followed = pay_in_sandbox(&b, &token, &invoice).await;

    // An election opened and closed by the workers of both processes; its voter casts through
    // one process and is refused through the other.
    let (aid, eadmin, members) = association(&a, "cluster", 1).await;
    let voter = &members[0];
    let (id, _, cand) = published(&a, &aid, &eadmin, voter, 3, 25).await;
    wait_for_status(&b, &id, "open").await;
    a.post(&format!("/api/v1/elections/{id}/vote-code"), Some(&voter.token), &json!({"channel": "email"}))
        .await
        .expect_status(201);
    let vote_code = emailed_code(&a, &voter.email);
    let first = encrypted(&a, &id, &[&cand]).await;
    cast(&a, &voter.token, &id, &first, &vote_code).await.expect_status(201);
    let second = encrypted(&b, &id, &[&cand]).await;
    cast(&b, &voter.token, &id, &second, &vote_code).await.expect_error(409, "already_voted");
    for _ in 0..400 {
        if a.get(&format!("/api/v1/elections/{id}"), None).await.body["status"] == "closed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    assert_lifecycle_once(&a, &admin, &id).await;
    assert_eq!((a.count("ballots"), a.count("participations")), (1, 1));

    // The invoice was settled once, and every e-mail left once: two workers shared the outbox.
    for _ in 0..100 {
        if a.get(&format!("/api/v1/invoices/{invoice}"), Some(&token)).await.body["status"] == "paid" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(a.get(&format!("/api/v1/invoices/{invoice}"), Some(&token)).await.body["status"], "paid");
    assert_eq!(a.count("audit_log WHERE action = 'invoice.paid'"), 1);
    let expected = a.count("outbox_messages WHERE channel = 'email'");
    for _ in 0..200 {
        if a.count("outbox_messages WHERE channel = 'email' AND status = 'sent'") == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = smtp.mails.lock().unwrap().len() as i64;
    assert_eq!(mails, expected, "each queued e-mail delivered once");
    assert!(smtp.mails.lock().unwrap().iter().filter(|m| m.to.contains(&voter.email)).count() >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_into_a_new_database_postgres() {
    let app = TestApp::spawn_with(Backend::Postgres, &[], &["--demo"]).await;
    let (code, login) = app.signed_in_person().await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let url = app.url("/api/v1/files?purpose=officer_document&name=scan.pdf");
    let uploaded = app
        .send(
            app.client
                .post(url)
                .bearer_auth(&token)
                .header("content-type", "application/octet-stream")
                .body(PDF.to_vec()),
        )
        .await;
    let file_url = uploaded.expect_status(201)["url"].as_str().unwrap().to_owned();
    let people = app.count("persons");

    let script = |name: &str| workspace_root().join("deploy").join(name);
    let backups = tempfile::tempdir().unwrap();
    let files = app.db.dir.path().join("data/files");
    let out = Command::new(script("backup.sh"))
        .arg(backups.path())
        .env("ANJOMAN_DATABASE_URL", &app.db.url)
        .env("ANJOMAN_FILES", &files)
        .output()
        .unwrap();
    assert!(out.status.success(), "backup: {}", String::from_utf8_lossy(&out.stderr));
    let backup = String::from_utf8_lossy(&out.stdout).lines().last().unwrap().trim().to_owned();

    let target = TestDb::new(Backend::Postgres);
    let restore = || {
        Command::new(script("restore.sh"))
            .arg(&backup)
            .env("ANJOMAN_DATABASE_URL", &target.url)
            .env("ANJOMAN_FILES", target.dir.path().join("data/files"))
            .env("ANJOMAN_DATA_DIR", target.dir.path().join("data"))
            .env("ANJOMAN_BIN", binary())
            .env("ANJOMAN_LOG", "warn")
            .output()
            .unwrap()
    };
    let out = restore();
    assert!(
        out.status.success(),
        "restore: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("audit log intact"));
    // A second restore into the now full database is refused, changing nothing.
    let again = restore();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"), "{}", String::from_utf8_lossy(&again.stderr));

    // The restored system serves the same people and files.
    let restored = TestApp::spawn_on(target, &[]).await;
    assert_eq!(restored.count("persons"), people);
    restored.login(&code, anjoman_tests::GOOD_PASSWORD).await.expect_status(200);
    let got = restored.client.get(restored.url(&file_url)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().as_ref(), PDF);

    // A damaged backup is refused before anything is written.
    let dump = std::path::Path::new(&backup).join("database.dump");
    let mut bytes = std::fs::read(&dump).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&dump, bytes).unwrap();
    let fresh = TestDb::new(Backend::Postgres);
    let out = Command::new(script("restore.sh"))
        .arg(&backup)
        .env("ANJOMAN_DATABASE_URL", &fresh.url)
        .env("ANJOMAN_BIN", binary())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let mut conn = fresh.connect();
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let tables: Vec<N> =
        diesel::sql_query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")
            .load(&mut conn)
            .unwrap();
    assert_eq!(tables[0].n, 0);
}
