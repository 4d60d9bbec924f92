//! Password hashing under load over real HTTP: a full queue is answered 503 with
//! `Retry-After` in the app's error shape, and a login refused that way is not a failed one.

mod common;

use std::time::Duration;

use common::{error_of, register};
use tilebag_server::config::LoginLimit;

const PASSWORD: &str = "correct horse battery";

/// Sends `count` requests to `path` at once; `body(n)` is the n-th one's JSON.
async fn at_once(
    app: &common::TestApp,
    path: &str,
    count: usize,
    body: impl Fn(usize) -> serde_json::Value,
) -> Vec<reqwest::Response> {
    let tasks: Vec<_> = (0..count)
        .map(|n| tokio::spawn(app.client().post(app.url(path)).json(&body(n)).send()))
        .collect();
    let mut responses = Vec::new();
    for task in tasks {
        responses.push(task.await.expect("task").expect("an answer"));
    }
    responses
}

/// Checks that each response is `ok` or a well-formed 503; returns how many were 503.
async fn count_busy(responses: Vec<reqwest::Response>, ok: u16) -> usize {
    let mut busy = 0;
    for response in responses {
        match response.status().as_u16() {
            status if status == ok => {}
            503 => {
                busy += 1;
                assert_eq!(response.headers()["retry-after"], "1");
                let (_, code, message) = error_of(response).await;
                assert_eq!(code, "busy");
                assert!(message.contains("try again"), "{message}");
            }
            other => panic!("expected {ok} or 503, got {other}"),
        }
    }
    busy
}

#[tokio::test]
async fn a_full_hashing_queue_answers_503_with_retry_after_and_is_no_failed_login() {
    let config = tilebag_server::Config {
        hashing_workers: 1,
        hashing_queue: 1,
        // Attempts count while they are checked: twelve at once fit, and one more would not
        // if any of them stayed counted.
        login_limit: LoginLimit {
            per_account: 12,
            per_address: 12,
            window: Duration::from_mins(15),
        },
        ..common::roomy()
    };
    let app = common::spawn_with("sqlite", true, config).await;
    // Twelve requests arrive within milliseconds; one thread and one queue slot take at most
    // two of them before the first hash (tens of milliseconds) is done.
    let registrations = at_once(
        &app,
        "/api/v1/account/register",
        12,
        |n| serde_json::json!({ "username": format!("burst{n}"), "password": PASSWORD }),
    )
    .await;
    assert!(
        count_busy(registrations, 201).await >= 1,
        "no registration was refused as busy"
    );

    register(&app, &app.client(), "steady", PASSWORD).await;
    let logins = at_once(
        &app,
        "/api/v1/account/login",
        12,
        |_| serde_json::json!({ "username": "steady", "password": PASSWORD }),
    )
    .await;
    assert!(
        count_busy(logins, 200).await >= 1,
        "no login was refused as busy"
    );
    // Neither the right logins nor the busy ones left a count: twelve more fit, one by one.
    for _ in 0..12 {
        let after = app
            .client()
            .post(app.url("/api/v1/account/login"))
            .json(&serde_json::json!({ "username": "steady", "password": "a wrong one" }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            after.status(),
            401,
            "a busy or right answer counted as a failed login"
        );
    }
}
