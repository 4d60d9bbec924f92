//! Zyzzyva's cardboxes in and out: a row of a Zyzzyva quiz database as a [`Schedule`], and a
//! schedule as the row Zyzzyva would have written.
//!
//! Zyzzyva keeps a card in a numbered box: answered right, it moves up a box and comes back
//! after that box's interval ([`BOX_DAYS`]); answered wrong, it drops to box 0. FSRS's
//! stability is the interval after which recall falls to 90%, so at a desired retention of
//! 0.9 FSRS's next interval *is* the stability. Importing a card therefore gives it the
//! stability of its box's interval: the first FSRS review after import spaces it about as
//! Zyzzyva would have. Its difficulty comes from the player's record on it (share of misses,
//! then the current streak: a run of misses makes it harder, a run of hits easier), averaged
//! with the file's `difficulty` column when that holds a 0–100 value. The card keeps its due
//! date (`next_scheduled`) and is taken to have been last reviewed one box interval before
//! it. A question outside the cardbox (`cardbox` NULL, and every question of files from
//! before Zyzzyva 0.14, which had no cardbox) becomes a new card, due at once.
//!
//! Exporting goes the other way: the box whose interval is nearest the card's stability (on
//! a log scale, so each box interval maps back to its own box), `next_scheduled` from the due
//! time, and the difficulty on the 0–100 scale. New cards are written outside the cardbox.
//!
//! Pure: times are parameters, in Unix milliseconds for schedules and Unix seconds in rows
//! (as Zyzzyva stores them).

use super::{CardState, DAY_MS, MemoryState, Schedule};

/// Zyzzyva's default interval of each cardbox, in days, box 0 first. Boxes past the last
/// use the last interval.
pub const BOX_DAYS: [u32; 11] = [1, 4, 7, 12, 20, 30, 60, 90, 150, 270, 480];

/// One row of a Zyzzyva `questions` table, each column as read (numbers already made whole,
/// `None` for NULL or a column the file does not have).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardboxRow {
    /// The alphagram (Anagrams quizzes) or the word (Hooks quizzes).
    pub question: String,
    /// Times answered right.
    pub correct: Option<i64>,
    /// Times answered wrong.
    pub incorrect: Option<i64>,
    /// Hits in a row (positive) or misses in a row (negative).
    pub streak: Option<i64>,
    /// When last answered right, Unix seconds.
    pub last_correct: Option<i64>,
    /// Zyzzyva's difficulty, 0 (easy) to 100 (hard).
    pub difficulty: Option<i64>,
    /// The cardbox; `None` outside the cardbox.
    pub cardbox: Option<i64>,
    /// When next due, Unix seconds.
    pub next_scheduled: Option<i64>,
}

/// The most times a question may have been answered right or wrong in an imported row.
pub const MAX_COUNT: i64 = 1_000_000;

/// The latest time an imported row may name: the end of the year 9999, Unix seconds.
pub const MAX_TIME_S: i64 = 253_402_300_799;

/// Why a row's numbers cannot be a card's record at `now_s` (Unix seconds), if they cannot:
/// counts of answers above [`MAX_COUNT`]; times before 1970 or after [`MAX_TIME_S`]; a
/// last right answer after `now_s`.
///
/// # Errors
/// The column at fault, its value and the bound, in words.
pub fn check_row(row: &CardboxRow, now_s: i64) -> Result<(), String> {
    for (column, value) in [("correct", row.correct), ("incorrect", row.incorrect)] {
        if let Some(n) = value.filter(|n| *n > MAX_COUNT) {
            return Err(format!(
                "{column} is {n}; a count of answers may be at most {MAX_COUNT}"
            ));
        }
    }
    for (column, value) in [
        ("last_correct", row.last_correct),
        ("next_scheduled", row.next_scheduled),
    ] {
        match value {
            Some(s) if s > MAX_TIME_S => {
                return Err(format!(
                    "{column} is {s}, after the year 9999 in Unix seconds"
                ));
            }
            Some(s) if s < 0 => {
                return Err(format!("{column} is {s}, before 1970 in Unix seconds"));
            }
            _ => {}
        }
    }
    if let Some(s) = row.last_correct.filter(|s| *s > now_s) {
        return Err(format!(
            "last_correct is {s}, in the future: the question cannot have been answered then"
        ));
    }
    Ok(())
}

/// The interval of box `cardbox` in days (negative boxes are box 0).
#[must_use]
pub fn box_days(cardbox: i64) -> u32 {
    let last = BOX_DAYS.len() - 1;
    let index = usize::try_from(cardbox.max(0)).map_or(last, |i| i.min(last));
    BOX_DAYS[index]
}

