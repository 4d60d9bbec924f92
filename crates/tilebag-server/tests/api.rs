//! The JSON API, health, readiness and metrics over real HTTP.

mod common;

use common::{error_of, spawn_app, spawn_with};
use tilebag_server::Config;
use tilebag_store::Migration;
use tilebag_store::testing::backends;

#[tokio::test]
async fn word_tools_answer_in_the_documented_shapes() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let get = |path: &str| client.get(app.url(path)).send();
    let anagram: serde_json::Value = get("/api/v1/anagram?q=aeinrst")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(anagram["lexicon"], "SCOWL80");
    assert!(
        anagram["words"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "RETAINS")
    );
    let build: serde_json::Value = get("/api/v1/anagram?q=cat&mode=build")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(build["words"].as_array().unwrap().iter().any(|w| w == "AT"));
    let judge: serde_json::Value = get("/api/v1/judge?words=qi,zzxq")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(judge["valid"], false);
    assert_eq!(
        judge["words"][0],
        serde_json::json!({ "word": "QI", "valid": true })
    );
    let info: serde_json::Value = get("/api/v1/words/eat")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            info["alphagram"].as_str(),
            info["inner_front_hook"].as_bool()
        ),
        (Some("AET"), Some(true))
    );
    let search: serde_json::Value = get("/api/v1/search?length=7&probability=1-5&front_hook=no")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ranks: Vec<u64> = search["alphagrams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["probability"].as_u64().unwrap())
        .collect();
    assert!(
        !ranks.is_empty() && ranks.windows(2).all(|w| w[0] < w[1]) && ranks.iter().all(|&r| r <= 5),
        "{ranks:?}"
    );
    let posted: serde_json::Value = client
        .post(app.url("/api/v1/search"))
        .json(&serde_json::json!({ "length": "7", "probability": "1-5", "front_hook": "no" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(posted, search, "GET and POST search agree");
    let lexicons: serde_json::Value = get("/api/v1/lexicons").await.unwrap().json().await.unwrap();
    assert_eq!(lexicons[0]["name"], "SCOWL80");
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_in_the_error_shape() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let get = |path: &str| client.get(app.url(path)).send();
    let cases = [
        (
            get("/api/v1/anagram?q=%5BAB").await.unwrap(),
            400,
            "the letter class “[” at position 1 is not closed",
        ),
        (
            get("/api/v1/anagram?q=?????????").await.unwrap(),
            400,
            "9 blanks; at most 8",
        ),
        (
            get("/api/v1/anagram").await.unwrap(),
            400,
            "missing field “q”",
        ),
        (
            get("/api/v1/anagram?q=AB&lexicon=NWL").await.unwrap(),
            404,
            "no lexicon is named “NWL”",
        ),
        (
            get("/api/v1/anagram?q=AB&colour=red").await.unwrap(),
            400,
            "unknown field “colour”",
        ),
        (
            get("/api/v1/search?length=9-2").await.unwrap(),
            400,
            "length: “9-2”: the range is empty",
        ),
        (
            get("/api/v1/search?limit=20000").await.unwrap(),
            400,
            "at most 10000 results",
        ),
        (
            get("/api/v1/words/zzxq").await.unwrap(),
            404,
            "ZZXQ is not a word in SCOWL80",
        ),
        (
            get("/api/v1/nothing/here").await.unwrap(),
            404,
            "no such API endpoint",
        ),
    ];
    for (response, status, text) in cases {
        let (got, _, message) = error_of(response).await;
        assert_eq!(got, status, "{message}");
        assert!(message.contains(text), "{message} lacks {text}");
    }
    let post = |body: &'static str, content_type: &'static str| {
        client
            .post(app.url("/api/v1/search"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    assert_eq!(
        error_of(post("{\"length\": ", "application/json").await.unwrap())
            .await
            .1,
        "malformed_json"
    );
    assert_eq!(
        error_of(post("{\"length\": 7}", "application/json").await.unwrap())
            .await
            .1,
        "invalid_fields"
    );
    assert_eq!(
        error_of(post("length=7", "text/plain").await.unwrap())
            .await
            .1,
        "unsupported_media_type"
    );
    let huge = format!("{{\"in_list\": \"{}\"}}", "A".repeat(100 * 1024));
    let too_big = client
        .post(app.url("/api/v1/search"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(too_big).await.0, 413);
}

fn latest() -> i64 {
    tilebag_store::MIGRATIONS.last().map_or(0, |m| m.version)
}

#[tokio::test]
async fn readiness_follows_the_schema_version() {
    for backend in backends("readiness_follows_the_schema_version") {
        // Behind: a new binary on an old database, in check mode, stays up but is not ready.
        let app = spawn_with(backend, false, Config::default()).await;
        let client = app.client();
        assert_eq!(
            client
                .get(app.url("/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let response = client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(response.status(), 503, "{backend}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(
            body["reasons"][0],
            format!(
                "database schema is at version 0, this binary needs {}: run “tilebag migrate”",
                latest()
            )
        );
        app.store.migrate(app.clock.now_s()).await.unwrap();
        assert_eq!(
            client
                .get(app.url("/readyz"))
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "ready once migrated"
        );

        // Ahead: a newer release migrated further; this one keeps serving, with a warning.
        let newer = [Migration::new(
            9999,
            "newer",
            "CREATE TABLE newer (x INTEGER)",
            "CREATE TABLE newer (x BIGINT)",
        )];
        app.store
            .migrate_with(&newer, app.clock.now_s())
            .await
            .unwrap();
        let response = client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(response.status(), 200, "{backend}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(
            body["warnings"][0]
                .as_str()
                .unwrap()
                .contains(&format!("newer than this binary's {}", latest())),
            "{body}"
        );
        assert_eq!(
            client
                .get(app.url("/api/v1/anagram?q=QI"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
}

#[tokio::test]
async fn draining_turns_readiness_off() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    assert_eq!(
        client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.state.start_draining();
    let response = client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["reasons"][0], "shutting down");
    app.stop().await.unwrap();
}

#[tokio::test]
async fn shutdown_turns_readiness_off_stops_accepting_and_waits_for_the_request_in_flight() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Every wait below is far shorter than this, so a server that gave up on the request at
    // its shutdown timeout could not pass.
    let config = Config {
        shutdown_timeout: Duration::from_mins(1),
        ..common::roomy()
    };
    let app = spawn_with("sqlite", true, config).await;
    let (address, state) = (app.address, app.state.clone());
    let body = br#"{"length": "7", "probability": "1-3"}"#;
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /api/v1/search HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    // The server sends `100 Continue` only once the handler starts reading the body: from
    // here on the request is provably in flight.
    let interim = tokio::time::timeout(Duration::from_secs(5), common::read_head(&mut stream))
        .await
        .expect("`100 Continue` within 5 s");
    assert!(interim.starts_with("HTTP/1.1 100 Continue"), "{interim}");
    stream.write_all(&body[..5]).await.unwrap();

    let stopping = tokio::spawn(app.stop());
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(address).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "{address} still accepts connections 5 s after shutdown began"
        );
        tokio::task::yield_now().await;
    }
    assert!(state.is_draining(), "readiness is off once shutdown begins");
    // The test runtime has one thread: yielding lets every task that can make progress run,
    // so a server that stopped without waiting for the request would have finished by now.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        !stopping.is_finished(),
        "the server stopped with a request in flight"
    );

    stream.write_all(&body[5..]).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut response))
        .await
        .expect("the response within 5 s")
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"alphagrams\""), "{response}");
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .expect("the server stops once the request is answered")
        .expect("server task")
        .expect("serve returns Ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    for word in ["qi", "za", "xu"] {
        client
            .get(app.url(&format!("/api/v1/words/{word}")))
            .send()
            .await
            .unwrap();
    }
    let text = client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains(r#"tilebag_http_requests_total{method="GET",route="/api/v1/words/{word}",status="200"} 3"#), "{text}");
    assert!(text.contains(r#"tilebag_http_request_duration_seconds_count{method="GET",route="/api/v1/words/{word}"} 3"#));
    for gauge in [
        "tilebag_active_sessions 0",
        "tilebag_db_pool_connections",
        "tilebag_lexicon_load_seconds",
        "tilebag_resident_memory_bytes",
    ] {
        assert!(text.contains(gauge), "missing {gauge}");
    }
    assert!(
        !text.contains("/api/v1/words/qi"),
        "raw paths never become series"
    );
}

#[tokio::test]
async fn pages_render_the_word_tools() {
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let page = |path: &str| client.get(app.url(path)).send();
    let home = page("/").await.unwrap();
    assert_eq!(home.status(), 200);
    assert!(
        home.text().await.unwrap().contains("name=\"viewport\""),
        "usable on a phone"
    );
    let anagram = page("/anagram?q=aeinrst")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        anagram.contains("href=\"/info/RETAINS?lexicon=SCOWL80\""),
        "words link to their info page"
    );
    let bad = page("/anagram?q=%5BAB").await.unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("is not closed"));
    let search = page("/search?length=7&probability=1-3")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        search.contains("<table class=\"results solutions\">") && search.contains("OTARINE"),
        "results table"
    );
    let info = page("/info/eat").await.unwrap().text().await.unwrap();
    assert!(info.contains("BFGHLMNPST") && info.contains("AET"));
    assert_eq!(page("/info/zzxq").await.unwrap().status(), 404);
    let judge = page("/judge?words=qi+za")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(judge.contains("VALID"));
    let about = page("/about").await.unwrap().text().await.unwrap();
    assert!(
        about.contains("Kevin Atkinson"),
        "the SCOWL notice is shown"
    );
    let css = page("/static/app.css").await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

#[tokio::test]
async fn large_answers_are_compressed_with_zstd_when_the_client_takes_it_and_gzip_otherwise() {
    use std::io::Read as _;
    let app = spawn_app("sqlite").await;
    let client = app.client();
    let fetch = |accept: &'static str| {
        client
            .get(app.url("/api/v1/search?length=8"))
            .header("accept-encoding", accept)
            .send()
    };
    let plain = fetch("identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    assert!(
        plain.len() > 100_000,
        "a large answer: {} bytes",
        plain.len()
    );

    let chromium = fetch("gzip, deflate, br, zstd").await.unwrap();
    assert_eq!(chromium.headers()["content-encoding"], "zstd");
    let packed = chromium.bytes().await.unwrap();
    assert!(packed.len() * 3 < plain.len(), "{} bytes", packed.len());
    assert_eq!(zstd::decode_all(&packed[..]).unwrap(), plain);

    let older = fetch("gzip").await.unwrap();
    assert_eq!(older.headers()["content-encoding"], "gzip");
    let packed = older.bytes().await.unwrap();
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, plain);
}
