//! Daily challenges: which days may be played, drawing them on first request, playing them
//! as walls, leaderboards, medal counts and the hall of fame.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use serde::Serialize;
use tilebag_lexicon::Lexicon;
use tilebag_store::{Attempt, ChallengeId, Owner, StoredChallenge, User, UserId, WallId};
use tilebag_study::challenge::{Challenge, Draw, Medal, Score, generate, leaderboard};
use utoipa::ToSchema;

use super::documents::{read, write};
use super::walls::{self, Source, WallSettings};
use super::{App, ServiceError};

/// The earliest day that can be played as practice or looked at.
pub const EARLIEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// The challenge day `now` falls on, in the challenge time zone.
#[must_use]
pub fn day_of(app: &App, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&app.rules.challenge_zone).date_naive()
}

/// Today, in the challenge time zone.
#[must_use]
pub fn today(app: &App) -> NaiveDate {
    day_of(app, app.clock.now())
}

/// When a challenge day ends (the next local midnight), in UTC.
#[must_use]
pub fn end_of(app: &App, day: NaiveDate) -> DateTime<Utc> {
    let next = day + chrono::Days::new(1);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    midnight
        .and_local_timezone(app.rules.challenge_zone)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |local| local.with_timezone(&Utc))
}

/// `text` as a day `YYYY-MM-DD`, or an error naming the field and showing `today` as the
/// example.
pub fn parse_day(field: &str, text: &str, today: NaiveDate) -> Result<NaiveDate, ServiceError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| {
            ServiceError::invalid(format!("{field}: “{text}” is not a date like {today}"))
        })
}

/// A day asked for in a request (`None`: today), checked: from [`EARLIEST_DAY`] to today,
/// never a day that has not begun.
pub fn check_day(app: &App, asked: Option<&str>) -> Result<NaiveDate, ServiceError> {
    let today = today(app);
    let Some(text) = asked.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(today);
    };
    let day = parse_day("date", text, today)?;
    if day > today {
        return Err(ServiceError::Forbidden {
            code: "future_day",
            message: format!(
                "date: {day} has not begun yet (today is {today} in {}); its challenges open then",
                app.rules.challenge_zone
            ),
        });
    }
    if day < EARLIEST_DAY {
        return Err(ServiceError::invalid(format!(
            "date: choose a day from {EARLIEST_DAY} to {today}"
        )));
    }
    Ok(day)
}

/// The site's secret seed for challenges, made once and shared by every replica.
pub async fn secret(app: &App) -> Result<u64, ServiceError> {
    let fresh: u64 = rand::rng().random();
    let stored = app
        .store
        .site_setting("challenge_secret", &fresh.to_string())
        .await?;
    stored
        .parse()
        .map_err(|e| ServiceError::Document(format!("the stored challenge secret: {e}")))
}

/// A challenge's questions for a day, drawn (and stored) on first request. `None` when it
/// cannot be drawn (the toughies without a week of data).
pub async fn get_or_draw(
    app: &App,
    lexicon: &Lexicon,
    challenge: Challenge,
    day: NaiveDate,
) -> Result<Option<StoredChallenge>, ServiceError> {
    let start = challenge.period_start(day);
    let kind = challenge.slug();
    if let Some(found) = app.store.challenge(lexicon.name(), &kind, start).await? {
        return Ok(Some(found));
    }
    let most_missed = if challenge == Challenge::Toughies {
        week_before(app, lexicon, start).await?
    } else {
        Vec::new()
    };
    let questions = generate(lexicon, challenge, start, secret(app).await?, &most_missed);
    if questions.is_empty() {
        return Ok(None);
    }
    let stored = app
        .store
        .create_challenge(
            lexicon.name(),
            &kind,
            start,
            &write(&Draw { questions }),
            i64::from(challenge.seconds()),
            app.clock.now_s(),
        )
        .await?;
    Ok(Some(stored))
}

/// The alphagrams most missed in Today's Sevens and Eights the week before the toughies of
/// the week starting on `start`, most missed first: what those toughies are drawn from.
async fn week_before(
    app: &App,
    lexicon: &Lexicon,
    start: NaiveDate,
) -> Result<Vec<String>, ServiceError> {
    let (from, to) = (start - chrono::Days::new(7), start - chrono::Days::new(1));
    Ok(app
        .store
        .most_missed(lexicon.name(), &["today-7", "today-8"], from, to)
        .await?)
}

