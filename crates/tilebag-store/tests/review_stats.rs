//! Review statistics and the daily leaderboard, each story run against each backend.
//! Days here are UTC days; the server passes its own time zone's boundaries.

mod study;

use study::{CAP, NOW, NOW_MS, alphagrams, card_named, grade, migrated, player_with_deck};
use tilebag_store::testing::backends;
use tilebag_store::{
    CardCounts, DeckError, LeaderboardRow, Retention, Scope, StatsDays, Store, StoreError, UserId,
};
use tilebag_study::review::{DAY_MS, DeckSettings, Rating};

/// The start of the stories' today.
const TODAY: i64 = NOW_MS - NOW_MS % DAY_MS;

/// Thirty days up to and including today, and the thirty from today.
fn days() -> StatsDays {
    StatsDays {
        past: (0..=30).map(|i| TODAY + (i - 29) * DAY_MS).collect(),
        future: (1..=30).map(|i| TODAY + i * DAY_MS).collect(),
    }
}

/// `day` days from today (negative: before), one hour in.
fn on(day: i64) -> i64 {
    TODAY + day * DAY_MS + 3_600_000
}

async fn grade_named(store: &Store, user: UserId, front: &str, rating: Rating, at: i64) {
    let deck = store.decks(user).await.unwrap()[0].id;
    let card = card_named(store, user, deck, front).await;
    grade(store, user, &card, rating, at).await.unwrap();
}

#[tokio::test]
async fn stats_count_the_forecast_grades_by_day_retention_and_states_of_a_deck_or_all() {
    for backend in
        backends("stats_count_the_forecast_grades_by_day_retention_and_states_of_a_deck_or_all")
    {
        let (_db, store) = migrated(backend).await;
        let (user, deck) = player_with_deck(&store, "alice").await;
        store
            .add_cards(
                user,
                deck,
                alphagrams(&["A", "B", "C", "D"]),
                NOW_MS - 5 * DAY_MS,
                CAP,
            )
            .await
            .unwrap();
        for (front, rating) in [
            ("A", Rating::Good),
            ("B", Rating::Again),
            ("C", Rating::Easy),
        ] {
            grade_named(&store, user, front, rating, on(-3)).await;
        }
        // C was in review: forgotten. A graduates, then is recalled in review today.
        grade_named(&store, user, "C", Rating::Again, on(-1)).await;
        grade_named(&store, user, "A", Rating::Good, on(-1)).await;
        grade_named(&store, user, "A", Rating::Good, on(0)).await;
        let b = card_named(&store, user, deck, "B").await;
        store.suspend_cards(user, vec![b.id], true).await.unwrap();
        // Another player's and an older review count nowhere.
        let (other, other_deck) = player_with_deck(&store, "bob").await;
        store
            .add_cards(other, other_deck, alphagrams(&["A"]), NOW_MS, CAP)
            .await
            .unwrap();
        grade_named(&store, other, "A", Rating::Hard, on(0)).await;
        grade_named(&store, user, "D", Rating::Hard, on(-40)).await;

        let stats = store
            .review_stats(user, Scope::Deck(deck), &days())
            .await
            .unwrap();
        assert_eq!(stats.reviews.len(), 30, "{backend}");
        let mut by_day = vec![[0; 4]; 30];
        by_day[26] = [1, 0, 1, 1];
        by_day[28] = [1, 0, 1, 0];
        by_day[29] = [0, 0, 1, 0];
        assert_eq!(stats.reviews, by_day, "{backend}: index 29 is today");
        assert_eq!(
            stats.retention,
            Retention {
                reviews: 2,
                recalled: 1
            },
            "{backend}: C forgotten and A recalled in review"
        );
        assert_eq!(
            stats.cards,
            CardCounts {
                new: 0,
                learning: 1,
                review: 1,
                relearning: 1,
                suspended: 1
            },
            "{backend}: D learning since day -40, B suspended"
        );
        // Expected from each card's own due time: C and D are overdue, so today.
        let mut forecast = vec![0; 30];
        for front in ["A", "C", "D"] {
            let due = card_named(&store, user, deck, front).await.schedule.due;
            let day = days().future.iter().position(|&end| due < end);
            if let Some(day) = day {
                forecast[day] += 1;
            }
        }
        assert!(forecast[0] >= 2, "{backend}: {forecast:?}");
        assert!(
            forecast.iter().sum::<i64>() == 3,
            "{backend}: A is due within the month"
        );
        assert_eq!(stats.forecast, forecast, "{backend}");

        // All decks take in another deck's card; a deck sees only its own.
        let second = store
            .create_deck(user, "CSW24", "Eights", &DeckSettings::default(), NOW)
            .await
            .unwrap();
        store
            .add_cards(user, second, alphagrams(&["E", "F"]), NOW_MS, CAP)
            .await
            .unwrap();
        let e = card_named(&store, user, second, "E").await;
        grade(&store, user, &e, Rating::Again, on(0)).await.unwrap();
        let all = store.review_stats(user, Scope::All, &days()).await.unwrap();
        assert_eq!(all.reviews[29], [1, 0, 1, 0], "{backend}");
        assert_eq!((all.cards.new, all.cards.learning), (1, 2), "{backend}");
        assert_eq!(all.forecast[0], forecast[0] + 1, "{backend}");
        let deck_only = store
            .review_stats(user, Scope::Deck(deck), &days())
            .await
            .unwrap();
        assert_eq!(deck_only, stats, "{backend}");
    }
}

