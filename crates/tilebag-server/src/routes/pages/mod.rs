//! Server-rendered pages.

pub mod account;
pub mod challenges;
pub mod decks;
mod errors;
mod extract;
pub mod review_stats;
pub mod tables;
pub mod walls;
pub mod words;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

pub use errors::{PageError, error_pages};
pub use extract::{Form, Path};

use crate::auth::MaybeUser;
use crate::error::AppError;
use crate::settings::Preferences;
use crate::state::AppState;

/// What every page's layout shows.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's title.
    pub title: String,
    /// The logged-in player's name.
    pub user: Option<String>,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    /// The colour scheme: `auto` (the device's), `light` or `dark`.
    pub theme: &'static str,
    /// Whether definitions are shown.
    pub definitions: bool,
    /// Whether the player may see the admin pages.
    pub admin: bool,
}

impl Page {
    /// The layout for a page with this title, for whoever is logged in.
    pub fn new(title: &str, who: &MaybeUser) -> Page {
        let preferences = who
            .0
            .as_ref()
            .map(|(_, user)| Preferences::of(user))
            .unwrap_or_default();
        Page {
            title: title.to_owned(),
            user: who.0.as_ref().map(|(_, user)| user.username.clone()),
            csrf: who
                .0
                .as_ref()
                .map(|(session, _)| session.csrf_token.clone())
                .unwrap_or_default(),
            theme: preferences.theme.as_str(),
            definitions: preferences.show_definitions,
            admin: who.0.as_ref().is_some_and(|(_, user)| user.is_admin),
        }
    }
}

/// Renders a template, or a plain error when rendering fails.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => AppError::internal(error).into_response(),
    }
}

/// The static files, compiled in: name, content type, contents.
const STATIC: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        // One stylesheet, kept in a file per part of the site.
        concat!(
            include_str!("../../../static/css/base.css"),
            include_str!("../../../static/css/words.css"),
            include_str!("../../../static/css/lists.css"),
            include_str!("../../../static/css/wall.css"),
            include_str!("../../../static/css/challenges.css"),
            include_str!("../../../static/css/decks.css"),
            include_str!("../../../static/css/add_to_deck.css"),
            include_str!("../../../static/css/review.css"),
            include_str!("../../../static/css/table.css"),
        ),
    ),
    (
        "add_to_deck.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/add_to_deck.js"),
    ),
    (
        "api.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/api.js"),
    ),
    (
        "wall.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/wall.js"),
    ),
    (
        "tiles.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/tiles.js"),
    ),
    (
        "table.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/table.js"),
    ),
    (
        "new_wall.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/new_wall.js"),
    ),
    (
        "lists.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/lists.js"),
    ),
    (
        "decks.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/decks.js"),
    ),
    (
        "menu.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/menu.js"),
    ),
    (
        "review.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/review.js"),
    ),
    (
        "search.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/search.js"),
    ),
    (
        "deck_import.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/deck_import.js"),
    ),
];

async fn static_file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    match STATIC.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, body)) => {
            let headers = [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ];
            (headers, *body).into_response()
        }
        None => PageError(AppError::not_found("no such file")).into_response(),
    }
}

/// The site's icon: a tile with a T on it.
async fn favicon() -> Response {
    let headers = [
        (header::CONTENT_TYPE, "image/x-icon"),
        (header::CACHE_CONTROL, "public, max-age=86400"),
    ];
    (headers, &include_bytes!("../../../static/favicon.ico")[..]).into_response()
}

/// The pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(words::home))
        .route("/about", get(words::about))
        .route("/anagram", get(words::anagram))
        .route("/judge", get(words::judge))
        .route("/info/{word}", get(words::info))
        .route("/search", get(words::search))
        .route(
            "/register",
            get(account::register_form).post(account::register),
        )
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route(
            "/settings",
            get(account::settings_form).post(account::save_settings),
        )
        .route("/settings/password", post(account::change_password))
        .route("/settings/delete", post(account::delete))
        .route("/walls/new", get(walls::new_wall))
        .route("/walls", post(walls::create))
        .route("/walls/{id}", get(walls::show))
        .route("/lists", get(walls::lists))
        .route("/tables", get(tables::lobby).post(tables::create))
        .route("/tables/{id}", get(tables::show))
        .route("/decks", get(decks::list))
        .route("/decks/{id}", get(decks::show))
        .route("/review", get(decks::review_page))
        .route("/challenges", get(challenges::list))
        .route("/challenges/{slug}/play", post(challenges::play))
        .route("/players/{name}", get(challenges::player))
        .route("/hall-of-fame", get(challenges::hall_of_fame))
        .route("/admin", get(challenges::admin))
        .route("/static/{file}", get(static_file))
        .route("/favicon.ico", get(favicon))
        .merge(review_stats::router())
        .fallback(errors::not_found)
}

#[cfg(test)]
mod tests {
    use askama::Template;

    /// What the deck page gives the deck-files fragment.
    struct Deck {
        id: tilebag_store::DeckId,
    }
    struct Page {
        csrf: String,
    }
    #[derive(Template)]
    #[template(path = "deck_files.html")]
    struct DeckFiles {
        deck: Deck,
        page: Page,
    }

    #[test]
    fn the_deck_files_fragment_links_the_decks_exports_and_carries_the_csrf_token() {
        let html = DeckFiles {
            deck: Deck {
                id: tilebag_store::DeckId(42),
            },
            page: Page {
                csrf: "t<k>".into(),
            },
        }
        .render()
        .unwrap();
        assert!(
            html.contains(r#"data-deck="42" data-csrf="t&#60;k&#62;""#),
            "{html}"
        );
        assert!(html.contains(r#"href="/api/v1/decks/42/export?as=csv""#));
        assert!(html.contains(r#"src="/static/deck_import.js""#));
    }
}
