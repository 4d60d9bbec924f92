//! Review statistics pages: the charts of a player's decks, a card's history with its
//! forgetting curve, and the daily leaderboard of cards reviewed.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate};
use tilebag_store::{CardId, DeckId, User};
use tilebag_study::review::MIN_REVIEWS_TO_FIT;

use super::{Form, Page, PageError, Path, render};
use crate::app::review;
use crate::app::review_stats::{self, CardHistory, LeaderboardOut, StatsOut};
use crate::auth::MaybeUser;
use crate::charts::{self, Series};
use crate::error::{AppError, AppQuery};
use crate::routes::api::review_stats::{LeaderboardParams, StatsParams};
use crate::settings::Preferences;
use crate::state::AppState;

/// The pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/review/stats", get(stats))
        .route("/review/parameters", post(optimize))
        .route("/review/cards/{id}", get(card))
        .route("/review/cards/{id}/forget", post(forget))
        .route("/review/leaderboard", get(leaderboard))
}

/// The four grades as the charts draw them, Again to Easy.
pub const GRADES: [Series; 4] = [
    Series {
        name: "Again",
        class: "grade-1",
    },
    Series {
        name: "Hard",
        class: "grade-2",
    },
    Series {
        name: "Good",
        class: "grade-3",
    },
    Series {
        name: "Easy",
        class: "grade-4",
    },
];

/// The logged-in player, or the page asking them to log in.
fn player(who: &MaybeUser) -> Result<&User, PageError> {
    who.0
        .as_ref()
        .map(|(_, user)| user)
        .ok_or_else(|| PageError(AppError::unauthorized()))
}

/// `2026-11-03` as `Nov 3`, for chart labels.
fn short_date(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_or_else(|_| date.to_owned(), |d| d.format("%b %-d").to_string())
}

/// A share as a whole percentage with one decimal.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

#[derive(Template)]
#[template(path = "review_stats.html")]
struct StatsPage {
    page: Page,
    stats: StatsOut,
    selected: i64,
    forecast_chart: String,
    reviews_chart: String,
    grades: [Series; 4],
    true_retention: Option<String>,
    desired: Option<String>,
    parameters: Option<FitView>,
    min_reviews: usize,
    /// Why the last request to fit failed.
    fit_error: Option<String>,
}

/// The player's fitted parameters as the stats page shows them.
struct FitView {
    reviews: usize,
    fitted_on: String,
    fitted_log_loss: String,
    fitted_rmse: String,
    default_log_loss: String,
    default_rmse: String,
    /// Whether cards are scheduled with them (they predict no worse than the defaults).
    in_use: bool,
}

async fn stats(
    State(state): State<AppState>,
    who: MaybeUser,
    AppQuery(params): AppQuery<StatsParams>,
) -> Result<Response, PageError> {
    stats_page(&state, &who, params.deck, None).await
}

/// The form that fits parameters: the deck whose stats it was sent from.
#[derive(Debug, serde::Deserialize)]
struct OptimizeForm {
    deck: Option<i64>,
}

/// `POST /review/parameters`: fits the player's parameters, then shows them on the stats
/// page; a fit that cannot be made is shown there with its reason.
async fn optimize(
    State(state): State<AppState>,
    who: MaybeUser,
    Form(form): Form<OptimizeForm>,
) -> Result<Response, PageError> {
    let user = player(&who)?;
    match review::optimize(&state.app, user.id).await {
        Ok(_) => Ok(Redirect::to(&stats_address(form.deck, "parameters")).into_response()),
        Err(error) => stats_page(&state, &who, form.deck, Some(AppError::from(error))).await,
    }
}

/// The stats page's address for one deck or all, at one of its sections.
fn stats_address(deck: Option<i64>, section: &str) -> String {
    match deck {
        Some(deck) => format!("/review/stats?deck={deck}#{section}"),
        None => format!("/review/stats#{section}"),
    }
}

async fn stats_page(
    state: &AppState,
    who: &MaybeUser,
    deck: Option<i64>,
    fit_error: Option<AppError>,
) -> Result<Response, PageError> {
    let user = player(who)?;
    let now = state.app.clock.now();
    let stats = review_stats::stats(&state.app, user.id, deck.map(DeckId), now).await?;
    let zone = state.app.rules.challenge_zone;
    let parameters = review::parameters(&state.app, user).await?.map(|stored| {
        let fit = stored.fit;
        FitView {
            reviews: fit.reviews,
            fitted_on: DateTime::from_timestamp(stored.fitted_at, 0)
                .map_or_else(String::new, |t| {
                    t.with_timezone(&zone).format("%Y-%m-%d").to_string()
                }),
            fitted_log_loss: format!("{:.4}", fit.fitted.log_loss),
            fitted_rmse: format!("{:.4}", fit.fitted.rmse),
            default_log_loss: format!("{:.4}", fit.default.log_loss),
            default_rmse: format!("{:.4}", fit.default.rmse),
            in_use: review::fit_schedules(&fit),
        }
    });
    let forecast_labels: Vec<String> = stats.forecast.iter().map(|d| short_date(&d.date)).collect();
    let due: Vec<i64> = stats.forecast.iter().map(|d| d.due).collect();
    let review_labels: Vec<String> = stats.reviews.iter().map(|d| short_date(&d.date)).collect();
    let grades: Vec<Vec<i64>> = stats.reviews.iter().map(|d| d.grades().to_vec()).collect();
    let scope = stats
        .deck
        .as_ref()
        .map_or_else(|| "all decks".to_owned(), |d| format!("“{}”", d.name));
    let status = fit_error.as_ref().map_or(StatusCode::OK, |e| e.status);
    let page = StatsPage {
        page: Page::new("Review statistics", who),
        selected: stats.deck.as_ref().map_or(0, |d| d.id),
        forecast_chart: charts::bars(
            &format!("Cards due in the next 30 days, {scope}"),
            &forecast_labels,
            &due,
            "due",
        ),
        reviews_chart: charts::stacked_bars(
            &format!("Reviews per day by grade over the last 30 days, {scope}"),
            &review_labels,
            &GRADES,
            &grades,
        ),
        grades: GRADES,
        true_retention: stats.retention.true_retention.map(percent),
        desired: stats.retention.desired.map(percent),
        stats,
        parameters,
        min_reviews: MIN_REVIEWS_TO_FIT,
        fit_error: fit_error.map(|e| e.message),
    };
    Ok(render(status, &page))
}

