//! One connection type over PostgreSQL and SQLite, its pool, migrations and transactions.

pub mod schema;

use std::time::Duration;

use chrono::{NaiveDateTime, SubsecRound, Utc};
use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::{Backend, Config};

/// A connection to whichever backend the URL named.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// Opens connections by URL scheme (never by trying each backend in turn).
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl Manager {
    pub fn new(url: &str) -> Option<Self> {
        Some(Self { url: url.to_owned(), backend: Config::backend_of(url)? })
    }

    fn sqlite_path(&self) -> &str {
        self.url.strip_prefix("sqlite://").or_else(|| self.url.strip_prefix("sqlite:")).unwrap_or(&self.url)
    }
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match self.backend {
            Backend::Postgres => {
                PgConnection::establish(&self.url).map(DbConn::Postgres).map_err(r2d2::Error::ConnectionError)
            }
            Backend::Sqlite => {
                let path = self.sqlite_path();
                if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
                    let _ = std::fs::create_dir_all(dir);
                }
                let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(
                    // WAL is set once, before the pool opens (see `build_pool`).
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        match conn {
            DbConn::Postgres(c) => r2d2::R2D2Connection::is_broken(c),
            DbConn::Sqlite(c) => r2d2::R2D2Connection::is_broken(c),
        }
    }
}

/// Builds the pool; fails when the first connection cannot be opened.
pub fn build_pool(url: &str, size: u32) -> Result<Pool, String> {
    let manager = Manager::new(url).ok_or_else(|| format!("unsupported database URL: {url}"))?;
    if manager.backend == Backend::Sqlite {
        // The journal mode is stored in the file; switching it needs the database to itself,
        // so do it on one connection before the pool opens several at once.
        let mut conn = manager.connect().map_err(|e| format!("cannot open the database: {e}"))?;
        conn.batch_execute("PRAGMA journal_mode = WAL;").map_err(|e| format!("cannot enable WAL: {e}"))?;
    }
    r2d2::Pool::builder()
        .max_size(size.max(1))
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// The PostgreSQL advisory lock that makes processes starting at once migrate one at a time.
const MIGRATION_LOCK: i64 = 0x616e_6a6f_6d61_6e01;

/// Applies pending migrations of the connection's backend; returns the names applied.
///
/// On PostgreSQL the work is done under an advisory lock: when several processes start at once
/// (replicas after an upgrade), one applies the migrations and the others wait, then find none
/// pending. SQLite serialises writers itself.
pub fn run_migrations(conn: &mut DbConn) -> Result<Vec<String>, MigrationError> {
    let applied = match conn {
        DbConn::Postgres(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let applied = c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.iter().map(|m| m.to_string()).collect());
            let unlocked = c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
            let applied: Vec<String> = applied?;
            unlocked?;
            applied
        }
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS)?.iter().map(|v| v.to_string()).collect(),
    };
    Ok(applied)
}

/// True when every embedded migration has been applied.
pub fn migrations_complete(conn: &mut DbConn) -> Result<bool, MigrationError> {
    let pending = match conn {
        DbConn::Postgres(c) => c.pending_migrations(PG_MIGRATIONS)?.len(),
        DbConn::Sqlite(c) => c.pending_migrations(SQLITE_MIGRATIONS)?.len(),
    };
    Ok(pending == 0)
}

/// Runs the same diesel expression on the concrete connection of either backend: the escape
/// hatch for queries `DbConn` cannot express portably (upserts, locking clauses). Keep its uses
/// rare and tested on both backends.
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Postgres($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}

/// Runs `f` in a transaction that takes the write lock at once. On SQLite a plain `BEGIN`
/// upgrades to a write lock later and can fail with "database is locked" under concurrency;
/// `BEGIN IMMEDIATE` waits for the lock (busy_timeout) instead.
pub fn write_tx<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Postgres(_) => <DbConn as Connection>::TransactionManager::begin_transaction(conn)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// The current UTC time at the database's precision (microseconds).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Whether a province of the reference divisions of Iran exists (every domain may read them).
pub fn province_exists(conn: &mut DbConn, id: &str) -> diesel::QueryResult<bool> {
    use diesel::prelude::*;
    use schema::provinces as pr;
    diesel::select(diesel::dsl::exists(pr::table.find(id))).get_result(conn)
}

/// A new random identifier for a row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
