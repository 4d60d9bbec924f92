//! Walls: making them, playing their rounds, and saving their lists — for pages and API.
//!
//! The server is the authority: it starts the clock, judges guesses and decides when time
//! is up; nothing the browser says about answers, scores or time is trusted. Rounds live
//! in the database, so a restart loses nothing, and the time no server was up is given
//! back to running rounds (see [`credit_downtime`]).

use rand::Rng;
use serde::{Deserialize, Serialize};
use tilebag_lexicon::Lexicon;
use tilebag_store::{Owner, Progress, StoredWall, WallId};
use tilebag_study::{Deal, EndReason, Guess, Question, Round, StudyList};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::state::AppState;
use crate::views::WordOut;

/// Most alphagrams a wall or an uploaded list may hold.
pub const MAX_QUESTIONS: usize = 40_000;

/// How a wall's rounds are played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WallSettings {
    /// Questions per round, 10 to 200.
    pub questions_per_round: usize,
    /// Seconds per round, 1 to 3600.
    pub seconds: u32,
    /// `anagram`: find the words of each alphagram; `build`: every word of at least
    /// `min_length` letters made from each rack.
    pub mode: Mode,
    /// Shortest word counted in build mode.
    pub min_length: usize,
}

impl Default for WallSettings {
    fn default() -> WallSettings {
        WallSettings {
            questions_per_round: 50,
            seconds: 240,
            mode: Mode::Anagram,
            min_length: 3,
        }
    }
}

/// Wall mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Find every anagram.
    Anagram,
    /// Find every word made from some of the letters.
    Build,
}

impl WallSettings {
    /// Checks the ranges.
    pub fn check(&self) -> Result<(), AppError> {
        if !(10..=200).contains(&self.questions_per_round) {
            return Err(AppError::bad_request(
                "questions_per_round: choose 10 to 200 questions per round",
            ));
        }
        if !(1..=3600).contains(&self.seconds) {
            return Err(AppError::bad_request(
                "seconds: a round lasts 1 second to 60 minutes",
            ));
        }
        if !(2..=15).contains(&self.min_length) {
            return Err(AppError::bad_request("min_length: choose 2 to 15 letters"));
        }
        Ok(())
    }
}

/// Unix milliseconds.
#[must_use]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn json<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(AppError::internal)
}

fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(AppError::internal)
}

fn deal_questions(
    lexicon: &Lexicon,
    list: &mut StudyList,
    deal: Deal,
    settings: &WallSettings,
) -> Vec<Question> {
    let dealt = list.deal(deal, settings.questions_per_round);
    match settings.mode {
        Mode::Anagram => dealt
            .iter()
            .filter_map(|a| tilebag_study::questions(lexicon, [a.as_str()]).ok())
            .flatten()
            .collect(),
        Mode::Build => dealt
            .iter()
            .filter_map(|a| tilebag_study::build_question(lexicon, a, settings.min_length))
            .collect(),
    }
}

/// A list's progress counts, as stored beside it.
pub fn progress(list: &StudyList) -> Progress {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    Progress {
        size: count(list.alphagrams.len()),
        seen: count(list.seen),
        missed: count(list.missed.len()),
        first_missed: count(list.first_missed.len()),
    }
}

/// The alphagrams a search finds for a new wall (more than a wall holds is caught by
/// [`create`]), with the lexicon searched.
pub fn alphagrams_of<'a>(
    state: &'a AppState,
    search: &crate::search_form::SearchForm,
) -> Result<(&'a Lexicon, Vec<String>), AppError> {
    if search.is_empty() {
        return Err(AppError::bad_request(
            "give some search criteria, e.g. length 7 and probability 1-500",
        ));
    }
    let lexicon = state.lexicons.pick(search.lexicon.as_deref())?;
    let mut spec = search.spec()?;
    spec.limit = Some(
        spec.limit
            .unwrap_or(MAX_QUESTIONS + 1)
            .min(MAX_QUESTIONS + 1),
    );
    let query = spec.to_query(|name| state.lexicons.get(name))?;
    Ok((
        lexicon,
        lexicon
            .search(&query)
            .into_iter()
            .map(|id| lexicon.alphagram(id).letters())
            .collect(),
    ))
}

