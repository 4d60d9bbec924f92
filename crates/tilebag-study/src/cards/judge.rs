//! Judging a typed answer: which words are right, missing and wrong, and the grade to propose
//! (the player may change it).
//!
//! Typed text is bounded before any work: only its first [`MAX_TYPED_CHARS`] characters and
//! [`MAX_TYPED_TOKENS`] words are read, and [`Judgement::truncated`] says when more was typed.

use std::collections::HashSet;

use serde::Serialize;

use super::answer::Answer;
use crate::review::Rating;

/// Characters of a typed answer read; the rest is ignored.
pub const MAX_TYPED_CHARS: usize = 4_000;
/// Words (or other pieces) of a typed answer read; the rest are ignored.
pub const MAX_TYPED_TOKENS: usize = 200;

/// The verdict on a typed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    /// Expected words typed (for a word-or-phony card: the verdict, `valid` or `phony`).
    pub right: Vec<String>,
    /// Expected words not typed (or the right verdict, when it was not given).
    pub missing: Vec<String>,
    /// Pieces typed that are not expected: wrong words, text that is not letters, a wrong verdict.
    pub wrong: Vec<String>,
    /// The grade proposed: Good when all is right, Again when anything is missing, Hard when
    /// all was found but something wrong was typed too.
    pub proposed: Rating,
    /// More was typed than is read ([`MAX_TYPED_CHARS`], [`MAX_TYPED_TOKENS`]).
    pub truncated: bool,
}

/// Judges `typed` against a card's answer.
///
/// - alphagram: its words, separated by spaces, commas or new lines, in any case and order,
///   duplicates ignored;
/// - hooks: the hooked words the same way, or the hook letters as `front/back` (`CGST/RS`,
///   `/S`, `-/-`);
/// - word or phony: `valid` or `phony` (also `v`/`p`, `yes`/`no`, `y`/`n`).
#[must_use]
pub fn judge(answer: &Answer, typed: &str) -> Judgement {
    let (typed, cut) = match typed.char_indices().nth(MAX_TYPED_CHARS) {
        Some((end, _)) => (&typed[..end], true),
        None => (typed, false),
    };
    let mut judgement = match answer {
        Answer::WordOrPhony { valid, .. } => verdict(*valid, typed),
        Answer::Hooks { word, .. } if typed.contains('/') => {
            let (front, back) = typed.split_once('/').unwrap_or((typed, ""));
            let mut pieces = hook_letters(front, |c| format!("{c}{}", word.word));
            pieces.extend(hook_letters(back, |c| format!("{}{c}", word.word)));
            let truncated = pieces.len() > MAX_TYPED_TOKENS;
            pieces.truncate(MAX_TYPED_TOKENS);
            let mut judgement = words(&answer.expected_words(), pieces);
            judgement.truncated = truncated;
            judgement
        }
        Answer::Alphagram { .. } | Answer::Hooks { .. } => {
            let mut pieces = typed
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|p| !p.is_empty() && *p != "-");
            let read: Vec<String> = pieces
                .by_ref()
                .take(MAX_TYPED_TOKENS)
                .map(str::to_owned)
                .collect();
            let truncated = pieces.next().is_some();
            let mut judgement = words(&answer.expected_words(), read);
            judgement.truncated = truncated;
            judgement
        }
    };
    judgement.truncated |= cut;
    judgement
}

/// The hooked words of typed hook letters (`make` puts a letter on the word); anything else
/// but separators is kept as typed, to be reported wrong.
fn hook_letters(typed: &str, make: impl Fn(char) -> String) -> Vec<String> {
    typed
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == ',' || *c == '-'))
        .map(|c| {
            if c.is_ascii_alphabetic() {
                make(c.to_ascii_uppercase())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Typed words against the expected ones.
fn words(expected: &[String], typed: Vec<String>) -> Judgement {
    let mut seen = HashSet::new();
    let mut wrong = Vec::new();
    for piece in typed {
        let piece = if piece.chars().all(|c| c.is_ascii_alphabetic()) {
            piece.to_ascii_uppercase()
        } else {
            piece
        };
        if expected.contains(&piece) {
            seen.insert(piece);
        } else if !wrong.contains(&piece) {
            wrong.push(piece);
        }
    }
    let (right, missing): (Vec<String>, Vec<String>) =
        expected.iter().cloned().partition(|w| seen.contains(w));
    let proposed = if !missing.is_empty() {
        Rating::Again
    } else if !wrong.is_empty() {
        Rating::Hard
    } else {
        Rating::Good
    };
    Judgement {
        right,
        missing,
        wrong,
        proposed,
        truncated: false,
    }
}

/// A typed verdict on a word-or-phony card.
fn verdict(valid: bool, typed: &str) -> Judgement {
    let label = |valid: bool| if valid { "valid" } else { "phony" }.to_owned();
    let typed = typed.trim();
    let said = match typed.to_lowercase().as_str() {
        "valid" | "v" | "yes" | "y" => Some(true),
        "phony" | "p" | "no" | "n" => Some(false),
        _ => None,
    };
    let (right, missing, wrong) = match said {
        Some(said) if said == valid => (vec![label(valid)], vec![], vec![]),
        Some(said) => (vec![], vec![label(valid)], vec![label(said)]),
        None if typed.is_empty() => (vec![], vec![label(valid)], vec![]),
        None => (vec![], vec![label(valid)], vec![typed.to_owned()]),
    };
    Judgement {
        proposed: if right.is_empty() {
            Rating::Again
        } else {
            Rating::Good
        },
        right,
        missing,
        wrong,
        truncated: false,
    }
}
