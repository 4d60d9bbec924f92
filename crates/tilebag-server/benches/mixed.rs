//! Load benchmark: the same mixed workload on SQLite and on PostgreSQL in one run, against a
//! real server on a real socket, with the ratio between them. Run with
//! `cargo bench -p tilebag-server --bench mixed` (`PLAYERS=64 SECONDS=10 HOT=64` by default).
//!
//! PostgreSQL runs in a fresh database on the server `TILEBAG_TEST_POSTGRES_URL` names
//! (created and dropped here); without the variable only SQLite runs.
//!
//! Each backend gets three phases, each `SECONDS` long, with every client sending its next
//! request as soon as the last is answered:
//! - **mixed**: `PLAYERS` registered players, each on a wall of their own, each sending in
//!   every 10 requests 5 anagram API calls, 2 search pages and 3 guesses;
//! - **guesses**: the same players guessing only, for the CPU a guess costs;
//! - **hot wall**: `HOT` connections guessing on one player's wall at once.
//!
//! Every guess changes the round (a new answer or a wrong word), so every guess writes. The
//! machine's CPU comes from `/proc/stat`, so the database server's processes count (and so
//! do the simulated players', and whatever else the machine runs: the load average is
//! printed, and beside the machine's figure is the CPU of this process and of every
//! `postgres` process alone). After the load the run checks that PostgreSQL has no
//! connection left idle in a transaction.

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::Row as _;
use support::{Server, env, percentile, print_machine, session_cookie, spread, start_server_until};

/// What a request is, for its latency figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Anagram,
    Search,
    Guess,
}

/// Ten requests of the mixed workload, in the order each player sends them.
const MIX: [Kind; 10] = [
    Kind::Anagram,
    Kind::Guess,
    Kind::Search,
    Kind::Anagram,
    Kind::Guess,
    Kind::Anagram,
    Kind::Search,
    Kind::Anagram,
    Kind::Guess,
    Kind::Anagram,
];

/// Racks the anagram calls cycle through.
const RACKS: [&str; 6] = [
    "AEINRST", "AEGINRS", "EILNOST", "ADEILNR", "CEINORT", "AEINST?",
];

/// A registered player and the wall they guess on.
#[derive(Clone)]
struct Player {
    cookie: String,
    csrf: String,
    wall: i64,
    /// Right answers still to guess (the last question's are left out, so the round never
    /// ends and every guess keeps writing).
    answers: Vec<String>,
}

/// Jiffies of the whole machine, busy and in all, from `/proc/stat`'s first line.
#[derive(Clone, Copy)]
struct CpuTicks {
    busy: u64,
}

fn cpu_ticks() -> CpuTicks {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is inside user already).
    let total: u64 = fields.iter().take(8).sum();
    let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
    CpuTicks { busy: total - idle }
}

/// Seconds of CPU between two readings (`/proc/stat` counts in hundredths of a second).
fn cpu_seconds(before: CpuTicks, after: CpuTicks) -> f64 {
    (after.busy - before.busy) as f64 / 100.0
}

/// Seconds of CPU this process (the server and the simulated players) and every
/// `postgres` process on the machine have used, from `/proc/PID/stat`: the part of the
/// machine's CPU that other work on a shared machine does not inflate.
fn process_seconds() -> f64 {
    let ticks = |stat: &str| -> u64 {
        // After the command name in parentheses: state is field 3, utime 14, stime 15.
        let rest = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
        rest.split_whitespace()
            .skip(11)
            .take(2)
            .filter_map(|f| f.parse::<u64>().ok())
            .sum()
    };
    let mut total = ticks(&std::fs::read_to_string("/proc/self/stat").unwrap_or_default());
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        if stat.contains(" (postgres) ") {
            total += ticks(&stat);
        }
    }
    total as f64 / 100.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

async fn json_of(response: reqwest::Response, what: &str) -> Value {
    let status = response.status();
    let body: Value = response.json().await.expect("JSON");
    assert!(status.is_success(), "{what}: {status} {body}");
    body
}

/// Every word of every question of a wall but the last question's.
fn answers_of(wall: &Value) -> Vec<String> {
    let questions = wall["questions"].as_array().expect("questions");
    support::answers(&questions[..questions.len() - 1])
}

