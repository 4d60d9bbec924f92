//! Review statistics and the daily leaderboard of cards reviewed. Every figure is
//! aggregated in SQL over an index (see migrations 0007 and 0008), so a player with a
//! hundred thousand cards costs a few index scans, never a row per card in memory. Days
//! are the caller's: it passes their boundaries (computed in the site's time zone), and
//! the store only counts between them.

use std::fmt::Write as _;

use sqlx::Row;

use crate::reviews::{Scope, check_scope};
use crate::{DeckError, Store, StoreError, UserId};

/// The most days either side of today the statistics count (each is a bound parameter).
pub const MAX_STATS_DAYS: usize = 400;

/// Day boundaries for [`Store::review_stats`], Unix ms, each list ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsDays {
    /// Starts of the past days and the end of the last: `past[i]..past[i + 1]` is day `i`,
    /// the last one today.
    pub past: Vec<i64>,
    /// Ends of the coming days: day 0 (today, with every overdue card) runs up to
    /// `future[0]`, day `i` from `future[i - 1]` up to `future[i]`.
    pub future: Vec<i64>,
}

/// How often cards were recalled: reviews of cards in the review state, and those not
/// graded Again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retention {
    /// Reviews of cards that were in the review state.
    pub reviews: i64,
    /// Of those, the ones graded Hard, Good or Easy.
    pub recalled: i64,
}

/// A player's cards by state; suspended cards are counted only as suspended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CardCounts {
    /// Never reviewed.
    pub new: i64,
    /// In their learning steps.
    pub learning: i64,
    /// Scheduled in days.
    pub review: i64,
    /// Forgotten, in their relearning steps.
    pub relearning: i64,
    /// Left out of reviews, whatever their state.
    pub suspended: i64,
}

/// The statistics of one deck or all a player's decks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewStats {
    /// Cards seen before and not suspended, due on each coming day (overdue on day 0).
    pub forecast: Vec<i64>,
    /// Reviews on each past day, by grade (indexed by `Rating::index`: Again to Easy).
    pub reviews: Vec<[i64; 4]>,
    /// Recall over the past days.
    pub retention: Retention,
    /// Cards by state now.
    pub cards: CardCounts,
}

/// One player on the daily leaderboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderboardRow {
    /// The player.
    pub username: String,
    /// Distinct cards they reviewed that day: what the leaderboard ranks by.
    pub cards: i64,
    /// Their reviews that day (a card relearned counts more than once).
    pub reviews: i64,
}

/// A query and its parameters, all integers: what is run, and what tests explain.
struct Query {
    sql: String,
    binds: Vec<i64>,
}

impl Query {
    async fn rows(
        &self,
        conn: &mut sqlx::AnyConnection,
    ) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
        let mut query = sqlx::query(&self.sql);
        for bind in &self.binds {
            query = query.bind(*bind);
        }
        Ok(query.fetch_all(&mut *conn).await?)
    }
}

/// `CASE WHEN column < $from THEN 0 WHEN column < $from+1 THEN 1 ... END`: the index of the
/// first boundary the value is below.
fn bucket(column: &str, from: usize, boundaries: usize) -> String {
    let mut whens = String::new();
    for i in 0..boundaries {
        let _ = write!(whens, " WHEN {column} < ${} THEN {i}", from + i);
    }
    format!("CAST(CASE{whens} END AS BIGINT)")
}

fn check(name: &str, days: &[i64], least: usize) -> Result<(), DeckError> {
    if days.len() < least || days.len() > MAX_STATS_DAYS + 1 {
        return Err(DeckError::Invalid(format!(
            "the {name} days of the statistics must number from {least} to {MAX_STATS_DAYS}, not {}",
            days.len()
        )));
    }
    if days.windows(2).any(|w| w[0] >= w[1]) {
        return Err(DeckError::Invalid(format!(
            "the {name} days of the statistics must be in order"
        )));
    }
    Ok(())
}

/// The statistics' four queries: forecast, reviews by day and grade, retention, cards by
/// state.
fn stats_queries(user: UserId, scope: Scope, days: &StatsDays) -> [Query; 4] {
    let (column, key) = match scope {
        Scope::Deck(deck) => ("deck_id", deck.0),
        Scope::All => ("user_id", user.0),
    };
    let (reviews_of, review_binds) = match scope {
        Scope::Deck(deck) => (
            "user_id = $1 AND card_id IN (SELECT id FROM cards WHERE deck_id = $2)",
            vec![user.0, deck.0],
        ),
        Scope::All => ("user_id = $1", vec![user.0]),
    };
    let end = days.future.last().copied().unwrap_or(i64::MIN);
    let forecast = Query {
        sql: format!(
            "SELECT day, COUNT(*) FROM (SELECT {} AS day FROM cards \
             WHERE {column} = $1 AND suspended = 0 AND state <> 'new' AND due < $2) AS d GROUP BY day",
            bucket("due", 3, days.future.len())
        ),
        binds: [vec![key, end], days.future.clone()].concat(),
    };
    let n = review_binds.len();
    let (start, finish) = (
        days.past.first().copied().unwrap_or(0),
        days.past.last().copied().unwrap_or(0),
    );
    let window = format!("{reviews_of} AND at >= ${} AND at < ${}", n + 1, n + 2);
    let by_day = Query {
        sql: format!(
            "SELECT day, rating, COUNT(*) FROM (SELECT {} AS day, rating FROM reviews WHERE {window}) AS r \
             GROUP BY day, rating",
            bucket("at", n + 3, days.past.len().saturating_sub(1))
        ),
        binds: [
            review_binds.clone(),
            vec![start, finish],
            days.past[1..].to_vec(),
        ]
        .concat(),
    };
    let retention = Query {
        sql: format!(
            "SELECT COUNT(*), COUNT(CASE WHEN rating > 1 THEN 1 END) FROM reviews \
             WHERE {window} AND state_before = 'review'"
        ),
        binds: [review_binds, vec![start, finish]].concat(),
    };
    let states = Query {
        sql: format!(
            "SELECT state, suspended, COUNT(*) FROM cards WHERE {column} = $1 GROUP BY state, suspended"
        ),
        binds: vec![key],
    };
    [forecast, by_day, retention, states]
}

