//! The deployment files (`Dockerfile`, `deploy/kubernetes`) against the real binary: the probes,
//! subcommands, ports, image, shutdown timing and settings they name must be the ones `tilebag`
//! has, and the workloads must start and answer their probes with exactly the environment the
//! manifests give them.
//!
//! The manifests are read as plain text (block-style YAML, one key a line, `yaml`), which is
//! all they use; `.ci/run` also renders every overlay with `kubectl kustomize` and validates the
//! result. `metrics` has the `/metrics` token's Secret and `deploy.sh`'s refusal of placeholders.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tilebag_store::testing::{TestDatabase, backends};

#[path = "deploy/metrics.rs"]
mod metrics;
#[path = "deploy/yaml.rs"]
mod yaml;

use yaml::Yaml;

/// The two workloads that run `tilebag serve`: the scaled-out `Deployment` and the single-node
/// `StatefulSet`.
const DEPLOYMENT: &str = "deploy/kubernetes/base/deployment.yaml";
const STATEFULSET: &str = "deploy/kubernetes/overlays/single-node/statefulset.yaml";
const WORKLOADS: [&str; 2] = [DEPLOYMENT, STATEFULSET];
const JOB: &str = "deploy/kubernetes/base/migrate-job.yaml";
const CRONJOB: &str = "deploy/kubernetes/base/daily-cronjob.yaml";
const SETTINGS: &str = "deploy/kubernetes/components/settings/settings.env";
const IMAGE: &str = "ghcr.io/example/tilebag:latest";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every YAML file under `deploy/kubernetes`, as (path, text).
fn manifests() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join("deploy/kubernetes"), &mut paths);
    paths.sort();
    assert!(paths.len() >= 10, "the manifests are there: {paths:?}");
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect()
}

/// `settings.env`, the `ConfigMap` every workload reads, as (name, value) pairs.
fn settings() -> Vec<(String, String)> {
    read(SETTINGS)
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, value) = line.split_once('=').expect("NAME=value");
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

fn setting(name: &str) -> String {
    settings()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is in {SETTINGS}"))
        .1
}

fn listen_port() -> u16 {
    let listen = setting("TILEBAG_LISTEN");
    let (host, port) = listen.rsplit_once(':').expect("ADDR:PORT");
    assert_eq!(host, "0.0.0.0", "listens on every interface of the pod");
    port.parse().unwrap()
}

/// The subcommands `tilebag --help` lists.
fn subcommands() -> BTreeSet<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_tilebag"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    let commands = help
        .split_once("Commands:\n")
        .expect("a Commands section")
        .1;
    commands
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn probes_use_the_health_and_readiness_routes() {
    for workload in WORKLOADS {
        let yaml = Yaml::file(workload);
        let port_name = yaml.block("ports").value("name");
        for (probe, path) in [
            ("readinessProbe", "/readyz"),
            ("livenessProbe", "/healthz"),
            ("startupProbe", "/healthz"),
        ] {
            let probe = yaml.block(probe);
            assert_eq!(probe.value("path"), path, "{workload}");
            assert_eq!(probe.value("port"), port_name, "{workload}");
        }
    }
}

