//! Two players at one table in two real browsers: both sit down, the host starts, one solves a
//! word and the other sees it with the solver's name, and both chat.

use std::time::Duration;

use crate::support::{
    answers, browser_with, click, click_css, fill, free_port, guest, look, text, type_into,
    wait_for_text,
};

#[tokio::test]
async fn two_players_share_a_table_in_two_browsers() {
    let Some((app, _driver, ann)) = guest("two_players_share_a_table_in_two_browsers").await else {
        return;
    };
    let (_second_driver, bob) = browser_with(free_port(), &[]).await;
    ann.set_window_size(1280, 900).await.unwrap();
    bob.set_window_size(390, 844).await.unwrap();

    ann.goto(&app.url("/tables")).await.unwrap();
    wait_for_text(&ann, "#no-tables", "No open tables").await;
    for (id, value) in [
        ("length", "7"),
        ("probability", "1-50"),
        ("questions_per_round", "10"),
        ("seconds", "120"),
    ] {
        fill(&ann, id, value).await;
    }
    click_css(&ann, "#new-table button[type=submit]").await;
    fill(&ann, "join-name", "Ann").await;
    click(&ann, "join-play").await;
    wait_for_text(&ann, "#members", "Ann (you)").await;
    let url = ann.current_url().await.unwrap();

    // Bob finds the table in the lobby.
    bob.goto(&app.url("/tables")).await.unwrap();
    wait_for_text(&bob, "#lobby", "7s").await;
    click_css(&bob, "#lobby a").await;
    assert_eq!(bob.current_url().await.unwrap(), url);
    fill(&bob, "join-name", "Bob").await;
    click(&bob, "join-play").await;
    wait_for_text(&bob, "#members", "Bob (you)").await;
    wait_for_text(&ann, "#members", "Bob").await;
    look(&ann, "table-waiting-1280x900").await;
    look(&bob, "table-waiting-390x844").await;

    // The host starts; the round begins when the server's clock says the countdown is over.
    click(&ann, "start").await;
    wait_for_text(&bob, "#phase", "Starting").await;
    app.clock.advance(Duration::from_secs(3));
    let letters = text(&ann, ".tile[data-question='0'] .letters").await;
    wait_for_text(&bob, "#phase", "Playing").await;
    let word = answers(&letters)[0].clone();
    type_into(&ann, "guess", &format!("{word}\u{E007}")).await;
    wait_for_text(&ann, "#message", "yours").await;
    wait_for_text(
        &bob,
        ".tile[data-question='0'] .found",
        &format!("{word} Ann"),
    )
    .await;
    wait_for_text(&bob, "#message", &format!("Ann found {word}")).await;

    // Chat, escaped as text.
    type_into(&ann, "chat-text", "hello <b>Bob</b>\u{E007}").await;
    wait_for_text(&bob, "#chat-log", "Ann: hello <b>Bob</b>").await;
    type_into(&bob, "chat-text", "hi Ann\u{E007}").await;
    wait_for_text(&ann, "#chat-log", "Bob: hi Ann").await;
    wait_for_text(&ann, "#members", "1 · ").await;
    look(&ann, "table-playing-1280x900").await;
    look(&bob, "table-playing-390x844").await;

    // Time runs out: both see the solutions, with who found what.
    app.clock.advance(Duration::from_mins(2));
    type_into(&bob, "guess", "ZZZ\u{E007}").await;
    wait_for_text(&bob, "#solutions", "Ann").await;
    wait_for_text(&ann, "#solutions", &word).await;
    look(&ann, "table-over-1280x900").await;
    look(&bob, "table-over-390x844").await;
    let _ = ann.close().await;
    let _ = bob.close().await;
}
