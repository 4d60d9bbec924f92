//! Load benchmark: many players reviewing cards at once, against a real server on a real
//! socket with a real SQLite file. Run with `cargo bench -p tilebag-server --bench review`
//! (`REVIEWERS=200 SECONDS=20 INTERVAL_MS=1000` by default). Each reviewer registers, makes
//! a deck of 100 seven-letter alphagrams and then, once every `INTERVAL_MS` (0: as fast as
//! the server answers), asks for the next card (`GET /api/v1/review/queue?limit=1`) and
//! grades it (`POST /api/v1/cards/ID/review`). Prints the latency of each call apart, the
//! reviews answered a second and the process's memory.
//!
//! One more reviewer (`BIG_DECK=100000` cards by default, 0 for none) reviews a deck of that
//! many alphagrams at the same pace; its calls are reported apart.
//!
//! The deck's single learning step is one second, so a card graded Again or Hard is due
//! again almost at once and the queue never runs dry; a card graded Good graduates, and
//! the run counts queues found empty (there should be none).

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{
    env, print_machine, print_server_histogram, rss_kib, session_cookie, spread, start_server,
};

/// A registered player with a deck of cards.
struct Reviewer {
    cookie: String,
    csrf: String,
    deck: i64,
}

/// What one reviewer saw during the run.
#[derive(Default)]
struct Tally {
    queue: Vec<Duration>,
    review: Vec<Duration>,
    empty: usize,
    failed: Vec<String>,
}

/// Grades in turn: mostly forgotten, so cards come back within seconds.
const RATINGS: [u8; 4] = [1, 2, 1, 3];

async fn post(
    client: &reqwest::Client,
    url: String,
    who: Option<(&str, &str)>,
    body: &Value,
) -> reqwest::Response {
    let mut request = client.post(url).json(body);
    if let Some((cookie, csrf)) = who {
        request = request
            .header("cookie", cookie)
            .header("x-csrf-token", csrf);
    }
    request.send().await.expect("request")
}

async fn json_of(response: reqwest::Response, what: &str) -> Value {
    let status = response.status();
    let body: Value = response.json().await.expect("JSON");
    assert!(status.is_success(), "{what}: {status} {body}");
    body
}

async fn set_up(client: &reqwest::Client, base: &str, n: usize) -> (Reviewer, u64) {
    let search = json!({ "length": "7", "probability": "1-100" });
    set_up_with(
        client,
        base,
        n,
        &[json!({ "kind": "alphagram", "search": search })],
    )
    .await
}

/// A reviewer whose deck holds the first `size` alphagrams of six to nine letters, added
/// 10,000 at a time (the most one call takes).
async fn set_up_big(
    client: &reqwest::Client,
    base: &str,
    n: usize,
    size: usize,
) -> (Reviewer, u64) {
    let lexicon = tilebag_bundled::scowl80();
    let fronts: Vec<String> = (6..=9)
        .flat_map(|length| lexicon.alphagrams_of_length(length))
        .take(size)
        .map(|id| {
            lexicon
                .alphagram(tilebag_lexicon::AlphagramId(id))
                .letters()
        })
        .collect();
    let additions: Vec<Value> = fronts
        .chunks(10_000)
        .map(|chunk| json!({ "kind": "alphagram", "words": chunk }))
        .collect();
    set_up_with(client, base, n, &additions).await
}

async fn set_up_with(
    client: &reqwest::Client,
    base: &str,
    n: usize,
    additions: &[Value],
) -> (Reviewer, u64) {
    let response = post(
        client,
        format!("{base}/api/v1/account/register"),
        None,
        &json!({ "username": format!("reviewer{n}"), "password": "correct horse battery" }),
    )
    .await;
    let cookie = session_cookie(&response);
    let csrf = json_of(response, "register").await["csrf_token"]
        .as_str()
        .expect("csrf token")
        .to_owned();
    let who = Some((cookie.as_str(), csrf.as_str()));
    let settings = json!({ "learning_steps_secs": [1], "new_per_day": 1000, "fuzz": false });
    let deck = json!({ "name": "Sevens", "settings": settings });
    let deck = json_of(
        post(client, format!("{base}/api/v1/decks"), who, &deck).await,
        "deck",
    )
    .await["id"]
        .as_i64()
        .expect("deck id");
    let url = format!("{base}/api/v1/decks/{deck}/cards");
    let mut added = 0;
    for cards in additions {
        added += json_of(post(client, url.clone(), who, cards).await, "cards").await["added"]
            .as_u64()
            .expect("added");
    }
    (Reviewer { cookie, csrf, deck }, added)
}

