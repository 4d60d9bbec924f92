//! Zyzzyva cardboxes in and out of a deck, and its CSV export, over real HTTP on each
//! backend, with quiz databases the tests build in each shape Zyzzyva and other tools write.

#![allow(
    clippy::float_cmp,
    reason = "the stabilities compared are whole days, exact in f32"
)]

mod common;

use common::{Player, TestApp, error_of, roomy, spawn_app, spawn_with};
use serde_json::json;
use sqlx::{ConnectOptions, Connection};
use tilebag_store::testing::backends;
use tilebag_store::{DeckId, StoredCard};
use tilebag_study::review::{BOX_DAYS, CardState, DeckSettings};

/// Zyzzyva 0.14 and later.
const MODERN: &str = "CREATE TABLE questions (question varchar(16), correct integer, \
    incorrect integer, streak integer, last_correct integer, difficulty integer, \
    cardbox integer, next_scheduled integer); \
    CREATE UNIQUE INDEX question_index ON questions (question)";
/// Before 0.14: no cardbox, no schedule.
const BEFORE_CARDBOXES: &str = "CREATE TABLE questions (question varchar(16), \
    correct integer, incorrect integer, streak integer, last_correct integer, \
    difficulty integer); CREATE UNIQUE INDEX question_index ON questions (question)";

/// A SQLite file made by running `sql`, as bytes.
async fn quiz_file(sql: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Anagrams.db");
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    std::fs::read(&path).unwrap()
}

/// A player with an empty SCOWL80 deck.
async fn player_with_deck<'a>(app: &'a TestApp, name: &str) -> (Player<'a>, DeckId) {
    let player = Player::register(app, name).await;
    let user = app.store.user_by_name(name).await.unwrap();
    let deck = app
        .store
        .create_deck(
            user.id,
            "SCOWL80",
            name,
            &DeckSettings::default(),
            app.clock.now_s(),
        )
        .await
        .unwrap();
    (player, deck)
}

async fn upload(
    player: &Player<'_>,
    deck: DeckId,
    kind: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    player
        .client
        .post(
            player
                .app
                .url(&format!("/api/v1/decks/{}/import?kind={kind}", deck.0)),
        )
        .header("x-csrf-token", &player.csrf)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn import(
    player: &Player<'_>,
    deck: DeckId,
    kind: &str,
    bytes: Vec<u8>,
) -> serde_json::Value {
    let response = upload(player, deck, kind, bytes).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn cards(app: &TestApp, name: &str, deck: DeckId) -> Vec<StoredCard> {
    let user = app.store.user_by_name(name).await.unwrap();
    app.store.cards(user.id, deck).await.unwrap()
}

fn card<'a>(cards: &'a [StoredCard], front: &str) -> &'a StoredCard {
    cards.iter().find(|c| c.front == front).unwrap()
}

fn counts(report: &serde_json::Value) -> (u64, u64, u64) {
    let n = |k: &str| report[k].as_u64().unwrap();
    (n("imported"), n("present"), n("skipped"))
}

#[tokio::test]
async fn a_modern_cardbox_keeps_its_due_dates_and_boxes_and_a_reimport_counts_present() {
    for backend in
        backends("a_modern_cardbox_keeps_its_due_dates_and_boxes_and_a_reimport_counts_present")
    {
        let app = spawn_app(backend).await;
        let (player, deck) = player_with_deck(&app, "alice").await;
        let now = app.clock.now_s();
        let file = quiz_file(&format!(
            "{MODERN}; INSERT INTO questions VALUES \
             ('AEINRST', 5, 1, 3, {a}, 50, 3, {b}), ('TCA', 2, 0, 2, {a}, 50, 1, {c}), \
             ('DGO', 0, 3, -3, NULL, 50, 0, {d}), ('AET', 1, 1, 0, NULL, 50, NULL, NULL)",
            a = now - 5 * 86_400,
            b = now + 7 * 86_400,
            c = now - 86_400,
            d = now + 86_400,
        ))
        .await;
        let report = import(&player, deck, "alphagram", file.clone()).await;
        assert_eq!(counts(&report), (4, 0, 0), "{backend}: {report}");
        assert_eq!(report["had_cardboxes"], true);
        let all = cards(&app, "alice", deck).await;
        let retains = card(&all, "AEINRST");
        assert_eq!(retains.schedule.due, (now + 7 * 86_400) * 1000, "{backend}");
        assert_eq!(retains.schedule.state, CardState::Review);
        assert_eq!(
            retains.schedule.memory.unwrap().stability,
            BOX_DAYS[3] as f32
        );
        let act = card(&all, "ACT");
        assert_eq!(
            act.schedule.due,
            (now - 86_400) * 1000,
            "{backend}: the alphagram is sorted"
        );
        let dog = card(&all, "DGO");
        assert!(
            dog.schedule.memory.unwrap().difficulty > retains.schedule.memory.unwrap().difficulty,
            "{backend}: a card missed three times in a row is harder"
        );
        assert_eq!(
            card(&all, "AET").schedule.state,
            CardState::New,
            "{backend}"
        );

        let again = import(&player, deck, "alphagram", file).await;
        assert_eq!(counts(&again), (0, 4, 0), "{backend}: {again}");
    }
}

