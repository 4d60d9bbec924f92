//! Spaced-repetition decks and their cards. A card's schedule is a versioned document
//! written by the study logic; the store copies its due time, state and suspension into
//! columns for the due queue, and raises the card's `version` with every change of it, so a
//! grade given on an older copy (another tab) is refused rather than applied twice
//! (see [`crate::reviews`]).

use sqlx::Row;
use sqlx::any::AnyRow;
use tilebag_study::document::{self, Document};
use tilebag_study::review::{CardKind, CardState, DeckSettings, ReviewError, Schedule};

use crate::{Backend, Store, StoreError, UserId};

/// Identifies a deck.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeckId(pub i64);

/// Identifies a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardId(pub i64);

impl std::fmt::Display for CardId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A deck as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredDeck {
    /// Its id.
    pub id: DeckId,
    /// The lexicon its cards come from.
    pub lexicon: String,
    /// Its name, unique per player and lexicon.
    pub name: String,
    /// Its scheduling settings.
    pub settings: DeckSettings,
    /// When it was made, Unix seconds.
    pub created_at: i64,
    /// Cards in it.
    pub cards: i64,
}

/// What reviewing needs of a deck: its lexicon and settings.
#[derive(Clone, Debug, PartialEq)]
pub struct DeckHead {
    /// Its id.
    pub id: DeckId,
    /// The lexicon its cards come from.
    pub lexicon: String,
    /// Its scheduling settings.
    pub settings: DeckSettings,
}

/// A card as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCard {
    /// Its id.
    pub id: CardId,
    /// Its deck.
    pub deck: DeckId,
    /// What it asks.
    pub kind: CardKind,
    /// The alphagram or word it asks about.
    pub front: String,
    /// When it is due and what its memory is.
    pub schedule: Schedule,
    /// Raised by every change of the schedule; a review must name the version it graded.
    pub version: i64,
    /// When it was added, Unix ms.
    pub added_at: i64,
}

/// What adding cards did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Added {
    /// Cards new to the deck.
    pub added: u64,
    /// Cards the deck already had (unchanged).
    pub present: u64,
}

/// What can go wrong with decks, cards and reviews beyond the usual.
#[derive(Debug, thiserror::Error)]
pub enum DeckError {
    /// The player would hold more cards than allowed; nothing was added.
    #[error(
        "adding {adding} cards would make {total}, over the limit of {limit} cards per player; \
         delete some cards or add fewer"
    )]
    Cap {
        /// Cards new to the deck in this addition.
        adding: u64,
        /// What the player's total would be.
        total: i64,
        /// The limit.
        limit: i64,
    },
    /// The card changed since it was read (graded or undone in another tab); nothing was
    /// applied.
    #[error(
        "card {card} changed since it was shown (version {expected}, now {found}); show it again"
    )]
    Stale {
        /// The card.
        card: CardId,
        /// The version the grade was given on.
        expected: i64,
        /// The card's version now.
        found: i64,
    },
    /// The study logic refused (the review to undo is not the card's last).
    #[error(transparent)]
    Review(#[from] ReviewError),
    /// A stored document could not be read.
    #[error("{0}")]
    Document(String),
    /// A document that would not read back (settings out of their limits); nothing was
    /// stored.
    #[error("{0}")]
    Invalid(String),
    /// A store error (a taken deck name is a conflict).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for DeckError {
    fn from(error: sqlx::Error) -> DeckError {
        DeckError::Store(error.into())
    }
}

/// Reads a stored document, saying which row it came from if it cannot.
pub(crate) fn read<T: Document>(text: &str, row: &str) -> Result<T, DeckError> {
    document::decode(text).map_err(|e| DeckError::Document(format!("{row}: {e}")))
}

/// A document to store, refused if reading it back would fail its own check: what the store
/// keeps, it can read.
pub(crate) fn write<T: Document>(doc: &T) -> Result<String, DeckError> {
    doc.check()
        .map_err(|e| DeckError::Invalid(format!("{} refused: {e}", T::KIND)))?;
    Ok(document::encode(doc))
}

/// The `state` column of a schedule.
pub(crate) fn state_text(state: CardState) -> &'static str {
    match state {
        CardState::New => "new",
        CardState::Learning => "learning",
        CardState::Review => "review",
        CardState::Relearning => "relearning",
    }
}

