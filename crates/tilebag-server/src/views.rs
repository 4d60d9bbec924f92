//! What the word tools answer: stable JSON shapes (documented in the README) and text,
//! shared by the command line, the JSON API and the pages.

use serde::Serialize;
use tilebag_lexicon::{Alphagram, Lexicon, Word};
use utoipa::ToSchema;

/// A word with its hooks, as in `search` and `info` output.
#[derive(Debug, Serialize, ToSchema)]
pub struct WordOut<'a> {
    /// The word, upper-case.
    pub word: &'a str,
    /// Letters that go in front to make a word.
    pub front_hooks: String,
    /// Letters that go after to make a word.
    pub back_hooks: String,
    /// The word minus its first letter is a word.
    pub inner_front_hook: bool,
    /// The word minus its last letter is a word.
    pub inner_back_hook: bool,
    /// Its definition, if the lexicon has one.
    pub definition: Option<&'a str>,
    /// `#` when the word is not in the lexicon given with `--compare`; absent without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<&'static str>,
}

impl SearchOut<'_> {
    /// The first result's position, counting from 1 (0 when the page is empty).
    #[must_use]
    pub fn first(&self) -> usize {
        if self.alphagrams.is_empty() {
            0
        } else {
            self.offset + 1
        }
    }

    /// The last result's position, counting from 1.
    #[must_use]
    pub fn last(&self) -> usize {
        self.offset + self.alphagrams.len()
    }

    /// `1–500 of 24,878 alphagrams`, or that none match.
    #[must_use]
    pub fn summary(&self) -> String {
        let s = if self.total == 1 { "" } else { "s" };
        if self.total == 0 {
            "No alphagrams match".to_owned()
        } else if self.alphagrams.is_empty() {
            format!(
                "{} alphagram{s} match; this page starts past them",
                thousands(self.total)
            )
        } else {
            format!(
                "{}–{} of {} alphagram{s}",
                thousands(self.first()),
                thousands(self.last()),
                thousands(self.total)
            )
        }
    }

    /// Where the previous page starts, if there is one: from a page past the results, the
    /// last page that holds some (not another empty page a page's length earlier).
    #[must_use]
    pub fn previous(&self) -> Option<usize> {
        if self.offset == 0 || self.limit == 0 || self.total == 0 {
            return None;
        }
        let last_page = (self.total - 1) / self.limit * self.limit;
        Some(self.offset.saturating_sub(self.limit).min(last_page))
    }

    /// Where the next page starts, if there is one.
    #[must_use]
    pub fn next(&self) -> Option<usize> {
        let next = self.offset.saturating_add(self.limit);
        (self.limit > 0 && next < self.total).then_some(next)
    }
}

/// `24878` as `24,878`.
#[must_use]
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl<'a> WordOut<'a> {
    /// The view of a word; `compare` sets the symbol.
    pub fn new(word: &Word<'a>, compare: Option<&Lexicon>) -> WordOut<'a> {
        WordOut {
            word: word.text(),
            front_hooks: word.front_hooks(),
            back_hooks: word.back_hooks(),
            inner_front_hook: word.inner_front_hook(),
            inner_back_hook: word.inner_back_hook(),
            definition: word.definition(),
            symbol: compare.map(|other| if other.contains(word.text()) { "" } else { "#" }),
        }
    }

    /// `front WORD back`, with `·` marking inner hooks, as word study tools show it.
    fn text(&self) -> String {
        let dot = |inner: bool| if inner { "·" } else { "" };
        format!(
            "{:>8} {}{}{}{} {:<8}",
            self.front_hooks,
            dot(self.inner_front_hook),
            self.word,
            dot(self.inner_back_hook),
            self.symbol.unwrap_or(""),
            self.back_hooks
        )
    }
}

/// An alphagram with all its words, as in `search` output.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlphagramOut<'a> {
    /// The letters in alphabetical order.
    pub alphagram: String,
    /// Probability rank within its length (1 = likeliest).
    pub probability: u32,
    /// Ways to draw these tiles from a full bag.
    pub combinations: u64,
    /// Its words, alphabetically.
    pub words: Vec<WordOut<'a>>,
}

