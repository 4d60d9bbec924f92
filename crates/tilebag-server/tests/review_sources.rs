//! Cards from the places players study, over real HTTP on both backends: the setting that
//! puts the alphagrams missed in each round of a wall into a chosen deck.

mod common;

use std::time::Duration;

use common::{Player, error_of, roomy, spawn_app, spawn_with};
use serde_json::{Value, json};
use tilebag_store::testing::backends;

async fn new_deck(player: &Player<'_>, name: &str) -> i64 {
    let deck = player.post("/api/v1/decks", json!({ "name": name })).await;
    deck["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a deck: {deck}"))
}

async fn choose_deck(player: &Player<'_>, deck: i64) -> reqwest::Response {
    player
        .client
        .put(player.app.url("/api/v1/account/settings"))
        .header("x-csrf-token", &player.csrf)
        .json(&json!({ "preferences": { "auto_deck": deck } }))
        .send()
        .await
        .unwrap()
}

async fn cards_in(player: &Player<'_>, deck: i64) -> i64 {
    let decks = player.get("/api/v1/decks").await;
    decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == deck)
        .map_or_else(
            || panic!("deck {deck} in {decks}"),
            |d| d["cards"].as_i64().unwrap(),
        )
}

/// A wall of the 20 likeliest sevens, 10 a round, a minute each.
async fn new_wall(player: &Player<'_>) -> i64 {
    let body = json!({ "search": { "length": "7", "probability": "1-20" }, "settings": { "questions_per_round": 10, "seconds": 60 } });
    let wall = player.post("/api/v1/walls", body).await;
    wall["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a wall: {wall}"))
}

async fn give_up(player: &Player<'_>, wall: i64) -> Value {
    let done = player
        .post(&format!("/api/v1/walls/{wall}/give-up"), json!({}))
        .await;
    assert_eq!(done["ended"], "gave_up", "{done}");
    done
}

async fn next(player: &Player<'_>, wall: i64, deal: &str) {
    let next = player
        .post(
            &format!("/api/v1/walls/{wall}/next"),
            json!({ "deal": deal }),
        )
        .await;
    assert!(next["ended"].is_null(), "a new round: {next}");
}

#[tokio::test]
async fn rounds_given_up_or_timed_out_put_their_missed_alphagrams_in_the_chosen_deck() {
    for backend in
        backends("rounds_given_up_or_timed_out_put_their_missed_alphagrams_in_the_chosen_deck")
    {
        let app = spawn_app(backend).await;
        let ann = Player::register(&app, "ann").await;
        let deck = new_deck(&ann, "Missed sevens").await;
        assert_eq!(choose_deck(&ann, deck).await.status(), 200, "{backend}");
        let me = ann.get("/api/v1/account").await;
        assert_eq!(me["preferences"]["auto_deck"], deck, "{me}");

        let wall = new_wall(&ann).await;
        give_up(&ann, wall).await;
        assert_eq!(
            cards_in(&ann, deck).await,
            10,
            "{backend}: a given-up round"
        );
        let first = ann.get(&format!("/api/v1/decks/{deck}/cards")).await;
        assert_eq!(first[0]["kind"], "alphagram", "{first}");

        // The next round: one wrong guess, then the clock runs out while nobody looks.
        next(&ann, wall, "continue").await;
        ann.post(
            &format!("/api/v1/walls/{wall}/guess"),
            json!({ "word": "QQQ" }),
        )
        .await;
        app.clock.advance(Duration::from_secs(61));
        let over = ann.get(&format!("/api/v1/walls/{wall}")).await;
        assert_eq!(over["ended"], "time_up", "{over}");
        assert_eq!(
            cards_in(&ann, deck).await,
            20,
            "{backend}: a timed-out round"
        );

        // The same alphagrams missed again are cards already there.
        next(&ann, wall, "missed").await;
        give_up(&ann, wall).await;
        assert_eq!(cards_in(&ann, deck).await, 20, "{backend}");
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn a_round_walked_away_from_adds_nothing() {
    for backend in backends("a_round_walked_away_from_adds_nothing") {
        let app = spawn_app(backend).await;
        let ann = Player::register(&app, "ann").await;
        let deck = new_deck(&ann, "Missed").await;
        choose_deck(&ann, deck).await;
        let wall = new_wall(&ann).await;
        app.clock.advance(Duration::from_secs(61));
        let over = ann.get(&format!("/api/v1/walls/{wall}")).await;
        assert_eq!(over["ended"], "time_up", "{over}");
        assert_eq!(cards_in(&ann, deck).await, 0, "{backend}");
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn rounds_still_end_when_the_chosen_deck_is_full_or_deleted() {
    for backend in backends("rounds_still_end_when_the_chosen_deck_is_full_or_deleted") {
        let mut config = roomy();
        config.max_cards = 15;
        let app = spawn_with(backend, true, config).await;
        let ann = Player::register(&app, "ann").await;
        let deck = new_deck(&ann, "Small").await;
        choose_deck(&ann, deck).await;
        let wall = new_wall(&ann).await;
        give_up(&ann, wall).await;
        assert_eq!(cards_in(&ann, deck).await, 10, "{backend}");

        // Ten more would pass the limit of 15: none are added, and the round ends as ever.
        next(&ann, wall, "continue").await;
        let done = give_up(&ann, wall).await;
        assert_eq!(done["alphagrams_total"], 10, "{done}");
        assert_eq!(
            cards_in(&ann, deck).await,
            10,
            "{backend}: over the card limit"
        );

        let gone = ann
            .client
            .delete(app.url(&format!("/api/v1/decks/{deck}")))
            .header("x-csrf-token", &ann.csrf)
            .send()
            .await
            .unwrap();
        assert!(gone.status().is_success(), "{backend}: {}", gone.status());
        next(&ann, wall, "start_over").await;
        give_up(&ann, wall).await;
        let page = ann
            .client
            .get(app.url(&format!("/walls/{wall}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "{backend}: the wall's page");
        let settings = ann.client.get(app.url("/settings")).send().await.unwrap();
        assert_eq!(settings.status(), 200, "{backend}: the settings page");
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn only_a_deck_of_ones_own_can_be_chosen() {
    for backend in backends("only_a_deck_of_ones_own_can_be_chosen") {
        let app = spawn_app(backend).await;
        let ann = Player::register(&app, "ann").await;
        let bob = Player::register(&app, "bob").await;
        let hers = new_deck(&ann, "Hers").await;
        let (status, _, message) = error_of(choose_deck(&bob, hers).await).await;
        assert_eq!(
            (status, message.as_str()),
            (
                400,
                "auto_deck: that deck is not one of yours; choose another or none"
            ),
            "{backend}"
        );
        let form = bob
            .client
            .post(app.url("/settings"))
            .form(&[
                ("csrf", bob.csrf.as_str()),
                ("tile_order", "random"),
                ("theme", "dark"),
                ("auto_deck", "seven"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 400, "{backend}");
        assert!(
            form.text().await.unwrap().contains("“seven” is not a deck"),
            "{backend}"
        );
        app.stop().await.unwrap();
    }
}
