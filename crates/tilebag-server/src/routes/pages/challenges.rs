//! Challenge pages: the day's challenges with leaderboards, players' medals, the hall of
//! fame, and the admin page with the daily job's history.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::{Page, PageError, Path, render};
use crate::app::challenges::{DayOut, MedalCounts, PlayerMedals};
use crate::app::{challenges, jobs};
use crate::auth::MaybeUser;
use crate::client::ClientIp;
use crate::error::{AppError, AppQuery};
use crate::player::Player;
use crate::routes::api::challenges::{DayParams, PeriodParams};
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
    let lexicon = state.app.lexicons.pick(params.lexicon.as_deref())?;
    // A day that cannot be shown (not begun, malformed) shows today, saying why.
    let (day, error) = match challenges::check_day(&state.app, params.date.as_deref()) {
        Ok(day) => (day, None),
        Err(error) => (challenges::today(&state.app), Some(error.to_string())),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let day = challenges::day_of_challenges(&state.app, lexicon, day).await?;
    let page = ChallengesPage {
        page: Page::new("Challenges", &who),
        lexicon: day.lexicon.clone(),
        lexicons: state
            .app
            .lexicons
            .names()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        day,
        error,
    };
    Ok(render(status, &page))
}

pub(crate) async fn play(
    State(state): State<AppState>,
    who: MaybeUser,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    Path(slug): Path<String>,
    AppQuery(params): AppQuery<DayParams>,
) -> Result<Response, PageError> {
    let challenge = crate::routes::api::challenges::parse(&slug)?;
    let player = Player::resolve(who.0.clone(), &headers, client);
    let (day, lexicon) = params.resolve(&state)?;
    let admission = player.admit_wall(&state)?;
    let (wall, _) = challenges::play(
        &state.app,
        &player.owner,
        player.user.as_ref(),
        lexicon,
        challenge,
        day,
    )
    .await?;
    admission.keep();
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
    let medals = challenges::player_medals(&state.app, &name).await?;
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
    let players = challenges::hall(&state.app, Some(&period)).await?;
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
    runs: Vec<jobs::RunView>,
}

pub(crate) async fn admin(
    State(state): State<AppState>,
    who: MaybeUser,
) -> Result<Response, PageError> {
    match &who.0 {
        None => return Ok(Redirect::to("/login").into_response()),
        Some((_, user)) if !user.is_admin => {
            return Err(AppError::forbidden(
                "admins only: ask an admin to run “tilebag user admin NAME”",
            )
            .into());
        }
        Some(_) => {}
    }
    let (pending, overdue) = jobs::lateness(&state.app, state.app.clock.now()).await?;
    let runs = jobs::runs(&state.app, 50).await?;
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
