//! Postponing: after a break, push back the cards a player is least likely to have forgotten
//! (highest retrievability first), as the best-known FSRS tools do, so the reviews that are
//! left are the ones that matter.

use super::{CardState, DAY_MS, Schedule, Scheduler};

/// Of `cards` (id and schedule), the review cards due at `now`, in the order to postpone
/// them: most likely still remembered first (ties by id, so the order is stable).
#[must_use]
pub fn postpone_order(scheduler: &Scheduler, cards: &[(u64, Schedule)], now: i64) -> Vec<u64> {
    let mut due: Vec<(f32, u64)> = cards
        .iter()
        .filter(|(_, s)| s.state == CardState::Review && s.due <= now && !s.suspended)
        .map(|(id, s)| (scheduler.retrievability(s, now).unwrap_or(0.0), *id))
        .collect();
    due.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    due.into_iter().map(|(_, id)| id).collect()
}

/// The schedule postponed `days` days: due that many days after `now` (or after its due
/// time, if that is later).
#[must_use]
pub fn postpone(schedule: &Schedule, days: u32, now: i64) -> Schedule {
    Schedule {
        due: schedule.due.max(now) + i64::from(days) * DAY_MS,
        ..schedule.clone()
    }
}
