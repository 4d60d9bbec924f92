//! Challenge generation on the bundled lexicon.

use chrono::NaiveDate;
use tilebag_study::challenge::{Challenge, generate};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
}

#[test]
fn the_same_inputs_draw_the_same_questions_and_other_days_differ() {
    let lexicon = tilebag_bundled::scowl80();
    for challenge in [
        Challenge::Today(7),
        Challenge::BingoMarathon,
        Challenge::BlankBingos,
        Challenge::WordBuilder,
    ] {
        let a = generate(&lexicon, challenge, day(26), 42, &[]);
        assert!(!a.is_empty(), "{challenge:?}");
        assert_eq!(
            a,
            generate(&lexicon, challenge, day(26), 42, &[]),
            "{challenge:?} is deterministic"
        );
        assert_ne!(
            a,
            generate(&lexicon, challenge, day(27), 42, &[]),
            "{challenge:?} changes by day"
        );
        assert_ne!(
            a,
            generate(&lexicon, challenge, day(26), 43, &[]),
            "{challenge:?} depends on the site secret"
        );
    }
}

#[test]
fn each_challenge_has_its_shape() {
    let lexicon = tilebag_bundled::scowl80();
    for n in 2..=15u8 {
        let today = generate(&lexicon, Challenge::Today(n), day(26), 1, &[]);
        assert_eq!(today.len(), 50, "today's {n}s");
        assert!(
            today
                .iter()
                .all(|q| q.alphagram.len() == usize::from(n) && !q.answers.is_empty())
        );
    }
    let marathon = generate(&lexicon, Challenge::BingoMarathon, day(26), 1, &[]);
    assert_eq!(
        marathon.iter().filter(|q| q.alphagram.len() == 7).count(),
        50
    );
    assert_eq!(
        marathon.iter().filter(|q| q.alphagram.len() == 8).count(),
        50
    );
    let blanks = generate(&lexicon, Challenge::BlankBingos, day(26), 1, &[]);
    assert_eq!(blanks.len(), 50);
    assert!(
        blanks
            .iter()
            .all(|q| q.alphagram.contains('?') && (1..=5).contains(&q.answers.len()))
    );
    assert!(
        blanks.iter().any(|q| q.alphagram.ends_with("??")),
        "a few have two blanks"
    );
    let builder = generate(&lexicon, Challenge::WordBuilder, day(26), 1, &[]);
    assert_eq!(builder.len(), 1);
    assert!(
        (6..=8).contains(&builder[0].alphagram.len())
            && builder[0].answers.iter().all(|w| w.len() >= 3)
    );
}

#[test]
fn toughies_need_a_week_of_misses() {
    let lexicon = tilebag_bundled::scowl80();
    let sevens: Vec<String> = generate(&lexicon, Challenge::Today(7), day(16), 1, &[])
        .into_iter()
        .map(|q| q.alphagram)
        .collect();
    let eights: Vec<String> = generate(&lexicon, Challenge::Today(8), day(16), 1, &[])
        .into_iter()
        .map(|q| q.alphagram)
        .collect();
    assert!(
        generate(&lexicon, Challenge::Toughies, day(23), 1, &sevens[..20]).is_empty(),
        "too little data: skipped"
    );
    let missed: Vec<String> = sevens.iter().chain(&eights).cloned().collect();
    let toughies = generate(&lexicon, Challenge::Toughies, day(23), 1, &missed);
    assert_eq!(toughies.len(), 50);
    assert_eq!(toughies[0].alphagram, sevens[0], "most missed first");
}
