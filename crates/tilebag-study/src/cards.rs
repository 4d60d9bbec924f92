//! The three kinds of card ([`CardKind`]): what each asks, its answer, and judging a typed
//! answer.
//!
//! A card is stored as its kind and its front (upper-case letters): an alphagram, a word, or a
//! word-or-phony. Everything else — the words, the hooks, whether the front is valid — is
//! worked out from the lexicon when the card is shown, so a card follows its lexicon and
//! needs no copy of the answer. A phony follows from its word by a fixed hash ([`phony`]).

mod answer;
mod judge;
mod phony;

use std::collections::HashSet;

use tilebag_lexicon::Lexicon;

pub use answer::{Answer, CardError, Prompt, WordFacts, answer, prompt};
pub use judge::{Judgement, MAX_TYPED_CHARS, MAX_TYPED_TOKENS, judge};
pub use phony::{phony, source_of_phony};

use crate::review::CardKind;

/// Longest entry quoted whole in a message; longer ones are cut with an ellipsis.
const QUOTED_CHARS: usize = 40;

/// The fronts of the cards to add for some entries, and the entries that make none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fronts {
    /// Card fronts, each once, in the order of the entries.
    pub fronts: Vec<String>,
    /// Entries that make no card: their index in the entries (from 0) and why.
    pub bad: Vec<(usize, String)>,
}

/// The card fronts of `kind` for some words or alphagrams (from a search, a list, a wall's
/// missed alphagrams, an upload):
///
/// - alphagram cards: the alphagram of each entry (a word or its letters in any order), once;
/// - hooks cards: each word; an entry that is not a word but an alphagram gives all its words;
/// - word-or-phony cards: each word as for hooks, and its [`phony`] when one can be made.
///
/// Entries are trimmed and read in any case; blank entries are skipped without complaint.
pub fn fronts(lexicon: &Lexicon, kind: CardKind, entries: &[String]) -> Fronts {
    let mut made = Fronts::default();
    let mut seen = HashSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        match fronts_of(lexicon, kind, entry) {
            Ok(fronts) => made
                .fronts
                .extend(fronts.into_iter().filter(|f| seen.insert(f.clone()))),
            Err(why) => made.bad.push((index, why)),
        }
    }
    made
}

/// The fronts one entry makes, or why it makes none.
fn fronts_of(lexicon: &Lexicon, kind: CardKind, entry: &str) -> Result<Vec<String>, String> {
    let shown = quoted(entry);
    if !entry.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!("{shown} has characters other than letters A to Z."));
    }
    if phony::letters_of(entry).is_none() {
        return Err(format!(
            "{shown} has {} letters; cards have 2 to 15.",
            entry.len()
        ));
    }
    let alphagram = lexicon
        .find_alphagram(entry)
        .map(|id| lexicon.alphagram(id));
    let Some(alphagram) = alphagram else {
        return Err(format!(
            "{shown} is neither a word nor an alphagram of {}.",
            lexicon.name()
        ));
    };
    if kind == CardKind::Alphagram {
        return Ok(vec![alphagram.letters()]);
    }
    let words: Vec<String> = match lexicon.find_word(entry) {
        Some(word) => vec![lexicon.word(word).text().to_owned()],
        None => alphagram.words().map(|w| w.text().to_owned()).collect(),
    };
    if kind == CardKind::Hooks {
        return Ok(words);
    }
    Ok(words
        .into_iter()
        .flat_map(|word| {
            let phony = phony(lexicon, &word);
            std::iter::once(word).chain(phony)
        })
        .collect())
}

/// An entry in curly quotes for a message, cut short when long.
fn quoted(entry: &str) -> String {
    if entry.chars().count() <= QUOTED_CHARS {
        format!("“{entry}”")
    } else {
        let start: String = entry.chars().take(QUOTED_CHARS).collect();
        format!("“{start}…”")
    }
}
