//! Walls: making them, playing their rounds, and saving their lists.
//!
//! The server is the authority: it starts the clock, judges guesses and decides when time
//! is up; nothing the browser says about answers, scores or time is trusted. Every action
//! on a wall is one unit of work ([`tilebag_store::Store::modify_wall`]): the wall is read
//! under a lock, [`decide`] (pure) works out the new round, list and challenge entry, and
//! all of it is stored in the same transaction — so a give-up racing a guess, or two
//! "missed" ticks at once, cannot lose one another.

use rand::Rng;
use tilebag_lexicon::Lexicon;
use tilebag_store::{
    Attempt, Decision, EntryUpdate, ListId, ListUpdate, NewWall, Owner, Progress, RoundUpdate,
    StoreError, StoredWall, User, WallChange, WallId,
};
use tilebag_study::{Deal, EndReason, Guess, Question, Round, StudyList};

use super::documents::{read, write};
pub use super::wall_settings::{Mode, WallSettings};
pub use super::wall_time::{BEAT_MS, credit_downtime, keep_time};
use super::{App, ServiceError};
use crate::state::Lexicons;

/// Most alphagrams a wall or an uploaded list may hold.
pub const MAX_QUESTIONS: usize = 40_000;

pub(crate) fn deal_questions(
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

/// A new wall of the alphagrams a search finds (more than a guest's wall holds is caught
/// by [`create`]), with the lexicon searched; the wall says what the search was.
pub fn searched<'a>(
    lexicons: &'a Lexicons,
    search: &crate::search_form::SearchForm,
) -> Result<(&'a Lexicon, Source<'static>), ServiceError> {
    let (lexicon, alphagrams) = alphagrams_of(lexicons, search)?;
    let about = super::about::describe(search);
    Ok((lexicon, Source::Alphagrams { alphagrams, about }))
}

/// The alphagrams a search finds for a new wall, with the lexicon searched; a search of
/// more than any wall holds is refused here with its true count.
pub fn alphagrams_of<'a>(
    lexicons: &'a Lexicons,
    search: &crate::search_form::SearchForm,
) -> Result<(&'a Lexicon, Vec<String>), ServiceError> {
    if search.is_empty() {
        return Err(ServiceError::invalid(
            "give some search criteria, e.g. length 7 and probability 1-500",
        ));
    }
    let lexicon = lexicons.pick(search.lexicon.as_deref())?;
    let spec = search.spec()?;
    let query = spec.to_query(|name| lexicons.get(name))?;
    // Every match's id (four bytes each), so a search of too many says how many it found.
    let found = lexicon.search(&query);
    if found.len() > MAX_QUESTIONS {
        return Err(ServiceError::invalid(format!(
            "{} alphagrams is more than a wall holds ({}); narrow the criteria",
            crate::views::thousands(found.len()),
            crate::views::thousands(MAX_QUESTIONS)
        )));
    }
    Ok((
        lexicon,
        found
            .into_iter()
            .map(|id| lexicon.alphagram(id).letters())
            .collect(),
    ))
}

/// What a new wall plays.
#[derive(Debug)]
pub enum Source<'a> {
    /// Alphagrams found by a search or uploaded, shuffled once with a fresh seed.
    Alphagrams {
        /// The alphagrams.
        alphagrams: Vec<String>,
        /// Where they came from, in a few words ("7s, probability 1–500", "uploaded file").
        about: String,
    },
    /// A player's saved list, dealt as asked.
    List {
        /// The list.
        id: ListId,
        /// Its player.
        user: &'a User,
        /// What to deal.
        deal: Deal,
    },
    /// A challenge's questions in their order, for one round of `seconds`.
    Challenge {
        /// The questions.
        questions: Vec<Question>,
        /// Seconds to play.
        seconds: u32,
        /// The challenge, and the entry it may count as.
        attempt: Attempt,
    },
}

