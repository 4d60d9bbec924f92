//! SQLite's write-ahead log is copied back into the database file by a task of its own, once
//! a second, rather than by whichever commit happened to fill it: a checkpoint takes
//! milliseconds, and the grade or guess whose commit made one waited for it (the slowest
//! answers under load were these). Connections are set not to checkpoint on commit; the last
//! connection to close still checkpoints, as SQLite always does. A passive checkpoint never
//! waits for writers or readers, so the log stays as small as the readers allow.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::AnyPool;

/// How often the log is checkpointed.
pub const EVERY: Duration = Duration::from_secs(1);

/// Checkpoints made so far, for tests and metrics.
#[derive(Clone, Debug, Default)]
pub(crate) struct Checkpoints(Arc<AtomicU64>);

impl Checkpoints {
    pub(crate) fn made(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Starts checkpointing the database of `pool` every [`EVERY`]; the task ends when the pool
/// is closed or the store (every holder of the returned count) is gone.
pub(crate) fn start(pool: AnyPool) -> Checkpoints {
    let made = Checkpoints::default();
    let counter = made.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() || Arc::strong_count(&counter.0) == 1 {
                break;
            }
            match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(&pool)
                .await
            {
                Ok(_) => {
                    counter.0.fetch_add(1, Ordering::Relaxed);
                }
                Err(_) if pool.is_closed() => break,
                // The next tick tries again; the log waits for it meanwhile.
                Err(error) => tracing::warn!(%error, "checkpointing the SQLite log failed"),
            }
        }
    });
    made
}
