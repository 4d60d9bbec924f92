//! Answers that cost much CPU and memory — a search may answer 10,000 alphagrams, several
//! megabytes of JSON; a deck's export holds every card — are made at most [`AT_ONCE`] at a
//! time (a search on the blocking threads), so the server keeps answering everyone else
//! (health checks and the database included).
//! Their bytes are counted against [`BUDGET_BYTES`] until each answer has been sent or its
//! client has gone, so clients that do not read cannot pile answers up in memory. A request
//! that cannot get its turn within [`WAIT`] is answered 503 `busy`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Heavy answers made at once.
pub const AT_ONCE: usize = 2;
/// Bytes of heavy answers held in memory at once, made or being sent.
pub const BUDGET_BYTES: usize = 32 * 1024 * 1024;
/// How long a request waits for its turn.
pub const WAIT: Duration = Duration::from_secs(10);
const UNIT: usize = 1024;
const CHUNK: usize = 64 * 1024;

/// The turns and the memory budget.
#[derive(Debug, Clone)]
pub struct Heavy {
    work: Arc<Semaphore>,
    bytes: Arc<Semaphore>,
}

impl Default for Heavy {
    fn default() -> Heavy {
        Heavy {
            work: Arc::new(Semaphore::new(AT_ONCE)),
            bytes: Arc::new(Semaphore::new(BUDGET_BYTES / UNIT)),
        }
    }
}

/// What heavy work makes: a status, a content type and the body.
pub type Made = (StatusCode, &'static str, Vec<u8>);

fn busy() -> AppError {
    AppError {
        retry_after: Some(2),
        ..AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the server is busy with other large answers (searches and deck exports), try again in 2 s",
        )
    }
}

impl Heavy {
    /// Runs `work` on a blocking thread in its turn and answers what it made, holding the
    /// answer's share of the memory budget until it is sent.
    pub async fn run<F>(&self, work: F) -> Result<Response, AppError>
    where
        F: FnOnce() -> Result<Made, AppError> + Send + 'static,
    {
        self.run_async(async move {
            tokio::task::spawn_blocking(work)
                .await
                .map_err(AppError::internal)?
        })
        .await
    }

    /// Awaits `work` (an answer read from the database, say) in its turn and answers what
    /// it made, holding the answer's share of the memory budget until it is sent.
    pub async fn run_async<W>(&self, work: W) -> Result<Response, AppError>
    where
        W: Future<Output = Result<Made, AppError>>,
    {
        let turn = tokio::time::timeout(WAIT, self.work.clone().acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(AppError::internal)?;
        let (status, content_type, bytes) = work.await?;
        drop(turn);
        let units = u32::try_from(bytes.len().div_ceil(UNIT).clamp(1, BUDGET_BYTES / UNIT))
            .unwrap_or(u32::MAX);
        let share = tokio::time::timeout(WAIT, self.bytes.clone().acquire_many_owned(units))
            .await
            .map_err(|_| busy())?
            .map_err(AppError::internal)?;
        let bytes = Bytes::from(bytes);
        let chunks: Vec<Bytes> = (0..bytes.len())
            .step_by(CHUNK)
            .map(|start| bytes.slice(start..(start + CHUNK).min(bytes.len())))
            .collect();
        // The share goes with the stream: when the last chunk is sent, or the client goes
        // away, the stream is dropped and the share returns to the budget.
        let stream = futures_util::stream::iter(chunks).map(move |chunk| {
            let _share = &share;
            Ok::<_, std::convert::Infallible>(chunk)
        });
        Ok((
            status,
            [(header::CONTENT_TYPE, content_type)],
            Body::from_stream(stream),
        )
            .into_response())
    }

    /// Turns free now (for tests and metrics).
    pub fn free_turns(&self) -> usize {
        self.work.available_permits()
    }

    /// Budget bytes free now (for tests and metrics).
    pub fn free_bytes(&self) -> usize {
        self.bytes.available_permits() * UNIT
    }
}