/// `$from, $from+1, …` for `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `FOR UPDATE` on PostgreSQL; SQLite's single writer already serializes.
pub(crate) fn lock(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    }
}

fn deck(row: &AnyRow) -> Result<StoredDeck, DeckError> {
    let id: i64 = row.try_get("id")?;
    let settings: String = row.try_get("settings")?;
    Ok(StoredDeck {
        id: DeckId(id),
        lexicon: row.try_get("lexicon")?,
        name: row.try_get("name")?,
        settings: read(&settings, &format!("deck {id}"))?,
        created_at: row.try_get("created_at")?,
        cards: row.try_get("cards")?,
    })
}

const DECK_SELECT: &str = "SELECT d.id, d.lexicon, d.name, d.settings, d.created_at, \
     (SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id) AS cards FROM decks d";

impl Store {
    /// Makes a deck; a name the player already uses in the lexicon is a
    /// [`StoreError::Conflict`]. `now` is Unix seconds.
    pub async fn create_deck(
        &self,
        user: UserId,
        lexicon: &str,
        name: &str,
        settings: &DeckSettings,
        now: i64,
    ) -> Result<DeckId, DeckError> {
        let settings = write(settings)?;
        let row = sqlx::query(
            "INSERT INTO decks (user_id, lexicon, name, settings, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.0)
        .bind(lexicon)
        .bind(name)
        .bind(settings)
        .bind(now)
        .fetch_one(&self.writer)
        .await?;
        Ok(DeckId(row.try_get(0)?))
    }

    /// A player's decks by lexicon and name, with their settings and sizes.
    pub async fn decks(&self, user: UserId) -> Result<Vec<StoredDeck>, DeckError> {
        let rows = sqlx::query(&format!(
            "{DECK_SELECT} WHERE d.user_id = $1 ORDER BY d.lexicon, d.name, d.id"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(deck).collect()
    }

    /// The lexicon and settings of one of a player's decks or all of them, by id, without
    /// counting their cards: what reviewing needs. A deck not the player's is left out.
    pub async fn deck_heads(
        &self,
        user: UserId,
        deck: Option<DeckId>,
    ) -> Result<Vec<DeckHead>, DeckError> {
        let rows = sqlx::query(
            "SELECT id, lexicon, settings FROM decks \
             WHERE user_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY id",
        )
        .bind(user.0)
        .bind(deck.map(|d| d.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(DeckHead {
                    id: DeckId(id),
                    lexicon: row.try_get("lexicon")?,
                    settings: read(
                        &row.try_get::<String, _>("settings")?,
                        &format!("deck {id}"),
                    )?,
                })
            })
            .collect()
    }

    /// One of a player's decks (anyone else's is [`StoreError::NotFound`]).
    pub async fn deck(&self, user: UserId, id: DeckId) -> Result<StoredDeck, DeckError> {
        let row = sqlx::query(&format!("{DECK_SELECT} WHERE d.id = $1 AND d.user_id = $2"))
            .bind(id.0)
            .bind(user.0)
            .fetch_one(&self.pool)
            .await?;
        deck(&row)
    }

    /// Renames a deck, and stores its settings when given.
    pub async fn change_deck(
        &self,
        user: UserId,
        id: DeckId,
        name: &str,
        settings: Option<&DeckSettings>,
    ) -> Result<(), DeckError> {
        let settings = settings.map(write).transpose()?;
        let done = sqlx::query(
            "UPDATE decks SET name = $1, settings = COALESCE($2, settings) WHERE id = $3 AND user_id = $4",
        )
        .bind(name)
        .bind(settings)
        .bind(id.0)
        .bind(user.0)
        .execute(&self.writer)
        .await?;
        found(done.rows_affected())
    }

    /// Deletes a deck with its cards and their reviews.
    pub async fn delete_deck(&self, user: UserId, id: DeckId) -> Result<(), DeckError> {
        let done = sqlx::query("DELETE FROM decks WHERE id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        found(done.rows_affected())
    }
}
fn found(rows: u64) -> Result<(), DeckError> {
    if rows == 0 {
        Err(StoreError::NotFound.into())
    } else {
        Ok(())
    }
}
