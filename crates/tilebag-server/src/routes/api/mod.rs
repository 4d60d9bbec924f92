//! The JSON API under `/api/v1`, described by an OpenAPI document at `/api/v1/openapi.json`.
//!
//! Each module owns its router, an `OpenApiRouter` whose routes are registered with
//! `utoipa_axum::routes!`: one call adds a handler to the router and its `#[utoipa::path]` to
//! the document. `tests/openapi.rs` walks the real router and fails on any `/api/` route that
//! the document lacks, so a route added the plain-axum way (`.route(...)`) is caught.

pub mod account;
pub mod cards;
pub mod challenges;
pub mod deck_files;
pub mod decks;
pub mod doc;
pub mod lists;
pub mod review;
pub mod review_stats;
pub mod tables;
pub mod walls;
pub mod words;

use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::state::AppState;

/// The finished OpenAPI document, as served.
#[derive(Debug, Clone)]
pub struct Document(pub Arc<serde_json::Value>);

/// This document: every operation of the API.
#[utoipa::path(get, path = "/api/v1/openapi.json", responses((status = 200, description = "an OpenAPI 3.1 document")))]
pub async fn openapi(Extension(Document(document)): Extension<Document>) -> Response {
    Json(document.as_ref()).into_response()
}

async fn unknown() -> AppError {
    AppError::not_found("no such API endpoint; see /api/v1/openapi.json")
}

/// The API's routes with their document, before it is finished.
pub fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(doc::ApiDoc::openapi())
        .routes(routes!(openapi))
        .merge(words::router())
        .merge(account::router())
        .merge(walls::router())
        .merge(lists::router())
        .merge(challenges::router())
        .merge(decks::router())
        .merge(cards::router())
        .merge(review::router())
        .merge(deck_files::router())
        .merge(review_stats::router())
        .merge(tables::router())
}

/// The finished document.
pub fn document() -> serde_json::Value {
    doc::finish(documented().get_openapi())
}

/// The API's routes, serving their document; any other `/api/v1/` path is a JSON 404.
pub fn router() -> Router<AppState> {
    let (router, openapi) = documented().split_for_parts();
    let document = Document(Arc::new(doc::finish(&openapi)));
    router
        .layer(Extension(document))
        .route("/api/v1/{*rest}", any(unknown))
}
