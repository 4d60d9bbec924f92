//! Versioned migrations, embedded in the binary, applied one transaction each.
//!
//! Migrations only ever add (expand); removing what an older release still reads waits
//! for a later release (contract). So a database *ahead* of this binary is fine to serve,
//! and only a database *behind* it is not ready.

use sqlx::{Acquire, Executor, Row};

use crate::{Backend, Store, StoreError};

/// One schema change, written for each backend.
#[derive(Debug)]
pub struct Migration {
    /// Its number: migrations apply in this order.
    pub version: i64,
    /// What it does, matching the file names `NNNN_name.sql`.
    pub name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

impl Migration {
    /// A migration from its SQL for each backend (the built-in ones come from the
    /// `migrations/` directories; tests make their own).
    #[must_use]
    pub const fn new(
        version: i64,
        name: &'static str,
        sqlite: &'static str,
        postgres: &'static str,
    ) -> Migration {
        Migration {
            version,
            name,
            sqlite,
            postgres,
        }
    }
}

macro_rules! migration {
    ($version:literal, $prefix:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!(
                "../migrations/sqlite/",
                $prefix,
                "_",
                $name,
                ".sql"
            )),
            postgres: include_str!(concat!(
                "../migrations/postgres/",
                $prefix,
                "_",
                $name,
                ".sql"
            )),
        }
    };
}

/// Every migration this binary knows, in order.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001", "accounts"),
    migration!(2, "0002", "walls"),
    migration!(3, "0003", "challenges"),
    migration!(4, "0004", "attempts"),
    migration!(5, "0005", "pruning"),
    migration!(6, "0006", "wall_source"),
    migration!(7, "0007", "decks"),
    migration!(8, "0008", "review_stats"),
    migration!(9, "0009", "tables"),
];

/// How the database's schema compares with this binary's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemaStatus {
    /// Every migration this binary knows is applied, and nothing else.
    Current {
        /// The schema version.
        version: i64,
    },
    /// Migrations this binary needs are missing: run `tilebag migrate`.
    Behind {
        /// The highest version applied.
        current: i64,
        /// The version this binary needs.
        needed: i64,
    },
    /// A newer release has migrated further; this binary still works (expand-only rule).
    Ahead {
        /// The highest version applied.
        current: i64,
        /// The newest version this binary knows.
        known: i64,
    },
}

impl SchemaStatus {
    /// Whether this binary can serve from the database.
    #[must_use]
    pub fn is_compatible(&self) -> bool {
        !matches!(self, SchemaStatus::Behind { .. })
    }
}

impl std::fmt::Display for SchemaStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaStatus::Current { version } => {
                write!(f, "database schema is at version {version}")
            }
            SchemaStatus::Behind { current, needed } => write!(
                f,
                "database schema is at version {current}, this binary needs {needed}: run “tilebag migrate”"
            ),
            SchemaStatus::Ahead { current, known } => write!(
                f,
                "database schema is at version {current}, newer than this binary's {known}; serving anyway"
            ),
        }
    }
}

const LOCK_KEY: i64 = 0x0074_696c_6562_6167; // "tilebag"

fn latest(migrations: &[Migration]) -> i64 {
    migrations.last().map_or(0, |m| m.version)
}

impl Store {
    /// The versions applied to the database, ascending.
    pub async fn applied_versions(&self) -> Result<Vec<i64>, StoreError> {
        let exists_sql = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'tilebag_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'tilebag_migrations'"
            }
        };
        let exists: i64 = sqlx::query(exists_sql)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        if exists == 0 {
            return Ok(Vec::new());
        }
        let rows = sqlx::query("SELECT version FROM tilebag_migrations ORDER BY version")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| row.try_get::<i64, _>(0).map_err(StoreError::from))
            .collect()
    }

    /// Compares the database's schema with this binary's migrations.
    pub async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
        self.schema_status_for(MIGRATIONS).await
    }

    /// Compares the database's schema with the given migrations.
    pub async fn schema_status_for(
        &self,
        migrations: &[Migration],
    ) -> Result<SchemaStatus, StoreError> {
        let applied = self.applied_versions().await?;
        let current = applied.last().copied().unwrap_or(0);
        let known = latest(migrations);
        let missing = migrations.iter().any(|m| !applied.contains(&m.version));
        Ok(if missing {
            SchemaStatus::Behind {
                current,
                needed: known,
            }
        } else if current > known {
            SchemaStatus::Ahead { current, known }
        } else {
            SchemaStatus::Current { version: current }
        })
    }

    /// Applies every pending migration, each in its own transaction, and returns those
    /// applied. Concurrent runs are safe: PostgreSQL holds an advisory lock, SQLite takes
    /// the write lock (`BEGIN IMMEDIATE`) before checking each migration.
    /// `now` (Unix seconds) is recorded as the time each was applied.
    pub async fn migrate(&self, now: i64) -> Result<Vec<&'static Migration>, StoreError> {
        self.migrate_with(MIGRATIONS, now).await
    }

    /// Applies the given migrations as [`Store::migrate`] does.
    pub async fn migrate_with<'m>(
        &self,
        migrations: &'m [Migration],
        now: i64,
    ) -> Result<Vec<&'m Migration>, StoreError> {
        // A connection of its own, closed at the end: that also releases PostgreSQL's lock.
        let mut conn = self.writer.acquire().await?.detach();
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => {
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(LOCK_KEY)
                    .execute(&mut conn)
                    .await?;
                "BEGIN"
            }
        };
        conn.execute(
            "CREATE TABLE IF NOT EXISTS tilebag_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .await?;
        let mut applied = Vec::new();
        for migration in migrations {
            let conn = conn.acquire().await?;
            conn.execute(begin).await?;
            let result = async {
                let done: i64 = sqlx::query("SELECT COUNT(*) FROM tilebag_migrations WHERE version = $1")
                    .bind(migration.version)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                if done > 0 {
                    return Ok(false);
                }
                let sql = match self.backend {
                    Backend::Sqlite => migration.sqlite,
                    Backend::Postgres => migration.postgres,
                };
                sqlx::raw_sql(sql).execute(&mut *conn).await?;
                sqlx::query("INSERT INTO tilebag_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(migration.version)
                    .bind(migration.name)
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                Ok::<bool, sqlx::Error>(true)
            }
            .await;
            match result {
                Ok(newly) => {
                    conn.execute("COMMIT").await?;
                    if newly {
                        applied.push(migration);
                    }
                }
                Err(error) => {
                    let _ = conn.execute("ROLLBACK").await;
                    return Err(StoreError::Other(format!(
                        "migration {:04} {} failed, nothing of it was applied: {error}",
                        migration.version, migration.name
                    )));
                }
            }
        }
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_directories_match_the_list() {
        for backend in ["sqlite", "postgres"] {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/");
            let mut files: Vec<String> = std::fs::read_dir(format!("{dir}{backend}"))
                .expect("migrations directory")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let listed: Vec<String> = MIGRATIONS
                .iter()
                .map(|m| format!("{:04}_{}.sql", m.version, m.name))
                .collect();
            assert_eq!(files, listed, "{backend} migrations differ from MIGRATIONS");
        }
        assert!(MIGRATIONS.windows(2).all(|w| w[0].version < w[1].version));
    }
}
