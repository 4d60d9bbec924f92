//! One CSRF guard for every state-changing route: with a session cookie and no token, each
//! API operation in the OpenAPI document and each form on the pages is refused.

mod common;

use common::{SendJson, register, spawn_app};

const PASSWORD: &str = "correct horse battery";

/// A path template with its parameters filled in (the guard answers before any lookup).
fn filled(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment {
            "{id}" => "1",
            "{slug}" => "today-5",
            "{name}" | "{word}" => "someone",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The `action` of every `<form method="post">` in a page.
fn post_forms(html: &str) -> Vec<String> {
    html.split("<form")
        .skip(1)
        .filter(|form| form.contains(r#"method="post""#))
        .filter_map(|form| form.split(r#"action=""#).nth(1)?.split('"').next())
        .map(|action| action.replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn every_state_changing_route_refuses_a_session_without_its_token() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let csrf = register(&app, &client, "target", PASSWORD).await;

    let document = client
        .get(app.url("/api/v1/openapi.json"))
        .json_body()
        .await;
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            if !["get", "head", "options", "parameters"].contains(&method.as_str()) {
                operations.push((method.to_uppercase(), filled(path)));
            }
        }
    }
    assert!(
        operations.len() >= 18,
        "the document lists the API's operations: {operations:?}"
    );
    for (method, path) in &operations {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = client
            .request(method.clone(), app.url(path))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        let (status, code, message) = common::error_of(response).await;
        assert_eq!(
            (status, code.as_str()),
            (403, "forbidden"),
            "{method} {path}: {message}"
        );
        assert!(message.contains("CSRF token"), "{method} {path}: {message}");
    }

    let mut forms = Vec::new();
    for page in ["/", "/settings", "/walls/new", "/challenges", "/login"] {
        let html = client
            .get(app.url(page))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        forms.extend(post_forms(&html));
    }
    forms.sort();
    forms.dedup();
    for expected in [
        "/logout",
        "/settings",
        "/settings/password",
        "/settings/delete",
        "/walls",
        "/login",
    ] {
        assert!(
            forms.iter().any(|f| f == expected),
            "a form posts to {expected}: {forms:?}"
        );
    }
    for action in &forms {
        let response = client
            .post(app.url(action))
            .form(&[("csrf", "not-the-token"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "POST {action}");
        let page = response.text().await.unwrap();
        assert!(page.contains("CSRF token"), "POST {action}: {page}");
    }

    // Nothing changed: the session still works, with its token.
    let out = client
        .post(app.url("/api/v1/account/logout"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.status(),
        204,
        "the session survived every refused request"
    );
}

/// Sends `request` on a new connection without the body its head announces, and reads the
/// response's head.
async fn refused_before_the_body(app: &common::TestApp, request: &str) -> String {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(app.address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    common::read_head(&mut stream).await.to_ascii_lowercase()
}

#[tokio::test]
async fn a_refusal_sent_before_the_body_arrives_tells_the_client_to_close_the_connection() {
    let app = spawn_app("sqlite").await;
    let address = app.address;
    let cross_site = format!(
        "POST /api/v1/decks HTTP/1.1\r\nHost: {address}\r\nOrigin: http://elsewhere.example\r\n\
         Content-Type: application/json\r\nContent-Length: 20\r\n\r\n"
    );
    let head = refused_before_the_body(&app, &cross_site).await;
    assert!(head.starts_with("http/1.1 403"), "{head}");
    assert!(head.contains("\r\nconnection: close\r\n"), "{head}");

    // Without a body to wait for, the connection stays open for the next request.
    let bodiless = cross_site.replace("Content-Length: 20", "Content-Length: 0");
    let head = refused_before_the_body(&app, &bodiless).await;
    assert!(head.starts_with("http/1.1 403"), "{head}");
    assert!(!head.contains("connection: close"), "{head}");
}