/// The box whose interval is nearest `stability` days on a log scale.
#[must_use]
pub fn nearest_box(stability: f32) -> i64 {
    let target = f64::from(stability.max(0.01)).ln();
    let distance = |days: u32| (f64::from(days).ln() - target).abs();
    (0..)
        .zip(BOX_DAYS)
        .min_by(|(_, a), (_, b)| distance(*a).total_cmp(&distance(*b)))
        .map_or(0, |(index, _)| index)
}

/// FSRS's difficulty (1 to 10) from the player's record on the card and Zyzzyva's own
/// difficulty, if the file has one in 0–100.
#[must_use]
pub fn difficulty_of(row: &CardboxRow) -> f32 {
    let correct = row.correct.unwrap_or(0).clamp(0, 1_000_000) as f64;
    let incorrect = row.incorrect.unwrap_or(0).clamp(0, 1_000_000) as f64;
    // One imagined hit and miss each, so a card seen once is not at an extreme.
    let misses = (incorrect + 1.0) / (correct + incorrect + 2.0);
    let streak = row.streak.unwrap_or(0).clamp(-6, 8) as f64;
    let shift = if streak < 0.0 {
        -0.5 * streak
    } else {
        -0.25 * streak
    };
    let mut difficulty = 1.0 + 9.0 * misses + shift;
    if let Some(theirs) = row.difficulty.filter(|d| (0..=100).contains(d)) {
        difficulty = f64::midpoint(difficulty, 1.0 + 9.0 * theirs as f64 / 100.0);
    }
    difficulty.clamp(1.0, 10.0) as f32
}

/// The schedule of an imported row at `now` (Unix ms).
#[must_use]
pub fn schedule_of(row: &CardboxRow, now: i64) -> Schedule {
    let Some(cardbox) = row.cardbox else {
        return Schedule::new_card(now);
    };
    let days = box_days(cardbox);
    let interval = i64::from(days) * DAY_MS;
    let seconds = |s: i64| s.clamp(0, i64::MAX / 1000 - 1) * 1000;
    let due = match (row.next_scheduled, row.last_correct) {
        (Some(next), _) => seconds(next),
        (None, Some(last)) => seconds(last).saturating_add(interval),
        (None, None) => now,
    };
    let count = |n: Option<i64>| u32::try_from(n.unwrap_or(0).max(0)).unwrap_or(u32::MAX);
    let lapses = count(row.incorrect);
    Schedule {
        state: CardState::Review,
        memory: Some(MemoryState {
            stability: days as f32,
            difficulty: difficulty_of(row),
        }),
        due,
        last_review: Some(due.saturating_sub(interval).min(now)),
        step: 0,
        reps: count(row.correct).saturating_add(lapses),
        lapses,
        leech: false,
        suspended: false,
    }
}

/// The row Zyzzyva would hold for a card of this `question` and schedule: its box and due
/// time, the counts of hits and misses, and its difficulty on Zyzzyva's 0–100 scale.
#[must_use]
pub fn row_of(question: &str, schedule: &Schedule) -> CardboxRow {
    let incorrect = i64::from(schedule.lapses);
    let correct = i64::from(schedule.reps).saturating_sub(incorrect).max(0);
    let Some(memory) = schedule.memory.filter(|_| schedule.state != CardState::New) else {
        return CardboxRow {
            question: question.to_owned(),
            correct: Some(correct),
            incorrect: Some(incorrect),
            streak: Some(0),
            ..CardboxRow::default()
        };
    };
    let in_review = schedule.state == CardState::Review;
    let cardbox = if in_review {
        nearest_box(memory.stability)
    } else {
        0
    };
    let last_correct = schedule
        .last_review
        .filter(|_| in_review)
        .map(|t| t.div_euclid(1000));
    let difficulty = ((f64::from(memory.difficulty) - 1.0) / 9.0 * 100.0)
        .round()
        .clamp(0.0, 100.0) as i64;
    CardboxRow {
        question: question.to_owned(),
        correct: Some(correct),
        incorrect: Some(incorrect),
        streak: Some(if in_review { 1 } else { -1 }),
        last_correct,
        difficulty: Some(difficulty),
        cardbox: Some(cardbox),
        next_scheduled: Some(schedule.due.div_euclid(1000)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_box_interval_maps_back_to_its_own_box() {
        for (index, days) in (0..).zip(BOX_DAYS) {
            assert_eq!(nearest_box(days as f32), index);
        }
        assert_eq!(box_days(-3), 1);
        assert_eq!(box_days(40), 480);
    }

    #[test]
    fn a_run_of_misses_makes_a_card_harder_than_a_run_of_hits() {
        let row = |streak| CardboxRow {
            correct: Some(5),
            incorrect: Some(5),
            streak: Some(streak),
            ..CardboxRow::default()
        };
        assert!(difficulty_of(&row(-4)) > difficulty_of(&row(0)));
        assert!(difficulty_of(&row(0)) > difficulty_of(&row(4)));
    }
}
