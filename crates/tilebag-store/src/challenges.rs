//! Challenges, entries, medals, and the daily job's records. Days are `YYYY-MM-DD` text.

use sqlx::Row;

use crate::{Store, StoreError, UserId, WallId, now};

/// A stored challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredChallenge {
    /// Its id.
    pub id: i64,
    /// Lexicon.
    pub lexicon: String,
    /// Kind, e.g. `today-7`.
    pub kind: String,
    /// Day (the Monday for weekly ones).
    pub day: String,
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
    pub day: String,
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
        id: row.try_get("id")?,
        lexicon: row.try_get("lexicon")?,
        kind: row.try_get("kind")?,
        day: row.try_get("day")?,
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
        day: &str,
    ) -> Result<Option<StoredChallenge>, StoreError> {
        let row = sqlx::query(&format!("SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE lexicon = $1 AND kind = $2 AND day = $3"))
            .bind(lexicon)
            .bind(kind)
            .bind(day)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| challenge(&r)).transpose()?)
    }

    /// A challenge by id.
    pub async fn challenge_by_id(&self, id: i64) -> Result<StoredChallenge, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(challenge(&row)?)
    }

    /// Stores a drawn challenge; if another request stored it first, returns that one.
    pub async fn create_challenge(
        &self,
        lexicon: &str,
        kind: &str,
        day: &str,
        questions: &str,
        seconds: i64,
    ) -> Result<StoredChallenge, StoreError> {
        sqlx::query(
            "INSERT INTO challenges (lexicon, kind, day, questions, seconds, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (lexicon, kind, day) DO NOTHING",
        )
        .bind(lexicon)
        .bind(kind)
        .bind(day)
        .bind(questions)
        .bind(seconds)
        .bind(now())
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
        day: &str,
    ) -> Result<Vec<StoredChallenge>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE lexicon = $1 AND day = $2 ORDER BY id"
        ))
        .bind(lexicon)
        .bind(day)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(challenge).collect::<Result<_, _>>()?)
    }

    /// Challenges (any lexicon) filed under a day.
    pub async fn challenges_of_day(&self, day: &str) -> Result<Vec<StoredChallenge>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE day = $1 ORDER BY id"
        ))
        .bind(day)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(challenge).collect::<Result<_, _>>()?)
    }

    /// The earliest day any challenge was drawn for.
    pub async fn first_challenge_day(&self) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT MIN(day) FROM challenges")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Records a player's first attempt; returns false if they already had one.
    pub async fn start_entry(
        &self,
        challenge_id: i64,
        user: UserId,
        wall: WallId,
        total: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO challenge_entries (challenge_id, user_id, wall_id, total, started_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (challenge_id, user_id) DO NOTHING",
        )
        .bind(challenge_id)
        .bind(user.0)
        .bind(wall.0)
        .bind(total)
        .bind(now())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores the result of the counted attempt played on `wall`, with its missed alphagrams.
    pub async fn finish_entry(
        &self,
        wall: WallId,
        solved: i64,
        wrong: i64,
        remaining_ms: i64,
        missed: &[String],
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin().await?;
        let row = sqlx::query(
            "UPDATE challenge_entries SET solved = $1, wrong = $2, remaining_ms = $3, finished = 1 \
             WHERE wall_id = $4 AND finished = 0 RETURNING challenge_id",
        )
        .bind(solved)
        .bind(wrong)
        .bind(remaining_ms)
        .bind(wall.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let challenge_id: i64 = row.try_get(0)?;
        for alphagram in missed {
            sqlx::query(
                "INSERT INTO challenge_misses (challenge_id, alphagram, misses) VALUES ($1, $2, 1) \
                 ON CONFLICT (challenge_id, alphagram) DO UPDATE SET misses = challenge_misses.misses + 1",
            )
            .bind(challenge_id)
            .bind(alphagram.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Every counted attempt at a challenge.
    pub async fn entries(&self, challenge_id: i64) -> Result<Vec<Entry>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.user_id, u.username, e.solved, e.total, e.wrong, e.remaining_ms, e.finished \
             FROM challenge_entries e JOIN users u ON u.id = e.user_id WHERE e.challenge_id = $1",
        )
        .bind(challenge_id)
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
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, StoreError> {
        let mut missed = Vec::new();
        for kind in kinds {
            let rows = sqlx::query(
                "SELECT m.alphagram, CAST(SUM(m.misses) AS BIGINT) AS total FROM challenge_misses m JOIN challenges c ON c.id = m.challenge_id \
                 WHERE c.lexicon = $1 AND c.kind = $2 AND c.day >= $3 AND c.day <= $4 GROUP BY m.alphagram",
            )
            .bind(lexicon)
            .bind(*kind)
            .bind(from)
            .bind(to)
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
        challenge_id: i64,
        user: UserId,
        medal: &str,
        day: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO medals (challenge_id, user_id, medal, day, awarded_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (challenge_id, user_id, medal) DO NOTHING",
        )
        .bind(challenge_id)
        .bind(user.0)
        .bind(medal)
        .bind(day)
        .bind(now())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Medals won between two days (inclusive), newest first; one player's when `user` is given.
    pub async fn medals(
        &self,
        user: Option<UserId>,
        from: &str,
        to: &str,
    ) -> Result<Vec<WonMedal>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.username, m.medal, m.day, c.kind, c.lexicon FROM medals m JOIN users u ON u.id = m.user_id \
             JOIN challenges c ON c.id = m.challenge_id WHERE m.day >= $1 AND m.day <= $2 AND ($3 IS NULL OR m.user_id = $3) \
             ORDER BY m.day DESC, c.kind, u.username",
        )
        .bind(from)
        .bind(to)
        .bind(user.map(|u| u.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(WonMedal {
                    username: row.try_get("username")?,
                    medal: row.try_get("medal")?,
                    day: row.try_get("day")?,
                    kind: row.try_get("kind")?,
                    lexicon: row.try_get("lexicon")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Whether the daily job has finished a day.
    pub async fn is_processed(&self, day: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT day FROM processed_days WHERE day = $1")
            .bind(day)
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Marks a day done.
    pub async fn mark_processed(&self, day: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO processed_days (day, processed_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
            .bind(day)
            .bind(now())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The latest day the daily job has finished.
    pub async fn last_processed_day(&self) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query("SELECT MAX(day) FROM processed_days")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?)
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

    /// Records the start of a job run.
    pub async fn start_run(&self, job: &str) -> Result<i64, StoreError> {
        let row =
            sqlx::query("INSERT INTO job_runs (job, started_at) VALUES ($1, $2) RETURNING id")
                .bind(job)
                .bind(now())
                .fetch_one(&self.writer)
                .await?;
        Ok(row.try_get(0)?)
    }

    /// Records how a job run ended.
    pub async fn finish_run(&self, id: i64, ok: bool, detail: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE job_runs SET finished_at = $1, ok = $2, detail = $3 WHERE id = $4")
            .bind(now())
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

    /// Deletes walls untouched since `before` (Unix seconds) that no saved list needs, and job
    /// runs older than `runs_before`. Returns (walls, runs) deleted.
    pub async fn prune(&self, before: i64, runs_before: i64) -> Result<(u64, u64), StoreError> {
        let walls = sqlx::query("DELETE FROM walls WHERE updated_at < $1")
            .bind(before)
            .execute(&self.writer)
            .await?;
        let runs = sqlx::query("DELETE FROM job_runs WHERE started_at < $1")
            .bind(runs_before)
            .execute(&self.writer)
            .await?;
        Ok((walls.rows_affected(), runs.rows_affected()))
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

    /// Links a wall to the challenge it plays.
    pub async fn set_wall_challenge(
        &self,
        wall: WallId,
        challenge_id: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE walls SET challenge_id = $1 WHERE id = $2")
            .bind(challenge_id)
            .bind(wall.0)
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}
