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
use crate::ready_made::{self, Shelf};
use crate::search_form::{FieldError, GROUPS, Group, SearchForm, without_empty};
use crate::settings::{Preferences, TileOrder};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "new_wall.html")]
struct NewWallPage {
    page: Page,
    lexicon: String,
    lexicons: Vec<String>,
    form: SearchForm,
    groups: [Group; 3],
    shelves: Vec<Shelf>,
    settings: WallSettings,
    build: bool,
    /// The field with an error ("" for none) and the error ("" for none).
    bad: &'static str,
    message: String,
}

fn new_wall_page(
    state: &AppState,
    who: &MaybeUser,
    form: Option<(SearchForm, WallSettings)>,
    error: Option<AppError>,
) -> Response {
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
    let (form, settings) = form.unwrap_or_else(|| {
        let form = SearchForm {
            length: Some("7".into()),
            probability: Some("1-500".into()),
            ..SearchForm::default()
        };
        (form, WallSettings::default())
    });
    let lexicon = form.lexicon.clone().unwrap_or(lexicon);
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    let error = error.map(|e| FieldError::of(e.message));
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
        form,
        groups: GROUPS,
        shelves: ready_made::shelves(),
        build: settings.mode == Mode::Build,
        settings,
        bad: error.as_ref().and_then(|e| e.field).unwrap_or(""),
        message: error.map(|e| e.message).unwrap_or_default(),
    };
    render(status, &page)
}

pub(crate) async fn new_wall(State(state): State<AppState>, who: MaybeUser) -> Response {
    new_wall_page(&state, &who, None, None)
}

/// A new wall's round settings, as the form sends them.
#[derive(Debug, Default, Deserialize)]
struct NewWallSettings {
    questions_per_round: Option<usize>,
    seconds: Option<u32>,
    mode: Option<Mode>,
    min_length: Option<usize>,
}

/// A new-wall form refused: the criteria when they were read (to show again), and why.
pub(crate) type Refused = Box<(Option<SearchForm>, AppError)>;

/// The posted form as search criteria (every one the search page takes) and round settings;
/// an error in the settings keeps the criteria for the page to show again.
pub(crate) fn read_new_wall(
    pairs: &[(String, String)],
) -> Result<(SearchForm, WallSettings), Refused> {
    let (settings, search): (Vec<_>, Vec<_>) = pairs
        .iter()
        .filter(|(name, _)| name != "csrf")
        .partition(|(name, _)| WallSettings::FIELDS.contains(&name.as_str()));
    let given = |pairs: &[&(String, String)]| without_empty(pairs.iter().copied());
    let search: SearchForm = serde_urlencoded::from_str(&given(&search))
        .map_err(|e| Box::new((None, AppError::bad_request(format!("search criteria: {e}")))))?;
    let settings: NewWallSettings = serde_urlencoded::from_str(&given(&settings)).map_err(|e| {
        // The setting that does not read alone, named so the page shows the error beside it.
        let culprit = settings
            .iter()
            .find(|pair| serde_urlencoded::from_str::<NewWallSettings>(&given(&[pair])).is_err());
        let message = match culprit {
            Some((name, value)) => format!("{name}: “{}”: {e}", value.trim()),
            None => format!("round settings: {e}"),
        };
        Box::new((Some(search.clone()), AppError::bad_request(message)))
    })?;
    let defaults = WallSettings::default();
    let settings = WallSettings {
        questions_per_round: settings
            .questions_per_round
            .unwrap_or(defaults.questions_per_round),
        seconds: settings.seconds.unwrap_or(defaults.seconds),
        mode: settings.mode.unwrap_or(defaults.mode),
        min_length: settings.min_length.unwrap_or(defaults.min_length),
    };
    Ok((search, settings))
}

pub(crate) async fn create(
    State(state): State<AppState>,
    who: MaybeUser,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (search, settings) = match read_new_wall(&pairs) {
        Ok(read) => read,
        Err(refused) => {
            let (search, error) = *refused;
            let kept = search.map(|search| (search, WallSettings::default()));
            return new_wall_page(&state, &who, kept, Some(error));
        }
    };
    match create_wall(&state, &who, &headers, client, &search, &settings).await {
        Ok(response) => response,
        Err(error) => new_wall_page(&state, &who, Some((search, settings)), Some(error)),
    }
}

async fn create_wall(
    state: &AppState,
    who: &MaybeUser,
    headers: &HeaderMap,
    client: std::net::IpAddr,
    search: &SearchForm,
    settings: &WallSettings,
) -> Result<Response, AppError> {
    let player = Player::resolve(who.0.clone(), headers, client);
    let (lexicon, source) = walls::searched(&state.app.lexicons, search)?;
    let id = player.start_wall(state, lexicon, source, settings).await?;
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
    Ok(render(
        StatusCode::OK,
        &WallPage {
            page: Page::new("Wall", &who),
            id,
            order: tile_order(&who),
        },
    ))
}

/// How the player likes racks arranged, as the page scripts name it.
pub(crate) fn tile_order(who: &MaybeUser) -> &'static str {
    match who
        .0
        .as_ref()
        .map(|(_, user)| Preferences::of(user).tile_order)
    {
        Some(TileOrder::Random) => "random",
        Some(TileOrder::VowelsFirst) => "vowels_first",
        _ => "alphabetical",
    }
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
