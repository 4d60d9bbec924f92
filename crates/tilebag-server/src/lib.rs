//! tilebag's web server: pages, the JSON API, accounts, health and metrics.
//!
//! [`app`] builds the router from an [`AppState`]; [`serve`] runs it on a listener until a
//! shutdown signal, then lets in-flight requests finish (bounded by the shutdown timeout).

#![deny(missing_docs)]

pub mod auth;
pub mod challenges;
pub mod config;
pub mod error;
pub mod jobs;
pub mod metrics;
pub mod player;
pub mod routes;
pub mod search_form;
pub mod settings;
pub mod state;
pub mod tools;
pub mod views;
pub mod walls;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::{Config, DatabaseArgs, LogFormat, MigrateMode, ServeArgs};
pub use state::{AppState, Lexicons};

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The whole application: routes plus middleware.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    routes::router()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::same_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.config.request_timeout,
        ))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Serves the app on `listener` until `shutdown` completes. Then `/readyz` answers 503, the
/// listener closes, and in-flight requests get up to the configured shutdown timeout to finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let draining = Arc::new(Notify::new());
    let signal = {
        let (state, draining) = (state.clone(), draining.clone());
        async move {
            shutdown.await;
            state.start_draining();
            tracing::info!("shutting down: finishing in-flight requests");
            draining.notify_one();
        }
    };
    let timeout = state.config.shutdown_timeout;
    // Wall clocks: credit downtime to running rounds, then beat while serving.
    let _heartbeat = match walls::keep_time(&state).await {
        Ok(task) => Some(AbortOnDrop(task)),
        Err(error) => {
            tracing::warn!(%error, "cannot keep wall time yet (is the schema behind?)");
            None
        }
    };
    // Small responses go out at once: without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK add 40 ms to replies written in two parts.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let _daily = state
        .config
        .run_daily_job
        .then(|| AbortOnDrop(jobs::scheduler(state.clone())));
    let server = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signal);
    tokio::select! {
        result = server => result,
        () = async { draining.notified().await; tokio::time::sleep(timeout).await } => {
            tracing::warn!(seconds = timeout.as_secs(), "in-flight requests did not finish in time; stopping anyway");
            Ok(())
        }
    }
}

/// Stops a background task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
