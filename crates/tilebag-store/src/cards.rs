//! Cards: adding them in bulk under the per-player cap (new, or with the schedules a cardbox
//! import brings), reading, moving, suspending and deleting them. Every change of a card's schedule goes through [`write_schedule`], which
//! copies the columns the due queue reads and raises the card's version.

use std::collections::BTreeMap;

use sqlx::Row;
use sqlx::any::AnyRow;
use tilebag_study::review::Schedule;

use crate::decks::{lock, placeholders, read, state_text, write};
use crate::{Added, CardId, CardKind, DeckError, DeckId, Store, StoreError, StoredCard, UserId};

pub(crate) const CARD_COLUMNS: &str = "id, deck_id, kind, front, schedule, version, added_at";

pub(crate) fn card(row: &AnyRow) -> Result<StoredCard, DeckError> {
    let id: i64 = row.try_get("id")?;
    let schedule: String = row.try_get("schedule")?;
    Ok(StoredCard {
        id: CardId(id),
        deck: DeckId(row.try_get("deck_id")?),
        kind: kind(&row.try_get::<String, _>("kind")?)?,
        front: row.try_get("front")?,
        schedule: read(&schedule, &format!("card {id}"))?,
        version: row.try_get("version")?,
        added_at: row.try_get("added_at")?,
    })
}

fn kind(text: &str) -> Result<CardKind, StoreError> {
    CardKind::parse(text)
        .ok_or_else(|| StoreError::Other(format!("a card of unknown kind “{text}”")))
}

/// Rows per `INSERT` or `IN (…)` list: well within SQLite's and PostgreSQL's limits on
/// parameters, and few round trips.
const CHUNK: usize = 200;

/// Cards per `INSERT` of six parameters each: sqlx's SQLite driver looks every parameter's
/// name up by scanning the statement's list of them, so a statement's binding cost grows
/// with the square of its parameters.
const INSERT_CHUNK: usize = 50;

impl Store {
    /// Adds cards to a deck, new and due at `now_ms`; cards the deck already has change
    /// nothing. One transaction, the player's total checked against `cap` under a lock on
    /// the player, so parallel additions cannot pass it together: over the cap, nothing is
    /// added.
    pub async fn add_cards(
        &self,
        user: UserId,
        deck: DeckId,
        cards: Vec<(CardKind, String)>,
        now_ms: i64,
        cap: i64,
    ) -> Result<Added, DeckError> {
        let new = Schedule::new_card(now_ms);
        let cards = cards
            .into_iter()
            .map(|(kind, front)| (kind, front, new.clone()))
            .collect();
        self.import_cards(user, deck, cards, now_ms, cap).await
    }

