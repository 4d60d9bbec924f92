//! `/api/v1/cards`: one card with its memory state and review log; grading, forgetting,
//! moving, suspending and deleting cards.

use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tilebag_store::{CardId, DeckId, StoredCard};
use tilebag_study::cards::{Answer, Judgement, Prompt};
use tilebag_study::review::{CardState, Rating, ReviewKind, ReviewLog};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::app::review;
use crate::error::{AppError, AppJson, AppPath, AppQuery};
use crate::player::Player;
use crate::state::AppState;

/// The routes of cards.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(turn))
        .routes(routes!(grade))
        .routes(routes!(forget))
        .routes(routes!(move_cards).layer(DefaultBodyLimit::max(IDS_LIMIT)))
        .routes(routes!(suspend).layer(DefaultBodyLimit::max(IDS_LIMIT)))
        .routes(routes!(delete).layer(DefaultBodyLimit::max(IDS_LIMIT)))
}

/// Largest body naming cards: 10,000 ids of up to 20 digits, with room to spare.
const IDS_LIMIT: usize = 512 * 1024;

/// A card, with its memory state; its review log when asked for one card.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardOut {
    id: i64,
    deck: i64,
    /// `alphagram`, `hooks` or `word_or_phony`.
    kind: &'static str,
    /// The alphagram or word it asks about.
    front: String,
    /// What a grade of this card must name: raised by every change of its schedule.
    version: i64,
    /// `new`, `learning`, `review` or `relearning`.
    state: &'static str,
    /// When it is due, Unix ms.
    due: i64,
    /// Days until recall probability falls to 90%; none before the first review.
    stability: Option<f32>,
    /// 1 (easy) to 10 (hard); none before the first review.
    difficulty: Option<f32>,
    /// When it was last reviewed, Unix ms.
    last_review: Option<i64>,
    /// Reviews so far.
    reps: u32,
    /// Times forgotten in review.
    lapses: u32,
    /// Lapsed often enough to be a leech.
    leech: bool,
    /// Left out of reviews.
    suspended: bool,
    /// When it was added, Unix ms.
    added_at: i64,
    /// Its reviews, oldest first (only for one card).
    #[serde(skip_serializing_if = "Option::is_none")]
    reviews: Option<Vec<ReviewOut>>,
    /// What it asks (in the due queue): `kind`, `front`, `words` (how many an alphagram
    /// makes) and `question`, a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    prompt: Option<Prompt>,
}

/// One review of a card.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewOut {
    /// When, Unix ms.
    time: i64,
    /// 1 (again), 2 (hard), 3 (good) or 4 (easy).
    rating: u8,
    /// How long the answer took, ms.
    took_ms: u32,
    /// `review`, or `forgotten` when marked forgotten outside a review.
    kind: &'static str,
    /// The state before it.
    state_before: &'static str,
    /// Stability after it.
    stability: Option<f32>,
    /// Difficulty after it.
    difficulty: Option<f32>,
    /// When it made the card due, Unix ms.
    due: i64,
}

/// A card state as the API spells it.
#[must_use]
pub fn state_name(state: CardState) -> &'static str {
    match state {
        CardState::New => "new",
        CardState::Learning => "learning",
        CardState::Review => "review",
        CardState::Relearning => "relearning",
    }
}

impl From<&ReviewLog> for ReviewOut {
    fn from(log: &ReviewLog) -> ReviewOut {
        ReviewOut {
            time: log.time,
            rating: log.rating.number(),
            took_ms: log.took_ms,
            kind: match log.kind {
                ReviewKind::Review => "review",
                ReviewKind::Forgotten => "forgotten",
            },
            state_before: state_name(log.before.state),
            stability: log.after.memory.map(|m| m.stability),
            difficulty: log.after.memory.map(|m| m.difficulty),
            due: log.after.due,
        }
    }
}

