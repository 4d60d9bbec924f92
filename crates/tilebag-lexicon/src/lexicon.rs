//! A loaded lexicon: its words, alphagrams and the facts about them.

use std::ops::Range;

use crate::bag::TileBag;
use crate::format::{self, AlignedBytes, FormatError, SECTIONS, Section, damaged};
use crate::letters::{self, MAX_LEN};

/// Bit 31 of a word's hook set: the word minus that end's letter is a word (an inner hook).
pub(crate) const INNER_HOOK: u32 = 1 << 31;
const LENGTHS: usize = MAX_LEN + 2;

/// Identifies an alphagram of one lexicon. Ids run in probability order: by length, then rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AlphagramId(pub u32);

/// Identifies a word of one lexicon. A word's id follows its alphagram's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WordId(pub u32);

enum Blob {
    Static(&'static [u8]),
    Owned(AlignedBytes),
}

/// A lexicon ready for lookups and searches.
pub struct Lexicon {
    name: String,
    bag: TileBag,
    blob: Blob,
    ranges: [Range<usize>; SECTIONS],
    length_starts: [u32; LENGTHS],
    word_starts: [u32; LENGTHS],
    text_starts: [usize; LENGTHS],
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("name", &self.name)
            .field("words", &self.word_count())
            .field("alphagrams", &self.alphagram_count())
            .finish_non_exhaustive()
    }
}

impl Lexicon {
    /// Uses prebuilt lexicon bytes that live for the whole program (e.g. `include_bytes!`),
    /// without copying them when they are 16-byte aligned.
    pub fn from_static(bytes: &'static [u8]) -> Result<Lexicon, FormatError> {
        if (bytes.as_ptr() as usize).is_multiple_of(16) {
            Lexicon::open(Blob::Static(bytes))
        } else {
            Lexicon::open(Blob::Owned(AlignedBytes::copy_from(bytes)))
        }
    }

    /// Uses prebuilt lexicon bytes, e.g. read from a file.
    pub fn from_bytes(bytes: AlignedBytes) -> Result<Lexicon, FormatError> {
        Lexicon::open(Blob::Owned(bytes))
    }

