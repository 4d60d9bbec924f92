//! `/api/v1/decks/{id}/import` and `/export`: a deck's cards in and out as files — Zyzzyva
//! cardboxes both ways, and CSV out.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tilebag_store::{CardKind, DeckId};
use utoipa::IntoParams;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::app::cardbox::{self, ImportReport, MAX_FILE_BYTES};
use crate::error::{AppError, AppPath, AppQuery};
use crate::player::Player;
use crate::state::AppState;

/// The routes of deck files.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)))
        .routes(routes!(export))
}

/// A card kind named in a query: only those a cardbox can hold.
fn cardbox_kind(name: Option<&str>) -> Result<CardKind, AppError> {
    match name.unwrap_or("alphagram") {
        "alphagram" => Ok(CardKind::Alphagram),
        "hooks" => Ok(CardKind::Hooks),
        other => Err(AppError::bad_request(format!(
            "kind: say alphagram or hooks, not “{other}”"
        ))),
    }
}

/// `POST /api/v1/decks/{id}/import` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `alphagram` (an Anagrams quiz, the default) or `hooks` (a Hooks quiz).
    #[param(pattern = "^(alphagram|hooks)$")]
    kind: Option<String>,
}

/// Imports a Zyzzyva quiz database (the request body, up to 25 MB) into the deck. Bad
/// questions are skipped and reported by row; the rest go in together or not at all.
#[utoipa::path(post, path = "/api/v1/decks/{id}/import", operation_id = "import_cardbox", params(("id" = i64, Path), ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = ImportReport), (status = 400, description = "not a Zyzzyva quiz database, or a bad kind"), (status = 401, description = "not logged in"),
        (status = 404, description = "no such deck of yours"), (status = 409, description = "over the card limit; nothing was imported"), (status = 413, description = "over 25 MB")))]
pub async fn import(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppQuery(params): AppQuery<ImportParams>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let kind = cardbox_kind(params.kind.as_deref())?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the file is over 25 MB, more than a cardbox file may have",
            )
        } else {
            AppError::bad_request(format!("the file could not be received: {rejection}"))
        }
    })?;
    let report = cardbox::import(&state.app, user, DeckId(id), kind, &body).await?;
    Ok(Json(report).into_response())
}

/// `GET /api/v1/decks/{id}/export` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (default) or `cardbox` (a Zyzzyva quiz database).
    #[serde(rename = "as")]
    #[param(pattern = "^(csv|cardbox)$")]
    format: Option<String>,
    /// For a cardbox: the cards of this kind, `alphagram` (default) or `hooks`.
    #[param(pattern = "^(alphagram|hooks)$")]
    kind: Option<String>,
}

/// The deck as a file: CSV (card, kind, due, stability, difficulty, reviews) or a Zyzzyva
/// cardbox of its alphagram or hooks cards.
#[utoipa::path(get, path = "/api/v1/decks/{id}/export", operation_id = "export_deck", params(("id" = i64, Path), ExportParams), security(("session_cookie" = [])),
    responses((status = 200, description = "the deck as CSV, or as a Zyzzyva quiz database", content((String = "text/csv"), (Vec<u8> = "application/vnd.sqlite3"))), (status = 400, description = "a bad format or kind"), (status = 401, description = "not logged in"),
        (status = 404, description = "no such deck of yours")))]
pub async fn export(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppQuery(params): AppQuery<ExportParams>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let format = params.format.as_deref().unwrap_or("csv");
    // A CSV export holds every card; a kind named must still be one a cardbox holds.
    let kind = cardbox_kind(params.kind.as_deref())?;
    if !matches!(format, "csv" | "cardbox") {
        return Err(AppError::bad_request(format!(
            "as: say csv or cardbox, not “{format}”"
        )));
    }
    // Every card of the deck is read and written out: an export takes a turn among the
    // heavy answers, so a flood of them cannot hold many decks in memory at once.
    let mut filename = String::new();
    let made = state.heavy.run_async(async {
        let (name, content_type, body) = if format == "csv" {
            let (name, text) = cardbox::export_csv(&state.app, user, DeckId(id)).await?;
            (name, "text/csv; charset=utf-8", text.into_bytes())
        } else {
            let (name, bytes) = cardbox::export_cardbox(&state.app, user, DeckId(id), kind).await?;
            (name, "application/vnd.sqlite3", bytes)
        };
        filename = name;
        Ok((StatusCode::OK, content_type, body))
    });
    let mut response = made.await?;
    let disposition = format!("attachment; filename=\"{filename}\"");
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(AppError::internal)?,
    );
    Ok(response)
}
