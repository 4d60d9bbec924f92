//! A multiplayer table: players and spectators around one shared wall.
//!
//! Everyone at a table sees the same alphagrams; the first player to type a word claims it.
//! The table decides everything from its inputs (who asks, what, and `now`) and answers with
//! the [`Event`]s that happened, each numbered by the table's own sequence, so that every
//! client sees the same events in the same order and one who reconnects can ask for what it
//! missed. The study list the table deals from is kept apart (it can be large); the server
//! asks [`Table::due`] whether a round is to begin or end and passes the questions in.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::list::Deal;
use crate::round::{EndReason, Guess, Question, Round};

/// Most players at a table.
pub const MAX_PLAYERS: usize = 20;
/// Most spectators at a table.
pub const MAX_SPECTATORS: usize = 50;
/// Chat messages a table keeps.
pub const CHAT_KEPT: usize = 50;
/// Longest chat message, in characters.
pub const MAX_CHAT_CHARS: usize = 300;
/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 24;
/// Time between "start" and the round, in milliseconds.
pub const COUNTDOWN_MS: i64 = 3_000;
/// How long a member may be disconnected before they count as gone, in milliseconds.
pub const ABSENCE_MS: i64 = 60_000;
/// Guesses per member whose answer is remembered, so that a retried guess gets the same.
const REMEMBERED_GUESSES: usize = 16;

/// Whether a member plays or watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Guesses, readies, scores.
    Player,
    /// Watches and chats.
    Spectator,
}

/// Someone at the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Their number at this table (never reused).
    pub id: u32,
    /// Who they are to the server (a player's or a guest's key); never sent to clients.
    #[serde(rename = "key")]
    pub who: String,
    /// Their display name.
    pub name: String,
    /// Player or spectator.
    pub role: Role,
    /// Ready for the next round.
    pub ready: bool,
    /// Open connections.
    pub connections: u32,
    /// When their last connection closed, while none is open (Unix milliseconds).
    pub away_since: Option<i64>,
    /// Words found this round.
    pub words: u32,
    /// Alphagrams completed this round (they found the last missing word).
    pub alphagrams: u32,
    /// Recent guesses that solved a word: request number and the word.
    pub solved_requests: VecDeque<(u64, String)>,
}

/// Where a table is between rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// No round yet.
    Waiting,
    /// A round begins at `starts_at`.
    Countdown {
        /// When (Unix milliseconds).
        starts_at: i64,
        /// What it deals.
        deal: Deal,
    },
    /// A round is on.
    Playing,
    /// The last round has ended.
    Over,
}

/// Who found one answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finder {
    /// Their member number.
    pub id: u32,
    /// Their name when they found it.
    pub name: String,
}

/// One chat message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// Its sequence number.
    pub seq: u64,
    /// The member who wrote it.
    pub by: u32,
    /// Their name.
    pub name: String,
    /// What they wrote.
    pub text: String,
    /// When (Unix milliseconds).
    pub at: i64,
}

/// A table as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Who made it (their key).
    pub creator: String,
    /// The host's member number.
    pub host: Option<u32>,
    /// Everyone at the table, in the order they came.
    pub members: Vec<Member>,
    /// Between rounds or in one.
    #[serde(flatten)]
    pub phase: Phase,
    /// The current or last round.
    pub round: Option<Round>,
    /// Who found each answer of the round, by question and answer.
    pub found_by: Vec<Vec<Option<Finder>>>,
    /// The last [`CHAT_KEPT`] chat messages.
    pub chat: VecDeque<ChatLine>,
    /// The last event's number.
    pub seq: u64,
    /// The next member number.
    pub next_member: u32,
    /// Length of a round in milliseconds.
    pub round_ms: i64,
    /// Rounds begun.
    pub rounds: u32,
}

