//! tilebag's storage: one logical schema on SQLite (embedded, the default) or PostgreSQL.
//!
//! Queries are written once, with `$1`-style parameters both backends accept, and run through
//! sqlx's `Any` driver, so there is one implementation to test rather than two that drift.
//! Only the migrations differ per backend (identity columns), in two directories with the
//! same numbering and names.
#![deny(missing_docs)]

mod accounts;
mod cards;
mod challenges;
mod checkpoint;
mod decks;
mod lists;
mod migrate;
mod notify;
mod prune;
mod review_stats;
mod reviews;
mod tables;
#[cfg(feature = "testing")]
pub mod testing;
mod wall_queue;
mod walls;

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

pub use accounts::{NewSession, SESSIONS_CHANNEL, Session, SessionNotice, User, UserId};
pub use challenges::{ChallengeId, Entry, JobRun, StoredChallenge, WonMedal};
pub use decks::{Added, CardId, DeckError, DeckHead, DeckId, StoredCard, StoredDeck};
pub use lists::{ListId, ListSummary, Progress, SaveError};
pub use migrate::{MIGRATIONS, Migration, SchemaStatus};
pub use notify::{MAX_CHANNEL, MAX_PAYLOAD, Notice, NoticeError, QUEUE, Subscription};
pub use review_stats::{
    CardCounts, LeaderboardRow, MAX_STATS_DAYS, Retention, ReviewStats, StatsDays,
};
pub use reviews::{DueQueue, Recorded, ReviewTarget, Scope, StoredFit, Undone};
pub use tables::{
    LobbyTable, NewTable, StoredTable, TableCreateError, TableDecision, TableId, TableLimits,
    TableUpdate,
};
pub use tilebag_study::review::CardKind;
pub use walls::{
    Attempt, Decision, EntryUpdate, ListUpdate, NewWall, Owner, Place, RoundUpdate, StoredWall,
    WallChange, WallId,
};

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, in a file.
    Sqlite,
    /// PostgreSQL, over the network.
    Postgres,
}

/// What went wrong in the store, in terms a handler can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique key is already taken.
    #[error("already exists: {0}")]
    Conflict(String),
    /// A database URL that cannot be used.
    #[error("{0}")]
    Config(String),
    /// Anything else: the database is unreachable, a query failed.
    #[error("database error: {0}")]
    Other(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(e) if e.is_unique_violation() => {
                StoreError::Conflict(e.message().to_owned())
            }
            other => StoreError::Other(other.to_string()),
        }
    }
}

/// The work of one transaction, as [`Store::unit`] runs it.
pub(crate) type Work<'c, T, E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, E>> + Send + 'c>>;

/// Connections in use and idle, for `/metrics`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolState {
    /// Open connections.
    pub size: u32,
    /// Open connections not in use.
    pub idle: usize,
}

/// A connection pool to the database, and every query tilebag runs.
///
/// Writes go through `writer`: on SQLite a single connection, so concurrent writers queue
/// in order instead of sleeping in SQLite's busy handler (which made latency spiky under
/// load); on PostgreSQL the same pool as reads.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    writer: AnyPool,
    backend: Backend,
    durability: Durability,
    wall_queues: wall_queue::WallQueues,
    table_queues: wall_queue::WallQueues,
    /// SQLite's log checkpoints (none on PostgreSQL).
    checkpoints: checkpoint::Checkpoints,
    notices: notify::Notices,
    url: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("url", &redact(&self.url))
            .finish_non_exhaustive()
    }
}

/// A database URL without its password, for logs and errors.
#[must_use]
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:****{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// What a commit promises when the machine or the database crashes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// A commit is on disk before it is acknowledged (PostgreSQL `synchronous_commit = on`,
    /// SQLite `synchronous = FULL`): a crash loses nothing acknowledged, and every commit
    /// waits for a flush.
    Strict,
    /// A commit is acknowledged before it is flushed (PostgreSQL `synchronous_commit = off`,
    /// SQLite `synchronous = NORMAL` in WAL mode): a crash of the database server or the
    /// machine can lose the last fraction of a second of commits, but never corrupts the
    /// database or keeps part of a transaction.
    #[default]
    Relaxed,
}

/// How the store keeps its connections to the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most connections open at once; `None`: 16 on PostgreSQL, 8 readers on SQLite (whose
    /// writes always have one connection of their own).
    pub max_connections: Option<u32>,
    /// How long a query waits for a free connection before it fails.
    pub acquire_timeout: Duration,
    /// How long a connection may sit unused before it is closed; `None`: never.
    pub idle_timeout: Option<Duration>,
    /// Whether a commit waits for its flush to disk.
    pub durability: Durability,
}

