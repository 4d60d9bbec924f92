//! A multiplayer table's rules: seats, host, countdown, claimed words, chat and absence.

use tilebag_study::table::{
    ABSENCE_MS, CHAT_KEPT, COUNTDOWN_MS, Change, Due, GuessResult, MAX_PLAYERS, Role, Table,
    TableError,
};
use tilebag_study::{Deal, EndReason, Question};

fn questions() -> Vec<Question> {
    vec![
        Question {
            alphagram: "AEPRS".into(),
            answers: vec!["PEARS".into(), "SPARE".into()],
        },
        Question {
            alphagram: "ACT".into(),
            answers: vec!["CAT".into()],
        },
    ]
}

/// A table made by `ann`, with ann and bob seated as players and a round on.
fn playing() -> Table {
    let mut table = Table::new("ann".into(), 60_000);
    table.join("ann", "Ann", Role::Player, 0).unwrap();
    table.join("bob", "Bob", Role::Player, 0).unwrap();
    table.start("ann", Deal::Continue, 0).unwrap();
    assert_eq!(table.due(COUNTDOWN_MS), Due::Begin(Deal::Continue));
    table.begin(questions(), COUNTDOWN_MS);
    table
}

#[test]
fn a_word_is_claimed_once_by_the_first_player_to_type_it() {
    let mut table = playing();
    let (first, events) = table.guess("bob", "spare", 1, 4_000).unwrap();
    assert_eq!(first, GuessResult::Solved);
    assert!(matches!(&events[0].change, Change::Solved { word, by: 2, .. } if word == "SPARE"));
    let (second, events) = table.guess("ann", "SPARE", 1, 4_001).unwrap();
    assert_eq!((second, events.len()), (GuessResult::AlreadySolved, 0));
    assert_eq!(table.member("bob").unwrap().words, 1);
    assert_eq!(table.member("ann").unwrap().words, 0);
    assert_eq!(table.found_by[0][1].as_ref().unwrap().name, "Bob");
}

#[test]
fn a_retried_guess_gets_the_same_answer_and_changes_nothing() {
    let mut table = playing();
    table.guess("bob", "CAT", 7, 4_000).unwrap();
    let seq = table.seq;
    let (again, events) = table.guess("bob", "CAT", 7, 4_100).unwrap();
    assert_eq!(
        (again, events.len(), table.seq),
        (GuessResult::Solved, 0, seq)
    );
    assert_eq!(table.member("bob").unwrap().alphagrams, 1);
}

#[test]
fn solving_every_word_ends_the_round_after_the_last_solved_event() {
    let mut table = playing();
    table.guess("ann", "PEARS", 1, 4_000).unwrap();
    table.guess("bob", "SPARE", 1, 4_000).unwrap();
    let (_, events) = table.guess("ann", "CAT", 2, 4_000).unwrap();
    let kinds: Vec<_> = events.iter().map(|e| (e.seq, e.change.clone())).collect();
    assert!(matches!(kinds[0].1, Change::Solved { .. }));
    assert_eq!(
        kinds[1].1,
        Change::RoundEnded {
            reason: EndReason::AllSolved
        }
    );
    assert_eq!(kinds[1].0, kinds[0].0 + 1);
    assert_eq!(
        table.guess("bob", "CAT", 3, 4_001).unwrap().0,
        GuessResult::Over
    );
}

#[test]
fn the_clock_ends_a_round_and_later_guesses_are_late() {
    let mut table = playing();
    let deadline = COUNTDOWN_MS + 60_000;
    assert_eq!(table.due(deadline - 1), Due::Nothing(Some(deadline)));
    let (late, events) = table.guess("bob", "CAT", 1, deadline).unwrap();
    assert_eq!(late, GuessResult::Late);
    assert_eq!(
        events[0].change,
        Change::RoundEnded {
            reason: EndReason::TimeUp
        }
    );
    assert!(table.time_up(deadline + 5).is_empty(), "ended once");
}

#[test]
fn joining_again_opens_a_connection_and_never_a_second_seat() {
    let mut table = Table::new("ann".into(), 60_000);
    table.join("ann", "Ann", Role::Player, 0).unwrap();
    let events = table.join("ann", "Ann again", Role::Player, 0).unwrap();
    assert!(events.is_empty());
    assert_eq!((table.members.len(), table.connections()), (1, 2));
}

