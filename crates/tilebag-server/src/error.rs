//! One error type for every handler: JSON `{"error": {"code", "message"}}` with the right status.
//!
//! The message is for the person; details for the log stay in the log.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use tilebag_store::StoreError;

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

impl AppError {
    /// Any status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError {
            status,
            code,
            message: message.into(),
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

    /// 429: too many `what` (attempts, registrations, walls); try again after `wait`.
    pub fn too_many(what: &str, wait: std::time::Duration) -> AppError {
        let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        AppError {
            retry_after: Some(seconds),
            ..AppError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("too many {what}, try again in {seconds} s"),
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

/// JSON body extractor whose rejections use the app's error shape.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<AppJson<T>, AppError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> AppError {
    let code = match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_fields",
        _ => "malformed_json",
    };
    AppError::new(rejection.status(), code, rejection.body_text())
}

/// Query-string extractor whose rejections use the app's error shape.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<AppQuery<T>, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(AppQuery(value)),
            Err(rejection) => Err(query_rejection(&rejection)),
        }
    }
}

fn query_rejection(rejection: &QueryRejection) -> AppError {
    AppError::bad_request(rejection.body_text())
}
