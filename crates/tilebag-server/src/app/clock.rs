//! The one clock. Every service takes its time from here, and the store is given
//! timestamps, so tests move through days and months by setting a clock, not by sleeping.
//! (Durations measured for metrics use `Instant`; they say how long, never what time.)

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

/// The time, from the system or set by a test. Cheap to clone; clones share one time.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    /// Unix milliseconds, moved only by [`Clock::set`] and [`Clock::advance`].
    Manual(AtomicI64),
}

impl Clock {
    /// The system's clock, for production.
    #[must_use]
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock standing at `start` until it is set or advanced.
    #[must_use]
    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Source::Manual(AtomicI64::new(
            start.timestamp_millis(),
        ))))
    }

    /// Now, in Unix milliseconds.
    #[must_use]
    pub fn now_ms(&self) -> i64 {
        match &*self.0 {
            Source::System => Utc::now().timestamp_millis(),
            Source::Manual(ms) => ms.load(Ordering::SeqCst),
        }
    }

    /// Now, in Unix seconds (the unit of stored times).
    #[must_use]
    pub fn now_s(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Now.
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default()
    }

    /// Sets a manual clock; returns false (and changes nothing) on the system clock.
    pub fn set(&self, at: DateTime<Utc>) -> bool {
        match &*self.0 {
            Source::System => false,
            Source::Manual(ms) => {
                ms.store(at.timestamp_millis(), Ordering::SeqCst);
                true
            }
        }
    }

    /// Moves a manual clock on; returns false (and changes nothing) on the system clock.
    pub fn advance(&self, by: std::time::Duration) -> bool {
        match &*self.0 {
            Source::System => false,
            Source::Manual(ms) => {
                let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
                ms.fetch_add(by, Ordering::SeqCst);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_moved() {
        let start = DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        assert!(clock.advance(std::time::Duration::from_millis(1500)));
        assert_eq!(clock.now_ms(), 1_800_000_001_500);
        assert_eq!(clock.now_s(), 1_800_000_001);
        let shared = clock.clone();
        assert!(shared.set(start));
        assert_eq!(clock.now(), start);
        assert!(!Clock::system().set(start));
    }
}
