//! Walls (rounds being played) and their study lists. Their contents are JSON documents
//! written and read by the study logic; the store only keeps them, with the columns queries
//! need. Every change to a wall — its round, its list, the saved list it plays and its
//! challenge entry — is one transaction ([`Store::modify_wall`]).

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{ChallengeId, ListId, Progress, Store, StoreError, UserId};

/// Identifies a wall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WallId(pub i64);

/// Who a wall belongs to: a player, or a guest known by a cookie (its SHA-256 here).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A logged-in player.
    User(UserId),
    /// A guest.
    Guest(String),
}

impl Owner {
    pub(crate) fn columns(&self) -> (Option<i64>, Option<&str>) {
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
    /// The player it belongs to (none for a guest's).
    pub user: Option<UserId>,
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
    pub challenge_id: Option<ChallengeId>,
    /// When the wall plays a counted challenge attempt: whether that entry is finished.
    pub entry_finished: Option<bool>,
    /// What it plays, in a few words (none on walls made before it was recorded).
    pub source: Option<String>,
    /// Which round of how many in the current pass (none before it was recorded).
    pub place: Option<Place>,
}

/// Which round of how many a wall is playing in the current pass over its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// The round, from 1.
    pub round: i64,
    /// Rounds in the pass.
    pub rounds: i64,
}

const WALL_COLUMNS: &str = "w.id, w.user_id, w.lexicon, w.list_id, w.settings, w.round, w.deadline, w.challenge_id, e.finished AS entry_finished, \
     w.source, w.round_number, w.rounds";
const WALL_FROM: &str = "walls w LEFT JOIN challenge_entries e ON e.wall_id = w.id";

fn wall(row: &AnyRow) -> Result<StoredWall, sqlx::Error> {
    Ok(StoredWall {
        id: WallId(row.try_get("id")?),
        user: row.try_get::<Option<i64>, _>("user_id")?.map(UserId),
        lexicon: row.try_get("lexicon")?,
        list_id: row.try_get::<Option<i64>, _>("list_id")?.map(ListId),
        settings: row.try_get("settings")?,
        round: row.try_get("round")?,
        deadline: row.try_get("deadline")?,
        challenge_id: row
            .try_get::<Option<i64>, _>("challenge_id")?
            .map(ChallengeId),
        entry_finished: row
            .try_get::<Option<i64>, _>("entry_finished")?
            .map(|f| f != 0),
        source: row.try_get("source")?,
        place: match (
            row.try_get::<Option<i64>, _>("round_number")?,
            row.try_get::<Option<i64>, _>("rounds")?,
        ) {
            (Some(round), Some(rounds)) => Some(Place { round, rounds }),
            _ => None,
        },
    })
}

/// `WHERE` clause matching a wall's owner; binds `$2` and `$3` (both NULL: any owner).
const OWNED: &str = "((w.user_id = $2 AND $2 IS NOT NULL) OR (w.guest_key = $3 AND $3 IS NOT NULL) OR ($2 IS NULL AND $3 IS NULL))";

fn owner_columns(owner: Option<&Owner>) -> (Option<i64>, Option<String>) {
    match owner {
        Some(owner) => {
            let (user, guest) = owner.columns();
            (user, guest.map(str::to_owned))
        }
        None => (None, None),
    }
}

/// A wall to store, with its first round.
#[derive(Clone, Debug)]
pub struct NewWall {
    /// Whose it is.
    pub owner: Owner,
    /// The lexicon of its questions.
    pub lexicon: String,
    /// The saved list it plays (it must be the owner's); the lexicon is then the list's.
    pub list_id: Option<ListId>,
    /// Round settings document.
    pub settings: String,
    /// The wall's own study list document.
    pub list: String,
    /// The first round's document.
    pub round: String,
    /// When the first round's clock runs out (Unix milliseconds).
    pub deadline: i64,
    /// The challenge it plays, if any.
    pub attempt: Option<Attempt>,
    /// What it plays, in a few words for its page.
    pub source: Option<String>,
    /// Which round of how many its first round is.
    pub place: Option<Place>,
}

