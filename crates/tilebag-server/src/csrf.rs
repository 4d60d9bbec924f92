//! One guard against cross-site requests, which every state-changing request passes through.
//!
//! - A request whose `Origin` names another site is refused, whatever its method, when it
//!   changes state; a WebSocket upgrade (a GET that opens a channel that changes state) asks
//!   [`check_origin`] itself.
//! - A state-changing request made with a live session cookie must echo the session's CSRF
//!   token: in the `X-CSRF-Token` header, or in a form's `csrf` field.
//!
//! Guests have no session to steal, so their requests need no token; the Origin check and
//! `SameSite=Lax` cookies keep other sites from acting for them.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tilebag_store::{Session, StoreError, User};

use crate::auth::{CSRF_HEADER, cookie_token, token_hash};
use crate::error::AppError;
use crate::session_cache::Lookup;
use crate::state::AppState;

/// The form field a page's forms carry the token in.
pub const CSRF_FIELD: &str = "csrf";

/// The session the guard looked up, kept for the handler so it is read once per request.
#[derive(Debug, Clone)]
pub(crate) struct SessionLookup(pub Option<(Session, User)>);

/// Whether a request with this method may change state.
#[must_use]
pub fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a request sent by a page of another site (by its `Origin` header). Requests
/// without `Origin` (API clients, old browsers) pass this check; the token check still
/// applies to them.
pub fn check_origin(headers: &HeaderMap) -> Result<(), AppError> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let (Some(origin), Some(host)) = (text(header::ORIGIN), text(header::HOST)) {
        let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        if origin == "null" || !origin_host.eq_ignore_ascii_case(host) {
            return Err(AppError::forbidden("cross-site request refused"));
        }
    }
    Ok(())
}

/// Refuses a CSRF token that does not match the session's.
pub fn check_token(session: &Session, sent: &str) -> Result<(), AppError> {
    let same = crate::config::Secret(session.csrf_token.clone()).matches(sent);
    if !sent.is_empty() && same {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "missing or wrong CSRF token; reload the page and try again",
        ))
    }
}

/// The live session behind a request's cookie, if any.
pub(crate) async fn lookup(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(Session, User)>, AppError> {
    session_of(state, cookie_token(headers).as_deref()).await
}

/// The live session a session token names, if any.
pub(crate) async fn session_of(
    state: &AppState,
    token: Option<&str>,
) -> Result<Option<(Session, User)>, AppError> {
    let Some(token) = token else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let now_ms = state.app.clock.now_ms();
    let miss = match state.sessions.get(&hash, now_ms) {
        Lookup::Hit(session, user) => return Ok(Some((session, user))),
        Lookup::Miss(miss) => miss,
    };
    match state
        .app
        .store
        .session(&hash, now_ms.div_euclid(1000))
        .await
    {
        Ok(found) => {
            let live = state.app.store.notices_live();
            state.sessions.keep(miss, &hash, &found, now_ms, live);
            Ok(Some(found))
        }
        Err(StoreError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
}

/// The token a request sends: its header, or its form's `csrf` field. A form body is read
/// (within the body limit) and put back for the handler.
async fn sent_token(request: Request) -> Result<(String, Request), AppError> {
    if let Some(sent) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|sent| !sent.is_empty())
    {
        return Ok((sent.to_owned(), request));
    }
    if !is_form(request.headers()) {
        return Ok((String::new(), request));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, crate::BODY_LIMIT)
        .await
        .map_err(|_| {
            AppError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("a form may have at most {} bytes", crate::BODY_LIMIT),
            )
        })?;
    let sent = form_urlencoded_field(&bytes, CSRF_FIELD).unwrap_or_default();
    Ok((
        sent,
        Request::from_parts(parts, axum::body::Body::from(bytes)),
    ))
}

fn form_urlencoded_field(body: &[u8], field: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(name, _)| name == field)
        .map(|(_, value)| value)
}

/// Middleware: the guard. Pages get their refusal as a page, the API as JSON.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let page = !request.uri().path().starts_with("/api/");
    let body_unread = has_body(request.headers());
    let mut response = match checked(&state, request).await {
        Ok(request) => return next.run(request).await,
        Err(error) if page => crate::routes::pages::PageError(error).into_response(),
        Err(error) => error.into_response(),
    };
    // A refusal may come before the request's body has arrived; the connection cannot carry
    // another request after it, so the client is told to open a new one.
    if body_unread {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Whether a request says a body follows its headers.
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

async fn checked(state: &AppState, mut request: Request) -> Result<Request, AppError> {
    if !changes_state(request.method()) {
        return Ok(request);
    }
    check_origin(request.headers())?;
    let found = lookup(state, request.headers()).await?;
    if let Some((session, _)) = &found {
        let (sent, back) = sent_token(request).await?;
        check_token(session, &sent)?;
        request = back;
    }
    request.extensions_mut().insert(SessionLookup(found));
    Ok(request)
}