/// One review, as the history table shows it.
struct ReviewRow {
    at: String,
    grade: &'static str,
    states: String,
    elapsed: String,
    stability: String,
    difficulty: String,
    retrievability: String,
    interval: String,
}

fn figure<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

#[derive(Template)]
#[template(path = "card.html")]
struct CardPage {
    page: Page,
    card: CardHistory,
    rows: Vec<ReviewRow>,
    curve_chart: Option<String>,
    due: String,
    retrievability: String,
    desired: String,
}

async fn card(
    State(state): State<AppState>,
    who: MaybeUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = player(&who)?;
    let app = &state.app;
    let card = review_stats::card_history(app, user.id, CardId(id), app.clock.now_ms()).await?;
    let zone = app.rules.challenge_zone;
    let time = |ms: i64| {
        DateTime::from_timestamp_millis(ms).map_or_else(String::new, |t| {
            t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
        })
    };
    let rows = card
        .reviews
        .iter()
        .map(|r| ReviewRow {
            at: time(r.at),
            grade: GRADES[usize::from(r.rating.clamp(1, 4) - 1)].name,
            states: format!("{} → {}", r.state_before, r.state_after),
            elapsed: figure(r.elapsed_days.map(|d| format!("{d:.1}"))),
            stability: figure(r.stability.map(|s| format!("{s:.2}"))),
            difficulty: figure(r.difficulty.map(|d| format!("{d:.2}"))),
            retrievability: figure(r.retrievability.map(|p| percent(f64::from(p)))),
            interval: format!("{:.1}", r.interval_days),
        })
        .collect();
    let desired = f64::from(card.desired_retention);
    let points: Vec<(f64, f64)> = card
        .curve
        .iter()
        .map(|p| (p.days, f64::from(p.retrievability)))
        .collect();
    let marker = card
        .days_since_review
        .zip(card.retrievability)
        .map(|(days, r)| (days, f64::from(r)));
    let curve_chart = (!points.is_empty()).then(|| {
        charts::line(
            &format!(
                "Forgetting curve of “{}”: probability of recall by days since its last review",
                card.front
            ),
            &points,
            desired,
            marker,
        )
    });
    let page = CardPage {
        page: Page::new(&format!("Card {}", card.front), &who),
        rows,
        curve_chart,
        due: time(card.due),
        retrievability: figure(card.retrievability.map(|p| percent(f64::from(p)))),
        desired: percent(desired),
        card,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The form that marks a card forgotten: the version of the card the player saw.
#[derive(Debug, serde::Deserialize)]
struct ForgetForm {
    version: i64,
}

/// `POST /review/cards/{id}/forget`: marks the card forgotten now (a miss away from
/// reviews, such as at a tournament), then shows the card again.
async fn forget(
    State(state): State<AppState>,
    who: MaybeUser,
    Path(id): Path<i64>,
    Form(form): Form<ForgetForm>,
) -> Result<Response, PageError> {
    let user = player(&who)?;
    review::forget(&state.app, user, CardId(id), form.version).await?;
    Ok(Redirect::to(&format!("/review/cards/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "review_leaderboard.html")]
struct LeaderboardPage {
    page: Page,
    board: LeaderboardOut,
    /// Logged in but not on the leaderboard.
    absent: bool,
    error: Option<String>,
}

async fn leaderboard(
    State(state): State<AppState>,
    who: MaybeUser,
    AppQuery(params): AppQuery<LeaderboardParams>,
) -> Result<Response, PageError> {
    let app = &state.app;
    let now = app.clock.now();
    // A day that cannot be shown shows today, saying why.
    let (day, error) = match review_stats::leaderboard_day(app, params.day.as_deref(), now) {
        Ok(day) => (day, None),
        Err(error) => (
            review_stats::leaderboard_day(app, None, now)?,
            Some(error.to_string()),
        ),
    };
    let board = review_stats::leaderboard(app, day).await?;
    let absent = who
        .0
        .as_ref()
        .is_some_and(|(_, user)| !Preferences::of(user).review_leaderboard);
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = LeaderboardPage {
        page: Page::new("Review leaderboard", &who),
        board,
        absent,
        error,
    };
    Ok(render(status, &page))
}
