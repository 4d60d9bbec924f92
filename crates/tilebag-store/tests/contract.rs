//! One story of the store, run against each backend: SQLite always, PostgreSQL when configured.
//!
//! No store function reads the clock: every story passes its times in, so the stories move
//! through time by choosing them.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use tilebag_store::testing::{TestDatabase, backends};
use tilebag_store::{
    Attempt, ChallengeId, Decision, EntryUpdate, ListUpdate, MIGRATIONS, Migration, NewSession,
    NewWall, Owner, Progress, RoundUpdate, SaveError, SchemaStatus, Store, StoreError, StoredWall,
    UserId, WallChange, WallId,
};

/// The stories' "now" (Unix seconds, November 2026).
const NOW: i64 = 1_795_000_000;

async fn fresh(backend: &str) -> (TestDatabase, Store) {
    let db = TestDatabase::new(backend).await;
    let store = Store::connect(&db.url).await.expect("connect");
    (db, store)
}

async fn migrated(backend: &str) -> (TestDatabase, Store) {
    let (db, store) = fresh(backend).await;
    store.migrate(NOW).await.expect("migrate");
    (db, store)
}

fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real day")
}

/// A SCOWL80 wall of `owner` with an empty list and no challenge.
fn new_wall(owner: &Owner, round: &str, deadline: i64) -> NewWall {
    NewWall {
        owner: owner.clone(),
        lexicon: "SCOWL80".into(),
        list_id: None,
        settings: "{}".into(),
        list: "[]".into(),
        round: round.into(),
        deadline,
        attempt: None,
        source: None,
        place: None,
    }
}

/// A list document of `n` alphagrams named after `tag`.
fn alphagrams(tag: &str, n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("\"{tag}{i}\"")).collect();
    format!("[{}]", items.join(","))
}

/// Progress read from a list document, as the study logic would: every alphagram is new.
#[allow(clippy::unnecessary_wraps)] // Reason: the shape `save_wall_list` asks for.
fn counted(body: &str) -> Result<Progress, StoreError> {
    let size = i64::try_from(body.matches('"').count() / 2).expect("a small list");
    Ok(Progress {
        size,
        ..Progress::default()
    })
}

fn round_change(round: &str, deadline: i64, running: bool) -> WallChange {
    WallChange {
        round: Some(RoundUpdate {
            round: round.into(),
            deadline,
            running,
        }),
        ..WallChange::default()
    }
}

fn entry_change(
    solved: i64,
    wrong: i64,
    remaining_ms: i64,
    finished: bool,
    missed: &[&str],
) -> WallChange {
    WallChange {
        entry: Some(EntryUpdate {
            solved,
            wrong,
            remaining_ms,
            finished,
            missed: missed.iter().map(|&a| a.to_owned()).collect(),
        }),
        ..WallChange::default()
    }
}

/// Stores `change` on a wall without looking at it.
async fn change(
    store: &Store,
    wall: WallId,
    owner: Option<&Owner>,
    now: i64,
    change: WallChange,
) -> Result<(), StoreError> {
    store
        .modify_wall(wall, owner, now, move |_, _| {
            Ok(Decision::Done(change.clone(), ()))
        })
        .await
}