    /// Adds cards to a deck with the schedules they bring (a cardbox imported from another
    /// program), added at `now_ms`. As [`Store::add_cards`]: cards the deck already has are
    /// left as they are and counted as present, the first of two with the same kind and
    /// front is taken, and over the cap nothing is added.
    pub async fn import_cards(
        &self,
        user: UserId,
        deck: DeckId,
        cards: Vec<(CardKind, String, Schedule)>,
        now_ms: i64,
        cap: i64,
    ) -> Result<Added, DeckError> {
        let lock = lock(self.backend);
        let mut unique = BTreeMap::new();
        for (kind, front, schedule) in cards {
            unique.entry((kind, front)).or_insert(schedule);
        }
        let rows = unique
            .into_iter()
            .map(|((kind, front), schedule)| Ok((kind, front, write(&schedule)?, schedule)))
            .collect::<Result<Vec<_>, DeckError>>()?;
        self.unit(move |conn| {
            Box::pin(async move {
                sqlx::query(&format!("SELECT id FROM users WHERE id = $1{lock}"))
                    .bind(user.0)
                    .fetch_one(&mut *conn)
                    .await?;
                sqlx::query("SELECT id FROM decks WHERE id = $1 AND user_id = $2")
                    .bind(deck.0)
                    .bind(user.0)
                    .fetch_one(&mut *conn)
                    .await?;
                let mut added = 0;
                for chunk in rows.chunks(INSERT_CHUNK) {
                    let values: Vec<String> = (0..chunk.len())
                        .map(|i| {
                            let p = 4 + 6 * i;
                            format!(
                                "($1, $2, ${}, ${}, ${}, ${}, ${}, ${}, 0, $3)",
                                p,
                                p + 1,
                                p + 2,
                                p + 3,
                                p + 4,
                                p + 5
                            )
                        })
                        .collect();
                    let sql = format!(
                        "INSERT INTO cards (deck_id, user_id, kind, front, schedule, due, state, suspended, version, added_at) \
                         VALUES {} ON CONFLICT (deck_id, kind, front) DO NOTHING",
                        values.join(", ")
                    );
                    let mut query = sqlx::query(&sql).bind(deck.0).bind(user.0).bind(now_ms);
                    for (kind, front, text, schedule) in chunk {
                        query = query
                            .bind(kind.as_str())
                            .bind(front.as_str())
                            .bind(text.as_str())
                            .bind(schedule.due)
                            .bind(state_text(schedule.state))
                            .bind(i64::from(schedule.suspended));
                    }
                    added += query.execute(&mut *conn).await?.rows_affected();
                }
                let total: i64 = sqlx::query(
                    "SELECT COUNT(*) FROM cards WHERE deck_id IN (SELECT id FROM decks WHERE user_id = $1)",
                )
                .bind(user.0)
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
                if total > cap {
                    return Err(DeckError::Cap {
                        adding: added,
                        total,
                        limit: cap,
                    });
                }
                Ok(Added {
                    added,
                    present: rows.len() as u64 - added,
                })
            })
        })
        .await
    }

    /// One of a player's cards.
    pub async fn card(&self, user: UserId, id: CardId) -> Result<StoredCard, DeckError> {
        let row = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE id = $1 AND user_id = $2"
        ))
        .bind(id.0)
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        card(&row)
    }

    /// A deck's cards in the order they were added.
    pub async fn cards(&self, user: UserId, deck: DeckId) -> Result<Vec<StoredCard>, DeckError> {
        self.cards_page(user, deck, 0, i64::MAX).await
    }

    /// A page of a deck's cards in the order they were added: `limit` after the first
    /// `offset`.
    pub async fn cards_page(
        &self,
        user: UserId,
        deck: DeckId,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<StoredCard>, DeckError> {
        let rows = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE deck_id = $1 AND user_id = $2 ORDER BY id LIMIT $3 OFFSET $4"
        ))
        .bind(deck.0)
        .bind(user.0)
        .bind(limit.max(0))
        .bind(offset.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(card).collect()
    }

    /// Moves the player's cards to another of their decks, with their schedules and
    /// reviews; a card the deck already has (same kind and front) stays where it is.
    /// Returns how many moved.
    pub async fn move_cards(
        &self,
        user: UserId,
        ids: Vec<CardId>,
        to: DeckId,
    ) -> Result<u64, DeckError> {
        self.unit(move |conn| {
            Box::pin(async move {
                sqlx::query("SELECT id FROM decks WHERE id = $1 AND user_id = $2")
                    .bind(to.0)
                    .bind(user.0)
                    .fetch_one(&mut *conn)
                    .await?;
                let mut moved = 0;
                for chunk in ids.chunks(CHUNK) {
                    let sql = format!(
                        "UPDATE cards SET deck_id = $1 WHERE user_id = $2 AND deck_id <> $1 AND id IN ({}) \
                         AND NOT EXISTS (SELECT 1 FROM cards o WHERE o.deck_id = $1 AND o.kind = cards.kind AND o.front = cards.front)",
                        placeholders(3, chunk.len())
                    );
                    let mut query = sqlx::query(&sql).bind(to.0).bind(user.0);
                    for id in chunk {
                        query = query.bind(id.0);
                    }
                    moved += query.execute(&mut *conn).await?.rows_affected();
                }
                Ok(moved)
            })
        })
        .await
    }

    /// Suspends the player's cards (left out of the due queue) or brings them back.
    /// Returns how many changed.
    pub async fn suspend_cards(
        &self,
        user: UserId,
        ids: Vec<CardId>,
        suspended: bool,
    ) -> Result<u64, DeckError> {
        let lock = lock(self.backend);
        self.unit(move |conn| {
            Box::pin(async move {
                let mut changed = 0;
                for chunk in ids.chunks(CHUNK) {
                    let sql = format!(
                        "SELECT {CARD_COLUMNS} FROM cards WHERE user_id = $1 AND id IN ({}){lock}",
                        placeholders(2, chunk.len())
                    );
                    let mut query = sqlx::query(&sql).bind(user.0);
                    for id in chunk {
                        query = query.bind(id.0);
                    }
                    let rows = query.fetch_all(&mut *conn).await?;
                    for row in &rows {
                        let mut stored = card(row)?;
                        if stored.schedule.suspended == suspended {
                            continue;
                        }
                        stored.schedule.suspended = suspended;
                        if write_schedule(conn, user, stored.id, stored.version, &stored.schedule)
                            .await?
                        {
                            changed += 1;
                        }
                    }
                }
                Ok(changed)
            })
        })
        .await
    }

    /// Deletes the player's cards with their reviews. Returns how many.
    pub async fn delete_cards(&self, user: UserId, ids: Vec<CardId>) -> Result<u64, DeckError> {
        self.unit(move |conn| {
            Box::pin(async move {
                let mut deleted = 0;
                for chunk in ids.chunks(CHUNK) {
                    let sql = format!(
                        "DELETE FROM cards WHERE user_id = $1 AND id IN ({})",
                        placeholders(2, chunk.len())
                    );
                    let mut query = sqlx::query(&sql).bind(user.0);
                    for id in chunk {
                        query = query.bind(id.0);
                    }
                    deleted += query.execute(&mut *conn).await?.rows_affected();
                }
                Ok(deleted)
            })
        })
        .await
    }
}

