//! Health, readiness and metrics, for load balancers, orchestrators and monitoring.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::metrics::{gauge, resident_bytes};
use crate::state::AppState;

/// `GET /healthz`: the process is alive.
pub async fn healthz() -> &'static str {
    "ok\n"
}

#[derive(Debug, Serialize)]
struct Readiness {
    ready: bool,
    reasons: Vec<String>,
    warnings: Vec<String>,
    schema: Option<String>,
}

/// `GET /readyz`: 200 when the database answers, its schema suits this binary, lexicons
/// are loaded and no shutdown has begun; otherwise 503 with the reasons.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let mut reasons = Vec::new();
    let mut warnings = Vec::new();
    let mut schema = None;
    if state.is_draining() {
        reasons.push("shutting down".to_owned());
    }
    match state.app.store.schema_status().await {
        Ok(status) => {
            if !status.is_compatible() {
                reasons.push(status.to_string());
            } else if matches!(status, tilebag_store::SchemaStatus::Ahead { .. }) {
                warnings.push(status.to_string());
            }
            schema = Some(status.to_string());
        }
        Err(error) => reasons.push(format!("database unreachable: {error}")),
    }
    if let Some(failure) = state.app.storage.problem(state.app.clock.now_ms()) {
        reasons.push(format!("storage is failing: {failure}"));
    }
    if state.app.lexicons.all().is_empty() {
        reasons.push("no lexicons loaded".to_owned());
    }
    if let Ok((pending, Some(overdue))) =
        crate::app::jobs::lateness(&state.app, state.app.clock.now()).await
        && overdue > chrono::Duration::hours(26)
    {
        warnings.push(format!(
            "the daily job is {} hours behind: {pending} past day(s) without medals; see /admin",
            overdue.num_hours()
        ));
    }
    if let Some(certificate) = state.certificates.current() {
        let days = (certificate.not_after - state.app.clock.now_s()) / 86_400;
        if days < 14 {
            warnings.push(format!("the HTTPS certificate expires in {days} days"));
        }
    }
    let ready = reasons.is_empty();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            ready,
            reasons,
            warnings,
            schema,
        }),
    )
        .into_response()
}

/// `GET /metrics`: Prometheus text format; with `--metrics-token`, only for
/// `Authorization: Bearer TOKEN`.
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(token) = &state.config.metrics_token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !token.matches(sent) {
            let mut refused = crate::error::AppError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "metrics need the bearer token set with --metrics-token",
            )
            .into_response();
            refused.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"metrics\""),
            );
            return refused;
        }
    }
    let mut out = state.metrics.render_requests();
    if let Ok(sessions) = state
        .app
        .store
        .active_sessions(state.app.clock.now_s())
        .await
    {
        gauge(
            &mut out,
            "tilebag_active_sessions",
            "Sessions that have not expired.",
            sessions as f64,
        );
    }
    crate::metrics::render_sessions(&mut out, &state);
    let pool = state.app.store.pool_state();
    gauge(
        &mut out,
        "tilebag_db_pool_connections",
        "Open database connections.",
        f64::from(pool.size),
    );
    gauge(
        &mut out,
        "tilebag_db_pool_idle_connections",
        "Open database connections not in use.",
        pool.idle as f64,
    );
    gauge(
        &mut out,
        "tilebag_lexicon_load_seconds",
        "Time it took to load the lexicons.",
        state.app.lexicons.load_seconds,
    );
    gauge(
        &mut out,
        "tilebag_lexicons",
        "Lexicons loaded.",
        state.app.lexicons.all().len() as f64,
    );
    if let Ok(Some(at)) = state.app.store.last_success(crate::app::jobs::DAILY).await {
        gauge(
            &mut out,
            "tilebag_daily_job_last_success_timestamp_seconds",
            "When the daily job last succeeded.",
            at as f64,
        );
    }
    if let Ok((pending, _)) = crate::app::jobs::lateness(&state.app, state.app.clock.now()).await {
        gauge(
            &mut out,
            "tilebag_daily_job_unprocessed_days",
            "Past challenge days the daily job has not processed.",
            pending as f64,
        );
    }
    if let Some(certificate) = state.certificates.current() {
        let help = "When the HTTPS certificate served expires (Unix seconds).";
        gauge(
            &mut out,
            "tilebag_tls_certificate_expiry_seconds",
            help,
            certificate.not_after as f64,
        );
    }
    state.tables.render(&mut out);
    if let Some(bytes) = resident_bytes() {
        gauge(
            &mut out,
            "tilebag_resident_memory_bytes",
            "Resident memory of the server process.",
            bytes,
        );
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
