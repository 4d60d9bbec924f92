//! Deleting what nobody needs any more: idle walls (guests' soon), challenge draws nobody
//! played, old job records. Each pass deletes a bounded number of rows, so it never holds
//! the writer for long.

use chrono::NaiveDate;

use crate::challenges::day_text;
use crate::{Store, StoreError};

impl Store {
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

    /// Deletes up to `limit` guests' walls untouched since `before` (Unix seconds).
    pub async fn prune_guest_walls(&self, before: i64, limit: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "DELETE FROM walls WHERE id IN \
             (SELECT id FROM walls WHERE guest_key IS NOT NULL AND updated_at < $1 LIMIT $2)",
        )
        .bind(before)
        .bind(limit)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    /// Deletes up to `limit` challenge draws of days before `day`, made before `before`
    /// (Unix seconds), that have no counted entry and no wall playing them: a practice
    /// visit to an old day draws it again, the same, when asked.
    pub async fn prune_draws(
        &self,
        day: NaiveDate,
        before: i64,
        limit: i64,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "DELETE FROM challenges WHERE id IN \
             (SELECT c.id FROM challenges c WHERE c.day < $1 AND c.created_at < $2 \
              AND NOT EXISTS (SELECT 1 FROM challenge_entries e WHERE e.challenge_id = c.id) \
              AND NOT EXISTS (SELECT 1 FROM walls w WHERE w.challenge_id = c.id) LIMIT $3)",
        )
        .bind(day_text(day))
        .bind(before)
        .bind(limit)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }
}
