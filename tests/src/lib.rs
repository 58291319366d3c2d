//! Test harness: starts the real `anjoman` binary on a fresh database (a temporary SQLite file,
//! or a new PostgreSQL database) and talks to it over HTTP, like any client would.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use anjoman_core::db::{DbConn, Manager};
use anjoman_core::text::NationalCode;
use diesel::r2d2::ManageConnection;
use diesel::{Connection, RunQueryDsl};
use rand::Rng;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub use reqwest;
pub use serde_json;

/// The secret every test server signs tokens with, so tests can forge tokens on purpose.
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";
/// A password that meets the policy.
pub const GOOD_PASSWORD: &str = "Sahand-Kuh 1403";
/// The secret that signs inbound-SMS webhooks in tests.
pub const INBOUND_SMS_SECRET: &str = "inbound-sms-test-secret";

pub mod fakes;
pub mod oidc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates one test per backend: `name::sqlite` and `name::postgres`, each calling
/// `name(Backend)`. The Makefile skips `::postgres` when no PostgreSQL server is reachable.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::Backend::Postgres).await
            }
        }
    )*};
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every Rust source file below `dir`, for the tests that read the code (ownership, layers).
pub fn rust_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).expect("readable source tree").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The `anjoman` binary, built once per test run (a no-op when it is up to date).
pub fn binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let root = workspace_root();
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "-p", "anjoman-server", "--bin", "anjoman"])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building anjoman failed");
        let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));
        target.join("debug").join("anjoman")
    })
    .clone()
}

