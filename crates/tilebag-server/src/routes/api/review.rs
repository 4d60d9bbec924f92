//! `/api/v1/review`: the due queue, undoing the last review, postponing, and fitting the
//! player's scheduling parameters.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tilebag_store::{DeckId, DueQueue};
use tilebag_study::review::{Evaluation, Fit, MIN_REVIEWS_TO_FIT};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::cards::CardOut;
use crate::app::review;
use crate::error::{AppError, AppJson, AppQuery};
use crate::player::Player;
use crate::state::AppState;

/// The routes of reviewing.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(undo))
        .routes(routes!(postpone))
        .routes(routes!(parameters, optimize))
}

/// `GET /api/v1/review/queue` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// One deck [default: all the player's decks].
    deck: Option<i64>,
    /// At most this many cards, 0 to 100 [default: 20]; 0 answers only the counts.
    #[param(minimum = 0, maximum = 100)]
    limit: Option<i64>,
}

/// The next cards to review and how many are left today.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueOut {
    /// Cards seen before that are due, by due time, then new cards up to today's limit.
    cards: Vec<CardOut>,
    /// Review cards due.
    due: i64,
    /// Learning and relearning cards due.
    learning: i64,
    /// New cards left for today.
    new: i64,
}

impl QueueOut {
    fn of(q: DueQueue, prompts: Vec<Option<tilebag_study::cards::Prompt>>) -> QueueOut {
        QueueOut {
            cards: q
                .cards
                .into_iter()
                .zip(prompts)
                .map(|(card, prompt)| CardOut::asking(card, prompt))
                .collect(),
            due: q.due,
            learning: q.learning,
            new: q.new,
        }
    }
}

/// The due queue of one deck or all: due cards by due time, then new ones up to each deck's
/// new cards per day (counted from midnight in the site's time zone).
#[utoipa::path(get, path = "/api/v1/review/queue", params(QueueParams), security(("session_cookie" = [])),
    responses((status = 200, body = QueueOut), (status = 400, description = "bad limit"), (status = 401, description = "not logged in"), (status = 404, description = "no such deck of yours")))]
pub async fn queue(
    State(state): State<AppState>,
    player: Player,
    AppQuery(params): AppQuery<QueueParams>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let limit = params.limit.unwrap_or(20);
    if !(0..=review::MAX_QUEUE).contains(&limit) {
        return Err(AppError::bad_request(format!(
            "limit: 0 to {} cards, not {limit}",
            review::MAX_QUEUE
        )));
    }
    let q = review::queue(&state.app, user, params.deck.map(DeckId), limit).await?;
    let prompts = review::prompts(&state.app, user, &q.cards).await?;
    Ok(Json(QueueOut::of(q, prompts)).into_response())
}

/// Which review to undo.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoIn {
    /// The card whose last review to undo [default: the player's last review of any card].
    card: Option<i64>,
}

/// Undoes the player's last review, restoring the card's exact schedule before it.
#[utoipa::path(post, path = "/api/v1/review/undo", request_body = UndoIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = CardOut), (status = 404, description = "no review to undo"), (status = 409, description = "the card changed after that review")))]
pub async fn undo(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<UndoIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let undone = review::undo(&state.app, user, body.card.map(tilebag_store::CardId)).await?;
    Ok(Json(CardOut::brief(undone.card)).into_response())
}

/// Cards to postpone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostponeIn {
    /// Days to push them back, 1 to 3,650.
    #[schema(minimum = 1, maximum = 3650)]
    days: u32,
    /// One deck [default: all].
    deck: Option<i64>,
    /// At most this many cards, those least likely to be forgotten first [default: all due].
    #[schema(minimum = 0)]
    count: Option<usize>,
}

/// How many cards were postponed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostponedOut {
    postponed: u64,
}

/// Postpones due review cards by some days, those most likely still remembered first (after
/// a break, so the reviews left are the ones that matter).
#[utoipa::path(post, path = "/api/v1/review/postpone", request_body = PostponeIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = PostponedOut), (status = 400, description = "bad days"), (status = 404, description = "no such deck of yours")))]
pub async fn postpone(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<PostponeIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let postponed = review::postpone(
        &state.app,
        user,
        body.deck.map(DeckId),
        body.days,
        body.count,
    )
    .await?;
    Ok(Json(PostponedOut { postponed }).into_response())
}

/// How well parameters predict a history (lower is better).
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationOut {
    log_loss: f32,
    rmse: f32,
}

impl From<Evaluation> for EvaluationOut {
    fn from(e: Evaluation) -> EvaluationOut {
        EvaluationOut {
            log_loss: e.log_loss,
            rmse: e.rmse,
        }
    }
}

/// The parameters the player's cards are scheduled with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParametersOut {
    /// `fsrs-6`.
    model: &'static str,
    /// Fitted to the player's reviews, or FSRS-6's defaults.
    fitted: bool,
    /// The weights.
    weights: Vec<f32>,
    /// Reviews the fit came from.
    reviews: Option<usize>,
    /// How the fitted weights predict those reviews.
    fitted_figures: Option<EvaluationOut>,
    /// How the default weights predict the same reviews.
    default_figures: Option<EvaluationOut>,
    /// When they were fitted, Unix seconds.
    fitted_at: Option<i64>,
    /// The fewest reviews a fit needs.
    min_reviews: usize,
}

fn parameters_out(fit: Option<(Fit, Option<i64>)>) -> ParametersOut {
    match fit {
        Some((fit, fitted_at)) => ParametersOut {
            model: "fsrs-6",
            fitted: true,
            weights: fit.parameters.weights,
            reviews: Some(fit.reviews),
            fitted_figures: Some(fit.fitted.into()),
            default_figures: Some(fit.default.into()),
            fitted_at,
            min_reviews: MIN_REVIEWS_TO_FIT,
        },
        None => ParametersOut {
            model: "fsrs-6",
            fitted: false,
            weights: tilebag_study::review::Parameters::default().weights,
            reviews: None,
            fitted_figures: None,
            default_figures: None,
            fitted_at: None,
            min_reviews: MIN_REVIEWS_TO_FIT,
        },
    }
}

/// The parameters the player's cards are scheduled with, and how they fit their reviews.
#[utoipa::path(get, path = "/api/v1/review/parameters", security(("session_cookie" = [])),
    responses((status = 200, body = ParametersOut), (status = 401, description = "not logged in")))]
pub async fn parameters(
    State(state): State<AppState>,
    player: Player,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let stored = review::parameters(&state.app, user).await?;
    Ok(Json(parameters_out(stored.map(|s| (s.fit, Some(s.fitted_at))))).into_response())
}

/// Fits the player's parameters to their review history (at least 400 reviews) and
/// schedules with them from now on; answers the fitted and default figures.
#[utoipa::path(post, path = "/api/v1/review/parameters", operation_id = "optimize", security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = ParametersOut), (status = 409, description = "too few reviews, or the fit failed"), (status = 503, description = "another fit took the turn for 10 s: try again after Retry-After")))]
pub async fn optimize(State(state): State<AppState>, player: Player) -> Result<Response, AppError> {
    let user = player.account()?;
    let fit = review::optimize(&state.app, user.id).await?;
    let now = state.app.clock.now_s();
    Ok(Json(parameters_out(Some((fit, Some(now))))).into_response())
}
