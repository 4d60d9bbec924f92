//! Prebuilds the bundled SCOWL80 lexicon, with its WordNet definitions, so the binary loads it
//! without building anything.

use std::io::Read;
use std::path::PathBuf;

use tilebag_lexicon::{AlignedBytes, ImportOptions, Lexicon, TileBag, WordList};

/// Reads a gzip-compressed word list of the crate's `data` directory.
fn read_list(source: &str) -> WordList {
    println!("cargo::rerun-if-changed={source}");
    let compressed =
        std::fs::read(source).unwrap_or_else(|e| panic!("{source} is in the crate: {e}"));
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut text)
        .unwrap_or_else(|e| panic!("{source} is gzip: {e}"));
    WordList::parse(&text, source, ImportOptions::default())
        .unwrap_or_else(|e| panic!("{source} is a valid list: {e}"))
}

fn main() {
    let mut list = read_list("data/scowl80.txt.gz");
    let definitions = read_list("data/definitions.txt.gz");
    let unknown = list.merge_definitions(definitions);
    assert_eq!(
        unknown, 0,
        "definitions.txt.gz defines {unknown} words that are not in SCOWL80"
    );
    let lexicon = Lexicon::build("SCOWL80", &list, &TileBag::english());
    // The binary opens these bytes without checking every entry: check them all here.
    let checked = Lexicon::from_bytes(AlignedBytes::copy_from(lexicon.as_bytes()))
        .unwrap_or_else(|e| panic!("the built lexicon fails its own checks: {e}"));
    assert_eq!(checked.word_count(), list.entries().len());
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("scowl80.tbx");
    std::fs::write(out, lexicon.as_bytes()).expect("OUT_DIR is writable");
}
