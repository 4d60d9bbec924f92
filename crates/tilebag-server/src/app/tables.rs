//! Multiplayer tables: making them, and every action at one.
//!
//! Each action is one unit of work ([`tilebag_store::Store::modify_table`]): the table is
//! read under its lock, whatever the clock says is due happens first (the countdown's round
//! is dealt, a round whose time is up ends, members away too long are gone), then the
//! action, all decided by the pure [`Table`] and stored in the same transaction with the
//! events it numbered. However many connections race on one table, a word is awarded once.

use std::sync::Arc;

use rand::Rng;
use tilebag_lexicon::Lexicon;
use tilebag_store::{
    NewTable, Owner, StoreError, TableCreateError, TableDecision, TableId, TableLimits, TableUpdate,
};
use tilebag_study::table::{Change, Due, Event, GuessResult, Phase, Role, Table, TableError};
use tilebag_study::{Deal, StudyList};

use super::documents::{read, write};
use super::walls::{MAX_QUESTIONS, Source, WallSettings, deal_questions};
use super::{App, ServiceError};
use crate::state::Lexicons;

/// Who someone is at a table: a player's or a guest's key (never the guest cookie itself).
pub fn key_of(owner: &Owner) -> String {
    match owner {
        Owner::User(id) => format!("u{}", id.0),
        Owner::Guest(hash) => format!("g{hash}"),
    }
}

/// Makes a table of `source` (a search's alphagrams or a saved list), with no one at it.
pub async fn create(
    app: &App,
    owner: &Owner,
    lexicon: &Lexicon,
    source: Source<'_>,
    settings: &WallSettings,
    public: bool,
    limits: TableLimits,
) -> Result<TableId, ServiceError> {
    settings.check()?;
    let (list, name) = match source {
        Source::Alphagrams { alphagrams, about } => {
            if alphagrams.is_empty() {
                return Err(ServiceError::invalid(
                    "no alphagrams match; loosen the criteria",
                ));
            }
            if alphagrams.len() > MAX_QUESTIONS {
                return Err(ServiceError::invalid(format!(
                    "{} alphagrams is more than a table holds ({MAX_QUESTIONS}); narrow the criteria",
                    alphagrams.len()
                )));
            }
            (StudyList::new(alphagrams, rand::rng().random()), about)
        }
        Source::List { id, user, .. } => {
            let (summary, body) = app.store.list(id, user.id).await.map_err(|e| match e {
                StoreError::NotFound => ServiceError::not_found("no such list"),
                other => other.into(),
            })?;
            let list: StudyList = read(&body)?;
            // The table plays a copy from its start: the saved list's progress is its own.
            let fresh = StudyList::new(list.alphagrams, rand::rng().random());
            (fresh, format!("list “{}”", summary.name))
        }
        Source::Challenge { .. } => {
            return Err(ServiceError::invalid(
                "a table plays a search or a saved list",
            ));
        }
    };
    let round_ms = i64::from(settings.seconds) * 1000;
    let table = Table::new(key_of(owner), round_ms);
    let new = NewTable {
        owner: owner.clone(),
        lexicon: lexicon.name().to_owned(),
        name,
        public,
        settings: serde_json::to_string(settings)
            .map_err(|e| ServiceError::Document(e.to_string()))?,
        list: write(&list),
        document: write(&table),
    };
    let now = app.clock.now_ms();
    app.store
        .create_table(new, limits, now)
        .await
        .map_err(|e| match e {
            TableCreateError::Limit(message) => ServiceError::conflict("table_limit", message),
            TableCreateError::Store(e) => e.into(),
        })
}

/// What someone does at a table.
#[derive(Clone, Debug)]
pub enum Action {
    /// Sit down (or open one more connection, if seated).
    Join {
        /// Player or spectator.
        role: Role,
        /// Display name.
        name: String,
    },
    /// A seated member's connection is back: their member number.
    Resume(u32),
    /// One of their connections closed.
    Disconnect,
    /// Leave the table.
    Leave,
    /// Ready, or not.
    Ready(bool),
    /// The host starts a round.
    Start(Deal),
    /// A guess, numbered by its sender.
    Guess {
        /// The word.
        word: String,
        /// The sender's number for it.
        req: u64,
    },
    /// Say something.
    Chat(String),
    /// Nothing: whatever the clock says is due.
    Tick,
}

/// What an action did.
#[derive(Clone, Debug)]
pub struct Acted {
    /// The events, numbered, in order.
    pub events: Vec<Event>,
    /// The table afterwards.
    pub table: Table,
    /// For a guess, its result.
    pub guess: Option<GuessResult>,
    /// Why the action was refused (what was due still happened).
    pub refused: Option<TableError>,
    /// The table's round settings.
    pub settings: WallSettings,
    /// Its lexicon.
    pub lexicon: String,
    /// What it plays.
    pub name: String,
}

