//! Anagram, build, super-anagram and pattern search agree with a brute-force scan.

mod common;

use proptest::prelude::*;
use tilebag_lexicon::query::{Criterion, NumRange, Pattern, Query, Rack};
use tilebag_lexicon::{Lexicon, TileBag, WordList};

const ALPHABET: &[u8] = b"AEIRSTQZ";

#[derive(Clone, Debug)]
enum Tile {
    Letter(u8),
    Blank,
    Class(Vec<u8>),
}

impl Tile {
    fn accepts(&self, letter: u8) -> bool {
        match self {
            Tile::Letter(l) => *l == letter,
            Tile::Blank => true,
            Tile::Class(set) => set.contains(&letter),
        }
    }
}

fn rack_text(tiles: &[Tile]) -> String {
    tiles
        .iter()
        .map(|t| match t {
            Tile::Letter(l) => char::from(*l).to_string(),
            Tile::Blank => "?".to_owned(),
            Tile::Class(set) => format!("[{}]", String::from_utf8_lossy(set)),
        })
        .collect()
}

/// Can every letter of `letters` take a different tile? (Tries every assignment.)
fn assignable(letters: &[u8], tiles: &[Tile], used: &mut Vec<bool>) -> bool {
    let Some((&first, rest)) = letters.split_first() else {
        return true;
    };
    for i in 0..tiles.len() {
        if !used[i] && tiles[i].accepts(first) {
            used[i] = true;
            let ok = assignable(rest, tiles, used);
            used[i] = false;
            if ok {
                return true;
            }
        }
    }
    false
}

/// Can every tile take a different letter of the word?
fn covers(tiles: &[Tile], word: &[u8], used: &mut Vec<bool>) -> bool {
    let Some((first, rest)) = tiles.split_first() else {
        return true;
    };
    for i in 0..word.len() {
        if !used[i] && first.accepts(word[i]) {
            used[i] = true;
            let ok = covers(rest, word, used);
            used[i] = false;
            if ok {
                return true;
            }
        }
    }
    false
}

fn letter() -> impl Strategy<Value = u8> {
    prop::sample::select(ALPHABET)
}

fn words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::collection::vec(letter(), 2..7), 1..120).prop_map(|words| {
        words
            .into_iter()
            .map(|w| String::from_utf8(w).expect("ascii"))
            .collect()
    })
}

fn tiles() -> impl Strategy<Value = Vec<Tile>> {
    let tile = prop_oneof![
        4 => letter().prop_map(Tile::Letter),
        1 => Just(Tile::Blank),
        1 => prop::collection::btree_set(letter(), 1..4).prop_map(|s| Tile::Class(s.into_iter().collect())),
    ];
    prop::collection::vec(tile, 1..8)
}

fn found(lexicon: &Lexicon, criterion: Criterion<'_>) -> Vec<String> {
    common::words_found(lexicon, &Query::of(criterion))
}

fn expected(list: &WordList, keep: impl Fn(&[u8]) -> bool) -> Vec<String> {
    list.entries()
        .iter()
        .filter(|e| keep(e.word.as_bytes()))
        .map(|e| e.word.clone())
        .collect()
}

