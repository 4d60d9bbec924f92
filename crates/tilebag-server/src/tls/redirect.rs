//! Port 80: every request — the bare `/` and paths with query strings included — is sent
//! permanently (308) to the same URL on HTTPS, except ACME HTTP-01 challenges.
//!
//! The redirect goes only to a name this server is for (the configured public hosts, or
//! the names in its certificate): a request naming any other `Host` is sent to the first
//! such name, never to the host it named.

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
    public_hosts: Vec<String>,
    certificates: std::sync::Arc<super::Certificates>,
}

impl Redirect {
    /// The names browsers may be sent to.
    fn names(&self) -> Vec<String> {
        if self.public_hosts.is_empty() {
            self.certificates
                .current()
                .map(|loaded| loaded.names)
                .unwrap_or_default()
        } else {
            self.public_hosts.clone()
        }
    }

    /// Where a request for `host` is sent: that host if it is one of ours, else our first
    /// name that is not a wildcard.
    fn target(&self, host: &str) -> Option<String> {
        let host = host.to_ascii_lowercase();
        let names = self.names();
        let ours = names.iter().any(|name| match name.strip_prefix("*.") {
            Some(parent) => host
                .split_once('.')
                .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
            None => *name == host,
        });
        if ours {
            return Some(host);
        }
        names.into_iter().find(|name| !name.starts_with("*."))
    }
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
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    let Some(name) = redirect.target(name) else {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "this server has no public name to redirect to; set --public-host",
        )
            .into_response();
    };
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

/// The port-80 app: redirects to `public_hosts` (when empty, to the names of the
/// certificate served).
pub fn app(
    challenges: Challenges,
    https_port: u16,
    public_hosts: Vec<String>,
    certificates: std::sync::Arc<super::Certificates>,
) -> Router {
    Router::new()
        .route("/.well-known/acme-challenge/{token}", get(challenge))
        .fallback(to_https)
        .with_state(Redirect {
            challenges,
            https_port,
            public_hosts,
            certificates,
        })
}
