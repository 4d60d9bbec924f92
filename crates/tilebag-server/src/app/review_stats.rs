//! Review statistics, a card's history with its forgetting curve, and the daily leaderboard
//! of cards reviewed. Days follow the site's time zone (the challenges'): their boundaries
//! are computed here and the store counts between them.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;
use tilebag_store::{CardId, DeckError, DeckId, Scope, StatsDays, StoreError, StoredDeck, UserId};
use tilebag_study::review::{CardState, DAY_MS, ModelVersion, Rating, Schedule, Scheduler};
use utoipa::ToSchema;

use super::challenges::{EARLIEST_DAY, day_of, end_of, parse_day};
use super::{App, ServiceError};

/// Days of reviews the statistics look back over, today included, and days of the forecast.
pub const STATS_DAYS: u64 = 30;
/// Players the leaderboard shows.
pub const LEADERBOARD_SIZE: i64 = 100;
/// Points on a forgetting curve.
const CURVE_POINTS: u32 = 48;

/// A deck, by id and name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeckRef {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its lexicon.
    pub lexicon: String,
}

/// Cards due on a day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueDay {
    /// `YYYY-MM-DD` in the site's time zone.
    pub date: String,
    /// Cards seen before, not suspended, due that day (today: with every overdue card).
    pub due: i64,
}

/// Reviews on a day, by grade.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewDay {
    /// `YYYY-MM-DD` in the site's time zone.
    pub date: String,
    /// Graded Again.
    pub again: i64,
    /// Graded Hard.
    pub hard: i64,
    /// Graded Good.
    pub good: i64,
    /// Graded Easy.
    pub easy: i64,
}

impl ReviewDay {
    /// The four counts, Again to Easy.
    #[must_use]
    pub fn grades(&self) -> [i64; 4] {
        [self.again, self.hard, self.good, self.easy]
    }
}

/// True retention: how often cards in review were recalled, against what the decks ask.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RetentionOut {
    /// Reviews of cards in the review state over the last 30 days.
    pub reviews: i64,
    /// Of those, not graded Again.
    pub recalled: i64,
    /// `recalled / reviews`; absent with no such reviews.
    pub true_retention: Option<f64>,
    /// The deck's desired retention; for all decks, their average; absent with no decks.
    pub desired: Option<f64>,
}

/// Cards by state; suspended cards are counted only as suspended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CardsOut {
    /// Never reviewed.
    pub new: i64,
    /// In their learning steps.
    pub learning: i64,
    /// Scheduled in days.
    pub review: i64,
    /// Forgotten, relearning.
    pub relearning: i64,
    /// Left out of reviews.
    pub suspended: i64,
}

/// The review statistics of one deck or all a player's decks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsOut {
    /// The deck asked about; absent for all decks.
    pub deck: Option<DeckRef>,
    /// The player's decks, to choose from.
    pub decks: Vec<DeckRef>,
    /// The time zone days follow.
    pub zone: String,
    /// Today, `YYYY-MM-DD`.
    pub today: String,
    /// The next 30 days from today.
    pub forecast: Vec<DueDay>,
    /// The last 30 days up to today, oldest first.
    pub reviews: Vec<ReviewDay>,
    /// Over the same 30 days.
    pub retention: RetentionOut,
    /// Now.
    pub cards: CardsOut,
}

/// A deck error as the services answer it; a missing row is `what` not found.
fn deck_error(error: DeckError, what: &str) -> ServiceError {
    match error {
        DeckError::Store(StoreError::NotFound) => ServiceError::not_found(what),
        DeckError::Store(other) => ServiceError::Store(other),
        DeckError::Document(detail) => ServiceError::Document(detail),
        other => ServiceError::invalid(other.to_string()),
    }
}

fn deck_ref(deck: &StoredDeck) -> DeckRef {
    DeckRef {
        id: deck.id.0,
        name: deck.name.clone(),
        lexicon: deck.lexicon.clone(),
    }
}

