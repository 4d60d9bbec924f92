//! tilebag's scheduler against an independent FSRS-6 implementation: py-fsrs (the `fsrs`
//! package on `PyPI`), default parameters, fuzz off. The table `tests/fsrs/expected.json` was
//! written by `tests/fsrs/generate.py` (how to regenerate it is at the top of that script); each
//! history is replayed here review by review from a new card.
//!
//! States, steps and due times (so every interval) must match exactly. Stability and difficulty
//! must agree within a relative 1e-5 (the largest difference over the table is 2e-6): py-fsrs
//! computes in f64 and fsrs-rs in f32, whose rounding error grows a little with every review.

use serde::Deserialize;
use tilebag_study::review::{CardState, DeckSettings, Parameters, Rating, Schedule, Scheduler};

const TOLERANCE: f64 = 1e-5;

#[derive(Deserialize)]
struct Table {
    package: String,
    parameters: Vec<f64>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    card: u64,
    start: i64,
    settings: DeckSettings,
    reviews: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    time: i64,
    rating: Rating,
    state: CardState,
    step: u32,
    stability: f64,
    difficulty: f64,
    due: i64,
}

fn table() -> Table {
    serde_json::from_str(include_str!("fsrs/expected.json")).expect("the committed table parses")
}

fn relative_error(ours: f32, theirs: f64) -> f64 {
    (f64::from(ours) - theirs).abs() / theirs.abs().max(1.0)
}

#[test]
fn the_reference_uses_fsrs6_default_parameters() {
    let table = table();
    let ours = Parameters::default().weights;
    assert_eq!(ours.len(), table.parameters.len(), "{}", table.package);
    for (i, (a, b)) in ours.iter().zip(&table.parameters).enumerate() {
        assert!(relative_error(*a, *b) < 1e-6, "weight {i}: {a} against {b}");
    }
}

#[test]
fn schedules_match_py_fsrs_review_by_review() {
    let table = table();
    let mut worst: f64 = 0.0;
    let mut reviews = 0;
    for case in &table.cases {
        let settings = DeckSettings {
            fuzz: false,
            ..case.settings.clone()
        };
        let scheduler = Scheduler::new(&Parameters::default(), &settings)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let mut schedule = Schedule::new_card(case.start);
        for (n, want) in case.reviews.iter().enumerate() {
            let at = format!("{} (review {}, {})", case.name, n + 1, table.package);
            let got = scheduler
                .review(case.card, &schedule, want.rating, want.time, 0)
                .unwrap_or_else(|e| panic!("{at}: {e}"))
                .log
                .after;
            assert_eq!(got.state, want.state, "{at}: state");
            assert_eq!(got.step, want.step, "{at}: step");
            assert_eq!(
                got.due,
                want.due,
                "{at}: due ({} days apart)",
                (got.due - want.due) as f64 / 86_400_000.0
            );
            let memory = got.memory.expect("a reviewed card has a memory state");
            let errors = [
                relative_error(memory.stability, want.stability),
                relative_error(memory.difficulty, want.difficulty),
            ];
            worst = errors.iter().copied().fold(worst, f64::max);
            assert!(
                errors.iter().all(|&e| e < TOLERANCE),
                "{at}: stability {} against {}, difficulty {} against {} (worst so far {worst:e})",
                memory.stability,
                want.stability,
                memory.difficulty,
                want.difficulty
            );
            schedule = got;
            reviews += 1;
        }
    }
    assert!(reviews > 1000, "the table holds {reviews} reviews");
    eprintln!("{reviews} reviews matched; largest relative error {worst:e}");
}
