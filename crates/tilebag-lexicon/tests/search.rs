//! Every search criterion, and its negation, on small hand-made lexicons.

mod common;

use tilebag_lexicon::query::{Criterion, NumRange, Pattern, Query, Rack, Side};
use tilebag_lexicon::{ImportOptions, Lexicon, TileBag, WordList};

const WORDS: &str = "\
AA lava
AB an abdominal muscle
AE one
BA the soul, in Egyptian myth
QI the vital force
ZA pizza
AT
TA thanks
ACT to do something
CAT a small feline
TAC
ACTS
CAST
CATS
SCAT to leave hastily
ATE
EAT to consume food
ETA a Greek letter
TEA a drink
EATS
SEAT
TEAS
EAST
QAT
QATS
RETAINS
RETINAS
STAINER
NASTIER
STEARIN
";

fn lexicon() -> Lexicon {
    let list =
        WordList::parse(WORDS.as_bytes(), "test", ImportOptions::default()).expect("valid list");
    Lexicon::build("TEST", &list, &TileBag::english())
}

/// Every word of every matching alphagram, alphabetically.
fn words(lexicon: &Lexicon, criteria: Vec<Criterion<'_>>) -> Vec<String> {
    let query = Query {
        criteria,
        ..Query::default()
    };
    common::words_found(lexicon, &query)
}

fn alphagrams(lexicon: &Lexicon, query: &Query<'_>) -> Vec<String> {
    lexicon
        .search(query)
        .into_iter()
        .map(|id| lexicon.alphagram(id).letters())
        .collect()
}

fn rack(text: &str) -> Rack {
    Rack::parse(text).expect("valid rack")
}

fn pattern(text: &str) -> Pattern {
    Pattern::parse(text).expect("valid pattern")
}

#[test]
fn anagram_exact_and_with_blanks_and_classes() {
    let lex = lexicon();
    assert_eq!(
        words(&lex, vec![Criterion::Anagram(rack("tca"))]),
        ["ACT", "CAT", "TAC"]
    );
    assert_eq!(words(&lex, vec![Criterion::Anagram(rack("Q?"))]), ["QI"]);
    assert_eq!(
        words(&lex, vec![Criterion::Anagram(rack("AT?"))]),
        ["ACT", "ATE", "CAT", "EAT", "ETA", "QAT", "TAC", "TEA"]
    );
    assert_eq!(
        words(&lex, vec![Criterion::Anagram(rack("[CQ]AT"))]),
        ["ACT", "CAT", "QAT", "TAC"]
    );
    assert_eq!(words(&lex, vec![Criterion::Anagram(rack("???"))]).len(), 8);
    assert!(words(&lex, vec![Criterion::Anagram(rack("XYZ"))]).is_empty());
}

#[test]
fn build_and_super_anagram() {
    let lex = lexicon();
    assert_eq!(
        words(&lex, vec![Criterion::Build(rack("CAT"))]),
        ["ACT", "AT", "CAT", "TA", "TAC"]
    );
    assert_eq!(
        words(&lex, vec![Criterion::Build(rack("QAT?"))]),
        [
            "AA", "AB", "ACT", "AE", "AT", "ATE", "BA", "CAT", "EAT", "ETA", "QAT", "QATS", "QI",
            "TA", "TAC", "TEA", "ZA"
        ]
    );
    assert_eq!(
        words(&lex, vec![Criterion::Super(rack("QT"))]),
        ["QAT", "QATS"]
    );
    assert_eq!(
        words(&lex, vec![Criterion::Super(rack("SEAT?"))]),
        ["NASTIER", "RETAINS", "RETINAS", "STAINER", "STEARIN"]
    );
    assert_eq!(words(&lex, vec![Criterion::Super(rack("[XQ]I"))]), ["QI"]);
}

