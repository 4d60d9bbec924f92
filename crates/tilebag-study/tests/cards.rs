//! Card kinds on the bundled lexicon: the fronts added, phonies, answers and judging.

use std::sync::LazyLock;

use proptest::prelude::*;
use tilebag_lexicon::Lexicon;
use tilebag_study::cards::{
    Answer, CardError, Fronts, MAX_TYPED_CHARS, MAX_TYPED_TOKENS, answer, fronts, judge, phony,
    prompt, source_of_phony,
};
use tilebag_study::review::{CardKind, Rating};

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

#[test]
fn phonies_never_change_between_releases() {
    // Recorded once: a change here would turn existing cards' phonies into other strings.
    let made: Vec<_> = ["RETAINS", "CARE", "QI"]
        .map(|w| phony(&LEXICON, w).unwrap())
        .into();
    assert_eq!(made, ["REYAINS", "CARO", "JI"]);
}

fn answer_of(kind: CardKind, front: &str) -> Answer {
    answer(&LEXICON, kind, front).unwrap()
}

#[test]
fn an_alphagram_card_asks_how_many_words_and_answers_them_with_hooks_and_definitions() {
    let asked = prompt(&LEXICON, CardKind::Alphagram, "LEAD").unwrap();
    assert_eq!((asked.front.as_str(), asked.words), ("ADEL", Some(4)));
    assert_eq!(asked.question, "Which 4 words do these letters make?");
    let Answer::Alphagram { alphagram, words } = answer_of(CardKind::Alphagram, "ADEL") else {
        panic!("not an alphagram answer");
    };
    assert_eq!(alphagram, "ADEL");
    let texts: Vec<&str> = words.iter().map(|w| w.word.as_str()).collect();
    assert_eq!(texts, ["DALE", "DEAL", "LADE", "LEAD"]);
    let lead = &words[3];
    assert!(
        lead.back_hooks.contains('S') && lead.definition.is_some(),
        "{lead:?}"
    );
}

#[test]
fn a_hooks_card_answers_its_hook_letters_and_the_words_they_make() {
    let answered = answer_of(CardKind::Hooks, "care");
    let Answer::Hooks {
        word,
        front_words,
        back_words,
    } = &answered
    else {
        panic!("not a hooks answer");
    };
    assert_eq!(
        (word.front_hooks.as_str(), word.back_hooks.as_str()),
        ("S", "DRSTX")
    );
    assert!(word.inner_front && word.inner_back, "ARE and CAR are words");
    assert_eq!(front_words, &["SCARE"]);
    assert_eq!(back_words, &["CARED", "CARER", "CARES", "CARET", "CAREX"]);
    assert!(answered.prompt().question.contains("“CARE”"));
}

#[test]
fn a_word_or_phony_card_answers_valid_or_phony_and_where_a_phony_came_from() {
    let verdict = |front| match answer_of(CardKind::WordOrPhony, front) {
        Answer::WordOrPhony {
            valid,
            facts,
            source,
            ..
        } => (valid, facts.map(|f| f.word), source),
        other => panic!("not a word-or-phony answer: {other:?}"),
    };
    assert_eq!(verdict("CARO"), (false, None, Some("CARE".to_owned())));
    assert_eq!(verdict("care"), (true, Some("CARE".to_owned()), None));
}

#[test]
fn a_front_that_no_longer_fits_the_lexicon_is_a_card_error_saying_so() {
    let none = answer(&LEXICON, CardKind::Alphagram, "QQXZ").unwrap_err();
    assert!(matches!(none, CardError::NoWords { .. }));
    assert!(
        none.to_string().contains("“QQXZ” makes no word in SCOWL80"),
        "{none}"
    );
    let not_word = answer(&LEXICON, CardKind::Hooks, "AEINRST").unwrap_err();
    assert!(
        not_word.to_string().contains("“AEINRST” is not a word"),
        "{not_word}"
    );
    let bad = answer(&LEXICON, CardKind::WordOrPhony, "NO WAY").unwrap_err();
    assert!(matches!(bad, CardError::BadFront { .. }), "{bad}");
}

#[test]
fn typed_alphagram_words_are_right_missing_or_wrong_and_the_grade_follows() {
    let card = answer_of(CardKind::Alphagram, "ADEL");
    let all = judge(&card, "lead, deal\nDALE lade lead");
    assert_eq!((all.right.len(), all.proposed), (4, Rating::Good));
    assert!(all.missing.is_empty() && all.wrong.is_empty() && !all.truncated);
    let some = judge(&card, "LEAD DEAL LEDA");
    assert_eq!(some.missing, ["DALE", "LADE"]);
    assert_eq!(
        (some.wrong, some.proposed),
        (vec!["LEDA".to_owned()], Rating::Again)
    );
    let extra = judge(&card, "DALE DEAL LADE LEAD DAEL d3al");
    assert_eq!(extra.wrong, ["DAEL", "d3al"]);
    assert_eq!(extra.proposed, Rating::Hard);
    assert_eq!(judge(&card, "").proposed, Rating::Again);
}

