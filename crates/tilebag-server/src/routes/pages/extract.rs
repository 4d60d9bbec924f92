//! The pages' form and path extractors: the API's checks (no control characters in any
//! field or segment), with a bad request shown as an error page.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::PageError;
use crate::error::{AppError, AppPath};
use crate::extract::check_urlencoded;

/// An urlencoded form (as `axum::Form`) whose fields may not hold control characters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Form<T>, PageError> {
        let (parts, body) = request.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|r| PageError(AppError::new(r.status(), "bad_request", r.body_text())))?;
        check_urlencoded(&String::from_utf8_lossy(&bytes))?;
        let request = Request::from_parts(parts, Body::from(bytes));
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(r) => Err(PageError(AppError::new(
                r.status(),
                "bad_request",
                r.body_text(),
            ))),
        }
    }
}

/// Path segments (as `axum::extract::Path`) that may not hold control characters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Path<T>, PageError> {
        let AppPath(value) = AppPath::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}
