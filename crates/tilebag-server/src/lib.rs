//! tilebag's web server: pages, the JSON API, accounts, health and metrics.
//!
//! [`app`] builds the router from an [`AppState`]; [`serve`] runs it on a listener until a
//! shutdown signal, then lets in-flight requests finish (bounded by the shutdown timeout).

#![deny(missing_docs)]

pub mod app;
pub mod auth;
pub mod charts;
pub mod client;
pub mod config;
pub mod connections;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod heavy;
pub mod limits;
pub mod metrics;
pub mod password;
pub mod player;
pub mod ready_made;
pub mod routes;
pub mod search_form;
pub mod session_cache;
pub mod settings;
pub mod state;
pub mod tables;
pub mod tls;
pub mod tools;
pub mod views;
pub mod wall_view;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use tokio::net::TcpListener;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::{
    Config, ConnectionArgs, DatabaseArgs, LogFormat, MigrateMode, PoolArgs, ServeArgs,
};
pub use connections::ConnectionLimits;
pub use state::{AppState, Lexicons};

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The Content-Security-Policy of every response: scripts, styles and connections from this
/// server only, nothing inline, and no framing by any site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Headers every response carries unless its handler set them.
fn security_headers() -> [(HeaderName, &'static str); 5] {
    use axum::http::header;
    [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    ]
}

/// The whole application: routes plus middleware.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let router =
        routes::router()
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                csrf::guard,
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
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                routes::pages::error_pages,
            ))
            // Level 1 of zstd (preferred when the client takes it) or gzip: measured by
            // `benches/compression.rs`, the least CPU per byte saved; brotli's low levels
            // save less for more.
            .layer(
                CompressionLayer::new()
                    .no_br()
                    .quality(CompressionLevel::Precise(1)),
            )
            .layer(PropagateRequestIdLayer::new(request_id.clone()))
            // Server errors log themselves with their detail (`internal error`, `storage
            // failure`); a 503 `busy` under a flood is not an error worth a line each.
            .layer(TraceLayer::new_for_http().on_failure(
                tower_http::trace::DefaultOnFailure::new().level(tracing::Level::DEBUG),
            ))
            .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid));
    with_security_headers(router).with_state(state)
}

/// Adds the [`security_headers`] to every response of `router` that has not set them.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(mut router: Router<S>) -> Router<S> {
    for (name, value) in security_headers() {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// Serves the app on `listener` until `shutdown` completes. Then `/readyz` answers 503, the
/// listener closes, and in-flight requests get up to the configured shutdown timeout to finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(state.clone());
    let limits = state.config.connections;
    run(&state, shutdown, |stop| {
        connections::serve(
            listener,
            connections::Transport::Plain,
            app,
            limits,
            limits.slots(),
            stopped(stop),
        )
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
    let redirect = with_security_headers(tls::redirect::app(
        runtime.challenges.clone(),
        https.local_addr()?.port(),
        tls.public_hosts.clone(),
        runtime.certificates.clone(),
    ));
    let acceptor = tls::acceptor(runtime.certificates.clone())?;
    let limits = state.config.connections;
    // One set of slots for both listeners: together they stay within the open-file limit.
    let slots = limits.slots();
    run(&state, shutdown, |stop| async move {
        let (a, b) = tokio::join!(
            connections::serve(
                https,
                connections::Transport::Tls(acceptor),
                secure,
                limits,
                slots.clone(),
                stopped(stop.clone()),
            ),
            connections::serve(
                http,
                connections::Transport::Plain,
                redirect,
                limits,
                slots,
                stopped(stop),
            ),
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
    let _closing = AbortOnDrop(tables::close_when_closed(state.clone()));
    let (stop, receiver) = tokio::sync::watch::channel(false);
    let servers = servers(receiver);
    tokio::pin!(servers);
    tokio::select! {
        result = &mut servers => return result,
        () = shutdown => {}
    }
    state.start_draining();
    tracing::info!("shutting down: finishing in-flight requests");
    // Table sockets are told to reconnect (to another replica, or to this one restarted).
    state.tables.close_all().await;
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
