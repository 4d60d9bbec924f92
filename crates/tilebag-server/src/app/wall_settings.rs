//! How a wall's rounds are played: questions per round, seconds, mode; a stored document.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ServiceError;

/// How a wall's rounds are played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WallSettings {
    /// Questions per round, 10 to 200.
    #[schema(minimum = 10, maximum = 200)]
    pub questions_per_round: usize,
    /// Seconds per round, 1 to 3600.
    #[schema(minimum = 1, maximum = 3600)]
    pub seconds: u32,
    /// `anagram`: find the words of each alphagram; `build`: every word of at least
    /// `min_length` letters made from each rack.
    pub mode: Mode,
    /// Shortest word counted in build mode, 2 to 15.
    #[schema(minimum = 2, maximum = 15)]
    pub min_length: usize,
}

impl Default for WallSettings {
    fn default() -> WallSettings {
        WallSettings {
            questions_per_round: 50,
            seconds: 240,
            mode: Mode::Anagram,
            min_length: 3,
        }
    }
}

/// Wall mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Find every anagram.
    Anagram,
    /// Find every word made from some of the letters.
    Build,
}

impl tilebag_study::document::Document for WallSettings {
    const KIND: &'static str = "wall settings";
    const VERSION: u32 = 1;
}

impl WallSettings {
    /// The settings' names, as forms and the API write them.
    pub const FIELDS: [&'static str; 4] = ["questions_per_round", "seconds", "mode", "min_length"];

    /// Checks the ranges.
    pub fn check(&self) -> Result<(), ServiceError> {
        if !(10..=200).contains(&self.questions_per_round) {
            return Err(ServiceError::invalid(
                "questions_per_round: choose 10 to 200 questions per round",
            ));
        }
        if !(1..=3600).contains(&self.seconds) {
            return Err(ServiceError::invalid(
                "seconds: a round lasts 1 second to 60 minutes",
            ));
        }
        if !(2..=15).contains(&self.min_length) {
            return Err(ServiceError::invalid("min_length: choose 2 to 15 letters"));
        }
        Ok(())
    }
}
