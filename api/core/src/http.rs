//! Shared HTTP plumbing: application state, running database work off the async threads,
//! extractor configuration that answers in the error envelope, and the client address.

use std::sync::Arc;

use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::{HttpRequest, web};

use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::db::{DbConn, Pool};
use crate::error::{ApiError, Msg};
use crate::refusals::CoreError;

/// A domain's veto on SMS password recovery (ID-05 option 2) for a person: `Some(reason)`
/// refuses it. The elections domain refuses while an election the person may vote in is open.
pub type RecoveryGuard = fn(&mut DbConn, &str) -> Result<Option<Msg>, ApiError>;

/// A domain's handler of inbound SMS: `Some(outcome)` when it recognised and handled the text.
pub type InboundSmsHandler = fn(&mut DbConn, &InboundSms) -> Result<Option<String>, ApiError>;

/// An SMS a person sent to the system's number, as the gateway relayed it.
#[derive(Debug, Clone)]
pub struct InboundSms {
    pub message_id: String,
    /// The sender's mobile in the national form `09xxxxxxxxx`.
    pub from: String,
    /// The text with digits normalised to ASCII and spaces trimmed.
    pub text: String,
}

/// What a domain does when an invoice of its purpose is paid; runs once, in the transaction
/// that marks the invoice paid.
pub type PaymentHandler = fn(&mut DbConn, &crate::platform::payments::Invoice) -> Result<(), ApiError>;

/// A domain's grant to read a private file: true when `user` may read the file `file_id`
/// (message recipients read its attachments).
pub type FileReader = fn(&mut DbConn, &str, &crate::auth::CurrentUser) -> Result<bool, ApiError>;

/// A domain's lock on a person's own profile and contact changes (ID-10): `Some(reason)` refuses
/// them. The elections domain locks them while an election of one of the person's associations
/// is open.
pub type ProfileLock = fn(&mut DbConn, &str) -> Result<Option<Msg>, ApiError>;

/// The names of the scopes of one kind that exist among `ids` (an association's name, a
/// province's, a distributor's), as `(id, name)`: the domain owning the scope answers, so role
/// grants can check that a scope exists and show what it is.
pub type ScopeNames = fn(&mut DbConn, &[String]) -> Result<Vec<(String, String)>, ApiError>;

/// The open elections whose frozen roll holds a person, as `(id, title)`, for a membership that
/// ends meanwhile: the elections domain answers, so the association can say that the roll is
/// kept (the person may still vote there) while every roll frozen later leaves them out.
pub type FrozenRolls = fn(&mut DbConn, &str, &str) -> Result<Vec<(String, String)>, ApiError>;

/// A domain's answer to single sign-on: true when the person (known by national code, without an
/// account yet) may get one by signing in through the provider. The engineers' domain answers
/// for the engineers the organisation holds a record of.
pub type SsoSubject = fn(&mut DbConn, &str) -> Result<bool, ApiError>;

/// A domain's standing of a person for the rule table of personal fields
/// (`crate::person_fields`): the officers' domain answers `Officer` for a registered officer, the
/// engineers' `Engineer` for an engineer on record.
pub type StandingOf = fn(&mut DbConn, &str) -> Result<Option<crate::person_fields::Standing>, ApiError>;

/// Extension points that later domains fill in; the server assembles them.
#[derive(Default)]
pub struct Hooks {
    pub sms_recovery_guards: Vec<RecoveryGuard>,
    pub inbound_sms: Vec<InboundSmsHandler>,
    /// Invoice purpose → handler.
    pub payment_handlers: Vec<(&'static str, PaymentHandler)>,
    pub file_readers: Vec<FileReader>,
    pub profile_locks: Vec<ProfileLock>,
    /// Scope kind → the domain's names of its scopes.
    pub scope_names: Vec<(crate::auth::ScopeKind, ScopeNames)>,
    /// `(association, person)` → open elections whose frozen roll holds them.
    pub frozen_rolls: Vec<FrozenRolls>,
    pub sso_subjects: Vec<SsoSubject>,
    pub standings: Vec<StandingOf>,
}

impl Hooks {
    /// The names of the existing scopes of `kind` among `ids`; none when no domain owns the kind.
    pub fn scope_names(
        &self,
        conn: &mut DbConn,
        kind: crate::auth::ScopeKind,
        ids: &[String],
    ) -> Result<Vec<(String, String)>, ApiError> {
        match self.scope_names.iter().find(|(k, _)| *k == kind) {
            Some((_, names)) => names(conn, ids),
            None => Ok(Vec::new()),
        }
    }

