//! `/api/v1/challenges`, players' medals and the hall of fame.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tilebag_study::challenge::Challenge;
use utoipa::{IntoParams, ToSchema};

use crate::challenges::{self, day_of};
use crate::error::{AppError, AppQuery};
use crate::player::Player;
use crate::state::AppState;

/// Which day and lexicon.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DayParams {
    /// `YYYY-MM-DD` [default: today in the challenge time zone].
    pub date: Option<String>,
    /// Lexicon [default: the bundled one].
    pub lexicon: Option<String>,
}

impl DayParams {
    /// The day asked for, or today.
    pub fn day(&self, state: &AppState) -> Result<NaiveDate, AppError> {
        match self.date.as_deref().filter(|d| !d.is_empty()) {
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                AppError::bad_request(format!("date: `{text}` is not a date like 2026-11-26"))
            }),
            None => Ok(day_of(state, Utc::now())),
        }
    }
}

/// A place on a leaderboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct Standing {
    /// 1 for the best; equal results share a place.
    pub place: u32,
    /// The player.
    pub username: String,
    /// Answers found.
    pub solved: i64,
    /// Answers in all.
    pub total: i64,
    /// Wrong guesses.
    pub wrong: i64,
    /// Milliseconds left at the end.
    pub remaining_ms: i64,
    /// Whether the round has ended.
    pub finished: bool,
}

/// A challenge of the day.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeOut {
    /// Its name in URLs.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Seconds to play.
    pub seconds: u32,
    /// Its leaderboard (empty until someone plays).
    pub leaderboard: Vec<Standing>,
}

/// The challenges of a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayOut {
    /// The day.
    pub day: String,
    /// The lexicon.
    pub lexicon: String,
    /// Its challenges.
    pub challenges: Vec<ChallengeOut>,
}

/// The leaderboard of a stored challenge.
pub async fn standings(state: &AppState, challenge_id: i64) -> Result<Vec<Standing>, AppError> {
    Ok(challenges::board(state, challenge_id)
        .await?
        .into_iter()
        .map(|(place, e)| Standing {
            place,
            username: e.username,
            solved: e.solved,
            total: e.total,
            wrong: e.wrong,
            remaining_ms: e.remaining_ms,
            finished: e.finished,
        })
        .collect())
}

/// The challenges of a day with their leaderboards.
pub async fn day_of_challenges(state: &AppState, params: &DayParams) -> Result<DayOut, AppError> {
    let day = params.day(state)?;
    let lexicon = state.lexicons.pick(params.lexicon.as_deref())?;
    let mut challenges = Vec::new();
    for challenge in Challenge::all() {
        let stored = state
            .store
            .challenge(
                lexicon.name(),
                &challenge.slug(),
                &challenge.period_start(day).to_string(),
            )
            .await?;
        let leaderboard = match stored {
            Some(stored) => standings(state, stored.id).await?,
            None => Vec::new(),
        };
        challenges.push(ChallengeOut {
            slug: challenge.slug(),
            title: challenge.title(),
            seconds: challenge.seconds(),
            leaderboard,
        });
    }
    Ok(DayOut {
        day: day.to_string(),
        lexicon: lexicon.name().to_owned(),
        challenges,
    })
}

/// The challenges of a day (today unless `date` says otherwise), with leaderboards.
#[utoipa::path(get, path = "/api/v1/challenges", params(DayParams), responses((status = 200, body = DayOut)))]
pub async fn list(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<DayParams>,
) -> Result<Response, AppError> {
    Ok(Json(day_of_challenges(&state, &params).await?).into_response())
}

fn parse(slug: &str) -> Result<Challenge, AppError> {
    Challenge::parse(slug)
        .ok_or_else(|| AppError::not_found(format!("no challenge is called `{slug}`")))
}

/// Starts a wall on a challenge; the first attempt by a logged-in player on the day counts.
#[utoipa::path(post, path = "/api/v1/challenges/{slug}/play", params(("slug" = String, Path), DayParams),
    responses((status = 201, description = "the wall, with `counts` telling whether this attempt is on the leaderboard")))]
pub async fn play(
    State(state): State<AppState>,
    player: Player,
    Path(slug): Path<String>,
    AppQuery(params): AppQuery<DayParams>,
) -> Result<Response, AppError> {
    let challenge = parse(&slug)?;
    let day = params.day(&state)?;
    let lexicon = state.lexicons.pick(params.lexicon.as_deref())?;
    let (wall, counts) = challenges::play(
        &state,
        &player.owner,
        player.user.as_ref(),
        lexicon,
        challenge,
        day,
    )
    .await?;
    let loaded = crate::walls::load(&state, wall, &player.owner).await?;
    let mut body =
        serde_json::to_value(crate::walls::view(&state, &loaded)).map_err(AppError::internal)?;
    body["counts"] = serde_json::Value::Bool(counts);
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    player.set_cookie(&mut response);
    Ok(response)
}

