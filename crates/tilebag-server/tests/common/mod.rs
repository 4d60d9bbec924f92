//! A real server on a real socket with a real database, for each test.

#![allow(dead_code, reason = "each test binary uses some of these helpers")]

use std::net::SocketAddr;

pub mod seat;

use tilebag_server::app::Clock;
use tilebag_server::{AppState, Config, Lexicons, MigrateMode};
use tilebag_store::Store;
use tilebag_store::testing::TestDatabase;
use tokio::sync::oneshot;

pub struct TestApp {
    pub address: SocketAddr,
    pub state: AppState,
    pub store: Store,
    /// The server's clock: it stands still until a test moves it.
    pub clock: Clock,
    stop: Option<oneshot::Sender<()>>,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Shared by the replicas on it ([`TestApp::replica`]).
    pub db: std::sync::Arc<TestDatabase>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// A client with its own cookie jar (one browser).
    #[allow(clippy::unused_self, reason = "reads as asking this app for a browser")]
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// A second server on this app's database, with a store (and a notice listener) of its
    /// own, on the same clock, as another replica behind a load balancer.
    pub async fn replica(&self, config: Config) -> TestApp {
        let store = Store::connect(&self.db.url).await.expect("connect");
        serve(store, self.db.clone(), self.clock.clone(), config).await
    }

    /// Signals shutdown and waits for the server to stop.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.server).await.expect("server task")
    }
}

/// Starts the app on 127.0.0.1:0 against a fresh, migrated database on `backend`. Every
/// test client comes from 127.0.0.1, so the per-address limits on registrations and guest
/// walls are raised here; the tests of those limits set their own.
pub async fn spawn_app(backend: &str) -> TestApp {
    spawn_with(backend, true, roomy()).await
}

/// The default configuration with room for many registrations and guest walls from one address.
pub fn roomy() -> Config {
    let mut config = Config::default();
    config.registration_limit.per_address = 1000;
    config.registration_limit.total = 1000;
    config.guest_limit.walls_per_guest = 1000;
    config.guest_limit.walls_per_address = 1000;
    config.guest_limit.walls_total = 10_000;
    config
}

/// Starts the app; `migrate: false` leaves the database empty (check mode).
pub async fn spawn_with(backend: &str, migrate: bool, mut config: Config) -> TestApp {
    // Tests drive the daily job with a clock of their own.
    config.run_daily_job = false;
    let db = TestDatabase::new(backend).await;
    let store = Store::connect(&db.url).await.expect("connect");
    let clock = Clock::manual(chrono::Utc::now());
    if migrate {
        store.migrate(clock.now_s()).await.expect("migrate");
    } else {
        config.migrate = MigrateMode::Check;
    }
    serve(store, std::sync::Arc::new(db), clock, config).await
}

/// Serves `store` on 127.0.0.1:0.
async fn serve(
    store: Store,
    db: std::sync::Arc<TestDatabase>,
    clock: Clock,
    mut config: Config,
) -> TestApp {
    config.run_daily_job = false;
    let lexicons = Lexicons::new(vec![tilebag_bundled::scowl80()], 0.0);
    let state = AppState::with_clock(store.clone(), lexicons, config, clock.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(tilebag_server::serve(listener, state.clone(), async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        state,
        store,
        clock,
        stop: Some(stop),
        server,
        db,
    }
}

/// Registers through the API; returns the CSRF token.
pub async fn register(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
) -> String {
    let response = client
        .post(app.url("/api/v1/account/register"))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), 201, "register {username}");
    let body: serde_json::Value = response.json().await.expect("json");
    body["csrf_token"].as_str().expect("csrf token").to_owned()
}

/// A browser-like client's JSON calls, with its session's CSRF token (empty for a guest).
pub struct Player<'a> {
    pub app: &'a TestApp,
    pub client: reqwest::Client,
    pub csrf: String,
}

impl<'a> Player<'a> {
    /// A new player registered through the API as `username`, with the tests' password.
    pub async fn register(app: &'a TestApp, username: &str) -> Player<'a> {
        let client = app.client();
        let csrf = register(app, &client, username, "correct horse battery").await;
        Player { app, client, csrf }
    }

    /// The player `username` logged in again through the API, in a new browser (as after
    /// their session ran out).
    pub async fn log_in(app: &'a TestApp, username: &str) -> Player<'a> {
        let client = app.client();
        let body: serde_json::Value = client
            .post(app.url("/api/v1/account/login"))
            .json(&serde_json::json!({ "username": username, "password": "correct horse battery" }))
            .json_body()
            .await;
        let csrf = body["csrf_token"].as_str().expect("csrf token").to_owned();
        Player { app, client, csrf }
    }

    /// POSTs `body` as JSON with the CSRF token; the answer's JSON.
    pub async fn post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.client
            .post(self.app.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .json_body()
            .await
    }

    /// GETs `path`; the answer's JSON.
    pub async fn get(&self, path: &str) -> serde_json::Value {
        self.client.get(self.app.url(path)).json_body().await
    }
}

/// The `{"error": {"code", "message"}}` of a response, with its status.
pub async fn error_of(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.expect("error body is JSON");
    let code = body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_owned();
    let message = body["error"]["message"]
        .as_str()
        .expect("error.message")
        .to_owned();
    (status, code, message)
}

/// Sending a request and reading its JSON answer, for tests.
pub trait SendJson {
    /// Sends the request and returns its body as JSON (panics if either fails).
    fn json_body(self) -> impl std::future::Future<Output = serde_json::Value> + Send;
    /// Sends the request and returns its body as text (panics if either fails).
    fn text_body(self) -> impl std::future::Future<Output = String> + Send;
}

impl SendJson for reqwest::RequestBuilder {
    async fn json_body(self) -> serde_json::Value {
        self.send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON body")
    }

    async fn text_body(self) -> String {
        self.send()
            .await
            .expect("request")
            .text()
            .await
            .expect("text body")
    }
}

/// Reads an HTTP/1.1 response head (status line and headers), byte by byte so that nothing
/// after it is consumed.
pub async fn read_head(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8];
        let read = stream
            .read(&mut byte)
            .await
            .expect("read the response head");
        assert_eq!(
            read,
            1,
            "connection closed after {:?}",
            String::from_utf8_lossy(&head)
        );
        head.push(byte[0]);
    }
    String::from_utf8(head).expect("an ASCII head")
}
