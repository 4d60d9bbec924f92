//! `/api/v1/tables`: multiplayer tables — the lobby, making a table, a table's state, and
//! the WebSocket that plays it (its messages are described in the README).

use axum::Json;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tilebag_store::{ListId, TableId, TableLimits};
use tilebag_study::Deal;
use tilebag_study::table::Table;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::documents::read;
use crate::app::tables;
use crate::app::walls::{self, Source, WallSettings};
use crate::error::{AppError, AppJson, AppPath, AppQuery};
use crate::player::Player;
use crate::search_form::SearchForm;
use crate::state::AppState;
use crate::tables::{socket, wire};

/// Open tables one player or guest may have made.
pub const TABLES_PER_OWNER: i64 = 3;
/// Tables the lobby lists.
pub const LOBBY_SIZE: i64 = 100;

/// The routes of tables.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tables, create_table))
        .routes(routes!(show_table))
        .routes(routes!(table_socket))
}

/// A new table: of a search's alphagrams, or of one of your saved lists.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTable {
    /// The search whose alphagrams the table plays (its `lexicon` is the table's) [default:
    /// length 7, probability 1-500].
    pub search: Option<SearchForm>,
    /// Or a saved list of yours (then `search` is not used).
    pub list_id: Option<i64>,
    /// Round settings.
    #[serde(default)]
    pub settings: WallSettings,
    /// Listed in the lobby (default), or found by its link only.
    #[serde(default = "listed")]
    pub public: bool,
}

fn listed() -> bool {
    true
}

/// What a table plays when nothing is said: the likeliest 500 sevens.
fn default_search() -> SearchForm {
    SearchForm {
        length: Some("7".into()),
        probability: Some("1-500".into()),
        ..SearchForm::default()
    }
}

/// A table just made.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableMade {
    /// Its id.
    pub id: i64,
    /// Its page.
    pub url: String,
    /// Its WebSocket.
    pub socket: String,
}

/// The table limits the server was started with.
pub fn limits(state: &AppState) -> TableLimits {
    TableLimits {
        open: state.config.max_tables,
        per_owner: TABLES_PER_OWNER,
    }
}

/// Makes a table of `body` for `player`.
pub async fn make(state: &AppState, player: &Player, body: &NewTable) -> Result<TableId, AppError> {
    let (lexicon, source) = if let Some(id) = body.list_id {
        let user = player.account()?;
        let (summary, _) = state
            .app
            .store
            .list(ListId(id), user.id)
            .await
            .map_err(|_| AppError::not_found("no such list"))?;
        let lexicon = state.app.lexicons.pick(Some(&summary.lexicon))?;
        let source = Source::List {
            id: ListId(id),
            user,
            deal: Deal::Continue,
        };
        (lexicon, source)
    } else {
        let search = body.search.clone().unwrap_or_else(default_search);
        walls::searched(&state.app.lexicons, &search)?
    };
    let admission = player.admit_wall(state)?;
    let id = tables::create(
        &state.app,
        &player.owner,
        lexicon,
        source,
        &body.settings,
        body.public,
        limits(state),
    )
    .await?;
    admission.keep();
    Ok(id)
}

/// Makes a table (with no one at it: open its socket and join).
#[utoipa::path(post, path = "/api/v1/tables", request_body = NewTable, security((), ("session_cookie" = [], "csrf_token" = [])),
    responses((status = 201, body = TableMade), (status = 400, description = "bad criteria or settings"), (status = 401, description = "a saved list needs you logged in"), (status = 404, description = "unknown lexicon or list"),
        (status = 409, description = "`table_limit`: too many open tables"), (status = 429, description = "a guest's new walls and tables for the hour are used up")))]
pub async fn create_table(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<NewTable>,
) -> Result<Response, AppError> {
    let id = make(&state, &player, &body).await?;
    let made = TableMade {
        id: id.0,
        url: format!("/tables/{}", id.0),
        socket: format!("/api/v1/tables/{}/ws", id.0),
    };
    let mut response = (StatusCode::CREATED, Json(made)).into_response();
    player.set_cookie(&mut response);
    Ok(response)
}

