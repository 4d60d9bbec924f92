//! `tilebag serve`, `migrate` and `backup` as real processes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tilebag_store::testing::{TestDatabase, backends};

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `tilebag serve` on a free port in `dir` and waits for its address line.
    fn start(dir: &std::path::Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tilebag"))
            .current_dir(dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env_remove("TILEBAG_DATA_DIR")
            .env_remove("TILEBAG_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tilebag serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("address line");
        let base = line
            .trim()
            .strip_prefix("tilebag is listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Server { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn address(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    fn wait(mut self) -> std::process::ExitStatus {
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the server did not stop within 10 s");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tilebag(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tilebag"))
        .current_dir(dir)
        .args(args)
        .env_remove("TILEBAG_DATABASE_URL")
        .output()
        .expect("runs")
}

fn latest() -> i64 {
    tilebag_store::MIGRATIONS.last().map_or(0, |m| m.version)
}

/// What `tilebag migrate` prints on an empty database.
fn all_applied() -> String {
    use std::fmt::Write as _;
    tilebag_store::MIGRATIONS
        .iter()
        .fold(String::new(), |mut out, m| {
            let _ = writeln!(out, "applied {:04}_{}", m.version, m.name);
            out
        })
}

#[test]
fn serve_with_no_settings_uses_sqlite_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let ready = reqwest::blocking::get(server.url("/readyz")).unwrap();
    assert_eq!(ready.status(), 200);
    assert!(
        dir.path().join("tilebag-data").join("tilebag.db").exists(),
        "SQLite file in ./tilebag-data"
    );
    let anagram: serde_json::Value = reqwest::blocking::get(server.url("/api/v1/anagram?q=QI"))
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(anagram["words"][0], "QI");
    server.terminate();
    assert!(server.wait().success(), "exits 0 after SIGTERM");
}

/// Reads an HTTP/1.1 response head (status line and headers), byte by byte so that nothing
/// after it is consumed.
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8];
        let read = stream.read(&mut byte).expect("read the response head");
        assert_eq!(
            read,
            1,
            "connection closed after {:?}",
            String::from_utf8_lossy(&head)
        );
        head.push(byte[0]);
    }
    String::from_utf8(head).expect("an ASCII head")
}

#[test]
fn sigterm_lets_an_in_flight_request_finish() {
    let dir = tempfile::tempdir().unwrap();
    // Far longer than any wait below: the request is answered because the server waits for
    // it, not because the shutdown timeout has not run out yet.
    let mut server = Server::start(dir.path(), &["--shutdown-timeout", "60"]);
    let body = br#"{"length": "7", "probability": "1-3"}"#;
    let mut stream = TcpStream::connect(server.address()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1/search HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        server.address(),
        body.len()
    )
    .unwrap();
    // `100 Continue` comes once the handler starts reading the body: the request is under way.
    let interim = read_head(&mut stream);
    assert!(interim.starts_with("HTTP/1.1 100 Continue"), "{interim}");
    stream.write_all(&body[..5]).unwrap();
    server.terminate();
    // The listener closes at once; the request already under way is still answered.
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(server.address()).is_ok() {
        assert!(
            Instant::now() < deadline,
            "{} still accepts connections 10 s after SIGTERM",
            server.address()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the process exited with a request in flight"
    );
    stream.write_all(&body[5..]).unwrap();
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("the whole response within 10 s");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"alphagrams\""), "{response}");
    assert!(
        server.wait().success(),
        "exits 0 once the request is answered"
    );
}

#[test]
fn serve_in_check_mode_is_not_ready_on_an_old_database() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--migrate", "check"]);
    let response = reqwest::blocking::get(server.url("/readyz")).unwrap();
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(
        body["reasons"][0],
        format!(
            "database schema is at version 0, this binary needs {}: run “tilebag migrate”",
            latest()
        )
    );
    let migrated = tilebag(dir.path(), &["migrate"]);
    assert!(migrated.status.success());
    assert_eq!(String::from_utf8_lossy(&migrated.stdout), all_applied());
    assert_eq!(
        reqwest::blocking::get(server.url("/readyz"))
            .unwrap()
            .status(),
        200,
        "ready without a restart"
    );
    let again = tilebag(dir.path(), &["migrate"]);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        format!(
            "nothing to migrate: database schema is at version {}\n",
            latest()
        )
    );
}