async fn new_wall(client: &reqwest::Client, base: &str, cookie: &str, csrf: &str) -> Value {
    let body = json!({ "search": { "length": "7", "probability": "1-2000" }, "settings": { "questions_per_round": 50, "seconds": 3600 } });
    let response = client
        .post(format!("{base}/api/v1/walls"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .expect("create wall");
    json_of(response, "create wall").await
}

async fn register(client: &reqwest::Client, base: &str, n: usize) -> Player {
    let response = client
        .post(format!("{base}/api/v1/account/register"))
        .json(&json!({ "username": format!("player{n}"), "password": "correct horse battery" }))
        .send()
        .await
        .expect("register");
    let cookie = session_cookie(&response);
    let csrf = json_of(response, "register").await["csrf_token"]
        .as_str()
        .expect("csrf token")
        .to_owned();
    let wall = new_wall(client, base, &cookie, &csrf).await;
    Player {
        wall: wall["id"].as_i64().expect("wall id"),
        answers: answers_of(&wall),
        cookie,
        csrf,
    }
}

/// Sends one request of `kind` as `player` (their `n`th); `Err` says what failed.
async fn send(
    client: &reqwest::Client,
    base: &str,
    player: &mut Player,
    kind: Kind,
    n: usize,
) -> Result<(), String> {
    let request = match kind {
        Kind::Anagram => client.get(format!(
            "{base}/api/v1/anagram?q={}",
            RACKS[n % RACKS.len()]
        )),
        Kind::Search => client.get(format!(
            "{base}/search?length=7&probability={}-{}&limit=50",
            1 + n % 500,
            50 + n % 500
        )),
        Kind::Guess => {
            // Right answers and wrong words in turn, then wrong words only: each changes
            // the round.
            let word = if n.is_multiple_of(2) {
                player.answers.pop()
            } else {
                None
            }
            .unwrap_or_else(|| "QZXJVKW".to_owned());
            client
                .post(format!("{base}/api/v1/walls/{}/guess", player.wall))
                .header("x-csrf-token", &player.csrf)
                .json(&json!({ "word": word }))
        }
    };
    let response = request
        .header("cookie", &player.cookie)
        .send()
        .await
        .map_err(|e| format!("{kind:?}: {e}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("{kind:?}: {e}"))?;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!(
            "{kind:?}: {status} {}",
            String::from_utf8_lossy(&body)
        ))
    }
}

/// What one phase measured.
#[derive(Default)]
struct Phase {
    latencies: BTreeMap<Kind, Vec<Duration>>,
    failed: Vec<String>,
    seconds: f64,
    cpu_seconds: f64,
    process_seconds: f64,
}

impl Phase {
    fn requests(&self) -> usize {
        self.latencies.values().map(Vec::len).sum()
    }

    fn per_second(&self) -> f64 {
        self.requests() as f64 / self.seconds
    }

    /// Microseconds of CPU per request: the whole machine's, and that of this process and
    /// PostgreSQL's.
    fn cpu_per_request(&self) -> (f64, f64) {
        let requests = self.requests().max(1) as f64;
        (
            self.cpu_seconds * 1e6 / requests,
            self.process_seconds * 1e6 / requests,
        )
    }

    fn p99(&self, kind: Kind) -> Duration {
        self.latencies
            .get(&kind)
            .map_or(Duration::ZERO, |l| percentile(l, 990))
    }

    fn print(&self, name: &str) {
        let (cpu, own) = self.cpu_per_request();
        println!(
            "  {name}: {} requests in {:.1} s, {:.0}/s; machine CPU {cpu:.0} µs a request ({own:.0} µs in tilebag and postgres processes); failed {}{}",
            self.requests(),
            self.seconds,
            self.per_second(),
            self.failed.len(),
            self.failed
                .first()
                .map(|f| format!(" (first: {f})"))
                .unwrap_or_default()
        );
        for (kind, latencies) in &self.latencies {
            println!(
                "    {kind:?}: {} answered, {}",
                latencies.len(),
                spread(&mut latencies.clone())
            );
        }
    }
}

/// Runs `players` (each on its own connection) sending the requests `pattern` cycles
/// through, for `seconds`.
async fn run_phase(
    client: &reqwest::Client,
    base: &str,
    players: Vec<Player>,
    pattern: &'static [Kind],
    seconds: usize,
) -> (Phase, Vec<Player>) {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds as u64);
    let (cpu_before, process_before) = (cpu_ticks(), process_seconds());
    let tasks: Vec<_> = players
        .into_iter()
        .enumerate()
        .map(|(p, mut player)| {
            let (client, base) = (client.clone(), base.to_owned());
            tokio::spawn(async move {
                let mut phase = Phase::default();
                // Players start at different places in the pattern.
                let mut n = p;
                while Instant::now() < deadline {
                    let kind = pattern[n % pattern.len()];
                    let sent = Instant::now();
                    match send(&client, &base, &mut player, kind, n).await {
                        Ok(()) => phase
                            .latencies
                            .entry(kind)
                            .or_default()
                            .push(sent.elapsed()),
                        Err(e) => phase.failed.push(e),
                    }
                    n += 1;
                }
                (phase, player)
            })
        })
        .collect();
    let mut all = Phase::default();
    let mut players = Vec::new();
    for task in tasks {
        let (phase, player) = task.await.expect("player");
        for (kind, latencies) in phase.latencies {
            all.latencies.entry(kind).or_default().extend(latencies);
        }
        all.failed.extend(phase.failed);
        players.push(player);
    }
    for latencies in all.latencies.values_mut() {
        latencies.sort();
    }
    all.seconds = started.elapsed().as_secs_f64();
    all.cpu_seconds = cpu_seconds(cpu_before, cpu_ticks());
    all.process_seconds = process_seconds() - process_before;
    (all, players)
}