/// `GET /api/v1/tables` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LobbyParams {
    /// Only this lexicon's tables.
    lexicon: Option<String>,
}

/// A table in the lobby.
#[derive(Debug, Serialize, ToSchema)]
pub struct LobbyEntry {
    /// Its id.
    pub id: i64,
    /// What it plays.
    pub name: String,
    /// Its lexicon.
    pub lexicon: String,
    /// Round settings.
    pub settings: WallSettings,
    /// Players seated.
    pub players: i64,
    /// `waiting`, `countdown`, `playing` or `over`.
    pub phase: String,
}

/// The open public tables (most players first, at most 100).
pub async fn lobby_entries(
    state: &AppState,
    lexicon: Option<&str>,
) -> Result<Vec<LobbyEntry>, AppError> {
    let rows = state.app.store.lobby(lexicon, LOBBY_SIZE).await?;
    Ok(rows
        .into_iter()
        .map(|row| LobbyEntry {
            id: row.id.0,
            settings: serde_json::from_str(&row.settings).unwrap_or_default(),
            name: row.name,
            lexicon: row.lexicon,
            players: row.players,
            phase: row.phase,
        })
        .collect())
}

/// The lobby: open public tables.
#[utoipa::path(get, path = "/api/v1/tables", params(LobbyParams),
    responses((status = 200, body = Vec<LobbyEntry>)))]
pub async fn list_tables(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<LobbyParams>,
) -> Result<Json<Vec<LobbyEntry>>, AppError> {
    Ok(Json(
        lobby_entries(&state, params.lexicon.as_deref()).await?,
    ))
}

/// A table as it is now (what a socket's `snapshot` holds).
#[utoipa::path(get, path = "/api/v1/tables/{id}", params(("id" = i64, Path, description = "the table")),
    responses((status = 200, body = wire::TableView), (status = 404, description = "no such table, or it has closed")))]
pub async fn show_table(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
) -> Result<Json<wire::TableView>, AppError> {
    Ok(Json(view(&state, TableId(id)).await?))
}

/// Table `id` as it is now, if open.
pub async fn view(state: &AppState, id: TableId) -> Result<wire::TableView, AppError> {
    let stored = state
        .app
        .store
        .table(id)
        .await
        .ok()
        .filter(|t| !t.closed)
        .ok_or_else(|| AppError::not_found("no such table, or it has closed"))?;
    let table: Table = read(&stored.document)?;
    let settings: WallSettings = serde_json::from_str(&stored.settings).unwrap_or_default();
    let snapshot = wire::Snapshot {
        id: id.0,
        name: &stored.name,
        lexicon: &stored.lexicon,
        settings: &settings,
        table: &table,
    };
    Ok(snapshot.view(&state.app.lexicons, state.app.clock.now_ms()))
}

/// Opens the table's WebSocket (JSON text frames; see the README for every message). The
/// request must come from this site (`Origin`), like every request that changes state.
#[utoipa::path(get, path = "/api/v1/tables/{id}/ws", params(("id" = i64, Path, description = "the table")),
    responses((status = 101, description = "switching to the table's WebSocket"), (status = 400, description = "not a WebSocket upgrade"),
        (status = 403, description = "cross-site request refused"), (status = 404, description = "no such table, or it has closed")))]
pub async fn table_socket(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
    headers: HeaderMap,
    player: Player,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    crate::csrf::check_origin(&headers)?;
    let id = TableId(id);
    let open = state
        .app
        .store
        .table(id)
        .await
        .ok()
        .is_some_and(|t| !t.closed);
    if !open {
        return Err(AppError::not_found("no such table, or it has closed"));
    }
    let upgrade = upgrade
        .map_err(|e| AppError::bad_request(format!("this is not a WebSocket upgrade: {e}")))?;
    let cookie = player.clone();
    let mut response = upgrade
        .max_message_size(socket::MAX_FRAME)
        .max_frame_size(socket::MAX_FRAME)
        .read_buffer_size(socket::MAX_MESSAGE)
        .write_buffer_size(0)
        .on_upgrade(move |ws| socket::run(state, ws, id, player));
    cookie.set_cookie(&mut response);
    Ok(response)
}
