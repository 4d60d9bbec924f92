//! Fitting a player's parameters: only with enough reviews, better than the defaults on a
//! player who remembers better than average, and never a panic whatever the history holds
//! (the optimizer panics on some histories it is handed directly).

use proptest::prelude::*;
use tilebag_study::review::{
    self, CardState, DeckSettings, FitError, MIN_REVIEWS_TO_FIT, MemoryState, ModelVersion,
    Parameters, Rating, ReviewKind, ReviewLog, Schedule, Scheduler,
};

const START: i64 = 1_767_605_400_000;

#[test]
fn fitting_needs_enough_reviews() {
    let logs = review::simulate(20, MIN_REVIEWS_TO_FIT - 1, START, 1);
    assert_eq!(
        review::fit(&logs).unwrap_err(),
        FitError::TooFew {
            found: MIN_REVIEWS_TO_FIT - 1,
            needed: MIN_REVIEWS_TO_FIT
        }
    );
}

#[test]
fn fitted_parameters_predict_a_players_history_better_than_the_defaults() {
    let logs = review::simulate(300, 3000, START, 2);
    assert_eq!(logs.len(), 3000);
    let fit = review::fit(&logs).unwrap();
    assert_eq!(fit.parameters.model, ModelVersion::Fsrs6);
    assert_eq!(fit.parameters.weights.len(), 21);
    assert_ne!(fit.parameters, Parameters::default());
    assert!(
        fit.fitted.log_loss < fit.default.log_loss,
        "fitted {:?} against default {:?}",
        fit.fitted,
        fit.default
    );
    // The fitted parameters schedule.
    Scheduler::new(&fit.parameters, &DeckSettings::default()).unwrap();
}

/// A log entry as a damaged or imported history might hold it: any card, time and grade.
fn any_log() -> impl Strategy<Value = ReviewLog> {
    (
        0..30u64,
        0..2_000_000_000_000i64,
        1..=4u8,
        any::<bool>(),
        0.0f32..1000.0,
        1.0f32..10.0,
    )
        .prop_map(|(card, time, rating, new, stability, difficulty)| {
            let before = if new {
                Schedule::new_card(time)
            } else {
                Schedule {
                    state: CardState::Review,
                    memory: Some(MemoryState {
                        stability,
                        difficulty,
                    }),
                    last_review: Some(time),
                    ..Schedule::new_card(time)
                }
            };
            ReviewLog {
                card,
                time,
                rating: Rating::try_from(rating).unwrap(),
                took_ms: 0,
                kind: ReviewKind::Review,
                after: before.clone(),
                before,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn fitting_never_panics_whatever_the_history(
        logs in prop::collection::vec(any_log(), MIN_REVIEWS_TO_FIT..MIN_REVIEWS_TO_FIT + 400)
    ) {
        if let Ok(fit) = review::fit(&logs) {
            prop_assert!(fit.parameters.validate().is_ok());
            prop_assert!(fit.fitted.log_loss.is_finite() && fit.default.log_loss.is_finite());
        }
    }
}
