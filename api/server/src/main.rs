//! `anjoman`: the one binary of the platform.

mod demo;
mod health;
mod limits;
mod middleware;
mod openapi;
mod spa;
mod startup;

use std::process::ExitCode;

use anjoman_core::Config;
use anjoman_core::auth::{Role, ScopeKind};
use anjoman_core::db::{self, DbConn, Pool};
use anjoman_core::http::AppState;
use anjoman_identity::provision::{Provision, Provisioned, provision};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "anjoman",
    version,
    about = "Anjoman: associations, elections, technical officers and engineers on one platform"
)]
#[command(after_help = Config::help_text())]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API, Swagger UI and the web client.
    Serve {
        /// Fill an empty database with demo people and print their logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (the committed openapi/openapi.json is this output).
    Openapi,
    /// Create the first holder of a top-level role: a commission admin (the default), a
    /// directorate admin, or a province's engineering admin. An existing person is granted the
    /// role (their password kept); one recorded by an organisation without an account gets one.
    /// Everyone else is granted their roles in the web client by these.
    CreateAdmin {
        #[arg(long)]
        national_code: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value = "مدیر")]
        first_name: String,
        #[arg(long, default_value = "سامانه")]
        last_name: String,
        /// commission_admin, directorate_admin or engineering_admin.
        #[arg(long, default_value = "commission_admin", value_parser = parse_top_role)]
        role: Role,
        /// The province of an engineering admin (its id, as in GET /api/v1/provinces).
        #[arg(long)]
        province: Option<String>,
    },
    /// Verify the hash chain of the audit log; names the first broken entry.
    VerifyAudit,
    /// Re-check an election record (downloaded from /api/v1/elections/{id}/record): the
    /// trustees' keys and proofs, every ballot's proofs, the aggregate, the partial decryptions and
    /// the counts. Needs no database; exits non-zero at the first inconsistency.
    VerifyElection {
        /// The record's JSON file.
        record: std::path::PathBuf,
    },
}

