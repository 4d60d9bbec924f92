//! Spaced repetition over real HTTP on both backends: decks, adding cards, the due queue,
//! grading over months on the test clock, undo, postpone, forget, limits and privacy.

mod common;

use std::time::Duration;

use common::{Player, error_of, roomy, spawn_app, spawn_with};
use serde_json::{Value, json};
use tilebag_store::testing::backends;

const MINUTE: Duration = Duration::from_mins(1);
const DAY: Duration = Duration::from_hours(24);

async fn new_deck(player: &Player<'_>, name: &str, settings: Value) -> i64 {
    let deck = player
        .post(
            "/api/v1/decks",
            json!({ "name": name, "settings": settings }),
        )
        .await;
    deck["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a deck: {deck}"))
}

async fn add(player: &Player<'_>, deck: i64, body: Value) -> Value {
    player
        .post(&format!("/api/v1/decks/{deck}/cards"), body)
        .await
}

async fn queue(player: &Player<'_>, deck: i64) -> Value {
    player
        .get(&format!("/api/v1/review/queue?deck={deck}&limit=100"))
        .await
}

async fn grade(player: &Player<'_>, card: &Value, rating: u8) -> reqwest::Response {
    player
        .client
        .post(
            player
                .app
                .url(&format!("/api/v1/cards/{}/review", card["id"])),
        )
        .header("x-csrf-token", &player.csrf)
        .json(&json!({ "version": card["version"], "rating": rating, "took_ms": 4000 }))
        .send()
        .await
        .unwrap()
}

async fn graded(player: &Player<'_>, card: &Value, rating: u8) -> Value {
    let response = grade(player, card, rating).await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["card"].clone()
}

fn fronts(queue: &Value) -> Vec<String> {
    queue["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["front"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_card_learns_graduates_and_comes_back_when_due_over_months() {
    for backend in backends("a_card_learns_graduates_and_comes_back_when_due_over_months") {
        let app = spawn_app(backend).await;
        let ann = Player::register(&app, "ann").await;
        let deck = new_deck(&ann, "Sevens", json!({ "fuzz": false })).await;
        let added = add(
            &ann,
            deck,
            json!({ "kind": "alphagram", "words": ["RETAINS", "qi", "ZZZQ"] }),
        )
        .await;
        assert_eq!(added["added"], 2, "{backend}: {added}");
        assert_eq!(added["skipped"][0]["line"], 3, "{added}");
        let again = add(
            &ann,
            deck,
            json!({ "kind": "alphagram", "words": ["AEINRST"] }),
        )
        .await;
        assert_eq!(
            (again["added"].clone(), again["present"].clone()),
            (json!(0), json!(1))
        );

        let q = queue(&ann, deck).await;
        assert_eq!(q["new"], 2, "{q}");
        assert_eq!(fronts(&q), ["AEINRST", "IQ"]);
        let card = q["cards"][0].clone();
        assert_eq!(card["state"], "new");

        // Good through both learning steps (1 min, 10 min) graduates the card to days.
        let card = graded(&ann, &card, 3).await;
        assert_eq!(card["state"], "learning");
        assert!(!fronts(&queue(&ann, deck).await).is_empty());
        app.clock.advance(MINUTE);
        let card = graded(&ann, &card, 3).await;
        app.clock.advance(10 * MINUTE);
        let card = graded(&ann, &card, 3).await;
        assert_eq!(card["state"], "review", "{card}");
        let due = card["due"].as_i64().unwrap();
        assert!(due > app.clock.now_ms() + 86_400_000 - 1, "{card}");

        // Not due until its day; then due again, and graded Good it waits longer.
        let q = queue(&ann, deck).await;
        assert!(!fronts(&q).contains(&"AEINRST".to_owned()), "{q}");
        let first_interval = due - app.clock.now_ms();
        app.clock
            .set(chrono::DateTime::from_timestamp_millis(due).unwrap());
        let q = queue(&ann, deck).await;
        assert_eq!(q["due"], 1, "{q}");
        let card = q["cards"][0].clone();
        assert_eq!(card["front"], "AEINRST");
        let card = graded(&ann, &card, 3).await;
        let second_interval = card["due"].as_i64().unwrap() - app.clock.now_ms();
        assert!(
            second_interval > first_interval,
            "{first_interval} then {second_interval}"
        );

        let shown = ann.get(&format!("/api/v1/cards/{}", card["id"])).await;
        let reviews = shown["reviews"].as_array().unwrap();
        assert_eq!(reviews.len(), 4, "{shown}");
        assert_eq!(reviews[0]["state_before"], "new");
        assert!(shown["stability"].as_f64().unwrap() > 1.0, "{shown}");
        assert!(reviews.iter().all(|r| r["rating"] == 3));
    }
}

#[tokio::test]
async fn a_grade_given_on_an_old_version_is_refused_and_undo_restores_the_card_exactly() {
    for backend in
        backends("a_grade_given_on_an_old_version_is_refused_and_undo_restores_the_card_exactly")
    {
        let app = spawn_app(backend).await;
        let bo = Player::register(&app, "bob").await;
        let deck = new_deck(&bo, "Twos", json!({})).await;
        add(&bo, deck, json!({ "kind": "alphagram", "words": ["QI"] })).await;
        let shown = queue(&bo, deck).await["cards"][0].clone();
        let before = bo.get(&format!("/api/v1/cards/{}", shown["id"])).await;
        graded(&bo, &shown, 3).await;

        // The same card as shown in a second tab: its grade names the old version.
        let (status, code, message) = error_of(grade(&bo, &shown, 1).await).await;
        assert_eq!(
            (status, code.as_str()),
            (409, "card_changed"),
            "{backend}: {message}"
        );

        let undone = bo.post("/api/v1/review/undo", json!({})).await;
        for field in ["state", "due", "reps", "stability", "last_review"] {
            assert_eq!(undone[field], before[field], "{field} after undo: {undone}");
        }
        let after = bo.get(&format!("/api/v1/cards/{}", shown["id"])).await;
        assert_eq!(after["reviews"], json!([]));
        let nothing = bo
            .client
            .post(app.url("/api/v1/review/undo"))
            .header("x-csrf-token", &bo.csrf)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(nothing).await.0, 404);
    }
}

