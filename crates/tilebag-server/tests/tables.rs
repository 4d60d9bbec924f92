//! Multiplayer tables over real sockets, on each backend: seats, the shared wall, claimed
//! words, retries, reconnection, bad messages, and everything freed afterwards.

mod common;

use std::time::Duration;

use common::seat::{Seat, guest, open};
use common::{TestApp, spawn_app};
use futures_util::SinkExt;
use serde_json::{Value, json};
use tilebag_store::testing::backends;

/// A table of the two-letter words with a Q, one round of all of them.
async fn table_of_qs(app: &TestApp) -> i64 {
    let client = app.client();
    let response = client
        .post(app.url("/api/v1/tables"))
        .header("cookie", guest("host"))
        .json(&json!({
            "search": { "length": "2", "includes": "Q" },
            "settings": { "questions_per_round": 10, "seconds": 60 },
        }))
        .send()
        .await
        .expect("create");
    assert_eq!(response.status(), 201);
    let made: Value = response.json().await.expect("json");
    made["id"].as_i64().expect("id")
}

/// The JSON a GET of `path` answers.
async fn get_json(app: &TestApp, path: &str) -> Value {
    let response = app.client().get(app.url(path)).send().await.expect("get");
    response.json().await.expect("json")
}

/// Waits, polling, until `done` holds (or fails after a while).
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited too long for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Ann (the host) and Bob at a table whose round has begun; the round's questions.
async fn round_on(app: &TestApp) -> (i64, Seat, Seat, Value) {
    let table = table_of_qs(app).await;
    let mut ann = open(app, table, &guest("host")).await;
    let welcome = ann.join("Ann").await;
    assert_eq!(welcome["token"], format!("{table}.1"));
    let mut bob = open(app, table, &guest("bob")).await;
    bob.join("Bob").await;
    ann.send(json!({ "type": "start" })).await;
    let countdown = bob.until("countdown").await;
    assert_eq!(countdown["remaining_ms"], 3000);
    app.clock.advance(std::time::Duration::from_secs(3));
    ann.send(json!({ "type": "ping" })).await;
    let started = ann.until("round_started").await;
    bob.until("round_started").await;
    (table, ann, bob, started)
}

