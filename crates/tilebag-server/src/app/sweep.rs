//! The minute's housekeeping, so what anonymous visitors leave behind does not pile up:
//! rounds whose time ran out are ended, guests' walls are deleted a day after their last
//! move, and challenge draws of old days that nobody played are deleted (a practice visit
//! draws them again, the same), and tables where nothing happened for a while are closed.
//! Each pass touches a bounded number of rows.

use super::{App, ServiceError, challenges, walls};

/// Seconds after its last move that a guest's wall is deleted.
pub const GUEST_WALL_IDLE_SECONDS: i64 = 24 * 3600;
/// Draws nobody played are kept for this many past days.
pub const UNPLAYED_DRAW_DAYS: u64 = 8;
/// Most expired rounds one pass ends.
pub const MAX_EXPIRED: i64 = 10_000;
/// Most rows of each kind one pass deletes.
pub const MAX_PRUNED: i64 = 1_000;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Rounds ended because their time was up.
    pub rounds: usize,
    /// Guests' idle walls deleted.
    pub guest_walls: u64,
    /// Unplayed draws deleted.
    pub draws: u64,
    /// Tables closed because nothing happened at them for a while.
    pub tables: usize,
}

/// One pass.
pub async fn sweep(app: &App) -> Result<Swept, ServiceError> {
    let now = app.clock.now_s();
    // Idle walls go before expiry ends their rounds, which counts as a change to them.
    let guest_walls = app
        .store
        .prune_guest_walls(now - GUEST_WALL_IDLE_SECONDS, MAX_PRUNED)
        .await?;
    let oldest_kept = challenges::today(app) - chrono::Days::new(UNPLAYED_DRAW_DAYS);
    let draws = app
        .store
        .prune_draws(oldest_kept, now - 3600, MAX_PRUNED)
        .await?;
    let rounds = walls::expire_all(app, MAX_EXPIRED).await?;
    let now_ms = app.clock.now_ms();
    let idle_since = now_ms.saturating_sub(app.rules.table_idle_ms);
    let closed = app
        .store
        .close_idle_tables(idle_since, idle_since, now_ms)
        .await?;
    for &table in &closed {
        // No one may be listening (no server, or no connection): nothing to do then.
        let _ = app.closed_tables.send(table);
    }
    Ok(Swept {
        rounds,
        guest_walls,
        draws,
        tables: closed.len(),
    })
}
