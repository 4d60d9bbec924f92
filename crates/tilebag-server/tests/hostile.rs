//! Hostile traffic: login and registration floods, forged forwarding headers, guests filling
//! the disk, a full disk, cross-site requests and framing — each a defect once, over real
//! HTTP against a real database.

mod common;

use common::{error_of, register, roomy, spawn_app, spawn_with};
use serde_json::json;
use tilebag_server::Config;
use tilebag_store::testing::backends;

const PASSWORD: &str = "correct horse battery";

/// A server behind a proxy on 127.0.0.1 that appends the client to `X-Forwarded-For`.
fn behind_proxy(config: Config) -> Config {
    Config {
        trusted_proxies: vec!["127.0.0.0/8".parse().unwrap()],
        ..config
    }
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere() {
    let app = spawn_with("sqlite", true, behind_proxy(roomy())).await;
    register(&app, &app.client(), "owner", PASSWORD).await;
    let login = |from: &'static str, password: &'static str| {
        app.client()
            .post(app.url("/api/v1/account/login"))
            .header("x-forwarded-for", from)
            .json(&json!({ "username": "owner", "password": password }))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(login("203.0.113.66", "guess").await.unwrap().status(), 401);
    }
    let attacker = login("203.0.113.66", PASSWORD).await.unwrap();
    assert_eq!(attacker.status(), 429, "the guessing address is paused");
    assert!(retry_after(&attacker) > 0);
    assert_eq!(
        login("198.51.100.1", PASSWORD).await.unwrap().status(),
        200,
        "the owner, elsewhere, logs in"
    );
}

#[tokio::test]
async fn registrations_are_limited_per_address_and_in_all() {
    let mut config = behind_proxy(roomy());
    config.registration_limit.per_address = 3;
    config.registration_limit.total = 5;
    let app = spawn_with("sqlite", true, config).await;
    let register_from = |from: &'static str, name: String| {
        app.client()
            .post(app.url("/api/v1/account/register"))
            .header("x-forwarded-for", from)
            .json(&json!({ "username": name, "password": PASSWORD }))
            .send()
    };
    for n in 0..3 {
        let response = register_from("203.0.113.5", format!("flood{n}"))
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    let refused = register_from("203.0.113.5", "flood3".into()).await.unwrap();
    let wait = retry_after(&refused);
    assert!((1..=3600).contains(&wait), "{wait}");
    let (status, code, message) = error_of(refused).await;
    assert_eq!((status, code.as_str()), (429, "too_many_attempts"));
    assert!(message.contains("registrations"), "{message}");
    for n in 0..2 {
        let response = register_from("198.51.100.7", format!("other{n}"))
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "another address has its own");
    }
    let site_full = register_from("192.0.2.9", "third".into()).await.unwrap();
    assert_eq!(site_full.status(), 429, "the site's hour is used up");
    app.clock.advance(std::time::Duration::from_mins(61));
    let later = register_from("203.0.113.5", "flood3".into()).await.unwrap();
    assert_eq!(later.status(), 201, "an hour later the address may again");
}

#[tokio::test]
async fn the_client_is_the_rightmost_forwarded_address_not_a_trusted_proxy() {
    let mut config = behind_proxy(roomy());
    config.trusted_proxies.push("10.0.0.0/8".parse().unwrap());
    let app = spawn_with("sqlite", true, config).await;
    // The client forges a new first entry each time; the proxies append what they saw.
    let fail = |n: usize, chain: &'static str| {
        app.client()
            .post(app.url("/api/v1/account/login"))
            .header("x-forwarded-for", format!("192.0.2.{n}, {chain}"))
            .json(&json!({ "username": format!("nobody{n}"), "password": "guess" }))
            .send()
    };
    for n in 0..20 {
        let response = fail(n, "203.0.113.9, 10.1.2.3").await.unwrap();
        assert_eq!(response.status(), 401);
    }
    assert_eq!(
        fail(20, "203.0.113.9, 10.1.2.3").await.unwrap().status(),
        429,
        "forged first entries do not make a new client"
    );
    assert_eq!(
        fail(21, "198.51.100.3, 10.1.2.3").await.unwrap().status(),
        401,
        "another client behind the same proxies is not paused"
    );
}

