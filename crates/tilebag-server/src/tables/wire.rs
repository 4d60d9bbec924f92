//! The table protocol's messages: what clients send, and what the server sends them.
//!
//! JSON text frames `{"type": ..., ...}`. Table events carry the table's sequence number
//! `seq`; replies to one client (`hello`, `welcome`, `snapshot`, `guess_result`, `error`,
//! `pong`, `clock`) do not. Times are the server's: events that start a clock carry
//! `remaining_ms` as of when they were sent.

use axum::extract::ws::Utf8Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tilebag_study::Deal;
use tilebag_study::table::{Change, Event, GuessResult, Phase, Role, Table};
use utoipa::ToSchema;

use crate::app::tables::phase_name;
use crate::app::walls::WallSettings;
use crate::state::Lexicons;
use crate::views::WordOut;

/// The protocol's version, named by the first message on every socket.
pub const PROTOCOL: u32 = 1;

/// A message from a client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Sit down as a player or a spectator; guests give a name.
    Join {
        /// `player` or `spectator`.
        #[serde(rename = "as")]
        role: Role,
        /// Display name (a logged-in player's username when absent).
        name: Option<String>,
    },
    /// Ready for the next round (`ready: false` takes it back).
    Ready {
        /// Ready or not.
        #[serde(default = "yes")]
        ready: bool,
    },
    /// The host starts the next round: `continue` (default) or `missed`.
    Start {
        /// What to deal.
        #[serde(default)]
        deal: Option<Deal>,
    },
    /// A guess, numbered by the client so a lost reply can be retried.
    Guess {
        /// The word.
        word: String,
        /// The client's number for this guess.
        req: u64,
    },
    /// A chat message.
    Chat {
        /// What to say.
        text: String,
    },
    /// Leave the table.
    Leave,
    /// Reconnected: the seat's token and the last sequence number seen.
    Resume {
        /// From `welcome`.
        token: String,
        /// The last `seq` received.
        last_seq: u64,
    },
    /// Are you there?
    Ping,
}

fn yes() -> bool {
    true
}

/// A guess result's name.
pub fn result_name(result: GuessResult) -> &'static str {
    match result {
        GuessResult::Solved => "solved",
        GuessResult::AlreadySolved => "already_solved",
        GuessResult::Wrong => "wrong",
        GuessResult::Late => "late",
        GuessResult::Over => "over",
    }
}

/// A message as a text frame.
pub fn frame(value: &Value) -> Utf8Bytes {
    Utf8Bytes::from(value.to_string())
}

/// An `error` message: a stable code and what was wrong.
pub fn error(code: &str, message: &str) -> Utf8Bytes {
    frame(&json!({ "type": "error", "code": code, "message": message }))
}

/// An event as clients get it, `now` being when it is sent.
pub fn event(
    event: &Event,
    table: &Table,
    lexicons: &Lexicons,
    lexicon: &str,
    now: i64,
) -> Utf8Bytes {
    let mut value = serde_json::to_value(&event.change).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        fields.insert("seq".into(), event.seq.into());
        match &event.change {
            Change::Countdown { starts_at } => {
                fields.insert("remaining_ms".into(), (starts_at - now).max(0).into());
            }
            Change::RoundStarted { deadline, .. } => {
                fields.insert("remaining_ms".into(), (deadline - now).max(0).into());
                fields.insert("questions".into(), json!(questions(table)));
            }
            Change::RoundEnded { .. } => {
                fields.insert(
                    "solutions".into(),
                    json!(solutions(table, lexicons, lexicon)),
                );
                fields.insert("scores".into(), json!(members(table)));
            }
            _ => {}
        }
    }
    frame(&value)
}

/// A member as clients see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    /// Their number at the table.
    pub id: u32,
    /// Their name.
    pub name: String,
    /// `player` or `spectator`.
    #[schema(value_type = String)]
    pub role: Role,
    /// Ready for the next round.
    pub ready: bool,
    /// Connected now (false: away, maybe reconnecting).
    pub here: bool,
    /// Words found this round.
    pub words: u32,
    /// Alphagrams completed this round.
    pub alphagrams: u32,
}

fn members(table: &Table) -> Vec<MemberView> {
    table
        .members
        .iter()
        .map(|m| MemberView {
            id: m.id,
            name: m.name.clone(),
            role: m.role,
            ready: m.ready,
            here: m.connections > 0,
            words: m.words,
            alphagrams: m.alphagrams,
        })
        .collect()
}

/// A word found in the round, and by whom.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundView {
    /// The word.
    pub word: String,
    /// Who found it (member number).
    pub by: u32,
    /// Their name.
    pub name: String,
}

/// A question of the round.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableQuestion {
    /// Its letters.
    pub alphagram: String,
    /// How many answers it has.
    pub answers: usize,
    /// The answers found so far.
    pub found: Vec<FoundView>,
}

