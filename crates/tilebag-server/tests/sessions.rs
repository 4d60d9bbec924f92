//! Sessions kept in the server's cache: honoured from it, and refused as soon as they end,
//! on the server that ended them and (PostgreSQL) on another server on the same database.

mod common;

use std::time::Duration;

use common::{SendJson as _, TestApp, roomy, spawn_with};
use serde_json::json;
use tilebag_server::Config;
use tilebag_server::session_cache::SessionCacheSettings;
use tilebag_store::testing::backends;
use tilebag_store::{Notice, SESSIONS_CHANNEL, Subscription};

/// Longest wait for a notice that must come.
const PATIENCE: Duration = Duration::from_secs(10);
const PASSWORD: &str = "correct horse battery";

/// A cache whose entries outlive every test, so that only a notice can end them.
fn long_cache(entries: usize) -> Config {
    Config {
        session_cache: SessionCacheSettings {
            ttl: Duration::from_hours(1),
            entries,
        },
        ..roomy()
    }
}

/// A session's cookie token and CSRF token.
struct Login {
    token: String,
    csrf: String,
}

/// Registers `username` with a client that keeps no cookies; the session it got.
async fn register(app: &TestApp, username: &str) -> Login {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/account/register"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), 201);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    let token = cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, token)| token.to_owned())
        .expect("name=token");
    let body: serde_json::Value = response.json().await.expect("json");
    let csrf = body["csrf_token"].as_str().expect("csrf").to_owned();
    Login { token, csrf }
}

/// Sends a request with the session's cookie and CSRF token; its status.
async fn send(
    app: &TestApp,
    login: &Login,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> u16 {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    reqwest::Client::new()
        .request(method, app.url(path))
        .header("cookie", format!("tilebag_session={}", login.token))
        .header("x-csrf-token", &login.csrf)
        .json(&body)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

/// The status of `GET /api/v1/account` with the session.
async fn account(app: &TestApp, login: &Login) -> u16 {
    reqwest::Client::new()
        .get(app.url("/api/v1/account"))
        .header("cookie", format!("tilebag_session={}", login.token))
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

/// Each way a session ends through the API: the method, the path and the body.
fn endings() -> [(&'static str, &'static str, serde_json::Value); 3] {
    [
        ("POST", "/api/v1/account/logout", json!({})),
        (
            "POST",
            "/api/v1/account/password",
            json!({ "current_password": PASSWORD, "new_password": "another long password" }),
        ),
        ("DELETE", "/api/v1/account", json!({ "password": PASSWORD })),
    ]
}

fn hits(app: &TestApp) -> u64 {
    app.state.sessions.counts().0
}

/// Checks the session is answered on `app` from its cache.
async fn cached_on(app: &TestApp, login: &Login, what: &str) {
    assert_eq!(account(app, login).await, 200, "{what}: first lookup");
    let before = hits(app);
    assert_eq!(account(app, login).await, 200, "{what}: second lookup");
    assert_eq!(hits(app), before + 1, "{what}: answered from the cache");
}

/// Waits until `heard` has a notice (not a reset) from the bus.
async fn notice(heard: &mut Subscription, what: &str) {
    let got = tokio::time::timeout(PATIENCE, heard.recv())
        .await
        .unwrap_or_else(|_| panic!("{what}: no notice within {PATIENCE:?}"));
    assert!(matches!(got, Some(Notice::Message(_))), "{what}: {got:?}");
}

#[tokio::test]
async fn a_cached_session_is_refused_on_the_next_request_after_logout_password_change_or_deletion()
{
    for backend in backends(
        "a_cached_session_is_refused_on_the_next_request_after_logout_password_change_or_deletion",
    ) {
        let app = spawn_with(backend, true, long_cache(100)).await;
        let endings = endings();
        for (i, (method, path, body)) in endings.into_iter().enumerate() {
            let login = register(&app, &format!("player{i}")).await;
            cached_on(&app, &login, path).await;
            let status = send(&app, &login, method, path, body).await;
            assert!((200..300).contains(&status), "{backend} {path}: {status}");
            assert_eq!(
                account(&app, &login).await,
                401,
                "{backend}: {path} ended it"
            );
        }
        app.stop().await.expect("stop");
    }
}

#[tokio::test]
async fn a_cached_session_is_not_honoured_past_its_expiry() {
    let app = spawn_with("sqlite", true, long_cache(100)).await;
    let login = register(&app, "alice").await;
    // 30 days, less 10 seconds: the entry is kept until the session expires, not for an hour.
    app.clock.advance(Duration::from_secs(30 * 86_400 - 10));
    cached_on(&app, &login, "near its end").await;
    app.clock.advance(Duration::from_secs(10));
    assert_eq!(account(&app, &login).await, 401, "expired");
    app.stop().await.expect("stop");
}

#[tokio::test]
async fn the_session_cache_keeps_no_more_than_its_entries() {
    let app = spawn_with("sqlite", true, long_cache(2)).await;
    for i in 0..5 {
        let login = register(&app, &format!("player{i}")).await;
        assert_eq!(account(&app, &login).await, 200);
        assert!(app.state.sessions.counts().2 <= 2, "after {i}");
    }
    let metrics = reqwest::Client::new()
        .get(app.url("/metrics"))
        .text_body()
        .await;
    assert!(
        metrics.contains("\ntilebag_session_cache_entries 2\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("\ntilebag_session_cache_misses_total 5\n"),
        "{metrics}"
    );
    app.stop().await.expect("stop");
}

/// Two servers on one PostgreSQL database: a session cached on B is refused by B on its first
/// request after B has heard that A ended it, for each way a session ends.
#[tokio::test]
async fn a_session_ended_on_one_server_is_refused_by_another_that_had_it_cached() {
    let test = "a_session_ended_on_one_server_is_refused_by_another_that_had_it_cached";
    if !backends(test).contains(&"postgres") {
        return;
    }
    let a = spawn_with("postgres", true, long_cache(100)).await;
    let b = a.replica(long_cache(100)).await;
    b.store.notices_connected().await;
    // Hears what B's cache hears: the same listener hands both the same notices.
    let mut heard = b.store.subscribe(SESSIONS_CHANNEL).expect("subscribe");
    let endings = endings();
    for (i, (method, path, body)) in endings.into_iter().enumerate() {
        let login = register(&a, &format!("player{i}")).await;
        cached_on(&b, &login, path).await;
        let status = send(&a, &login, method, path, body).await;
        assert!((200..300).contains(&status), "{path}: {status}");
        notice(&mut heard, path).await;
        let before = hits(&b);
        assert_eq!(account(&b, &login).await, 401, "{path}: B refuses it");
        assert_eq!(hits(&b), before, "{path}: not from the cache");
    }

    // A lost listening connection empties B's cache; B caches again once it is back.
    let login = register(&a, "survivor").await;
    cached_on(&b, &login, "before the fault").await;
    assert!(a.store.kill_listeners_for_tests().await.unwrap() >= 1);
    let reset = tokio::time::timeout(PATIENCE, heard.recv())
        .await
        .expect("a reset");
    assert_eq!(reset, Some(Notice::Reset));
    let before = hits(&b);
    assert_eq!(account(&b, &login).await, 200);
    assert_eq!(hits(&b), before, "the cache was emptied");
    b.store.notices_connected().await;
    b.stop().await.expect("stop b");
    a.stop().await.expect("stop a");
}