/// Unix ms of the start of `day` in the site's time zone.
fn start_ms(app: &App, day: NaiveDate) -> i64 {
    day.pred_opt()
        .map_or(i64::MIN, |before| end_of(app, before).timestamp_millis())
}

/// Today, and the boundaries of the 30 days up to it and the 30 from it.
fn stats_days(app: &App, now: DateTime<Utc>) -> (NaiveDate, StatsDays) {
    let today = day_of(app, now);
    let first = today - Days::new(STATS_DAYS - 1);
    let mut past: Vec<i64> = (0..STATS_DAYS)
        .map(|i| start_ms(app, first + Days::new(i)))
        .collect();
    past.push(end_of(app, today).timestamp_millis());
    let future = (0..STATS_DAYS)
        .map(|i| end_of(app, today + Days::new(i)).timestamp_millis())
        .collect();
    (today, StatsDays { past, future })
}

/// The statistics of one of the player's decks (`deck`) or all of them, at `now`.
pub async fn stats(
    app: &App,
    user: UserId,
    deck: Option<DeckId>,
    now: DateTime<Utc>,
) -> Result<StatsOut, ServiceError> {
    let decks = app
        .store
        .decks(user)
        .await
        .map_err(|e| deck_error(e, "no decks"))?;
    let chosen = match deck {
        Some(id) => Some(
            decks
                .iter()
                .find(|d| d.id == id)
                .ok_or_else(|| ServiceError::not_found(format!("you have no deck {}", id.0)))?,
        ),
        None => None,
    };
    let scope = deck.map_or(Scope::All, Scope::Deck);
    let (today, days) = stats_days(app, now);
    let stats = app
        .store
        .review_stats(user, scope, &days)
        .await
        .map_err(|e| deck_error(e, "no such deck"))?;
    let date = |day: NaiveDate| day.format("%Y-%m-%d").to_string();
    let first = today - Days::new(STATS_DAYS - 1);
    let desired: Vec<f64> = match chosen {
        Some(deck) => vec![f64::from(deck.settings.desired_retention)],
        None => decks
            .iter()
            .map(|d| f64::from(d.settings.desired_retention))
            .collect(),
    };
    #[allow(clippy::cast_precision_loss)] // Reason: counts far below 2^52.
    let ratio = |part: i64, whole: i64| (whole > 0).then(|| part as f64 / whole as f64);
    let retention = stats.retention;
    #[allow(clippy::cast_precision_loss)] // Reason: a player's few decks.
    let mean = (!desired.is_empty()).then(|| desired.iter().sum::<f64>() / desired.len() as f64);
    Ok(StatsOut {
        deck: chosen.map(deck_ref),
        decks: decks.iter().map(deck_ref).collect(),
        zone: app.rules.challenge_zone.to_string(),
        today: date(today),
        forecast: (0..)
            .zip(&stats.forecast)
            .map(|(i, due)| DueDay {
                date: date(today + Days::new(i)),
                due: *due,
            })
            .collect(),
        reviews: (0..)
            .zip(&stats.reviews)
            .map(|(i, [again, hard, good, easy])| ReviewDay {
                date: date(first + Days::new(i)),
                again: *again,
                hard: *hard,
                good: *good,
                easy: *easy,
            })
            .collect(),
        retention: RetentionOut {
            reviews: retention.reviews,
            recalled: retention.recalled,
            true_retention: ratio(retention.recalled, retention.reviews),
            desired: mean,
        },
        cards: CardsOut {
            new: stats.cards.new,
            learning: stats.cards.learning,
            review: stats.cards.review,
            relearning: stats.cards.relearning,
            suspended: stats.cards.suspended,
        },
    })
}

/// A state's name: `new`, `learning`, `review` or `relearning`.
#[must_use]
pub fn state_name(state: CardState) -> &'static str {
    match state {
        CardState::New => "new",
        CardState::Learning => "learning",
        CardState::Review => "review",
        CardState::Relearning => "relearning",
    }
}

