//! The stored documents: rounds, study lists, challenge draws, wall settings and display
//! preferences. Whatever decodes writes back to text that decodes to the same value and
//! writes the same again; a decoded round or list survives what the server does with it; a
//! whole stored wall (settings, round and list) survives every action on it.
//!
//! The first byte picks the document (or the wall and its action); the rest is the text, a
//! wall's three documents separated by NUL bytes.
#![no_main]

use std::fmt::Debug;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tilebag_server::Lexicons;
use tilebag_server::app::walls::{Action, WallSettings, decide};
use tilebag_server::settings::Preferences;
use tilebag_store::{ChallengeId, Decision, StoredWall, WallId};
use tilebag_study::challenge::Draw;
use tilebag_study::document::{Document, decode, encode};
use tilebag_study::{Deal, Round, StudyList};

/// 2026-11-26 12:00 UTC, when the fixture rounds started.
const START: i64 = 1_795_694_400_000;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match kind % 8 {
        0 => {
            if let Some(round) = round_trip::<Round>(text) {
                play(round);
            }
        }
        1 => {
            if let Some(list) = round_trip::<StudyList>(text) {
                study(list);
            }
        }
        2 => drop(round_trip::<Draw>(text)),
        3 => drop(round_trip::<WallSettings>(text)),
        4 => drop(round_trip::<Preferences>(text)),
        _ => wall(kind / 8, text),
    }
});

fn round_trip<T: Document + PartialEq + Debug>(text: &str) -> Option<T> {
    let doc: T = decode(text).ok()?;
    let stored = encode(&doc);
    let again: T = decode(&stored)
        .unwrap_or_else(|e| panic!("what {} writes reads back: {e}\n{stored}", T::KIND));
    assert_eq!(again, doc, "{stored}");
    assert_eq!(encode(&again), stored);
    Some(doc)
}

/// What the server does with a stored round: show it, judge guesses, end it, mark it.
fn play(mut round: Round) {
    for now in [START, round.deadline.saturating_sub(1), round.deadline] {
        let mut copy = round.clone();
        let _ = (copy.remaining(now), copy.solved_count(), copy.missed());
        let answer = copy
            .questions
            .iter()
            .flat_map(|q| q.question.answers.first())
            .next()
            .cloned();
        for word in answer.iter().map(String::as_str).chain(["", "ZZZZZ"]) {
            copy.guess(word, now);
        }
        copy.give_up(now);
        copy.mark_missed(0, Some(true));
        let _ = copy.missed();
    }
    round.check_clock(START);
    round.extend(1_000);
}

/// What the server does with a stored list: deal from it each way, record results.
fn study(list: StudyList) {
    for deal in [
        Deal::Continue,
        Deal::FirstMissed,
        Deal::Missed,
        Deal::StartOver,
    ] {
        for count in [0, 1, 50, usize::MAX] {
            let mut copy = list.clone();
            let dealt = copy.deal(deal, count);
            assert!(dealt.len() <= count);
            copy.record(dealt.iter().map(|a| (a.as_str(), true)));
            let _ = (
                copy.named(&copy.missed),
                copy.first_pass_done(),
                copy.queue_done(),
            );
            round_trip::<StudyList>(&encode(&copy)).expect("a dealt list stores");
        }
    }
}

fn lexicons() -> &'static Lexicons {
    static LEXICONS: OnceLock<Lexicons> = OnceLock::new();
    LEXICONS.get_or_init(|| {
        let small = tilebag_fuzz::small();
        let copy = tilebag_lexicon::Lexicon::from_bytes(tilebag_lexicon::AlignedBytes::copy_from(
            small.as_bytes(),
        ))
        .expect("the small lexicon loads");
        Lexicons::new(vec![copy], 0.0)
    })
}

/// A stored wall of the small lexicon: settings, round and list, then one action on it.
fn wall(choice: u8, text: &str) {
    let mut parts = text.splitn(3, '\0');
    let (Some(settings), Some(round), list) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let Ok(stored_round) = decode::<Round>(round) else {
        return;
    };
    let wall = StoredWall {
        id: WallId(1),
        user: None,
        lexicon: "SMALL".into(),
        list_id: None,
        settings: settings.to_owned(),
        round: round.to_owned(),
        deadline: stored_round.deadline,
        challenge_id: (choice & 16 != 0).then_some(ChallengeId(1)),
        entry_finished: (choice & 8 != 0).then_some(false),
        source: None,
        place: None,
    };
    let guess = stored_round
        .questions
        .iter()
        .flat_map(|q| q.question.answers.first())
        .next()
        .cloned()
        .unwrap_or_default();
    let action = match choice % 8 {
        0 => Action::Guess(guess),
        1 => Action::Guess("QI".into()),
        2 => Action::GiveUp,
        3 => Action::Mark {
            question: 0,
            missed: Some(true),
        },
        4 => Action::Next(Deal::Continue),
        5 => Action::Next(Deal::Missed),
        6 => Action::Next(Deal::StartOver),
        _ => Action::Expire,
    };
    for now in [START, stored_round.deadline] {
        match decide(lexicons(), &wall, list, &action, now) {
            Ok(Decision::Done(change, _)) => {
                if let Some(update) = change.round {
                    let round: Round = decode(&update.round).expect("a decided round stores");
                    assert_eq!(round.deadline, update.deadline);
                    assert_eq!(round.ended.is_none(), update.running);
                }
                if let Some(update) = change.list {
                    decode::<StudyList>(&update.list).expect("a decided list stores");
                }
            }
            Ok(Decision::NeedList) => assert!(list.is_none(), "the list was given"),
            Err(_) => {}
        }
    }
}
