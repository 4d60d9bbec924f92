//! One round of a wall: questions on the clock, guesses judged by the server.

use serde::{Deserialize, Serialize};

/// An alphagram to solve and every word it spells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The letters, alphabetically.
    pub alphagram: String,
    /// The words, upper-case, alphabetically.
    pub answers: Vec<String>,
}

/// A question as played in a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundQuestion {
    /// The question.
    #[serde(flatten)]
    pub question: Question,
    /// Which answers have been found, in the order of `answers`.
    pub solved: Vec<bool>,
    /// After the round: the player's override of "missed" (`None`: missed iff not all solved).
    #[serde(default)]
    pub marked_missed: Option<bool>,
}

impl RoundQuestion {
    /// Whether every answer was found.
    #[must_use]
    pub fn is_solved(&self) -> bool {
        self.solved.iter().all(|&s| s)
    }

    /// Whether the question counts as missed.
    #[must_use]
    pub fn is_missed(&self) -> bool {
        self.marked_missed.unwrap_or(!self.is_solved())
    }
}

/// Why a round ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The clock ran out.
    TimeUp,
    /// Every answer was found.
    AllSolved,
    /// The player gave up.
    GaveUp,
}

/// What a guess did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guess {
    /// A new answer: which question and which of its answers (the first where it was new;
    /// it is solved in every question it answers).
    Solved {
        /// Index of the question.
        question: usize,
        /// Index of the answer within it.
        answer: usize,
    },
    /// An answer found before (a repeated request costs nothing).
    AlreadySolved {
        /// Index of the first question it answers.
        question: usize,
    },
    /// Not an answer on this wall; counts as a wrong guess.
    Wrong,
    /// Arrived after the clock ran out; the round is over.
    Late,
    /// The round had already ended.
    Over,
}

/// A round: questions, the deadline, what has been found and what went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// The questions, in the order shown.
    pub questions: Vec<RoundQuestion>,
    /// When the clock runs out (Unix milliseconds).
    pub deadline: i64,
    /// Length of the round in milliseconds.
    pub duration: i64,
    /// Wrong guesses.
    pub wrong: u32,
    /// Why it ended, once it has.
    pub ended: Option<EndReason>,
    /// When it ended (Unix milliseconds).
    pub ended_at: Option<i64>,
}

impl Round {
    /// Starts a round now.
    #[must_use]
    pub fn start(questions: Vec<Question>, duration_ms: i64, now: i64) -> Round {
        let questions = questions
            .into_iter()
            .map(|question| RoundQuestion {
                solved: vec![false; question.answers.len()],
                question,
                marked_missed: None,
            })
            .collect();
        Round {
            questions,
            deadline: now.saturating_add(duration_ms),
            duration: duration_ms,
            wrong: 0,
            ended: None,
            ended_at: None,
        }
    }

    /// Ends the round if its time is up; returns whether it is over.
    pub fn check_clock(&mut self, now: i64) -> bool {
        if self.ended.is_none() && now >= self.deadline {
            self.finish(EndReason::TimeUp, self.deadline);
        }
        self.ended.is_some()
    }

    fn finish(&mut self, reason: EndReason, at: i64) {
        self.ended = Some(reason);
        self.ended_at = Some(at);
    }

    /// Judges a guess (any case, surrounding spaces ignored). A word found counts in every
    /// question it answers.
    pub fn guess(&mut self, word: &str, now: i64) -> Guess {
        if self.ended.is_some() {
            return Guess::Over;
        }
        if self.check_clock(now) {
            return Guess::Late;
        }
        let word = word.trim().to_ascii_uppercase();
        // A word can answer several questions (build racks and blank bingos share words):
        // finding it once finds it in every one.
        let (mut first, mut new) = (None, None);
        for (q, rq) in self.questions.iter_mut().enumerate() {
            for (a, answer) in rq.question.answers.iter().enumerate() {
                if *answer == word {
                    first.get_or_insert(q);
                    if !rq.solved[a] {
                        rq.solved[a] = true;
                        new.get_or_insert((q, a));
                    }
                }
            }
        }
        let Some(first) = first else {
            self.wrong = self.wrong.saturating_add(1);
            return Guess::Wrong;
        };
        let Some((question, answer)) = new else {
            return Guess::AlreadySolved { question: first };
        };
        if self.questions.iter().all(RoundQuestion::is_solved) {
            self.finish(EndReason::AllSolved, now);
        }
        Guess::Solved { question, answer }
    }

