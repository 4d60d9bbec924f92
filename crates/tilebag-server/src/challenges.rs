//! Daily challenges: drawing them on first request, playing them as walls, leaderboards.

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use tilebag_lexicon::Lexicon;
use tilebag_store::{Owner, StoredChallenge, WallId};
use tilebag_study::Question;
use tilebag_study::challenge::{Challenge, Score, generate, leaderboard};

use crate::error::AppError;
use crate::state::AppState;

/// The challenge day `now` falls on, in the configured time zone.
#[must_use]
pub fn day_of(state: &AppState, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&state.config.challenge_zone).date_naive()
}

/// When a challenge day ends (the next local midnight), in UTC.
#[must_use]
pub fn end_of(state: &AppState, day: NaiveDate) -> DateTime<Utc> {
    let next = day + chrono::Days::new(1);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    midnight
        .and_local_timezone(state.config.challenge_zone)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |local| local.with_timezone(&Utc))
}

/// The site's secret seed for challenges, made once and shared by every replica.
pub async fn secret(state: &AppState) -> Result<u64, AppError> {
    let fresh: u64 = rand::rng().random();
    let stored = state
        .store
        .site_setting("challenge_secret", &fresh.to_string())
        .await?;
    stored.parse().map_err(AppError::internal)
}

/// A challenge's questions for a day, drawn (and stored) on first request. `None` when it
/// cannot be drawn (the toughies without a week of data).
pub async fn get_or_draw(
    state: &AppState,
    lexicon: &Lexicon,
    challenge: Challenge,
    day: NaiveDate,
) -> Result<Option<StoredChallenge>, AppError> {
    let start = challenge.period_start(day);
    let (kind, key) = (challenge.slug(), start.to_string());
    if let Some(found) = state.store.challenge(lexicon.name(), &kind, &key).await? {
        return Ok(Some(found));
    }
    let most_missed = if challenge == Challenge::Toughies {
        let (from, to) = (start - chrono::Days::new(7), start - chrono::Days::new(1));
        state
            .store
            .most_missed(
                lexicon.name(),
                &["today-7", "today-8"],
                &from.to_string(),
                &to.to_string(),
            )
            .await?
    } else {
        Vec::new()
    };
    let questions = generate(
        lexicon,
        challenge,
        start,
        secret(state).await?,
        &most_missed,
    );
    if questions.is_empty() {
        return Ok(None);
    }
    let json = serde_json::to_string(&questions).map_err(AppError::internal)?;
    Ok(Some(
        state
            .store
            .create_challenge(
                lexicon.name(),
                &kind,
                &key,
                &json,
                i64::from(challenge.seconds()),
            )
            .await?,
    ))
}

/// Starts a wall on a challenge. A logged-in player's first attempt during the challenge's
/// own day (week, for the toughies) counts for the leaderboard; later ones are practice.
/// Returns the wall and whether the attempt counts.
pub async fn play(
    state: &AppState,
    owner: &Owner,
    user: Option<&tilebag_store::User>,
    lexicon: &Lexicon,
    challenge: Challenge,
    day: NaiveDate,
) -> Result<(WallId, bool), AppError> {
    let stored = get_or_draw(state, lexicon, challenge, day)
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!(
                "no {} this week yet: it needs a week of played sevens and eights",
                challenge.title()
            ))
        })?;
    let questions: Vec<Question> =
        serde_json::from_str(&stored.questions).map_err(AppError::internal)?;
    let total = questions.iter().map(|q| q.answers.len()).sum::<usize>();
    let wall =
        crate::walls::create_with_questions(state, owner, lexicon, questions, stored.seconds)
            .await?;
    state.store.set_wall_challenge(wall, stored.id).await?;
    let today = day_of(state, Utc::now());
    let current = challenge.period_start(today) == challenge.period_start(day);
    let counts = match user {
        Some(user) if current => {
            state
                .store
                .start_entry(
                    stored.id,
                    user.id,
                    wall,
                    i64::try_from(total).unwrap_or(i64::MAX),
                )
                .await?
        }
        _ => false,
    };
    Ok((wall, counts))
}

/// A challenge's leaderboard: place, player, and their result.
pub async fn board(
    state: &AppState,
    challenge_id: i64,
) -> Result<Vec<(u32, tilebag_store::Entry)>, AppError> {
    let entries = state.store.entries(challenge_id).await?;
    let scores: Vec<Score> = entries.iter().map(score).collect();
    Ok(leaderboard(&scores)
        .into_iter()
        .filter_map(|(place, s)| {
            entries
                .iter()
                .find(|e| e.user_id.0 == s.player)
                .map(|e| (place, e.clone()))
        })
        .collect())
}

/// An entry as the medal rules read it.
#[must_use]
pub fn score(entry: &tilebag_store::Entry) -> Score {
    let small = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Score {
        player: entry.user_id.0,
        solved: small(entry.solved),
        total: small(entry.total),
        wrong: small(entry.wrong),
        remaining_ms: entry.remaining_ms,
    }
}