impl<'a> AlphagramOut<'a> {
    /// The view of an alphagram and all its words.
    pub fn new(alphagram: &Alphagram<'a>, compare: Option<&Lexicon>) -> AlphagramOut<'a> {
        AlphagramOut {
            alphagram: alphagram.letters(),
            probability: alphagram.probability(),
            combinations: alphagram.combinations(),
            words: alphagram
                .words()
                .map(|w| WordOut::new(&w, compare))
                .collect(),
        }
    }

    /// One line per word: rank and alphagram on the first, then hooks, word and definition.
    pub fn text(&self) -> String {
        let mut lines = String::new();
        for (i, word) in self.words.iter().enumerate() {
            let (rank, alphagram) = if i == 0 {
                (self.probability.to_string(), self.alphagram.as_str())
            } else {
                (String::new(), "")
            };
            let line = format!(
                "{rank:>6}  {alphagram:<15} {} {}",
                word.text(),
                word.definition.unwrap_or("")
            );
            lines.push_str(line.trim_end());
            lines.push('\n');
        }
        lines
    }
}

/// A word with its alphagram's facts, as in `info` output.
#[derive(Debug, Serialize, ToSchema)]
pub struct InfoOut<'a> {
    /// The word and its hooks.
    #[serde(flatten)]
    pub word: WordOut<'a>,
    /// The letters in alphabetical order.
    pub alphagram: String,
    /// Probability rank within its length (1 = likeliest).
    pub probability: u32,
    /// Ways to draw these tiles from a full bag.
    pub combinations: u64,
    /// Every word of its alphagram.
    pub anagrams: Vec<&'a str>,
    /// Facts about the letters (not in the JSON).
    #[serde(skip)]
    pub letters: LetterFacts,
}

/// Facts about an alphagram's letters, shown by `info`.
#[derive(Debug, Default, Clone, Copy)]
pub struct LetterFacts {
    /// Number of letters.
    pub length: usize,
    /// Sum of tile values.
    pub points: u32,
    /// Number of vowels.
    pub vowels: usize,
    /// Number of different letters.
    pub distinct: u32,
}

impl<'a> InfoOut<'a> {
    /// Everything about a word.
    pub fn new(word: &Word<'a>, compare: Option<&Lexicon>) -> InfoOut<'a> {
        let alphagram = word.alphagram();
        InfoOut {
            word: WordOut::new(word, compare),
            alphagram: alphagram.letters(),
            probability: alphagram.probability(),
            combinations: alphagram.combinations(),
            anagrams: alphagram.words().map(|w| w.text()).collect(),
            letters: LetterFacts {
                length: alphagram.len(),
                points: alphagram.points(),
                vowels: alphagram.vowels(),
                distinct: alphagram.distinct_letters(),
            },
        }
    }

    /// The text the command line prints.
    pub fn text(&self, lexicon: &str) -> String {
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        let none = |s: &str| {
            if s.is_empty() {
                "-".to_owned()
            } else {
                s.to_owned()
            }
        };
        format!(
            "{word} ({lexicon}){symbol}\n  alphagram     {alphagram}: {length} letters, {points} points, {vowels} vowels, {distinct} different\n  probability   #{rank} of the {length}-letter alphagrams ({combinations} combinations)\n  anagrams      {anagrams}\n  front hooks   {front}\n  back hooks    {back}\n  inner hooks   front: {inner_front}, back: {inner_back}\n  definition    {definition}\n",
            word = self.word.word,
            symbol = match self.word.symbol {
                Some("#") => "  # not in the compared lexicon",
                _ => "",
            },
            alphagram = self.alphagram,
            length = self.letters.length,
            points = self.letters.points,
            vowels = self.letters.vowels,
            distinct = self.letters.distinct,
            rank = self.probability,
            combinations = self.combinations,
            anagrams = self.anagrams.join(" "),
            front = none(&self.word.front_hooks),
            back = none(&self.word.back_hooks),
            inner_front = yes_no(self.word.inner_front_hook),
            inner_back = yes_no(self.word.inner_back_hook),
            definition = self.word.definition.unwrap_or("-"),
        )
    }
}

/// `anagram --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnagramOut<'a> {
    /// The lexicon's name.
    pub lexicon: &'a str,
    /// The query, upper-case.
    pub query: String,
    /// Matching words, alphabetically.
    pub words: Vec<&'a str>,
}