    /// Ends the round at once.
    pub fn give_up(&mut self, now: i64) {
        if !self.check_clock(now) {
            self.finish(EndReason::GaveUp, now);
        }
    }

    /// Milliseconds left (0 once over).
    #[must_use]
    pub fn remaining(&self, now: i64) -> i64 {
        if self.ended.is_some() {
            0
        } else {
            self.deadline.saturating_sub(now).max(0)
        }
    }

    /// Moves the deadline on, e.g. by the time the server was down.
    pub fn extend(&mut self, ms: i64) {
        if self.ended.is_none() {
            self.deadline = self.deadline.saturating_add(ms.max(0));
        }
    }

    /// After the round, overrides whether a question counts as missed (`None` undoes it).
    /// Returns false if the round is still running or there is no such question.
    pub fn mark_missed(&mut self, question: usize, missed: Option<bool>) -> bool {
        match self.questions.get_mut(question) {
            Some(q) if self.ended.is_some() => {
                q.marked_missed = missed;
                true
            }
            _ => false,
        }
    }

    /// Answers found so far.
    #[must_use]
    pub fn solved_count(&self) -> usize {
        self.questions
            .iter()
            .map(|q| q.solved.iter().filter(|&&s| s).count())
            .sum()
    }

    /// Answers in all.
    #[must_use]
    pub fn answer_count(&self) -> usize {
        self.questions
            .iter()
            .map(|q| q.question.answers.len())
            .sum()
    }

