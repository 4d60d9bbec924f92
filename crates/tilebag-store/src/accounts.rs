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

/// The channel [`SessionNotice`]s are published on.
pub const SESSIONS_CHANNEL: &str = "sessions";

/// What may have changed about sessions, published on [`SESSIONS_CHANNEL`] in the
/// transaction of the change, so that copies of sessions and users kept elsewhere (in
/// other processes too) can be dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionNotice {
    /// The session with this token hash has ended.
    Ended(String),
    /// Some sessions of this player may have ended, or the account itself changed (its
    /// name, password, rights, settings) or was deleted.
    User(UserId),
}

impl SessionNotice {
    /// As published: `session HASH` or `user ID`.
    #[must_use]
    pub fn payload(&self) -> String {
        match self {
            SessionNotice::Ended(hash) => format!("session {hash}"),
            SessionNotice::User(id) => format!("user {}", id.0),
        }
    }

    /// Reads a published payload; `None` for one of unknown form.
    #[must_use]
    pub fn parse(payload: &str) -> Option<SessionNotice> {
        match payload.split_once(' ')? {
            ("session", hash) => Some(SessionNotice::Ended(hash.to_owned())),
            ("user", id) => id.parse().ok().map(|id| SessionNotice::User(UserId(id))),
            _ => None,
        }
    }
}

/// Sends `notice` with the transaction `conn` is in.
async fn announce(
    conn: &mut sqlx::AnyConnection,
    outbox: &mut crate::notify::Outbox,
    notice: &SessionNotice,
) -> Result<(), StoreError> {
    Ok(outbox
        .send(conn, SESSIONS_CHANNEL, &notice.payload())
        .await?)
}

/// Runs one statement that changes the account `id` (or its sessions) and announces it, or
/// fails with [`StoreError::NotFound`] when it changes no row.
async fn change_account<'q>(
    conn: &mut sqlx::AnyConnection,
    outbox: &mut crate::notify::Outbox,
    id: UserId,
    statement: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
) -> Result<(), StoreError> {
    if statement.execute(&mut *conn).await?.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    announce(conn, outbox, &SessionNotice::User(id)).await
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
        let password_hash = password_hash.to_owned();
        self.unit_noticed(move |conn, outbox| {
            Box::pin(async move {
                let update = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash)
                    .bind(id.0);
                change_account(conn, outbox, id, update).await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(id.0)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            })
        })
        .await
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
        let (default_lexicon, preferences) =
            (default_lexicon.map(str::to_owned), preferences.to_owned());
        self.unit_noticed(move |conn, outbox| {
            Box::pin(async move {
                let update = sqlx::query(
                    "UPDATE users SET default_lexicon = $1, preferences = $2, review_leaderboard = $3 WHERE id = $4",
                )
                .bind(default_lexicon)
                .bind(preferences)
                .bind(i64::from(review_leaderboard))
                .bind(id.0);
                change_account(conn, outbox, id, update).await
            })
        })
        .await
    }

    /// Grants or withdraws admin rights.
    pub async fn set_admin(&self, username: &str, admin: bool) -> Result<(), StoreError> {
        let key = username.to_lowercase();
        self.unit_noticed(move |conn, outbox| {
            Box::pin(async move {
                let row = sqlx::query(
                    "UPDATE users SET is_admin = $1 WHERE username_key = $2 RETURNING id",
                )
                .bind(i64::from(admin))
                .bind(key)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound)?;
                let id = UserId(row.try_get(0)?);
                announce(conn, outbox, &SessionNotice::User(id)).await
            })
        })
        .await
    }

    /// Deletes an account with everything that belongs to it.
    pub async fn delete_user(&self, id: UserId) -> Result<(), StoreError> {
        self.unit_noticed(move |conn, outbox| {
            Box::pin(async move {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(id.0)
                    .execute(&mut *conn)
                    .await?;
                let delete = sqlx::query("DELETE FROM users WHERE id = $1").bind(id.0);
                change_account(conn, outbox, id, delete).await
            })
        })
        .await
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
        let token_hash = token_hash.to_owned();
        self.unit_noticed(move |conn, outbox| {
            Box::pin(async move {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash.as_str())
                    .execute(&mut *conn)
                    .await?;
                announce(conn, outbox, &SessionNotice::Ended(token_hash)).await
            })
        })
        .await
    }

    /// Deletes sessions expired at `now`; returns how many. (No notice: a copy of a session
    /// is honoured only until the session's expiry anyway.)
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
