//! Prometheus metrics: request counts and latency by route, plus gauges read at scrape time.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Debug, Default)]
struct Route {
    /// Requests by status code.
    by_status: BTreeMap<u16, u64>,
    /// Cumulative counts per bucket, then the sum of seconds.
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Request counters and latency histograms, keyed by method and route pattern (never by
/// raw path, so the number of series stays fixed).
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<(String, String), Route>>,
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut routes = self
            .routes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = routes
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        *entry.by_status.entry(status).or_default() += 1;
        for (bucket, bound) in entry.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        entry.count += 1;
        entry.sum += seconds;
    }

    /// The request series in Prometheus text format.
    #[must_use]
    pub fn render_requests(&self) -> String {
        let routes = self
            .routes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut out = String::new();
        out.push_str(
            "# HELP tilebag_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE tilebag_http_requests_total counter\n");
        for ((method, route), data) in routes.iter() {
            for (status, count) in &data.by_status {
                let _ = writeln!(
                    out,
                    "tilebag_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {count}"
                );
            }
        }
        out.push_str("# HELP tilebag_http_request_duration_seconds Time to answer HTTP requests, by route.\n");
        out.push_str("# TYPE tilebag_http_request_duration_seconds histogram\n");
        for ((method, route), data) in routes.iter() {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (bound, count) in BUCKETS.iter().zip(data.buckets) {
                let _ = writeln!(
                    out,
                    "tilebag_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "tilebag_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                data.count
            );
            let _ = writeln!(
                out,
                "tilebag_http_request_duration_seconds_sum{{{labels}}} {}",
                data.sum
            );
            let _ = writeln!(
                out,
                "tilebag_http_request_duration_seconds_count{{{labels}}} {}",
                data.count
            );
        }
        out
    }
}

/// Middleware: times every request and counts it under its route pattern.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    if let Some(crate::error::StorageFailure(detail)) = response.extensions().get()
        && state.app.storage.failed(state.app.clock.now_ms(), detail)
    {
        tracing::error!(%detail, "storage is failing: /readyz reports not ready");
    }
    state.metrics.record(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// Appends a gauge in Prometheus text format.
pub fn gauge(out: &mut String, name: &str, help: &str, value: f64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
    );
}

/// Appends a counter in Prometheus text format.
pub fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
    );
}

/// The session cache's and the notice bus's series.
pub fn render_sessions(out: &mut String, state: &AppState) {
    let (hits, misses, entries, resets) = state.sessions.counts();
    let help = "Session lookups answered from the session cache.";
    counter(out, "tilebag_session_cache_hits_total", help, hits);
    let help = "Session lookups the session cache could not answer (the database was asked).";
    counter(out, "tilebag_session_cache_misses_total", help, misses);
    let help = "Sessions kept in the session cache.";
    gauge(out, "tilebag_session_cache_entries", help, entries as f64);
    let help = "Times the session cache was emptied because notices may have been missed.";
    counter(out, "tilebag_session_cache_resets_total", help, resets);
    let store = &state.app.store;
    let help =
        "Times the notice bus's listening connection was lost or came back (subscribers reset).";
    counter(
        out,
        "tilebag_notice_bus_resets_total",
        help,
        store.notice_resets(),
    );
    let help = "1 while notices from other servers are heard.";
    gauge(
        out,
        "tilebag_notice_bus_live",
        help,
        f64::from(u8::from(store.notices_live())),
    );
}

/// Resident memory of this process in bytes (Linux), for the RSS gauge.
#[must_use]
pub fn resident_bytes() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0)
}
