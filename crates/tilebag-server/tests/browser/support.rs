//! What every browser test needs: a ChromeDriver, a server, and waits on what the page shows.

use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tilebag_store::testing::skip;

use crate::common;

/// A ChromeDriver in a process group of its own, with the Chromium it starts.
pub struct Driver(Child);

impl Drop for Driver {
    /// Kills the whole group, so no Chromium outlives its test when the session was not
    /// closed (a test that panicked, or one whose runtime ended first).
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn chromium() -> Option<(&'static str, &'static str)> {
    let (browser, driver) = ("/usr/bin/chromium", "/usr/bin/chromedriver");
    (std::path::Path::new(browser).exists() && std::path::Path::new(driver).exists())
        .then_some((browser, driver))
}

/// A browser started with these Chromium flags besides the usual ones (e.g. `--force-dark-mode`).
pub async fn browser_with(port: u16, flags: &[&str]) -> (Driver, Client) {
    // Two crypto providers are compiled in (ring for tilebag, another for the WebDriver
    // client's dependencies): say which one rustls should use.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (binary, driver) = chromium().expect("checked");
    // Killed and waited for when the returned `Driver` drops.
    #[allow(clippy::zombie_processes, reason = "Driver's Drop waits for it")]
    let child = Command::new(driver)
        .process_group(0)
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
                     "--disable-dev-shm-usage", "--disable-breakpad", format!("--user-data-dir={}", profile.display())]
        }
    });
    let mut capabilities = capabilities;
    if let Some(args) = capabilities["goog:chromeOptions"]["args"].as_array_mut() {
        args.extend(flags.iter().map(|flag| serde_json::json!(flag)));
    }
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
pub async fn text(client: &Client, css: &str) -> String {
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
pub async fn wait_for_text(client: &Client, css: &str, needle: &str) {
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

/// Clicks the element with this id.
pub async fn click(client: &Client, id: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Clicks the first element matching `css`.
pub async fn click_css(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Replaces the value of the field with this id.
pub async fn fill(client: &Client, id: &str, value: &str) {
    let field = client.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

/// Runs `script` in the page and answers what it returns.
pub async fn js(client: &Client, script: &str) -> serde_json::Value {
    client.execute(script, Vec::new()).await.unwrap()
}

/// Saves a screenshot as `NAME.png` under `TILEBAG_SCREENSHOTS`, when it is set, for people
/// to look at.
pub async fn look(client: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("TILEBAG_SCREENSHOTS") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

/// Types keys into the element with this id.
pub async fn type_into(client: &Client, id: &str, keys: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Whether the element with this id is shown.
pub async fn shown(client: &Client, id: &str) -> bool {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap()
}

/// Starts a wall of sevens from the New wall page and waits for its tiles.
pub async fn start_wall(
    client: &Client,
    app: &common::TestApp,
    probability: &str,
    per_round: &str,
    seconds: &str,
) {
    client.goto(&app.url("/walls/new")).await.unwrap();
    for (id, value) in [
        ("length", "7"),
        ("probability", probability),
        ("questions_per_round", per_round),
        ("seconds", seconds),
    ] {
        fill(client, id, value).await;
    }
    click_css(client, "#new-wall button[type=submit]").await;
    text(client, ".tile[data-question='0'] .letters").await;
}

/// Saves the settings form with this theme and definitions shown or not.
pub async fn save_settings(client: &Client, app: &common::TestApp, theme: &str, definitions: bool) {
    client.goto(&app.url("/settings")).await.unwrap();
    client
        .find(Locator::Id("theme"))
        .await
        .unwrap()
        .select_by_value(theme)
        .await
        .unwrap();
    let checkbox = client
        .find(Locator::Css("input[name=show_definitions]"))
        .await
        .unwrap();
    if checkbox.is_selected().await.unwrap() != definitions {
        checkbox.click().await.unwrap();
    }
    client
        .find(Locator::Css("form[action='/settings'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, ".notice", "Settings saved").await;
}

/// Gives up, confirming, and waits for the solutions.
pub async fn give_up(client: &Client) {
    click(client, "give-up").await;
    wait_for_text(client, "#give-up", "Yes, give up").await;
    click(client, "give-up").await;
    wait_for_text(client, "#result-heading", "You gave up").await;
}

/// The words of an alphagram in the test lexicon.
pub fn answers(letters: &str) -> Vec<String> {
    let lexicon = tilebag_bundled::scowl80();
    let id = lexicon.find_alphagram(letters).expect("a real alphagram");
    lexicon
        .alphagram(id)
        .words()
        .map(|w| w.text().to_owned())
        .collect()
}

pub async fn guess(client: &Client, word: &str) {
    let input = client.find(Locator::Id("guess")).await.expect("guess box");
    input
        .send_keys(&format!("{word}\u{E007}"))
        .await
        .expect("type");
}

/// A server and a browser; `None` (after saying so) when Chromium is not installed.
pub async fn guest(test: &str) -> Option<(common::TestApp, Driver, Client)> {
    guest_with(test, &[]).await
}

/// A server and a browser started with these Chromium flags; `None` (after saying so) when
/// Chromium is not installed.
pub async fn guest_with(test: &str, flags: &[&str]) -> Option<(common::TestApp, Driver, Client)> {
    if chromium().is_none() {
        skip(test, "Chromium", "apt-get install chromium chromium-driver");
        return None;
    }
    let app = common::spawn_app("sqlite").await;
    let (driver, client) = browser_with(free_port(), flags).await;
    Some((app, driver, client))
}

/// A server, a browser, and a player registered through the page; `None` (after saying
/// so) when Chromium is not installed.
pub async fn registered(test: &str, username: &str) -> Option<(common::TestApp, Driver, Client)> {
    let (app, driver, client) = guest(test).await?;
    register(&client, &app, username).await;
    Some((app, driver, client))
}

/// Registers `username` through the register page, in this browser, and waits for the menu
/// to show the new player.
pub async fn register(client: &Client, app: &common::TestApp, username: &str) {
    client.goto(&app.url("/register")).await.unwrap();
    for (id, value) in [("username", username), ("password", "a long password")] {
        client
            .find(Locator::Id(id))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    client
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "header nav", username).await;
}

/// Types keys into whatever has the focus, as a player at the keyboard does.
pub async fn press(client: &Client, keys: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Makes a deck named `name` of two cards, AEINRST and QI, on the decks pages; returns the deck's path.
pub async fn make_deck(app: &common::TestApp, client: &Client, name: &str) -> String {
    client.goto(&app.url("/decks")).await.unwrap();
    client
        .find(Locator::Css("#new-deck input[name=name]"))
        .await
        .unwrap()
        .send_keys(&format!("{name}\u{E007}"))
        .await
        .unwrap();
    wait_for_text(client, "main h1", name).await;
    client
        .find(Locator::Css("#add-cards textarea"))
        .await
        .unwrap()
        .send_keys("AEINRST QI")
        .await
        .unwrap();
    click_css(client, "#add-cards button[type=submit]").await;
    wait_for_text(client, "#add-result", "Added 2 cards").await;
    client.current_url().await.unwrap().path().to_owned()
}

/// A free port on 127.0.0.1, for a ChromeDriver.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}
