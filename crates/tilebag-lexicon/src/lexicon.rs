//! A loaded lexicon: its words, alphagrams and the facts about them.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use crate::bag::TileBag;
use crate::check::{LENGTHS, Layout, check_contents};
use crate::format::{self, AlignedBytes, FormatError, SECTIONS, Section, damaged};
use crate::letters::{self, MAX_LEN};

mod text;

/// Bit 31 of a word's hook set: the word minus that end's letter is a word (an inner hook).
pub(crate) const INNER_HOOK: u32 = 1 << 31;

/// Identifies an alphagram of one lexicon. Ids run in probability order: by length, then rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AlphagramId(pub u32);

/// Identifies a word of one lexicon. A word's id follows its alphagram's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WordId(pub u32);

/// How much of a lexicon's bytes to check on load.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// Everything: bytes from outside the program.
    Check,
    /// Sizes only: bytes the program embedded, checked entry by entry when it was built.
    CheckedAtBuild,
}

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
    /// The words of each length as one string, made on first use (borrowed from static data,
    /// copied from owned data), so that no word's text is checked as UTF-8 again.
    texts: [OnceLock<Cow<'static, str>>; LENGTHS],
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
        Lexicon::open(Lexicon::static_blob(bytes), Trust::Check)
    }

    /// Like [`Lexicon::from_static`], for bytes the program embedded after checking them when
    /// it was built (loading them with [`Lexicon::from_bytes`] in a build script): only the
    /// header and the sizes of the columns are checked, not every entry, so opening costs the
    /// same whatever the lexicon's size. Bytes that were not checked so may give wrong
    /// answers or panics; never pass bytes from outside the program.
    pub fn from_embedded(bytes: &'static [u8]) -> Result<Lexicon, FormatError> {
        Lexicon::open(Lexicon::static_blob(bytes), Trust::CheckedAtBuild)
    }

    fn static_blob(bytes: &'static [u8]) -> Blob {
        if (bytes.as_ptr() as usize).is_multiple_of(16) {
            Blob::Static(bytes)
        } else {
            Blob::Owned(AlignedBytes::copy_from(bytes))
        }
    }

    /// Uses prebuilt lexicon bytes, e.g. read from a file.
    pub fn from_bytes(bytes: AlignedBytes) -> Result<Lexicon, FormatError> {
        Lexicon::open(Blob::Owned(bytes), Trust::Check)
    }

    /// The prebuilt form, to store and load later with [`Lexicon::from_bytes`].
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.blob {
            Blob::Static(bytes) => bytes,
            Blob::Owned(bytes) => bytes.as_bytes(),
        }
    }

    fn open(blob: Blob, trust: Trust) -> Result<Lexicon, FormatError> {
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
        let layout = Layout::new(bytes, &ranges)?;
        if trust == Trust::Check {
            check_contents(bytes, &ranges, &layout)?;
        }
        Ok(Lexicon {
            name: name.to_owned(),
            bag,
            length_starts: layout.length_starts,
            word_starts: layout.word_starts,
            text_starts: layout.text_starts,
            texts: Default::default(),
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

    pub(crate) fn trie_nodes(&self) -> &[u64] {
        self.column(Section::TrieNodes)
    }

    pub(crate) fn trie_ids(&self) -> &[u32] {
        self.column(Section::TrieIds)
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
