//! HTTPS for real: certificate files reloaded without a restart, the port-80 redirect, HSTS,
//! and a certificate obtained and renewed from Pebble, Let's Encrypt's ACME test server.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use tilebag_server::tls::acme::AcmeSettings;
use tilebag_server::tls::files::CertFiles;
use tilebag_server::tls::{Source, TlsSettings};
use tilebag_store::testing::skip;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// GETs `path` over TLS, trusting only `roots`; returns the certificate serial and the response.
async fn get_tls(
    address: SocketAddr,
    name: &str,
    roots: &[CertificateDer<'static>],
    path: &str,
) -> Result<(String, String), String> {
    let mut store = rustls::RootCertStore::empty();
    for root in roots {
        store.add(root.clone()).map_err(|e| e.to_string())?;
    }
    let config =
        rustls::ClientConfig::builder_with_provider(tilebag_server::tls::certs::provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(store)
            .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    let server = ServerName::try_from(name.to_owned()).map_err(|e| e.to_string())?;
    let mut tls = connector
        .connect(server, tcp)
        .await
        .map_err(|e| e.to_string())?;
    let serial = {
        let (_, session) = tls.get_ref();
        let leaf = session
            .peer_certificates()
            .and_then(|c| c.first())
            .ok_or("no certificate")?;
        let (_, parsed) = x509_parser::parse_x509_certificate(leaf).map_err(|e| e.to_string())?;
        parsed.raw_serial_as_string()
    };
    tls.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .map_err(|e| e.to_string())?;
    let mut response = String::new();
    tls.read_to_string(&mut response)
        .await
        .map_err(|e| e.to_string())?;
    Ok((serial, response))
}

/// GETs `path` over plain HTTP with a Host header; returns the raw response.
async fn get_plain(address: SocketAddr, host: &str, path: &str) -> String {
    let mut tcp = tokio::net::TcpStream::connect(address).await.unwrap();
    tcp.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut response = String::new();
    tcp.read_to_string(&mut response).await.unwrap();
    response
}

fn self_signed(dir: &Path, name: &str) -> CertificateDer<'static> {
    let made = rcgen::generate_simple_self_signed(vec![name.to_owned()]).unwrap();
    std::fs::write(dir.join("cert.pem"), made.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), made.signing_key.serialize_pem()).unwrap();
    made.cert.der().clone()
}

/// Everything the server logs in this test binary, so a test can wait for what it reports.
static LOGS: Mutex<String> = Mutex::new(String::new());

struct CaptureLogs;

impl std::io::Write for CaptureLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push_str(&String::from_utf8_lossy(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends the server's logs (from every thread) to [`LOGS`]; idempotent.
fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(|| CaptureLogs)
            .try_init()
            .expect("no other log subscriber in this test binary");
    });
}

/// Whether one logged line holds every one of `parts`.
fn logged(parts: &[&str]) -> bool {
    LOGS.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .lines()
        .any(|line| parts.iter().all(|part| line.contains(part)))
}

async fn start_https(
    settings: TlsSettings,
    http: tokio::net::TcpListener,
) -> (common::TestApp, SocketAddr, SocketAddr) {
    let app = common::spawn_app("sqlite").await;
    let https = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (https_address, http_address) = (https.local_addr().unwrap(), http.local_addr().unwrap());
    let state = app.state.clone();
    tokio::spawn(async move {
        tilebag_server::serve_https(https, http, state, &settings, std::future::pending()).await
    });
    (app, https_address, http_address)
}