fn index(row: &sqlx::any::AnyRow, column: usize, len: usize) -> Result<Option<usize>, StoreError> {
    let value: i64 = row.try_get(column)?;
    Ok(usize::try_from(value).ok().filter(|&i| i < len))
}

impl Store {
    /// The statistics of one deck or all the player's decks between the day boundaries
    /// given (at most [`MAX_STATS_DAYS`] each side; the past needs at least one day, the
    /// forecast today). Reads only.
    pub async fn review_stats(
        &self,
        user: UserId,
        scope: Scope,
        days: &StatsDays,
    ) -> Result<ReviewStats, DeckError> {
        check("past", &days.past, 2)?;
        check("coming", &days.future, 1)?;
        let mut conn = self.pool.acquire().await?;
        check_scope(&mut conn, user, scope).await?;
        let [forecast, by_day, retention, states] = stats_queries(user, scope, days);
        let mut stats = ReviewStats {
            forecast: vec![0; days.future.len()],
            reviews: vec![[0; 4]; days.past.len() - 1],
            retention: Retention::default(),
            cards: CardCounts::default(),
        };
        for row in forecast.rows(&mut conn).await? {
            if let Some(day) = index(&row, 0, stats.forecast.len())? {
                stats.forecast[day] = row.try_get(1)?;
            }
        }
        for row in by_day.rows(&mut conn).await? {
            let day = index(&row, 0, stats.reviews.len())?;
            let rating = row.try_get::<i64, _>(1)? - 1;
            if let (Some(day), Some(grade)) = (day, usize::try_from(rating).ok().filter(|&r| r < 4))
            {
                stats.reviews[day][grade] = row.try_get(2)?;
            }
        }
        if let Some(row) = retention.rows(&mut conn).await?.first() {
            stats.retention = Retention {
                reviews: row.try_get(0)?,
                recalled: row.try_get(1)?,
            };
        }
        for row in states.rows(&mut conn).await? {
            let count: i64 = row.try_get(2)?;
            let cards = &mut stats.cards;
            let slot = if row.try_get::<i64, _>(1)? != 0 {
                &mut cards.suspended
            } else {
                match row.try_get::<String, _>(0)?.as_str() {
                    "new" => &mut cards.new,
                    "learning" => &mut cards.learning,
                    "review" => &mut cards.review,
                    _ => &mut cards.relearning,
                }
            };
            *slot += count;
        }
        Ok(stats)
    }

    /// The players on the review leaderboard by distinct cards reviewed from `start_ms` up
    /// to `end_ms` (then by reviews, then by name), at most `limit`. Only players who chose
    /// to be on it are.
    pub async fn review_leaderboard(
        &self,
        start_ms: i64,
        end_ms: i64,
        limit: i64,
    ) -> Result<Vec<LeaderboardRow>, StoreError> {
        let rows = sqlx::query(LEADERBOARD)
            .bind(start_ms)
            .bind(end_ms)
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(LeaderboardRow {
                    username: row.try_get(0)?,
                    cards: row.try_get(1)?,
                    reviews: row.try_get(2)?,
                })
            })
            .collect()
    }

    /// SQLite's query plan of each statistics query and of the leaderboard, for the test
    /// that they read through indexes.
    #[cfg(feature = "testing")]
    pub async fn review_stats_plans_for_tests(
        &self,
        user: UserId,
        scope: Scope,
        days: &StatsDays,
    ) -> Result<Vec<String>, StoreError> {
        let mut queries = Vec::from(stats_queries(user, scope, days));
        queries.push(Query {
            sql: LEADERBOARD.to_owned(),
            binds: vec![0, 1, 10],
        });
        let mut conn = self.pool.acquire().await?;
        let mut plans = Vec::new();
        for query in queries {
            let explain = Query {
                sql: format!("EXPLAIN QUERY PLAN {}", query.sql),
                binds: query.binds,
            };
            let lines: Vec<String> = explain
                .rows(&mut conn)
                .await?
                .iter()
                .map(|row| row.try_get::<String, _>("detail"))
                .collect::<Result<_, _>>()?;
            plans.push(lines.join("; "));
        }
        Ok(plans)
    }
}

const LEADERBOARD: &str = "SELECT u.username, COUNT(DISTINCT r.card_id) AS cards, COUNT(*) AS reviews \
     FROM users u JOIN reviews r ON r.user_id = u.id \
     WHERE u.review_leaderboard = 1 AND r.at >= $1 AND r.at < $2 \
     GROUP BY u.id, u.username ORDER BY cards DESC, reviews DESC, u.username LIMIT $3";
