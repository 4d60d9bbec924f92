//! Keeping rounds' time honest across restarts: a heartbeat while the server runs, and the
//! time no server was up given back to running rounds at start-up.

use super::{App, ServiceError};

/// How often a running server writes its heartbeat (milliseconds).
pub const BEAT_MS: i64 = 1_000;

/// Gives running rounds back the time no server was up: called at start-up with the last
/// heartbeat any server wrote. A gap of more than two beats means every server was down
/// for all of it; less is a server starting beside another.
pub async fn credit_downtime(
    app: &App,
    last_heartbeat: Option<i64>,
    now_ms: i64,
) -> Result<u64, ServiceError> {
    let Some(last) = last_heartbeat else {
        return Ok(0);
    };
    let down = now_ms - last;
    if down <= 2 * BEAT_MS {
        return Ok(0);
    }
    Ok(app.store.extend_running_walls(down).await?)
}

/// At start-up: gives running rounds back the time no server was up, then writes a
/// heartbeat every beat for as long as the returned task runs.
pub async fn keep_time(app: &App) -> Result<tokio::task::JoinHandle<()>, ServiceError> {
    let now = app.clock.now_ms();
    let last = app.store.heartbeat(now).await?;
    let credited = credit_downtime(app, last, now).await?;
    if credited > 0 {
        tracing::info!(
            rounds = credited,
            "gave running rounds back the time the server was down"
        );
    }
    let app = app.clone();
    Ok(tokio::spawn(async move {
        let beat = std::time::Duration::from_millis(BEAT_MS.unsigned_abs());
        let mut tick = tokio::time::interval(beat);
        loop {
            tick.tick().await;
            let now = app.clock.now_ms();
            if let Err(error) = app.store.heartbeat(now).await
                && app.storage.failed(now, &error.to_string())
            {
                tracing::error!(%error, "storage is failing: could not write the heartbeat");
            }
        }
    }))
}