#[test]
fn pattern_and_its_negation() {
    let lex = lexicon();
    // Word-level criteria keep the whole alphagram when any of its words matches.
    let at = vec![Criterion::Pattern {
        pattern: pattern("?AT"),
        not: false,
    }];
    assert_eq!(
        words(&lex, at),
        ["ACT", "ATE", "CAT", "EAT", "ETA", "QAT", "TAC", "TEA"]
    );
    let qat = vec![Criterion::Pattern {
        pattern: pattern("Q?T"),
        not: false,
    }];
    assert_eq!(words(&lex, qat), ["QAT"]);
    assert_eq!(
        words(
            &lex,
            vec![
                Criterion::Pattern {
                    pattern: pattern("C*"),
                    not: false
                },
                Criterion::Length(NumRange::exactly(3))
            ]
        ),
        ["ACT", "CAT", "TAC"]
    );
    let not_ending_in_s = vec![
        Criterion::Pattern {
            pattern: pattern("*S"),
            not: true,
        },
        Criterion::Length(NumRange::exactly(4)),
    ];
    assert_eq!(
        words(&lex, not_ending_in_s),
        [
            "ACTS", "CAST", "CATS", "EAST", "EATS", "SCAT", "SEAT", "TEAS"
        ]
    );
    let only_s_words = vec![
        Criterion::Pattern {
            pattern: pattern("[^S]*"),
            not: true,
        },
        Criterion::Length(NumRange::exactly(4)),
    ];
    assert_eq!(
        words(&lex, only_s_words),
        [
            "ACTS", "CAST", "CATS", "EAST", "EATS", "SCAT", "SEAT", "TEAS"
        ]
    );
    let qats = vec![
        Criterion::Pattern {
            pattern: pattern("*S"),
            not: true,
        },
        Criterion::Super(rack("Q")),
    ];
    assert_eq!(words(&lex, qats), ["QAT", "QI"]);
}

#[test]
fn includes_consists_of_and_negations() {
    let lex = lexicon();
    let includes = |letters: &str, not: bool| Criterion::includes(letters, not).expect("letters");
    assert_eq!(
        words(&lex, vec![includes("Q", false)]),
        ["QAT", "QATS", "QI"]
    );
    assert_eq!(words(&lex, vec![includes("AA", false)]), ["AA"]);
    let no_a = words(&lex, vec![includes("A", true)]);
    assert_eq!(no_a, ["QI"]);
    assert_eq!(
        words(&lex, vec![Criterion::consists_of("ABZ").expect("letters")]),
        ["AA", "AB", "BA", "ZA"]
    );
}

#[test]
fn hooks_and_their_negations() {
    let lex = lexicon();
    let eat = lex.word(lex.find_word("eat").expect("EAT"));
    assert_eq!(
        (eat.front_hooks(), eat.back_hooks()),
        ("S".to_owned(), "S".to_owned())
    );
    let at = lex.word(lex.find_word("AT").expect("AT"));
    assert_eq!(
        (at.front_hooks(), at.back_hooks()),
        ("CEQ".to_owned(), "E".to_owned())
    );
    let cats = lex.word(lex.find_word("CATS").expect("CATS"));
    assert!(cats.inner_back_hook() && !cats.inner_front_hook());
    let scat = lex.word(lex.find_word("SCAT").expect("SCAT"));
    assert!(scat.inner_front_hook() && !scat.inner_back_hook());
}

#[test]
fn takes_a_hook_and_its_negation() {
    let lex = lexicon();
    let three = Criterion::Length(NumRange::exactly(3));
    // CAT and EAT take S in front; QAT takes nothing.
    assert_eq!(
        words(
            &lex,
            vec![three.clone(), Criterion::TakesFrontHook { not: false }]
        ),
        ["ACT", "ATE", "CAT", "EAT", "ETA", "TAC", "TEA"]
    );
    assert_eq!(
        words(
            &lex,
            vec![
                Criterion::Super(rack("Q")),
                Criterion::TakesFrontHook { not: true }
            ]
        ),
        ["QAT", "QATS", "QI"]
    );
    assert_eq!(
        words(
            &lex,
            vec![
                Criterion::Super(rack("Q")),
                Criterion::TakesBackHook { not: true }
            ]
        ),
        ["QATS", "QI"]
    );
    assert_eq!(
        words(
            &lex,
            vec![three.clone(), Criterion::TakesBackHook { not: false }]
        ),
        ["ACT", "ATE", "CAT", "EAT", "ETA", "QAT", "TAC", "TEA"]
    );
    assert_eq!(
        words(
            &lex,
            vec![
                Criterion::Length(NumRange::exactly(2)),
                Criterion::TakesBackHook { not: true }
            ]
        ),
        ["AA", "AB", "AE", "BA", "QI", "ZA"]
    );
    let c_front = Criterion::FrontHooks {
        letters: 1 << 2,
        not: false,
    };
    assert_eq!(words(&lex, vec![c_front]), ["AT", "TA"]);
    let e_back_not = Criterion::BackHooks {
        letters: 1 << 4,
        not: true,
    };
    // TA lacks the back hook E that AT takes, so their alphagram stays.
    assert_eq!(
        words(
            &lex,
            vec![Criterion::Length(NumRange::exactly(2)), e_back_not]
        ),
        ["AA", "AB", "AE", "AT", "BA", "QI", "TA", "ZA"]
    );
}

