//! The daily job: award medals for every finished challenge day, delete abandoned walls and
//! expired sessions, prune old job records. It catches up on every past day not yet done,
//! in order, and running it twice changes nothing (unique keys, not hope). [`run_once`] is
//! the step, driven with an injected clock; [`scheduler`] runs it every minute with a lease
//! so one replica at a time does the work; `tilebag daily` runs it once.

use chrono::{DateTime, NaiveDate, Utc};
use tilebag_study::challenge::{Challenge, medals};

use crate::challenges::{day_of, end_of, score};
use crate::error::AppError;
use crate::state::AppState;

/// The job's name in runs and leases.
pub const DAILY: &str = "daily";

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Days finished by this run, in order.
    pub days: Vec<NaiveDate>,
    /// Medals newly awarded.
    pub medals: usize,
    /// Abandoned walls deleted.
    pub walls: u64,
    /// Expired sessions deleted.
    pub sessions: u64,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let days: Vec<String> = self.days.iter().map(ToString::to_string).collect();
        write!(
            f,
            "processed {} day(s) [{}], awarded {} medal(s), deleted {} abandoned wall(s) and {} expired session(s)",
            self.days.len(),
            days.join(", "),
            self.medals,
            self.walls,
            self.sessions
        )
    }
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Past days not processed yet, oldest first (from the first challenge ever drawn).
pub async fn pending_days(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Vec<NaiveDate>, AppError> {
    let today = day_of(state, now);
    let first = match state
        .store
        .last_processed_day()
        .await?
        .as_deref()
        .and_then(parse_day)
    {
        Some(last) => last + chrono::Days::new(1),
        None => match state
            .store
            .first_challenge_day()
            .await?
            .as_deref()
            .and_then(parse_day)
        {
            Some(first) => first,
            None => return Ok(Vec::new()),
        },
    };
    Ok(first.iter_days().take_while(|day| *day < today).collect())
}

/// Awards the medals of the challenges that ended with `day`.
async fn award_day(state: &AppState, day: NaiveDate) -> Result<usize, AppError> {
    let mut awarded = 0;
    let mut due = state.store.challenges_of_day(&day.to_string()).await?;
    // The toughies of the week that ends today (they are filed under its Monday).
    let monday = Challenge::Toughies.period_start(day);
    if Challenge::Toughies.period_end(monday) == day + chrono::Days::new(1) {
        due.extend(
            state
                .store
                .challenges_of_day(&monday.to_string())
                .await?
                .into_iter()
                .filter(|c| c.kind == "toughies"),
        );
    }
    for challenge in due {
        let Some(kind) = Challenge::parse(&challenge.kind) else {
            continue;
        };
        if kind.period_end(kind.period_start(day)) != day + chrono::Days::new(1) {
            continue;
        }
        let entries = state.store.entries(challenge.id).await?;
        let scores: Vec<_> = entries.iter().map(score).collect();
        for (player, medal) in medals(kind, &scores, state.config.medal_min_entries) {
            if state
                .store
                .award(
                    challenge.id,
                    tilebag_store::UserId(player),
                    medal.name(),
                    &challenge.day,
                )
                .await?
            {
                awarded += 1;
            }
        }
    }
    Ok(awarded)
}

/// One run of the daily job as of `now`.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> Result<Outcome, AppError> {
    let mut outcome = Outcome::default();
    for day in pending_days(state, now).await? {
        outcome.medals += award_day(state, day).await?;
        state.store.mark_processed(&day.to_string()).await?;
        outcome.days.push(day);
    }
    let seconds = now.timestamp();
    let (walls, _) = state
        .store
        .prune(seconds - 7 * 24 * 3600, seconds - 90 * 24 * 3600)
        .await?;
    outcome.walls = walls;
    outcome.sessions = state.store.delete_expired_sessions().await?;
    Ok(outcome)
}

/// Runs the job once and records the run (with its error, if it fails).
pub async fn run_recorded(state: &AppState, now: DateTime<Utc>) -> Result<Outcome, AppError> {
    let run = state.store.start_run(DAILY).await?;
    let result = run_once(state, now).await;
    let (ok, detail) = match &result {
        Ok(outcome) => (true, outcome.to_string()),
        Err(error) => (false, error.message.clone()),
    };
    state.store.finish_run(run, ok, &detail).await?;
    result
}

/// How late processing is: past days not processed, and how long ago the oldest of them ended.
pub async fn lateness(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<(usize, Option<chrono::Duration>), AppError> {
    let pending = pending_days(state, now).await?;
    let overdue = pending.first().map(|day| now - end_of(state, *day));
    Ok((pending.len(), overdue))
}

/// Every minute: take the lease, run if due, give the lease back.
pub fn scheduler(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let holder = format!("{:016x}", rand::random::<u64>());
        let mut tick = tokio::time::interval(std::time::Duration::from_mins(1));
        loop {
            tick.tick().await;
            let now = Utc::now();
            let now_ms = now.timestamp_millis();
            match state
                .store
                .take_lease(DAILY, &holder, now_ms, now_ms + 10 * 60 * 1000)
                .await
            {
                Ok(true) => {
                    let due = pending_days(&state, now)
                        .await
                        .map_or(true, |days| !days.is_empty());
                    if due {
                        match run_recorded(&state, now).await {
                            Ok(outcome) => tracing::info!(%outcome, "daily job"),
                            Err(error) => {
                                tracing::error!(error = %error.message, "daily job failed");
                            }
                        }
                    }
                    let _ = state.store.release_lease(DAILY, &holder).await;
                }
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, "cannot take the daily job's lease"),
            }
        }
    })
}
