//! A deck's scheduling settings and the FSRS parameters it schedules with.

use serde::{Deserialize, Serialize};

/// A deck's settings, as the player sets them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeckSettings {
    /// The recall probability intervals aim for, 0.70 to 0.97.
    pub desired_retention: f32,
    /// New cards introduced per day.
    pub new_per_day: u32,
    /// The longest interval in days (default five years).
    pub maximum_interval_days: u32,
    /// Learning steps of a new card, in seconds (default 1 min, 10 min).
    pub learning_steps_secs: Vec<u32>,
    /// Relearning steps of a forgotten card, in seconds (default 10 min).
    pub relearning_steps_secs: Vec<u32>,
    /// Lapses at which a card becomes a leech (0: never); again at every half of it after.
    pub leech_threshold: u32,
    /// Suspend a card when it becomes a leech (otherwise it is only tagged).
    pub suspend_leeches: bool,
    /// Spread review intervals by a few percent so cards learned together come apart.
    pub fuzz: bool,
}

impl Default for DeckSettings {
    fn default() -> DeckSettings {
        DeckSettings {
            desired_retention: 0.90,
            new_per_day: 20,
            maximum_interval_days: 5 * 365,
            learning_steps_secs: vec![60, 600],
            relearning_steps_secs: vec![600],
            leech_threshold: 8,
            suspend_leeches: false,
            fuzz: true,
        }
    }
}

/// Limits of [`DeckSettings`].
impl DeckSettings {
    /// The lowest desired retention a deck may ask for.
    pub const MIN_RETENTION: f32 = 0.70;
    /// The highest desired retention a deck may ask for.
    pub const MAX_RETENTION: f32 = 0.97;
    /// The most new cards a day.
    pub const MAX_NEW_PER_DAY: u32 = 100_000;
    /// The longest maximum interval, 100 years (FSRS's own limit on stability).
    pub const MAX_INTERVAL_DAYS: u32 = 36_500;
    /// The most steps in either list.
    pub const MAX_STEPS: usize = 10;
    /// The longest single step: one day (a longer one is an interval, not a step).
    pub const MAX_STEP_SECS: u32 = 86_400;

    /// Checks each setting is within its limits.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let r = self.desired_retention;
        if !(Self::MIN_RETENTION..=Self::MAX_RETENTION).contains(&r) {
            return Err(SettingsError::Retention(r));
        }
        if self.new_per_day > Self::MAX_NEW_PER_DAY {
            return Err(SettingsError::NewPerDay(self.new_per_day));
        }
        if !(1..=Self::MAX_INTERVAL_DAYS).contains(&self.maximum_interval_days) {
            return Err(SettingsError::MaximumInterval(self.maximum_interval_days));
        }
        for (name, steps) in [
            ("learning", &self.learning_steps_secs),
            ("relearning", &self.relearning_steps_secs),
        ] {
            if steps.len() > Self::MAX_STEPS {
                return Err(SettingsError::TooManySteps {
                    name,
                    count: steps.len(),
                });
            }
            if let Some(&secs) = steps.iter().find(|&&s| s == 0 || s > Self::MAX_STEP_SECS) {
                return Err(SettingsError::Step { name, secs });
            }
        }
        Ok(())
    }
}

/// A setting out of its limits, saying which and what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// Desired retention outside 0.70–0.97.
    #[error("desired retention must be from 0.70 to 0.97, not {0}")]
    Retention(f32),
    /// More new cards a day than 100,000.
    #[error("new cards per day must be from 0 to 100000, not {0}")]
    NewPerDay(u32),
    /// Maximum interval outside 1–36,500 days.
    #[error("the maximum interval must be from 1 to 36500 days, not {0}")]
    MaximumInterval(u32),
    /// More than ten steps.
    #[error("at most 10 {name} steps, not {count}")]
    TooManySteps {
        /// `learning` or `relearning`.
        name: &'static str,
        /// How many were given.
        count: usize,
    },
    /// A step of zero or over a day.
    #[error("each {name} step must be from 1 second to 1 day, not {secs} seconds")]
    Step {
        /// `learning` or `relearning`.
        name: &'static str,
        /// The step.
        secs: u32,
    },
    /// Parameters of the wrong number or not finite.
    #[error("{model} parameters must be {expected} finite numbers; these are {found}")]
    Parameters {
        /// The model's name.
        model: &'static str,
        /// How many it takes.
        expected: usize,
        /// What was given.
        found: String,
    },
}

/// Which memory model the parameters are for. FSRS-7 takes more weights, so stored
/// parameters say which model they fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModelVersion {
    /// FSRS-6: 21 weights.
    #[serde(rename = "fsrs-6")]
    Fsrs6,
}

impl ModelVersion {
    /// The model's name, e.g. `FSRS-6`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ModelVersion::Fsrs6 => "FSRS-6",
        }
    }

    /// How many weights it takes.
    #[must_use]
    pub fn weights(self) -> usize {
        match self {
            ModelVersion::Fsrs6 => 21,
        }
    }
}

/// The weights a player's cards are scheduled with, and the model they are for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    /// The model.
    pub model: ModelVersion,
    /// Its weights.
    pub weights: Vec<f32>,
}

impl Default for Parameters {
    /// FSRS-6's defaults, fitted to many Anki users.
    fn default() -> Parameters {
        Parameters {
            model: ModelVersion::Fsrs6,
            weights: fsrs::DEFAULT_PARAMETERS.to_vec(),
        }
    }
}

impl Parameters {
    /// Checks the weights fit the model: the right number, all finite.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let expected = self.model.weights();
        if self.weights.len() != expected || self.weights.iter().any(|w| !w.is_finite()) {
            return Err(SettingsError::Parameters {
                model: self.model.name(),
                expected,
                found: format!("{:?}", self.weights),
            });
        }
        Ok(())
    }

    /// The forgetting curve's decay (FSRS-6's last weight).
    #[must_use]
    pub fn decay(&self) -> f32 {
        self.weights
            .get(20)
            .copied()
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY)
    }
}