#[tokio::test]
async fn a_cardbox_from_before_zyzzyva_0_14_comes_in_as_new_cards() {
    for backend in backends("a_cardbox_from_before_zyzzyva_0_14_comes_in_as_new_cards") {
        let app = spawn_app(backend).await;
        let (player, deck) = player_with_deck(&app, "alice").await;
        let file = quiz_file(&format!(
            "{BEFORE_CARDBOXES}; INSERT INTO questions VALUES ('CAT', 4, 1, 2, 1700000000, 50), ('EAT', 0, 0, 0, NULL, NULL)"
        ))
        .await;
        let report = import(&player, deck, "hooks", file).await;
        assert_eq!(counts(&report), (2, 0, 0), "{backend}: {report}");
        assert_eq!(report["had_cardboxes"], false);
        for card in cards(&app, "alice", deck).await {
            assert_eq!(card.schedule.state, CardState::New, "{backend}");
            assert_eq!(card.schedule.due, app.clock.now_ms(), "{backend}");
        }
    }
}

#[tokio::test]
async fn floats_and_strings_from_other_tools_are_read_as_numbers() {
    for backend in backends("floats_and_strings_from_other_tools_are_read_as_numbers") {
        let app = spawn_app(backend).await;
        let (player, deck) = player_with_deck(&app, "alice").await;
        let next = app.clock.now_s() + 4 * 86_400;
        let file = quiz_file(&format!(
            "CREATE TABLE questions (question text, correct real, incorrect text, streak text, \
             last_correct real, difficulty real, cardbox text, next_scheduled text); \
             INSERT INTO questions VALUES ('aeinrst', 3.0, '1', ' 2 ', 1.7e9, 50.4, '2.0', '{next}.0'), \
             ('TCA', 1.0, '0', '1', NULL, NULL, 'soon', '{next}')"
        ))
        .await;
        let report = import(&player, deck, "alphagram", file).await;
        assert_eq!(counts(&report), (1, 0, 1), "{backend}: {report}");
        assert_eq!(
            report["reasons"][0], "row 2: its “cardbox” is “soon”, not a number",
            "{backend}"
        );
        let all = cards(&app, "alice", deck).await;
        let retains = card(&all, "AEINRST");
        assert_eq!(retains.schedule.due, next * 1000, "{backend}");
        assert_eq!(
            retains.schedule.memory.unwrap().stability,
            BOX_DAYS[2] as f32
        );
        assert_eq!((retains.schedule.reps, retains.schedule.lapses), (4, 1));
    }
}

