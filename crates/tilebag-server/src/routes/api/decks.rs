//! `/api/v1/decks`: a player's spaced-repetition decks, and adding cards to them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tilebag_store::{CardKind, DeckId, ListId, StoredDeck, WallId};
use tilebag_study::review::DeckSettings;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::cards::CardOut;
use crate::app::review::{self, AddReport, Entries};
use crate::error::{AppError, AppJson, AppPath, AppQuery};
use crate::player::Player;
use crate::search_form::SearchForm;
use crate::state::AppState;

/// The routes of decks.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(decks, create))
        .routes(routes!(show, change, delete))
        .routes(routes!(cards, add).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .routes(routes!(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
}

/// A deck's settings (`tilebag_study::review::DeckSettings`, as the API spells it); each
/// field may be left out for its default.
#[derive(Debug, ToSchema)]
#[schema(as = DeckSettings)]
#[serde(default, deny_unknown_fields)]
#[allow(dead_code, reason = "describes `DeckSettings` in the API document")]
pub struct SettingsSchema {
    /// The recall probability intervals aim for, 0.70 to 0.97 [default: 0.90].
    #[schema(minimum = 0.7, maximum = 0.97)]
    desired_retention: f32,
    /// New cards introduced per day [default: 20].
    #[schema(minimum = 0, maximum = 100_000)]
    new_per_day: u32,
    /// The longest interval in days, 1 to 36,500 [default: 1,825, five years].
    #[schema(minimum = 1, maximum = 36_500)]
    maximum_interval_days: u32,
    /// Learning steps in seconds, each 1 to 86,400, at most 10 [default: 60, 600].
    #[schema(max_items = 10)]
    learning_steps_secs: Vec<u32>,
    /// Relearning steps in seconds, each 1 to 86,400, at most 10 [default: 600].
    #[schema(max_items = 10)]
    relearning_steps_secs: Vec<u32>,
    /// Lapses at which a card becomes a leech; 0 never [default: 8].
    leech_threshold: u32,
    /// Suspend a card when it becomes a leech [default: false].
    suspend_leeches: bool,
    /// Spread intervals a little so cards learned together come apart [default: true].
    fuzz: bool,
}

impl Default for SettingsSchema {
    fn default() -> SettingsSchema {
        let d = DeckSettings::default();
        SettingsSchema {
            desired_retention: d.desired_retention,
            new_per_day: d.new_per_day,
            maximum_interval_days: d.maximum_interval_days,
            learning_steps_secs: d.learning_steps_secs,
            relearning_steps_secs: d.relearning_steps_secs,
            leech_threshold: d.leech_threshold,
            suspend_leeches: d.suspend_leeches,
            fuzz: d.fuzz,
        }
    }
}

/// A deck.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeckOut {
    id: i64,
    lexicon: String,
    name: String,
    #[schema(value_type = SettingsSchema)]
    settings: DeckSettings,
    /// Cards in it.
    cards: i64,
    /// When it was made, Unix seconds.
    created_at: i64,
}

impl From<StoredDeck> for DeckOut {
    fn from(d: StoredDeck) -> DeckOut {
        DeckOut {
            id: d.id.0,
            lexicon: d.lexicon,
            name: d.name,
            settings: d.settings,
            cards: d.cards,
            created_at: d.created_at,
        }
    }
}

/// The player's decks, by lexicon and name.
#[utoipa::path(get, path = "/api/v1/decks", security(("session_cookie" = [])),
    responses((status = 200, body = [DeckOut]), (status = 401, description = "not logged in")))]
pub async fn decks(State(state): State<AppState>, player: Player) -> Result<Response, AppError> {
    let user = player.account()?;
    let all: Vec<DeckOut> = review::decks(&state.app, user)
        .await?
        .into_iter()
        .map(DeckOut::from)
        .collect();
    Ok(Json(all).into_response())
}

