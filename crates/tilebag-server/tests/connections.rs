//! Slow and idle clients lose their connections: half-sent headers after the header timeout,
//! silent connections too, TLS clients that never say hello after the handshake timeout, and
//! idle keep-alive connections after the idle timeout — not after the header timeout.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tilebag_server::tls::files::CertFiles;
use tilebag_server::tls::{Source, TlsSettings};
use tilebag_server::{Config, ConnectionLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longer than any close these tests wait for.
const PATIENCE: Duration = Duration::from_secs(20);

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";

fn limits(header_timeout: u64, idle_timeout: u64) -> ConnectionLimits {
    ConnectionLimits {
        header_timeout: Duration::from_secs(header_timeout),
        idle_timeout: Duration::from_secs(idle_timeout),
        tls_handshake_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    }
}

async fn spawn(limits: ConnectionLimits) -> common::TestApp {
    let config = Config {
        connections: limits,
        ..Config::default()
    };
    common::spawn_with("sqlite", true, config).await
}

/// What the server sent until it closed the connection, and when the close came (measured
/// from `since`). Panics if the connection is still open after [`PATIENCE`].
async fn until_closed(stream: &mut TcpStream, since: Instant) -> (String, Duration) {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let read = tokio::time::timeout_at((since + PATIENCE).into(), stream.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("still open after {PATIENCE:?}"));
        match read {
            Ok(0) | Err(_) => {
                return (
                    String::from_utf8_lossy(&received).into_owned(),
                    since.elapsed(),
                );
            }
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
}

/// Whether `received` holds a whole response: its head and as many bytes as its
/// `content-length` says.
fn complete(received: &[u8]) -> bool {
    let text = String::from_utf8_lossy(received);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_owned)
        })
        .and_then(|n| n.trim().parse::<usize>().ok())
        .expect("a content-length");
    body.len() >= length
}

/// A new connection on which `/healthz` has just been answered 200, kept alive.
async fn healthy(address: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(HEALTHZ).await.unwrap();
    let answer = read_healthz(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    stream
}

/// Reads one complete `/healthz` answer.
async fn read_healthz(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    while !complete(&received) {
        let read = tokio::time::timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("an answer in time")
            .expect("read");
        assert!(
            read > 0,
            "closed after {:?}",
            String::from_utf8_lossy(&received)
        );
        received.extend_from_slice(&buf[..read]);
    }
    String::from_utf8(received).expect("ASCII answer")
}

#[tokio::test]
async fn half_sent_request_headers_are_closed_after_the_header_timeout() {
    let app = spawn(limits(1, 30)).await;
    let started = Instant::now();
    let mut stalled = Vec::new();
    for _ in 0..20 {
        let mut stream = TcpStream::connect(app.address).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: local")
            .await
            .unwrap();
        stalled.push(stream);
    }
    for stream in &mut stalled {
        let (_, after) = until_closed(stream, started).await;
        assert!(
            after >= Duration::from_secs(1),
            "closed after {after:?}, before the timeout"
        );
    }
    // The server itself carries on.
    healthy(app.address).await;
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let app = spawn(limits(1, 30)).await;
    let started = Instant::now();
    let mut silent = TcpStream::connect(app.address).await.unwrap();
    let (_, after) = until_closed(&mut silent, started).await;
    assert!(after >= Duration::from_secs(1), "closed after {after:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout_not_the_header_timeout() {
    let app = spawn(limits(1, 3)).await;
    let mut stream = healthy(app.address).await;
    let answered = Instant::now();
    let (more, idle) = until_closed(&mut stream, answered).await;
    assert_eq!(more, "", "nothing more is sent");
    assert!(
        idle > Duration::from_millis(2_500),
        "an idle connection waits for the idle timeout (3 s), not the header timeout (1 s): closed after {idle:?}"
    );
}

#[tokio::test]
async fn the_next_request_on_a_kept_alive_connection_gets_the_header_timeout_from_its_first_byte() {
    let app = spawn(limits(1, 60)).await;
    let mut stream = healthy(app.address).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (_, after) = until_closed(&mut stream, started).await;
    assert!(
        after < Duration::from_secs(10),
        "half-sent headers get the header timeout (1 s), not the idle timeout (60 s): {after:?}"
    );
}

#[tokio::test]
async fn a_tls_client_that_never_says_hello_is_closed_after_the_handshake_timeout() {
    let app = spawn(limits(30, 30)).await;
    let dir = tempfile::tempdir().unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let files = CertFiles {
        cert: dir.path().join("cert.pem"),
        key: dir.path().join("key.pem"),
    };
    std::fs::write(&files.cert, made.cert.pem()).unwrap();
    std::fs::write(&files.key, made.signing_key.serialize_pem()).unwrap();
    let settings = TlsSettings {
        source: Source::Files(files, Duration::from_mins(1)),
        hsts_max_age: 0,
        hsts_include_subdomains: false,
        public_hosts: Vec::new(),
    };
    let https = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = https.local_addr().unwrap();
    let state = app.state.clone();
    tokio::spawn(async move {
        tilebag_server::serve_https(https, http, state, &settings, std::future::pending()).await
    });
    let started = Instant::now();
    let mut mute = TcpStream::connect(address).await.unwrap();
    let (sent, after) = until_closed(&mut mute, started).await;
    assert_eq!(sent, "", "no handshake, no answer");
    assert!(after >= Duration::from_secs(1), "closed after {after:?}");
}
