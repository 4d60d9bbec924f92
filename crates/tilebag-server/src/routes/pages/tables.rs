//! Table pages: the lobby with its form for a new table, and a table itself.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::walls::read_new_wall;
use super::{Form, Page, PageError, Path, render};
use crate::auth::MaybeUser;
use crate::client::ClientIp;
use crate::error::AppError;
use crate::player::Player;
use crate::routes::api::tables::{LobbyEntry, NewTable, lobby_entries, make, view};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "tables.html")]
struct LobbyPage {
    page: Page,
    tables: Vec<LobbyEntry>,
    lexicon: String,
    lexicons: Vec<String>,
    lists: Vec<tilebag_store::ListSummary>,
    length: String,
    probability: String,
    bad: &'static str,
    message: String,
}

async fn lobby_page(
    state: &AppState,
    who: &MaybeUser,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let tables = lobby_entries(state, None).await?;
    let lists = match &who.0 {
        Some((_, user)) => state.app.store.lists(user.id).await?,
        None => Vec::new(),
    };
    let lexicons: Vec<String> = state
        .app
        .lexicons
        .names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    let page = LobbyPage {
        page: Page::new("Tables", who),
        tables,
        lexicon: lexicons.first().cloned().unwrap_or_default(),
        lexicons,
        lists,
        length: "7".into(),
        probability: "1-500".into(),
        bad: "",
        message: error.map(|e| e.message).unwrap_or_default(),
    };
    Ok(render(status, &page))
}

pub(crate) async fn lobby(
    State(state): State<AppState>,
    who: MaybeUser,
) -> Result<Response, PageError> {
    lobby_page(&state, &who, None).await
}

/// The new-table form: search criteria and round settings as for a wall, or a saved list,
/// and whether it is private.
fn read_new_table(pairs: &[(String, String)]) -> Result<NewTable, AppError> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
    };
    let list_id = match field("list_id") {
        Some(id) => Some(
            id.parse::<i64>()
                .map_err(|_| AppError::bad_request(format!("list_id: “{id}” is not a list")))?,
        ),
        None => None,
    };
    let rest: Vec<(String, String)> = pairs
        .iter()
        .filter(|(n, _)| n != "list_id" && n != "private")
        .cloned()
        .collect();
    let (search, settings) = read_new_wall(&rest).map_err(|refused| refused.1)?;
    Ok(NewTable {
        search: list_id.is_none().then_some(search),
        list_id,
        settings,
        public: field("private").is_none(),
    })
}

pub(crate) async fn create(
    State(state): State<AppState>,
    who: MaybeUser,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let player = Player::resolve(who.0.clone(), &headers, client);
    let made = match read_new_table(&pairs) {
        Ok(body) => make(&state, &player, &body).await,
        Err(error) => Err(error),
    };
    match made {
        Ok(id) => {
            let mut response = Redirect::to(&format!("/tables/{}", id.0)).into_response();
            player.set_cookie(&mut response);
            Ok(response)
        }
        Err(error) => lobby_page(&state, &who, Some(error)).await,
    }
}

#[derive(Template)]
#[template(path = "table.html")]
struct TablePage {
    page: Page,
    id: i64,
    name: String,
    order: &'static str,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    who: MaybeUser,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let table = view(&state, tilebag_store::TableId(id)).await?;
    let order = super::walls::tile_order(&who);
    let page = TablePage {
        page: Page::new(&format!("Table: {}", table.name), &who),
        id,
        name: table.name,
        order,
    };
    let mut response = render(StatusCode::OK, &page);
    // The table's socket knows a guest by this cookie: set it before the socket opens.
    Player::resolve(who.0.clone(), &headers, client).set_cookie(&mut response);
    Ok(response)
}
