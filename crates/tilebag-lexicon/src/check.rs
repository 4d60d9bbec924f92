//! Checking prebuilt lexicon bytes before use.
//!
//! [`Layout::new`] reads the per-length tables and checks that every column has the size the
//! others imply: a handful of comparisons, done on every load. [`check_contents`] reads every
//! entry of the columns (keys, word ranges, lookups, text, definitions, trie) and is done on
//! every load of bytes from outside; bytes the program embedded were checked when it was built.

use std::ops::Range;

use crate::format::{self, FormatError, SECTIONS, Section, damaged};
use crate::letters::{self, MAX_LEN};

/// Entries of the per-length tables: lengths 0 to [`MAX_LEN`], and one past.
pub(crate) const LENGTHS: usize = MAX_LEN + 2;

/// Where each length's alphagrams, words and text begin.
#[allow(
    clippy::struct_field_names,
    reason = "each is the start of something per length"
)]
pub(crate) struct Layout {
    pub(crate) length_starts: [u32; LENGTHS],
    pub(crate) word_starts: [u32; LENGTHS],
    pub(crate) text_starts: [usize; LENGTHS],
}

impl Layout {
    /// Reads the per-length tables and checks the columns' sizes against them.
    pub(crate) fn new(
        bytes: &[u8],
        ranges: &[Range<usize>; SECTIONS],
    ) -> Result<Layout, FormatError> {
        let col = |s: Section| &ranges[s as usize];
        let alphagrams = format::column::<u128>(bytes, col(Section::Keys))?.len();
        let first: &[u32] = format::column(bytes, col(Section::FirstWord))?;
        let words = format::column::<u32>(bytes, col(Section::FrontHooks))?.len();
        let lengths = |s: Section, n: usize| -> Result<(), FormatError> {
            let len = ranges[s as usize].len();
            if len == n {
                Ok(())
            } else {
                Err(damaged(format!(
                    "column {s:?} has {len} bytes, expected {n}"
                )))
            }
        };
        lengths(Section::Combinations, alphagrams * 8)?;
        lengths(Section::Masks, alphagrams * 4)?;
        lengths(Section::PackedCounts, alphagrams * 16)?;
        lengths(Section::FirstWord, (alphagrams + 1) * 4)?;
        lengths(Section::ByKey, alphagrams * 4)?;
        lengths(Section::LengthStarts, LENGTHS * 4)?;
        lengths(Section::BackHooks, words * 4)?;
        if first.first() != Some(&0) || first.last().map(|&w| w as usize) != Some(words) {
            return Err(damaged("word ranges do not cover the words"));
        }
        let length_starts: [u32; LENGTHS] =
            format::column::<u32>(bytes, col(Section::LengthStarts))?
                .try_into()
                .map_err(|_| damaged("length table"))?;
        if length_starts[letters::MIN_LEN] != 0
            || length_starts.windows(2).any(|w| w[0] > w[1])
            || length_starts[LENGTHS - 1] as usize != alphagrams
        {
            return Err(damaged("length table out of order"));
        }
        let word_starts = length_starts.map(|start| first[start as usize]);
        if word_starts.windows(2).any(|w| w[0] > w[1]) {
            return Err(damaged("word ranges out of order"));
        }
        let mut text_starts = [0usize; LENGTHS];
        for len in 1..LENGTHS {
            text_starts[len] = text_starts[len - 1]
                + (word_starts[len] - word_starts[len - 1]) as usize * (len - 1);
        }
        let expected_text =
            text_starts[LENGTHS - 1] + (words - word_starts[LENGTHS - 1] as usize) * (LENGTHS - 1);
        if col(Section::Text).len() != expected_text {
            return Err(damaged("word text does not match the words"));
        }
        let trie = format::column::<u64>(bytes, col(Section::TrieNodes))?.len();
        lengths(Section::TrieIds, trie * 4)?;
        Ok(Layout {
            length_starts,
            word_starts,
            text_starts,
        })
    }
}

/// Checks every entry of the columns whose sizes [`Layout::new`] has checked.
pub(crate) fn check_contents(
    bytes: &[u8],
    ranges: &[Range<usize>; SECTIONS],
    layout: &Layout,
) -> Result<(), FormatError> {
    let col = |s: Section| &ranges[s as usize];
    let keys: &[u128] = format::column(bytes, col(Section::Keys))?;
    let alphagrams = keys.len();
    let first: &[u32] = format::column(bytes, col(Section::FirstWord))?;
    if first.windows(2).any(|w| w[0] >= w[1]) {
        return Err(damaged("an alphagram has no words"));
    }
    // Everything about an alphagram is worked out from its key: each must have the length
    // of its place in the length table.
    let starts = &layout.length_starts;
    for len in 0..LENGTHS - 1 {
        let ids = starts[len] as usize..starts[len + 1] as usize;
        if !keys[ids]
            .iter()
            .all(|&key| letters::is_key_of_len(key, len))
        {
            return Err(damaged(format!(
                "an alphagram key of length {len} is malformed"
            )));
        }
    }
    // Lookups index the key column through this table: ids must stay in range.
    let by_key: &[u32] = format::column(bytes, col(Section::ByKey))?;
    if by_key.iter().any(|&id| id as usize >= alphagrams) {
        return Err(damaged("lookup table points outside the alphagrams"));
    }
    // One reduction the compiler turns into vector code: every byte is one of `A`-`Z`.
    let text = &bytes[col(Section::Text).clone()];
    let highest = text.iter().fold(0u8, |m, &b| m.max(b.wrapping_sub(b'A')));
    if !text.is_empty() && highest >= 26 {
        return Err(damaged("word text is not upper-case letters"));
    }
    let words = first.last().map_or(0, |&w| w as usize);
    let definition_starts: &[u32] = format::column(bytes, col(Section::DefinitionStarts))?;
    let definitions = col(Section::Definitions).len();
    if !(definition_starts.is_empty() && definitions == 0)
        && (definition_starts.len() != words + 1
            || definition_starts.windows(2).any(|w| w[0] > w[1])
            || definition_starts.last().map(|&e| e as usize) != Some(definitions))
    {
        return Err(damaged("definition table does not match the words"));
    }
    let trie_nodes: &[u64] = format::column(bytes, col(Section::TrieNodes))?;
    let trie_ids: &[u32] = format::column(bytes, col(Section::TrieIds))?;
    if !crate::trie::is_well_formed(trie_nodes, trie_ids, alphagrams) {
        return Err(damaged("the alphagram trie is malformed"));
    }
    Ok(())
}
