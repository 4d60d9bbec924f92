//! One error type for every handler: JSON `{"error": {"code", "message"}}` with the right status.
//!
//! The message is for the person; details for the log stay in the log.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tilebag_store::StoreError;

pub use crate::extract::{AppJson, AppPath, AppQuery};

/// An error answered to the client.
#[derive(Debug)]
pub struct AppError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code, e.g. `not_found`.
    pub code: &'static str,
    /// What went wrong, for the person.
    pub message: String,
    /// Seconds to wait before retrying (429, 503).
    pub retry_after: Option<u64>,
    /// The database failed: the detail, for the log and for `/readyz`.
    pub storage_failure: Option<String>,
}

/// Marks a response that a storage failure caused, so the server can report itself not
/// ready (see [`crate::app::health`]).
#[derive(Debug, Clone)]
pub struct StorageFailure(pub String);

/// A message as players read it: what a library wrote between backticks (serde's
/// "unknown field `colour`") is quoted the way sentences quote.
fn for_players(message: String) -> String {
    if !message.contains('`') {
        return message;
    }
    let mut open = false;
    message
        .chars()
        .map(|c| match c {
            '`' => {
                open = !open;
                if open { '“' } else { '”' }
            }
            other => other,
        })
        .collect()
}

impl AppError {
    /// Any status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError {
            status,
            code,
            message: for_players(message.into()),
            retry_after: None,
            storage_failure: None,
        }
    }

    /// 503: the database failed (unreachable, read-only, disk full); logs the detail.
    pub fn storage(detail: impl std::fmt::Display) -> AppError {
        let detail = detail.to_string();
        tracing::error!(%detail, "storage failure");
        AppError {
            retry_after: Some(5),
            storage_failure: Some(detail),
            ..AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_unavailable",
                "the server cannot use its database right now; nothing was changed, try again shortly",
            )
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 401: log in first.
    pub fn unauthorized() -> AppError {
        AppError::new(StatusCode::UNAUTHORIZED, "unauthorized", "log in first")
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 429: `reason` (what was used up, e.g. "too many attempts"); try again after `wait`.
    pub fn too_many(reason: &str, wait: std::time::Duration) -> AppError {
        let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        AppError {
            retry_after: Some(seconds),
            ..AppError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("{reason}, try again in {seconds} s"),
            )
        }
    }

    /// 503: every password worker is busy; try again in `seconds`.
    pub fn busy(seconds: u64) -> AppError {
        AppError {
            retry_after: Some(seconds),
            ..AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                format!("the server is busy checking passwords, try again in {seconds} s"),
            )
        }
    }

    /// 500: logs the detail, tells the person only that it failed.
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!(%detail, "internal error");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on the server",
        )
    }
}

impl AppError {
    /// Adds `Retry-After` and the storage-failure mark to a response made from this error.
    pub fn mark(&self, response: &mut Response) {
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if let Some(detail) = &self.storage_failure {
            response
                .extensions_mut()
                .insert(StorageFailure(detail.clone()));
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        let mut response = (self.status, axum::Json(body)).into_response();
        self.mark(&mut response);
        response
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::NotFound => AppError::not_found("not found"),
            StoreError::Conflict(_) => {
                AppError::new(StatusCode::CONFLICT, "conflict", "that already exists")
            }
            other => AppError::storage(other),
        }
    }
}

impl From<crate::password::PoolError> for AppError {
    fn from(error: crate::password::PoolError) -> AppError {
        match error {
            crate::password::PoolError::Busy => AppError::busy(1),
            crate::password::PoolError::Stopped => AppError::internal(error),
        }
    }
}

impl From<crate::app::ServiceError> for AppError {
    fn from(error: crate::app::ServiceError) -> AppError {
        use crate::app::ServiceError;
        match error {
            ServiceError::NotFound(message) => AppError::not_found(message),
            ServiceError::Invalid(message) => AppError::bad_request(message),
            ServiceError::Conflict { code, message } => {
                AppError::new(StatusCode::CONFLICT, code, message)
            }
            ServiceError::Forbidden { code, message } => {
                AppError::new(StatusCode::FORBIDDEN, code, message)
            }
            ServiceError::Busy {
                retry_after,
                message,
            } => AppError {
                retry_after: Some(retry_after),
                ..AppError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message)
            },
            ServiceError::Store(error) => error.into(),
            ServiceError::Document(detail) => AppError::internal(detail),
        }
    }
}

impl From<tilebag_lexicon::query::SpecError> for AppError {
    fn from(error: tilebag_lexicon::query::SpecError) -> AppError {
        AppError::bad_request(error.to_string())
    }
}

impl From<tilebag_lexicon::query::QueryError> for AppError {
    fn from(error: tilebag_lexicon::query::QueryError) -> AppError {
        AppError::bad_request(error.to_string())
    }
}

/// Middleware: every error answered under `/api/` is `{"error": {"code", "message"}}`, also
/// those axum and tower write themselves (405 with an empty body, plain-text rejections, 408,
/// 413). Headers such as `Allow` and `Retry-After` are kept.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The bodies written by axum's rejections are one short line; a longer one is not shown.
    let text = axum::body::to_bytes(body, 1024)
        .await
        .ok()
        .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty());
    let (code, fallback) = match status {
        // axum adds the `Allow` header outside this middleware; the client still gets it.
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this path does not take that method; the Allow header lists those it takes".to_owned(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request body is too large".to_owned()),
        StatusCode::REQUEST_TIMEOUT => {
            ("timeout", "the request took too long; try again".to_owned())
        }
        StatusCode::NOT_FOUND => ("not_found", "not found".to_owned()),
        status if status.is_server_error() => {
            ("internal", "something went wrong on the server".to_owned())
        }
        _ => ("bad_request", "the request is malformed".to_owned()),
    };
    let message = match (status, text) {
        (StatusCode::METHOD_NOT_ALLOWED, _) | (_, None) => fallback,
        (status, Some(_)) if status.is_server_error() => fallback,
        (_, Some(text)) => text,
    };
    let shaped = AppError::new(status, code, message).into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, shaped.into_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_as_sentences_do() {
        let error = AppError::bad_request("unknown field `colour`, expected `theme`");
        assert_eq!(error.message, "unknown field “colour”, expected “theme”");
    }
}
