//! Accounts over real HTTP: registration, login, sessions, CSRF, rate limits.

mod common;

use common::{error_of, register, spawn_app};
use tilebag_store::testing::backends;

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn register_log_out_and_log_in_again() {
    for backend in backends("register_log_out_and_log_in_again") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "Alice", PASSWORD).await;
        let me: serde_json::Value = client
            .get(app.url("/api/v1/account"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["username"], "Alice", "{backend}");
        assert_eq!(me["is_admin"], true, "the first account is an admin");

        let taken = client
            .post(app.url("/api/v1/account/register"))
            .header("x-csrf-token", &csrf)
            .json(&serde_json::json!({ "username": "ALICE", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_of(taken).await.0,
            409,
            "usernames are unique in any case"
        );

        let out = client
            .post(app.url("/api/v1/account/logout"))
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 204);
        let gone = client.get(app.url("/api/v1/account")).send().await.unwrap();
        assert_eq!(error_of(gone).await.0, 401, "{backend}: the session ended");

        let wrong = client
            .post(app.url("/api/v1/account/login"))
            .json(&serde_json::json!({ "username": "alice", "password": "not the password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_of(wrong).await,
            (401, "bad_login".into(), "wrong username or password".into())
        );
        let ok = client
            .post(app.url("/api/v1/account/login"))
            .json(&serde_json::json!({ "username": "alice", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        let cookie = ok
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && !cookie.contains("Secure"),
            "{cookie}"
        );
        assert_eq!(
            client
                .get(app.url("/api/v1/account"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn bad_usernames_and_short_passwords_are_refused() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    for (username, password, message) in [
        ("al", PASSWORD, "3 to 30 letters"),
        ("al ice", PASSWORD, "3 to 30 letters"),
        ("a".repeat(31).as_str(), PASSWORD, "3 to 30 letters"),
        ("alice", "short", "at least 10 characters"),
    ] {
        let response = client
            .post(app.url("/api/v1/account/register"))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap();
        let (status, _, text) = error_of(response).await;
        assert_eq!(status, 400);
        assert!(text.contains(message), "{text}");
    }
}

#[tokio::test]
async fn state_changes_need_the_csrf_token() {
    for backend in backends("state_changes_need_the_csrf_token") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "bob", PASSWORD).await;
        let settings = serde_json::json!({ "default_lexicon": "scowl80", "preferences": { "tile_order": "vowels_first" } });
        for token in [None, Some("wrong")] {
            let mut request = client
                .put(app.url("/api/v1/account/settings"))
                .json(&settings);
            if let Some(token) = token {
                request = request.header("x-csrf-token", token);
            }
            let (status, code, _) = error_of(request.send().await.unwrap()).await;
            assert_eq!(
                (status, code.as_str()),
                (403, "forbidden"),
                "{backend}: {token:?}"
            );
        }
        let ok = client
            .put(app.url("/api/v1/account/settings"))
            .header("x-csrf-token", &csrf)
            .json(&settings)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        let me: serde_json::Value = ok.json().await.unwrap();
        assert_eq!(
            (
                me["default_lexicon"].as_str(),
                me["preferences"]["tile_order"].as_str()
            ),
            (Some("SCOWL80"), Some("vowels_first"))
        );

        // A form posted without the token, or from another site, changes nothing.
        let form = client
            .post(app.url("/settings"))
            .form(&[
                ("csrf", "nope"),
                ("tile_order", "random"),
                ("theme", "dark"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 403);
        let cross = client
            .post(app.url("/api/v1/account/logout"))
            .header("x-csrf-token", &csrf)
            .header("origin", "http://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(cross).await.2, "cross-site request refused");
        let me: serde_json::Value = client
            .get(app.url("/api/v1/account"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["preferences"]["tile_order"], "vowels_first", "{backend}");
    }
}

#[tokio::test]
async fn settings_refuse_unknown_preferences_and_lexicons() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let csrf = register(&app, &client, "carol", PASSWORD).await;
    let put = |body: serde_json::Value| {
        client
            .put(app.url("/api/v1/account/settings"))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
    };
    let (status, code, message) = error_of(
        put(serde_json::json!({ "preferences": { "colour": "red" } }))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, code.as_str()), (422, "invalid_fields"));
    assert!(message.contains("unknown field “colour”"), "{message}");
    let (status, _, message) = error_of(
        put(serde_json::json!({ "default_lexicon": "NWL9", "preferences": {} }))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert!(message.contains("no lexicon is named “NWL9”"), "{message}");
}

#[tokio::test]
async fn logins_are_rate_limited_per_account() {
    for backend in backends("logins_are_rate_limited_per_account") {
        let app = spawn_app(backend).await;
        let client = app.client();
        register(&app, &app.client(), "dave", PASSWORD).await;
        let attempt = |password: &'static str| {
            client
                .post(app.url("/api/v1/account/login"))
                .json(&serde_json::json!({ "username": "Dave", "password": password }))
                .send()
        };
        for _ in 0..5 {
            assert_eq!(attempt("wrong password").await.unwrap().status(), 401);
        }
        let blocked = attempt(PASSWORD).await.unwrap();
        let retry: u64 = blocked
            .headers()
            .get("retry-after")
            .unwrap()
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let (status, code, message) = error_of(blocked).await;
        assert_eq!(
            (status, code.as_str()),
            (429, "too_many_attempts"),
            "{backend}"
        );
        assert!(
            retry > 0 && message == format!("too many attempts, try again in {retry} s"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn logins_are_rate_limited_per_address() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    for i in 0..20 {
        let response = client
            .post(app.url("/api/v1/account/login"))
            .json(&serde_json::json!({ "username": format!("nobody{i}"), "password": "whatever it is" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let blocked = client
        .post(app.url("/api/v1/account/login"))
        .json(&serde_json::json!({ "username": "someone", "password": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), 429);
}

#[tokio::test]
async fn a_new_password_ends_other_sessions() {
    for backend in backends("a_new_password_ends_other_sessions") {
        let app = spawn_app(backend).await;
        let (laptop, phone) = (app.client(), app.client());
        let csrf = register(&app, &laptop, "erin", PASSWORD).await;
        let login = phone
            .post(app.url("/api/v1/account/login"))
            .json(&serde_json::json!({ "username": "erin", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        let wrong = laptop
            .post(app.url("/api/v1/account/password"))
            .header("x-csrf-token", &csrf)
            .json(&serde_json::json!({ "current_password": "not it at all", "new_password": "a brand new password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(wrong).await.0, 403);
        let changed = laptop
            .post(app.url("/api/v1/account/password"))
            .header("x-csrf-token", &csrf)
            .json(&serde_json::json!({ "current_password": PASSWORD, "new_password": "a brand new password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200);
        assert_eq!(
            phone
                .get(app.url("/api/v1/account"))
                .send()
                .await
                .unwrap()
                .status(),
            401,
            "{backend}: the phone is logged out"
        );
        assert_eq!(
            laptop
                .get(app.url("/api/v1/account"))
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "the laptop got a new session"
        );
    }
}

#[tokio::test]
async fn deleting_an_account_deletes_it() {
    for backend in backends("deleting_an_account_deletes_it") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "frank", PASSWORD).await;
        let deleted = client
            .delete(app.url("/api/v1/account"))
            .header("x-csrf-token", &csrf)
            .json(&serde_json::json!({ "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
        assert!(
            matches!(
                app.store.user_by_name("frank").await,
                Err(tilebag_store::StoreError::NotFound)
            ),
            "{backend}"
        );
        let again = client
            .post(app.url("/api/v1/account/login"))
            .json(&serde_json::json!({ "username": "frank", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 401);
    }
}

#[tokio::test]
async fn pages_register_save_settings_and_log_out() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let registered = client
        .post(app.url("/register"))
        .form(&[("username", "grace"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 303);
    let settings = client
        .get(app.url("/settings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        settings.contains("grace"),
        "the page shows who is logged in"
    );
    let csrf = settings
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let saved = client
        .post(app.url("/settings"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("default_lexicon", "SCOWL80"),
            ("tile_order", "random"),
            ("theme", "dark"),
            ("show_definitions", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    assert!(saved.text().await.unwrap().contains("Settings saved."));
    let stored = app.store.user_by_name("grace").await.unwrap();
    assert_eq!(
        stored.preferences,
        r#"{"v":1,"tile_order":"random","show_definitions":true,"theme":"dark","review_leaderboard":false}"#
    );
    let bad_login = app
        .client()
        .post(app.url("/login"))
        .form(&[("username", "grace"), ("password", "nope nope nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad_login.status(), 401);
    assert!(
        bad_login
            .text()
            .await
            .unwrap()
            .contains("wrong username or password")
    );
    let out = client
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(
        client
            .get(app.url("/settings"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "settings now redirect to log in"
    );
}

#[tokio::test]
async fn forwarded_headers_count_only_from_trusted_proxies() {
    let config = tilebag_server::Config {
        trusted_proxies: vec!["127.0.0.0/8".parse().unwrap()],
        ..common::roomy()
    };
    let app = common::spawn_with("sqlite", true, config).await;
    let register_via = |name: &'static str, proto: Option<&'static str>| {
        let mut request = app
            .client()
            .post(app.url("/api/v1/account/register"))
            .json(&serde_json::json!({ "username": name, "password": PASSWORD }));
        if let Some(proto) = proto {
            request = request.header("x-forwarded-proto", proto);
        }
        request.send()
    };
    let secure = register_via("viaproxy", Some("https")).await.unwrap();
    assert!(
        secure.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("; Secure"),
        "HTTPS at the proxy: Secure cookie"
    );
    let plain = register_via("direct", None).await.unwrap();
    assert!(
        !plain.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
    // Rate limits count the forwarded client address, not the proxy's.
    let login = |address: &'static str, n: usize| {
        app.client()
            .post(app.url("/api/v1/account/login"))
            .header("x-forwarded-for", address)
            .json(&serde_json::json!({ "username": format!("someone{n}"), "password": "wrong password" }))
            .send()
    };
    for n in 0..20 {
        assert_eq!(login("203.0.113.7", n).await.unwrap().status(), 401);
    }
    assert_eq!(login("203.0.113.7", 20).await.unwrap().status(), 429);
    assert_eq!(
        login("198.51.100.9", 21).await.unwrap().status(),
        401,
        "another client behind the same proxy is not blocked"
    );

    // Without trust, the headers are ignored.
    let untrusting = spawn_app("sqlite").await;
    let response = untrusting
        .client()
        .post(untrusting.url("/api/v1/account/register"))
        .header("x-forwarded-proto", "https")
        .json(&serde_json::json!({ "username": "spoofer", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(
        !response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}
