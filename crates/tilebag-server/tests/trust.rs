//! Trustworthy state: challenges that cannot be gamed, a daily job that cannot be poisoned,
//! and actions on one object at once that cannot lose one another — over real HTTP on both
//! backends, with the server's clock moved by the test.

mod common;

use std::time::Duration;

use chrono::Days;
use common::{SendJson, TestApp, error_of, register, spawn_app, spawn_with};
use serde_json::{Value, json};
use sqlx::Connection as _;
use tilebag_server::Config;
use tilebag_server::app::jobs::{self, JobError};
use tilebag_store::testing::backends;

const PASSWORD: &str = "correct horse battery";

/// The answers of a wall's questions, from the lexicon.
fn answers(app: &TestApp, wall: &Value) -> Vec<Vec<String>> {
    let lexicon = app
        .state
        .app
        .lexicons
        .get("SCOWL80")
        .expect("bundled lexicon");
    wall["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| {
            let alphagram = q["alphagram"].as_str().expect("alphagram");
            tilebag_study::questions(lexicon, [alphagram]).expect("question")[0]
                .answers
                .clone()
        })
        .collect()
}

async fn play(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    date: &str,
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/challenges/today-7/play?date={date}")))
        .header("X-CSRF-Token", csrf)
        .send()
        .await
        .expect("play")
}

#[tokio::test]
async fn a_challenge_day_that_has_not_begun_cannot_be_played() {
    for backend in backends("a_challenge_day_that_has_not_begun_cannot_be_played") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "ann", PASSWORD).await;
        let today = tilebag_server::app::challenges::today(&app.state.app);
        let tomorrow = today + Days::new(1);
        let (status, code, message) =
            error_of(play(&app, &client, &csrf, &tomorrow.to_string()).await).await;
        assert_eq!((status, code.as_str()), (403, "future_day"), "{backend}");
        assert!(message.contains("has not begun"), "{message}");
        for far in [
            "9999-12-31",
            "+262142-01-01",
            "0000-01-01",
            "1999-12-31",
            "2026-13-01",
        ] {
            let status = play(&app, &client, &csrf, far).await.status().as_u16();
            assert!(
                matches!(status, 400 | 403),
                "{backend}: {far} gave {status}"
            );
        }
        assert_eq!(
            app.store.first_entry_day().await.unwrap(),
            None,
            "{backend}: nothing was stored for a refused day"
        );
        // A past day is practice; today counts once.
        let past: Value = play(&app, &client, &csrf, &(today - Days::new(1)).to_string())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(past["counts"], false, "{backend}");
        let now: Value = play(&app, &client, &csrf, &today.to_string())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(now["counts"], true, "{backend}");
        // The page offers no later day.
        let page = client
            .get(app.url("/challenges"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&format!("max=\"{today}\"")),
            "the date picker stops at today"
        );
    }
}

#[tokio::test]
async fn a_counted_score_stands_when_the_round_expires_unseen() {
    for backend in backends("a_counted_score_stands_when_the_round_expires_unseen") {
        let app = spawn_app(backend).await;
        let today = tilebag_server::app::challenges::today(&app.state.app);
        // Four players solve 30, 10, 5 and 3 words, then close their tabs.
        let mut players = Vec::new();
        for (name, words) in [("thirty", 30), ("ten", 10), ("five", 5), ("three", 3)] {
            let client = app.client();
            let csrf = register(&app, &client, name, PASSWORD).await;
            let wall: Value = play(&app, &client, &csrf, &today.to_string())
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(wall["counts"], true);
            let id = wall["id"].as_i64().unwrap();
            let words: Vec<String> = answers(&app, &wall)
                .into_iter()
                .flatten()
                .take(words)
                .collect();
            for word in &words {
                let result: Value = client
                    .post(app.url(&format!("/api/v1/walls/{id}/guess")))
                    .header("X-CSRF-Token", &csrf)
                    .json(&json!({ "word": word }))
                    .json_body()
                    .await;
                assert!(matches!(
                    result["result"].as_str(),
                    Some("solved" | "already_solved")
                ));
            }
            players.push(name);
        }
        // Nobody opens a wall again; the day ends and the job runs.
        app.clock
            .set(tilebag_server::app::challenges::end_of(&app.state.app, today) + jobs::GRACE);
        let outcome = jobs::run(&app.state.app, "test", None).await.unwrap();
        assert_eq!(outcome.days, [today], "{backend}");
        let board: Value = app
            .client()
            .get(app.url(&format!(
                "/api/v1/challenges/today-7/leaderboard?date={today}"
            )))
            .json_body()
            .await;
        let rows: Vec<(String, i64, bool)> = board
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["username"].as_str().unwrap().to_owned(),
                    s["solved"].as_i64().unwrap(),
                    s["finished"] == true,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("thirty".to_owned(), 30, true),
                ("ten".to_owned(), 10, true),
                ("five".to_owned(), 5, true),
                ("three".to_owned(), 3, true)
            ],
            "{backend}"
        );
        let medals: Vec<(String, String)> = app
            .store
            .medals(None, today, today)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.username, m.medal))
            .collect();
        let mut medals = medals;
        medals.sort();
        assert_eq!(
            medals,
            [
                ("five".to_owned(), "bronze".to_owned()),
                ("ten".to_owned(), "silver".to_owned()),
                ("thirty".to_owned(), "gold".to_owned())
            ],
            "{backend}"
        );
    }
}

