//! The stored forms of spaced repetition, version 1: the fixtures under `tests/fixtures/` are
//! what this version writes. Each must keep reading, value for value, after any change; a
//! change of shape raises the version and adds an upgrade step (see `document`).

use tilebag_study::document::{decode, encode};
use tilebag_study::review::{
    CardState, DeckSettings, MemoryState, ModelVersion, Parameters, Rating, ReviewKind, ReviewLog,
    Schedule, Scheduler, undo,
};

const REVIEW_LOG: &str = include_str!("fixtures/review-log-v1.json");
const DECK_SETTINGS: &str = include_str!("fixtures/deck-settings-v1.json");
const PARAMETERS: &str = include_str!("fixtures/parameters-v1.json");

/// 2026-01-05 09:30 UTC: when the fixture card was added.
const ADDED: i64 = 1_767_605_400_000;

#[test]
fn a_version_1_review_log_entry_reads_with_both_states() {
    let log: ReviewLog = decode(REVIEW_LOG).unwrap();
    let learning = Schedule {
        state: CardState::Learning,
        memory: Some(MemoryState {
            stability: 2.3065,
            difficulty: 2.118_104,
        }),
        due: ADDED + 600_000,
        last_review: Some(ADDED),
        step: 1,
        reps: 1,
        lapses: 0,
        leech: false,
        suspended: false,
    };
    let review = Schedule {
        state: CardState::Review,
        memory: Some(MemoryState {
            stability: 2.3065,
            difficulty: 2.111_214_2,
        }),
        due: ADDED + 600_000 + 2 * 86_400_000,
        last_review: Some(ADDED + 600_000),
        step: 0,
        reps: 2,
        ..learning.clone()
    };
    assert_eq!(
        log,
        ReviewLog {
            card: 42,
            time: ADDED + 600_000,
            rating: Rating::Good,
            took_ms: 4200,
            kind: ReviewKind::Review,
            before: learning.clone(),
            after: review.clone(),
        }
    );
    assert_eq!(encode(&log), REVIEW_LOG, "written back byte for byte");
    assert_eq!(undo(42, &review, &log).unwrap(), learning);
    // And it is what the scheduler writes for that review today.
    let scheduler = Scheduler::new(&Parameters::default(), &DeckSettings::default()).unwrap();
    let first = scheduler
        .review(42, &Schedule::new_card(ADDED), Rating::Good, ADDED, 3100)
        .unwrap();
    let second = scheduler
        .review(
            42,
            &first.log.after,
            Rating::Good,
            first.log.after.due,
            4200,
        )
        .unwrap();
    assert_eq!(second.log, log);
}

#[test]
fn version_1_deck_settings_read() {
    let settings: DeckSettings = decode(DECK_SETTINGS).unwrap();
    assert_eq!(
        settings,
        DeckSettings {
            desired_retention: 0.85,
            new_per_day: 50,
            maximum_interval_days: 730,
            learning_steps_secs: vec![30, 300, 1200],
            relearning_steps_secs: vec![600, 3600],
            leech_threshold: 6,
            suspend_leeches: true,
            fuzz: false,
        }
    );
    assert_eq!(encode(&settings), DECK_SETTINGS);
}

#[test]
fn version_1_parameters_name_their_model() {
    let parameters: Parameters = decode(PARAMETERS).unwrap();
    assert_eq!(parameters.model, ModelVersion::Fsrs6);
    assert_eq!(parameters, Parameters::default());
    assert_eq!(encode(&parameters), PARAMETERS);
}
