//! Stored documents: the fixtures under `tests/fixtures/` are exactly what tilebag stored
//! before documents had versions (version 0, written by `serde_json::to_string` of the types as
//! they were then). Each must keep reading, value for value.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value;
use tilebag_study::challenge::Draw;
use tilebag_study::document::{Document, DocumentError, decode, encode};
use tilebag_study::{Deal, EndReason, Guess, Question, Round, StudyList};

/// 2026-11-26 12:00 UTC: when the fixture rounds started.
const START: i64 = 1_795_694_400_000;

const ROUND_RUNNING: &str = include_str!("fixtures/round-running.json");
const ROUND_ENDED: &str = include_str!("fixtures/round-ended.json");
const LIST_FIRST_PASS: &str = include_str!("fixtures/list-first-pass.json");
const LIST_RETRYING: &str = include_str!("fixtures/list-retrying.json");
const LIST_V1: &str = include_str!("fixtures/list-v1.json");
const DRAW_TODAY: &str = include_str!("fixtures/challenge-draw.json");
const DRAW_BUILDER: &str = include_str!("fixtures/challenge-draw-word-builder.json");

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|&w| w.to_owned()).collect()
}

/// Indexes of the true flags.
fn solved(flags: &[bool]) -> Vec<usize> {
    flags
        .iter()
        .enumerate()
        .filter_map(|(i, &s)| s.then_some(i))
        .collect()
}

fn set(indexes: &[u32]) -> BTreeSet<u32> {
    indexes.iter().copied().collect()
}

/// The questions of both fixture rounds.
fn fixture_questions() -> Vec<Question> {
    let q = |alphagram: &str, answers: &[&str]| Question {
        alphagram: alphagram.into(),
        answers: strings(answers),
    };
    vec![
        q(
            "AEPRS",
            &[
                "APERS", "APRES", "ASPER", "PARES", "PARSE", "PEARS", "PRASE", "PRESA", "RAPES",
                "REAPS", "SPAER", "SPARE", "SPEAR",
            ],
        ),
        q("ACT", &["ACT", "CAT"]),
        q(
            "EILNST",
            &["ELINTS", "ENLIST", "INLETS", "LISTEN", "SILENT", "TINSEL"],
        ),
        q(
            "AELPT",
            &[
                "LEAPT", "LEPTA", "PALET", "PELTA", "PETAL", "PLATE", "PLEAT", "TEPAL",
            ],
        ),
    ]
}

const FIXTURE_ALPHAGRAMS: [&str; 12] = [
    "AEILNST", "AEGINRT", "EINORST", "ACEINRT", "AEILRST", "ADEINRT", "AEIPRST", "ADEIRST",
    "EINRST", "AEINST", "AEINRST", "ADEILNR",
];

#[test]
fn a_version_0_running_round_reads_value_for_value() {
    let mut round: Round = decode(ROUND_RUNNING).expect("fixture");
    let questions: Vec<&Question> = round.questions.iter().map(|q| &q.question).collect();
    assert_eq!(
        questions,
        fixture_questions().iter().collect::<Vec<_>>(),
        "alphagrams and answers"
    );
    // SPARE, PEARS; CAT; LISTEN, TINSEL; PLATE.
    let flags: Vec<Vec<usize>> = round.questions.iter().map(|q| solved(&q.solved)).collect();
    assert_eq!(flags, [vec![5, 11], vec![1], vec![3, 5], vec![5]]);
    assert!(round.questions.iter().all(|q| q.marked_missed.is_none()));
    assert_eq!(round.deadline, START + 135_000);
    assert_eq!(round.duration, 135_000);
    assert_eq!(round.wrong, 2, "XYZZY and APPLES");
    assert_eq!((round.ended, round.ended_at), (None, None));
    assert_eq!((round.solved_count(), round.answer_count()), (6, 29));

    // It plays on where it stopped.
    assert_eq!(round.remaining(START + 35_000), 100_000);
    assert_eq!(
        round.guess("pleat", START + 35_000),
        Guess::Solved {
            question: 3,
            answer: 6
        }
    );
    assert_eq!(
        round.guess("SPARE", START + 36_000),
        Guess::AlreadySolved { question: 0 }
    );
}