/// The three phases' figures on one backend.
struct Figures {
    mixed: Phase,
    guesses: Phase,
    hot: Phase,
}

/// Connections to the server's database in each state, and how many sit idle in a
/// transaction.
async fn idle_in_transaction(database_url: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(database_url)
        .await
        .expect("connect to check pg_stat_activity");
    let row = sqlx::query(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("pg_stat_activity");
    row.try_get(0).expect("count")
}

async fn run_backend(backend: &'static str, players: usize, hot: usize, seconds: usize) -> Figures {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server: Server = start_server_until(backend, async move {
        let _ = stopped.await;
    });
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut everyone = Vec::with_capacity(players);
    for n in 0..players {
        everyone.push(register(&client, &base, n).await);
    }
    println!(
        "{backend}: {players} players registered, each with a 50-question wall, in {:.1?}; load average {}",
        started.elapsed(),
        load_average()
    );

    let (mixed, everyone) = run_phase(&client, &base, everyone, &MIX, seconds).await;
    mixed.print("mixed");
    let (guesses, everyone) = run_phase(&client, &base, everyone, &[Kind::Guess], seconds).await;
    guesses.print("guesses, each player on their own wall");

    let first = &everyone[0];
    let wall = new_wall(&client, &base, &first.cookie, &first.csrf).await;
    let mut on_one = first.clone();
    on_one.wall = wall["id"].as_i64().expect("wall id");
    on_one.answers = answers_of(&wall);
    let crowd: Vec<Player> = (0..hot)
        .map(|i| {
            let mut p = on_one.clone();
            // Share the answers out, so each is guessed once.
            p.answers = on_one
                .answers
                .iter()
                .skip(i)
                .step_by(hot)
                .cloned()
                .collect();
            p
        })
        .collect();
    let (hot_phase, _) = run_phase(&client, &base, crowd, &[Kind::Guess], seconds).await;
    hot_phase.print(&format!("hot wall, {hot} connections guessing on one wall"));

    drop(client);
    if backend == "postgres" {
        let idle = idle_in_transaction(&server.database_url).await;
        println!("  connections idle in a transaction after the load: {idle}");
        assert_eq!(idle, 0, "a connection was left idle in a transaction");
    }
    drop(stop);
    server.join();
    Figures {
        mixed,
        guesses,
        hot: hot_phase,
    }
}

fn ratio(postgres: f64, sqlite: f64) -> String {
    if sqlite > 0.0 {
        format!("{:.2}×", postgres / sqlite)
    } else {
        "—".to_owned()
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let players = env("PLAYERS", 64);
    let seconds = env("SECONDS", 10);
    let hot = env("HOT", 64);
    print_machine();
    let postgres = std::env::var_os("TILEBAG_TEST_POSTGRES_URL").is_some();
    if !postgres {
        println!("TILEBAG_TEST_POSTGRES_URL is not set: running SQLite only");
    }
    let sqlite = run_backend("sqlite", players, hot, seconds).await;
    let Some(pg) = (if postgres {
        Some(run_backend("postgres", players, hot, seconds).await)
    } else {
        None
    }) else {
        return;
    };
    let (s, p) = (&sqlite, &pg);
    println!("PostgreSQL / SQLite:");
    println!(
        "  mixed requests/s {:.0} / {:.0} = {}; p99 anagram {:.2?} / {:.2?}, search {:.2?} / {:.2?}, guess {:.2?} / {:.2?}",
        p.mixed.per_second(),
        s.mixed.per_second(),
        ratio(p.mixed.per_second(), s.mixed.per_second()),
        p.mixed.p99(Kind::Anagram),
        s.mixed.p99(Kind::Anagram),
        p.mixed.p99(Kind::Search),
        s.mixed.p99(Kind::Search),
        p.mixed.p99(Kind::Guess),
        s.mixed.p99(Kind::Guess),
    );
    let (pc, pn) = p.mixed.cpu_per_request();
    let (sc, sn) = s.mixed.cpu_per_request();
    println!(
        "  mixed machine CPU a request {pc:.0} / {sc:.0} µs = {} (processes {pn:.0} / {sn:.0} µs = {})",
        ratio(pc, sc),
        ratio(pn, sn)
    );
    let (pc, pn) = p.guesses.cpu_per_request();
    let (sc, sn) = s.guesses.cpu_per_request();
    println!(
        "  guesses/s {:.0} / {:.0} = {}; machine CPU a guess {pc:.0} / {sc:.0} µs = {} (processes {pn:.0} / {sn:.0} µs = {})",
        p.guesses.per_second(),
        s.guesses.per_second(),
        ratio(p.guesses.per_second(), s.guesses.per_second()),
        ratio(pc, sc),
        ratio(pn, sn)
    );
    println!(
        "  hot wall guesses/s {:.0} / {:.0} = {}; p99 {:.2?} / {:.2?}",
        p.hot.per_second(),
        s.hot.per_second(),
        ratio(p.hot.per_second(), s.hot.per_second()),
        p.hot.p99(Kind::Guess),
        s.hot.p99(Kind::Guess),
    );
}
