//! `/api/v1/review`: statistics, a card's history and the daily leaderboard of cards
//! reviewed.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tilebag_store::{CardId, DeckId};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::review_stats::{self, CardHistory, LeaderboardOut, StatsOut};
use crate::auth::ApiUser;
use crate::error::{AppError, AppPath, AppQuery};
use crate::state::AppState;

/// The routes of review statistics.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(card_history))
        .routes(routes!(leaderboard))
}

/// Which deck.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// One of the player's decks [default: all of them].
    pub deck: Option<i64>,
}

/// The review statistics of one deck or all the player's decks: due forecast for the next
/// 30 days, reviews per day by grade and true retention over the last 30, cards by state.
/// Days follow the site's time zone.
#[utoipa::path(get, path = "/api/v1/review/stats", operation_id = "review_stats", params(StatsParams), security(("session_cookie" = [])),
    responses((status = 200, body = StatsOut), (status = 400, description = "malformed deck"), (status = 401, description = "not logged in"), (status = 404, description = "no such deck")))]
pub async fn stats(
    State(state): State<AppState>,
    user: ApiUser,
    AppQuery(params): AppQuery<StatsParams>,
) -> Result<Response, AppError> {
    let now = state.app.clock.now();
    let stats = review_stats::stats(&state.app, user.user.id, params.deck.map(DeckId), now).await?;
    Ok(Json(stats).into_response())
}

/// A card's reviews with the memory each left (stability, difficulty) and the recall
/// expected before it, and its forgetting curve from the last review.
#[utoipa::path(get, path = "/api/v1/review/cards/{id}/history", operation_id = "card_history", params(("id" = i64, Path)), security(("session_cookie" = [])),
    responses((status = 200, body = CardHistory), (status = 400, description = "malformed id"), (status = 401, description = "not logged in"), (status = 404, description = "no such card")))]
pub async fn card_history(
    State(state): State<AppState>,
    user: ApiUser,
    AppPath(id): AppPath<i64>,
) -> Result<Response, AppError> {
    let now = state.app.clock.now_ms();
    let history = review_stats::card_history(&state.app, user.user.id, CardId(id), now).await?;
    Ok(Json(history).into_response())
}

/// Which day.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeaderboardParams {
    /// `YYYY-MM-DD`, up to today in the site's time zone [default: today].
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub day: Option<String>,
}

/// The players who chose to be on it, by distinct cards reviewed on the day (then by
/// reviews), at most 100.
#[utoipa::path(get, path = "/api/v1/review/leaderboard", operation_id = "review_leaderboard", params(LeaderboardParams),
    responses((status = 200, body = LeaderboardOut), (status = 400, description = "malformed day, or a day not begun")))]
pub async fn leaderboard(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<LeaderboardParams>,
) -> Result<Response, AppError> {
    let app = &state.app;
    let day = review_stats::leaderboard_day(app, params.day.as_deref(), app.clock.now())?;
    Ok(Json(review_stats::leaderboard(app, day).await?).into_response())
}
