//! The wall page in a real browser: solutions one row per word and as the player's
//! definitions setting says, a guess box that stays in view on a phone, tiles that never
//! move, the keyboard through round after round, and what a challenge wall says of its
//! attempt.

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::support::{
    answers, click, give_up, guess, press, registered, shown, start_wall, text, type_into,
    wait_for_text,
};

async fn new_wall(client: &Client, app: &TestApp, probability: &str, per_round: &str) {
    start_wall(client, app, probability, per_round, "600").await;
}

/// Runs `script` in the page until it answers something other than null (10 s at most).
async fn wait_for(client: &Client, script: &str) -> Value {
    for _ in 0..100 {
        if let Ok(value) = client.execute(script, vec![]).await
            && !value.is_null()
        {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never answered {script}");
}

/// The wall as its API answers the page's own session.
async fn wall_json(client: &Client) -> Value {
    let script = "const done = arguments[0]; \
        fetch('/api/v1/walls/' + document.getElementById('wall').dataset.id).then(r => r.json()).then(done);";
    client.execute_async(script, vec![]).await.unwrap()
}

async fn the_solutions(client: &Client) -> (usize, usize, String) {
    let alphagrams = client
        .execute(
            "return [...document.querySelectorAll('#solutions td.alphagram')].map(td => td.dataset.alphagram);",
            vec![],
        )
        .await
        .unwrap();
    let words: usize = alphagrams
        .as_array()
        .unwrap()
        .iter()
        .map(|a| answers(a.as_str().unwrap()).len())
        .sum();
    let rows = client
        .find_all(Locator::Css("#solutions tbody tr"))
        .await
        .unwrap()
        .len();
    let table = text(client, "#solutions").await;
    (words, rows, table)
}

#[tokio::test]
async fn solutions_have_a_row_per_word_and_definitions_only_when_the_player_wants_them() {
    let test = "solutions_have_a_row_per_word_and_definitions_only_when_the_player_wants_them";
    let Some((app, _driver, client)) = registered(test, "definer").await else {
        return;
    };
    new_wall(&client, &app, "1-40", "40").await;
    give_up(&client).await;
    let (words, rows, table) = the_solutions(&client).await;
    assert!(words > 40, "some alphagrams have several words: {words}");
    assert_eq!(rows, words, "one row per answer word");
    let view = wall_json(&client).await;
    let definition = view["questions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["solutions"].as_array().unwrap())
        .find_map(|s| s["definition"].as_str())
        .expect("the lexicon defines some of these words")
        .to_owned();
    assert!(table.contains(&definition), "definitions shown by default");
    assert_eq!(view["definitions"], true);

    // Turn "Show definitions" off through the settings form.
    client.goto(&app.url("/settings")).await.unwrap();
    let box_ = client
        .find(Locator::Css("input[name=show_definitions]"))
        .await
        .unwrap();
    assert!(box_.prop("checked").await.unwrap().as_deref() == Some("true"));
    box_.click().await.unwrap();
    client
        .find(Locator::Css("form[action='/settings'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "main", "Settings saved").await;

    new_wall(&client, &app, "1-40", "40").await;
    give_up(&client).await;
    let (words, rows, table) = the_solutions(&client).await;
    assert_eq!(rows, words);
    let view = wall_json(&client).await;
    assert_eq!(view["definitions"], false);
    let served = view.to_string();
    assert!(
        !served.contains(&definition) && !table.contains(&definition),
        "no definition text is served or shown"
    );
    assert!(
        client
            .find_all(Locator::Css(
                "#solutions th.col-definition, #solutions td.def, #solutions .word-def"
            ))
            .await
            .unwrap()
            .is_empty(),
        "no definition column"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn on_a_phone_the_guess_box_stays_in_view_while_the_grid_scrolls() {
    let test = "on_a_phone_the_guess_box_stays_in_view_while_the_grid_scrolls";
    let Some((app, _driver, client)) = registered(test, "phoner").await else {
        return;
    };
    client.set_window_size(390, 844).await.unwrap();
    new_wall(&client, &app, "1-100", "100").await;
    client
        .execute("window.scrollTo(0, document.body.scrollHeight);", vec![])
        .await
        .unwrap();
    let letters = text(&client, ".tile[data-question='99'] .letters").await;
    let word = answers(&letters)[0].clone();
    type_into(&client, "guess", &word).await;
    let seen = client
        .execute(
            "const box = document.getElementById('guess').getBoundingClientRect(); \
             const timer = document.getElementById('timer').getBoundingClientRect(); \
             const grid = document.getElementById('grid').getBoundingClientRect(); \
             return { scrolled: window.scrollY, top: box.top, bottom: box.bottom, timer: timer.top, \
                      height: window.innerHeight, grid: grid.width, width: document.documentElement.clientWidth };",
            vec![],
        )
        .await
        .unwrap();
    let number = |key: &str| seen[key].as_f64().unwrap();
    assert!(
        number("scrolled") > 1000.0,
        "the grid is scrolled down: {seen}"
    );
    assert!(
        number("top") >= 0.0 && number("bottom") <= number("height"),
        "guess box on screen: {seen}"
    );
    assert!(number("timer") >= 0.0, "timer on screen: {seen}");
    assert!(
        number("grid") >= 0.9 * number("width"),
        "the grid uses the width: {seen}"
    );
    type_into(&client, "guess", "\u{E007}").await;
    wait_for_text(&client, ".tile[data-question='99'] .found", &word).await;
    client.close().await.unwrap();
}

const RECTS: &str = "return [...document.querySelectorAll('.tile')].map(t => { \
    const r = t.getBoundingClientRect(); return [r.x, r.y + window.scrollY, r.width, r.height]; });";

#[tokio::test]
async fn solving_a_word_moves_no_tile_and_a_click_shuffles_one_rack() {
    let Some((app, _driver, client)) = registered(
        "solving_a_word_moves_no_tile_and_a_click_shuffles_one_rack",
        "steady",
    )
    .await
    else {
        return;
    };
    new_wall(&client, &app, "1-30", "30").await;
    let before = client.execute(RECTS, vec![]).await.unwrap();
    for question in ["0", "1", "7"] {
        let letters = text(
            &client,
            &format!(".tile[data-question='{question}'] .letters"),
        )
        .await;
        for word in answers(&letters) {
            guess(&client, &word).await;
            wait_for_text(
                &client,
                &format!(".tile[data-question='{question}'] .found"),
                &word,
            )
            .await;
        }
    }
    guess(&client, "QZXJVKW").await;
    wait_for_text(&client, "#message", "not an answer").await;
    let after = client.execute(RECTS, vec![]).await.unwrap();
    assert_eq!(
        before, after,
        "found words and messages leave every tile where it was"
    );

    // Clicking a rack shuffles that rack alone.
    let rack = ".tile[data-question='2'] .letters";
    let (letters, neighbour) = (
        text(&client, rack).await,
        text(&client, ".tile[data-question='3'] .letters").await,
    );
    let mut shuffled = letters.clone();
    for _ in 0..20 {
        client
            .find(Locator::Css(rack))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        shuffled = text(&client, rack).await;
        if shuffled != letters {
            break;
        }
    }
    let sorted = |s: &str| {
        let mut chars: Vec<char> = s.chars().collect();
        chars.sort_unstable();
        chars
    };
    assert!(
        shuffled != letters && sorted(&shuffled) == sorted(&letters),
        "{letters} → {shuffled}"
    );
    assert_eq!(
        text(&client, ".tile[data-question='3'] .letters").await,
        neighbour
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_last_ten_seconds_are_flagged() {
    let Some((app, _driver, client)) =
        registered("the_last_ten_seconds_are_flagged", "hurried").await
    else {
        return;
    };
    start_wall(&client, &app, "1-30", "10", "12").await;
    let timer = client.find(Locator::Id("timer")).await.unwrap();
    assert!(
        !timer
            .attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("urgent")
    );
    wait_for_text(&client, "#timer", "⚠").await;
    assert!(
        timer
            .attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("urgent")
    );
    wait_for_text(&client, "#alert", "10 seconds left").await;
    client.close().await.unwrap();
}

async fn active_id(client: &Client) -> String {
    client
        .active_element()
        .await
        .unwrap()
        .attr("id")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test]
async fn space_submits_give_up_asks_first_and_the_keyboard_deals_round_after_round() {
    let test = "space_submits_give_up_asks_first_and_the_keyboard_deals_round_after_round";
    let Some((app, _driver, client)) = registered(test, "typist").await else {
        return;
    };
    new_wall(&client, &app, "1-30", "10").await;
    wait_for_text(&client, "#wall-about", "round 1 of 3").await;
    wait_for_text(&client, "#wall-title", "7s, probability 1–30").await;
    let letters = text(&client, ".tile[data-question='0'] .letters").await;
    let word = answers(&letters)[0].clone();
    let input = client.find(Locator::Id("guess")).await.unwrap();
    input.send_keys(&format!("{word} ")).await.unwrap();
    wait_for_text(&client, ".tile[data-question='0'] .found", &word).await;
    wait_for_text(&client, "#message", "✓").await;
    input.send_keys("QZXJVKW ").await.unwrap();
    wait_for_text(&client, "#wrong", "1").await;
    wait_for_text(&client, "#message", "✗").await;

    // Give up asks first; Escape keeps playing.
    click(&client, "give-up").await;
    wait_for_text(&client, "#message", "Give up and see the answers").await;
    assert!(!shown(&client, "after").await);
    press(&client, "\u{E00C}").await;
    wait_for_text(&client, "#give-up", "Give up").await;
    assert_eq!(active_id(&client).await, "guess");
    assert!(!shown(&client, "after").await);

    // Confirmed, the round ends into its solutions and focus is on Next round.
    give_up(&client).await;
    wait_for_text(&client, "#summary", "Words solved").await;
    wait_for(
        &client,
        "return document.activeElement.id === 'next' || null;",
    )
    .await;
    press(&client, "\u{E007}").await;
    wait_for_text(&client, "#wall-about", "round 2 of 3").await;
    assert_eq!(active_id(&client).await, "guess");
    assert!(!shown(&client, "after").await);

    // Enter in the empty guess box deals the next one too.
    give_up(&client).await;
    type_into(&client, "guess", "\u{E007}").await;
    wait_for_text(&client, "#wall-about", "round 3 of 3").await;
    client.close().await.unwrap();
}

async fn play_todays_sevens(client: &Client, app: &TestApp) {
    client.goto(&app.url("/challenges")).await.unwrap();
    client
        .find(Locator::Css("#today-7 button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text(client, ".tile[data-question='0'] .letters").await;
}

#[tokio::test]
async fn a_challenge_wall_says_whether_the_attempt_counts_and_why() {
    let test = "a_challenge_wall_says_whether_the_attempt_counts_and_why";
    let Some((app, _driver, client)) = registered(test, "racer").await else {
        return;
    };
    play_todays_sevens(&client, &app).await;
    wait_for_text(&client, "#challenge-status", "counts for the leaderboard").await;
    wait_for_text(&client, "#wall-title", "Today's 7s").await;
    let letters = text(&client, ".tile[data-question='0'] .letters").await;
    guess(&client, &answers(&letters)[0]).await;
    wait_for_text(&client, "#score", "1").await;
    click(&client, "give-up").await;
    wait_for_text(&client, "#message", "This attempt counts").await;
    click(&client, "give-up").await;
    wait_for_text(&client, "#leaderboard", "racer (you)").await;
    let link = client
        .find(Locator::Css("#challenge-link a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(link.starts_with("/challenges?date="), "{link}");
    assert!(!shown(&client, "next").await, "a challenge is one round");

    play_todays_sevens(&client, &app).await;
    wait_for_text(&client, "#challenge-status", "Practice").await;
    wait_for_text(&client, "#challenge-status", "played it already").await;

    client.delete_all_cookies().await.unwrap();
    play_todays_sevens(&client, &app).await;
    wait_for_text(&client, "#challenge-status", "Practice").await;
    wait_for_text(&client, "#challenge-status", "guests").await;
    let view = wall_json(&client).await;
    assert_eq!(
        (&view["challenge"]["counts"], view["source"].is_string()),
        (&json!(false), true)
    );
    client.close().await.unwrap();
}
