//! A wall as the player sees it: while the round runs, only what has been found; once it
//! ends, every answer with its facts.

use serde::Serialize;
use tilebag_study::EndReason;
use utoipa::ToSchema;

use tilebag_store::Owner;
use tilebag_study::challenge::Challenge;

use crate::app::walls::{Loaded, WallSettings};
use crate::app::{App, ServiceError};
use crate::player::Player;
use crate::settings::Preferences;
use crate::views::WordOut;

/// What a challenge wall shows of its challenge: title, leaderboard, and whether this
/// attempt counts, from the server's own records (see [`crate::app::challenges::play`]:
/// a logged-in player's first attempt during the challenge's own day is a counted entry).
pub async fn challenge_of(
    app: &App,
    loaded: &Loaded,
    owner: &Owner,
) -> Result<Option<ChallengeView>, ServiceError> {
    let Some(id) = loaded.wall.challenge_id else {
        return Ok(None);
    };
    let stored = app.store.challenge_by_id(id).await?;
    let kind = Challenge::parse(&stored.kind);
    let title = kind.map_or_else(|| stored.kind.clone(), Challenge::title);
    let period = if kind == Some(Challenge::Toughies) {
        "week"
    } else {
        "day"
    };
    let counts = loaded.wall.entry_finished.is_some();
    let why = match owner {
        _ if counts => format!("your first attempt during the challenge's own {period}"),
        Owner::Guest(_) => "guests play for practice; log in to get on the leaderboard".to_owned(),
        Owner::User(user) => {
            if app.store.has_entry(id, *user).await? {
                "you have played it already; only your first attempt counts".to_owned()
            } else {
                format!("only attempts during the challenge's own {period} count")
            }
        }
    };
    let query = format!("date={}&lexicon={}", stored.day, stored.lexicon);
    Ok(Some(ChallengeView {
        leaderboard: format!("/challenges?{query}#{}", stored.kind),
        leaderboard_api: format!("/api/v1/challenges/{}/leaderboard?{query}", stored.kind),
        title,
        counts,
        why,
    }))
}

/// A wall as `player` sees it: their challenge standing, and definitions only if they
/// want them (a guest does).
pub async fn view_for<'a>(
    app: &'a App,
    loaded: &Loaded,
    player: &Player,
) -> Result<WallView<'a>, ServiceError> {
    let challenge = challenge_of(app, loaded, &player.owner).await?;
    let definitions = player
        .user
        .as_ref()
        .is_none_or(|user| Preferences::of(user).show_definitions);
    Ok(view(app, loaded, challenge, definitions))
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
    /// What it plays, in a few words: the search ("7s, probability 1–500"), the saved
    /// list, "uploaded file" or the challenge's title (absent on walls made before this
    /// was recorded).
    pub source: Option<String>,
    /// Which round this is in the current pass over the wall's list, from 1.
    pub round: Option<i64>,
    /// Rounds in the current pass.
    pub rounds: Option<i64>,
    /// Answers found.
    pub solved: usize,
    /// Answers in all.
    pub total: usize,
    /// Questions with every answer found.
    pub alphagrams_solved: usize,
    /// Questions in the round.
    pub alphagrams_total: usize,
    /// Wrong guesses.
    pub wrong: u32,
    /// Milliseconds of the round used so far (all of it when time ran out).
    pub used_ms: i64,
    /// Whether solutions carry definitions: false when the player turned "Show
    /// definitions" off (their `definition` is then always null).
    pub definitions: bool,
    /// The questions.
    pub questions: Vec<QuestionView<'a>>,
    /// For a challenge: its title, its leaderboard, and whether this attempt counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<ChallengeView>,
}

/// A challenge wall's challenge.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChallengeView {
    /// The challenge's title.
    pub title: String,
    /// The challenges page of its day.
    pub leaderboard: String,
    /// Its leaderboard as JSON (`GET`, a list of standings).
    pub leaderboard_api: String,
    /// Whether this attempt counts for the leaderboard (otherwise it is practice).
    pub counts: bool,
    /// Why it counts or is practice, in words for the player.
    pub why: String,
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

/// The player's view of a loaded wall; `definitions: false` leaves definitions out.
pub fn view<'a>(
    app: &'a App,
    loaded: &Loaded,
    challenge: Option<ChallengeView>,
    definitions: bool,
) -> WallView<'a> {
    let lexicon = app.lexicons.get(&loaded.wall.lexicon);
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
                            l.find_word(a).map(|id| {
                                let mut word = WordOut::new(&l.word(id), None);
                                if !definitions {
                                    word.definition = None;
                                }
                                SolutionView { word, found: s }
                            })
                        })
                        .collect()
                }),
                missed: over.then(|| q.is_missed()),
            }
        })
        .collect();
    let round = &loaded.round;
    let now = app.clock.now_ms();
    let left = round.ended_at.map_or_else(
        || round.remaining(now),
        |at| round.deadline.saturating_sub(at).max(0),
    );
    let source = loaded
        .wall
        .source
        .clone()
        .or_else(|| challenge.as_ref().map(|c| c.title.clone()));
    WallView {
        id: loaded.wall.id.0,
        lexicon: loaded.wall.lexicon.clone(),
        list_id: loaded.wall.list_id.map(|l| l.0),
        settings: loaded.settings.clone(),
        remaining_ms: round.remaining(now),
        source,
        round: loaded.wall.place.map(|p| p.round),
        rounds: loaded.wall.place.map(|p| p.rounds),
        alphagrams_solved: round
            .questions
            .iter()
            .filter(|q| q.solved.iter().all(|s| *s))
            .count(),
        alphagrams_total: round.questions.len(),
        used_ms: round.duration.saturating_sub(left).max(0),
        definitions,
        ended: loaded.round.ended.map(|reason| match reason {
            EndReason::TimeUp => "time_up",
            EndReason::AllSolved => "all_solved",
            EndReason::GaveUp => "gave_up",
        }),
        solved: loaded.round.solved_count(),
        total: loaded.round.answer_count(),
        wrong: loaded.round.wrong,
        questions,
        challenge,
    }
}
