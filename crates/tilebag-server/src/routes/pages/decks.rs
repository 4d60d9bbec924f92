//! Spaced-repetition pages: the player's decks, one deck with its settings and cards, and the
//! review page. Changes go through the JSON API from small scripts, as on the lists page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tilebag_store::{DeckId, StoredCard, StoredDeck, User};

use super::{Page, PageError, Path, render};
use crate::app::review;
use crate::auth::MaybeUser;
use crate::error::AppQuery;
use crate::state::AppState;

/// Cards shown on one page of a deck.
const CARDS_PER_PAGE: i64 = 100;

fn logged_in(who: &MaybeUser) -> Option<&User> {
    who.0.as_ref().map(|(_, user)| user)
}

#[derive(Template)]
#[template(path = "decks.html")]
struct DecksPage {
    page: Page,
    decks: Vec<StoredDeck>,
    lexicons: Vec<String>,
}

/// `GET /decks`: the player's decks, and a form for a new one.
pub(crate) async fn list(
    State(state): State<AppState>,
    who: MaybeUser,
) -> Result<Response, PageError> {
    let Some(user) = logged_in(&who) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let decks = review::decks(&state.app, user).await?;
    Ok(render(
        StatusCode::OK,
        &DecksPage {
            page: Page::new("Decks", &who),
            decks,
            lexicons: state
                .app
                .lexicons
                .names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        },
    ))
}

/// `?offset=` of a deck's page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeckParams {
    offset: Option<i64>,
}

/// A card as the deck page lists it.
struct CardRow {
    id: i64,
    kind: &'static str,
    front: String,
    state: &'static str,
    due: i64,
    reps: u32,
    lapses: u32,
    leech: bool,
    suspended: bool,
}

impl From<StoredCard> for CardRow {
    fn from(c: StoredCard) -> CardRow {
        CardRow {
            id: c.id.0,
            kind: match c.kind {
                tilebag_store::CardKind::Alphagram => "Alphagram",
                tilebag_store::CardKind::Hooks => "Hooks",
                tilebag_store::CardKind::WordOrPhony => "Word or phony",
            },
            state: crate::routes::api::cards::state_name(c.schedule.state),
            due: c.schedule.due,
            reps: c.schedule.reps,
            lapses: c.schedule.lapses,
            leech: c.schedule.leech,
            suspended: c.schedule.suspended,
            front: c.front,
        }
    }
}

#[derive(Template)]
#[template(path = "deck.html")]
struct DeckPage {
    page: Page,
    deck: StoredDeck,
    /// Learning steps in minutes, as the form shows them.
    learning: String,
    /// Relearning steps in minutes.
    relearning: String,
    cards: Vec<CardRow>,
    offset: i64,
    next: Option<i64>,
    previous: Option<i64>,
    decks: Vec<StoredDeck>,
}

fn minutes(steps: &[u32]) -> String {
    steps
        .iter()
        .map(|s| {
            let m = f64::from(*s) / 60.0;
            if m.fract() == 0.0 {
                format!("{m:.0}")
            } else {
                format!("{m:.2}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `GET /decks/{id}`: a deck's settings and cards, a page at a time.
pub(crate) async fn show(
    State(state): State<AppState>,
    who: MaybeUser,
    Path(id): Path<i64>,
    AppQuery(params): AppQuery<DeckParams>,
) -> Result<Response, PageError> {
    let Some(user) = logged_in(&who) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let deck = review::deck(&state.app, user, DeckId(id)).await?;
    let offset = params.offset.unwrap_or(0).clamp(0, i64::MAX / 2);
    let cards = review::deck_cards(&state.app, user, &deck, offset, CARDS_PER_PAGE).await?;
    let next = (offset + CARDS_PER_PAGE < deck.cards).then_some(offset + CARDS_PER_PAGE);
    let previous = (offset > 0).then(|| (offset - CARDS_PER_PAGE).max(0));
    let decks = review::decks(&state.app, user)
        .await?
        .into_iter()
        .filter(|d| d.id != deck.id && d.lexicon == deck.lexicon)
        .collect();
    Ok(render(
        StatusCode::OK,
        &DeckPage {
            page: Page::new(&deck.name, &who),
            learning: minutes(&deck.settings.learning_steps_secs),
            relearning: minutes(&deck.settings.relearning_steps_secs),
            cards: cards.into_iter().map(CardRow::from).collect(),
            offset,
            next,
            previous,
            decks,
            deck,
        },
    ))
}

/// `?deck=` of the review page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewParams {
    deck: Option<String>,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    page: Page,
    decks: Vec<StoredDeck>,
    deck: Option<i64>,
    /// The deck chosen, or 0 for all.
    selected: i64,
}

/// `GET /review`: the next card of one deck or all, reviewed with the keyboard or the mouse.
pub(crate) async fn review_page(
    State(state): State<AppState>,
    who: MaybeUser,
    AppQuery(params): AppQuery<ReviewParams>,
) -> Result<Response, PageError> {
    let Some(user) = logged_in(&who) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let decks = review::decks(&state.app, user).await?;
    let deck = match params.deck.as_deref().map(str::trim) {
        None | Some("" | "all") => None,
        Some(text) => {
            let id = text
                .parse::<i64>()
                .ok()
                .filter(|id| decks.iter().any(|d| d.id.0 == *id))
                .ok_or_else(|| {
                    crate::error::AppError::not_found(format!("no deck “{text}” of yours"))
                })?;
            Some(id)
        }
    };
    Ok(render(
        StatusCode::OK,
        &ReviewPage {
            page: Page::new("Review", &who),
            decks,
            selected: deck.unwrap_or(0),
            deck,
        },
    ))
}
