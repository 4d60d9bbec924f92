//! Multiplayer tables. A table's players, round and chat are one JSON document written by
//! the study logic, with its study list beside it (read only when a round is dealt or
//! ended); every change is one transaction ([`Store::modify_table`]), so that however many
//! connections — or replicas — race on one table, each word is awarded once and every
//! change gets the next number of the table's sequence.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Owner, Store, StoreError};

/// Identifies a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub i64);

/// A new table.
#[derive(Clone, Debug)]
pub struct NewTable {
    /// Who makes it.
    pub owner: Owner,
    /// Its lexicon.
    pub lexicon: String,
    /// What it plays, in a few words.
    pub name: String,
    /// Listed in the lobby.
    pub public: bool,
    /// Round settings, JSON.
    pub settings: String,
    /// The study list, JSON.
    pub list: String,
    /// The table, JSON.
    pub document: String,
}

/// How many open tables there may be: in all, and made by one player or guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableLimits {
    /// Open tables in all.
    pub open: i64,
    /// Open tables one player or guest made.
    pub per_owner: i64,
}

/// Why a table was not made.
#[derive(Debug, thiserror::Error)]
pub enum TableCreateError {
    /// Too many open tables.
    #[error("{0}")]
    Limit(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A table as stored (without its study list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTable {
    /// Its id.
    pub id: TableId,
    /// Its lexicon.
    pub lexicon: String,
    /// What it plays.
    pub name: String,
    /// Listed in the lobby.
    pub public: bool,
    /// Round settings, JSON.
    pub settings: String,
    /// The table, JSON.
    pub document: String,
    /// Its last event's number.
    pub seq: i64,
    /// Closed (no longer played).
    pub closed: bool,
}

/// A table in the lobby.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LobbyTable {
    /// Its id.
    pub id: TableId,
    /// Its lexicon.
    pub lexicon: String,
    /// What it plays.
    pub name: String,
    /// Round settings, JSON.
    pub settings: String,
    /// Players seated.
    pub players: i64,
    /// `waiting`, `countdown`, `playing` or `over`.
    pub phase: String,
}

/// What a change stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableUpdate {
    /// The table, JSON.
    pub document: String,
    /// The study list, when it changed.
    pub list: Option<String>,
    /// Players seated.
    pub players: i64,
    /// Where it is.
    pub phase: &'static str,
    /// Its last event's number.
    pub seq: i64,
}

/// What a change of a table decided.
#[derive(Debug)]
pub enum TableDecision<T> {
    /// Store this (`None`: nothing changed) and answer `T`.
    Done(Option<TableUpdate>, T),
    /// Ask again with the study list.
    NeedList,
}

const COLUMNS: &str = "id, lexicon, name, public, settings, document, seq, closed_at";

fn stored(row: &AnyRow) -> Result<StoredTable, sqlx::Error> {
    Ok(StoredTable {
        id: TableId(row.try_get(0)?),
        lexicon: row.try_get(1)?,
        name: row.try_get(2)?,
        public: row.try_get::<i64, _>(3)? != 0,
        settings: row.try_get(4)?,
        document: row.try_get(5)?,
        seq: row.try_get(6)?,
        closed: row.try_get::<Option<i64>, _>(7)?.is_some(),
    })
}

impl Store {
    /// Stores a new table, unless there are already `limits` open ones (checked in the same
    /// transaction). `now` is in Unix milliseconds.
    pub async fn create_table(
        &self,
        new: NewTable,
        limits: TableLimits,
        now: i64,
    ) -> Result<TableId, TableCreateError> {
        self.unit(move |conn| {
            Box::pin(async move {
                let (user, guest) = new.owner.columns();
                let row = sqlx::query(
                    "SELECT COUNT(*), (SELECT COUNT(*) FROM tables WHERE closed_at IS NULL AND (user_id = $1 OR guest_key = $2)) \
                     FROM tables WHERE closed_at IS NULL",
                )
                .bind(user)
                .bind(guest)
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::from)?;
                let (open, mine): (i64, i64) = (
                    row.try_get(0).map_err(StoreError::from)?,
                    row.try_get(1).map_err(StoreError::from)?,
                );
                if mine >= limits.per_owner {
                    return Err(TableCreateError::Limit(format!(
                        "you have {mine} open tables, the most one player may have; \
                         close one (leave it) or wait until it closes"
                    )));
                }
                if open >= limits.open {
                    return Err(TableCreateError::Limit(format!(
                        "the server has {open} open tables, as many as it allows; join one"
                    )));
                }
                let row = sqlx::query(
                    "INSERT INTO tables (lexicon, name, public, user_id, guest_key, settings, list, document, players, phase, seq, created_at, active_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 'waiting', 0, $9, $9) RETURNING id",
                )
                .bind(new.lexicon.as_str())
                .bind(new.name.as_str())
                .bind(i64::from(new.public))
                .bind(user)
                .bind(guest)
                .bind(new.settings.as_str())
                .bind(new.list.as_str())
                .bind(new.document.as_str())
                .bind(now)
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::from)?;
                Ok(TableId(row.try_get(0).map_err(StoreError::from)?))
            })
        })
        .await
    }

    /// A table, open or closed.
    pub async fn table(&self, id: TableId) -> Result<StoredTable, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM tables WHERE id = $1"))
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(stored(&row)?)
    }

    /// The one way to change an open table (a closed one is [`StoreError::NotFound`]): reads
    /// it (row-locked on PostgreSQL; SQLite has a single writer), lets `change` decide —
    /// first without the study list, again with it if it answers
    /// [`TableDecision::NeedList`] — and stores what it decided, stamped `now` (Unix
    /// milliseconds), in one transaction. This process's changes to one table take turns
    /// without holding a connection.
    pub async fn modify_table<T, E, F>(&self, id: TableId, now: i64, change: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: Fn(&StoredTable, Option<&str>) -> Result<TableDecision<T>, E> + Send + 'static,
    {
        let _turn = self.table_queues.turn(id.0).await;
        let lock = match self.backend {
            crate::Backend::Sqlite => "",
            crate::Backend::Postgres => " FOR UPDATE",
        };
        self.unit(move |conn| {
            Box::pin(async move {
                let row = sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM tables WHERE id = $1 AND closed_at IS NULL{lock}"
                ))
                .bind(id.0)
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::from)?;
                let table = stored(&row).map_err(StoreError::from)?;
                let (update, result) = match change(&table, None)? {
                    TableDecision::Done(update, result) => (update, result),
                    TableDecision::NeedList => {
                        let row = sqlx::query("SELECT list FROM tables WHERE id = $1")
                            .bind(id.0)
                            .fetch_one(&mut *conn)
                            .await
                            .map_err(StoreError::from)?;
                        let list: String = row.try_get(0).map_err(StoreError::from)?;
                        match change(&table, Some(&list))? {
                            TableDecision::Done(update, result) => (update, result),
                            TableDecision::NeedList => {
                                return Err(StoreError::Other(
                                    "a table change asked for the list twice".into(),
                                )
                                .into());
                            }
                        }
                    }
                };
                if let Some(update) = update {
                    sqlx::query(
                        "UPDATE tables SET document = $1, list = COALESCE($2, list), players = $3, phase = $4, seq = $5, active_at = $6 WHERE id = $7",
                    )
                    .bind(update.document)
                    .bind(update.list)
                    .bind(update.players)
                    .bind(update.phase)
                    .bind(update.seq)
                    .bind(now)
                    .bind(id.0)
                    .execute(&mut *conn)
                    .await
                    .map_err(StoreError::from)?;
                }
                Ok(result)
            })
        })
        .await
    }

    /// Open public tables, most players first, at most `limit`; of one lexicon if named.
    pub async fn lobby(
        &self,
        lexicon: Option<&str>,
        limit: i64,
    ) -> Result<Vec<LobbyTable>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, lexicon, name, settings, players, phase FROM tables \
             WHERE closed_at IS NULL AND public = 1 AND ($1 IS NULL OR lexicon = $1) \
             ORDER BY players DESC, id DESC LIMIT $2",
        )
        .bind(lexicon)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LobbyTable {
                    id: TableId(row.try_get(0)?),
                    lexicon: row.try_get(1)?,
                    name: row.try_get(2)?,
                    settings: row.try_get(3)?,
                    players: row.try_get(4)?,
                    phase: row.try_get(5)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Closes open tables where nothing happened since `before` (Unix milliseconds) and no
    /// one is seated, or nothing happened since `abandoned`; returns them.
    pub async fn close_idle_tables(
        &self,
        before: i64,
        abandoned: i64,
        now: i64,
    ) -> Result<Vec<TableId>, StoreError> {
        self.unit(move |conn| {
            Box::pin(async move {
                let rows = sqlx::query(
                    "UPDATE tables SET closed_at = $3 WHERE closed_at IS NULL \
                     AND ((players = 0 AND active_at < $1) OR active_at < $2) RETURNING id",
                )
                .bind(before)
                .bind(abandoned)
                .bind(now)
                .fetch_all(&mut *conn)
                .await?;
                rows.iter()
                    .map(|row| Ok(TableId(row.try_get(0)?)))
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(StoreError::from)
            })
        })
        .await
    }

    /// Open tables, for `/metrics`.
    pub async fn open_tables(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM tables WHERE closed_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }
}
