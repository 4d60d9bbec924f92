//! A deck's cards in and out of other programs: importing a Zyzzyva cardbox (its quiz
//! database, such as `Anagrams.db`), and exporting a deck as CSV or as a cardbox Zyzzyva
//! opens. The mapping between Zyzzyva's boxes and FSRS lives in the study logic
//! ([`tilebag_study::review::cardbox`]); the file itself in [`super::cardbox_file`].
//!
//! Every question is checked against the deck's lexicon; those that fail are skipped and
//! reported with their row numbers, the rest go in as one transaction under the player's
//! card cap, so an import either adds all it reports or nothing.

use std::collections::HashMap;

use serde::Serialize;
use tilebag_lexicon::Lexicon;
use tilebag_store::{CardKind, DeckId, StoredDeck, User};
use tilebag_study::review::cardbox::{check_row, row_of, schedule_of};
use tilebag_study::review::{CardState, Schedule};
use utoipa::ToSchema;

use super::cardbox_file::{self, Shape};
use super::review::missing;
use super::{App, ServiceError};

/// Largest cardbox file taken, in bytes (25 MB).
pub const MAX_FILE_BYTES: usize = 25 * 1000 * 1000;

/// Most reasons for skipped questions given in full; the rest are counted.
pub const SHOWN_REASONS: usize = 20;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    /// Cards new to the deck.
    pub imported: u64,
    /// Questions the deck already had as cards (left as they were).
    pub present: u64,
    /// Questions skipped.
    pub skipped: u64,
    /// Why, for the first [`SHOWN_REASONS`] skipped questions: “row 12: …”.
    pub reasons: Vec<String>,
    /// Skipped questions beyond those with reasons shown.
    pub more_skipped: u64,
    /// Whether the file had cardboxes; a file from before Zyzzyva 0.14 has none and its
    /// questions come in as new cards.
    pub had_cardboxes: bool,
}

async fn deck_of(app: &App, user: &User, deck: DeckId) -> Result<StoredDeck, ServiceError> {
    app.store
        .deck(user.id, deck)
        .await
        .map_err(missing("deck of yours"))
}

/// The card a question asks for, or why it cannot be one.
fn card_front(lexicon: &Lexicon, kind: CardKind, question: &str) -> Result<String, String> {
    if question.is_empty() {
        return Err("the question is empty".into());
    }
    if !question.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(format!(
            "“{question}” has characters other than the letters A to Z"
        ));
    }
    let not_in = |what: &str| format!("“{question}” is not {what} in {}", lexicon.name());
    match kind {
        CardKind::Alphagram => lexicon
            .find_alphagram(question)
            .map(|id| lexicon.alphagram(id).letters())
            .ok_or_else(|| not_in("an alphagram of any word")),
        CardKind::Hooks => lexicon
            .find_word(question)
            .map(|id| lexicon.word(id).text().to_ascii_uppercase())
            .ok_or_else(|| not_in("a word")),
        CardKind::WordOrPhony => Err("word-or-phony cards have no Zyzzyva cardbox".into()),
    }
}

