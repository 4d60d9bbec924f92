//! Wall pages: starting a wall, playing it, and the saved lists.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Form, Page, PageError, Path, render};
use crate::app::walls::{self, Mode, WallSettings};
use crate::auth::MaybeUser;
use crate::client::ClientIp;
use crate::error::AppError;
use crate::player::Player;
use crate::search_form::SearchForm;
use crate::settings::{Preferences, TileOrder};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "new_wall.html")]
struct NewWallPage {
    page: Page,
    lexicon: String,
    lexicons: Vec<String>,
    length: String,
    probability: String,
    error: Option<String>,
}

fn new_wall_page(state: &AppState, who: &MaybeUser, error: Option<AppError>) -> Response {
    let lexicon = who
        .0
        .as_ref()
        .and_then(|(_, user)| user.default_lexicon.clone())
        .unwrap_or_else(|| {
            state
                .app
                .lexicons
                .names()
                .first()
                .map(|n| (*n).to_owned())
                .unwrap_or_default()
        });
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    let page = NewWallPage {
        page: Page::new("New wall", who),
        lexicon,
        lexicons: state
            .app
            .lexicons
            .names()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        length: "7".into(),
        probability: "1-500".into(),
        error: error.map(|e| e.message),
    };
    render(status, &page)
}

pub(crate) async fn new_wall(State(state): State<AppState>, who: MaybeUser) -> Response {
    new_wall_page(&state, &who, None)
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewWallForm {
    lexicon: Option<String>,
    length: Option<String>,
    probability: Option<String>,
    pattern: Option<String>,
    includes: Option<String>,
    anagrams: Option<String>,
    questions_per_round: Option<usize>,
    seconds: Option<u32>,
    mode: Option<Mode>,
    min_length: Option<usize>,
}

pub(crate) async fn create(
    State(state): State<AppState>,
    who: MaybeUser,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    Form(form): Form<NewWallForm>,
) -> Response {
    match create_wall(&state, &who, &headers, client, form).await {
        Ok(response) => response,
        Err(error) => new_wall_page(&state, &who, Some(error)),
    }
}

async fn create_wall(
    state: &AppState,
    who: &MaybeUser,
    headers: &HeaderMap,
    client: std::net::IpAddr,
    form: NewWallForm,
) -> Result<Response, AppError> {
    let player = Player::resolve(who.0.clone(), headers, client);
    let search = SearchForm {
        lexicon: form.lexicon,
        length: form.length,
        probability: form.probability,
        pattern: form.pattern,
        includes: form.includes,
        anagrams: form.anagrams,
        ..SearchForm::default()
    };
    let (lexicon, source) = walls::searched(&state.app.lexicons, &search)?;
    let defaults = WallSettings::default();
    let settings = WallSettings {
        questions_per_round: form
            .questions_per_round
            .unwrap_or(defaults.questions_per_round),
        seconds: form.seconds.unwrap_or(defaults.seconds),
        mode: form.mode.unwrap_or(defaults.mode),
        min_length: form.min_length.unwrap_or(defaults.min_length),
    };
    let id = player.start_wall(state, lexicon, source, &settings).await?;
    let mut response = Redirect::to(&format!("/walls/{}", id.0)).into_response();
    player.set_cookie(&mut response);
    Ok(response)
}

#[derive(Template)]
#[template(path = "wall.html")]
struct WallPage {
    page: Page,
    id: i64,
    order: &'static str,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    who: MaybeUser,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let player = Player::resolve(who.0.clone(), &headers, client);
    walls::load(&state.app, tilebag_store::WallId(id), &player.owner).await?;
    let order = match who
        .0
        .as_ref()
        .map(|(_, user)| Preferences::of(user).tile_order)
    {
        Some(TileOrder::Random) => "random",
        Some(TileOrder::VowelsFirst) => "vowels_first",
        _ => "alphabetical",
    };
    Ok(render(
        StatusCode::OK,
        &WallPage {
            page: Page::new("Wall", &who),
            id,
            order,
        },
    ))
}

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage {
    page: Page,
    lists: Vec<tilebag_store::ListSummary>,
}

pub(crate) async fn lists(
    State(state): State<AppState>,
    who: MaybeUser,
) -> Result<Response, PageError> {
    let Some((_, user)) = &who.0 else {
        return Ok(Redirect::to("/login").into_response());
    };
    let lists = state.app.store.lists(user.id).await?;
    Ok(render(
        StatusCode::OK,
        &ListsPage {
            page: Page::new("Lists", &who),
            lists,
        },
    ))
}