/// A wall that plays a challenge.
#[derive(Clone, Copy, Debug)]
pub struct Attempt {
    /// The challenge.
    pub challenge: ChallengeId,
    /// The player and the number of answers, when the attempt may count for the
    /// leaderboard: it does if it is the player's first.
    pub entry: Option<(UserId, i64)>,
}

/// A wall's round to store in place of the one read.
#[derive(Clone, Debug)]
pub struct RoundUpdate {
    /// The round document.
    pub round: String,
    /// Its deadline (Unix milliseconds).
    pub deadline: i64,
    /// Whether it is still running.
    pub running: bool,
}

/// A wall's study list to store (and copy to the saved list the wall plays).
#[derive(Clone, Debug)]
pub struct ListUpdate {
    /// The list document.
    pub list: String,
    /// Its progress counts.
    pub progress: Progress,
    /// Which round of how many the wall now plays.
    pub place: Option<Place>,
}

/// The result of a counted challenge attempt so far.
#[derive(Clone, Debug, Default)]
pub struct EntryUpdate {
    /// Answers found.
    pub solved: i64,
    /// Wrong guesses.
    pub wrong: i64,
    /// Milliseconds left when it ended.
    pub remaining_ms: i64,
    /// Whether the round has ended: the result is final, and `missed` is counted.
    pub finished: bool,
    /// The alphagrams missed, for the weekly toughies.
    pub missed: Vec<String>,
}

/// Everything one action changes on a wall.
#[derive(Clone, Debug, Default)]
pub struct WallChange {
    /// A new round state.
    pub round: Option<RoundUpdate>,
    /// A new study list.
    pub list: Option<ListUpdate>,
    /// A new result of the wall's counted attempt (ignored when it has none, or it is
    /// already finished).
    pub entry: Option<EntryUpdate>,
}

/// What a change decided, given the wall.
#[derive(Debug)]
pub enum Decision<T> {
    /// It needs the wall's study list to decide: ask again with it.
    NeedList,
    /// Store this and answer that.
    Done(WallChange, T),
}

/// How [`Store::modify_wall`]'s attempt without a transaction ended.
enum Unlocked<T> {
    /// Stored (or nothing to store): the answer.
    Done(T),
    /// The change asked for the study list of the wall as read here.
    NeedList(StoredWall),
    /// Take the row lock and decide again.
    Lock,
}

impl Store {
    /// Stores a new wall with its first round, and, for a challenge, the player's entry (if
    /// this is their first attempt), in one transaction. Returns the wall and whether the
    /// attempt counts for the leaderboard.
    pub async fn create_wall(&self, new: NewWall, now: i64) -> Result<(WallId, bool), StoreError> {
        self.unit(move |conn| {
            Box::pin(async move {
                let (user, guest) = new.owner.columns();
                let challenge = new.attempt.map(|a| a.challenge.0);
                let (round_number, rounds) = new.place.map_or((None, None), |p| (Some(p.round), Some(p.rounds)));
                let row = if let Some(list) = new.list_id {
                    sqlx::query(
                        "INSERT INTO walls (user_id, guest_key, lexicon, list_id, settings, list, round, deadline, running, updated_at, challenge_id, source, round_number, rounds) \
                         SELECT $1, NULL, lexicon, id, $2, $3, $4, $5, 1, $6, $7, $9, $10, $11 FROM lists WHERE id = $8 AND user_id = $1 RETURNING id",
                    )
                    .bind(user)
                    .bind(new.settings.as_str())
                    .bind(new.list.as_str())
                    .bind(new.round.as_str())
                    .bind(new.deadline)
                    .bind(now)
                    .bind(challenge)
                    .bind(list.0)
                    .bind(new.source.as_deref())
                    .bind(round_number)
                    .bind(rounds)
                    .fetch_one(&mut *conn)
                    .await?
                } else {
                    sqlx::query(
                        "INSERT INTO walls (user_id, guest_key, lexicon, settings, list, round, deadline, running, updated_at, challenge_id, source, round_number, rounds) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11, $12) RETURNING id",
                    )
                    .bind(user)
                    .bind(guest)
                    .bind(new.lexicon.as_str())
                    .bind(new.settings.as_str())
                    .bind(new.list.as_str())
                    .bind(new.round.as_str())
                    .bind(new.deadline)
                    .bind(now)
                    .bind(challenge)
                    .bind(new.source.as_deref())
                    .bind(round_number)
                    .bind(rounds)
                    .fetch_optional(&mut *conn)
                    .await?
                    // An insert that returns no row stored nothing: not "no such wall".
                    .ok_or_else(|| StoreError::Other("the new wall was not stored".into()))?
                };
                let id: i64 = row.try_get(0)?;
                // The list keeps what was dealt, so a round ended in another tab finishes
                // against it rather than against a copy that has not seen this deal.
                if let Some(list) = new.list_id {
                    sqlx::query("UPDATE lists SET body = $1 WHERE id = $2 AND user_id = $3")
                        .bind(new.list.as_str())
                        .bind(list.0)
                        .bind(user)
                        .execute(&mut *conn)
                        .await?;
                }
                let mut counts = false;
                if let Some(Attempt {
                    challenge,
                    entry: Some((player, total)),
                }) = new.attempt
                {
                    let done = sqlx::query(
                        "INSERT INTO challenge_entries (challenge_id, user_id, wall_id, total, started_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (challenge_id, user_id) DO NOTHING",
                    )
                    .bind(challenge.0)
                    .bind(player.0)
                    .bind(id)
                    .bind(total)
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                    counts = done.rows_affected() == 1;
                }
                Ok((WallId(id), counts))
            })
        })
        .await
    }

