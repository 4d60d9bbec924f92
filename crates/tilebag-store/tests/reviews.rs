//! Reviews: the due queue, grades and undo, each story run against each backend: SQLite
//! always, PostgreSQL when configured. Times are passed in, so the stories move through days
//! by choosing them.

mod study;

use study::{CAP, NOW, NOW_MS, alphagrams, card_named, grade, migrated, player_with_deck};
use tilebag_store::testing::backends;
use tilebag_store::{DeckError, Scope, StoreError};
use tilebag_study::review::{DAY_MS, DeckSettings, Rating};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_parallel_grades_of_one_card_exactly_one_applies() {
    for backend in backends("two_parallel_grades_of_one_card_exactly_one_applies") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        store
            .add_cards(user, deck, alphagrams(&["AEINRST"]), NOW_MS, CAP)
            .await
            .unwrap();
        let card = card_named(&store, user, deck, "AEINRST").await;
        let tabs: Vec<_> = [Rating::Good, Rating::Again]
            .into_iter()
            .map(|rating| {
                let (store, card) = (store.clone(), card.clone());
                tokio::spawn(async move { grade(&store, user, &card, rating, NOW_MS + 5000).await })
            })
            .collect();
        let mut applied = Vec::new();
        for tab in tabs {
            match tab.await.unwrap() {
                Ok(after) => applied.push(after),
                Err(DeckError::Stale {
                    card: c,
                    expected,
                    found,
                }) => {
                    assert_eq!((c, expected, found), (card.id, 0, 1), "{backend}");
                }
                Err(other) => panic!("{backend}: {other}"),
            }
        }
        assert_eq!(applied.len(), 1, "{backend}: exactly one grade applies");
        let now = store.card(user, card.id).await.unwrap();
        assert_eq!(now.schedule, applied[0], "{backend}");
        assert_eq!(now.version, 1);
        assert_eq!(store.card_reviews(user, card.id).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_grade_of_another_players_card_is_not_found_and_changes_nothing() {
    for backend in backends("a_grade_of_another_players_card_is_not_found_and_changes_nothing") {
        let (_db, store) = migrated(backend).await;
        let (alice, deck) = player_with_deck(&store, "alice").await;
        let (mallory, _) = player_with_deck(&store, "mallory").await;
        store
            .add_cards(alice, deck, alphagrams(&["AEINRST"]), NOW_MS, CAP)
            .await
            .unwrap();
        let card = card_named(&store, alice, deck, "AEINRST").await;
        let refused = grade(&store, mallory, &card, Rating::Good, NOW_MS + 5000).await;
        assert!(
            matches!(refused, Err(DeckError::Store(StoreError::NotFound))),
            "{backend}: {refused:?}"
        );
        assert_eq!(store.card(alice, card.id).await.unwrap(), card, "{backend}");
        assert!(store.card_reviews(alice, card.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn undo_restores_the_exact_schedule_and_removes_the_log_entry() {
    for backend in backends("undo_restores_the_exact_schedule_and_removes_the_log_entry") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        store
            .add_cards(user, deck, alphagrams(&["AEINRST", "DEILNOS"]), NOW_MS, CAP)
            .await
            .unwrap();
        let card = card_named(&store, user, deck, "AEINRST").await;
        let new = card.schedule.clone();
        let first = grade(&store, user, &card, Rating::Good, NOW_MS + 60_000)
            .await
            .unwrap();
        let card = store.card(user, card.id).await.unwrap();
        grade(&store, user, &card, Rating::Easy, NOW_MS + DAY_MS)
            .await
            .unwrap();
        // The other card's review is later: undoing "this card's last" must skip it.
        let other = card_named(&store, user, deck, "DEILNOS").await;
        grade(&store, user, &other, Rating::Hard, NOW_MS + 2 * DAY_MS)
            .await
            .unwrap();

        let undone = store.undo_review(user, Some(card.id)).await.unwrap();
        assert_eq!(undone.card.schedule, first, "{backend}: exactly as before");
        assert_eq!(undone.log.rating, Rating::Easy);
        let stored = store.card(user, card.id).await.unwrap();
        assert_eq!((stored.schedule, stored.version), (first, 3), "{backend}");
        assert_eq!(store.card_reviews(user, card.id).await.unwrap().len(), 1);

        // The player's last review, of any card, is the other card's.
        let undone = store.undo_review(user, None).await.unwrap();
        assert_eq!(undone.card.id, other.id, "{backend}");
        assert_eq!(undone.card.schedule, other.schedule);
        let undone = store.undo_review(user, None).await.unwrap();
        assert_eq!(
            undone.card.schedule, new,
            "{backend}: new again, due when added"
        );
        assert_eq!(store.rows_for_tests("reviews").await.unwrap(), 0);
        assert!(matches!(
            store.undo_review(user, None).await,
            Err(DeckError::Store(StoreError::NotFound))
        ));

        // A card changed after its review (suspended) cannot have it undone.
        let card = store.card(user, card.id).await.unwrap();
        grade(&store, user, &card, Rating::Good, NOW_MS)
            .await
            .unwrap();
        store
            .suspend_cards(user, vec![card.id], true)
            .await
            .unwrap();
        let refused = store.undo_review(user, None).await.unwrap_err();
        assert!(
            matches!(refused, DeckError::Review(_)),
            "{backend}: {refused}"
        );
        assert_eq!(store.rows_for_tests("reviews").await.unwrap(), 1);
    }
}

#[tokio::test]
async fn the_due_queue_orders_by_due_then_new_and_respects_suspension_and_the_new_limit() {
    for backend in
        backends("the_due_queue_orders_by_due_then_new_and_respects_suspension_and_the_new_limit")
    {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        let fronts = ["A", "B", "C", "D", "E", "F", "G", "H"];
        for (i, front) in fronts.iter().enumerate() {
            // Added one minute apart: new cards come in the order they were added.
            let at = NOW_MS + i64::try_from(i).unwrap() * 60_000;
            store
                .add_cards(user, deck, alphagrams(&[front]), at, CAP)
                .await
                .unwrap();
        }
        // D, then B, then A are graded; their learning steps make them due in that order
        // (Again: one minute, Hard: about six, Good: ten).
        let start = NOW_MS + DAY_MS;
        for (front, rating) in [
            ("A", Rating::Good),
            ("B", Rating::Hard),
            ("D", Rating::Again),
        ] {
            let card = card_named(&store, user, deck, front).await;
            grade(&store, user, &card, rating, start).await.unwrap();
        }
        let c = card_named(&store, user, deck, "C").await;
        let e = card_named(&store, user, deck, "E").await;
        store
            .suspend_cards(user, vec![c.id, e.id], true)
            .await
            .unwrap();

        let later = start + DAY_MS;
        let queue = store
            .due_queue(user, Scope::Deck(deck), later, 2, 10)
            .await
            .unwrap();
        let order: Vec<&str> = queue.cards.iter().map(|c| c.front.as_str()).collect();
        assert_eq!(order, ["D", "B", "A", "F", "G"], "{backend}");
        assert_eq!(
            (queue.due, queue.learning, queue.new),
            (0, 3, 2),
            "{backend}"
        );

        // Before any step ends only new cards are there; a small limit cuts the queue.
        let queue = store
            .due_queue(user, Scope::Deck(deck), start, 20, 2)
            .await
            .unwrap();
        let order: Vec<&str> = queue.cards.iter().map(|c| c.front.as_str()).collect();
        assert_eq!(order, ["F", "G"], "{backend}");
        assert_eq!((queue.learning, queue.new), (0, 3), "{backend}: F, G, H");

        // Brought back, C is new again in its place; all decks include another deck's card
        // but never another player's.
        store.suspend_cards(user, vec![c.id], false).await.unwrap();
        let second = store
            .create_deck(user, "CSW24", "Eights", &DeckSettings::default(), NOW)
            .await
            .unwrap();
        store
            .add_cards(user, second, alphagrams(&["AAAAAAAA"]), NOW_MS - 1, CAP)
            .await
            .unwrap();
        let (bob, bobs) = player_with_deck(&store, "bob").await;
        store
            .add_cards(bob, bobs, alphagrams(&["BOB"]), NOW_MS - 2, CAP)
            .await
            .unwrap();
        let queue = store
            .due_queue(user, Scope::All, later, 3, 10)
            .await
            .unwrap();
        let order: Vec<&str> = queue.cards.iter().map(|c| c.front.as_str()).collect();
        assert_eq!(order, ["D", "B", "A", "AAAAAAAA", "C", "F"], "{backend}");
        let bobs_queue = store.due_queue(bob, Scope::Deck(deck), later, 3, 10).await;
        assert!(
            matches!(bobs_queue, Err(DeckError::Store(StoreError::NotFound))),
            "{backend}: not bob's deck"
        );
        // Once reviewed into days, a card counts as due, not learning.
        let a = card_named(&store, user, deck, "A").await;
        grade(&store, user, &a, Rating::Easy, later).await.unwrap();
        let queue = store
            .due_queue(user, Scope::Deck(deck), later + 400 * DAY_MS, 0, 10)
            .await
            .unwrap();
        assert_eq!(
            (queue.due, queue.learning, queue.new),
            (1, 2, 0),
            "{backend}"
        );
        assert_eq!(queue.cards.len(), 3);
    }
}

#[tokio::test]
async fn new_cards_reviewed_since_count_what_the_new_limit_used() {
    for backend in backends("new_cards_reviewed_since_count_what_the_new_limit_used") {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        let second = store
            .create_deck(user, "CSW24", "Eights", &DeckSettings::default(), NOW)
            .await
            .unwrap();
        store
            .add_cards(user, deck, alphagrams(&["A", "B", "C"]), NOW_MS, CAP)
            .await
            .unwrap();
        store
            .add_cards(user, second, alphagrams(&["D"]), NOW_MS, CAP)
            .await
            .unwrap();
        // Yesterday's new card does not count today.
        let yesterday = card_named(&store, user, deck, "C").await;
        grade(&store, user, &yesterday, Rating::Good, NOW_MS)
            .await
            .unwrap();
        let today = NOW_MS + DAY_MS;
        for (deck, front) in [(deck, "A"), (deck, "B"), (second, "D")] {
            let card = card_named(&store, user, deck, front).await;
            grade(&store, user, &card, Rating::Again, today)
                .await
                .unwrap();
        }
        // A learning card reviewed again is not new again.
        let a = card_named(&store, user, deck, "A").await;
        grade(&store, user, &a, Rating::Good, today + 60_000)
            .await
            .unwrap();
        let count = |scope| store.new_cards_reviewed_since(user, scope, today);
        assert_eq!(count(Scope::Deck(deck)).await.unwrap(), 2, "{backend}");
        assert_eq!(count(Scope::All).await.unwrap(), 3, "{backend}");
        let b = card_named(&store, user, deck, "B").await;
        store.undo_review(user, Some(b.id)).await.unwrap();
        assert_eq!(
            count(Scope::Deck(deck)).await.unwrap(),
            1,
            "{backend}: B is new again"
        );
    }
}
