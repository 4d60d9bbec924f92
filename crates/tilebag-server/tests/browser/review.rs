//! Spaced repetition in a real browser: a deck made and filled on its page, then reviewed
//! with the keyboard alone — typed words, Enter to turn, the proposed grade, a number key,
//! and U to undo.

use fantoccini::{Client, Locator};

use crate::support::{answers, click_css, look, registered, text, wait_for_text};

/// Presses keys on whatever has the focus, as a player at the keyboard does.
async fn press(client: &Client, keys: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

const ENTER: &str = "\u{E007}";

async fn reviews_of(client: &Client, app: &crate::common::TestApp, front: &str) -> usize {
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
    let card = cards
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["front"] == front)
        .expect("the card")
        .clone();
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
    client.goto(&app.url("/decks")).await.unwrap();
    client
        .find(Locator::Css("#new-deck input[name=name]"))
        .await
        .unwrap()
        .send_keys(&format!("Keyboard{ENTER}"))
        .await
        .unwrap();
    wait_for_text(&client, "main h1", "Keyboard").await;
    client
        .find(Locator::Css("#add-cards textarea"))
        .await
        .unwrap()
        .send_keys("AEINRST QI")
        .await
        .unwrap();
    click_css(&client, "#add-cards button[type=submit]").await;
    wait_for_text(&client, "#add-result", "Added 2 cards").await;
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
    // U undoes the last grade: the card is back, never reviewed.
    press(&client, "u").await;
    wait_for_text(&client, "#review-status", "Undid the last grade of IQ").await;
    wait_for_text(&client, "#question", "Which word do these letters make").await;
    look(&client, "review-after-undo").await;

    assert_eq!(reviews_of(&client, &app, "IQ").await, 0);
    assert_eq!(reviews_of(&client, &app, "AEINRST").await, 1);
}
