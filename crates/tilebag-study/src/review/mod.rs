//! Spaced repetition: when a card is due again, decided by FSRS-6 with learning steps and fuzz
//! built around it the way Anki does.
//!
//! The memory model (stability and difficulty after each grade, and the interval that keeps
//! recall at the deck's desired retention) comes from the `fsrs` crate, so tilebag schedules
//! exactly as the reference implementation does and can fit each player's parameters with its
//! optimizer ([`fit`]). Around it this module keeps what FSRS leaves to the application: the
//! card's state (new, learning, review, relearning) and its step through the deck's learning
//! steps (minutes, not days), lapses and leeches, a fuzz that spreads cards reviewed together
//! (seeded by the card and its review count, never by a global random generator, so a test can
//! pin every interval), undo, postponing and marking a card forgotten.
//!
//! Nothing here reads a clock or stores anything: every function takes `now` in Unix
//! milliseconds and returns the card's new [`Schedule`] together with the [`ReviewLog`] entry
//! the server records, so a review can be replayed, undone, or used to refit parameters.

pub mod cardbox;
pub mod fit;
mod fuzz;
mod postpone;
mod schedule;
mod settings;
mod simulate;
mod steps;
mod stored;

pub use cardbox::{BOX_DAYS, CardboxRow};
pub use fit::{Evaluation, Fit, FitError, MIN_REVIEWS_TO_FIT, fit, training_items};
pub use fuzz::{fuzz_bounds, fuzz_factor, fuzzed_interval};
pub use postpone::{postpone, postpone_order};
pub use schedule::{Outcomes, Scheduler};
pub use settings::{DeckSettings, ModelVersion, Parameters, SettingsError};
pub use simulate::simulate;

use serde::{Deserialize, Serialize};

/// One day in milliseconds: intervals in the review state are whole days.
pub const DAY_MS: i64 = 86_400_000;

/// A player's grade of one review, Anki's four buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Rating {
    /// Forgotten (1).
    Again = 1,
    /// Recalled with difficulty (2).
    Hard = 2,
    /// Recalled (3).
    Good = 3,
    /// Recalled easily (4).
    Easy = 4,
}

impl Rating {
    /// All four, from Again to Easy.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The grade as FSRS numbers it, 1 to 4.
    #[must_use]
    pub fn number(self) -> u8 {
        self as u8
    }

    /// Position in [`Rating::ALL`] (0 to 3).
    #[must_use]
    pub fn index(self) -> usize {
        usize::from(self.number() - 1)
    }
}

impl From<Rating> for u8 {
    fn from(rating: Rating) -> u8 {
        rating.number()
    }
}

impl TryFrom<u8> for Rating {
    type Error = String;

    fn try_from(number: u8) -> Result<Rating, String> {
        match number {
            1 => Ok(Rating::Again),
            2 => Ok(Rating::Hard),
            3 => Ok(Rating::Good),
            4 => Ok(Rating::Easy),
            _ => Err(format!(
                "a rating is 1 (again), 2 (hard), 3 (good) or 4 (easy), not {number}"
            )),
        }
    }
}

/// What a card asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    /// An alphagram: its words.
    Alphagram,
    /// A word: its front and back hooks.
    Hooks,
    /// A word or a phony: valid or not.
    WordOrPhony,
}

impl CardKind {
    /// All three.
    pub const ALL: [CardKind; 3] = [CardKind::Alphagram, CardKind::Hooks, CardKind::WordOrPhony];

    /// Its name as stored and in the API: `alphagram`, `hooks` or `word_or_phony`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Alphagram => "alphagram",
            CardKind::Hooks => "hooks",
            CardKind::WordOrPhony => "word_or_phony",
        }
    }

    /// The kind of that name, if any.
    #[must_use]
    pub fn parse(text: &str) -> Option<CardKind> {
        CardKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardState {
    /// Never reviewed (or reset).
    New,
    /// Going through the deck's learning steps.
    Learning,
    /// Scheduled in days by FSRS.
    Review,
    /// Forgotten in review, going through the relearning steps.
    Relearning,
}

/// What FSRS knows of a card's memory.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MemoryState {
    /// Days until recall probability falls to 90%.
    pub stability: f32,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f32,
}

