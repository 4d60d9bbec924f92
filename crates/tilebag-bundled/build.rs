//! Prebuilds the bundled SCOWL80 lexicon so the binary loads it without building anything.

use std::io::Read;
use std::path::PathBuf;

use tilebag_lexicon::{ImportOptions, Lexicon, TileBag, WordList};

fn main() {
    let source = "data/scowl80.txt.gz";
    println!("cargo::rerun-if-changed={source}");
    let compressed = std::fs::read(source).expect("data/scowl80.txt.gz is in the crate");
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut text)
        .expect("scowl80.txt.gz is gzip");
    let list = WordList::parse(&text, source, ImportOptions::default())
        .expect("the SCOWL80 list is valid");
    let lexicon = Lexicon::build("SCOWL80", &list, &TileBag::english());
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("scowl80.tbx");
    std::fs::write(out, lexicon.as_bytes()).expect("OUT_DIR is writable");
}