/// Does `action` for `who` (see [`key_of`]) at table `id`, after whatever is due.
pub async fn act(
    app: &App,
    id: TableId,
    who: String,
    action: Action,
) -> Result<Acted, ServiceError> {
    let now = app.clock.now_ms();
    let lexicons = app.lexicons.clone();
    app.store
        .modify_table(id, now, move |stored, list| {
            decide(&lexicons, stored, list, &who, &action, now)
        })
        .await
        .map_err(|e| match e {
            ServiceError::Store(StoreError::NotFound) => {
                ServiceError::not_found("no such table, or it has closed")
            }
            other => other,
        })
}

/// The pure decision of [`act`].
fn decide(
    lexicons: &Arc<Lexicons>,
    stored: &tilebag_store::StoredTable,
    list: Option<&str>,
    who: &str,
    action: &Action,
    now: i64,
) -> Result<TableDecision<Acted>, ServiceError> {
    let mut table: Table = read(&stored.document)?;
    let settings: WallSettings = serde_json::from_str(&stored.settings)
        .map_err(|e| ServiceError::Document(format!("this table's settings: {e}")))?;
    let mut study: Option<StudyList> = list.map(read).transpose()?;
    let mut events = Vec::new();
    let mut list_changed = false;
    let mut time_ran_out = false;
    // What the clock made due, then the action; the study list is asked for when a round
    // begins or ends, and the whole decision made again with it.
    loop {
        match table.due(now) {
            Due::Begin(deal) => {
                let Some(study) = study.as_mut() else {
                    return Ok(TableDecision::NeedList);
                };
                let lexicon = lexicons.pick(Some(&stored.lexicon))?;
                let mut questions = deal_questions(lexicon, study, deal, &settings);
                if questions.is_empty() && deal == Deal::Continue {
                    // The list is done: go round again.
                    questions = deal_questions(lexicon, study, Deal::StartOver, &settings);
                }
                events.extend(table.begin(questions, now));
                list_changed = true;
            }
            Due::End => {
                events.extend(table.time_up(now));
                time_ran_out = true;
            }
            Due::Nothing(_) => break,
        }
    }
    events.extend(table.tidy(now));
    let mut guess = None;
    let done = match action {
        Action::Join { role, name } => table.join(who, name, *role, now),
        Action::Resume(member) => {
            let mut resumed = Vec::new();
            if table.member(who).is_some_and(|m| m.id == *member) {
                table.connect(who, now, &mut resumed).map(|()| resumed)
            } else {
                Err(TableError::NotJoined)
            }
        }
        Action::Disconnect => Ok(table.disconnect(who, now)),
        Action::Leave => table.leave(who),
        Action::Ready(ready) => table.ready(who, *ready, now),
        Action::Start(deal) => table.start(who, *deal, now),
        // A guess that finds the round just ended by the clock came too late for it.
        Action::Guess { .. } if time_ran_out && table.member(who).is_some() => {
            guess = Some(GuessResult::Late);
            Ok(Vec::new())
        }
        Action::Guess { word, req } => table.guess(who, word, *req, now).map(|(result, events)| {
            guess = Some(result);
            events
        }),
        Action::Chat(text) => table.chat(who, text, now),
        Action::Tick => Ok(Vec::new()),
    };
    let refused = match done {
        Ok(more) => {
            events.extend(more);
            None
        }
        Err(refused) => Some(refused),
    };
    let ended = events
        .iter()
        .any(|e| matches!(e.change, Change::RoundEnded { .. }));
    if ended {
        let Some(study) = study.as_mut() else {
            return Ok(TableDecision::NeedList);
        };
        if let Some(round) = &table.round {
            study.record(
                round
                    .questions
                    .iter()
                    .map(|q| (q.question.alphagram.as_str(), q.is_missed())),
            );
            study.finish(
                round
                    .questions
                    .iter()
                    .map(|q| q.question.alphagram.as_str()),
            );
        }
        list_changed = true;
    }
    let document = write(&table);
    let update = (document != stored.document || list_changed).then(|| TableUpdate {
        document,
        list: study.as_ref().filter(|_| list_changed).map(write),
        players: i64::try_from(
            table
                .members
                .iter()
                .filter(|m| m.role == Role::Player)
                .count(),
        )
        .unwrap_or(i64::MAX),
        phase: phase_name(table.phase),
        seq: i64::try_from(table.seq).unwrap_or(i64::MAX),
    });
    Ok(TableDecision::Done(
        update,
        Acted {
            events,
            table,
            guess,
            refused,
            settings,
            lexicon: stored.lexicon.clone(),
            name: stored.name.clone(),
        },
    ))
}

/// A phase's name, as the lobby shows it.
pub fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Waiting => "waiting",
        Phase::Countdown { .. } => "countdown",
        Phase::Playing => "playing",
        Phase::Over => "over",
    }
}
