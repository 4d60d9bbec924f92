//! Properties of the scheduler around FSRS: grades order intervals, nothing falls due before
//! its review, undo restores the exact state, postponing goes by retrievability, fuzz is
//! pinned and bounded; and the stored forms and leeches.

use proptest::prelude::*;
use tilebag_study::document::{DocumentError, decode, encode};
use tilebag_study::review::{
    self, CardState, DAY_MS, DeckSettings, ModelVersion, Parameters, Rating, ReviewError,
    ReviewKind, Schedule, Scheduler, fuzz_bounds, fuzz_factor, fuzzed_interval, postpone,
    postpone_order, undo,
};

const START: i64 = 1_767_605_400_000;

fn rating() -> impl Strategy<Value = Rating> {
    prop::sample::select(Rating::ALL.to_vec())
}

/// Ascending steps of 1 second to a day.
fn steps() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(1..=86_400u32, 0..4).prop_map(|mut s| {
        s.sort_unstable();
        s
    })
}

fn settings() -> impl Strategy<Value = DeckSettings> {
    (70..=97u32, 1..=3650u32, steps(), steps(), any::<bool>()).prop_map(
        |(retention, maximum, learning, relearning, fuzz)| DeckSettings {
            desired_retention: retention as f32 / 100.0,
            maximum_interval_days: maximum,
            learning_steps_secs: learning,
            relearning_steps_secs: relearning,
            fuzz,
            ..DeckSettings::default()
        },
    )
}

/// Grades with how long after falling due each came (negative: early, but after the last).
fn history() -> impl Strategy<Value = Vec<(Rating, i64)>> {
    prop::collection::vec((rating(), -3 * DAY_MS..90 * DAY_MS), 0..16)
}

/// A card reviewed through `history`, and the time of its last review.
fn play(scheduler: &Scheduler, card: u64, history: &[(Rating, i64)]) -> (Schedule, i64) {
    let mut schedule = Schedule::new_card(START);
    let mut now = START;
    for &(rating, delay) in history {
        now = (schedule.due + delay).max(now + 1000);
        schedule = scheduler
            .review(card, &schedule, rating, now, 0)
            .unwrap()
            .log
            .after;
    }
    (schedule, now)
}

fn scheduler(settings: &DeckSettings) -> Scheduler {
    Scheduler::new(&Parameters::default(), settings).unwrap()
}

