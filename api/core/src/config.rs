//! Configuration from `ANJOMAN_*` environment variables, each with a laptop-friendly default.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::RngCore;

/// Every variable the binary reads: name, default, meaning. `anjoman --help` prints this table.
pub const VARIABLES: &[(&str, &str, &str)] = &[
    ("ANJOMAN_DATABASE_URL", "sqlite://data/anjoman.db", "sqlite://PATH or postgres://USER@HOST/DB"),
    ("ANJOMAN_BIND", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)"),
    ("ANJOMAN_DB_POOL_SIZE", "10", "database connections per process"),
    ("ANJOMAN_JWT_SECRET", "generated into data/jwt-secret", "HS256 key for access tokens (at least 32 bytes)"),
    ("ANJOMAN_JWT_ISSUER", "anjoman", "the `iss` of access tokens"),
    ("ANJOMAN_JWT_AUDIENCE", "anjoman-api", "the `aud` of access tokens"),
    ("ANJOMAN_ACCESS_TOKEN_SECONDS", "900", "lifetime of an access token"),
    ("ANJOMAN_REFRESH_TOKEN_DAYS", "14", "lifetime of a refresh token"),
    ("ANJOMAN_WEB_DIR", "web-client/dist", "the built single-page app to serve"),
    ("ANJOMAN_DATA_DIR", "data", "where generated secrets and local files live"),
    ("ANJOMAN_CAPTCHA", "on", "`off` disables the captcha: automated tests only, warned at start"),
    ("ANJOMAN_CAPTCHA_SECONDS", "120", "lifetime of a captcha"),
    ("ANJOMAN_ARGON2_MEMORY_KIB", "19456", "argon2id memory cost"),
    ("ANJOMAN_ARGON2_ITERATIONS", "2", "argon2id time cost"),
    ("ANJOMAN_ARGON2_PARALLELISM", "1", "argon2id lanes"),
    ("ANJOMAN_PASSWORD_MIN_LENGTH", "8", "shortest accepted password"),
    ("ANJOMAN_PASSWORD_REQUIRE_CLASSES", "on", "require upper- and lower-case Latin letters and a digit"),
    ("ANJOMAN_THROTTLE_FREE_ATTEMPTS", "5", "failed logins per account (and client) before delays start"),
    ("ANJOMAN_THROTTLE_BASE_MS", "1000", "first delay; each further failure doubles it"),
    ("ANJOMAN_THROTTLE_MAX_SECONDS", "900", "longest delay (no permanent lockout)"),
    ("ANJOMAN_TRUST_FORWARDED_FOR", "off", "`on` behind a reverse proxy: take the client IP from X-Forwarded-For"),
    ("ANJOMAN_MAX_BODY_BYTES", "262144", "largest accepted JSON body"),
    (
        "ANJOMAN_RATE_LIMITS",
        "on",
        "`off` lifts the per-address and per-account request limits (SECURITY.md): automated tests only",
    ),
    (
        "ANJOMAN_WEBHOOK_PRIVATE_TARGETS",
        "off",
        "`on` lets webhooks go to loopback and private addresses: development and tests only",
    ),
    ("ANJOMAN_CORS_ORIGINS", "", "other origins allowed to call the API from a browser, comma-separated"),
    ("ANJOMAN_CLIENT_HEADER_TIMEOUT_MS", "5000", "a client must send a request's headers within this time"),
    ("ANJOMAN_CLIENT_BODY_IDLE_SECONDS", "30", "a request body that sends nothing for this long is refused (408)"),
    ("ANJOMAN_KEEP_ALIVE_SECONDS", "5", "an idle kept-alive connection is closed after this long"),
    ("ANJOMAN_COOKIE_SECURE", "off", "`on` marks the refresh cookie Secure (use behind HTTPS)"),
    ("ANJOMAN_SMS_PROVIDER", "log", "`log` (writes SMS to the log, codes included: development only) or `kavenegar`"),
    ("ANJOMAN_SMS_API_URL", "https://api.kavenegar.com", "base URL of the Kavenegar-style SMS gateway"),
    ("ANJOMAN_SMS_API_KEY", "", "the SMS gateway's API key"),
    ("ANJOMAN_SMS_SENDER", "10004346", "the system's SMS number: sends, and receives the texts people send"),
    (
        "ANJOMAN_INBOUND_SMS_SECRET",
        "generated into data/inbound-sms-secret",
        "HMAC key that signs inbound-SMS webhooks",
    ),
    ("ANJOMAN_SMTP_URL", "", "smtp://host:port or smtps://user:pass@host (empty: e-mail goes to the log)"),
    ("ANJOMAN_SMTP_FROM", "Anjoman <no-reply@anjoman.example>", "sender of outgoing e-mail"),
    ("ANJOMAN_WORKERS", "on", "run the background workers (outbox) in this process"),
    ("ANJOMAN_OUTBOX_POLL_MS", "1000", "how often the outbox worker looks for due messages"),
    ("ANJOMAN_OUTBOX_RETRY_BASE_MS", "5000", "first retry delay of a failed send; doubles each time"),
    ("ANJOMAN_OUTBOX_MAX_ATTEMPTS", "6", "sends tried before a message is marked failed"),
    ("ANJOMAN_OUTBOX_LEASE_SECONDS", "60", "how long a worker owns a claimed message"),
    ("ANJOMAN_FILES", "data/files", "where uploads are kept: a directory, or s3://bucket"),
    (
        "ANJOMAN_S3_ENDPOINT",
        "",
        "S3-compatible endpoint (MinIO, …); AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY give the keys",
    ),
    ("ANJOMAN_S3_REGION", "us-east-1", "S3 region"),
    ("ANJOMAN_PUBLIC_URL", "taken from each request's Host", "the address people use, for payment callbacks and links"),
    ("ANJOMAN_PAYMENT_PROVIDER", "sandbox", "`sandbox` (the built-in test gateway) or `zarinpal`"),
    ("ANJOMAN_ZARINPAL_URL", "https://payment.zarinpal.com", "the Zarinpal (v4) gateway"),
    ("ANJOMAN_ZARINPAL_MERCHANT_ID", "", "merchant id at the gateway"),
    ("ANJOMAN_PAYMENT_RECONCILE_SECONDS", "600", "age of an unconfirmed payment before the gateway is asked about it"),
    (
        "ANJOMAN_ELECTION_TICK_MS",
        "5000",
        "how often the elections worker opens and closes elections on the server clock",
    ),
    ("ANJOMAN_ELECTION_REMINDER_HOURS", "24", "how long before an election closes non-voters get a reminder"),
    ("ANJOMAN_VOTE_SMS_FALLBACK_SECONDS", "120", "an undelivered SMS voting code goes by e-mail after this long"),
    (
        "ANJOMAN_OFFICER_QUALIFICATION_FEE_RIALS",
        "5000000",
        "the review fee of a technical officer's qualification request",
    ),
    ("ANJOMAN_OFFICER_AMENDMENT_FEE_RIALS", "2000000", "the review fee of a technical officer's amendment request"),
    ("ANJOMAN_OIDC_ISSUER", "", "government single sign-on: the OpenID Connect issuer URL (empty: SSO off)"),
    ("ANJOMAN_OIDC_CLIENT_ID", "", "this system's client id at the SSO provider"),
    ("ANJOMAN_OIDC_CLIENT_SECRET", "", "its client secret (client_secret_basic)"),
    ("ANJOMAN_OIDC_NATIONAL_CODE_CLAIM", "national_code", "the ID-token claim that carries the national code"),
    ("ANJOMAN_OIDC_SCOPES", "openid", "scopes asked for, space-separated"),
    ("ANJOMAN_OIDC_LABEL", "دولت من", "the sign-in button's label"),
    ("ANJOMAN_LOG", "info", "log filter, e.g. `info,anjoman=debug`"),
    ("ANJOMAN_LOG_FORMAT", "text", "`text` or `json` (structured logs)"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Argon2Params {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

#[derive(Clone)]
pub struct PasswordPolicy {
    pub min_length: usize,
    pub max_length: usize,
    pub require_classes: bool,
}

#[derive(Clone)]
pub struct ThrottlePolicy {
    pub free_attempts: i32,
    pub base: Duration,
    pub max: Duration,
}

#[derive(Clone)]
pub enum SmsSettings {
    Log,
    Kavenegar { api_url: String, api_key: String },
}

#[derive(Clone)]
pub enum PaymentSettings {
    /// The gateway built into anjoman, for development and tests.
    Sandbox,
    Zarinpal {
        url: String,
        merchant_id: String,
    },
}

#[derive(Clone)]
pub struct OutboxPolicy {
    pub poll: Duration,
    pub retry_base: Duration,
    pub max_attempts: i32,
    pub lease: Duration,
}

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub pool_size: u32,
    pub jwt_secret: Vec<u8>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub web_dir: PathBuf,
    pub data_dir: PathBuf,
    pub captcha_enabled: bool,
    pub captcha_ttl: Duration,
    pub argon2: Argon2Params,
    pub password: PasswordPolicy,
    pub throttle: ThrottlePolicy,
    pub trust_forwarded_for: bool,
    pub max_body_bytes: usize,
    pub rate_limits: bool,
    pub webhook_private_targets: bool,
    /// Origins (`scheme://host[:port]`) besides this one that browsers may call the API from.
    pub cors_origins: Vec<String>,
    pub client_header_timeout: Duration,
    pub client_body_idle: Duration,
    pub keep_alive: Duration,
    pub cookie_secure: bool,
    pub sms: SmsSettings,
    pub sms_sender: String,
    pub inbound_sms_secret: Vec<u8>,
    pub smtp_url: Option<String>,
    pub smtp_from: String,
    pub workers: bool,
    pub outbox: OutboxPolicy,
    pub public_url: Option<String>,
    pub payments: PaymentSettings,
    pub reconcile_after: Duration,
    pub election_tick: Duration,
    pub election_reminder: Duration,
    pub vote_sms_fallback: Duration,
    pub officer_fees: OfficerFees,
    pub files: String,
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub oidc: Option<OidcSettings>,
}

/// An external OpenID Connect provider for single sign-on (ID-09).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub national_code_claim: String,
    pub scopes: String,
    pub label: String,
}

/// The review fees of technical officers' requests (TO-04, TO-05), in rials.
#[derive(Debug, Clone)]
pub struct OfficerFees {
    pub qualification_rials: i64,
    pub amendment_rials: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} has an invalid value: {1}")]
    Invalid(&'static str, String),
    #[error("cannot prepare {0}: {1}")]
    Io(String, std::io::Error),
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn default_of(name: &str) -> &'static str {
    VARIABLES.iter().find(|(n, _, _)| *n == name).map(|(_, d, _)| *d).unwrap_or_default()
}

fn string(name: &'static str) -> String {
    var(name).unwrap_or_else(|| default_of(name).to_owned())
}

fn number<T: std::str::FromStr>(name: &'static str) -> Result<T, ConfigError> {
    let raw = string(name);
    raw.trim().parse().map_err(|_| ConfigError::Invalid(name, raw))
}

/// `https://a.example, http://b.example:8443` → the origins, each checked to be
/// `scheme://host[:port]` with nothing after it (a browser's `Origin` header is compared exactly).
fn cors_origins(raw: &str) -> Result<Vec<String>, ConfigError> {
    raw.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| {
            let o = o.trim_end_matches('/');
            let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', '*', ' ']) => {
                    Ok(o.to_ascii_lowercase())
                }
                _ => Err(ConfigError::Invalid("ANJOMAN_CORS_ORIGINS", o.to_owned())),
            }
        })
        .collect()
}

