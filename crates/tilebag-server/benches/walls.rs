//! Load benchmark: many players on walls at once, against a real server on a real socket
//! with a real SQLite file. Run with `cargo bench -p tilebag-server --bench walls`
//! (`PLAYERS=500 SECONDS=30` by default). Prints wall creation times, guess latency
//! percentiles and the server's memory per active wall.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{
    env, percentile, print_machine, print_server_histogram, rss_kib, session_cookie, spread,
    start_server,
};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let players = env("PLAYERS", 500);
    let seconds = env("SECONDS", 30);
    let base = start_server();

    // One client for everybody (so its memory does not grow with the players); each player
    // is a guest known by the cookie the server gave them.
    let client = reqwest::Client::new();
    let rss_before = rss_kib();
    let mut walls = Vec::with_capacity(players);
    let mut create_times = Vec::with_capacity(players);
    for _ in 0..players {
        let started = Instant::now();
        let response = client
            .post(format!("{base}/api/v1/walls"))
            .json(&json!({ "search": { "length": "7", "probability": "1-500" }, "settings": { "questions_per_round": 50, "seconds": 3600 } }))
            .send()
            .await
            .expect("create");
        let cookie = session_cookie(&response);
        let wall: Value = response.json().await.expect("wall");
        create_times.push(started.elapsed());
        let answers = support::answers(wall["questions"].as_array().expect("questions"));
        walls.push((cookie, wall["id"].as_i64().expect("id"), answers));
    }
    let rss_after = rss_kib();
    create_times.sort();
    print_machine();
    println!(
        "create a 50-question wall from `length 7, probability 1-500` (client-measured, loopback): p50 {:.2?}, p99 {:.2?}",
        percentile(&create_times, 500),
        percentile(&create_times, 990)
    );
    println!(
        "server RSS: {rss_before} KiB before, {rss_after} KiB with {players} active walls ({:.1} KiB per wall)",
        (rss_after.saturating_sub(rss_before)) as f64 / players as f64
    );

    // Every player guesses once a second: right and wrong answers in turn.
    let deadline = Instant::now() + Duration::from_secs(seconds as u64);
    let mut tasks = Vec::new();
    for (n, (cookie, id, answers)) in walls.into_iter().enumerate() {
        let (base, client) = (base.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            // Spread the players over the second, then each guesses once a second.
            tokio::time::sleep(Duration::from_millis((n * 997 % 1000) as u64)).await;
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            let mut i = 0;
            while Instant::now() < deadline {
                tick.tick().await;
                let word = if i % 2 == 0 {
                    answers.get(i / 2).cloned().unwrap_or_default()
                } else {
                    "QZXJVKW".to_owned()
                };
                let started = Instant::now();
                let response = client
                    .post(format!("{base}/api/v1/walls/{id}/guess"))
                    .header("cookie", &cookie)
                    .json(&json!({ "word": word }))
                    .send()
                    .await;
                if response.is_ok_and(|r| r.status().is_success()) {
                    latencies.push(started.elapsed());
                }
                i += 1;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("player"));
    }
    println!(
        "{} guesses from {players} players over {seconds} s: {}",
        latencies.len(),
        spread(&mut latencies)
    );
    println!("server RSS after the run: {} KiB", rss_kib());
    print_server_histogram(&base, "/guess").await;
}
