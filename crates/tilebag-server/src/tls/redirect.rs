//! Port 80: every request — the bare `/` and paths with query strings included — is sent
//! permanently (308) to the same URL on HTTPS, except ACME HTTP-01 challenges.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::acme::Challenges;

#[derive(Clone)]
struct Redirect {
    challenges: Challenges,
    https_port: u16,
}

async fn challenge(State(redirect): State<Redirect>, Path(token): Path<String>) -> Response {
    let answer = redirect
        .challenges
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&token)
        .cloned();
    match answer {
        Some(answer) => answer.into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn to_https(
    State(redirect): State<Redirect>,
    headers: axum::http::HeaderMap,
    uri: Uri,
) -> Response {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return (StatusCode::BAD_REQUEST, "a Host header is needed").into_response();
    };
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    let port = if redirect.https_port == 443 {
        String::new()
    } else {
        format!(":{}", redirect.https_port)
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let location = format!("https://{name}{port}{path}");
    (
        StatusCode::PERMANENT_REDIRECT,
        [(header::LOCATION, location)],
    )
        .into_response()
}

/// The port-80 app.
pub fn app(challenges: Challenges, https_port: u16) -> Router {
    Router::new()
        .route("/.well-known/acme-challenge/{token}", get(challenge))
        .fallback(to_https)
        .with_state(Redirect {
            challenges,
            https_port,
        })
}
