//! Lexicon engine benchmarks on the bundled SCOWL80 list, beside a plain hash-map baseline.
//!
//! Run with `cargo bench -p tilebag-lexicon`.

use std::collections::HashMap;
use std::io::Read;
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use tilebag_lexicon::query::{Criterion, NumRange, Query, Rack};
use tilebag_lexicon::{AlignedBytes, ImportOptions, Lexicon, TileBag, WordList};

fn main() {
    divan::main();
}

static RAW: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(tilebag_bundled::WORDS_GZ)
        .read_to_end(&mut text)
        .expect("gzip");
    text
});
static LEXICON: LazyLock<Lexicon> = LazyLock::new(tilebag_bundled::scowl80);
static BASELINE: LazyLock<Baseline> = LazyLock::new(|| Baseline::build(&RAW));

/// The obvious alternative: a hash map of alphagram to words, built at start-up.
struct Baseline(HashMap<String, Vec<String>>);

impl Baseline {
    fn build(raw: &[u8]) -> Baseline {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for word in std::str::from_utf8(raw).expect("utf-8").lines() {
            let mut letters: Vec<u8> = word.bytes().collect();
            letters.sort_unstable();
            map.entry(String::from_utf8(letters).expect("ascii"))
                .or_default()
                .push(word.to_owned());
        }
        Baseline(map)
    }

    fn fits(rack: &[u8], blanks: usize, alphagram: &str) -> bool {
        let mut counts = [0i32; 26];
        for &b in rack {
            counts[usize::from(b - b'A')] += 1;
        }
        let mut missing = 0;
        for b in alphagram.bytes() {
            let c = &mut counts[usize::from(b - b'A')];
            if *c > 0 {
                *c -= 1;
            } else {
                missing += 1;
            }
        }
        missing <= blanks
    }

    fn query(&self, letters: &str, blanks: usize, exact: bool) -> Vec<&str> {
        let len = letters.len() + blanks;
        self.0
            .iter()
            .filter(|(a, _)| {
                if exact {
                    a.len() == len
                } else {
                    a.len() <= len
                }
            })
            .filter(|(a, _)| Baseline::fits(letters.as_bytes(), blanks, a))
            .flat_map(|(_, words)| words.iter().map(String::as_str))
            .collect()
    }
}

fn words(lexicon: &Lexicon, query: &Query<'_>) -> Vec<&'static str> {
    let _ = lexicon;
    LEXICON.words_of(&LEXICON.search(query))
}

fn rack(kind: &str, text: &str) -> Query<'static> {
    let rack = Rack::parse(text).expect("valid rack");
    Query::of(match kind {
        "anagram" => Criterion::Anagram(rack),
        _ => Criterion::Build(rack),
    })
}

#[divan::bench(sample_count = 20)]
fn build_index_from_raw_list(bencher: Bencher) {
    let raw = RAW.as_slice();
    bencher.bench(|| {
        let list =
            WordList::parse(black_box(raw), "scowl80", ImportOptions::default()).expect("valid");
        Lexicon::build("SCOWL80", &list, &TileBag::english())
    });
}

#[divan::bench(sample_count = 20)]
fn baseline_build_hash_map(bencher: Bencher) {
    let raw = RAW.as_slice();
    bencher.bench(|| Baseline::build(black_box(raw)));
}

#[divan::bench]
fn load_prebuilt_from_file_bytes(bencher: Bencher) {
    let bytes = LEXICON.as_bytes().to_vec();
    bencher
        .bench(|| Lexicon::from_bytes(AlignedBytes::copy_from(black_box(&bytes))).expect("valid"));
}

#[divan::bench]
fn load_bundled_in_place() -> Lexicon {
    tilebag_bundled::scowl80()
}

#[divan::bench(args = ["AEINRST", "RETINA??", "QI?"])]
fn anagram(bencher: Bencher, text: &str) {
    let query = rack("anagram", text);
    LazyLock::force(&LEXICON);
    bencher.bench(|| words(&LEXICON, black_box(&query)));
}

/// Build racks from no blanks to four, the way players ask for the words in their rack.
const BUILD_RACKS: [&str; 5] = [
    "AEINRST",
    "AEINRST?",
    "AEINRST??",
    "AEINRST???",
    "AEINRST????",
];

#[divan::bench(args = BUILD_RACKS)]
fn build(bencher: Bencher, text: &str) {
    let query = rack("build", text);
    LazyLock::force(&LEXICON);
    bencher.bench(|| words(&LEXICON, black_box(&query)));
}

/// Turning one search's alphagrams into words, counted per word.
#[divan::bench]
fn words_of_results(bencher: Bencher) {
    let query = Query::of(Criterion::Length(NumRange::exactly(7)));
    LazyLock::force(&LEXICON);
    let ids = LEXICON.search(&query);
    let count: usize = ids
        .iter()
        .map(|&id| LEXICON.alphagram(id).anagram_count())
        .sum();
    bencher
        .counter(divan::counter::ItemsCount::new(count))
        .bench(|| LEXICON.words_of(black_box(&ids)));
}

#[divan::bench]
fn search_length_7_prob_1_1000(bencher: Bencher) {
    let query = Query {
        criteria: vec![
            Criterion::Length(NumRange::exactly(7)),
            Criterion::Probability(NumRange::new(1, 1000)),
        ],
        ..Query::default()
    };
    LazyLock::force(&LEXICON);
    bencher.bench(|| words(&LEXICON, black_box(&query)));
}

#[divan::bench(args = [("AEINRST", 0), ("RETINA", 2), ("QI", 1)])]
fn baseline_anagram(bencher: Bencher, (letters, blanks): (&str, usize)) {
    LazyLock::force(&BASELINE);
    bencher.bench(|| {
        if blanks == 0 {
            let mut sorted: Vec<u8> = letters.bytes().collect();
            sorted.sort_unstable();
            let key = String::from_utf8(sorted).expect("ascii");
            BASELINE
                .0
                .get(&key)
                .map(|w| w.iter().map(String::as_str).collect::<Vec<_>>())
                .unwrap_or_default()
        } else {
            BASELINE.query(black_box(letters), blanks, true)
        }
    });
}

#[divan::bench(args = BUILD_RACKS)]
fn baseline_build(bencher: Bencher, text: &str) {
    LazyLock::force(&BASELINE);
    let letters = text.trim_end_matches('?');
    let blanks = text.len() - letters.len();
    bencher.bench(|| BASELINE.query(black_box(letters), blanks, false));
}
