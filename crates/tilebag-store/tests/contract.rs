//! One story of the store, run against each backend: SQLite always, PostgreSQL when configured.

use tilebag_store::testing::{TestDatabase, backends};
use tilebag_store::{MIGRATIONS, Migration, NewSession, SchemaStatus, Store, StoreError};

async fn fresh(backend: &str) -> (TestDatabase, Store) {
    let db = TestDatabase::new(backend).await;
    let store = Store::connect(&db.url).await.expect("connect");
    (db, store)
}

fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

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
        let applied = store.migrate().await.unwrap();
        assert_eq!(applied.len(), MIGRATIONS.len(), "{backend}");
        assert!(
            store.migrate().await.unwrap().is_empty(),
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
        store.migrate_with(&newer).await.unwrap();
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
        let error = store.migrate_with(&list).await.unwrap_err();
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
            store.migrate_with(&fixed).await.unwrap().len(),
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
        let (ra, rb) = tokio::join!(a.migrate_with(&many), b.migrate_with(&many));
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
async fn accounts_and_sessions() {
    for backend in backends("accounts_and_sessions") {
        let (_db, store) = fresh(backend).await;
        store.migrate().await.unwrap();
        let alice = store.create_user("Alice", "hash-a").await.unwrap();
        assert!(alice.is_admin, "the first account is an admin");
        assert!(
            matches!(
                store.create_user("ALICE", "x").await,
                Err(StoreError::Conflict(_))
            ),
            "{backend}"
        );
        let bob = store.create_user("bob", "hash-b").await.unwrap();
        assert!(!bob.is_admin);
        assert_eq!(store.user_by_name("alice").await.unwrap().id, alice.id);
        assert!(matches!(
            store.user_by_name("carol").await,
            Err(StoreError::NotFound)
        ));

        let far = tilebag_store::now() + 3600;
        for (token, user) in [("t1", alice.id), ("t2", alice.id), ("t3", bob.id)] {
            store
                .create_session(&NewSession {
                    token_hash: token,
                    user_id: user,
                    csrf_token: "c",
                    expires_at: far,
                })
                .await
                .unwrap();
        }
        store
            .create_session(&NewSession {
                token_hash: "old",
                user_id: bob.id,
                csrf_token: "c",
                expires_at: 1,
            })
            .await
            .unwrap();
        assert_eq!(store.active_sessions().await.unwrap(), 3);
        assert!(
            matches!(store.session("old").await, Err(StoreError::NotFound)),
            "expired sessions do not count"
        );
        assert_eq!(store.delete_expired_sessions().await.unwrap(), 1);
        let (session, user) = store.session("t1").await.unwrap();
        assert_eq!(
            (session.csrf_token.as_str(), user.username.as_str()),
            ("c", "Alice")
        );
        store.delete_session("t1").await.unwrap();
        assert!(store.session("t1").await.is_err());
        store.set_password(alice.id, "hash-a2").await.unwrap();
        assert!(
            store.session("t2").await.is_err(),
            "a new password ends every session"
        );
        assert_eq!(store.user(alice.id).await.unwrap().password_hash, "hash-a2");

        store
            .update_settings(bob.id, Some("SCOWL80"), r#"{"tile_order":"vowels"}"#)
            .await
            .unwrap();
        let bob = store.user(bob.id).await.unwrap();
        assert_eq!(bob.default_lexicon.as_deref(), Some("SCOWL80"));
        store.set_admin("BOB", true).await.unwrap();
        assert!(store.user(bob.id).await.unwrap().is_admin);
        store.delete_user(bob.id).await.unwrap();
        assert!(matches!(
            store.user(bob.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            store.session("t3").await.is_err(),
            "deleting an account deletes its sessions"
        );
        assert!(matches!(
            store.delete_user(bob.id).await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test]
async fn sqlite_backup_is_a_consistent_copy() {
    let (db, store) = fresh("sqlite").await;
    store.migrate().await.unwrap();
    store.create_user("Alice", "h").await.unwrap();
    let copy =
        std::path::Path::new(db.url.trim_start_matches("sqlite://")).with_file_name("copy.db");
    store.backup(&copy).await.unwrap();
    let restored = Store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    assert_eq!(
        restored.user_by_name("alice").await.unwrap().username,
        "Alice"
    );
    assert!(
        store.backup(&copy).await.is_err(),
        "an existing file is never overwritten"
    );
}

#[tokio::test]
async fn bad_urls_say_what_to_write() {
    let error = Store::connect("mysql://x").await.unwrap_err().to_string();
    assert!(
        error.contains("use sqlite://PATH or postgres://"),
        "{error}"
    );
    assert!(Store::connect("sqlite://").await.is_err());
}

#[tokio::test]
async fn walls_belong_to_their_owner() {
    use tilebag_store::{Owner, StoreError};
    for backend in backends("walls_belong_to_their_owner") {
        let (_db, store) = fresh(backend).await;
        store.migrate().await.unwrap();
        let alice = store.create_user("alice", "h").await.unwrap();
        let bob = store.create_user("bob", "h").await.unwrap();
        let mine = Owner::User(alice.id);
        let guest = Owner::Guest("guest-key".into());
        let wall = store
            .create_wall(&mine, "SCOWL80", "{}", "[]", "{\"r\":1}", 5_000)
            .await
            .unwrap();
        let guest_wall = store
            .create_wall(&guest, "SCOWL80", "{}", "[]", "{}", 6_000)
            .await
            .unwrap();
        assert_eq!(store.wall(wall, &mine).await.unwrap().round, "{\"r\":1}");
        for stranger in [Owner::User(bob.id), Owner::Guest("other".into())] {
            assert!(
                matches!(store.wall(wall, &stranger).await, Err(StoreError::NotFound)),
                "{backend}: {stranger:?}"
            );
        }
        assert!(matches!(
            store.wall(guest_wall, &mine).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store.wall(guest_wall, &guest).await.unwrap().deadline,
            6_000
        );

        store
            .update_round(wall, "{\"r\":2}", 7_000, true)
            .await
            .unwrap();
        assert_eq!(store.extend_running_walls(1_000).await.unwrap(), 2);
        let stored = store.wall(wall, &mine).await.unwrap();
        assert_eq!(
            (stored.round.as_str(), stored.deadline),
            ("{\"r\":2}", 8_000)
        );
        store.update_round(wall, "{}", 8_000, false).await.unwrap();
        assert_eq!(
            store.extend_running_walls(1_000).await.unwrap(),
            1,
            "finished rounds keep their time"
        );

        assert_eq!(store.heartbeat(1_000).await.unwrap(), None);
        assert_eq!(store.heartbeat(2_000).await.unwrap(), Some(1_000));
        store.delete_user(alice.id).await.unwrap();
        assert!(
            matches!(store.wall(wall, &mine).await, Err(StoreError::NotFound)),
            "deleting an account deletes its walls"
        );
    }
}

#[tokio::test]
async fn saved_lists_with_quota_autosave_rename_and_delete() {
    use tilebag_store::{Owner, Progress, SaveError, StoreError};
    for backend in backends("saved_lists_with_quota_autosave_rename_and_delete") {
        let (_db, store) = fresh(backend).await;
        store.migrate().await.unwrap();
        let alice = store.create_user("alice", "h").await.unwrap();
        let bob = store.create_user("bob", "h").await.unwrap();
        let mine = Owner::User(alice.id);
        let wall = store
            .create_wall(&mine, "SCOWL80", "{}", "[\"list\"]", "{}", 0)
            .await
            .unwrap();
        let progress = Progress {
            size: 60,
            seen: 10,
            missed: 2,
            first_missed: 2,
        };
        let list = store
            .save_wall_list(wall, alice.id, "Sevens", progress, 100)
            .await
            .unwrap();
        assert_eq!(store.wall(wall, &mine).await.unwrap().list_id, Some(list));
        let again = store
            .create_wall(&mine, "SCOWL80", "{}", "[]", "{}", 0)
            .await
            .unwrap();
        let small = Progress {
            size: 1,
            ..progress
        };
        assert!(matches!(
            store
                .save_wall_list(again, alice.id, "Sevens", small, 100)
                .await,
            Err(SaveError::Store(StoreError::Conflict(_)))
        ));
        assert!(matches!(
            store
                .save_wall_list(again, alice.id, "More", progress, 100)
                .await,
            Err(SaveError::Quota { total: 120, .. })
        ));
        assert!(
            store
                .save_wall_list(again, bob.id, "Not his wall", small, 100)
                .await
                .is_err()
        );

        store
            .update_wall_list(
                wall,
                "[\"updated\"]",
                Progress {
                    size: 60,
                    seen: 20,
                    missed: 3,
                    first_missed: 2,
                },
            )
            .await
            .unwrap();
        let (summary, body) = store.list(list, alice.id).await.unwrap();
        assert_eq!(
            (summary.seen, summary.missed, body.as_str()),
            (20, 3, "[\"updated\"]"),
            "{backend}: autosaved"
        );
        assert!(matches!(
            store.list(list, bob.id).await,
            Err(StoreError::NotFound)
        ));
        let from_list = store
            .create_list_wall(list, alice.id, "{}", &body, "{}", 0)
            .await
            .unwrap();
        assert_eq!(
            store.wall(from_list, &mine).await.unwrap().list_id,
            Some(list)
        );
        assert!(
            store
                .create_list_wall(list, bob.id, "{}", &body, "{}", 0)
                .await
                .is_err()
        );

        store
            .rename_list(list, alice.id, "Top sevens")
            .await
            .unwrap();
        assert_eq!(store.lists(alice.id).await.unwrap()[0].name, "Top sevens");
        assert!(matches!(
            store.rename_list(list, bob.id, "x").await,
            Err(StoreError::NotFound)
        ));
        store.delete_list(list, alice.id).await.unwrap();
        assert!(store.lists(alice.id).await.unwrap().is_empty());
        assert_eq!(
            store.wall(wall, &mine).await.unwrap().list_id,
            None,
            "walls outlive their list"
        );
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

#[tokio::test]
async fn challenges_entries_medals_and_job_records() {
    use tilebag_store::WallId;
    for backend in backends("challenges_entries_medals_and_job_records") {
        let (_db, store) = fresh(backend).await;
        store.migrate().await.unwrap();
        let alice = store.create_user("alice", "h").await.unwrap();
        let first = store
            .create_challenge("SCOWL80", "today-7", "2026-11-20", "[1]", 315)
            .await
            .unwrap();
        let again = store
            .create_challenge("SCOWL80", "today-7", "2026-11-20", "[2]", 315)
            .await
            .unwrap();
        assert_eq!(
            again, first,
            "{backend}: drawn once, the second request gets the first"
        );
        assert_eq!(
            store
                .challenges_on("SCOWL80", "2026-11-20")
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store.first_challenge_day().await.unwrap().as_deref(),
            Some("2026-11-20")
        );

        assert!(
            store
                .start_entry(first.id, alice.id, WallId(7), 50)
                .await
                .unwrap()
        );
        assert!(
            !store
                .start_entry(first.id, alice.id, WallId(8), 50)
                .await
                .unwrap(),
            "only the first attempt counts"
        );
        assert!(
            !store.finish_entry(WallId(8), 50, 0, 0, &[]).await.unwrap(),
            "a replay changes nothing"
        );
        assert!(
            store
                .finish_entry(WallId(7), 40, 3, 1_000, &["AEINRST".to_owned()])
                .await
                .unwrap()
        );
        let entries = store.entries(first.id).await.unwrap();
        assert_eq!(
            (entries[0].solved, entries[0].wrong, entries[0].finished),
            (40, 3, true)
        );
        assert_eq!(
            store
                .most_missed("SCOWL80", &["today-7"], "2026-11-16", "2026-11-22")
                .await
                .unwrap(),
            ["AEINRST"]
        );

        assert!(
            store
                .award(first.id, alice.id, "gold", "2026-11-20")
                .await
                .unwrap()
        );
        assert!(
            !store
                .award(first.id, alice.id, "gold", "2026-11-20")
                .await
                .unwrap(),
            "awarding twice changes nothing"
        );
        assert_eq!(
            store
                .medals(Some(alice.id), "2026-11-01", "2026-11-30")
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .medals(None, "2026-12-01", "2026-12-31")
                .await
                .unwrap()
                .is_empty()
        );

        assert!(!store.is_processed("2026-11-20").await.unwrap());
        store.mark_processed("2026-11-20").await.unwrap();
        store.mark_processed("2026-11-20").await.unwrap();
        assert_eq!(
            store.last_processed_day().await.unwrap().as_deref(),
            Some("2026-11-20")
        );

        assert!(store.take_lease("daily", "a", 1_000, 61_000).await.unwrap());
        assert!(
            !store.take_lease("daily", "b", 2_000, 62_000).await.unwrap(),
            "{backend}: held by a"
        );
        assert!(
            store
                .take_lease("daily", "b", 61_001, 121_001)
                .await
                .unwrap(),
            "expired: b takes it"
        );
        store.release_lease("daily", "b").await.unwrap();
        assert!(
            store
                .take_lease("daily", "a", 61_002, 121_002)
                .await
                .unwrap()
        );

        let run = store.start_run("daily").await.unwrap();
        store.finish_run(run, true, "awarded 1").await.unwrap();
        assert!(store.last_success("daily").await.unwrap().is_some());
        assert_eq!(store.job_runs(5).await.unwrap()[0].detail, "awarded 1");
        let secret = store.site_setting("challenge_secret", "123").await.unwrap();
        assert_eq!(
            store.site_setting("challenge_secret", "456").await.unwrap(),
            secret
        );
    }
}
