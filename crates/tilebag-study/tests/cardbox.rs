//! Properties of the Zyzzyva cardbox mapping: an imported card keeps its due date, is at
//! FSRS's 90% recall on it, keeps its box through an export, and is always a schedule the
//! store accepts.

use proptest::prelude::*;
use tilebag_study::document::{Document, decode, encode};
use tilebag_study::review::cardbox::{
    MAX_COUNT, MAX_TIME_S, box_days, check_row, difficulty_of, row_of, schedule_of,
};
use tilebag_study::review::{
    CardState, CardboxRow, DAY_MS, DeckSettings, Parameters, Rating, Scheduler,
};

/// 2026-01-05, Unix seconds.
const NOW_S: i64 = 1_767_605_400;

fn count() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![Just(None), (-5..10_000i64).prop_map(Some)]
}

/// Rows of every kind: in and out of the cardbox, with and without a due date, with odd
/// counts and streaks, due in the past or the future.
fn row() -> impl Strategy<Value = CardboxRow> {
    (
        (count(), count(), prop::option::of(-30..30i64), count()),
        prop::option::of(-2..15i64),
        prop::option::of(NOW_S - 400 * 86_400..NOW_S + 600 * 86_400),
        prop::option::of(NOW_S - 800 * 86_400..NOW_S),
    )
        .prop_map(
            |((correct, incorrect, streak, difficulty), cardbox, next, last)| CardboxRow {
                question: "AEINRST".into(),
                correct,
                incorrect,
                streak,
                last_correct: last,
                difficulty,
                cardbox,
                next_scheduled: next,
            },
        )
}

fn scheduler() -> Scheduler {
    Scheduler::new(&Parameters::default(), &DeckSettings::default()).unwrap()
}

proptest! {
    #[test]
    fn an_imported_card_is_a_schedule_the_store_accepts(row in row()) {
        let schedule = schedule_of(&row, NOW_S * 1000);
        prop_assert!(schedule.check().is_ok(), "{schedule:?}");
        let back: tilebag_study::review::Schedule = decode(&encode(&schedule)).unwrap();
        prop_assert_eq!(back, schedule);
    }

    #[test]
    fn an_imported_card_keeps_its_due_date(row in row()) {
        let schedule = schedule_of(&row, NOW_S * 1000);
        match (row.cardbox, row.next_scheduled) {
            (None, _) => {
                prop_assert_eq!(schedule.state, CardState::New);
                prop_assert_eq!(schedule.due, NOW_S * 1000);
            }
            (Some(_), Some(next)) => {
                prop_assert_eq!(schedule.state, CardState::Review);
                prop_assert_eq!(schedule.due, next * 1000);
            }
            (Some(cardbox), None) => {
                let expected = row
                    .last_correct
                    .map_or(NOW_S * 1000, |l| l * 1000 + i64::from(box_days(cardbox)) * DAY_MS);
                prop_assert_eq!(schedule.due, expected);
            }
        }
    }

    #[test]
    fn a_card_due_now_is_at_ninety_percent_recall_and_spaced_like_its_box(
        cardbox in 0..11i64,
        streak in -5..5i64,
    ) {
        let row = CardboxRow {
            question: "AEINRST".into(),
            correct: Some(6),
            incorrect: Some(2),
            streak: Some(streak),
            cardbox: Some(cardbox),
            next_scheduled: Some(NOW_S),
            ..CardboxRow::default()
        };
        let now = NOW_S * 1000;
        let schedule = schedule_of(&row, now);
        let scheduler = scheduler();
        let recall = scheduler.retrievability(&schedule, now).unwrap();
        prop_assert!((recall - 0.9).abs() < 0.01, "recall {recall}");
        // Answered right on the day, the card moves on past its box's interval, as it would
        // in Zyzzyva.
        let good = scheduler.review(1, &schedule, Rating::Good, now, 0).unwrap().log.after;
        let days = (good.due - now) / DAY_MS;
        prop_assert!(days >= i64::from(box_days(cardbox)), "{days} days");
    }

    #[test]
    fn exporting_an_imported_card_keeps_its_box_and_due_date(row in row()) {
        let schedule = schedule_of(&row, NOW_S * 1000);
        let out = row_of(&row.question, &schedule);
        match row.cardbox {
            None => prop_assert_eq!((out.cardbox, out.next_scheduled), (None, None)),
            Some(cardbox) => {
                prop_assert_eq!(out.cardbox, Some(cardbox.clamp(0, 10)));
                prop_assert_eq!(out.next_scheduled, Some(schedule.due / 1000));
                let again = schedule_of(&out, NOW_S * 1000);
                prop_assert_eq!(again.due, schedule.due);
                prop_assert_eq!(again.memory.map(|m| m.stability), schedule.memory.map(|m| m.stability));
            }
        }
    }

    #[test]
    fn difficulty_stays_within_fsrs_range(row in row()) {
        let d = difficulty_of(&row);
        prop_assert!((1.0..=10.0).contains(&d), "{d}");
    }
}

#[test]
fn rows_with_impossible_counts_or_times_are_refused_saying_which_column() {
    let fine = CardboxRow {
        question: "AEINRST".into(),
        correct: Some(MAX_COUNT),
        incorrect: Some(0),
        last_correct: Some(MAX_TIME_S),
        next_scheduled: Some(NOW_S),
        cardbox: Some(3),
        ..CardboxRow::default()
    };
    assert_eq!(check_row(&fine, MAX_TIME_S), Ok(()));
    let refused = |row: CardboxRow| check_row(&row, MAX_TIME_S).unwrap_err();
    let message = refused(CardboxRow {
        incorrect: Some(4_294_967_295),
        ..fine.clone()
    });
    assert!(message.starts_with("incorrect is 4294967295"), "{message}");
    let message = refused(CardboxRow {
        correct: Some(MAX_COUNT + 1),
        ..fine.clone()
    });
    assert!(message.starts_with("correct is 1000001"), "{message}");
    let message = refused(CardboxRow {
        next_scheduled: Some(i64::MAX),
        ..fine.clone()
    });
    assert!(
        message.starts_with("next_scheduled is 9223372036854775807, after the year 9999"),
        "{message}"
    );
    let message = refused(CardboxRow {
        last_correct: Some(1 << 62),
        ..fine.clone()
    });
    assert!(message.starts_with("last_correct is"), "{message}");
    let message = refused(CardboxRow {
        next_scheduled: Some(-5),
        ..fine.clone()
    });
    assert_eq!(message, "next_scheduled is -5, before 1970 in Unix seconds");
    let answered_later = CardboxRow {
        last_correct: Some(NOW_S + 86_400),
        ..fine
    };
    let message = check_row(&answered_later, NOW_S).unwrap_err();
    assert!(message.contains("in the future"), "{message}");
    assert_eq!(check_row(&answered_later, NOW_S + 86_400), Ok(()));
}
