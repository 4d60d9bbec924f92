//! Importing cards with their own schedules (a Zyzzyva cardbox), each story on each backend.

mod study;

use study::{CAP, NOW_MS, card_named, grade, migrated, player_with_deck};
use tilebag_store::testing::backends;
use tilebag_store::{CardKind, DeckError};
use tilebag_study::review::{CardState, DAY_MS, MemoryState, Rating, Schedule};

/// A card in review, due `days` from now.
fn reviewed(days: i64) -> Schedule {
    Schedule {
        state: CardState::Review,
        memory: Some(MemoryState {
            stability: 12.0,
            difficulty: 4.5,
        }),
        due: NOW_MS + days * DAY_MS,
        last_review: Some(NOW_MS - 3 * DAY_MS),
        step: 0,
        reps: 7,
        lapses: 1,
        leech: false,
        suspended: false,
    }
}

#[tokio::test]
async fn imported_cards_keep_their_schedules_and_cards_present_are_left_alone() {
    for backend in backends("imported_cards_keep_their_schedules_and_cards_present_are_left_alone")
    {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        store
            .add_cards(
                user,
                deck,
                vec![(CardKind::Alphagram, "AEINRST".into())],
                NOW_MS,
                CAP,
            )
            .await
            .unwrap();
        let present = card_named(&store, user, deck, "AEINRST").await;
        let graded = grade(&store, user, &present, Rating::Good, NOW_MS + 1000)
            .await
            .unwrap();

        let cards = vec![
            (CardKind::Alphagram, "AEINRST".to_owned(), reviewed(5)),
            (CardKind::Alphagram, "DEILNOS".to_owned(), reviewed(9)),
            (CardKind::Alphagram, "DEILNOS".to_owned(), reviewed(20)),
            (CardKind::Hooks, "QI".to_owned(), Schedule::new_card(NOW_MS)),
        ];
        let added = store
            .import_cards(user, deck, cards, NOW_MS + DAY_MS, CAP)
            .await
            .unwrap();
        assert_eq!((added.added, added.present), (2, 1), "{backend}");
        let kept = store.card(user, present.id).await.unwrap();
        assert_eq!(
            kept.schedule, graded,
            "{backend}: the card present kept its schedule"
        );
        let imported = card_named(&store, user, deck, "DEILNOS").await;
        assert_eq!(
            imported.schedule,
            reviewed(9),
            "{backend}: the first of two is taken"
        );
        assert_eq!(imported.added_at, NOW_MS + DAY_MS, "{backend}");
        let due = store
            .due_review_cards(user, deck, NOW_MS + 9 * DAY_MS)
            .await
            .unwrap();
        assert!(
            due.iter().any(|c| c.front == "DEILNOS"),
            "{backend}: the due queue reads the imported due date"
        );
        let early = store
            .due_review_cards(user, deck, NOW_MS + 8 * DAY_MS)
            .await
            .unwrap();
        assert!(early.iter().all(|c| c.front != "DEILNOS"), "{backend}");
    }
}

#[tokio::test]
async fn an_import_over_the_card_cap_adds_nothing() {
    for backend in backends("an_import_over_the_card_cap_adds_nothing") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        let cards: Vec<_> = (0..450)
            .map(|i| (CardKind::Alphagram, format!("C{i:04}"), reviewed(i % 30)))
            .collect();
        let refused = store.import_cards(user, deck, cards, NOW_MS, 400).await;
        assert!(
            matches!(
                refused,
                Err(DeckError::Cap {
                    adding: 450,
                    total: 450,
                    limit: 400
                })
            ),
            "{backend}: {refused:?}"
        );
        assert!(
            store.cards(user, deck).await.unwrap().is_empty(),
            "{backend}"
        );
    }
}