proptest! {
    #[test]
    fn the_interval_grows_with_the_rating(
        settings in settings(), card in any::<u64>(), history in history(), wait in 0..400 * DAY_MS
    ) {
        let scheduler = scheduler(&settings);
        let (schedule, last) = play(&scheduler, card, &history);
        let now = last + wait;
        let outcomes = scheduler.outcomes(card, &schedule, now).unwrap();
        let due: Vec<i64> = Rating::ALL.iter().map(|&r| outcomes.get(r).due).collect();
        prop_assert!(due.windows(2).all(|w| w[0] <= w[1]), "{due:?} after {schedule:?}");
    }

    #[test]
    fn nothing_is_due_before_its_review(
        settings in settings(), card in any::<u64>(), history in history(), rating in rating(),
        wait in 0..400 * DAY_MS
    ) {
        let scheduler = scheduler(&settings);
        let (schedule, last) = play(&scheduler, card, &history);
        let now = last + wait;
        let after = scheduler.review(card, &schedule, rating, now, 0).unwrap().log.after;
        prop_assert!(after.due > now, "due {} at review {now}", after.due);
        let days = (after.due - now) / DAY_MS;
        prop_assert!(days <= i64::from(settings.maximum_interval_days));
        prop_assert_eq!(after.last_review, Some(now));
    }

    #[test]
    fn undo_restores_the_exact_state(
        settings in settings(), card in any::<u64>(), history in history(), rating in rating(),
        later in rating()
    ) {
        let scheduler = scheduler(&settings);
        let (before, last) = play(&scheduler, card, &history);
        let reviewed = scheduler.review(card, &before, rating, last + DAY_MS, 1234).unwrap();
        let restored = undo(card, &reviewed.log.after, &reviewed.log).unwrap();
        prop_assert_eq!(&restored, &before);
        // Through storage too: the log entry is a document.
        let stored: review::ReviewLog = decode(&encode(&reviewed.log)).unwrap();
        prop_assert_eq!(undo(card, &reviewed.log.after, &stored).unwrap(), before);
        // Only the last review can be undone.
        let next = scheduler.review(card, &reviewed.log.after, later, last + 2 * DAY_MS, 0).unwrap();
        prop_assert_eq!(
            undo(card, &next.log.after, &reviewed.log),
            Err(ReviewError::NotLast { card })
        );
        prop_assert_eq!(
            undo(card ^ 1, &next.log.after, &next.log),
            Err(ReviewError::OtherCard { card: card ^ 1, log: card })
        );
    }

    #[test]
    fn postponing_takes_the_least_likely_forgotten_first(
        histories in prop::collection::vec(history(), 1..20), days in 1..30u32, wait in 0..200 * DAY_MS
    ) {
        let scheduler = scheduler(&DeckSettings::default());
        let cards: Vec<(u64, Schedule)> = histories
            .iter()
            .enumerate()
            .map(|(i, h)| (i as u64, play(&scheduler, i as u64, h).0))
            .collect();
        let now = cards.iter().map(|(_, s)| s.due).max().unwrap() - wait;
        let order = postpone_order(&scheduler, &cards, now);
        let due: Vec<u64> = cards
            .iter()
            .filter(|(_, s)| s.state == CardState::Review && s.due <= now)
            .map(|(id, _)| *id)
            .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        prop_assert_eq!(sorted, due);
        let r: Vec<f32> = order
            .iter()
            .map(|&id| scheduler.retrievability(&cards[id as usize].1, now).unwrap())
            .collect();
        prop_assert!(r.windows(2).all(|w| w[0] >= w[1]), "{r:?}");
        for &id in &order {
            let later = postpone(&cards[id as usize].1, days, now);
            prop_assert_eq!(later.due, now + i64::from(days) * DAY_MS);
            prop_assert_eq!(Schedule { due: 0, ..later }, Schedule { due: 0, ..cards[id as usize].1.clone() });
        }
    }

    #[test]
    fn fuzz_is_deterministic_and_within_its_bounds(
        interval in 0.0f32..40_000.0, maximum in 1..=36_500u32, card in any::<u64>(), reps in any::<u32>()
    ) {
        let factor = fuzz_factor(card, reps);
        prop_assert!((0.0..1.0).contains(&factor));
        prop_assert_eq!(factor.to_bits(), fuzz_factor(card, reps).to_bits());
        let (lower, upper) = fuzz_bounds(interval, maximum);
        prop_assert!(1 <= lower && lower <= upper && upper <= maximum);
        let plain = u32::try_from(interval.round().clamp(1.0, maximum as f32) as i64).unwrap();
        prop_assert!(lower <= plain && plain <= upper, "{plain} outside {lower}..={upper}");
        let days = fuzzed_interval(interval, maximum, factor);
        prop_assert!(lower <= days && days <= upper);
        prop_assert_eq!(days, fuzzed_interval(interval, maximum, factor));
    }

    #[test]
    fn a_fuzzed_review_is_the_same_every_time(card in any::<u64>(), history in history()) {
        let scheduler = scheduler(&DeckSettings::default());
        prop_assert_eq!(play(&scheduler, card, &history), play(&scheduler, card, &history));
    }
}

#[test]
fn fuzz_spreads_cards_reviewed_together() {
    let scheduler = scheduler(&DeckSettings::default());
    let plan = [(Rating::Good, 0); 5];
    let dues: std::collections::BTreeSet<i64> = (1..=50)
        .map(|card| play(&scheduler, card, &plan).0.due)
        .collect();
    assert!(
        dues.len() >= 5,
        "50 cards fell due on only {} days",
        dues.len()
    );
}

#[test]
fn a_card_lapsing_at_the_threshold_becomes_a_leech_and_is_suspended_if_the_deck_says_so() {
    for suspend_leeches in [false, true] {
        let settings = DeckSettings {
            leech_threshold: 3,
            suspend_leeches,
            ..DeckSettings::default()
        };
        let scheduler = scheduler(&settings);
        let mut schedule = Schedule::new_card(START);
        let mut leech_at = vec![];
        for _ in 0..12 {
            let rating = if schedule.state == CardState::Review {
                Rating::Again
            } else {
                Rating::Easy
            };
            let reviewed = scheduler
                .review(7, &schedule, rating, schedule.due, 0)
                .unwrap();
            if reviewed.became_leech {
                leech_at.push(reviewed.log.after.lapses);
            }
            schedule = reviewed.log.after;
        }
        assert_eq!(
            leech_at,
            [3, 4, 5, 6],
            "threshold 3: a leech at 3 lapses and every 1 after"
        );
        assert!(schedule.leech);
        assert_eq!(schedule.suspended, suspend_leeches);
    }
}

