//! tilebag's study logic: walls of alphagrams played in timed rounds, and study lists that
//! remember what was dealt and what was missed.
//!
//! Everything here is decided from its inputs, the current time included (`now` in Unix
//! milliseconds), so the server stays the authority and tests drive the clock.
#![deny(missing_docs)]

pub mod list;
pub mod round;
pub mod shuffle;

pub use list::{Deal, StudyList};
pub use round::{EndReason, Guess, Question, Round, RoundQuestion};
