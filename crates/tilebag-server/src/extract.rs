//! Extractors for JSON bodies, query strings and path segments that answer bad input in the
//! app's error shape, and refuse control characters in every string they decode.
//!
//! Control characters have no place in a username, a list name or a search criterion; left in,
//! a NUL is refused by PostgreSQL deep inside a query (a 500) while SQLite stores it. Checking
//! here, once, gives every route the same clear 400 naming the field.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// Fields that hold multi-line text (a list typed into a text area): tab, line feed and
/// carriage return are allowed there, other control characters still refused.
pub const MULTI_LINE_FIELDS: [&str; 1] = ["in_list"];

/// Refuses a control character in `value`, naming `field`.
pub fn check_text(field: &str, value: &str) -> Result<(), AppError> {
    let multi_line = MULTI_LINE_FIELDS.contains(&leaf(field));
    let bad = value
        .chars()
        .any(|c| c.is_control() && !(multi_line && matches!(c, '\t' | '\n' | '\r')));
    if bad {
        Err(AppError::new(
            StatusCode::BAD_REQUEST,
            "control_characters",
            format!("{field}: control characters are not allowed"),
        ))
    } else {
        Ok(())
    }
}

/// The last name in a dotted field path: `search.in_list` → `in_list`.
fn leaf(field: &str) -> &str {
    let field = field.rsplit('.').next().unwrap_or(field);
    field.split('[').next().unwrap_or(field)
}

/// Refuses a control character in any key or string of a JSON document; `at` names the
/// place of `value` (empty at the top).
pub fn check_json(at: &str, value: &serde_json::Value) -> Result<(), AppError> {
    match value {
        serde_json::Value::String(text) => check_text(name_of(at), text),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_json(&format!("{}[{i}]", name_of(at)), item)),
        serde_json::Value::Object(fields) => fields.iter().try_for_each(|(key, item)| {
            let place = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            check_text(&place, key)?;
            check_json(&place, item)
        }),
        _ => Ok(()),
    }
}

/// Writes numbers such as `98.0` as the integers they are: JSON does not tell `98.0` from
/// `98` (the API document's `integer` takes both), but serde refuses a float for an integer.
pub fn integral_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) if number.is_f64() => {
            if let Some(float) = number.as_f64()
                && float.fract() == 0.0
                && float.abs() < 9.0e15
            {
                #[allow(
                    clippy::cast_possible_truncation,
                    reason = "integral and below 2^53, so exact"
                )]
                let integer = float as i64;
                *number = integer.into();
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

fn name_of(at: &str) -> &str {
    if at.is_empty() { "body" } else { at }
}

/// Refuses a control character in any name or value of a decoded query string or form.
pub fn check_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), AppError> {
    pairs.into_iter().try_for_each(|(name, value)| {
        check_text(name, name)?;
        check_text(name, value)
    })
}

/// Decodes `name=value&...` (a query string or an urlencoded form) and refuses control
/// characters in it. Text that does not decode is left to the typed decoder to reject.
pub fn check_urlencoded(text: &str) -> Result<(), AppError> {
    match serde_urlencoded::from_str::<Vec<(String, String)>>(text) {
        Ok(pairs) => check_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        Err(_) => Ok(()),
    }
}

/// JSON body extractor whose rejections use the app's error shape. The body must be a JSON
/// object (every body the API takes is one: serde would otherwise read `["A"]` as a struct's
/// fields in order), and no string in it may hold control characters.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<AppJson<T>, AppError> {
        let axum::Json(mut value) = axum::Json::<serde_json::Value>::from_request(request, state)
            .await
            .map_err(|rejection| json_rejection(&rejection))?;
        if !value.is_object() {
            return Err(AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_fields",
                "the body must be a JSON object",
            ));
        }
        check_json("", &value)?;
        integral_numbers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(AppJson)
            .map_err(|error| {
                let place = error.path().to_string();
                let message = if place == "." {
                    error.inner().to_string()
                } else {
                    format!("{place}: {}", error.inner())
                };
                AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields", message)
            })
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