/// One reviewer's loop until `deadline`.
async fn review(
    client: reqwest::Client,
    base: String,
    reviewer: Reviewer,
    start_after: Duration,
    interval: Duration,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    tokio::time::sleep(start_after).await;
    let mut tick = tokio::time::interval(interval.max(Duration::from_micros(1)));
    let who = Some((reviewer.cookie.as_str(), reviewer.csrf.as_str()));
    let mut n = 0;
    while Instant::now() < deadline {
        if !interval.is_zero() {
            tick.tick().await;
        }
        let started = Instant::now();
        let response = client
            .get(format!(
                "{base}/api/v1/review/queue?deck={}&limit=1",
                reviewer.deck
            ))
            .header("cookie", &reviewer.cookie)
            .send()
            .await
            .expect("queue");
        if !response.status().is_success() {
            tally.failed.push(format!("queue: {}", response.status()));
            continue;
        }
        let queue: Value = response.json().await.expect("queue JSON");
        tally.queue.push(started.elapsed());
        let Some(card) = queue["cards"].get(0) else {
            tally.empty += 1;
            continue;
        };
        let grade = json!({ "version": card["version"], "rating": RATINGS[n % RATINGS.len()], "took_ms": 4000 });
        let started = Instant::now();
        let url = format!("{base}/api/v1/cards/{}/review", card["id"]);
        let response = post(&client, url, who, &grade).await;
        let status = response.status();
        if status.is_success() {
            tally.review.push(started.elapsed());
        } else {
            let body = response.text().await.unwrap_or_default();
            tally.failed.push(format!("review: {status} {body}"));
        }
        n += 1;
    }
    tally
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let reviewers = env("REVIEWERS", 200);
    let seconds = env("SECONDS", 20);
    let interval = Duration::from_millis(env("INTERVAL_MS", 1000) as u64);
    let base = start_server();
    // One client for everybody; each player is known by the cookie the server gave them.
    let client = reqwest::Client::new();
    let rss_before = rss_kib();
    let started = Instant::now();
    let mut players = Vec::with_capacity(reviewers);
    let mut cards = 0;
    for n in 0..reviewers {
        let (reviewer, added) = set_up(&client, &base, n).await;
        players.push(reviewer);
        cards += added;
    }
    let big_size = env("BIG_DECK", 100_000);
    let big = if big_size == 0 {
        None
    } else {
        let (reviewer, added) = set_up_big(&client, &base, reviewers, big_size).await;
        cards += added;
        Some((reviewer, added))
    };
    print_machine();
    println!(
        "{reviewers} players registered, each with a deck, and one with {} cards ({cards} cards in all), in {:.1?}; server RSS {rss_before} KiB before, {} KiB after",
        big.as_ref().map_or(0, |(_, added)| *added),
        started.elapsed(),
        rss_kib()
    );

    let deadline = Instant::now() + Duration::from_secs(seconds as u64);
    let spacing = interval.max(Duration::from_secs(1));
    let tasks: Vec<_> = players
        .into_iter()
        .enumerate()
        .map(|(n, reviewer)| {
            // Spread the reviewers' first cards over the interval (or a second).
            let start_after = spacing * (n * 997 % 1000) as u32 / 1000;
            let run = review(
                client.clone(),
                base.clone(),
                reviewer,
                start_after,
                interval,
                deadline,
            );
            tokio::spawn(run)
        })
        .collect();
    let big = big.map(|(reviewer, added)| {
        let run = review(
            client.clone(),
            base.clone(),
            reviewer,
            Duration::ZERO,
            interval,
            deadline,
        );
        (tokio::spawn(run), added)
    });
    let mut all = Tally::default();
    for task in tasks {
        let tally = task.await.expect("reviewer");
        all.queue.extend(tally.queue);
        all.review.extend(tally.review);
        all.empty += tally.empty;
        all.failed.extend(tally.failed);
    }
    let pace = if interval.is_zero() {
        "as fast as answered".to_owned()
    } else {
        format!("one card every {interval:?} each")
    };
    println!("{reviewers} reviewers, {pace}, for {seconds} s:");
    println!(
        "  POST review: {} answered ({:.0} a second), {}",
        all.review.len(),
        all.review.len() as f64 / seconds as f64,
        spread(&mut all.review)
    );
    println!(
        "  GET queue:   {} answered, {}",
        all.queue.len(),
        spread(&mut all.queue)
    );
    println!(
        "  queues found empty: {}; failed calls: {}{}",
        all.empty,
        all.failed.len(),
        all.failed
            .first()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default()
    );
    if let Some((task, added)) = big {
        let mut tally = task.await.expect("big reviewer");
        println!("  the {added}-card deck:");
        println!("    POST review: {}", spread(&mut tally.review));
        println!("    GET queue:   {}", spread(&mut tally.queue));
        println!("    failed calls: {}", tally.failed.len());
    }
    println!("server RSS after the run: {} KiB", rss_kib());
    print_server_histogram(&base, "/review").await;
}
