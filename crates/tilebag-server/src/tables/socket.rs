//! One client's WebSocket at a table: its messages in, its queue out, its pings.
//!
//! A message that cannot be read, or is not allowed, is answered with an `error` and changes
//! nothing; messages beyond the rate are refused the same way. The server pings every
//! [`PING_EVERY`] (well inside a proxy's 60 s idle limit); a client silent for two pings,
//! or one that cannot take a message within [`SEND_TIMEOUT`], is closed.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use serde_json::json;
use tilebag_store::TableId;
use tilebag_study::Deal;
use tilebag_study::table::{Role, TableError};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::wire::{self, ClientMessage};
use super::{Attach, Hub, Kick, QUEUE, Subscriber};
use crate::app::ServiceError;
use crate::app::tables::{Acted, Action, key_of};
use crate::player::Player;
use crate::state::AppState;

/// How often the server pings.
pub const PING_EVERY: Duration = Duration::from_secs(25);
/// How long one message may take to go out before the client counts as gone.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest message a client may send, in bytes; larger ones are refused with an error.
pub const MAX_MESSAGE: usize = 4 * 1024;
/// Largest frame read at all, in bytes: a client sending more is disconnected (1009).
pub const MAX_FRAME: usize = 64 * 1024;
/// Longest guess, in characters.
const MAX_GUESS_CHARS: usize = 64;

/// Messages a second a client may send, and how many at once.
const RATE: (f64, f64) = (10.0, 30.0);
/// Chat messages a second a client may send, and how many at once.
const CHAT_RATE: (f64, f64) = (0.5, 5.0);

/// A token bucket.
struct Bucket {
    tokens: f64,
    at: Instant,
    rate: f64,
    burst: f64,
}

impl Bucket {
    fn new((rate, burst): (f64, f64)) -> Bucket {
        Bucket {
            tokens: burst,
            at: Instant::now(),
            rate,
            burst,
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.at).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Counts a socket as open for as long as it lives.
struct Open<'a>(&'a Hub);

impl Drop for Open<'_> {
    fn drop(&mut self) {
        self.0.counts.sockets.fetch_sub(1, Ordering::Relaxed);
    }
}

/// One connection's state.
struct Client {
    state: AppState,
    table: TableId,
    who: String,
    /// A logged-in player's name.
    username: Option<String>,
    me: Subscriber,
    joined: bool,
    rate: Bucket,
    chat_rate: Bucket,
}