#[tokio::test]
async fn postponing_moves_due_reviews_back_and_forgetting_makes_a_card_relearn() {
    for backend in backends("postponing_moves_due_reviews_back_and_forgetting_makes_a_card_relearn")
    {
        let app = spawn_app(backend).await;
        let cy = Player::register(&app, "cyd").await;
        let deck = new_deck(
            &cy,
            "Steps",
            json!({ "learning_steps_secs": [60], "fuzz": false }),
        )
        .await;
        add(
            &cy,
            deck,
            json!({ "kind": "alphagram", "words": ["QI", "ZA", "XU"] }),
        )
        .await;
        for card in queue(&cy, deck).await["cards"].as_array().unwrap() {
            graded(&cy, card, 4).await;
        }
        app.clock.advance(20 * DAY);
        let q = queue(&cy, deck).await;
        assert_eq!(q["due"], 3, "{backend}: {q}");
        let done = cy
            .post(
                "/api/v1/review/postpone",
                json!({ "days": 5, "deck": deck, "count": 2 }),
            )
            .await;
        assert_eq!(done["postponed"], 2, "{done}");
        assert_eq!(queue(&cy, deck).await["due"], 1);
        let bad = cy
            .client
            .post(app.url("/api/v1/review/postpone"))
            .header("x-csrf-token", &cy.csrf)
            .json(&json!({ "days": 0 }))
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(bad).await.0, 400);

        let card = queue(&cy, deck).await["cards"][0].clone();
        let forgotten = cy
            .post(
                &format!("/api/v1/cards/{}/forget", card["id"]),
                json!({ "version": card["version"] }),
            )
            .await;
        assert_eq!(forgotten["card"]["state"], "relearning", "{forgotten}");
        assert_eq!(forgotten["card"]["lapses"], 1);
        let log = cy.get(&format!("/api/v1/cards/{}", card["id"])).await;
        assert_eq!(
            log["reviews"].as_array().unwrap().last().unwrap()["kind"],
            "forgotten"
        );
    }
}