/// Query-string extractor whose rejections use the app's error shape; refuses control
/// characters in names and values.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<AppQuery<T>, AppError> {
        AppQuery::from_uri(&parts.uri)
    }
}

impl<T: DeserializeOwned> AppQuery<T> {
    /// Reads the query string of `uri` as the extractor does, for a handler that looks at
    /// the raw query first (the search page's redirect of empty fields).
    pub fn from_uri(uri: &Uri) -> Result<AppQuery<T>, AppError> {
        check_urlencoded(uri.query().unwrap_or(""))?;
        axum::extract::Query::try_from_uri(uri)
            .map(|axum::extract::Query(value)| AppQuery(value))
            .map_err(|rejection| query_rejection(&rejection))
    }
}

fn query_rejection(rejection: &QueryRejection) -> AppError {
    AppError::bad_request(rejection.body_text())
}

/// Path-segment extractor whose rejections use the app's error shape and name the segment
/// (rather than axum's plain-text "Invalid URL"); refuses control characters.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<AppPath<T>, AppError> {
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|rejection| AppError::bad_request(rejection.body_text()))?;
        check_pairs(raw.iter())?;
        // A single segment's error does not say its name.
        let only = match raw.iter().collect::<Vec<_>>().as_slice() {
            [(name, _)] => (*name).to_owned(),
            _ => "path".to_owned(),
        };
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(AppPath(value)),
            Err(rejection) => Err(path_rejection(rejection, &only)),
        }
    }
}

/// How a path segment's expected type reads in a message.
fn kind_of(expected_type: &str) -> &str {
    match expected_type {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "a whole number"
        }
        other => other,
    }
}

fn path_rejection(rejection: PathRejection, only: &str) -> AppError {
    use axum::extract::path::ErrorKind;
    match rejection {
        PathRejection::FailedToDeserializePathParams(error) => match error.into_kind() {
            ErrorKind::ParseErrorAtKey {
                key,
                value,
                expected_type,
            } => AppError::bad_request(format!(
                "{key}: “{value}” is not {}",
                kind_of(expected_type)
            )),
            ErrorKind::ParseError {
                value,
                expected_type,
            } => AppError::bad_request(format!(
                "{only}: “{value}” is not {}",
                kind_of(expected_type)
            )),
            ErrorKind::InvalidUtf8InPathParam { key } => {
                AppError::bad_request(format!("{key}: not UTF-8 text"))
            }
            other => AppError::bad_request(other.to_string()),
        },
        other => AppError::internal(other.body_text()),
    }
}

/// Zero-width and direction-changing characters, and line and paragraph separators.
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{061C}'
            | '\u{00AD}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_with_the_field_named() {
        let error = check_text("username", "a\u{0}b").unwrap_err();
        assert_eq!(
            (error.status, error.message.as_str()),
            (
                StatusCode::BAD_REQUEST,
                "username: control characters are not allowed"
            )
        );
        assert!(check_text("name", "tab\there").is_err());
        assert!(check_text("name", "C1 \u{85}").is_err());
        assert!(check_text("name", "plain text, accents é").is_ok());
    }

    #[test]
    fn multi_line_fields_take_line_breaks_but_no_other_control_character() {
        assert!(check_text("search.in_list", "AB\r\nCD\tEF").is_ok());
        assert!(check_text("in_list", "AB\u{0}").is_err());
    }

    #[test]
    fn nested_json_names_the_place() {
        let value = serde_json::json!({ "search": { "words": ["ok", "bad\u{7}"] } });
        let error = check_json("", &value).unwrap_err();
        assert_eq!(
            error.message,
            "search.words[1]: control characters are not allowed"
        );
        let key = serde_json::json!({ "a\u{1}": 1 });
        assert!(check_json("", &key).is_err());
    }

    #[test]
    fn integral_floats_become_integers_and_fractions_stay() {
        let mut value = serde_json::json!({ "a": 98.0, "b": [2.5, -3.0], "c": 7 });
        integral_numbers(&mut value);
        assert_eq!(
            value,
            serde_json::json!({ "a": 98, "b": [2.5, -3], "c": 7 })
        );
    }
}