    /// Alphagrams that count as missed.
    #[must_use]
    pub fn missed(&self) -> Vec<&str> {
        self.questions
            .iter()
            .filter(|q| q.is_missed())
            .map(|q| q.question.alphagram.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A round as a damaged stored document may hold it: a deadline at the end of time.
    fn at_the_end_of_time() -> Round {
        let mut round = Round::start(Vec::new(), 60_000, 0);
        round.deadline = i64::MAX;
        round
    }

    #[test]
    fn remaining_time_of_a_deadline_at_the_start_of_time_does_not_overflow() {
        let mut round = Round::start(Vec::new(), 60_000, 0);
        round.deadline = i64::MIN;
        assert_eq!(round.remaining(1_795_694_400_000), 0);
        assert_eq!(at_the_end_of_time().remaining(-1), i64::MAX);
    }

    #[test]
    fn extending_a_deadline_at_the_end_of_time_does_not_overflow() {
        let mut round = at_the_end_of_time();
        round.extend(1_000);
        assert_eq!(round.deadline, i64::MAX);
        assert_eq!(Round::start(Vec::new(), 1_000, i64::MAX).deadline, i64::MAX);
    }

    #[test]
    fn wrong_guesses_stop_counting_at_u32_max() {
        let mut round = at_the_end_of_time();
        round.wrong = u32::MAX;
        assert_eq!(round.guess("ZZZ", 0), Guess::Wrong);
        assert_eq!(round.wrong, u32::MAX);
    }

    fn wall() -> Round {
        let questions = vec![
            Question {
                alphagram: "ACT".into(),
                answers: vec!["ACT".into(), "CAT".into()],
            },
            Question {
                alphagram: "IQ".into(),
                answers: vec!["QI".into()],
            },
        ];
        Round::start(questions, 60_000, 1_000)
    }

    #[test]
    fn guesses_solve_once_and_count_wrong_ones() {
        let mut round = wall();
        assert_eq!(
            round.guess(" cat ", 2_000),
            Guess::Solved {
                question: 0,
                answer: 1
            }
        );
        assert_eq!(
            round.guess("CAT", 2_100),
            Guess::AlreadySolved { question: 0 },
            "idempotent"
        );
        assert_eq!(round.guess("DOG", 2_200), Guess::Wrong);
        assert_eq!(
            (round.solved_count(), round.answer_count(), round.wrong),
            (1, 3, 1)
        );
        assert_eq!(round.remaining(31_000), 30_000);
    }

    /// Regression: a word shared by two questions (two build racks, two blank racks) was
    /// solved only in the first; the second could never be solved, nor the round finished.
    #[test]
    fn a_word_in_two_questions_is_solved_in_both() {
        let rack = |alphagram: &str, answers: &[&str]| Question {
            alphagram: alphagram.into(),
            answers: answers.iter().map(|&a| a.to_owned()).collect(),
        };
        let mut round = Round::start(
            vec![
                rack("ACT", &["ACT", "AT", "CAT"]),
                rack("AST", &["AT", "SAT"]),
            ],
            60_000,
            1_000,
        );
        assert_eq!(
            round.guess("at", 2_000),
            Guess::Solved {
                question: 0,
                answer: 1
            }
        );
        assert_eq!(round.questions[1].solved, [true, false], "in both");
        assert_eq!(
            round.guess("AT", 2_100),
            Guess::AlreadySolved { question: 0 }
        );
        for word in ["ACT", "CAT", "SAT"] {
            round.guess(word, 3_000);
        }
        assert_eq!(round.ended, Some(EndReason::AllSolved));
        assert_eq!((round.solved_count(), round.answer_count()), (5, 5));
    }

    /// Rounds stored before the fix may have a shared word solved in one question only: the
    /// word guessed again solves it in the rest.
    #[test]
    fn a_word_solved_in_only_some_of_its_questions_is_solved_in_the_rest() {
        let mut round = Round::start(
            vec![
                Question {
                    alphagram: "ACT".into(),
                    answers: vec!["AT".into()],
                },
                Question {
                    alphagram: "AST".into(),
                    answers: vec!["AT".into()],
                },
            ],
            60_000,
            1_000,
        );
        round.questions[0].solved[0] = true;
        assert_eq!(
            round.guess("AT", 2_000),
            Guess::Solved {
                question: 1,
                answer: 0
            }
        );
        assert_eq!(round.ended, Some(EndReason::AllSolved));
    }

    #[test]
    fn solving_everything_ends_the_round() {
        let mut round = wall();
        for word in ["ACT", "CAT", "QI"] {
            round.guess(word, 5_000);
        }
        assert_eq!(round.ended, Some(EndReason::AllSolved));
        assert_eq!(round.guess("QI", 5_001), Guess::Over);
        assert!(round.missed().is_empty());
    }

    #[test]
    fn late_guesses_are_refused_and_end_the_round() {
        let mut round = wall();
        assert_eq!(
            round.guess("QI", 61_000),
            Guess::Late,
            "the deadline itself is too late"
        );
        assert_eq!(round.ended, Some(EndReason::TimeUp));
        assert_eq!(round.ended_at, Some(61_000));
        assert_eq!(round.solved_count(), 0);
        assert_eq!(round.remaining(61_000), 0);
    }

    #[test]
    fn giving_up_ends_at_once_and_leaves_misses() {
        let mut round = wall();
        round.guess("QI", 2_000);
        round.give_up(3_000);
        assert_eq!(
            (round.ended, round.ended_at),
            (Some(EndReason::GaveUp), Some(3_000))
        );
        assert_eq!(round.missed(), ["ACT"]);
    }

    #[test]
    fn marking_missed_can_be_undone() {
        let mut round = wall();
        assert!(
            !round.mark_missed(1, Some(true)),
            "not while the round runs"
        );
        round.guess("QI", 2_000);
        round.give_up(3_000);
        assert!(round.mark_missed(1, Some(true)));
        assert_eq!(round.missed(), ["ACT", "IQ"]);
        assert!(round.mark_missed(0, Some(false)));
        assert_eq!(round.missed(), ["IQ"]);
        assert!(round.mark_missed(1, None) && round.mark_missed(0, None));
        assert_eq!(round.missed(), ["ACT"]);
        assert!(!round.mark_missed(9, Some(true)));
    }

    #[test]
    fn downtime_is_not_charged_and_rounds_survive_a_restart() {
        let mut round = wall();
        round.guess("CAT", 2_000);
        // Stored and read back, as across a restart.
        let mut restored: Round =
            serde_json::from_str(&serde_json::to_string(&round).unwrap()).unwrap();
        assert_eq!(restored, round);
        restored.extend(120_000);
        assert_eq!(restored.remaining(122_000), 59_000);
        assert_eq!(
            restored.guess("QI", 150_000),
            Guess::Solved {
                question: 1,
                answer: 0
            }
        );
    }
}
