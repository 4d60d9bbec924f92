//! The prebuilt lexicon format: a header and a few flat, 16-byte aligned columns.
//!
//! A lexicon is used straight from these bytes, so loading one is a validation pass, not a
//! rebuild: the bundled lexicon is borrowed from the binary's read-only data and an
//! imported one is read from disk into one aligned buffer. Every offset, count and letter
//! is checked on load, so a damaged file is an error, never a panic or a wrong answer.

use std::ops::Range;

/// The first bytes of every prebuilt lexicon.
pub const MAGIC: &[u8; 8] = b"TILEBAG\x01";
const VERSION: u32 = 2;
/// Version 1 lacked the alphagram trie; it is still read, and searched without the trie.
const VERSION_WITHOUT_TRIE: u32 = 1;
const ENDIAN_MARK: u32 = 0x0102_0304;
const ALIGN: usize = 16;

/// The columns of a prebuilt lexicon, in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    /// UTF-8: the lexicon's name, a newline, then its tile bag as text.
    Meta,
    /// `u128` per alphagram: its key (see [`crate::letters`]).
    Keys,
    /// `u64` per alphagram: combinations.
    Combinations,
    /// `u32` per alphagram: bit set of its letters.
    Masks,
    /// `u128` per alphagram: its letter counts, four bits a letter (see [`crate::letters::packed_counts`]).
    PackedCounts,
    /// `u32` per alphagram plus one: index of its first word.
    FirstWord,
    /// `u32` per alphagram: alphagram ids of each length sorted by key, for lookups.
    ByKey,
    /// 17 `u32`: the first alphagram id of each length 0..=16.
    LengthStarts,
    /// The words, upper-case ASCII, concatenated without separators.
    Text,
    /// `u32` per word: front hook letters, bit 31 set when the word minus its first letter is a word.
    FrontHooks,
    /// `u32` per word: back hook letters, bit 31 set when the word minus its last letter is a word.
    BackHooks,
    /// `u32` per word plus one (or nothing): offsets into the definition text.
    DefinitionStarts,
    /// UTF-8 definitions, concatenated.
    Definitions,
    /// `u64` per node of the alphagram trie (see [`crate::trie`]); empty in version 1.
    TrieNodes,
    /// `u32` per node of the alphagram trie: the alphagram ending there, or `u32::MAX`.
    TrieIds,
}

pub(crate) const SECTIONS: usize = 15;
const SECTIONS_WITHOUT_TRIE: usize = 13;
const HEADER: usize = 24 + SECTIONS * 16;

/// Bytes that start on a 16-byte boundary, so columns can be viewed as integer slices.
#[derive(Clone)]
pub struct AlignedBytes {
    words: Vec<u128>,
    len: usize,
}

impl std::fmt::Debug for AlignedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AlignedBytes({} bytes)", self.len)
    }
}

impl AlignedBytes {
    /// `len` zero bytes, e.g. to read a file into.
    #[must_use]
    pub fn zeroed(len: usize) -> AlignedBytes {
        AlignedBytes {
            words: vec![0; len.div_ceil(ALIGN)],
            len,
        }
    }

    /// A copy of `bytes`.
    #[must_use]
    pub fn copy_from(bytes: &[u8]) -> AlignedBytes {
        let mut aligned = AlignedBytes::zeroed(bytes.len());
        aligned.as_bytes_mut().copy_from_slice(bytes);
        aligned
    }

    /// The bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &bytemuck::cast_slice(&self.words)[..self.len]
    }

    /// The bytes, writable.
    pub fn as_bytes_mut(&mut self) -> &mut [u8] {
        &mut bytemuck::cast_slice_mut(&mut self.words)[..self.len]
    }
}

/// What is wrong with a prebuilt lexicon's bytes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    /// Not a prebuilt lexicon at all.
    #[error("not a tilebag lexicon (unknown file signature)")]
    NotALexicon,
    /// A lexicon written by another version of tilebag.
    #[error(
        "lexicon format version {found} is not supported (this tilebag reads version {VERSION}): import the word list again"
    )]
    Version {
        /// The version in the file.
        found: u32,
    },
    /// Damaged or truncated data.
    #[error("damaged lexicon data: {0}; import the word list again")]
    Damaged(String),
}

