//! tilebag's study logic: walls of alphagrams played in timed rounds, and study lists that
//! remember what was dealt and what was missed, spaced repetition with FSRS ([`review`]), and the
//! three kinds of card it schedules ([`cards`]).
//!
//! Everything here is decided from its inputs, the current time included (`now` in Unix
//! milliseconds), so the server stays the authority and tests drive the clock.
#![deny(missing_docs)]

pub mod cards;
pub mod challenge;
pub mod document;
pub mod list;
pub mod review;
pub mod round;
pub mod shuffle;
pub mod table;

pub use list::{Deal, StudyList};
pub use round::{EndReason, Guess, Question, Round, RoundQuestion};

use tilebag_lexicon::Lexicon;

/// The question for each alphagram (any letter order) the lexicon has, or the first
/// alphagram it lacks.
pub fn questions<'a>(
    lexicon: &Lexicon,
    alphagrams: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Question>, &'a str> {
    alphagrams
        .into_iter()
        .map(|letters| {
            let id = lexicon.find_alphagram(letters).ok_or(letters)?;
            let alphagram = lexicon.alphagram(id);
            Ok(Question {
                alphagram: alphagram.letters(),
                answers: alphagram.words().map(|w| w.text().to_owned()).collect(),
            })
        })
        .collect()
}

/// A build question: the rack's letters, answered by every word of at least `min_length`
/// letters made from some of them.
#[must_use]
pub fn build_question(lexicon: &Lexicon, rack: &str, min_length: usize) -> Option<Question> {
    use tilebag_lexicon::query::{Criterion, NumRange, Query, Rack};
    let parsed = Rack::parse(rack).ok()?;
    let query = Query {
        criteria: vec![
            Criterion::Build(parsed),
            Criterion::Length(NumRange::new(min_length as u32, u32::MAX)),
        ],
        ..Query::default()
    };
    let mut answers: Vec<String> = lexicon
        .search(&query)
        .into_iter()
        .flat_map(|id| {
            lexicon
                .alphagram(id)
                .words()
                .map(|w| w.text().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    answers.sort();
    let mut letters: Vec<u8> = rack.to_ascii_uppercase().into_bytes();
    letters.sort_unstable();
    (!answers.is_empty()).then(|| Question {
        alphagram: String::from_utf8_lossy(&letters).into_owned(),
        answers,
    })
}