/// Makes a wall of these alphagrams (shuffled once with a fresh seed) and starts its first round.
pub async fn create(
    state: &AppState,
    owner: &Owner,
    lexicon: &Lexicon,
    alphagrams: Vec<String>,
    settings: &WallSettings,
) -> Result<WallId, AppError> {
    settings.check()?;
    if alphagrams.is_empty() {
        return Err(AppError::bad_request(
            "no alphagrams match; loosen the criteria",
        ));
    }
    if alphagrams.len() > MAX_QUESTIONS {
        return Err(AppError::bad_request(format!(
            "{} alphagrams is more than a wall holds ({MAX_QUESTIONS}); narrow the criteria",
            alphagrams.len()
        )));
    }
    let mut list = StudyList::new(alphagrams, rand::rng().random());
    let questions = deal_questions(lexicon, &mut list, Deal::Continue, settings);
    let round = Round::start(questions, i64::from(settings.seconds) * 1000, now_ms());
    let id = state
        .store
        .create_wall(
            owner,
            lexicon.name(),
            &json(settings)?,
            &json(&list)?,
            &json(&round)?,
            round.deadline,
        )
        .await?;
    Ok(id)
}

/// A wall with its round, clock checked.
#[derive(Debug)]
pub struct Loaded {
    /// The stored row.
    pub wall: StoredWall,
    /// The round, its deadline from the row.
    pub round: Round,
    /// Its settings.
    pub settings: WallSettings,
    /// The challenge it plays, if any.
    pub challenge: Option<ChallengeLink>,
}

/// Loads a wall of `owner` (another's is 404), ending its round if time is up.
pub async fn load(state: &AppState, id: WallId, owner: &Owner) -> Result<Loaded, AppError> {
    let wall = state.store.wall(id, owner).await.map_err(|e| match e {
        tilebag_store::StoreError::NotFound => AppError::not_found("no such wall"),
        other => other.into(),
    })?;
    let mut round: Round = parse(&wall.round)?;
    round.deadline = wall.deadline;
    let settings = parse(&wall.settings)?;
    let challenge = challenge_link(state, wall.challenge_id).await?;
    let mut loaded = Loaded {
        wall,
        round,
        settings,
        challenge,
    };
    let was_running = loaded.round.ended.is_none();
    if loaded.round.check_clock(now_ms()) && was_running {
        finish(state, &mut loaded).await?;
    }
    Ok(loaded)
}

/// Stores a round that just ended, and records its results in the wall's list (which is
/// saved back to the player's saved list, if the wall plays one).
async fn finish(state: &AppState, loaded: &mut Loaded) -> Result<(), AppError> {
    store_round(state, loaded).await?;
    record(state, loaded).await
}

/// The link to a challenge wall's leaderboard.
async fn challenge_link(
    state: &AppState,
    challenge_id: Option<i64>,
) -> Result<Option<ChallengeLink>, AppError> {
    let Some(id) = challenge_id else {
        return Ok(None);
    };
    let stored = state.store.challenge_by_id(id).await?;
    let title = tilebag_study::challenge::Challenge::parse(&stored.kind).map_or_else(
        || stored.kind.clone(),
        tilebag_study::challenge::Challenge::title,
    );
    let leaderboard = format!(
        "/challenges?date={}&lexicon={}#{}",
        stored.day, stored.lexicon, stored.kind
    );
    Ok(Some(ChallengeLink { title, leaderboard }))
}

/// Records a finished round's results in the wall's list, and in its challenge entry.
async fn record(state: &AppState, loaded: &mut Loaded) -> Result<(), AppError> {
    if loaded.wall.challenge_id.is_some() {
        let round = &loaded.round;
        let remaining = round.ended_at.map_or(0, |at| (round.deadline - at).max(0));
        let missed: Vec<String> = round.missed().into_iter().map(str::to_owned).collect();
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        state
            .store
            .finish_entry(
                loaded.wall.id,
                count(round.solved_count()),
                i64::from(round.wrong),
                remaining,
                &missed,
            )
            .await?;
        return Ok(());
    }
    let mut list: StudyList = parse(&state.store.wall_list(loaded.wall.id).await?)?;
    list.record(
        loaded
            .round
            .questions
            .iter()
            .map(|q| (q.question.alphagram.as_str(), q.is_missed())),
    );
    state
        .store
        .update_wall_list(loaded.wall.id, &json(&list)?, progress(&list))
        .await?;
    Ok(())
}

