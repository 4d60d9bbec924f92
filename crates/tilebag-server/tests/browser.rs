//! A real browser (headless Chromium through WebDriver) plays a wall: register, start a
//! wall of sevens, type right and wrong answers, give up, save the list, continue it.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tilebag_store::testing::skip;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromium() -> Option<(&'static str, &'static str)> {
    let (browser, driver) = ("/usr/bin/chromium", "/usr/bin/chromedriver");
    (std::path::Path::new(browser).exists() && std::path::Path::new(driver).exists())
        .then_some((browser, driver))
}

async fn browser(port: u16) -> (Driver, Client) {
    // Two crypto providers are compiled in (ring for tilebag, another for the WebDriver
    // client's dependencies): say which one rustls should use.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (binary, driver) = chromium().expect("checked");
    // Killed and waited for when the returned `Driver` drops.
    #[allow(clippy::zombie_processes, reason = "Driver's Drop waits for it")]
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = std::env::temp_dir().join(format!("tilebag-chromium-{port}"));
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": binary,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.display())]
        }
    });
    let capabilities = capabilities.as_object().expect("object").clone();
    for _ in 0..100 {
        let connected = ClientBuilder::rustls()
            .expect("tls")
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        if let Ok(client) = connected {
            return (Driver(child), client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on port {port}");
}

/// The text of the first element matching `css`, once there is one (a page still being
/// navigated to answers errors until it has loaded).
async fn text(client: &Client, css: &str) -> String {
    for _ in 0..100 {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no {css} within 10 s");
}

/// Waits until the element's text contains `needle`.
async fn wait_for_text(client: &Client, css: &str, needle: &str) {
    for _ in 0..100 {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && element.text().await.is_ok_and(|t| t.contains(needle))
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {needle:?}");
}

async fn guess(client: &Client, word: &str) {
    let input = client.find(Locator::Id("guess")).await.expect("guess box");
    input
        .send_keys(&format!("{word}\u{E007}"))
        .await
        .expect("type");
}

/// A server, a browser, and a player registered through the page; `None` (after saying
/// so) when Chromium is not installed.
async fn registered(test: &str, username: &str) -> Option<(common::TestApp, Driver, Client)> {
    if chromium().is_none() {
        skip(test, "Chromium", "apt-get install chromium chromium-driver");
        return None;
    }
    let app = common::spawn_app("sqlite").await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (driver, client) = browser(port).await;
    client.goto(&app.url("/register")).await.unwrap();
    client
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("a long password")
        .await
        .unwrap();
    client
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "header nav", username).await;
    Some((app, driver, client))
}

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
    let lexicon = tilebag_bundled::scowl80();

    client.goto(&app.url("/walls/new")).await.unwrap();
    for (id, value) in [
        ("length", "7"),
        ("probability", "1-30"),
        ("questions_per_round", "10"),
        ("seconds", "300"),
    ] {
        let field = client.find(Locator::Id(id)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }
    client
        .find(Locator::Css("#new-wall button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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
    let answers = |letters: &str| -> Vec<String> {
        let id = lexicon.find_alphagram(letters).expect("a real alphagram");
        lexicon
            .alphagram(id)
            .words()
            .map(|w| w.text().to_owned())
            .collect()
    };
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

    // Give up: every solution is shown, found ones marked.
    client
        .find(Locator::Id("give-up"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "#solutions", &letters).await;
    let found = client
        .find(Locator::Css("#solutions b.found"))
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
            .find_all(Locator::Css("#solutions tbody tr"))
            .await
            .unwrap()
            .len(),
        10
    );

    // Save the list, then continue it from the lists page.
    client
        .find(Locator::Id("list-name"))
        .await
        .unwrap()
        .send_keys("Browser sevens")
        .await
        .unwrap();
    client
        .find(Locator::Id("save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "#message", "Saved as").await;
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
    let lexicon = tilebag_bundled::scowl80();

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
    let word = lexicon
        .alphagram(lexicon.find_alphagram(&letters).expect("alphagram"))
        .words()
        .next()
        .expect("word")
        .text()
        .to_owned();
    guess(&client, &word).await;
    wait_for_text(&client, "#score", "1").await;
    client
        .find(Locator::Id("give-up"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "#message", "Round over").await;
    wait_for_text(&client, "#challenge-link", "see the leaderboard").await;
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
