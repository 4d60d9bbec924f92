//! The JSON API under `/api/v1`, described by an OpenAPI document at `/api/v1/openapi.json`.

pub mod account;
pub mod challenges;
pub mod walls;
pub mod words;

use axum::Json;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use utoipa::OpenApi;

use crate::error::AppError;
use crate::state::AppState;

/// The OpenAPI description of the JSON API.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "tilebag API",
        description = "Word tools and accounts of a tilebag server. Errors are `{\"error\": {\"code\", \"message\"}}`. State-changing calls made with the session cookie must send the session's CSRF token in `X-CSRF-Token`."
    ),
    paths(
        words::anagram,
        words::judge,
        words::info,
        words::search,
        words::search_json,
        words::lexicons,
        account::register,
        account::login,
        account::logout,
        account::me,
        account::settings,
        account::password,
        account::delete,
    )
)]
pub struct ApiDoc;

async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

async fn unknown() -> AppError {
    AppError::not_found("no such API endpoint; see /api/v1/openapi.json")
}

/// The API's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/anagram", get(words::anagram))
        .route("/api/v1/judge", get(words::judge))
        .route("/api/v1/words/{word}", get(words::info))
        .route(
            "/api/v1/search",
            get(words::search).post(words::search_json),
        )
        .route("/api/v1/lexicons", get(words::lexicons))
        .route("/api/v1/account", get(account::me).delete(account::delete))
        .route("/api/v1/account/register", post(account::register))
        .route("/api/v1/account/login", post(account::login))
        .route("/api/v1/account/logout", post(account::logout))
        .route(
            "/api/v1/account/settings",
            axum::routing::put(account::settings),
        )
        .route("/api/v1/account/password", post(account::password))
        .route("/api/v1/walls", post(walls::create))
        .route(
            "/api/v1/walls/upload",
            post(walls::upload).layer(axum::extract::DefaultBodyLimit::max(walls::UPLOAD_LIMIT)),
        )
        .route("/api/v1/walls/{id}", get(walls::show))
        .route("/api/v1/walls/{id}/guess", post(walls::guess))
        .route("/api/v1/walls/{id}/give-up", post(walls::give_up))
        .route("/api/v1/walls/{id}/missed", post(walls::mark))
        .route("/api/v1/walls/{id}/next", post(walls::next))
        .route("/api/v1/walls/{id}/save", post(walls::save))
        .route("/api/v1/lists", get(walls::lists))
        .route(
            "/api/v1/lists/{id}",
            axum::routing::patch(walls::rename).delete(walls::delete),
        )
        .route("/api/v1/lists/{id}/walls", post(walls::play))
        .route("/api/v1/lists/{id}/export", get(walls::export))
        .route("/api/v1/challenges", get(challenges::list))
        .route("/api/v1/challenges/{slug}/play", post(challenges::play))
        .route(
            "/api/v1/challenges/{slug}/leaderboard",
            get(challenges::leaderboard),
        )
        .route("/api/v1/hall-of-fame", get(challenges::hall_of_fame))
        .route("/api/v1/players/{name}/medals", get(challenges::medals))
        .route("/api/v1/{*rest}", axum::routing::any(unknown))
}