#[tokio::test]
async fn new_cards_per_day_hold_back_the_rest_until_the_next_day() {
    for backend in backends("new_cards_per_day_hold_back_the_rest_until_the_next_day") {
        let app = spawn_app(backend).await;
        let di = Player::register(&app, "dia").await;
        let deck = new_deck(&di, "Two a day", json!({ "new_per_day": 2 })).await;
        add(
            &di,
            deck,
            json!({ "kind": "alphagram", "words": ["QI", "ZA", "XU", "JO"] }),
        )
        .await;
        let q = queue(&di, deck).await;
        assert_eq!(
            (q["new"].clone(), fronts(&q).len()),
            (json!(2), 2),
            "{backend}: {q}"
        );
        for card in q["cards"].as_array().unwrap() {
            graded(&di, card, 1).await;
        }
        let q = queue(&di, deck).await;
        assert_eq!(q["new"], 0, "{q}");
        assert_eq!(q["learning"], 0, "learning cards are not due yet: {q}");
        app.clock.advance(DAY);
        let q = queue(&di, deck).await;
        assert_eq!(
            (q["new"].clone(), q["learning"].clone()),
            (json!(2), json!(2)),
            "{q}"
        );
    }
}

#[tokio::test]
async fn the_card_limit_refuses_an_addition_that_would_pass_it_and_adds_nothing() {
    for backend in
        backends("the_card_limit_refuses_an_addition_that_would_pass_it_and_adds_nothing")
    {
        let mut config = roomy();
        config.max_cards = 3;
        let app = spawn_with(backend, true, config).await;
        let ed = Player::register(&app, "eddie").await;
        let deck = new_deck(&ed, "Small", json!({})).await;
        add(
            &ed,
            deck,
            json!({ "kind": "alphagram", "words": ["QI", "ZA"] }),
        )
        .await;
        let over = ed
            .client
            .post(app.url(&format!("/api/v1/decks/{deck}/cards")))
            .header("x-csrf-token", &ed.csrf)
            .json(&json!({ "kind": "alphagram", "words": ["XU", "JO"] }))
            .send()
            .await
            .unwrap();
        let (status, code, message) = error_of(over).await;
        assert_eq!((status, code.as_str()), (409, "card_limit"), "{backend}");
        assert!(message.contains("limit of 3 cards"), "{message}");
        assert_eq!(ed.get(&format!("/api/v1/decks/{deck}")).await["cards"], 2);
    }
}

#[tokio::test]
async fn decks_and_cards_are_their_players_own_and_guests_have_none() {
    for backend in backends("decks_and_cards_are_their_players_own_and_guests_have_none") {
        let app = spawn_app(backend).await;
        let fay = Player::register(&app, "fay").await;
        let gus = Player::register(&app, "gus").await;
        let deck = new_deck(&fay, "Mine", json!({})).await;
        add(&fay, deck, json!({ "kind": "alphagram", "words": ["QI"] })).await;
        let card = queue(&fay, deck).await["cards"][0].clone();
        for path in [
            format!("/api/v1/decks/{deck}"),
            format!("/api/v1/cards/{}", card["id"]),
            format!("/api/v1/review/queue?deck={deck}"),
        ] {
            let response = gus.client.get(app.url(&path)).send().await.unwrap();
            assert_eq!(response.status(), 404, "{backend} {path}");
        }
        assert_eq!(error_of(grade(&gus, &card, 3).await).await.0, 404);
        let guest = app
            .client()
            .get(app.url("/api/v1/decks"))
            .send()
            .await
            .unwrap();
        assert_eq!(guest.status(), 401);
        let taken = fay
            .client
            .post(app.url("/api/v1/decks"))
            .header("x-csrf-token", &fay.csrf)
            .json(&json!({ "name": " Mine " }))
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(taken).await.0, 409);
        let bad = fay
            .client
            .post(app.url("/api/v1/decks"))
            .header("x-csrf-token", &fay.csrf)
            .json(&json!({ "name": "Odd", "settings": { "desired_retention": 0.5 } }))
            .send()
            .await
            .unwrap();
        let (status, _, message) = error_of(bad).await;
        assert_eq!(status, 400);
        assert!(message.contains("0.70 to 0.97"), "{message}");
    }
}

