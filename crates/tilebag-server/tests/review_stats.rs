//! Review statistics, card histories and the daily leaderboard over real HTTP on each
//! backend. Reviews are recorded through the store (graded by the study logic), the clock
//! is moved through days, and the site's days are New York's, so a review late in the
//! evening there belongs to the day before UTC's.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::{Player, SendJson, TestApp, spawn_with};
use serde_json::{Value, json};
use tilebag_store::testing::backends;
use tilebag_store::{CardKind, DeckId, StoredCard, UserId};
use tilebag_study::review::{DeckSettings, Parameters, Rating, Scheduler};

const ZONE: chrono_tz::Tz = chrono_tz::America::New_York;

/// `hour`:`minute` on November `day`, 2026, in New York.
fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    ZONE.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

async fn spawn(backend: &str) -> TestApp {
    let mut config = common::roomy();
    config.challenge_zone = ZONE;
    let app = spawn_with(backend, true, config).await;
    app.clock.set(at(10, 12, 0));
    app
}

/// A player registered over HTTP, with a deck of `fronts` added by the store.
async fn player_with_cards<'a>(
    app: &'a TestApp,
    name: &str,
    fronts: &[&str],
) -> (Player<'a>, UserId, DeckId) {
    let player = Player::register(app, name).await;
    let user = app.store.user_by_name(name).await.unwrap().id;
    let deck = app
        .store
        .create_deck(user, "SCOWL80", "Sevens", &DeckSettings::default(), 0)
        .await
        .unwrap();
    let cards = fronts
        .iter()
        .map(|f| (CardKind::Alphagram, (*f).to_owned()))
        .collect();
    app.store
        .add_cards(user, deck, cards, app.clock.now_ms(), 1000)
        .await
        .unwrap();
    (player, user, deck)
}

async fn card(app: &TestApp, user: UserId, deck: DeckId, front: &str) -> StoredCard {
    let cards = app.store.cards(user, deck).await.unwrap();
    cards.into_iter().find(|c| c.front == front).unwrap()
}

/// Grades the card named `front` now, by the study logic with default parameters.
async fn review(app: &TestApp, user: UserId, deck: DeckId, front: &str, rating: Rating) {
    let card = card(app, user, deck, front).await;
    let scheduler = Scheduler::new(&Parameters::default(), &DeckSettings::default()).unwrap();
    let number = u64::try_from(card.id.0).unwrap();
    let reviewed = scheduler
        .review(number, &card.schedule, rating, app.clock.now_ms(), 2000)
        .unwrap();
    app.store
        .record_review(user, &card, card.version, reviewed.log)
        .await
        .unwrap();
}

fn day<'a>(days: &'a Value, date: &str) -> &'a Value {
    days.as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("no {date} in {days}"))
}

/// Alice's three cards reviewed over three days: an easy first review and an Again on the
/// 10th, a Good late that evening (the 11th in UTC), and on the 12th the easy card
/// forgotten and the other graded Good. The clock stands on the 12th.
async fn seeded(app: &TestApp) -> (Player<'_>, UserId, DeckId) {
    let (alice, user, deck) =
        player_with_cards(app, "alice", &["AEINRST", "DEILNOS", "EINORST"]).await;
    review(app, user, deck, "AEINRST", Rating::Easy).await;
    review(app, user, deck, "DEILNOS", Rating::Again).await;
    app.clock.set(at(10, 23, 30));
    review(app, user, deck, "EINORST", Rating::Good).await;
    app.clock.set(at(12, 12, 0));
    review(app, user, deck, "AEINRST", Rating::Again).await;
    review(app, user, deck, "DEILNOS", Rating::Good).await;
    (alice, user, deck)
}

