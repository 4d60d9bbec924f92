//! Card kinds on the bundled lexicon: the fronts added, phonies, answers and judging.

use std::sync::LazyLock;

use proptest::prelude::*;
use tilebag_lexicon::Lexicon;
use tilebag_study::cards::{Fronts, fronts, phony, source_of_phony};
use tilebag_study::review::CardKind;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(tilebag_bundled::scowl80);

fn entries(list: &[&str]) -> Vec<String> {
    list.iter().map(|&e| e.to_owned()).collect()
}

fn fronts_of(kind: CardKind, list: &[&str]) -> Fronts {
    fronts(&LEXICON, kind, &entries(list))
}

#[test]
fn alphagram_fronts_are_each_alphagram_once_and_bad_entries_say_why_at_their_index() {
    let made = fronts_of(
        CardKind::Alphagram,
        &["rest", "ERST", " tres ", "", "QXZJ", "AB-C", "Q", "AERST"],
    );
    assert_eq!(made.fronts, ["ERST", "AERST"]);
    let indexes: Vec<usize> = made.bad.iter().map(|(i, _)| *i).collect();
    assert_eq!(indexes, [4, 5, 6], "{:?}", made.bad);
    assert!(made.bad[0].1.contains("“QXZJ”"), "{}", made.bad[0].1);
    assert!(
        made.bad[1].1.contains("other than letters"),
        "{}",
        made.bad[1].1
    );
    assert!(made.bad[2].1.contains("2 to 15"), "{}", made.bad[2].1);
}

#[test]
fn hooks_fronts_are_the_word_itself_or_every_word_of_an_alphagram() {
    let made = fronts_of(CardKind::Hooks, &["rest", "EORST", "REST"]);
    assert_eq!(made.fronts[0], "REST");
    let words: Vec<String> = LEXICON
        .alphagram(LEXICON.find_alphagram("EORST").unwrap())
        .words()
        .map(|w| w.text().to_owned())
        .collect();
    assert_eq!(made.fronts[1..], words[..]);
    assert!(made.bad.is_empty());
}

#[test]
fn word_or_phony_fronts_pair_each_word_with_its_phony() {
    let made = fronts_of(CardKind::WordOrPhony, &["REST", "rest", "CAT"]);
    let rest = phony(&LEXICON, "REST").unwrap();
    let cat = phony(&LEXICON, "CAT").unwrap();
    assert_eq!(
        made.fronts,
        ["REST".to_owned(), rest, "CAT".to_owned(), cat]
    );
}

#[test]
fn a_long_bad_entry_is_quoted_cut_short() {
    let long = "Z".repeat(500);
    let made = fronts(&LEXICON, CardKind::Alphagram, &[long]);
    let (index, why) = &made.bad[0];
    assert_eq!(*index, 0);
    assert!(why.chars().count() < 100 && why.contains('…'), "{why}");
}

#[test]
fn a_phony_is_one_slip_from_its_word_and_leads_back_to_it() {
    for word in ["REST", "QI", "RETAINS", "ZYZZYVA", "STRENGTHS"] {
        let made = phony(&LEXICON, word).unwrap();
        assert_eq!(made.len(), word.len());
        assert!(!LEXICON.contains(&made), "{made} is a word");
        let changed = made
            .bytes()
            .zip(word.bytes())
            .filter(|(a, b)| a != b)
            .count();
        assert!(changed == 1 || changed == 2, "{word} -> {made}");
        assert_eq!(
            source_of_phony(&LEXICON, &made).as_deref(),
            Some(word),
            "{made}"
        );
    }
    assert_eq!(phony(&LEXICON, "A"), None);
    assert_eq!(phony(&LEXICON, "NOT A WORD"), None);
}

fn some_word() -> impl Strategy<Value = String> {
    (0..LEXICON.word_count() as u32)
        .prop_map(|id| LEXICON.word(tilebag_lexicon::WordId(id)).text().to_owned())
}

proptest! {
    #[test]
    fn phonies_are_deterministic_same_length_and_never_words(word in some_word()) {
        let made = phony(&LEXICON, &word);
        prop_assert_eq!(&made, &phony(&LEXICON, &word.to_ascii_lowercase()));
        if let Some(made) = made {
            prop_assert_eq!(made.len(), word.len());
            prop_assert!(!LEXICON.contains(&made));
        }
    }
}
