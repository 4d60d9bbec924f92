//! The review types as stored documents (see [`crate::document`]): all at version 1.

use crate::document::Document;

use super::{CardState, DeckSettings, Parameters, ReviewLog, Schedule};

/// Version 1, the first.
impl Document for Schedule {
    const KIND: &'static str = "card schedule";
    const VERSION: u32 = 1;

    /// A reviewed card has a memory state and a review time; a new one has neither.
    fn check(&self) -> Result<(), String> {
        check_schedule(self)
    }
}

/// Version 1, the first.
impl Document for ReviewLog {
    const KIND: &'static str = "review log entry";
    const VERSION: u32 = 1;

    fn check(&self) -> Result<(), String> {
        check_schedule(&self.before).map_err(|e| format!("before the review: {e}"))?;
        check_schedule(&self.after).map_err(|e| format!("after the review: {e}"))
    }
}

/// Version 1, the first.
impl Document for DeckSettings {
    const KIND: &'static str = "deck settings";
    const VERSION: u32 = 1;

    fn check(&self) -> Result<(), String> {
        self.validate().map_err(|e| e.to_string())
    }
}

/// Version 1, the first.
impl Document for Parameters {
    const KIND: &'static str = "scheduling parameters";
    const VERSION: u32 = 1;

    fn check(&self) -> Result<(), String> {
        self.validate().map_err(|e| e.to_string())
    }
}

fn check_schedule(s: &Schedule) -> Result<(), String> {
    let new = s.state == CardState::New;
    match (new, s.memory, s.last_review) {
        (true, None, _) | (false, Some(_), Some(_)) => {}
        (true, Some(_), _) => return Err("a new card has a memory state".into()),
        (false, _, _) => {
            return Err(format!(
                "a card in the {:?} state lacks a memory state or a last review",
                s.state
            ));
        }
    }
    match s.memory {
        Some(m) if !(m.stability.is_finite() && m.difficulty.is_finite()) => {
            Err(format!("memory state {m:?} is not finite"))
        }
        _ => Ok(()),
    }
}
