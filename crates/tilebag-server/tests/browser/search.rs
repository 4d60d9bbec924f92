//! Finding things in a real browser: search pages through the true total with clean links,
//! shows results and errors where the eye is, studies its results as a wall; ready-made
//! lists start walls; phones reach every list action; definitions stay hidden when off.

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::support::{click_css, fill, give_up, guest, js, look, registered, text, wait_for_text};

/// Whether the element's top lies within the window.
async fn in_view(client: &Client, id: &str) -> bool {
    let top = js(
        client,
        &format!("return document.getElementById('{id}').getBoundingClientRect().top"),
    )
    .await;
    let height = js(client, "return window.innerHeight").await;
    let (top, height) = (top.as_f64().unwrap(), height.as_f64().unwrap());
    (0.0..height).contains(&top)
}

/// The tiles' letters on a wall page, once they are shown.
async fn tiles(client: &Client) -> Vec<String> {
    text(client, ".tile[data-question='0'] .letters").await;
    let mut letters = Vec::new();
    for tile in client
        .find_all(Locator::Css(".tile .letters"))
        .await
        .unwrap()
    {
        letters.push(tile.text().await.unwrap());
    }
    letters
}

fn key(letters: &str) -> String {
    let mut sorted: Vec<char> = letters.chars().collect();
    sorted.sort_unstable();
    sorted.into_iter().collect()
}

