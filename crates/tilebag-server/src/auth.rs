//! Accounts: passwords, sessions in cookies, CSRF tokens and login rate limits.
//!
//! A session cookie holds a random token; the database keeps only its SHA-256, so logging
//! out or changing the password really ends sessions. Every state-changing request made with
//! the cookie must echo the session's CSRF token (a form field or the `X-CSRF-Token`
//! header), and any request whose `Origin` is another site is refused.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tilebag_store::{NewSession, Session, StoreError, User};

use crate::config::LoginLimit;
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
            "a username has 3 to 30 letters, digits, `_` or `-`",
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
) -> Result<NewLogin, AppError> {
    check_username(username)?;
    check_password(password)?;
    let hash = hash_password(state, password.to_owned()).await?;
    let user = state
        .app
        .store
        .create_user(username, &hash, state.app.clock.now_s())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::new(
                axum::http::StatusCode::CONFLICT,
                "conflict",
                format!("the username `{username}` is taken"),
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
    state
        .limiter
        .check(&account, client, state.app.clock.now_ms())
        .map_err(|wait| AppError::too_many_attempts(wait.as_secs().max(1)))?;
    let user = match state.app.store.user_by_name(username).await {
        Ok(user) => Some(user),
        Err(StoreError::NotFound) => None,
        Err(other) => return Err(other.into()),
    };
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let valid = verify_password(state, password.to_owned(), hash).await?;
    match user {
        Some(user) if valid => {
            state.limiter.forget(&account);
            start_session(state, user).await
        }
        _ => {
            state
                .limiter
                .fail(&account, client, state.app.clock.now_ms());
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
        let Some(token) = cookie_token(&parts.headers) else {
            return Ok(MaybeUser(None));
        };
        let now = state.app.clock.now_s();
        match state.app.store.session(&token_hash(&token), now).await {
            Ok(found) => Ok(MaybeUser(Some(found))),
            Err(StoreError::NotFound) => Ok(MaybeUser(None)),
            Err(other) => Err(other.into()),
        }
    }
}

/// The logged-in player of an API call; for state-changing methods the `X-CSRF-Token`
/// header must match the session's token.
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
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            check_csrf(&session, sent)?;
        }
        Ok(ApiUser { session, user })
    }
}

/// Refuses a state-changing request whose CSRF token does not match the session's.
pub fn check_csrf(session: &Session, sent: &str) -> Result<(), AppError> {
    if !sent.is_empty() && sent == session.csrf_token {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "missing or wrong CSRF token; reload the page and try again",
        ))
    }
}

/// Middleware: refuses state-changing requests sent from another site (by `Origin`).
pub async fn same_origin(
    State(_): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    if !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok());
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok());
        if let (Some(origin), Some(host)) = (origin, host) {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            if origin == "null" || !origin_host.eq_ignore_ascii_case(host) {
                return Err(AppError::forbidden("cross-site request refused"));
            }
        }
    }
    Ok(next.run(request).await)
}

/// Counts failed logins per account and per client address in a sliding window.
#[derive(Debug)]
pub struct LoginLimiter {
    limit: LoginLimit,
    /// Times of failures (Unix milliseconds, from the clock) per key.
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl LoginLimiter {
    /// A limiter with these limits.
    #[must_use]
    pub fn new(limit: LoginLimit) -> LoginLimiter {
        LoginLimiter {
            limit,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, client: IpAddr) -> [(String, bool); 2] {
        [
            (format!("account:{account}"), true),
            (format!("address:{client}"), false),
        ]
    }

    /// `Err(wait)` while the account or the address has used up its attempts at `now`
    /// (Unix milliseconds).
    pub fn check(&self, account: &str, client: IpAddr, now: i64) -> Result<(), Duration> {
        let window = i64::try_from(self.limit.window.as_millis()).unwrap_or(i64::MAX);
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (key, is_account) in Self::keys(account, client) {
            let limit = if is_account {
                self.limit.per_account
            } else {
                self.limit.per_address
            } as usize;
            if let Some(times) = failures.get_mut(&key) {
                times.retain(|t| now - *t < window);
                if times.len() >= limit {
                    let oldest = times[times.len() - limit];
                    let wait = (window - (now - oldest)).max(0);
                    return Err(Duration::from_millis(wait.unsigned_abs()));
                }
            }
        }
        Ok(())
    }

    /// Records a failed login at `now` (Unix milliseconds).
    pub fn fail(&self, account: &str, client: IpAddr, now: i64) {
        let window = i64::try_from(self.limit.window.as_millis()).unwrap_or(i64::MAX);
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() > 100_000 {
            failures.retain(|_, times| times.last().is_some_and(|t| now - *t < window));
        }
        for (key, _) in Self::keys(account, client) {
            failures.entry(key).or_default().push(now);
        }
    }

    /// Forgets an account's failures after a successful login.
    pub fn forget(&self, account: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.remove(&format!("account:{account}"));
    }
}