/// The PostgreSQL server tests use: `ANJOMAN_TEST_POSTGRES_URL` or the local default.
pub fn postgres_admin_url() -> String {
    std::env::var("ANJOMAN_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_url_for(db: &str) -> String {
    let admin = postgres_admin_url();
    let (base, query) = match admin.split_once('?') {
        Some((b, q)) => (b.to_owned(), format!("?{q}")),
        None => (admin.clone(), String::new()),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base.as_str(),
    };
    format!("{prefix}/{db}{query}")
}

/// A fresh database for one test; dropped with it.
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("anjoman.db").display());
                Self { url, pg_name: None, dir }
            }
            Backend::Postgres => {
                let name = format!("anjoman_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = diesel::PgConnection::establish(&postgres_admin_url())
                    .unwrap_or_else(|e| panic!("PostgreSQL at {} is not reachable: {e}", postgres_admin_url()));
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create database");
                Self { url: postgres_url_for(&name), pg_name: Some(name), dir }
            }
        }
    }

    /// A database someone else made and drops (a private PostgreSQL server, say).
    pub fn at(url: &str) -> Self {
        Self { url: url.to_owned(), pg_name: None, dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn connect(&self) -> DbConn {
        Manager::new(&self.url).expect("known scheme").connect().expect("test database connects")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name
            && let Ok(mut admin) = diesel::PgConnection::establish(&postgres_admin_url())
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    }
}

/// A running `anjoman serve` on its own database.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    env: Vec<(String, String)>,
    child: Child,
    pub db: std::sync::Arc<TestDb>,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// One HTTP answer, with the body parsed as JSON (Null when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// Asserts the error envelope with this status and code; returns the body.
    pub fn expect_error(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.body);
        assert_eq!(self.body["code"], code, "unexpected code; body: {}", self.body);
        assert!(self.body["message"].as_str().is_some_and(|m| !m.is_empty()), "no message: {}", self.body);
        assert!(self.body["fields"].is_object(), "no fields object: {}", self.body);
        &self.body
    }

    pub fn expect_status(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.body);
        &self.body
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[], &[]).await
    }

    /// Starts a server with extra environment variables and `serve` arguments (e.g. `--demo`).
    pub async fn spawn_with(backend: Backend, env: &[(&str, &str)], args: &[&str]) -> Self {
        let db = std::sync::Arc::new(TestDb::new(backend));
        let vars = Self::default_env(&db);
        Self::start(backend, db, vars, env, args).await
    }

    /// A server on a database prepared elsewhere (a restored backup, say).
    pub async fn spawn_on(db: TestDb, env: &[(&str, &str)]) -> Self {
        let vars = Self::default_env(&db);
        let backend = if db.url.starts_with("sqlite") { Backend::Sqlite } else { Backend::Postgres };
        Self::start(backend, std::sync::Arc::new(db), vars, env, &[]).await
    }

    /// Another process on the same database and configuration (plus `env`).
    pub async fn spawn_sharing(other: &TestApp, env: &[(&str, &str)]) -> Self {
        Self::start(other.backend, other.db.clone(), other.env.clone(), env, &[]).await
    }

    /// Everything the server has logged so far.
    pub fn server_log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Kills the process at once, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn default_env(db: &TestDb) -> Vec<(String, String)> {
        vec![
            ("ANJOMAN_DATABASE_URL".into(), db.url.clone()),
            ("ANJOMAN_BIND".into(), "127.0.0.1:0".into()),
            ("ANJOMAN_DATA_DIR".into(), db.dir.path().join("data").display().to_string()),
            ("ANJOMAN_WEB_DIR".into(), db.dir.path().join("no-web").display().to_string()),
            ("ANJOMAN_JWT_SECRET".into(), JWT_SECRET.into()),
            ("ANJOMAN_CAPTCHA".into(), "off".into()),
            // Cheap hashing through configuration: the same code path as production.
            ("ANJOMAN_ARGON2_MEMORY_KIB".into(), "256".into()),
            ("ANJOMAN_ARGON2_ITERATIONS".into(), "1".into()),
            ("ANJOMAN_THROTTLE_BASE_MS".into(), "100".into()),
            ("ANJOMAN_DB_POOL_SIZE".into(), "4".into()),
            ("ANJOMAN_LOG".into(), "warn".into()),
            ("ANJOMAN_INBOUND_SMS_SECRET".into(), INBOUND_SMS_SECRET.into()),
            ("ANJOMAN_OUTBOX_POLL_MS".into(), "100".into()),
            ("ANJOMAN_OUTBOX_RETRY_BASE_MS".into(), "100".into()),
            // The tests' webhook receivers listen on loopback.
            ("ANJOMAN_WEBHOOK_PRIVATE_TARGETS".into(), "on".into()),
        ]
    }

    async fn start(
        backend: Backend,
        db: std::sync::Arc<TestDb>,
        mut vars: Vec<(String, String)>,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> Self {
        for (k, v) in env {
            vars.retain(|(name, _)| name != k);
            vars.push(((*k).into(), (*v).into()));
        }
        let mut cmd = Command::new(binary());
        cmd.arg("serve").args(args).envs(vars.iter().cloned()).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.current_dir(db.dir.path());
        let mut child = cmd.spawn().expect("anjoman starts");
        // The server's log is kept for tests that read it, and shown with the test's output.
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{line}");
                sink.lock().unwrap().push(line);
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let base = tokio::task::spawn_blocking(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return None;
                }
                if let Some(addr) = line.trim().strip_prefix("anjoman listening on ") {
                    let addr = addr.to_owned();
                    // Keep draining stdout so the server never blocks on a full pipe.
                    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
                    return Some(addr);
                }
            }
        });
        let base = tokio::time::timeout(Duration::from_secs(60), base)
            .await
            .expect("server announces its address within 60 s")
            .expect("reader task")
            .expect("server started (see its stderr above)");
        let client = reqwest::Client::builder().cookie_store(true).build().expect("http client");
        Self { base, client, backend, env: vars, child, db, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn answer(res: reqwest::Response) -> Answer {
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, headers, body }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Answer {
        Self::answer(req.send().await.expect("request reaches the server")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        let mut req = self.client.put(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        let mut req = self.client.patch(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    /// Registers a person with a good password; returns the answer.
    pub async fn register(&self, national_code: &str, password: &str) -> Answer {
        self.post(
            "/api/v1/auth/register",
            None,
            &json!({
                "national_code": national_code,
                "password": password,
                "first_name": "سارا",
                "last_name": "محمدی",
                "mobile": "09121234567",
                "email": "sara@example.ir",
            }),
        )
        .await
    }

    pub async fn login(&self, national_code: &str, password: &str) -> Answer {
        self.post("/api/v1/auth/login", None, &json!({"national_code": national_code, "password": password})).await
    }

    /// Registers and logs in a new person; returns (national code, login body).
    pub async fn signed_in_person(&self) -> (String, Value) {
        let code = fresh_national_code();
        self.register(&code, GOOD_PASSWORD).await.expect_status(201);
        let body = self.login(&code, GOOD_PASSWORD).await.expect_status(200).clone();
        (code, body)
    }

    /// Counts rows of a table straight from the database.
    pub fn count(&self, table: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.db.connect();
        let rows: Vec<Count> =
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).load(&mut conn).expect("count query");
        rows[0].n
    }

    /// Runs another `anjoman` command against the same database and configuration.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(binary())
            .args(args)
            .envs(self.env.iter().cloned())
            .current_dir(self.db.dir.path())
            .output()
            .expect("anjoman runs")
    }

    /// Solves a captcha by reading its hashed answer from the database and trying every
    /// five-digit answer: tests cannot read the image.
    pub fn solve_captcha(&self, captcha_id: &str) -> String {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            answer_hash: String,
        }
        let mut conn = self.db.connect();
        let rows: Vec<Row> = diesel::sql_query(format!("SELECT answer_hash FROM captchas WHERE id = '{captcha_id}'"))
            .load(&mut conn)
            .expect("captcha row");
        let hash = &rows.first().expect("captcha exists").answer_hash;
        let digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
        for n in 0..9usize.pow(5) {
            let mut x = n;
            let answer: String = (0..5)
                .map(|_| {
                    let d = digits[x % 9];
                    x /= 9;
                    d
                })
                .collect();
            if hex::encode(Sha256::digest(format!("{captcha_id}:{answer}").as_bytes())) == *hash {
                return answer;
            }
        }
        panic!("captcha {captcha_id} has no five-digit answer");
    }

    /// Gets a captcha and its answer.
    pub async fn captcha(&self) -> (String, String) {
        let body = self.get("/api/v1/auth/captcha", None).await.expect_status(200).clone();
        let id = body["captcha_id"].as_str().expect("captcha_id").to_owned();
        let answer = self.solve_captcha(&id);
        (id, answer)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A random valid national code.
pub fn fresh_national_code() -> String {
    let mut rng = rand::thread_rng();
    loop {
        let prefix: String = (0..9).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect();
        if let Some(code) = NationalCode::from_prefix(&prefix) {
            return code.as_str().to_owned();
        }
    }
}

/// A fresh valid national code whose first three digits (the issuing area) are `prefix`.
pub fn national_code_from(prefix: &str) -> String {
    let mut rng = rand::thread_rng();
    loop {
        let rest: String = (0..6).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect();
        if let Some(code) = NationalCode::from_prefix(&format!("{prefix}{rest}")) {
            return code.as_str().to_owned();
        }
    }
}

/// A minimal valid PDF, for uploads.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A client that shows redirects instead of following them.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http client")
}

/// Pays an invoice in the sandbox gateway as its payer; returns the gateway's callback URL (to
/// call, and to replay).
pub async fn pay_in_sandbox(app: &TestApp, token: &str, invoice: &str) -> String {
    let res = app.post(&format!("/api/v1/invoices/{invoice}/pay"), Some(token), &serde_json::json!({})).await;
    let redirect = res.expect_status(200)["redirect_url"].as_str().expect("redirect_url").to_owned();
    let page = no_redirects().get(&redirect).send().await.expect("gateway page");
    let location = page.headers()["location"].to_str().expect("location").to_owned();
    let authority = location.strip_prefix("/sandbox-gateway/").expect("sandbox page").to_owned();
    let paid =
        app.post(&format!("/api/v1/payments/sandbox/payments/{authority}/pay"), None, &serde_json::json!({})).await;
    paid.expect_status(200)["redirect_url"].as_str().expect("redirect_url").to_owned()
}