#[tokio::test]
async fn search_pages_through_the_true_total_with_clean_links_and_results_in_view() {
    let Some((app, _driver, client)) =
        guest("search_pages_through_the_true_total_with_clean_links_and_results_in_view").await
    else {
        return;
    };
    let lexicon = tilebag_bundled::scowl80();
    let total = tilebag_server::views::thousands(lexicon.alphagrams_of_length(7).len());

    client.set_window_size(1280, 900).await.unwrap();
    client.goto(&app.url("/search")).await.unwrap();
    fill(&client, "length", "7").await;
    click_css(&client, "#search-form button[type=submit]").await;
    wait_for_text(
        &client,
        "#results-heading",
        &format!("1–500 of {total} alphagrams"),
    )
    .await;
    let url = client.current_url().await.unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(
        pairs.iter().all(|(_, value)| !value.is_empty()),
        "no empty parameters: {url}"
    );
    assert!(pairs.contains(&("length".into(), "7".into())), "{url}");
    assert!(
        in_view(&client, "results-heading").await,
        "the results are scrolled into view"
    );
    look(&client, "search-results").await;
    wait_for_text(
        &client,
        "#results",
        "A wall holds at most 1,000 alphagrams for a guest",
    )
    .await;

    click_css(&client, "a[rel=next]").await;
    wait_for_text(
        &client,
        "#results-heading",
        &format!("501–1,000 of {total} alphagrams"),
    )
    .await;
    let url = client.current_url().await.unwrap();
    assert!(
        url.query_pairs().all(|(_, value)| !value.is_empty()),
        "{url}"
    );
    assert!(in_view(&client, "results-heading").await);

    // A bad field: its error beside it, the field marked and described by it.
    client.goto(&app.url("/search")).await.unwrap();
    fill(&client, "length", "7").await;
    fill(&client, "vowels", "lots").await;
    click_css(&client, "#search-form button[type=submit]").await;
    wait_for_text(&client, "#vowels-error", "vowels").await;
    let vowels = client.find(Locator::Id("vowels")).await.unwrap();
    assert_eq!(
        vowels.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        vowels.attr("aria-describedby").await.unwrap().as_deref(),
        Some("vowels-error")
    );
    let beside = js(
        &client,
        "return document.getElementById('vowels').parentElement.contains(document.getElementById('vowels-error'))",
    )
    .await;
    assert_eq!(beside, Value::Bool(true), "the error sits with its field");
    assert!(
        in_view(&client, "vowels").await,
        "the bad field is scrolled into view"
    );
    assert_eq!(
        js(&client, "return document.activeElement.id").await,
        Value::from("vowels"),
        "and has the focus"
    );
    assert!(
        client.find(Locator::Id("length-error")).await.is_err(),
        "only the bad field is marked"
    );
    look(&client, "search-error").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn search_and_anagram_results_are_studied_as_a_wall() {
    let Some((app, _driver, client)) =
        guest("search_and_anagram_results_are_studied_as_a_wall").await
    else {
        return;
    };
    let lexicon = tilebag_bundled::scowl80();
    let likeliest: Vec<String> = (0..20)
        .map(|rank| {
            lexicon
                .alphagram(tilebag_lexicon::AlphagramId(
                    lexicon.alphagrams_of_length(7).start + rank,
                ))
                .letters()
        })
        .collect();
    client
        .goto(&app.url("/search?length=7&probability=1-20&front_hook=no"))
        .await
        .unwrap();
    let heading = text(&client, "#results-heading").await;
    let found: usize = heading.split(' ').nth(2).unwrap().parse().unwrap();
    click_css(&client, ".study-wall button").await;
    let letters = tiles(&client).await;
    assert_eq!(
        letters.len(),
        found,
        "a wall of exactly the results ({heading})"
    );
    for tile in &letters {
        let alphagram = key(tile);
        assert!(
            likeliest.contains(&alphagram),
            "{alphagram} is one of the 20 likeliest"
        );
        let id = lexicon.find_alphagram(&alphagram).unwrap();
        assert!(
            lexicon
                .alphagram(id)
                .words()
                .any(|w| w.front_hooks().is_empty()),
            "{alphagram}: every criterion carried: a word without front hooks"
        );
    }

    client.goto(&app.url("/anagram?q=AEINRST")).await.unwrap();
    click_css(&client, ".study-wall button").await;
    let letters = tiles(&client).await;
    assert_eq!(
        letters.iter().map(|t| key(t)).collect::<Vec<_>>(),
        ["AEINRST"]
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_ready_made_list_starts_a_wall_from_the_keyboard() {
    let Some((app, _driver, client)) =
        guest("a_ready_made_list_starts_a_wall_from_the_keyboard").await
    else {
        return;
    };
    client.goto(&app.url("/walls/new")).await.unwrap();
    look(&client, "new-wall").await;
    let button = client
        .find(Locator::XPath(
            "//form[@class='ready']/button[text()='All 2s']",
        ))
        .await
        .unwrap();
    // Enter on the focused button, as a keyboard player starts it.
    button.send_keys("\u{E007}").await.unwrap();
    let letters = tiles(&client).await;
    assert_eq!(letters.len(), 50, "a round of the default 50");
    assert!(letters.iter().all(|t| t.len() == 2), "{letters:?}");
    client.close().await.unwrap();
}

/// Whether the page is wider than the window.
async fn scrolls_sideways(client: &Client) -> bool {
    js(
        client,
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
    )
    .await
        == Value::Bool(true)
}

#[tokio::test]
async fn on_a_phone_continue_is_on_screen_and_no_page_scrolls_sideways() {
    let Some((app, _driver, client)) = registered(
        "on_a_phone_continue_is_on_screen_and_no_page_scrolls_sideways",
        "phoneuser",
    )
    .await
    else {
        return;
    };
    client.set_window_size(390, 844).await.unwrap();
    client.goto(&app.url("/walls/new")).await.unwrap();
    fill(&client, "questions_per_round", "10").await;
    click_css(&client, "#new-wall button[type=submit]").await;
    tiles(&client).await;
    give_up(&client).await;
    client
        .find(Locator::Id("list-name"))
        .await
        .unwrap()
        .send_keys("Phone list")
        .await
        .unwrap();
    click_css(&client, "#save").await;
    wait_for_text(&client, "#save-status", "Saved as").await;

    client.goto(&app.url("/lists")).await.unwrap();
    wait_for_text(&client, "#lists", "Phone list").await;
    let right = js(
        &client,
        "return document.querySelector('button[data-deal=continue]').getBoundingClientRect().right",
    )
    .await;
    let width = js(&client, "return document.documentElement.clientWidth").await;
    assert!(
        right.as_f64().unwrap() <= width.as_f64().unwrap(),
        "Continue ends at {right} in a window {width} wide"
    );
    assert!(!scrolls_sideways(&client).await, "/lists");
    look(&client, "lists-phone").await;
    for path in [
        "/search",
        "/search?length=7",
        "/search?length=7x",
        "/walls/new",
        "/anagram?q=AEINRST",
    ] {
        client.goto(&app.url(path)).await.unwrap();
        text(&client, "h1").await;
        assert!(!scrolls_sideways(&client).await, "{path} scrolls sideways");
    }
    look(&client, "search-phone").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn with_definitions_off_search_results_have_none() {
    let Some((app, _driver, client)) =
        registered("with_definitions_off_search_results_have_none", "nodefs").await
    else {
        return;
    };
    let lexicon = tilebag_bundled::scowl80();
    let word = lexicon.find_word("QI").unwrap();
    let definition = lexicon.word(word).definition().unwrap().to_owned();
    client.goto(&app.url("/search?anagram=IQ")).await.unwrap();
    wait_for_text(&client, "table.results", &definition).await;

    client.goto(&app.url("/settings")).await.unwrap();
    let show = client
        .find(Locator::Css("input[name=show_definitions]"))
        .await
        .unwrap();
    if show.is_selected().await.unwrap() {
        show.click().await.unwrap();
    }
    click_css(&client, "form[action='/settings'] button[type=submit]").await;
    text(&client, "h1").await;
    client.goto(&app.url("/search?anagram=IQ")).await.unwrap();
    let table = text(&client, "table.results").await;
    assert!(table.contains("QI"), "{table}");
    assert!(!table.contains(&definition), "no definition text: {table}");
    assert!(
        !table.contains("Definition"),
        "no definition column: {table}"
    );
    client.close().await.unwrap();
}
