//! Challenge pages: the day's challenges with leaderboards, players' medals, the hall of
//! fame, and the admin page with the daily job's history.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use tilebag_study::challenge::Challenge;

use super::{Page, PageError, render};
use crate::auth::{MaybeUser, check_csrf};
use crate::error::{AppError, AppQuery};
use crate::player::Player;
use crate::routes::api::challenges::{
    DayOut, DayParams, MedalCounts, PeriodParams, PlayerMedals, day_of_challenges, hall,
    player_medals,
};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "challenges.html")]
struct ChallengesPage {
    page: Page,
    day: DayOut,
    lexicon: String,
    lexicons: Vec<String>,
    error: Option<String>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: MaybeUser,
    AppQuery(params): AppQuery<DayParams>,
) -> Result<Response, PageError> {
    let day = day_of_challenges(&state, &params).await?;
    let page = ChallengesPage {
        page: Page::new("Challenges", &who),
        lexicon: day.lexicon.clone(),
        lexicons: state
            .lexicons
            .names()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        day,
        error: None,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Debug, Deserialize)]
pub(crate) struct PlayForm {
    csrf: Option<String>,
}

pub(crate) async fn play(
    State(state): State<AppState>,
    who: MaybeUser,
    headers: HeaderMap,
    Path(slug): Path<String>,
    AppQuery(params): AppQuery<DayParams>,
    Form(form): Form<PlayForm>,
) -> Result<Response, PageError> {
    if let Some((session, _)) = &who.0 {
        check_csrf(session, form.csrf.as_deref().unwrap_or(""))?;
    }
    let challenge = Challenge::parse(&slug)
        .ok_or_else(|| AppError::not_found(format!("no challenge is called `{slug}`")))?;
    let player = Player::resolve(who.0.clone(), &headers);
    let lexicon = state.lexicons.pick(params.lexicon.as_deref())?;
    let day = params.day(&state)?;
    let (wall, _) = crate::challenges::play(
        &state,
        &player.owner,
        player.user.as_ref(),
        lexicon,
        challenge,
        day,
    )
    .await?;
    let mut response = Redirect::to(&format!("/walls/{}", wall.0)).into_response();
    player.set_cookie(&mut response);
    Ok(response)
}

#[derive(Template)]
#[template(path = "player.html")]
struct PlayerPage {
    page: Page,
    medals: PlayerMedals,
}

pub(crate) async fn player(
    State(state): State<AppState>,
    who: MaybeUser,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let medals = player_medals(&state, &name).await?;
    Ok(render(
        StatusCode::OK,
        &PlayerPage {
            page: Page::new(&medals.counts.username.clone(), &who),
            medals,
        },
    ))
}

#[derive(Template)]
#[template(path = "hall.html")]
struct HallPage {
    page: Page,
    period: String,
    periods: [(&'static str, &'static str); 4],
    players: Vec<MedalCounts>,
}

pub(crate) async fn hall_of_fame(
    State(state): State<AppState>,
    who: MaybeUser,
    AppQuery(params): AppQuery<PeriodParams>,
) -> Result<Response, PageError> {
    let period = params.period.unwrap_or_else(|| "month".into());
    let players = hall(&state, Some(&period)).await?;
    let periods = [
        ("week", "This week"),
        ("month", "This month"),
        ("year", "This year"),
        ("all", "All time"),
    ];
    Ok(render(
        StatusCode::OK,
        &HallPage {
            page: Page::new("Hall of fame", &who),
            period,
            periods,
            players,
        },
    ))
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    page: Page,
    pending: usize,
    overdue_hours: Option<i64>,
    runs: Vec<tilebag_store::JobRun>,
}

pub(crate) async fn admin(
    State(state): State<AppState>,
    who: MaybeUser,
) -> Result<Response, PageError> {
    match &who.0 {
        None => return Ok(Redirect::to("/login").into_response()),
        Some((_, user)) if !user.is_admin => {
            return Err(AppError::forbidden(
                "admins only: ask an admin to run `tilebag user admin NAME`",
            )
            .into());
        }
        Some(_) => {}
    }
    let (pending, overdue) = crate::jobs::lateness(&state, Utc::now()).await?;
    let runs = state.store.job_runs(50).await?;
    Ok(render(
        StatusCode::OK,
        &AdminPage {
            page: Page::new("Admin", &who),
            pending,
            overdue_hours: overdue.map(|d| d.num_hours()),
            runs,
        },
    ))
}
