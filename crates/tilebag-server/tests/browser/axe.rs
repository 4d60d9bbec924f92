//! Every page, as a player reaches it, checked in a real Chromium: axe-core's serious and
//! critical accessibility violations, in the light and the dark theme, at a desktop and a phone
//! size, and no sideways scroll on the phone. One walk feeds both tests; with
//! `TILEBAG_SCREENSHOTS=DIR` it also saves a PNG of each page, theme and size to DIR.

use std::fmt::Write as _;
use std::path::PathBuf;

use fantoccini::{Client, Locator};
use serde_json::Value;
use tilebag_store::testing::skip;
use tokio::sync::OnceCell;

use crate::support::{self, give_up, guess, text, wait_for_text};

/// What the walk finds things by: ids, form actions and button roles the pages keep.
mod find {
    pub const CHALLENGE_PLAY: &str = "form[action*='/play'] button[type=submit]";
    pub const NEW_WALL: &str = "form[action='/walls']";
    pub const FIRST_TILE: &str = ".tile[data-question='0'] .letters";
    pub const SCORE: &str = "#score";
    pub const SOLUTIONS: &str = "#solutions tbody tr";
    pub const LEADERBOARD_LINK: &str = "#challenge-link:not([hidden]) a";
    pub const LIST_NAME: &str = "list-name";
    pub const SAVE_LIST: &str = "save";
}

const PLAYER: &str = "axeadmin";
const THEMES: [&str; 2] = ["light", "dark"];
/// Name, width and height of each window size.
const SIZES: [(&str, u32, u32); 2] = [("1280x900", 1280, 900), ("390x844", 390, 844)];
const PHONE: u32 = 390;

/// Runs axe on the whole document and keeps the serious and critical violations.
const RUN_AXE: &str = r"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] })
  .then((result) => done(result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                   targets: v.nodes.map((n) => n.target.join(' ')),
                   why: [...v.nodes[0].any, ...v.nodes[0].all, ...v.nodes[0].none]
                     .map((c) => c.message).join('; ') }))))
  .catch((error) => done({ error: String(error) }));
";

/// How far the page scrolls sideways, and the elements that stick out of a parent that fits.
const SIDEWAYS: &str = r"
const root = document.documentElement;
const width = root.clientWidth;
if (root.scrollWidth <= width + 1) return null;
const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
  + [...e.classList].map((c) => '.' + c).join('');
const out = (e) => e.getBoundingClientRect().right > width + 1;
const culprits = [...document.body.querySelectorAll('*')]
  .filter((e) => out(e) && e.parentElement && !out(e.parentElement)
    && getComputedStyle(e.parentElement).overflowX === 'visible')
  .slice(0, 6)
  .map((e) => `${name(e)} reaches ${Math.round(e.getBoundingClientRect().right)} px`);
return { scroll: root.scrollWidth, width, culprits };
";

/// A page of the walk: its name, address, and what shows once it is the page it should be.
struct Stop {
    name: &'static str,
    path: String,
    ready: (&'static str, &'static str),
}

fn stop(name: &'static str, path: &str, ready: (&'static str, &'static str)) -> Stop {
    Stop {
        name,
        path: path.to_owned(),
        ready,
    }
}

/// What the walk found, one line per failure.
#[derive(Debug, Default)]
struct Findings {
    /// Pages checked (page × theme × size).
    checked: usize,
    violations: Vec<String>,
    sideways: Vec<String>,
}

static WALK: OnceCell<Findings> = OnceCell::const_new();

/// The walk's findings (walked once for all the tests); `None`, after saying so, when axe-core
/// or Chromium is not installed.
async fn walked(test: &str) -> Option<&'static Findings> {
    let path = std::env::var_os("TILEBAG_AXE_JS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    let Ok(axe) = std::fs::read_to_string(&path) else {
        let how = format!(
            "no axe-core at {}: mkdir -p target/axe && cp .ci/axe/package*.json target/axe/ && \
             npm ci --prefix target/axe (or set TILEBAG_AXE_JS to axe.min.js)",
            path.display()
        );
        skip(test, "axe-core", &how);
        return None;
    };
    if support::chromium().is_none() {
        skip(test, "Chromium", "apt-get install chromium chromium-driver");
        return None;
    }
    Some(WALK.get_or_init(|| walk(axe)).await)
}

