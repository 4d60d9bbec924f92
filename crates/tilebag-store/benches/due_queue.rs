//! The due queue of a large deck: one player with one deck of 100,000 cards in a realistic
//! mix (60% in review, due over a year from a month ago; 5% learning, due within minutes;
//! 35% new; 3% suspended), written through the store itself (`add_cards`, then
//! `reschedule`) into a real SQLite file migrated by `Store::migrate`. Measures the queue
//! the review page asks for (20 cards, up to 20 new) of the deck and of all the player's
//! decks.
//!
//! Run with `cargo bench -p tilebag-store --bench due_queue`; `BACKEND=postgres` (with
//! `TILEBAG_TEST_POSTGRES_URL`) measures PostgreSQL instead.

use std::sync::OnceLock;
use std::time::Instant;

use divan::{Bencher, black_box};
use tilebag_store::testing::TestDatabase;
use tilebag_store::{CardKind, DeckId, Scope, Store, UserId};
use tilebag_study::review::{CardState, DAY_MS, DeckSettings, MemoryState, Schedule};

/// "Now" (Unix seconds, November 2026), and in milliseconds.
const NOW: i64 = 1_795_000_000;
const NOW_MS: i64 = NOW * 1000;
const CARDS: u64 = 100_000;
const MINUTE_MS: i64 = 60_000;

/// The deck the benches read, on a runtime that only runs when they call it.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    store: Store,
    user: UserId,
    deck: DeckId,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

fn main() {
    let backend = std::env::var("BACKEND").unwrap_or_else(|_| "sqlite".to_owned());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let (db, store, user, deck) = runtime.block_on(build(&backend));
    println!(
        "{backend}: a deck of {CARDS} cards built in {:.1?}",
        started.elapsed()
    );
    let queue = runtime
        .block_on(store.due_queue(user, Scope::Deck(deck), NOW_MS, 20, 20))
        .expect("queue");
    println!(
        "its queue now: {} cards shown; {} due, {} learning, {} new",
        queue.cards.len(),
        queue.due,
        queue.learning,
        queue.new
    );
    let fixture = Fixture {
        runtime,
        store,
        user,
        deck,
    };
    if FIXTURE.set(fixture).is_err() {
        unreachable!("the fixture is set once");
    }
    divan::main();
    // The database (a temporary directory or a PostgreSQL database) goes with it.
    drop(db);
}

/// A number from 0 to 99 for card `i` and purpose `salt`, the same on every run.
fn percent(i: u64, salt: u64) -> u64 {
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 29;
    x % 100
}

/// What card `i` has become: new (`None` unless suspended), learning or in review.
fn schedule_of(i: u64, added: &Schedule) -> Option<Schedule> {
    let suspended = percent(i, 3) < 3;
    let spread = i64::try_from(i % 1000).unwrap_or(0);
    let share = percent(i, 1);
    let mut schedule = added.clone();
    schedule.suspended = suspended;
    if share < 60 {
        // Due from a month ago to eleven months ahead, last seen one interval before.
        let due = NOW_MS - 30 * DAY_MS + spread * 365 * DAY_MS / 1000;
        let interval_days = 1 + spread % 200;
        schedule.state = CardState::Review;
        schedule.due = due;
        schedule.last_review = Some(due - interval_days * DAY_MS);
        schedule.memory = Some(MemoryState {
            stability: interval_days as f32,
            difficulty: 5.0,
        });
        schedule.reps = 3 + (i % 10) as u32;
    } else if share < 65 {
        schedule.state = CardState::Learning;
        schedule.due = NOW_MS - 5 * MINUTE_MS + spread * 15 * MINUTE_MS / 1000;
        schedule.last_review = Some(schedule.due - MINUTE_MS);
        schedule.memory = Some(MemoryState {
            stability: 0.5,
            difficulty: 6.0,
        });
        schedule.reps = 1;
    } else if !suspended {
        return None;
    }
    Some(schedule)
}

async fn build(backend: &str) -> (TestDatabase, Store, UserId, DeckId) {
    let db = TestDatabase::new(backend).await;
    let store = Store::connect(&db.url).await.expect("connect");
    store.migrate(NOW).await.expect("migrate");
    let user = store
        .create_user("reviewer", "hash", NOW)
        .await
        .expect("user")
        .id;
    let deck = store
        .create_deck(user, "CSW24", "Everything", &DeckSettings::default(), NOW)
        .await
        .expect("deck");
    let fronts = (0..CARDS)
        .map(|i| (CardKind::Alphagram, format!("C{i:06}")))
        .collect();
    let added_at = NOW_MS - 400 * DAY_MS;
    store
        .add_cards(user, deck, fronts, added_at, 200_000)
        .await
        .expect("cards");
    let cards = store.cards(user, deck).await.expect("cards");
    let changes: Vec<_> = cards
        .iter()
        .zip(0..)
        .filter_map(|(card, i)| Some((card.id, card.version, schedule_of(i, &card.schedule)?)))
        .collect();
    store.reschedule(user, changes).await.expect("schedules");
    (db, store, user, deck)
}

fn bench_queue(bencher: Bencher, scope: fn(DeckId) -> Scope) {
    let f = FIXTURE.get().expect("fixture");
    bencher.bench(|| {
        f.runtime
            .block_on(
                f.store
                    .due_queue(f.user, black_box(scope(f.deck)), NOW_MS, 20, 20),
            )
            .expect("queue")
    });
}

#[divan::bench]
fn queue_of_a_deck_of_100000(bencher: Bencher) {
    bench_queue(bencher, Scope::Deck);
}

#[divan::bench]
fn queue_of_all_decks_100000_cards(bencher: Bencher) {
    bench_queue(bencher, |_| Scope::All);
}
