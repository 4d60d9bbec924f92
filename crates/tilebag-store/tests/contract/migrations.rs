//! Migrations and connections: applied once, in order, under concurrency; SQLite's settings.

use super::*;

#[tokio::test]
async fn migrations_apply_once_and_report_status() {
    for backend in backends("migrations_apply_once_and_report_status") {
        let (_db, store) = fresh(backend).await;
        assert_eq!(
            store.schema_status().await.unwrap(),
            SchemaStatus::Behind {
                current: 0,
                needed: latest()
            }
        );
        let applied = store.migrate(NOW).await.unwrap();
        assert_eq!(applied.len(), MIGRATIONS.len(), "{backend}");
        assert!(
            store.migrate(NOW).await.unwrap().is_empty(),
            "{backend}: second run applies nothing"
        );
        assert_eq!(
            store.schema_status().await.unwrap(),
            SchemaStatus::Current { version: latest() }
        );
        // A later release added a migration this binary does not know: still compatible.
        let newer = [Migration::new(
            9999,
            "from_the_future",
            "CREATE TABLE future (x INTEGER)",
            "CREATE TABLE future (x BIGINT)",
        )];
        store.migrate_with(&newer, NOW).await.unwrap();
        let status = store.schema_status().await.unwrap();
        assert_eq!(
            status,
            SchemaStatus::Ahead {
                current: 9999,
                known: latest()
            }
        );
        assert!(status.is_compatible());
    }
}

#[tokio::test]
async fn a_failing_migration_leaves_the_last_good_version() {
    for backend in backends("a_failing_migration_leaves_the_last_good_version") {
        let (_db, store) = fresh(backend).await;
        let list = [
            Migration::new(
                1,
                "good",
                "CREATE TABLE good (x INTEGER)",
                "CREATE TABLE good (x BIGINT)",
            ),
            Migration::new(
                2,
                "bad",
                "CREATE TABLE half (x INTEGER); SELECT * FROM missing_table;",
                "CREATE TABLE half (x BIGINT); SELECT * FROM missing_table;",
            ),
        ];
        let error = store.migrate_with(&list, NOW).await.unwrap_err();
        assert!(
            error.to_string().contains("migration 0002 bad failed"),
            "{error}"
        );
        assert_eq!(store.applied_versions().await.unwrap(), [1]);
        assert_eq!(
            store.schema_status_for(&list).await.unwrap(),
            SchemaStatus::Behind {
                current: 1,
                needed: 2
            }
        );
        // Nothing of the failed migration remains: its first table was rolled back too.
        let fixed = [
            Migration::new(1, "good", "", ""),
            Migration::new(
                2,
                "bad",
                "CREATE TABLE half (x INTEGER)",
                "CREATE TABLE half (x BIGINT)",
            ),
        ];
        assert_eq!(
            store.migrate_with(&fixed, NOW).await.unwrap().len(),
            1,
            "{backend}"
        );
    }
}

#[tokio::test]
async fn concurrent_migrations_apply_each_migration_once() {
    for backend in backends("concurrent_migrations_apply_each_migration_once") {
        let db = TestDatabase::new(backend).await;
        let (a, b) = (
            Store::connect(&db.url).await.unwrap(),
            Store::connect(&db.url).await.unwrap(),
        );
        let many: Vec<Migration> = (1..=20)
            .map(|v| {
                let sql: &'static str =
                    Box::leak(format!("CREATE TABLE t{v} (x INTEGER)").into_boxed_str());
                Migration::new(v, "table", sql, sql)
            })
            .collect();
        let (ra, rb) = tokio::join!(a.migrate_with(&many, NOW), b.migrate_with(&many, NOW));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(
            ra.len() + rb.len(),
            many.len(),
            "{backend}: each migration applied exactly once"
        );
        assert_eq!(
            a.applied_versions().await.unwrap(),
            (1..=20).collect::<Vec<i64>>()
        );
    }
}

#[tokio::test]
async fn sqlite_commits_leave_checkpoints_to_a_task_of_the_stores_own() {
    let (_db, store) = fresh("sqlite").await;
    assert_eq!(
        store.commit_checkpoint_pages().await.unwrap(),
        0,
        "a commit never checkpoints"
    );
    let before = store.checkpoints_made();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while store.checkpoints_made() < before + 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "no checkpoint within 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout() {
    let (_db, store) = fresh("sqlite").await;
    assert_eq!(
        store.sqlite_pragmas().await.unwrap(),
        ("wal".to_owned(), 1, 10_000, 1)
    );
}