#[tokio::test]
async fn every_page_has_no_serious_accessibility_violations_in_either_theme() {
    let Some(found) =
        walked("every_page_has_no_serious_accessibility_violations_in_either_theme").await
    else {
        return;
    };
    assert!(
        found.violations.is_empty(),
        "{} serious or critical axe violations on {} page checks:\n{}",
        found.violations.len(),
        found.checked,
        found.violations.join("\n")
    );
}

#[tokio::test]
async fn no_page_scrolls_sideways_on_a_phone() {
    let Some(found) = walked("no_page_scrolls_sideways_on_a_phone").await else {
        return;
    };
    assert!(
        found.sideways.is_empty(),
        "{} pages scroll sideways at {PHONE} px:\n{}",
        found.sideways.len(),
        found.sideways.join("\n")
    );
}

/// The player's pages in both themes chosen in Settings, then the guests' pages with the
/// device's scheme light and dark (the theme `auto`), each at both sizes.
async fn walk(axe: String) -> Findings {
    let mut found = Findings::default();
    let (app, _driver, client) = support::registered("the accessibility walk", PLAYER)
        .await
        .expect("Chromium checked");
    let stops = prepare(&app, &client).await;
    for theme in THEMES {
        choose_theme(&client, &app, theme).await;
        check_all(&client, &app, &axe, &stops, theme, &mut found).await;
    }
    client.close().await.expect("close");

    let guest_stops = [
        stop("home (guest)", "/", ("a[href='/register']", "")),
        stop("register", "/register", ("form[action='/register']", "")),
        stop("log in", "/login", ("form[action='/login']", "")),
    ];
    for (theme, flags) in [
        ("device light", &[][..]),
        ("device dark", &["--force-dark-mode"]),
    ] {
        let (_driver, guest) = support::browser_with(support::free_port(), flags).await;
        guest.goto(&app.url("/")).await.expect("home");
        let dark = guest
            .execute(
                "return matchMedia('(prefers-color-scheme: dark)').matches",
                vec![],
            )
            .await
            .expect("matchMedia");
        assert_eq!(dark, Value::Bool(theme == "device dark"), "{theme}");
        check_all(&guest, &app, &axe, &guest_stops, theme, &mut found).await;
        guest.close().await.expect("close");
    }
    found
}

