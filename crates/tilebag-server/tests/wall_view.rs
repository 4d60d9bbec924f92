//! What a wall's view tells the player, over real HTTP on each backend: what it plays,
//! which round of how many, the round's result, definitions as the player wants them,
//! and whether a challenge attempt counts.

mod common;

use std::time::Duration;

use common::{Player, SendJson, TestApp, register, spawn_app};
use serde_json::{Value, json};
use tilebag_store::testing::backends;

const PASSWORD: &str = "correct horse battery";

impl Player<'_> {
    async fn sevens(&self, probability: &str) -> Value {
        let search = json!({ "search": { "length": "7", "probability": probability },
                             "settings": { "questions_per_round": 10, "seconds": 60 } });
        self.post("/api/v1/walls", search).await
    }

    async fn give_up(&self, wall: &Value) -> Value {
        let id = &wall["id"];
        self.post(&format!("/api/v1/walls/{id}/give-up"), json!({}))
            .await
    }
}

async fn player<'a>(app: &'a TestApp, name: Option<&str>) -> Player<'a> {
    let client = app.client();
    let csrf = match name {
        Some(name) => register(app, &client, name, PASSWORD).await,
        None => String::new(),
    };
    Player { app, client, csrf }
}

fn words_of(app: &TestApp, alphagram: &str) -> Vec<String> {
    let lexicon = app
        .state
        .app
        .lexicons
        .get("SCOWL80")
        .expect("the test lexicon");
    let id = lexicon.find_alphagram(alphagram).expect("a real alphagram");
    lexicon
        .alphagram(id)
        .words()
        .map(|w| w.text().to_owned())
        .collect()
}

#[tokio::test]
async fn a_wall_says_what_it_plays_which_round_of_how_many_and_how_the_round_went() {
    for backend in
        backends("a_wall_says_what_it_plays_which_round_of_how_many_and_how_the_round_went")
    {
        let app = spawn_app(backend).await;
        let me = player(&app, Some("counter")).await;
        let wall = me.sevens("1-30").await;
        let id = wall["id"].as_i64().unwrap();
        assert_eq!(wall["source"], "7s, probability 1–30", "{backend}");
        assert_eq!((&wall["round"], &wall["rounds"]), (&json!(1), &json!(3)));
        assert_eq!(
            (
                &wall["alphagrams_solved"],
                &wall["alphagrams_total"],
                &wall["used_ms"]
            ),
            (&json!(0), &json!(10), &json!(0))
        );

        // Solve every word of the first question, let 5 s pass, give up.
        let alphagram = wall["questions"][0]["alphagram"].as_str().unwrap();
        for word in words_of(&app, alphagram) {
            me.post(
                &format!("/api/v1/walls/{id}/guess"),
                json!({ "word": word }),
            )
            .await;
        }
        app.clock.advance(Duration::from_secs(5));
        let over = me.give_up(&wall).await;
        assert_eq!(
            (&over["alphagrams_solved"], &over["used_ms"]),
            (&json!(1), &json!(5000)),
            "{backend}"
        );

        let next = me
            .post(
                &format!("/api/v1/walls/{id}/next"),
                json!({ "deal": "continue" }),
            )
            .await;
        assert_eq!((&next["round"], &next["rounds"]), (&json!(2), &json!(3)));
        let reread = me
            .client
            .get(app.url(&format!("/api/v1/walls/{id}")))
            .json_body()
            .await;
        assert_eq!(reread["round"], 2, "{backend}: the round is stored");

        // A saved list's wall says the list's name, and goes on where the list stands.
        me.give_up(&next).await;
        let list = me
            .post(
                &format!("/api/v1/walls/{id}/save"),
                json!({ "name": "Top sevens" }),
            )
            .await;
        let from_list = me
            .post(
                &format!("/api/v1/lists/{}/walls", list["id"]),
                json!({ "deal": "continue", "settings": { "questions_per_round": 10 } }),
            )
            .await;
        assert_eq!(from_list["source"], "list “Top sevens”", "{backend}");
        assert_eq!(
            (&from_list["round"], &from_list["rounds"]),
            (&json!(3), &json!(3))
        );

        let uploaded = me
            .client
            .post(app.url("/api/v1/walls/upload?questions_per_round=10"))
            .header("x-csrf-token", &me.csrf)
            .body("AEINRST\nAEINORT\n")
            .json_body()
            .await;
        assert_eq!(uploaded["source"], "uploaded file", "{backend}");
    }
}

#[tokio::test]
async fn definitions_stay_on_the_server_when_a_player_turns_them_off() {
    for backend in backends("definitions_stay_on_the_server_when_a_player_turns_them_off") {
        let app = spawn_app(backend).await;
        let defined = |view: &Value| {
            view["questions"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|q| q["solutions"].as_array().unwrap())
                .filter(|s| s["definition"].is_string())
                .count()
        };
        let guest = player(&app, None).await;
        let wall = guest.sevens("1-30").await;
        let over = guest.give_up(&wall).await;
        assert_eq!(over["definitions"], true, "{backend}");
        assert!(defined(&over) > 0, "guests see definitions");

        let me = player(&app, Some("plain")).await;
        let saved = me
            .client
            .put(app.url("/api/v1/account/settings"))
            .header("x-csrf-token", &me.csrf)
            .json(&json!({ "preferences": { "show_definitions": false } }))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200);
        let wall = me.sevens("1-30").await;
        let over = me.give_up(&wall).await;
        assert_eq!(over["definitions"], false, "{backend}");
        assert_eq!(defined(&over), 0, "no definition text leaves the server");
        assert!(over["questions"][0]["solutions"][0]["front_hooks"].is_string());
    }
}

#[tokio::test]
async fn a_challenge_wall_says_whether_the_attempt_counts_and_why() {
    for backend in backends("a_challenge_wall_says_whether_the_attempt_counts_and_why") {
        let app = spawn_app(backend).await;
        let me = player(&app, Some("racer")).await;
        let play = |who: &Player<'_>| {
            who.client
                .post(app.url("/api/v1/challenges/today-7/play"))
                .header("x-csrf-token", &who.csrf)
                .json_body()
        };
        let first = play(&me).await;
        let challenge = &first["challenge"];
        assert_eq!(challenge["counts"], true, "{backend}: {first}");
        assert!(challenge["why"].as_str().unwrap().contains("first attempt"));
        assert_eq!(first["source"], "Today's 7s");
        me.give_up(&first).await;
        let board = me
            .client
            .get(app.url(challenge["leaderboard_api"].as_str().unwrap()))
            .json_body()
            .await;
        assert_eq!(board[0]["username"], "racer", "{backend}: {board}");

        let second = play(&me).await;
        assert_eq!(second["challenge"]["counts"], false);
        assert!(
            second["challenge"]["why"]
                .as_str()
                .unwrap()
                .contains("played it already"),
            "{second}"
        );
        let guest = player(&app, None).await;
        let practice = play(&guest).await;
        assert_eq!(practice["challenge"]["counts"], false);
        assert!(
            practice["challenge"]["why"]
                .as_str()
                .unwrap()
                .contains("guests")
        );
    }
}