#[test]
fn a_version_0_ended_round_reads_value_for_value() {
    let round: Round = decode(ROUND_ENDED).expect("fixture");
    assert_eq!(
        round
            .questions
            .iter()
            .map(|q| q.question.clone())
            .collect::<Vec<_>>(),
        fixture_questions()
    );
    // SPEAR; ACT, CAT; SILENT, TINSEL; nothing.
    let flags: Vec<Vec<usize>> = round.questions.iter().map(|q| solved(&q.solved)).collect();
    assert_eq!(flags, [vec![12], vec![0, 1], vec![4, 5], vec![]]);
    let marks: Vec<Option<bool>> = round.questions.iter().map(|q| q.marked_missed).collect();
    assert_eq!(
        marks,
        [Some(false), Some(true), None, None],
        "overridden both ways"
    );
    assert_eq!(round.deadline, START + 135_000);
    assert_eq!(round.duration, 135_000);
    assert_eq!(round.wrong, 1);
    assert_eq!(round.ended, Some(EndReason::TimeUp));
    assert_eq!(round.ended_at, Some(START + 135_000));
    assert_eq!(round.missed(), ["ACT", "EILNST", "AELPT"]);
    assert_eq!(round.remaining(START), 0);
}

#[test]
fn a_version_0_list_in_its_first_pass_reads_value_for_value() {
    let mut list: StudyList = decode(LIST_FIRST_PASS).expect("fixture");
    assert_eq!(list.alphagrams, strings(&FIXTURE_ALPHAGRAMS));
    assert_eq!(list.seed, 20_261_126);
    assert_eq!(list.queue, (0..12).collect::<Vec<u32>>());
    assert_eq!(list.next, 5);
    assert!(list.first_pass);
    assert_eq!(list.missed, set(&[0, 2, 4]));
    assert_eq!(list.first_missed, set(&[0, 2, 4]));
    assert_eq!(list.seen, 5);
    assert_eq!(list.named(&list.missed), ["AEILNST", "EINORST", "AEILRST"]);
    assert_eq!(
        list.deal(Deal::Continue, 5),
        strings(&FIXTURE_ALPHAGRAMS[5..10]),
        "deals on where it stopped"
    );
}

#[test]
fn a_version_1_list_has_nothing_unfinished_and_continues_where_it_stopped() {
    let mut list: StudyList = decode(LIST_V1).expect("fixture");
    assert_eq!(list.next, 5);
    assert_eq!(list.seen, 5);
    assert!(list.unfinished.is_empty());
    assert_eq!(list.round, 0);
    assert_eq!(
        list.deal(Deal::Continue, 5),
        strings(&FIXTURE_ALPHAGRAMS[5..10])
    );
    assert_eq!(list.seen, 5, "dealt is not seen");
    list.finish_round();
    assert_eq!(list.seen, 10);
}

#[test]
fn a_version_0_list_retrying_its_misses_reads_value_for_value() {
    let mut list: StudyList = decode(LIST_RETRYING).expect("fixture");
    assert_eq!(list.alphagrams, strings(&FIXTURE_ALPHAGRAMS));
    assert_eq!(list.seed, 20_261_126);
    assert_eq!(list.queue, [0, 2, 4, 6]);
    assert_eq!(list.next, 3);
    assert!(!list.first_pass);
    assert_eq!(list.missed, set(&[4, 6]));
    assert_eq!(list.first_missed, set(&[0, 2, 4, 6]));
    assert_eq!(list.seen, 12);
    assert!(list.first_pass_done() && !list.queue_done());
    assert_eq!(list.deal(Deal::Continue, 5), ["AEIPRST"]);
}

#[test]
fn a_version_0_challenge_draw_is_a_bare_array_and_reads_value_for_value() {
    let draw: Draw = decode(DRAW_TODAY).expect("fixture");
    let q = &draw.questions;
    assert_eq!(q.len(), 50);
    assert!(q.iter().all(|q| q.alphagram.len() == 7));
    assert_eq!(q.iter().map(|q| q.answers.len()).sum::<usize>(), 58);
    assert_eq!(
        (q[0].alphagram.as_str(), q[0].answers.as_slice()),
        ("CHHISTY", &strings(&["ICHTHYS"])[..])
    );
    assert_eq!(
        (q[10].alphagram.as_str(), q[10].answers.as_slice()),
        ("EINQSTU", &strings(&["INQUEST", "QUINTES"])[..])
    );
    assert_eq!(
        (q[49].alphagram.as_str(), q[49].answers.as_slice()),
        ("AERTTTY", &strings(&["TATTERY"])[..])
    );

    let builder: Draw = decode(DRAW_BUILDER).expect("fixture");
    assert_eq!(builder.questions.len(), 1);
    let rack = &builder.questions[0];
    assert_eq!(rack.alphagram, "DEGIMR");
    assert_eq!(rack.answers.len(), 47);
    assert_eq!(rack.answers.first().map(String::as_str), Some("DERIG"));
    assert_eq!(rack.answers.last().map(String::as_str), Some("RIMED"));
    assert!(rack.answers.contains(&"GRIMED".to_owned()));
}

