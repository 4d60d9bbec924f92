//! tilebag's web server: pages, the JSON API, accounts, health and metrics.
//!
//! [`app`] builds the router from an [`AppState`]; [`serve`] runs it on a listener until a
//! shutdown signal, then lets in-flight requests finish (bounded by the shutdown timeout).

#![deny(missing_docs)]

pub mod app;
pub mod auth;
pub mod client;
pub mod config;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod player;
pub mod routes;
pub mod search_form;
pub mod settings;
pub mod state;
pub mod tls;
pub mod tools;
pub mod views;
pub mod wall_view;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, StatusCode};
use tokio::net::TcpListener;
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
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client::secure_cookies,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.config.request_timeout,
        ))
        .layer(axum::middleware::from_fn(error::json_errors))
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
    // Small responses go out at once: without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK add 40 ms to replies written in two parts.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app = app(state.clone());
    run(&state, shutdown, |stop| async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopped(stop))
        .await
    })
    .await
}

/// Serves the app over HTTPS on `https`, and redirects (and ACME challenges) on `http`,
/// with certificates from `tls`; shuts down as [`serve`] does.
pub async fn serve_https(
    https: TcpListener,
    http: TcpListener,
    state: AppState,
    tls: &tls::TlsSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (runtime, task) = tls::start(tls, state.certificates.clone(), state.app.clock.clone())
        .map_err(std::io::Error::other)?;
    let _certificates = AbortOnDrop(task);
    let hsts = axum::http::HeaderValue::from_str(&tls.hsts()).map_err(std::io::Error::other)?;
    let secure = app(state.clone()).layer(
        tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            hsts,
        ),
    );
    let redirect = tls::redirect::app(runtime.challenges.clone(), https.local_addr()?.port());
    let certificates = runtime.certificates.clone();
    run(&state, shutdown, |stop| async move {
        let (a, b) = tokio::join!(
            tls::serve_tls(https, certificates, secure, stopped(stop.clone())),
            tls::serve_plain(http, redirect, stopped(stop)),
        );
        a.and(b)
    })
    .await
}

/// Resolves once the shutdown flag is raised.
async fn stopped(mut stop: tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// Runs the servers with the background tasks until `shutdown`; then turns readiness off,
/// tells the servers to stop accepting, and waits for them up to the shutdown timeout.
async fn run<F, S>(
    state: &AppState,
    shutdown: impl Future<Output = ()>,
    servers: F,
) -> std::io::Result<()>
where
    F: FnOnce(tokio::sync::watch::Receiver<bool>) -> S,
    S: Future<Output = std::io::Result<()>>,
{
    // Wall clocks: credit downtime to running rounds, then beat while serving.
    let _heartbeat = match app::walls::keep_time(&state.app).await {
        Ok(task) => Some(AbortOnDrop(task)),
        Err(error) => {
            tracing::warn!(%error, "cannot keep wall time yet (is the schema behind?)");
            None
        }
    };
    let _daily = state
        .config
        .run_daily_job
        .then(|| AbortOnDrop(app::jobs::scheduler(state.app.clone())));
    let (stop, receiver) = tokio::sync::watch::channel(false);
    let servers = servers(receiver);
    tokio::pin!(servers);
    tokio::select! {
        result = &mut servers => return result,
        () = shutdown => {}
    }
    state.start_draining();
    tracing::info!("shutting down: finishing in-flight requests");
    let _ = stop.send(true);
    let timeout = state.config.shutdown_timeout;
    if let Ok(result) = tokio::time::timeout(timeout, servers).await {
        result
    } else {
        tracing::warn!(
            seconds = timeout.as_secs(),
            "in-flight requests did not finish in time; stopping anyway"
        );
        Ok(())
    }
}

/// Stops a background task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
