//! Spaced-repetition benchmarks: scheduling one review (what answering a card costs the
//! server's CPU, before any storage), the due order of postponing, and fitting a player's
//! parameters from 10,000 synthetic reviews (which runs off the request path).
//!
//! Run with `cargo bench -p tilebag-study --bench review`.

use std::sync::LazyLock;

use divan::{Bencher, black_box};
use tilebag_study::review::{
    self, DeckSettings, Parameters, Rating, ReviewLog, Schedule, Scheduler, postpone_order,
};

fn main() {
    divan::main();
}

const START: i64 = 1_767_605_400_000;

static SCHEDULER: LazyLock<Scheduler> = LazyLock::new(|| {
    Scheduler::new(&Parameters::default(), &DeckSettings::default()).expect("defaults are valid")
});
static TEN_THOUSAND: LazyLock<Vec<ReviewLog>> =
    LazyLock::new(|| review::simulate(1000, 10_000, START, 7));

/// A card in review, as most reviews find it.
fn reviewed_card() -> Schedule {
    TEN_THOUSAND
        .iter()
        .rev()
        .map(|l| l.after.clone())
        .find(|s| s.state == review::CardState::Review)
        .expect("a review card")
}

#[divan::bench]
fn review_a_card(bencher: Bencher) {
    let card = reviewed_card();
    let now = card.due;
    bencher.bench(|| {
        SCHEDULER
            .review(black_box(42), black_box(&card), Rating::Good, now, 5000)
            .expect("reviews")
    });
}

#[divan::bench]
fn review_a_new_card(bencher: Bencher) {
    let card = Schedule::new_card(START);
    bencher.bench(|| {
        SCHEDULER
            .review(black_box(42), black_box(&card), Rating::Good, START, 5000)
            .expect("reviews")
    });
}

#[divan::bench]
fn preview_four_grades(bencher: Bencher) {
    let card = reviewed_card();
    bencher.bench(|| {
        SCHEDULER
            .outcomes(black_box(42), black_box(&card), card.due)
            .expect("outcomes")
    });
}

#[divan::bench]
fn postpone_order_of_1000_cards(bencher: Bencher) {
    let mut latest = std::collections::BTreeMap::new();
    for log in TEN_THOUSAND.iter() {
        latest.insert(log.card, log.after.clone());
    }
    let cards: Vec<(u64, Schedule)> = latest.into_iter().collect();
    let now = cards.iter().map(|(_, s)| s.due).max().expect("cards");
    bencher.bench(|| postpone_order(&SCHEDULER, black_box(&cards), now));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn fit_10000_reviews(bencher: Bencher) {
    let logs = &*TEN_THOUSAND;
    bencher.bench(|| review::fit(black_box(logs)).expect("fits"));
}
