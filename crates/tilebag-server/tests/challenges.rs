//! Daily challenges over real HTTP, and the daily job driven with an injected clock.

mod common;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use common::{register, spawn_app, spawn_with};
use serde_json::{Value, json};
use tilebag_server::Config;
use tilebag_server::app::jobs::{self, Outcome};
use tilebag_store::testing::backends;
use tilebag_store::{
    Attempt, ChallengeId, Decision, EntryUpdate, NewWall, Owner, RoundUpdate, StoreError, UserId,
    WallChange,
};

const PASSWORD: &str = "correct horse battery";

fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// Stores a finished, counted attempt at `kind` on `day` for a new player.
async fn entry(
    store: &tilebag_store::Store,
    kind: &str,
    on: NaiveDate,
    name: &str,
    solved: i64,
    wrong: i64,
) -> UserId {
    let user = store.create_user(name, "h", 0).await.unwrap();
    let challenge = store
        .create_challenge("SCOWL80", kind, on, "[]", 315, 0)
        .await
        .unwrap();
    let new = NewWall {
        owner: Owner::User(user.id),
        lexicon: "SCOWL80".into(),
        list_id: None,
        settings: "{}".into(),
        list: "{}".into(),
        round: "{}".into(),
        deadline: 0,
        attempt: Some(Attempt {
            challenge: challenge.id,
            entry: Some((user.id, 50)),
        }),
        source: None,
        place: None,
    };
    let (wall, counts) = store.create_wall(new, 0).await.unwrap();
    assert!(counts);
    store
        .modify_wall(wall, None, 0, move |_, _| {
            let entry = EntryUpdate {
                solved,
                wrong,
                finished: true,
                ..EntryUpdate::default()
            };
            let change = WallChange {
                entry: Some(entry),
                round: Some(RoundUpdate {
                    round: "{}".into(),
                    deadline: 0,
                    running: false,
                }),
                ..WallChange::default()
            };
            Ok::<_, StoreError>(Decision::Done(change, ()))
        })
        .await
        .unwrap();
    user.id
}

/// Runs the daily job with the server's clock at `now`.
async fn run_once(app: &common::TestApp, now: DateTime<Utc>) -> Result<Outcome, String> {
    app.clock.set(now);
    jobs::run_once(&app.state.app, None)
        .await
        .map_err(|e| e.to_string())
}

async fn medals_of(store: &tilebag_store::Store, user: UserId) -> Vec<String> {
    store
        .medals(
            Some(user),
            day(1) - Days::new(3650),
            day(1) + Days::new(3650),
        )
        .await
        .unwrap()
        .into_iter()
        .map(|m| format!("{} {}", m.day, m.medal))
        .collect()
}

