//! Walls (rounds being played) and saved study lists. Their contents are JSON written and
//! read by the study logic; the store only keeps them, with the columns queries need.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, UserId, now};

/// Identifies a wall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WallId(pub i64);

/// Identifies a saved list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListId(pub i64);

/// Who a wall belongs to: a player, or a guest known by a cookie (its SHA-256 here).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A logged-in player.
    User(UserId),
    /// A guest.
    Guest(String),
}

impl Owner {
    fn columns(&self) -> (Option<i64>, Option<&str>) {
        match self {
            Owner::User(id) => (Some(id.0), None),
            Owner::Guest(key) => (None, Some(key.as_str())),
        }
    }
}

/// A wall as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredWall {
    /// Its id.
    pub id: WallId,
    /// The lexicon its questions come from.
    pub lexicon: String,
    /// The saved list it plays, if any.
    pub list_id: Option<ListId>,
    /// Round settings, JSON.
    pub settings: String,
    /// The current round, JSON.
    pub round: String,
    /// When the round's clock runs out (Unix milliseconds); authoritative over the JSON.
    pub deadline: i64,
    /// The challenge the wall plays, if any.
    pub challenge_id: Option<i64>,
}

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

const WALL_COLUMNS: &str = "id, lexicon, list_id, settings, round, deadline, challenge_id";
const LIST_COLUMNS: &str = "id, lexicon, name, size, seen, missed, first_missed, played_at";

fn wall(row: &AnyRow) -> Result<StoredWall, sqlx::Error> {
    Ok(StoredWall {
        id: WallId(row.try_get("id")?),
        lexicon: row.try_get("lexicon")?,
        list_id: row.try_get::<Option<i64>, _>("list_id")?.map(ListId),
        settings: row.try_get("settings")?,
        round: row.try_get("round")?,
        deadline: row.try_get("deadline")?,
        challenge_id: row.try_get("challenge_id")?,
    })
}

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

/// `WHERE` clause matching a wall's owner; binds `$2` and `$3`.
const OWNED: &str = "((user_id = $2 AND $2 IS NOT NULL) OR (guest_key = $3 AND $3 IS NOT NULL))";

impl Store {
    /// Stores a new wall; returns its id.
    pub async fn create_wall(
        &self,
        owner: &Owner,
        lexicon: &str,
        settings: &str,
        list: &str,
        round: &str,
        deadline: i64,
    ) -> Result<WallId, StoreError> {
        let (user, guest) = owner.columns();
        let row = sqlx::query(
            "INSERT INTO walls (user_id, guest_key, lexicon, settings, list, round, deadline, running, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING id",
        )
        .bind(user)
        .bind(guest)
        .bind(lexicon)
        .bind(settings)
        .bind(list)
        .bind(round)
        .bind(deadline)
        .bind(now())
        .fetch_one(&self.writer)
        .await?;
        Ok(WallId(row.try_get(0)?))
    }

    /// A wall, if it belongs to `owner` (anyone else's is [`StoreError::NotFound`]).
    pub async fn wall(&self, id: WallId, owner: &Owner) -> Result<StoredWall, StoreError> {
        let (user, guest) = owner.columns();
        let row = sqlx::query(&format!(
            "SELECT {WALL_COLUMNS} FROM walls WHERE id = $1 AND {OWNED}"
        ))
        .bind(id.0)
        .bind(user)
        .bind(guest)
        .fetch_one(&self.pool)
        .await?;
        Ok(wall(&row)?)
    }