    /// The prebuilt form, to store and load later with [`Lexicon::from_bytes`].
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.blob {
            Blob::Static(bytes) => bytes,
            Blob::Owned(bytes) => bytes.as_bytes(),
        }
    }

    fn open(blob: Blob) -> Result<Lexicon, FormatError> {
        let bytes = match &blob {
            Blob::Static(bytes) => bytes,
            Blob::Owned(bytes) => bytes.as_bytes(),
        };
        let ranges = format::sections(bytes)?;
        let meta = std::str::from_utf8(&bytes[ranges[Section::Meta as usize].clone()])
            .map_err(|_| damaged("the header text is not UTF-8"))?;
        let (name, bag) = meta
            .split_once('\n')
            .ok_or_else(|| damaged("no tile bag"))?;
        let bag = TileBag::parse(bag).map_err(|e| damaged(e.to_string()))?;
        let check = Checked::new(bytes, &ranges)?;
        Ok(Lexicon {
            name: name.to_owned(),
            bag,
            length_starts: check.length_starts,
            word_starts: check.word_starts,
            text_starts: check.text_starts,
            blob,
            ranges,
        })
    }

    fn column<T: bytemuck::Pod>(&self, section: Section) -> &[T] {
        bytemuck::cast_slice(&self.as_bytes()[self.ranges[section as usize].clone()])
    }

    pub(crate) fn keys(&self) -> &[u128] {
        self.column(Section::Keys)
    }

    pub(crate) fn masks(&self) -> &[u32] {
        self.column(Section::Masks)
    }

    pub(crate) fn packed_counts(&self) -> &[u128] {
        self.column(Section::PackedCounts)
    }

    pub(crate) fn first_words(&self) -> &[u32] {
        self.column(Section::FirstWord)
    }

    pub(crate) fn front_hooks(&self) -> &[u32] {
        self.column(Section::FrontHooks)
    }

    pub(crate) fn back_hooks(&self) -> &[u32] {
        self.column(Section::BackHooks)
    }

    /// The lexicon's name, e.g. `SCOWL80`.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tile bag its probabilities are computed for.
    #[must_use]
    pub fn bag(&self) -> &TileBag {
        &self.bag
    }

    /// Number of words.
    #[must_use]
    pub fn word_count(&self) -> usize {
        self.front_hooks().len()
    }

    /// Number of alphagrams.
    #[must_use]
    pub fn alphagram_count(&self) -> usize {
        self.keys().len()
    }

    /// Whether any word has a definition.
    #[must_use]
    pub fn has_definitions(&self) -> bool {
        !self.column::<u32>(Section::DefinitionStarts).is_empty()
    }

    /// The ids of the alphagrams of one length, in probability order.
    #[must_use]
    pub fn alphagrams_of_length(&self, len: usize) -> Range<u32> {
        if len >= LENGTHS - 1 {
            return 0..0;
        }
        self.length_starts[len]..self.length_starts[len + 1]
    }

    /// An alphagram by id. Panics if the id is not of this lexicon.
    #[must_use]
    pub fn alphagram(&self, id: AlphagramId) -> Alphagram<'_> {
        assert!(
            (id.0 as usize) < self.alphagram_count(),
            "alphagram id out of range"
        );
        Alphagram {
            lexicon: self,
            id: id.0,
        }
    }

    /// A word by id. Panics if the id is not of this lexicon.
    #[must_use]
    pub fn word(&self, id: WordId) -> Word<'_> {
        assert!((id.0 as usize) < self.word_count(), "word id out of range");
        Word {
            lexicon: self,
            id: id.0,
            len: self.word_len(id.0) as u8,
        }
    }

    /// The alphagram with exactly these letters (any order, any case), if the lexicon has one.
    #[must_use]
    pub fn find_alphagram(&self, letters: &str) -> Option<AlphagramId> {
        let upper = letters.to_ascii_uppercase();
        if !(letters::MIN_LEN..=MAX_LEN).contains(&upper.len())
            || !upper.bytes().all(|b| b.is_ascii_uppercase())
        {
            return None;
        }
        self.find_key(upper.len(), letters::key_of(upper.as_bytes()))
            .map(AlphagramId)
    }

    /// Looks up an alphagram by its key among those of length `len`.
    pub(crate) fn find_key(&self, len: usize, key: u128) -> Option<u32> {
        let range = self.alphagrams_of_length(len);
        let by_key = &self.column::<u32>(Section::ByKey)[range.start as usize..range.end as usize];
        let keys = self.keys();
        by_key
            .binary_search_by(|&id| keys[id as usize].cmp(&key))
            .ok()
            .map(|i| by_key[i])
    }

    /// The word, if the lexicon has it (any case).
    #[must_use]
    pub fn find_word(&self, word: &str) -> Option<WordId> {
        let alphagram = self.alphagram(self.find_alphagram(word)?);
        alphagram
            .words()
            .find(|w| w.text().eq_ignore_ascii_case(word))
            .map(|w| WordId(w.id))
    }

    /// Whether the lexicon has the word (any case).
    #[must_use]
    pub fn contains(&self, word: &str) -> bool {
        self.find_word(word).is_some()
    }

    fn word_len(&self, id: u32) -> usize {
        self.word_starts.partition_point(|&start| start <= id) - 1
    }

    fn word_text(&self, id: u32, len: usize) -> &str {
        let start = self.text_starts[len] + (id - self.word_starts[len]) as usize * len;
        let text: &[u8] = self.column(Section::Text);
        // Checked on load: the text is upper-case ASCII.
        std::str::from_utf8(&text[start..start + len]).unwrap_or_default()
    }

    fn definition(&self, id: u32) -> Option<&str> {
        let starts: &[u32] = self.column(Section::DefinitionStarts);
        let (&start, &end) = (starts.get(id as usize)?, starts.get(id as usize + 1)?);
        let text: &[u8] = self.column(Section::Definitions);
        std::str::from_utf8(text.get(start as usize..end as usize)?)
            .ok()
            .filter(|d| !d.is_empty())
    }
}

/// An alphagram: a set of letters that spells one or more words.
#[derive(Clone, Copy)]
pub struct Alphagram<'a> {
    lexicon: &'a Lexicon,
    id: u32,
}

impl std::fmt::Debug for Alphagram<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Alphagram({})", self.letters())
    }
}

impl<'a> Alphagram<'a> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> AlphagramId {
        AlphagramId(self.id)
    }

    pub(crate) fn key(&self) -> u128 {
        self.lexicon.keys()[self.id as usize]
    }

    /// Its letters in alphabetical order.
    #[must_use]
    pub fn letters(&self) -> String {
        letters::key_to_string(self.key())
    }

    /// Number of letters.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lexicon
            .length_starts
            .partition_point(|&start| start <= self.id)
            - 1
    }

    /// Always false: an alphagram has at least two letters.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Probability rank among alphagrams of its length: 1 is the likeliest to be drawn.
    #[must_use]
    pub fn probability(&self) -> u32 {
        self.id - self.lexicon.length_starts[self.len()] + 1
    }

    /// Ways to draw these tiles from a full bag, blanks standing in for letters.
    #[must_use]
    pub fn combinations(&self) -> u64 {
        self.lexicon.column::<u64>(Section::Combinations)[self.id as usize]
    }

    fn word_range(&self) -> Range<u32> {
        let first = self.lexicon.first_words();
        first[self.id as usize]..first[self.id as usize + 1]
    }

    /// Its words, alphabetically.
    #[must_use]
    pub fn words(&self) -> impl ExactSizeIterator<Item = Word<'a>> + use<'a> {
        let (lexicon, len) = (self.lexicon, self.len() as u8);
        self.word_range().map(move |id| Word { lexicon, id, len })
    }

    /// Number of words (anagrams) it spells.
    #[must_use]
    pub fn anagram_count(&self) -> usize {
        self.word_range().len()
    }

    /// Sum of its tiles' values.
    #[must_use]
    pub fn points(&self) -> u32 {
        letters::key_letters(self.key())
            .map(|i| u32::from(self.lexicon.bag.value(i)))
            .sum()
    }

    /// Number of vowels (A, E, I, O, U).
    #[must_use]
    pub fn vowels(&self) -> usize {
        letters::key_letters(self.key())
            .filter(|&i| letters::VOWELS & (1 << i) != 0)
            .count()
    }

    /// Number of different letters.
    #[must_use]
    pub fn distinct_letters(&self) -> u32 {
        self.lexicon.masks()[self.id as usize].count_ones()
    }
}

