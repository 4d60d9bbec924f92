//! The tables being played in this process: who is connected to each, the recent events a
//! reconnecting client may ask for, and the timer that ends a round on time.
//!
//! Every action at a table goes through [`Hub::act`], which holds the table's room while the
//! store decides and commits, then hands the numbered events to every connection in order.
//! Everything is bounded: each connection has a queue of [`QUEUE`] messages (a client that
//! stops reading is dropped, and counted), each room keeps at most [`LOG_EVENTS`] events and
//! [`LOG_BYTES`] bytes for replay, and a room with no connection is gone.

pub mod socket;
pub mod wire;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::ws::Utf8Bytes;
use tilebag_store::TableId;
use tilebag_study::table::Due;
use tokio::sync::{Notify, mpsc};

use crate::app::ServiceError;
use crate::app::tables::{Acted, Action, act};
use crate::state::AppState;

/// Messages waiting to be sent to one connection; a client this far behind is dropped.
pub const QUEUE: usize = 256;
/// Events a room keeps for clients that reconnect.
pub const LOG_EVENTS: usize = 256;
/// Bytes of events a room keeps for clients that reconnect.
pub const LOG_BYTES: usize = 256 * 1024;

/// The close code for a client that did not read its messages in time.
pub const CLOSE_SLOW: u16 = 4008;
/// The close code when the table closes.
pub const CLOSE_TABLE_CLOSED: u16 = 4000;
/// The close code on shutdown: the service restarts, reconnect.
pub const CLOSE_RESTART: u16 = 1012;

/// Counts for `/metrics`.
#[derive(Debug, Default)]
pub struct Counts {
    /// Sockets open.
    pub sockets: AtomicUsize,
    /// Messages received.
    pub messages_in: AtomicU64,
    /// Messages sent.
    pub messages_out: AtomicU64,
    /// Clients dropped for not reading.
    pub slow_dropped: AtomicU64,
    /// Events sent again to clients that resumed.
    pub replayed: AtomicU64,
    /// Snapshots sent to clients that resumed after their events were gone.
    pub snapshots: AtomicU64,
}

/// What tells one connection to close, and with which code.
#[derive(Debug, Default)]
pub struct Kick {
    code: AtomicU16,
    notify: Notify,
}

impl Kick {
    /// Asks the connection to close with `code` (the first code asked for wins).
    pub fn close(&self, code: u16) {
        let _ = self
            .code
            .compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst);
        self.notify.notify_one();
    }

    /// Resolves with the code once asked to close.
    pub async fn wait(&self) -> u16 {
        loop {
            let notified = self.notify.notified();
            let code = self.code.load(Ordering::SeqCst);
            if code != 0 {
                return code;
            }
            notified.await;
        }
    }
}

/// A connection, as its room knows it.
#[derive(Debug, Clone)]
pub struct Subscriber {
    /// The connection's number.
    pub conn: u64,
    /// Its outgoing queue.
    pub tx: mpsc::Sender<Utf8Bytes>,
    /// How to close it.
    pub kick: Arc<Kick>,
}