#[test]
fn typed_hooks_count_as_hooked_words_or_front_slash_back_letters() {
    let card = answer_of(CardKind::Hooks, "CARE");
    let words = judge(&card, "scare cared carer cares caret carex");
    assert_eq!(words.proposed, Rating::Good);
    let letters = judge(&card, "s/drstx");
    assert_eq!((letters.right.len(), letters.proposed), (6, Rating::Good));
    let wrong = judge(&card, "SB / DRSTX!");
    assert_eq!(wrong.wrong, ["BCARE", "!"]);
    assert_eq!(wrong.proposed, Rating::Hard);
    assert_eq!(judge(&card, "S/DRS").missing, ["CARET", "CAREX"]);
    let none = answer_of(CardKind::Hooks, "ZYZZYVAS");
    assert_eq!(judge(&none, "-/-").proposed, Rating::Good, "{none:?}");
}

#[test]
fn typed_verdicts_on_a_word_or_phony_card_accept_the_short_forms() {
    let word = answer_of(CardKind::WordOrPhony, "CARE");
    let phony = answer_of(CardKind::WordOrPhony, "CARO");
    for said in ["valid", "V", " yes ", "y"] {
        assert_eq!(judge(&word, said).proposed, Rating::Good, "{said}");
        assert_eq!(judge(&phony, said).wrong, ["valid"], "{said}");
    }
    for said in ["phony", "P", "no", "N"] {
        assert_eq!(judge(&phony, said).right, ["phony"], "{said}");
        assert_eq!(judge(&word, said).proposed, Rating::Again, "{said}");
    }
    let unsure = judge(&word, "maybe?");
    assert_eq!(
        (unsure.wrong, unsure.missing),
        (vec!["maybe?".to_owned()], vec!["valid".to_owned()])
    );
}

#[test]
fn huge_typed_answers_are_read_only_up_to_the_caps_and_say_so() {
    let card = answer_of(CardKind::Alphagram, "ADEL");
    let many = "LEAD DEAL DALE LADE ".to_owned() + &"XX ".repeat(10_000);
    let judged = judge(&card, &many);
    assert!(judged.truncated);
    assert_eq!(judged.proposed, Rating::Hard);
    let tokens = (0..MAX_TYPED_TOKENS + 5)
        .map(|i| format!("W{i}"))
        .collect::<Vec<_>>();
    let judged = judge(&card, &tokens.join(" "));
    assert!(judged.truncated);
    assert_eq!(judged.wrong.len(), MAX_TYPED_TOKENS);
    let long = "é".repeat(MAX_TYPED_CHARS * 3);
    assert!(judge(&card, &long).truncated);
    let hooks = answer_of(CardKind::Hooks, "CARE");
    assert!(judge(&hooks, &format!("S/{}", "D".repeat(MAX_TYPED_CHARS))).truncated);
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

fn some_alphagram() -> impl Strategy<Value = String> {
    (0..LEXICON.alphagram_count() as u32).prop_map(|id| {
        LEXICON
            .alphagram(tilebag_lexicon::AlphagramId(id))
            .letters()
    })
}

proptest! {
    #[test]
    fn typing_every_expected_word_in_any_case_is_good(
        alphagram in some_alphagram(),
        word in some_word(),
    ) {
        for (kind, front) in [(CardKind::Alphagram, alphagram), (CardKind::Hooks, word)] {
            let card = answer(&LEXICON, kind, &front).unwrap();
            let expected = card.expected_words();
            let typed = expected.iter().rev().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>();
            let judged = judge(&card, &typed.join(", "));
            prop_assert_eq!(judged.proposed, Rating::Good);
            prop_assert_eq!(judged.right, expected);
        }
    }

    #[test]
    fn any_typed_text_is_judged_without_panic_and_splits_the_expected_words(
        word in some_word(),
        typed in ".{0,300}",
    ) {
        for kind in CardKind::ALL {
            let card = answer(&LEXICON, kind, &word).unwrap();
            let judged = judge(&card, &typed);
            if kind != CardKind::WordOrPhony {
                let mut split = judged.right.clone();
                split.extend(judged.missing.iter().cloned());
                split.sort();
                let mut expected = card.expected_words();
                expected.sort();
                prop_assert_eq!(split, expected);
            }
            prop_assert!(judged.wrong.len() <= MAX_TYPED_TOKENS);
        }
    }
}
