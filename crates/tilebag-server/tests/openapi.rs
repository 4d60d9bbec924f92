//! The API document against the real router: every `/api/` route is in it, and every
//! operation in it declares its errors with the one error body.
//!
//! axum's `Router` has no API to list its routes, but its `Debug` output names every path it
//! holds; the methods each path takes come from the router itself (a `TRACE`, which no route
//! takes, is answered 405 with `Allow`). So a route added the plain-axum way, anywhere in
//! `tilebag_server::routes::router()`, is found here and fails the test until it is
//! registered with `utoipa_axum::routes!` (which documents it).

mod common;

use std::collections::BTreeSet;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use common::spawn_app;
use serde_json::Value;
use tilebag_server::AppState;
use tower::ServiceExt as _;

/// The `(METHOD, /path/{param})` pairs of the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("path item")
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect()
}

/// Every `/api/` path the router holds (catch-alls aside), read from its `Debug` output.
fn api_paths(router: &Router<AppState>) -> BTreeSet<String> {
    let text = format!("{router:?}");
    text.split('"')
        .filter(|piece| piece.starts_with("/api/") && !piece.contains("{*"))
        .map(str::to_owned)
        .collect()
}

/// The `(METHOD, path)` pairs the router serves under `/api/`.
async fn api_routes(router: Router<AppState>, state: AppState) -> BTreeSet<(String, String)> {
    let paths = api_paths(&router);
    let app = router.with_state(state);
    let mut routes = BTreeSet::new();
    for path in paths {
        let concrete: String = path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "1"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let request = Request::builder()
            .method(Method::TRACE)
            .uri(&concrete)
            .body(Body::empty())
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), 405, "TRACE {concrete} (for {path})");
        let allow = response
            .headers()
            .get(header::ALLOW)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        for method in allow.split(',').map(str::trim) {
            if !method.is_empty() && method != "HEAD" {
                routes.insert((method.to_owned(), path.clone()));
            }
        }
    }
    routes
}

async fn served_document(app: &common::TestApp) -> Value {
    let response = app
        .client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn every_api_route_is_documented_and_every_documented_route_exists() {
    let app = spawn_app("sqlite").await;
    let doc = served_document(&app).await;
    let documented = documented(&doc);
    let served = api_routes(tilebag_server::routes::router(), app.state.clone()).await;
    let missing: Vec<_> = served.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the document: {missing:?}"
    );
    let ghosts: Vec<_> = documented.difference(&served).collect();
    assert!(ghosts.is_empty(), "documented but not served: {ghosts:?}");
    assert!(served.len() >= 32, "only {} routes found", served.len());
}

#[tokio::test]
async fn a_route_added_the_plain_axum_way_is_reported_undocumented() {
    let app = spawn_app("sqlite").await;
    let documented = documented(&served_document(&app).await);
    let router = tilebag_server::routes::router().route(
        "/api/v1/walls/{id}/shuffle",
        axum::routing::post(|| async { "shuffled" }),
    );
    let served = api_routes(router, app.state.clone()).await;
    let missing: Vec<_> = served.difference(&documented).cloned().collect();
    assert_eq!(
        missing,
        vec![("POST".to_owned(), "/api/v1/walls/{id}/shuffle".to_owned())]
    );
}

#[tokio::test]
async fn every_operation_declares_its_errors_with_the_shared_error_body() {
    let app = spawn_app("sqlite").await;
    let doc = served_document(&app).await;
    let error = serde_json::json!({ "$ref": "#/components/schemas/Error" });
    assert_eq!(
        doc["components"]["schemas"]["Error"]["properties"]["error"]["$ref"],
        "#/components/schemas/ErrorDetail"
    );
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        (
            &schemes["session_cookie"]["in"],
            &schemes["session_cookie"]["name"]
        ),
        (&Value::from("cookie"), &Value::from("tilebag_session"))
    );
    assert_eq!(
        (&schemes["csrf_token"]["in"], &schemes["csrf_token"]["name"]),
        (&Value::from("header"), &Value::from("X-CSRF-Token"))
    );
    let mut ids = BTreeSet::new();
    for (method, path) in documented(&doc) {
        let operation = &doc["paths"][&path][method.to_lowercase()];
        let where_ = format!("{method} {path}");
        assert!(
            ids.insert(
                operation["operationId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            ),
            "{where_}: operationId used twice"
        );
        let responses = operation["responses"].as_object().expect("responses");
        for status in ["400", "500"] {
            assert!(responses.contains_key(status), "{where_}: no {status}");
        }
        if method != "GET" {
            assert!(responses.contains_key("403"), "{where_}: no 403");
        }
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"], error,
                    "{where_} {status}"
                );
            }
        }
    }
    let security = |method: &str, path: &str| doc["paths"][path][method]["security"].clone();
    assert_eq!(
        security("get", "/api/v1/account"),
        serde_json::json!([{ "session_cookie": [] }])
    );
    assert_eq!(
        security("put", "/api/v1/account/settings"),
        serde_json::json!([{ "session_cookie": [], "csrf_token": [] }])
    );
    assert_eq!(
        security("post", "/api/v1/walls"),
        serde_json::json!([{}, { "session_cookie": [], "csrf_token": [] }]),
        "guests play without an account"
    );
    assert!(security("get", "/api/v1/anagram").is_null());
    assert!(
        doc["paths"]["/api/v1/account"]["get"]["responses"]
            .get("401")
            .is_some()
    );
}
