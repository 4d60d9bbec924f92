//! `/api/v1/walls`: making walls, playing rounds, saving a wall's list.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tilebag_store::{SaveError, StoreError, WallId};
use tilebag_study::{Deal, Guess};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::lists::{ListOut, NameIn, check_name};
use crate::app::walls::{self, Action, Loaded, Source, WallSettings};
use crate::error::{AppError, AppJson, AppPath, AppQuery};
use crate::player::Player;
use crate::search_form::SearchForm;
use crate::state::AppState;
use crate::wall_view::{WallView, view_for};

/// The routes of walls.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .routes(routes!(show))
        .routes(routes!(guess))
        .routes(routes!(give_up))
        .routes(routes!(mark))
        .routes(routes!(next))
        .routes(routes!(save))
}

/// The wall as the player sees it, with `status`.
pub async fn answer(
    state: &AppState,
    player: &Player,
    status: StatusCode,
    loaded: &Loaded,
) -> Result<Response, AppError> {
    let view = view_for(&state.app, loaded, player).await?;
    let mut response = (status, Json(view)).into_response();
    player.set_cookie(&mut response);
    Ok(response)
}

/// A new wall from a search.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWall {
    /// The search whose alphagrams make the wall (its `lexicon` is the wall's).
    search: SearchForm,
    /// Round settings.
    #[serde(default)]
    settings: WallSettings,
}

/// Makes a wall from a search and starts its first round.
#[utoipa::path(post, path = "/api/v1/walls", request_body = NewWall, security((), ("session_cookie" = [], "csrf_token" = [])),
    responses((status = 201, body = WallView), (status = 400, description = "bad criteria or settings"), (status = 404, description = "unknown lexicon")))]
pub async fn create(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<NewWall>,
) -> Result<Response, AppError> {
    let (lexicon, source) = walls::searched(&state.app.lexicons, &body.search)?;
    let id = player
        .start_wall(&state, lexicon, source, &body.settings)
        .await?;
    let loaded = walls::load(&state.app, id, &player.owner).await?;
    answer(&state, &player, StatusCode::CREATED, &loaded).await
}

/// Largest upload: 40,000 lines of up to 15 letters, with room for CRLF and comments.
pub const UPLOAD_LIMIT: usize = 1024 * 1024;

/// `POST /api/v1/walls/upload` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// Lexicon [default: the bundled one].
    lexicon: Option<String>,
    /// Questions per round, 10 to 200.
    #[param(minimum = 10, maximum = 200)]
    questions_per_round: Option<usize>,
    /// Seconds per round, 1 to 3600.
    #[param(minimum = 1, maximum = 3600)]
    seconds: Option<u32>,
}

/// Makes a wall from an uploaded text file (the request body).
#[utoipa::path(post, path = "/api/v1/walls/upload", params(UploadParams), request_body(content = String, content_type = "text/plain"), security((), ("session_cookie" = [], "csrf_token" = [])),
    responses((status = 201, body = WallView), (status = 400, description = "bad lines, with their numbers"), (status = 404, description = "unknown lexicon"), (status = 413, description = "over 1 MiB")))]
pub async fn upload(
    State(state): State<AppState>,
    player: Player,
    AppQuery(params): AppQuery<UploadParams>,
    body: Bytes,
) -> Result<Response, AppError> {
    let lexicon = state.app.lexicons.pick(params.lexicon.as_deref())?;
    let alphagrams = crate::app::upload::read_upload(lexicon, &body)?;
    let defaults = WallSettings::default();
    let settings = WallSettings {
        questions_per_round: params
            .questions_per_round
            .unwrap_or(defaults.questions_per_round),
        seconds: params.seconds.unwrap_or(defaults.seconds),
        ..defaults
    };
    let source = Source::Alphagrams {
        alphagrams,
        about: "uploaded file".to_owned(),
    };
    let id = player
        .start_wall(&state, lexicon, source, &settings)
        .await?;
    let loaded = walls::load(&state.app, id, &player.owner).await?;
    answer(&state, &player, StatusCode::CREATED, &loaded).await
}

/// The wall's current round.
#[utoipa::path(get, path = "/api/v1/walls/{id}", params(("id" = i64, Path)), security((), ("session_cookie" = [])),
    responses((status = 200, body = WallView), (status = 404, description = "no such wall of yours")))]
pub async fn show(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
) -> Result<Response, AppError> {
    let loaded = walls::load(&state.app, WallId(id), &player.owner).await?;
    answer(&state, &player, StatusCode::OK, &loaded).await
}

/// A guess.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuessIn {
    word: String,
}

/// What a guess did, and the round's score.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuessOut {
    /// `solved`, `already_solved`, `wrong`, `late` (time was up) or `over`.
    result: &'static str,
    /// The question the word answers, when it does.
    question: Option<usize>,
    /// The word, upper-case.
    word: String,
    /// Answers found.
    solved: usize,
    /// Wrong guesses.
    wrong: u32,
    /// Milliseconds left.
    remaining_ms: i64,
    /// Whether the round is over.
    ended: bool,
}