impl CardOut {
    /// The card without its review log.
    #[must_use]
    pub fn brief(card: StoredCard) -> CardOut {
        let s = &card.schedule;
        CardOut {
            id: card.id.0,
            deck: card.deck.0,
            kind: card.kind.as_str(),
            version: card.version,
            state: state_name(s.state),
            due: s.due,
            stability: s.memory.map(|m| m.stability),
            difficulty: s.memory.map(|m| m.difficulty),
            last_review: s.last_review,
            reps: s.reps,
            lapses: s.lapses,
            leech: s.leech,
            suspended: s.suspended,
            added_at: card.added_at,
            front: card.front,
            reviews: None,
            prompt: None,
        }
    }

    /// The card with what it asks.
    #[must_use]
    pub fn asking(card: StoredCard, prompt: Option<Prompt>) -> CardOut {
        CardOut {
            prompt,
            ..CardOut::brief(card)
        }
    }

    /// The card with its review log.
    #[must_use]
    pub fn with_reviews(card: StoredCard, logs: &[ReviewLog]) -> CardOut {
        CardOut {
            reviews: Some(logs.iter().map(ReviewOut::from).collect()),
            ..CardOut::brief(card)
        }
    }
}

/// One of the player's cards with its memory state and review log.
#[utoipa::path(get, path = "/api/v1/cards/{id}", operation_id = "show_card", params(("id" = i64, Path)), security(("session_cookie" = [])),
    responses((status = 200, body = CardOut), (status = 404, description = "no such card of yours")))]
pub async fn show(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let (card, _) = review::card(&state.app, user, CardId(id)).await?;
    let logs = review::card_reviews(&state.app, user, card.id).await?;
    Ok(Json(CardOut::with_reviews(card, &logs)).into_response())
}

/// `GET /api/v1/cards/{id}/answer` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TurnParams {
    /// What the player typed: an alphagram's words, a word's hooked words or hooks as
    /// `FRONT/BACK`, or `valid`/`phony` (read up to 4,000 characters and 200 words).
    #[param(max_length = 4000)]
    typed: Option<String>,
}

/// A card turned over.
#[derive(Debug, Serialize, ToSchema)]
pub struct TurnedOut {
    card: CardOut,
    /// The answer: for an alphagram its `words` with hooks, inner hooks and definitions; for
    /// a word its `front_words` and `back_words`; for a word or phony whether it is `valid`.
    #[schema(value_type = Object)]
    answer: Answer,
    /// The verdict on what was typed: `right`, `missing` and `wrong` words and a `proposed`
    /// grade (1 to 4).
    #[schema(value_type = Option<Object>)]
    judgement: Option<Judgement>,
    /// When the card would be due after Again, Hard, Good and Easy, Unix ms.
    due_after: [i64; 4],
    /// The server's time these were worked out at, Unix ms.
    now: i64,
}

/// Turns a card over: its answer, the verdict on what was typed, and when each grade would
/// bring it back. Changes nothing.
#[utoipa::path(get, path = "/api/v1/cards/{id}/answer", operation_id = "turn_card", params(("id" = i64, Path), TurnParams), security(("session_cookie" = [])),
    responses((status = 200, body = TurnedOut), (status = 404, description = "no such card of yours"), (status = 409, description = "the card no longer fits its lexicon")))]
pub async fn turn(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppQuery(params): AppQuery<TurnParams>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let mut turned = review::turn(&state.app, user, CardId(id), params.typed.as_deref()).await?;
    if !crate::settings::Preferences::of(user).show_definitions {
        turned.answer.forget_definitions();
    }
    Ok(Json(TurnedOut {
        card: CardOut::brief(turned.card),
        answer: turned.answer,
        judgement: turned.judgement,
        due_after: turned.due_after,
        now: state.app.clock.now_ms(),
    })
    .into_response())
}

/// A grade of a card.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeIn {
    /// The card's `version` when it was shown.
    version: i64,
    /// 1 (again), 2 (hard), 3 (good) or 4 (easy).
    #[schema(value_type = u8, minimum = 1, maximum = 4)]
    rating: Rating,
    /// How long the answer took, ms [default: 0].
    #[serde(default)]
    #[schema(maximum = 86_400_000)]
    took_ms: u32,
}

/// A card after a review.
#[derive(Debug, Serialize, ToSchema)]
pub struct GradedOut {
    card: CardOut,
    /// This review made the card a leech.
    became_leech: bool,
}