impl Default for PoolSettings {
    fn default() -> PoolSettings {
        PoolSettings {
            max_connections: None,
            acquire_timeout: Duration::from_secs(10),
            idle_timeout: Some(Duration::from_mins(10)),
            durability: Durability::Relaxed,
        }
    }
}

/// The statements each new connection runs first, in one round trip.
fn session_setup(backend: Backend, durability: Durability) -> &'static str {
    match (backend, durability) {
        (Backend::Sqlite, Durability::Relaxed) => {
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;"
        }
        (Backend::Sqlite, Durability::Strict) => {
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;"
        }
        // The idle-in-transaction timeout is a backstop: a connection left inside a
        // transaction is closed by the server instead of holding its locks (and vacuum) back
        // for ever.
        (Backend::Postgres, Durability::Relaxed) => {
            "SET idle_in_transaction_session_timeout = '60s'; SET synchronous_commit = off"
        }
        (Backend::Postgres, Durability::Strict) => {
            "SET idle_in_transaction_session_timeout = '60s'; SET synchronous_commit = on"
        }
    }
}

/// A connection's flush setting, as [`Store::commit_flush_setting`] reports it.
pub(crate) async fn flush_setting(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
) -> Result<String, StoreError> {
    use sqlx::Row;
    match backend {
        Backend::Postgres => Ok(sqlx::query("SHOW synchronous_commit")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?),
        Backend::Sqlite => {
            let level: i64 = sqlx::query("PRAGMA synchronous")
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            let names = ["OFF", "NORMAL", "FULL", "EXTRA"];
            Ok(usize::try_from(level)
                .ok()
                .and_then(|l| names.get(l))
                .map_or_else(|| level.to_string(), |n| (*n).to_owned()))
        }
    }
}

async fn connect_pool(
    url: &str,
    backend: Backend,
    connections: u32,
    settings: &PoolSettings,
) -> Result<AnyPool, StoreError> {
    let durability = settings.durability;
    AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(settings.acquire_timeout)
        .idle_timeout(settings.idle_timeout)
        // On PostgreSQL a connection is tested as it is taken from the pool: a connection the
        // database closed (a restart, a failover) would otherwise fail the request sent on it,
        // and each such failure keeps the server unready for 30 s. SQLite's connections are in
        // the process and cannot be closed under it, so they go out untested.
        .test_before_acquire(backend == Backend::Postgres)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                conn.execute(session_setup(backend, durability)).await?;
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(|e| StoreError::Other(format!("cannot connect to {}: {e}", redact(url))))
}

