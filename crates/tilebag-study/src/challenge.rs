//! Daily challenges: which exist, how each day's questions are drawn, and who gets medals.
//!
//! A challenge's questions follow only from (lexicon, challenge, day, site secret), so every
//! replica and every retry draws the same ones.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use tilebag_lexicon::Lexicon;
use tilebag_lexicon::query::{Criterion, NumRange, Query, Rack};

use crate::round::Question;
use crate::shuffle::{SplitMix64, shuffle};

/// A kind of daily (or weekly) challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Challenge {
    /// Today's 2s … 15s: 50 alphagrams of one length.
    Today(u8),
    /// 50 sevens and 50 eights.
    BingoMarathon,
    /// 25 sevens and 25 eights given with one or two letters blanked.
    BlankBingos,
    /// The week's most missed sevens and eights (changes on Mondays).
    Toughies,
    /// One rack of 6-8 letters: every word of 3 or more letters.
    WordBuilder,
}

/// A medal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Medal {
    /// First place in the week's toughies.
    Platinum,
    /// First place (second in the toughies).
    Gold,
    /// Second place.
    Silver,
    /// Third place.
    Bronze,
    /// A perfect score in the blank bingos or the marathon.
    GoldStar,
}

impl Medal {
    /// The name stored and shown.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Medal::Platinum => "platinum",
            Medal::Gold => "gold",
            Medal::Silver => "silver",
            Medal::Bronze => "bronze",
            Medal::GoldStar => "gold_star",
        }
    }
}

impl Challenge {
    /// Every challenge, in the order pages list them.
    #[must_use]
    pub fn all() -> Vec<Challenge> {
        let mut all: Vec<Challenge> = (2..=15).map(Challenge::Today).collect();
        all.extend([
            Challenge::BingoMarathon,
            Challenge::BlankBingos,
            Challenge::Toughies,
            Challenge::WordBuilder,
        ]);
        all
    }

    /// Its name in URLs and the database, e.g. `today-7`.
    #[must_use]
    pub fn slug(self) -> String {
        match self {
            Challenge::Today(n) => format!("today-{n}"),
            Challenge::BingoMarathon => "bingo-marathon".into(),
            Challenge::BlankBingos => "blank-bingos".into(),
            Challenge::Toughies => "toughies".into(),
            Challenge::WordBuilder => "word-builder".into(),
        }
    }

    /// The challenge a slug names.
    #[must_use]
    pub fn parse(slug: &str) -> Option<Challenge> {
        Challenge::all().into_iter().find(|c| c.slug() == slug)
    }

    /// Its title, e.g. "Today's 7s".
    #[must_use]
    pub fn title(self) -> String {
        match self {
            Challenge::Today(n) => format!("Today's {n}s"),
            Challenge::BingoMarathon => "Bingo Marathon".into(),
            Challenge::BlankBingos => "Blank Bingos".into(),
            Challenge::Toughies => "Week's Bingo Toughies".into(),
            Challenge::WordBuilder => "Word Builder".into(),
        }
    }

    /// Seconds to play: 90 for the 2s, 45 more a letter up to 360; fixed for the others.
    #[must_use]
    pub fn seconds(self) -> u32 {
        match self {
            Challenge::Today(n) => (90 + 45 * u32::from(n.saturating_sub(2))).min(360),
            Challenge::BingoMarathon => 480,
            Challenge::BlankBingos => 540,
            Challenge::Toughies => 300,
            Challenge::WordBuilder => 270,
        }
    }

    /// The day a challenge of `day` is filed under: the Monday of the week for the toughies.
    #[must_use]
    pub fn period_start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Challenge::Toughies => {
                day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
            }
            _ => day,
        }
    }

    /// The first day after its period, when medals can be awarded.
    #[must_use]
    pub fn period_end(self, start: NaiveDate) -> NaiveDate {
        match self {
            Challenge::Toughies => start + chrono::Days::new(7),
            _ => start + chrono::Days::new(1),
        }
    }

    /// Whether finishing first earns Platinum (then Gold, Silver, Bronze).
    fn has_platinum(self) -> bool {
        self == Challenge::Toughies
    }

    /// Whether a perfect score earns a Gold Star.
    fn has_gold_star(self) -> bool {
        matches!(self, Challenge::BlankBingos | Challenge::BingoMarathon)
    }
}