/// Makes a wall and starts its first round; returns it and whether it counts for a
/// challenge's leaderboard.
pub async fn create(
    app: &App,
    owner: &Owner,
    lexicon: &Lexicon,
    source: Source<'_>,
    settings: &WallSettings,
) -> Result<(WallId, bool), ServiceError> {
    let (mut list, list_id, attempt, settings, questions, about) = match source {
        Source::Alphagrams { alphagrams, about } => {
            settings.check()?;
            if alphagrams.is_empty() {
                return Err(ServiceError::invalid(
                    "no alphagrams match; loosen the criteria",
                ));
            }
            if matches!(owner, Owner::Guest(_)) && alphagrams.len() > app.rules.guest_max_questions
            {
                return Err(ServiceError::invalid(format!(
                    "{} alphagrams is more than a guest's wall holds ({}); narrow the criteria, or log in to study more",
                    alphagrams.len(),
                    app.rules.guest_max_questions
                )));
            }
            if alphagrams.len() > MAX_QUESTIONS {
                return Err(ServiceError::invalid(format!(
                    "{} alphagrams is more than a wall holds ({MAX_QUESTIONS}); narrow the criteria",
                    alphagrams.len()
                )));
            }
            let list = StudyList::new(alphagrams, rand::rng().random());
            (list, None, None, settings.clone(), None, Some(about))
        }
        Source::List { id, user, deal } => {
            settings.check()?;
            let (summary, body) = app.store.list(id, user.id).await.map_err(|e| match e {
                StoreError::NotFound => ServiceError::not_found("no such list"),
                other => other.into(),
            })?;
            let mut list: StudyList = read(&body)?;
            let questions = deal_questions(lexicon, &mut list, deal, settings);
            if questions.is_empty() {
                return Err(ServiceError::conflict(
                    "nothing_to_deal",
                    "nothing left to deal: try first missed or start over",
                ));
            }
            let about = format!("list “{}”", summary.name);
            (
                list,
                Some(id),
                None,
                settings.clone(),
                Some(questions),
                Some(about),
            )
        }
        Source::Challenge {
            questions,
            seconds,
            attempt,
        } => {
            let list = StudyList::in_order(questions.iter().map(|q| q.alphagram.clone()).collect());
            let settings = WallSettings {
                questions_per_round: questions.len(),
                seconds,
                ..WallSettings::default()
            };
            // The challenge's title is its description: the wall's view reads it.
            (list, None, Some(attempt), settings, Some(questions), None)
        }
    };
    let questions = match questions {
        Some(questions) => {
            if attempt.is_some() {
                list.deal(Deal::Continue, questions.len());
            }
            questions
        }
        None => deal_questions(lexicon, &mut list, Deal::Continue, &settings),
    };
    let round = Round::start(
        questions,
        i64::from(settings.seconds) * 1000,
        app.clock.now_ms(),
    );
    let new = NewWall {
        owner: owner.clone(),
        lexicon: lexicon.name().to_owned(),
        list_id,
        settings: write(&settings),
        list: write(&list),
        round: write(&round),
        deadline: round.deadline,
        attempt,
        source: about,
        place: Some(super::about::place(&list, settings.questions_per_round)),
    };
    Ok(app.store.create_wall(new, app.clock.now_s()).await?)
}

/// A wall with its round and settings.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The stored row.
    pub wall: StoredWall,
    /// The round, its deadline from the row.
    pub round: Round,
    /// Its settings.
    pub settings: WallSettings,
}

fn loaded(wall: &StoredWall) -> Result<Loaded, ServiceError> {
    let mut round: Round = read(&wall.round)?;
    round.deadline = wall.deadline;
    Ok(Loaded {
        wall: wall.clone(),
        round,
        settings: read(&wall.settings)?,
    })
}

fn no_such_wall(error: ServiceError) -> ServiceError {
    match error {
        ServiceError::Store(StoreError::NotFound) => ServiceError::not_found("no such wall"),
        other => other,
    }
}

