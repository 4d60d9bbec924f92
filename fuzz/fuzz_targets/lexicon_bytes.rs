//! The prebuilt lexicon format: damaged bytes are an error on load, never a panic later.
//! Whatever loads is walked completely (every alphagram, word and fact) and searched.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tilebag_fuzz::check_search;
use tilebag_lexicon::query::{Criterion, NumRange, Pattern, Query, Rack};
use tilebag_lexicon::{AlignedBytes, AlphagramId, Lexicon};

fuzz_target!(|data: &[u8]| {
    let Ok(lexicon) = Lexicon::from_bytes(AlignedBytes::copy_from(data)) else {
        return;
    };
    let _ = (
        lexicon.name(),
        lexicon.bag().total(),
        lexicon.has_definitions(),
    );
    for len in 0..=20 {
        for id in lexicon.alphagrams_of_length(len) {
            assert!((id as usize) < lexicon.alphagram_count());
        }
    }
    for id in 0..lexicon.alphagram_count() as u32 {
        let alphagram = lexicon.alphagram(AlphagramId(id));
        let letters = alphagram.letters();
        let _ = (
            alphagram.len(),
            alphagram.probability(),
            alphagram.combinations(),
            alphagram.points(),
            alphagram.vowels(),
            alphagram.distinct_letters(),
            alphagram.anagram_count(),
            lexicon.find_alphagram(&letters),
        );
        for word in alphagram.words() {
            let text = word.text();
            let _ = (
                word.alphagram().id(),
                word.front_hooks(),
                word.back_hooks(),
                word.inner_front_hook(),
                word.inner_back_hook(),
                word.definition(),
                lexicon.find_word(text),
            );
        }
    }
    let criteria = [
        Criterion::Length(NumRange::new(2, 15)),
        Criterion::Probability(NumRange::new(1, 3)),
        Criterion::Anagrams(NumRange::new(2, 9)),
        Criterion::Points(NumRange::new(0, 12)),
        Criterion::Vowels(NumRange::new(1, 2)),
        Criterion::Anagram(Rack::parse("AEST").expect("a rack")),
        Criterion::Anagram(Rack::parse("E??").expect("a rack")),
        Criterion::Build(Rack::parse("AEINRST?").expect("a rack")),
        Criterion::Super(Rack::parse("[AEIOU]S").expect("a rack")),
        Criterion::Pattern {
            pattern: Pattern::parse("*S*").expect("a pattern"),
            not: false,
        },
        Criterion::TakesFrontHook { not: false },
        Criterion::Definition {
            text: "a".into(),
            not: true,
        },
        Criterion::in_list(["AB", "RETAINS", "EAT"]).expect("a list"),
    ];
    for criterion in &criteria {
        check_search(&lexicon, &Query::of(criterion.clone()));
    }
    check_search(
        &lexicon,
        &Query {
            criteria: criteria[..4].to_vec(),
            offset: 1,
            limit: Some(5),
        },
    );
});
