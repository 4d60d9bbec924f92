//! Reviews: the due queue, recording a grade and undoing it, the history parameters are
//! fitted to, and the fitted parameters. A grade names the card version it was given on and
//! is applied only if the card is still at it, so two tabs grading one card cannot both
//! apply; a grade and its log entry are one transaction, and so are an undo and the
//! deletion of the entry it undoes.

use sqlx::Row;
use sqlx::any::AnyRow;
use tilebag_study::review::{
    self, DeckSettings, Evaluation, Fit, ModelVersion, Parameters, ReviewLog,
};

use crate::cards::{CARD_COLUMNS, card, write_schedule};
use crate::decks::{lock, read, state_text, write};
use crate::{CardId, DeckError, DeckId, Store, StoredCard, UserId};

/// Which cards a queue draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One of the player's decks.
    Deck(DeckId),
    /// All the player's decks.
    All,
}

/// The next cards to review, and how many are left.
#[derive(Clone, Debug, PartialEq)]
pub struct DueQueue {
    /// Cards seen before that are due, by due time, then new cards by when they were added.
    pub cards: Vec<StoredCard>,
    /// Cards in review that are due.
    pub due: i64,
    /// Cards learning or relearning that are due.
    pub learning: i64,
    /// New cards available, up to the new limit.
    pub new: i64,
}

/// A review stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The log entry's id.
    pub review: i64,
    /// The card's version now: what its next grade must name.
    pub version: i64,
}

/// A review undone.
#[derive(Clone, Debug, PartialEq)]
pub struct Undone {
    /// The card, with its schedule as it was before the review.
    pub card: StoredCard,
    /// The log entry that was deleted.
    pub log: ReviewLog,
}

/// A card with what grading it needs.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewTarget {
    /// The card.
    pub card: StoredCard,
    /// Its deck's lexicon.
    pub lexicon: String,
    /// Its deck's settings.
    pub settings: DeckSettings,
    /// The player's fitted parameters, if any.
    pub fit: Option<StoredFit>,
}

/// Parameters fitted to a player, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredFit {
    /// The fit: parameters, reviews and how they and the defaults predict them.
    pub fit: Fit,
    /// When they were fitted, Unix seconds.
    pub fitted_at: i64,
}

fn model_key(model: ModelVersion) -> &'static str {
    match model {
        ModelVersion::Fsrs6 => "fsrs-6",
    }
}

/// Refuses (not found) a deck that is not the player's. Checked apart, so the queries of a
/// deck that follow are served by the deck's indexes alone.
pub(crate) async fn check_scope(
    conn: &mut sqlx::AnyConnection,
    user: UserId,
    scope: Scope,
) -> Result<(), DeckError> {
    if let Scope::Deck(deck) = scope {
        sqlx::query("SELECT id FROM decks WHERE id = $1 AND user_id = $2")
            .bind(deck.0)
            .bind(user.0)
            .fetch_one(&mut *conn)
            .await?;
    }
    Ok(())
}

const SEEN: &str = "suspended = 0 AND state <> 'new'";
const NEW: &str = "suspended = 0 AND state = 'new'";

