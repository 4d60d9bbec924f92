//! Reviewing a card: FSRS's memory state and interval for each grade, with the deck's steps,
//! fuzz, lapses and leeches around them.

use super::fuzz::{fuzz_factor, fuzzed_interval};
use super::steps::{StepOutcome, next_step};
use super::{
    CardState, DAY_MS, DeckSettings, MemoryState, Parameters, Rating, ReviewError, ReviewKind,
    ReviewLog, Reviewed, Schedule, SettingsError,
};

/// Schedules one deck's cards: its settings and the player's parameters, checked once.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: fsrs::FSRS,
    parameters: Parameters,
    settings: DeckSettings,
}

/// A card's schedule after each of the four grades: what the review page shows on its
/// buttons, and what [`Scheduler::review`] chooses from.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcomes {
    /// Indexed by [`Rating::index`].
    pub after: [Schedule; 4],
    /// The grade at which each would make the card a leech.
    pub became_leech: [bool; 4],
}

impl Outcomes {
    /// The schedule after `rating`.
    #[must_use]
    pub fn get(&self, rating: Rating) -> &Schedule {
        &self.after[rating.index()]
    }
}

impl Scheduler {
    /// A scheduler for a deck's settings and parameters, or what is wrong with them.
    pub fn new(
        parameters: &Parameters,
        settings: &DeckSettings,
    ) -> Result<Scheduler, SettingsError> {
        settings.validate()?;
        parameters.validate()?;
        let fsrs = fsrs::FSRS::new(&parameters.weights).map_err(|e| SettingsError::Parameters {
            model: parameters.model.name(),
            expected: parameters.model.weights(),
            found: format!("{:?} ({e})", parameters.weights),
        })?;
        Ok(Scheduler {
            fsrs,
            parameters: parameters.clone(),
            settings: settings.clone(),
        })
    }

    /// The deck's settings.
    #[must_use]
    pub fn settings(&self) -> &DeckSettings {
        &self.settings
    }

    /// The parameters it schedules with.
    #[must_use]
    pub fn parameters(&self) -> &Parameters {
        &self.parameters
    }

    /// The probability the player still recalls the card at `now`; `None` for a card never
    /// reviewed.
    #[must_use]
    pub fn retrievability(&self, schedule: &Schedule, now: i64) -> Option<f32> {
        let memory = schedule.memory?;
        let last = schedule.last_review?;
        let days = (now - last).max(0) as f32 / DAY_MS as f32;
        Some(fsrs::current_retrievability(
            memory.into(),
            days,
            self.parameters.decay(),
        ))
    }

    /// The card's schedule after each grade if reviewed at `now`.
    pub fn outcomes(
        &self,
        card: u64,
        before: &Schedule,
        now: i64,
    ) -> Result<Outcomes, ReviewError> {
        let memory = match before.state {
            CardState::New => None,
            _ => before.memory.map(fsrs::MemoryState::from),
        };
        let elapsed_days = match (memory, before.last_review) {
            (Some(_), Some(last)) => {
                u32::try_from((now - last).max(0) / DAY_MS).unwrap_or(u32::MAX)
            }
            _ => 0,
        };
        let next = self
            .fsrs
            .next_states(memory, self.settings.desired_retention, elapsed_days)
            .map_err(|e| ReviewError::BadMemory {
                card,
                detail: e.to_string(),
            })?;
        let factor = fuzz_factor(card, before.reps);
        let states = [next.again, next.hard, next.good, next.easy];
        let mut became_leech = [false; 4];
        let mut earliest = now;
        let after = Rating::ALL.map(|rating| {
            let state = &states[rating.index()];
            let (mut schedule, leech) = self.after(
                before,
                rating,
                state.memory.into(),
                state.interval,
                factor,
                now,
            );
            // An easier grade never brings the card back sooner (a long last step can outlast
            // a one-day graduating interval).
            schedule.due = schedule.due.max(earliest);
            earliest = schedule.due;
            became_leech[rating.index()] = leech;
            schedule
        });
        Ok(Outcomes {
            after,
            became_leech,
        })
    }