/// A word of a lexicon.
#[derive(Clone, Copy)]
pub struct Word<'a> {
    lexicon: &'a Lexicon,
    id: u32,
    len: u8,
}

impl std::fmt::Debug for Word<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Word({})", self.text())
    }
}

impl<'a> Word<'a> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> WordId {
        WordId(self.id)
    }

    /// The word, upper-case.
    #[must_use]
    pub fn text(&self) -> &'a str {
        self.lexicon.word_text(self.id, usize::from(self.len))
    }

    /// Its alphagram.
    #[must_use]
    pub fn alphagram(&self) -> Alphagram<'a> {
        let id = self
            .lexicon
            .first_words()
            .partition_point(|&first| first <= self.id) as u32
            - 1;
        Alphagram {
            lexicon: self.lexicon,
            id,
        }
    }

    pub(crate) fn front_mask(&self) -> u32 {
        self.lexicon.front_hooks()[self.id as usize]
    }

    pub(crate) fn back_mask(&self) -> u32 {
        self.lexicon.back_hooks()[self.id as usize]
    }

    /// Letters that can go in front of it to make a word, alphabetically.
    #[must_use]
    pub fn front_hooks(&self) -> String {
        letters::mask_to_string(self.front_mask() & letters::ALL_LETTERS)
    }

    /// Letters that can go after it to make a word, alphabetically.
    #[must_use]
    pub fn back_hooks(&self) -> String {
        letters::mask_to_string(self.back_mask() & letters::ALL_LETTERS)
    }

    /// Whether the word without its first letter is a word.
    #[must_use]
    pub fn inner_front_hook(&self) -> bool {
        self.front_mask() & INNER_HOOK != 0
    }

    /// Whether the word without its last letter is a word.
    #[must_use]
    pub fn inner_back_hook(&self) -> bool {
        self.back_mask() & INNER_HOOK != 0
    }

    /// Its definition, if the lexicon has one.
    #[must_use]
    pub fn definition(&self) -> Option<&'a str> {
        self.lexicon.definition(self.id)
    }
}

/// The results of checking a prebuilt lexicon's columns against each other.
#[allow(
    clippy::struct_field_names,
    reason = "each is the start of something per length"
)]
struct Checked {
    length_starts: [u32; LENGTHS],
    word_starts: [u32; LENGTHS],
    text_starts: [usize; LENGTHS],
}

impl Checked {
    fn new(bytes: &[u8], ranges: &[Range<usize>; SECTIONS]) -> Result<Checked, FormatError> {
        let col = |s: Section| &ranges[s as usize];
        let keys: &[u128] = format::column(bytes, col(Section::Keys))?;
        let alphagrams = keys.len();
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
        if first.windows(2).any(|w| w[0] >= w[1]) {
            return Err(damaged("an alphagram has no words"));
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
        let mut word_starts = [0u32; LENGTHS];
        let mut text_starts = [0usize; LENGTHS];
        for len in 0..LENGTHS {
            let start = length_starts[len] as usize;
            word_starts[len] = first[start];
            text_starts[len] = if len == 0 {
                0
            } else {
                text_starts[len - 1]
                    + (word_starts[len] - word_starts[len - 1]) as usize * (len - 1)
            };
        }
        // Everything about an alphagram is worked out from its key: each must have the length
        // of its place in the length table.
        for len in 0..LENGTHS - 1 {
            let ids = length_starts[len] as usize..length_starts[len + 1] as usize;
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
        let text: &[u8] = &bytes[col(Section::Text).clone()];
        let expected_text =
            text_starts[LENGTHS - 1] + (words - word_starts[LENGTHS - 1] as usize) * (LENGTHS - 1);
        if text.len() != expected_text || !text.iter().all(u8::is_ascii_uppercase) {
            return Err(damaged("word text does not match the words"));
        }
        let definition_starts: &[u32] = format::column(bytes, col(Section::DefinitionStarts))?;
        let definitions = col(Section::Definitions).len();
        if !(definition_starts.is_empty() && definitions == 0)
            && (definition_starts.len() != words + 1
                || definition_starts.windows(2).any(|w| w[0] > w[1])
                || definition_starts.last().map(|&e| e as usize) != Some(definitions))
        {
            return Err(damaged("definition table does not match the words"));
        }
        Ok(Checked {
            length_starts,
            word_starts,
            text_starts,
        })
    }
}