#[tokio::test]
async fn players_play_todays_sevens_once_for_the_leaderboard() {
    for backend in backends("players_play_todays_sevens_once_for_the_leaderboard") {
        let app = spawn_app(backend).await;
        let mut results = Vec::new();
        for (name, right) in [("ann", 2), ("ben", 0), ("cat", 1)] {
            let client = app.client();
            let csrf = register(&app, &client, name, PASSWORD).await;
            let wall: Value = client
                .post(app.url("/api/v1/challenges/today-7/play"))
                .header("x-csrf-token", &csrf)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(wall["counts"], true, "{backend}: the first attempt counts");
            assert_eq!(wall["questions"].as_array().unwrap().len(), 50);
            let id = wall["id"].as_i64().unwrap();
            let lexicon = tilebag_bundled::scowl80();
            for q in wall["questions"].as_array().unwrap().iter().take(right) {
                let letters = q["alphagram"].as_str().unwrap();
                let word = lexicon
                    .alphagram(lexicon.find_alphagram(letters).unwrap())
                    .words()
                    .next()
                    .unwrap()
                    .text()
                    .to_owned();
                client
                    .post(app.url(&format!("/api/v1/walls/{id}/guess")))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({ "word": word }))
                    .send()
                    .await
                    .unwrap();
            }
            client
                .post(app.url(&format!("/api/v1/walls/{id}/give-up")))
                .header("x-csrf-token", &csrf)
                .send()
                .await
                .unwrap();
            let again: Value = client
                .post(app.url("/api/v1/challenges/today-7/play"))
                .header("x-csrf-token", &csrf)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(again["counts"], false, "replays are practice");
            assert_eq!(
                again["questions"][0]["alphagram"], wall["questions"][0]["alphagram"],
                "the same challenge"
            );
            results.push(wall);
        }
        let board: Value = app
            .client()
            .get(app.url("/api/v1/challenges/today-7/leaderboard"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let names: Vec<&str> = board
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["ann", "cat", "ben"], "{backend}");
        assert_eq!(board[0]["place"], 1);
        let listing: Value = app
            .client()
            .get(app.url("/api/v1/challenges"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listing["challenges"].as_array().unwrap().len(), 18);
        assert_eq!(listing["challenges"][5]["slug"], "today-7");
        assert_eq!(
            listing["challenges"][5]["leaderboard"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }
}

#[tokio::test]
async fn the_challenge_day_follows_the_configured_time_zone() {
    let config = Config {
        challenge_zone: chrono_tz::Pacific::Auckland,
        ..common::roomy()
    };
    let app = spawn_with("sqlite", true, config).await;
    // 12:00 UTC on the 26th is already 01:00 on the 27th in Auckland (UTC+13 in November).
    let instant = noon(day(26));
    let challenges = |at| tilebag_server::app::challenges::day_of(&app.state.app, at);
    assert_eq!(challenges(instant), day(27));
    let late = Utc.with_ymd_and_hms(2026, 11, 26, 10, 59, 59).unwrap();
    assert_eq!(challenges(late), day(26));
    assert_eq!(
        tilebag_server::app::challenges::end_of(&app.state.app, day(26)),
        Utc.with_ymd_and_hms(2026, 11, 26, 11, 0, 0).unwrap()
    );
    // Medals for the 26th (Auckland) wait until its midnight, 11:00 UTC, and the grace
    // period after it in which the last rounds end.
    let (a, b, c) = (
        entry(&app.store, "today-7", day(26), "ann", 30, 0).await,
        entry(&app.store, "today-7", day(26), "ben", 20, 0).await,
        entry(&app.store, "today-7", day(26), "cat", 10, 0).await,
    );
    let ready = late + chrono::Duration::seconds(1) + jobs::GRACE;
    assert!(
        run_once(&app, late).await.unwrap().days.is_empty(),
        "the day is not over in Auckland"
    );
    assert!(
        run_once(&app, ready - chrono::Duration::seconds(1))
            .await
            .unwrap()
            .days
            .is_empty(),
        "its last rounds may still run"
    );
    let outcome = run_once(&app, ready).await.unwrap();
    assert_eq!(outcome.days, [day(26)]);
    assert_eq!(
        (
            medals_of(&app.store, a).await,
            medals_of(&app.store, b).await,
            medals_of(&app.store, c).await
        ),
        (
            vec!["2026-11-26 gold".to_owned()],
            vec!["2026-11-26 silver".to_owned()],
            vec!["2026-11-26 bronze".to_owned()],
        )
    );
}

#[tokio::test]
async fn the_daily_job_is_idempotent_and_needs_enough_players() {
    for backend in backends("the_daily_job_is_idempotent_and_needs_enough_players") {
        let app = spawn_app(backend).await;
        let ann = entry(&app.store, "today-7", day(20), "ann", 40, 0).await;
        entry(&app.store, "today-7", day(20), "ben", 40, 0).await;
        entry(&app.store, "today-7", day(20), "cat", 30, 0).await;
        entry(&app.store, "today-8", day(20), "dan", 50, 0).await;
        entry(&app.store, "today-8", day(20), "eve", 40, 0).await;
        let first = run_once(&app, noon(day(21))).await.unwrap();
        assert_eq!(
            (first.days.clone(), first.medals),
            (vec![day(20)], 3),
            "{backend}: gold, gold, bronze; two 8s players get none"
        );
        assert_eq!(medals_of(&app.store, ann).await, ["2026-11-20 gold"]);
        let second = run_once(&app, noon(day(21))).await.unwrap();
        assert_eq!(
            (second.days.len(), second.medals),
            (0, 0),
            "running twice changes nothing"
        );
        // Even told to redo the day, unique keys keep the medals single.
        app.store
            .award(ChallengeId(1), ann, "gold", day(20), 0)
            .await
            .unwrap();
        assert_eq!(medals_of(&app.store, ann).await.len(), 1);
    }
}

#[tokio::test]
async fn the_daily_job_catches_up_after_an_outage() {
    for backend in backends("the_daily_job_catches_up_after_an_outage") {
        let app = spawn_app(backend).await;
        // Day 10 was processed; then nothing ran for days 11, 12 and 13.
        entry(&app.store, "today-7", day(10), "p10", 10, 0).await;
        run_once(&app, noon(day(11))).await.unwrap();
        let mut winners = Vec::new();
        for d in 11..=13 {
            let w = entry(&app.store, "today-7", day(d), &format!("a{d}"), 30, 0).await;
            entry(&app.store, "today-7", day(d), &format!("b{d}"), 20, 0).await;
            entry(&app.store, "today-7", day(d), &format!("c{d}"), 10, 0).await;
            winners.push((d, w));
        }
        let outcome = run_once(&app, noon(day(14))).await.unwrap();
        assert_eq!(
            outcome.days,
            [day(11), day(12), day(13)],
            "{backend}: every missed day, in order"
        );
        assert_eq!(outcome.medals, 9);
        for (d, winner) in winners {
            assert_eq!(
                medals_of(&app.store, winner).await,
                [format!("2026-11-{d} gold")]
            );
        }
        assert_eq!(app.store.last_processed_day().await.unwrap(), Some(day(13)));
    }
}

#[tokio::test]
async fn two_job_runs_at_once_award_each_medal_once() {
    for backend in backends("two_job_runs_at_once_award_each_medal_once") {
        let app = spawn_app(backend).await;
        for (name, solved) in [("ann", 3), ("ben", 2), ("cat", 1)] {
            entry(&app.store, "bingo-marathon", day(5), name, solved, 0).await;
        }
        let (a, b) = tokio::join!(run_once(&app, noon(day(6))), run_once(&app, noon(day(6))));
        assert_eq!(a.unwrap().medals + b.unwrap().medals, 3, "{backend}");
        assert_eq!(
            app.store.medals(None, day(1), day(30)).await.unwrap().len(),
            3
        );
    }
}

#[tokio::test]
async fn a_late_daily_job_shows_in_readiness_metrics_and_the_admin_page() {
    let app = spawn_app("sqlite").await;
    let today = tilebag_server::app::challenges::today(&app.state.app);
    entry(&app.store, "today-7", today - Days::new(3), "ann", 10, 0).await;
    let client = app.client();
    let ready: Value = client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        ready["ready"], true,
        "late medals do not take the site down"
    );
    assert!(
        ready["warnings"][0]
            .as_str()
            .unwrap()
            .contains("daily job is"),
        "{ready}"
    );
    let metrics = client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("tilebag_daily_job_unprocessed_days 3"),
        "{metrics}"
    );
    jobs::run(&app.state.app, "test", None).await.unwrap();
    let ready: Value = client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["warnings"], json!([]));
    let metrics = client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("tilebag_daily_job_unprocessed_days 0")
            && metrics.contains("tilebag_daily_job_last_success_timestamp_seconds")
    );
}

