//! A wall as the player sees it: while the round runs, only what has been found; once it
//! ends, every answer with its facts.

use serde::Serialize;
use tilebag_study::EndReason;
use utoipa::ToSchema;

use crate::app::walls::{Loaded, WallSettings};
use crate::app::{App, ServiceError};
use crate::views::WordOut;

/// The link to a challenge wall's leaderboard, if the wall plays a challenge.
pub async fn challenge_link(
    app: &App,
    loaded: &Loaded,
) -> Result<Option<ChallengeLink>, ServiceError> {
    let Some(id) = loaded.wall.challenge_id else {
        return Ok(None);
    };
    let stored = app.store.challenge_by_id(id).await?;
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
pub fn view<'a>(app: &'a App, loaded: &Loaded, challenge: Option<ChallengeLink>) -> WallView<'a> {
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
        remaining_ms: loaded.round.remaining(app.clock.now_ms()),
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