#[test]
fn inner_hooks_and_their_negations() {
    let lex = lexicon();
    let three = Criterion::Length(NumRange::exactly(3));
    let inner = |side, not| Criterion::InnerHook { side, not };
    // CAT, EAT and QAT less their first letter are AT; ATE and TAC less their last are AT and TA.
    assert_eq!(
        words(&lex, vec![three.clone(), inner(Side::Front, false)]),
        ["ACT", "ATE", "CAT", "EAT", "ETA", "QAT", "TAC", "TEA"]
    );
    assert_eq!(
        words(&lex, vec![three.clone(), inner(Side::Back, false)]),
        ["ACT", "ATE", "CAT", "EAT", "ETA", "TAC", "TEA"]
    );
    assert_eq!(
        words(
            &lex,
            vec![Criterion::Super(rack("Q")), inner(Side::Back, false)]
        ),
        ["QATS"]
    );
    assert_eq!(
        words(
            &lex,
            vec![
                Criterion::Length(NumRange::exactly(4)),
                inner(Side::Front, false)
            ]
        ),
        [
            "ACTS", "CAST", "CATS", "EAST", "EATS", "SCAT", "SEAT", "TEAS"
        ]
    );
    assert_eq!(
        words(&lex, vec![three.clone(), inner(Side::Either, true)]),
        ["ACT", "ATE", "CAT", "EAT", "ETA", "TAC", "TEA"]
    );
    assert_eq!(
        words(
            &lex,
            vec![Criterion::Super(rack("Q")), inner(Side::Either, true)]
        ),
        ["QI"]
    );
    assert_eq!(
        words(
            &lex,
            vec![
                Criterion::Length(NumRange::exactly(4)),
                inner(Side::Back, true),
                Criterion::Super(rack("Q"))
            ]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn definitions_and_other_lexicons() {
    let lex = lexicon();
    let definition = |text: &str, not| Criterion::Definition {
        text: text.into(),
        not,
    };
    assert_eq!(
        words(&lex, vec![definition("GREEK", false)]),
        ["ATE", "EAT", "ETA", "TEA"]
    );
    // AE's definition has no A; AT has none at all.
    assert_eq!(
        words(
            &lex,
            vec![
                Criterion::Length(NumRange::exactly(2)),
                definition("a", true)
            ]
        ),
        ["AE", "AT", "TA"]
    );
    let small = Lexicon::build(
        "SMALL",
        &WordList::from_words(["CAT", "QI", "TEA"]).expect("words"),
        &TileBag::english(),
    );
    let in_small = |not| Criterion::InLexicon {
        lexicon: &small,
        not,
    };
    assert_eq!(
        words(&lex, vec![in_small(false)]),
        ["ACT", "ATE", "CAT", "EAT", "ETA", "QI", "TAC", "TEA"]
    );
    assert_eq!(
        words(
            &lex,
            vec![Criterion::Length(NumRange::exactly(2)), in_small(true)]
        ),
        ["AA", "AB", "AE", "AT", "BA", "TA", "ZA"]
    );
    assert_eq!(
        lex.word(lex.find_word("QI").expect("QI")).definition(),
        Some("the vital force")
    );
    assert_eq!(
        lex.word(lex.find_word("TAC").expect("TAC")).definition(),
        None
    );
}

#[test]
fn lists_counts_points_vowels_and_distinct_letters() {
    let lex = lexicon();
    let list = Criterion::in_list(["cat", "TSAE", "qi", "XYZ"]).expect("entries");
    assert_eq!(
        words(&lex, vec![list]),
        ["ACT", "CAT", "EAST", "EATS", "QI", "SEAT", "TAC", "TEAS"]
    );
    assert!(Criterion::in_list(["C4T"]).is_err());
    assert_eq!(
        words(&lex, vec![Criterion::Anagrams(NumRange::new(5, 10))]),
        ["NASTIER", "RETAINS", "RETINAS", "STAINER", "STEARIN"]
    );
    assert_eq!(
        words(&lex, vec![Criterion::Points(NumRange::new(11, 100))]),
        ["QAT", "QATS", "QI", "ZA"]
    );
    assert_eq!(
        words(&lex, vec![Criterion::Vowels(NumRange::exactly(0))]),
        Vec::<String>::new()
    );
    assert_eq!(
        words(
            &lex,
            vec![
                Criterion::Vowels(NumRange::exactly(2)),
                Criterion::Length(NumRange::exactly(2))
            ]
        ),
        ["AA", "AE"]
    );
    assert_eq!(
        words(&lex, vec![Criterion::DistinctLetters(NumRange::exactly(1))]),
        ["AA"]
    );
}

#[test]
fn probability_ranks_follow_hand_computed_combinations() {
    let lex = lexicon();
    // Two blanks may stand in for any letter. By hand, with the English bag:
    // AE: 9·12 + 2·12 + 2·9 + 1 = 151; AA: C(9,2) + 2·9 + 1 = 55; AB: 9·2 + 2·2 + 2·9 + 1 = 41;
    // AZ: 9·1 + 2·1 + 2·9 + 1 = 30; IQ: 9·1 + 2·1 + 2·9 + 1 = 30 (ties go alphabetically);
    // AT: 9·6 + 2·6 + 2·9 + 1 = 85.
    let expected = [
        ("AE", 151),
        ("AT", 85),
        ("AA", 55),
        ("AB", 41),
        ("AZ", 30),
        ("IQ", 30),
    ];
    let twos = lex.search(&Query::of(Criterion::Length(NumRange::exactly(2))));
    let found: Vec<(String, u64)> = twos
        .iter()
        .map(|&id| {
            (
                lex.alphagram(id).letters(),
                lex.alphagram(id).combinations(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = expected.iter().map(|&(a, c)| (a.to_owned(), c)).collect();
    assert_eq!(found, expected);
    for (rank, &id) in twos.iter().enumerate() {
        assert_eq!(lex.alphagram(id).probability() as usize, rank + 1);
    }
}

#[test]
fn probability_range_limit_and_offset() {
    let lex = lexicon();
    let twos = |probability, offset, limit| Query {
        criteria: vec![
            Criterion::Length(NumRange::exactly(2)),
            Criterion::Probability(probability),
        ],
        offset,
        limit,
    };
    assert_eq!(
        alphagrams(&lex, &twos(NumRange::new(2, 4), 0, None)),
        ["AT", "AA", "AB"]
    );
    assert_eq!(
        alphagrams(&lex, &twos(NumRange::new(1, 100), 1, Some(2))),
        ["AT", "AA"]
    );
    // The limit applies after the other criteria.
    let with_vowels = Query {
        criteria: vec![
            Criterion::Length(NumRange::exactly(2)),
            Criterion::Vowels(NumRange::exactly(1)),
        ],
        offset: 0,
        limit: Some(2),
    };
    assert_eq!(alphagrams(&lex, &with_vowels), ["AT", "AB"]);
    // Results run by length, then rank.
    let all = alphagrams(
        &lex,
        &Query {
            criteria: vec![Criterion::Super(rack("T"))],
            offset: 0,
            limit: None,
        },
    );
    assert_eq!(all.first().map(String::as_str), Some("AT"));
    assert_eq!(all.last().map(String::as_str), Some("AEINRST"));
}

#[test]
fn lookups_and_judging() {
    let lex = lexicon();
    assert!(
        lex.contains("retains")
            && lex.contains("QI")
            && !lex.contains("QIS")
            && !lex.contains("Q1")
    );
    assert!(!lex.contains("") && !lex.contains("ABCDEFGHIJKLMNOPQ"));
    let id = lex.find_alphagram("sniaert").expect("AEINRST");
    let alphagram = lex.alphagram(id);
    assert_eq!(
        alphagram.words().map(|w| w.text()).collect::<Vec<_>>(),
        ["NASTIER", "RETAINS", "RETINAS", "STAINER", "STEARIN"]
    );
    assert_eq!(
        (
            alphagram.len(),
            alphagram.anagram_count(),
            alphagram.points(),
            alphagram.vowels()
        ),
        (7, 5, 7, 3)
    );
    let word = lex.word(lex.find_word("stearin").expect("word"));
    assert_eq!(word.alphagram().letters(), "AEINRST");
}

#[test]
fn prebuilt_bytes_load_back_identically() {
    let lex = lexicon();
    let loaded = Lexicon::from_bytes(tilebag_lexicon::AlignedBytes::copy_from(lex.as_bytes()))
        .expect("loads");
    assert_eq!(loaded.name(), "TEST");
    assert_eq!(loaded.word_count(), lex.word_count());
    assert_eq!(
        words(&loaded, vec![Criterion::Anagram(rack("AT?"))]),
        words(&lex, vec![Criterion::Anagram(rack("AT?"))])
    );
    assert_eq!(loaded.bag(), lex.bag());
}

#[test]
fn version_1_bytes_without_the_trie_load_and_build_by_scanning() {
    let lex = lexicon();
    let mut bytes = lex.as_bytes().to_vec();
    // Version 1 had the same header and thirteen sections: the last two (the trie) are ignored.
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    bytes[16..20].copy_from_slice(&13u32.to_le_bytes());
    let old = Lexicon::from_bytes(tilebag_lexicon::AlignedBytes::copy_from(&bytes)).expect("loads");
    for rack_text in ["AEINRST", "AT?", "RE??"] {
        let build = |lexicon: &Lexicon| words(lexicon, vec![Criterion::Build(rack(rack_text))]);
        assert_eq!(build(&old), build(&lex), "{rack_text}");
    }
}

#[test]
fn words_of_lists_each_alphagrams_words_in_the_order_given() {
    let lex = lexicon();
    let mut ids = lex.search(&Query::default());
    ids.reverse();
    let one_by_one: Vec<&str> = ids
        .iter()
        .flat_map(|&id| lex.alphagram(id).words().map(|w| w.text()))
        .collect();
    assert!(one_by_one.len() > 10);
    assert_eq!(lex.words_of(&ids), one_by_one);
}

#[test]
fn damaged_prebuilt_bytes_are_errors_not_panics() {
    let lex = lexicon();
    let bytes = lex.as_bytes();
    assert!(Lexicon::from_bytes(tilebag_lexicon::AlignedBytes::copy_from(b"hello")).is_err());
    assert!(
        Lexicon::from_bytes(tilebag_lexicon::AlignedBytes::copy_from(
            &bytes[..bytes.len() / 2]
        ))
        .is_err()
    );
    // Flip every byte in turn: each result is an error or a lexicon that still answers.
    for i in (0..bytes.len()).step_by(7) {
        let mut damaged = bytes.to_vec();
        damaged[i] ^= 0xA5;
        if let Ok(lexicon) = Lexicon::from_bytes(tilebag_lexicon::AlignedBytes::copy_from(&damaged))
        {
            let _ = words(
                &lexicon,
                vec![
                    Criterion::Build(rack("AEINRST?")),
                    Criterion::Pattern {
                        pattern: pattern("*"),
                        not: false,
                    },
                ],
            );
            let _ = lexicon.contains("RETAINS");
            for id in lexicon.search(&Query::default()) {
                let alphagram = lexicon.alphagram(id);
                let _ = (
                    alphagram.letters(),
                    alphagram.probability(),
                    alphagram.points(),
                );
                for word in alphagram.words() {
                    let _ = (
                        word.text(),
                        word.front_hooks(),
                        word.definition(),
                        word.alphagram().len(),
                    );
                }
            }
        }
    }
}

#[test]
fn a_damaged_key_longer_than_fifteen_letters_is_refused_on_load_not_a_panic_later() {
    let mut bytes = lexicon().as_bytes().to_vec();
    // The section table follows the 24-byte header; the keys are the second section.
    let at = u64::from_le_bytes(bytes[40..48].try_into().expect("8 bytes"));
    let at = usize::try_from(at).expect("in memory");
    bytes[at..at + 16].copy_from_slice(&(1u128 << 80).to_le_bytes());
    let error = Lexicon::from_bytes(tilebag_lexicon::AlignedBytes::copy_from(&bytes)).unwrap_err();
    assert!(error.to_string().contains("key"), "{error}");
}