/// Grades a card: records the review and schedules the card's next one. A grade given on an
/// older version (another tab graded it first) is refused with 409 `card_changed`.
#[utoipa::path(post, path = "/api/v1/cards/{id}/review", operation_id = "review_card", params(("id" = i64, Path)), request_body = GradeIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = GradedOut), (status = 400, description = "bad rating"), (status = 404, description = "no such card of yours"), (status = 409, description = "the card changed since it was shown (`card_changed`), or is suspended (`card_suspended`)")))]
pub async fn grade(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<GradeIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let took = body.took_ms.min(86_400_000);
    let done = review::grade(
        &state.app,
        user,
        CardId(id),
        body.version,
        body.rating,
        took,
    )
    .await?;
    Ok(Json(GradedOut {
        card: CardOut::brief(done.card),
        became_leech: done.became_leech,
    })
    .into_response())
}

/// The version of a card being changed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionIn {
    /// The card's `version` when it was shown.
    version: i64,
}

/// Marks a card forgotten now (a miss at a tournament): it relearns as after an Again, and
/// the mark can be undone like a review.
#[utoipa::path(post, path = "/api/v1/cards/{id}/forget", operation_id = "forget_card", params(("id" = i64, Path)), request_body = VersionIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = GradedOut), (status = 404, description = "no such card of yours"), (status = 409, description = "the card changed since it was shown (`card_changed`), is suspended (`card_suspended`) or was never reviewed (`card_new`)")))]
pub async fn forget(
    State(state): State<AppState>,
    player: Player,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<VersionIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let done = review::forget(&state.app, user, CardId(id), body.version).await?;
    Ok(Json(GradedOut {
        card: CardOut::brief(done.card),
        became_leech: done.became_leech,
    })
    .into_response())
}

/// Some of the player's cards.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardsIn {
    /// Card ids, at most 10,000.
    #[schema(max_items = 10_000)]
    cards: Vec<i64>,
}

/// Cards to move.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveIn {
    /// Card ids, at most 10,000.
    #[schema(max_items = 10_000)]
    cards: Vec<i64>,
    /// The deck to move them to.
    deck: i64,
}

/// Cards to suspend or bring back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspendIn {
    /// Card ids, at most 10,000.
    #[schema(max_items = 10_000)]
    cards: Vec<i64>,
    /// True to suspend, false to bring back.
    suspended: bool,
}

/// How many cards an action changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedOut {
    changed: u64,
}

fn ids(cards: Vec<i64>) -> Vec<CardId> {
    cards.into_iter().map(CardId).collect()
}

fn changed(changed: u64) -> Response {
    Json(ChangedOut { changed }).into_response()
}

/// Moves cards, with their schedules and reviews, to another of the player's decks; a card
/// that deck already has stays where it is.
#[utoipa::path(post, path = "/api/v1/cards/move", request_body = MoveIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = ChangedOut), (status = 400, description = "too many cards"), (status = 404, description = "no such deck of yours")))]
pub async fn move_cards(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<MoveIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let n = review::move_cards(&state.app, user, ids(body.cards), DeckId(body.deck)).await?;
    Ok(changed(n))
}

/// Suspends cards (left out of reviews) or brings them back.
#[utoipa::path(post, path = "/api/v1/cards/suspend", request_body = SuspendIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = ChangedOut), (status = 400, description = "too many cards")))]
pub async fn suspend(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<SuspendIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let n = review::suspend_cards(&state.app, user, ids(body.cards), body.suspended).await?;
    Ok(changed(n))
}

/// Deletes cards with their reviews.
#[utoipa::path(post, path = "/api/v1/cards/delete", operation_id = "delete_cards", request_body = CardsIn, security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 200, body = ChangedOut), (status = 400, description = "too many cards")))]
pub async fn delete(
    State(state): State<AppState>,
    player: Player,
    AppJson(body): AppJson<CardsIn>,
) -> Result<Response, AppError> {
    let user = player.account()?;
    let n = review::delete_cards(&state.app, user, ids(body.cards)).await?;
    Ok(changed(n))
}