/// Starts a wall on a challenge. A logged-in player's first attempt during the challenge's
/// own day (week, for the toughies) counts for the leaderboard; any other is practice.
/// Returns the wall and whether the attempt counts.
pub async fn play(
    app: &App,
    owner: &Owner,
    user: Option<&User>,
    lexicon: &Lexicon,
    challenge: Challenge,
    day: NaiveDate,
) -> Result<(WallId, bool), ServiceError> {
    let stored = get_or_draw(app, lexicon, challenge, day)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found(format!(
                "no {} this week yet: it needs a week of played sevens and eights",
                challenge.title()
            ))
        })?;
    let draw: Draw = read(&stored.questions)?;
    let questions = draw.questions;
    let total = questions.iter().map(|q| q.answers.len()).sum::<usize>();
    let current = challenge.period_start(today(app)) == challenge.period_start(day);
    let entry = user
        .filter(|_| current)
        .map(|user| (user.id, i64::try_from(total).unwrap_or(i64::MAX)));
    let source = Source::Challenge {
        questions,
        seconds: u32::try_from(stored.seconds).unwrap_or(challenge.seconds()),
        attempt: Attempt {
            challenge: stored.id,
            entry,
        },
    };
    walls::create(app, owner, lexicon, source, &WallSettings::default()).await
}

/// A place on a leaderboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
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

/// An entry as the medal rules read it.
#[must_use]
pub fn score(entry: &tilebag_store::Entry) -> Score {
    let small = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Score {
        player: entry.user_id.0,
        solved: small(entry.solved),
        total: small(entry.total),
        wrong: small(entry.wrong),
        remaining_ms: entry.remaining_ms,
    }
}

/// A challenge's leaderboard: place, player, and their result.
pub async fn standings(app: &App, challenge: ChallengeId) -> Result<Vec<Standing>, ServiceError> {
    let entries = app.store.entries(challenge).await?;
    let scores: Vec<Score> = entries.iter().map(score).collect();
    Ok(leaderboard(&scores)
        .into_iter()
        .filter_map(|(place, s)| {
            entries
                .iter()
                .find(|e| e.user_id.0 == s.player)
                .map(|e| Standing {
                    place,
                    username: e.username.clone(),
                    solved: e.solved,
                    total: e.total,
                    wrong: e.wrong,
                    remaining_ms: e.remaining_ms,
                    finished: e.finished,
                })
        })
        .collect())
}

/// A challenge as stored for a day, if it has been drawn (reads only).
async fn stored_of(
    app: &App,
    lexicon: &Lexicon,
    challenge: Challenge,
    day: NaiveDate,
) -> Result<Option<StoredChallenge>, ServiceError> {
    Ok(app
        .store
        .challenge(
            lexicon.name(),
            &challenge.slug(),
            challenge.period_start(day),
        )
        .await?)
}

/// The leaderboard of a challenge on a day (empty until someone plays).
pub async fn leaderboard_of(
    app: &App,
    lexicon: &Lexicon,
    challenge: Challenge,
    day: NaiveDate,
) -> Result<Vec<Standing>, ServiceError> {
    match stored_of(app, lexicon, challenge, day).await? {
        Some(stored) => standings(app, stored.id).await,
        None => Ok(Vec::new()),
    }
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
    /// Whether it can be played on this day: not when the lexicon has no words of its
    /// lengths, nor the toughies of a week without their data (they are drawn from the week
    /// before's most missed sevens and eights, and need 25 of each).
    pub playable: bool,
    /// For toughies that cannot be played yet this week: the first day they may open
    /// (`YYYY-MM-DD`, next Monday), if this week's sevens and eights are played enough.
    pub opens: Option<String>,
    /// The asking player's own place on its leaderboard, if they played it that day.
    pub mine: Option<Standing>,
    /// Its leaderboard (empty until someone plays).
    pub leaderboard: Vec<Standing>,
}

/// The challenges of a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayOut {
    /// The day.
    pub day: String,
    /// Today, the last day that can be chosen.
    pub today: String,
    /// Whether the day is today (a player's first attempt counts) or a past day (practice).
    pub is_today: bool,
    /// The lexicon.
    pub lexicon: String,
    /// Its challenges.
    pub challenges: Vec<ChallengeOut>,
}

/// Whether a challenge can be played on a day, and if not, from when it may be: the
/// toughies wait for a week of played sevens and eights (reads only: nothing is drawn).
async fn availability(
    app: &App,
    lexicon: &Lexicon,
    challenge: Challenge,
    day: NaiveDate,
    stored: Option<&StoredChallenge>,
) -> Result<(bool, Option<NaiveDate>), ServiceError> {
    if stored.is_some() {
        return Ok((true, None));
    }
    let has = |len: usize| !lexicon.alphagrams_of_length(len).is_empty();
    let lengths = match challenge {
        Challenge::Today(n) => has(usize::from(n)),
        Challenge::BingoMarathon | Challenge::BlankBingos => has(7) && has(8),
        Challenge::WordBuilder => has(6) || has(7) || has(8),
        Challenge::Toughies => true,
    };
    if challenge != Challenge::Toughies || !lengths {
        return Ok((lengths, None));
    }
    let start = challenge.period_start(day);
    if tilebag_study::challenge::toughies_ready(&week_before(app, lexicon, start).await?) {
        return Ok((true, None));
    }
    let current = start == challenge.period_start(today(app));
    Ok((false, current.then(|| challenge.period_end(start))))
}