/// Stores a card's schedule with the columns that copy it and raises its version, if the
/// card is still at version `expected` (compare-and-set); returns whether it was.
/// Stores a new schedule of the player's card if it is still at version `expected`, raising
/// its version; whether it was.
pub(crate) async fn write_schedule(
    conn: &mut sqlx::AnyConnection,
    user: UserId,
    id: CardId,
    expected: i64,
    schedule: &Schedule,
) -> Result<bool, DeckError> {
    let done = sqlx::query(
        "UPDATE cards SET schedule = $1, due = $2, state = $3, suspended = $4, version = version + 1 \
         WHERE id = $5 AND version = $6 AND user_id = $7",
    )
    .bind(write(schedule)?)
    .bind(schedule.due)
    .bind(state_text(schedule.state))
    .bind(i64::from(schedule.suspended))
    .bind(id.0)
    .bind(expected)
    .bind(user.0)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// A deck's cards in the review state that are due at `now_ms` and not suspended: what
    /// postponing chooses from.
    pub async fn due_review_cards(
        &self,
        user: UserId,
        deck: DeckId,
        now_ms: i64,
    ) -> Result<Vec<StoredCard>, DeckError> {
        let rows = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE deck_id = $1 AND user_id = $2 \
             AND suspended = 0 AND state = 'review' AND due <= $3 ORDER BY due, id"
        ))
        .bind(deck.0)
        .bind(user.0)
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(card).collect()
    }

    /// Gives the player's cards new schedules (postponing), each only if the card is still at
    /// the version it was read at, all in one transaction. Returns how many changed.
    pub async fn reschedule(
        &self,
        user: UserId,
        cards: Vec<(CardId, i64, Schedule)>,
    ) -> Result<u64, DeckError> {
        self.unit(move |conn| {
            Box::pin(async move {
                let mut changed = 0;
                for (id, version, schedule) in &cards {
                    let owned = sqlx::query("SELECT id FROM cards WHERE id = $1 AND user_id = $2")
                        .bind(id.0)
                        .bind(user.0)
                        .fetch_optional(&mut *conn)
                        .await?;
                    if owned.is_some()
                        && write_schedule(conn, user, *id, *version, schedule).await?
                    {
                        changed += 1;
                    }
                }
                Ok(changed)
            })
        })
        .await
    }
}