fn switch(name: &'static str) -> Result<bool, ConfigError> {
    match string(name).to_ascii_lowercase().as_str() {
        "on" | "true" | "1" | "yes" => Ok(true),
        "off" | "false" | "0" | "no" => Ok(false),
        other => Err(ConfigError::Invalid(name, other.to_owned())),
    }
}

impl Config {
    /// Reads the environment. Creates `data/` and the generated JWT secret when needed.
    pub fn from_env() -> Result<Self, ConfigError> {
        let data_dir = PathBuf::from(string("ANJOMAN_DATA_DIR"));
        let database_url = string("ANJOMAN_DATABASE_URL");
        Self::backend_of(&database_url)
            .ok_or_else(|| ConfigError::Invalid("ANJOMAN_DATABASE_URL", database_url.clone()))?;
        let jwt_secret = match var("ANJOMAN_JWT_SECRET") {
            Some(s) if s.len() >= 32 => s.into_bytes(),
            Some(_) => return Err(ConfigError::Invalid("ANJOMAN_JWT_SECRET", "shorter than 32 bytes".into())),
            None => load_or_create_secret(&data_dir.join("jwt-secret"))?,
        };
        let inbound_sms_secret = match var("ANJOMAN_INBOUND_SMS_SECRET") {
            Some(s) if s.len() >= 16 => s.into_bytes(),
            Some(_) => return Err(ConfigError::Invalid("ANJOMAN_INBOUND_SMS_SECRET", "shorter than 16 bytes".into())),
            None => load_or_create_secret(&data_dir.join("inbound-sms-secret"))?,
        };
        let sms = match string("ANJOMAN_SMS_PROVIDER").to_ascii_lowercase().as_str() {
            "log" => SmsSettings::Log,
            "kavenegar" => SmsSettings::Kavenegar {
                api_url: string("ANJOMAN_SMS_API_URL").trim_end_matches('/').to_owned(),
                api_key: var("ANJOMAN_SMS_API_KEY")
                    .ok_or_else(|| ConfigError::Invalid("ANJOMAN_SMS_API_KEY", "required for kavenegar".into()))?,
            },
            other => return Err(ConfigError::Invalid("ANJOMAN_SMS_PROVIDER", other.to_owned())),
        };
        let data_dir_for_files = data_dir.clone();
        Ok(Self {
            database_url,
            bind: string("ANJOMAN_BIND"),
            pool_size: number("ANJOMAN_DB_POOL_SIZE")?,
            jwt_secret,
            jwt_issuer: string("ANJOMAN_JWT_ISSUER"),
            jwt_audience: string("ANJOMAN_JWT_AUDIENCE"),
            access_token_ttl: Duration::from_secs(number("ANJOMAN_ACCESS_TOKEN_SECONDS")?),
            refresh_token_ttl: Duration::from_secs(number::<u64>("ANJOMAN_REFRESH_TOKEN_DAYS")? * 86_400),
            web_dir: PathBuf::from(string("ANJOMAN_WEB_DIR")),
            data_dir,
            captcha_enabled: switch("ANJOMAN_CAPTCHA")?,
            captcha_ttl: Duration::from_secs(number("ANJOMAN_CAPTCHA_SECONDS")?),
            argon2: Argon2Params {
                memory_kib: number("ANJOMAN_ARGON2_MEMORY_KIB")?,
                iterations: number("ANJOMAN_ARGON2_ITERATIONS")?,
                parallelism: number("ANJOMAN_ARGON2_PARALLELISM")?,
            },
            password: PasswordPolicy {
                min_length: number("ANJOMAN_PASSWORD_MIN_LENGTH")?,
                max_length: 128,
                require_classes: switch("ANJOMAN_PASSWORD_REQUIRE_CLASSES")?,
            },
            throttle: ThrottlePolicy {
                free_attempts: number("ANJOMAN_THROTTLE_FREE_ATTEMPTS")?,
                base: Duration::from_millis(number("ANJOMAN_THROTTLE_BASE_MS")?),
                max: Duration::from_secs(number("ANJOMAN_THROTTLE_MAX_SECONDS")?),
            },
            trust_forwarded_for: switch("ANJOMAN_TRUST_FORWARDED_FOR")?,
            max_body_bytes: number("ANJOMAN_MAX_BODY_BYTES")?,
            rate_limits: switch("ANJOMAN_RATE_LIMITS")?,
            webhook_private_targets: switch("ANJOMAN_WEBHOOK_PRIVATE_TARGETS")?,
            cors_origins: cors_origins(&string("ANJOMAN_CORS_ORIGINS"))?,
            client_header_timeout: Duration::from_millis(number("ANJOMAN_CLIENT_HEADER_TIMEOUT_MS")?),
            client_body_idle: Duration::from_secs(number("ANJOMAN_CLIENT_BODY_IDLE_SECONDS")?),
            keep_alive: Duration::from_secs(number("ANJOMAN_KEEP_ALIVE_SECONDS")?),
            cookie_secure: switch("ANJOMAN_COOKIE_SECURE")?,
            sms,
            sms_sender: string("ANJOMAN_SMS_SENDER"),
            inbound_sms_secret,
            smtp_url: var("ANJOMAN_SMTP_URL"),
            smtp_from: string("ANJOMAN_SMTP_FROM"),
            workers: switch("ANJOMAN_WORKERS")?,
            outbox: OutboxPolicy {
                poll: Duration::from_millis(number("ANJOMAN_OUTBOX_POLL_MS")?),
                retry_base: Duration::from_millis(number("ANJOMAN_OUTBOX_RETRY_BASE_MS")?),
                max_attempts: number("ANJOMAN_OUTBOX_MAX_ATTEMPTS")?,
                lease: Duration::from_secs(number("ANJOMAN_OUTBOX_LEASE_SECONDS")?),
            },
            public_url: var("ANJOMAN_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned()),
            payments: match string("ANJOMAN_PAYMENT_PROVIDER").to_ascii_lowercase().as_str() {
                "sandbox" => PaymentSettings::Sandbox,
                "zarinpal" => PaymentSettings::Zarinpal {
                    url: string("ANJOMAN_ZARINPAL_URL").trim_end_matches('/').to_owned(),
                    merchant_id: var("ANJOMAN_ZARINPAL_MERCHANT_ID").ok_or_else(|| {
                        ConfigError::Invalid("ANJOMAN_ZARINPAL_MERCHANT_ID", "required for zarinpal".into())
                    })?,
                },
                other => return Err(ConfigError::Invalid("ANJOMAN_PAYMENT_PROVIDER", other.to_owned())),
            },
            reconcile_after: Duration::from_secs(number("ANJOMAN_PAYMENT_RECONCILE_SECONDS")?),
            election_tick: Duration::from_millis(number("ANJOMAN_ELECTION_TICK_MS")?),
            election_reminder: Duration::from_secs(number::<u64>("ANJOMAN_ELECTION_REMINDER_HOURS")? * 3600),
            vote_sms_fallback: Duration::from_secs(number("ANJOMAN_VOTE_SMS_FALLBACK_SECONDS")?),
            officer_fees: OfficerFees {
                qualification_rials: number("ANJOMAN_OFFICER_QUALIFICATION_FEE_RIALS")?,
                amendment_rials: number("ANJOMAN_OFFICER_AMENDMENT_FEE_RIALS")?,
            },
            files: var("ANJOMAN_FILES").unwrap_or_else(|| data_dir_for_files.join("files").display().to_string()),
            s3_endpoint: var("ANJOMAN_S3_ENDPOINT"),
            s3_region: string("ANJOMAN_S3_REGION"),
            oidc: match var("ANJOMAN_OIDC_ISSUER") {
                None => None,
                Some(issuer) => Some(OidcSettings {
                    issuer: issuer.trim().to_owned(),
                    client_id: var("ANJOMAN_OIDC_CLIENT_ID").ok_or_else(|| {
                        ConfigError::Invalid("ANJOMAN_OIDC_CLIENT_ID", "required with an issuer".into())
                    })?,
                    client_secret: var("ANJOMAN_OIDC_CLIENT_SECRET").unwrap_or_default(),
                    national_code_claim: string("ANJOMAN_OIDC_NATIONAL_CODE_CLAIM"),
                    scopes: string("ANJOMAN_OIDC_SCOPES"),
                    label: string("ANJOMAN_OIDC_LABEL"),
                }),
            },
        })
    }

    pub fn backend_of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite://") || url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn backend(&self) -> Backend {
        Self::backend_of(&self.database_url).unwrap_or(Backend::Sqlite)
    }

    /// The variables as help text for the CLI.
    pub fn help_text() -> String {
        let mut out = String::from("Configuration (environment variables; a .env file is read if present):\n");
        for (name, default, meaning) in VARIABLES {
            out.push_str(&format!("  {name:<34} {meaning} [default: {default}]\n"));
        }
        out
    }
}

fn load_or_create_secret(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let io = |e| ConfigError::Io(path.display().to_string(), e);
    if let Ok(existing) = std::fs::read_to_string(path) {
        let trimmed = existing.trim();
        if trimmed.len() >= 32 {
            return Ok(trimmed.as_bytes().to_vec());
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(path, &secret).map_err(io)?;
    Ok(secret.into_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    f.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}
