//! Search: one query engine for the command line, the web pages and the challenges.
//!
//! A [`Query`] is a list of [`Criterion`]s that all must hold. Criteria about letters and
//! probability look at an alphagram; criteria about spelling, hooks and definitions look at
//! words, and keep an alphagram when any of its words passes all of them. Results are
//! alphagram ids in probability order (length, then rank).

mod error;
mod pattern;
mod rack;
mod range;
mod search;
mod spec;
mod tokens;

use rustc_hash::FxHashSet;

pub use error::QueryError;
pub use pattern::Pattern;
pub use rack::{MAX_BLANKS, Rack};
pub use range::NumRange;
pub use spec::{SearchSpec, SpecError};

use crate::Lexicon;
use crate::letters::{self, Counts};

/// Which inner hook a word has: it minus its first letter, or minus its last, is a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Minus the first letter.
    Front,
    /// Minus the last letter.
    Back,
    /// Either.
    Either,
}

/// One condition of a search. Those with a `not` field can be negated.
#[derive(Clone, Debug)]
pub enum Criterion<'a> {
    /// Number of letters.
    Length(NumRange),
    /// Probability rank within the length.
    Probability(NumRange),
    /// Number of words the alphagram spells.
    Anagrams(NumRange),
    /// Sum of tile values.
    Points(NumRange),
    /// Number of vowels (A, E, I, O, U).
    Vowels(NumRange),
    /// Number of different letters.
    DistinctLetters(NumRange),
    /// Exactly the rack's tiles.
    Anagram(Rack),
    /// Some of the rack's tiles (a subset; blanks and classes allowed).
    Build(Rack),
    /// All of the rack's tiles and possibly more.
    Super(Rack),
    /// The word matches the pattern.
    Pattern {
        /// The pattern.
        pattern: Pattern,
        /// Keep words that do not match instead.
        not: bool,
    },
    /// The alphagram has all these letters (as many times as listed).
    Includes {
        /// Letter counts required, packed by [`letters::packed_counts`].
        letters: u128,
        /// Keep alphagrams lacking at least one of them instead.
        not: bool,
    },
    /// Every letter of the alphagram is one of these.
    ConsistsOf(u32),
    /// The word takes at least one front hook.
    TakesFrontHook {
        /// Keep words that take none instead.
        not: bool,
    },
    /// The word takes at least one back hook.
    TakesBackHook {
        /// Keep words that take none instead.
        not: bool,
    },
    /// The word takes all these letters as front hooks.
    FrontHooks {
        /// The hook letters, as a bit set.
        letters: u32,
        /// Keep words that lack one of them instead.
        not: bool,
    },
    /// The word takes all these letters as back hooks.
    BackHooks {
        /// The hook letters, as a bit set.
        letters: u32,
        /// Keep words that lack one of them instead.
        not: bool,
    },
    /// The word minus its first or last letter is a word.
    InnerHook {
        /// Which end.
        side: Side,
        /// Keep words without such an inner hook instead.
        not: bool,
    },
    /// The definition contains this text (ignoring case).
    Definition {
        /// Text to look for.
        text: String,
        /// Keep words whose definition lacks it instead.
        not: bool,
    },
    /// The word is in another lexicon.
    InLexicon {
        /// The other lexicon.
        lexicon: &'a Lexicon,
        /// Keep words not in it instead.
        not: bool,
    },
    /// The alphagram is that of one of these words or alphagrams.
    InList(FxHashSet<u128>),
}

impl Criterion<'_> {
    /// The `Includes` criterion for a run of letters such as `QU`.
    pub fn includes(letters: &str, not: bool) -> Result<Criterion<'static>, QueryError> {
        Ok(Criterion::Includes {
            letters: letters::packed_counts(&plain_counts(letters)?),
            not,
        })
    }

    /// The `ConsistsOf` criterion for a set of letters such as `AEIOUST`.
    pub fn consists_of(letters: &str) -> Result<Criterion<'static>, QueryError> {
        Ok(Criterion::ConsistsOf(letter_set(letters)?))
    }

    /// The `InList` criterion for words or alphagrams (any case, any letter order).
    pub fn in_list<S: AsRef<str>>(
        entries: impl IntoIterator<Item = S>,
    ) -> Result<Criterion<'static>, QueryError> {
        let mut keys = FxHashSet::default();
        for entry in entries {
            let counts = plain_counts(entry.as_ref())?;
            if !(letters::MIN_LEN..=letters::MAX_LEN)
                .contains(&counts.iter().map(|&c| usize::from(c)).sum())
            {
                return Err(QueryError::new(
                    entry.as_ref(),
                    "list entries have 2 to 15 letters",
                ));
            }
            keys.insert(letters::key_of_counts(&counts));
        }
        Ok(Criterion::InList(keys))
    }
}

/// Reads a set of letters such as `SZ` into a bit set.
pub fn letter_set(text: &str) -> Result<u32, QueryError> {
    let counts = plain_counts(text)?;
    Ok(letters::mask_of((0..26).filter(|&i| counts[i] > 0)))
}

fn plain_counts(text: &str) -> Result<Counts, QueryError> {
    let mut counts = [0u8; 26];
    if text.is_empty() {
        return Err(QueryError::new(text, "give at least one letter"));
    }
    for (i, c) in text.chars().enumerate() {
        let letter = u8::try_from(c)
            .ok()
            .and_then(|b| letters::index(b.to_ascii_uppercase()));
        let letter = letter.ok_or_else(|| {
            QueryError::new(
                text,
                format!("“{c}” at position {} is not a letter A-Z", i + 1),
            )
        })?;
        counts[letter] = counts[letter].saturating_add(1);
    }
    Ok(counts)
}

/// A search: criteria that must all hold, then an optional probability limit.
#[derive(Clone, Debug, Default)]
pub struct Query<'a> {
    /// Conditions, combined with AND.
    pub criteria: Vec<Criterion<'a>>,
    /// Skip this many results (in probability order) before keeping any.
    pub offset: usize,
    /// Keep at most this many results after the offset.
    pub limit: Option<usize>,
}

impl<'a> Query<'a> {
    /// A query of one criterion.
    #[must_use]
    pub fn of(criterion: Criterion<'a>) -> Query<'a> {
        Query {
            criteria: vec![criterion],
            ..Query::default()
        }
    }
}
