//! Error pages, rendered in one place with the request's session.
//!
//! A handler's [`PageError`] leaves only its status and message on the response; the
//! [`error_pages`] middleware, outside every handler and guard, turns that — and any other
//! error a page path answers without a page (axum's rejections, a 405, the timeout's 408,
//! the unknown path's 404) — into the error page, looking the session up so a logged-in
//! player sees their own menu. The API's errors stay JSON.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{Page, render};
use crate::auth::MaybeUser;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    heading: &'static str,
    message: String,
    login: bool,
}

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(error: AppError) -> PageError {
        PageError(error)
    }
}

impl From<crate::app::ServiceError> for PageError {
    fn from(error: crate::app::ServiceError) -> PageError {
        PageError(error.into())
    }
}

impl From<tilebag_store::StoreError> for PageError {
    fn from(error: tilebag_store::StoreError) -> PageError {
        PageError(error.into())
    }
}

/// The message a [`PageError`] leaves on its response for [`error_pages`] to show.
#[derive(Debug, Clone)]
struct Shown(String);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = self.0.status.into_response();
        response
            .extensions_mut()
            .insert(Shown(self.0.message.clone()));
        self.0.mark(&mut response);
        response
    }
}

/// The answer to a path no route takes: a page, or JSON under `/api/`.
pub(crate) async fn not_found(uri: Uri) -> Response {
    let error = AppError::not_found("there is no page at this address");
    if uri.path().starts_with("/api/") {
        error.into_response()
    } else {
        PageError(error).into_response()
    }
}

/// Whether errors at this path are shown as pages: not the API's, nor the probes'.
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics"))
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// A heading that says in a few words what happened.
fn heading(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "That request cannot be used",
        StatusCode::UNAUTHORIZED => "Please log in",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::METHOD_NOT_ALLOWED => "Not this way",
        StatusCode::REQUEST_TIMEOUT => "That took too long",
        StatusCode::CONFLICT => "Already taken",
        StatusCode::PAYLOAD_TOO_LARGE => "Too much at once",
        StatusCode::TOO_MANY_REQUESTS => "Too many at once",
        StatusCode::SERVICE_UNAVAILABLE => "Busy right now",
        status if status.is_server_error() => "Something went wrong",
        _ => "That did not work",
    }
}

/// What to tell the player about an error answered without a [`PageError`]: the message of
/// a JSON error, the short text of axum's rejections, or a sentence for its status.
async fn message_of(status: StatusCode, body: axum::body::Body) -> String {
    let fallback = match status {
        StatusCode::NOT_FOUND => "there is no page at this address",
        StatusCode::METHOD_NOT_ALLOWED => "this address does not take that kind of request",
        StatusCode::REQUEST_TIMEOUT => "the server took too long to answer; try again",
        StatusCode::PAYLOAD_TOO_LARGE => "what you sent is too large",
        status if status.is_server_error() => "something went wrong on the server",
        _ => "the request is malformed",
    };
    if status.is_server_error() {
        return fallback.to_owned();
    }
    let Ok(bytes) = axum::body::to_bytes(body, 4096).await else {
        return fallback.to_owned();
    };
    let json = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
    let text = match json {
        Some(value) => value["error"]["message"].as_str().map(str::to_owned),
        None => String::from_utf8(bytes.to_vec()).ok(),
    };
    text.map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty() && t.len() <= 300)
        .unwrap_or_else(|| fallback.to_owned())
}

/// A message as a sentence for the page: a capital first letter and a full stop (the
/// API's messages are lower-case phrases).
fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let mut text: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

/// Middleware: every error a page path answers is shown as the error page, with the menu
/// of whoever is logged in (their session is looked up only for an error). Pages that show
/// their own error (a form with its message) are left as they are.
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_page(request.uri().path()) {
        return next.run(request).await;
    }
    let token = crate::auth::cookie_token(request.headers());
    let response = next.run(request).await;
    let status = response.status();
    let shown = response.extensions().get::<Shown>().cloned();
    if !(status.is_client_error() || status.is_server_error())
        || (shown.is_none() && is_html(&response))
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let message = match shown {
        Some(Shown(message)) => message,
        None => message_of(status, body).await,
    };
    // A session that cannot be read (the database is down) shows the page as to a guest.
    let who = MaybeUser(
        crate::csrf::session_of(&state, token.as_deref())
            .await
            .ok()
            .flatten(),
    );
    let heading = heading(status);
    let page = ErrorPage {
        page: Page::new(heading, &who),
        heading,
        message: sentence(&message),
        login: status == StatusCode::UNAUTHORIZED && who.0.is_none(),
    };
    let rendered = render(status, &page);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(parts, rendered.into_body())
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn an_api_message_reads_as_a_sentence_on_a_page() {
        assert_eq!(
            sentence("no player is called `zed`"),
            "No player is called `zed`."
        );
        assert_eq!(sentence("Try again!"), "Try again!");
        assert_eq!(sentence("été passé"), "Été passé.");
    }
}