    /// What the person is to every domain, for the rule table of personal fields.
    pub fn standings(&self, conn: &mut DbConn, person: &str) -> Result<Vec<crate::person_fields::Standing>, ApiError> {
        let mut out = Vec::new();
        for f in &self.standings {
            out.extend(f(conn, person)?);
        }
        Ok(out)
    }

    /// Whether a domain lets the person get an account through single sign-on.
    pub fn sso_subject(&self, conn: &mut DbConn, person: &str) -> Result<bool, ApiError> {
        for f in &self.sso_subjects {
            if f(conn, person)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every open election of `association` whose frozen roll holds `person`.
    pub fn frozen_rolls(
        &self,
        conn: &mut DbConn,
        association: &str,
        person: &str,
    ) -> Result<Vec<(String, String)>, ApiError> {
        let mut out = Vec::new();
        for f in &self.frozen_rolls {
            out.extend(f(conn, association, person)?);
        }
        Ok(out)
    }
}

/// What every handler can reach: the pool, the configuration and the token keys.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub jwt: JwtKeys,
    pub hooks: Arc<Hooks>,
    /// Where uploaded files are kept.
    pub files: crate::platform::files::FileStore,
    /// A hash of a random password at the configured cost: unknown accounts are checked against
    /// it so that they take as long to refuse as wrong passwords do.
    pub dummy_hash: Arc<String>,
    /// Password hashes running at once, at most one per core: each holds its argon2 memory
    /// (19 MiB by default), so a burst of logins queues here instead of multiplying the
    /// process's memory, and no more hashes run than the cores can compute anyway.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Database work running at once, at most one per pooled connection: requests beyond it
    /// wait here as cheap futures instead of each parking a blocking thread on the pool (256
    /// voters at once made 256 threads, with their stacks and allocator arenas).
    pub db_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(pool: Pool, config: Config) -> Result<Self, String> {
        let jwt = JwtKeys::new(&config.jwt_secret, &config.jwt_issuer, &config.jwt_audience, config.access_token_ttl);
        let dummy_hash =
            crate::auth::password::hash_password(&config.argon2, &crate::auth::password::random_password());
        let files = crate::platform::files::FileStore::from_config(
            &config.files,
            config.s3_endpoint.as_deref(),
            &config.s3_region,
        )?;
        Ok(Self {
            db_slots: Arc::new(tokio::sync::Semaphore::new(pool.max_size() as usize)),
            pool,
            config: Arc::new(config),
            jwt,
            files,
            dummy_hash: Arc::new(dummy_hash),
            hooks: Arc::new(Hooks::default()),
            hashing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            )),
        })
    }

    pub fn with_hooks(self, hooks: Hooks) -> Self {
        Self { hooks: Arc::new(hooks), ..self }
    }

    /// Runs blocking database work on the blocking pool, never on an async worker.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        // Waiting for a slot counts against the pool's own timeout: an overloaded server answers
        // 503 `unavailable` as it did when requests waited on the pool itself.
        let _turn = tokio::time::timeout(self.pool.connection_timeout(), self.db_slots.acquire())
            .await
            .map_err(|_| ApiError::Unavailable)?
            .map_err(|_| ApiError::Internal)?;
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// Runs blocking CPU-heavy work (password hashing) off the async workers, at most one per
    /// core at a time (`hashing`).
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _turn = self.hashing.acquire().await.map_err(|_| ApiError::Internal)?;
        Ok(web::block(f).await?)
    }
}

/// The client's IP: the socket peer, or the first X-Forwarded-For hop when configured to trust
/// a reverse proxy.
pub fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return ip.to_owned();
    }
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// JSON bodies: size limit and malformed input answered in the envelope.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(|err, _req| {
        let api: ApiError = match &err {
            JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                ApiError::PayloadTooLarge
            }
            JsonPayloadError::ContentType => CoreError::UnsupportedContentType.into(),
            JsonPayloadError::Payload(PayloadError::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => {
                CoreError::BodyTimeout.into()
            }
            JsonPayloadError::Deserialize(e) if e.is_data() => CoreError::InvalidBody(e.to_string()).into(),
            _ => CoreError::MalformedJson.into(),
        };
        api.into()
    })
}

/// Query strings and path segments that do not parse are answered in the envelope too.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _req| ApiError::from(CoreError::InvalidQuery(err.to_string())).into())
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| ApiError::from(CoreError::InvalidPath(err.to_string())).into())
}

/// Where people reach this server: the configured public URL, or the request's own origin.
pub fn public_base(state: &AppState, req: &actix_web::HttpRequest) -> String {
    state.config.public_url.clone().unwrap_or_else(|| {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    })
}
