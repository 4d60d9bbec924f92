//! Adding cards to a deck in a real browser: the alphagrams missed in a round from its
//! solutions (into a deck made there), a list's and a search's, as a player does it.

use fantoccini::{Client, Locator};

use crate::common::TestApp;
use crate::support::{
    click, click_css, give_up, look, registered, shown, start_wall, text, wait_for_text,
};

/// The cards in each of the page's player's decks, by name, as the API answers.
async fn deck_cards(client: &Client) -> serde_json::Value {
    let script = "const done = arguments[0]; fetch('/api/v1/decks').then(r => r.json()) \
        .then(all => done(Object.fromEntries(all.map(d => [d.name, d.cards]))));";
    client.execute_async(script, vec![]).await.unwrap()
}

async fn choose(client: &Client, css: &str, value: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

/// Waits for a box's deck select to offer `name`, then chooses it.
async fn choose_deck(client: &Client, select: &str, name: &str) {
    wait_for_text(client, select, name).await;
    client
        .find(Locator::Css(select))
        .await
        .unwrap()
        .select_by_label(name)
        .await
        .unwrap();
}

/// Waits until `script` answers something other than null (10 s at most).
async fn wait_until(client: &Client, script: &str) {
    for _ in 0..100 {
        if client
            .execute(script, vec![])
            .await
            .is_ok_and(|v| !v.is_null())
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page never answered {script}");
}

async fn both_sizes(client: &Client, name: &str) {
    client.set_window_size(390, 844).await.unwrap();
    look(client, &format!("{name}-phone")).await;
    client.set_window_size(1280, 900).await.unwrap();
    look(client, name).await;
}

pub(crate) async fn add_missed_to_a_new_deck(client: &Client) {
    give_up(client).await;
    assert!(
        shown(client, "add-missed").await,
        "Add missed to deck is offered"
    );
    choose(client, "#deck-missed", "new").await;
    assert!(
        shown(client, "deck-name-missed").await,
        "a new deck asks a name"
    );
    click_css(client, "#add-missed .deck-add").await;
    wait_for_text(
        client,
        "#add-missed .deck-status",
        "Name the new deck first",
    )
    .await;
    crate::support::fill(client, "deck-name-missed", "Missed sevens").await;
    click_css(client, "#add-missed .deck-add").await;
    wait_for_text(client, "#add-missed .deck-status", "Added 10 cards.").await;
    assert!(
        !shown(client, "deck-name-missed").await,
        "the new deck is chosen"
    );
    both_sizes(client, "wall-add-missed").await;
    click_css(client, "#add-missed .deck-add").await;
    wait_for_text(
        client,
        "#add-missed .deck-status",
        "Added 0 cards (10 already there).",
    )
    .await;
}

async fn add_a_list_and_a_search(client: &Client, app: &TestApp) {
    crate::support::fill(client, "list-name", "Likely sevens").await;
    click(client, "save").await;
    wait_for_text(client, "#save-status", "Saved as").await;
    client.goto(&app.url("/lists")).await.unwrap();
    wait_for_text(client, "#lists", "Likely sevens").await;
    choose_deck(client, "#lists .deck-choice", "Missed sevens").await;
    click_css(client, "#lists .deck-add").await;
    wait_for_text(
        client,
        "#lists .deck-status",
        "Added 0 cards (10 already there).",
    )
    .await;
    both_sizes(client, "lists-add-to-deck").await;

    client
        .goto(&app.url("/search?length=7&probability=1-20"))
        .await
        .unwrap();
    choose_deck(client, "#deck-search", "Missed sevens").await;
    click_css(client, ".results-actions .deck-add").await;
    wait_for_text(
        client,
        ".results-actions .deck-status",
        "Added 10 cards (10 already there).",
    )
    .await;
    both_sizes(client, "search-add-to-deck").await;
}

#[tokio::test]
async fn the_alphagrams_missed_in_a_round_go_to_a_new_deck_from_the_solutions() {
    let test = "the_alphagrams_missed_in_a_round_go_to_a_new_deck_from_the_solutions";
    let Some((app, _driver, client)) = registered(test, "decker").await else {
        return;
    };
    client.set_window_size(1280, 900).await.unwrap();
    start_wall(&client, &app, "1-10", "10", "600").await;
    add_missed_to_a_new_deck(&client).await;
    assert_eq!(
        deck_cards(&client).await,
        serde_json::json!({ "Missed sevens": 10 })
    );
    add_a_list_and_a_search(&client, &app).await;
    assert_eq!(
        deck_cards(&client).await,
        serde_json::json!({ "Missed sevens": 20 })
    );

    client.goto(&app.url("/settings")).await.unwrap();
    choose_deck(&client, "#auto_deck", "Missed sevens (SCOWL80)").await;
    click_css(&client, "form[action='/settings'] button[type=submit]").await;
    wait_for_text(&client, ".notice", "Settings saved").await;
    both_sizes(&client, "settings-auto-deck").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn nothing_missed_offers_no_deck_and_a_guest_never_sees_one() {
    let test = "nothing_missed_offers_no_deck_and_a_guest_never_sees_one";
    let Some((app, _driver, client)) = registered(test, "solver").await else {
        return;
    };
    start_wall(&client, &app, "1-2", "10", "600").await;
    give_up(&client).await;
    assert!(shown(&client, "add-missed").await);
    for question in ["0", "1"] {
        click_css(
            &client,
            &format!("#solutions input[data-question='{question}']"),
        )
        .await;
        let solved = format!(
            "return document.querySelector(\"#solutions tbody[data-question='{question}']\").className === 'solved-row' || null"
        );
        wait_until(&client, &solved).await;
    }
    assert!(
        !shown(&client, "add-missed").await,
        "nothing missed, nothing to add"
    );

    click_css(&client, "header form[action='/logout'] button").await;
    wait_for_text(&client, "header nav", "Log in").await;
    start_wall(&client, &app, "1-2", "10", "600").await;
    give_up(&client).await;
    text(&client, "#solutions").await;
    assert!(
        client.find(Locator::Id("add-missed")).await.is_err(),
        "a guest has no decks"
    );
    client.close().await.unwrap();
}
