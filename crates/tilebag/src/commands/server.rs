//! `serve`, `migrate` and `backup`: running the server and looking after its database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use tilebag_server::app::Clock;
use tilebag_server::{
    AppState, Config, ConnectionLimits, DatabaseArgs, Lexicons, LogFormat, MigrateMode, ServeArgs,
};
use tilebag_store::{Backend, PoolSettings, Store};

use crate::library::Library;

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

async fn connect(database: &DatabaseArgs, data_dir: &Path) -> anyhow::Result<Store> {
    connect_with(database, data_dir, &PoolSettings::default()).await
}

async fn connect_with(
    database: &DatabaseArgs,
    data_dir: &Path,
    settings: &PoolSettings,
) -> anyhow::Result<Store> {
    let url = database.url(data_dir);
    if database.database_url.is_none() {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
    }
    Ok(Store::connect_with(&url, settings).await?)
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TILEBAG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

/// Connections the kernel queues for us while every connection slot is taken; beyond them it
/// drops new clients' SYNs and they retry a second or more later. (The kernel caps this at
/// `net.core.somaxconn`.)
const BACKLOG: u32 = 1024;

/// Listens on `address` with a [`BACKLOG`] deeper than the usual 128.
fn listen(address: std::net::SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    let socket = if address.is_ipv4() {
        tokio::net::TcpSocket::new_v4()
    } else {
        tokio::net::TcpSocket::new_v6()
    };
    socket
        .and_then(|socket| {
            socket.set_reuseaddr(true)?;
            socket.bind(address)?;
            socket.listen(BACKLOG)
        })
        .with_context(|| format!("cannot listen on {address}"))
}

/// Raises the soft limit on open files to the hard limit (systemd's default soft limit,
/// 1,024, is low for a server) and logs both; returns the soft limit in force, if known.
fn raise_file_limit() -> Option<u64> {
    let (was, hard) = match rlimit::Resource::NOFILE.get() {
        Ok(limits) => limits,
        Err(error) => {
            tracing::warn!(%error, "cannot read the open-file limit");
            return None;
        }
    };
    if let Err(error) = rlimit::increase_nofile_limit(u64::MAX) {
        tracing::warn!(%error, soft = was, hard, "cannot raise the open-file limit");
    }
    let soft = rlimit::Resource::NOFILE.get().map_or(was, |(soft, _)| soft);
    tracing::info!(soft, hard, was, "open-file limit");
    Some(soft)
}

/// The connection limits asked for, with no more connections than the open-file limit allows.
fn connection_limits(args: &ServeArgs) -> ConnectionLimits {
    let asked = args.connections.limits();
    let Some(open_files) = raise_file_limit() else {
        return asked;
    };
    let limits = asked.fit_file_limit(open_files);
    if limits.max_connections < asked.max_connections {
        tracing::warn!(
            asked = asked.max_connections,
            max_connections = limits.max_connections,
            open_files,
            reserve = tilebag_server::connections::FILE_RESERVE,
            "--max-connections lowered to fit the open-file limit"
        );
    }
    limits
}

pub fn serve(args: &ServeArgs, library: &Library, data_dir: &Path) -> anyhow::Result<ExitCode> {
    init_logging(args.log_format);
    let connections = connection_limits(args);
    runtime()?.block_on(async {
        let store = connect_with(&args.database, data_dir, &args.pool.settings()).await?;
        let migrate = args.migrate.unwrap_or(match store.backend() {
            Backend::Sqlite => MigrateMode::Auto,
            Backend::Postgres => MigrateMode::Check,
        });
        if migrate == MigrateMode::Auto {
            for migration in store.migrate(Clock::system().now_s()).await? {
                tracing::info!(
                    version = migration.version,
                    name = migration.name,
                    "applied migration"
                );
            }
        }
        let status = store.schema_status().await?;
        if status.is_compatible() {
            tracing::info!("{status}");
        } else {
            tracing::warn!("{status}; serving, but not ready");
        }
        let started = Instant::now();
        let lexicons = library.load_all()?;
        let lexicons = Lexicons::new(lexicons, started.elapsed().as_secs_f64());
        tracing::info!(lexicons = ?lexicons.names(), "lexicons loaded");
        let (login_limit, registration_limit, guest_limit) = args.limits.limits();
        let config = Config {
            secure_cookies: args.secure_cookies,
            migrate,
            login_limit,
            registration_limit,
            guest_limit,
            metrics_token: metrics_token(args.metrics_token.as_deref())?,
            shutdown_timeout: std::time::Duration::from_secs(args.shutdown_timeout),
            request_timeout: std::time::Duration::from_secs(args.request_timeout),
            hashing_workers: usize::from(args.hashing_workers),
            hashing_queue: usize::try_from(args.hashing_queue).unwrap_or(usize::MAX),
            connections,
            max_saved_alphagrams: args.max_saved_alphagrams,
            max_cards: args.max_cards,
            max_tables: args.max_tables,
            table_idle_minutes: args.table_idle_minutes,
            challenge_zone: args.challenges.challenge_time_zone,
            medal_min_entries: args.challenges.medal_min_entries,
            run_daily_job: !args.no_daily_job,
            session_cache: args.session_cache.settings(),
            ..Config::default()
        };
        let tls = args.https.tls(data_dir);
        let config = Config {
            secure_cookies: config.secure_cookies || tls.is_some(),
            trusted_proxies: args.https.proxies(),
            ..config
        };
        let state = AppState::new(store.clone(), lexicons, config);
        if let Some(tls) = tls {
            let (https, http) = (
                listen(args.https.https_listen)?,
                listen(args.https.http_listen)?,
            );
            let name = args.https.domains.first().map_or_else(
                || {
                    https
                        .local_addr()
                        .map(|a| a.to_string())
                        .unwrap_or_default()
                },
                Clone::clone,
            );
            println!(
                "tilebag is listening on https://{name}/ (HTTPS on {}, redirects on {})",
                https.local_addr()?,
                http.local_addr()?
            );
            tilebag_server::serve_https(https, http, state, &tls, shutdown_signal()).await?;
        } else {
            let listener = listen(args.listen)?;
            println!("tilebag is listening on http://{}/", listener.local_addr()?);
            tilebag_server::serve(listener, state, shutdown_signal()).await?;
        }
        store.close().await;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

pub fn migrate(database: &DatabaseArgs, data_dir: &Path) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = connect(database, data_dir).await?;
        let applied = store.migrate(Clock::system().now_s()).await?;
        if applied.is_empty() {
            println!("nothing to migrate: {}", store.schema_status().await?);
        }
        for migration in applied {
            println!("applied {:04}_{}", migration.version, migration.name);
        }
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// Copy a live SQLite database to a new file (for PostgreSQL use `pg_dump`).
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    pub file: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub fn backup(args: &BackupArgs, data_dir: &Path) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = connect(&args.database, data_dir).await?;
        store.backup(&args.file).await?;
        println!("backed up to {}", args.file.display());
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// Award medals for every finished challenge day not yet processed, and clean up. Takes the
/// same database lease as a server's own scheduler, so the two never run at once.
#[derive(Debug, Args)]
pub struct DailyArgs {
    /// Process the pending days up to this one (YYYY-MM-DD) only; it must have ended (and
    /// its last rounds too: 10 minutes after midnight in the challenge time zone).
    #[arg(long, value_name = "DATE")]
    pub date: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub challenges: tilebag_server::config::ChallengeArgs,
}

pub fn daily(args: &DailyArgs, library: &Library, data_dir: &Path) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = connect(&args.database, data_dir).await?;
        let status = store.schema_status().await?;
        anyhow::ensure!(status.is_compatible(), "{status}");
        let config = Config {
            challenge_zone: args.challenges.challenge_time_zone,
            medal_min_entries: args.challenges.medal_min_entries,
            ..Config::default()
        };
        let state = AppState::new(
            store.clone(),
            Lexicons::new(library.load_all()?, 0.0),
            config,
        );
        let holder = format!("cli-{}", std::process::id());
        let result = tilebag_server::app::jobs::run(&state.app, &holder, args.date).await;
        store.close().await;
        println!("{}", result?);
        Ok(ExitCode::SUCCESS)
    })
}

/// Grant or withdraw admin rights.
#[derive(Debug, Args)]
pub struct AdminArgs {
    /// The player's username.
    pub username: String,
    /// Withdraw the rights instead.
    #[arg(long)]
    pub revoke: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub fn admin(args: &AdminArgs, data_dir: &Path) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = connect(&args.database, data_dir).await?;
        store
            .set_admin(&args.username, !args.revoke)
            .await
            .map_err(|e| match e {
                tilebag_store::StoreError::NotFound => {
                    anyhow::anyhow!("no player is called “{}”", args.username)
                }
                other => other.into(),
            })?;
        println!(
            "{} {} an admin",
            args.username,
            if args.revoke {
                "is no longer"
            } else {
                "is now"
            }
        );
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// The `/metrics` token: the flag, or the file `TILEBAG_METRICS_TOKEN_FILE` names.
fn metrics_token(flag: Option<&str>) -> anyhow::Result<Option<tilebag_server::config::Secret>> {
    let token = match (flag, std::env::var_os("TILEBAG_METRICS_TOKEN_FILE")) {
        (Some(token), _) => token.to_owned(),
        (None, Some(path)) => std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read TILEBAG_METRICS_TOKEN_FILE {}", path.display()))?
            .trim()
            .to_owned(),
        (None, None) => return Ok(None),
    };
    anyhow::ensure!(!token.is_empty(), "the metrics token is empty");
    Ok(Some(tilebag_server::config::Secret(token)))
}