/// Version 1 is version 0 with `"v": 1` (the draw: its array under `"questions"`); a list's
/// version 2 adds nothing unfinished.
#[test]
fn version_1_is_version_0_with_v() {
    fn check<T: Document>(fixture: &str, expected: &Value) {
        let encoded: Value = serde_json::from_str(&encode(&decode::<T>(fixture).unwrap())).unwrap();
        assert_eq!(&encoded, expected, "{}", T::KIND);
    }
    let with_v = |fixture: &str| {
        let mut value: Value = serde_json::from_str(fixture).unwrap();
        value
            .as_object_mut()
            .unwrap()
            .insert("v".into(), Value::from(1));
        value
    };
    for fixture in [ROUND_RUNNING, ROUND_ENDED] {
        check::<Round>(fixture, &with_v(fixture));
    }
    for fixture in [LIST_FIRST_PASS, LIST_RETRYING] {
        let mut expected = with_v(fixture);
        let fields = expected.as_object_mut().unwrap();
        fields.insert("v".into(), Value::from(2));
        fields.insert("unfinished".into(), Value::Array(Vec::new()));
        fields.insert("round".into(), Value::from(0));
        check::<StudyList>(fixture, &expected);
        check::<StudyList>(&with_v(fixture).to_string(), &expected);
    }
    for fixture in [DRAW_TODAY, DRAW_BUILDER] {
        let questions: Value = serde_json::from_str(fixture).unwrap();
        check::<Draw>(
            fixture,
            &serde_json::json!({ "v": 1, "questions": questions }),
        );
    }
}

