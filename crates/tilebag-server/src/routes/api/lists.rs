//! `/api/v1/lists`: a player's saved lists — play, rename, delete, export.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tilebag_store::{ListId, StoreError};
use tilebag_study::{Deal, StudyList};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::walls::{DealName, answer};
use crate::app::walls::{self, Source, WallSettings};
use crate::error::{AppError, AppJson, AppPath, AppQuery};
use crate::player::Player;
use crate::state::AppState;
use crate::wall_view::WallView;

/// The routes of saved lists.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lists))
        .routes(routes!(rename, delete))
        .routes(routes!(play))
        .routes(routes!(export))
}

/// A name for a list.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameIn {
    /// 1 to 60 characters, not all spaces, none of them invisible.
    #[schema(
        max_length = 60,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub(crate) name: String,
}

pub(crate) fn check_name(untrimmed: &str) -> Result<String, AppError> {
    let name = untrimmed.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::bad_request("a list name has 1 to 60 characters"));
    }
    // Invisible characters (zero-width spaces, direction overrides, line separators) would
    // make two names look alike, or reorder the text around a name on the page.
    if let Some(c) = untrimmed.chars().find(|c| crate::extract::invisible(*c)) {
        return Err(AppError::bad_request(format!(
            "name: a list name may not hold the invisible character U+{:04X}",
            u32::from(c)
        )));
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

/// The player's saved lists, most recently played first.
#[utoipa::path(get, path = "/api/v1/lists", security(("session_cookie" = [])), responses((status = 200, body = [ListOut]), (status = 401, description = "not logged in")))]
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
    #[schema(value_type = DealName)]
    deal: Deal,
    #[serde(default)]
    settings: WallSettings,
}

pub(crate) fn not_found_list(error: StoreError) -> AppError {
    match error {
        StoreError::NotFound => AppError::not_found("no such list"),
        other => other.into(),
    }
}

/// Starts a wall on a saved list.
#[utoipa::path(post, path = "/api/v1/lists/{id}/walls", operation_id = "play_list", params(("id" = i64, Path)), request_body = PlayIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 201, body = WallView), (status = 400, description = "bad settings"), (status = 404, description = "no such list of yours"), (status = 409, description = "nothing to deal")))]
pub async fn play(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
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
    let id = player
        .start_wall(&state, lexicon, source, &body.settings)
        .await?;
    let loaded = walls::load(&state.app, id, &player.owner).await?;
    answer(&state, &player, StatusCode::CREATED, &loaded).await
}

/// Renames a saved list.
#[utoipa::path(patch, path = "/api/v1/lists/{id}", operation_id = "rename_list", params(("id" = i64, Path)), request_body = NameIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 204, description = "renamed"), (status = 400, description = "a list name has 1 to 60 characters"), (status = 404, description = "no such list of yours"), (status = 409, description = "name taken")))]
pub async fn rename(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
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
                format!("you already have a list named “{name}” in this lexicon"),
            ),
            other => not_found_list(other),
        })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Deletes a saved list.
#[utoipa::path(delete, path = "/api/v1/lists/{id}", operation_id = "delete_list", params(("id" = i64, Path)), security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 204, description = "deleted"), (status = 404, description = "no such list of yours")))]
pub async fn delete(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
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
    #[param(pattern = "^(alphagrams|words)$")]
    format: Option<String>,
}

/// A saved list as a text file, one alphagram (or word) per line.
#[utoipa::path(get, path = "/api/v1/lists/{id}/export", params(("id" = i64, Path), ExportParams), security(("session_cookie" = [])),
    responses((status = 200, body = String, content_type = "text/plain"), (status = 404, description = "no such list of yours")))]
pub async fn export(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
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
                "as: say alphagrams or words, not “{other}”"
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
