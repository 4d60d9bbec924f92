//! A server killed mid-round (SIGKILL: no shutdown, no last heartbeat) and started again on
//! the same database: the guesses it acknowledged are still there, and the round is given
//! back the time no server was up.

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long the server stays down: the time the restarted server must credit.
const OUTAGE: Duration = Duration::from_secs(3);
/// Allowed for clocks read at slightly different moments.
const SLACK_MS: i64 = 1_000;

struct Process {
    child: Child,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on now (the OS picks it; it is free again once this returns).
fn free_address() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
}

/// Starts `tilebag serve` on `address` and `database`, appending its log to `log`.
fn start(dir: &Path, address: SocketAddr, database: &str, log: &Path) -> Process {
    let log = File::options()
        .create(true)
        .append(true)
        .open(log)
        .expect("log file");
    let child = Command::new(env!("CARGO_BIN_EXE_tilebag"))
        .current_dir(dir)
        .args(["serve", "--listen", &address.to_string()])
        .args(["--database-url", database, "--no-daily-job"])
        .arg("--data-dir")
        .arg(dir)
        .env_remove("TILEBAG_DATA_DIR")
        .env_remove("TILEBAG_DATABASE_URL")
        .env_remove("TILEBAG_LISTEN")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("tilebag serve starts");
    Process { child }
}

/// Polls until `/healthz` answers 200 (connecting until the port is open), within 30 s.
fn wait_healthy(client: &reqwest::blocking::Client, process: &mut Process, base: &str, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = process.child.try_wait().expect("try_wait") {
            panic!(
                "the server exited ({status}) before it was healthy:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        if client
            .get(format!("{base}/healthz"))
            .send()
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{base}/healthz did not answer within 30 s:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A browser that keeps the guest cookie across restarts; no pooled connections, so each
/// request after a restart opens a fresh one.
fn browser(jar: &Arc<reqwest::cookie::Jar>) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .cookie_provider(jar.clone())
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn json_of(response: reqwest::blocking::Response) -> Value {
    let status = response.status();
    let body = response.text().expect("body");
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).expect("milliseconds fit")
}

#[test]
fn a_killed_server_keeps_acknowledged_guesses_and_credits_the_outage_to_the_round() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("tilebag.db").display());
    let log = dir.path().join("server.log");
    let address = free_address();
    let base = format!("http://{address}");
    let jar = Arc::new(reqwest::cookie::Jar::default());

    let mut first = start(dir.path(), address, &database, &log);
    let client = browser(&jar);
    wait_healthy(&client, &mut first, &base, &log);

    // A guest's wall with a round far longer than the test.
    let wall = json_of(
        client
            .post(format!("{base}/api/v1/walls"))
            .json(&json!({
                "search": { "length": "7", "probability": "1-20" },
                "settings": { "questions_per_round": 10, "seconds": 600 },
            }))
            .send()
            .unwrap(),
    );
    let id = wall["id"].as_i64().expect("wall id");
    let mut acknowledged = Vec::new();
    for question in 0..4 {
        let alphagram = wall["questions"][question]["alphagram"]
            .as_str()
            .expect("alphagram");
        let words = json_of(
            client
                .get(format!("{base}/api/v1/anagram?q={alphagram}"))
                .send()
                .unwrap(),
        );
        let word = words["words"][0].as_str().expect("an answer").to_owned();
        let guessed = json_of(
            client
                .post(format!("{base}/api/v1/walls/{id}/guess"))
                .json(&json!({ "word": word }))
                .send()
                .unwrap(),
        );
        assert_eq!(guessed["result"], "solved", "{word}: {guessed}");
        acknowledged.push((question, word));
    }

    let before_sent = Instant::now();
    let before = json_of(
        client
            .get(format!("{base}/api/v1/walls/{id}"))
            .send()
            .unwrap(),
    );
    let remaining_before = before["remaining_ms"].as_i64().expect("remaining_ms");

    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("reaped");
    let killed = Instant::now();
    drop(first);
    assert!(
        TcpStream::connect(address).is_err(),
        "nothing listens on {address} once the server is killed"
    );
    // The outage itself: here waiting for wall-clock time is the point.
    std::thread::sleep(OUTAGE.saturating_sub(killed.elapsed()));

    let restarted = Instant::now();
    let mut second = start(dir.path(), address, &database, &log);
    let client = browser(&jar);
    wait_healthy(&client, &mut second, &base, &log);
    let healthy = Instant::now();
    let after = json_of(
        client
            .get(format!("{base}/api/v1/walls/{id}"))
            .send()
            .unwrap(),
    );
    let after_received = Instant::now();
    let remaining_after = after["remaining_ms"].as_i64().expect("remaining_ms");

    for (question, word) in &acknowledged {
        assert!(
            after["questions"][*question]["found"]
                .as_array()
                .expect("found")
                .iter()
                .any(|found| found == word.as_str()),
            "the acknowledged guess {word} (question {question}) was lost: {after}"
        );
    }
    assert_eq!(after["solved"], json!(acknowledged.len()), "{after}");
    assert_eq!(after["ended"], Value::Null, "the round still runs: {after}");

    // The round's clock may only have run while a server was up: at most from the request
    // before the kill until the kill, and from the restart's spawn (start-up counts as up,
    // which favours the server) until the answer after it.
    let outage = restarted - killed;
    let up_before = killed - before_sent;
    let up_after = after_received - restarted;
    let up = millis(up_before) + millis(up_after);
    let lost = remaining_before - remaining_after;
    let least = remaining_before - up - SLACK_MS;
    eprintln!(
        "remaining before kill: {remaining_before} ms; after restart: {remaining_after} ms \
         (the round lost {lost} ms)\n\
         outage (kill to respawn): {} ms; up before the kill: {} ms; up after the respawn: {} ms \
         (of which start-up until /healthz: {} ms); up in all: {up} ms\n\
         expected at least {remaining_before} - {up} - {SLACK_MS} = {least} ms",
        millis(outage),
        millis(up_before),
        millis(up_after),
        millis(healthy - restarted),
    );
    assert!(
        remaining_after >= least,
        "the outage was not credited: {remaining_after} ms left after the restart, expected at \
         least {least} ms ({remaining_before} ms before the kill - {up} ms up - {SLACK_MS} ms \
         slack); {} ms short, of an outage of {} ms\n{}",
        least - remaining_after,
        millis(outage),
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}
