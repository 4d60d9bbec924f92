//! A notice bus: short messages on named channels, for every process serving the database.
//!
//! A notice that belongs to a change is sent inside that change's transaction and delivered
//! only if it commits. On PostgreSQL it goes out with `pg_notify` (PostgreSQL holds it back
//! until the commit), and each process hears every other one on a listening connection of
//! its own, opened with the first subscription and closed with [`crate::Store::close`]. The
//! process that sends a notice hands it to its own subscribers as soon as the commit
//! returns, without waiting for the round trip; on SQLite (one process) that is all there
//! is.
//!
//! Each subscriber has a bounded queue. [`Notice::Reset`] tells it that notices may have been
//! missed, so whatever it built from them must be thrown away: it comes when the subscriber
//! fell behind by more than its queue, when the listening connection is lost (it is opened
//! again with growing pauses), and once more when that connection is back.

use std::collections::HashMap;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::{broadcast, watch};

use crate::{Backend, StoreError};

/// Most bytes in a payload: PostgreSQL takes fewer than 8,000 bytes per notice, and the bus
/// adds the channel's name and the sender's mark.
pub const MAX_PAYLOAD: usize = 7_900;
/// Most bytes in a channel's name.
pub const MAX_CHANNEL: usize = 63;
/// Notices a subscriber may have waiting; one more and it gets [`Notice::Reset`] instead.
pub const QUEUE: usize = 1024;
/// The PostgreSQL channel every notice travels on (the bus's channel is in the payload).
const PG_CHANNEL: &str = "tilebag_notices";
const FIRST_PAUSE: Duration = Duration::from_millis(50);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);

/// What a subscriber receives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A payload published on the subscribed channel.
    Message(String),
    /// Notices may have been missed: forget whatever was built from them.
    Reset,
}

/// A notice that cannot be sent.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    /// The payload is longer than [`MAX_PAYLOAD`].
    #[error("a notice's payload may have at most {max} bytes; this one has {bytes}")]
    TooLarge {
        /// The payload's length.
        bytes: usize,
        /// [`MAX_PAYLOAD`].
        max: usize,
    },
    /// The channel's name is not 1 to [`MAX_CHANNEL`] lowercase letters, digits or `_`.
    #[error("“{0}” is not a channel: use 1 to 63 lowercase letters, digits or underscores")]
    BadChannel(String),
    /// The payload holds a NUL character, which PostgreSQL's text cannot.
    #[error("a notice's payload may not contain NUL characters")]
    Nul,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<NoticeError> for StoreError {
    fn from(error: NoticeError) -> StoreError {
        match error {
            NoticeError::Store(error) => error,
            other => StoreError::Other(other.to_string()),
        }
    }
}

/// One subscriber's queue of notices on one channel.
#[derive(Debug)]
pub struct Subscription {
    receiver: broadcast::Receiver<Notice>,
}

