//! Whether the database is taking writes: a failed query (a full disk, a read-only or
//! unreachable database) is remembered for [`FAILURE_WINDOW_MS`], so `/readyz` reports it and
//! a load balancer sends players elsewhere until it passes.

use std::sync::Mutex;

/// How long a storage failure keeps the server not ready (milliseconds).
pub const FAILURE_WINDOW_MS: i64 = 30_000;

/// The latest storage failure.
#[derive(Debug, Default)]
pub struct Storage {
    last_failure: Mutex<Option<(i64, String)>>,
}

impl Storage {
    fn last(&self) -> std::sync::MutexGuard<'_, Option<(i64, String)>> {
        self.last_failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records a failure at `now` (Unix milliseconds). Returns whether storage was healthy
    /// until now, so a caller can log the change once rather than every failure.
    pub fn failed(&self, now: i64, detail: &str) -> bool {
        let mut last = self.last();
        let was_healthy = last
            .as_ref()
            .is_none_or(|(at, _)| now - at >= FAILURE_WINDOW_MS);
        *last = Some((now, detail.to_owned()));
        was_healthy
    }

    /// The failure that keeps the server not ready at `now`, if any.
    pub fn problem(&self, now: i64) -> Option<String> {
        self.last()
            .as_ref()
            .filter(|(at, _)| now - at < FAILURE_WINDOW_MS)
            .map(|(_, detail)| detail.clone())
    }
}
