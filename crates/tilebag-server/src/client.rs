//! Who is asking and how: the client's address and whether the request came over HTTPS,
//! believing `X-Forwarded-For` / `X-Forwarded-Proto` only from configured proxies.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

fn trusted_ip(state: &AppState, ip: IpAddr) -> bool {
    state
        .config
        .trusted_proxies
        .iter()
        .any(|network| network.contains(ip))
}

fn trusted(state: &AppState, peer: Option<SocketAddr>) -> bool {
    peer.is_some_and(|p| trusted_ip(state, p.ip()))
}

/// The client in an `X-Forwarded-For` list that trusted proxies appended to: the rightmost
/// entry that is not itself a trusted proxy (entries further left are whatever the client
/// chose to send). An entry that is not an address stops the walk at the hop after it.
fn forwarded_client(state: &AppState, list: &str) -> Option<IpAddr> {
    let mut nearest = None;
    for entry in list.rsplit(',') {
        match entry.trim().parse::<IpAddr>() {
            Ok(ip) if trusted_ip(state, ip) => nearest = Some(ip),
            Ok(ip) => return Some(ip),
            Err(_) => break,
        }
    }
    nearest
}

fn peer(parts_extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr)
}

/// The client's address: the connection's, or, when the connection comes from a trusted
/// proxy, the rightmost `X-Forwarded-For` entry that is not a trusted proxy.
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
                // Several header lines are one list, in order.
                let lines: Vec<&str> = parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                forwarded_client(state, &lines.join(","))
            })
            .flatten();
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
