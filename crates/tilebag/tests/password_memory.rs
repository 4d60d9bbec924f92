//! Password hashing keeps the server's memory bounded under a flood of logins and
//! registrations (it used to grow by a heap arena per blocking thread, to about 500 MB).
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// Argon2id memory per hashing thread with the default parameters (m = 19456 KiB).
const BLOCK_KB: u64 = 19 * 1024;
/// The server's default number of hashing threads.
const WORKERS: u64 = 2;
/// Room for everything else the load touches: connections, SQLite's cache, allocator slack.
const HEADROOM_KB: u64 = 16 * 1024;

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(dir: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tilebag"))
            .current_dir(dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            // Every registration comes from 127.0.0.1: room for the whole flood.
            .args(["--registrations-per-hour", "1000"])
            .args(["--registrations-per-hour-total", "1000"])
            // Logins in flight count against the address until checked: room for eight.
            .args(["--login-failures-per-account", "1000"])
            .args(["--login-failures-per-address", "1000"])
            .env_remove("TILEBAG_DATA_DIR")
            .env_remove("TILEBAG_DATABASE_URL")
            .env_remove("TILEBAG_HASHING_WORKERS")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tilebag serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
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

    /// `VmRSS` and `VmHWM` (peak) of the server process, in kB.
    fn memory_kb(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or_else(|| panic!("no {name} in {status}"))
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    fn post(&self, client: &reqwest::blocking::Client, path: &str, user: &str) -> u16 {
        client
            .post(format!("{}{path}", self.base))
            .json(&serde_json::json!({ "username": user, "password": "correct horse battery" }))
            .send()
            .expect("an answer")
            .status()
            .as_u16()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_thousand_logins_and_a_registration_flood_leave_memory_bounded_by_the_hashing_threads() {
    let dir = tempfile::tempdir().unwrap();
    let server = Arc::new(Server::start(dir.path()));
    let client = reqwest::blocking::Client::new();
    let ready = client
        .get(format!("{}/readyz", server.base))
        .send()
        .unwrap();
    assert_eq!(ready.status(), 200);
    let (idle_kb, _) = server.memory_kb();
    assert_eq!(
        server.post(&client, "/api/v1/account/register", "alice"),
        201
    );

    let statuses = Arc::new(Mutex::new(BTreeMap::<(&str, u16), u32>::new()));
    let mut threads = Vec::new();
    for _ in 0..8 {
        let (server, statuses) = (Arc::clone(&server), Arc::clone(&statuses));
        threads.push(std::thread::spawn(move || {
            let client = reqwest::blocking::Client::new();
            for _ in 0..125 {
                let status = server.post(&client, "/api/v1/account/login", "alice");
                *statuses
                    .lock()
                    .unwrap()
                    .entry(("login", status))
                    .or_default() += 1;
            }
        }));
    }
    for flooder in 0..4 {
        let (server, statuses) = (Arc::clone(&server), Arc::clone(&statuses));
        threads.push(std::thread::spawn(move || {
            let client = reqwest::blocking::Client::new();
            for n in 0..50 {
                let user = format!("flood{flooder}x{n}");
                let status = server.post(&client, "/api/v1/account/register", &user);
                *statuses
                    .lock()
                    .unwrap()
                    .entry(("register", status))
                    .or_default() += 1;
            }
        }));
    }
    for thread in threads {
        thread.join().expect("a client thread");
    }
    let statuses = statuses.lock().unwrap().clone();
    assert_eq!(
        statuses,
        BTreeMap::from([(("login", 200), 1000), (("register", 201), 200)]),
        "12 clients never fill the queue of 64"
    );

    let (rss_kb, peak_kb) = server.memory_kb();
    let bound_kb = idle_kb + WORKERS * BLOCK_KB + HEADROOM_KB;
    assert!(
        rss_kb < bound_kb && peak_kb < bound_kb,
        "after 1,000 logins and 200 registrations VmRSS is {rss_kb} kB and VmHWM {peak_kb} kB; \
         idle it was {idle_kb} kB, and {WORKERS} hashing threads of {BLOCK_KB} kB allow at \
         most {bound_kb} kB"
    );
}
