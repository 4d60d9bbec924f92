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