/// A new deck.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeck {
    /// 1 to 60 characters, unique among the player's decks in the lexicon.
    #[schema(min_length = 1, max_length = 60)]
    name: String,
    /// Lexicon [default: the bundled one].
    lexicon: Option<String>,
    #[serde(default)]
    #[schema(value_type = SettingsSchema)]
    settings: DeckSettings,
}

/// Makes a deck.
#[utoipa::path(post, path = "/api/v1/decks", operation_id = "create_deck", request_body = NewDeck, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 201, body = DeckOut), (status = 400, description = "bad name or settings"), (status = 401, description = "not logged in"), (status = 404, description = "unknown lexicon"), (status = 409, description = "name taken, or too many decks")))]
pub async fn create(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<NewDeck>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let deck = review::create_deck(
        &state.app,
        user,
        body.lexicon.as_deref(),
        &body.name,
        &body.settings,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(DeckOut::from(deck))).into_response())
}

/// One of the player's decks.
#[utoipa::path(get, path = "/api/v1/decks/{id}", operation_id = "show_deck", params(("id" = i64, Path)), security(("session_cookie" = [])),
    responses((status = 200, body = DeckOut), (status = 404, description = "no such deck of yours")))]
pub async fn show(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let deck = review::deck(&state.app, user, DeckId(id)).await?;
    Ok(Json(DeckOut::from(deck)).into_response())
}

/// A deck's new name or settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeckChange {
    #[schema(min_length = 1, max_length = 60)]
    name: Option<String>,
    #[schema(value_type = Option<SettingsSchema>)]
    settings: Option<DeckSettings>,
}

/// Renames a deck or changes its settings (each card's next interval follows them).
#[utoipa::path(patch, path = "/api/v1/decks/{id}", operation_id = "change_deck", params(("id" = i64, Path)), request_body = DeckChange, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = DeckOut), (status = 400, description = "bad name or settings"), (status = 404, description = "no such deck of yours"), (status = 409, description = "name taken")))]
pub async fn change(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<DeckChange>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let deck = review::change_deck(
        &state.app,
        user,
        DeckId(id),
        body.name.as_deref(),
        body.settings.as_ref(),
    )
    .await?;
    Ok(Json(DeckOut::from(deck)).into_response())
}