/// Loads a wall of `owner` (another's is 404). A round whose time ran out is ended first,
/// as its own unit of work, so what the player sees is what is stored.
pub async fn load(app: &App, id: WallId, owner: &Owner) -> Result<Loaded, ServiceError> {
    let wall = app
        .store
        .wall(id, owner)
        .await
        .map_err(|e| no_such_wall(e.into()))?;
    let view = loaded(&wall)?;
    let running = view.round.ended.is_none();
    if running && app.clock.now_ms() >= view.round.deadline {
        return Ok(act(app, id, Some(owner), Action::Expire).await?.0);
    }
    Ok(view)
}

/// What a player (or the server) does to a wall.
#[derive(Clone, Debug)]
pub enum Action {
    /// Guess a word.
    Guess(String),
    /// End the round now.
    GiveUp,
    /// After the round: count a question as missed or not (`None` undoes the override).
    Mark {
        /// Which question.
        question: usize,
        /// Missed, not missed, or back to what the round says.
        missed: Option<bool>,
    },
    /// Start the next round.
    Next(Deal),
    /// End the round if its time is up.
    Expire,
}

/// Does `action` to a wall as one unit of work; returns the wall after it and, for a
/// guess, the verdict. A played round it ends then gives its missed alphagrams to the
/// player's deck for them, if they chose one ([`super::missed_cards`]).
pub async fn act(
    app: &App,
    id: WallId,
    owner: Option<&Owner>,
    action: Action,
) -> Result<(Loaded, Option<Guess>), ServiceError> {
    let now_ms = app.clock.now_ms();
    let lexicons = app.lexicons.clone();
    let (loaded, verdict, ended) = app
        .store
        .modify_wall(id, owner, app.clock.now_s(), move |wall, list| {
            decide(&lexicons, wall, list, &action, now_ms)
        })
        .await
        .map_err(no_such_wall)?;
    if ended {
        Box::pin(super::missed_cards::add(app, &loaded)).await; // Boxed: it may load a wall.
    }
    Ok((loaded, verdict))
}

