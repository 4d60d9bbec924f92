//! `/api/v1/account`: register, log in and out, settings, password, deletion.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tilebag_store::User;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, ApiUser, NewLogin};
use crate::error::{AppError, AppJson};
use crate::settings::{Preferences, save_settings};
use crate::state::AppState;

/// The account routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me, delete))
        .routes(routes!(settings))
        .routes(routes!(password))
}

/// A username and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// 3 to 30 letters, digits, `_` or `-`.
    #[schema(pattern = "^[A-Za-z0-9_-]{3,30}$")]
    username: String,
    /// At least 10 characters.
    #[schema(min_length = 10)]
    password: String,
}

/// An account as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountOut {
    username: String,
    is_admin: bool,
    default_lexicon: Option<String>,
    preferences: serde_json::Value,
    /// Echo this in the `X-CSRF-Token` header of state-changing calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    csrf_token: Option<String>,
}

fn account(user: &User, csrf_token: Option<String>) -> AccountOut {
    AccountOut {
        username: user.username.clone(),
        is_admin: user.is_admin,
        default_lexicon: user.default_lexicon.clone(),
        preferences: serde_json::to_value(crate::settings::Preferences::of(user))
            .unwrap_or_default(),
        csrf_token,
    }
}

fn logged_in(login: &NewLogin, status: StatusCode) -> Response {
    let cookie = auth::session_cookie(&login.token);
    (
        status,
        [(header::SET_COOKIE, cookie)],
        Json(account(&login.user, Some(login.csrf_token.clone()))),
    )
        .into_response()
}

/// Creates an account and logs it in (sets the session cookie).
#[utoipa::path(post, path = "/api/v1/account/register", request_body = Credentials,
    responses((status = 201, body = AccountOut), (status = 400, description = "bad username or password"), (status = 409, description = "username taken"), (status = 429, description = "too many registrations from this address"), (status = 503, description = "password hashing busy; see Retry-After")))]
pub async fn register(
    State(state): State<AppState>,
    crate::client::ClientIp(client): crate::client::ClientIp,
    AppJson(body): AppJson<Credentials>,
) -> Result<Response, AppError> {
    let login = auth::register(&state, &body.username, &body.password, client).await?;
    Ok(logged_in(&login, StatusCode::CREATED))
}

/// Logs in (sets the session cookie).
#[utoipa::path(post, path = "/api/v1/account/login", request_body = Credentials,
    responses((status = 200, body = AccountOut), (status = 401, description = "wrong username or password"), (status = 429, description = "too many attempts"), (status = 503, description = "password hashing busy; see Retry-After")))]
pub async fn login(
    State(state): State<AppState>,
    crate::client::ClientIp(client): crate::client::ClientIp,
    AppJson(body): AppJson<Credentials>,
) -> Result<Response, AppError> {
    let login = auth::login(&state, &body.username, &body.password, client).await?;
    Ok(logged_in(&login, StatusCode::OK))
}

/// Ends this session.
#[utoipa::path(post, path = "/api/v1/account/logout", security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 204, description = "logged out; the cookie is cleared")))]
pub async fn logout(
    State(state): State<AppState>,
    _user: ApiUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = auth::cookie_token(&headers) {
        auth::logout(&state, &token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::clear_cookie())],
    )
        .into_response())
}

/// The logged-in account.
#[utoipa::path(get, path = "/api/v1/account", security(("session_cookie" = [])),
    responses((status = 200, body = AccountOut), (status = 401, description = "not logged in")))]
pub async fn me(user: ApiUser) -> Response {
    Json(account(&user.user, Some(user.session.csrf_token))).into_response()
}

/// New settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsIn {
    default_lexicon: Option<String>,
    preferences: Preferences,
}

/// Changes the default lexicon and display preferences.
#[utoipa::path(put, path = "/api/v1/account/settings", request_body = SettingsIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = AccountOut), (status = 400, description = "unknown lexicon"), (status = 422, description = "unknown preference")))]
pub async fn settings(
    State(state): State<AppState>,
    user: ApiUser,
    AppJson(body): AppJson<SettingsIn>,
) -> Result<Response, AppError> {
    save_settings(
        &state,
        &user.user,
        body.default_lexicon.as_deref(),
        &body.preferences,
    )
    .await?;
    let fresh = state.app.store.user(user.user.id).await?;
    Ok(Json(account(&fresh, None)).into_response())
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    current_password: String,
    /// At least 10 characters.
    #[schema(min_length = 10)]
    new_password: String,
}

/// Changes the password; every other session ends, this one gets a new cookie.
#[utoipa::path(post, path = "/api/v1/account/password", request_body = PasswordIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = AccountOut), (status = 400, description = "the new password is too short"), (status = 403, description = "wrong current password, or CSRF token"), (status = 503, description = "password hashing busy; see Retry-After")))]
pub async fn password(
    State(state): State<AppState>,
    user: ApiUser,
    AppJson(body): AppJson<PasswordIn>,
) -> Result<Response, AppError> {
    let login = crate::settings::change_password(
        &state,
        user.user,
        &body.current_password,
        &body.new_password,
    )
    .await?;
    Ok(logged_in(&login, StatusCode::OK))
}

/// Confirms a deletion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteIn {
    password: String,
}

/// Deletes the account and everything it saved.
#[utoipa::path(delete, path = "/api/v1/account", operation_id = "delete_account", request_body = DeleteIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 204, description = "deleted; the cookie is cleared"), (status = 403, description = "wrong password, or CSRF token"), (status = 503, description = "password hashing busy; see Retry-After")))]
pub async fn delete(
    State(state): State<AppState>,
    user: ApiUser,
    AppJson(body): AppJson<DeleteIn>,
) -> Result<Response, AppError> {
    crate::settings::delete_account(&state, &user.user, &body.password).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::clear_cookie())],
    )
        .into_response())
}