#[tokio::test]
async fn guests_may_start_only_so_many_walls_an_hour_of_a_bounded_size() {
    let mut config = Config::default();
    config.guest_limit.walls_per_guest = 2;
    config.guest_limit.walls_per_address = 3;
    config.guest_limit.max_questions = 50;
    let app = spawn_with("sqlite", true, config).await;
    let new_wall = |client: &reqwest::Client, probability: &'static str| {
        client
            .post(app.url("/api/v1/walls"))
            .json(&json!({ "search": { "length": "7", "probability": probability } }))
            .send()
    };
    let guest = app.client();
    let (status, _, message) = error_of(new_wall(&guest, "1-51").await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(
        message.contains("51 alphagrams is more than a guest's wall holds (50)"),
        "{message}"
    );
    for _ in 0..2 {
        assert_eq!(new_wall(&guest, "1-50").await.unwrap().status(), 201);
    }
    let refused = new_wall(&guest, "1-50").await.unwrap();
    assert_eq!(refused.status(), 429, "this guest's hour is used up");
    let other = app.client();
    assert_eq!(new_wall(&other, "1-50").await.unwrap().status(), 201);
    assert_eq!(
        new_wall(&app.client(), "1-50").await.unwrap().status(),
        429,
        "new cookies do not escape the address's limit"
    );
    let player = app.client();
    let csrf = register(&app, &player, "member", PASSWORD).await;
    let member = player
        .post(app.url("/api/v1/walls"))
        .header("x-csrf-token", csrf)
        .json(&json!({ "search": { "length": "7", "probability": "1-500" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        member.status(),
        201,
        "players with accounts are not limited"
    );
    assert_eq!(app.store.rows_for_tests("walls").await.unwrap(), 4);
}

#[tokio::test]
async fn idle_guest_walls_and_old_unplayed_draws_are_pruned() {
    for backend in backends("idle_guest_walls_and_old_unplayed_draws_are_pruned") {
        let app = spawn_app(backend).await;
        let guest = app.client();
        let old_day = (app.clock.now() - chrono::Duration::days(30)).date_naive();
        let practice = guest
            .post(app.url(&format!("/api/v1/challenges/today-5/play?date={old_day}")))
            .send()
            .await
            .unwrap();
        assert_eq!(practice.status(), 201, "{backend}");
        let player = app.client();
        let csrf = register(&app, &player, "keeper", PASSWORD).await;
        let kept = player
            .post(app.url("/api/v1/walls"))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "search": { "length": "7", "probability": "1-20" } }))
            .send()
            .await
            .unwrap();
        assert_eq!(kept.status(), 201);
        assert_eq!(app.store.rows_for_tests("walls").await.unwrap(), 2);
        assert_eq!(app.store.rows_for_tests("challenges").await.unwrap(), 1);

        let app_state = &app.state.app;
        let swept = tilebag_server::app::sweep::sweep(app_state).await.unwrap();
        assert_eq!(
            (swept.guest_walls, swept.draws),
            (0, 0),
            "nothing is idle yet"
        );
        app.clock.advance(std::time::Duration::from_hours(25));
        let swept = tilebag_server::app::sweep::sweep(app_state).await.unwrap();
        assert_eq!(
            (swept.guest_walls, swept.draws),
            (1, 1),
            "{backend}: the guest's wall, then the draw nobody plays"
        );
        assert_eq!(app.store.rows_for_tests("walls").await.unwrap(), 1);
        assert_eq!(app.store.rows_for_tests("challenges").await.unwrap(), 0);
        let again = guest
            .post(app.url(&format!("/api/v1/challenges/today-5/play?date={old_day}")))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 201, "an old day is drawn again when asked");
    }
}

