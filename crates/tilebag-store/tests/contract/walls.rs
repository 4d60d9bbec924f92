//! Walls and saved lists: owners, atomic changes, lists saved with their walls, quotas.

use super::*;

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

#[tokio::test]
async fn modify_wall_loses_no_update_between_two_servers_on_one_database() {
    // Replicas share a database on PostgreSQL only; a SQLite file has one server.
    let backends = backends("modify_wall_loses_no_update_between_two_servers_on_one_database");
    for backend in backends.into_iter().filter(|b| *b == "postgres") {
        let (db, one) = migrated(backend).await;
        // A second replica: its changes do not wait in the first one's queue.
        let other = Store::connect(&db.url).await.expect("connect");
        let alice = one.create_user("alice", "h", NOW).await.unwrap();
        let owner = Owner::User(alice.id);
        let (wall, _) = one
            .create_wall(new_wall(&owner, "{\"n\":0}", 9_000), NOW)
            .await
            .unwrap();
        let seen = in_parallel((0..60).map(|i| {
            let store = if i % 2 == 0 {
                one.clone()
            } else {
                other.clone()
            };
            let owner = owner.clone();
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
            (0..60).collect::<Vec<i64>>(),
            "{backend}: each change saw the one before it, whichever server made it"
        );
        let round = one.wall(wall, &owner).await.unwrap().round;
        assert_eq!(counter(&round).unwrap(), 60, "{backend}: no lost update");
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