#[tokio::test]
async fn stray_challenge_dates_cannot_poison_the_daily_job() {
    for backend in backends("stray_challenge_dates_cannot_poison_the_daily_job") {
        let app = spawn_app(backend).await;
        let today = tilebag_server::app::challenges::today(&app.state.app);
        // Rows such dates left behind before they were refused.
        for day in [
            chrono::NaiveDate::MIN,
            chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        ] {
            app.store
                .create_challenge("SCOWL80", "today-7", day, "[]", 315, 0)
                .await
                .unwrap();
        }
        let client = app.client();
        let csrf = register(&app, &client, "ann", PASSWORD).await;
        assert_eq!(
            play(&app, &client, &csrf, &today.to_string())
                .await
                .status(),
            201
        );
        // Three days later the job processes the site's three finished days, no more.
        app.clock.set(
            tilebag_server::app::challenges::end_of(&app.state.app, today + Days::new(2))
                + jobs::GRACE,
        );
        let outcome = jobs::run(&app.state.app, "test", None).await.unwrap();
        assert_eq!(
            outcome.days,
            [today, today + Days::new(1), today + Days::new(2)],
            "{backend}"
        );
        let runs = jobs::runs(&app.state.app, 10).await.unwrap();
        assert!(runs[0].detail.len() < 400, "{backend}: {}", runs[0].detail);
        // A long backlog is processed in bounded runs with a short record.
        app.clock.set(
            tilebag_server::app::challenges::end_of(&app.state.app, today + Days::new(800))
                + jobs::GRACE,
        );
        let first = jobs::run(&app.state.app, "test", None).await.unwrap();
        assert_eq!(first.days.len(), jobs::MAX_DAYS_PER_RUN, "{backend}");
        let runs = jobs::runs(&app.state.app, 1).await.unwrap();
        assert!(runs[0].detail.len() < 400, "{backend}: {}", runs[0].detail);
    }
}

#[tokio::test]
async fn the_daily_job_refuses_a_day_that_has_not_ended_and_runs_one_at_a_time() {
    for backend in backends("the_daily_job_refuses_a_day_that_has_not_ended_and_runs_one_at_a_time")
    {
        let app = spawn_app(backend).await;
        let today = tilebag_server::app::challenges::today(&app.state.app);
        for day in [today, today + Days::new(1)] {
            let refused = jobs::run(&app.state.app, "cli", Some(day)).await;
            assert!(
                matches!(refused, Err(JobError::NotEnded { .. })),
                "{backend}: {day}"
            );
        }
        assert_eq!(
            app.store.last_processed_day().await.unwrap(),
            None,
            "{backend}: nothing marked"
        );
        // A run that holds the lease (as a server's scheduler would) keeps a second one out.
        let now = app.clock.now_ms();
        assert!(
            app.store
                .take_lease(jobs::DAILY, "server", now, now + jobs::LEASE_MS)
                .await
                .unwrap()
        );
        let busy = jobs::run(&app.state.app, "cli", None).await;
        assert!(matches!(busy, Err(JobError::Busy(_))), "{backend}");
        // That run was killed: its record stays unfinished, and shows as failed once the
        // lease has expired; the next run records it so.
        app.store
            .start_run(jobs::DAILY, app.clock.now_s())
            .await
            .unwrap();
        assert_eq!(
            jobs::runs(&app.state.app, 1).await.unwrap()[0].result,
            "running"
        );
        app.clock.advance(Duration::from_millis(
            u64::try_from(jobs::LEASE_MS).unwrap() + 1,
        ));
        assert_eq!(
            jobs::runs(&app.state.app, 1).await.unwrap()[0].result,
            "FAILED"
        );
        jobs::run(&app.state.app, "cli", None).await.unwrap();
        let runs = jobs::runs(&app.state.app, 2).await.unwrap();
        assert_eq!(
            (runs[0].result, runs[1].result),
            ("ok", "FAILED"),
            "{backend}"
        );
        assert!(runs[1].detail.contains("interrupted"), "{backend}");
    }
}

