//! The upload reader (`POST /api/v1/walls/upload`): any bytes give the alphagrams of the
//! lines' words, each once, in the order first seen, or a 400-class refusal; never a panic.
#![no_main]

use std::collections::HashSet;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tilebag_lexicon::Lexicon;
use tilebag_server::app::ServiceError;
use tilebag_server::app::upload::read_upload;
use tilebag_server::app::walls::MAX_QUESTIONS;

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(tilebag_bundled::scowl80)
}

fuzz_target!(|data: &[u8]| {
    let lexicon = lexicon();
    match read_upload(lexicon, data) {
        Ok(alphagrams) => {
            assert!(!alphagrams.is_empty() && alphagrams.len() <= MAX_QUESTIONS);
            let text = std::str::from_utf8(data).expect("only UTF-8 is accepted");
            let mut expected = Vec::new();
            let mut seen = HashSet::new();
            for line in text.lines() {
                let line = line.trim().trim_start_matches('\u{feff}');
                if line.starts_with('#') {
                    continue;
                }
                let Some(entry) = line.split_whitespace().next() else {
                    continue;
                };
                let id = lexicon
                    .find_alphagram(entry)
                    .unwrap_or_else(|| panic!("`{entry}` was accepted but has no alphagram"));
                let letters = lexicon.alphagram(id).letters();
                if seen.insert(letters.clone()) {
                    expected.push(letters);
                }
            }
            assert_eq!(alphagrams, expected);
            for alphagram in &alphagrams {
                let mut sorted = alphagram.clone().into_bytes();
                sorted.sort_unstable();
                assert_eq!(sorted, alphagram.as_bytes(), "letters in order");
            }
        }
        Err(ServiceError::Invalid(message)) => {
            assert!(!message.is_empty());
            assert!(
                message.len() <= data.len() * 2 + 2_000,
                "{} bytes of message",
                message.len()
            );
        }
        Err(other) => panic!("an upload is refused as bad input, not {other:?}"),
    }
});
