//! The daily job: end rounds whose time ran out, award medals for every finished challenge
//! day, delete abandoned walls and expired sessions, prune old job records.
//!
//! It catches up on every past day not yet done, in order — from the site's first day to
//! the last day that has ended (and whose last rounds are over), at most
//! [`MAX_DAYS_PER_RUN`] a run — and running it twice changes nothing (unique keys, not
//! hope). [`run_once`] is the step, with the time from the injected clock; [`run`] takes
//! the database lease first (so the in-server scheduler and `tilebag daily` never run at
//! once) and records the run.

use chrono::{DateTime, NaiveDate, Utc};
use tilebag_study::challenge::{Challenge, medals};

use super::challenges::{award, day_of, end_of, score};
use super::walls::{self, Action};
use super::{App, ServiceError};

/// The job's name in runs and leases.
pub const DAILY: &str = "daily";

/// Most days one run processes; a longer backlog continues in the next run.
pub const MAX_DAYS_PER_RUN: usize = 366;

/// How long after a day ends the job waits before ranking it: the longest challenge round
/// (9 minutes) started just before midnight is over by then.
pub const GRACE: chrono::Duration = chrono::Duration::minutes(10);

/// How long a run may hold the lease (milliseconds) before another may take it.
pub const LEASE_MS: i64 = 10 * 60 * 1000;

/// Most expired rounds one run ends.
const MAX_EXPIRED_PER_RUN: i64 = 10_000;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Days finished by this run, in order.
    pub days: Vec<NaiveDate>,
    /// Medals newly awarded.
    pub medals: usize,
    /// Rounds ended because their time was up.
    pub rounds: usize,
    /// Abandoned walls deleted.
    pub walls: u64,
    /// Expired sessions deleted.
    pub sessions: u64,
    /// Players whose scheduling parameters were refitted.
    pub fitted: usize,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A short record however long the backlog: the first and last day when there are many.
        let days = match self.days.as_slice() {
            [] => String::new(),
            few if few.len() <= 7 => {
                let days: Vec<String> = few.iter().map(ToString::to_string).collect();
                days.join(", ")
            }
            [first, .., last] => format!("{first} … {last}"),
            [_] => unreachable!("one day is few"),
        };
        write!(
            f,
            "processed {} day(s) [{days}], awarded {} medal(s), ended {} expired round(s), deleted {} abandoned wall(s) and {} expired session(s), refitted {} player(s)' parameters",
            self.days.len(),
            self.medals,
            self.rounds,
            self.walls,
            self.sessions,
            self.fitted
        )
    }
}

/// The job refused to run.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Another run holds the lease.
    #[error(
        "another run of the daily job is under way (its lease lasts until {0}); try again later"
    )]
    Busy(DateTime<Utc>),
    /// Asked to process a day that is not over.
    #[error("{day} has not ended yet: its medals can be awarded from {ready} (UTC)")]
    NotEnded {
        /// The day asked for.
        day: NaiveDate,
        /// When it can be processed.
        ready: DateTime<Utc>,
    },
    /// The run failed.
    #[error(transparent)]
    Failed(#[from] ServiceError),
}

/// The site's first day: no day before it is ever processed. Recorded (shared by every
/// replica) by the first run of the job: the first day anyone made a counted attempt, or
/// that day itself. Until then it is worked out without writing, so reads (`/readyz`,
/// `/metrics`, the admin page) never write.
pub async fn first_day(app: &App, record: bool) -> Result<NaiveDate, ServiceError> {
    let stored = if let Some(stored) = app.store.site_setting_if_set("first_day").await? {
        stored
    } else {
        let today = day_of(app, app.clock.now());
        let default = app
            .store
            .first_entry_day()
            .await?
            .filter(|day| *day <= today)
            .unwrap_or(today)
            .to_string();
        if record {
            app.store.site_setting("first_day", &default).await?
        } else {
            default
        }
    };
    NaiveDate::parse_from_str(&stored, "%Y-%m-%d")
        .map_err(|e| ServiceError::Document(format!("the stored first day “{stored}”: {e}")))
}

/// Whether a day is over and its last rounds too, at `now`.
fn is_ready(app: &App, day: NaiveDate, now: DateTime<Utc>) -> bool {
    end_of(app, day) + GRACE <= now
}