/// A guest's wall of `questions` sevens; returns the client, the wall and its answers.
async fn guest_wall(app: &TestApp, questions: u32) -> (reqwest::Client, i64, Vec<Vec<String>>) {
    let client = app.client();
    let wall: Value = client
        .post(app.url("/api/v1/walls"))
        .json(
            &json!({ "search": { "length": "7", "probability": format!("1-{questions}") },
                       "settings": { "questions_per_round": questions, "seconds": 600 } }),
        )
        .json_body()
        .await;
    let id = wall["id"].as_i64().expect("wall id");
    let answers = answers(app, &wall);
    (client, id, answers)
}

#[tokio::test]
async fn giving_up_while_guesses_race_loses_no_acknowledged_word() {
    for backend in backends("giving_up_while_guesses_race_loses_no_acknowledged_word") {
        let app = spawn_app(backend).await;
        for _trial in 0..3 {
            let (client, id, answers) = guest_wall(&app, 50).await;
            let words: Vec<String> = answers.into_iter().flatten().collect();
            let mut tasks = Vec::new();
            for (i, word) in words.iter().enumerate() {
                let (guesser, url) = (
                    client.clone(),
                    app.url(&format!("/api/v1/walls/{id}/guess")),
                );
                let word = word.clone();
                tasks.push(tokio::spawn(async move {
                    let result: Value = guesser
                        .post(url)
                        .json(&json!({ "word": word }))
                        .json_body()
                        .await;
                    (word, result["result"].as_str().unwrap_or("").to_owned())
                }));
                if i == words.len() / 2 {
                    let (quitter, url) = (
                        client.clone(),
                        app.url(&format!("/api/v1/walls/{id}/give-up")),
                    );
                    tasks.push(tokio::spawn(async move {
                        let status = quitter.post(url).send().await.unwrap().status();
                        (String::new(), status.to_string())
                    }));
                }
            }
            let mut acknowledged = Vec::new();
            for task in tasks {
                let (word, result) = task.await.unwrap();
                if result == "solved" {
                    acknowledged.push(word);
                }
            }
            let wall: Value = client
                .get(app.url(&format!("/api/v1/walls/{id}")))
                .json_body()
                .await;
            // The give-up races the guesses: it ends the round unless every word got there
            // first, and then the round is all solved. Either way no acknowledged word is lost.
            let ended = wall["ended"].as_str().unwrap_or("");
            assert!(
                ended == "gave_up" || (ended == "all_solved" && acknowledged.len() == words.len()),
                "{backend}: ended {ended} with {} of {} acknowledged",
                acknowledged.len(),
                words.len()
            );
            let found: Vec<String> = wall["questions"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|q| {
                    q["found"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|w| w.as_str().unwrap().to_owned())
                })
                .collect();
            assert_eq!(
                wall["solved"].as_u64().unwrap() as usize,
                acknowledged.len(),
                "{backend}"
            );
            for word in &acknowledged {
                assert!(
                    found.contains(word),
                    "{backend}: acknowledged {word} was lost"
                );
            }
        }
    }
}

#[tokio::test]
async fn parallel_missed_ticks_all_stick_in_the_round_and_the_saved_list() {
    for backend in backends("parallel_missed_ticks_all_stick_in_the_round_and_the_saved_list") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "ann", PASSWORD).await;
        let wall: Value = client
            .post(app.url("/api/v1/walls"))
            .header("X-CSRF-Token", &csrf)
            .json(&json!({ "search": { "length": "7", "probability": "1-50" }, "settings": { "questions_per_round": 50 } }))
            .json_body()
            .await;
        let id = wall["id"].as_i64().unwrap();
        let saved = client
            .post(app.url(&format!("/api/v1/walls/{id}/save")))
            .header("X-CSRF-Token", &csrf)
            .json(&json!({ "name": "Sevens" }))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 201);
        let over: Value = client
            .post(app.url(&format!("/api/v1/walls/{id}/give-up")))
            .header("X-CSRF-Token", &csrf)
            .json_body()
            .await;
        assert_eq!(over["questions"].as_array().unwrap().len(), 50);
        let mut tasks = Vec::new();
        for question in 0..50 {
            let (client, url, csrf) = (
                client.clone(),
                app.url(&format!("/api/v1/walls/{id}/missed")),
                csrf.clone(),
            );
            tasks.push(tokio::spawn(async move {
                client
                    .post(url)
                    .header("X-CSRF-Token", csrf)
                    .json(&json!({ "question": question, "missed": false }))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), 200, "{backend}");
        }
        let wall: Value = client
            .get(app.url(&format!("/api/v1/walls/{id}")))
            .json_body()
            .await;
        let still_missed = wall["questions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|q| q["missed"] == true)
            .count();
        assert_eq!(still_missed, 0, "{backend}: every tick stuck in the round");
        let lists: Value = client.get(app.url("/api/v1/lists")).json_body().await;
        assert_eq!(
            (lists[0]["missed"].as_i64(), lists[0]["seen"].as_i64()),
            (Some(0), Some(50)),
            "{backend}: and in the list"
        );
    }
}