    /// Stores a wall's round.
    pub async fn update_round(
        &self,
        id: WallId,
        round: &str,
        deadline: i64,
        running: bool,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE walls SET round = $1, deadline = $2, running = $3, updated_at = $4 WHERE id = $5")
            .bind(round)
            .bind(deadline)
            .bind(i64::from(running))
            .bind(now())
            .bind(id.0)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// A wall's own copy of its study list.
    pub async fn wall_list(&self, id: WallId) -> Result<String, StoreError> {
        let row = sqlx::query("SELECT list FROM walls WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Stores a wall's study list, and copies it to the saved list the wall plays, if any.
    pub async fn update_wall_list(
        &self,
        id: WallId,
        list: &str,
        progress: Progress,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let row = sqlx::query(
            "UPDATE walls SET list = $1, updated_at = $2 WHERE id = $3 RETURNING list_id",
        )
        .bind(list)
        .bind(now())
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(list_id) = row.try_get::<Option<i64>, _>(0)? {
            sqlx::query("UPDATE lists SET body = $1, seen = $2, missed = $3, first_missed = $4, played_at = $5 WHERE id = $6")
                .bind(list)
                .bind(progress.seen)
                .bind(progress.missed)
                .bind(progress.first_missed)
                .bind(now())
                .bind(list_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Saves a wall's list under a name (unique per player and lexicon), within the quota of
    /// `limit` alphagrams per player, and links the wall to it.
    pub async fn save_wall_list(
        &self,
        wall: WallId,
        user: UserId,
        name: &str,
        progress: Progress,
        limit: i64,
    ) -> Result<ListId, SaveError> {
        let mut tx = self.writer.begin().await.map_err(StoreError::from)?;
        let held: i64 = sqlx::query(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM lists WHERE user_id = $1",
        )
        .bind(user.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from)?
        .try_get(0)
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
        .bind(name)
        .bind(progress.size)
        .bind(progress.seen)
        .bind(progress.missed)
        .bind(progress.first_missed)
        .bind(now())
        .bind(wall.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let id: i64 = row.try_get(0).map_err(StoreError::from)?;
        sqlx::query("UPDATE walls SET list_id = $1 WHERE id = $2")
            .bind(id)
            .bind(wall.0)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(ListId(id))
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

    /// Starts a wall on a saved list (the wall works on a copy, saved back after each round).
    pub async fn create_list_wall(
        &self,
        list: ListId,
        user: UserId,
        settings: &str,
        body: &str,
        round: &str,
        deadline: i64,
    ) -> Result<WallId, StoreError> {
        let row = sqlx::query(
            "INSERT INTO walls (user_id, lexicon, list_id, settings, list, round, deadline, running, updated_at) \
             SELECT $1, lexicon, id, $2, $3, $4, $5, 1, $6 FROM lists WHERE id = $7 AND user_id = $1 RETURNING id",
        )
        .bind(user.0)
        .bind(settings)
        .bind(body)
        .bind(round)
        .bind(deadline)
        .bind(now())
        .bind(list.0)
        .fetch_one(&self.writer)
        .await?;
        Ok(WallId(row.try_get(0)?))
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

    /// Records that a server is alive now; returns the previous heartbeat (Unix ms), if any.
    pub async fn heartbeat(&self, now_ms: i64) -> Result<Option<i64>, StoreError> {
        let previous = sqlx::query("SELECT at FROM heartbeat WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        let previous: Option<i64> = previous.map(|row| row.try_get(0)).transpose()?;
        sqlx::query(
            "INSERT INTO heartbeat (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = $1",
        )
        .bind(now_ms)
        .execute(&self.writer)
        .await?;
        Ok(previous)
    }

    /// Moves the deadline of every running round on by `ms` (time no server was up).
    pub async fn extend_running_walls(&self, ms: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("UPDATE walls SET deadline = deadline + $1 WHERE running = 1")
            .bind(ms)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }
}

/// A round to store in place of the one read.
#[derive(Clone, Debug)]
pub struct RoundUpdate {
    /// The round, JSON.
    pub round: String,
    /// Its deadline (Unix milliseconds).
    pub deadline: i64,
    /// Whether it is still running.
    pub running: bool,
}

impl Store {
    /// Reads a wall of `owner`, lets `change` decide, and stores the round it returns — all
    /// in one write transaction, so two guesses at the same moment cannot lose one another.
    pub async fn modify_wall<T, E: From<StoreError>>(
        &self,
        id: WallId,
        owner: &Owner,
        change: impl FnOnce(StoredWall) -> Result<(Option<RoundUpdate>, T), E>,
    ) -> Result<T, E> {
        let (user, guest) = owner.columns();
        let lock = match self.backend {
            crate::Backend::Sqlite => "",
            crate::Backend::Postgres => " FOR UPDATE",
        };
        let mut tx = self.writer.begin().await.map_err(StoreError::from)?;
        let row = sqlx::query(&format!(
            "SELECT {WALL_COLUMNS} FROM walls WHERE id = $1 AND {OWNED}{lock}"
        ))
        .bind(id.0)
        .bind(user)
        .bind(guest)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let stored = wall(&row).map_err(StoreError::from)?;
        let (update, result) = change(stored)?;
        if let Some(update) = update {
            sqlx::query("UPDATE walls SET round = $1, deadline = $2, running = $3, updated_at = $4 WHERE id = $5")
                .bind(update.round)
                .bind(update.deadline)
                .bind(i64::from(update.running))
                .bind(now())
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(result)
    }
}
