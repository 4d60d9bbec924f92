//! Walls over real HTTP: make, play, give up, mark, next round, save, lists, uploads.

mod common;

use common::{error_of, register, spawn_app};
use serde_json::{Value, json};
use tilebag_store::testing::backends;

const PASSWORD: &str = "correct horse battery";

async fn new_wall(
    app: &common::TestApp,
    client: &reqwest::Client,
    csrf: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut request = client.post(app.url("/api/v1/walls")).json(&body);
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    request.send().await.unwrap()
}

fn sevens() -> Value {
    json!({ "search": { "length": "7", "probability": "1-20" }, "settings": { "questions_per_round": 10, "seconds": 60 } })
}

#[tokio::test]
async fn a_guest_plays_a_round_to_the_end() {
    for backend in backends("a_guest_plays_a_round_to_the_end") {
        let app = spawn_app(backend).await;
        let guest = app.client();
        let created = new_wall(&app, &guest, None, sevens()).await;
        assert_eq!(created.status(), 201, "{backend}");
        let wall: Value = created.json().await.unwrap();
        let id = wall["id"].as_i64().unwrap();
        assert_eq!(wall["questions"].as_array().unwrap().len(), 10);
        assert!(wall["remaining_ms"].as_i64().unwrap() > 55_000);
        assert!(
            wall["questions"][0].get("solutions").is_none(),
            "answers stay secret while the round runs"
        );

        // Take a real answer from the word tools, as a player would know it.
        let alphagram = wall["questions"][0]["alphagram"]
            .as_str()
            .unwrap()
            .to_owned();
        let words: Value = guest
            .get(app.url(&format!("/api/v1/anagram?q={alphagram}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let word = words["words"][0].as_str().unwrap().to_owned();
        let guess = |word: String| {
            guest
                .post(app.url(&format!("/api/v1/walls/{id}/guess")))
                .json(&json!({ "word": word }))
                .send()
        };
        let first: Value = guess(word.to_lowercase())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                first["result"].as_str(),
                first["question"].as_u64(),
                first["solved"].as_u64()
            ),
            (Some("solved"), Some(0), Some(1))
        );
        let again: Value = guess(word.clone()).await.unwrap().json().await.unwrap();
        assert_eq!(
            (again["result"].as_str(), again["solved"].as_u64()),
            (Some("already_solved"), Some(1)),
            "a resent guess counts once"
        );
        let wrong: Value = guess("ZZZZZZZ".into()).await.unwrap().json().await.unwrap();
        assert_eq!(
            (wrong["result"].as_str(), wrong["wrong"].as_u64()),
            (Some("wrong"), Some(1))
        );

        let over: Value = guest
            .post(app.url(&format!("/api/v1/walls/{id}/give-up")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(over["ended"], "gave_up");
        let first_question = &over["questions"][0];
        assert!(first_question["probability"].as_u64().is_some());
        let solutions = first_question["solutions"].as_array().unwrap();
        assert!(
            solutions
                .iter()
                .any(|s| s["word"] == word.as_str() && s["found"] == true)
        );
        assert!(
            solutions[0].get("front_hooks").is_some() && solutions[0].get("definition").is_some()
        );
        assert_eq!(
            first_question["missed"],
            solutions.iter().any(|s| s["found"] == false)
        );
        let late: Value = guess(word.clone()).await.unwrap().json().await.unwrap();
        assert_eq!(late["result"], "over");

        // Mark the second question missed, then undo it.
        let mark = |missed: Value| {
            guest
                .post(app.url(&format!("/api/v1/walls/{id}/missed")))
                .json(&json!({ "question": 1, "missed": missed }))
                .send()
        };
        let marked: Value = mark(json!(false)).await.unwrap().json().await.unwrap();
        assert_eq!(marked["questions"][1]["missed"], false);
        let undone: Value = mark(Value::Null).await.unwrap().json().await.unwrap();
        assert_eq!(undone["questions"][1]["missed"], true);

        let next: Value = guest
            .post(app.url(&format!("/api/v1/walls/{id}/next")))
            .json(&json!({ "deal": "continue" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(next["ended"], Value::Null);
        assert_eq!(next["solved"], 0);
        let missed: Value = guest
            .post(app.url(&format!("/api/v1/walls/{id}/give-up")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(missed["ended"], "gave_up");
        let quiz: Value = guest
            .post(app.url(&format!("/api/v1/walls/{id}/next")))
            .json(&json!({ "deal": "missed" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            quiz["questions"].as_array().unwrap().len() >= 10,
            "every miss so far comes back"
        );
    }
}

#[tokio::test]
async fn nobody_reads_or_changes_another_players_wall() {
    for backend in backends("nobody_reads_or_changes_another_players_wall") {
        let app = spawn_app(backend).await;
        let (owner, stranger, guest) = (app.client(), app.client(), app.client());
        let csrf = register(&app, &owner, "owner", PASSWORD).await;
        let wall: Value = new_wall(&app, &owner, Some(&csrf), sevens())
            .await
            .json()
            .await
            .unwrap();
        let id = wall["id"].as_i64().unwrap();
        let other_csrf = register(&app, &stranger, "stranger", PASSWORD).await;
        for client in [&stranger, &guest] {
            let read = client
                .get(app.url(&format!("/api/v1/walls/{id}")))
                .send()
                .await
                .unwrap();
            assert_eq!(error_of(read).await.0, 404, "{backend}: 404, not 403");
            let guess = client
                .post(app.url(&format!("/api/v1/walls/{id}/guess")))
                .header("x-csrf-token", &other_csrf)
                .json(&json!({ "word": "RETAINS" }))
                .send()
                .await
                .unwrap();
            assert_eq!(guess.status(), 404);
        }
        let unknown = owner
            .get(app.url("/api/v1/walls/999999"))
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(unknown).await.0, 404);
        // The owner's own state-changing calls need the CSRF token.
        let no_token = owner
            .post(app.url(&format!("/api/v1/walls/{id}/give-up")))
            .send()
            .await
            .unwrap();
        assert_eq!(no_token.status(), 403);
    }
}

#[tokio::test]
#[allow(
    clippy::too_many_lines,
    reason = "one player's story from saving to deleting"
)]
async fn saved_lists_autosave_continue_export_and_stay_private() {
    for backend in backends("saved_lists_autosave_continue_export_and_stay_private") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "lister", PASSWORD).await;
        let post = |path: String, body: Value| {
            client
                .post(app.url(&path))
                .header("x-csrf-token", &csrf)
                .json(&body)
                .send()
        };
        let wall: Value = post("/api/v1/walls".into(), sevens())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = wall["id"].as_i64().unwrap();
        let saved = post(
            format!("/api/v1/walls/{id}/save"),
            json!({ "name": "Top sevens" }),
        )
        .await
        .unwrap();
        assert_eq!(saved.status(), 201, "{backend}");
        let list: Value = saved.json().await.unwrap();
        let list_id = list["id"].as_i64().unwrap();
        assert_eq!(
            (list["questions"].as_i64(), list["seen"].as_i64()),
            (Some(20), Some(0)),
            "the round being played is not seen until it is finished"
        );
        let taken = post(
            format!("/api/v1/walls/{id}/save"),
            json!({ "name": "Top sevens" }),
        )
        .await
        .unwrap();
        assert_eq!(error_of(taken).await.0, 409);

        post(format!("/api/v1/walls/{id}/give-up"), json!(null))
            .await
            .unwrap();
        let lists: Value = client
            .get(app.url("/api/v1/lists"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            lists[0]["missed"], 10,
            "{backend}: autosaved after the round"
        );
        assert_eq!(lists[0]["first_missed"], 10);
        assert_eq!(lists[0]["seen"], 10, "{backend}: seen once the round ended");

        let continued: Value = post(
            format!("/api/v1/lists/{list_id}/walls"),
            json!({ "deal": "continue", "settings": { "questions_per_round": 10, "seconds": 60 } }),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        assert_eq!(continued["list_id"], list_id);
        let dealt: Vec<&str> = continued["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["alphagram"].as_str().unwrap())
            .collect();
        let first_round: Vec<&str> = wall["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["alphagram"].as_str().unwrap())
            .collect();
        assert!(
            dealt.iter().all(|a| !first_round.contains(a)),
            "continue deals the rest of the list"
        );

        let export = client
            .get(app.url(&format!("/api/v1/lists/{list_id}/export")))
            .send()
            .await
            .unwrap();
        assert!(
            export.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("Top-sevens.txt")
        );
        let lines = export.text().await.unwrap();
        assert_eq!(lines.lines().count(), 20);
        let words = client
            .get(app.url(&format!("/api/v1/lists/{list_id}/export?as=words")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(words.lines().count() >= 20);

        let stranger = app.client();
        let their_csrf = register(&app, &stranger, "snoop", PASSWORD).await;
        let peek = stranger
            .get(app.url(&format!("/api/v1/lists/{list_id}/export")))
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(peek).await.0, 404);
        let play = stranger
            .post(app.url(&format!("/api/v1/lists/{list_id}/walls")))
            .header("x-csrf-token", &their_csrf)
            .json(&json!({ "deal": "continue" }))
            .send()
            .await
            .unwrap();
        assert_eq!(play.status(), 404);
        let rename = client
            .patch(app.url(&format!("/api/v1/lists/{list_id}")))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": "Sevens" }))
            .send()
            .await
            .unwrap();
        assert_eq!(rename.status(), 204);
        let delete = client
            .delete(app.url(&format!("/api/v1/lists/{list_id}")))
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap();
        assert_eq!(delete.status(), 204);
        let none: Value = client
            .get(app.url("/api/v1/lists"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(none, json!([]));
    }
}

#[tokio::test]
async fn saving_needs_an_account_and_respects_the_quota() {
    let config = tilebag_server::Config {
        max_saved_alphagrams: 25,
        ..common::roomy()
    };
    let app = common::spawn_with("sqlite", true, config).await;
    let guest = app.client();
    let wall: Value = new_wall(&app, &guest, None, sevens())
        .await
        .json()
        .await
        .unwrap();
    let id = wall["id"].as_i64().unwrap();
    let save = guest
        .post(app.url(&format!("/api/v1/walls/{id}/save")))
        .json(&json!({ "name": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(save).await,
        (
            401,
            "unauthorized".into(),
            "log in to keep lists and decks".into()
        )
    );

    let client = app.client();
    let csrf = register(&app, &client, "saver", PASSWORD).await;
    let post = |path: String, body: Value| {
        client
            .post(app.url(&path))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
    };
    let first: Value = post("/api/v1/walls".into(), sevens())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = first["id"].as_i64().unwrap();
    assert_eq!(
        post(
            format!("/api/v1/walls/{first}/save"),
            json!({ "name": "one" })
        )
        .await
        .unwrap()
        .status(),
        201
    );
    let second: Value = post("/api/v1/walls".into(), sevens())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let second = second["id"].as_i64().unwrap();
    let (status, code, message) = error_of(
        post(
            format!("/api/v1/walls/{second}/save"),
            json!({ "name": "two" }),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!((status, code.as_str()), (422, "quota"));
    assert!(message.contains("over the limit of 25"), "{message}");
}

#[tokio::test]
async fn uploads_report_bad_lines_and_make_nothing() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let upload = |body: &'static str| {
        client
            .post(app.url("/api/v1/walls/upload?questions_per_round=10"))
            .body(body)
            .send()
    };
    let (status, _, message) = error_of(upload("retains\nQI\nC4T\nxyzzyq\n").await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(
        message.contains("2 bad lines, nothing was made")
            && message.contains("line 3: “C4T”")
            && message.contains("line 4: “xyzzyq” has no anagrams"),
        "{message}"
    );
    let made = upload("# my words\nretains\nstainer\nQI\n\nZA\n")
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    let wall: Value = made.json().await.unwrap();
    assert_eq!(
        wall["questions"].as_array().unwrap().len(),
        3,
        "RETAINS and STAINER are one alphagram"
    );
    let too_many = client
        .post(app.url("/api/v1/walls/upload"))
        .body("QI\n".repeat(40_001))
        .send()
        .await
        .unwrap();
    let (status, _, message) = error_of(too_many).await;
    assert_eq!(status, 400);
    assert!(
        message.contains("40001 lines: a list holds at most 40000"),
        "{message}"
    );
    let oversized = client
        .post(app.url("/api/v1/walls/upload"))
        .body("RETAINS\n".repeat(200_000))
        .send()
        .await
        .unwrap();
    assert_eq!(
        oversized.status(),
        413,
        "bodies over the limit are refused before reading"
    );
    let (status, _, message) = error_of(
        client
            .post(app.url("/api/v1/walls"))
            .json(&json!({ "search": { "length": "7" }, "settings": { "seconds": 0 } }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert!(message.contains("1 second to 60 minutes"), "{message}");
}

#[tokio::test]
async fn build_mode_asks_for_every_word_of_the_rack() {
    let app = spawn_app("sqlite").await;
    let guest = app.client();
    let body = json!({ "search": { "length": "6", "probability": "1-10" }, "settings": { "questions_per_round": 10, "seconds": 60, "mode": "build", "min_length": 4 } });
    let wall: Value = new_wall(&app, &guest, None, body)
        .await
        .json()
        .await
        .unwrap();
    let rack = wall["questions"][0]["alphagram"]
        .as_str()
        .unwrap()
        .to_owned();
    let expected: Value = guest
        .get(app.url(&format!("/api/v1/anagram?q={rack}&mode=build")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expected: Vec<&str> = expected["words"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|w| w.len() >= 4)
        .collect();
    assert_eq!(
        wall["questions"][0]["answers"].as_u64(),
        Some(expected.len() as u64),
        "{rack}"
    );
    let id = wall["id"].as_i64().unwrap();
    let short = guest
        .post(app.url(&format!("/api/v1/walls/{id}/guess")))
        .json(&json!({ "word": expected[0] }))
        .send()
        .await
        .unwrap();
    let short: Value = short.json().await.unwrap();
    assert_eq!(short["result"], "solved");
}
