//! Register, log in and out, and the settings page.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Form, Page, PageError, render};
use crate::auth::{self, MaybeUser, NewLogin};
use crate::error::AppError;
use crate::settings::{Preferences, Theme, TileOrder};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account_form.html")]
struct AccountForm {
    page: Page,
    action: &'static str,
    register: bool,
    username: String,
    error: Option<String>,
}

fn account_form(
    who: &MaybeUser,
    register: bool,
    username: String,
    error: Option<&AppError>,
) -> Response {
    let (title, action) = if register {
        ("Register", "/register")
    } else {
        ("Log in", "/login")
    };
    let status = error.map_or(StatusCode::OK, |e| e.status);
    let page = Page::new(title, who);
    let mut response = render(
        status,
        &AccountForm {
            page,
            action,
            register,
            username,
            error: error.map(|e| e.message.clone()),
        },
    );
    if let Some(error) = error {
        error.mark(&mut response);
    }
    response
}

pub(crate) async fn register_form(who: MaybeUser) -> Response {
    account_form(&who, true, String::new(), None)
}

pub(crate) async fn login_form(who: MaybeUser) -> Response {
    account_form(&who, false, String::new(), None)
}

#[derive(Debug, Deserialize)]
pub(crate) struct Credentials {
    username: String,
    password: String,
}

fn logged_in(login: &NewLogin, to: &str) -> Response {
    let cookie = auth::session_cookie(&login.token);
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

pub(crate) async fn register(
    State(state): State<AppState>,
    who: MaybeUser,
    crate::client::ClientIp(client): crate::client::ClientIp,
    Form(form): Form<Credentials>,
) -> Response {
    match auth::register(&state, &form.username, &form.password, client).await {
        Ok(login) => logged_in(&login, "/"),
        Err(error) => account_form(&who, true, form.username, Some(&error)),
    }
}

pub(crate) async fn login(
    State(state): State<AppState>,
    who: MaybeUser,
    crate::client::ClientIp(client): crate::client::ClientIp,
    Form(form): Form<Credentials>,
) -> Response {
    match auth::login(&state, &form.username, &form.password, client).await {
        Ok(login) => logged_in(&login, "/"),
        Err(error) => account_form(&who, false, form.username, Some(&error)),
    }
}

/// The logged-in player of a form post (the CSRF guard has checked its token).
fn checked(who: MaybeUser) -> Result<(tilebag_store::Session, tilebag_store::User), PageError> {
    Ok(who.0.ok_or_else(AppError::unauthorized)?)
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    who: MaybeUser,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    checked(who)?;
    if let Some(token) = auth::cookie_token(&headers) {
        auth::logout(&state, &token).await?;
    }
    Ok((
        [(header::SET_COOKIE, auth::clear_cookie())],
        Redirect::to("/"),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: Page,
    lexicons: Vec<String>,
    default_lexicon: String,
    tile_order: &'static str,
    theme: &'static str,
    show_definitions: bool,
    /// The player's decks, as (id, "name (lexicon)", whether missed alphagrams go to it).
    decks: Vec<(i64, String, bool)>,
    review_leaderboard: bool,
    message: Option<String>,
    error: Option<String>,
}

async fn settings_page(
    state: &AppState,
    who: &MaybeUser,
    message: Option<String>,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let (_, user) = who.0.as_ref().ok_or_else(AppError::unauthorized)?;
    let preferences = Preferences::of(user);
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    let page = SettingsPage {
        page: Page::new("Settings", who),
        lexicons: state
            .app
            .lexicons
            .names()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        default_lexicon: user.default_lexicon.clone().unwrap_or_default(),
        tile_order: match preferences.tile_order {
            TileOrder::Alphabetical => "alphabetical",
            TileOrder::Random => "random",
            TileOrder::VowelsFirst => "vowels_first",
        },
        theme: match preferences.theme {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        },
        show_definitions: preferences.show_definitions,
        decks: crate::app::review::decks(&state.app, user)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .map(|d| {
                let chosen = preferences.auto_deck == Some(d.id.0);
                (d.id.0, format!("{} ({})", d.name, d.lexicon), chosen)
            })
            .collect(),
        review_leaderboard: preferences.review_leaderboard,
        message,
        error: error.map(|e| e.message),
    };
    Ok(render(status, &page))
}

pub(crate) async fn settings_form(
    State(state): State<AppState>,
    who: MaybeUser,
) -> Result<Response, PageError> {
    if who.0.is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    settings_page(&state, &who, None, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct SettingsForm {
    default_lexicon: Option<String>,
    tile_order: TileOrder,
    theme: Theme,
    show_definitions: Option<bool>,
    /// A deck's id, or empty for none.
    auto_deck: Option<String>,
    review_leaderboard: Option<bool>,
}

pub(crate) async fn save_settings(
    State(state): State<AppState>,
    who: MaybeUser,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    let (_, user) = checked(who.clone())?;
    let preferences = Preferences {
        tile_order: form.tile_order,
        theme: form.theme,
        show_definitions: form.show_definitions.unwrap_or(false),
        auto_deck: match form.auto_deck.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) => Some(id.parse().map_err(|_| {
                AppError::bad_request(format!("auto_deck: “{id}” is not a deck's number"))
            })?),
        },
        review_leaderboard: form.review_leaderboard.unwrap_or(false),
    };
    crate::settings::save_settings(&state, &user, form.default_lexicon.as_deref(), &preferences)
        .await?;
    let (session, _) = who.0.ok_or_else(AppError::unauthorized)?;
    let fresh = MaybeUser(Some((session, state.app.store.user(user.id).await?)));
    settings_page(&state, &fresh, Some("Settings saved.".into()), None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub(crate) async fn change_password(
    State(state): State<AppState>,
    who: MaybeUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let (_, user) = checked(who.clone())?;
    match crate::settings::change_password(&state, user, &form.current_password, &form.new_password)
        .await
    {
        Ok(login) => Ok(logged_in(&login, "/settings")),
        Err(error) => settings_page(&state, &who, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DeleteForm {
    password: String,
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    who: MaybeUser,
    Form(form): Form<DeleteForm>,
) -> Result<Response, PageError> {
    let (_, user) = checked(who.clone())?;
    match crate::settings::delete_account(&state, &user, &form.password).await {
        Ok(()) => Ok((
            [(header::SET_COOKIE, auth::clear_cookie())],
            Redirect::to("/"),
        )
            .into_response()),
        Err(error) => settings_page(&state, &who, None, Some(error)).await,
    }
}