/// The roles `create-admin` bootstraps: the top-level ones, whose holders grant the rest.
fn parse_top_role(value: &str) -> Result<Role, String> {
    match Role::parse(value) {
        Some(r @ (Role::CommissionAdmin | Role::DirectorateAdmin | Role::EngineeringAdmin)) => Ok(r),
        _ => Err("one of commission_admin, directorate_admin, engineering_admin".into()),
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("ANJOMAN_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("ANJOMAN_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json")) {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn open_database(config: &Config) -> Result<(Pool, db::PooledConn), String> {
    let pool = db::build_pool(&config.database_url, config.pool_size)?;
    let mut conn = pool.get().map_err(|e| format!("cannot connect to the database: {e}"))?;
    let applied = db::run_migrations(&mut conn).map_err(|e| format!("migrations failed: {e}"))?;
    for name in applied {
        tracing::info!(migration = %name, "applied migration");
    }
    if anjoman_core::reference::load_divisions(&mut conn).map_err(|e| format!("reference data: {e}"))? {
        tracing::info!("loaded the divisions of Iran");
    }
    Ok((pool, conn))
}

fn run(cli: Cli) -> Result<(), String> {
    if let Command::Openapi = cli.command {
        let doc = openapi::document().to_pretty_json().map_err(|e| e.to_string())?;
        println!("{doc}");
        return Ok(());
    }
    if let Command::VerifyElection { record } = &cli.command {
        return verify_election(record);
    }
    let config = Config::from_env().map_err(|e| e.to_string())?;
    match cli.command {
        Command::Openapi => Ok(()),
        Command::Migrate => open_database(&config).map(|_| println!("migrations applied")),
        Command::Serve { demo } => {
            let (pool, mut conn) = open_database(&config)?;
            if demo && demo::seed(&mut conn, &config)? {
                println!("demo data added; demo logins (national code / password):");
                for l in demo::DEMO_LOGINS {
                    println!("  {}  {}  — {}", l.national_code, l.password, l.who);
                }
            }
            drop(conn);
            let state = AppState::new(pool, config)?.with_hooks(startup::hooks());
            actix_web::rt::System::new().block_on(startup::serve(state)).map_err(|e| e.to_string())
        }
        Command::CreateAdmin { national_code, password, first_name, last_name, role, province } => {
            let (_, mut conn) = open_database(&config)?;
            let scope = match (role, province.as_deref()) {
                (Role::EngineeringAdmin, Some(p)) => {
                    let known = anjoman_officers::reference::province_names(&mut conn, &[p.to_owned()])
                        .map_err(|e| e.body(anjoman_core::Lang::En).message)?;
                    if known.is_empty() {
                        return Err(format!("no province {p:?}: see GET /api/v1/provinces for the ids"));
                    }
                    Some((ScopeKind::Province, p))
                }
                (Role::EngineeringAdmin, None) => return Err("an engineering admin needs --province".into()),
                (_, Some(_)) => return Err("--province is only for --role engineering_admin".into()),
                (_, None) => None,
            };
            let outcome = provision(
                &mut conn,
                &config,
                &Provision {
                    national_code: &national_code,
                    password: &password,
                    first_name: &first_name,
                    last_name: &last_name,
                    role: Some(role),
                    scope,
                    must_change_password: false,
                },
                "cli",
            )?;
            let what = match province {
                Some(p) => format!("{} of province {p}", role.as_str()),
                None => role.as_str().to_owned(),
            };
            match outcome {
                Provisioned::Created(id) => println!("{what} created: {id}"),
                Provisioned::AccountOpened(id) => {
                    println!("recorded person {id} now has an account and is {what}")
                }
                Provisioned::RoleGranted(id) => println!("existing person {id} is now {what} (password unchanged)"),
            }
            Ok(())
        }
        Command::VerifyAudit => {
            let (_, mut conn) = open_database(&config)?;
            verify_audit(&mut conn)
        }
        Command::VerifyElection { .. } => unreachable!("handled before the configuration is read"),
    }
}

/// `anjoman verify-election RECORD`.
fn verify_election(path: &std::path::Path) -> Result<(), String> {
    use anjoman_ballot_crypto::record::{ElectionRecord, verify_record};
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let record: ElectionRecord =
        serde_json::from_str(&text).map_err(|e| format!("{}: not an election record: {e}", path.display()))?;
    let started = std::time::Instant::now();
    let ok = verify_record(&record).map_err(|e| format!("election record inconsistent at {e}"))?;
    println!(
        "election record verified: {} ({}): {} trustees (threshold {}), {} ballots, decrypted by {} trustees, in {:.2?}",
        record.title,
        record.election,
        ok.trustees,
        record.threshold,
        ok.ballots,
        ok.decrypting_trustees,
        started.elapsed()
    );
    for c in &record.counts {
        println!("  {}: {:?}, blank {}", c.contest, c.choices, c.blank);
    }
    Ok(())
}

fn verify_audit(conn: &mut DbConn) -> Result<(), String> {
    match anjoman_core::audit::verify(conn).map_err(|e| e.to_string())? {
        Ok(n) => {
            println!("audit log intact: {n} entries verified");
            Ok(())
        }
        Err(broken) => Err(format!("audit log broken at entry {}: {}", broken.seq, broken.reason)),
    }
}

/// glibc gives each thread that allocates under contention its own arena (up to 8 per core),
/// and each keeps what it freed: with 256 voters connected the server held 172 MiB; with one
/// arena 130–144 MiB and no fewer sessions a second (BENCHMARKS.md). Runs first, before any
/// thread exists; `MALLOC_ARENA_MAX` in the environment still wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; no other thread runs yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    startup::register_audit_scopes();
    init_logging();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("anjoman: {e}");
            ExitCode::FAILURE
        }
    }
}