impl Subscription {
    /// The next notice; `None` once the store is gone.
    pub async fn recv(&mut self) -> Option<Notice> {
        match self.receiver.recv().await {
            Ok(notice) => Some(notice),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(Notice::Reset),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }

    /// The next notice already waiting, if any.
    pub fn try_recv(&mut self) -> Option<Notice> {
        match self.receiver.try_recv() {
            Ok(notice) => Some(notice),
            Err(broadcast::error::TryRecvError::Lagged(_)) => Some(Notice::Reset),
            Err(broadcast::error::TryRecvError::Empty | broadcast::error::TryRecvError::Closed) => {
                None
            }
        }
    }
}

/// The bus of one store; clones share it.
#[derive(Clone, Debug)]
pub(crate) struct Notices(Arc<Hub>);

#[derive(Debug)]
struct Hub {
    backend: Backend,
    url: String,
    /// Marks this process's notices, so the listener does not deliver them twice.
    origin: String,
    channels: Mutex<HashMap<String, broadcast::Sender<Notice>>>,
    /// Whether notices from other processes are being heard (always on SQLite).
    live: watch::Sender<bool>,
    listening: AtomicBool,
    resets: AtomicU64,
    stop: watch::Sender<bool>,
}

/// Refuses a channel or payload the bus cannot carry.
fn check(channel: &str, payload: &str) -> Result<(), NoticeError> {
    let name_ok = (1..=MAX_CHANNEL).contains(&channel.len())
        && channel
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !name_ok {
        return Err(NoticeError::BadChannel(channel.to_owned()));
    }
    if payload.len() > MAX_PAYLOAD {
        return Err(NoticeError::TooLarge {
            bytes: payload.len(),
            max: MAX_PAYLOAD,
        });
    }
    if payload.contains('\0') {
        return Err(NoticeError::Nul);
    }
    Ok(())
}

impl Notices {
    pub(crate) fn new(backend: Backend, url: &str) -> Notices {
        // A random mark from the standard library's per-process hash keys, with the pid.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        Notices(Arc::new(Hub {
            backend,
            url: url.to_owned(),
            origin: format!("{:016x}", hasher.finish()),
            channels: Mutex::default(),
            live: watch::Sender::new(backend == Backend::Sqlite),
            listening: AtomicBool::new(false),
            resets: AtomicU64::new(0),
            stop: watch::Sender::new(false),
        }))
    }

    /// A new subscriber to `channel`; on PostgreSQL the first one opens the listening
    /// connection (within a Tokio runtime; outside one nothing is heard from other processes).
    pub(crate) fn subscribe(&self, channel: &str) -> Result<Subscription, NoticeError> {
        check(channel, "")?;
        let receiver = {
            let mut channels = self.0.lock_channels();
            channels
                .entry(channel.to_owned())
                .or_insert_with(|| broadcast::channel(QUEUE).0)
                .subscribe()
        };
        if self.0.backend == Backend::Postgres
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
            && !self.0.listening.swap(true, Ordering::SeqCst)
        {
            runtime.spawn(listen(Arc::downgrade(&self.0), self.0.stop.subscribe()));
        }
        Ok(Subscription { receiver })
    }

    /// Whether notices from other processes are being heard now.
    pub(crate) fn live(&self) -> bool {
        *self.0.live.borrow()
    }

    /// Waits until notices from other processes are heard.
    pub(crate) async fn connected(&self) {
        let mut live = self.0.live.subscribe();
        let _ = live.wait_for(|live| *live).await;
    }

    /// Resets sent because the listening connection was lost or came back.
    pub(crate) fn resets(&self) -> u64 {
        self.0.resets.load(Ordering::Relaxed)
    }

    /// Stops listening.
    pub(crate) fn stop(&self) {
        self.0.stop.send_replace(true);
    }

    /// An empty list of notices for one transaction.
    pub(crate) fn outbox(&self) -> Outbox {
        Outbox {
            notices: self.clone(),
            staged: Vec::new(),
        }
    }
}

impl Hub {
    fn lock_channels(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, broadcast::Sender<Notice>>> {
        self.channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn deliver(&self, channel: &str, payload: String) {
        if let Some(sender) = self.lock_channels().get(channel) {
            // No subscriber left is no error: nobody needed the notice.
            let _ = sender.send(Notice::Message(payload));
        }
    }

    fn reset_all(&self) {
        self.resets.fetch_add(1, Ordering::Relaxed);
        for sender in self.lock_channels().values() {
            let _ = sender.send(Notice::Reset);
        }
    }

    /// A notice heard from PostgreSQL: `ORIGIN\tCHANNEL\tPAYLOAD`.
    fn heard(&self, text: &str) {
        let mut parts = text.splitn(3, '\t');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(origin), Some(_), Some(_)) if origin == self.origin => {}
            (Some(_), Some(channel), Some(payload)) => self.deliver(channel, payload.to_owned()),
            _ => tracing::warn!(notice = text, "a notice of unknown form was ignored"),
        }
    }
}

/// The notices of one transaction: sent to PostgreSQL inside it, handed to this process's
/// subscribers by [`Outbox::committed`].
#[derive(Debug)]
pub(crate) struct Outbox {
    notices: Notices,
    staged: Vec<(String, String)>,
}

impl Outbox {
    /// Sends `payload` on `channel` when the transaction `conn` is in commits.
    pub(crate) async fn send(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        channel: &str,
        payload: &str,
    ) -> Result<(), NoticeError> {
        check(channel, payload)?;
        let hub = &self.notices.0;
        if hub.backend == Backend::Postgres {
            // Counted, because the Any driver has no type for pg_notify's `void`.
            sqlx::query("SELECT COUNT(*) FROM (SELECT pg_notify($1, $2)) AS sent")
                .bind(PG_CHANNEL)
                .bind(format!("{}\t{channel}\t{payload}", hub.origin))
                .execute(conn)
                .await
                .map_err(StoreError::from)?;
        }
        self.staged.push((channel.to_owned(), payload.to_owned()));
        Ok(())
    }