#[tokio::test]
async fn medals_show_on_profiles_the_hall_of_fame_and_job_runs_on_the_admin_page() {
    let app = spawn_app("sqlite").await;
    let admin = app.client();
    register(&app, &admin, "boss", PASSWORD).await;
    let today = tilebag_server::app::challenges::today(&app.state.app);
    let yesterday = today - Days::new(1);
    entry(&app.store, "today-7", yesterday, "ann", 30, 0).await;
    entry(&app.store, "today-7", yesterday, "ben", 20, 0).await;
    entry(&app.store, "today-7", yesterday, "cat", 10, 0).await;
    jobs::run(&app.state.app, "test", None).await.unwrap();

    let hall: Value = admin
        .get(app.url("/api/v1/hall-of-fame?period=week"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = hall
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["ann", "ben", "cat"],
        "gold before silver before bronze"
    );
    let ann: Value = admin
        .get(app.url("/api/v1/players/ann/medals"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            ann["counts"]["gold"].as_u64(),
            ann["history"][0][1].as_str()
        ),
        (Some(1), Some("Today's 7s"))
    );
    assert!(
        admin
            .get(app.url("/players/ann"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("Gold 1")
    );
    assert!(
        admin
            .get(app.url("/hall-of-fame"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("/players/ann")
    );
    let bad = admin
        .get(app.url("/api/v1/hall-of-fame?period=decade"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    let page = admin.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(page.status(), 200, "the first account is an admin");
    assert!(page.text().await.unwrap().contains("processed 1 day(s)"));
    let other = app.client();
    register(&app, &other, "nobody", PASSWORD).await;
    assert_eq!(
        other.get(app.url("/admin")).send().await.unwrap().status(),
        403
    );
}
