//! What the deck and review stories share.
#![allow(dead_code)] // Reason: each test binary uses a part.

use tilebag_store::testing::TestDatabase;
use tilebag_store::{CardKind, DeckError, DeckId, Store, StoredCard, UserId};
use tilebag_study::review::{
    DeckSettings, Evaluation, Fit, Parameters, Rating, Schedule, Scheduler,
};

/// The stories' "now" (Unix seconds, November 2026), and in milliseconds.
pub const NOW: i64 = 1_795_000_000;
pub const NOW_MS: i64 = NOW * 1000;
/// No cap to speak of.
pub const CAP: i64 = 200_000;

pub async fn migrated(backend: &str) -> (TestDatabase, Store) {
    let db = TestDatabase::new(backend).await;
    let store = Store::connect(&db.url).await.expect("connect");
    store.migrate(NOW).await.expect("migrate");
    (db, store)
}

/// A player with one empty CSW24 deck.
pub async fn player_with_deck(store: &Store, name: &str) -> (UserId, DeckId) {
    let user = store.create_user(name, "hash", NOW).await.unwrap().id;
    let deck = store
        .create_deck(user, "CSW24", "Sevens", &DeckSettings::default(), NOW)
        .await
        .unwrap();
    (user, deck)
}

pub fn alphagrams(fronts: &[&str]) -> Vec<(CardKind, String)> {
    fronts
        .iter()
        .map(|f| (CardKind::Alphagram, (*f).to_owned()))
        .collect()
}

pub fn scheduler() -> Scheduler {
    Scheduler::new(&Parameters::default(), &DeckSettings::default()).unwrap()
}

/// Grades `card` as it was read, at `now`.
pub async fn grade(
    store: &Store,
    user: UserId,
    card: &StoredCard,
    rating: Rating,
    now: i64,
) -> Result<Schedule, DeckError> {
    let number = u64::try_from(card.id.0).unwrap();
    let reviewed = scheduler()
        .review(number, &card.schedule, rating, now, 1500)
        .unwrap();
    let after = reviewed.log.after.clone();
    store
        .record_review(user, card, card.version, reviewed.log)
        .await?;
    Ok(after)
}

pub async fn card_named(store: &Store, user: UserId, deck: DeckId, front: &str) -> StoredCard {
    let cards = store.cards(user, deck).await.unwrap();
    cards.into_iter().find(|c| c.front == front).unwrap()
}

pub fn fit() -> Fit {
    let mut parameters = Parameters::default();
    parameters.weights[0] = 0.5;
    Fit {
        parameters,
        fitted: Evaluation {
            log_loss: 0.31,
            rmse: 0.042,
        },
        default: Evaluation {
            log_loss: 0.35,
            rmse: 0.061,
        },
        reviews: 1234,
    }
}
