//! Unit tests of the pure parts of [`super`].

use super::*;

#[test]
fn entry_result_of_a_round_ended_at_the_start_of_time_does_not_overflow() {
    let mut round = Round::start(Vec::new(), 60_000, 0);
    round.deadline = i64::MAX;
    round.ended = Some(tilebag_study::EndReason::GaveUp);
    round.ended_at = Some(i64::MIN);
    let entry = entry_result(&round);
    assert_eq!(entry.remaining_ms, i64::MAX);
    assert!(entry.finished);
}