async fn store_round(state: &AppState, loaded: &Loaded) -> Result<(), AppError> {
    let running = loaded.round.ended.is_none();
    Ok(state
        .store
        .update_round(
            loaded.wall.id,
            &json(&loaded.round)?,
            loaded.round.deadline,
            running,
        )
        .await?)
}

/// Judges a guess, reading and storing the round in one transaction.
pub async fn guess(
    state: &AppState,
    id: WallId,
    owner: &Owner,
    word: &str,
) -> Result<(Loaded, Guess), AppError> {
    let now = now_ms();
    let (mut loaded, outcome, was_running) = state
        .store
        .modify_wall(id, owner, |wall| {
            let mut round: Round = parse(&wall.round)?;
            round.deadline = wall.deadline;
            let settings = parse(&wall.settings)?;
            let was_running = round.ended.is_none();
            let outcome = round.guess(word, now);
            let changed = matches!(outcome, Guess::Solved { .. } | Guess::Wrong | Guess::Late);
            let update = changed.then(|| -> Result<_, AppError> {
                Ok(tilebag_store::RoundUpdate {
                    round: json(&round)?,
                    deadline: round.deadline,
                    running: round.ended.is_none(),
                })
            });
            let update = update.transpose()?;
            Ok::<_, AppError>((
                update,
                (
                    Loaded {
                        wall,
                        round,
                        settings,
                        challenge: None,
                    },
                    outcome,
                    was_running,
                ),
            ))
        })
        .await
        .map_err(|e| {
            if e.status == axum::http::StatusCode::NOT_FOUND {
                AppError::not_found("no such wall")
            } else {
                e
            }
        })?;
    if was_running && loaded.round.ended.is_some() {
        record(state, &mut loaded).await?;
    }
    Ok((loaded, outcome))
}

/// Ends the round now.
pub async fn give_up(state: &AppState, id: WallId, owner: &Owner) -> Result<Loaded, AppError> {
    let mut loaded = load(state, id, owner).await?;
    if loaded.round.ended.is_none() {
        loaded.round.give_up(now_ms());
        finish(state, &mut loaded).await?;
    }
    Ok(loaded)
}

/// After a round: says whether a question counts as missed (`None` undoes the override).
pub async fn mark_missed(
    state: &AppState,
    id: WallId,
    owner: &Owner,
    question: usize,
    missed: Option<bool>,
) -> Result<Loaded, AppError> {
    let mut loaded = load(state, id, owner).await?;
    if loaded.round.ended.is_none() {
        return Err(AppError::new(
            axum::http::StatusCode::CONFLICT,
            "round_running",
            "mark questions after the round ends",
        ));
    }
    if !loaded.round.mark_missed(question, missed) {
        return Err(AppError::not_found(format!(
            "the round has no question {question}"
        )));
    }
    store_round(state, &loaded).await?;
    let mut list: StudyList = parse(&state.store.wall_list(id).await?)?;
    let q = &loaded.round.questions[question];
    list.record([(q.question.alphagram.as_str(), q.is_missed())]);
    state
        .store
        .update_wall_list(id, &json(&list)?, progress(&list))
        .await?;
    Ok(loaded)
}