impl Store {
    /// The due queue at `now_ms` of one deck or all of a player's decks: up to `limit` cards,
    /// those seen before and due (by due time) first, then new ones (by when they were
    /// added) up to `new_limit`; suspended cards never. With the counts of due, learning
    /// and new cards left. Reads only.
    pub async fn due_queue(
        &self,
        user: UserId,
        scope: Scope,
        now_ms: i64,
        new_limit: i64,
        limit: i64,
    ) -> Result<DueQueue, DeckError> {
        let (column, key) = match scope {
            Scope::Deck(deck) => ("deck_id", deck.0),
            Scope::All => ("user_id", user.0),
        };
        let within = format!("{column} = $1");
        let mut conn = self.pool.acquire().await?;
        check_scope(&mut conn, user, scope).await?;
        let counts = sqlx::query(&format!(
            "SELECT COUNT(CASE WHEN state = 'review' THEN 1 END), COUNT(CASE WHEN state <> 'review' THEN 1 END) \
             FROM cards WHERE {within} AND {SEEN} AND due <= $2"
        ))
        .bind(key)
        .bind(now_ms)
        .fetch_one(&mut *conn)
        .await?;
        let (due, learning): (i64, i64) = (counts.try_get(0)?, counts.try_get(1)?);
        let new_limit = new_limit.max(0);
        let new: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE {within} AND {NEW} LIMIT $2) AS n"
        ))
        .bind(key)
        .bind(new_limit)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
        let rows = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE {within} AND {SEEN} AND due <= $2 ORDER BY due, id LIMIT $3"
        ))
        .bind(key)
        .bind(now_ms)
        .bind(limit.max(0))
        .fetch_all(&mut *conn)
        .await?;
        let mut cards: Vec<StoredCard> = rows.iter().map(card).collect::<Result<_, _>>()?;
        let room = (limit - i64::try_from(cards.len()).unwrap_or(i64::MAX)).min(new);
        if room > 0 {
            let rows = sqlx::query(&format!(
                "SELECT {CARD_COLUMNS} FROM cards WHERE {within} AND {NEW} ORDER BY due, id LIMIT $2"
            ))
            .bind(key)
            .bind(room)
            .fetch_all(&mut *conn)
            .await?;
            for row in &rows {
                cards.push(card(row)?);
            }
        }
        Ok(DueQueue {
            cards,
            due,
            learning,
            new,
        })
    }

    /// New cards of one deck or all the player's decks first reviewed since `since_ms`:
    /// what today's new-card limit has used (an undone review gives its card back).
    pub async fn new_cards_reviewed_since(
        &self,
        user: UserId,
        scope: Scope,
        since_ms: i64,
    ) -> Result<i64, DeckError> {
        // The day's reviews are few: each is looked up in its deck by the card's key, rather
        // than the deck's cards listed first.
        let (within, deck) = match scope {
            Scope::All => ("", None),
            Scope::Deck(deck) => (
                " AND EXISTS (SELECT 1 FROM cards c WHERE c.id = r.card_id AND c.deck_id = $3)",
                Some(deck.0),
            ),
        };
        let sql = format!(
            "SELECT COUNT(DISTINCT r.card_id) FROM reviews r WHERE r.user_id = $1 AND r.at >= $2 AND r.state_before = 'new'{within}"
        );
        let mut query = sqlx::query(&sql).bind(user.0).bind(since_ms);
        if let Some(deck) = deck {
            query = query.bind(deck);
        }
        Ok(query.fetch_one(&self.pool).await?.try_get(0)?)
    }

    /// Records a review of the player's `card` (as read) given on its version `version`:
    /// stores `log.after` as the card's schedule and appends `log`, in one transaction.
    /// Refused with [`DeckError::Stale`] if the card changed since it was shown or read
    /// (another tab graded it), and with [`DeckError::Invalid`] if `log.before` is not the
    /// card's schedule.
    pub async fn record_review(
        &self,
        user: UserId,
        card: &StoredCard,
        version: i64,
        log: ReviewLog,
    ) -> Result<Recorded, DeckError> {
        let id = card.id;
        let card_number = u64::try_from(id.0).unwrap_or(u64::MAX);
        if log.card != card_number {
            return Err(review::ReviewError::OtherCard {
                card: card_number,
                log: log.card,
            }
            .into());
        }
        if card.version != version {
            return Err(DeckError::Stale {
                card: id,
                expected: version,
                found: card.version,
            });
        }
        if card.schedule != log.before {
            return Err(DeckError::Invalid(format!(
                "this review of card {id} starts from another schedule than the card's"
            )));
        }
        let text = write(&log)?;
        self.unit(move |conn| {
            Box::pin(async move {
                // Every change of a schedule raises its version, so the update applies only
                // while the card is still as it was read.
                if !write_schedule(conn, user, id, version, &log.after).await? {
                    let found: Option<i64> =
                        sqlx::query_scalar("SELECT version FROM cards WHERE id = $1 AND user_id = $2")
                            .bind(id.0)
                            .bind(user.0)
                            .fetch_optional(&mut *conn)
                            .await?;
                    return Err(found.map_or(DeckError::Store(crate::StoreError::NotFound), |found| {
                        DeckError::Stale {
                            card: id,
                            expected: version,
                            found,
                        }
                    }));
                }
                let row = sqlx::query(
                    "INSERT INTO reviews (card_id, user_id, at, rating, took_ms, state_before, log) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(id.0)
                .bind(user.0)
                .bind(log.time)
                .bind(i64::from(log.rating.number()))
                .bind(i64::from(log.took_ms))
                .bind(state_text(log.before.state))
                .bind(text)
                .fetch_one(&mut *conn)
                .await?;
                Ok(Recorded {
                    review: row.try_get(0)?,
                    version: version + 1,
                })
            })
        })
        .await
    }

    /// Undoes the player's last review (of `card`, when given, else of any card): restores
    /// the card's exact schedule before it and deletes its log entry, in one transaction.
    /// Refused if the card changed after it.
    pub async fn undo_review(
        &self,
        user: UserId,
        card_id: Option<CardId>,
    ) -> Result<Undone, DeckError> {
        let lock = lock(self.backend);
        self.unit(move |conn| {
            Box::pin(async move {
                let row = sqlx::query(
                    "SELECT id, card_id, log FROM reviews WHERE user_id = $1 AND ($2 IS NULL OR card_id = $2) \
                     ORDER BY id DESC LIMIT 1",
                )
                .bind(user.0)
                .bind(card_id.map(|c| c.0))
                .fetch_one(&mut *conn)
                .await?;
                let review_id: i64 = row.try_get("id")?;
                let id = CardId(row.try_get("card_id")?);
                let log: ReviewLog =
                    read(&row.try_get::<String, _>("log")?, &format!("review {review_id}"))?;
                let row = sqlx::query(&format!(
                    "SELECT {CARD_COLUMNS} FROM cards WHERE id = $1{lock}"
                ))
                .bind(id.0)
                .fetch_one(&mut *conn)
                .await?;
                let mut stored = card(&row)?;
                let before =
                    review::undo(u64::try_from(id.0).unwrap_or(u64::MAX), &stored.schedule, &log)?;
                if !write_schedule(conn, user, id, stored.version, &before).await? {
                    return Err(DeckError::Stale {
                        card: id,
                        expected: stored.version,
                        found: stored.version + 1,
                    });
                }
                sqlx::query("DELETE FROM reviews WHERE id = $1")
                    .bind(review_id)
                    .execute(&mut *conn)
                    .await?;
                stored.schedule = before;
                stored.version += 1;
                Ok(Undone { card: stored, log })
            })
        })
        .await
    }

    /// A card's reviews, oldest first.
    pub async fn card_reviews(
        &self,
        user: UserId,
        id: CardId,
    ) -> Result<Vec<ReviewLog>, DeckError> {
        self.logs("card_id = $1 AND user_id = $2", id.0, user.0)
            .await
    }

    /// Every review of the player, oldest first: the history parameters are fitted to.
    pub async fn review_history(&self, user: UserId) -> Result<Vec<ReviewLog>, DeckError> {
        self.logs("user_id = $1 AND user_id = $2", user.0, user.0)
            .await
    }

    async fn logs(&self, filter: &str, a: i64, b: i64) -> Result<Vec<ReviewLog>, DeckError> {
        let rows = sqlx::query(&format!(
            "SELECT id, log FROM reviews WHERE {filter} ORDER BY at, id"
        ))
        .bind(a)
        .bind(b)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                read(&row.try_get::<String, _>("log")?, &format!("review {id}"))
            })
            .collect()
    }

    /// Stores parameters fitted to the player at `now` (Unix seconds), in place of any
    /// fitted before for the same model.
    pub async fn save_parameters(
        &self,
        user: UserId,
        fit: &Fit,
        now: i64,
    ) -> Result<(), DeckError> {
        sqlx::query(
            "INSERT INTO review_parameters (user_id, model, parameters, fitted_at, reviews, log_loss, rmse, default_log_loss, default_rmse) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_id, model) DO UPDATE SET \
             parameters = excluded.parameters, fitted_at = excluded.fitted_at, reviews = excluded.reviews, \
             log_loss = excluded.log_loss, rmse = excluded.rmse, default_log_loss = excluded.default_log_loss, \
             default_rmse = excluded.default_rmse",
        )
        .bind(user.0)
        .bind(model_key(fit.parameters.model))
        .bind(write(&fit.parameters)?)
        .bind(now)
        .bind(i64::try_from(fit.reviews).unwrap_or(i64::MAX))
        .bind(f64::from(fit.fitted.log_loss))
        .bind(f64::from(fit.fitted.rmse))
        .bind(f64::from(fit.default.log_loss))
        .bind(f64::from(fit.default.rmse))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The parameters last fitted to the player for `model`, if any.
    pub async fn parameters(
        &self,
        user: UserId,
        model: ModelVersion,
    ) -> Result<Option<StoredFit>, DeckError> {
        let Some(row) = sqlx::query(
            "SELECT parameters, fitted_at, reviews, log_loss, rmse, default_log_loss, default_rmse \
             FROM review_parameters WHERE user_id = $1 AND model = $2",
        )
        .bind(user.0)
        .bind(model_key(model))
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        stored_fit(&row, user)
    }

    /// A card with what grading it needs, in one read: its deck's lexicon and settings and
    /// the parameters last fitted to the player for `model`. Anyone else's card is
    /// [`crate::StoreError::NotFound`].
    pub async fn review_target(
        &self,
        user: UserId,
        id: CardId,
        model: ModelVersion,
    ) -> Result<ReviewTarget, DeckError> {
        let row = sqlx::query(
            "SELECT c.id, c.deck_id, c.kind, c.front, c.schedule, c.version, c.added_at, \
             d.lexicon, d.settings, p.parameters, p.fitted_at, p.reviews, p.log_loss, p.rmse, \
             p.default_log_loss, p.default_rmse \
             FROM cards c JOIN decks d ON d.id = c.deck_id \
             LEFT JOIN review_parameters p ON p.user_id = c.user_id AND p.model = $3 \
             WHERE c.id = $1 AND c.user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(model_key(model))
        .fetch_one(&self.pool)
        .await?;
        let card = card(&row)?;
        let settings = read(
            &row.try_get::<String, _>("settings")?,
            &format!("deck {}", card.deck.0),
        )?;
        Ok(ReviewTarget {
            lexicon: row.try_get("lexicon")?,
            settings,
            fit: stored_fit(&row, user)?,
            card,
        })
    }
}

/// The fitted parameters of a row with the columns of `review_parameters`; `None` when
/// they are absent (a `LEFT JOIN` found none).
fn stored_fit(row: &AnyRow, user: UserId) -> Result<Option<StoredFit>, DeckError> {
    let Some(text) = row.try_get::<Option<String>, _>("parameters")? else {
        return Ok(None);
    };
    let parameters: Parameters = read(&text, &format!("parameters of player {}", user.0))?;
    let figures = |loss: &str, rmse: &str| -> Result<Evaluation, sqlx::Error> {
        #[allow(clippy::cast_possible_truncation)] // Reason: stored from an f32.
        Ok(Evaluation {
            log_loss: row.try_get::<f64, _>(loss)? as f32,
            rmse: row.try_get::<f64, _>(rmse)? as f32,
        })
    };
    Ok(Some(StoredFit {
        fit: Fit {
            parameters,
            fitted: figures("log_loss", "rmse")?,
            default: figures("default_log_loss", "default_rmse")?,
            reviews: usize::try_from(row.try_get::<i64, _>("reviews")?).unwrap_or(0),
        },
        fitted_at: row.try_get("fitted_at")?,
    }))
}

impl Store {
    /// Players with at least `min_reviews` reviews whose parameters were never fitted, or
    /// fitted before `fitted_before` (Unix seconds), at most `limit`, by id: whom the daily
    /// job refits.
    pub async fn players_to_refit(
        &self,
        min_reviews: i64,
        fitted_before: i64,
        limit: i64,
    ) -> Result<Vec<UserId>, DeckError> {
        let rows = sqlx::query(
            "SELECT r.user_id FROM reviews r LEFT JOIN review_parameters p \
             ON p.user_id = r.user_id AND p.model = 'fsrs-6' \
             WHERE p.fitted_at IS NULL OR p.fitted_at < $1 \
             GROUP BY r.user_id HAVING COUNT(*) >= $2 ORDER BY r.user_id LIMIT $3",
        )
        .bind(fitted_before)
        .bind(min_reviews)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok(UserId(row.try_get(0)?))).collect()
    }
}