#[tokio::test]
async fn parallel_saves_cannot_pass_the_saved_list_quota() {
    for backend in backends("parallel_saves_cannot_pass_the_saved_list_quota") {
        let config = Config {
            max_saved_alphagrams: 100,
            ..common::roomy()
        };
        let app = spawn_with(backend, true, config).await;
        let client = app.client();
        let csrf = register(&app, &client, "ann", PASSWORD).await;
        let mut walls = Vec::new();
        for _ in 0..6 {
            let wall: Value = client
                .post(app.url("/api/v1/walls"))
                .header("X-CSRF-Token", &csrf)
                .json(&json!({ "search": { "length": "7", "probability": "1-40" } }))
                .json_body()
                .await;
            walls.push(wall["id"].as_i64().unwrap());
        }
        let mut tasks = Vec::new();
        for (n, id) in walls.into_iter().enumerate() {
            let (client, url, csrf) = (
                client.clone(),
                app.url(&format!("/api/v1/walls/{id}/save")),
                csrf.clone(),
            );
            tasks.push(tokio::spawn(async move {
                client
                    .post(url)
                    .header("X-CSRF-Token", csrf)
                    .json(&json!({ "name": format!("list {n}") }))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 201, 422, 422, 422, 422], "{backend}");
        let lists: Value = client.get(app.url("/api/v1/lists")).json_body().await;
        let held: i64 = lists
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["questions"].as_i64().unwrap())
            .sum();
        assert_eq!(held, 80, "{backend}");
    }
}

#[tokio::test]
async fn of_parallel_first_registrations_only_one_becomes_admin() {
    for backend in backends("of_parallel_first_registrations_only_one_becomes_admin") {
        let app = spawn_app(backend).await;
        let mut tasks = Vec::new();
        for n in 0..12 {
            let (client, url) = (app.client(), app.url("/api/v1/account/register"));
            tasks.push(tokio::spawn(async move {
                client
                    .post(url)
                    .json(&json!({ "username": format!("player{n}"), "password": PASSWORD }))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), 201, "{backend}");
        }
        let mut admins = 0;
        for n in 0..12 {
            if app
                .store
                .user_by_name(&format!("player{n}"))
                .await
                .unwrap()
                .is_admin
            {
                admins += 1;
            }
        }
        assert_eq!(admins, 1, "{backend}");
    }
}

#[tokio::test]
async fn cancelled_requests_leave_no_connection_idle_in_a_transaction() {
    if !backends("cancelled_requests_leave_no_connection_idle_in_a_transaction")
        .contains(&"postgres")
    {
        return;
    }
    let app = spawn_app("postgres").await;
    let (_, id, answers) = guest_wall(&app, 50).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_micros(300))
        .build()
        .unwrap();
    // Many guesses whose clients give up at once, mid-transaction or before.
    let mut tasks = Vec::new();
    for word in answers.into_iter().flatten().take(200) {
        let (client, url) = (
            client.clone(),
            app.url(&format!("/api/v1/walls/{id}/guess")),
        );
        tasks.push(tokio::spawn(async move {
            let _ = client.post(url).json(&json!({ "word": word })).send().await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    // Every connection goes back to idle (never "idle in transaction").
    let mut watcher = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (stuck, busy): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE state LIKE 'idle in transaction%'), COUNT(*) FILTER (WHERE state = 'active') \
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .fetch_one(&mut watcher)
        .await
        .unwrap();
        if stuck == 0 && busy == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{stuck} connection(s) left idle in a transaction"
        );
        tokio::task::yield_now().await;
    }
    // And the wall still answers.
    let wall = app
        .client()
        .get(app.url(&format!("/api/v1/walls/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        wall.status(),
        404,
        "another guest's wall is not found, but the server answers"
    );
}
