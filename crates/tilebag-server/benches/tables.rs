//! Multiplayer tables under load, against a real server in a process of its own (this bench
//! started again as the server) on a real SQLite file, over real sockets.
//!
//! `cargo bench -p tilebag-server --bench tables` runs both parts:
//! - load: `SOCKETS=2000` sockets in `TABLES=100` tables, every player guessing about once a
//!   second for `SECONDS=30`; prints the server's RSS per idle socket and the time from a
//!   guess to its `solved` event (which every socket at the table gets, the guesser too);
//! - soak: `CYCLES=100000` visits (connect, join, guess, chat, leave) by `LANES=16` clients
//!   at a time; prints the server's RSS every tenth of the way and the counts at the end.
//!
//! `PART=load` or `PART=soak` runs one.

mod support;

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use support::{env, print_machine, spread};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const SERVER_ROLE: &str = "TILEBAG_TABLES_BENCH_SERVER";

fn main() {
    if std::env::var_os(SERVER_ROLE).is_some() {
        serve();
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

/// The server's side: a server on a fresh SQLite file, its address on standard output.
fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let db = tilebag_store::testing::TestDatabase::new("sqlite").await;
        let store = tilebag_store::Store::connect(&db.url)
            .await
            .expect("connect");
        let clock = tilebag_server::app::Clock::system();
        store.migrate(clock.now_s()).await.expect("migrate");
        let mut config = tilebag_server::Config::default();
        config.connections.max_connections = 8192;
        config.max_tables = 100_000;
        config.guest_limit.walls_per_guest = u32::MAX;
        config.guest_limit.walls_per_address = u32::MAX;
        config.guest_limit.walls_total = u32::MAX;
        let lexicons = tilebag_server::Lexicons::new(vec![tilebag_bundled::scowl80()], 0.0);
        let state = tilebag_server::AppState::new(store, lexicons, config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!("{}", listener.local_addr().expect("address"));
        let _ = tilebag_server::serve(listener, state, std::future::pending()).await;
        drop(db);
    });
}

/// The server process, killed when dropped.
struct Server {
    child: std::process::Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start() -> Server {
        use std::io::BufRead as _;
        let mut child = std::process::Command::new(std::env::current_exe().expect("this bench"))
            .env(SERVER_ROLE, "1")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("server process");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("address");
        Server {
            child,
            address: line.trim().to_owned(),
        }
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    async fn metric(&self, name: &str) -> f64 {
        let text = reqwest::get(format!("http://{}/metrics", self.address))
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text");
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    }

    /// A new table of the likeliest 7s and 8s; its id and every answer of its list.
    async fn table(&self, client: &reqwest::Client, cookie: &str) -> i64 {
        let made: Value = client
            .post(format!("http://{}/api/v1/tables", self.address))
            .header("cookie", cookie)
            .json(
                &json!({ "search": { "length": "7-8", "probability": "1-400" },
                "settings": { "questions_per_round": 200, "seconds": 3600 } }),
            )
            .send()
            .await
            .expect("create")
            .json()
            .await
            .expect("json");
        made["id"].as_i64().expect("id")
    }

    async fn open(&self, table: i64, cookie: &str) -> Socket {
        let mut request = format!("ws://{}/api/v1/tables/{table}/ws", self.address)
            .into_client_request()
            .expect("request");
        request
            .headers_mut()
            .insert("cookie", cookie.parse().expect("cookie"));
        let origin = format!("http://{}", self.address);
        request
            .headers_mut()
            .insert("origin", origin.parse().expect("origin"));
        tokio_tungstenite::connect_async(request)
            .await
            .expect("connect")
            .0
    }
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::text(message.to_string()))
        .await
        .expect("send");
}

/// The next text message.
async fn next(socket: &mut Socket) -> Value {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).expect("JSON"),
            Some(Ok(_)) => {}
            other => panic!("socket ended: {other:?}"),
        }
    }
}

async fn until(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let message = next(socket).await;
        if message["type"] == kind {
            return message;
        }
    }
}

async fn run() {
    print_machine();
    let part = std::env::var("PART").unwrap_or_default();
    if part.is_empty() || part == "load" {
        load().await;
    }
    if part.is_empty() || part == "soak" {
        soak().await;
    }
}

