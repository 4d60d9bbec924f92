//! Challenges, entries, medals, and the daily job's records. Days are stored as
//! `YYYY-MM-DD` text and travel as dates; times are given by the caller's clock.

use chrono::NaiveDate;
use sqlx::Row;

use crate::{Store, StoreError, UserId, WallId};

/// Identifies a drawn challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChallengeId(pub i64);

pub(crate) fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn parse_day(text: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| sqlx::Error::Decode(format!("stored day “{text}”: {e}").into()))
}

/// A stored challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredChallenge {
    /// Its id.
    pub id: ChallengeId,
    /// Lexicon.
    pub lexicon: String,
    /// Kind, e.g. `today-7`.
    pub kind: String,
    /// Day (the Monday for weekly ones).
    pub day: NaiveDate,
    /// Questions, JSON.
    pub questions: String,
    /// Seconds to play.
    pub seconds: i64,
}

/// One counted attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The player.
    pub user_id: UserId,
    /// Their name.
    pub username: String,
    /// Answers found.
    pub solved: i64,
    /// Answers in all.
    pub total: i64,
    /// Wrong guesses.
    pub wrong: i64,
    /// Milliseconds left at the end.
    pub remaining_ms: i64,
    /// Whether the round has ended.
    pub finished: bool,
}

/// A medal won.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WonMedal {
    /// Who.
    pub username: String,
    /// `platinum`, `gold`, `silver`, `bronze` or `gold_star`.
    pub medal: String,
    /// The challenge's day.
    pub day: NaiveDate,
    /// The challenge's kind.
    pub kind: String,
    /// The challenge's lexicon.
    pub lexicon: String,
}

/// A daily job run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRun {
    /// Its id.
    pub id: i64,
    /// Which job.
    pub job: String,
    /// Started (Unix seconds).
    pub started_at: i64,
    /// Finished (Unix seconds), if it has.
    pub finished_at: Option<i64>,
    /// Whether it succeeded.
    pub ok: bool,
    /// What it did, or the error.
    pub detail: String,
}

const CHALLENGE_COLUMNS: &str = "id, lexicon, kind, day, questions, seconds";

fn challenge(row: &sqlx::any::AnyRow) -> Result<StoredChallenge, sqlx::Error> {
    Ok(StoredChallenge {
        id: ChallengeId(row.try_get("id")?),
        lexicon: row.try_get("lexicon")?,
        kind: row.try_get("kind")?,
        day: parse_day(&row.try_get::<String, _>("day")?)?,
        questions: row.try_get("questions")?,
        seconds: row.try_get("seconds")?,
    })
}

