//! Who is asking and how: the client's address and whether the request came over HTTPS,
//! believing `X-Forwarded-For` / `X-Forwarded-Proto` only from configured proxies.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

fn trusted(state: &AppState, peer: Option<SocketAddr>) -> bool {
    peer.is_some_and(|p| {
        state
            .config
            .trusted_proxies
            .iter()
            .any(|network| network.contains(p.ip()))
    })
}

fn peer(parts_extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr)
}

/// The client's address: the connection's, or the first `X-Forwarded-For` entry when the
/// connection comes from a trusted proxy.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ClientIp, Self::Rejection> {
        let peer = peer(&parts.extensions);
        let forwarded = trusted(state, peer)
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
            })
            .flatten()
            .and_then(|list| list.split(',').next())
            .and_then(|first| first.trim().parse::<IpAddr>().ok());
        Ok(ClientIp(
            forwarded
                .or(peer.map(|p| p.ip()))
                .unwrap_or(IpAddr::from([0, 0, 0, 0])),
        ))
    }
}

fn over_https(state: &AppState, peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    state.config.secure_cookies
        || (trusted(state, peer)
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                == Some("https"))
}

/// Middleware: cookies set on a request that came over HTTPS are marked `Secure`.
pub async fn secure_cookies(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let https = over_https(&state, peer(request.extensions()), request.headers());
    let mut response = next.run(request).await;
    if https {
        let cookies: Vec<HeaderValue> = response
            .headers_mut()
            .get_all(header::SET_COOKIE)
            .iter()
            .cloned()
            .collect();
        response.headers_mut().remove(header::SET_COOKIE);
        for cookie in cookies {
            let text = cookie.to_str().unwrap_or_default();
            let value = if text.contains("; Secure") {
                cookie.clone()
            } else {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie.clone())
            };
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