#[tokio::test]
async fn both_players_see_a_word_claimed_once_by_whoever_typed_it_first() {
    for backend in backends("both_players_see_a_word_claimed_once_by_whoever_typed_it_first") {
        let app = spawn_app(backend).await;
        let (_, mut ann, mut bob, started) = round_on(&app).await;
        let alphagrams: Vec<&str> = started["questions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|q| q["alphagram"].as_str())
            .collect();
        assert!(alphagrams.contains(&"IQ"), "{backend}: {alphagrams:?}");
        ann.send(json!({ "type": "guess", "word": "qi", "req": 1 }))
            .await;
        bob.send(json!({ "type": "guess", "word": "QI", "req": 1 }))
            .await;
        let ann_result = ann.until("guess_result").await;
        let bob_result = bob.until("guess_result").await;
        let mut results = [ann_result["result"].clone(), bob_result["result"].clone()];
        results.sort_by_key(ToString::to_string);
        assert_eq!(
            results,
            [json!("already_solved"), json!("solved")],
            "{backend}"
        );
        let solver = if ann_result["result"] == "solved" {
            "Ann"
        } else {
            "Bob"
        };
        let ann_saw = ann.event("solved").await;
        let bob_saw = bob.event("solved").await;
        assert_eq!(
            ann_saw, bob_saw,
            "{backend}: the same event, the same number"
        );
        assert_eq!(
            (ann_saw["word"].as_str(), ann_saw["name"].as_str()),
            (Some("QI"), Some(solver))
        );
        // The same guess again gets the same answer, and nothing happens.
        let (seat, req) = if solver == "Ann" {
            (&mut ann, 1)
        } else {
            (&mut bob, 1)
        };
        seat.send(json!({ "type": "guess", "word": "QI", "req": req }))
            .await;
        assert_eq!(
            seat.until("guess_result").await["result"],
            "solved",
            "{backend}"
        );
        let view = get_json(&app, "/api/v1/tables/1").await;
        let words: u32 = view["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["words"].as_u64().unwrap() as u32)
            .sum();
        assert_eq!(words, 1, "{backend}: one word, counted once");
    }
}

#[tokio::test]
async fn a_round_ends_for_everyone_with_who_found_what() {
    for backend in backends("a_round_ends_for_everyone_with_who_found_what") {
        let app = spawn_app(backend).await;
        let (_, mut ann, mut bob, _) = round_on(&app).await;
        bob.send(json!({ "type": "guess", "word": "QAT", "req": 1 }))
            .await;
        assert_eq!(bob.until("guess_result").await["result"], "wrong");
        bob.send(json!({ "type": "guess", "word": "QI", "req": 2 }))
            .await;
        bob.until("guess_result").await;
        app.clock.advance(std::time::Duration::from_secs(61));
        ann.send(json!({ "type": "guess", "word": "SUQ", "req": 9 }))
            .await;
        assert_eq!(
            ann.until("guess_result").await["result"],
            "late",
            "{backend}"
        );
        for seat in [&mut ann, &mut bob] {
            let ended = seat.event("round_ended").await;
            assert_eq!(ended["reason"], "time_up", "{backend}");
            let qi = ended["solutions"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|q| q["solutions"].as_array().unwrap())
                .find(|s| s["word"] == "QI")
                .cloned()
                .unwrap();
            assert_eq!(
                (qi["found"].as_bool(), qi["by"].as_str()),
                (Some(true), Some("Bob"))
            );
            let bob_score = ended["scores"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["name"] == "Bob")
                .cloned()
                .unwrap();
            assert_eq!(bob_score["words"], 1);
        }
        // Bob sat down second: from his first event on, both saw the same.
        let from = bob.events[0]["seq"].as_u64();
        let ann_since: Vec<&Value> = ann
            .events
            .iter()
            .filter(|e| e["seq"].as_u64() >= from)
            .collect();
        let bob_all: Vec<&Value> = bob.events.iter().collect();
        assert_eq!(
            ann_since, bob_all,
            "{backend}: the same events in the same order"
        );
    }
}

#[tokio::test]
async fn a_client_that_reconnects_gets_exactly_the_events_it_missed() {
    for backend in backends("a_client_that_reconnects_gets_exactly_the_events_it_missed") {
        let app = spawn_app(backend).await;
        let table = table_of_qs(&app).await;
        let mut ann = open(&app, table, &guest("host")).await;
        ann.join("Ann").await;
        let mut bob = open(&app, table, &guest("bob")).await;
        let token = bob.join("Bob").await["token"].clone();
        bob.send(json!({ "type": "chat", "text": "hi" })).await;
        let seen = bob.until("chat").await["seq"].as_u64().unwrap();
        drop(bob);
        let away = ann.until("presence").await;
        assert_eq!(away["state"], "away");
        ann.send(json!({ "type": "chat", "text": "where did you go?" }))
            .await;
        ann.send(json!({ "type": "chat", "text": "<b>come back</b>" }))
            .await;
        ann.until("chat").await;
        ann.until("chat").await;
        let mut bob = open(&app, table, &guest("bob")).await;
        bob.send(json!({ "type": "resume", "token": token, "last_seq": seen }))
            .await;
        let mut got = Vec::new();
        while got.len() < 4 {
            let message = bob.next().await;
            assert_ne!(
                message["type"], "snapshot",
                "{backend}: replayed, not a snapshot"
            );
            if message.get("seq").is_some() {
                got.push(message);
            }
        }
        let kinds: Vec<&str> = got.iter().filter_map(|m| m["type"].as_str()).collect();
        assert_eq!(kinds, ["presence", "chat", "chat", "presence"], "{backend}");
        assert_eq!(
            got[2]["text"], "<b>come back</b>",
            "{backend}: text as sent; pages escape it"
        );
        let seqs: Vec<u64> = got.iter().filter_map(|m| m["seq"].as_u64()).collect();
        assert_eq!(seqs, (seen + 1..=seen + 4).collect::<Vec<_>>(), "{backend}");
        assert_eq!(
            app.state
                .tables
                .counts
                .replayed
                .load(std::sync::atomic::Ordering::Relaxed),
            3
        );
    }
}

#[tokio::test]
async fn bad_messages_get_an_error_and_the_socket_stays_open() {
    for backend in backends("bad_messages_get_an_error_and_the_socket_stays_open") {
        let app = spawn_app(backend).await;
        let table = table_of_qs(&app).await;
        let mut ann = open(&app, table, &guest("host")).await;
        for (bad, code) in [
            (json!({ "type": "dance" }), "bad_message"),
            (json!({ "type": "guess", "word": "QI" }), "bad_message"),
            (
                json!({ "type": "guess", "word": "QI", "req": 1 }),
                "not_joined",
            ),
            (json!({ "type": "join", "as": "player" }), "bad_text"),
            (
                json!({ "type": "join", "as": "player", "name": "\u{0}" }),
                "bad_text",
            ),
            (
                json!({ "type": "resume", "token": "9.1", "last_seq": 0 }),
                "bad_token",
            ),
            (json!({ "type": "start" }), "not_joined"),
        ] {
            ann.send(bad.clone()).await;
            let error = ann.until("error").await;
            assert_eq!(error["code"], code, "{backend}: {bad}");
        }
        ann.socket
            .send(tokio_tungstenite::tungstenite::Message::text("not json"))
            .await
            .unwrap();
        assert_eq!(ann.until("error").await["code"], "bad_message");
        ann.join("Ann").await;
        ann.send(json!({ "type": "join", "as": "player", "name": "Ann" }))
            .await;
        assert_eq!(ann.until("error").await["code"], "already_joined");
        ann.send(json!({ "type": "guess", "word": "Q".repeat(65), "req": 2 }))
            .await;
        assert_eq!(ann.until("error").await["code"], "bad_text");
        // Over 4 KB: refused; far over, the socket is closed as too big.
        ann.send(json!({ "type": "chat", "text": "x".repeat(5000) }))
            .await;
        assert_eq!(ann.until("error").await["code"], "too_large", "{backend}");
        ann.send(json!({ "type": "chat", "text": "x".repeat(100_000) }))
            .await;
        assert_eq!(ann.closed().await, Some(1009), "{backend}");
        let again = open(&app, table, &guest("host")).await;
        drop(again);
    }
}

#[tokio::test]
async fn a_socket_from_another_site_is_refused() {
    let app = spawn_app("sqlite").await;
    let table = table_of_qs(&app).await;
    let client = app.client();
    let response = client
        .get(app.url(&format!("/api/v1/tables/{table}/ws")))
        .header("origin", "http://evil.example")
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(status, 403, "{}", response.text().await.unwrap());
    let missing = client
        .get(app.url("/api/v1/tables/999/ws"))
        .send()
        .await
        .unwrap();
    let status = missing.status();
    assert_eq!(status, 404, "{}", missing.text().await.unwrap());
}

#[tokio::test]
async fn sockets_and_rooms_are_freed_when_everyone_has_gone() {
    for backend in backends("sockets_and_rooms_are_freed_when_everyone_has_gone") {
        let app = spawn_app(backend).await;
        let counts = &app.state.tables.counts;
        let (_, mut ann, bob, _) = round_on(&app).await;
        let mut spectators = Vec::new();
        for i in 0..5 {
            let mut seat = open(&app, 1, &guest(&format!("s{i}"))).await;
            seat.send(json!({ "type": "join", "as": "spectator", "name": format!("S{i}") }))
                .await;
            seat.until("welcome").await;
            spectators.push(seat);
        }
        assert_eq!(counts.sockets.load(std::sync::atomic::Ordering::Relaxed), 7);
        assert_eq!(app.state.tables.rooms(), 1);
        ann.send(json!({ "type": "leave" })).await;
        assert_eq!(ann.closed().await, Some(1000), "{backend}");
        drop(bob);
        drop(spectators);
        eventually("every socket to close", || {
            counts.sockets.load(std::sync::atomic::Ordering::Relaxed) == 0
        })
        .await;
        eventually("the room to go", || app.state.tables.rooms() == 0).await;
    }
}

#[tokio::test]
async fn on_shutdown_sockets_are_told_to_reconnect_with_1012() {
    let app = spawn_app("sqlite").await;
    let table = table_of_qs(&app).await;
    let mut ann = open(&app, table, &guest("host")).await;
    ann.join("Ann").await;
    let stopping = tokio::spawn(app.stop());
    assert_eq!(ann.closed().await, Some(1012));
    stopping.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_visits_of_join_guess_chat_leave_leave_nothing_behind() {
    for backend in backends("many_visits_of_join_guess_chat_leave_leave_nothing_behind") {
        let app = spawn_app(backend).await;
        let (table, _ann, _bob, _) = round_on(&app).await;
        let app = &app;
        let visits = (0..8).map(|lane| async move {
            for visit in 0..25 {
                let mut seat = open(app, table, &guest(&format!("v{lane}-{visit}"))).await;
                seat.join("Visitor").await;
                seat.send(json!({ "type": "guess", "word": "QAID", "req": 1 }))
                    .await;
                seat.until("guess_result").await;
                seat.send(json!({ "type": "chat", "text": "hi" })).await;
                seat.send(json!({ "type": "leave" })).await;
                assert_eq!(seat.closed().await, Some(1000));
            }
        });
        futures_util::future::join_all(visits).await;
        let counts = &app.state.tables.counts;
        eventually("the visitors' sockets to close", || {
            counts.sockets.load(std::sync::atomic::Ordering::Relaxed) == 2
        })
        .await;
        let view = get_json(app, "/api/v1/tables/1").await;
        assert_eq!(
            view["members"].as_array().unwrap().len(),
            2,
            "{backend}: every visitor left"
        );
        assert!(
            view["chat"].as_array().unwrap().len() <= 50,
            "{backend}: chat kept is bounded"
        );
    }
}

#[tokio::test]
async fn a_table_where_nothing_happens_closes_and_its_sockets_are_told() {
    let app = spawn_app("sqlite").await;
    let table = table_of_qs(&app).await;
    let mut ann = open(&app, table, &guest("host")).await;
    ann.join("Ann").await;
    app.clock.advance(Duration::from_mins(29));
    let swept = tilebag_server::app::sweep::sweep(&app.state.app)
        .await
        .unwrap();
    assert_eq!(swept.tables, 0, "29 minutes is not idle enough");
    app.clock.advance(Duration::from_mins(2));
    let swept = tilebag_server::app::sweep::sweep(&app.state.app)
        .await
        .unwrap();
    assert_eq!(swept.tables, 1);
    assert_eq!(ann.closed().await, Some(4000));
    let gone = app
        .client()
        .get(app.url(&format!("/api/v1/tables/{table}")))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    assert_eq!(get_json(&app, "/api/v1/tables").await, json!([]));
}