/// A grade's name.
#[must_use]
pub fn rating_name(rating: Rating) -> &'static str {
    match rating {
        Rating::Again => "again",
        Rating::Hard => "hard",
        Rating::Good => "good",
        Rating::Easy => "easy",
    }
}

/// One review of a card.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryReview {
    /// When, Unix ms.
    pub at: i64,
    /// 1 (again) to 4 (easy).
    pub rating: u8,
    /// `again`, `hard`, `good` or `easy`.
    pub grade: &'static str,
    /// The card's state before.
    pub state_before: &'static str,
    /// The card's state after.
    pub state_after: &'static str,
    /// Days since the review before (absent for the first).
    pub elapsed_days: Option<f64>,
    /// Stability after, in days.
    pub stability: Option<f32>,
    /// Difficulty after, 1 to 10.
    pub difficulty: Option<f32>,
    /// The probability of recall just before this review (absent for the first).
    pub retrievability: Option<f32>,
    /// Days until the card was due again.
    pub interval_days: f64,
}

/// A card's history and its forgetting curve.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CardHistory {
    /// Its id.
    pub id: i64,
    /// Its version, which a review or `forget` of it names.
    pub version: i64,
    /// The alphagram or word it asks about.
    pub front: String,
    /// `alphagram`, `hooks` or `word_or_phony`.
    pub kind: &'static str,
    /// Its deck.
    pub deck: DeckRef,
    /// Its state now.
    pub state: &'static str,
    /// Left out of reviews.
    pub suspended: bool,
    /// When it is due, Unix ms.
    pub due: i64,
    /// Stability now, in days.
    pub stability: Option<f32>,
    /// Difficulty now.
    pub difficulty: Option<f32>,
    /// The probability of recall now (absent before the first review).
    pub retrievability: Option<f32>,
    /// The deck's desired retention.
    pub desired_retention: f32,
    /// Whether the player's own fitted parameters are used (else the defaults).
    pub fitted_parameters: bool,
    /// Oldest first.
    pub reviews: Vec<HistoryReview>,
    /// Days since the last review now.
    pub days_since_review: Option<f64>,
    /// The forgetting curve from the last review.
    pub curve: Vec<CurvePoint>,
}

/// A point of a forgetting curve.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct CurvePoint {
    /// Days since the last review.
    pub days: f64,
    /// The probability of recall then.
    pub retrievability: f32,
}

#[allow(clippy::cast_precision_loss)] // Reason: milliseconds of a few centuries at most.
fn days_between(from: i64, to: i64) -> f64 {
    (to - from) as f64 / DAY_MS as f64
}

/// The forgetting curve of `schedule` from its last review: far enough to show both its
/// next due day and now.
fn curve(scheduler: &Scheduler, schedule: &Schedule, now_ms: i64) -> Vec<CurvePoint> {
    let Some(last) = schedule.last_review else {
        return Vec::new();
    };
    let horizon = (days_between(last, schedule.due).max(days_between(last, now_ms)) * 1.5)
        .clamp(2.0, 36_500.0);
    (0..=CURVE_POINTS)
        .filter_map(|i| {
            let days = horizon * f64::from(i) / f64::from(CURVE_POINTS);
            #[allow(clippy::cast_possible_truncation)] // Reason: within a century of days.
            let at = last + (days * DAY_MS as f64) as i64;
            scheduler
                .retrievability(schedule, at)
                .map(|retrievability| CurvePoint {
                    days,
                    retrievability,
                })
        })
        .collect()
}

