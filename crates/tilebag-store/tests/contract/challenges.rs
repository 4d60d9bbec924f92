//! Challenges, entries and medals; the daily job's leases, runs and site settings.

use super::*;

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
