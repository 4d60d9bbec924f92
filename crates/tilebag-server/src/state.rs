//! The one state every handler shares: storage, lexicons, settings, counters.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tilebag_lexicon::Lexicon;
use tilebag_store::Store;

use crate::app::{App, Clock, Rules, ServiceError};
use crate::config::Config;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::password::PasswordPool;

/// The lexicons the server offers, the default (bundled) one first.
#[derive(Debug)]
pub struct Lexicons {
    list: Vec<Lexicon>,
    /// Seconds it took to load them, for `/metrics`.
    pub load_seconds: f64,
}

impl Lexicons {
    /// Wraps loaded lexicons; the first is the default.
    #[must_use]
    pub fn new(list: Vec<Lexicon>, load_seconds: f64) -> Lexicons {
        Lexicons { list, load_seconds }
    }

    /// A lexicon by name, in any case.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Lexicon> {
        self.list
            .iter()
            .find(|l| l.name().eq_ignore_ascii_case(name))
    }

    /// The named lexicon, or the default when no name is given.
    pub fn pick(&self, name: Option<&str>) -> Result<&Lexicon, ServiceError> {
        match name.filter(|n| !n.is_empty()) {
            Some(name) => self.get(name).ok_or_else(|| {
                ServiceError::not_found(format!(
                    "no lexicon is named “{name}”; the lexicons are {}",
                    self.names().join(", ")
                ))
            }),
            None => self
                .list
                .first()
                .ok_or_else(|| ServiceError::Document("no lexicons are loaded".into())),
        }
    }

    /// Every lexicon.
    #[must_use]
    pub fn all(&self) -> &[Lexicon] {
        &self.list
    }

    /// Their names.
    #[must_use]
    pub fn names(&self) -> Vec<&str> {
        self.list.iter().map(Lexicon::name).collect()
    }
}

/// Shared state, cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

/// What [`AppState`] holds.
#[derive(Debug)]
pub struct Inner {
    /// The services, with the store, the lexicons and the clock.
    pub app: App,
    /// Settings.
    pub config: Config,
    /// Request counters and timings.
    pub metrics: Metrics,
    /// Rate limits: failed logins, registrations, guests' walls.
    pub limits: Limits,
    /// The threads that hash and check passwords, each with its own fixed memory.
    pub passwords: PasswordPool,
    /// Turns and memory for large answers.
    pub heavy: crate::heavy::Heavy,
    /// Sessions looked up lately.
    pub sessions: crate::session_cache::SessionCache,
    /// The HTTPS certificate served, if any.
    pub certificates: std::sync::Arc<crate::tls::Certificates>,
    /// The multiplayer tables played in this process.
    pub tables: Arc<crate::tables::Hub>,
    draining: AtomicBool,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// State for a server, on the system clock.
    #[must_use]
    pub fn new(store: Store, lexicons: Lexicons, config: Config) -> AppState {
        AppState::with_clock(store, lexicons, config, Clock::system())
    }

    /// State for a server whose time comes from `clock`.
    #[must_use]
    pub fn with_clock(store: Store, lexicons: Lexicons, config: Config, clock: Clock) -> AppState {
        let limits = Limits::new(
            config.login_limit,
            config.registration_limit,
            config.guest_limit,
        );
        let passwords = PasswordPool::start(config.hashing_workers, config.hashing_queue);
        let rules = Rules {
            max_saved_alphagrams: config.max_saved_alphagrams,
            max_cards: config.max_cards,
            challenge_zone: config.challenge_zone,
            medal_min_entries: config.medal_min_entries,
            guest_max_questions: config.guest_limit.max_questions,
            table_idle_ms: config.table_idle_minutes.saturating_mul(60_000),
        };
        let notices = match store.subscribe(tilebag_store::SESSIONS_CHANNEL) {
            Ok(notices) => Some(notices),
            Err(error) => {
                tracing::warn!(%error, "no session notices: sessions are not cached");
                None
            }
        };
        let sessions = crate::session_cache::SessionCache::new(config.session_cache, notices);
        let app = App {
            store,
            lexicons: Arc::new(lexicons),
            clock,
            rules: Arc::new(rules),
            storage: Arc::default(),
            fitting: Arc::new(tokio::sync::Semaphore::new(1)),
            closed_tables: tokio::sync::broadcast::channel(64).0,
        };
        AppState(Arc::new(Inner {
            app,
            config,
            metrics: Metrics::default(),
            limits,
            passwords,
            heavy: crate::heavy::Heavy::default(),
            sessions,
            certificates: std::sync::Arc::default(),
            tables: Arc::default(),
            draining: AtomicBool::new(false),
        }))
    }

    /// Marks the server as shutting down: `/readyz` answers 503 from now on.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Whether a shutdown has begun.
    #[must_use]
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}