/// Letters of `word` that `letters` lacks, counting repeats.
fn missing(word: &[u8], letters: &[u8]) -> usize {
    let mut left = letters.to_vec();
    word.iter()
        .filter(|l| match left.iter().position(|x| x == *l) {
            Some(i) => {
                left.swap_remove(i);
                false
            }
            None => true,
        })
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn builds_with_blanks_lengths_and_other_criteria_match_brute_force(
        words in words(),
        letters in prop::collection::vec(letter(), 0..8),
        blanks in 0usize..=8,
        lengths in (0u32..8, 0u32..8),
        include in prop::option::of((letter(), any::<bool>())),
    ) {
        prop_assume!(!letters.is_empty() || blanks > 0);
        let list = WordList::from_words(&words).expect("valid words");
        let lexicon = Lexicon::build("P", &list, &TileBag::english());
        let text = format!("{}{}", String::from_utf8_lossy(&letters), "?".repeat(blanks));
        let (min, max) = (lengths.0.min(lengths.1), lengths.0.max(lengths.1));
        let mut criteria = vec![
            Criterion::Build(Rack::parse(&text).expect("valid rack")),
            Criterion::Length(NumRange::new(min, max)),
        ];
        if let Some((letter, not)) = include {
            criteria.push(Criterion::includes(&char::from(letter).to_string(), not).expect("a letter"));
        }
        let query = Query { criteria, ..Query::default() };
        let n = letters.len() + blanks;
        prop_assert_eq!(
            common::words_found(&lexicon, &query),
            expected(&list, |w| {
                w.len() <= n
                    && (min as usize..=max as usize).contains(&w.len())
                    && missing(w, &letters) <= blanks
                    && include.is_none_or(|(l, not)| w.contains(&l) != not)
            }),
            "build {} lengths {}-{} include {:?}", text, min, max, include
        );
    }

    #[test]
    fn builds_by_trie_come_in_the_order_of_a_scan(
        words in words(),
        letters in prop::collection::vec(letter(), 1..8),
        blanks in 1usize..=4,
        offset in 0usize..5,
        limit in prop::option::of(0usize..10),
    ) {
        // A class of every letter works like a blank but is answered by scanning.
        let list = WordList::from_words(&words).expect("valid words");
        let lexicon = Lexicon::build("P", &list, &TileBag::english());
        let letters = String::from_utf8_lossy(&letters).into_owned();
        let query = |tile: &str| Query {
            criteria: vec![Criterion::Build(
                Rack::parse(&format!("{letters}{}", tile.repeat(blanks))).expect("valid rack"),
            )],
            offset,
            limit,
        };
        prop_assert_eq!(lexicon.search(&query("?")), lexicon.search(&query("[A-Z]")));
    }

    #[test]
    fn racks_match_brute_force(words in words(), tiles in tiles()) {
        let list = WordList::from_words(&words).expect("valid words");
        let lexicon = Lexicon::build("P", &list, &TileBag::english());
        let text = rack_text(&tiles);
        let rack = Rack::parse(&text).expect("valid rack");
        let n = tiles.len();
        prop_assert_eq!(
            found(&lexicon, Criterion::Anagram(rack.clone())),
            expected(&list, |w| w.len() == n && assignable(w, &tiles, &mut vec![false; n])),
            "anagram {}", text
        );
        prop_assert_eq!(
            found(&lexicon, Criterion::Build(rack.clone())),
            expected(&list, |w| w.len() <= n && assignable(w, &tiles, &mut vec![false; n])),
            "build {}", text
        );
        prop_assert_eq!(
            found(&lexicon, Criterion::Super(rack)),
            expected(&list, |w| covers(&tiles, w, &mut vec![false; w.len()])),
            "super {}", text
        );
    }

    #[test]
    fn patterns_match_a_regex(words in words(), parts in prop::collection::vec(0usize..4, 1..7), seed in any::<u64>()) {
        // Build a pattern and the equivalent regular expression side by side.
        let mut pattern = String::new();
        let mut regex = String::from("^");
        for (i, part) in parts.iter().enumerate() {
            let l = char::from(ALPHABET[(seed as usize + i * 7) % ALPHABET.len()]);
            let (p, r) = match part {
                0 => (l.to_string(), l.to_string()),
                1 => ("?".to_owned(), "[A-Z]".to_owned()),
                2 => ("*".to_owned(), "[A-Z]*".to_owned()),
                _ => (format!("[{l}S]"), format!("[{l}S]")),
            };
            pattern.push_str(&p);
            regex.push_str(&r);
        }
        regex.push('$');
        let regex = regex::Regex::new(&regex).expect("regex");
        let compiled = Pattern::parse(&pattern).expect("pattern");
        for word in &words {
            prop_assert_eq!(compiled.matches(word.as_bytes()), regex.is_match(word), "{} on {}", pattern, word);
        }
    }
}