/// Decides what an action does to a stored wall (and, when it needs it, the wall's study
/// list): the wall after it, a guess's verdict and whether it ended a round that was
/// played. Pure: the same wall, list, action and time give the same change.
pub fn decide(
    lexicons: &Lexicons,
    wall: &StoredWall,
    list: Option<&str>,
    action: &Action,
    now_ms: i64,
) -> Result<Decision<(Loaded, Option<Guess>, bool)>, ServiceError> {
    let mut loaded = loaded(wall)?;
    let before = loaded.round.clone();
    let was_running = before.ended.is_none();
    let mut verdict = None;
    let mut change = WallChange::default();
    match action {
        Action::Guess(word) => verdict = Some(loaded.round.guess(word, now_ms)),
        Action::GiveUp => loaded.round.give_up(now_ms),
        Action::Expire => {
            loaded.round.check_clock(now_ms);
        }
        Action::Mark { question, missed } => {
            loaded.round.check_clock(now_ms);
            if loaded.round.ended.is_none() {
                return Err(ServiceError::conflict(
                    "round_running",
                    "mark questions after the round ends",
                ));
            }
            if !loaded.round.mark_missed(*question, *missed) {
                return Err(ServiceError::not_found(format!(
                    "the round has no question {question}"
                )));
            }
        }
        Action::Next(_) => {
            loaded.round.check_clock(now_ms);
            if loaded.round.ended.is_none() {
                return Err(ServiceError::conflict(
                    "round_running",
                    "finish or give up this round first",
                ));
            }
            if wall.challenge_id.is_some() {
                return Err(ServiceError::conflict(
                    "challenge",
                    "a challenge is one round; play it again from the challenges page",
                ));
            }
        }
    }
    let ended_now = was_running && loaded.round.ended.is_some();
    // A round whose time ran out without a single guess was walked away from, not played:
    // its questions stay unfinished, for Continue to deal again.
    let untouched = loaded.round.ended == Some(EndReason::TimeUp)
        && loaded.round.solved_count() == 0
        && loaded.round.wrong == 0;
    let needs_list = wall.challenge_id.is_none()
        && (ended_now || matches!(action, Action::Mark { .. } | Action::Next(_)));
    if needs_list {
        let Some(text) = list else {
            return Ok(Decision::NeedList);
        };
        let mut study: StudyList = read(text)?;
        if ended_now && !untouched {
            study.record(
                loaded
                    .round
                    .questions
                    .iter()
                    .map(|q| (q.question.alphagram.as_str(), q.is_missed())),
            );
            study.finish(
                loaded
                    .round
                    .questions
                    .iter()
                    .map(|q| q.question.alphagram.as_str()),
            );
        } else if let Action::Mark { question, .. } = action {
            let q = &loaded.round.questions[*question];
            study.record([(q.question.alphagram.as_str(), q.is_missed())]);
        }
        if let Action::Next(deal) = action {
            let lexicon = lexicons.pick(Some(&wall.lexicon))?;
            let questions = deal_questions(lexicon, &mut study, *deal, &loaded.settings);
            if questions.is_empty() {
                let why = match deal {
                    Deal::Continue => "the list is finished: quiz on the missed ones or start over",
                    Deal::Missed | Deal::FirstMissed => "nothing is missed",
                    Deal::StartOver => "the list is empty",
                };
                return Err(ServiceError::conflict("nothing_to_deal", why));
            }
            loaded.round =
                Round::start(questions, i64::from(loaded.settings.seconds) * 1000, now_ms);
        }
        let place = super::about::place(&study, loaded.settings.questions_per_round);
        loaded.wall.place = Some(place);
        change.list = Some(ListUpdate {
            progress: progress(&study),
            list: write(&study),
            place: Some(place),
        });
    }
    if loaded.round != before {
        change.round = Some(RoundUpdate {
            round: write(&loaded.round),
            deadline: loaded.round.deadline,
            running: loaded.round.ended.is_none(),
        });
        if wall.entry_finished == Some(false) {
            change.entry = Some(entry_result(&loaded.round));
        }
    }
    let played = ended_now && !untouched;
    Ok(Decision::Done(change, (loaded, verdict, played)))
}

/// A counted attempt's result as the round stands: final once the round has ended.
fn entry_result(round: &Round) -> EntryUpdate {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let finished = round.ended.is_some();
    EntryUpdate {
        solved: count(round.solved_count()),
        wrong: i64::from(round.wrong),
        remaining_ms: round
            .ended_at
            .map_or(0, |at| round.deadline.saturating_sub(at).max(0)),
        finished,
        missed: if finished {
            round.missed().into_iter().map(str::to_owned).collect()
        } else {
            Vec::new()
        },
    }
}

/// Saves a wall's list under a name, within the player's quota; it then autosaves after
/// each round.
pub async fn save_list(
    app: &App,
    id: WallId,
    user: &User,
    name: &str,
) -> Result<ListId, tilebag_store::SaveError> {
    app.store
        .save_wall_list(
            id,
            user.id,
            name,
            app.rules.max_saved_alphagrams,
            app.clock.now_s(),
            |body| {
                let list: StudyList = tilebag_study::document::decode(body)
                    .map_err(|e| StoreError::Other(e.to_string()))?;
                Ok(progress(&list))
            },
        )
        .await
}

/// Ends every running round whose time is up (at most `limit`): their lists and challenge
/// entries then hold the results even if nobody opens the wall again.
pub async fn expire_all(app: &App, limit: i64) -> Result<usize, ServiceError> {
    let due = app.store.expired_walls(app.clock.now_ms(), limit).await?;
    let mut ended = 0;
    for id in due {
        match act(app, id, None, Action::Expire).await {
            Ok(_) => ended += 1,
            Err(ServiceError::NotFound(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(ended)
}

#[cfg(test)]
#[path = "walls_tests.rs"]
mod tests;