impl Subscriber {
    /// Queues `message`, or drops a client that is too far behind.
    pub fn send(&self, message: Utf8Bytes, counts: &Counts) -> bool {
        match self.tx.try_send(message) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                counts.slow_dropped.fetch_add(1, Ordering::Relaxed);
                self.kick.close(CLOSE_SLOW);
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

#[derive(Debug, Default)]
struct RoomState {
    subscribers: Vec<Subscriber>,
    log: VecDeque<(u64, Utf8Bytes)>,
    log_bytes: usize,
    /// The latest event's number this room has seen.
    last_seq: u64,
    timer: Option<tokio::task::AbortHandle>,
    /// When the table next has something due (Unix milliseconds).
    next_due: Option<i64>,
    /// What the last action left, to judge a guess that is no answer without the store.
    quick: Option<Quick>,
}

/// The round as the last action at the table left it: enough to know that a word is no
/// answer of it. The answers of a round never change, so however stale this is, a word not
/// among them is wrong while the round is on.
#[derive(Debug, Default)]
struct Quick {
    round: u32,
    playing: bool,
    deadline: i64,
    answers: std::collections::HashSet<String>,
    players: std::collections::HashSet<String>,
}

impl Quick {
    fn update(quick: &mut Option<Quick>, table: &tilebag_study::table::Table) {
        let quick = quick.get_or_insert_with(Quick::default);
        let round = table.round.as_ref();
        if quick.round != table.rounds {
            quick.round = table.rounds;
            quick.answers = round
                .map(|r| {
                    r.questions
                        .iter()
                        .flat_map(|q| q.question.answers.iter().cloned())
                        .collect()
                })
                .unwrap_or_default();
        }
        quick.playing = table.phase == tilebag_study::table::Phase::Playing;
        quick.deadline = round.map_or(0, |r| r.deadline);
        quick.players = table
            .members
            .iter()
            .filter(|m| m.role == tilebag_study::table::Role::Player)
            .map(|m| m.who.clone())
            .collect();
    }

    fn is_wrong(&self, who: &str, word: &str, now: i64) -> bool {
        self.playing
            && now < self.deadline
            && self.players.contains(who)
            && !self.answers.contains(&word.trim().to_ascii_uppercase())
    }
}

#[derive(Debug, Default)]
struct Room {
    state: tokio::sync::Mutex<RoomState>,
}

/// How a connection joins its room's stream of events.
#[derive(Debug)]
pub enum Attach {
    /// A new seat or connection: it is sent a snapshot first.
    Fresh(Subscriber),
    /// A reconnection that saw every event up to this number.
    Resume(Subscriber, u64),
    /// A connection leaves the stream.
    Detach(u64),
}

/// The tables of this process.
#[derive(Debug, Default)]
pub struct Hub {
    rooms: Mutex<HashMap<TableId, Arc<Room>>>,
    /// Counts for `/metrics`.
    pub counts: Counts,
    next_conn: AtomicU64,
}

impl Hub {
    /// A number for a new connection.
    pub fn connection_number(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Rooms open (tables with a connection in this process).
    pub fn rooms(&self) -> usize {
        self.rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Appends the tables' gauges and counters to `/metrics`.
    pub fn render(&self, out: &mut String) {
        use std::fmt::Write as _;
        crate::metrics::gauge(
            out,
            "tilebag_tables_open",
            "Tables with a connection to this process.",
            self.rooms() as f64,
        );
        let c = &self.counts;
        crate::metrics::gauge(
            out,
            "tilebag_table_sockets",
            "Table WebSockets open.",
            c.sockets.load(Ordering::Relaxed) as f64,
        );
        for (name, help, value) in [
            (
                "tilebag_table_messages_in_total",
                "Messages received on table sockets.",
                &c.messages_in,
            ),
            (
                "tilebag_table_messages_out_total",
                "Messages sent on table sockets.",
                &c.messages_out,
            ),
            (
                "tilebag_table_slow_clients_dropped_total",
                "Table sockets closed for not reading their messages.",
                &c.slow_dropped,
            ),
            (
                "tilebag_table_events_replayed_total",
                "Events sent again to clients that resumed.",
                &c.replayed,
            ),
            (
                "tilebag_table_snapshots_total",
                "Snapshots sent to resuming clients whose missed events were gone.",
                &c.snapshots,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
    }

    fn room(&self, id: TableId) -> Arc<Room> {
        self.rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(id)
            .or_default()
            .clone()
    }

    /// Forgets a room no one is connected to (and no one else is using).
    fn release(&self, id: TableId, room: &Arc<Room>, state: &mut RoomState) {
        if !state.subscribers.is_empty() {
            return;
        }
        if let Some(timer) = state.timer.take() {
            timer.abort();
        }
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        if rooms.get(&id).is_some_and(|r| Arc::ptr_eq(r, room)) && Arc::strong_count(room) == 2 {
            rooms.remove(&id);
        }
    }

    /// Whether something is due at table `id` by `now` (so a message should tick it).
    pub fn due_by(&self, id: TableId, now: i64) -> bool {
        let room = self
            .rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned();
        room.and_then(|r| r.state.try_lock().ok().and_then(|s| s.next_due))
            .is_some_and(|due| due <= now)
    }

    /// Whether `who`'s guess `word` at table `id` is surely wrong: a player's guess, while
    /// the round is on, of a word that is no answer of it. Such a guess changes nothing and
    /// is answered without the store.
    pub async fn is_wrong(&self, id: TableId, who: &str, word: &str, now: i64) -> bool {
        let room = self
            .rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned();
        match room {
            Some(room) => room
                .state
                .lock()
                .await
                .quick
                .as_ref()
                .is_some_and(|q| q.is_wrong(who, word, now)),
            None => false,
        }
    }

    /// Does `action` for `who` at table `id`, then sends its events to every connection of
    /// the table here, in order; `attach` joins or leaves a connection to the stream in the
    /// same turn, so it misses nothing and sees nothing twice.
    pub async fn act(
        &self,
        state: &AppState,
        id: TableId,
        who: String,
        action: Action,
        attach: Option<Attach>,
    ) -> Result<Acted, ServiceError> {
        let room = self.room(id);
        let mut guard = room.state.lock().await;
        let result = act(&state.app, id, who, action).await;
        let now = state.app.clock.now_ms();
        if let Ok(acted) = &result {
            self.deliver(state, id, &mut guard, acted, attach, now);
            Quick::update(&mut guard.quick, &acted.table);
        } else if let Some(Attach::Detach(conn)) = attach {
            guard.subscribers.retain(|s| s.conn != conn);
        }
        self.release(id, &room, &mut guard);
        result
    }

    fn deliver(
        &self,
        state: &AppState,
        id: TableId,
        room: &mut RoomState,
        acted: &Acted,
        attach: Option<Attach>,
        now: i64,
    ) {
        let lexicons = &state.app.lexicons;
        let frames: Vec<(u64, Utf8Bytes)> = acted
            .events
            .iter()
            .map(|e| {
                (
                    e.seq,
                    wire::event(e, &acted.table, lexicons, &acted.lexicon, now),
                )
            })
            .collect();
        // A refused join or resume joins nothing.
        let attach = match attach {
            Some(Attach::Fresh(_) | Attach::Resume(..)) if acted.refused.is_some() => None,
            other => other,
        };
        let mut fresh = None;
        match attach {
            Some(Attach::Fresh(subscriber)) => {
                // The snapshot already holds this action's events.
                self.send_snapshot(state, id, &subscriber, acted);
                fresh = Some(subscriber);
            }
            Some(Attach::Resume(subscriber, seen)) => {
                self.resume(state, id, room, &subscriber, acted, seen);
                room.subscribers.push(subscriber);
            }
            Some(Attach::Detach(conn)) => room.subscribers.retain(|s| s.conn != conn),
            None => {}
        }
        for (seq, frame) in frames {
            room.subscribers
                .retain(|s| s.send(frame.clone(), &self.counts));
            room.log_bytes += frame.len();
            room.log.push_back((seq, frame));
            room.last_seq = seq;
            while room.log.len() > LOG_EVENTS || room.log_bytes > LOG_BYTES {
                if let Some((_, old)) = room.log.pop_front() {
                    room.log_bytes -= old.len();
                }
            }
        }
        room.subscribers.extend(fresh);
        room.last_seq = room.last_seq.max(acted.table.seq);
        Hub::schedule(state, id, room, acted.table.due(now), now);
    }

    /// Sends a reconnected `subscriber` the events after `seen` that came before this
    /// action's, from the log, or a snapshot when the log no
    /// longer holds them all.
    fn resume(
        &self,
        state: &AppState,
        id: TableId,
        room: &RoomState,
        subscriber: &Subscriber,
        acted: &Acted,
        seen: u64,
    ) {
        let first_new = acted.events.first().map_or(acted.table.seq + 1, |e| e.seq);
        let missed = seen.saturating_add(1)..first_new;
        let kept_from = room.log.front().map(|(seq, _)| *seq);
        let replayable = missed.is_empty()
            || (kept_from.is_some_and(|from| from <= missed.start)
                && room.last_seq + 1 >= missed.end);
        if seen > acted.table.seq || !replayable {
            self.counts.snapshots.fetch_add(1, Ordering::Relaxed);
            self.send_snapshot(state, id, subscriber, acted);
            return;
        }
        for (_, frame) in room.log.iter().filter(|(seq, _)| missed.contains(seq)) {
            self.counts.replayed.fetch_add(1, Ordering::Relaxed);
            subscriber.send(frame.clone(), &self.counts);
        }
    }

    /// Sends `subscriber` the table as it is after this action.
    fn send_snapshot(&self, state: &AppState, id: TableId, subscriber: &Subscriber, acted: &Acted) {
        let snapshot = wire::Snapshot {
            id: id.0,
            name: &acted.name,
            lexicon: &acted.lexicon,
            settings: &acted.settings,
            table: &acted.table,
        };
        let now = state.app.clock.now_ms();
        let view = snapshot.view(&state.app.lexicons, now);
        let message = serde_json::json!({ "type": "snapshot", "table": view });
        subscriber.send(wire::frame(&message), &self.counts);
    }

    /// Wakes the table when its next thing is due, while anyone here is connected.
    fn schedule(state: &AppState, id: TableId, room: &mut RoomState, due: Due, now: i64) {
        let at = match due {
            Due::Nothing(at) => at,
            Due::Begin(_) | Due::End => Some(now),
        };
        if room.next_due == at && room.timer.is_some() {
            return;
        }
        if let Some(timer) = room.timer.take() {
            timer.abort();
        }
        room.next_due = at;
        let Some(at) = at.filter(|_| !room.subscribers.is_empty()) else {
            return;
        };
        let wait = u64::try_from(at.saturating_sub(now)).unwrap_or(0);
        let state = state.clone();
        let task = tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            let hub = state.tables.clone();
            // The timer itself is replaced by the tick's own scheduling.
            let _ = hub.act(&state, id, String::new(), Action::Tick, None).await;
        });
        room.timer = Some(task.abort_handle());
    }

    /// Closes every connection to table `id` (it has closed) with [`CLOSE_TABLE_CLOSED`].
    pub async fn close_table(&self, id: TableId) {
        let room = self
            .rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned();
        if let Some(room) = room {
            for subscriber in &room.state.lock().await.subscribers {
                subscriber.kick.close(CLOSE_TABLE_CLOSED);
            }
        }
    }

    /// Closes every connection with [`CLOSE_RESTART`] (on shutdown).
    pub async fn close_all(&self) {
        let rooms: Vec<Arc<Room>> = self
            .rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for room in rooms {
            for subscriber in &room.state.lock().await.subscribers {
                subscriber.kick.close(CLOSE_RESTART);
            }
        }
    }
}

/// Closes the connections of every table the housekeeping closes, until stopped.
pub fn close_when_closed(state: AppState) -> tokio::task::JoinHandle<()> {
    let mut closed = state.app.closed_tables.subscribe();
    tokio::spawn(async move {
        loop {
            match closed.recv().await {
                Ok(table) => state.tables.close_table(table).await,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::Ordering;

    use axum::extract::ws::Utf8Bytes;

    use super::{CLOSE_SLOW, Counts, Kick, Subscriber};

    #[tokio::test]
    async fn a_client_whose_queue_is_full_is_closed_as_slow_and_counted() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(2);
        let subscriber = Subscriber {
            conn: 1,
            tx,
            kick: Arc::new(Kick::default()),
        };
        let counts = Counts::default();
        assert!(subscriber.send(Utf8Bytes::from_static("1"), &counts));
        assert!(subscriber.send(Utf8Bytes::from_static("2"), &counts));
        assert!(
            !subscriber.send(Utf8Bytes::from_static("3"), &counts),
            "a third does not fit"
        );
        assert_eq!(subscriber.kick.wait().await, CLOSE_SLOW);
        assert_eq!(counts.slow_dropped.load(Ordering::Relaxed), 1);
        assert_eq!(
            rx.recv().await.as_deref(),
            Some("1"),
            "what was queued stays in order"
        );
    }
}
