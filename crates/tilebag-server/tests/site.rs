//! The site around the tools over HTTP: the icon, error pages with the player's own menu,
//! what the challenges say about the player and the toughies,
//! and the New wall form keeping what was typed when a setting is wrong.

mod common;

use chrono::Datelike;
use common::{SendJson, register, spawn_app};
use tilebag_store::testing::backends;

#[tokio::test]
async fn the_favicon_is_an_image_and_every_page_links_it() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let icon = client.get(app.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(icon.status(), 200);
    let kind = icon.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("image/"), "{kind}");
    let bytes = icon.bytes().await.unwrap();
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "an ICO file");
    for path in ["/", "/challenges", "/no-such-page"] {
        let html = client.get(app.url(path)).text_body().await;
        assert!(
            html.contains(r#"<link rel="icon" href="/favicon.ico""#),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_unknown_path_is_a_page_for_people_and_json_under_the_api() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let page = client.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(page.status(), 404);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1>Not found</h1>"), "{html}");
    assert!(html.contains("There is no page at this address."), "{html}");

    for path in ["/api/no-such-thing", "/api/v1/no-such-thing"] {
        let api = client.get(app.url(path)).send().await.unwrap();
        let (status, code, _) = common::error_of(api).await;
        assert_eq!((status, code.as_str()), (404, "not_found"), "{path}");
    }
}

/// Whether a page's menu is the one of the player called `name`.
fn menu_of(html: &str, name: &str) -> bool {
    html.contains(&format!(r#"<a href="/players/{name}""#))
        && html.contains("Log out")
        && !html.contains(r#"<a href="/login">Log in</a>"#)
}

#[tokio::test]
async fn a_players_error_pages_show_their_own_menu_whatever_went_wrong() {
    for backend in backends("a_players_error_pages_show_their_own_menu_whatever_went_wrong") {
        let app = spawn_app(backend).await;
        let client = app.client();
        register(&app, &client, "lostsoul", "a long password").await;
        let cases = [
            (client.get(app.url("/no-such-page")), 404),
            (client.get(app.url("/players/nobody-at-all")), 404),
            (client.get(app.url("/static/missing.css")), 404),
            (client.get(app.url("/logout")), 405),
            (client.get(app.url("/challenges?bogus=1")), 400),
            (
                client
                    .post(app.url("/settings"))
                    .form(&[("theme", "dark"), ("tile_order", "random")]),
                403,
            ),
        ];
        for (request, status) in cases {
            let response = request.send().await.unwrap();
            let url = response.url().path().to_owned();
            assert_eq!(response.status(), status, "{url}");
            let html = response.text().await.unwrap();
            assert!(html.contains("<p class=\"error\">"), "{url}: {html}");
            assert!(menu_of(&html, "lostsoul"), "{url}: {html}");
        }
        // The API's errors stay JSON.
        let api = client
            .get(app.url("/api/v1/players/nobody-at-all/medals"))
            .send()
            .await
            .unwrap();
        assert_eq!(common::error_of(api).await.0, 404);
    }
}

#[tokio::test]
async fn the_challenges_say_what_you_scored_and_when_the_toughies_open() {
    for backend in backends("the_challenges_say_what_you_scored_and_when_the_toughies_open") {
        let app = spawn_app(backend).await;
        let client = app.client();
        let csrf = register(&app, &client, "scorer", "a long password").await;
        let day = client.get(app.url("/api/v1/challenges")).json_body().await;
        let card = |day: &serde_json::Value, slug: &str| {
            day["challenges"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["slug"] == slug)
                .cloned()
                .unwrap()
        };
        let today = tilebag_server::app::challenges::today(&app.state.app);
        let monday =
            today + chrono::Days::new(u64::from(7 - today.weekday().num_days_from_monday()));
        let toughies = card(&day, "toughies");
        assert_eq!(toughies["playable"], false, "{toughies}");
        assert_eq!(toughies["opens"], monday.to_string(), "{toughies}");
        assert!(card(&day, "today-2")["mine"].is_null());
        assert_eq!(card(&day, "today-2")["playable"], true);

        let played = client
            .post(app.url("/api/v1/challenges/today-2/play"))
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap();
        assert!(played.status().is_success(), "{}", played.status());
        let day = client.get(app.url("/api/v1/challenges")).json_body().await;
        let mine = &card(&day, "today-2")["mine"];
        assert_eq!(mine["place"], 1, "{mine}");
        assert_eq!(mine["solved"], 0, "{mine}");
        assert!(mine["total"].as_i64().unwrap() > 0, "{mine}");

        let html = client.get(app.url("/challenges")).text_body().await;
        assert!(html.contains("You played it: 0/"), "{html}");
        assert!(
            html.contains(&format!("Next chance: Monday {monday}")),
            "{html}"
        );
    }
}

/// A round setting a browser's number field lets through (`1e3`) used to throw the
/// player's criteria away and say "round settings: invalid digit"; the page keeps the
/// criteria and shows the error beside the setting, as it does a setting out of range.
#[tokio::test]
async fn a_bad_round_setting_keeps_the_criteria_and_is_shown_beside_its_field() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    for (settings, field, says) in [
        ("seconds=1e3", "seconds", "seconds: “1e3”"),
        ("mode=evil", "mode", "mode: “evil”"),
        (
            "questions_per_round=5",
            "questions_per_round",
            "questions_per_round: choose",
        ),
    ] {
        let page = client
            .post(app.url("/walls"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("length=8&probability=1-123&{settings}"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 400, "{settings}");
        let html = page.text().await.unwrap();
        for kept in [
            r#"name="length" value="8""#,
            r#"name="probability" value="1-123""#,
        ] {
            assert!(
                html.contains(kept),
                "{settings}: the criteria stay ({kept})"
            );
        }
        assert!(
            html.contains(&format!(r#"aria-describedby="{field}-error""#)),
            "{settings}: the {field} field is marked"
        );
        let beside = format!(r#"<p id="{field}-error" class="field-error">{says}"#);
        assert!(html.contains(&beside), "{settings}: {beside}");
    }
    app.stop().await.unwrap();
}