/// Plays a counted challenge round, a wall given up and saved as a list, and a wall still in
/// its round; returns every page the player can reach, with those in their states.
async fn prepare(app: &crate::common::TestApp, client: &Client) -> Vec<Stop> {
    let lexicon = tilebag_bundled::scowl80();
    let first_answer = |letters: &str| {
        let id = lexicon.find_alphagram(letters).expect("a real alphagram");
        lexicon
            .alphagram(id)
            .words()
            .next()
            .expect("a word")
            .text()
            .to_owned()
    };
    client.goto(&app.url("/challenges")).await.unwrap();
    support::click_css(client, find::CHALLENGE_PLAY).await;
    let letters = text(client, find::FIRST_TILE).await;
    guess(client, &first_answer(&letters)).await;
    wait_for_text(client, find::SCORE, "1").await;
    give_up(client).await;
    wait_for_text(client, find::LEADERBOARD_LINK, "").await;
    let challenge_wall = client.current_url().await.unwrap().path().to_owned();
    let leaderboard = client
        .find(Locator::Css(find::LEADERBOARD_LINK))
        .await
        .unwrap()
        .prop("href")
        .await
        .unwrap()
        .expect("the leaderboard's address");

    let after = start_wall(app, client).await;
    give_up(client).await;
    text(client, find::SOLUTIONS).await;
    client
        .find(Locator::Id(find::LIST_NAME))
        .await
        .unwrap()
        .send_keys("Likely sevens")
        .await
        .unwrap();
    support::click(client, find::SAVE_LIST).await;
    wait_for_text(client, "main", "Saved as").await;
    let during = start_wall(app, client).await;
    let deck = support::make_deck(app, client, "Axe deck").await;
    let card = reviewed_card(app).await;
    client.goto(&app.url("/tables")).await.unwrap();
    support::click_css(client, "#new-table button[type=submit]").await;
    wait_for_text(client, "#join-heading", "Take a seat").await;
    let table = client.current_url().await.unwrap().path().to_owned();

    let mut stops = vec![
        stop("home", "/", ("form[action='/anagram']", "")),
        stop(
            "anagram",
            "/anagram?q=AEINRST",
            ("main a[href^='/info/']", ""),
        ),
        stop(
            "search",
            "/search?length=7&probability=1-30",
            ("main a[href^='/info/']", ""),
        ),
        stop("judge", "/judge?words=RETAINS+QXZ", ("main h1", "")),
        stop("word", "/info/RETAINS", ("main h1", "RETAINS")),
        stop("settings", "/settings", ("#theme", "")),
        stop("new wall", "/walls/new", (find::NEW_WALL, "")),
        stop("wall during a round", &during, (".tile", "")),
        stop("wall after a round", &after, (find::SOLUTIONS, "")),
        stop(
            "challenge wall after its round",
            &challenge_wall,
            (find::LEADERBOARD_LINK, ""),
        ),
        stop("tables", "/tables", ("#lobby", "7s")),
        stop("table", &table, ("#join-heading", "Take a seat")),
        stop("lists", "/lists", ("main", "Likely sevens")),
        stop("decks", "/decks", ("main", "Axe deck")),
        stop("deck", &deck, ("#add-cards", "")),
        stop("review", "/review", ("#question", "letters make")),
        stop("challenges", "/challenges", (find::CHALLENGE_PLAY, "")),
        stop("player", &format!("/players/{PLAYER}"), ("main h1", PLAYER)),
        stop(
            "hall of fame",
            "/hall-of-fame",
            ("form[action='/hall-of-fame']", ""),
        ),
        stop("about", "/about", ("main h1", "About")),
        stop("admin", "/admin", ("main h1", "Admin")),
        stop("review statistics", "/review/stats", ("main h1", "Review")),
        stop(
            "card history",
            &format!("/review/cards/{card}"),
            ("main h1", "AEINRST"),
        ),
        stop(
            "review leaderboard",
            "/review/leaderboard",
            ("main h1", "Cards reviewed"),
        ),
    ];
    stops.push(Stop {
        name: "leaderboard",
        path: leaderboard,
        ready: ("main", PLAYER),
    });
    stops
}

/// A deck with one card reviewed on each of the last three days, for the statistics and
/// the card's history; the card's id.
async fn reviewed_card(app: &crate::common::TestApp) -> i64 {
    use tilebag_store::CardKind;
    use tilebag_study::review::{DAY_MS, DeckSettings, Parameters, Rating, Scheduler};
    let store = &app.store;
    let user = store.user_by_name(PLAYER).await.expect("the player").id;
    let settings = DeckSettings::default();
    let now = app.clock.now_ms();
    let deck = store
        .create_deck(user, "SCOWL80", "Sevens", &settings, app.clock.now_s())
        .await
        .expect("a deck");
    let front = vec![(CardKind::Alphagram, "AEINRST".to_owned())];
    store
        .add_cards(user, deck, front, now - 3 * DAY_MS, 10)
        .await
        .expect("a card");
    let scheduler = Scheduler::new(&Parameters::default(), &settings).expect("defaults");
    for (days_ago, rating) in [(3, Rating::Good), (2, Rating::Good), (1, Rating::Again)] {
        let card = store.cards(user, deck).await.expect("cards").remove(0);
        let number = u64::try_from(card.id.0).expect("a positive id");
        let at = now - days_ago * DAY_MS;
        let log = scheduler
            .review(number, &card.schedule, rating, at, 1500)
            .expect("a review")
            .log;
        store
            .record_review(user, &card, card.version, log)
            .await
            .expect("recorded");
    }
    // Parameters as a fit of their reviews would leave them, so the stats page shows its
    // table of fitted against default figures.
    let fit = tilebag_study::review::Fit {
        parameters: Parameters::default(),
        fitted: tilebag_study::review::Evaluation {
            log_loss: 0.3012,
            rmse: 0.0412,
        },
        default: tilebag_study::review::Evaluation {
            log_loss: 0.3377,
            rmse: 0.0581,
        },
        reviews: 412,
    };
    store
        .save_parameters(user, &fit, app.clock.now_s())
        .await
        .expect("parameters");
    store.cards(user, deck).await.expect("cards")[0].id.0
}

