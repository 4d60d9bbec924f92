//! Players and sessions. Every time is Unix seconds, given by the caller's clock.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError};

/// Identifies a player.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// A player's account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The name as the player wrote it.
    pub username: String,
    /// Argon2id hash in PHC string form.
    pub password_hash: String,
    /// May see the admin pages.
    pub is_admin: bool,
    /// Lexicon to use when none is named.
    pub default_lexicon: Option<String>,
    /// Display preferences, a JSON object.
    pub preferences: String,
    /// When the account was made (Unix seconds).
    pub created_at: i64,
}

/// A logged-in browser or API client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the cookie token, hex.
    pub token_hash: String,
    /// Whose session it is.
    pub user_id: UserId,
    /// The token forms and API calls must echo to change anything.
    pub csrf_token: String,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
}

/// A session to store.
#[derive(Clone, Debug)]
pub struct NewSession<'a> {
    /// SHA-256 of the cookie token, hex.
    pub token_hash: &'a str,
    /// Whose session it is.
    pub user_id: UserId,
    /// The CSRF token.
    pub csrf_token: &'a str,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
}

/// The advisory lock registrations take on PostgreSQL ("tbadmin").
const ADMIN_LOCK: i64 = 0x0074_6261_646d_696e;

const USER_COLUMNS: &str =
    "id, username, password_hash, is_admin, default_lexicon, preferences, created_at";

fn user(row: &AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        username: row.try_get("username")?,
        password_hash: row.try_get("password_hash")?,
        is_admin: row.try_get::<i64, _>("is_admin")? != 0,
        default_lexicon: row.try_get("default_lexicon")?,
        preferences: row.try_get("preferences")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    /// Creates an account; the first account made is an admin (only one, however many
    /// registrations race). A name taken in any case is a [`StoreError::Conflict`].
    pub async fn create_user(
        &self,
        username: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<User, StoreError> {
        let (username, password_hash) = (username.to_owned(), password_hash.to_owned());
        let postgres = self.backend == crate::Backend::Postgres;
        self.unit(move |conn| {
            Box::pin(async move {
                // SQLite has one writer; on PostgreSQL two inserts into an empty table would
                // both see it empty, so registrations queue on a lock for the admin check.
                if postgres {
                    sqlx::query("SELECT pg_advisory_xact_lock($1)")
                        .bind(ADMIN_LOCK)
                        .execute(&mut *conn)
                        .await?;
                }
                let row = sqlx::query(&format!(
                    "INSERT INTO users (username, username_key, password_hash, is_admin, created_at) \
                     VALUES ($1, $2, $3, CASE WHEN (SELECT COUNT(*) FROM users) = 0 THEN 1 ELSE 0 END, $4) \
                     RETURNING {USER_COLUMNS}"
                ))
                .bind(username.as_str())
                .bind(username.to_lowercase())
                .bind(password_hash.as_str())
                .bind(now)
                .fetch_one(&mut *conn)
                .await?;
                Ok(user(&row)?)
            })
        })
        .await
    }

    /// The account with this name, in any case.
    pub async fn user_by_name(&self, username: &str) -> Result<User, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username_key = $1"
        ))
        .bind(username.to_lowercase())
        .fetch_one(&self.pool)
        .await?;
        Ok(user(&row)?)
    }

    /// The account with this id.
    pub async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(user(&row)?)
    }

    /// Sets a new password hash and ends every session of the account.
    pub async fn set_password(&self, id: UserId, password_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores the default lexicon and preferences (already validated JSON), with whether
    /// the player is on the review leaderboard (which the preferences say too: the column
    /// is what the leaderboard selects by).
    pub async fn update_settings(
        &self,
        id: UserId,
        default_lexicon: Option<&str>,
        preferences: &str,
        review_leaderboard: bool,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE users SET default_lexicon = $1, preferences = $2, review_leaderboard = $3 WHERE id = $4",
        )
        .bind(default_lexicon)
        .bind(preferences)
        .bind(i64::from(review_leaderboard))
        .bind(id.0)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Grants or withdraws admin rights.
    pub async fn set_admin(&self, username: &str, admin: bool) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET is_admin = $1 WHERE username_key = $2")
            .bind(i64::from(admin))
            .bind(username.to_lowercase())
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Deletes an account with everything that belongs to it.
    pub async fn delete_user(&self, id: UserId) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new session, made at `now`.
    pub async fn create_session(
        &self,
        session: &NewSession<'_>,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session.token_hash)
        .bind(session.user_id.0)
        .bind(session.csrf_token)
        .bind(now)
        .bind(session.expires_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The session with this token hash unexpired at `now`, and its user.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<(Session, User), StoreError> {
        let row = sqlx::query(&format!(
            "SELECT s.token_hash, s.csrf_token, s.expires_at, {} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        let user = user(&row)?;
        let session = Session {
            token_hash: row.try_get("token_hash")?,
            user_id: user.id,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        };
        Ok((session, user))
    }

    /// Ends one session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Deletes sessions expired at `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    /// Number of sessions unexpired at `now`.
    pub async fn active_sessions(&self, now: i64) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM sessions WHERE expires_at > $1")
            .bind(now)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }
}