/// What happened at a table, in the order it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    /// Someone sat down.
    Joined {
        /// Their number.
        id: u32,
        /// Their name.
        name: String,
        /// Player or spectator.
        role: Role,
    },
    /// Someone left (`reason`: `left` or `gone`, when away too long).
    Left {
        /// Their number.
        id: u32,
        /// Why.
        reason: &'static str,
    },
    /// A new host.
    Host {
        /// Their number.
        id: u32,
    },
    /// A player is ready, or no longer.
    Ready {
        /// Their number.
        id: u32,
        /// Ready or not.
        ready: bool,
    },
    /// A round begins at `starts_at`.
    Countdown {
        /// When (Unix milliseconds).
        starts_at: i64,
    },
    /// A round began.
    RoundStarted {
        /// Its number, from 1.
        round: u32,
        /// When it ends (Unix milliseconds).
        deadline: i64,
    },
    /// A word was claimed.
    Solved {
        /// The word.
        word: String,
        /// The first question it answers.
        question: usize,
        /// Who found it.
        by: u32,
        /// Their name.
        name: String,
    },
    /// The round ended.
    RoundEnded {
        /// Why.
        reason: EndReason,
    },
    /// A chat message.
    Chat {
        /// Who wrote it.
        by: u32,
        /// Their name.
        name: String,
        /// What they wrote.
        text: String,
    },
    /// Someone's connection came or went: `here` or `away`.
    Presence {
        /// Their number.
        id: u32,
        /// `here` or `away`.
        state: &'static str,
    },
}

/// A change with its sequence number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The table's sequence number.
    pub seq: u64,
    /// What happened.
    pub change: Change,
}

/// What a guess did, as its sender is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuessResult {
    /// A new word, theirs.
    Solved,
    /// Found before (by anyone).
    AlreadySolved,
    /// Not an answer.
    Wrong,
    /// The clock had run out.
    Late,
    /// No round is on.
    Over,
}

/// What the table refuses, in words for the player.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Not at the table.
    #[error("join the table first")]
    NotJoined,
    /// A spectator tried to play.
    #[error("spectators watch; join as a player to {0}")]
    Spectator(&'static str),
    /// Only the host may.
    #[error("only the host can start a round")]
    NotHost,
    /// No seat left.
    #[error("the table is full ({0} at most)")]
    Full(String),
    /// A round is on or about to begin.
    #[error("a round is already on")]
    Busy,
    /// Bad text.
    #[error("{0}")]
    Text(String),
}

/// What the server must do before the table can go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// Nothing yet; look again at this time (if any).
    Nothing(Option<i64>),
    /// Deal a round (see [`Table::begin`]).
    Begin(Deal),
    /// The round's time is up (see [`Table::end`]).
    End,
}

/// Trims a display name and checks it (1 to [`MAX_NAME_CHARS`] characters, no control
/// characters).
pub fn check_name(name: &str) -> Result<String, TableError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(TableError::Text(format!(
            "a name has 1 to {MAX_NAME_CHARS} characters and no control characters"
        )));
    }
    Ok(name.to_owned())
}

impl Table {
    /// A new table with no one at it yet.
    #[must_use]
    pub fn new(creator: String, round_ms: i64) -> Table {
        Table {
            creator,
            host: None,
            members: Vec::new(),
            phase: Phase::Waiting,
            round: None,
            found_by: Vec::new(),
            chat: VecDeque::new(),
            seq: 0,
            next_member: 1,
            round_ms,
            rounds: 0,
        }
    }

    fn emit(&mut self, events: &mut Vec<Event>, change: Change) {
        self.seq += 1;
        events.push(Event {
            seq: self.seq,
            change,
        });
    }