#[tokio::test]
async fn stats_count_reviews_by_the_site_days_and_the_page_draws_them_as_svg() {
    for backend in backends("stats_count_reviews_by_the_site_days_and_the_page_draws_them_as_svg") {
        let app = spawn(backend).await;
        let (alice, _, deck) = seeded(&app).await;
        let stats = alice.get("/api/v1/review/stats").await;
        assert_eq!(
            (&stats["today"], &stats["zone"]),
            (&json!("2026-11-12"), &json!("America/New_York")),
            "{backend}"
        );
        let reviews = &stats["reviews"];
        assert_eq!(reviews.as_array().unwrap().len(), 30);
        assert_eq!(reviews[29]["date"], "2026-11-12");
        let grades = |date: &str| {
            let d = day(reviews, date);
            [&d["again"], &d["hard"], &d["good"], &d["easy"]].map(|v| v.as_i64().unwrap())
        };
        assert_eq!(
            grades("2026-11-10"),
            [1, 0, 1, 1],
            "{backend}: the late review is the 10th's"
        );
        assert_eq!(grades("2026-11-11"), [0, 0, 0, 0], "{backend}");
        assert_eq!(grades("2026-11-12"), [1, 0, 1, 0], "{backend}");
        assert_eq!(
            stats["retention"],
            json!({ "reviews": 1, "recalled": 0, "true_retention": 0.0, "desired": f64::from(0.9f32) }),
            "{backend}: only AEINRST was in review, and was forgotten"
        );
        assert_eq!(
            stats["cards"],
            json!({ "new": 0, "learning": 2, "review": 0, "relearning": 1, "suspended": 0 }),
            "{backend}"
        );
        let forecast = &stats["forecast"];
        assert_eq!(
            (forecast[0]["date"].as_str(), forecast[0]["due"].as_i64()),
            (Some("2026-11-12"), Some(3)),
            "{backend}: each card's next step is today"
        );
        assert_eq!(forecast.as_array().unwrap().len(), 30);
        assert_eq!(stats["decks"][0]["name"], "Sevens");
        assert!(stats["deck"].is_null());
        let one = alice
            .get(&format!("/api/v1/review/stats?deck={}", deck.0))
            .await;
        assert_eq!(one["deck"]["id"], deck.0);
        assert_eq!(one["reviews"], stats["reviews"], "{backend}");

        let page = alice.client.get(app.url("/review/stats")).text_body().await;
        assert!(
            page.contains("<svg") && page.contains("role=\"img\""),
            "{backend}: {page}"
        );
        assert!(
            page.contains(
                "aria-label=\"Reviews per day by grade over the last 30 days, all decks\""
            )
        );
        assert!(
            page.contains("class=\"bar grade-1\"")
                && page.contains("<title>Nov 10: Easy 1</title>")
        );
        assert!(
            page.contains("<strong id=\"true-retention\">0.0%</strong>"),
            "{backend}"
        );
        assert!(
            !page.contains(" style="),
            "{backend}: the CSP allows no inline style"
        );

        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn a_cards_history_gives_recall_before_each_review_and_its_forgetting_curve() {
    for backend in
        backends("a_cards_history_gives_recall_before_each_review_and_its_forgetting_curve")
    {
        let app = spawn(backend).await;
        let (alice, user, deck) = seeded(&app).await;
        let a = card(&app, user, deck, "AEINRST").await;
        let history = alice
            .get(&format!("/api/v1/review/cards/{}/history", a.id.0))
            .await;
        let logged = history["reviews"].as_array().unwrap();
        assert_eq!(logged.len(), 2, "{backend}");
        assert_eq!(
            (
                &logged[0]["grade"],
                &logged[0]["state_before"],
                &logged[0]["state_after"]
            ),
            (&json!("easy"), &json!("new"), &json!("review"))
        );
        assert!(
            logged[0]["retrievability"].is_null(),
            "never seen before its first review"
        );
        let before = logged[1]["retrievability"].as_f64().unwrap();
        assert!(
            (0.5..1.0).contains(&before),
            "{backend}: two days after an easy first review: {before}"
        );
        assert_eq!(
            logged[1]["elapsed_days"].as_f64().map(f64::round),
            Some(2.0)
        );
        let curve: Vec<f64> = history["curve"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["retrievability"].as_f64().unwrap())
            .collect();
        assert!(
            (curve[0] - 1.0).abs() < 1e-6 && curve.windows(2).all(|w| w[1] <= w[0]),
            "{backend}: {curve:?}"
        );
        assert_eq!(history["fitted_parameters"], false);
        let page = alice
            .client
            .get(app.url(&format!("/review/cards/{}", a.id.0)))
            .text_body()
            .await;
        assert!(
            page.contains("<polyline class=\"curve\"") && page.contains("class=\"target\""),
            "{backend}: {page}"
        );
        assert!(
            page.contains("<td>Easy</td>") && page.contains("new → review"),
            "{backend}"
        );

        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn stats_and_histories_are_the_players_own_and_guests_are_asked_to_log_in() {
    for backend in
        backends("stats_and_histories_are_the_players_own_and_guests_are_asked_to_log_in")
    {
        let app = spawn(backend).await;
        let (alice, user, deck) = seeded(&app).await;
        let a = card(&app, user, deck, "AEINRST").await;
        let (bob, _, bobs_deck) = player_with_cards(&app, "bob", &["AEINRST"]).await;
        let response = bob
            .client
            .get(app.url(&format!("/api/v1/review/cards/{}/history", a.id.0)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{backend}");
        let response = alice
            .client
            .get(app.url(&format!("/review/stats?deck={}", bobs_deck.0)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{backend}");
        let (status, _, message) = common::error_of(
            alice
                .client
                .get(app.url("/api/v1/review/stats?deck=sevens"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 400, "{backend}: {message}");
        assert!(message.contains("deck"), "{message}");
        let guest = app.client();
        let response = guest
            .get(app.url("/api/v1/review/stats"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        for path in [
            "/review/stats".to_owned(),
            format!("/review/cards/{}", a.id.0),
        ] {
            let response = guest.get(app.url(&path)).send().await.unwrap();
            assert_eq!(response.status(), 401, "{backend}: {path}");
            assert!(
                response.text().await.unwrap().contains("Please log in"),
                "{path}"
            );
        }
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn the_leaderboard_shows_only_players_who_opted_in_by_cards_reviewed_that_day() {
    for backend in
        backends("the_leaderboard_shows_only_players_who_opted_in_by_cards_reviewed_that_day")
    {
        let app = spawn(backend).await;
        let fronts = ["AEINRST", "DEILNOS", "EINORST"];
        let mut players = Vec::new();
        for (name, cards) in [("alice", 2), ("bob", 3), ("carol", 1)] {
            let (player, user, deck) = player_with_cards(&app, name, &fronts).await;
            for front in &fronts[..cards] {
                review(&app, user, deck, front, Rating::Again).await;
            }
            players.push(player);
        }
        let opt = |player: &Player<'_>, yes: bool| {
            let body = json!({ "preferences": { "review_leaderboard": yes } });
            player
                .client
                .put(app.url("/api/v1/account/settings"))
                .header("x-csrf-token", &player.csrf)
                .json(&body)
                .send()
        };
        assert_eq!(opt(&players[0], true).await.unwrap().status(), 200);
        assert_eq!(opt(&players[2], true).await.unwrap().status(), 200);

        let names = |board: &Value| -> Vec<(String, i64)> {
            board["players"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["username"].as_str().unwrap().to_owned(),
                        p["cards"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        let board = players[1].get("/api/v1/review/leaderboard").await;
        assert_eq!(board["date"], "2026-11-10");
        assert_eq!(
            names(&board),
            [("alice".to_owned(), 2), ("carol".to_owned(), 1)],
            "{backend}: bob did not opt in"
        );
        let page = players[1]
            .client
            .get(app.url("/review/leaderboard"))
            .text_body()
            .await;
        assert!(
            page.contains("<td><a href=\"/players/alice\">")
                && !page.contains("<td><a href=\"/players/bob\">"),
            "{backend}"
        );
        assert!(page.contains("You are not on it"), "{backend}");

        // Bob opts in on the settings page; the next day starts empty, the day before stays.
        let form = [
            ("csrf", players[1].csrf.as_str()),
            ("tile_order", "alphabetical"),
            ("theme", "auto"),
            ("review_leaderboard", "true"),
        ];
        let saved = players[1]
            .client
            .post(app.url("/settings"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200, "{backend}");
        assert!(
            saved
                .text()
                .await
                .unwrap()
                .contains("name=\"review_leaderboard\" value=\"true\" checked")
        );
        let board = app
            .client()
            .get(app.url("/api/v1/review/leaderboard"))
            .json_body()
            .await;
        assert_eq!(names(&board)[0], ("bob".to_owned(), 3), "{backend}");
        assert_eq!(board["players"][0]["rank"], 1);
        app.clock.set(at(11, 0, 30));
        let board = app
            .client()
            .get(app.url("/api/v1/review/leaderboard"))
            .json_body()
            .await;
        assert_eq!(
            (board["date"].as_str(), names(&board).len()),
            (Some("2026-11-11"), 0),
            "{backend}"
        );
        let board = app
            .client()
            .get(app.url("/api/v1/review/leaderboard?day=2026-11-10"))
            .json_body()
            .await;
        assert_eq!(names(&board).len(), 3, "{backend}");
        // Alice leaves it.
        assert_eq!(opt(&players[0], false).await.unwrap().status(), 200);
        let board = app
            .client()
            .get(app.url("/api/v1/review/leaderboard?day=2026-11-10"))
            .json_body()
            .await;
        assert_eq!(
            names(&board),
            [("bob".to_owned(), 3), ("carol".to_owned(), 1)],
            "{backend}"
        );

        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn a_leaderboard_day_not_begun_or_malformed_is_refused_saying_why() {
    for backend in backends("a_leaderboard_day_not_begun_or_malformed_is_refused_saying_why") {
        let app = spawn(backend).await;
        app.clock.set(at(11, 0, 30));
        for (day, wrong) in [
            ("2026-11-12", "choose a day from"),
            ("11/10/2026", "is not a date"),
        ] {
            let response = app
                .client()
                .get(app.url(&format!("/api/v1/review/leaderboard?day={day}")))
                .send()
                .await
                .unwrap();
            let (status, _, message) = common::error_of(response).await;
            assert_eq!(status, 400, "{backend}: {day}");
            assert!(
                message.starts_with("day: ") && message.contains(wrong),
                "{message}"
            );
        }
        let page = app
            .client()
            .get(app.url("/review/leaderboard?day=2026-11-12"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 400);
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("Cards reviewed on 2026-11-11"),
            "{backend}: today shown instead"
        );
        app.stop().await.unwrap();
    }
}