#[test]
fn forgetting_a_card_counts_a_lapse_now_and_relearns_it() {
    let scheduler = scheduler(&DeckSettings::default());
    let (schedule, last) = play(&scheduler, 9, &[(Rating::Good, 0); 4]);
    assert_eq!(schedule.state, CardState::Review);
    let now = last + DAY_MS; // long before it is due
    let forgotten = scheduler.forget(9, &schedule, now).unwrap().log;
    assert_eq!(forgotten.kind, ReviewKind::Forgotten);
    assert_eq!(forgotten.rating, Rating::Again);
    assert_eq!(forgotten.after.state, CardState::Relearning);
    assert_eq!(forgotten.after.lapses, schedule.lapses + 1);
    assert_eq!(forgotten.after.due, now + 600_000);
    assert!(forgotten.after.memory.unwrap().stability < schedule.memory.unwrap().stability);
}

#[test]
fn a_card_at_the_most_lapses_a_count_holds_is_still_graded_and_stays_there() {
    let scheduler = scheduler(&DeckSettings::default());
    let (mut schedule, last) = play(&scheduler, 9, &[(Rating::Good, 0); 4]);
    schedule.lapses = u32::MAX;
    schedule.reps = u32::MAX;
    let now = last + 30 * DAY_MS;
    for rating in Rating::ALL {
        let after = scheduler
            .review(9, &schedule, rating, now, 0)
            .unwrap()
            .log
            .after;
        assert_eq!(
            (after.lapses, after.reps),
            (u32::MAX, u32::MAX),
            "{rating:?}"
        );
    }
}

#[test]
fn the_first_good_of_a_new_card_waits_ten_minutes_with_fsrs6_initial_memory() {
    let scheduler = scheduler(&DeckSettings::default());
    let after = scheduler
        .review(1, &Schedule::new_card(START), Rating::Good, START, 0)
        .unwrap()
        .log
        .after;
    assert_eq!(
        (after.state, after.step, after.due),
        (CardState::Learning, 1, START + 600_000)
    );
    assert_eq!(
        after.memory.unwrap().stability.to_bits(),
        fsrs_default(2).to_bits()
    );
}

fn fsrs_default(i: usize) -> f32 {
    Parameters::default().weights[i]
}

#[test]
fn bad_settings_and_parameters_say_what_is_wrong() {
    let bad = DeckSettings {
        desired_retention: 0.99,
        ..DeckSettings::default()
    };
    let err = Scheduler::new(&Parameters::default(), &bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        "desired retention must be from 0.70 to 0.97, not 0.99"
    );
    let bad = DeckSettings {
        learning_steps_secs: vec![60, 0],
        ..DeckSettings::default()
    };
    assert_eq!(
        bad.validate().unwrap_err().to_string(),
        "each learning step must be from 1 second to 1 day, not 0 seconds"
    );
    let short = Parameters {
        model: ModelVersion::Fsrs6,
        weights: vec![1.0; 19],
    };
    assert!(
        Scheduler::new(&short, &DeckSettings::default())
            .unwrap_err()
            .to_string()
            .starts_with("FSRS-6 parameters must be 21 finite numbers")
    );
}

#[test]
fn stored_forms_carry_a_version_and_are_checked_on_read() {
    let params = Parameters::default();
    let text = encode(&params);
    assert!(
        text.starts_with(r#"{"v":1,"model":"fsrs-6","weights":[0.212,"#),
        "{text}"
    );
    assert_eq!(decode::<Parameters>(&text).unwrap(), params);
    let err = decode::<Parameters>(r#"{"v":1,"model":"fsrs-6","weights":[1.0]}"#).unwrap_err();
    assert!(matches!(err, DocumentError::Inconsistent { .. }), "{err}");
    let err = decode::<Parameters>(r#"{"v":1,"model":"fsrs-7","weights":[]}"#).unwrap_err();
    assert!(matches!(err, DocumentError::Malformed { .. }), "{err}");

    let settings = DeckSettings::default();
    assert_eq!(
        decode::<DeckSettings>(&encode(&settings)).unwrap(),
        settings
    );
    // A setting left out takes its default.
    let partial: DeckSettings = decode(r#"{"v":1,"desired_retention":0.85}"#).unwrap();
    assert_eq!(
        partial,
        DeckSettings {
            desired_retention: 0.85,
            ..DeckSettings::default()
        }
    );

    let schedule = Schedule::new_card(START);
    assert_eq!(decode::<Schedule>(&encode(&schedule)).unwrap(), schedule);
    let err = decode::<Schedule>(&encode(&Schedule {
        state: CardState::Review,
        ..schedule
    }))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "this stored card schedule contradicts itself: a card in the Review state lacks a memory state or a last review"
    );
}

#[test]
fn a_rating_is_one_to_four() {
    assert_eq!(serde_json::to_string(&Rating::Hard).unwrap(), "2");
    let err = serde_json::from_str::<Rating>("5").unwrap_err();
    assert!(
        err.to_string()
            .contains("a rating is 1 (again), 2 (hard), 3 (good) or 4 (easy), not 5"),
        "{err}"
    );
}
