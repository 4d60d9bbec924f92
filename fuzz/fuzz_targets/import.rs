//! The word-list importer: any bytes either import or fail with the line at fault; what
//! imports is sorted, unique and valid, builds a lexicon that loads from its own bytes, and
//! every imported word is found again with its definition and its hooks.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use tilebag_lexicon::{
    AlignedBytes, AlphagramId, ImportError, ImportOptions, Lexicon, TileBag, WordList,
};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, text)) = data.split_first() else {
        return;
    };
    let options = ImportOptions {
        skip_invalid: flags & 1 == 1,
    };
    let list = match WordList::parse(text, "fuzz.txt", options) {
        Ok(list) => list,
        Err(ImportError::InvalidWord { line, .. } | ImportError::NotUtf8 { line, .. }) => {
            let lines = text.split(|&b| b == b'\n').count();
            assert!((1..=lines).contains(&line), "line {line} of {lines}");
            return;
        }
        Err(ImportError::Empty { .. }) => return,
    };
    let entries = list.entries();
    assert!(!entries.is_empty());
    assert!(
        entries.windows(2).all(|w| w[0].word < w[1].word),
        "sorted, without duplicates"
    );
    for entry in entries {
        assert!((2..=15).contains(&entry.word.len()), "{}", entry.word);
        assert!(entry.word.bytes().all(|b| b.is_ascii_uppercase()));
    }

    let built = Lexicon::build("FUZZ", &list, &TileBag::english());
    let lexicon = Lexicon::from_bytes(AlignedBytes::copy_from(built.as_bytes()))
        .expect("a built lexicon loads from its own bytes");
    assert_eq!(lexicon.word_count(), entries.len());
    let spelled: usize = (0..lexicon.alphagram_count() as u32)
        .map(|id| lexicon.alphagram(AlphagramId(id)).anagram_count())
        .sum();
    assert_eq!(spelled, entries.len(), "each word belongs to one alphagram");

    let words: HashSet<&str> = entries.iter().map(|e| e.word.as_str()).collect();
    for entry in entries {
        let id = lexicon
            .find_word(&entry.word)
            .unwrap_or_else(|| panic!("{} was imported but is not found", entry.word));
        assert_eq!(
            lexicon.find_word(&entry.word.to_ascii_lowercase()),
            Some(id)
        );
        let word = lexicon.word(id);
        assert_eq!(word.text(), entry.word);
        assert_eq!(word.definition(), entry.definition.as_deref());
        assert!(word.alphagram().words().any(|w| w.id() == id));
        let text = word.text();
        for hook in word.front_hooks().chars() {
            assert!(
                words.contains(format!("{hook}{text}").as_str()),
                "{hook}{text}"
            );
        }
        for hook in word.back_hooks().chars() {
            assert!(
                words.contains(format!("{text}{hook}").as_str()),
                "{text}{hook}"
            );
        }
        assert_eq!(word.inner_front_hook(), words.contains(&text[1..]));
        assert_eq!(
            word.inner_back_hook(),
            words.contains(&text[..text.len() - 1])
        );
        if text.len() < 15 {
            let front: String = (b'A'..=b'Z')
                .map(char::from)
                .filter(|c| words.contains(format!("{c}{text}").as_str()))
                .collect();
            assert_eq!(word.front_hooks(), front, "front hooks of {text}");
        }
    }
});
