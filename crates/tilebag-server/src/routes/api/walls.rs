//! `/api/v1/walls` and `/api/v1/lists`: making walls, playing rounds, saving lists.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tilebag_store::{ListId, SaveError, StoreError, WallId};
use tilebag_study::{Deal, Guess, StudyList};
use utoipa::{IntoParams, ToSchema};

use crate::app::walls::{self, Action, Loaded, Source, WallSettings};
use crate::error::{AppError, AppJson, AppQuery};
use crate::player::Player;
use crate::search_form::SearchForm;
use crate::state::AppState;
use crate::wall_view::{WallView, challenge_link, view};

/// The wall as the player sees it, with `status`.
pub async fn answer(
    state: &AppState,
    player: &Player,
    status: StatusCode,
    loaded: &Loaded,
) -> Result<Response, AppError> {
    let link = challenge_link(&state.app, loaded).await?;
    let mut response = (status, Json(view(&state.app, loaded, link))).into_response();
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
#[utoipa::path(post, path = "/api/v1/walls", request_body = NewWall,
    responses((status = 201, body = WallView), (status = 400, description = "bad criteria or settings")))]
pub async fn create(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<NewWall>,
) -> Result<Response, AppError> {
    let (lexicon, alphagrams) = walls::alphagrams_of(&state.app.lexicons, &body.search)?;
    let source = Source::Alphagrams(alphagrams);
    let (id, _) = walls::create(&state.app, &player.owner, lexicon, source, &body.settings).await?;
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
    /// Questions per round.
    questions_per_round: Option<usize>,
    /// Seconds per round.
    seconds: Option<u32>,
}

/// Makes a wall from an uploaded text file (the request body).
#[utoipa::path(post, path = "/api/v1/walls/upload", params(UploadParams), request_body(content = String, content_type = "text/plain"),
    responses((status = 201, body = WallView), (status = 400, description = "bad lines, with their numbers")))]
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
    let source = Source::Alphagrams(alphagrams);
    let (id, _) = walls::create(&state.app, &player.owner, lexicon, source, &settings).await?;
    let loaded = walls::load(&state.app, id, &player.owner).await?;
    answer(&state, &player, StatusCode::CREATED, &loaded).await
}

/// The wall's current round.
#[utoipa::path(get, path = "/api/v1/walls/{id}", params(("id" = i64, Path)), responses((status = 200, body = WallView), (status = 404, description = "no such wall of yours")))]
pub async fn show(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
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
#[utoipa::path(post, path = "/api/v1/walls/{id}/guess", params(("id" = i64, Path)), request_body = GuessIn, responses((status = 200, body = GuessOut)))]
pub async fn guess(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
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
#[utoipa::path(post, path = "/api/v1/walls/{id}/give-up", params(("id" = i64, Path)), responses((status = 200, body = WallView)))]
pub async fn give_up(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
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
#[utoipa::path(post, path = "/api/v1/walls/{id}/missed", params(("id" = i64, Path)), request_body = MarkIn, responses((status = 200, body = WallView)))]
pub async fn mark(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
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
    #[schema(value_type = String)]
    deal: Deal,
}

/// Starts the next round.
#[utoipa::path(post, path = "/api/v1/walls/{id}/next", params(("id" = i64, Path)), request_body = NextIn,
    responses((status = 200, body = WallView), (status = 409, description = "the round is running, or nothing is left to deal")))]
pub async fn next(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
    AppJson(body): AppJson<NextIn>,
) -> Result<Response, AppError> {
    let action = Action::Next(body.deal);
    let (loaded, _) = walls::act(&state.app, WallId(id), Some(&player.owner), action).await?;
    answer(&state, &player, StatusCode::OK, &loaded).await
}

/// A name for a list.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameIn {
    name: String,
}

fn check_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::bad_request("a list name has 1 to 60 characters"));
    }
    Ok(name.to_owned())
}

/// A saved list's progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListOut {
    id: i64,
    lexicon: String,
    name: String,
    questions: i64,
    seen: i64,
    missed: i64,
    first_missed: i64,
    played_at: i64,
}

impl From<tilebag_store::ListSummary> for ListOut {
    fn from(s: tilebag_store::ListSummary) -> ListOut {
        ListOut {
            id: s.id.0,
            lexicon: s.lexicon,
            name: s.name,
            questions: s.size,
            seen: s.seen,
            missed: s.missed,
            first_missed: s.first_missed,
            played_at: s.played_at,
        }
    }
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
            format!("you already have a list named `{name}` in this lexicon"),
        ),
        SaveError::Store(StoreError::NotFound) => AppError::not_found("no such wall"),
        SaveError::Store(other) => other.into(),
    }
}