/// The first day not processed yet, and the last day ready to process at `now`.
async fn backlog(
    app: &App,
    now: DateTime<Utc>,
) -> Result<Option<(NaiveDate, NaiveDate)>, ServiceError> {
    let first = first_day(app, false).await?;
    let next = match app.store.last_processed_day().await? {
        Some(last) => (last + chrono::Days::new(1)).max(first),
        None => first,
    };
    let mut last = day_of(app, now) - chrono::Days::new(1);
    if !is_ready(app, last, now) {
        last = last - chrono::Days::new(1);
    }
    Ok((next <= last).then_some((next, last)))
}

/// Past days not processed yet, oldest first, up to [`MAX_DAYS_PER_RUN`] of them.
pub async fn pending_days(app: &App, now: DateTime<Utc>) -> Result<Vec<NaiveDate>, ServiceError> {
    Ok(match backlog(app, now).await? {
        Some((first, last)) => first
            .iter_days()
            .take_while(|day| *day <= last)
            .take(MAX_DAYS_PER_RUN)
            .collect(),
        None => Vec::new(),
    })
}

/// Finishes every counted attempt at a challenge: rounds whose time is up end as one unit
/// each, with what the player had; any still unfinished are frozen as they stand.
async fn finish_entries(
    app: &App,
    challenge: &tilebag_store::StoredChallenge,
) -> Result<(), ServiceError> {
    for wall in app.store.unfinished_entries(challenge.id).await? {
        match walls::act(app, wall, None, Action::Expire).await {
            Ok(_) | Err(ServiceError::NotFound(_)) => {}
            Err(error) => return Err(error),
        }
    }
    app.store.freeze_entries(challenge.id).await?;
    Ok(())
}

/// Awards the medals of the challenges that ended with `day`.
async fn award_day(app: &App, day: NaiveDate) -> Result<usize, ServiceError> {
    let mut awarded = 0;
    let mut due = app.store.challenges_of_day(day).await?;
    // The toughies of the week that ends today (they are filed under its Monday).
    let monday = Challenge::Toughies.period_start(day);
    if monday != day && Challenge::Toughies.period_end(monday) == day + chrono::Days::new(1) {
        due.extend(
            app.store
                .challenges_of_day(monday)
                .await?
                .into_iter()
                .filter(|c| c.kind == Challenge::Toughies.slug()),
        );
    }
    for challenge in due {
        let Some(kind) = Challenge::parse(&challenge.kind) else {
            continue;
        };
        if kind.period_end(kind.period_start(day)) != day + chrono::Days::new(1) {
            continue;
        }
        finish_entries(app, &challenge).await?;
        let entries = app.store.entries(challenge.id).await?;
        let scores: Vec<_> = entries.iter().map(score).collect();
        for (player, medal) in medals(kind, &scores, app.rules.medal_min_entries) {
            if award(app, &challenge, tilebag_store::UserId(player), medal).await? {
                awarded += 1;
            }
        }
    }
    Ok(awarded)
}

/// One run of the daily job at the clock's time, processing pending days up to `until`
/// (all of them when `None`).
pub async fn run_once(app: &App, until: Option<NaiveDate>) -> Result<Outcome, ServiceError> {
    let now = app.clock.now();
    first_day(app, true).await?;
    let mut outcome = Outcome {
        rounds: walls::expire_all(app, MAX_EXPIRED_PER_RUN).await?,
        ..Outcome::default()
    };
    for day in pending_days(app, now).await? {
        if until.is_some_and(|until| day > until) {
            break;
        }
        outcome.medals += award_day(app, day).await?;
        app.store.mark_processed(day, app.clock.now_s()).await?;
        outcome.days.push(day);
    }
    let seconds = now.timestamp();
    let (walls, _) = app
        .store
        .prune(seconds - 7 * 24 * 3600, seconds - 90 * 24 * 3600)
        .await?;
    outcome.walls = walls;
    outcome.sessions = app.store.delete_expired_sessions(seconds).await?;
    outcome.fitted = super::review::refit_due(app).await?;
    Ok(outcome)
}

