//! The server's services: walls, challenges and the daily job. They take the store, the
//! lexicons and the clock — never HTTP types — and answer with [`ServiceError`], which the
//! HTTP layer turns into statuses. Each change of stored state is one unit of work in the
//! store (one transaction), decided by the pure study logic.

pub mod about;
pub mod cardbox;
pub mod cardbox_file;
pub mod challenges;
pub mod clock;
pub mod documents;
pub mod health;
pub mod jobs;
pub mod missed_cards;
pub mod review;
pub mod review_stats;
pub mod sweep;
pub mod tables;
pub mod upload;
mod wall_settings;
mod wall_time;
pub mod walls;

use std::sync::Arc;

pub use clock::Clock;
use tilebag_store::{Store, StoreError};

use crate::state::Lexicons;

/// What the services share: storage, lexicons, the clock and the rules they enforce.
#[derive(Clone, Debug)]
pub struct App {
    /// The database.
    pub store: Store,
    /// The lexicons.
    pub lexicons: Arc<Lexicons>,
    /// The one clock.
    pub clock: Clock,
    /// Limits and settings the services enforce.
    pub rules: Arc<Rules>,
    /// Whether the database is taking writes.
    pub storage: Arc<health::Storage>,
    /// The one turn to fit a player's parameters (see [`review::optimize`]).
    pub fitting: Arc<tokio::sync::Semaphore>,
    /// Tables the housekeeping closed, for their connections to be closed.
    pub closed_tables: tokio::sync::broadcast::Sender<tilebag_store::TableId>,
}

/// Limits and settings of the services, from the server's configuration.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Most alphagrams a player may keep in saved lists.
    pub max_saved_alphagrams: i64,
    /// Most spaced-repetition cards a player may keep in all their decks.
    pub max_cards: i64,
    /// The time zone challenge days follow.
    pub challenge_zone: chrono_tz::Tz,
    /// Entries a challenge needs before medals are awarded.
    pub medal_min_entries: usize,
    /// Most questions in a guest's wall.
    pub guest_max_questions: usize,
    /// Milliseconds a table where nothing happens stays open.
    pub table_idle_ms: i64,
}

/// Why a service refused or failed, in terms the HTTP layer maps to a status.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// What was asked for does not exist (or is someone else's).
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed or out of range; the message says what and where.
    #[error("{0}")]
    Invalid(String),
    /// The request cannot be done in the present state.
    #[error("{message}")]
    Conflict {
        /// Stable code, e.g. `round_running`.
        code: &'static str,
        /// What to do instead.
        message: String,
    },
    /// Not allowed (yet): the message says why.
    #[error("{message}")]
    Forbidden {
        /// Stable code, e.g. `future_day`.
        code: &'static str,
        /// Why.
        message: String,
    },
    /// The server is busy with work of this kind: try again after `retry_after` seconds.
    #[error("{message}")]
    Busy {
        /// Seconds to wait.
        retry_after: u64,
        /// What is busy.
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored document cannot be read.
    #[error("{0}")]
    Document(String),
}

impl ServiceError {
    /// A conflict with a code and a message.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> ServiceError {
        ServiceError::Conflict {
            code,
            message: message.into(),
        }
    }

    /// Not found, with what was looked for.
    pub fn not_found(message: impl Into<String>) -> ServiceError {
        ServiceError::NotFound(message.into())
    }

    /// Invalid input, saying what was wrong.
    pub fn invalid(message: impl Into<String>) -> ServiceError {
        ServiceError::Invalid(message.into())
    }
}

impl From<tilebag_lexicon::query::SpecError> for ServiceError {
    fn from(error: tilebag_lexicon::query::SpecError) -> ServiceError {
        ServiceError::Invalid(error.to_string())
    }
}

impl From<tilebag_lexicon::query::QueryError> for ServiceError {
    fn from(error: tilebag_lexicon::query::QueryError) -> ServiceError {
        ServiceError::Invalid(error.to_string())
    }
}
