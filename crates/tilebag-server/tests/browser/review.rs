//! Spaced repetition in a real browser: a deck made and filled on its page, then reviewed
//! with the keyboard alone — typed words, Enter to turn, the proposed grade, a number key,
//! and U to undo.

use fantoccini::{Client, Locator};

use crate::support::{answers, click_css, look, press, registered, text, wait_for_text};

const ENTER: &str = "\u{E007}";

/// The card named `front` of the player's first deck, as the API gives it.
async fn card_of(client: &Client, app: &crate::common::TestApp, front: &str) -> serde_json::Value {
    client.goto(&app.url("/api/v1/decks")).await.unwrap();
    let decks: serde_json::Value =
        serde_json::from_str(&text(client, "body").await).expect("decks JSON");
    let deck = decks[0]["id"].as_i64().expect("a deck");
    client
        .goto(&app.url(&format!("/api/v1/decks/{deck}/cards")))
        .await
        .unwrap();
    let cards: serde_json::Value =
        serde_json::from_str(&text(client, "body").await).expect("cards JSON");
    cards
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["front"] == front)
        .expect("the card")
        .clone()
}

async fn reviews_of(client: &Client, app: &crate::common::TestApp, front: &str) -> usize {
    let card = card_of(client, app, front).await;
    card["reps"].as_u64().unwrap().try_into().unwrap()
}

#[tokio::test]
async fn a_player_reviews_a_deck_with_the_keyboard_only() {
    let Some((app, _driver, client)) = registered(
        "a_player_reviews_a_deck_with_the_keyboard_only",
        "keyboardist",
    )
    .await
    else {
        return;
    };
    crate::support::make_deck(&app, &client, "Keyboard").await;
    look(&client, "deck").await;

    client.goto(&app.url("/review")).await.unwrap();
    wait_for_text(&client, "#counts", "2 new cards left today").await;
    wait_for_text(&client, "#question", "words do these letters make").await;
    // The answer box has the focus: every word but one, each with Enter, then Enter on the
    // empty box turns the card.
    let words = answers("AEINRST");
    for word in &words[1..] {
        press(&client, &format!("{word}{ENTER}")).await;
    }
    press(&client, ENTER).await;
    wait_for_text(&client, "#verdict", &format!("Missing: {}", words[0])).await;
    look(&client, "review-turned").await;
    let focused = client.active_element().await.unwrap();
    assert_eq!(
        focused.attr("data-rating").await.unwrap().as_deref(),
        Some("1"),
        "a missing word proposes Again, and the focus is on it"
    );
    // Enter takes the proposed grade; the next card comes up.
    press(&client, ENTER).await;
    wait_for_text(&client, "#question", "Which word do these letters make").await;
    press(&client, &format!("QI {ENTER}")).await;
    press(&client, ENTER).await;
    wait_for_text(&client, "#verdict", "Right: QI").await;
    press(&client, "4").await;
    wait_for_text(&client, "#review-status", "IQ: Easy").await;
    wait_for_text(&client, "#done", "Nothing more to review").await;
    let focused = client.active_element().await.unwrap();
    assert_eq!(
        focused.attr("id").await.unwrap().as_deref(),
        Some("done"),
        "with nothing left, the focus stays on the page"
    );
    // U undoes the last grade: the card is back, never reviewed.
    press(&client, "u").await;
    wait_for_text(&client, "#review-status", "Undid the last grade of IQ").await;
    wait_for_text(&client, "#question", "Which word do these letters make").await;
    look(&client, "review-after-undo").await;

    assert_eq!(reviews_of(&client, &app, "IQ").await, 0);
    assert_eq!(reviews_of(&client, &app, "AEINRST").await, 1);
}

/// How many new cards the review queue has left today, as the page's player.
async fn new_left(client: &Client) -> i64 {
    let script = "const done = arguments[0]; fetch('/api/v1/review/queue?limit=0') \
        .then(r => r.json()).then(q => done(q.new));";
    client
        .execute_async(script, vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_walls_missed_alphagrams_go_to_a_deck_and_are_reviewed_with_the_keyboard() {
    let Some((app, _driver, client)) = registered(
        "a_walls_missed_alphagrams_go_to_a_deck_and_are_reviewed_with_the_keyboard",
        "missreviewer",
    )
    .await
    else {
        return;
    };
    client.set_window_size(1280, 900).await.unwrap();
    crate::support::start_wall(&client, &app, "1-10", "10", "600").await;
    crate::add_to_deck::add_missed_to_a_new_deck(&client).await;

    client.goto(&app.url("/review")).await.unwrap();
    wait_for_text(&client, "#counts", "10 new cards left today").await;
    let front = client
        .find(Locator::Id("front"))
        .await
        .unwrap()
        .attr("aria-label")
        .await
        .unwrap()
        .expect("the front's letters");
    for word in answers(&front) {
        press(&client, &format!("{word}{ENTER}")).await;
    }
    press(&client, ENTER).await;
    wait_for_text(&client, "#verdict", "Right:").await;
    let focused = client.active_element().await.unwrap();
    assert_eq!(
        focused.attr("data-rating").await.unwrap().as_deref(),
        Some("3"),
        "every word typed proposes Good"
    );
    press(&client, ENTER).await;
    wait_for_text(&client, "#review-status", &format!("{front}: Good")).await;
    wait_for_text(&client, "#counts", "9 new cards left today").await;
    assert_eq!(new_left(&client).await, 9);
}

#[tokio::test]
async fn a_card_is_marked_forgotten_on_its_page_and_parameters_are_asked_for_on_the_stats_page() {
    let Some((app, _driver, client)) = registered(
        "a_card_is_marked_forgotten_on_its_page_and_parameters_are_asked_for_on_the_stats_page",
        "tournamentgoer",
    )
    .await
    else {
        return;
    };
    crate::support::make_deck(&app, &client, "Tournament").await;
    client.goto(&app.url("/review")).await.unwrap();
    wait_for_text(&client, "#question", "words do these letters make").await;
    // Turned without typing, then graded Easy: the card goes into review.
    press(&client, ENTER).await;
    wait_for_text(&client, "#back", "Easy").await;
    press(&client, "4").await;
    wait_for_text(&client, "#review-status", "AEINRST: Easy").await;

    let card = card_of(&client, &app, "AEINRST").await;
    assert_eq!(card["state"], "review", "{card}");
    client
        .goto(&app.url(&format!("/review/cards/{}", card["id"])))
        .await
        .unwrap();
    wait_for_text(&client, ".stat-cards", "review").await;
    look(&client, "card-before-forget").await;
    click_css(&client, "form[action$='/forget'] button").await;
    wait_for_text(&client, ".stat-cards", "relearning").await;
    look(&client, "card-forgotten").await;
    let card = card_of(&client, &app, "AEINRST").await;
    assert_eq!(
        (card["state"].as_str(), card["lapses"].as_u64()),
        (Some("relearning"), Some(1))
    );

    client.goto(&app.url("/review/stats")).await.unwrap();
    click_css(&client, "#parameters button[type=submit]").await;
    wait_for_text(
        &client,
        "#fit-error",
        "at least 400 reviews; there are 2 so far",
    )
    .await;
    look(&client, "stats-fit-refused").await;
}
