//! A table's WebSocket client, as a browser would open it: the guest or session cookie, and
//! the site's own Origin.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::TestApp;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long a test waits for a message before it fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// One client's socket at a table.
pub struct Seat {
    pub socket: Socket,
    /// Every table event received, in order.
    pub events: Vec<Value>,
}

/// Opens table `table`'s socket with `cookie` (`name=value`).
pub async fn open(app: &TestApp, table: i64, cookie: &str) -> Seat {
    let url = format!("ws://{}/api/v1/tables/{table}/ws", app.address);
    let mut request = url.into_client_request().expect("request");
    let headers = request.headers_mut();
    headers.insert("cookie", cookie.parse().expect("cookie"));
    headers.insert(
        "origin",
        format!("http://{}", app.address).parse().expect("origin"),
    );
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let mut seat = Seat {
        socket,
        events: Vec::new(),
    };
    let hello = seat.next().await;
    assert_eq!(
        (hello["type"].as_str(), hello["protocol"].as_u64()),
        (Some("hello"), Some(1))
    );
    seat
}

impl Seat {
    /// Sends one message.
    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("send");
    }

    /// The next message (any kind); table events are also kept in `events`.
    pub async fn next(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a message in time")
                .expect("the socket is open")
                .expect("a message");
            if let Message::Text(text) = message {
                let value: Value = serde_json::from_str(&text).expect("JSON");
                if value.get("seq").is_some() && value["type"] != "snapshot" {
                    self.events.push(value.clone());
                }
                return value;
            }
        }
    }

    /// Reads until a message of `kind` arrives, and returns it.
    pub async fn until(&mut self, kind: &str) -> Value {
        loop {
            let message = self.next().await;
            if message["type"] == kind {
                return message;
            }
        }
    }

    /// The first table event of `kind` received (reading on until one arrives).
    pub async fn event(&mut self, kind: &str) -> Value {
        loop {
            if let Some(event) = self.events.iter().find(|e| e["type"] == kind) {
                return event.clone();
            }
            self.next().await;
        }
    }

    /// Joins as a player named `name`; returns the welcome.
    pub async fn join(&mut self, name: &str) -> Value {
        self.send(json!({ "type": "join", "as": "player", "name": name }))
            .await;
        self.until("welcome").await
    }

    /// Reads until the socket is closed; returns the close code.
    pub async fn closed(&mut self) -> Option<u16> {
        loop {
            match tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("closed in time")
            {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return None,
            }
        }
    }
}

/// A guest's cookie.
pub fn guest(name: &str) -> String {
    format!("tilebag_guest=guest-{name}")
}