#[tokio::test]
async fn fitting_parameters_needs_enough_reviews_and_says_how_many() {
    for backend in backends("fitting_parameters_needs_enough_reviews_and_says_how_many") {
        let app = spawn_app(backend).await;
        let hal = Player::register(&app, "hala").await;
        let params = hal.get("/api/v1/review/parameters").await;
        assert_eq!(params["fitted"], false, "{backend}: {params}");
        assert_eq!(params["weights"].as_array().unwrap().len(), 21);
        let response = hal
            .client
            .post(app.url("/api/v1/review/parameters"))
            .header("x-csrf-token", &hal.csrf)
            .send()
            .await
            .unwrap();
        let (status, code, message) = error_of(response).await;
        assert_eq!((status, code.as_str()), (409, "too_few_reviews"));
        assert!(message.contains("at least 400 reviews"), "{message}");
    }
}

/// A deck of 120 four-letter alphagram cards, all of them new a day.
async fn deck_of_fours(player: &Player<'_>) -> i64 {
    let deck = new_deck(player, "Many", json!({ "new_per_day": 1000 })).await;
    let lexicon = tilebag_bundled::scowl80();
    let words: Vec<String> = lexicon
        .alphagrams_of_length(4)
        .take(120)
        .map(|id| {
            lexicon
                .alphagram(tilebag_lexicon::AlphagramId(id))
                .letters()
        })
        .collect();
    add(player, deck, json!({ "kind": "alphagram", "words": words })).await;
    deck
}

/// Reviews every due card of the player's deck once a day for `days` days through the store,
/// as reviewing on the page would (graded Good, with every seventh review forgotten).
async fn review_daily(
    app: &common::TestApp,
    user: tilebag_store::UserId,
    deck: i64,
    days: u32,
) -> usize {
    use tilebag_study::review::{DeckSettings, Parameters, Rating, Scheduler};
    let settings = DeckSettings {
        learning_steps_secs: Vec::new(),
        relearning_steps_secs: Vec::new(),
        ..DeckSettings::default()
    };
    let scheduler = Scheduler::new(&Parameters::default(), &settings).unwrap();
    let mut reviews = 0;
    for _ in 0..days {
        let now = app.clock.now_ms();
        let queue = app
            .store
            .due_queue(
                user,
                tilebag_store::Scope::Deck(tilebag_store::DeckId(deck)),
                now,
                1000,
                1000,
            )
            .await
            .unwrap();
        for card in queue.cards {
            let rating = if reviews % 7 == 3 {
                Rating::Again
            } else {
                Rating::Good
            };
            let number = u64::try_from(card.id.0).unwrap();
            let reviewed = scheduler
                .review(number, &card.schedule, rating, now, 3000)
                .unwrap();
            app.store
                .record_review(user, &card, card.version, reviewed.log)
                .await
                .unwrap();
            reviews += 1;
        }
        app.clock.advance(DAY);
    }
    reviews
}

#[tokio::test]
async fn the_daily_job_refits_a_players_parameters_once_they_have_enough_reviews_and_then_weekly() {
    for backend in backends(
        "the_daily_job_refits_a_players_parameters_once_they_have_enough_reviews_and_then_weekly",
    ) {
        let app = spawn_app(backend).await;
        let iva = Player::register(&app, "iva").await;
        let deck = deck_of_fours(&iva).await;
        let user = app.store.user_by_name("iva").await.unwrap().id;
        let job = |app: &common::TestApp| {
            let app = app.state.app.clone();
            async move {
                tilebag_server::app::jobs::run_once(&app, None)
                    .await
                    .unwrap()
            }
        };

        let few = review_daily(&app, user, deck, 2).await;
        assert!(few < 400, "{few}");
        assert_eq!(
            job(&app).await.fitted,
            0,
            "{backend}: {few} reviews are too few"
        );
        let many = few + review_daily(&app, user, deck, 40).await;
        assert!(many >= 400, "{many} reviews");
        assert_eq!(job(&app).await.fitted, 1, "{backend}");
        let fit = app
            .store
            .parameters(user, tilebag_study::review::ModelVersion::Fsrs6)
            .await
            .unwrap()
            .expect("fitted");
        assert_eq!(fit.fit.reviews, many);
        assert_eq!(job(&app).await.fitted, 0, "refitted only weekly");
        app.clock.advance(8 * DAY);
        assert_eq!(job(&app).await.fitted, 1, "a week later, again");
    }
}