async fn load() {
    let (sockets, tables) = (env("SOCKETS", 2000), env("TABLES", 100));
    let seconds = env("SECONDS", 30);
    let server = Server::start();
    let client = reqwest::Client::new();
    let per_table = sockets.div_ceil(tables);
    let mut seated = Vec::with_capacity(sockets);
    let before = server.rss_kib();
    for t in 0..tables {
        let host = format!("tilebag_guest=bench-{t}-0");
        let table = server.table(&client, &host).await;
        for p in 0..per_table {
            let cookie = format!("tilebag_guest=bench-{t}-{p}");
            let mut socket = server.open(table, &cookie).await;
            send(
                &mut socket,
                json!({ "type": "join", "as": "player", "name": format!("P{p}") }),
            )
            .await;
            until(&mut socket, "welcome").await;
            seated.push((t, socket));
        }
    }
    // Let the joins' events drain before measuring memory.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = server.rss_kib();
    println!(
        "server RSS: {before} KiB before, {idle} KiB with {} idle sockets in {tables} tables: {:.1} KiB per socket (tables' state included)",
        seated.len(),
        (idle.saturating_sub(before)) as f64 / seated.len() as f64
    );
    // Every table's host starts; each player then guesses about once a second, a word of
    // the round now and then.
    let mut by_table: Vec<Vec<Socket>> = (0..tables).map(|_| Vec::new()).collect();
    for (t, socket) in seated {
        by_table[t].push(socket);
    }
    for sockets in &mut by_table {
        send(&mut sockets[0], json!({ "type": "start" })).await;
    }
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let deadline = Instant::now() + Duration::from_secs(seconds as u64);
    let mut tasks = Vec::new();
    for sockets in by_table {
        for (p, mut socket) in sockets.into_iter().enumerate() {
            tasks.push(tokio::spawn(async move {
                send(&mut socket, json!({ "type": "ping" })).await;
                let started = until(&mut socket, "round_started").await;
                let words: Vec<String> = started["questions"].as_array().expect("questions")
                    .iter().filter_map(|q| q["alphagram"].as_str()).map(str::to_owned).collect();
                let lexicon = tilebag_bundled::scowl80();
                let mut mine: Vec<String> = words.iter().enumerate()
                    .filter(|(i, _)| i % per_table == p)
                    .flat_map(|(_, a)| {
                        let id = lexicon.find_alphagram(a).expect("alphagram");
                        lexicon.alphagram(id).words().map(|w| w.text().to_owned()).collect::<Vec<_>>()
                    })
                    .collect();
                let mut latencies = Vec::new();
                let mut req = 0u64;
                let mut tick = tokio::time::interval(Duration::from_secs(1));
                tick.tick().await;
                while Instant::now() < deadline {
                    tokio::select! {
                        _ = tick.tick() => {
                            req += 1;
                            let word = if req.is_multiple_of(5) { mine.pop() } else { None };
                            let right = word.is_some();
                            let word = word.unwrap_or_else(|| "QXZJVWK".into());
                            let sent = Instant::now();
                            send(&mut socket, json!({ "type": "guess", "word": word, "req": req })).await;
                            if right {
                                loop {
                                    let message = next(&mut socket).await;
                                    if message["type"] == "solved" && message["word"] == word.as_str() {
                                        latencies.push(sent.elapsed());
                                        break;
                                    }
                                }
                            }
                        }
                        message = next(&mut socket) => { let _ = message; }
                    }
                }
                (latencies, socket)
            }));
        }
    }
    let mut latencies = Vec::new();
    let mut kept = Vec::new();
    for task in tasks {
        let (mut samples, socket) = task.await.expect("player");
        latencies.append(&mut samples);
        kept.push(socket);
    }
    println!(
        "guess to its solved event, {} samples over {seconds} s with {} sockets guessing once a second: {}",
        latencies.len(),
        kept.len(),
        spread(&mut latencies)
    );
    println!(
        "server RSS after the load: {} KiB; slow clients dropped: {}",
        server.rss_kib(),
        server
            .metric("tilebag_table_slow_clients_dropped_total")
            .await
    );
    drop(kept);
}

async fn soak() {
    let (cycles, lanes) = (env("CYCLES", 100_000), env("LANES", 16));
    let server = Server::start();
    let client = reqwest::Client::new();
    let table = server.table(&client, "tilebag_guest=soak-host").await;
    let server = std::sync::Arc::new(server);
    let started = Instant::now();
    let per_lane = cycles / lanes;
    let mut curve = Vec::new();
    let step = per_lane.div_ceil(10).max(1);
    let mut done = 0;
    while done < per_lane {
        let round = step.min(per_lane - done);
        let tasks: Vec<_> = (0..lanes)
            .map(|lane| {
                let server = server.clone();
                tokio::spawn(async move {
                    for visit in 0..round {
                        let cookie = format!("tilebag_guest=soak-{lane}-{}", done + visit);
                        let mut socket = server.open(table, &cookie).await;
                        send(
                            &mut socket,
                            json!({ "type": "join", "as": "player", "name": "V" }),
                        )
                        .await;
                        until(&mut socket, "welcome").await;
                        send(
                            &mut socket,
                            json!({ "type": "guess", "word": "QXZ", "req": 1 }),
                        )
                        .await;
                        until(&mut socket, "guess_result").await;
                        send(&mut socket, json!({ "type": "chat", "text": "hello" })).await;
                        send(&mut socket, json!({ "type": "leave" })).await;
                        while let Some(Ok(message)) = socket.next().await {
                            if message.is_close() {
                                break;
                            }
                        }
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("lane");
        }
        done += round;
        curve.push((done * lanes, server.rss_kib()));
    }
    let elapsed = started.elapsed();
    println!(
        "soak: {} visits in {elapsed:.1?} ({:.0} a second)",
        per_lane * lanes,
        (per_lane * lanes) as f64 / elapsed.as_secs_f64()
    );
    let warm = curve.first().map_or(0, |c| c.1);
    for (visits, rss) in &curve {
        println!(
            "  after {visits:>7} visits: RSS {rss} KiB ({:+.1} % from the first tenth)",
            (*rss as f64 - warm as f64) * 100.0 / warm as f64
        );
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!(
        "at the end: {} sockets open, {} tables open in the process",
        server.metric("tilebag_table_sockets").await,
        server.metric("tilebag_tables_open").await
    );
}
