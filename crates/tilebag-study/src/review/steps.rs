//! Learning and relearning steps: the short delays (minutes) a card waits while it is being
//! learned, before FSRS schedules it in days. Hard repeats the step (the first step with Hard
//! waits halfway to the second, or half as long again when there is only one), Good moves to
//! the next step and graduates from the last, Easy graduates at once, Again starts over.

use super::Rating;

/// What the steps decide for one grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepOutcome {
    /// Wait `delay_ms` at step `step`.
    Step { step: u32, delay_ms: i64 },
    /// Leave the steps: FSRS schedules the card in days.
    Graduate,
}

/// The outcome of grading a card at `step` of `steps` (seconds each).
pub(crate) fn next_step(steps: &[u32], step: u32, rating: Rating) -> StepOutcome {
    let ms = |secs: u32| i64::from(secs) * 1000;
    let step_index = step as usize;
    let Some(&first) = steps.first() else {
        return StepOutcome::Graduate;
    };
    // A step beyond the list (the deck's steps were shortened): graduate unless forgotten.
    if step_index >= steps.len() && rating != Rating::Again {
        return StepOutcome::Graduate;
    }
    match rating {
        Rating::Again => StepOutcome::Step {
            step: 0,
            delay_ms: ms(first),
        },
        Rating::Hard => {
            let delay_ms = match (step_index, steps.get(1)) {
                (0, None) => ms(first) * 3 / 2,
                (0, Some(&second)) => i64::midpoint(ms(first), ms(second)),
                _ => ms(steps[step_index]),
            };
            StepOutcome::Step { step, delay_ms }
        }
        Rating::Good => match steps.get(step_index + 1) {
            Some(&next) => StepOutcome::Step {
                step: step + 1,
                delay_ms: ms(next),
            },
            None => StepOutcome::Graduate,
        },
        Rating::Easy => StepOutcome::Graduate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_learning_steps_wait_as_anki_does() {
        let steps = [60, 600];
        let at = |step, rating| next_step(&steps, step, rating);
        let wait = |step, delay_ms| StepOutcome::Step { step, delay_ms };
        assert_eq!(at(0, Rating::Again), wait(0, 60_000));
        assert_eq!(at(0, Rating::Hard), wait(0, 330_000));
        assert_eq!(at(0, Rating::Good), wait(1, 600_000));
        assert_eq!(at(0, Rating::Easy), StepOutcome::Graduate);
        assert_eq!(at(1, Rating::Hard), wait(1, 600_000));
        assert_eq!(at(1, Rating::Good), StepOutcome::Graduate);
    }

    #[test]
    fn one_step_waits_half_as_long_again_on_hard() {
        assert_eq!(
            next_step(&[600], 0, Rating::Hard),
            StepOutcome::Step {
                step: 0,
                delay_ms: 900_000
            }
        );
    }

    #[test]
    fn no_steps_or_a_step_past_the_list_graduates() {
        assert_eq!(next_step(&[], 0, Rating::Again), StepOutcome::Graduate);
        assert_eq!(next_step(&[60], 3, Rating::Hard), StepOutcome::Graduate);
        assert_eq!(
            next_step(&[60], 3, Rating::Again),
            StepOutcome::Step {
                step: 0,
                delay_ms: 60_000
            }
        );
    }
}