#[tokio::test]
async fn stats_refuse_another_players_deck_and_days_out_of_order() {
    for backend in backends("stats_refuse_another_players_deck_and_days_out_of_order") {
        let (_db, store) = migrated(backend).await;
        let (alice, _) = player_with_deck(&store, "alice").await;
        let (_, bobs) = player_with_deck(&store, "bob").await;
        let refused = store.review_stats(alice, Scope::Deck(bobs), &days()).await;
        assert!(
            matches!(refused, Err(DeckError::Store(StoreError::NotFound))),
            "{backend}: {refused:?}"
        );
        let mut backwards = days();
        backwards.past.reverse();
        let refused = store
            .review_stats(alice, Scope::All, &backwards)
            .await
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the past days of the statistics must be in order"
        );
        let none = StatsDays {
            past: vec![TODAY],
            future: vec![TODAY + DAY_MS],
        };
        assert!(matches!(
            store.review_stats(alice, Scope::All, &none).await,
            Err(DeckError::Invalid(_))
        ));
    }
}

#[tokio::test]
async fn the_leaderboard_ranks_players_who_opted_in_by_distinct_cards_reviewed_that_day() {
    for backend in
        backends("the_leaderboard_ranks_players_who_opted_in_by_distinct_cards_reviewed_that_day")
    {
        let (_db, store) = migrated(backend).await;
        let fronts = ["A", "B", "C", "D", "E"];
        for (name, opted_in, cards) in [("alice", true, 2), ("bob", true, 3), ("carol", false, 5)] {
            let (user, deck) = player_with_deck(&store, name).await;
            store
                .update_settings(user, None, "{}", opted_in)
                .await
                .unwrap();
            store
                .add_cards(user, deck, alphagrams(&fronts), NOW_MS - 2 * DAY_MS, CAP)
                .await
                .unwrap();
            for front in &fronts[..cards] {
                grade_named(&store, user, front, Rating::Again, on(0)).await;
            }
            // Yesterday's reviews are another day's.
            grade_named(&store, user, "E", Rating::Good, on(-1)).await;
        }
        // Alice reviews one card twice more: more reviews, not more cards.
        let alice = store.user_by_name("alice").await.unwrap().id;
        grade_named(&store, alice, "A", Rating::Good, on(0) + 60_000).await;
        grade_named(&store, alice, "A", Rating::Good, on(0) + 120_000).await;

        let board = store
            .review_leaderboard(TODAY, TODAY + DAY_MS, 10)
            .await
            .unwrap();
        let row = |name: &str, cards, reviews| LeaderboardRow {
            username: name.to_owned(),
            cards,
            reviews,
        };
        assert_eq!(
            board,
            [row("bob", 3, 3), row("alice", 2, 4)],
            "{backend}: carol did not opt in"
        );
        let top = store
            .review_leaderboard(TODAY, TODAY + DAY_MS, 1)
            .await
            .unwrap();
        assert_eq!(top, [row("bob", 3, 3)], "{backend}");
        let yesterday = store
            .review_leaderboard(TODAY - DAY_MS, TODAY, 10)
            .await
            .unwrap();
        assert_eq!(
            yesterday,
            [row("alice", 1, 1), row("bob", 1, 1)],
            "{backend}: ties by name"
        );
    }
}

#[tokio::test]
async fn stats_and_leaderboard_queries_read_through_indexes_on_sqlite() {
    let (_db, store) = migrated("sqlite").await;
    let (user, deck) = player_with_deck(&store, "alice").await;
    for scope in [Scope::All, Scope::Deck(deck)] {
        let plans = store
            .review_stats_plans_for_tests(user, scope, &days())
            .await
            .unwrap();
        assert_eq!(plans.len(), 5);
        // The one scan allowed is of the partial index of the players on the leaderboard.
        for plan in &plans {
            for step in plan.split("; ").filter(|step| step.starts_with("SCAN")) {
                assert_eq!(
                    step, "SCAN u USING INDEX users_on_review_leaderboard",
                    "{scope:?}: a full scan in “{plan}”"
                );
            }
        }
        let indexes = plans.join("\n");
        for index in ["reviews_of_player", "cards_by_state_", "cards_due_"] {
            assert!(indexes.contains(index), "{scope:?}: {indexes}");
        }
    }
}