#[tokio::test]
async fn certificate_files_reload_without_a_restart_and_http_redirects() {
    capture_logs();
    let dir = tempfile::tempdir().unwrap();
    let first = self_signed(dir.path(), "localhost");
    let files = CertFiles {
        cert: dir.path().join("cert.pem"),
        key: dir.path().join("key.pem"),
    };
    let settings = TlsSettings {
        source: Source::Files(files.clone(), Duration::from_millis(200)),
        hsts_max_age: 31_536_000,
        hsts_include_subdomains: false,
        public_hosts: Vec::new(),
    };
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (_app, https, http) = start_https(settings, http).await;

    let (serial, response) = get_tls(https, "localhost", std::slice::from_ref(&first), "/healthz")
        .await
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response
            .to_ascii_lowercase()
            .contains("strict-transport-security: max-age=31536000"),
        "{response}"
    );
    let (_, metrics) = get_tls(https, "localhost", std::slice::from_ref(&first), "/metrics")
        .await
        .unwrap();
    assert!(
        metrics.contains("tilebag_tls_certificate_expiry_seconds"),
        "{metrics}"
    );
    // The redirect names only a host the certificate is for, never the Host it was sent.
    let port = https.port();
    for (host, path, location) in [
        ("localhost", "/", format!("https://localhost:{port}/")),
        (
            "localhost:80",
            "/x?y=1",
            format!("https://localhost:{port}/x?y=1"),
        ),
        (
            "evil.example:18214",
            "/",
            format!("https://localhost:{port}/"),
        ),
    ] {
        let response = get_plain(http, host, path).await;
        assert!(
            response.starts_with("HTTP/1.1 308"),
            "{host}{path}: {response}"
        );
        assert!(
            response
                .to_ascii_lowercase()
                .contains(&format!("location: {location}").to_ascii_lowercase()),
            "{host}{path}: {response}"
        );
        assert!(
            response
                .to_ascii_lowercase()
                .contains("content-security-policy: default-src 'self'"),
            "the redirect carries the security headers too: {response}"
        );
    }
    assert!(
        get_plain(
            http,
            "app.example.test",
            "/.well-known/acme-challenge/unknown"
        )
        .await
        .starts_with("HTTP/1.1 404")
    );

    // A broken pair is refused: the watcher reports it, and the old certificate stays.
    std::fs::write(&files.cert, "not a certificate").unwrap();
    let cert_path = files.cert.display().to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !logged(&["the changed certificate files are not usable", &cert_path]) {
        assert!(
            Instant::now() < deadline,
            "the watcher did not report the broken {cert_path} within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        get_tls(https, "localhost", std::slice::from_ref(&first), "/healthz")
            .await
            .unwrap()
            .0,
        serial,
        "still the old certificate"
    );

    // A new pair is served to the next connection, without a restart.
    let second = self_signed(dir.path(), "localhost");
    let deadline = Instant::now() + Duration::from_secs(10);
    let served = loop {
        match get_tls(
            https,
            "localhost",
            std::slice::from_ref(&second),
            "/healthz",
        )
        .await
        {
            Ok((served, _)) => break served,
            Err(error) => assert!(
                Instant::now() < deadline,
                "the new certificate is not served 10 s after it was written: {error}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_ne!(served, serial, "the new certificate is served");
}

#[tokio::test]
async fn unusable_certificate_files_are_a_clear_error_at_start() {
    let dir = tempfile::tempdir().unwrap();
    self_signed(dir.path(), "localhost");
    let other = tempfile::tempdir().unwrap();
    self_signed(other.path(), "localhost");
    let mismatched = CertFiles {
        cert: dir.path().join("cert.pem"),
        key: other.path().join("key.pem"),
    };
    let error = mismatched.load().unwrap_err();
    assert!(
        error.contains("does not belong to the certificate"),
        "{error}"
    );
    let missing = CertFiles {
        cert: dir.path().join("nope.pem"),
        key: dir.path().join("key.pem"),
    };
    assert!(missing.load().unwrap_err().contains("nope.pem"));
}

struct Pebble {
    children: Vec<Child>,
    dir: tempfile::TempDir,
}

impl Drop for Pebble {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "openssl {args:?}");
}

/// Starts Pebble with its fake DNS (every name is 127.0.0.1), validating HTTP-01 on port 5002.
fn pebble() -> Pebble {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "3650",
            "-subj",
            "/CN=pebble test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "key.pem",
            "-out",
            "csr.pem",
        ],
    );
    std::fs::write(
        d.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "csr.pem",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "3650",
            "-out",
            "cert.pem",
            "-extfile",
            "ext.cnf",
        ],
    );
    let config = serde_json::json!({ "pebble": {
        "listenAddress": "127.0.0.1:14000", "managementListenAddress": "127.0.0.1:15000",
        "certificate": d.join("cert.pem"), "privateKey": d.join("key.pem"), "httpPort": 5002, "tlsPort": 5001,
        "ocspResponderURL": "", "externalAccountBindingRequired": false } });
    std::fs::write(d.join("cfg.json"), config.to_string()).unwrap();
    let dns = Command::new("pebble-challtestsrv")
        .args([
            "-management",
            "127.0.0.1:8055",
            "-dns01",
            "127.0.0.1:8053",
            "-http01",
            "",
            "-https01",
            "",
            "-tlsalpn01",
            "",
            "-defaultIPv4",
            "127.0.0.1",
            "-defaultIPv6",
            "",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Command::new("pebble")
        .args([
            "-config",
            d.join("cfg.json").to_str().unwrap(),
            "-dnsserver",
            "127.0.0.1:8053",
        ])
        .env("PEBBLE_VA_NOSLEEP", "1")
        .env("PEBBLE_WFE_NONCEREJECT", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect("127.0.0.1:14000").is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Pebble {
        children: vec![dns, server],
        dir,
    }
}

#[tokio::test]
async fn a_certificate_from_pebble_is_served_and_renewed_without_a_restart() {
    if Command::new("pebble").arg("-version").output().is_err() {
        skip(
            "a_certificate_from_pebble_is_served_and_renewed_without_a_restart",
            "Pebble",
            "apt-get install pebble",
        );
        return;
    }
    let pebble = pebble();
    let data = tempfile::tempdir().unwrap();
    let settings = TlsSettings {
        source: Source::Acme(AcmeSettings {
            domains: vec!["tilebag.test".into()],
            email: Some("admin@tilebag.test".into()),
            directory: "https://127.0.0.1:14000/dir".into(),
            root: Some(pebble.dir.path().join("ca.pem")),
            dir: data.path().join("tls"),
            // Longer than any certificate lives: every check renews, so renewal is tested now.
            renew_before: Duration::from_hours(100_000 * 24),
            check_every: Duration::from_secs(1),
        }),
        hsts_max_age: 600,
        hsts_include_subdomains: true,
        public_hosts: vec!["tilebag.test".into()],
    };
    // Pebble checks HTTP-01 challenges on 127.0.0.1:5002.
    let http = tokio::net::TcpListener::bind("127.0.0.1:5002")
        .await
        .expect("port 5002 is free for Pebble's checks");
    let (app, https, _) = start_https(settings, http).await;

    let mut first = None;
    for _ in 0..300 {
        if let Some(current) = app.state.certificates.current() {
            first = Some(current);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let first = first.expect("a certificate within 30 s");
    // Trust only the root that issued it (fetched from Pebble's management API).
    let api_root = CertificateDer::from_pem_file(pebble.dir.path().join("ca.pem")).unwrap();
    let (_, root_response) = get_tls(
        "127.0.0.1:15000".parse().unwrap(),
        "localhost",
        &[api_root],
        "/roots/0",
    )
    .await
    .unwrap();
    let root_pem = &root_response[root_response.find("-----BEGIN").expect("a PEM root")..];
    let root = CertificateDer::from_pem_slice(root_pem.as_bytes()).unwrap();
    let (served, response) = get_tls(
        https,
        "tilebag.test",
        std::slice::from_ref(&root),
        "/healthz",
    )
    .await
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response
            .to_ascii_lowercase()
            .contains("strict-transport-security: max-age=600; includesubdomains")
    );
    assert!(
        served == first.serial
            || app
                .state
                .certificates
                .current()
                .is_some_and(|c| c.serial == served)
    );

    // Renewal: a new certificate reaches fresh connections while the process keeps running.
    let mut renewed = None;
    for _ in 0..300 {
        if let Ok((now, _)) = get_tls(
            https,
            "tilebag.test",
            std::slice::from_ref(&root),
            "/healthz",
        )
        .await
            && now != served
        {
            renewed = Some(now);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        renewed.is_some(),
        "a renewed certificate is served within 30 s"
    );
    assert!(
        data.path().join("tls").join("cert.pem").exists()
            && data.path().join("tls").join("account.json").exists()
    );
}

#[tokio::test]
async fn readiness_warns_when_the_certificate_is_about_to_expire() {
    use chrono::Datelike;
    let dir = tempfile::tempdir().unwrap();
    let soon = chrono::Utc::now().date_naive() + chrono::Days::new(10);
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.not_after = rcgen::date_time_ymd(
        soon.year(),
        u8::try_from(soon.month()).unwrap(),
        u8::try_from(soon.day()).unwrap(),
    );
    let cert = params.self_signed(&key).unwrap();
    std::fs::write(dir.path().join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.path().join("key.pem"), key.serialize_pem()).unwrap();
    let files = CertFiles {
        cert: dir.path().join("cert.pem"),
        key: dir.path().join("key.pem"),
    };
    let settings = TlsSettings {
        source: Source::Files(files, Duration::from_secs(5)),
        hsts_max_age: 60,
        hsts_include_subdomains: false,
        public_hosts: Vec::new(),
    };
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (_app, https, _) = start_https(settings, http).await;
    let (_, response) = get_tls(https, "localhost", &[cert.der().clone()], "/readyz")
        .await
        .unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "still ready: {response}"
    );
    assert!(
        response.contains("the HTTPS certificate expires in"),
        "{response}"
    );
}
