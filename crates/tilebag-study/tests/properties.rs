//! Properties of rounds, leaderboards and study lists, checked against a small model of each
//! over random sequences of operations.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::Index;
use tilebag_study::challenge::{Score, leaderboard};
use tilebag_study::{Deal, EndReason, Guess, Question, Round, StudyList};

// ---------------------------------------------------------------------------------------------
// Rounds

/// Questions from the bundled lexicon. Some share words, as real walls do: a build rack's
/// answers overlap any other rack's and the anagram questions' (ACT and CAT are answers both
/// of the alphagram ACT and of the rack ACT; two build racks share APE, PEA, ...).
static POOL: LazyLock<Vec<Question>> = LazyLock::new(|| {
    let lexicon = tilebag_bundled::scowl80();
    let mut pool =
        tilebag_study::questions(&lexicon, ["ACT", "IQ", "AEPRS", "EILNST"]).expect("in SCOWL");
    for (rack, min) in [("ACT", 2), ("AEPRS", 4), ("AELPT", 4)] {
        pool.push(tilebag_study::build_question(&lexicon, rack, min).expect("answers"));
    }
    pool
});

const START: i64 = 1_000_000;
const DURATION: i64 = 60_000;

#[derive(Clone, Debug)]
enum RoundOp {
    /// One of the wall's answers, maybe in lower case or with spaces around it.
    Right {
        pick: Index,
        lower: bool,
        spaces: bool,
    },
    /// Any letters: usually not an answer (the model decides, not the label).
    Other(String),
    /// The last word guessed again.
    Repeat,
    GiveUp,
    /// Questions 0-4: some walls have fewer.
    Mark {
        question: usize,
        missed: Option<bool>,
    },
    Check,
    /// The clock moves on (rounds last 60 s).
    Wait(i64),
    Extend(i64),
}

fn round_op() -> impl Strategy<Value = RoundOp> {
    prop_oneof![
        6 => (any::<Index>(), any::<bool>(), any::<bool>())
            .prop_map(|(pick, lower, spaces)| RoundOp::Right { pick, lower, spaces }),
        2 => "[A-Za-z]{1,7}".prop_map(RoundOp::Other),
        2 => Just(RoundOp::Repeat),
        1 => Just(RoundOp::GiveUp),
        2 => (0..5usize, prop_oneof![Just(None), Just(Some(true)), Just(Some(false))])
            .prop_map(|(question, missed)| RoundOp::Mark { question, missed }),
        1 => Just(RoundOp::Check),
        3 => (0..25_000i64).prop_map(RoundOp::Wait),
        1 => (-5_000..20_000i64).prop_map(RoundOp::Extend),
    ]
}

fn wall() -> impl Strategy<Value = Vec<Question>> {
    prop::collection::vec(0..POOL.len(), 1..4)
        .prop_map(|picks| picks.into_iter().map(|i| POOL[i].clone()).collect())
}

/// What the round should be, kept apart from how `Round` keeps it.
#[derive(Debug)]
struct RoundModel {
    found: BTreeSet<String>,
    words: BTreeSet<String>,
    wrong: u32,
    deadline: i64,
    ended: Option<(EndReason, i64)>,
}

impl RoundModel {
    /// The first question with this word, and the word's place in it.
    fn first(round: &Round, word: &str) -> Option<(usize, usize)> {
        round.questions.iter().enumerate().find_map(|(q, rq)| {
            let a = rq.question.answers.iter().position(|a| a == word)?;
            Some((q, a))
        })
    }

    /// What a guess of `word` at `now` should return, updating the model.
    fn guess(&mut self, round: &Round, word: &str, now: i64) -> Guess {
        if self.ended.is_some() {
            return Guess::Over;
        }
        if now >= self.deadline {
            self.ended = Some((EndReason::TimeUp, self.deadline));
            return Guess::Late;
        }
        let word = word.trim().to_ascii_uppercase();
        let Some((question, answer)) = Self::first(round, &word) else {
            self.wrong += 1;
            return Guess::Wrong;
        };
        if !self.found.insert(word) {
            return Guess::AlreadySolved { question };
        }
        if self.found == self.words {
            self.ended = Some((EndReason::AllSolved, now));
        }
        Guess::Solved { question, answer }
    }
}

