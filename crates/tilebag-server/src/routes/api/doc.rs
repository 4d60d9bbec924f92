//! The OpenAPI document: its header, the security schemes and the one error body, and the
//! finishing pass that gives every operation the errors every request can meet.
//!
//! The operations themselves come from the routers (`utoipa-axum`): a route and its entry in
//! the document are registered by the same `routes!` call, so they cannot drift apart.

use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::auth::SESSION_COOKIE;
use crate::extract::MULTI_LINE_FIELDS;

/// Name of the session-cookie security scheme.
pub const SESSION: &str = "session_cookie";
/// Name of the CSRF-header security scheme.
pub const CSRF: &str = "csrf_token";

/// The document's header, security schemes and shared components; the routers add the paths.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "tilebag API",
        description = "Word tools, walls, lists, challenges and accounts of a tilebag server. Every error is `{\"error\": {\"code\", \"message\"}}` (the `Error` schema). Text fields refuse control characters. State-changing calls made with the session cookie must send the session's CSRF token in `X-CSRF-Token`."
    ),
    components(schemas(Error)),
    modifiers(&SecuritySchemes)
)]
pub struct ApiDoc;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Error {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `not_found`.
    pub code: String,
    /// For the person.
    pub message: String,
}

/// Declares the session cookie and the CSRF header.
#[derive(Debug)]
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi
            .components
            .get_or_insert_with(utoipa::openapi::Components::new);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "Set by register and login.",
            ))),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's `csrf_token` (from register, login or `GET /api/v1/account`); required with the cookie on every call that is not a GET.",
            ))),
        );
    }
}

/// Errors any operation can answer, with the reason shown when its annotation gives none.
const ANY_CALL: [(&str, &str); 3] = [
    (
        "400",
        "malformed path or query, or control characters in a field",
    ),
    ("408", "the request took too long"),
    ("500", "the server failed"),
];
/// Errors of an operation that takes a body.
const WITH_BODY: [(&str, &str); 1] = [("413", "the body is too large")];
/// Errors of an operation that takes a JSON body.
const WITH_JSON: [(&str, &str); 2] = [
    ("415", "the body is not `application/json`"),
    ("422", "the body is not the expected object"),
];

/// Control characters (other than tab, line feed and carriage return in multi-line
/// fields) are refused in every text input; the patterns say so.
const SINGLE_LINE: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";
const MULTI_LINE: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// The finished document: every operation lists the errors any request can meet, every
/// error response carries the shared `Error` body, every text input its pattern.
pub fn finish(openapi: &utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(openapi).unwrap_or_default();
    let mut inputs = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (method, operation) in item.iter_mut() {
                if let Some(operation) = operation.as_object_mut() {
                    complete_errors(method, operation);
                    if let Some(body) = operation.get_mut("requestBody") {
                        text_patterns(body, None, &mut inputs);
                    }
                    if let Some(parameters) = operation.get_mut("parameters") {
                        text_patterns(parameters, None, &mut inputs);
                    }
                }
            }
        }
    }
    // Schemas that requests use get the patterns too (not those only answered: an exported
    // list holds line breaks).
    let mut done = Vec::new();
    while let Some(name) = inputs.pop() {
        if done.contains(&name) {
            continue;
        }
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas/{name}")) {
            text_patterns(schema, None, &mut inputs);
        }
        done.push(name);
    }
    doc
}

fn complete_errors(method: &str, operation: &mut Map<String, Value>) {
    let body = operation.get("requestBody").cloned();
    let json_body = body
        .as_ref()
        .and_then(|b| b.pointer("/content/application~1json"))
        .is_some();
    let requirements: Vec<Value> = operation
        .get("security")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let needs_login = !requirements.is_empty()
        && requirements
            .iter()
            .all(|r| r.as_object().is_some_and(|r| r.contains_key(SESSION)));
    let changes = method != "get";
    let mut wanted: Vec<(&str, &str)> = ANY_CALL.to_vec();
    if body.is_some() {
        wanted.extend(WITH_BODY);
    }
    if json_body {
        wanted.extend(WITH_JSON);
    }
    if needs_login {
        wanted.push(("401", "not logged in"));
    }
    if changes {
        wanted.push((
            "403",
            "cross-site request, or the session's CSRF token is missing or wrong",
        ));
    }
    let responses = operation
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    let Some(responses) = responses else {
        return;
    };
    for (status, description) in wanted {
        responses
            .entry(status)
            .or_insert_with(|| json!({ "description": description }));
    }
    for (status, response) in responses.iter_mut() {
        if (status.starts_with('4') || status.starts_with('5'))
            && let Some(response) = response.as_object_mut()
        {
            response.insert(
                "content".to_owned(),
                json!({ "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }),
            );
        }
    }
}

/// Adds the no-control-characters pattern to every free text schema under `value`, and the
/// largest value the Rust type takes to every integer; `field` is the name of the property
/// or parameter being walked. Collects the names of the
/// component schemas referred to.
fn text_patterns(value: &mut Value, field: Option<&str>, refs: &mut Vec<String>) {
    match value {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| text_patterns(item, field, refs)),
        Value::Object(object) => {
            if let Some(name) = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                refs.push(name.to_owned());
            }
            let is_text = match object.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
                _ => false,
            };
            let free = !["enum", "format", "pattern", "const"]
                .iter()
                .any(|k| object.contains_key(*k));
            if is_text && free {
                let multi_line = field.is_some_and(|f| MULTI_LINE_FIELDS.contains(&f));
                let pattern = if multi_line { MULTI_LINE } else { SINGLE_LINE };
                object.insert("pattern".to_owned(), Value::from(pattern));
            }
            let is_integer = match object.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
                _ => false,
            };
            if is_integer && !object.contains_key("maximum") {
                // An unsigned count (`usize`, `u32`) is at most u32::MAX here; larger
                // numbers do not fit the Rust type and are refused (422).
                let unsigned = object.get("minimum").and_then(Value::as_i64) == Some(0);
                let maximum = match object.get("format").and_then(Value::as_str) {
                    Some("int64") => i64::MAX,
                    Some("int32") if !unsigned => i64::from(i32::MAX),
                    _ => i64::from(u32::MAX),
                };
                object.insert("maximum".to_owned(), Value::from(maximum));
            }
            let parameter = object
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned);
            for (key, item) in object.iter_mut() {
                match key.as_str() {
                    "properties" => {
                        if let Some(properties) = item.as_object_mut() {
                            for (name, schema) in properties.iter_mut() {
                                text_patterns(schema, Some(name), refs);
                            }
                        }
                    }
                    "schema" => text_patterns(item, parameter.as_deref().or(field), refs),
                    "examples" | "example" | "description" => {}
                    _ => text_patterns(item, field, refs),
                }
            }
        }
        _ => {}
    }
}
