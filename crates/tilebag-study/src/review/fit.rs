//! Fitting a player's FSRS parameters to their own review history with the `fsrs` crate's
//! optimizer, and comparing them with the defaults on the same history.
//!
//! Fitting takes seconds, not milliseconds (see the `review` bench), so the server runs it off
//! the request path.

use std::collections::BTreeMap;

use super::{CardState, DAY_MS, ModelVersion, Parameters, ReviewLog};

/// The fewest reviews worth fitting to: with fewer, fitted parameters mostly fit noise (the
/// optimizer itself falls back to the defaults below a few hundred).
pub const MIN_REVIEWS_TO_FIT: usize = 400;

/// How well parameters predict a history: lower is better for both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Log loss of the predicted recall probabilities.
    pub log_loss: f32,
    /// Root mean square error between predicted and actual recall, by bins (FSRS's RMSE).
    pub rmse: f32,
}

/// Fitted parameters and how they compare with the defaults on the history they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The fitted parameters.
    pub parameters: Parameters,
    /// The fitted parameters on the history.
    pub fitted: Evaluation,
    /// The default parameters on the same history.
    pub default: Evaluation,
    /// Reviews in the history.
    pub reviews: usize,
}

/// Why parameters could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// Not enough reviews yet.
    #[error("fitting needs at least {needed} reviews; there are {found} so far")]
    TooFew {
        /// Reviews given.
        found: usize,
        /// [`MIN_REVIEWS_TO_FIT`].
        needed: usize,
    },
    /// The optimizer failed.
    #[error("the FSRS optimizer could not fit these reviews: {0}")]
    Optimizer(String),
}

/// The optimizer's training items: for each card, its reviews since it was last new, and for
/// each review after the first, the history up to it (days between reviews, whole days) —
/// once the history spans a day, since same-day reviews alone teach FSRS nothing long-term.
#[must_use]
pub fn training_items(logs: &[ReviewLog]) -> Vec<fsrs::FSRSItem> {
    let mut by_card: BTreeMap<u64, Vec<&ReviewLog>> = BTreeMap::new();
    for log in logs {
        by_card.entry(log.card).or_default().push(log);
    }
    let mut items = Vec::new();
    for mut card_logs in by_card.into_values() {
        card_logs.sort_by_key(|l| l.time);
        let mut history: Vec<fsrs::FSRSReview> = Vec::new();
        let mut last = 0;
        for log in card_logs {
            if log.before.state == CardState::New {
                history.clear();
            }
            let delta_t = if history.is_empty() {
                0
            } else {
                u32::try_from((log.time - last).max(0) / DAY_MS).unwrap_or(u32::MAX)
            };
            last = log.time;
            history.push(fsrs::FSRSReview {
                rating: u32::from(log.rating.number()),
                delta_t,
            });
            // The optimizer needs a review a day or more after another (it panics otherwise).
            if history.len() >= 2 && history.iter().any(|r| r.delta_t > 0) {
                items.push(fsrs::FSRSItem {
                    reviews: history.clone(),
                });
            }
        }
    }
    items
}

/// Fits parameters to a player's review log (any order, any cards).
pub fn fit(logs: &[ReviewLog]) -> Result<Fit, FitError> {
    if logs.len() < MIN_REVIEWS_TO_FIT {
        return Err(FitError::TooFew {
            found: logs.len(),
            needed: MIN_REVIEWS_TO_FIT,
        });
    }
    let items = training_items(logs);
    let optimizer = |e: fsrs::FSRSError| FitError::Optimizer(e.to_string());
    let weights = fsrs::compute_parameters(fsrs::ComputeParametersInput {
        train_set: items.clone(),
        ..fsrs::ComputeParametersInput::default()
    })
    .map_err(optimizer)?;
    let fitted = fsrs::FSRS::new(&weights).map_err(optimizer)?;
    // Judged, as FSRS's benchmarks are, on the reviews a day or more after the one before:
    // the predictions intervals are made of (a same-day review predicts certain recall).
    let long_term: Vec<fsrs::FSRSItem> = items
        .iter()
        .filter(|item| item.reviews.last().is_some_and(|r| r.delta_t > 0))
        .cloned()
        .collect();
    let evaluate = |model: &fsrs::FSRS| {
        model
            .evaluate(long_term.clone(), |_| true)
            .map(|e| Evaluation {
                log_loss: e.log_loss,
                rmse: e.rmse_bins,
            })
            .map_err(optimizer)
    };
    Ok(Fit {
        fitted: evaluate(&fitted)?,
        default: evaluate(&fsrs::FSRS::default())?,
        parameters: Parameters {
            model: ModelVersion::Fsrs6,
            weights,
        },
        reviews: logs.len(),
    })
}