impl Store {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://...` with the default
    /// [`PoolSettings`].
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, &PoolSettings::default()).await
    }

    /// Connects to `sqlite://PATH` (created if missing) or `postgres://...`.
    pub async fn connect_with(url: &str, settings: &PoolSettings) -> Result<Store, StoreError> {
        install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let rest = rest.trim_start_matches("//");
            if rest.is_empty() {
                return Err(StoreError::Config(
                    "the SQLite URL names no file: write sqlite://PATH".into(),
                ));
            }
            let url = if rest.contains("mode=") {
                format!("sqlite://{rest}")
            } else {
                let separator = if rest.contains('?') { '&' } else { '?' };
                format!("sqlite://{rest}{separator}mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::Config(format!(
                "“{}” is not a database URL tilebag knows: use sqlite://PATH or postgres://USER@HOST/DATABASE",
                redact(url)
            )));
        };
        let (pool, writer) = match backend {
            Backend::Sqlite => (
                connect_pool(
                    &url,
                    backend,
                    settings.max_connections.unwrap_or(8),
                    settings,
                )
                .await?,
                connect_pool(&url, backend, 1, settings).await?,
            ),
            Backend::Postgres => {
                let pool = connect_pool(
                    &url,
                    backend,
                    settings.max_connections.unwrap_or(16),
                    settings,
                )
                .await?;
                (pool.clone(), pool)
            }
        };
        let checkpoints = match backend {
            Backend::Sqlite => checkpoint::start(pool.clone()),
            Backend::Postgres => checkpoint::Checkpoints::default(),
        };
        Ok(Store {
            pool,
            writer,
            backend,
            durability: settings.durability,
            wall_queues: wall_queue::WallQueues::default(),
            table_queues: wall_queue::WallQueues::default(),
            checkpoints,
            notices: notify::Notices::new(backend, &url),
            url,
        })
    }

    /// Which database this is.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.pool.execute("SELECT 1").await?;
        Ok(())
    }

    /// The settings the pool runs with: most connections, acquire and idle timeouts, and
    /// whether it pings a connection as it is taken.
    #[must_use]
    pub fn pool_settings(&self) -> (PoolSettings, bool) {
        let options = self.pool.options();
        let settings = PoolSettings {
            max_connections: Some(options.get_max_connections()),
            acquire_timeout: options.get_acquire_timeout(),
            idle_timeout: options.get_idle_timeout(),
            durability: self.durability,
        };
        (settings, options.get_test_before_acquire())
    }

    /// How a connection that commits is set to flush, as the database reports it:
    /// PostgreSQL's `synchronous_commit` (`on`, `off`, ...) or SQLite's `synchronous`
    /// (`OFF`, `NORMAL`, `FULL`, `EXTRA`).
    pub async fn commit_flush_setting(&self) -> Result<String, StoreError> {
        let mut conn = self.writer.acquire().await?;
        flush_setting(&mut conn, self.backend).await
    }

    /// Connections open and idle.
    #[must_use]
    pub fn pool_state(&self) -> PoolState {
        PoolState {
            size: self.pool.size(),
            idle: self.pool.num_idle(),
        }
    }

    /// Writes a consistent copy of a SQLite database to `path` while it is in use.
    pub async fn backup(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Config(
                "backup copies SQLite databases; back PostgreSQL up with pg_dump".into(),
            ));
        }
        if path.exists() {
            return Err(StoreError::Config(format!(
                "{} already exists; choose a new file",
                path.display()
            )));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Config("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// SQLite log checkpoints made by the store's own task so far (0 on PostgreSQL).
    #[must_use]
    pub fn checkpoints_made(&self) -> u64 {
        self.checkpoints.made()
    }

    /// Pages of log after which a commit on the writer would checkpoint itself (SQLite's
    /// `wal_autocheckpoint`; 0: never, the store's task does it).
    pub async fn commit_checkpoint_pages(&self) -> Result<i64, StoreError> {
        use sqlx::Row;
        Ok(sqlx::query("PRAGMA wal_autocheckpoint")
            .fetch_one(&self.writer)
            .await?
            .try_get(0)?)
    }

    /// SQLite's journal mode, `foreign_keys`, `busy_timeout` and `synchronous` (1 = NORMAL)
    /// as a pooled connection sees them.
    pub async fn sqlite_pragmas(&self) -> Result<(String, i64, i64, i64), StoreError> {
        use sqlx::Row;
        let mode: String = sqlx::query("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let keys: i64 = sqlx::query("PRAGMA foreign_keys")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let timeout: i64 = sqlx::query("PRAGMA busy_timeout")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let synchronous: i64 = sqlx::query("PRAGMA synchronous")
            .fetch_one(&self.writer)
            .await?
            .try_get(0)?;
        Ok((mode, keys, timeout, synchronous))
    }

    /// Runs `work` as one unit of work: one transaction on the writer, committed when `work`
    /// succeeds and rolled back when it fails. It runs in a task of its own, so a request
    /// that is cancelled (the client went away, the timeout fired) cannot interrupt it
    /// half-way and leave its connection inside an open transaction.
    pub(crate) async fn unit<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'c> FnOnce(&'c mut sqlx::AnyConnection) -> Work<'c, T, E> + Send + 'static,
    {
        self.unit_noticed(move |conn, _| work(conn)).await
    }

    /// [`Store::unit`] whose work may send notices: they are delivered if it commits.
    pub(crate) async fn unit_noticed<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'c> FnOnce(&'c mut sqlx::AnyConnection, &'c mut notify::Outbox) -> Work<'c, T, E>
            + Send
            + 'static,
    {
        let writer = self.writer.clone();
        let mut outbox = self.notices.outbox();
        let task = tokio::spawn(async move {
            let mut tx = writer.begin().await.map_err(StoreError::from)?;
            match work(&mut tx, &mut outbox).await {
                Ok(value) => {
                    tx.commit().await.map_err(StoreError::from)?;
                    outbox.committed();
                    Ok(value)
                }
                Err(error) => {
                    let _ = tx.rollback().await;
                    Err(error)
                }
            }
        });
        task.await
            .map_err(|e| StoreError::Other(format!("a unit of work stopped: {e}")))?
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.notices.stop();
        self.pool.close().await;
        self.writer.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn database_urls_lose_their_password() {
        assert_eq!(
            redact("postgres://tb:secret@db:5432/tilebag"),
            "postgres://tb:****@db:5432/tilebag"
        );
        assert_eq!(
            redact("postgres://tb@db/tilebag"),
            "postgres://tb@db/tilebag"
        );
        assert_eq!(
            redact("sqlite://data/tilebag.db"),
            "sqlite://data/tilebag.db"
        );
    }
}
