//! Accounts: passwords, sessions in cookies, CSRF tokens and login rate limits.
//!
//! A session cookie holds a random token; the database keeps only its SHA-256, so logging
//! out or changing the password really ends sessions. Every state-changing request made with
//! the cookie must echo the session's CSRF token (a form field or the `X-CSRF-Token`
//! header), and any request whose `Origin` is another site is refused.

use std::fmt::Write as _;
use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tilebag_store::{NewSession, Session, StoreError, User};

use crate::error::AppError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "tilebag_session";
/// The header API clients echo the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
const SESSION_DAYS: i64 = 30;

/// Checks a new username: 3-30 letters, digits, `_` or `-`.
pub fn check_username(name: &str) -> Result<(), AppError> {
    let ok = (3..=30).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(AppError::bad_request(
            "a username has 3 to 30 letters, digits, underscores or hyphens",
        ))
    }
}

/// Checks a new password: at least 10 characters.
pub fn check_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() >= 10 {
        Ok(())
    } else {
        Err(AppError::bad_request(
            "a password needs at least 10 characters",
        ))
    }
}

/// Hashes a password with Argon2id on the password workers ([`crate::password`]); 503 when
/// they are all busy and their queue is full.
pub async fn hash_password(state: &AppState, password: String) -> Result<String, AppError> {
    Ok(state.passwords.hash(password).await?)
}

/// Checks a password against a stored hash on the password workers; for an unknown user
/// (`None`) the same work is done on a dummy hash, so both take as long. 503 when the workers
/// are all busy and their queue is full.
pub async fn verify_password(
    state: &AppState,
    password: String,
    hash: Option<String>,
) -> Result<bool, AppError> {
    Ok(state.passwords.verify(password, hash).await?)
}

/// A random token of `bytes` bytes, URL-safe base64.
pub(crate) fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

/// SHA-256 of a token, hex: what the database keeps instead of the token.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// A session just created: the cookie token and the CSRF token.
#[derive(Debug)]
pub struct NewLogin {
    /// Goes in the cookie.
    pub token: String,
    /// Goes in forms and the `X-CSRF-Token` header.
    pub csrf_token: String,
    /// Who logged in.
    pub user: User,
}

/// Starts a session for a user.
pub async fn start_session(state: &AppState, user: User) -> Result<NewLogin, AppError> {
    let token = random_token(32);
    let csrf_token = random_token(24);
    let now = state.app.clock.now_s();
    let expires_at = now + SESSION_DAYS * 24 * 3600;
    let session = NewSession {
        token_hash: &token_hash(&token),
        user_id: user.id,
        csrf_token: &csrf_token,
        expires_at,
    };
    state.app.store.create_session(&session, now).await?;
    Ok(NewLogin {
        token,
        csrf_token,
        user,
    })
}

/// Creates an account and logs it in.
pub async fn register(
    state: &AppState,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<NewLogin, AppError> {
    check_username(username)?;
    check_password(password)?;
    let admission = state
        .limits
        .admit_registration(client, state.app.clock.now_ms())
        .map_err(|wait| AppError::too_many("too many registrations from this address", wait))?;
    // A registration the hashing threads were too busy for is taken back; one that cost a
    // hash counts, whether or not the name was free.
    let hash = hash_password(state, password.to_owned()).await?;
    admission.keep();
    let user = state
        .app
        .store
        .create_user(username, &hash, state.app.clock.now_s())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::new(
                axum::http::StatusCode::CONFLICT,
                "conflict",
                format!("the username “{username}” is taken"),
            ),
            other => other.into(),
        })?;
    start_session(state, user).await
}

/// Checks a login, within the rate limits, and starts a session.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<NewLogin, AppError> {
    let account = username.to_lowercase();
    let attempt = state
        .limits
        .admit_login(&account, client, state.app.clock.now_ms())
        .map_err(|wait| AppError::too_many("too many attempts", wait))?;
    let user = match state.app.store.user_by_name(username).await {
        Ok(user) => Some(user),
        Err(StoreError::NotFound) => None,
        Err(other) => return Err(other.into()),
    };
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    // Busy hashing threads (503) drop the attempt unchecked: it does not count.
    let valid = verify_password(state, password.to_owned(), hash).await?;
    match user {
        Some(user) if valid => {
            state.limits.login_succeeded(attempt, &account, client);
            start_session(state, user).await
        }
        _ => {
            attempt.keep();
            Err(AppError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "bad_login",
                "wrong username or password",
            ))
        }
    }
}

/// Ends the session behind a cookie token.
pub async fn logout(state: &AppState, token: &str) -> Result<(), AppError> {
    Ok(state.app.store.delete_session(&token_hash(token)).await?)
}

/// The `Set-Cookie` value that stores a session token (`Secure` is added for HTTPS requests
/// by [`crate::client::secure_cookies`]).
#[must_use]
pub fn session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        SESSION_DAYS * 24 * 3600
    )
}

/// The `Set-Cookie` value that removes the session cookie.
#[must_use]
pub fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The value of a cookie in a request, if it is set and not empty.
#[must_use]
pub fn cookie_value(headers: &HeaderMap, cookie: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == cookie && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The session token in a request's cookies.
#[must_use]
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

/// The logged-in player, if any, with their session.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<(Session, User)>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<MaybeUser, AppError> {
        if let Some(crate::csrf::SessionLookup(found)) = parts.extensions.get() {
            return Ok(MaybeUser(found.clone()));
        }
        Ok(MaybeUser(crate::csrf::lookup(state, &parts.headers).await?))
    }
}

/// The logged-in player of an API call (the CSRF guard has checked the token of a
/// state-changing call).
#[derive(Debug, Clone)]
pub struct ApiUser {
    /// The session.
    pub session: Session,
    /// The player.
    pub user: User,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiUser, AppError> {
        let MaybeUser(found) = MaybeUser::from_request_parts(parts, state).await?;
        let (session, user) = found.ok_or_else(AppError::unauthorized)?;
        Ok(ApiUser { session, user })
    }
}