fn questions(table: &Table) -> Vec<TableQuestion> {
    let Some(round) = &table.round else {
        return Vec::new();
    };
    round
        .questions
        .iter()
        .zip(&table.found_by)
        .map(|(q, finders)| TableQuestion {
            alphagram: q.question.alphagram.clone(),
            answers: q.question.answers.len(),
            found: q
                .question
                .answers
                .iter()
                .zip(finders)
                .filter_map(|(word, finder)| {
                    finder.as_ref().map(|f| FoundView {
                        word: word.clone(),
                        by: f.id,
                        name: f.name.clone(),
                    })
                })
                .collect(),
        })
        .collect()
}

/// After a round: every question with its answers, their hooks and definitions, and who
/// found each (`null`: no one).
fn solutions(table: &Table, lexicons: &Lexicons, lexicon: &str) -> Vec<Value> {
    let (Some(round), Some(lexicon)) = (&table.round, lexicons.get(lexicon)) else {
        return Vec::new();
    };
    round
        .questions
        .iter()
        .zip(&table.found_by)
        .map(|(q, finders)| {
            let probability = lexicon
                .find_alphagram(&q.question.alphagram)
                .map(|id| lexicon.alphagram(id).probability());
            let words: Vec<Value> = q
                .question
                .answers
                .iter()
                .zip(finders)
                .filter_map(|(word, finder)| {
                    let id = lexicon.find_word(word)?;
                    let out = WordOut::new(&lexicon.word(id), None);
                    let mut value = serde_json::to_value(&out).ok()?;
                    if let Value::Object(fields) = &mut value {
                        fields.insert("found".into(), finder.is_some().into());
                        fields.insert("by".into(), json!(finder.as_ref().map(|f| &f.name)));
                    }
                    Some(value)
                })
                .collect();
            json!({
                "alphagram": q.question.alphagram,
                "probability": probability,
                "missed": q.is_missed(),
                "solutions": words,
            })
        })
        .collect()
}

/// A chat message kept at the table.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChatView {
    /// Its sequence number.
    pub seq: u64,
    /// Who wrote it.
    pub by: u32,
    /// Their name.
    pub name: String,
    /// What they wrote.
    pub text: String,
}

/// The round as a snapshot shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundView {
    /// Its number, from 1.
    pub number: u32,
    /// Milliseconds left (0 once over).
    pub remaining_ms: i64,
    /// The questions, with what has been found.
    pub questions: Vec<TableQuestion>,
    /// Once over: every answer with its facts and who found it.
    #[schema(value_type = Option<Vec<Object>>)]
    pub solutions: Option<Vec<Value>>,
}

/// A table as a client sees it at one sequence number.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableView {
    /// Its id.
    pub id: i64,
    /// What it plays.
    pub name: String,
    /// Its lexicon.
    pub lexicon: String,
    /// Round settings.
    pub settings: WallSettings,
    /// `waiting`, `countdown`, `playing` or `over`.
    pub phase: &'static str,
    /// During the countdown: milliseconds until the round.
    pub starts_in_ms: Option<i64>,
    /// The host's member number.
    pub host: Option<u32>,
    /// Everyone at the table.
    pub members: Vec<MemberView>,
    /// The current or last round.
    pub round: Option<RoundView>,
    /// The last chat messages.
    pub chat: Vec<ChatView>,
    /// The last event's sequence number.
    pub seq: u64,
}

/// What one table looks like now.
#[derive(Debug)]
pub struct Snapshot<'a> {
    /// Its id.
    pub id: i64,
    /// What it plays.
    pub name: &'a str,
    /// Its lexicon.
    pub lexicon: &'a str,
    /// Its settings.
    pub settings: &'a WallSettings,
    /// The table.
    pub table: &'a Table,
}

impl Snapshot<'_> {
    /// The table as clients see it at `now`.
    pub fn view(&self, lexicons: &Lexicons, now: i64) -> TableView {
        let table = self.table;
        let starts_in_ms = match table.phase {
            Phase::Countdown { starts_at, .. } => Some((starts_at - now).max(0)),
            _ => None,
        };
        let over = table.phase != Phase::Playing;
        TableView {
            id: self.id,
            name: self.name.to_owned(),
            lexicon: self.lexicon.to_owned(),
            settings: self.settings.clone(),
            phase: phase_name(table.phase),
            starts_in_ms,
            host: table.host,
            members: members(table),
            round: table.round.as_ref().map(|round| RoundView {
                number: table.rounds,
                remaining_ms: if over { 0 } else { round.remaining(now) },
                questions: questions(table),
                solutions: over.then(|| solutions(table, lexicons, self.lexicon)),
            }),
            chat: table
                .chat
                .iter()
                .map(|c| ChatView {
                    seq: c.seq,
                    by: c.by,
                    name: c.name.clone(),
                    text: c.text.clone(),
                })
                .collect(),
            seq: table.seq,
        }
    }
}
