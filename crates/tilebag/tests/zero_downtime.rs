//! Zero downtime, proven: two tilebag processes share a database behind a round-robin client;
//! one is taken out of rotation and stopped with SIGTERM (as Kubernetes does after a preStop
//! pause), a new one starts with `--migrate check`, joins when ready, and no request fails.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Process {
    child: Child,
    base: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path, database: &str, extra: &[&str]) -> Process {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tilebag"))
        .current_dir(dir)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            database,
            "--shutdown-timeout",
            "10",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tilebag starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    let base = line
        .trim()
        .trim_start_matches("tilebag is listening on ")
        .trim_end_matches('/')
        .to_owned();
    Process { child, base }
}

fn wait_ready(client: &reqwest::blocking::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{base} never became ready");
}

#[test]
fn replacing_a_server_drops_no_request() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("shared.db").display());
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let a = start(dir.path(), &database, &[]);
    let b = start(dir.path(), &database, &["--migrate", "check"]);
    wait_ready(&client, &a.base);
    wait_ready(&client, &b.base);

    let rotation = Arc::new(Mutex::new(vec![a.base.clone(), b.base.clone()]));
    let (running, sent, failed) = (
        Arc::new(AtomicBool::new(true)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let traffic: Vec<_> = (0..4)
        .map(|worker| {
            let (rotation, running, sent, failed, client) = (
                rotation.clone(),
                running.clone(),
                sent.clone(),
                failed.clone(),
                client.clone(),
            );
            std::thread::spawn(move || {
                let mut n = worker;
                while running.load(Ordering::SeqCst) {
                    let base = {
                        let backends = rotation.lock().unwrap();
                        backends[n % backends.len()].clone()
                    };
                    n += 1;
                    let path = if n % 7 == 0 {
                        "/api/v1/search?length=7&probability=1-2000"
                    } else {
                        "/api/v1/anagram?q=AEINRST"
                    };
                    let ok = client
                        .get(format!("{base}{path}"))
                        .send()
                        .is_ok_and(|r| r.status() == 200);
                    sent.fetch_add(1, Ordering::SeqCst);
                    if !ok {
                        failed.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();

    std::thread::sleep(Duration::from_millis(500));
    // Out of rotation first (the endpoint is removed; preStop waits), then SIGTERM.
    rotation
        .lock()
        .unwrap()
        .retain(|backend| *backend != a.base);
    std::thread::sleep(Duration::from_millis(300));
    let status = Command::new("kill")
        .args(["-TERM", &a.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut a = a;
    let exit = a.child.wait().unwrap();
    assert!(exit.success(), "the old server exits 0 after SIGTERM");

    // The replacement checks the schema instead of migrating, and joins once ready.
    let c = start(dir.path(), &database, &["--migrate", "check"]);
    wait_ready(&client, &c.base);
    rotation.lock().unwrap().push(c.base.clone());
    std::thread::sleep(Duration::from_millis(500));
    running.store(false, Ordering::SeqCst);
    for worker in traffic {
        worker.join().unwrap();
    }
    let (sent, failed) = (sent.load(Ordering::SeqCst), failed.load(Ordering::SeqCst));
    assert!(sent > 100, "only {sent} requests");
    assert_eq!(failed, 0, "{failed} of {sent} requests failed");
}