impl Store {
    /// The challenge of a lexicon, kind and day, if it has been drawn.
    pub async fn challenge(
        &self,
        lexicon: &str,
        kind: &str,
        day: NaiveDate,
    ) -> Result<Option<StoredChallenge>, StoreError> {
        let row = sqlx::query(&format!("SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE lexicon = $1 AND kind = $2 AND day = $3"))
            .bind(lexicon)
            .bind(kind)
            .bind(day_text(day))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| challenge(&r)).transpose()?)
    }

    /// A challenge by id.
    pub async fn challenge_by_id(&self, id: ChallengeId) -> Result<StoredChallenge, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(challenge(&row)?)
    }

    /// Stores a drawn challenge; if another request stored it first, returns that one.
    pub async fn create_challenge(
        &self,
        lexicon: &str,
        kind: &str,
        day: NaiveDate,
        questions: &str,
        seconds: i64,
        now: i64,
    ) -> Result<StoredChallenge, StoreError> {
        sqlx::query(
            "INSERT INTO challenges (lexicon, kind, day, questions, seconds, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (lexicon, kind, day) DO NOTHING",
        )
        .bind(lexicon)
        .bind(kind)
        .bind(day_text(day))
        .bind(questions)
        .bind(seconds)
        .bind(now)
        .execute(&self.writer)
        .await?;
        self.challenge(lexicon, kind, day)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The challenges drawn for a lexicon on a day.
    pub async fn challenges_on(
        &self,
        lexicon: &str,
        day: NaiveDate,
    ) -> Result<Vec<StoredChallenge>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE lexicon = $1 AND day = $2 ORDER BY id"
        ))
        .bind(lexicon)
        .bind(day_text(day))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(challenge).collect::<Result<_, _>>()?)
    }

    /// Challenges (any lexicon) filed under a day.
    pub async fn challenges_of_day(
        &self,
        day: NaiveDate,
    ) -> Result<Vec<StoredChallenge>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE day = $1 ORDER BY id"
        ))
        .bind(day_text(day))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(challenge).collect::<Result<_, _>>()?)
    }

    /// The earliest day of a challenge anyone made a counted attempt at.
    pub async fn first_entry_day(&self) -> Result<Option<NaiveDate>, StoreError> {
        let row = sqlx::query(
            "SELECT MIN(c.day) FROM challenges c JOIN challenge_entries e ON e.challenge_id = c.id",
        )
        .fetch_one(&self.pool)
        .await?;
        let day: Option<String> = row.try_get(0)?;
        Ok(day.as_deref().map(parse_day).transpose()?)
    }

    /// The walls of a challenge's counted attempts that are not finished yet.
    pub async fn unfinished_entries(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<WallId>, StoreError> {
        let rows = sqlx::query(
            "SELECT wall_id FROM challenge_entries WHERE challenge_id = $1 AND finished = 0",
        )
        .bind(challenge.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(WallId(row.try_get(0)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Finishes a challenge's unfinished counted attempts as they stand (their results are
    /// kept up to date by every change to their walls).
    pub async fn freeze_entries(&self, challenge: ChallengeId) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE challenge_entries SET finished = 1 WHERE challenge_id = $1 AND finished = 0",
        )
        .bind(challenge.0)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    /// Whether the player has a counted attempt at this challenge (the unique
    /// `(challenge_id, user_id)` index answers it).
    pub async fn has_entry(
        &self,
        challenge: ChallengeId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let row =
            sqlx::query("SELECT 1 FROM challenge_entries WHERE challenge_id = $1 AND user_id = $2")
                .bind(challenge.0)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// Every counted attempt at a challenge.
    pub async fn entries(&self, challenge: ChallengeId) -> Result<Vec<Entry>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.user_id, u.username, e.solved, e.total, e.wrong, e.remaining_ms, e.finished \
             FROM challenge_entries e JOIN users u ON u.id = e.user_id WHERE e.challenge_id = $1",
        )
        .bind(challenge.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Entry {
                    user_id: UserId(row.try_get("user_id")?),
                    username: row.try_get("username")?,
                    solved: row.try_get("solved")?,
                    total: row.try_get("total")?,
                    wrong: row.try_get("wrong")?,
                    remaining_ms: row.try_get("remaining_ms")?,
                    finished: row.try_get::<i64, _>("finished")? != 0,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The alphagrams most missed in counted attempts at these kinds of challenge between two
    /// days (inclusive), most missed first.
    pub async fn most_missed(
        &self,
        lexicon: &str,
        kinds: &[&str],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<String>, StoreError> {
        let mut missed = Vec::new();
        for kind in kinds {
            let rows = sqlx::query(
                "SELECT m.alphagram, CAST(SUM(m.misses) AS BIGINT) AS total FROM challenge_misses m JOIN challenges c ON c.id = m.challenge_id \
                 WHERE c.lexicon = $1 AND c.kind = $2 AND c.day >= $3 AND c.day <= $4 GROUP BY m.alphagram",
            )
            .bind(lexicon)
            .bind(*kind)
            .bind(day_text(from))
            .bind(day_text(to))
            .fetch_all(&self.pool)
            .await?;
            for row in rows {
                let total: i64 = row
                    .try_get::<Option<i64>, _>("total")
                    .ok()
                    .flatten()
                    .unwrap_or(0);
                missed.push((total, row.try_get::<String, _>("alphagram")?));
            }
        }
        missed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(missed.into_iter().map(|(_, a)| a).collect())
    }

    /// Awards a medal; awarding it again changes nothing. Returns whether it is new.
    pub async fn award(
        &self,
        challenge: ChallengeId,
        user: UserId,
        medal: &str,
        day: NaiveDate,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO medals (challenge_id, user_id, medal, day, awarded_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (challenge_id, user_id, medal) DO NOTHING",
        )
        .bind(challenge.0)
        .bind(user.0)
        .bind(medal)
        .bind(day_text(day))
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Medals won between two days (inclusive), newest first; one player's when `user` is given.
    pub async fn medals(
        &self,
        user: Option<UserId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<WonMedal>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.username, m.medal, m.day, c.kind, c.lexicon FROM medals m JOIN users u ON u.id = m.user_id \
             JOIN challenges c ON c.id = m.challenge_id WHERE m.day >= $1 AND m.day <= $2 AND ($3 IS NULL OR m.user_id = $3) \
             ORDER BY m.day DESC, c.kind, u.username",
        )
        .bind(day_text(from))
        .bind(day_text(to))
        .bind(user.map(|u| u.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(WonMedal {
                    username: row.try_get("username")?,
                    medal: row.try_get("medal")?,
                    day: parse_day(&row.try_get::<String, _>("day")?)?,
                    kind: row.try_get("kind")?,
                    lexicon: row.try_get("lexicon")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Whether the daily job has finished a day.
    pub async fn is_processed(&self, day: NaiveDate) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT day FROM processed_days WHERE day = $1")
            .bind(day_text(day))
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Marks a day done.
    pub async fn mark_processed(&self, day: NaiveDate, now: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO processed_days (day, processed_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
            .bind(day_text(day))
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The latest day the daily job has finished.
    pub async fn last_processed_day(&self) -> Result<Option<NaiveDate>, StoreError> {
        let day: Option<String> = sqlx::query("SELECT MAX(day) FROM processed_days")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(day.as_deref().map(parse_day).transpose()?)
    }

    /// Takes (or renews) the lease on a job until `until_ms`, unless another holder has it.
    pub async fn take_lease(
        &self,
        job: &str,
        holder: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO job_leases (job, holder, until_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (job) DO UPDATE SET holder = $2, until_ms = $3 WHERE job_leases.until_ms < $4 OR job_leases.holder = $2",
        )
        .bind(job)
        .bind(holder)
        .bind(until_ms)
        .bind(now_ms)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives a lease back.
    pub async fn release_lease(&self, job: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM job_leases WHERE job = $1 AND holder = $2")
            .bind(job)
            .bind(holder)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Marks the runs of a job that never finished as failed: called by the holder of its
    /// lease, so none of them can still be running.
    pub async fn interrupt_runs(&self, job: &str, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE job_runs SET finished_at = $1, ok = 0, detail = 'interrupted: the run stopped before it finished (its lease expired)' \
             WHERE job = $2 AND finished_at IS NULL",
        )
        .bind(now)
        .bind(job)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    /// When a job's lease runs out (Unix milliseconds), if anyone holds it.
    pub async fn lease_until(&self, job: &str) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT until_ms FROM job_leases WHERE job = $1")
            .bind(job)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Records the start of a job run.
    pub async fn start_run(&self, job: &str, now: i64) -> Result<i64, StoreError> {
        let row =
            sqlx::query("INSERT INTO job_runs (job, started_at) VALUES ($1, $2) RETURNING id")
                .bind(job)
                .bind(now)
                .fetch_one(&self.writer)
                .await?;
        Ok(row.try_get(0)?)
    }

    /// Records how a job run ended.
    pub async fn finish_run(
        &self,
        id: i64,
        ok: bool,
        detail: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE job_runs SET finished_at = $1, ok = $2, detail = $3 WHERE id = $4")
            .bind(now)
            .bind(i64::from(ok))
            .bind(detail)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The latest job runs, newest first.
    pub async fn job_runs(&self, limit: i64) -> Result<Vec<JobRun>, StoreError> {
        let rows = sqlx::query("SELECT id, job, started_at, finished_at, ok, detail FROM job_runs ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(JobRun {
                    id: row.try_get("id")?,
                    job: row.try_get("job")?,
                    started_at: row.try_get("started_at")?,
                    finished_at: row.try_get("finished_at")?,
                    ok: row.try_get::<i64, _>("ok")? != 0,
                    detail: row.try_get("detail")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// When a job last succeeded (Unix seconds).
    pub async fn last_success(&self, job: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query("SELECT MAX(finished_at) FROM job_runs WHERE job = $1 AND ok = 1")
                .bind(job)
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?,
        )
    }

    /// A site-wide setting, if it has been recorded.
    pub async fn site_setting_if_set(&self, name: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM site_settings WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// A site-wide setting, created with `default` the first time it is asked for, so every
    /// replica agrees on it.
    pub async fn site_setting(&self, name: &str, default: &str) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO site_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(default)
        .execute(&self.writer)
        .await?;
        Ok(
            sqlx::query("SELECT value FROM site_settings WHERE name = $1")
                .bind(name)
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?,
        )
    }
}