/// Posts a page's form as the player's browser does, with its CSRF field.
async fn post_form(player: &Player<'_>, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form = vec![("csrf", player.csrf.as_str())];
    form.extend_from_slice(fields);
    player
        .client
        .post(player.app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn page(player: &Player<'_>, path: &str) -> String {
    let response = player
        .client
        .get(player.app.url(path))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

fn location(response: &reqwest::Response) -> &str {
    response.headers()["location"].to_str().unwrap()
}

#[tokio::test]
async fn the_stats_page_fits_parameters_on_request_and_shows_them_against_the_defaults() {
    for backend in
        backends("the_stats_page_fits_parameters_on_request_and_shows_them_against_the_defaults")
    {
        let app = spawn_app(backend).await;
        let iva = Player::register(&app, "iva").await;
        let deck = deck_of_fours(&iva).await;
        let user = app.store.user_by_name("iva").await.unwrap().id;
        let deck_field = deck.to_string();
        let stats = format!("/review/stats?deck={deck}");
        assert!(page(&iva, &stats).await.contains("Optimize my parameters"));

        let few = review_daily(&app, user, deck, 2).await;
        let refused = post_form(&iva, "/review/parameters", &[("deck", &deck_field)]).await;
        assert_eq!(refused.status(), 409, "{backend}");
        let shown = refused.text().await.unwrap();
        assert!(
            shown.contains(&format!("at least 400 reviews; there are {few} so far")),
            "{backend}: {shown}"
        );
        assert!(shown.contains("scheduled with FSRS-6’s default parameters"));

        let many = few + review_daily(&app, user, deck, 40).await;
        // Forty days on, the session has run out.
        let iva = Player::log_in(&app, "iva").await;
        let fitted = post_form(&iva, "/review/parameters", &[("deck", &deck_field)]).await;
        assert_eq!(fitted.status(), 303, "{backend}");
        assert_eq!(location(&fitted), format!("{stats}#parameters"));
        let parameters = iva.get("/api/v1/review/parameters").await;
        assert_eq!(parameters["fitted"], true, "{parameters}");
        assert_eq!(parameters["reviews"], many);
        let shown = page(&iva, &stats).await;
        assert!(
            shown.contains(&format!("Fitted to your {many} reviews")),
            "{shown}"
        );
        let log_loss = parameters["fitted_figures"]["log_loss"].as_f64().unwrap();
        assert!(
            shown.contains(&format!("<td id=\"fitted-log-loss\">{log_loss:.4}</td>")),
            "{backend}: {log_loss} in {shown}"
        );
    }
}

#[tokio::test]
async fn a_card_marked_forgotten_on_its_page_relearns_now_and_a_stale_page_changes_nothing() {
    for backend in backends(
        "a_card_marked_forgotten_on_its_page_relearns_now_and_a_stale_page_changes_nothing",
    ) {
        let app = spawn_app(backend).await;
        let kim = Player::register(&app, "kim").await;
        let deck = new_deck(&kim, "Sevens", json!({ "fuzz": false })).await;
        add(
            &kim,
            deck,
            json!({ "kind": "alphagram", "words": ["AEINRST"] }),
        )
        .await;
        let new = queue(&kim, deck).await["cards"][0].clone();
        let address = format!("/review/cards/{}", new["id"]);
        assert!(
            !page(&kim, &address).await.contains("Mark forgotten"),
            "{backend}: a new card has nothing to forget"
        );
        let learned = graded(&kim, &new, 4).await;
        assert_eq!(learned["state"], "review", "{learned}");
        assert!(page(&kim, &address).await.contains("Mark forgotten"));

        let version = learned["version"].to_string();
        let forgotten =
            post_form(&kim, &format!("{address}/forget"), &[("version", &version)]).await;
        assert_eq!(forgotten.status(), 303, "{backend}");
        assert_eq!(location(&forgotten), address);
        let card = kim.get(&format!("/api/v1/cards/{}", new["id"])).await;
        assert_eq!(card["state"], "relearning", "{card}");
        assert_eq!(card["lapses"], 1);
        assert!(card["due"].as_i64().unwrap() <= app.clock.now_ms() + 10 * 60_000);
        assert_eq!(card["reviews"].as_array().unwrap().len(), 2);

        let stale = post_form(&kim, &format!("{address}/forget"), &[("version", &version)]).await;
        assert_eq!(stale.status(), 409, "{backend}");
        let again = kim.get(&format!("/api/v1/cards/{}", new["id"])).await;
        assert_eq!(again["reviews"].as_array().unwrap().len(), 2, "{again}");
        assert_eq!(
            (again["version"].clone(), again["lapses"].clone()),
            (card["version"].clone(), card["lapses"].clone())
        );
    }
}

#[tokio::test]
async fn a_suspended_card_is_not_graded_or_forgotten_until_it_is_brought_back() {
    for backend in backends("a_suspended_card_is_not_graded_or_forgotten_until_it_is_brought_back")
    {
        let app = spawn_app(backend).await;
        let lu = Player::register(&app, "luisa").await;
        let deck = new_deck(&lu, "Sevens", json!({})).await;
        add(
            &lu,
            deck,
            json!({ "kind": "alphagram", "words": ["AEINRST"] }),
        )
        .await;
        let card = queue(&lu, deck).await["cards"][0].clone();
        let suspend = |suspended: bool| {
            lu.post(
                "/api/v1/cards/suspend",
                json!({ "cards": [card["id"]], "suspended": suspended }),
            )
        };
        let forget = |card: &Value| {
            lu.client
                .post(lu.app.url(&format!("/api/v1/cards/{}/forget", card["id"])))
                .header("x-csrf-token", &lu.csrf)
                .json(&json!({ "version": card["version"] }))
                .send()
        };
        let (status, code, _) = error_of(forget(&card).await.unwrap()).await;
        assert_eq!(
            (status, code.as_str()),
            (409, "card_new"),
            "{backend}: never reviewed"
        );
        assert_eq!(suspend(true).await["changed"], 1);
        let shown = lu.get(&format!("/api/v1/cards/{}", card["id"])).await;
        let (status, code, _) = error_of(forget(&shown).await.unwrap()).await;
        assert_eq!(
            (status, code.as_str()),
            (409, "card_suspended"),
            "{backend}"
        );
        let (status, code, message) = error_of(grade(&lu, &shown, 3).await).await;
        assert_eq!(
            (status, code.as_str()),
            (409, "card_suspended"),
            "{backend}: {message}"
        );
        let after = lu.get(&format!("/api/v1/cards/{}", card["id"])).await;
        assert_eq!(after["reps"], 0, "{backend}: {after}");

        assert_eq!(suspend(false).await["changed"], 1);
        let back = lu.get(&format!("/api/v1/cards/{}", card["id"])).await;
        assert_eq!(graded(&lu, &back, 3).await["reps"], 1, "{backend}");
    }
}

#[tokio::test]
async fn a_fit_waits_for_the_one_fit_at_a_time_and_is_told_to_come_back_while_others_are_served() {
    let app = spawn_app("sqlite").await;
    let ada = Player::register(&app, "adaline").await;
    let turn = app.state.app.fitting.clone().acquire_owned().await.unwrap();
    let waiting = {
        let request = ada
            .client
            .post(app.url("/api/v1/review/parameters"))
            .header("x-csrf-token", &ada.csrf)
            .send();
        tokio::spawn(request)
    };
    // While it waits, everyone else is served.
    for _ in 0..5 {
        assert_eq!(ada.get("/api/v1/decks").await, json!([]));
    }
    let response = waiting.await.unwrap().unwrap();
    assert_eq!(response.headers()["retry-after"], "30");
    let (status, code, message) = error_of(response).await;
    assert_eq!((status, code.as_str()), (503, "busy"), "{message}");
    drop(turn);
    let response = ada
        .client
        .post(app.url("/api/v1/review/parameters"))
        .header("x-csrf-token", &ada.csrf)
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (409, "too_few_reviews"),
        "its turn came"
    );
}