/// Starts a wall of ten likely sevens with an hour a round; returns its path.
async fn start_wall(app: &crate::common::TestApp, client: &Client) -> String {
    support::start_wall(client, app, "1-30", "10", "3600").await;
    client.current_url().await.unwrap().path().to_owned()
}

/// Chooses the theme in Settings, as the player would.
async fn choose_theme(client: &Client, app: &crate::common::TestApp, theme: &str) {
    support::save_settings(client, app, theme, true).await;
    text(client, &format!("html[data-theme='{theme}']")).await;
}

/// Checks every stop at every size in the session's current theme.
async fn check_all(
    client: &Client,
    app: &crate::common::TestApp,
    axe: &str,
    stops: &[Stop],
    theme: &str,
    found: &mut Findings,
) {
    for (size, width, height) in SIZES {
        let frame = window_for_viewport(client, width, height).await;
        for stop in stops {
            let url = if stop.path.starts_with("http") {
                stop.path.clone()
            } else {
                app.url(&stop.path)
            };
            client.goto(&url).await.unwrap();
            wait_for_text(client, stop.ready.0, stop.ready.1).await;
            let inner = client
                .execute("return [innerWidth, innerHeight]", vec![])
                .await
                .unwrap();
            assert_eq!(inner, serde_json::json!([width, height]), "the page's size");
            let label = format!("{} [{theme}, {size}]", stop.name);
            check(client, axe, &label, width == PHONE, found).await;
            if let Some(dir) = std::env::var_os("TILEBAG_SCREENSHOTS") {
                screenshot(client, &PathBuf::from(dir), &label, (width, height + frame)).await;
            }
        }
    }
}

/// Sizes the window so that the page itself gets `width` × `height`; returns the height of the
/// window's frame (what the window has beyond the page).
async fn window_for_viewport(client: &Client, width: u32, height: u32) -> u32 {
    client.set_window_rect(0, 0, width, height).await.unwrap();
    let frame = client
        .execute("return outerHeight - innerHeight", vec![])
        .await
        .unwrap()
        .as_u64()
        .and_then(|h| u32::try_from(h).ok())
        .unwrap_or(0);
    client
        .set_window_rect(0, 0, width, height + frame)
        .await
        .unwrap();
    frame
}

/// Runs axe (and at phone size the sideways check) on the page shown.
async fn check(client: &Client, axe: &str, label: &str, phone: bool, found: &mut Findings) {
    found.checked += 1;
    client.execute(axe, vec![]).await.expect("axe-core loads");
    let result = client
        .execute_async(RUN_AXE, vec![])
        .await
        .expect("axe runs");
    match result.as_array() {
        Some(violations) => {
            for v in violations {
                let targets: Vec<&str> = v["targets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let mut line = format!(
                    "{label}: {} ({}) {} — {}",
                    v["id"].as_str().unwrap_or("?"),
                    v["impact"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("?"),
                    targets
                        .iter()
                        .take(5)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                if targets.len() > 5 {
                    let _ = write!(line, " and {} more", targets.len() - 5);
                }
                if let Some(why) = v["why"].as_str().filter(|why| !why.is_empty()) {
                    let _ = write!(line, " (first: {why})");
                }
                found.violations.push(line);
            }
        }
        None => found
            .violations
            .push(format!("{label}: axe did not run: {result}")),
    }
    if phone {
        let sideways = client.execute(SIDEWAYS, vec![]).await.unwrap();
        if !sideways.is_null() {
            found.sideways.push(format!(
                "{label}: {} px wide in a {} px window; sticking out: {}",
                sideways["scroll"], sideways["width"], sideways["culprits"]
            ));
        }
    }
}

/// Saves the whole page (the window stretched to its height) as DIR/LABEL.png; `window` is the
/// window's usual size.
async fn screenshot(client: &Client, dir: &std::path::Path, label: &str, window: (u32, u32)) {
    let (width, usual) = window;
    let beyond = client
        .execute(
            "scrollTo(0, 0); return document.documentElement.scrollHeight - innerHeight",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .and_then(|h| u32::try_from(h).ok())
        .unwrap_or(0)
        .min(8000);
    client
        .set_window_rect(0, 0, width, usual + beyond)
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    client.set_window_rect(0, 0, width, usual).await.unwrap();
    let name = label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    std::fs::create_dir_all(dir).expect("screenshot directory");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
}