fn round_trips<T: Document + PartialEq + std::fmt::Debug>(doc: &T) {
    let text = encode(doc);
    let v = format!(r#"{{"v":{},"#, T::VERSION);
    assert!(text.starts_with(&v), "{text}");
    assert_eq!(&decode::<T>(&text).unwrap(), doc, "{}", T::KIND);
}

#[test]
fn decoding_what_was_encoded_gives_it_back() {
    for fixture in [ROUND_RUNNING, ROUND_ENDED] {
        round_trips(&decode::<Round>(fixture).unwrap());
    }
    let mut fresh = Round::start(fixture_questions(), 60_000, START);
    round_trips(&fresh);
    fresh.give_up(START + 1);
    fresh.mark_missed(2, Some(false));
    round_trips(&fresh);
    for fixture in [LIST_FIRST_PASS, LIST_RETRYING] {
        round_trips(&decode::<StudyList>(fixture).unwrap());
    }
    round_trips(&StudyList::new(strings(&FIXTURE_ALPHAGRAMS), 7));
    round_trips(&StudyList::in_order(Vec::new()));
    for fixture in [DRAW_TODAY, DRAW_BUILDER] {
        round_trips(&decode::<Draw>(fixture).unwrap());
    }
    round_trips(&Draw {
        questions: Vec::new(),
    });
}

#[test]
fn a_document_from_a_newer_tilebag_is_refused_by_name() {
    let round = decode::<Round>(r#"{"v":99,"questions":[]}"#).unwrap_err();
    assert!(matches!(
        round,
        DocumentError::TooNew {
            kind: "round",
            found: 99,
            supported: 1
        }
    ));
    assert_eq!(
        round.to_string(),
        "this round was stored by a newer tilebag (version 99; this one reads up to 1): \
         upgrade tilebag"
    );
    assert_eq!(
        decode::<StudyList>(r#"{"v":99}"#).unwrap_err().to_string(),
        "this list was stored by a newer tilebag (version 99; this one reads up to 2): \
         upgrade tilebag"
    );
    assert_eq!(
        decode::<Draw>(r#"{"v":2,"questions":[]}"#)
            .unwrap_err()
            .to_string(),
        "this challenge draw was stored by a newer tilebag (version 2; this one reads up to \
         1): upgrade tilebag"
    );
}

#[test]
fn garbage_is_an_error_naming_the_kind_not_a_panic() {
    let not_json = decode::<Round>("not json").unwrap_err();
    assert!(matches!(
        not_json,
        DocumentError::NotJson { kind: "round", .. }
    ));
    assert!(
        not_json
            .to_string()
            .starts_with("this stored round is not valid JSON ("),
        "{not_json}"
    );
    let wrong_shape = decode::<StudyList>(r#"{"v":1,"alphagrams":"AEINRST"}"#).unwrap_err();
    assert!(
        wrong_shape
            .to_string()
            .starts_with("this stored list (version 1) is not in the shape of its version: "),
        "{wrong_shape}"
    );
    for text in [
        "",
        "{",
        "[1,2",
        "null",
        "42",
        "\"round\"",
        "[]",
        "{}",
        r#"{"v":1}"#,
    ] {
        assert!(decode::<Round>(text).is_err(), "round {text:?}");
        assert!(decode::<StudyList>(text).is_err(), "list {text:?}");
    }
    assert!(decode::<Draw>(r#"{"v":1,"questions":5}"#).is_err());
    assert!(decode::<Draw>(r#"[{"alphagram":"IQ"}]"#).is_err());
    // Every cut-short fixture is an error.
    for (fixture, kind) in [
        (ROUND_RUNNING, "round"),
        (LIST_RETRYING, "list"),
        (DRAW_BUILDER, "challenge draw"),
    ] {
        for end in 0..fixture.len() {
            let cut = &fixture[..end];
            let failed = match kind {
                "round" => decode::<Round>(cut).err(),
                "list" => decode::<StudyList>(cut).err(),
                _ => decode::<Draw>(cut).err(),
            };
            assert!(failed.is_some(), "{kind} cut at {end}");
        }
    }
}

/// Rows that parse but would make the round or list index out of bounds are refused on read.
#[test]
fn documents_that_contradict_themselves_are_refused_on_read() {
    let flags = r#"{"v":1,"questions":[{"alphagram":"ACT","answers":["ACT","CAT"],"solved":[true]}],
        "deadline":0,"duration":0,"wrong":0,"ended":null,"ended_at":null}"#;
    assert_eq!(
        decode::<Round>(flags).unwrap_err().to_string(),
        "this stored round contradicts itself: question ACT has 2 answers but 1 solved flags"
    );
    let list = |queue: &str, next: usize, missed: &str| {
        format!(
            r#"{{"alphagrams":["ACT","IQ"],"seed":0,"queue":{queue},"next":{next},"first_pass":true,
                "missed":{missed},"first_missed":[],"seen":0}}"#
        )
    };
    assert!(decode::<StudyList>(&list("[0,1]", 2, "[1]")).is_ok());
    assert_eq!(
        decode::<StudyList>(&list("[0,1]", 3, "[]"))
            .unwrap_err()
            .to_string(),
        "this stored list contradicts itself: 3 dealt from a queue of 2"
    );
    assert_eq!(
        decode::<StudyList>(&list("[0,2]", 0, "[]"))
            .unwrap_err()
            .to_string(),
        "this stored list contradicts itself: index 2 in a list of 2 alphagrams"
    );
    assert!(decode::<StudyList>(&list("[0]", 0, "[5]")).is_err());
}

proptest! {
    #[test]
    fn any_text_decodes_or_fails_without_panicking(text in "\\PC{0,64}") {
        let _ = decode::<Round>(&text);
        let _ = decode::<StudyList>(&text);
        let _ = decode::<Draw>(&text);
    }

    #[test]
    fn any_json_value_decodes_or_fails_without_panicking(v in any::<Option<u64>>(), body in json()) {
        let mut value = body;
        if let (Some(v), Some(object)) = (v, value.as_object_mut()) {
            object.insert("v".into(), Value::from(v % 4));
        }
        let text = value.to_string();
        let _ = decode::<Round>(&text);
        let _ = decode::<StudyList>(&text);
        let _ = decode::<Draw>(&text);
    }
}

/// Arbitrary JSON, with the keys of the stored types among its object keys.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (0u64..20).prop_map(Value::from),
        "[A-Z?]{0,4}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        let key = prop_oneof![
            Just("questions".to_owned()),
            Just("alphagram".to_owned()),
            Just("answers".to_owned()),
            Just("solved".to_owned()),
            Just("alphagrams".to_owned()),
            Just("queue".to_owned()),
            Just("next".to_owned()),
            Just("missed".to_owned()),
            "[a-z_]{1,6}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(key, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