    /// A wall, if it belongs to `owner` (anyone else's is [`StoreError::NotFound`]).
    pub async fn wall(&self, id: WallId, owner: &Owner) -> Result<StoredWall, StoreError> {
        let (user, guest) = owner.columns();
        let row = sqlx::query(&format!(
            "SELECT {WALL_COLUMNS} FROM {WALL_FROM} WHERE w.id = $1 AND {OWNED}"
        ))
        .bind(id.0)
        .bind(user)
        .bind(guest)
        .fetch_one(&self.pool)
        .await?;
        Ok(wall(&row)?)
    }

    /// The one way to change a wall: reads it (row-locked on PostgreSQL; SQLite has a single
    /// writer) if it belongs to `owner` (`None`: the server's own jobs), lets `change`
    /// decide, and stores everything it decided — round, study list, the saved list the
    /// wall plays, the challenge entry and its misses — in one transaction, stamped `now`
    /// (Unix seconds). `change` is asked first without the study list (which can be large);
    /// if it answers [`Decision::NeedList`], again with it.
    ///
    /// This process's changes to one wall wait their turn in a queue of its own, holding no
    /// connection. On PostgreSQL a change to the round alone is first tried without a
    /// transaction (see `modify_wall_unlocked`); when another replica changed the round in
    /// between, `change` is asked again under the row lock, so it must be pure.
    pub async fn modify_wall<T, E, F>(
        &self,
        id: WallId,
        owner: Option<&Owner>,
        now: i64,
        change: F,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: Fn(&StoredWall, Option<&str>) -> Result<Decision<T>, E> + Send + 'static,
    {
        let (user, guest) = owner_columns(owner);
        // This process's changes to one wall take turns here, holding no connection.
        let _turn = self.wall_queues.turn(id.0).await;
        // The wall as the unlocked attempt saw it, when it was told the list is needed: read
        // the same under the lock, it needs no second asking.
        let mut needs_list = None;
        if self.backend == crate::Backend::Postgres {
            match self
                .modify_wall_unlocked(id, user, guest.as_deref(), now, &change)
                .await?
            {
                Unlocked::Done(result) => return Ok(result),
                Unlocked::NeedList(seen) => needs_list = Some(seen),
                Unlocked::Lock => {}
            }
        }
        let lock = match self.backend {
            crate::Backend::Sqlite => "",
            crate::Backend::Postgres => " FOR UPDATE OF w",
        };
        self.unit(move |conn| {
            Box::pin(async move {
                let stored = owned_wall(conn, id, user, guest.as_deref(), lock).await?;
                let first = if needs_list.as_ref() == Some(&stored) {
                    Decision::NeedList
                } else {
                    change(&stored, None)?
                };
                let (update, result) = match first {
                    Decision::Done(update, result) => (update, result),
                    Decision::NeedList => {
                        // A saved list is read from the list itself, locked: the wall's copy
                        // is stale once another wall of the list has played a round.
                        let saved = match stored.list_id {
                            Some(list) => sqlx::query(&format!(
                                "SELECT body FROM lists WHERE id = $1{}",
                                if lock.is_empty() { "" } else { " FOR UPDATE" }
                            ))
                            .bind(list.0)
                            .fetch_optional(&mut *conn)
                            .await
                            .map_err(StoreError::from)?,
                            None => None,
                        };
                        let row = match saved {
                            Some(row) => row,
                            None => sqlx::query("SELECT list FROM walls WHERE id = $1")
                                .bind(id.0)
                                .fetch_one(&mut *conn)
                                .await
                                .map_err(StoreError::from)?,
                        };
                        let list: String = row.try_get(0).map_err(StoreError::from)?;
                        match change(&stored, Some(&list))? {
                            Decision::Done(update, result) => (update, result),
                            Decision::NeedList => {
                                return Err(StoreError::Other(
                                    "a wall change asked for the list twice".into(),
                                )
                                .into());
                            }
                        }
                    }
                };
                apply(conn, &stored, update, now)
                    .await
                    .map_err(StoreError::from)?;
                Ok(result)
            })
        })
        .await
    }

    /// [`Store::modify_wall`] without a transaction, on PostgreSQL, for a change to the
    /// wall's round alone (a guess, mostly): one read, then one `UPDATE` that applies only if
    /// the round is still the one read, both on one connection — two round trips instead of
    /// `BEGIN`, `SELECT ... FOR UPDATE`, `UPDATE` and `COMMIT`. Otherwise (the change needs
    /// more, or another replica changed the round in between) the caller takes the row lock
    /// and decides again.
    async fn modify_wall_unlocked<T, E, F>(
        &self,
        id: WallId,
        user: Option<i64>,
        guest: Option<&str>,
        now: i64,
        change: &F,
    ) -> Result<Unlocked<T>, E>
    where
        E: From<StoreError>,
        F: Fn(&StoredWall, Option<&str>) -> Result<Decision<T>, E>,
    {
        let mut conn = self.pool.acquire().await.map_err(StoreError::from)?;
        let stored = owned_wall(&mut conn, id, user, guest, "").await?;
        let (update, result) = match change(&stored, None)? {
            Decision::Done(update, result)
                if update.list.is_none()
                    && (update.entry.is_none() || stored.entry_finished != Some(false)) =>
            {
                (update, result)
            }
            Decision::Done(..) => return Ok(Unlocked::Lock),
            Decision::NeedList => return Ok(Unlocked::NeedList(stored)),
        };
        let Some(round) = update.round else {
            return Ok(Unlocked::Done(result)); // Nothing changed (a word found before).
        };
        let done = sqlx::query(
            "UPDATE walls SET round = $1, deadline = $2, running = $3, updated_at = $4 WHERE id = $5 AND round = $6",
        )
        .bind(round.round)
        .bind(round.deadline)
        .bind(i64::from(round.running))
        .bind(now)
        .bind(id.0)
        .bind(stored.round.as_str())
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from)?;
        Ok(if done.rows_affected() == 1 {
            Unlocked::Done(result)
        } else {
            Unlocked::Lock
        })
    }

