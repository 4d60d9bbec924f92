//! Decks and cards, each story run against each backend: SQLite always, PostgreSQL when
//! configured. Times are passed in, so the stories move through days by choosing them.

mod study;

use study::{
    CAP, NOW, NOW_MS, alphagrams, card_named, fit, grade, migrated, player_with_deck, scheduler,
};
use tilebag_store::testing::{TestDatabase, backends};
use tilebag_store::{CardId, CardKind, DeckError, MIGRATIONS, Store, StoreError};
use tilebag_study::review::{DAY_MS, DeckSettings, ModelVersion, Rating};

#[tokio::test]
async fn adding_a_card_twice_changes_nothing() {
    for backend in backends("adding_a_card_twice_changes_nothing") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        let mut first = alphagrams(&["AEINRST", "AEINRST"]);
        first.push((CardKind::Hooks, "QI".into()));
        let added = store
            .add_cards(user, deck, first, NOW_MS, CAP)
            .await
            .unwrap();
        assert_eq!((added.added, added.present), (2, 0), "{backend}");
        let card = card_named(&store, user, deck, "AEINRST").await;
        let after = grade(&store, user, &card, Rating::Good, NOW_MS + 1000)
            .await
            .unwrap();

        let mut again = alphagrams(&["AEINRST", "DEILNOS"]);
        again.push((CardKind::Hooks, "QI".into()));
        // The same front as another kind is another card.
        again.push((CardKind::WordOrPhony, "QI".into()));
        let added = store
            .add_cards(user, deck, again, NOW_MS + DAY_MS, CAP)
            .await
            .unwrap();
        assert_eq!((added.added, added.present), (2, 2), "{backend}");
        let same = store.card(user, card.id).await.unwrap();
        assert_eq!(
            same.schedule, after,
            "{backend}: the graded card kept its schedule"
        );
        assert_eq!(same.version, card.version + 1, "{backend}");
        assert_eq!(store.cards(user, deck).await.unwrap().len(), 4, "{backend}");
        assert_eq!(store.rows_for_tests("reviews").await.unwrap(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_card_cap_holds_exactly_under_parallel_adds() {
    for backend in backends("the_card_cap_holds_exactly_under_parallel_adds") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        let other = store
            .create_deck(user, "NWL2023", "Eights", &DeckSettings::default(), NOW)
            .await
            .unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|task| {
                let store = store.clone();
                let deck = if task % 2 == 0 { deck } else { other };
                let cards: Vec<(CardKind, String)> = (0..25)
                    .map(|i| (CardKind::Alphagram, format!("T{task}C{i}")))
                    .collect();
                tokio::spawn(async move { store.add_cards(user, deck, cards, NOW_MS, 100).await })
            })
            .collect();
        let (mut ok, mut refused) = (0, 0);
        for task in tasks {
            match task.await.unwrap() {
                Ok(added) => {
                    assert_eq!(added.added, 25);
                    ok += 1;
                }
                Err(DeckError::Cap {
                    adding,
                    total,
                    limit,
                }) => {
                    assert_eq!((adding, total, limit), (25, 125, 100), "{backend}");
                    refused += 1;
                }
                Err(other) => panic!("{backend}: {other}"),
            }
        }
        assert_eq!((ok, refused), (4, 4), "{backend}");
        assert_eq!(
            store.rows_for_tests("cards").await.unwrap(),
            100,
            "{backend}"
        );
        let message = store
            .add_cards(user, deck, alphagrams(&["ONEMORE"]), NOW_MS, 100)
            .await
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "adding 1 cards would make 101, over the limit of 100 cards per player; delete some cards or add fewer"
        );
        // Cards already there cost nothing, even at the cap.
        let mut held = store.cards(user, deck).await.unwrap();
        held.extend(store.cards(user, other).await.unwrap());
        let present = store
            .add_cards(
                user,
                held[0].deck,
                alphagrams(&[&held[0].front]),
                NOW_MS,
                100,
            )
            .await
            .unwrap();
        assert_eq!((present.added, present.present), (0, 1), "{backend}");
    }
}