#[tokio::test]
async fn a_full_disk_is_a_503_that_readyz_reports_until_it_passes() {
    for backend in backends("a_full_disk_is_a_503_that_readyz_reports_until_it_passes") {
        let app = spawn_app(backend).await;
        let client = app.client();
        assert_eq!(
            client
                .get(app.url("/readyz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        app.store.set_full_for_tests(true).await.unwrap();
        let response = client
            .post(app.url("/api/v1/walls"))
            .json(&json!({ "search": { "length": "8", "probability": "1-900" } }))
            .send()
            .await
            .unwrap();
        assert_eq!(retry_after(&response), 5);
        let (status, code, _) = error_of(response).await;
        assert_eq!(
            (status, code.as_str()),
            (503, "storage_unavailable"),
            "{backend}"
        );
        let ready = client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), 503);
        let reasons = ready.json::<serde_json::Value>().await.unwrap()["reasons"].to_string();
        assert!(
            reasons.contains("storage is failing"),
            "{backend}: {reasons}"
        );

        app.store.set_full_for_tests(false).await.unwrap();
        app.clock.advance(std::time::Duration::from_secs(31));
        assert_eq!(
            client
                .get(app.url("/readyz"))
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "{backend}: ready again once failures stop"
        );
        let stored = client
            .post(app.url("/api/v1/walls"))
            .json(&json!({ "search": { "length": "8", "probability": "1-900" } }))
            .send()
            .await
            .unwrap();
        assert_eq!(stored.status(), 201, "{backend}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    for path in [
        "/",
        "/settings",
        "/walls/new",
        "/static/wall.js",
        "/api/v1/lexicons",
        "/api/v1/walls/999",
        "/no-such-page",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{path}: no {name}"))
                .to_owned()
        };
        let policy = header("content-security-policy");
        assert!(
            policy.contains("frame-ancestors 'none'")
                && policy.contains("script-src 'self'")
                && !policy.contains("unsafe-inline"),
            "{path}: {policy}"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
        assert!(header("permissions-policy").contains("camera=()"), "{path}");
    }
}

#[tokio::test]
async fn metrics_need_the_bearer_token_when_one_is_set() {
    let config = Config {
        metrics_token: Some(tilebag_server::config::Secret("s3cret-token".into())),
        ..roomy()
    };
    let app = spawn_with("sqlite", true, config).await;
    let client = app.client();
    let get = |token: Option<&'static str>| {
        let mut request = client.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    for token in [None, Some("wrong"), Some("s3cret-tokenX")] {
        let refused = get(token).await.unwrap();
        assert_eq!(refused.status(), 401, "{token:?}");
        assert!(refused.headers().contains_key("www-authenticate"));
    }
    let metrics = get(Some("s3cret-token")).await.unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(metrics.text().await.unwrap().contains("tilebag_lexicons"));
}

#[tokio::test]
async fn parallel_guesses_get_no_more_tries_than_one_after_another() {
    let app = spawn_app("sqlite").await;
    register(&app, &app.client(), "victim", PASSWORD).await;
    let guesses: Vec<_> = (0..30)
        .map(|n| {
            tokio::spawn(
                app.client()
                    .post(app.url("/api/v1/account/login"))
                    .json(&json!({ "username": "victim", "password": format!("guess {n}") }))
                    .send(),
            )
        })
        .collect();
    let mut checked = 0;
    for guess in guesses {
        match guess.await.unwrap().unwrap().status().as_u16() {
            401 => checked += 1,
            429 | 503 => {}
            other => panic!("a guess answered {other}"),
        }
    }
    assert!(
        checked <= 5,
        "{checked} guesses were checked, the limit is 5"
    );
}

#[tokio::test]
async fn addresses_of_one_ipv6_64_share_their_limits() {
    let app = spawn_with("sqlite", true, behind_proxy(roomy())).await;
    let fail = |n: usize| {
        app.client()
            .post(app.url("/api/v1/account/login"))
            .header("x-forwarded-for", format!("2001:db8:1:2::{n:x}"))
            .json(&json!({ "username": "someone", "password": "guess" }))
            .send()
    };
    for n in 1..=5 {
        assert_eq!(fail(n).await.unwrap().status(), 401);
    }
    assert_eq!(fail(6).await.unwrap().status(), 429, "the same /64");
    let elsewhere = app
        .client()
        .post(app.url("/api/v1/account/login"))
        .header("x-forwarded-for", "2001:db8:1:3::1")
        .json(&json!({ "username": "someone", "password": "guess" }))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 401, "another /64 is another client");
}

#[tokio::test]
async fn guests_at_many_addresses_share_a_site_wide_hour() {
    let mut config = behind_proxy(roomy());
    config.guest_limit.walls_total = 3;
    let app = spawn_with("sqlite", true, config).await;
    let wall_from = |n: usize| {
        app.client()
            .post(app.url("/api/v1/walls"))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .json(&json!({ "search": { "length": "7", "probability": "1-20" } }))
            .send()
    };
    for n in 0..3 {
        assert_eq!(wall_from(n).await.unwrap().status(), 201);
    }
    assert_eq!(wall_from(3).await.unwrap().status(), 429);
    assert_eq!(app.store.rows_for_tests("walls").await.unwrap(), 3);
}

#[tokio::test]
async fn list_names_with_invisible_characters_are_refused() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let csrf = register(&app, &client, "namer", PASSWORD).await;
    let wall = client
        .post(app.url("/api/v1/walls"))
        .header("x-csrf-token", &csrf)
        .json(&json!({ "search": { "length": "7", "probability": "1-20" } }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let id = wall["id"].as_i64().expect("wall id");
    let save = |name: &'static str| {
        client
            .post(app.url(&format!("/api/v1/walls/{id}/save")))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": name }))
            .send()
    };
    for (name, code) in [
        ("sevens\u{202e}", "202E"),
        ("se\u{200b}vens", "200B"),
        ("\u{feff}sevens", "FEFF"),
    ] {
        let (status, _, message) = error_of(save(name).await.unwrap()).await;
        assert_eq!(status, 400, "{name:?}");
        assert!(message.contains(&format!("U+{code}")), "{message}");
    }
    assert_eq!(save("Sevens, café").await.unwrap().status(), 201);
    assert_eq!(app.store.rows_for_tests("lists").await.unwrap(), 1);
}

/// A search of 222,074 alphagrams used to be refused as "40001 alphagrams"; the refusal
/// says the true count, for players and guests, and a `limit` still makes the wall.
#[tokio::test]
async fn a_search_of_more_than_a_wall_holds_says_how_many_it_found() {
    for backend in backends("a_search_of_more_than_a_wall_holds_says_how_many_it_found") {
        let app = spawn_app(backend).await;
        let everything = tilebag_bundled::scowl80().alphagram_count();
        let count = tilebag_server::views::thousands(everything);
        let player = app.client();
        let csrf = register(&app, &player, "greedy", PASSWORD).await;
        let wall = |client: &reqwest::Client, limit: &'static str| {
            client
                .post(app.url("/api/v1/walls"))
                .header("x-csrf-token", &csrf)
                .json(&json!({ "search": { "length": "2-", "limit": limit } }))
                .send()
        };
        for client in [&player, &app.client()] {
            let (status, _, message) = error_of(wall(client, "").await.unwrap()).await;
            assert_eq!(status, 400, "{backend}");
            assert!(
                message.starts_with(&format!("{count} alphagrams is more than a wall holds")),
                "{backend}: {message}"
            );
        }
        let limited = wall(&player, "40000").await.unwrap();
        assert_eq!(limited.status(), 201, "{backend}");
        let view: serde_json::Value = limited.json().await.unwrap();
        assert_eq!(
            view["rounds"],
            40_000 / 50,
            "{backend}: 40,000 in rounds of 50"
        );
        app.stop().await.unwrap();
    }
}
