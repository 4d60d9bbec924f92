//! The site around the tools, in a real browser: settings that change the page, the menu,
//! error pages with the player's own menu, and challenges whose Play buttons all work.

use fantoccini::{Client, Locator};

use crate::support::{guest_with, register, registered, save_settings, text, wait_for_text};

/// The sum of the red, green and blue of the body's computed background (0 to 765).
async fn body_brightness(client: &Client) -> u32 {
    let colour = client
        .execute(
            "return getComputedStyle(document.body).backgroundColor",
            vec![],
        )
        .await
        .unwrap();
    let colour = colour.as_str().unwrap_or_default().to_owned();
    let channels: Vec<u32> = colour
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .take(3)
        .map(|part| part.parse().unwrap())
        .collect();
    assert_eq!(channels.len(), 3, "{colour}");
    channels.iter().sum()
}

#[tokio::test]
async fn choosing_dark_or_light_in_settings_changes_the_pages_colours() {
    let Some((app, _driver, client)) = registered(
        "choosing_dark_or_light_in_settings_changes_the_pages_colours",
        "nightowl",
    )
    .await
    else {
        return;
    };
    save_settings(&client, &app, "dark", true).await;
    client.goto(&app.url("/challenges")).await.unwrap();
    text(&client, "h1").await;
    let dark = body_brightness(&client).await;
    assert!(dark < 150, "dark theme, body brightness {dark}");

    save_settings(&client, &app, "light", true).await;
    client.goto(&app.url("/challenges")).await.unwrap();
    text(&client, "h1").await;
    let light = body_brightness(&client).await;
    assert!(light > 600, "light theme, body brightness {light}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_device_theme_applies_until_a_player_chooses_one() {
    let test = "the_device_theme_applies_until_a_player_chooses_one";
    let Some((app, _driver, client)) = guest_with(test, &["--force-dark-mode"]).await else {
        return;
    };
    client.goto(&app.url("/")).await.unwrap();
    text(&client, "h1").await;
    let device = body_brightness(&client).await;
    assert!(
        device < 150,
        "a guest on a dark device, brightness {device}"
    );

    register(&client, &app, "daylight").await;
    save_settings(&client, &app, "light", true).await;
    client.goto(&app.url("/")).await.unwrap();
    text(&client, "h1").await;
    let chosen = body_brightness(&client).await;
    assert!(
        chosen > 600,
        "Light chosen on a dark device, brightness {chosen}"
    );

    save_settings(&client, &app, "auto", true).await;
    client.goto(&app.url("/")).await.unwrap();
    text(&client, "h1").await;
    let auto = body_brightness(&client).await;
    assert!(
        auto < 150,
        "Like my device, on a dark device, brightness {auto}"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_word_page_shows_no_definition_when_definitions_are_off() {
    let Some((app, _driver, client)) = registered(
        "the_word_page_shows_no_definition_when_definitions_are_off",
        "plainwords",
    )
    .await
    else {
        return;
    };
    let lexicon = tilebag_bundled::scowl80();
    let definition = lexicon
        .word(lexicon.find_word("PLAY").expect("PLAY is a word"))
        .definition()
        .expect("PLAY has a definition")
        .to_owned();
    let snippet: String = definition.chars().take(20).collect();

    client.goto(&app.url("/info/PLAY")).await.unwrap();
    wait_for_text(&client, "main", &snippet).await;

    save_settings(&client, &app, "auto", false).await;
    client.goto(&app.url("/info/PLAY")).await.unwrap();
    wait_for_text(&client, "main", "Alphagram").await;
    let shown = text(&client, "main").await;
    assert!(!shown.contains(&snippet), "{shown}");
    assert!(!shown.contains("Definition"), "{shown}");
    client.close().await.unwrap();
}

/// Clicks every Play button of the challenges page of `query` in turn; each must open a wall.
async fn play_every_challenge(client: &Client, app: &crate::common::TestApp, query: &str) {
    let page = app.url(&format!("/challenges{query}"));
    client.goto(&page).await.unwrap();
    text(client, ".challenge").await;
    let count = client
        .find_all(Locator::Css(".challenge form button[type=submit]"))
        .await
        .unwrap()
        .len();
    // Every challenge but the toughies, which a new site has no data for.
    assert_eq!(count, 17, "Play buttons on {page}");
    for index in 0..count {
        client.goto(&page).await.unwrap();
        text(client, ".challenge").await;
        let buttons = client
            .find_all(Locator::Css(".challenge form button[type=submit]"))
            .await
            .unwrap();
        let card = buttons[index]
            .find(Locator::XPath("ancestor::section"))
            .await
            .unwrap()
            .attr("id")
            .await
            .unwrap()
            .unwrap_or_default();
        buttons[index].click().await.unwrap();
        // A wall shows its tiles; an error page would show its heading and no tiles.
        text(client, "#wall .tile").await;
        let path = client.current_url().await.unwrap().path().to_owned();
        assert!(
            path.starts_with("/walls/"),
            "{card} on {page} led to {path}"
        );
    }
}

#[tokio::test]
async fn every_play_button_on_the_challenges_page_opens_a_wall_today_and_on_a_past_day() {
    let Some((app, _driver, client)) = registered(
        "every_play_button_on_the_challenges_page_opens_a_wall_today_and_on_a_past_day",
        "everyday",
    )
    .await
    else {
        return;
    };
    // A new site has no week of sevens and eights: the toughies say when they may open.
    client.goto(&app.url("/challenges")).await.unwrap();
    wait_for_text(&client, "#toughies .unavailable", "Next chance: Monday").await;
    assert!(
        client
            .find_all(Locator::Css("#toughies button"))
            .await
            .unwrap()
            .is_empty(),
        "the toughies have no Play button without their data"
    );
    play_every_challenge(&client, &app, "").await;

    let past = tilebag_server::app::challenges::today(&app.state.app) - chrono::Days::new(14);
    client
        .goto(&app.url(&format!("/challenges?date={past}")))
        .await
        .unwrap();
    wait_for_text(&client, "#toughies .unavailable", "Not available that week").await;
    play_every_challenge(&client, &app, &format!("?date={past}")).await;

    // Back on today's page, the cards played say so with the result.
    client.goto(&app.url("/challenges")).await.unwrap();
    wait_for_text(&client, "#today-7 .mine", "You played it: 0/").await;
    wait_for_text(&client, "#today-7 .mine", "place 1 of 1").await;
    wait_for_text(&client, "#today-7 button", "Play for practice").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_logged_in_players_error_pages_show_their_name_and_log_out() {
    let Some((app, _driver, client)) = registered(
        "a_logged_in_players_error_pages_show_their_name_and_log_out",
        "wanderer",
    )
    .await
    else {
        return;
    };
    for path in ["/no-such-page", "/players/nobody-here", "/walls/987654"] {
        client.goto(&app.url(path)).await.unwrap();
        wait_for_text(&client, "h1", "Not found").await;
        let menu = text(&client, "header nav").await;
        assert!(
            menu.contains("wanderer") && menu.contains("Log out"),
            "{path}: {menu}"
        );
        assert!(!menu.contains("Log in"), "{path}: {menu}");
    }
    client.close().await.unwrap();
}

/// The menu's links: their texts and where they go.
async fn menu_links(client: &Client) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for link in client.find_all(Locator::Css("header nav a")).await.unwrap() {
        let href = link.attr("href").await.unwrap().unwrap_or_default();
        links.push((link.text().await.unwrap(), href));
    }
    links
}

#[tokio::test]
async fn the_menu_has_the_hall_of_fame_admin_for_the_admin_only_and_fits_a_phone() {
    let Some((app, _driver, client)) = registered(
        "the_menu_has_the_hall_of_fame_admin_for_the_admin_only_and_fits_a_phone",
        "firstone",
    )
    .await
    else {
        return;
    };
    let links = menu_links(&client).await;
    let has = |links: &[(String, String)], text: &str, href: &str| {
        links.iter().any(|(t, h)| t == text && h == href)
    };
    assert!(has(&links, "Hall of fame", "/hall-of-fame"), "{links:?}");
    assert!(has(&links, "Admin", "/admin"), "{links:?}");
    assert!(has(&links, "firstone", "/players/firstone"), "{links:?}");
    assert!(has(&links, "Settings", "/settings"), "{links:?}");

    client.set_window_size(390, 844).await.unwrap();
    for path in [
        "/",
        "/challenges",
        "/hall-of-fame",
        "/search",
        "/players/firstone",
    ] {
        client.goto(&app.url(path)).await.unwrap();
        text(&client, "h1").await;
        let fits = client
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            fits,
            serde_json::json!(true),
            "{path} is wider than a phone"
        );
    }
    client.set_window_size(1280, 900).await.unwrap();

    client
        .find(Locator::Css("header form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "header nav", "Log in").await;
    register(&client, &app, "second").await;
    let links = menu_links(&client).await;
    assert!(has(&links, "Hall of fame", "/hall-of-fame"), "{links:?}");
    assert!(!links.iter().any(|(t, _)| t == "Admin"), "{links:?}");
    assert!(has(&links, "second", "/players/second"), "{links:?}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_register_forms_username_pattern_is_checked_by_the_browser() {
    let Some((app, _driver, client)) = registered(
        "the_register_forms_username_pattern_is_checked_by_the_browser",
        "checker",
    )
    .await
    else {
        return;
    };
    // Logged in, the register form still shows; its pattern must compile under the `v` flag.
    client.goto(&app.url("/register")).await.unwrap();
    let mismatch = |name: &'static str| {
        let client = client.clone();
        async move {
            client
                .execute(
                    "const input = document.getElementById('username'); input.value = arguments[0]; \
                     return input.validity.patternMismatch",
                    vec![serde_json::json!(name)],
                )
                .await
                .unwrap()
        }
    };
    assert_eq!(mismatch("bad name!").await, serde_json::json!(true));
    assert_eq!(mismatch("good_name-1").await, serde_json::json!(false));
    client.close().await.unwrap();
}