/// Deletes a deck with its cards and their reviews.
#[utoipa::path(delete, path = "/api/v1/decks/{id}", operation_id = "delete_deck", params(("id" = i64, Path)), security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 204, description = "deleted"), (status = 404, description = "no such deck of yours")))]
pub async fn delete(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    review::delete_deck(&state.app, user, DeckId(id)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/decks/{id}/cards` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CardsParams {
    /// Skip this many cards first [default: 0].
    #[param(minimum = 0)]
    offset: Option<i64>,
    /// At most this many, 1 to 1,000 [default: 100].
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
}

/// A deck's cards in the order they were added, a page at a time.
#[utoipa::path(get, path = "/api/v1/decks/{id}/cards", operation_id = "deck_cards", params(("id" = i64, Path), CardsParams), security(("session_cookie" = [])),
    responses((status = 200, body = [CardOut]), (status = 400, description = "bad paging"), (status = 404, description = "no such deck of yours")))]
pub async fn cards(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppQuery(params): AppQuery<CardsParams>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let offset = params.offset.unwrap_or(0);
    let limit = params.limit.unwrap_or(100);
    if offset < 0 || !(1..=1000).contains(&limit) {
        return Err(AppError::bad_request(
            "offset is 0 or more and limit 1 to 1000",
        ));
    }
    let deck = review::deck(&state.app, user, DeckId(id)).await?;
    let cards = review::deck_cards(&state.app, user, &deck, offset, limit).await?;
    Ok(Json(cards.into_iter().map(CardOut::brief).collect::<Vec<_>>()).into_response())
}

/// What a card asks, as the API spells it.
#[derive(Debug, ToSchema)]
#[schema(as = CardKind)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code, reason = "describes `CardKind` in the API document")]
pub enum KindName {
    /// An alphagram: its words.
    Alphagram,
    /// A word: its front and back hooks.
    Hooks,
    /// A word or a phony: valid or not.
    WordOrPhony,
}

/// Cards to add, from exactly one source.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCards {
    #[schema(value_type = KindName)]
    kind: CardKind,
    /// Words or alphagrams, at most 50,000.
    #[schema(max_items = 50_000)]
    words: Option<Vec<String>>,
    /// What a search finds (in the deck's lexicon; its own `lexicon` is ignored).
    search: Option<SearchForm>,
    /// A saved list's alphagrams.
    list: Option<i64>,
    /// The alphagrams missed in a wall's last round.
    wall: Option<i64>,
}

/// What adding cards did.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddOut {
    /// Cards new to the deck.
    added: u64,
    /// Cards it already had, unchanged.
    present: u64,
    /// Entries that made no card: the line or position (from 1) and why.
    skipped: Vec<SkippedOut>,
}

/// An entry that made no card.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkippedOut {
    line: usize,
    reason: String,
}

impl From<AddReport> for AddOut {
    fn from(report: AddReport) -> AddOut {
        AddOut {
            added: report.added,
            present: report.present,
            skipped: report
                .skipped
                .into_iter()
                .map(|(line, reason)| SkippedOut { line, reason })
                .collect(),
        }
    }
}

/// Adds cards to a deck; cards it already has change nothing. Over the player's card limit,
/// nothing is added (409 `card_limit`).
#[utoipa::path(post, path = "/api/v1/decks/{id}/cards", operation_id = "add_cards", params(("id" = i64, Path)), request_body = NewCards, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = AddOut), (status = 400, description = "no source, two sources, or bad criteria"), (status = 404, description = "no such deck, list or wall of yours"), (status = 409, description = "over the card limit, or the wall's round is running")))]
pub async fn add(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<NewCards>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let given = [
        body.words.is_some(),
        body.search.is_some(),
        body.list.is_some(),
        body.wall.is_some(),
    ];
    let entries = match (body.words, &body.search, body.list, body.wall) {
        _ if given.iter().filter(|g| **g).count() != 1 => {
            return Err(AppError::bad_request(
                "give exactly one of words, search, list and wall",
            ));
        }
        (Some(words), ..) => {
            if words.len() > review::MAX_UPLOAD_LINES {
                return Err(AppError::bad_request(format!(
                    "words: at most {} at once",
                    review::MAX_UPLOAD_LINES
                )));
            }
            Entries::Given(words)
        }
        (_, Some(search), ..) => Entries::Search(search),
        (_, _, Some(list), _) => Entries::List(ListId(list)),
        (.., Some(wall)) => Entries::WallMissed(WallId(wall)),
        _ => {
            return Err(AppError::bad_request(
                "give one of words, search, list and wall",
            ));
        }
    };
    let report = review::add_cards(&state.app, user, DeckId(id), body.kind, entries).await?;
    Ok(Json(AddOut::from(report)).into_response())
}

/// Largest upload of cards: 50,000 lines of up to 15 letters, with room for comments.
pub const UPLOAD_LIMIT: usize = 2 * 1024 * 1024;

/// `POST /api/v1/decks/{id}/upload` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// `alphagram`, `hooks` or `word_or_phony`.
    #[param(value_type = KindName)]
    kind: CardKind,
}

/// Adds cards from a text file (the request body): a word or alphagram at the start of each
/// line; blank and `#` lines skipped; bad lines reported with their numbers.
#[utoipa::path(post, path = "/api/v1/decks/{id}/upload", operation_id = "upload_cards", params(("id" = i64, Path), UploadParams), request_body(content = String, content_type = "text/plain"), security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = AddOut), (status = 400, description = "not text, or too many lines"), (status = 404, description = "no such deck of yours"), (status = 409, description = "over the card limit"), (status = 413, description = "over 2 MiB")))]
pub async fn upload(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppQuery(params): AppQuery<UploadParams>,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let report = review::add_cards(
        &state.app,
        user,
        DeckId(id),
        params.kind,
        Entries::Upload(&body),
    )
    .await?;
    Ok(Json(AddOut::from(report)).into_response())
}
