//! A synthetic review history: a player who remembers somewhat better than FSRS's average
//! user reviews a deck, each card when it falls due. It gives the optimizer something to find,
//! and benchmarks and tests a realistic history of any size without a database.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{DeckSettings, Parameters, Rating, ReviewLog, Schedule, Scheduler};
use crate::shuffle::SplitMix64;

/// How much longer this player's memories last than FSRS's defaults predict.
const STRONGER_MEMORY: f32 = 1.6;

/// `reviews` reviews of `cards` cards (ids 1 to `cards`) added at `start`, drawn from `seed`,
/// each card reviewed when it falls due under the deck's default settings.
#[must_use]
pub fn simulate(cards: u64, reviews: usize, start: i64, seed: u64) -> Vec<ReviewLog> {
    let scheduler = match Scheduler::new(&Parameters::default(), &DeckSettings::default()) {
        Ok(s) => s,
        Err(e) => panic!("the default settings are valid: {e}"),
    };
    let mut rng = SplitMix64::new(seed);
    let mut took = SplitMix64::new(seed ^ 0x5EED);
    let mut chance = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut queue: BinaryHeap<Reverse<(i64, u64)>> =
        (1..=cards).map(|c| Reverse((start, c))).collect();
    let mut schedules: Vec<Schedule> = (0..=cards).map(|_| Schedule::new_card(start)).collect();
    let mut logs = Vec::with_capacity(reviews);
    while logs.len() < reviews {
        let Some(Reverse((now, card))) = queue.pop() else {
            break;
        };
        let index = usize::try_from(card).unwrap_or(0);
        let schedule = &schedules[index];
        let mut stronger = schedule.clone();
        if let Some(m) = stronger.memory.as_mut() {
            m.stability *= STRONGER_MEMORY;
        }
        let recall = scheduler
            .retrievability(&stronger, now)
            .map_or(0.75, f64::from);
        let grade = chance();
        let rating = if chance() >= recall {
            Rating::Again
        } else if grade < 0.1 {
            Rating::Hard
        } else if grade < 0.85 {
            Rating::Good
        } else {
            Rating::Easy
        };
        let took_ms = 2000 + u32::try_from(took.below(8000)).unwrap_or(0);
        let Ok(reviewed) = scheduler.review(card, schedule, rating, now, took_ms) else {
            break;
        };
        queue.push(Reverse((reviewed.log.after.due, card)));
        schedules[index] = reviewed.log.after.clone();
        logs.push(reviewed.log);
    }
    logs
}