/// The player's card `id` with its reviews, each with the memory it left and the recall
/// expected just before it, and its forgetting curve, at `now_ms`.
pub async fn card_history(
    app: &App,
    user: UserId,
    id: CardId,
    now_ms: i64,
) -> Result<CardHistory, ServiceError> {
    let not_found = format!("you have no card {id}");
    let card = app
        .store
        .card(user, id)
        .await
        .map_err(|e| deck_error(e, &not_found))?;
    let deck = app
        .store
        .deck(user, card.deck)
        .await
        .map_err(|e| deck_error(e, &not_found))?;
    let logs = app
        .store
        .card_reviews(user, id)
        .await
        .map_err(|e| deck_error(e, &not_found))?;
    let fitted = app
        .store
        .parameters(user, ModelVersion::Fsrs6)
        .await
        .map_err(|e| deck_error(e, "no parameters"))?;
    let (scheduler, fitted) = super::review::scheduler_with(fitted, &deck.settings, deck.id)?;
    let reviews = logs
        .iter()
        .map(|log| {
            let memory = log.after.memory;
            HistoryReview {
                at: log.time,
                rating: log.rating.number(),
                grade: rating_name(log.rating),
                state_before: state_name(log.before.state),
                state_after: state_name(log.after.state),
                elapsed_days: log.before.last_review.map(|l| days_between(l, log.time)),
                stability: memory.map(|m| m.stability),
                difficulty: memory.map(|m| m.difficulty),
                retrievability: scheduler.retrievability(&log.before, log.time),
                interval_days: days_between(log.time, log.after.due),
            }
        })
        .collect();
    let schedule = &card.schedule;
    Ok(CardHistory {
        id: card.id.0,
        version: card.version,
        front: card.front.clone(),
        kind: card.kind.as_str(),
        deck: deck_ref(&deck),
        state: state_name(schedule.state),
        suspended: schedule.suspended,
        due: schedule.due,
        stability: schedule.memory.map(|m| m.stability),
        difficulty: schedule.memory.map(|m| m.difficulty),
        retrievability: scheduler.retrievability(schedule, now_ms),
        desired_retention: deck.settings.desired_retention,
        fitted_parameters: fitted,
        reviews,
        days_since_review: schedule.last_review.map(|l| days_between(l, now_ms)),
        curve: curve(&scheduler, schedule, now_ms),
    })
}

/// A player on the leaderboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeaderboardEntry {
    /// 1 for the most cards; players with as many cards and reviews share a rank.
    pub rank: usize,
    /// The player.
    pub username: String,
    /// Distinct cards reviewed that day.
    pub cards: i64,
    /// Reviews that day.
    pub reviews: i64,
}

/// The daily leaderboard of cards reviewed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeaderboardOut {
    /// `YYYY-MM-DD` in the site's time zone.
    pub date: String,
    /// The time zone days follow.
    pub zone: String,
    /// By distinct cards reviewed, then reviews; only players who chose to be on it.
    pub players: Vec<LeaderboardEntry>,
}

/// The day asked for (`YYYY-MM-DD`; none: today), never one that has not begun.
pub fn leaderboard_day(
    app: &App,
    asked: Option<&str>,
    now: DateTime<Utc>,
) -> Result<NaiveDate, ServiceError> {
    let today = day_of(app, now);
    let Some(text) = asked.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(today);
    };
    let day = parse_day("day", text, today)?;
    if !(EARLIEST_DAY..=today).contains(&day) {
        return Err(ServiceError::invalid(format!(
            "day: choose a day from {EARLIEST_DAY} to {today} (today in {})",
            app.rules.challenge_zone
        )));
    }
    Ok(day)
}

/// The leaderboard of `day`.
pub async fn leaderboard(app: &App, day: NaiveDate) -> Result<LeaderboardOut, ServiceError> {
    let rows = app
        .store
        .review_leaderboard(
            start_ms(app, day),
            end_of(app, day).timestamp_millis(),
            LEADERBOARD_SIZE,
        )
        .await?;
    let mut players: Vec<LeaderboardEntry> = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let rank = match players.last() {
            Some(last) if (last.cards, last.reviews) == (row.cards, row.reviews) => last.rank,
            _ => i + 1,
        };
        players.push(LeaderboardEntry {
            rank,
            username: row.username,
            cards: row.cards,
            reviews: row.reviews,
        });
    }
    Ok(LeaderboardOut {
        date: day.format("%Y-%m-%d").to_string(),
        zone: app.rules.challenge_zone.to_string(),
        players,
    })
}
