//! `/api/v1/challenges`, players' medals and the hall of fame.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tilebag_lexicon::Lexicon;
use tilebag_study::challenge::Challenge;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::challenges::{self, DayOut, MedalCounts, PlayerMedals, Standing};
use crate::app::walls;
use crate::error::{AppError, AppPath, AppQuery};
use crate::player::Player;
use crate::state::AppState;

/// The routes of challenges, medals and the hall of fame.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(play))
        .routes(routes!(leaderboard))
        .routes(routes!(hall_of_fame))
        .routes(routes!(medals))
}

/// Which day and lexicon.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DayParams {
    /// `YYYY-MM-DD`, from 2000-01-01 to today [default: today in the challenge time zone];
    /// a later day is refused (403 `future_day`).
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub date: Option<String>,
    /// Lexicon [default: the bundled one].
    pub lexicon: Option<String>,
}

impl DayParams {
    /// The day (checked) and the lexicon asked for.
    pub fn resolve<'a>(
        &self,
        state: &'a AppState,
    ) -> Result<(chrono::NaiveDate, &'a Lexicon), AppError> {
        let day = challenges::check_day(&state.app, self.date.as_deref())?;
        let lexicon = state.app.lexicons.pick(self.lexicon.as_deref())?;
        Ok((day, lexicon))
    }
}

/// The challenges of a day (today unless `date` says otherwise), with leaderboards.
#[utoipa::path(get, path = "/api/v1/challenges", operation_id = "list_challenges", params(DayParams),
    responses((status = 200, body = DayOut), (status = 400, description = "malformed date"), (status = 403, description = "the day has not begun"), (status = 404, description = "unknown lexicon")))]
pub async fn list(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<DayParams>,
) -> Result<Response, AppError> {
    let (day, lexicon) = params.resolve(&state)?;
    Ok(Json(challenges::day_of_challenges(&state.app, lexicon, day).await?).into_response())
}

/// The challenge a slug names.
pub fn parse(slug: &str) -> Result<Challenge, AppError> {
    Challenge::parse(slug)
        .ok_or_else(|| AppError::not_found(format!("no challenge is called “{slug}”")))
}

/// Starts a wall on a challenge; the first attempt by a logged-in player on the day counts,
/// any other (a past day, a guest, a second attempt) is practice.
#[utoipa::path(post, path = "/api/v1/challenges/{slug}/play", operation_id = "play_challenge", params(("slug" = String, Path), DayParams),
    security((), ("session_cookie" = [], "csrf_token" = [])),
    responses((status = 201, description = "the wall, with `counts` telling whether this attempt is on the leaderboard"),
        (status = 403, description = "the day has not begun, or CSRF token"), (status = 404, description = "no such challenge, or unknown lexicon")))]
pub async fn play(
    State(state): State<AppState>,
    player: Player,
    AppPath(slug): AppPath<String>,
    AppQuery(params): AppQuery<DayParams>,
) -> Result<Response, AppError> {
    let challenge = parse(&slug)?;
    let (day, lexicon) = params.resolve(&state)?;
    let admission = player.admit_wall(&state)?;
    let (wall, counts) = challenges::play(
        &state.app,
        &player.owner,
        player.user.as_ref(),
        lexicon,
        challenge,
        day,
    )
    .await?;
    admission.keep();
    let loaded = walls::load(&state.app, wall, &player.owner).await?;
    let view = crate::wall_view::view_for(&state.app, &loaded, &player).await?;
    let mut body = serde_json::to_value(view).map_err(AppError::internal)?;
    body["counts"] = serde_json::Value::Bool(counts);
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    player.set_cookie(&mut response);
    Ok(response)
}

/// A challenge's leaderboard.
#[utoipa::path(get, path = "/api/v1/challenges/{slug}/leaderboard", params(("slug" = String, Path), DayParams),
    responses((status = 200, body = [Standing]), (status = 403, description = "the day has not begun"), (status = 404, description = "no such challenge, or unknown lexicon")))]
pub async fn leaderboard(
    State(state): State<AppState>,
    AppPath(slug): AppPath<String>,
    AppQuery(params): AppQuery<DayParams>,
) -> Result<Response, AppError> {
    let challenge = parse(&slug)?;
    let (day, lexicon) = params.resolve(&state)?;
    let board = challenges::leaderboard_of(&state.app, lexicon, challenge, day).await?;
    Ok(Json(board).into_response())
}

/// Hall of fame period.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// `week`, `month`, `year` or `all` [default: month].
    #[param(pattern = "^(week|month|year|all)$")]
    pub period: Option<String>,
}

/// The hall of fame.
#[utoipa::path(get, path = "/api/v1/hall-of-fame", params(PeriodParams), responses((status = 200, body = [MedalCounts]), (status = 400, description = "unknown period")))]
pub async fn hall_of_fame(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<PeriodParams>,
) -> Result<Response, AppError> {
    Ok(Json(challenges::hall(&state.app, params.period.as_deref()).await?).into_response())
}

/// A player's medal counts and history.
#[utoipa::path(get, path = "/api/v1/players/{name}/medals", params(("name" = String, Path)),
    responses((status = 200, body = PlayerMedals), (status = 404, description = "no such player")))]
pub async fn medals(
    State(state): State<AppState>,
    AppPath(name): AppPath<String>,
) -> Result<Response, AppError> {
    Ok(Json(challenges::player_medals(&state.app, &name).await?).into_response())
}