/// Judges a guess; repeating a solved word is harmless.
#[utoipa::path(post, path = "/api/v1/walls/{id}/guess", params(("id" = i64, Path)), request_body = GuessIn, security((), ("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = GuessOut), (status = 404, description = "no such wall of yours")))]
pub async fn guess(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<GuessIn>,
) -> Result<Response, AppError> {
    let action = Action::Guess(body.word.clone());
    let (loaded, outcome) = walls::act(&state.app, WallId(id), Some(&player.owner), action).await?;
    let (result, question) = match outcome.unwrap_or(Guess::Over) {
        Guess::Solved { question, .. } => ("solved", Some(question)),
        Guess::AlreadySolved { question } => ("already_solved", Some(question)),
        Guess::Wrong => ("wrong", None),
        Guess::Late => ("late", None),
        Guess::Over => ("over", None),
    };
    Ok(Json(GuessOut {
        result,
        question,
        word: body.word.trim().to_ascii_uppercase(),
        solved: loaded.round.solved_count(),
        wrong: loaded.round.wrong,
        remaining_ms: loaded.round.remaining(state.app.clock.now_ms()),
        ended: loaded.round.ended.is_some(),
    })
    .into_response())
}

/// Ends the round now and reveals every answer.
#[utoipa::path(post, path = "/api/v1/walls/{id}/give-up", params(("id" = i64, Path)), security((), ("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = WallView), (status = 404, description = "no such wall of yours")))]
pub async fn give_up(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
) -> Result<Response, AppError> {
    let (loaded, _) =
        walls::act(&state.app, WallId(id), Some(&player.owner), Action::GiveUp).await?;
    answer(&state, &player, StatusCode::OK, &loaded).await
}

/// Marks a question missed or not after the round (`missed: null` undoes it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkIn {
    question: usize,
    missed: Option<bool>,
}

/// Marks a question as missed (or not) after the round.
#[utoipa::path(post, path = "/api/v1/walls/{id}/missed", params(("id" = i64, Path)), request_body = MarkIn, security((), ("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = WallView), (status = 400, description = "no such question, or the round is running"), (status = 404, description = "no such wall of yours"), (status = 409, description = "the round is running")))]
pub async fn mark(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<MarkIn>,
) -> Result<Response, AppError> {
    let action = Action::Mark {
        question: body.question,
        missed: body.missed,
    };
    let (loaded, _) = walls::act(&state.app, WallId(id), Some(&player.owner), action).await?;
    answer(&state, &player, StatusCode::OK, &loaded).await
}

/// What the next round deals.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NextIn {
    /// `continue`, `missed`, `first_missed` or `start_over`.
    #[schema(value_type = DealName)]
    deal: Deal,
}

/// What a round deals (`tilebag_study::Deal`, as the API spells it).
#[derive(Debug, ToSchema)]
#[schema(as = Deal)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code, reason = "describes `Deal` in the API document")]
pub enum DealName {
    /// Go on with the current queue.
    Continue,
    /// A new queue of the first-pass misses.
    FirstMissed,
    /// A new queue of what is missed now.
    Missed,
    /// The whole list again.
    StartOver,
}

/// Starts the next round.
#[utoipa::path(post, path = "/api/v1/walls/{id}/next", params(("id" = i64, Path)), request_body = NextIn, security((), ("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = WallView), (status = 404, description = "no such wall of yours"), (status = 409, description = "the round is running, or nothing is left to deal")))]
pub async fn next(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<NextIn>,
) -> Result<Response, AppError> {
    let action = Action::Next(body.deal);
    let (loaded, _) = walls::act(&state.app, WallId(id), Some(&player.owner), action).await?;
    answer(&state, &player, StatusCode::OK, &loaded).await
}

fn save_error(error: SaveError, name: &str) -> AppError {
    match error {
        SaveError::Quota { .. } => AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "quota",
            format!("{error}; delete a list to make room"),
        ),
        SaveError::Store(StoreError::Conflict(_)) => AppError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("you already have a list named “{name}” in this lexicon"),
        ),
        SaveError::Store(StoreError::NotFound) => AppError::not_found("no such wall"),
        SaveError::Store(other) => other.into(),
    }
}

/// Saves the wall's list under a name; it then autosaves after each round.
#[utoipa::path(post, path = "/api/v1/walls/{id}/save", params(("id" = i64, Path)), request_body = NameIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 201, body = ListOut), (status = 400, description = "a list name has 1 to 60 characters"), (status = 401, description = "saving needs an account"), (status = 404, description = "no such wall of yours"), (status = 409, description = "name taken"), (status = 422, description = "over the quota")))]
pub async fn save(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<NameIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let name = check_name(&body.name)?;
    walls::load(&state.app, WallId(id), &player.owner).await?;
    let list_id = walls::save_list(&state.app, WallId(id), user, &name)
        .await
        .map_err(|e| save_error(e, &name))?;
    let (summary, _) = state.app.store.list(list_id, user.id).await?;
    Ok((StatusCode::CREATED, Json(ListOut::from(summary))).into_response())
}