    /// Hands the notices to this process's subscribers, once the transaction has committed.
    pub(crate) fn committed(self) {
        for (channel, payload) in self.staged {
            self.notices.0.deliver(&channel, payload);
        }
    }
}

impl crate::Store {
    /// A new subscriber to `channel`: it receives every notice published on it from now on,
    /// in this process and (on PostgreSQL) in every other one on the database.
    pub fn subscribe(&self, channel: &str) -> Result<Subscription, NoticeError> {
        self.notices.subscribe(channel)
    }

    /// Publishes `payload` on `channel`, in a transaction of its own.
    pub async fn publish(&self, channel: &str, payload: &str) -> Result<(), NoticeError> {
        check(channel, payload)?;
        let (channel, payload) = (channel.to_owned(), payload.to_owned());
        self.unit_noticed(move |conn, outbox| {
            Box::pin(async move { outbox.send(conn, &channel, &payload).await })
        })
        .await
    }

    /// Whether notices from other processes are heard now (on SQLite, always; on PostgreSQL,
    /// while the listening connection is up, from the first subscription on).
    #[must_use]
    pub fn notices_live(&self) -> bool {
        self.notices.live()
    }

    /// Waits until notices from other processes are heard.
    pub async fn notices_connected(&self) {
        self.notices.connected().await;
    }

    /// Times every subscriber was reset because the listening connection was lost or came
    /// back.
    #[must_use]
    pub fn notice_resets(&self) -> u64 {
        self.notices.resets()
    }
}

async fn connect(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.eager_reconnect(false);
    listener.listen(PG_CHANNEL).await?;
    Ok(listener)
}

/// The listening connection's task: connects (pausing longer after each failure), hands
/// each notice heard to the subscribers, and resets them all when the connection is lost
/// and again when it is back. It ends with the store.
async fn listen(hub: Weak<Hub>, mut stop: watch::Receiver<bool>) {
    let Some(url) = hub.upgrade().map(|hub| hub.url.clone()) else {
        return;
    };
    let mut pause = FIRST_PAUSE;
    let mut lost = false;
    loop {
        let connected = tokio::select! {
            connected = connect(&url) => connected,
            _ = stop.changed() => return,
        };
        let mut listener = match connected {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, ?pause, "the notice listener cannot connect; trying again");
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    _ = stop.changed() => return,
                }
                pause = (pause * 2).min(LONGEST_PAUSE);
                lost = true;
                continue;
            }
        };
        pause = FIRST_PAUSE;
        {
            let Some(hub) = hub.upgrade() else { return };
            hub.live.send_replace(true);
            if lost {
                tracing::info!("the notice listener is connected again");
                hub.reset_all();
            }
        }
        loop {
            let next = tokio::select! {
                next = listener.try_recv() => next,
                _ = stop.changed() => return,
            };
            let Some(hub) = hub.upgrade() else { return };
            if let Ok(Some(notice)) = next {
                hub.heard(notice.payload());
            } else {
                tracing::warn!("the notice listener lost its connection");
                hub.live.send_replace(false);
                hub.reset_all();
                lost = true;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_PAYLOAD, NoticeError, check};

    #[test]
    fn channels_and_payloads_the_bus_cannot_carry_are_refused() {
        assert!(check("sessions", &"x".repeat(MAX_PAYLOAD)).is_ok());
        assert!(matches!(
            check("sessions", &"x".repeat(MAX_PAYLOAD + 1)),
            Err(NoticeError::TooLarge { bytes, max: MAX_PAYLOAD }) if bytes == MAX_PAYLOAD + 1
        ));
        for channel in ["", "Sessions", "two words", "a\tb", &"c".repeat(64)] {
            assert!(
                matches!(check(channel, ""), Err(NoticeError::BadChannel(_))),
                "{channel:?}"
            );
        }
        assert!(matches!(check("sessions", "a\0b"), Err(NoticeError::Nul)));
    }
}
