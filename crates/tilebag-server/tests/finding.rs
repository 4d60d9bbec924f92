//! Finding things over HTTP: search totals and pages, and what a saved list counts as seen.

mod common;

use common::{SendJson, register, spawn_app};
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

/// Play 50 of a 100-question list, deal the next 50 and walk away: 50 are seen, and
/// Continue deals the abandoned 50 again.
#[tokio::test]
async fn an_abandoned_round_is_not_seen_and_continue_resumes_it() {
    for backend in backends("an_abandoned_round_is_not_seen_and_continue_resumes_it") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "leaver", "correct horse battery").await;
        let post = |path: String, body: Value| {
            client
                .post(app.url(&path))
                .header("x-csrf-token", &csrf)
                .json(&body)
                .json_body()
        };
        let wall = post(
            "/api/v1/walls".into(),
            json!({ "search": { "length": "7", "probability": "1-100" },
                    "settings": { "questions_per_round": 50, "seconds": 60 } }),
        )
        .await;
        let id = wall["id"].as_i64().unwrap();
        let list = post(
            format!("/api/v1/walls/{id}/save"),
            json!({ "name": "Hundred" }),
        )
        .await;
        let list_id = list["id"].as_i64().unwrap();
        post(format!("/api/v1/walls/{id}/give-up"), json!(null)).await;
        let second = post(
            format!("/api/v1/walls/{id}/next"),
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
        let lists = client.get(app.url("/api/v1/lists")).json_body().await;
        assert_eq!(lists[0]["questions"], 100);
        assert_eq!(
            lists[0]["seen"], 50,
            "{backend}: only the finished round is seen"
        );

        let resumed = post(
            format!("/api/v1/lists/{list_id}/walls"),
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
        post(format!("/api/v1/walls/{resumed_id}/give-up"), json!(null)).await;
        let lists = client.get(app.url("/api/v1/lists")).json_body().await;
        assert_eq!(
            lists[0]["seen"], 100,
            "{backend}: seen once that round ended"
        );
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn an_older_wall_of_a_list_never_overwrites_what_a_newer_one_saved() {
    for backend in backends("an_older_wall_of_a_list_never_overwrites_what_a_newer_one_saved") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "twotabs", "correct horse battery").await;
        let post = |path: String, body: Value| {
            client
                .post(app.url(&path))
                .header("x-csrf-token", &csrf)
                .json(&body)
                .json_body()
        };
        let settings = json!({ "questions_per_round": 50, "seconds": 60 });
        let wall = post(
            "/api/v1/walls".into(),
            json!({ "search": { "length": "7", "probability": "1-100" }, "settings": settings }),
        )
        .await;
        let older = wall["id"].as_i64().unwrap();
        let list = post(
            format!("/api/v1/walls/{older}/save"),
            json!({ "name": "Two tabs" }),
        )
        .await;
        let list_id = list["id"].as_i64().unwrap();

        // The first round is left running in one tab; another tab continues the list and
        // finishes that round there.
        let newer = post(
            format!("/api/v1/lists/{list_id}/walls"),
            json!({ "deal": "continue", "settings": settings }),
        )
        .await;
        let newer = newer["id"].as_i64().unwrap();
        post(format!("/api/v1/walls/{newer}/give-up"), json!(null)).await;
        post(
            format!("/api/v1/walls/{newer}/next"),
            json!({ "deal": "continue" }),
        )
        .await;
        post(format!("/api/v1/walls/{newer}/give-up"), json!(null)).await;
        let lists = client.get(app.url("/api/v1/lists")).json_body().await;
        assert_eq!(
            lists[0]["seen"], 100,
            "{backend}: both rounds, in the newer wall"
        );

        // The forgotten tab's round then runs out, or is given up: the list keeps what the
        // newer wall saved.
        post(format!("/api/v1/walls/{older}/give-up"), json!(null)).await;
        app.clock.advance(std::time::Duration::from_mins(2));
        tilebag_server::app::walls::expire_all(&app.state.app, 100)
            .await
            .unwrap();
        let lists = client.get(app.url("/api/v1/lists")).json_body().await;
        assert_eq!(lists[0]["seen"], 100, "{backend}: {lists}");
        assert_eq!(lists[0]["missed"], 100, "{backend}: {lists}");
        app.stop().await.unwrap();
    }
}
