//! `/api/v1`: the word tools.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppJson, AppPath, AppQuery};
use crate::search_form::SearchForm;
use crate::state::AppState;
use crate::tools;
use crate::views::{AnagramOut, InfoOut, JudgeOut, LexiconOut, SearchOut};

/// The word tools' routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(anagram))
        .routes(routes!(judge))
        .routes(routes!(info))
        .routes(routes!(search, search_json))
        .routes(routes!(lexicons))
}

/// `GET /api/v1/anagram` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AnagramParams {
    /// Letters, `?` blanks (up to 8), `[...]` letter sets.
    #[param(min_length = 1)]
    q: String,
    /// `anagram` (default), `build` or `super`.
    #[param(pattern = "^(anagram|build|super)$")]
    mode: Option<String>,
    /// Lexicon [default: the bundled one].
    lexicon: Option<String>,
}

/// Words made from a rack.
#[utoipa::path(get, path = "/api/v1/anagram", params(AnagramParams),
    responses((status = 200, body = AnagramOut), (status = 400, description = "malformed query"), (status = 404, description = "unknown lexicon")))]
pub async fn anagram(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<AnagramParams>,
) -> Result<Response, AppError> {
    let lexicon = state.app.lexicons.pick(params.lexicon.as_deref())?;
    Ok(Json(tools::anagram(lexicon, &params.q, params.mode.as_deref())?).into_response())
}

/// `GET /api/v1/judge` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JudgeParams {
    /// Words separated by commas or spaces.
    words: String,
    /// Lexicon [default: the bundled one].
    lexicon: Option<String>,
}

/// Whether words are valid.
#[utoipa::path(get, path = "/api/v1/judge", params(JudgeParams),
    responses((status = 200, body = JudgeOut), (status = 404, description = "unknown lexicon")))]
pub async fn judge(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<JudgeParams>,
) -> Result<Response, AppError> {
    let lexicon = state.app.lexicons.pick(params.lexicon.as_deref())?;
    Ok(Json(tools::judge(lexicon, &params.words)).into_response())
}

/// `GET /api/v1/words/{word}` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InfoParams {
    /// Lexicon [default: the bundled one].
    lexicon: Option<String>,
    /// Mark the word with `#` if this other lexicon lacks it.
    compare: Option<String>,
}

/// Everything about a word.
#[utoipa::path(get, path = "/api/v1/words/{word}", params(("word" = String, Path, description = "the word"), InfoParams),
    responses((status = 200, body = InfoOut), (status = 404, description = "not a word, or unknown lexicon")))]
pub async fn info(
    State(state): State<AppState>,
    AppPath(word): AppPath<String>,
    AppQuery(params): AppQuery<InfoParams>,
) -> Result<Response, AppError> {
    let lexicon = state.app.lexicons.pick(params.lexicon.as_deref())?;
    let compare = params
        .compare
        .as_deref()
        .map(|name| state.app.lexicons.pick(Some(name)))
        .transpose()?;
    Ok(Json(tools::info(lexicon, &word, compare)?).into_response())
}

/// Search with criteria in the query string: a page of at most `limit` alphagrams (500
/// unless asked, at most 10,000) from `offset`, with the `total` found.
#[utoipa::path(get, path = "/api/v1/search", params(SearchForm),
    responses((status = 200, body = SearchOut), (status = 400, description = "a criterion is malformed"), (status = 404, description = "unknown lexicon")))]
pub async fn search(
    State(state): State<AppState>,
    AppQuery(form): AppQuery<SearchForm>,
) -> Result<Response, AppError> {
    search_answer(&state, form).await
}

/// A search made as heavy work: off the async threads, its answer within the memory budget.
async fn search_answer(state: &AppState, form: SearchForm) -> Result<Response, AppError> {
    let lexicons = state.app.lexicons.clone();
    state
        .heavy
        .run(move || {
            let found = tools::search(&lexicons, &form, tools::MAX_RESULTS)?;
            let json = serde_json::to_vec(&found).map_err(AppError::internal)?;
            Ok((axum::http::StatusCode::OK, "application/json", json))
        })
        .await
}

/// Search with criteria in a JSON body; paged as the `GET` is.
#[utoipa::path(post, path = "/api/v1/search", request_body = SearchForm,
    responses((status = 200, body = SearchOut), (status = 400, description = "a criterion is malformed"), (status = 404, description = "unknown lexicon"), (status = 422, description = "unknown field")))]
pub async fn search_json(
    State(state): State<AppState>,
    AppJson(form): AppJson<SearchForm>,
) -> Result<Response, AppError> {
    search_answer(&state, form).await
}

/// The lexicons offered, the default first.
#[utoipa::path(get, path = "/api/v1/lexicons", responses((status = 200, body = [LexiconOut])))]
pub async fn lexicons(State(state): State<AppState>) -> Response {
    let all: Vec<LexiconOut<'_>> = state
        .app
        .lexicons
        .all()
        .iter()
        .map(|l| LexiconOut {
            name: l.name(),
            words: l.word_count(),
            alphagrams: l.alphagram_count(),
            definitions: l.has_definitions(),
        })
        .collect();
    Json(all).into_response()
}
