//! Saved study lists: a wall's list saved under a name within the player's quota, and the
//! player's lists with their progress counts, renamed and deleted.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, UserId, WallId};

/// Identifies a saved list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListId(pub i64);

/// Progress of a saved list, for the lists page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListSummary {
    /// Its id.
    pub id: ListId,
    /// Lexicon.
    pub lexicon: String,
    /// Name, unique per player and lexicon.
    pub name: String,
    /// Alphagrams in it.
    pub size: i64,
    /// Dealt at least once.
    pub seen: i64,
    /// Missed now.
    pub missed: i64,
    /// Missed in the first pass.
    pub first_missed: i64,
    /// Last played (Unix seconds).
    pub played_at: i64,
}

/// Progress counts to store with a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Alphagrams in the list.
    pub size: i64,
    /// Dealt at least once.
    pub seen: i64,
    /// Missed now.
    pub missed: i64,
    /// Missed in the first pass.
    pub first_missed: i64,
}

/// What can go wrong saving a list beyond the usual.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The player would hold more alphagrams than allowed.
    #[error("saving {adding} more alphagrams would make {total}, over the limit of {limit}")]
    Quota {
        /// Alphagrams being added.
        adding: i64,
        /// What the total would be.
        total: i64,
        /// The limit.
        limit: i64,
    },
    /// A store error (a taken name is a conflict).
    #[error(transparent)]
    Store(#[from] StoreError),
}

const LIST_COLUMNS: &str = "id, lexicon, name, size, seen, missed, first_missed, played_at";

fn summary(row: &AnyRow) -> Result<ListSummary, sqlx::Error> {
    Ok(ListSummary {
        id: ListId(row.try_get("id")?),
        lexicon: row.try_get("lexicon")?,
        name: row.try_get("name")?,
        size: row.try_get("size")?,
        seen: row.try_get("seen")?,
        missed: row.try_get("missed")?,
        first_missed: row.try_get("first_missed")?,
        played_at: row.try_get("played_at")?,
    })
}

impl Store {
    /// Saves a wall's list under a name (unique per player and lexicon), within the quota of
    /// `limit` alphagrams per player, and links the wall to it — one transaction, the quota
    /// checked under a lock on the player, so parallel saves cannot pass it together.
    /// `progress` reads the list's counts from its document.
    pub async fn save_wall_list<F>(
        &self,
        wall: WallId,
        user: UserId,
        name: &str,
        limit: i64,
        now: i64,
        progress: F,
    ) -> Result<ListId, SaveError>
    where
        F: FnOnce(&str) -> Result<Progress, StoreError> + Send + 'static,
    {
        let name = name.to_owned();
        let lock = match self.backend {
            crate::Backend::Sqlite => "",
            crate::Backend::Postgres => " FOR UPDATE",
        };
        self.unit(move |conn| {
            Box::pin(async move {
                sqlx::query(&format!("SELECT id FROM users WHERE id = $1{lock}"))
                    .bind(user.0)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(StoreError::from)?;
                let row = sqlx::query(&format!(
                    "SELECT list FROM walls WHERE id = $1 AND user_id = $2{lock}"
                ))
                .bind(wall.0)
                .bind(user.0)
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::from)?;
                let body: String = row.try_get(0).map_err(StoreError::from)?;
                let progress = progress(&body)?;
                let held: i64 = sqlx::query(
                    "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM lists WHERE user_id = $1",
                )
                .bind(user.0)
                .fetch_one(&mut *conn)
                .await
                .and_then(|row| row.try_get(0))
                .map_err(StoreError::from)?;
                if held + progress.size > limit {
                    return Err(SaveError::Quota {
                        adding: progress.size,
                        total: held + progress.size,
                        limit,
                    });
                }
                let row = sqlx::query(
                    "INSERT INTO lists (user_id, lexicon, name, size, seen, missed, first_missed, body, created_at, played_at) \
                     SELECT $1, lexicon, $2, $3, $4, $5, $6, list, $7, $7 FROM walls WHERE id = $8 AND user_id = $1 RETURNING id",
                )
                .bind(user.0)
                .bind(name.as_str())
                .bind(progress.size)
                .bind(progress.seen)
                .bind(progress.missed)
                .bind(progress.first_missed)
                .bind(now)
                .bind(wall.0)
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::from)?;
                let id: i64 = row.try_get(0).map_err(StoreError::from)?;
                sqlx::query("UPDATE walls SET list_id = $1 WHERE id = $2")
                    .bind(id)
                    .bind(wall.0)
                    .execute(&mut *conn)
                    .await
                    .map_err(StoreError::from)?;
                Ok(ListId(id))
            })
        })
        .await
    }

    /// A player's saved lists, most recently played first.
    pub async fn lists(&self, user: UserId) -> Result<Vec<ListSummary>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LIST_COLUMNS} FROM lists WHERE user_id = $1 ORDER BY played_at DESC, id DESC"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
    }

    /// A saved list's summary and body, if it is the player's.
    pub async fn list(
        &self,
        id: ListId,
        user: UserId,
    ) -> Result<(ListSummary, String), StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {LIST_COLUMNS}, body FROM lists WHERE id = $1 AND user_id = $2"
        ))
        .bind(id.0)
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        Ok((summary(&row)?, row.try_get("body")?))
    }

    /// Renames a saved list.
    pub async fn rename_list(
        &self,
        id: ListId,
        user: UserId,
        name: &str,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE lists SET name = $1 WHERE id = $2 AND user_id = $3")
            .bind(name)
            .bind(id.0)
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Deletes a saved list.
    pub async fn delete_list(&self, id: ListId, user: UserId) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM lists WHERE id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }
}