#[test]
fn concurrent_migrate_runs_apply_each_migration_once() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for backend in backends("concurrent_migrate_runs_apply_each_migration_once") {
        let db = runtime.block_on(TestDatabase::new(backend));
        let dir = tempfile::tempdir().unwrap();
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_tilebag"))
                .current_dir(dir.path())
                .args(["migrate", "--database-url", &db.url])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success() && b.status.success(), "{backend}");
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&a.stdout),
            String::from_utf8_lossy(&b.stdout)
        );
        assert_eq!(
            out.matches("applied 0001_accounts").count(),
            1,
            "{backend}: {out}"
        );
        drop(db);
    }
}

#[test]
fn backup_copies_a_live_database() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let client = reqwest::blocking::Client::new();
    let register = |name: &str| {
        let response = client
            .post(server.url("/api/v1/account/register"))
            .json(&serde_json::json!({ "username": name, "password": "long enough password" }))
            .send()
            .unwrap();
        assert_eq!(response.status(), 201);
    };
    register("before");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let busy = {
        let (halt, url) = (stop.clone(), server.url("/api/v1/anagram?q=AEINRST"));
        std::thread::spawn(move || {
            let mut answered = 0;
            while !halt.load(std::sync::atomic::Ordering::Relaxed) {
                assert_eq!(reqwest::blocking::get(&url).unwrap().status(), 200);
                answered += 1;
            }
            answered
        })
    };
    let copy = dir.path().join("copy.db");
    let backup = tilebag(dir.path(), &["backup", copy.to_str().unwrap()]);
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    register("after");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(
        busy.join().unwrap() > 0,
        "requests were served during the backup"
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = tilebag_store::Store::connect(&format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        assert_eq!(
            store.user_by_name("before").await.unwrap().username,
            "before"
        );
        assert!(
            store.user_by_name("after").await.is_err(),
            "the copy is of the moment it was taken"
        );
    });
    let twice = tilebag(dir.path(), &["backup", copy.to_str().unwrap()]);
    assert!(
        !twice.status.success()
            && String::from_utf8_lossy(&twice.stderr).contains("already exists")
    );
}

#[test]
fn daily_and_user_admin_commands() {
    let dir = tempfile::tempdir().unwrap();
    let behind = tilebag(dir.path(), &["daily"]);
    assert!(
        !behind.status.success(),
        "refuses a database that is behind"
    );
    assert!(String::from_utf8_lossy(&behind.stderr).contains("run “tilebag migrate”"));
    assert!(tilebag(dir.path(), &["migrate"]).status.success());
    let run = tilebag(
        dir.path(),
        &[
            "daily",
            "--date",
            "2026-11-27",
            "--challenge-time-zone",
            "Europe/London",
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("processed 0 day(s)"));
    // A day that has not ended (today, in any zone, is still running somewhere) is refused,
    // and nothing is marked processed.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .date_naive()
        .to_string();
    let early = tilebag(dir.path(), &["daily", "--date", &tomorrow]);
    assert!(
        !early.status.success(),
        "a day that has not ended is refused"
    );
    let said = String::from_utf8_lossy(&early.stderr);
    assert!(said.contains("has not ended yet"), "{said}");
    let zone = tilebag(
        dir.path(),
        &["daily", "--challenge-time-zone", "Mars/Olympus"],
    );
    assert!(!zone.status.success());
    let admin = tilebag(dir.path(), &["user", "admin", "nobody"]);
    assert!(!admin.status.success());
    assert!(String::from_utf8_lossy(&admin.stderr).contains("no player is called “nobody”"));
}

#[test]
fn the_binary_runs_from_an_empty_directory_writing_only_its_data_directory() {
    let empty = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(empty.path(), &["--data-dir", data.path().to_str().unwrap()]);
    assert_eq!(
        reqwest::blocking::get(server.url("/readyz"))
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        reqwest::blocking::get(server.url("/api/v1/anagram?q=QI"))
            .unwrap()
            .status(),
        200
    );
    server.terminate();
    assert!(server.wait().success());
    assert_eq!(
        std::fs::read_dir(empty.path()).unwrap().count(),
        0,
        "nothing written outside the data directory"
    );
    assert!(data.path().join("tilebag.db").exists());
}

#[test]
fn unusable_certificate_files_stop_the_server_at_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cert.pem"), "not a certificate").unwrap();
    std::fs::write(dir.path().join("key.pem"), "not a key").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tilebag"))
        .current_dir(dir.path())
        .args([
            "serve",
            "--tls-cert",
            "cert.pem",
            "--tls-key",
            "key.pem",
            "--https-listen",
            "127.0.0.1:0",
            "--http-listen",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cert.pem") && stderr.contains("no certificate"),
        "{stderr}"
    );
}