impl From<fsrs::MemoryState> for MemoryState {
    fn from(m: fsrs::MemoryState) -> MemoryState {
        MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

impl From<MemoryState> for fsrs::MemoryState {
    fn from(m: MemoryState) -> fsrs::MemoryState {
        fsrs::MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

/// A card's scheduling state: everything the next review needs, and what undo restores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// New, learning, review or relearning.
    pub state: CardState,
    /// The memory state; `None` until the first review.
    pub memory: Option<MemoryState>,
    /// When the card is next due, Unix ms (for a new card: when it was added).
    pub due: i64,
    /// When it was last reviewed, Unix ms.
    pub last_review: Option<i64>,
    /// The index into the learning (or relearning) steps; 0 in the new and review states.
    pub step: u32,
    /// Reviews so far (the fuzz seed together with the card's id).
    pub reps: u32,
    /// Times forgotten in the review state.
    pub lapses: u32,
    /// Lapsed often enough to be called a leech (see [`DeckSettings::leech_threshold`]).
    pub leech: bool,
    /// Left out of reviews (a leech in a deck that suspends leeches).
    pub suspended: bool,
}

impl Schedule {
    /// A card just added at `now`: new and due at once.
    #[must_use]
    pub fn new_card(now: i64) -> Schedule {
        Schedule {
            state: CardState::New,
            memory: None,
            due: now,
            last_review: None,
            step: 0,
            reps: 0,
            lapses: 0,
            leech: false,
            suspended: false,
        }
    }
}

/// Why a log entry was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewKind {
    /// The player graded the card in a review.
    Review,
    /// The player marked it forgotten outside a review (a miss at a tournament): graded
    /// Again at that moment.
    Forgotten,
}

/// One entry of a card's review log: enough to undo it (`before`), to show the card's history
/// (`after`), and to refit parameters (time and rating).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewLog {
    /// The card reviewed.
    pub card: u64,
    /// When, Unix ms.
    pub time: i64,
    /// The grade.
    pub rating: Rating,
    /// How long the player took to answer, ms.
    pub took_ms: u32,
    /// Review or marked forgotten.
    pub kind: ReviewKind,
    /// The card's schedule before: what undo restores.
    pub before: Schedule,
    /// The card's schedule after.
    pub after: Schedule,
}

/// The result of reviewing a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewed {
    /// The log entry to record; its `after` is the card's new schedule.
    pub log: ReviewLog,
    /// This review made the card a leech (tag it; it is suspended if the deck says so).
    pub became_leech: bool,
}

/// Why a review or an undo was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReviewError {
    /// The log entry belongs to another card.
    #[error("this review is of card {log}, not card {card}")]
    OtherCard {
        /// The card asked about.
        card: u64,
        /// The card the log entry is of.
        log: u64,
    },
    /// The card changed after the review being undone.
    #[error(
        "card {card} changed after the review being undone; only a card's last review can be undone"
    )]
    NotLast {
        /// The card.
        card: u64,
    },
    /// FSRS could not compute a memory state from this one.
    #[error(
        "card {card} has a memory state FSRS cannot continue from ({detail}); forget the card to start over"
    )]
    BadMemory {
        /// The card.
        card: u64,
        /// What FSRS said.
        detail: String,
    },
}

/// Undo a review: the card's exact schedule before it. Refused unless the card is still as the
/// review left it (so only the last review can be undone).
pub fn undo(card: u64, current: &Schedule, log: &ReviewLog) -> Result<Schedule, ReviewError> {
    if log.card != card {
        return Err(ReviewError::OtherCard {
            card,
            log: log.card,
        });
    }
    if *current != log.after {
        return Err(ReviewError::NotLast { card });
    }
    Ok(log.before.clone())
}
