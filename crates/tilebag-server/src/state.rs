//! The one state every handler shares: storage, lexicons, settings, counters.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tilebag_lexicon::Lexicon;
use tilebag_store::Store;

use crate::auth::LoginLimiter;
use crate::config::Config;
use crate::metrics::Metrics;

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
    pub fn pick(&self, name: Option<&str>) -> Result<&Lexicon, crate::error::AppError> {
        match name.filter(|n| !n.is_empty()) {
            Some(name) => self.get(name).ok_or_else(|| {
                crate::error::AppError::not_found(format!(
                    "no lexicon is named `{name}`; the lexicons are {}",
                    self.names().join(", ")
                ))
            }),
            None => self
                .list
                .first()
                .ok_or_else(|| crate::error::AppError::internal("no lexicons loaded")),
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
    /// The database.
    pub store: Store,
    /// The lexicons.
    pub lexicons: Lexicons,
    /// Settings.
    pub config: Config,
    /// Request counters and timings.
    pub metrics: Metrics,
    /// Failed-login counters.
    pub limiter: LoginLimiter,
    /// The HTTPS certificate served, if any.
    pub certificates: std::sync::Arc<crate::tls::Certificates>,
    draining: AtomicBool,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// State for a server.
    #[must_use]
    pub fn new(store: Store, lexicons: Lexicons, config: Config) -> AppState {
        let limiter = LoginLimiter::new(config.login_limit);
        AppState(Arc::new(Inner {
            store,
            lexicons,
            config,
            metrics: Metrics::default(),
            limiter,
            certificates: std::sync::Arc::default(),
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
