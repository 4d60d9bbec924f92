//! Sessions looked up lately, kept in the process for a short time so that a request with a
//! session cookie usually needs no database read to know its player.
//!
//! An entry is the session and its player's account, keyed by the token's SHA-256 (never by
//! the token), honoured until the cache's time to live is up or the session expires, by the
//! server's clock, whichever comes first. The store announces every ended session and every
//! change to an account on the notice bus, inside the change's transaction, and the cache
//! applies what it heard before answering any lookup:
//!
//! - on the server that made the change, the entry is gone before that request is answered;
//! - on other servers (PostgreSQL), it is gone as soon as PostgreSQL hands them the notice,
//!   which it sends at the commit;
//! - a reset of the bus (a lost listening connection, or this cache falling more than the
//!   bus's queue behind) empties the cache, and while the listening connection is down
//!   nothing is kept.
//!
//! A lookup that misses and reads the database keeps its answer only if no notice arrived
//! meanwhile, so an answer read just before a change cannot outlive it. At most
//! `entries` are kept; past that the oldest goes first.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tilebag_store::{Notice, Session, SessionNotice, Subscription, User};

/// How long and how many sessions are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCacheSettings {
    /// How long an entry is honoured at most (zero: nothing is kept).
    pub ttl: Duration,
    /// Most entries kept (zero: nothing is kept).
    pub entries: usize,
}

impl Default for SessionCacheSettings {
    /// 30 seconds, 10,000 sessions.
    fn default() -> SessionCacheSettings {
        SessionCacheSettings {
            ttl: Duration::from_secs(30),
            entries: 10_000,
        }
    }
}

/// The cache; see the module's documentation.
#[derive(Debug)]
pub struct SessionCache {
    settings: SessionCacheSettings,
    kept: Mutex<Kept>,
    hits: AtomicU64,
    misses: AtomicU64,
    resets: AtomicU64,
}

#[derive(Debug)]
struct Kept {
    entries: HashMap<String, Entry>,
    /// Keys in the order they went in, each with its entry's number (records of entries
    /// gone since are skipped).
    order: VecDeque<(String, u64)>,
    numbered: u64,
    /// Notices applied so far.
    applied: u64,
    notices: Option<Subscription>,
}

#[derive(Debug)]
struct Entry {
    session: Session,
    user: User,
    /// Unix milliseconds from which it is no longer honoured.
    until_ms: i64,
    number: u64,
}

/// A lookup that missed, to be answered from the database and then [`SessionCache::keep`]t.
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Miss {
    applied: u64,
}

/// What the cache knows of a token hash.
#[derive(Debug)]
pub enum Lookup {
    /// The live session and its player.
    Hit(Session, User),
    /// Ask the database.
    Miss(Miss),
}

impl SessionCache {
    /// An empty cache that forgets what `notices` (the store's sessions channel) announces;
    /// without them it keeps nothing.
    #[must_use]
    pub fn new(settings: SessionCacheSettings, notices: Option<Subscription>) -> SessionCache {
        SessionCache {
            settings,
            kept: Mutex::new(Kept {
                entries: HashMap::new(),
                order: VecDeque::new(),
                numbered: 0,
                applied: 0,
                notices,
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            resets: AtomicU64::new(0),
        }
    }

    fn enabled(&self) -> bool {
        !self.settings.ttl.is_zero() && self.settings.entries > 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while let Some(notice) = kept.notices.as_mut().and_then(Subscription::try_recv) {
            if kept.apply(notice) {
                self.resets.fetch_add(1, Ordering::Relaxed);
            }
        }
        kept
    }

    /// The session with this token hash, if it is kept and honoured at `now_ms`.
    pub fn get(&self, token_hash: &str, now_ms: i64) -> Lookup {
        if !self.enabled() {
            return Lookup::Miss(Miss { applied: 0 });
        }
        let mut kept = self.lock();
        match kept.entries.get(token_hash) {
            Some(entry) if now_ms < entry.until_ms => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Lookup::Hit(entry.session.clone(), entry.user.clone())
            }
            found => {
                if found.is_some() {
                    kept.entries.remove(token_hash);
                }
                self.misses.fetch_add(1, Ordering::Relaxed);
                Lookup::Miss(Miss {
                    applied: kept.applied,
                })
            }
        }
    }

    /// Keeps what the database answered after `miss`, read at `now_ms`, unless a notice came
    /// in the meantime or the bus does not hear other servers now (`live`).
    pub fn keep(
        &self,
        miss: Miss,
        token_hash: &str,
        found: &(Session, User),
        now_ms: i64,
        live: bool,
    ) {
        if !self.enabled() || !live {
            return;
        }
        let ttl_ms = i64::try_from(self.settings.ttl.as_millis()).unwrap_or(i64::MAX);
        let until_ms = now_ms
            .saturating_add(ttl_ms)
            .min(found.0.expires_at.saturating_mul(1000));
        let mut kept = self.lock();
        if kept.notices.is_none() || kept.applied != miss.applied || until_ms <= now_ms {
            return;
        }
        kept.make_room(self.settings.entries);
        kept.numbered += 1;
        let number = kept.numbered;
        kept.order.push_back((token_hash.to_owned(), number));
        kept.entries.insert(
            token_hash.to_owned(),
            Entry {
                session: found.0.clone(),
                user: found.1.clone(),
                until_ms,
                number,
            },
        );
    }

    /// Lookups answered from the cache, lookups that were not, entries kept now, and
    /// times the cache was emptied by a reset of the bus.
    pub fn counts(&self) -> (u64, u64, usize, u64) {
        let entries = self.lock().entries.len();
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            entries,
            self.resets.load(Ordering::Relaxed),
        )
    }
}

impl Kept {
    /// Forgets what `notice` says may have changed; true when it was a reset.
    fn apply(&mut self, notice: Notice) -> bool {
        self.applied += 1;
        let reset = match notice {
            Notice::Message(payload) => match SessionNotice::parse(&payload) {
                Some(SessionNotice::Ended(hash)) => {
                    self.entries.remove(&hash);
                    return false;
                }
                Some(SessionNotice::User(id)) => {
                    self.entries.retain(|_, entry| entry.user.id != id);
                    return false;
                }
                None => {
                    tracing::warn!(%payload, "a sessions notice of unknown form: the session cache is emptied");
                    false
                }
            },
            Notice::Reset => true,
        };
        self.entries.clear();
        self.order.clear();
        reset
    }

    /// Drops the oldest entries until there is room for one more, and the records of
    /// entries gone when they outnumber the entries.
    fn make_room(&mut self, capacity: usize) {
        while self.entries.len() >= capacity {
            let Some((key, number)) = self.order.pop_front() else {
                break;
            };
            if self.entries.get(&key).is_some_and(|e| e.number == number) {
                self.entries.remove(&key);
            }
        }
        if self.order.len() > 2 * capacity {
            let entries = &self.entries;
            self.order
                .retain(|(key, number)| entries.get(key).is_some_and(|e| e.number == *number));
        }
    }
}

#[cfg(test)]
#[path = "session_cache_tests.rs"]
mod tests;