/// Serves one socket at table `table` for `player` until either side closes it.
pub async fn run(state: AppState, mut socket: WebSocket, table: TableId, player: Player) {
    let hub = state.tables.clone();
    hub.counts.sockets.fetch_add(1, Ordering::Relaxed);
    let _open = Open(&hub);
    let (tx, mut rx) = mpsc::channel(QUEUE);
    let kick = Arc::new(Kick::default());
    let mut client = Client {
        who: key_of(&player.owner),
        username: player.user.as_ref().map(|u| u.username.clone()),
        me: Subscriber {
            conn: hub.connection_number(),
            tx,
            kick: kick.clone(),
        },
        state,
        table,
        joined: false,
        rate: Bucket::new(RATE),
        chat_rate: Bucket::new(CHAT_RATE),
    };
    let hello = json!({ "type": "hello", "protocol": wire::PROTOCOL, "table": table.0 });
    let mut close = None;
    if send(&mut socket, &kick, wire::frame(&hello), &hub).await {
        let mut ping = tokio::time::interval_at(Instant::now() + PING_EVERY, PING_EVERY);
        let mut heard = Instant::now();
        close = loop {
            tokio::select! {
                code = kick.wait() => break Some(code),
                Some(message) = rx.recv() => {
                    if !send(&mut socket, &kick, message, &hub).await {
                        break None;
                    }
                }
                incoming = socket.recv() => {
                    heard = Instant::now();
                    match incoming {
                        Some(Ok(Message::Text(text))) if text.len() > MAX_FRAME => break Some(1009),
                        Some(Ok(Message::Text(text))) => {
                            hub.counts.messages_in.fetch_add(1, Ordering::Relaxed);
                            if let Some(code) = client.handle(&text).await {
                                break Some(code);
                            }
                        }
                        Some(Ok(Message::Binary(_))) => {
                            client.reply(wire::error("bad_message", "messages are JSON text frames"));
                        }
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                        Some(Ok(Message::Close(_))) | None => break None,
                        // Past the frame limit; otherwise a broken frame: either way, done.
                        Some(Err(error)) => {
                            tracing::debug!(%error, "a table socket failed");
                            break Some(if error.to_string().contains("too long") { 1009 } else { 1002 });
                        }
                    }
                }
                _ = ping.tick() => {
                    if heard.elapsed() > 2 * PING_EVERY {
                        break Some(1001);
                    }
                    if !ping_client(&mut socket, &kick).await {
                        break None;
                    }
                }
            }
        };
    }
    if client.joined {
        let conn = client.me.conn;
        let _ = hub
            .act(
                &client.state,
                table,
                client.who.clone(),
                Action::Disconnect,
                Some(Attach::Detach(conn)),
            )
            .await;
    }
    if let Some(code) = close {
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from_static(match code {
                super::CLOSE_SLOW => "too slow: reconnect and resume",
                super::CLOSE_RESTART => "the server is restarting: reconnect",
                super::CLOSE_TABLE_CLOSED => "the table has closed",
                _ => "",
            }),
        };
        let closing = socket.send(Message::Close(Some(frame)));
        let _ = tokio::time::timeout(SEND_TIMEOUT, closing).await;
    }
}

/// Sends one message in time, unless told to close first.
async fn send(socket: &mut WebSocket, kick: &Kick, message: Utf8Bytes, hub: &Hub) -> bool {
    let sent = tokio::select! {
        sent = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(message))) => {
            matches!(sent, Ok(Ok(())))
        }
        _ = kick.wait() => false,
    };
    if sent {
        hub.counts.messages_out.fetch_add(1, Ordering::Relaxed);
    }
    sent
}

async fn ping_client(socket: &mut WebSocket, kick: &Kick) -> bool {
    tokio::select! {
        sent = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Ping(axum::body::Bytes::new()))) => {
            matches!(sent, Ok(Ok(())))
        }
        _ = kick.wait() => false,
    }
}

/// A refusal's stable code.
fn code_of(error: &TableError) -> &'static str {
    match error {
        TableError::NotJoined => "not_joined",
        TableError::Spectator(_) => "spectator",
        TableError::NotHost => "not_host",
        TableError::Full(_) => "table_full",
        TableError::Busy => "round_on",
        TableError::Text(_) => "bad_text",
    }
}

impl Client {
    /// Queues a reply to this client alone.
    fn reply(&self, message: Utf8Bytes) {
        self.me.send(message, &self.state.tables.counts);
    }