#[tokio::test]
async fn deleting_a_player_removes_decks_cards_and_reviews() {
    for backend in backends("deleting_a_player_removes_decks_cards_and_reviews") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        let (bob, bobs) = player_with_deck(&store, "bob").await;
        for (player, deck) in [(user, deck), (bob, bobs)] {
            store
                .add_cards(player, deck, alphagrams(&["AEINRST"]), NOW_MS, CAP)
                .await
                .unwrap();
            let card = card_named(&store, player, deck, "AEINRST").await;
            grade(&store, player, &card, Rating::Good, NOW_MS)
                .await
                .unwrap();
            store.save_parameters(player, &fit(), NOW).await.unwrap();
        }
        store.delete_user(user).await.unwrap();
        for table in ["decks", "cards", "reviews", "review_parameters"] {
            assert_eq!(
                store.rows_for_tests(table).await.unwrap(),
                1,
                "{backend}: {table}"
            );
        }
        assert_eq!(store.review_history(bob).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn decks_parameters_and_moves_round_trip() {
    for backend in backends("decks_parameters_and_moves_round_trip") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        let taken = store
            .create_deck(user, "CSW24", "Sevens", &DeckSettings::default(), NOW)
            .await;
        assert!(
            matches!(taken, Err(DeckError::Store(StoreError::Conflict(_)))),
            "{backend}"
        );
        let settings = DeckSettings {
            desired_retention: 0.85,
            new_per_day: 50,
            ..DeckSettings::default()
        };
        let second = store
            .create_deck(user, "CSW24", "Eights", &DeckSettings::default(), NOW)
            .await
            .unwrap();
        store
            .change_deck(user, second, "Bingos", Some(&settings))
            .await
            .unwrap();
        store
            .add_cards(user, deck, alphagrams(&["AEINRST", "DEILNOS"]), NOW_MS, CAP)
            .await
            .unwrap();
        store
            .add_cards(user, second, alphagrams(&["AEINRST"]), NOW_MS, CAP)
            .await
            .unwrap();
        let decks = store.decks(user).await.unwrap();
        let names: Vec<(&str, i64)> = decks.iter().map(|d| (d.name.as_str(), d.cards)).collect();
        assert_eq!(names, [("Bingos", 1), ("Sevens", 2)], "{backend}");
        assert_eq!(decks[0].settings, settings);

        // Moving: the card the target already has stays put.
        let cards = store.cards(user, deck).await.unwrap();
        let ids: Vec<CardId> = cards.iter().map(|c| c.id).collect();
        assert_eq!(
            store.move_cards(user, ids, second).await.unwrap(),
            1,
            "{backend}"
        );
        let (bob, _) = player_with_deck(&store, "bob").await;
        assert!(
            store
                .move_cards(bob, vec![cards[0].id], second)
                .await
                .is_err()
        );
        assert_eq!(store.delete_cards(bob, vec![cards[0].id]).await.unwrap(), 0);
        assert_eq!(store.deck(user, second).await.unwrap().cards, 2);
        store.delete_deck(user, deck).await.unwrap();
        assert_eq!(store.rows_for_tests("cards").await.unwrap(), 2, "{backend}");

        assert_eq!(
            store.parameters(user, ModelVersion::Fsrs6).await.unwrap(),
            None
        );
        store.save_parameters(user, &fit(), NOW).await.unwrap();
        let mut refit = fit();
        refit.reviews = 2000;
        store.save_parameters(user, &refit, NOW + 7).await.unwrap();
        let stored = store
            .parameters(user, ModelVersion::Fsrs6)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (stored.fit, stored.fitted_at),
            (refit, NOW + 7),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn the_decks_migration_applies_on_a_database_at_the_previous_version() {
    for backend in backends("the_decks_migration_applies_on_a_database_at_the_previous_version") {
        let db = TestDatabase::new(backend).await;
        let store = Store::connect(&db.url).await.unwrap();
        let at = MIGRATIONS.iter().position(|m| m.name == "decks").unwrap();
        let previous = &MIGRATIONS[..at];
        store.migrate_with(previous, NOW).await.unwrap();
        let user = store.create_user("alice", "hash", NOW).await.unwrap().id;
        let applied = store.migrate(NOW).await.unwrap();
        let names: Vec<&str> = applied.iter().map(|m| m.name).collect();
        assert_eq!(names.first(), Some(&"decks"), "{backend}");
        assert_eq!(names.len(), MIGRATIONS.len() - at, "{backend}");
        let deck = store
            .create_deck(user, "CSW24", "Sevens", &DeckSettings::default(), NOW)
            .await
            .unwrap();
        let added = store
            .add_cards(user, deck, alphagrams(&["AEINRST"]), NOW_MS, CAP)
            .await
            .unwrap();
        assert_eq!(added.added, 1, "{backend}");
    }
}

#[tokio::test]
async fn settings_and_schedules_that_would_not_read_back_are_refused() {
    for backend in backends("settings_and_schedules_that_would_not_read_back_are_refused") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        let bad = DeckSettings {
            desired_retention: 0.5,
            ..DeckSettings::default()
        };
        let refused = store
            .create_deck(user, "CSW24", "Loose", &bad, NOW)
            .await
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "deck settings refused: desired retention must be from 0.70 to 0.97, not 0.5"
        );
        let refused = store.change_deck(user, deck, "Sevens", Some(&bad)).await;
        assert!(matches!(refused, Err(DeckError::Invalid(_))), "{backend}");
        assert_eq!(store.decks(user).await.unwrap().len(), 1, "{backend}");

        store
            .add_cards(user, deck, alphagrams(&["AEINRST"]), NOW_MS, CAP)
            .await
            .unwrap();
        let card = card_named(&store, user, deck, "AEINRST").await;
        let number = u64::try_from(card.id.0).unwrap();
        let mut log = scheduler()
            .review(number, &card.schedule, Rating::Good, NOW_MS, 0)
            .unwrap()
            .log;
        let mut elsewhere = log.clone();
        elsewhere.before.reps = 7;
        let refused = store
            .record_review(user, &card, card.version, elsewhere)
            .await;
        assert!(matches!(refused, Err(DeckError::Invalid(_))), "{backend}");
        log.after.memory = None;
        let refused = store
            .record_review(user, &card, card.version, log)
            .await
            .unwrap_err();
        assert!(
            refused
                .to_string()
                .starts_with("review log entry refused: after the review"),
            "{backend}: {refused}"
        );
        assert_eq!(store.card(user, card.id).await.unwrap(), card, "{backend}");
        assert_eq!(store.rows_for_tests("reviews").await.unwrap(), 0);
    }
}