    /// Running walls whose clock ran out before `now_ms`, at most `limit` of them, for the
    /// server to end.
    pub async fn expired_walls(&self, now_ms: i64, limit: i64) -> Result<Vec<WallId>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM walls WHERE running = 1 AND deadline <= $1 ORDER BY deadline LIMIT $2",
        )
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(WallId(row.try_get(0)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// A wall's own copy of its study list, if the wall is `owner`'s.
    pub async fn wall_list(&self, id: WallId, owner: &Owner) -> Result<String, StoreError> {
        let (user, guest) = owner.columns();
        let row = sqlx::query(&format!(
            "SELECT w.list FROM walls w WHERE w.id = $1 AND {OWNED}"
        ))
        .bind(id.0)
        .bind(user)
        .bind(guest)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Records that a server is alive at `now_ms`; returns the previous heartbeat, if any.
    pub async fn heartbeat(&self, now_ms: i64) -> Result<Option<i64>, StoreError> {
        self.unit(move |conn| {
            Box::pin(async move {
                let previous = sqlx::query("SELECT at FROM heartbeat WHERE id = 1")
                    .fetch_optional(&mut *conn)
                    .await?;
                let previous: Option<i64> = previous.map(|row| row.try_get(0)).transpose()?;
                sqlx::query(
                    "INSERT INTO heartbeat (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = $1",
                )
                .bind(now_ms)
                .execute(&mut *conn)
                .await?;
                Ok(previous)
            })
        })
        .await
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

/// Stores what a wall change decided, inside its transaction.
async fn apply(
    conn: &mut sqlx::AnyConnection,
    stored: &StoredWall,
    change: WallChange,
    now: i64,
) -> Result<(), sqlx::Error> {
    let id = stored.id.0;
    if let Some(update) = change.round {
        sqlx::query("UPDATE walls SET round = $1, deadline = $2, running = $3, updated_at = $4 WHERE id = $5")
            .bind(update.round)
            .bind(update.deadline)
            .bind(i64::from(update.running))
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    if let Some(update) = change.list {
        let (round_number, rounds) = update
            .place
            .map_or((None, None), |p| (Some(p.round), Some(p.rounds)));
        sqlx::query("UPDATE walls SET list = $1, updated_at = $2, round_number = COALESCE($3, round_number), rounds = COALESCE($4, rounds) WHERE id = $5")
            .bind(update.list.as_str())
            .bind(now)
            .bind(round_number)
            .bind(rounds)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        if let Some(list) = stored.list_id {
            let p = update.progress;
            sqlx::query("UPDATE lists SET body = $1, seen = $2, missed = $3, first_missed = $4, played_at = $5 WHERE id = $6")
                .bind(update.list.as_str())
                .bind(p.seen)
                .bind(p.missed)
                .bind(p.first_missed)
                .bind(now)
                .bind(list.0)
                .execute(&mut *conn)
                .await?;
        }
    }
    if let (Some(entry), Some(false)) = (change.entry, stored.entry_finished) {
        let row = sqlx::query(
            "UPDATE challenge_entries SET solved = $1, wrong = $2, remaining_ms = $3, finished = $4 \
             WHERE wall_id = $5 AND finished = 0 RETURNING challenge_id",
        )
        .bind(entry.solved)
        .bind(entry.wrong)
        .bind(entry.remaining_ms)
        .bind(i64::from(entry.finished))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if let (Some(row), true) = (row, entry.finished) {
            let challenge: i64 = row.try_get(0)?;
            for alphagram in &entry.missed {
                sqlx::query(
                    "INSERT INTO challenge_misses (challenge_id, alphagram, misses) VALUES ($1, $2, 1) \
                     ON CONFLICT (challenge_id, alphagram) DO UPDATE SET misses = challenge_misses.misses + 1",
                )
                .bind(challenge)
                .bind(alphagram.as_str())
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok(())
}

/// The owner's wall `id`, read on `conn`; `lock` is added to the query (a row lock, or "").
async fn owned_wall(
    conn: &mut sqlx::AnyConnection,
    id: WallId,
    user: Option<i64>,
    guest: Option<&str>,
    lock: &str,
) -> Result<StoredWall, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {WALL_COLUMNS} FROM {WALL_FROM} WHERE w.id = $1 AND {OWNED}{lock}"
    ))
    .bind(id.0)
    .bind(user)
    .bind(guest)
    .fetch_one(&mut *conn)
    .await?;
    Ok(wall(&row)?)
}