/// A challenge's leaderboard.
#[utoipa::path(get, path = "/api/v1/challenges/{slug}/leaderboard", params(("slug" = String, Path), DayParams), responses((status = 200, body = [Standing])))]
pub async fn leaderboard(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    AppQuery(params): AppQuery<DayParams>,
) -> Result<Response, AppError> {
    let challenge = parse(&slug)?;
    let day = params.day(&state)?;
    let lexicon = state.lexicons.pick(params.lexicon.as_deref())?;
    let stored = state
        .store
        .challenge(
            lexicon.name(),
            &challenge.slug(),
            &challenge.period_start(day).to_string(),
        )
        .await?;
    let board = match stored {
        Some(stored) => standings(&state, stored.id).await?,
        None => Vec::new(),
    };
    Ok(Json(board).into_response())
}

/// Medal counts of a player or of everybody.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct MedalCounts {
    /// The player.
    pub username: String,
    /// Platinum medals.
    pub platinum: u32,
    /// Gold medals.
    pub gold: u32,
    /// Silver medals.
    pub silver: u32,
    /// Bronze medals.
    pub bronze: u32,
    /// Gold stars.
    pub gold_star: u32,
}

impl MedalCounts {
    fn add(&mut self, medal: &str) {
        match medal {
            "platinum" => self.platinum += 1,
            "gold" => self.gold += 1,
            "silver" => self.silver += 1,
            "bronze" => self.bronze += 1,
            _ => self.gold_star += 1,
        }
    }

    fn rank_key(&self) -> (u32, u32, u32, u32, u32) {
        (
            self.platinum,
            self.gold,
            self.silver,
            self.bronze,
            self.gold_star,
        )
    }
}

/// Hall of fame period.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// `week`, `month`, `year` or `all` [default: month].
    pub period: Option<String>,
}

/// Players ranked by medals over a period: platinum, then gold, silver, bronze, gold stars.
pub async fn hall(state: &AppState, period: Option<&str>) -> Result<Vec<MedalCounts>, AppError> {
    let today = day_of(state, Utc::now());
    let days = match period.unwrap_or("month") {
        "week" => 7,
        "month" => 31,
        "year" => 366,
        "all" => 365 * 100,
        other => {
            return Err(AppError::bad_request(format!(
                "period: say week, month, year or all, not `{other}`"
            )));
        }
    };
    let from = today - chrono::Days::new(days);
    let mut by_player: BTreeMap<String, MedalCounts> = BTreeMap::new();
    for won in state
        .store
        .medals(None, &from.to_string(), &today.to_string())
        .await?
    {
        by_player
            .entry(won.username.clone())
            .or_insert_with(|| MedalCounts {
                username: won.username.clone(),
                ..MedalCounts::default()
            })
            .add(&won.medal);
    }
    let mut ranked: Vec<MedalCounts> = by_player.into_values().collect();
    ranked.sort_by(|a, b| {
        b.rank_key()
            .cmp(&a.rank_key())
            .then_with(|| a.username.cmp(&b.username))
    });
    Ok(ranked)
}

/// The hall of fame.
#[utoipa::path(get, path = "/api/v1/hall-of-fame", params(PeriodParams), responses((status = 200, body = [MedalCounts])))]
pub async fn hall_of_fame(
    State(state): State<AppState>,
    AppQuery(params): AppQuery<PeriodParams>,
) -> Result<Response, AppError> {
    Ok(Json(hall(&state, params.period.as_deref()).await?).into_response())
}

/// A player's medals: counts and history.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlayerMedals {
    /// Counts.
    pub counts: MedalCounts,
    /// Every medal, newest first: `[day, challenge, lexicon, medal]`.
    pub history: Vec<[String; 4]>,
}

/// A player's medals.
pub async fn player_medals(state: &AppState, name: &str) -> Result<PlayerMedals, AppError> {
    let user = state
        .store
        .user_by_name(name)
        .await
        .map_err(|_| AppError::not_found(format!("no player is called `{name}`")))?;
    let mut counts = MedalCounts {
        username: user.username.clone(),
        ..MedalCounts::default()
    };
    let mut history = Vec::new();
    for won in state
        .store
        .medals(Some(user.id), "0000-01-01", "9999-12-31")
        .await?
    {
        counts.add(&won.medal);
        let title = Challenge::parse(&won.kind).map_or(won.kind.clone(), Challenge::title);
        history.push([won.day, title, won.lexicon, won.medal]);
    }
    Ok(PlayerMedals { counts, history })
}

/// A player's medal counts and history.
#[utoipa::path(get, path = "/api/v1/players/{name}/medals", params(("name" = String, Path)), responses((status = 200, body = PlayerMedals)))]
pub async fn medals(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    Ok(Json(player_medals(&state, &name).await?).into_response())
}
