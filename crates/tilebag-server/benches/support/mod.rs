//! What the load benchmarks share: their settings from the environment, a real server on a
//! real SQLite file on a runtime of its own, percentiles, memory and the server's own view
//! of its latency.
#![allow(
    dead_code,
    reason = "each load benchmark uses only the helpers it needs"
)]

use std::time::Duration;

use tilebag_server::{AppState, Config, Lexicons};
use tilebag_store::Store;
use tilebag_store::testing::TestDatabase;

/// The number in the environment variable `name`, or `default`.
pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// This process's resident memory, KiB (the server and the simulated players share it).
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The value below which `per_mille` thousandths of the sorted samples fall.
pub fn percentile(sorted: &[Duration], per_mille: usize) -> Duration {
    let index = sorted.len().saturating_sub(1) * per_mille / 1000;
    sorted.get(index).copied().unwrap_or_default()
}

/// Sorts `samples` and says their p50, p90, p99 and maximum.
pub fn spread(samples: &mut [Duration]) -> String {
    samples.sort();
    format!(
        "p50 {:.2?}, p90 {:.2?}, p99 {:.2?}, max {:.2?}",
        percentile(samples, 500),
        percentile(samples, 900),
        percentile(samples, 990),
        samples.last().copied().unwrap_or_default()
    )
}

/// Prints the machine the figures come from.
pub fn print_machine() {
    println!(
        "machine: {} cores",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
}

/// The `name=value` pair of a response's first `Set-Cookie`: who the client is from then on.
pub fn session_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned()
}

/// Runs the server on a runtime and thread of its own, as in production, so the simulated
/// players (on the main runtime) do not share its scheduler. Returns its base URL.
pub fn start_server() -> String {
    start_server_until("sqlite", std::future::pending()).base
}

/// A server that [`start_server_until`] started.
pub struct Server {
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub base: String,
    /// The URL of its database.
    pub database_url: String,
    thread: std::thread::JoinHandle<()>,
}

impl Server {
    /// Waits until the server has stopped (its shutdown future resolved) and its database
    /// is dropped.
    pub fn join(self) {
        self.thread.join().expect("server thread");
    }
}

/// Runs the server on a fresh database on `backend` ("sqlite" or "postgres", see
/// [`TestDatabase::new`]) on a runtime and thread of its own, until `shutdown` resolves;
/// then the database is dropped.
pub fn start_server_until(
    backend: &'static str,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Server {
    let (sender, receiver) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let db = TestDatabase::new(backend).await;
            let store = Store::connect(&db.url).await.expect("connect");
            let clock = tilebag_server::app::Clock::system();
            store.migrate(clock.now_s()).await.expect("migrate");
            // Every simulated player registers from 127.0.0.1.
            let mut config = Config::default();
            config.registration_limit.per_address = u32::MAX;
            config.registration_limit.total = u32::MAX;
            // ... and so does every simulated guest start a wall.
            config.guest_limit.walls_per_address = u32::MAX;
            config.guest_limit.walls_total = u32::MAX;
            let state = AppState::new(
                store.clone(),
                Lexicons::new(vec![tilebag_bundled::scowl80()], 0.0),
                config,
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let base = format!("http://{}", listener.local_addr().expect("address"));
            sender.send((base, db.url.clone())).expect("send");
            let _ = tilebag_server::serve(listener, state, shutdown).await;
            store.close().await;
            drop(db);
        });
    });
    let (base, database_url) = receiver.recv().expect("server address");
    Server {
        base,
        database_url,
        thread,
    }
}

/// Prints the server's own latency histogram (time from request to response, without the
/// load generator) of the routes whose label contains `route`.
pub async fn print_server_histogram(base: &str, route: &str) {
    let metrics = reqwest::get(format!("{base}/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    println!("server-side {route} latency histogram (seconds, cumulative):");
    for line in metrics
        .lines()
        .filter(|l| l.contains("duration_seconds_bucket") && l.contains(route))
    {
        println!("  {line}");
    }
}

/// Every word of these questions of a wall (as the API answers them), from SCOWL80.
pub fn answers(questions: &[serde_json::Value]) -> Vec<String> {
    let lexicon = tilebag_bundled::scowl80();
    questions
        .iter()
        .flat_map(|q| {
            let id = lexicon
                .find_alphagram(q["alphagram"].as_str().unwrap_or(""))
                .expect("alphagram");
            lexicon
                .alphagram(id)
                .words()
                .map(|w| w.text().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}