/// Every invariant of a round that holds after any operation.
fn check_round(round: &Round, before: &Round, model: &RoundModel, now: i64) {
    // Each answer is flagged solved exactly when its word has been found: once found, a word
    // counts in every question that has it.
    for rq in &round.questions {
        assert_eq!(rq.solved.len(), rq.question.answers.len());
        for (word, &solved) in rq.question.answers.iter().zip(&rq.solved) {
            assert_eq!(
                solved,
                model.found.contains(word),
                "{word} in {}",
                rq.question.alphagram
            );
        }
    }
    // solved_count is the number of true flags, never more than the answers, never less than
    // before (nothing un-solves an answer).
    let flags: usize = round
        .questions
        .iter()
        .map(|q| q.solved.iter().filter(|&&s| s).count())
        .sum();
    assert_eq!(round.solved_count(), flags);
    assert!(round.solved_count() <= round.answer_count());
    assert!(round.solved_count() >= before.solved_count());
    assert_eq!(round.wrong, model.wrong);
    assert_eq!(round.deadline, model.deadline);
    assert_eq!(
        round.ended.zip(round.ended_at),
        model.ended,
        "how and when it ended"
    );
    // Once ended it stays ended, at the same time, for the same reason, no later than the
    // deadline; nothing but the missed marks changes after that.
    if before.ended.is_some() {
        assert_eq!(
            (round.ended, round.ended_at),
            (before.ended, before.ended_at)
        );
        let unmarked = |r: &Round| {
            let mut r = r.clone();
            r.questions.iter_mut().for_each(|q| q.marked_missed = None);
            r
        };
        assert_eq!(unmarked(round), unmarked(before));
    }
    if let Some(at) = round.ended_at {
        assert!(at <= round.deadline);
    }
    // While it runs, no question is marked.
    if round.ended.is_none() {
        assert!(round.questions.iter().all(|q| q.marked_missed.is_none()));
    }
    // Time left is never negative, is 0 once over, and never more than the deadline allows.
    let remaining = round.remaining(now);
    assert!(remaining >= 0);
    if round.ended.is_some() {
        assert_eq!(remaining, 0);
    } else {
        assert_eq!(remaining, (round.deadline - now).max(0));
    }
    // missed() is the questions whose mark, or else whose not being solved, says so, in order.
    let missed: Vec<&str> = round
        .questions
        .iter()
        .filter(|q| q.marked_missed.unwrap_or(!q.solved.iter().all(|&s| s)))
        .map(|q| q.question.alphagram.as_str())
        .collect();
    assert_eq!(round.missed(), missed);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any operations in any order, with the clock moving on, keep every invariant in
    /// `check_round`; each guess gets the answer the model predicts (a word found once is
    /// `AlreadySolved` the second time; a guess at or after the deadline is `Late` and ends the
    /// round; any guess after the end is `Over`).
    #[test]
    fn any_operations_keep_a_round_consistent(
        questions in wall(),
        ops in prop::collection::vec(round_op(), 0..60),
    ) {
        let all: Vec<String> = questions.iter().flat_map(|q| q.answers.iter().cloned()).collect();
        let mut round = Round::start(questions, DURATION, START);
        let mut model = RoundModel {
            found: BTreeSet::new(),
            words: all.iter().cloned().collect(),
            wrong: 0,
            deadline: START + DURATION,
            ended: None,
        };
        let mut now = START;
        let mut last = String::from("QI");
        check_round(&round, &round.clone(), &model, now);
        for op in ops {
            let before = round.clone();
            match op {
                RoundOp::Right { pick, lower, spaces } => {
                    let mut word = pick.get(&all).clone();
                    if lower {
                        word = word.to_ascii_lowercase();
                    }
                    if spaces {
                        word = format!("  {word} ");
                    }
                    let expected = model.guess(&before, &word, now);
                    prop_assert_eq!(round.guess(&word, now), expected);
                    last = word;
                }
                RoundOp::Other(word) => {
                    let expected = model.guess(&before, &word, now);
                    prop_assert_eq!(round.guess(&word, now), expected);
                    last = word;
                }
                RoundOp::Repeat => {
                    let found = model.found.contains(&last.trim().to_ascii_uppercase());
                    let expected = model.guess(&before, &last, now);
                    let got = round.guess(&last, now);
                    if found && before.ended.is_none() && now < before.deadline {
                        let again = matches!(got, Guess::AlreadySolved { .. });
                        prop_assert!(again, "{} again gave {:?}", last, got);
                    }
                    prop_assert_eq!(got, expected);
                }
                RoundOp::GiveUp => {
                    round.give_up(now);
                    if model.ended.is_none() {
                        model.ended = Some(if now >= model.deadline {
                            (EndReason::TimeUp, model.deadline)
                        } else {
                            (EndReason::GaveUp, now)
                        });
                    }
                }
                RoundOp::Mark { question, missed } => {
                    let done = round.mark_missed(question, missed);
                    let allowed = before.ended.is_some() && question < round.questions.len();
                    prop_assert_eq!(done, allowed);
                    if allowed {
                        prop_assert_eq!(round.questions[question].marked_missed, missed);
                    } else {
                        prop_assert_eq!(&round, &before);
                    }
                }
                RoundOp::Check => {
                    let over = round.check_clock(now);
                    if model.ended.is_none() && now >= model.deadline {
                        model.ended = Some((EndReason::TimeUp, model.deadline));
                    }
                    prop_assert_eq!(over, model.ended.is_some());
                }
                RoundOp::Wait(ms) => now += ms,
                RoundOp::Extend(ms) => {
                    round.extend(ms);
                    if model.ended.is_none() {
                        model.deadline += ms.max(0);
                    }
                }
            }
            check_round(&round, &before, &model, now);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Leaderboards

fn scores() -> impl Strategy<Value = Vec<Score>> {
    // Small ranges, so that ties are common.
    let result = (
        0..4u32,
        0..3u32,
        prop_oneof![Just(0i64), Just(500), Just(1_000)],
    );
    prop::collection::vec(result, 0..12).prop_map(|results| {
        results
            .into_iter()
            .zip(0i64..)
            // Players numbered against the input order, so that ties must be broken by player.
            .map(|((solved, wrong, remaining_ms), i)| Score {
                player: 100 - i,
                solved,
                total: 3,
                wrong,
                remaining_ms,
            })
            .collect()
    })
}

/// The documented rule: more solved first, then fewer wrong guesses, then more time left.
fn better(a: &Score, b: &Score) -> bool {
    (b.solved, a.wrong, b.remaining_ms) < (a.solved, b.wrong, a.remaining_ms)
}

fn same_result(a: &Score, b: &Score) -> bool {
    (a.solved, a.wrong, a.remaining_ms) == (b.solved, b.wrong, b.remaining_ms)
}

fn sorted_by_player(scores: impl IntoIterator<Item = Score>) -> Vec<(i64, u32, u32, i64)> {
    let mut v: Vec<_> = scores
        .into_iter()
        .map(|s| (s.player, s.solved, s.wrong, s.remaining_ms))
        .collect();
    v.sort_unstable();
    v
}

proptest! {
    /// The board holds every score once, nothing else.
    #[test]
    fn a_leaderboard_is_a_permutation_of_its_scores(scores in scores()) {
        let board = leaderboard(&scores);
        prop_assert_eq!(
            sorted_by_player(board.into_iter().map(|(_, s)| s)),
            sorted_by_player(scores)
        );
    }

    /// Nobody is listed above a better result, equal results are listed by player, and the
    /// order does not depend on the order the scores came in.
    #[test]
    fn a_leaderboard_follows_its_rule_as_a_total_order(
        scores in scores().prop_shuffle(),
        seed in any::<u64>(),
    ) {
        let board = leaderboard(&scores);
        for pair in board.windows(2) {
            let (a, b) = (&pair[0].1, &pair[1].1);
            prop_assert!(!better(b, a), "{b:?} is listed below {a:?}");
            if same_result(a, b) {
                prop_assert!(a.player < b.player);
            }
        }
        let mut reordered = scores.clone();
        tilebag_study::shuffle::shuffle(&mut reordered, seed);
        prop_assert_eq!(leaderboard(&reordered), board);
    }

    /// A place is one more than the number of better results, so equal results share it and
    /// the next result skips the shared places (1, 1, 3).
    #[test]
    fn a_leaderboard_shares_places_exactly_between_equal_results(scores in scores()) {
        let board = leaderboard(&scores);
        for (i, (place, score)) in board.iter().enumerate() {
            let above = scores.iter().filter(|s| better(s, score)).count();
            prop_assert_eq!(*place as usize, above + 1, "{:?}", score);
            if i > 0 {
                let (previous_place, previous) = &board[i - 1];
                if same_result(previous, score) {
                    prop_assert_eq!(place, previous_place);
                } else {
                    prop_assert_eq!(*place as usize, i + 1);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Study lists

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("W{i:02}")).collect()
}

#[derive(Clone, Debug)]
enum ListOp {
    Deal(Deal, usize),
    /// The latest round is finished.
    Finish,
    /// Results for some of the last round dealt (the index picks which).
    RecordDealt(Vec<(Index, bool)>),
    /// A result for any alphagram of the list, or one it does not have (index >= its length).
    RecordAny(usize, bool),
}

fn deal() -> impl Strategy<Value = Deal> {
    prop_oneof![
        4 => Just(Deal::Continue),
        1 => Just(Deal::FirstMissed),
        1 => Just(Deal::Missed),
        1 => Just(Deal::StartOver),
    ]
}

fn list_op() -> impl Strategy<Value = ListOp> {
    prop_oneof![
        3 => (deal(), 0..6usize).prop_map(|(d, n)| ListOp::Deal(d, n)),
        2 => Just(ListOp::Finish),
        3 => prop::collection::vec((any::<Index>(), any::<bool>()), 0..6).prop_map(ListOp::RecordDealt),
        1 => (0..15usize, any::<bool>()).prop_map(|(i, m)| ListOp::RecordAny(i, m)),
    ]
}

/// The current queue as the model sees it: what it must deal, what it has dealt for the
/// first time, what of that is not finished, and the latest round.
#[derive(Debug)]
struct Pass {
    expected: Vec<u32>,
    dealt: Vec<u32>,
    unfinished: BTreeSet<u32>,
    latest: Vec<u32>,
}

impl Pass {
    fn of(expected: Vec<u32>) -> Pass {
        Pass {
            expected,
            dealt: Vec::new(),
            unfinished: BTreeSet::new(),
            latest: Vec::new(),
        }
    }
}

/// What a list should remember, kept apart from how `StudyList` keeps it.
#[derive(Debug)]
struct ListModel {
    /// Until the first deal that is not `Continue`.
    first_pass: bool,
    seen: usize,
    missed: BTreeSet<u32>,
    first_missed: BTreeSet<u32>,
}

impl ListModel {
    fn record(&mut self, index: u32, missed: bool) {
        let mut sets = vec![&mut self.missed];
        if self.first_pass {
            sets.push(&mut self.first_missed);
        }
        for set in sets {
            if missed {
                set.insert(index);
            } else {
                set.remove(&index);
            }
        }
    }
}

proptest! {
    /// Dealing `Continue` and finishing each round until nothing comes deals every
    /// alphagram exactly once, in the list's order, whatever the round sizes.
    #[test]
    fn continuing_until_empty_deals_every_alphagram_exactly_once(
        n in 0..40usize,
        seed in any::<u64>(),
        sizes in prop::collection::vec(1..7usize, 1..5),
    ) {
        let mut list = StudyList::new(names(n), seed);
        let mut dealt = Vec::new();
        for size in sizes.iter().cycle() {
            let round = list.deal(Deal::Continue, *size);
            list.finish_round();
            if round.is_empty() {
                break;
            }
            prop_assert!(round.len() <= *size);
            dealt.extend(round);
        }
        prop_assert_eq!(&dealt, &list.alphagrams);
        let mut sorted = dealt.clone();
        sorted.sort();
        prop_assert_eq!(sorted, names(n));
        prop_assert!(list.queue_done() && list.first_pass_done());
        prop_assert_eq!(list.seen, n);
    }

    /// Under any deals, finished rounds and records: each queue deals its set (everything;
    /// the first-pass misses; the current misses) for the first time exactly once, in list
    /// order; `Continue` deals what was dealt but not finished before anything new; `missed`
    /// is what was last recorded missed since the last start-over; `first_missed` is what was
    /// last recorded missed while the first pass lasted; `seen` counts the first pass's
    /// alphagrams whose round was finished.
    #[test]
    fn any_deals_and_records_keep_a_list_consistent(
        n in 0..12usize,
        seed in any::<u64>(),
        ops in prop::collection::vec(list_op(), 0..40),
    ) {
        let mut list = StudyList::new(names(n), seed);
        let index = |list: &StudyList, name: &str| {
            list.alphagrams.iter().position(|a| a == name).expect("dealt from the list") as u32
        };
        let mut pass = Pass::of((0..n as u32).collect());
        let mut model = ListModel { first_pass: true, seen: 0, missed: BTreeSet::new(), first_missed: BTreeSet::new() };
        let mut last_round: Vec<String> = Vec::new();
        for op in ops {
            match op {
                ListOp::Deal(kind, count) => {
                    if kind != Deal::Continue {
                        model.first_pass = false;
                        let expected = match kind {
                            Deal::FirstMissed => model.first_missed.iter().copied().collect(),
                            Deal::Missed => model.missed.iter().copied().collect(),
                            _ => {
                                model.missed.clear();
                                (0..n as u32).collect()
                            }
                        };
                        pass = Pass::of(expected);
                    }
                    let round = list.deal(kind, count);
                    let indexes: Vec<u32> = round.iter().map(|a| index(&list, a)).collect();
                    let left = pass.expected.len() - pass.dealt.len();
                    let again = count.min(pass.unfinished.len());
                    prop_assert_eq!(round.len(), count.min(pass.unfinished.len() + left));
                    // The unfinished come first, then the queue's next in order.
                    for i in &indexes[..again] {
                        prop_assert!(pass.unfinished.contains(i), "{} was not unfinished", i);
                    }
                    pass.dealt.extend(&indexes[again..]);
                    prop_assert_eq!(&pass.dealt[..], &pass.expected[..pass.dealt.len()]);
                    pass.unfinished.extend(&indexes);
                    pass.latest = indexes;
                    last_round = round;
                }
                ListOp::Finish => {
                    list.finish_round();
                    for i in pass.latest.drain(..) {
                        pass.unfinished.remove(&i);
                        if model.first_pass {
                            model.seen += 1;
                        }
                    }
                }
                ListOp::RecordDealt(results) => {
                    if !last_round.is_empty() {
                        let results: Vec<(String, bool)> = results
                            .into_iter()
                            .map(|(pick, was_missed)| (pick.get(&last_round).clone(), was_missed))
                            .collect();
                        list.record(results.iter().map(|(a, m)| (a.as_str(), *m)));
                        for (name, was_missed) in &results {
                            model.record(index(&list, name), *was_missed);
                        }
                    }
                }
                ListOp::RecordAny(i, was_missed) => {
                    let name = format!("W{i:02}");
                    list.record([(name.as_str(), was_missed)]);
                    if i < n {
                        model.record(index(&list, &name), was_missed);
                    }
                }
            }
            prop_assert_eq!(list.first_pass, model.first_pass);
            prop_assert_eq!(&list.missed, &model.missed);
            prop_assert_eq!(&list.first_missed, &model.first_missed);
            prop_assert_eq!(list.seen, model.seen);
            let done = pass.dealt.len() == pass.expected.len() && pass.unfinished.is_empty();
            prop_assert_eq!(list.queue_done(), done);
            prop_assert_eq!(list.first_pass_done(), !model.first_pass || done);
            if pass.dealt.len() == pass.expected.len() {
                // Each of the queue's alphagrams exactly once.
                let mut once = pass.dealt.clone();
                once.sort_unstable();
                once.dedup();
                prop_assert_eq!(once.len(), pass.expected.len());
            }
        }
    }

    /// The same seed shuffles the same alphagrams the same way, and a shuffle only reorders.
    #[test]
    fn a_seeded_shuffle_is_deterministic_and_only_reorders(
        n in 0..60usize,
        seed in any::<u64>(),
    ) {
        let a = StudyList::new(names(n), seed);
        let b = StudyList::new(names(n), seed);
        prop_assert_eq!(&a, &b);
        let mut sorted = a.alphagrams.clone();
        sorted.sort();
        prop_assert_eq!(sorted, names(n));
        prop_assert_eq!(a.seed, seed);
    }
}
