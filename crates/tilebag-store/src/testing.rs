//! Fresh databases for tests, on SQLite always and on PostgreSQL when one is configured.
//!
//! `TILEBAG_TEST_POSTGRES_URL` names a PostgreSQL server (e.g. `postgres://postgres@127.0.0.1:5432/postgres`);
//! each test gets a database of its own there, dropped afterwards. Without the variable the
//! PostgreSQL half of a test is skipped with a visible message, unless
//! `TILEBAG_REQUIRE_ALL_TESTS=1` (as in CI), where skipping fails the test.

use std::io::Write as _;

use rand::Rng;
use sqlx::Executor;
use sqlx::any::install_default_drivers;

/// A database that lives as long as this value (PostgreSQL) or its directory (SQLite).
#[derive(Debug)]
pub struct TestDatabase {
    /// URL to connect to.
    pub url: String,
    admin_url: Option<String>,
    name: String,
    dir: Option<std::path::PathBuf>,
}

/// Which backends to run a test on: SQLite always, PostgreSQL when configured.
#[must_use]
pub fn backends(test: &str) -> Vec<&'static str> {
    let mut backends = vec!["sqlite"];
    if std::env::var_os("TILEBAG_TEST_POSTGRES_URL").is_some() {
        backends.push("postgres");
    } else {
        skip(
            test,
            "PostgreSQL",
            "set TILEBAG_TEST_POSTGRES_URL to run it",
        );
    }
    backends
}

/// Reports a skipped part of a test; fails instead under `TILEBAG_REQUIRE_ALL_TESTS=1`.
pub fn skip(test: &str, component: &str, how: &str) {
    assert!(
        std::env::var("TILEBAG_REQUIRE_ALL_TESTS").as_deref() != Ok("1"),
        "{test}: {component} is required (TILEBAG_REQUIRE_ALL_TESTS=1) but not available: {how}"
    );
    // Written to the stream directly: the test harness hides `eprintln!` of passing tests.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test} on {component}: {how}");
}

impl TestDatabase {
    /// A new empty database on `backend` ("sqlite" or "postgres").
    pub async fn new(backend: &str) -> TestDatabase {
        let name = format!("tilebag_test_{:016x}", rand::rng().random::<u64>());
        if backend == "sqlite" {
            let dir = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&dir).expect("temporary directory");
            let url = format!("sqlite://{}", dir.join("tilebag.db").display());
            return TestDatabase {
                url,
                admin_url: None,
                name,
                dir: Some(dir),
            };
        }
        install_default_drivers();
        let admin_url =
            std::env::var("TILEBAG_TEST_POSTGRES_URL").expect("TILEBAG_TEST_POSTGRES_URL is set");
        let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach TILEBAG_TEST_POSTGRES_URL: {e}"));
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        TestDatabase {
            url,
            admin_url: Some(admin_url),
            name,
            dir: None,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        let Some(admin_url) = self.admin_url.clone() else {
            return;
        };
        let name = self.name.clone();
        // Drop the database from a thread of its own: this may run inside or outside a runtime.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                    .await
                    .ok()?;
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .ok()
            })
        })
        .join();
    }
}

impl crate::Store {
    /// Sends a notice in a transaction that then fails, so it rolls back.
    pub async fn publish_rolled_back_for_tests(
        &self,
        channel: &str,
        payload: &str,
    ) -> Result<(), crate::NoticeError> {
        let (channel, payload) = (channel.to_owned(), payload.to_owned());
        self.unit_noticed(move |conn, outbox| {
            Box::pin(async move {
                outbox.send(conn, &channel, &payload).await?;
                Err(crate::StoreError::Other("rolled back on purpose".into()).into())
            })
        })
        .await
    }

    /// Ends the listening connection of every store on this PostgreSQL database from the
    /// database's side, as a restart or a network fault would; returns how many it ended.
    pub async fn kill_listeners_for_tests(&self) -> Result<i64, crate::StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%') AS ended",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(sqlx::Row::try_get(&row, 0)?)
    }

    /// The flush setting ([`crate::Store::commit_flush_setting`]) of `n` pooled connections
    /// held at once, so each is a connection of its own, then (on SQLite) of the writer.
    pub async fn flush_settings_for_tests(
        &self,
        n: usize,
    ) -> Result<Vec<String>, crate::StoreError> {
        let mut held = Vec::with_capacity(n);
        let mut settings = Vec::with_capacity(n + 1);
        for _ in 0..n {
            let mut conn = self.pool.acquire().await?;
            settings.push(crate::flush_setting(&mut conn, self.backend).await?);
            held.push(conn);
        }
        drop(held);
        if self.backend == crate::Backend::Sqlite {
            settings.push(self.commit_flush_setting().await?);
        }
        Ok(settings)
    }

    /// Rows in a table, for tests that check what was stored or deleted.
    pub async fn rows_for_tests(&self, table: &str) -> Result<i64, crate::StoreError> {
        let row = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await?;
        Ok(sqlx::Row::try_get(&row, 0)?)
    }

    /// Makes every write that needs more space fail, as on a full disk: on SQLite the file
    /// may not grow past its current pages (SQLite answers "database or disk is full"); on
    /// PostgreSQL new sessions are read-only and the open ones are closed. `false` undoes it.
    pub async fn set_full_for_tests(&self, full: bool) -> Result<(), crate::StoreError> {
        match self.backend {
            crate::Backend::Sqlite => {
                let pages = if full {
                    let row = sqlx::query("SELECT page_count FROM pragma_page_count()")
                        .fetch_one(&self.writer)
                        .await?;
                    sqlx::Row::try_get::<i64, _>(&row, 0)?
                } else {
                    4_294_967_294
                };
                sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
                    .execute(&self.writer)
                    .await?;
            }
            crate::Backend::Postgres => {
                let setting = if full {
                    "SET default_transaction_read_only = on"
                } else {
                    "RESET default_transaction_read_only"
                };
                let mut conn = self.pool.acquire().await?;
                let row = sqlx::query("SELECT current_database()::text")
                    .fetch_one(&mut *conn)
                    .await?;
                let name: String = sqlx::Row::try_get(&row, 0)?;
                // This session may itself have been opened read-only.
                sqlx::query("SET SESSION default_transaction_read_only = off")
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(&format!("ALTER DATABASE \"{name}\" {setting}"))
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                )
                .execute(&mut *conn)
                .await?;
                // This session was opened before the change: it must not serve again.
                sqlx::Connection::close(conn.detach()).await?;
            }
        }
        Ok(())
    }
}