/// Starts the next round: more of the list, or the questions missed so far.
pub async fn next_round(
    state: &AppState,
    id: WallId,
    owner: &Owner,
    deal: Deal,
) -> Result<Loaded, AppError> {
    let mut loaded = load(state, id, owner).await?;
    if loaded.round.ended.is_none() {
        return Err(AppError::new(
            axum::http::StatusCode::CONFLICT,
            "round_running",
            "finish or give up this round first",
        ));
    }
    if loaded.wall.challenge_id.is_some() {
        let message = "a challenge is one round; play it again from the challenges page";
        return Err(AppError::new(
            axum::http::StatusCode::CONFLICT,
            "challenge",
            message,
        ));
    }
    let lexicon = state.lexicons.pick(Some(&loaded.wall.lexicon))?;
    let mut list: StudyList = parse(&state.store.wall_list(id).await?)?;
    let questions = deal_questions(lexicon, &mut list, deal, &loaded.settings);
    if questions.is_empty() {
        let why = match deal {
            Deal::Continue => "the list is finished: quiz on the missed ones or start over",
            Deal::Missed | Deal::FirstMissed => "nothing is missed",
            Deal::StartOver => "the list is empty",
        };
        return Err(AppError::new(
            axum::http::StatusCode::CONFLICT,
            "nothing_to_deal",
            why,
        ));
    }
    loaded.round = Round::start(
        questions,
        i64::from(loaded.settings.seconds) * 1000,
        now_ms(),
    );
    state
        .store
        .update_wall_list(id, &json(&list)?, progress(&list))
        .await?;
    store_round(state, &loaded).await?;
    Ok(loaded)
}

/// Gives running rounds back the time no server was up: called at start-up with the last
/// heartbeat any server wrote.
pub async fn credit_downtime(
    state: &AppState,
    last_heartbeat: Option<i64>,
    now: i64,
) -> Result<u64, AppError> {
    const BEAT: i64 = 5_000;
    let Some(last) = last_heartbeat else {
        return Ok(0);
    };
    let down = now - last - BEAT;
    if down <= 0 {
        return Ok(0);
    }
    Ok(state.store.extend_running_walls(down).await?)
}

/// The state of a wall as the player sees it: while the round runs, only what has been
/// found; once it ends, every answer with its facts.
#[derive(Debug, Serialize, ToSchema)]
pub struct WallView<'a> {
    /// The wall's id.
    pub id: i64,
    /// Its lexicon.
    pub lexicon: String,
    /// The saved list it plays, if any.
    pub list_id: Option<i64>,
    /// Round settings.
    pub settings: WallSettings,
    /// Milliseconds left (0 once over).
    pub remaining_ms: i64,
    /// Why the round ended, once it has: `time_up`, `all_solved` or `gave_up`.
    pub ended: Option<&'static str>,
    /// Answers found.
    pub solved: usize,
    /// Answers in all.
    pub total: usize,
    /// Wrong guesses.
    pub wrong: u32,
    /// The questions.
    pub questions: Vec<QuestionView<'a>>,
    /// For a challenge: its title and the page with its leaderboard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<ChallengeLink>,
}

/// Where a challenge wall's leaderboard is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChallengeLink {
    /// The challenge's title.
    pub title: String,
    /// The challenges page of its day.
    pub leaderboard: String,
}

/// One question of a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView<'a> {
    /// Its letters.
    pub alphagram: String,
    /// How many answers it has.
    pub answers: usize,
    /// Answers found so far.
    pub found: Vec<String>,
    /// After the round: probability rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<u32>,
    /// After the round: every answer with hooks and definition, and whether it was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solutions: Option<Vec<SolutionView<'a>>>,
    /// After the round: whether it counts as missed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missed: Option<bool>,
}

/// An answer revealed after the round.
#[derive(Debug, Serialize, ToSchema)]
pub struct SolutionView<'a> {
    /// The word and its facts.
    #[serde(flatten)]
    pub word: WordOut<'a>,
    /// Whether the player found it.
    pub found: bool,
}