#[tokio::test]
async fn bad_questions_are_skipped_with_reasons_shown_up_to_twenty() {
    for backend in backends("bad_questions_are_skipped_with_reasons_shown_up_to_twenty") {
        let app = spawn_app(backend).await;
        let (player, deck) = player_with_deck(&app, "alice").await;
        let bad: Vec<String> = (0..24)
            .map(|i| {
                format!(
                    "('QZXJ{}', 0, 0, 0, NULL, 50, 1, NULL)",
                    char::from(b'A' + i)
                )
            })
            .collect();
        let file = quiz_file(&format!(
            "{MODERN}; INSERT INTO questions VALUES ('AB3', 0, 0, 0, NULL, 50, 1, NULL), \
             ('AEINRST', 1, 0, 1, NULL, 50, 1, NULL), ('RETAINS', 1, 0, 1, NULL, 50, 1, NULL), {}",
            bad.join(", ")
        ))
        .await;
        let report = import(&player, deck, "alphagram", file).await;
        assert_eq!(counts(&report), (1, 0, 26), "{backend}: {report}");
        let reasons: Vec<&str> = report["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert_eq!(reasons.len(), 20);
        assert_eq!(report["more_skipped"], 6);
        assert_eq!(
            reasons[0],
            "row 1: “AB3” has characters other than the letters A to Z"
        );
        assert_eq!(reasons[1], "row 3: “RETAINS” is the same card as row 2");
        assert_eq!(
            reasons[2],
            "row 4: “QZXJA” is not an alphagram of any word in SCOWL80"
        );
        assert_eq!(cards(&app, "alice", deck).await.len(), 1, "{backend}");

        let hooks = quiz_file(&format!(
            "{MODERN}; INSERT INTO questions VALUES ('CAT', 1, 0, 1, NULL, 50, 1, NULL), ('TCA', 1, 0, 1, NULL, 50, 1, NULL)"
        ))
        .await;
        let report = import(&player, deck, "hooks", hooks).await;
        assert_eq!(counts(&report), (1, 0, 1), "{backend}: {report}");
        assert_eq!(
            report["reasons"][0],
            "row 2: “TCA” is not a word in SCOWL80"
        );
    }
}

#[tokio::test]
async fn rows_with_impossible_counts_or_dates_are_skipped_and_the_rest_can_be_graded() {
    for backend in
        backends("rows_with_impossible_counts_or_dates_are_skipped_and_the_rest_can_be_graded")
    {
        let app = spawn_app(backend).await;
        let (player, deck) = player_with_deck(&app, "alice").await;
        let file = quiz_file(&format!(
            "{MODERN}; INSERT INTO questions VALUES \
             ('AEINRST', 1, 4294967295, 1, NULL, 50, 3, NULL), \
             ('DEILNOS', 1, 0, 1, NULL, 50, 3, 9223372036854775807), \
             ('EINORST', 1000000, 1000000, -3, NULL, 50, 3, NULL)"
        ))
        .await;
        let report = import(&player, deck, "alphagram", file).await;
        assert_eq!(counts(&report), (1, 0, 2), "{backend}: {report}");
        assert_eq!(
            report["reasons"][0],
            "row 1: incorrect is 4294967295; a count of answers may be at most 1000000"
        );
        assert!(
            report["reasons"][1]
                .as_str()
                .unwrap()
                .starts_with("row 2: next_scheduled is 9223372036854775807, after the year 9999"),
            "{report}"
        );
        // The card with the most answers a row may have is graded and forgotten like any.
        let cards = cards(&app, "alice", deck).await;
        let imported = card(&cards, "EINORST");
        let graded = player
            .post(
                &format!("/api/v1/cards/{}/review", imported.id.0),
                json!({ "version": imported.version, "rating": 1, "took_ms": 1000 }),
            )
            .await;
        assert_eq!(graded["card"]["lapses"], 1_000_001, "{backend}: {graded}");
    }
}

#[tokio::test]
async fn files_that_are_not_cardboxes_are_refused_and_nothing_is_imported() {
    for backend in backends("files_that_are_not_cardboxes_are_refused_and_nothing_is_imported") {
        let app = spawn_app(backend).await;
        let (player, deck) = player_with_deck(&app, "alice").await;
        let text = b"AEINRST\nDEILNOS\n".to_vec();
        let (status, _, message) = error_of(upload(&player, deck, "alphagram", text).await).await;
        assert_eq!(status, 400, "{backend}");
        assert!(message.contains("not a SQLite database"), "{message}");

        let other =
            quiz_file("CREATE TABLE words (word text); INSERT INTO words VALUES ('CAT')").await;
        let (status, _, message) = error_of(upload(&player, deck, "alphagram", other).await).await;
        assert_eq!(status, 400, "{backend}");
        assert_eq!(
            message,
            "the file has no “questions” table; is it a Zyzzyva quiz database such as “Anagrams.db”?"
        );

        let huge = vec![0u8; 25 * 1000 * 1000 + 1];
        let (status, code, message) =
            error_of(upload(&player, deck, "alphagram", huge).await).await;
        assert_eq!((status, code.as_str()), (413, "too_large"), "{backend}");
        assert!(message.contains("over 25 MB"), "{message}");
        assert!(cards(&app, "alice", deck).await.is_empty(), "{backend}");
    }
}

#[tokio::test]
async fn an_import_over_the_card_limit_imports_nothing() {
    for backend in backends("an_import_over_the_card_limit_imports_nothing") {
        let mut config = roomy();
        config.max_cards = 3;
        let app = spawn_with(backend, true, config).await;
        let (player, deck) = player_with_deck(&app, "alice").await;
        let file = quiz_file(&format!(
            "{MODERN}; INSERT INTO questions VALUES ('AEINRST', 1, 0, 1, NULL, 50, 1, NULL), \
             ('ACT', 1, 0, 1, NULL, 50, 1, NULL), ('DGO', 1, 0, 1, NULL, 50, 1, NULL)"
        ))
        .await;
        assert_eq!(
            counts(&import(&player, deck, "alphagram", file).await),
            (3, 0, 0)
        );
        let more = quiz_file(&format!(
            "{MODERN}; INSERT INTO questions VALUES ('ACT', 1, 0, 1, NULL, 50, 1, NULL), ('AET', 1, 0, 1, NULL, 50, 1, NULL)"
        ))
        .await;
        let (status, code, message) =
            error_of(upload(&player, deck, "alphagram", more).await).await;
        assert_eq!(
            (status, code.as_str()),
            (409, "card_limit"),
            "{backend}: {message}"
        );
        assert!(message.contains("over the limit of 3 cards"), "{message}");
        let all = cards(&app, "alice", deck).await;
        assert_eq!(
            all.len(),
            3,
            "{backend}: nothing of the second file went in"
        );
    }
}

#[tokio::test]
async fn only_the_decks_owner_imports_and_exports_and_only_with_the_csrf_token() {
    for backend in backends("only_the_decks_owner_imports_and_exports_and_only_with_the_csrf_token")
    {
        let app = spawn_app(backend).await;
        let (_alice, deck) = player_with_deck(&app, "alice").await;
        let bob = Player::register(&app, "bobby").await;
        let file = quiz_file(&format!(
            "{MODERN}; INSERT INTO questions VALUES ('ACT', 1, 0, 1, NULL, 50, 1, NULL)"
        ))
        .await;
        let (status, _, _) = error_of(upload(&bob, deck, "alphagram", file.clone()).await).await;
        assert_eq!(status, 404, "{backend}");
        let export = bob
            .client
            .get(app.url(&format!("/api/v1/decks/{}/export", deck.0)))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 404, "{backend}");
        let guest = app.client();
        let response = guest
            .post(app.url(&format!("/api/v1/decks/{}/import", deck.0)))
            .body(file.clone())
            .send()
            .await
            .unwrap();
        let (status, code, _) = error_of(response).await;
        assert_eq!((status, code.as_str()), (401, "unauthorized"), "{backend}");
        let no_token = bob
            .client
            .post(app.url(&format!("/api/v1/decks/{}/import", deck.0)))
            .body(file.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(no_token.status(), 403, "{backend}");
        let script = guest
            .get(app.url("/static/deck_import.js"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            script.status(),
            200,
            "{backend}: the import form's script is served"
        );
        assert!(cards(&app, "alice", deck).await.is_empty());
    }
}

#[tokio::test]
async fn a_deck_exports_as_csv_and_as_a_cardbox_that_reimports_with_the_same_due_dates() {
    for backend in
        backends("a_deck_exports_as_csv_and_as_a_cardbox_that_reimports_with_the_same_due_dates")
    {
        let app = spawn_app(backend).await;
        let (player, deck) = player_with_deck(&app, "alice").await;
        let now = app.clock.now_s();
        let file = quiz_file(&format!(
            "{MODERN}; INSERT INTO questions VALUES ('AEINRST', 5, 1, 3, NULL, 50, 3, {b}), \
             ('ACT', 2, 0, 2, NULL, 50, 10, {c}), ('AET', 0, 0, 0, NULL, 50, NULL, NULL)",
            b = now + 7 * 86_400,
            c = now + 400 * 86_400,
        ))
        .await;
        import(&player, deck, "alphagram", file).await;

        let response = player
            .client
            .get(app.url(&format!("/api/v1/decks/{}/export?as=csv", deck.0)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-disposition"],
            "attachment; filename=\"alice.csv\""
        );
        let csv = response.text().await.unwrap();
        let due = |s: i64| {
            chrono::DateTime::from_timestamp(s, 0)
                .unwrap()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        let mut lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines.remove(0),
            "card,kind,due,stability,difficulty,reviews"
        );
        lines.sort_unstable();
        assert_eq!(lines.len(), 3, "{csv}");
        // The difficulty is the mapping's (see the study crate); here only its form.
        for (line, front, due_at, stability, reviews) in [
            (lines[0], "ACT", now + 400 * 86_400, "480.00", "2"),
            (lines[1], "AEINRST", now + 7 * 86_400, "12.00", "6"),
        ] {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(
                (f[0], f[1], f[2].to_owned(), f[3], f[5]),
                (front, "alphagram", due(due_at), stability, reviews),
                "{backend}: {line}"
            );
            let difficulty: f32 = f[4].parse().unwrap();
            assert!((1.0..=10.0).contains(&difficulty), "{line}");
        }
        assert_eq!(lines[2], format!("AET,alphagram,{},,,0", due(now)));

        let response = player
            .client
            .get(app.url(&format!("/api/v1/decks/{}/export?as=cardbox", deck.0)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-disposition"],
            "attachment; filename=\"alice-Anagrams.db\""
        );
        let cardbox = response.bytes().await.unwrap().to_vec();
        let user = app.store.user_by_name("alice").await.unwrap();
        let copy = app
            .store
            .create_deck(user.id, "SCOWL80", "copy", &DeckSettings::default(), now)
            .await
            .unwrap();
        let report = import(&player, copy, "alphagram", cardbox).await;
        assert_eq!(counts(&report), (3, 0, 0), "{backend}: {report}");
        let before = cards(&app, "alice", deck).await;
        for card in cards(&app, "alice", copy).await {
            let original = self::card(&before, &card.front);
            assert_eq!(
                card.schedule.due, original.schedule.due,
                "{backend}: {}",
                card.front
            );
            assert_eq!(card.schedule.state, original.schedule.state, "{backend}");
            assert_eq!(
                card.schedule.memory.map(|m| m.stability),
                original.schedule.memory.map(|m| m.stability),
                "{backend}"
            );
        }
    }
}

#[tokio::test]
async fn deck_exports_take_turns_among_heavy_answers_and_wait_no_longer_than_the_limit() {
    let app = spawn_app("sqlite").await;
    let (player, deck) = player_with_deck(&app, "alice").await;
    let export = || {
        player
            .client
            .get(app.url(&format!("/api/v1/decks/{}/export?as=csv", deck.0)))
            .send()
    };
    // Every turn is taken by work that goes on until the test lets it end.
    let heavy = app.state.heavy.clone();
    let budget = heavy.free_bytes();
    let mut gates = Vec::new();
    let mut holders = Vec::new();
    for _ in 0..heavy.free_turns() {
        let (open, gate) = tokio::sync::oneshot::channel::<()>();
        gates.push(open);
        let heavy = heavy.clone();
        holders.push(tokio::spawn(async move {
            heavy
                .run_async(async move {
                    let _ = gate.await;
                    Ok((axum::http::StatusCode::OK, "text/plain", Vec::new()))
                })
                .await
                .map(|_| ())
        }));
    }
    while heavy.free_turns() > 0 {
        tokio::task::yield_now().await;
    }
    let (status, code, message) = error_of(export().await.unwrap()).await;
    assert_eq!((status, code.as_str()), (503, "busy"), "{message}");
    assert!(message.contains("deck exports"), "{message}");

    drop(gates);
    for holder in holders {
        holder.await.unwrap().unwrap();
    }
    let response = export().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().starts_with("card,kind,due"));
    assert_eq!(
        heavy.free_bytes(),
        budget,
        "the sent export's share is back"
    );
    assert_eq!(heavy.free_turns(), tilebag_server::heavy::AT_ONCE);
}