/// Takes the lease as `holder`, runs the job once (up to `until`, which must have ended)
/// and records the run, with its error if it fails; then gives the lease back. A run that
/// was killed is recorded as failed by the next run that takes the lease.
pub async fn run(app: &App, holder: &str, until: Option<NaiveDate>) -> Result<Outcome, JobError> {
    let now = app.clock.now();
    if let Some(day) = until
        && !is_ready(app, day, now)
    {
        return Err(JobError::NotEnded {
            day,
            ready: end_of(app, day) + GRACE,
        });
    }
    let now_ms = now.timestamp_millis();
    if !app
        .store
        .take_lease(DAILY, holder, now_ms, now_ms + LEASE_MS)
        .await
        .map_err(ServiceError::from)?
    {
        let until = app
            .store
            .lease_until(DAILY)
            .await
            .map_err(ServiceError::from)?;
        let until = until
            .and_then(DateTime::from_timestamp_millis)
            .unwrap_or(now);
        return Err(JobError::Busy(until));
    }
    let result = recorded(app, until).await;
    let _ = app.store.release_lease(DAILY, holder).await;
    Ok(result?)
}

async fn recorded(app: &App, until: Option<NaiveDate>) -> Result<Outcome, ServiceError> {
    app.store.interrupt_runs(DAILY, app.clock.now_s()).await?;
    let run = app.store.start_run(DAILY, app.clock.now_s()).await?;
    let result = run_once(app, until).await;
    let (ok, detail) = match &result {
        Ok(outcome) => (true, outcome.to_string()),
        Err(error) => (false, error.to_string()),
    };
    app.store
        .finish_run(run, ok, &detail, app.clock.now_s())
        .await?;
    result
}

/// How late processing is at `now`: past days not processed, and how long ago the oldest
/// of them became ready.
pub async fn lateness(
    app: &App,
    now: DateTime<Utc>,
) -> Result<(usize, Option<chrono::Duration>), ServiceError> {
    Ok(match backlog(app, now).await? {
        Some((first, last)) => {
            let days = usize::try_from((last - first).num_days() + 1).unwrap_or(usize::MAX);
            (days, Some(now - (end_of(app, first) + GRACE)))
        }
        None => (0, None),
    })
}

/// Every minute: end rounds whose time is up, and run the job when days are due — under
/// the lease, so one replica at a time does the work.
pub fn scheduler(app: App) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let holder = format!("{:016x}", rand::random::<u64>());
        let mut tick = tokio::time::interval(std::time::Duration::from_mins(1));
        loop {
            tick.tick().await;
            match super::sweep::sweep(&app).await {
                Ok(swept) if swept != super::sweep::Swept::default() => {
                    tracing::debug!(?swept, "housekeeping");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "housekeeping failed"),
            }
            let due = pending_days(&app, app.clock.now())
                .await
                .map_or(true, |days| !days.is_empty());
            if !due {
                continue;
            }
            match run(&app, &holder, None).await {
                Ok(outcome) => tracing::info!(%outcome, "daily job"),
                Err(JobError::Busy(_)) => {}
                Err(error) => tracing::error!(%error, "daily job failed"),
            }
        }
    })
}

/// A job run as the admin page shows it.
#[derive(Debug, Clone)]
pub struct RunView {
    /// Its id.
    pub id: i64,
    /// Started (Unix seconds).
    pub started_at: i64,
    /// Finished (Unix seconds), if it has.
    pub finished_at: Option<i64>,
    /// `ok`, `running`, or `FAILED` (also a run that stopped without finishing, once its
    /// lease has expired).
    pub result: &'static str,
    /// What it did, or why it failed.
    pub detail: String,
}

/// The latest runs of the daily job, newest first.
pub async fn runs(app: &App, limit: i64) -> Result<Vec<RunView>, ServiceError> {
    let lease_held = app
        .store
        .lease_until(DAILY)
        .await?
        .is_some_and(|until| until > app.clock.now_ms());
    let runs = app.store.job_runs(limit).await?;
    Ok(runs
        .into_iter()
        .enumerate()
        .map(|(i, run)| {
            // Only the newest unfinished run can still be running, and only under a lease.
            let (result, detail) = match (run.finished_at, run.ok) {
                (Some(_), true) => ("ok", run.detail),
                (Some(_), false) => ("FAILED", run.detail),
                (None, _) if i == 0 && lease_held => ("running", run.detail),
                (None, _) => (
                    "FAILED",
                    "interrupted: the run stopped before it finished (its lease expired)".into(),
                ),
            };
            RunView {
                id: run.id,
                started_at: run.started_at,
                finished_at: run.finished_at,
                result,
                detail,
            }
        })
        .collect())
}
