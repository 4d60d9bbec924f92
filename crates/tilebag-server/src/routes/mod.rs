//! Every route: each module owns its router and this one merges them.

pub mod api;
pub mod ops;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// All routes, without middleware.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .merge(api::router())
        .merge(pages::router())
}