pub(crate) fn damaged(what: impl Into<String>) -> FormatError {
    FormatError::Damaged(what.into())
}

/// Builds a prebuilt lexicon from its columns, copying each once into the final buffer.
#[derive(Debug, Default)]
pub(crate) struct Writer<'a> {
    sections: Vec<&'a [u8]>,
}

impl<'a> Writer<'a> {
    pub(crate) fn push<T: bytemuck::Pod>(&mut self, section: Section, column: &'a [T]) {
        assert_eq!(
            self.sections.len(),
            section as usize,
            "sections are written in order"
        );
        self.sections.push(bytemuck::cast_slice(column));
    }

    pub(crate) fn finish(self) -> AlignedBytes {
        assert_eq!(self.sections.len(), SECTIONS);
        let mut table = Vec::with_capacity(SECTIONS);
        let mut offset = HEADER.next_multiple_of(ALIGN);
        for section in &self.sections {
            table.push((offset, section.len()));
            offset = (offset + section.len()).next_multiple_of(ALIGN);
        }
        let mut out = AlignedBytes::zeroed(offset);
        let bytes = out.as_bytes_mut();
        bytes[..8].copy_from_slice(MAGIC);
        bytes[8..12].copy_from_slice(&VERSION.to_le_bytes());
        bytes[12..16].copy_from_slice(&ENDIAN_MARK.to_le_bytes());
        bytes[16..20].copy_from_slice(&(SECTIONS as u32).to_le_bytes());
        for (i, ((start, len), data)) in table.iter().zip(&self.sections).enumerate() {
            let entry = 24 + i * 16;
            bytes[entry..entry + 8].copy_from_slice(&(*start as u64).to_le_bytes());
            bytes[entry + 8..entry + 16].copy_from_slice(&(*len as u64).to_le_bytes());
            bytes[*start..*start + len].copy_from_slice(data);
        }
        out
    }
}

/// Reads the section table of prebuilt lexicon bytes; checks bounds and alignment only.
pub(crate) fn sections(bytes: &[u8]) -> Result<[Range<usize>; SECTIONS], FormatError> {
    if bytes.len() < 24 + SECTIONS_WITHOUT_TRIE * 16 || &bytes[..8] != MAGIC {
        return Err(FormatError::NotALexicon);
    }
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default());
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let count = match u32_at(8) {
        VERSION => SECTIONS,
        VERSION_WITHOUT_TRIE => SECTIONS_WITHOUT_TRIE,
        found => return Err(FormatError::Version { found }),
    };
    if u32_at(12) != ENDIAN_MARK || u32_at(16) as usize != count || bytes.len() < 24 + count * 16 {
        return Err(damaged("unexpected header"));
    }
    if !(bytes.as_ptr() as usize).is_multiple_of(ALIGN) {
        return Err(damaged("data is not 16-byte aligned in memory"));
    }
    // Sections a version lacks are empty.
    let mut ranges: [Range<usize>; SECTIONS] = Default::default();
    for (i, range) in ranges.iter_mut().enumerate().take(count) {
        let start = usize::try_from(u64_at(24 + i * 16))
            .map_err(|_| damaged("section offset too large"))?;
        let len = usize::try_from(u64_at(32 + i * 16))
            .map_err(|_| damaged("section length too large"))?;
        let end = start.checked_add(len).filter(|&end| end <= bytes.len());
        match end {
            Some(end) if start % ALIGN == 0 && start >= 24 + count * 16 => *range = start..end,
            _ => return Err(damaged(format!("section {i} lies outside the data"))),
        }
    }
    Ok(ranges)
}

/// Views a section as a slice of `T`, if its length is a whole number of `T`s.
pub(crate) fn column<'a, T: bytemuck::Pod>(
    bytes: &'a [u8],
    range: &Range<usize>,
) -> Result<&'a [T], FormatError> {
    bytemuck::try_cast_slice(&bytes[range.clone()])
        .map_err(|_| damaged("a column has a partial entry"))
}
