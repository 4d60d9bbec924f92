//! A player's story in a real browser: register, start a wall of sevens, type right and
//! wrong answers, give up, save the list, continue it; play a challenge and see the leaderboard.

use fantoccini::Locator;

use crate::support::{
    answers, click, give_up, guess, registered, start_wall, text, type_into, wait_for_text,
};

#[tokio::test]
#[allow(
    clippy::too_many_lines,
    reason = "one player's whole story, step by step"
)]
async fn a_player_plays_a_wall_in_a_real_browser() {
    let Some((app, _driver, client)) =
        registered("a_player_plays_a_wall_in_a_real_browser", "wallplayer").await
    else {
        return;
    };

    start_wall(&client, &app, "1-30", "10", "300").await;
    let letters = text(&client, ".tile[data-question='0'] .letters").await;
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/walls/")
    );
    assert_eq!(letters.len(), 7, "{letters}");
    assert_eq!(
        client.find_all(Locator::Css(".tile")).await.unwrap().len(),
        10
    );

    // Right answers appear under their tile; a wrong one is counted; a repeat counts once.
    let first = answers(&letters);
    guess(&client, &first[0].to_lowercase()).await;
    wait_for_text(&client, ".tile[data-question='0'] .found", &first[0]).await;
    guess(&client, "QZXJVKW").await;
    wait_for_text(&client, "#wrong", "1").await;
    guess(&client, &first[0]).await;
    wait_for_text(&client, "#message", "already found").await;
    let second_letters = text(&client, ".tile[data-question='1'] .letters").await;
    let second = answers(&second_letters);
    guess(&client, &second[0]).await;
    wait_for_text(&client, ".tile[data-question='1'] .found", &second[0]).await;
    assert_eq!(text(&client, "#score").await, "2");

    // Give up (it asks first): every solution is shown, found ones marked.
    give_up(&client).await;
    wait_for_text(&client, "#solutions", &letters).await;
    let found = client
        .find(Locator::Css("#solutions .w.found"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains(&first[0]) || found.contains(&second[0]),
        "{found}"
    );
    assert_eq!(
        client
            .find_all(Locator::Css("#solutions tbody"))
            .await
            .unwrap()
            .len(),
        10,
        "a group of rows per question"
    );

    // Save the list, then continue it from the lists page.
    type_into(&client, "list-name", "Browser sevens").await;
    click(&client, "save").await;
    wait_for_text(&client, "#save-status", "Saved as").await;
    wait_for_text(&client, "#save", "Saved ✓").await;
    client.goto(&app.url("/lists")).await.unwrap();
    wait_for_text(&client, "#lists", "Browser sevens").await;
    client
        .find(Locator::Css("button[data-deal=continue]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let next_letters = text(&client, ".tile[data-question='0'] .letters").await;
    assert_eq!(next_letters.len(), 7);
    assert_eq!(
        client.find_all(Locator::Css(".tile")).await.unwrap().len(),
        20,
        "the other 20 of the 30"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_player_plays_todays_sevens_and_sees_the_leaderboard() {
    let Some((app, _driver, client)) = registered(
        "a_player_plays_todays_sevens_and_sees_the_leaderboard",
        "champion",
    )
    .await
    else {
        return;
    };

    client.goto(&app.url("/challenges")).await.unwrap();
    client
        .find(Locator::Css("#today-7 button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let letters = text(&client, ".tile[data-question='0'] .letters").await;
    assert_eq!(
        client.find_all(Locator::Css(".tile")).await.unwrap().len(),
        50
    );
    guess(&client, &answers(&letters)[0]).await;
    wait_for_text(&client, "#score", "1").await;
    give_up(&client).await;
    wait_for_text(&client, "#message", "You gave up").await;
    wait_for_text(&client, "#leaderboard", "champion (you)").await;
    client
        .find(Locator::Css("#challenge-link a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "#today-7 .leaderboard", "champion").await;
    let row = text(&client, "#today-7 .leaderboard tbody tr").await;
    assert!(
        row.starts_with('1') && row.contains("champion") && row.contains("1/"),
        "{row}"
    );
    client.close().await.unwrap();
}