    /// Handles one text message; `Some(code)` closes the socket.
    async fn handle(&mut self, text: &str) -> Option<u16> {
        if text.len() > MAX_MESSAGE {
            self.reply(wire::error(
                "too_large",
                "a message has at most 4,096 bytes",
            ));
            return None;
        }
        if !self.rate.take() {
            self.reply(wire::error(
                "rate_limited",
                "too many messages: at most 10 a second; this one was dropped",
            ));
            return None;
        }
        let message: ClientMessage = match serde_json::from_str(text) {
            Ok(message) => message,
            Err(e) => {
                self.reply(wire::error(
                    "bad_message",
                    &format!("cannot read this message: {e}"),
                ));
                return None;
            }
        };
        let (action, attach) = match message {
            ClientMessage::Join { role, name } => {
                if self.joined {
                    self.reply(wire::error(
                        "already_joined",
                        "this connection has joined already",
                    ));
                    return None;
                }
                let Some(name) = name.or_else(|| self.username.clone()) else {
                    self.reply(wire::error("bad_text", "guests give a name to join"));
                    return None;
                };
                (
                    Action::Join { role, name },
                    Some(Attach::Fresh(self.me.clone())),
                )
            }
            ClientMessage::Resume { token, last_seq } => {
                if self.joined {
                    self.reply(wire::error(
                        "already_joined",
                        "this connection has joined already",
                    ));
                    return None;
                }
                let member = token
                    .split_once('.')
                    .filter(|(table, _)| *table == self.table.0.to_string())
                    .and_then(|(_, member)| member.parse().ok());
                let Some(member) = member else {
                    self.reply(wire::error(
                        "bad_token",
                        "this token is not one of this table's seats; join again",
                    ));
                    return None;
                };
                (
                    Action::Resume(member),
                    Some(Attach::Resume(self.me.clone(), last_seq)),
                )
            }
            ClientMessage::Ready { ready } => (Action::Ready(ready), None),
            ClientMessage::Start { deal } => (Action::Start(deal.unwrap_or(Deal::Continue)), None),
            ClientMessage::Guess { word, req } => {
                if word.chars().count() > MAX_GUESS_CHARS {
                    self.reply(wire::error("bad_text", "a guess has at most 64 letters"));
                    return None;
                }
                let now = self.state.app.clock.now_ms();
                if self
                    .state
                    .tables
                    .is_wrong(self.table, &self.who, &word, now)
                    .await
                {
                    self.reply(wire::frame(&json!({
                        "type": "guess_result", "req": req, "result": "wrong",
                    })));
                    return None;
                }
                (Action::Guess { word, req }, None)
            }
            ClientMessage::Chat { text } => {
                if !self.chat_rate.take() {
                    self.reply(wire::error(
                        "rate_limited",
                        "too many chat messages: wait a little",
                    ));
                    return None;
                }
                (Action::Chat(text), None)
            }
            ClientMessage::Leave => (Action::Leave, Some(Attach::Detach(self.me.conn))),
            ClientMessage::Ping => {
                self.reply(wire::frame(&json!({ "type": "pong" })));
                let now = self.state.app.clock.now_ms();
                if !self.state.tables.due_by(self.table, now) {
                    return None;
                }
                (Action::Tick, None)
            }
        };
        let attaching = matches!(attach, Some(Attach::Fresh(_) | Attach::Resume(..)));
        let leaving = matches!(action, Action::Leave);
        let req = match &action {
            Action::Guess { req, .. } => Some(*req),
            _ => None,
        };
        let hub = self.state.tables.clone();
        match hub
            .act(&self.state, self.table, self.who.clone(), action, attach)
            .await
        {
            Ok(acted) => self.answer(&acted, attaching, leaving, req),
            Err(ServiceError::NotFound(message)) => {
                self.reply(wire::error("table_closed", &message));
                Some(super::CLOSE_TABLE_CLOSED)
            }
            Err(error) => {
                tracing::warn!(%error, table = self.table.0, "a table action failed");
                self.reply(wire::error(
                    "unavailable",
                    "the server cannot do this now; try again",
                ));
                None
            }
        }
    }

    fn answer(
        &mut self,
        acted: &Acted,
        attaching: bool,
        leaving: bool,
        req: Option<u64>,
    ) -> Option<u16> {
        if let Some(refused) = &acted.refused {
            self.reply(wire::error(code_of(refused), &refused.to_string()));
            return None;
        }
        if attaching {
            self.joined = true;
            if let Some(member) = acted.table.member(&self.who) {
                let role = if member.role == Role::Player {
                    "player"
                } else {
                    "spectator"
                };
                self.reply(wire::frame(&json!({
                    "type": "welcome",
                    "you": member.id,
                    "role": role,
                    "token": format!("{}.{}", self.table.0, member.id),
                })));
            }
        }
        if let (Some(req), Some(result)) = (req, acted.guess) {
            self.reply(wire::frame(&json!({
                "type": "guess_result", "req": req, "result": wire::result_name(result),
            })));
        }
        if leaving {
            self.joined = false;
            return Some(1000);
        }
        None
    }
}