#[test]
fn every_container_runs_a_real_subcommand() {
    let commands = subcommands();
    for (file, expected) in [
        (DEPLOYMENT, "serve"),
        (STATEFULSET, "serve"),
        (JOB, "migrate"),
        (CRONJOB, "daily"),
    ] {
        let args = Yaml::file(file).args();
        assert_eq!(args, [expected], "{file}");
        assert!(
            commands.contains(expected),
            "`tilebag {expected}` is not in `tilebag --help`: {commands:?}"
        );
    }
    let dockerfile = read("Dockerfile");
    assert!(dockerfile.contains(r#"CMD ["serve"]"#));
    assert!(dockerfile.contains(r#"ENTRYPOINT ["/usr/local/bin/tilebag"]"#));
    assert!(
        dockerfile.contains("/usr/local/bin/tilebag\n"),
        "the binary is copied there"
    );
}

#[test]
fn one_image_everywhere() {
    let mut images = BTreeSet::new();
    let mut count = 0;
    for (path, text) in manifests() {
        for image in Yaml::parse(&text).values("image") {
            assert_eq!(image, IMAGE, "{path}");
            images.insert(image);
            count += 1;
        }
    }
    assert_eq!(
        count, 4,
        "server, StatefulSet, migration Job and daily CronJob"
    );
    let name = IMAGE.rsplit_once(':').unwrap().0;
    assert!(
        read("deploy/kubernetes/deploy.sh").contains(&format!("- name: {name}\"")),
        "deploy.sh replaces {name}"
    );
}

#[test]
fn the_listening_port_agrees_everywhere() {
    let port = listen_port();
    for workload in WORKLOADS {
        assert_eq!(
            Yaml::file(workload).block("ports").number("containerPort"),
            u64::from(port),
            "{workload}"
        );
    }
    for service in [
        "deploy/kubernetes/base/service.yaml",
        "deploy/kubernetes/overlays/single-node/service-headless.yaml",
    ] {
        assert_eq!(
            Yaml::file(service).number("targetPort"),
            u64::from(port),
            "{service}"
        );
    }
    let policy = Yaml::file("deploy/kubernetes/base/networkpolicy.yaml");
    assert_eq!(
        policy.block("ingress").number("port"),
        u64::from(port),
        "the NetworkPolicy lets ingress-nginx reach the server"
    );
    let dockerfile = read("Dockerfile");
    assert!(dockerfile.contains(&format!("TILEBAG_LISTEN=0.0.0.0:{port}")));
    let expose = dockerfile
        .lines()
        .find_map(|line| line.strip_prefix("EXPOSE "))
        .expect("EXPOSE");
    assert!(
        expose.split_whitespace().any(|p| p == port.to_string()),
        "EXPOSE {expose}"
    );
}

#[test]
fn the_grace_period_outlasts_the_drain_and_the_shutdown_timeout() {
    let shutdown: u64 = setting("TILEBAG_SHUTDOWN_TIMEOUT").parse().unwrap();
    for workload in WORKLOADS {
        let yaml = Yaml::file(workload);
        assert!(
            !yaml
                .env()
                .iter()
                .any(|(name, _)| name == "TILEBAG_SHUTDOWN_TIMEOUT"),
            "{workload} takes the shutdown timeout from the settings"
        );
        let pre_stop = yaml.block("preStop").block("sleep").number("seconds");
        let grace = yaml.number("terminationGracePeriodSeconds");
        assert!(
            grace > pre_stop + shutdown,
            "{workload}: {grace} s grace <= {pre_stop} s preStop + {shutdown} s shutdown"
        );
    }
}

#[test]
fn every_container_is_locked_down() {
    let mut containers = 0;
    for (path, text) in manifests() {
        let yaml = Yaml::parse(&text);
        let images = yaml.values("image").len();
        containers += images;
        for (key, value) in [
            ("readOnlyRootFilesystem", "true"),
            ("allowPrivilegeEscalation", "false"),
            ("runAsNonRoot", "true"),
            ("automountServiceAccountToken", "false"),
        ] {
            let values = yaml.values(key);
            assert_eq!(values.len(), images, "{path}: {key} for each container");
            assert!(values.iter().all(|v| v == value), "{path}: {key}: {value}");
        }
        if images > 0 {
            assert_eq!(yaml.values("drop"), [r#"["ALL"]"#], "{path}: capabilities");
        }
    }
    assert_eq!(containers, 4);
    assert!(read("Dockerfile").contains("USER 65532:65532"));
}

#[test]
fn migrations_and_the_daily_job_each_have_one_runner() {
    let names: Vec<String> = settings().into_iter().map(|(name, _)| name).collect();
    for per_workload in [
        "TILEBAG_MIGRATE",
        "TILEBAG_NO_DAILY_JOB",
        "TILEBAG_DATABASE_URL",
    ] {
        assert!(
            !names.iter().any(|n| n == per_workload),
            "{per_workload} is set per workload, not in the shared settings"
        );
    }
    // Scaled out: the migration Job migrates, the CronJob runs the daily job.
    let env = Yaml::file(DEPLOYMENT).env();
    assert!(env.contains(&("TILEBAG_MIGRATE".into(), "check".into())));
    assert!(env.contains(&("TILEBAG_NO_DAILY_JOB".into(), "true".into())));
    let base = Yaml::file("deploy/kubernetes/base/kustomization.yaml").block("resources");
    for resource in ["migrate-job.yaml", "daily-cronjob.yaml", "deployment.yaml"] {
        assert!(
            base.0
                .iter()
                .any(|(_, line)| line == &format!("- {resource}")),
            "the base has {resource}"
        );
    }
    // Single node: the one server migrates at start and runs the daily job itself; the overlay
    // drops the Deployment, the Job, the CronJob and the PostgreSQL Secret.
    let statefulset = Yaml::file(STATEFULSET);
    assert_eq!(statefulset.number("replicas"), 1, "one SQLite writer");
    let env = statefulset.env();
    assert_eq!(env[0], ("TILEBAG_MIGRATE".to_owned(), "auto".to_owned()));
    assert!(
        env[1..]
            .iter()
            .all(|(name, _)| name == "TILEBAG_METRICS_TOKEN_FILE"),
        "nothing else per workload: {env:?}"
    );
    let overlay = Yaml::file("deploy/kubernetes/overlays/single-node/kustomization.yaml");
    let mut deleted = BTreeSet::new();
    for (i, (_, line)) in overlay.0.iter().enumerate() {
        if line == "$patch: delete" {
            let patch = Yaml(overlay.0[i..].to_vec());
            deleted.insert(format!(
                "{}/{}",
                patch.value("kind"),
                patch.block("metadata").value("name")
            ));
        }
    }
    // The metrics token's Secret stays: the StatefulSet mounts it.
    assert_eq!(
        deleted,
        [
            "CronJob/tilebag-daily",
            "Deployment/tilebag",
            "Job/tilebag-migrate",
            "Secret/tilebag-database"
        ]
        .map(str::to_owned)
        .into()
    );
}

/// A `tilebag` process started with exactly a container's arguments and environment.
struct Container {
    child: Child,
    base: String,
}

impl Container {
    fn command(args: &[String], env: &[(String, String)], cwd: &Path) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tilebag"));
        command.current_dir(cwd).args(args).env_clear().envs(
            env.iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        command
    }

    fn run(args: &[String], env: &[(String, String)], cwd: &Path) -> String {
        let output = Container::command(args, env, cwd)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "tilebag {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn serve(args: &[String], env: &[(String, String)], cwd: &Path) -> Container {
        let mut child = Container::command(args, env, cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("tilebag is listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Container { child, base }
    }

    /// GETs every probe path of the workload and expects 200.
    fn answers_probes(&self, workload: &Yaml, name: &str) {
        for probe in ["startupProbe", "livenessProbe", "readinessProbe"] {
            let path = workload.block(probe).value("path");
            let response = reqwest::blocking::get(format!("{}{path}", self.base)).unwrap();
            assert_eq!(response.status(), 200, "{name}: {probe} {path}");
        }
    }

    /// SIGTERM, as the kubelet sends after preStop, and the exit status within the timeout.
    fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not stop within 10 s of SIGTERM");
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The settings of the `ConfigMap`, but on a free local port and with the data directory in
/// `data` (the pod's /data).
fn container_settings(data: &Path) -> Vec<(String, String)> {
    settings()
        .into_iter()
        .map(|(name, value)| match name.as_str() {
            "TILEBAG_LISTEN" => (name, "127.0.0.1:0".to_owned()),
            "TILEBAG_DATA_DIR" => (name, data.display().to_string()),
            _ => (name, value),
        })
        .collect()
}

#[test]
fn the_workloads_run_as_the_manifests_say() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // The scaled-out shape, on each database: the migration Job, the daily CronJob, then the
    // Deployment, with the ConfigMap's settings, the database URL of the Secret and each one's
    // own env; the servers answer /metrics only with the token of the Secret tilebag-metrics.
    // None writes a file: the pods' root file system, /data included, is read-only.
    for backend in backends("the_workloads_run_as_the_manifests_say") {
        let db = runtime.block_on(TestDatabase::new(backend));
        let data = tempfile::tempdir().unwrap();
        let cwd = tempfile::tempdir().unwrap();
        let mut env = container_settings(data.path());
        env.push(("TILEBAG_DATABASE_URL".into(), db.url.clone()));
        let migrated = Container::run(&Yaml::file(JOB).args(), &env, cwd.path());
        assert!(migrated.contains("applied 0001_"), "{backend}: {migrated}");
        let daily = Container::run(&Yaml::file(CRONJOB).args(), &env, cwd.path());
        assert!(daily.starts_with("processed "), "{backend}: {daily}");
        let deployment = Yaml::file(DEPLOYMENT);
        env.extend(deployment.env());
        let mounts = tempfile::tempdir().unwrap();
        let token = metrics::mount_token(&deployment, DEPLOYMENT, &mut env, mounts.path());
        let server = Container::serve(&deployment.args(), &env, cwd.path());
        server.answers_probes(&deployment, backend);
        metrics::answers_metrics_only_with(&server.base, token, backend);
        assert!(server.terminate().success(), "{backend}: exit 0 on SIGTERM");
        for dir in [data.path(), cwd.path()] {
            assert_eq!(
                std::fs::read_dir(dir).unwrap().count(),
                0,
                "{backend}: nothing written to {}",
                dir.display()
            );
        }
        drop(db);
    }

    // The single-node shape: SQLite in the volume at /data, migrated at start.
    let data = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let statefulset = Yaml::file(STATEFULSET);
    let mut env = container_settings(data.path());
    env.extend(statefulset.env());
    let mounts = tempfile::tempdir().unwrap();
    let token = metrics::mount_token(&statefulset, STATEFULSET, &mut env, mounts.path());
    let server = Container::serve(&statefulset.args(), &env, cwd.path());
    server.answers_probes(&statefulset, "single node");
    metrics::answers_metrics_only_with(&server.base, token, "single node");
    assert!(server.terminate().success(), "exit 0 on SIGTERM");
    assert!(data.path().join("tilebag.db").exists(), "SQLite in /data");
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);
}
