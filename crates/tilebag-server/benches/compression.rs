//! What compressing a large answer costs, and what the server's choice gives. Run with
//! `cargo bench -p tilebag-server --bench compression` (`CLIENTS=8 SECONDS=10` by default).
//!
//! First a table: a search page and a search API answer of 500 eight-letter alphagrams (the
//! page size), compressed by each codec at the levels worth considering, with the CPU time
//! of one compression, the size, and the CPU time per KiB saved. Then a load: `CLIENTS`
//! clients ask for the search page for `SECONDS` with the `Accept-Encoding` Chromium sends,
//! then again accepting gzip alone, and each run prints the requests answered a second, their latency, the encoding the
//! server chose and the bytes sent per answer.

mod support;

use std::io::Write as _;
use std::time::{Duration, Instant};

use support::{env, print_machine, spread, start_server};

const PAGE: &str = "/search?length=8";
const API: &str = "/api/v1/search?length=8";
/// What Chromium sends, and what a client of gzip alone (curl, say) sends.
const ACCEPTS: [&str; 2] = ["gzip, deflate, br, zstd", "gzip"];

/// The CPU time this thread has used (user and system), from `/proc/thread-self/stat`.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis; utime and stime are the 12th and
    // 13th of them, in clock ticks (100 a second on Linux).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

/// A codec at one level.
struct Codec {
    name: &'static str,
    compress: fn(&[u8]) -> Vec<u8>,
}

fn gzip(level: u32, body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    encoder.write_all(body).expect("gzip");
    encoder.finish().expect("gzip")
}

fn brotli(quality: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: i32::try_from(quality).unwrap_or(11),
        ..brotli::enc::BrotliEncoderParams::default()
    };
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).expect("brotli");
    out
}

fn zstd(level: i32, body: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(body, level).expect("zstd")
}

const CODECS: [Codec; 9] = [
    Codec {
        name: "gzip 1",
        compress: |b| gzip(1, b),
    },
    Codec {
        name: "gzip 6 (flate2's default)",
        compress: |b| gzip(6, b),
    },
    Codec {
        name: "gzip 9",
        compress: |b| gzip(9, b),
    },
    Codec {
        name: "br 1",
        compress: |b| brotli(1, b),
    },
    Codec {
        name: "br 4",
        compress: |b| brotli(4, b),
    },
    Codec {
        name: "br 11 (brotli's default)",
        compress: |b| brotli(11, b),
    },
    Codec {
        name: "zstd 1",
        compress: |b| zstd(1, b),
    },
    Codec {
        name: "zstd 3 (zstd's default)",
        compress: |b| zstd(3, b),
    },
    Codec {
        name: "zstd 6",
        compress: |b| zstd(6, b),
    },
];

/// Compresses `body` with each codec for about a second each and prints the table.
fn table(what: &str, body: &[u8]) {
    println!("{what}: {} bytes", body.len());
    println!("  codec                     CPU/answer   size (share)     CPU per KiB saved");
    for codec in &CODECS {
        let (mut rounds, started, cpu) = (0u32, Instant::now(), thread_cpu());
        let mut size = 0;
        while started.elapsed() < Duration::from_secs(1) || rounds < 5 {
            size = (codec.compress)(body).len();
            rounds += 1;
        }
        let each = thread_cpu().saturating_sub(cpu) / rounds;
        let saved_kib = (body.len() - size.min(body.len())) as f64 / 1024.0;
        println!(
            "  {:<25} {:>9.0?}   {:>7} ({:>4.1}%)   {:>6.1} µs",
            codec.name,
            each,
            size,
            100.0 * size as f64 / body.len() as f64,
            each.as_secs_f64() * 1e6 / saved_kib
        );
    }
}

/// One client's loop until `deadline`: latencies, and the encoding and size of the last answer.
async fn client(
    http: reqwest::Client,
    url: String,
    accept: &'static str,
    deadline: Instant,
) -> (Vec<Duration>, String, usize) {
    let (mut latencies, mut encoding, mut size) = (Vec::new(), String::new(), 0);
    while Instant::now() < deadline {
        let started = Instant::now();
        let response = http
            .get(&url)
            .header("accept-encoding", accept)
            .send()
            .await
            .expect("search page");
        assert!(response.status().is_success(), "{}", response.status());
        encoding = response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("identity")
            .to_owned();
        size = response.bytes().await.expect("body").len();
        latencies.push(started.elapsed());
    }
    (latencies, encoding, size)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = start_server();
    print_machine();
    let http = reqwest::Client::new();
    for (what, path) in [("search page", PAGE), ("search API answer", API)] {
        let body = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("answer")
            .bytes()
            .await
            .expect("body");
        table(&format!("{what} {path}"), &body);
    }

    let (clients, seconds) = (env("CLIENTS", 8), env("SECONDS", 10));
    for accept in ACCEPTS {
        let deadline = Instant::now() + Duration::from_secs(seconds as u64);
        let url = format!("{base}{PAGE}");
        let tasks: Vec<_> = (0..clients)
            .map(|_| tokio::spawn(client(http.clone(), url.clone(), accept, deadline)))
            .collect();
        let (mut all, mut encoding, mut size) = (Vec::new(), String::new(), 0);
        for task in tasks {
            let (latencies, e, s) = task.await.expect("client");
            all.extend(latencies);
            (encoding, size) = (e, s);
        }
        println!(
            "{clients} clients on {PAGE} for {seconds} s (Accept-Encoding: {accept}): {} answered, {:.0} a second, {}; sent as {encoding}, {size} bytes",
            all.len(),
            all.len() as f64 / seconds as f64,
            spread(&mut all)
        );
    }
}