/// Runs `tasks` futures at once, each in a task of its own, and collects their results.
async fn in_parallel<T, F>(tasks: impl IntoIterator<Item = F>) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let handles: Vec<_> = tasks.into_iter().map(tokio::spawn).collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.expect("task"));
    }
    results
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
async fn accounts_and_sessions() {
    for backend in backends("accounts_and_sessions") {
        let (_db, store) = migrated(backend).await;
        let alice = store.create_user("Alice", "hash-a", NOW).await.unwrap();
        assert!(alice.is_admin, "the first account is an admin");
        assert_eq!(
            alice.created_at, NOW,
            "{backend}: stamped with the given time"
        );
        assert!(
            matches!(
                store.create_user("ALICE", "x", NOW).await,
                Err(StoreError::Conflict(_))
            ),
            "{backend}"
        );
        let bob = store.create_user("bob", "hash-b", NOW).await.unwrap();
        assert!(!bob.is_admin);
        assert_eq!(store.user_by_name("alice").await.unwrap().id, alice.id);
        assert!(matches!(
            store.user_by_name("carol").await,
            Err(StoreError::NotFound)
        ));

        let far = NOW + 3600;
        for (token, user) in [("t1", alice.id), ("t2", alice.id), ("t3", bob.id)] {
            let session = NewSession {
                token_hash: token,
                user_id: user,
                csrf_token: "c",
                expires_at: far,
            };
            store.create_session(&session, NOW).await.unwrap();
        }
        let old = NewSession {
            token_hash: "old",
            user_id: bob.id,
            csrf_token: "c",
            expires_at: NOW - 1,
        };
        store.create_session(&old, NOW - 10).await.unwrap();
        assert_eq!(store.active_sessions(NOW).await.unwrap(), 3);
        assert_eq!(
            store.active_sessions(far).await.unwrap(),
            0,
            "{backend}: at `far` every session has expired"
        );
        assert!(
            matches!(store.session("old", NOW).await, Err(StoreError::NotFound)),
            "expired sessions do not count"
        );
        assert!(
            store.session("old", NOW - 5).await.is_ok(),
            "{backend}: expiry is judged at the time given"
        );
        assert_eq!(store.delete_expired_sessions(NOW).await.unwrap(), 1);
        let (session, user) = store.session("t1", NOW).await.unwrap();
        assert_eq!(
            (session.csrf_token.as_str(), user.username.as_str()),
            ("c", "Alice")
        );
        store.delete_session("t1").await.unwrap();
        assert!(store.session("t1", NOW).await.is_err());
        store.set_password(alice.id, "hash-a2").await.unwrap();
        assert!(
            store.session("t2", NOW).await.is_err(),
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
            store.session("t3", NOW).await.is_err(),
            "deleting an account deletes its sessions"
        );
        assert!(matches!(
            store.delete_user(bob.id).await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_the_first_account_is_an_admin_however_many_register_at_once() {
    for backend in backends("only_the_first_account_is_an_admin_however_many_register_at_once") {
        let (_db, store) = migrated(backend).await;
        // Open the connections first, so the registrations race instead of queueing
        // behind new connections; then start them together.
        for _ in 0..3 {
            in_parallel((0..12).map(|_| {
                let store = store.clone();
                async move { store.ping().await.unwrap() }
            }))
            .await;
        }
        let start = Arc::new(tokio::sync::Barrier::new(12));
        let users = in_parallel((0..12).map(|i| {
            let (store, start) = (store.clone(), Arc::clone(&start));
            async move {
                start.wait().await;
                store.create_user(&format!("player{i}"), "h", NOW).await
            }
        }))
        .await;
        let users: Vec<_> = users.into_iter().map(Result::unwrap).collect();
        assert_eq!(users.len(), 12, "{backend}");
        assert_eq!(
            users.iter().filter(|u| u.is_admin).count(),
            1,
            "{backend}: exactly one admin among 12 racing registrations"
        );
        let mut stored = 0;
        for i in 0..12 {
            if store
                .user_by_name(&format!("player{i}"))
                .await
                .unwrap()
                .is_admin
            {
                stored += 1;
            }
        }
        assert_eq!(stored, 1, "{backend}: as stored");
    }
}

#[tokio::test]
async fn sqlite_backup_is_a_consistent_copy() {
    let (db, store) = migrated("sqlite").await;
    store.create_user("Alice", "h", NOW).await.unwrap();
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
    for backend in backends("walls_belong_to_their_owner") {
        let (_db, store) = migrated(backend).await;
        let alice = store.create_user("alice", "h", NOW).await.unwrap();
        let bob = store.create_user("bob", "h", NOW).await.unwrap();
        let mine = Owner::User(alice.id);
        let guest = Owner::Guest("guest-key".into());
        let (wall, counts) = store
            .create_wall(new_wall(&mine, "{\"r\":1}", 5_000), NOW)
            .await
            .unwrap();
        assert!(!counts, "{backend}: no challenge, nothing counts");
        let (guest_wall, _) = store
            .create_wall(new_wall(&guest, "{}", 6_000), NOW)
            .await
            .unwrap();
        let stored = store.wall(wall, &mine).await.unwrap();
        assert_eq!(
            (
                stored.round.as_str(),
                stored.challenge_id,
                stored.entry_finished
            ),
            ("{\"r\":1}", None, None)
        );
        assert_eq!(store.wall_list(wall, &mine).await.unwrap(), "[]");
        for stranger in [Owner::User(bob.id), Owner::Guest("other".into())] {
            assert!(
                matches!(store.wall(wall, &stranger).await, Err(StoreError::NotFound)),
                "{backend}: {stranger:?}"
            );
            assert!(
                matches!(
                    store.wall_list(wall, &stranger).await,
                    Err(StoreError::NotFound)
                ),
                "{backend}: {stranger:?}"
            );
            assert!(
                matches!(
                    change(
                        &store,
                        wall,
                        Some(&stranger),
                        NOW,
                        round_change("{}", 0, false)
                    )
                    .await,
                    Err(StoreError::NotFound)
                ),
                "{backend}: {stranger:?} cannot change it"
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

        let next = round_change("{\"r\":2}", 7_000, true);
        change(&store, wall, Some(&mine), NOW, next).await.unwrap();
        assert_eq!(store.extend_running_walls(1_000).await.unwrap(), 2);
        let stored = store.wall(wall, &mine).await.unwrap();
        assert_eq!(
            (stored.round.as_str(), stored.deadline),
            ("{\"r\":2}", 8_000)
        );
        // The server's own jobs change any wall.
        let ended = round_change("{}", 8_000, false);
        change(&store, wall, None, NOW, ended).await.unwrap();
        assert_eq!(
            store.extend_running_walls(1_000).await.unwrap(),
            1,
            "finished rounds keep their time"
        );
        // The guest wall runs out at 8_000; the finished wall is no one's to end.
        assert!(store.expired_walls(7_999, 10).await.unwrap().is_empty());
        assert_eq!(
            store.expired_walls(8_000, 10).await.unwrap(),
            [guest_wall],
            "{backend}"
        );
        assert!(store.expired_walls(8_000, 0).await.unwrap().is_empty());

        assert_eq!(store.heartbeat(1_000).await.unwrap(), None);
        assert_eq!(store.heartbeat(2_000).await.unwrap(), Some(1_000));
        store.delete_user(alice.id).await.unwrap();
        assert!(
            matches!(store.wall(wall, &mine).await, Err(StoreError::NotFound)),
            "deleting an account deletes its walls"
        );
    }
}

/// Reads a counter round, `{"n":K}`.
fn counter(round: &str) -> Result<i64, StoreError> {
    round
        .strip_prefix("{\"n\":")
        .and_then(|rest| rest.strip_suffix('}'))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| StoreError::Other(format!("not a counter round: {round}")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn modify_wall_is_atomic_under_concurrency() {
    for backend in backends("modify_wall_is_atomic_under_concurrency") {
        let (_db, store) = migrated(backend).await;
        let alice = store.create_user("alice", "h", NOW).await.unwrap();
        let owner = Owner::User(alice.id);
        let (wall, _) = store
            .create_wall(new_wall(&owner, "{\"n\":0}", 9_000), NOW)
            .await
            .unwrap();
        let seen = in_parallel((0..50).map(|_| {
            let (store, owner) = (store.clone(), owner.clone());
            async move {
                store
                    .modify_wall(wall, Some(&owner), NOW, |stored: &StoredWall, _| {
                        let n = counter(&stored.round)?;
                        let next = round_change(&format!("{{\"n\":{}}}", n + 1), 9_000, true);
                        Ok::<_, StoreError>(Decision::Done(next, n))
                    })
                    .await
            }
        }))
        .await;
        let mut seen: Vec<i64> = seen.into_iter().map(Result::unwrap).collect();
        seen.sort_unstable();
        assert_eq!(
            seen,
            (0..50).collect::<Vec<i64>>(),
            "{backend}: each change saw the one before it"
        );
        let round = store.wall(wall, &owner).await.unwrap().round;
        assert_eq!(counter(&round).unwrap(), 50, "{backend}: no lost update");
    }
}

/// A wall change's own refusal, passed through `modify_wall` as it is.
#[derive(Debug)]
enum Refused {
    Rule,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(error: StoreError) -> Refused {
        Refused::Store(error)
    }
}

#[tokio::test]
async fn a_change_gets_the_list_when_it_asks_and_saves_it_with_the_saved_list_or_not_at_all() {
    for backend in backends(
        "a_change_gets_the_list_when_it_asks_and_saves_it_with_the_saved_list_or_not_at_all",
    ) {
        let (_db, store) = migrated(backend).await;
        let alice = store.create_user("alice", "h", NOW).await.unwrap();
        let mine = Owner::User(alice.id);
        let (played, _) = store
            .create_wall(
                NewWall {
                    list: "[\"AB\",\"CD\"]".into(),
                    ..new_wall(&mine, "{\"r\":1}", 1_000)
                },
                NOW,
            )
            .await
            .unwrap();
        let saved = store
            .save_wall_list(played, alice.id, "Pairs", 100, NOW, counted)
            .await
            .unwrap();
        let (summary, _) = store.list(saved, alice.id).await.unwrap();
        assert_eq!((summary.size, summary.seen), (2, 0), "{backend}");

        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&calls);
        let answer = store
            .modify_wall(played, Some(&mine), NOW + 60, move |_, list| {
                seen.lock().unwrap().push(list.map(str::to_owned));
                let Some(list) = list else {
                    return Ok::<_, StoreError>(Decision::NeedList);
                };
                let change = WallChange {
                    list: Some(ListUpdate {
                        place: None,
                        list: "[\"CD\",\"AB\"]".into(),
                        progress: Progress {
                            size: 2,
                            seen: 2,
                            missed: 1,
                            first_missed: 1,
                        },
                    }),
                    ..round_change("{\"r\":2}", 2_000, true)
                };
                Ok(Decision::Done(change, list.len()))
            })
            .await
            .unwrap();
        assert_eq!(answer, "[\"AB\",\"CD\"]".len());
        assert_eq!(
            *calls.lock().unwrap(),
            [None, Some("[\"AB\",\"CD\"]".to_owned())],
            "{backend}: asked without the list, then with it"
        );
        let wall = store.wall(played, &mine).await.unwrap();
        assert_eq!((wall.round.as_str(), wall.deadline), ("{\"r\":2}", 2_000));
        assert_eq!(
            store.wall_list(played, &mine).await.unwrap(),
            "[\"CD\",\"AB\"]"
        );
        let (summary, body) = store.list(saved, alice.id).await.unwrap();
        assert_eq!(
            (
                body.as_str(),
                summary.seen,
                summary.missed,
                summary.first_missed,
                summary.played_at
            ),
            ("[\"CD\",\"AB\"]", 2, 1, 1, NOW + 60),
            "{backend}: the saved list follows its wall"
        );

        // A wall on no saved list changes only itself.
        let (own, _) = store
            .create_wall(new_wall(&mine, "{}", 0), NOW)
            .await
            .unwrap();
        let update = WallChange {
            list: Some(ListUpdate {
                place: None,
                list: "[\"EF\"]".into(),
                progress: Progress::default(),
            }),
            ..WallChange::default()
        };
        change(&store, own, Some(&mine), NOW + 90, update)
            .await
            .unwrap();
        assert_eq!(store.wall_list(own, &mine).await.unwrap(), "[\"EF\"]");
        assert_eq!(store.list(saved, alice.id).await.unwrap(), (summary, body));

        refusals_change_nothing(&store, played, &mine, backend).await;
        let (after, body) = store.list(saved, alice.id).await.unwrap();
        assert_eq!(
            (body.as_str(), after.seen, after.played_at),
            ("[\"CD\",\"AB\"]", 2, NOW + 60),
            "{backend}: a refused change leaves the saved list alone"
        );
    }
}

/// A change that fails, after asking for the list, leaves round and list as they were.
async fn refusals_change_nothing(store: &Store, wall: WallId, owner: &Owner, backend: &str) {
    let refused = store
        .modify_wall(wall, Some(owner), NOW + 120, |_, list| match list {
            None => Ok(Decision::NeedList),
            Some(_) => Err::<Decision<()>, _>(Refused::Rule),
        })
        .await;
    assert!(
        matches!(refused, Err(Refused::Rule)),
        "{backend}: {refused:?}"
    );
    let greedy = store
        .modify_wall(wall, Some(owner), NOW + 120, |_, _| {
            Ok::<Decision<()>, Refused>(Decision::NeedList)
        })
        .await;
    assert!(
        matches!(greedy, Err(Refused::Store(StoreError::Other(_)))),
        "{backend}: asking for the list twice is an error: {greedy:?}"
    );
    let stored = store.wall(wall, owner).await.unwrap();
    assert_eq!(
        (stored.round.as_str(), stored.deadline),
        ("{\"r\":2}", 2_000),
        "{backend}"
    );
    assert_eq!(
        store.wall_list(wall, owner).await.unwrap(),
        "[\"CD\",\"AB\"]",
        "{backend}"
    );
}

#[tokio::test]
async fn saved_lists_with_quota_autosave_rename_and_delete() {
    for backend in backends("saved_lists_with_quota_autosave_rename_and_delete") {
        let (_db, store) = migrated(backend).await;
        let alice = store.create_user("alice", "h", NOW).await.unwrap();
        let bob = store.create_user("bob", "h", NOW).await.unwrap();
        let mine = Owner::User(alice.id);
        let (wall, _) = store
            .create_wall(
                NewWall {
                    list: "[\"list\"]".into(),
                    ..new_wall(&mine, "{}", 0)
                },
                NOW,
            )
            .await
            .unwrap();
        let progress = Progress {
            size: 60,
            seen: 10,
            missed: 2,
            first_missed: 2,
        };
        let as_given = move |_: &str| Ok(progress);
        let list = store
            .save_wall_list(wall, alice.id, "Sevens", 100, NOW, as_given)
            .await
            .unwrap();
        assert_eq!(store.wall(wall, &mine).await.unwrap().list_id, Some(list));
        let (again, _) = store
            .create_wall(new_wall(&mine, "{}", 0), NOW)
            .await
            .unwrap();
        let small = move |_: &str| {
            Ok(Progress {
                size: 1,
                ..progress
            })
        };
        assert!(matches!(
            store
                .save_wall_list(again, alice.id, "Sevens", 100, NOW, small)
                .await,
            Err(SaveError::Store(StoreError::Conflict(_)))
        ));
        assert!(matches!(
            store
                .save_wall_list(again, alice.id, "More", 100, NOW, as_given)
                .await,
            Err(SaveError::Quota { total: 120, .. })
        ));
        assert!(
            store
                .save_wall_list(again, bob.id, "Not his wall", 100, NOW, small)
                .await
                .is_err()
        );

        let autosave = WallChange {
            list: Some(ListUpdate {
                place: None,
                list: "[\"updated\"]".into(),
                progress: Progress {
                    size: 60,
                    seen: 20,
                    missed: 3,
                    first_missed: 2,
                },
            }),
            ..WallChange::default()
        };
        change(&store, wall, Some(&mine), NOW, autosave)
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
        let on_list = |owner: &Owner| NewWall {
            lexicon: "not the list's".into(),
            list_id: Some(list),
            list: body.clone(),
            ..new_wall(owner, "{}", 0)
        };
        let (from_list, _) = store.create_wall(on_list(&mine), NOW).await.unwrap();
        let stored = store.wall(from_list, &mine).await.unwrap();
        assert_eq!(
            (stored.list_id, stored.lexicon.as_str()),
            (Some(list), "SCOWL80"),
            "{backend}: a wall on a list plays the list's lexicon"
        );
        assert!(matches!(
            store.create_wall(on_list(&Owner::User(bob.id)), NOW).await,
            Err(StoreError::NotFound)
        ));

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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_saved_list_quota_holds_under_racing_saves() {
    for backend in backends("the_saved_list_quota_holds_under_racing_saves") {
        let (_db, store) = migrated(backend).await;
        // Three players race in turn: later races run on connections already open, so the
        // six saves overlap instead of queueing behind new connections.
        for player in ["alice", "bob", "carol"] {
            race_six_saves(&store, player, backend).await;
        }
    }
}

/// Six saves of 40 alphagrams from six walls of a new player, all at once, within 100.
async fn race_six_saves(store: &Store, player: &str, backend: &str) {
    let user = store.create_user(player, "h", NOW).await.unwrap().id;
    let mine = Owner::User(user);
    let mut walls = Vec::new();
    for i in 0..6 {
        let new = NewWall {
            list: alphagrams(&format!("W{i}_"), 40),
            ..new_wall(&mine, "{}", 0)
        };
        walls.push(store.create_wall(new, NOW).await.unwrap().0);
    }
    let start = Arc::new(tokio::sync::Barrier::new(walls.len()));
    let results = in_parallel(walls.iter().enumerate().map(|(i, &wall)| {
        let (store, start) = (store.clone(), Arc::clone(&start));
        async move {
            start.wait().await;
            store
                .save_wall_list(wall, user, &format!("List {i}"), 100, NOW, counted)
                .await
        }
    }))
    .await;
    let saved = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(SaveError::Quota {
                    adding: 40,
                    limit: 100,
                    ..
                })
            )
        })
        .count();
    assert_eq!(
        (saved, refused),
        (2, 4),
        "{backend} {player}: two saves fit in 100, the other four are over quota: {results:?}"
    );
    let lists = store.lists(user).await.unwrap();
    assert_eq!(lists.len(), 2, "{backend} {player}");
    assert_eq!(
        lists.iter().map(|l| l.size).sum::<i64>(),
        80,
        "{backend} {player}"
    );
    let mut linked = 0;
    for &wall in &walls {
        if store.wall(wall, &mine).await.unwrap().list_id.is_some() {
            linked += 1;
        }
    }
    assert_eq!(
        linked, 2,
        "{backend} {player}: only the saved walls link to a list"
    );
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
async fn challenges_entries_and_medals() {
    for backend in backends("challenges_entries_and_medals") {
        let (_db, store) = migrated(backend).await;
        let alice = store.create_user("alice", "h", NOW).await.unwrap();
        let friday = day(2026, 11, 20);
        let first = store
            .create_challenge("SCOWL80", "today-7", friday, "[1]", 315, NOW)
            .await
            .unwrap();
        let again = store
            .create_challenge("SCOWL80", "today-7", friday, "[2]", 315, NOW)
            .await
            .unwrap();
        assert_eq!(
            again, first,
            "{backend}: drawn once, the second request gets the first"
        );
        assert_eq!(
            store.challenges_on("SCOWL80", friday).await.unwrap().len(),
            1
        );
        assert_eq!(store.challenge_by_id(first.id).await.unwrap().day, friday);
        assert_eq!(
            store.first_entry_day().await.unwrap(),
            None,
            "no attempt yet"
        );

        let mine = Owner::User(alice.id);
        let attempt = Attempt {
            challenge: first.id,
            entry: Some((alice.id, 50)),
        };
        let play = || NewWall {
            attempt: Some(attempt),
            ..new_wall(&mine, "{}", 0)
        };
        let (counted_wall, counts) = store.create_wall(play(), NOW).await.unwrap();
        assert!(counts, "{backend}: the first attempt counts");
        let (replay, counts) = store.create_wall(play(), NOW).await.unwrap();
        assert!(!counts, "only the first attempt counts");
        assert_eq!(store.first_entry_day().await.unwrap(), Some(friday));
        let stored = store.wall(counted_wall, &mine).await.unwrap();
        assert_eq!(
            (stored.challenge_id, stored.entry_finished),
            (Some(first.id), Some(false))
        );
        assert_eq!(
            store.unfinished_entries(first.id).await.unwrap(),
            [counted_wall]
        );

        let replayed = entry_change(50, 0, 0, true, &[]);
        change(&store, replay, Some(&mine), NOW, replayed)
            .await
            .unwrap();
        let entries = store.entries(first.id).await.unwrap();
        assert_eq!(
            (entries[0].solved, entries[0].finished),
            (0, false),
            "a replay changes nothing"
        );
        let finished = entry_change(40, 3, 1_000, true, &["AEINRST"]);
        change(&store, counted_wall, Some(&mine), NOW, finished)
            .await
            .unwrap();
        let entries = store.entries(first.id).await.unwrap();
        assert_eq!(
            (entries[0].solved, entries[0].wrong, entries[0].finished),
            (40, 3, true)
        );
        assert!(store.unfinished_entries(first.id).await.unwrap().is_empty());
        assert_eq!(
            store
                .most_missed(
                    "SCOWL80",
                    &["today-7"],
                    day(2026, 11, 16),
                    day(2026, 11, 22)
                )
                .await
                .unwrap(),
            ["AEINRST"]
        );

        assert!(
            store
                .award(first.id, alice.id, "gold", friday, NOW)
                .await
                .unwrap()
        );
        assert!(
            !store
                .award(first.id, alice.id, "gold", friday, NOW)
                .await
                .unwrap(),
            "awarding twice changes nothing"
        );
        let medals = store
            .medals(Some(alice.id), day(2026, 11, 1), day(2026, 11, 30))
            .await
            .unwrap();
        assert_eq!(medals.len(), 1);
        assert_eq!(medals[0].day, friday);
        assert!(
            store
                .medals(None, day(2026, 12, 1), day(2026, 12, 31))
                .await
                .unwrap()
                .is_empty()
        );

        assert!(!store.is_processed(friday).await.unwrap());
        store.mark_processed(friday, NOW).await.unwrap();
        store.mark_processed(friday, NOW).await.unwrap();
        assert!(store.is_processed(friday).await.unwrap());
        assert_eq!(store.last_processed_day().await.unwrap(), Some(friday));
    }
}

/// A player's entry: solved, wrong, milliseconds left, finished.
async fn entry_of(store: &Store, challenge: ChallengeId, user: UserId) -> (i64, i64, i64, bool) {
    let entries = store.entries(challenge).await.unwrap();
    let e = entries
        .into_iter()
        .find(|e| e.user_id == user)
        .expect("an entry");
    (e.solved, e.wrong, e.remaining_ms, e.finished)
}

/// The alphagrams most missed in the day's `today-7` challenges.
async fn missed_on(store: &Store, day: NaiveDate) -> Vec<String> {
    store
        .most_missed("SCOWL80", &["today-7"], day, day)
        .await
        .unwrap()
}

/// `freeze_entries` finishes the one unfinished entry, `wall`'s, as it stands, for good.
async fn freezing_finishes_entries_as_they_stand(
    store: &Store,
    challenge: ChallengeId,
    wall: WallId,
    owner: &Owner,
    bob: UserId,
    backend: &str,
) {
    change(
        store,
        wall,
        Some(owner),
        NOW,
        entry_change(7, 1, 20_000, false, &[]),
    )
    .await
    .unwrap();
    assert_eq!(store.unfinished_entries(challenge).await.unwrap(), [wall]);
    assert_eq!(
        store.freeze_entries(challenge).await.unwrap(),
        1,
        "{backend}"
    );
    assert_eq!(
        entry_of(store, challenge, bob).await,
        (7, 1, 20_000, true),
        "{backend}: frozen as it stood"
    );
    assert!(
        store
            .unfinished_entries(challenge)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.freeze_entries(challenge).await.unwrap(),
        0,
        "{backend}"
    );
    change(
        store,
        wall,
        Some(owner),
        NOW,
        entry_change(20, 1, 0, false, &[]),
    )
    .await
    .unwrap();
    assert_eq!(
        entry_of(store, challenge, bob).await,
        (7, 1, 20_000, true),
        "{backend}: frozen is final"
    );
}

#[tokio::test]
async fn entry_updates_are_live_until_finished_and_frozen_as_they_stand() {
    for backend in backends("entry_updates_are_live_until_finished_and_frozen_as_they_stand") {
        let (_db, store) = migrated(backend).await;
        let alice = store.create_user("alice", "h", NOW).await.unwrap();
        let bob = store.create_user("bob", "h", NOW).await.unwrap();
        let monday = day(2026, 11, 16);
        let challenge = store
            .create_challenge("SCOWL80", "today-7", monday, "[]", 315, NOW)
            .await
            .unwrap()
            .id;
        let play = |owner: &Owner, entry| NewWall {
            attempt: Some(Attempt { challenge, entry }),
            ..new_wall(owner, "{}", 0)
        };
        let (a, b) = (Owner::User(alice.id), Owner::User(bob.id));
        let (first, counts) = store
            .create_wall(play(&a, Some((alice.id, 50))), NOW)
            .await
            .unwrap();
        assert!(counts, "{backend}: alice's first attempt counts");
        let (second, counts) = store
            .create_wall(play(&a, Some((alice.id, 50))), NOW)
            .await
            .unwrap();
        assert!(!counts, "{backend}: alice's second attempt does not");
        let (bobs, counts) = store
            .create_wall(play(&b, Some((bob.id, 50))), NOW)
            .await
            .unwrap();
        assert!(counts, "{backend}: bob's first attempt counts");
        let guest = Owner::Guest("g".into());
        let (guests, counts) = store.create_wall(play(&guest, None), NOW).await.unwrap();
        assert!(!counts, "{backend}: a guest's attempt never counts");
        let stored = store.wall(second, &a).await.unwrap();
        assert_eq!(
            (stored.challenge_id, stored.entry_finished),
            (Some(challenge), None)
        );
        let stored = store.wall(guests, &guest).await.unwrap();
        assert_eq!(
            (stored.challenge_id, stored.entry_finished),
            (Some(challenge), None)
        );

        let live = entry_change(10, 2, 30_000, false, &["AEINRST"]);
        change(&store, first, Some(&a), NOW, live).await.unwrap();
        assert_eq!(
            entry_of(&store, challenge, alice.id).await,
            (10, 2, 30_000, false),
            "{backend}: live"
        );
        assert!(
            missed_on(&store, monday).await.is_empty(),
            "{backend}: misses wait for the end"
        );
        let other = entry_change(50, 0, 0, true, &["EINORST"]);
        change(&store, second, Some(&a), NOW, other).await.unwrap();
        change(
            &store,
            guests,
            Some(&guest),
            NOW,
            entry_change(50, 0, 0, true, &["EINORST"]),
        )
        .await
        .unwrap();
        assert_eq!(
            entry_of(&store, challenge, alice.id).await,
            (10, 2, 30_000, false),
            "{backend}: uncounted walls"
        );
        assert!(
            missed_on(&store, monday).await.is_empty(),
            "{backend}: uncounted walls miss nothing"
        );

        let end = entry_change(40, 3, 1_000, true, &["AEINRST", "EINORST"]);
        change(&store, first, Some(&a), NOW, end).await.unwrap();
        assert_eq!(
            entry_of(&store, challenge, alice.id).await,
            (40, 3, 1_000, true),
            "{backend}: finished"
        );
        assert_eq!(
            missed_on(&store, monday).await,
            ["AEINRST", "EINORST"],
            "{backend}: one miss each"
        );
        assert_eq!(
            store.wall(first, &a).await.unwrap().entry_finished,
            Some(true)
        );
        let late = entry_change(50, 0, 5_000, true, &["EINORST"]);
        change(&store, first, Some(&a), NOW, late).await.unwrap();
        assert_eq!(
            entry_of(&store, challenge, alice.id).await,
            (40, 3, 1_000, true),
            "{backend}: final"
        );
        assert_eq!(
            missed_on(&store, monday).await,
            ["AEINRST", "EINORST"],
            "{backend}: a finished entry's misses are counted once"
        );

        freezing_finishes_entries_as_they_stand(&store, challenge, bobs, &b, bob.id, backend).await;
        assert_eq!(
            entry_of(&store, challenge, alice.id).await,
            (40, 3, 1_000, true),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn job_leases_runs_and_site_settings() {
    for backend in backends("job_leases_runs_and_site_settings") {
        let (_db, store) = migrated(backend).await;
        assert!(store.take_lease("daily", "a", 1_000, 61_000).await.unwrap());
        assert!(
            !store.take_lease("daily", "b", 2_000, 62_000).await.unwrap(),
            "{backend}: held by a"
        );
        assert_eq!(store.lease_until("daily").await.unwrap(), Some(61_000));
        assert!(
            store
                .take_lease("daily", "b", 61_001, 121_001)
                .await
                .unwrap(),
            "expired: b takes it"
        );
        store.release_lease("daily", "b").await.unwrap();
        assert_eq!(store.lease_until("daily").await.unwrap(), None, "{backend}");
        assert!(
            store
                .take_lease("daily", "a", 61_002, 121_002)
                .await
                .unwrap()
        );
        assert_eq!(store.lease_until("daily").await.unwrap(), Some(121_002));

        let run = store.start_run("daily", NOW).await.unwrap();
        store
            .finish_run(run, true, "awarded 1", NOW + 5)
            .await
            .unwrap();
        assert_eq!(store.last_success("daily").await.unwrap(), Some(NOW + 5));
        let runs = store.job_runs(5).await.unwrap();
        assert_eq!(
            (
                runs[0].detail.as_str(),
                runs[0].started_at,
                runs[0].finished_at
            ),
            ("awarded 1", NOW, Some(NOW + 5))
        );

        let lost = store.start_run("daily", NOW + 10).await.unwrap();
        assert_eq!(store.interrupt_runs("weekly", NOW + 20).await.unwrap(), 0);
        assert_eq!(
            store.interrupt_runs("daily", NOW + 20).await.unwrap(),
            1,
            "{backend}: only the unfinished run"
        );
        assert_eq!(store.interrupt_runs("daily", NOW + 30).await.unwrap(), 0);
        let runs = store.job_runs(5).await.unwrap();
        assert_eq!(
            (runs[0].id, runs[0].ok, runs[0].finished_at),
            (lost, false, Some(NOW + 20))
        );
        assert!(
            runs[0].detail.starts_with("interrupted"),
            "{}",
            runs[0].detail
        );
        assert_eq!(
            (runs[1].id, runs[1].ok),
            (run, true),
            "{backend}: a finished run keeps its result"
        );
        assert_eq!(store.last_success("daily").await.unwrap(), Some(NOW + 5));

        let secret = store.site_setting("challenge_secret", "123").await.unwrap();
        assert_eq!(
            store.site_setting("challenge_secret", "456").await.unwrap(),
            secret
        );
    }
}