#[test]
fn the_host_hands_over_to_the_longest_seated_player() {
    let mut table = Table::new("ann".into(), 60_000);
    table.join("bob", "Bob", Role::Player, 0).unwrap();
    table.join("cy", "Cy", Role::Spectator, 0).unwrap();
    let events = table.join("ann", "Ann", Role::Player, 0).unwrap();
    assert_eq!(
        events[1].change,
        Change::Host { id: 3 },
        "the creator takes the host's seat"
    );
    table.join("dee", "Dee", Role::Player, 0).unwrap();
    let events = table.leave("ann").unwrap();
    assert_eq!(
        events[1].change,
        Change::Host { id: 1 },
        "bob, not the spectator or dee"
    );
    assert_eq!(
        table.start("dee", Deal::Continue, 0),
        Err(TableError::NotHost)
    );
}

#[test]
fn every_player_ready_starts_the_countdown() {
    let mut table = Table::new("ann".into(), 60_000);
    table.join("ann", "Ann", Role::Player, 0).unwrap();
    table.join("bob", "Bob", Role::Player, 0).unwrap();
    table.join("cy", "Cy", Role::Spectator, 0).unwrap();
    assert_eq!(table.ready("ann", true, 10).unwrap().len(), 1);
    let events = table.ready("bob", true, 20).unwrap();
    assert_eq!(
        events[1].change,
        Change::Countdown {
            starts_at: 20 + COUNTDOWN_MS
        }
    );
    assert_eq!(
        table.ready("cy", true, 30),
        Err(TableError::Spectator("get ready"))
    );
}

#[test]
fn spectators_cannot_guess_and_seats_are_limited() {
    let mut table = playing();
    table.join("cy", "Cy", Role::Spectator, 0).unwrap();
    assert_eq!(
        table.guess("cy", "CAT", 1, 4_000),
        Err(TableError::Spectator("guess"))
    );
    assert_eq!(
        table.guess("zed", "CAT", 1, 4_000),
        Err(TableError::NotJoined)
    );
    for i in 2..MAX_PLAYERS {
        table.join(&format!("p{i}"), "P", Role::Player, 0).unwrap();
    }
    assert!(matches!(
        table.join("last", "L", Role::Player, 0),
        Err(TableError::Full(_))
    ));
}

#[test]
fn chat_is_trimmed_checked_and_only_the_last_messages_are_kept() {
    let mut table = playing();
    assert!(table.chat("ann", "   ", 0).is_err());
    assert!(table.chat("ann", &"x".repeat(301), 0).is_err());
    assert!(table.chat("ann", "bell\u{7}", 0).is_err());
    for i in 0..CHAT_KEPT + 5 {
        table.chat("bob", &format!(" hello {i} "), 0).unwrap();
    }
    assert_eq!(table.chat.len(), CHAT_KEPT);
    assert_eq!(
        table.chat.back().unwrap().text,
        format!("hello {}", CHAT_KEPT + 4)
    );
}

#[test]
fn a_member_away_too_long_is_gone_and_one_who_returns_is_here() {
    let mut table = playing();
    let away = table.disconnect("bob", 10_000);
    assert!(matches!(
        away[0].change,
        Change::Presence {
            id: 2,
            state: "away"
        }
    ));
    let mut events = Vec::new();
    table.connect("bob", 20_000, &mut events).unwrap();
    assert!(matches!(
        events[0].change,
        Change::Presence {
            id: 2,
            state: "here"
        }
    ));
    table.disconnect("ann", 30_000);
    assert!(table.tidy(30_000 + ABSENCE_MS - 1).is_empty());
    let gone = table.tidy(30_000 + ABSENCE_MS);
    assert_eq!(
        gone[0].change,
        Change::Left {
            id: 1,
            reason: "gone"
        }
    );
    assert_eq!(gone[1].change, Change::Host { id: 2 });
}

#[test]
fn a_stored_table_reads_back_the_same() {
    let mut table = playing();
    table.guess("bob", "CAT", 1, 4_000).unwrap();
    let text = tilebag_study::document::encode(&table);
    let read: Table = tilebag_study::document::decode(&text).unwrap();
    assert_eq!(read, table);
    let mut broken = table.clone();
    broken.found_by.pop();
    let text = tilebag_study::document::encode(&broken);
    assert!(tilebag_study::document::decode::<Table>(&text).is_err());
}

#[test]
fn a_wrong_guess_changes_nothing_that_is_stored() {
    let mut table = playing();
    let before = table.clone();
    let (result, events) = table.guess("ann", "PARSE", 1, 4_000).unwrap();
    assert_eq!((result, events.len()), (GuessResult::Wrong, 0));
    assert_eq!(table, before);
}