/// Saves the wall's list under a name; it then autosaves after each round.
#[utoipa::path(post, path = "/api/v1/walls/{id}/save", params(("id" = i64, Path)), request_body = NameIn,
    responses((status = 201, body = ListOut), (status = 401, description = "saving needs an account"), (status = 409, description = "name taken"), (status = 422, description = "over the quota")))]
pub async fn save(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
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

/// The player's saved lists, most recently played first.
#[utoipa::path(get, path = "/api/v1/lists", responses((status = 200, body = [ListOut]), (status = 401, description = "not logged in")))]
pub async fn lists(State(state): State<AppState>, player: Player) -> Result<Response, AppError> {
    let user = player.account()?;
    let all: Vec<ListOut> = state
        .app
        .store
        .lists(user.id)
        .await?
        .into_iter()
        .map(ListOut::from)
        .collect();
    Ok(Json(all).into_response())
}

/// How to play a saved list.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlayIn {
    /// `continue`, `first_missed`, `missed` or `start_over`.
    #[schema(value_type = String)]
    deal: Deal,
    #[serde(default)]
    settings: WallSettings,
}

fn not_found_list(error: StoreError) -> AppError {
    match error {
        StoreError::NotFound => AppError::not_found("no such list"),
        other => other.into(),
    }
}

/// Starts a wall on a saved list.
#[utoipa::path(post, path = "/api/v1/lists/{id}/walls", params(("id" = i64, Path)), request_body = PlayIn,
    responses((status = 201, body = WallView), (status = 404, description = "no such list of yours"), (status = 409, description = "nothing to deal")))]
pub async fn play(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
    AppJson(body): AppJson<PlayIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    body.settings.check()?;
    let (summary, _) = state
        .app
        .store
        .list(ListId(id), user.id)
        .await
        .map_err(not_found_list)?;
    let lexicon = state.app.lexicons.pick(Some(&summary.lexicon))?;
    let source = Source::List {
        id: ListId(id),
        user,
        deal: body.deal,
    };
    let (id, _) = walls::create(&state.app, &player.owner, lexicon, source, &body.settings).await?;
    let loaded = walls::load(&state.app, id, &player.owner).await?;
    answer(&state, &player, StatusCode::CREATED, &loaded).await
}

/// Renames a saved list.
#[utoipa::path(patch, path = "/api/v1/lists/{id}", params(("id" = i64, Path)), request_body = NameIn, responses((status = 204)))]
pub async fn rename(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
    AppJson(body): AppJson<NameIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let name = check_name(&body.name)?;
    state
        .app
        .store
        .rename_list(ListId(id), user.id, &name)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("you already have a list named `{name}` in this lexicon"),
            ),
            other => not_found_list(other),
        })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Deletes a saved list.
#[utoipa::path(delete, path = "/api/v1/lists/{id}", params(("id" = i64, Path)), responses((status = 204)))]
pub async fn delete(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    state
        .app
        .store
        .delete_list(ListId(id), user.id)
        .await
        .map_err(not_found_list)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/lists/{id}/export` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `alphagrams` (default) or `words`.
    #[serde(rename = "as")]
    format: Option<String>,
}

/// A saved list as a text file, one alphagram (or word) per line.
#[utoipa::path(get, path = "/api/v1/lists/{id}/export", params(("id" = i64, Path), ExportParams), responses((status = 200, body = String, content_type = "text/plain")))]
pub async fn export(
    State(state): State<AppState>,
    player: Player,
    Path(id): Path<i64>,
    AppQuery(params): AppQuery<ExportParams>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let (summary, body) = state
        .app
        .store
        .list(ListId(id), user.id)
        .await
        .map_err(not_found_list)?;
    let list: StudyList = crate::app::documents::read(&body)?;
    let mut alphagrams = list.alphagrams.clone();
    alphagrams.sort();
    let lines: Vec<String> = match params.format.as_deref().unwrap_or("alphagrams") {
        "alphagrams" => alphagrams,
        "words" => {
            let lexicon = state.app.lexicons.pick(Some(&summary.lexicon))?;
            let mut words: Vec<String> =
                tilebag_study::questions(lexicon, alphagrams.iter().map(String::as_str))
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(|q| q.answers)
                    .collect();
            words.sort();
            words
        }
        other => {
            return Err(AppError::bad_request(format!(
                "as: say alphagrams or words, not `{other}`"
            )));
        }
    };
    let filename: String = summary
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let disposition = format!("attachment; filename=\"{filename}.txt\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        lines.join("\n") + "\n",
    )
        .into_response())
}