/// The seed of a challenge: a fixed hash (FNV-1a) of its identity, mixed with the site secret.
#[must_use]
pub fn seed(lexicon: &str, challenge: Challenge, day: NaiveDate, secret: u64) -> u64 {
    let identity = format!("{lexicon}|{}|{day}", challenge.slug());
    let hash = identity.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    SplitMix64::new(hash ^ secret).next_u64()
}

fn alphagrams_of_length(lexicon: &Lexicon, len: usize) -> Vec<String> {
    lexicon
        .alphagrams_of_length(len)
        .map(|id| {
            lexicon
                .alphagram(tilebag_lexicon::AlphagramId(id))
                .letters()
        })
        .collect()
}

fn pick(lexicon: &Lexicon, len: usize, count: usize, rng_seed: u64) -> Vec<Question> {
    let mut all = alphagrams_of_length(lexicon, len);
    shuffle(&mut all, rng_seed);
    all.truncate(count);
    crate::questions(lexicon, all.iter().map(String::as_str)).unwrap_or_default()
}

fn with_blanks(lexicon: &Lexicon, len: usize, count: usize, rng: &mut SplitMix64) -> Vec<Question> {
    let pool = alphagrams_of_length(lexicon, len);
    let mut questions = Vec::new();
    let mut tries = 0;
    while questions.len() < count && !pool.is_empty() && tries < count * 200 {
        tries += 1;
        let letters = pool[rng.below(pool.len() as u64) as usize]
            .clone()
            .into_bytes();
        // Every fifth question has two blanks.
        let blanks = if questions.len() % 5 == 4 { 2 } else { 1 };
        let mut kept = letters.clone();
        for _ in 0..blanks {
            kept.remove(rng.below(kept.len() as u64) as usize);
        }
        let rack = format!("{}{}", String::from_utf8_lossy(&kept), "?".repeat(blanks));
        let Ok(parsed) = Rack::parse(&rack) else {
            continue;
        };
        let mut answers: Vec<String> = lexicon
            .search(&Query::of(Criterion::Anagram(parsed)))
            .into_iter()
            .flat_map(|id| {
                lexicon
                    .alphagram(id)
                    .words()
                    .map(|w| w.text().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        answers.sort();
        if (1..=5).contains(&answers.len())
            && !questions.iter().any(|q: &Question| q.alphagram == rack)
        {
            questions.push(Question {
                alphagram: rack,
                answers,
            });
        }
    }
    questions
}

fn word_builder(lexicon: &Lexicon, rng: &mut SplitMix64) -> Vec<Question> {
    let len = 6 + rng.below(3) as usize;
    let pool = alphagrams_of_length(lexicon, len);
    for _ in 0..100 {
        if pool.is_empty() {
            break;
        }
        let rack = &pool[rng.below(pool.len() as u64) as usize];
        let Ok(parsed) = Rack::parse(rack) else {
            continue;
        };
        let query = Query {
            criteria: vec![
                Criterion::Build(parsed),
                Criterion::Length(NumRange::new(3, 15)),
            ],
            ..Query::default()
        };
        let mut answers: Vec<String> = lexicon
            .search(&query)
            .into_iter()
            .flat_map(|id| {
                lexicon
                    .alphagram(id)
                    .words()
                    .map(|w| w.text().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        answers.sort();
        if answers.len() >= 10 {
            return vec![Question {
                alphagram: rack.clone(),
                answers,
            }];
        }
    }
    Vec::new()
}

/// The questions of a challenge on a day. The toughies need the week before's most missed
/// alphagrams (most missed first); without 25 sevens and 25 eights there are none that week.
#[must_use]
pub fn generate(
    lexicon: &Lexicon,
    challenge: Challenge,
    day: NaiveDate,
    secret: u64,
    most_missed: &[String],
) -> Vec<Question> {
    let seed = seed(lexicon.name(), challenge, day, secret);
    let mut rng = SplitMix64::new(seed);
    match challenge {
        Challenge::Today(n) => pick(lexicon, usize::from(n), 50, seed),
        Challenge::BingoMarathon => {
            let mut questions = pick(lexicon, 7, 50, seed);
            questions.extend(pick(lexicon, 8, 50, rng.next_u64()));
            questions
        }
        Challenge::BlankBingos => {
            let mut questions = with_blanks(lexicon, 7, 25, &mut rng);
            questions.extend(with_blanks(lexicon, 8, 25, &mut rng));
            questions
        }
        Challenge::Toughies => {
            let of = |len: usize| {
                most_missed
                    .iter()
                    .filter(|a| a.len() == len)
                    .take(25)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
            };
            if !toughies_ready(most_missed) {
                return Vec::new();
            }
            let (sevens, eights) = (of(7), of(8));
            crate::questions(lexicon, sevens.into_iter().chain(eights)).unwrap_or_default()
        }
        Challenge::WordBuilder => word_builder(lexicon, &mut rng),
    }
}

/// Whether the most missed alphagrams of a week (see [`generate`]) are enough to draw the
/// next week's toughies: 25 sevens and 25 eights.
#[must_use]
pub fn toughies_ready(most_missed: &[String]) -> bool {
    let count = |len: usize| most_missed.iter().filter(|a| a.len() == len).count();
    count(7) >= 25 && count(8) >= 25
}

/// A challenge's drawn questions as stored, so that every reader of a challenge plays the
/// same ones (a [`Document`](crate::document::Document)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    /// The questions, in the order played.
    pub questions: Vec<Question>,
}

/// Whether the toughies are drawn on this day (Mondays).
#[must_use]
pub fn is_toughies_day(day: NaiveDate) -> bool {
    day.weekday() == Weekday::Mon
}

/// One player's counted result in a challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Score {
    /// The player.
    pub player: i64,
    /// Answers found.
    pub solved: u32,
    /// Answers in all.
    pub total: u32,
    /// Wrong guesses.
    pub wrong: u32,
    /// Milliseconds left when the round ended.
    pub remaining_ms: i64,
}

impl Score {
    fn key(&self) -> (std::cmp::Reverse<u32>, u32, std::cmp::Reverse<i64>) {
        (
            std::cmp::Reverse(self.solved),
            self.wrong,
            std::cmp::Reverse(self.remaining_ms),
        )
    }
}

/// Leaderboard order — words solved (most first), wrong guesses (fewest first), time left
/// (most first) — with places; equal scores share a place (1, 1, 3).
#[must_use]
pub fn leaderboard(scores: &[Score]) -> Vec<(u32, Score)> {
    let mut sorted = scores.to_vec();
    sorted.sort_by_key(|s| (s.key(), s.player));
    let mut placed = Vec::with_capacity(sorted.len());
    for (i, score) in sorted.iter().enumerate() {
        let place = match placed.last() {
            Some(&(place, previous)) if Score::key(&previous) == score.key() => place,
            _ => i as u32 + 1,
        };
        placed.push((place, *score));
    }
    placed
}

/// The medals of a finished challenge; none with fewer than `min_entries` players.
#[must_use]
pub fn medals(challenge: Challenge, scores: &[Score], min_entries: usize) -> Vec<(i64, Medal)> {
    if scores.len() < min_entries {
        return Vec::new();
    }
    let ladder: &[Medal] = if challenge.has_platinum() {
        &[Medal::Platinum, Medal::Gold, Medal::Silver, Medal::Bronze]
    } else {
        &[Medal::Gold, Medal::Silver, Medal::Bronze]
    };
    let mut awarded = Vec::new();
    for (place, score) in leaderboard(scores) {
        if let Some(&medal) = ladder.get(place as usize - 1) {
            awarded.push((score.player, medal));
        }
        if challenge.has_gold_star() && score.total > 0 && score.solved == score.total {
            awarded.push((score.player, Medal::GoldStar));
        }
    }
    awarded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(player: i64, solved: u32, wrong: u32, remaining_ms: i64) -> Score {
        Score {
            player,
            solved,
            total: 50,
            wrong,
            remaining_ms,
        }
    }

    #[test]
    fn slugs_round_trip_and_times_rise_with_length() {
        for challenge in Challenge::all() {
            assert_eq!(Challenge::parse(&challenge.slug()), Some(challenge));
        }
        assert_eq!(Challenge::all().len(), 18);
        assert_eq!(
            (
                Challenge::Today(2).seconds(),
                Challenge::Today(7).seconds(),
                Challenge::Today(15).seconds()
            ),
            (90, 315, 360)
        );
    }

    #[test]
    fn toughies_belong_to_their_week() {
        let wednesday = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(Challenge::Toughies.period_start(wednesday), monday);
        assert_eq!(
            Challenge::Toughies.period_end(monday),
            monday + chrono::Days::new(7)
        );
        assert_eq!(Challenge::Today(7).period_start(wednesday), wednesday);
        assert!(is_toughies_day(monday) && !is_toughies_day(wednesday));
    }

    #[test]
    fn seeds_depend_on_every_input() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let base = seed("SCOWL80", Challenge::Today(7), day, 1);
        assert_eq!(base, seed("SCOWL80", Challenge::Today(7), day, 1));
        assert_ne!(base, seed("SCOWL80", Challenge::Today(8), day, 1));
        assert_ne!(
            base,
            seed("SCOWL80", Challenge::Today(7), day.succ_opt().unwrap(), 1)
        );
        assert_ne!(base, seed("NWL", Challenge::Today(7), day, 1));
        assert_ne!(base, seed("SCOWL80", Challenge::Today(7), day, 2));
    }

    #[test]
    fn leaderboards_order_and_share_places() {
        let board = leaderboard(&[
            score(1, 40, 2, 0),
            score(2, 45, 9, 0),
            score(3, 40, 1, 0),
            score(4, 40, 2, 0),
            score(5, 40, 2, 500),
        ]);
        let order: Vec<(u32, i64)> = board.iter().map(|(place, s)| (*place, s.player)).collect();
        assert_eq!(order, [(1, 2), (2, 3), (3, 5), (4, 1), (4, 4)]);
    }

    #[test]
    fn medals_go_to_the_top_three_and_ties_share() {
        let scores = [
            score(1, 50, 0, 100),
            score(2, 50, 0, 100),
            score(3, 40, 0, 0),
            score(4, 30, 0, 0),
        ];
        let mut got = medals(Challenge::Today(7), &scores, 3);
        got.sort();
        assert_eq!(
            got,
            [(1, Medal::Gold), (2, Medal::Gold), (3, Medal::Bronze)],
            "1, 1, 3: no silver"
        );
        assert!(
            medals(Challenge::Today(7), &scores[..2], 3).is_empty(),
            "too few players"
        );
    }

    #[test]
    fn toughies_have_platinum_and_perfect_bingos_a_gold_star() {
        let scores = [
            score(1, 50, 0, 0),
            score(2, 49, 0, 0),
            score(3, 48, 0, 0),
            score(4, 47, 0, 0),
        ];
        let mut toughies = medals(Challenge::Toughies, &scores, 3);
        toughies.sort();
        assert_eq!(
            toughies,
            [
                (1, Medal::Platinum),
                (2, Medal::Gold),
                (3, Medal::Silver),
                (4, Medal::Bronze)
            ]
        );
        let marathon = medals(Challenge::BingoMarathon, &scores, 3);
        assert!(marathon.contains(&(1, Medal::Gold)) && marathon.contains(&(1, Medal::GoldStar)));
        assert!(!marathon.contains(&(2, Medal::GoldStar)));
        assert!(!medals(Challenge::Today(7), &scores, 3).contains(&(1, Medal::GoldStar)));
    }
}