    /// Reviews the card at `now` with `rating`, taking `took_ms` to answer.
    pub fn review(
        &self,
        card: u64,
        before: &Schedule,
        rating: Rating,
        now: i64,
        took_ms: u32,
    ) -> Result<Reviewed, ReviewError> {
        let outcomes = self.outcomes(card, before, now)?;
        Ok(Reviewed {
            log: ReviewLog {
                card,
                time: now,
                rating,
                took_ms,
                kind: ReviewKind::Review,
                before: before.clone(),
                after: outcomes.get(rating).clone(),
            },
            became_leech: outcomes.became_leech[rating.index()],
        })
    }

    /// Marks the card forgotten at `now` (a miss outside a review, such as at a tournament):
    /// recorded as an Again, so it counts as a lapse, relearns, and can be undone.
    pub fn forget(&self, card: u64, before: &Schedule, now: i64) -> Result<Reviewed, ReviewError> {
        let mut forgotten = self.review(card, before, Rating::Again, now, 0)?;
        forgotten.log.kind = ReviewKind::Forgotten;
        Ok(forgotten)
    }

    /// The schedule after one grade, and whether it made the card a leech.
    fn after(
        &self,
        before: &Schedule,
        rating: Rating,
        memory: MemoryState,
        interval: f32,
        factor: f64,
        now: i64,
    ) -> (Schedule, bool) {
        let settings = &self.settings;
        let lapse = before.state == CardState::Review && rating == Rating::Again;
        let outcome = match before.state {
            CardState::New | CardState::Learning => {
                next_step(&settings.learning_steps_secs, before.step, rating)
            }
            CardState::Relearning => {
                next_step(&settings.relearning_steps_secs, before.step, rating)
            }
            CardState::Review if lapse => next_step(&settings.relearning_steps_secs, 0, rating),
            CardState::Review => StepOutcome::Graduate,
        };
        let (state, step, due) = match outcome {
            StepOutcome::Step { step, delay_ms } => {
                let state = if before.state == CardState::New {
                    CardState::Learning
                } else if lapse {
                    CardState::Relearning
                } else {
                    before.state
                };
                (state, step, now + delay_ms)
            }
            StepOutcome::Graduate => {
                let days = self.interval_days(interval, factor);
                (CardState::Review, 0, now + i64::from(days) * DAY_MS)
            }
        };
        let lapses = before.lapses.saturating_add(u32::from(lapse));
        let became_leech = lapse && is_leech(lapses, settings.leech_threshold);
        let schedule = Schedule {
            state,
            memory: Some(memory),
            due,
            last_review: Some(now),
            step,
            reps: before.reps.saturating_add(1),
            lapses,
            leech: before.leech || became_leech,
            suspended: before.suspended || (became_leech && settings.suspend_leeches),
        };
        (schedule, became_leech)
    }

    /// FSRS's interval (days, unrounded) as whole days within the deck's maximum, fuzzed if the
    /// deck fuzzes.
    fn interval_days(&self, interval: f32, factor: f64) -> u32 {
        let maximum = self.settings.maximum_interval_days;
        if self.settings.fuzz {
            fuzzed_interval(interval, maximum, factor)
        } else {
            let days = interval.round().clamp(1.0, maximum as f32);
            #[allow(clippy::cast_sign_loss)]
            let days = days as u32;
            days
        }
    }
}

/// Anki's leech rule: a leech at `threshold` lapses, and again at every half of it after.
fn is_leech(lapses: u32, threshold: u32) -> bool {
    threshold > 0
        && lapses >= threshold
        && (lapses - threshold).is_multiple_of((threshold / 2).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leeches_are_flagged_at_the_threshold_and_every_half_after() {
        let at: Vec<u32> = (0..=20).filter(|&l| is_leech(l, 8)).collect();
        assert_eq!(at, [8, 12, 16, 20]);
        assert!(!(0..100).any(|l| is_leech(l, 0)));
    }
}