/// Imports a Zyzzyva cardbox into one of the player's decks as cards of `kind`.
pub async fn import(
    app: &App,
    user: &User,
    deck: DeckId,
    kind: CardKind,
    bytes: &[u8],
) -> Result<ImportReport, ServiceError> {
    if kind == CardKind::WordOrPhony {
        return Err(ServiceError::invalid(
            "kind: a Zyzzyva cardbox holds alphagram or hooks questions, not word-or-phony ones",
        ));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ServiceError::invalid(format!(
            "the file has {} bytes; a cardbox file may have at most 25 MB",
            bytes.len()
        )));
    }
    let stored = deck_of(app, user, deck).await?;
    let lexicon = app.lexicons.pick(Some(&stored.lexicon))?;
    let limit = usize::try_from(app.rules.max_cards).unwrap_or(usize::MAX);
    let file = cardbox_file::read(bytes, limit).await?;
    let now = app.clock.now_ms();
    let mut cards = Vec::with_capacity(file.rows.len());
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut reasons = Vec::new();
    for (number, row) in file.rows {
        let front = row.and_then(|row| {
            check_row(&row, now.div_euclid(1000))?;
            let front = card_front(lexicon, kind, &row.question)?;
            if let Some(first) = first_row.get(&front) {
                return Err(format!(
                    "“{}” is the same card as row {first}",
                    row.question
                ));
            }
            first_row.insert(front.clone(), number);
            Ok((front, schedule_of(&row, now)))
        });
        match front {
            Ok((front, schedule)) => cards.push((kind, front, schedule)),
            Err(reason) => reasons.push(format!("row {number}: {reason}")),
        }
    }
    let added = app
        .store
        .import_cards(user.id, deck, cards, now, app.rules.max_cards)
        .await
        .map_err(missing("deck of yours"))?;
    let skipped = reasons.len() as u64;
    reasons.truncate(SHOWN_REASONS);
    Ok(ImportReport {
        imported: added.added,
        present: added.present,
        skipped,
        more_skipped: skipped - reasons.len() as u64,
        reasons,
        had_cardboxes: file.shape == Shape::Modern,
    })
}

/// A file name from a deck's name: letters and digits kept, anything else a dash.
fn file_stem(deck: &StoredDeck) -> String {
    deck.name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The deck as CSV: one line per card with its kind, due time (UTC, RFC 3339), FSRS
/// stability (days) and difficulty (blank for new cards), and reviews so far. Fronts are
/// letters and the other fields numbers or names, so no field needs quoting.
pub async fn export_csv(
    app: &App,
    user: &User,
    deck: DeckId,
) -> Result<(String, String), ServiceError> {
    let stored = deck_of(app, user, deck).await?;
    let cards = app
        .store
        .cards(user.id, deck)
        .await
        .map_err(missing("deck of yours"))?;
    let mut csv = String::from("card,kind,due,stability,difficulty,reviews\n");
    for card in &cards {
        csv.push_str(&csv_line(&card.front, card.kind, &card.schedule));
    }
    Ok((format!("{}.csv", file_stem(&stored)), csv))
}

fn csv_line(front: &str, kind: CardKind, schedule: &Schedule) -> String {
    let due = chrono::DateTime::from_timestamp_millis(schedule.due)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default();
    let (stability, difficulty) = match schedule.memory {
        Some(m) if schedule.state != CardState::New => (
            format!("{:.2}", m.stability),
            format!("{:.2}", m.difficulty),
        ),
        _ => (String::new(), String::new()),
    };
    format!(
        "{front},{},{due},{stability},{difficulty},{}\n",
        kind.as_str(),
        schedule.reps
    )
}

/// The deck's cards of `kind` as a Zyzzyva quiz database (`Anagrams.db` style for alphagram
/// cards, hooks questions for hooks cards), with boxes and due times from their schedules.
pub async fn export_cardbox(
    app: &App,
    user: &User,
    deck: DeckId,
    kind: CardKind,
) -> Result<(String, Vec<u8>), ServiceError> {
    let quiz = match kind {
        CardKind::Alphagram => "Anagrams",
        CardKind::Hooks => "Hooks",
        CardKind::WordOrPhony => {
            return Err(ServiceError::invalid(
                "kind: Zyzzyva has cardboxes of alphagram and hooks cards only",
            ));
        }
    };
    let stored = deck_of(app, user, deck).await?;
    let rows = app
        .store
        .cards(user.id, deck)
        .await
        .map_err(missing("deck of yours"))?
        .iter()
        .filter(|card| card.kind == kind)
        .map(|card| row_of(&card.front, &card.schedule))
        .collect();
    let bytes = cardbox_file::write(rows).await?;
    Ok((format!("{}-{quiz}.db", file_stem(&stored)), bytes))
}
