//! The words' text: one string per length, so that a word's text is a slice of it.

use std::borrow::Cow;

use super::{AlphagramId, Blob, Lexicon};
use crate::format::Section;

impl Lexicon {
    /// The words of these alphagrams: each alphagram's words alphabetically, the alphagrams
    /// in the order given (e.g. a search's results). Panics if an id is not of this lexicon.
    #[must_use]
    pub fn words_of(&self, alphagrams: &[AlphagramId]) -> Vec<&str> {
        let first = self.first_words();
        let words_of = |id: AlphagramId| {
            assert!(
                (id.0 as usize) < self.alphagram_count(),
                "alphagram id out of range"
            );
            first[id.0 as usize] as usize..first[id.0 as usize + 1] as usize
        };
        let mut words = Vec::with_capacity(alphagrams.iter().map(|&id| words_of(id).len()).sum());
        // Results come grouped by length: look the length's text up once a run.
        let (mut len, mut of_len, mut text, mut base) = (0, 0..0, "", 0);
        for &id in alphagrams {
            if !of_len.contains(&id.0) {
                len = self.length_starts.partition_point(|&start| start <= id.0) - 1;
                of_len = self.alphagrams_of_length(len);
                text = self.text_of_length(len);
                base = self.word_starts[len] as usize;
            }
            let range = words_of(id);
            let spelt = range
                .start
                .checked_sub(base)
                .and_then(|start| text.get(start * len..(start + range.len()) * len));
            let Some(spelt) = spelt else {
                continue;
            };
            words.extend(
                (0..range.len()).map(|i| spelt.get(i * len..(i + 1) * len).unwrap_or_default()),
            );
        }
        words
    }

    pub(super) fn word_text(&self, id: u32, len: usize) -> &str {
        let start = (id - self.word_starts[len]) as usize * len;
        self.text_of_length(len)
            .get(start..start + len)
            .unwrap_or_default()
    }

    /// The words of one length, concatenated.
    fn text_of_length(&self, len: usize) -> &str {
        self.texts[len].get_or_init(|| {
            let range = &self.ranges[Section::Text as usize];
            let within = self.text_starts[len]..self.text_starts.get(len + 1).copied().unwrap_or(0);
            let start = range.start + within.start;
            let of_length = start..start + within.len();
            // Checked on load (or when the program was built): the text is upper-case ASCII.
            match self.blob {
                Blob::Static(bytes) => Cow::Borrowed(
                    bytes
                        .get(of_length)
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .unwrap_or_default(),
                ),
                Blob::Owned(ref bytes) => Cow::Owned(
                    bytes
                        .as_bytes()
                        .get(of_length)
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .unwrap_or_default()
                        .to_owned(),
                ),
            }
        })
    }
}
