//! Finding things over HTTP: search totals and pages, and what a saved list counts as seen.

mod common;

use common::{Player, SendJson, spawn_app};
use serde_json::{Value, json};
use tilebag_store::testing::backends;

fn alphagrams(answer: &Value, key: &str) -> Vec<String> {
    answer[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["alphagram"].as_str().unwrap().to_owned())
        .collect()
}

/// A wall of the 100 likeliest sevens, saved as the list `name`: the wall and the list.
async fn saved_list(player: &Player<'_>, name: &str, settings: &Value) -> (Value, i64) {
    let wall = player
        .post(
            "/api/v1/walls",
            json!({ "search": { "length": "7", "probability": "1-100" }, "settings": settings }),
        )
        .await;
    let id = wall["id"].as_i64().unwrap();
    let list = player
        .post(&format!("/api/v1/walls/{id}/save"), json!({ "name": name }))
        .await;
    (wall, list["id"].as_i64().unwrap())
}

#[tokio::test]
async fn search_answers_the_true_total_and_pages_through_it() {
    for backend in backends("search_answers_the_true_total_and_pages_through_it") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let lexicon = tilebag_bundled::scowl80();
        let sevens = lexicon.alphagrams_of_length(7).len();
        assert!(sevens > 10_000, "more sevens than one answer holds");

        let first = client
            .get(app.url("/api/v1/search?length=7"))
            .json_body()
            .await;
        assert_eq!(first["total"], sevens, "{backend}: the true total");
        assert_eq!(
            (first["offset"].as_u64(), first["limit"].as_u64()),
            (Some(0), Some(500))
        );
        let page = alphagrams(&first, "alphagrams");
        assert_eq!(page.len(), 500);

        let second = client
            .get(app.url("/api/v1/search?length=7&offset=500&limit=500"))
            .json_body()
            .await;
        assert_eq!(second["total"], sevens);
        let next = alphagrams(&second, "alphagrams");
        assert_eq!(next.len(), 500);
        assert!(
            next.iter().all(|a| !page.contains(a)),
            "the next page, not the same"
        );
        let ranks: Vec<u64> = second["alphagrams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["probability"].as_u64().unwrap())
            .collect();
        assert_eq!(
            ranks,
            (501..=1000).collect::<Vec<u64>>(),
            "ranks 501 to 1000"
        );

        let last = client
            .get(app.url(&format!("/api/v1/search?length=7&offset={}", sevens - 3)))
            .json_body()
            .await;
        assert_eq!(
            alphagrams(&last, "alphagrams").len(),
            3,
            "the last page holds what is left"
        );

        let posted = client
            .post(app.url("/api/v1/search"))
            .json(&json!({ "length": "7", "offset": "500", "limit": "500" }))
            .json_body()
            .await;
        assert_eq!(posted, second, "POST pages as GET does");

        let page = client
            .get(app.url("/search?length=7&offset=500"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let total = tilebag_server::views::thousands(sevens);
        assert!(
            page.contains(&format!("501–1,000 of {total} alphagrams")),
            "{backend}"
        );
        assert!(page.contains("rel=\"prev\"") && page.contains("offset=1000"));
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn search_links_carry_no_empty_fields() {
    for backend in backends("search_links_carry_no_empty_fields") {
        let app = spawn_app(backend).await;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let answer = client
            .get(app.url("/search?lexicon=&length=7&probability=&pattern=&front_hook="))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303, "{backend}");
        assert_eq!(
            answer.headers()["location"].to_str().unwrap(),
            "/search?length=7#results"
        );
        app.stop().await.unwrap();
    }
}

/// Empty fields are dropped before the query is read, so a URL that reads only without
/// them (a repeated key, an unknown empty key, `?=`) still redirects, and never in a loop.
#[tokio::test]
async fn search_redirects_past_empty_fields_the_form_would_refuse() {
    for backend in backends("search_redirects_past_empty_fields_the_form_would_refuse") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let many_empty = vec!["length="; 2000].join("&");
        for (query, to) in [
            ("length=&length=7", "/search?length=7#results"),
            ("length=7&length=", "/search?length=7#results"),
            ("=", "/search"),
            ("colour=&length=7", "/search?length=7#results"),
            ("length=%20&probability=+", "/search"),
            (many_empty.as_str(), "/search"),
        ] {
            let answer = client
                .get(app.url(&format!("/search?{query}")))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 303, "{backend}: {query:.40}");
            let location = answer.headers()["location"].to_str().unwrap().to_owned();
            assert_eq!(location, to, "{backend}: {query:.40}");
            let after = client.get(app.url(&location)).send().await.unwrap();
            assert_eq!(after.status(), 200, "{backend}: {location} is the end");
        }
        let refused = client
            .get(app.url("/search?length=7&length=8"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400, "two real values are still refused");
        app.stop().await.unwrap();
    }
}

/// A page number past what the server can count is "too large", not "not a whole number",
/// in the API and beside the field on the page.
#[tokio::test]
async fn an_offset_too_large_to_count_is_called_too_large() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let huge = "99999999999999999999999";
    let (status, _, message) = common::error_of(
        client
            .get(app.url(&format!("/api/v1/search?length=7&offset={huge}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, message.as_str()),
        (400, "offset: “99999999999999999999999” is too large")
    );
    let page = client
        .get(app.url(&format!("/search?length=7&limit={huge}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("limit: “{huge}” is too large")),
        "the page says so"
    );
    let negative = client
        .get(app.url("/api/v1/search?length=7&offset=-1"))
        .send()
        .await
        .unwrap();
    let (_, _, message) = common::error_of(negative).await;
    assert_eq!(message, "offset: “-1” is not a whole number");
    app.stop().await.unwrap();
}

/// A page past the results links back to the last page that has some, and a page of none
/// links nowhere (not to itself).
#[tokio::test]
async fn a_search_page_past_the_end_links_back_to_the_last_results() {
    let backend = "sqlite";
    let app = spawn_app(backend).await;
    let client = app.client();
    let sevens = tilebag_bundled::scowl80().alphagrams_of_length(7).len();
    let last = (sevens - 1) / 1000 * 1000;
    let page = |query: String| {
        let client = client.clone();
        let url = app.url(&format!("/search?{query}"));
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let past = page(format!("length=7&limit=1000&offset={}", usize::MAX)).await;
    assert!(
        past.contains(&format!("limit=1000&#38;offset={last}#results")),
        "previous goes to the last page, {last}"
    );
    let empty = page("length=7&limit=0&offset=5".into()).await;
    assert!(!empty.contains("rel=\"prev\""), "no previous page of none");
    app.stop().await.unwrap();
}

/// Play 50 of a 100-question list, deal the next 50 and walk away: 50 are seen, and
/// Continue deals the abandoned 50 again.
#[tokio::test]
async fn an_abandoned_round_is_not_seen_and_continue_resumes_it() {
    for backend in backends("an_abandoned_round_is_not_seen_and_continue_resumes_it") {
        let app = spawn_app(backend).await;
        let player = Player::register(&app, "leaver").await;
        let (wall, list_id) = saved_list(
            &player,
            "Hundred",
            &json!({ "questions_per_round": 50, "seconds": 60 }),
        )
        .await;
        let id = wall["id"].as_i64().unwrap();
        player
            .post(&format!("/api/v1/walls/{id}/give-up"), json!(null))
            .await;
        let second = player
            .post(
                &format!("/api/v1/walls/{id}/next"),
                json!({ "deal": "continue" }),
            )
            .await;
        let abandoned = alphagrams(&second, "questions");
        assert_eq!(abandoned.len(), 50, "{backend}: {second}");

        // Its time runs out with nobody there: the sweep ends it, and it is still not seen.
        app.clock.advance(std::time::Duration::from_mins(2));
        tilebag_server::app::walls::expire_all(&app.state.app, 100)
            .await
            .unwrap();
        let lists = player.get("/api/v1/lists").await;
        assert_eq!(lists[0]["questions"], 100);
        assert_eq!(
            lists[0]["seen"], 50,
            "{backend}: only the finished round is seen"
        );

        let resumed = player.post(&format!("/api/v1/lists/{list_id}/walls"),
            json!({ "deal": "continue", "settings": { "questions_per_round": 50, "seconds": 60 } }),
        )
        .await;
        let mut dealt = alphagrams(&resumed, "questions");
        let mut expected = abandoned.clone();
        dealt.sort();
        expected.sort();
        assert_eq!(
            dealt, expected,
            "{backend}: Continue resumes the abandoned round"
        );

        let resumed_id = resumed["id"].as_i64().unwrap();
        player
            .post(&format!("/api/v1/walls/{resumed_id}/give-up"), json!(null))
            .await;
        let lists = player.get("/api/v1/lists").await;
        assert_eq!(
            lists[0]["seen"], 100,
            "{backend}: seen once that round ended"
        );
        app.stop().await.unwrap();
    }
}

/// Two tabs on one list: a round of 10 is dealt, then one of 20 (the 10 again and 10
/// more). The 20 end missed, then the 10 end solved. The later end used to write back its
/// tab's old copy of the list: 10 misses forgotten and Seen going back from 40 to 30.
#[tokio::test]
async fn a_round_ended_in_another_tab_loses_no_miss_and_no_seen() {
    for backend in backends("a_round_ended_in_another_tab_loses_no_miss_and_no_seen") {
        let app = spawn_app(backend).await;
        let player = Player::register(&app, "twotabs").await;
        let (first, list_id) = saved_list(
            &player,
            "Tabs",
            &json!({ "questions_per_round": 20, "seconds": 600 }),
        )
        .await;
        let id = first["id"].as_i64().unwrap();
        player
            .post(&format!("/api/v1/walls/{id}/give-up"), json!(null))
            .await;
        let walls = format!("/api/v1/lists/{list_id}/walls");
        let play = |per_round: usize| {
            player.post(
                &walls,
                json!({ "deal": "continue", "settings": { "questions_per_round": per_round, "seconds": 600 } }),
            )
        };
        let small = play(10).await;
        let large = play(20).await;
        player
            .post(
                &format!("/api/v1/walls/{}/give-up", large["id"]),
                json!(null),
            )
            .await;
        let counts = || async {
            let lists = player.get("/api/v1/lists").await;
            (lists[0]["seen"].as_u64(), lists[0]["missed"].as_u64())
        };
        assert_eq!(counts().await, (Some(40), Some(40)), "{backend}");
        let small_id = small["id"].as_i64().unwrap();
        let lexicon = tilebag_bundled::scowl80();
        for alphagram in alphagrams(&small, "questions") {
            let id = lexicon.find_alphagram(&alphagram).unwrap();
            for word in lexicon.alphagram(id).words() {
                player
                    .post(
                        &format!("/api/v1/walls/{small_id}/guess"),
                        json!({ "word": word.text() }),
                    )
                    .await;
            }
        }
        player
            .post(&format!("/api/v1/walls/{small_id}/give-up"), json!(null))
            .await;
        assert_eq!(
            counts().await,
            (Some(40), Some(30)),
            "{backend}: the 10 solved leave the misses; the other 10 stay missed, all 40 seen"
        );
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn an_older_wall_of_a_list_never_overwrites_what_a_newer_one_saved() {
    for backend in backends("an_older_wall_of_a_list_never_overwrites_what_a_newer_one_saved") {
        let app = spawn_app(backend).await;
        let player = Player::register(&app, "twotabs").await;
        let settings = json!({ "questions_per_round": 50, "seconds": 60 });
        let (wall, list_id) = saved_list(&player, "Two tabs", &settings).await;
        let older = wall["id"].as_i64().unwrap();

        // The first round is left running in one tab; another tab continues the list and
        // finishes that round there.
        let newer = player
            .post(
                &format!("/api/v1/lists/{list_id}/walls"),
                json!({ "deal": "continue", "settings": settings }),
            )
            .await;
        let newer = newer["id"].as_i64().unwrap();
        player
            .post(&format!("/api/v1/walls/{newer}/give-up"), json!(null))
            .await;
        player
            .post(
                &format!("/api/v1/walls/{newer}/next"),
                json!({ "deal": "continue" }),
            )
            .await;
        player
            .post(&format!("/api/v1/walls/{newer}/give-up"), json!(null))
            .await;
        let lists = player.get("/api/v1/lists").await;
        assert_eq!(
            lists[0]["seen"], 100,
            "{backend}: both rounds, in the newer wall"
        );

        // The forgotten tab's round then runs out, or is given up: the list keeps what the
        // newer wall saved.
        player
            .post(&format!("/api/v1/walls/{older}/give-up"), json!(null))
            .await;
        app.clock.advance(std::time::Duration::from_mins(2));
        tilebag_server::app::walls::expire_all(&app.state.app, 100)
            .await
            .unwrap();
        let lists = player.get("/api/v1/lists").await;
        assert_eq!(lists[0]["seen"], 100, "{backend}: {lists}");
        assert_eq!(lists[0]["missed"], 100, "{backend}: {lists}");
        app.stop().await.unwrap();
    }
}
