//! `tilebag serve` under a low open-file limit: it raises the soft limit to the hard one, keeps
//! its connections within it, and a flood of half-sent requests fills the connection slots —
//! not the file table — until the header timeout frees them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Kills the server when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The log lines (JSON) that have `message`.
fn logged<'a>(log: &'a [serde_json::Value], message: &str) -> Vec<&'a serde_json::Value> {
    log.iter()
        .filter(|line| line["fields"]["message"] == message)
        .collect()
}

#[test]
fn health_answers_again_after_more_half_sent_requests_than_the_open_file_limit() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("stderr.log");
    // A hard limit of 256 open files, a soft limit of 128 for the server to raise.
    let mut child = Command::new("bash")
        .args([
            "-c",
            r#"ulimit -Sn 128 && ulimit -Hn 256 && exec "$0" "$@""#,
            env!("CARGO_BIN_EXE_tilebag"),
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--header-timeout",
            "1",
            "--log-format",
            "json",
        ])
        .current_dir(dir.path())
        .env_remove("TILEBAG_DATA_DIR")
        .env_remove("TILEBAG_DATABASE_URL")
        .env_remove("TILEBAG_LOG")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("tilebag serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let server = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let address = line
        .trim()
        .strip_prefix("tilebag is listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .trim_end_matches('/')
        .to_owned();

    // More half-sent requests than the server may open files.
    let mut flood: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut stream = TcpStream::connect(&address).expect("connect");
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
                .expect("send half a request");
            stream
        })
        .collect();

    // Health answers once the header timeout has freed slots.
    let mut probe = TcpStream::connect(&address).unwrap();
    probe
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    probe
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    probe
        .read_to_string(&mut answer)
        .expect("an answer within 30 s");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Every half-sent request is closed in the end, none left waiting.
    for stream in &mut flood {
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut rest = Vec::new();
        if let Err(error) = stream.read_to_end(&mut rest) {
            assert_eq!(
                error.kind(),
                std::io::ErrorKind::ConnectionReset,
                "closed, not timed out"
            );
        }
    }
    drop(server);

    let text = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        !text.contains("Too many open files"),
        "accept never runs out of files:\n{text}"
    );
    let log: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON log lines"))
        .collect();
    let limit = logged(&log, "open-file limit");
    assert_eq!(limit.len(), 1, "{text}");
    assert_eq!(
        (
            &limit[0]["fields"]["was"],
            &limit[0]["fields"]["soft"],
            &limit[0]["fields"]["hard"]
        ),
        (&128.into(), &256.into(), &256.into()),
        "the soft limit is raised to the hard one"
    );
    let lowered = logged(&log, "--max-connections lowered to fit the open-file limit");
    assert_eq!(
        lowered
            .first()
            .map(|line| &line["fields"]["max_connections"]),
        Some(&192.into()),
        "256 files less the reserve of 64:\n{text}"
    );
    let full = logged(
        &log,
        "connection limit reached: not accepting until a connection closes (see --max-connections)",
    );
    assert!(
        !full.is_empty() && full.len() <= 3,
        "the cap is reported, once per 10 s at most:\n{text}"
    );
}