/// A page of search results (`search --json` has the same `lexicon` and `alphagrams`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut<'a> {
    /// The lexicon's name.
    pub lexicon: &'a str,
    /// How many alphagrams match in all.
    pub total: usize,
    /// How many matches were skipped before this page (the request's `offset`, default 0).
    pub offset: usize,
    /// The most this page holds (the request's `limit`, default 500, at most 10,000); the
    /// next page starts at `offset + limit` while that is below `total`.
    pub limit: usize,
    /// This page's matching alphagrams in probability order.
    pub alphagrams: Vec<AlphagramOut<'a>>,
}

/// `judge --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct JudgeOut<'a> {
    /// The lexicon's name.
    pub lexicon: &'a str,
    /// Whether all (or this) word is valid.
    pub valid: bool,
    /// Each word's verdict.
    pub words: Vec<Verdict>,
}

/// One judged word.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verdict {
    /// The word, upper-case.
    pub word: String,
    /// Whether all (or this) word is valid.
    pub valid: bool,
}

/// `GET /api/v1/lexicons`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LexiconOut<'a> {
    /// Its name.
    pub name: &'a str,
    /// Number of words.
    pub words: usize,
    /// Number of alphagrams.
    pub alphagrams: usize,
    /// Whether it has definitions.
    pub definitions: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(total: usize, offset: usize, limit: usize, shown: usize) -> SearchOut<'static> {
        SearchOut {
            lexicon: "L",
            total,
            offset,
            limit,
            alphagrams: (0..shown)
                .map(|_| AlphagramOut {
                    alphagram: "AB".into(),
                    probability: 1,
                    combinations: 1,
                    words: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn pages_say_where_they_are_and_where_the_others_start() {
        let first = page(24_878, 0, 500, 500);
        assert_eq!(first.summary(), "1–500 of 24,878 alphagrams");
        assert_eq!((first.previous(), first.next()), (None, Some(500)));
        let last = page(24_878, 24_500, 500, 378);
        assert_eq!(last.summary(), "24,501–24,878 of 24,878 alphagrams");
        assert_eq!((last.previous(), last.next()), (Some(24_000), None));
        let odd = page(1_000, 300, 500, 500);
        assert_eq!((odd.previous(), odd.next()), (Some(0), Some(800)));
        assert_eq!(page(1, 0, 500, 1).summary(), "1–1 of 1 alphagram");
        assert_eq!(page(0, 0, 500, 0).next(), None);
        assert_eq!(page(0, 0, 500, 0).summary(), "No alphagrams match");
        assert_eq!(
            page(10, 20, 500, 0).summary(),
            "10 alphagrams match; this page starts past them"
        );
        assert_eq!(
            page(0, 0, 0, 0).next(),
            None,
            "a page of none does not loop"
        );
        assert_eq!(page(100, 5, 0, 0).previous(), None, "nor does its previous");
        assert_eq!(page(24_878, usize::MAX, 1000, 0).previous(), Some(24_000));
    }

    #[test]
    fn thousands_are_separated_by_commas() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (24_878, "24,878"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), text);
        }
    }
}