/// The challenges of a day with their leaderboards, whether each can be played, and
/// the result in each of the player called `player`.
pub async fn day_of_challenges(
    app: &App,
    lexicon: &Lexicon,
    day: NaiveDate,
    player: Option<&str>,
) -> Result<DayOut, ServiceError> {
    let mut challenges = Vec::new();
    for challenge in Challenge::all() {
        let stored = stored_of(app, lexicon, challenge, day).await?;
        let leaderboard = match &stored {
            Some(stored) => standings(app, stored.id).await?,
            None => Vec::new(),
        };
        let (playable, opens) = availability(app, lexicon, challenge, day, stored.as_ref()).await?;
        let mine = player.and_then(|name| {
            leaderboard
                .iter()
                .find(|standing| standing.username == name)
                .cloned()
        });
        challenges.push(ChallengeOut {
            slug: challenge.slug(),
            title: challenge.title(),
            seconds: challenge.seconds(),
            playable,
            opens: opens.map(|d| d.to_string()),
            mine,
            leaderboard,
        });
    }
    let today = today(app);
    Ok(DayOut {
        day: day.to_string(),
        today: today.to_string(),
        is_today: day == today,
        lexicon: lexicon.name().to_owned(),
        challenges,
    })
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

/// A stored medal name as a medal.
fn medal(name: &str) -> Result<Medal, ServiceError> {
    [
        Medal::Platinum,
        Medal::Gold,
        Medal::Silver,
        Medal::Bronze,
        Medal::GoldStar,
    ]
    .into_iter()
    .find(|m| m.name() == name)
    .ok_or_else(|| ServiceError::Document(format!("a stored medal is named “{name}”")))
}

impl MedalCounts {
    fn add(&mut self, medal: Medal) {
        let count = match medal {
            Medal::Platinum => &mut self.platinum,
            Medal::Gold => &mut self.gold,
            Medal::Silver => &mut self.silver,
            Medal::Bronze => &mut self.bronze,
            Medal::GoldStar => &mut self.gold_star,
        };
        *count += 1;
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

/// Players ranked by medals over a period (`week`, `month`, `year` or `all`): platinum,
/// then gold, silver, bronze, gold stars.
pub async fn hall(app: &App, period: Option<&str>) -> Result<Vec<MedalCounts>, ServiceError> {
    let today = today(app);
    let from = match period.unwrap_or("month") {
        "week" => today - chrono::Days::new(7),
        "month" => today - chrono::Days::new(31),
        "year" => today - chrono::Days::new(366),
        "all" => EARLIEST_DAY,
        other => {
            return Err(ServiceError::invalid(format!(
                "period: say week, month, year or all, not “{other}”"
            )));
        }
    };
    let mut by_player: BTreeMap<String, MedalCounts> = BTreeMap::new();
    for won in app.store.medals(None, from, today).await? {
        by_player
            .entry(won.username.clone())
            .or_insert_with(|| MedalCounts {
                username: won.username.clone(),
                ..MedalCounts::default()
            })
            .add(medal(&won.medal)?);
    }
    let mut ranked: Vec<MedalCounts> = by_player.into_values().collect();
    ranked.sort_by(|a, b| {
        b.rank_key()
            .cmp(&a.rank_key())
            .then_with(|| a.username.cmp(&b.username))
    });
    Ok(ranked)
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
pub async fn player_medals(app: &App, name: &str) -> Result<PlayerMedals, ServiceError> {
    let user = app
        .store
        .user_by_name(name)
        .await
        .map_err(|_| ServiceError::not_found(format!("no player is called “{name}”")))?;
    let mut counts = MedalCounts {
        username: user.username.clone(),
        ..MedalCounts::default()
    };
    let mut history = Vec::new();
    for won in app
        .store
        .medals(Some(user.id), EARLIEST_DAY, today(app))
        .await?
    {
        let kind = medal(&won.medal)?;
        counts.add(kind);
        let title = Challenge::parse(&won.kind).map_or(won.kind.clone(), Challenge::title);
        history.push([
            won.day.to_string(),
            title,
            won.lexicon,
            kind.name().to_owned(),
        ]);
    }
    Ok(PlayerMedals { counts, history })
}

/// Awards a medal (again: nothing changes); whether it is new.
pub async fn award(
    app: &App,
    challenge: &StoredChallenge,
    player: UserId,
    medal: Medal,
) -> Result<bool, ServiceError> {
    Ok(app
        .store
        .award(
            challenge.id,
            player,
            medal.name(),
            challenge.day,
            app.clock.now_s(),
        )
        .await?)
}
