//! Every API error is `{"error": {"code", "message"}}` — also those axum writes itself — and
//! control characters are refused in every kind of text input, on both backends.

mod common;

use common::{SendJson, error_of, register, spawn_app};
use serde_json::{Value, json};
use tilebag_store::testing::backends;

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn a_path_segment_that_is_not_a_number_gets_a_json_400_naming_it() {
    let app = spawn_app("sqlite").await;
    let response = app
        .client()
        .post(app.url("/api/v1/walls/abc/guess"))
        .json(&json!({ "word": "QI" }))
        .send()
        .await
        .unwrap();
    let (status, code, message) = error_of(response).await;
    assert_eq!((status, code.as_str()), (400, "bad_request"));
    assert_eq!(message, "id: “abc” is not a whole number");
}

#[tokio::test]
async fn an_upload_over_1_mib_gets_a_json_413() {
    let app = spawn_app("sqlite").await;
    let response = app
        .client()
        .post(app.url("/api/v1/walls/upload"))
        .body("RETAINS\n".repeat(200_000))
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!((status, code.as_str()), (413, "too_large"));
}

#[tokio::test]
async fn a_wrong_method_on_an_api_path_gets_a_json_405_that_keeps_allow() {
    let app = spawn_app("sqlite").await;
    let response = app
        .client()
        .delete(app.url("/api/v1/lexicons"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["allow"].to_str().unwrap(),
        "GET,HEAD",
        "the methods it takes"
    );
    let (status, code, _) = error_of(response).await;
    assert_eq!((status, code.as_str()), (405, "method_not_allowed"));
}

#[tokio::test]
async fn a_json_array_is_refused_where_an_object_is_expected() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let wall = client
        .post(app.url("/api/v1/walls"))
        .json(&json!({ "search": { "length": "2" }, "settings": { "questions_per_round": 10 } }))
        .json_body()
        .await;
    let id = wall["id"].as_i64().unwrap();
    let response = client
        .post(app.url(&format!("/api/v1/walls/{id}/guess")))
        .json(&json!(["QI"]))
        .send()
        .await
        .unwrap();
    let (status, code, message) = error_of(response).await;
    assert_eq!((status, code.as_str()), (422, "invalid_fields"));
    assert_eq!(message, "the body must be a JSON object");
    let after = client
        .get(app.url(&format!("/api/v1/walls/{id}")))
        .json_body()
        .await;
    assert_eq!(after["wrong"], 0, "nothing was guessed: {after}");
}

#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_taken_as_an_integer() {
    let app = spawn_app("sqlite").await;
    let response = app
        .client()
        .post(app.url("/api/v1/walls"))
        .json(&json!({ "search": { "length": "2" }, "settings": { "questions_per_round": 10.0 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let half = app
        .client()
        .post(app.url("/api/v1/walls"))
        .json(&json!({ "search": { "length": "2" }, "settings": { "questions_per_round": 10.5 } }))
        .send()
        .await
        .unwrap();
    let (status, _, message) = error_of(half).await;
    assert_eq!(status, 422);
    assert!(
        message.starts_with("settings.questions_per_round:"),
        "{message}"
    );
}

async fn refused(response: reqwest::Response, field: &str) {
    let (status, code, message) = error_of(response).await;
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (
            400,
            "control_characters",
            format!("{field}: control characters are not allowed").as_str()
        )
    );
}

#[tokio::test]
async fn control_characters_are_refused_in_bodies_queries_paths_and_forms() {
    for backend in backends("control_characters_are_refused_in_bodies_queries_paths_and_forms") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let login = |username: &str| {
            client
                .post(app.url("/api/v1/account/login"))
                .json(&json!({ "username": username, "password": PASSWORD }))
                .send()
        };
        refused(login("a\u{0}b").await.unwrap(), "username").await;
        let csrf = register(&app, &client, "nul_tester", PASSWORD).await;
        let post = |path: String, body: Value| {
            client
                .post(app.url(&path))
                .header("x-csrf-token", &csrf)
                .json(&body)
                .send()
        };
        let wall = post(
            "/api/v1/walls".into(),
            json!({ "search": { "length": "2" }, "settings": { "questions_per_round": 10 } }),
        )
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
        let id = wall["id"].as_i64().unwrap();
        let save =
            |name: &'static str| post(format!("/api/v1/walls/{id}/save"), json!({ "name": name }));
        refused(save("two\u{0}s").await.unwrap(), "name").await;
        let saved: Value = save("twos").await.unwrap().json().await.unwrap();
        let list = saved["id"].as_i64().unwrap();
        let rename = client
            .patch(app.url(&format!("/api/v1/lists/{list}")))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": "tw\u{0}os" }))
            .send()
            .await
            .unwrap();
        refused(rename, "name").await;
        let nested = post(
            "/api/v1/walls".into(),
            json!({ "search": { "pattern": "Q\u{1b}" } }),
        )
        .await
        .unwrap();
        refused(nested, "search.pattern").await;
        let get = |path: &str| client.get(app.url(path)).send();
        refused(get("/api/v1/anagram?q=A%00B").await.unwrap(), "q").await;
        refused(get("/api/v1/words/Q%00I").await.unwrap(), "word").await;
        refused(get("/api/v1/players/a%07b/medals").await.unwrap(), "name").await;
        let listed = get("/api/v1/search?in_list=QI%0D%0AZA").await.unwrap();
        assert_eq!(listed.status(), 200, "a typed list holds line breaks");
        refused(
            get("/api/v1/search?in_list=QI%00").await.unwrap(),
            "in_list",
        )
        .await;
        let page = app
            .client()
            .post(app.url("/login"))
            .form(&[("username", "a\u{0}b"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 400, "{backend}");
        let html = page.text().await.unwrap();
        assert!(
            html.contains("username: control characters are not allowed"),
            "{html}"
        );
        let info_page = get("/info/Q%00I").await.unwrap();
        assert_eq!(info_page.status(), 400);
        let names: Vec<String> = client
            .get(app.url("/api/v1/lists"))
            .json_body()
            .await
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["twos"], "{backend}");
    }
}