/// The player's view of a loaded wall.
pub fn view<'a>(state: &'a AppState, loaded: &Loaded) -> WallView<'a> {
    let lexicon = state.lexicons.get(&loaded.wall.lexicon);
    let over = loaded.round.ended.is_some();
    let questions = loaded
        .round
        .questions
        .iter()
        .map(|q| {
            let found: Vec<String> = q
                .question
                .answers
                .iter()
                .zip(&q.solved)
                .filter(|(_, s)| **s)
                .map(|(a, _)| a.clone())
                .collect();
            let reveal = over.then_some(()).and(lexicon);
            QuestionView {
                alphagram: q.question.alphagram.clone(),
                answers: q.question.answers.len(),
                found,
                probability: reveal
                    .and_then(|l| l.find_alphagram(&q.question.alphagram))
                    .and_then(|id| lexicon.map(|l| l.alphagram(id).probability())),
                solutions: reveal.map(|l| {
                    q.question
                        .answers
                        .iter()
                        .zip(&q.solved)
                        .filter_map(|(a, &s)| {
                            l.find_word(a).map(|id| SolutionView {
                                word: WordOut::new(&l.word(id), None),
                                found: s,
                            })
                        })
                        .collect()
                }),
                missed: over.then(|| q.is_missed()),
            }
        })
        .collect();
    WallView {
        id: loaded.wall.id.0,
        lexicon: loaded.wall.lexicon.clone(),
        list_id: loaded.wall.list_id.map(|l| l.0),
        settings: loaded.settings.clone(),
        remaining_ms: loaded.round.remaining(now_ms()),
        ended: loaded.round.ended.map(|reason| match reason {
            EndReason::TimeUp => "time_up",
            EndReason::AllSolved => "all_solved",
            EndReason::GaveUp => "gave_up",
        }),
        solved: loaded.round.solved_count(),
        total: loaded.round.answer_count(),
        wrong: loaded.round.wrong,
        questions,
        challenge: loaded.challenge.clone(),
    }
}

/// Starts a wall on a saved list, dealing as asked.
pub async fn create_from_list(
    state: &AppState,
    user: &tilebag_store::User,
    list_id: tilebag_store::ListId,
    lexicon: &Lexicon,
    list_json: &str,
    deal: Deal,
    settings: &WallSettings,
) -> Result<WallId, AppError> {
    let mut list: StudyList = parse(list_json)?;
    let questions = deal_questions(lexicon, &mut list, deal, settings);
    if questions.is_empty() {
        return Err(AppError::new(
            axum::http::StatusCode::CONFLICT,
            "nothing_to_deal",
            "nothing left to deal: try first missed or start over",
        ));
    }
    let round = Round::start(questions, i64::from(settings.seconds) * 1000, now_ms());
    Ok(state
        .store
        .create_list_wall(
            list_id,
            user.id,
            &json(settings)?,
            &json(&list)?,
            &json(&round)?,
            round.deadline,
        )
        .await?)
}

/// At start-up: gives running rounds back the time no server was up, then writes a
/// heartbeat every few seconds for as long as the returned task runs.
pub async fn keep_time(state: &AppState) -> Result<tokio::task::JoinHandle<()>, AppError> {
    let now = now_ms();
    let last = state.store.heartbeat(now).await?;
    let credited = credit_downtime(state, last, now).await?;
    if credited > 0 {
        tracing::info!(
            rounds = credited,
            "gave running rounds back the time the server was down"
        );
    }
    let state = state.clone();
    Ok(tokio::spawn(async move {
        let mut beat = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            beat.tick().await;
            if let Err(error) = state.store.heartbeat(now_ms()).await {
                tracing::warn!(%error, "could not write the heartbeat");
            }
        }
    }))
}

/// Makes a one-round wall of given questions (a challenge), dealt in their order.
pub async fn create_with_questions(
    state: &AppState,
    owner: &Owner,
    lexicon: &Lexicon,
    questions: Vec<Question>,
    seconds: i64,
) -> Result<WallId, AppError> {
    let mut list = StudyList::in_order(questions.iter().map(|q| q.alphagram.clone()).collect());
    list.deal(Deal::Continue, questions.len());
    let settings = WallSettings {
        questions_per_round: questions.len(),
        seconds: u32::try_from(seconds).unwrap_or(u32::MAX),
        ..WallSettings::default()
    };
    let round = Round::start(questions, seconds * 1000, now_ms());
    Ok(state
        .store
        .create_wall(
            owner,
            lexicon.name(),
            &json(&settings)?,
            &json(&list)?,
            &json(&round)?,
            round.deadline,
        )
        .await?)
}