    /// The member `who` is, if at the table.
    #[must_use]
    pub fn member(&self, who: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.who == who)
    }

    fn member_mut(&mut self, who: &str) -> Result<&mut Member, TableError> {
        self.members
            .iter_mut()
            .find(|m| m.who == who)
            .ok_or(TableError::NotJoined)
    }

    fn count(&self, role: Role) -> usize {
        self.members.iter().filter(|m| m.role == role).count()
    }

    /// `who` sits down (or, already seated, opens one more connection: never a second seat).
    pub fn join(
        &mut self,
        who: &str,
        name: &str,
        role: Role,
        now: i64,
    ) -> Result<Vec<Event>, TableError> {
        let mut events = Vec::new();
        if self.member(who).is_some() {
            self.connect(who, now, &mut events)?;
            return Ok(events);
        }
        let name = check_name(name)?;
        let (count, max) = match role {
            Role::Player => (self.count(Role::Player), MAX_PLAYERS),
            Role::Spectator => (self.count(Role::Spectator), MAX_SPECTATORS),
        };
        if count >= max {
            let what = if role == Role::Player {
                "players"
            } else {
                "spectators"
            };
            return Err(TableError::Full(format!("{max} {what}")));
        }
        let id = self.next_member;
        self.next_member += 1;
        self.members.push(Member {
            id,
            who: who.to_owned(),
            name: name.clone(),
            role,
            ready: false,
            connections: 1,
            away_since: None,
            words: 0,
            alphagrams: 0,
            solved_requests: VecDeque::new(),
        });
        self.emit(&mut events, Change::Joined { id, name, role });
        // The first player is host until the creator sits down (before any round is played).
        let host_seated = self
            .host
            .is_some_and(|h| self.members.iter().any(|m| m.id == h));
        let creator_takes_over = who == self.creator && self.rounds == 0;
        if role == Role::Player && (!host_seated || creator_takes_over) {
            self.host = Some(id);
            self.emit(&mut events, Change::Host { id });
        }
        Ok(events)
    }

    /// One more connection of a seated member (a second tab, or a reconnection).
    pub fn connect(
        &mut self,
        who: &str,
        _now: i64,
        events: &mut Vec<Event>,
    ) -> Result<(), TableError> {
        let member = self.member_mut(who)?;
        member.connections = member.connections.saturating_add(1);
        let came_back = member.away_since.take().is_some();
        let id = member.id;
        if came_back {
            self.emit(events, Change::Presence { id, state: "here" });
        }
        Ok(())
    }

    /// One of `who`'s connections closed; with none left, they are away (and gone after
    /// [`ABSENCE_MS`], see [`Table::tidy`]).
    pub fn disconnect(&mut self, who: &str, now: i64) -> Vec<Event> {
        let mut events = Vec::new();
        if let Ok(member) = self.member_mut(who) {
            member.connections = member.connections.saturating_sub(1);
            if member.connections == 0 {
                member.away_since = Some(now);
                let id = member.id;
                self.emit(&mut events, Change::Presence { id, state: "away" });
            }
        }
        events
    }

    /// `who` leaves the table; a leaving host hands over to the longest-seated player.
    pub fn leave(&mut self, who: &str) -> Result<Vec<Event>, TableError> {
        let mut events = Vec::new();
        let id = self.member_mut(who)?.id;
        self.remove(id, "left", &mut events);
        Ok(events)
    }

    fn remove(&mut self, id: u32, reason: &'static str, events: &mut Vec<Event>) {
        self.members.retain(|m| m.id != id);
        self.emit(events, Change::Left { id, reason });
        if self.host == Some(id) {
            self.host = self
                .members
                .iter()
                .find(|m| m.role == Role::Player)
                .map(|m| m.id);
            if let Some(id) = self.host {
                self.emit(events, Change::Host { id });
            }
        }
        self.maybe_count_down(None, events);
    }

    /// `who` is ready (or not) for the next round; when every player is, it counts down.
    pub fn ready(&mut self, who: &str, ready: bool, now: i64) -> Result<Vec<Event>, TableError> {
        let mut events = Vec::new();
        let member = self.member_mut(who)?;
        if member.role == Role::Spectator {
            return Err(TableError::Spectator("get ready"));
        }
        if member.ready != ready {
            member.ready = ready;
            let id = member.id;
            self.emit(&mut events, Change::Ready { id, ready });
        }
        self.maybe_count_down(Some(now), &mut events);
        Ok(events)
    }

    fn between_rounds(&self) -> bool {
        matches!(self.phase, Phase::Waiting | Phase::Over)
    }

    fn maybe_count_down(&mut self, now: Option<i64>, events: &mut Vec<Event>) {
        let players = self.members.iter().filter(|m| m.role == Role::Player);
        let all_ready = players.clone().count() > 0 && players.clone().all(|m| m.ready);
        if let Some(now) = now
            && all_ready
            && self.between_rounds()
        {
            self.count_down(Deal::Continue, now, events);
        }
    }

    fn count_down(&mut self, deal: Deal, now: i64, events: &mut Vec<Event>) {
        let starts_at = now.saturating_add(COUNTDOWN_MS);
        self.phase = Phase::Countdown { starts_at, deal };
        self.emit(events, Change::Countdown { starts_at });
    }

    /// The host starts the next round (of what `deal` says) after the countdown, ready or not.
    pub fn start(&mut self, who: &str, deal: Deal, now: i64) -> Result<Vec<Event>, TableError> {
        let id = self.member(who).ok_or(TableError::NotJoined)?.id;
        if self.host != Some(id) {
            return Err(TableError::NotHost);
        }
        if !self.between_rounds() {
            return Err(TableError::Busy);
        }
        let mut events = Vec::new();
        self.count_down(deal, now, &mut events);
        Ok(events)
    }

    /// What must happen before the table can go on at `now`.
    #[must_use]
    pub fn due(&self, now: i64) -> Due {
        let next_absence = self
            .members
            .iter()
            .filter_map(|m| m.away_since)
            .map(|at| at.saturating_add(ABSENCE_MS))
            .min();
        match (self.phase, &self.round) {
            (Phase::Countdown { starts_at, deal }, _) if now >= starts_at => Due::Begin(deal),
            (Phase::Countdown { starts_at, .. }, _) => Due::Nothing(Some(starts_at)),
            (Phase::Playing, Some(round)) if now >= round.deadline => Due::End,
            (Phase::Playing, Some(round)) => Due::Nothing(Some(
                next_absence.map_or(round.deadline, |a| a.min(round.deadline)),
            )),
            _ => Due::Nothing(next_absence),
        }
    }

    /// Begins a round of `questions` (dealt by the server, see [`Table::due`]).
    pub fn begin(&mut self, questions: Vec<Question>, now: i64) -> Vec<Event> {
        let mut events = Vec::new();
        let round = Round::start(questions, self.round_ms, now);
        self.found_by = round
            .questions
            .iter()
            .map(|q| vec![None; q.question.answers.len()])
            .collect();
        let deadline = round.deadline;
        let empty = round.questions.is_empty();
        self.round = Some(round);
        self.rounds = self.rounds.saturating_add(1);
        self.phase = Phase::Playing;
        for member in &mut self.members {
            member.ready = false;
            member.words = 0;
            member.alphagrams = 0;
            member.solved_requests.clear();
        }
        let round = self.rounds;
        self.emit(&mut events, Change::RoundStarted { round, deadline });
        if empty {
            self.end(EndReason::AllSolved, now, &mut events);
        }
        events
    }

    /// Ends the round at `now` when its time is up (see [`Table::due`]); the ended round's
    /// results are in [`Table::round`].
    pub fn time_up(&mut self, now: i64) -> Vec<Event> {
        let mut events = Vec::new();
        if let Some(round) = &mut self.round
            && self.phase == Phase::Playing
            && round.check_clock(now)
        {
            self.end(EndReason::TimeUp, now, &mut events);
        }
        events
    }

    fn end(&mut self, reason: EndReason, _now: i64, events: &mut Vec<Event>) {
        self.phase = Phase::Over;
        self.emit(events, Change::RoundEnded { reason });
    }

    /// Judges `who`'s guess number `req`; the same `req` again gets the same answer.
    pub fn guess(
        &mut self,
        who: &str,
        word: &str,
        req: u64,
        now: i64,
    ) -> Result<(GuessResult, Vec<Event>), TableError> {
        let member = self.member(who).ok_or(TableError::NotJoined)?;
        if member.role == Role::Spectator {
            return Err(TableError::Spectator("guess"));
        }
        if member.solved_requests.iter().any(|(r, _)| *r == req) {
            return Ok((GuessResult::Solved, Vec::new()));
        }
        let (id, name) = (member.id, member.name.clone());
        let mut events = Vec::new();
        let Some(round) = self.round.as_mut().filter(|_| self.phase == Phase::Playing) else {
            return Ok((GuessResult::Over, events));
        };
        // A table does not count wrong guesses, so judging one changes nothing stored.
        let wrong_before = round.wrong;
        let result = match round.guess(word, now) {
            Guess::Solved { question, answer } => {
                let word = round.questions[question].question.answers[answer].clone();
                let over = round.ended;
                self.credit(id, &name, &word, req);
                self.emit(
                    &mut events,
                    Change::Solved {
                        word,
                        question,
                        by: id,
                        name,
                    },
                );
                if let Some(reason) = over {
                    self.end(reason, now, &mut events);
                }
                GuessResult::Solved
            }
            Guess::AlreadySolved { .. } => GuessResult::AlreadySolved,
            Guess::Wrong => {
                round.wrong = wrong_before;
                GuessResult::Wrong
            }
            Guess::Late => {
                self.end(EndReason::TimeUp, now, &mut events);
                GuessResult::Late
            }
            Guess::Over => GuessResult::Over,
        };
        Ok((result, events))
    }

    /// Records that member `id` found `word` in every question it answers.
    fn credit(&mut self, id: u32, name: &str, word: &str, req: u64) {
        let Some(round) = &self.round else { return };
        let mut completed = 0;
        for (q, rq) in round.questions.iter().enumerate() {
            for (a, answer) in rq.question.answers.iter().enumerate() {
                if answer == word && self.found_by[q][a].is_none() {
                    self.found_by[q][a] = Some(Finder {
                        id,
                        name: name.to_owned(),
                    });
                    completed += usize::from(self.found_by[q].iter().all(Option::is_some));
                }
            }
        }
        if let Some(member) = self.members.iter_mut().find(|m| m.id == id) {
            member.words = member.words.saturating_add(1);
            member.alphagrams = member.alphagrams.saturating_add(completed as u32);
            member.solved_requests.push_back((req, word.to_owned()));
            if member.solved_requests.len() > REMEMBERED_GUESSES {
                member.solved_requests.pop_front();
            }
        }
    }

    /// `who` says something (trimmed; 1 to [`MAX_CHAT_CHARS`] characters).
    pub fn chat(&mut self, who: &str, text: &str, now: i64) -> Result<Vec<Event>, TableError> {
        let member = self.member(who).ok_or(TableError::NotJoined)?;
        let text = check_chat(text)?;
        let (by, name) = (member.id, member.name.clone());
        let mut events = Vec::new();
        self.emit(
            &mut events,
            Change::Chat {
                by,
                name: name.clone(),
                text: text.clone(),
            },
        );
        self.chat.push_back(ChatLine {
            seq: self.seq,
            by,
            name,
            text,
            at: now,
        });
        while self.chat.len() > CHAT_KEPT {
            self.chat.pop_front();
        }
        Ok(events)
    }

    /// Members away for longer than [`ABSENCE_MS`] are gone.
    pub fn tidy(&mut self, now: i64) -> Vec<Event> {
        let mut events = Vec::new();
        let gone: Vec<u32> = self
            .members
            .iter()
            .filter(|m| {
                m.away_since
                    .is_some_and(|at| now >= at.saturating_add(ABSENCE_MS))
            })
            .map(|m| m.id)
            .collect();
        for id in gone {
            self.remove(id, "gone", &mut events);
        }
        events
    }

    /// Connections open at the table.
    #[must_use]
    pub fn connections(&self) -> u32 {
        self.members.iter().map(|m| m.connections).sum()
    }

    /// Forgets every connection (after a restart none is open); members stay, away.
    pub fn forget_connections(&mut self, now: i64) {
        for member in &mut self.members {
            if member.connections > 0 || member.away_since.is_none() {
                member.connections = 0;
                member.away_since = Some(now);
            }
        }
    }
}

/// Trims a chat message and checks it.
pub fn check_chat(text: &str) -> Result<String, TableError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_CHAT_CHARS {
        return Err(TableError::Text(format!(
            "a chat message has 1 to {MAX_CHAT_CHARS} characters (this one has {chars})"
        )));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(TableError::Text(
            "a chat message cannot hold control characters".into(),
        ));
    }
    Ok(text.to_owned())
}
