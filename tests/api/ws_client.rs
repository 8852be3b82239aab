//! A small `graphql-transport-ws` client over a real WebSocket (tokio-tungstenite), for the
//! change feed's and the protocol's tests.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for a message it expects.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The subscription the feed tests use: every field of a change.
pub const CHANGES: &str = "subscription($after: String, $softwareId: UUID) {
    catalogChanges(after: $after, softwareId: $softwareId) {
        cursor kind softwareId releaseIds
    }
}";

pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// How many `ping` messages the server sent (each was answered).
    pings: usize,
}

impl WsClient {
    /// Opens a socket to `/graphql/ws` offering `protocol` (the right one unless a test
    /// says otherwise); sends nothing yet.
    pub async fn open_with(addr: SocketAddr, protocol: Option<&str>) -> Self {
        let mut request = format!("ws://{addr}/graphql/ws")
            .into_client_request()
            .unwrap();
        if let Some(protocol) = protocol {
            request.headers_mut().insert(
                "sec-websocket-protocol",
                HeaderValue::from_str(protocol).unwrap(),
            );
        }
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the WebSocket upgrade succeeds");
        Self { socket, pings: 0 }
    }

    /// Opens a socket whose receive buffer is as small as the kernel allows, so that a
    /// client that stops reading fills it fast; completes `connection_init`.
    pub async fn connect_with_small_buffer(addr: SocketAddr) -> Self {
        let tcp = tokio::net::TcpSocket::new_v4().unwrap();
        tcp.set_recv_buffer_size(4096).unwrap();
        let stream = tcp.connect(addr).await.unwrap();
        let mut request = format!("ws://{addr}/graphql/ws")
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (socket, _) = tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(stream))
            .await
            .expect("the WebSocket upgrade succeeds");
        let mut client = Self { socket, pings: 0 };
        client.send(json!({"type": "connection_init"})).await;
        assert_eq!(client.recv().await["type"], "connection_ack");
        client
    }

    pub async fn open(addr: SocketAddr) -> Self {
        Self::open_with(addr, Some("graphql-transport-ws")).await
    }

    /// Opens a socket and completes `connection_init` with `payload`.
    pub async fn connect_with(addr: SocketAddr, payload: Value) -> Self {
        let mut client = Self::open(addr).await;
        client
            .send(json!({"type": "connection_init", "payload": payload}))
            .await;
        let ack = client.recv().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    pub async fn connect(addr: SocketAddr) -> Self {
        Self::connect_with(addr, json!({})).await
    }

    pub async fn send(&mut self, message: Value) {
        self.send_text(&message.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket
            .send(Message::text(text))
            .await
            .expect("the message is sent");
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({
            "type": "subscribe",
            "id": id,
            "payload": {"query": query, "variables": variables},
        }))
        .await;
    }

    /// Subscribes to `catalogChanges` after `after` (and for one software, if given).
    pub async fn subscribe_changes(&mut self, id: &str, after: &str, software_id: Option<&str>) {
        self.subscribe(
            id,
            CHANGES,
            json!({"after": after, "softwareId": software_id}),
        )
        .await;
    }

    /// The next protocol message, answering the server's pings on the way.
    pub async fn recv(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a message arrives in time")
                .expect("the socket is open")
                .expect("the socket works");
            match message {
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(text.as_str()).unwrap();
                    if value["type"] == "ping" {
                        self.pings += 1;
                        self.send(json!({"type": "pong"})).await;
                        continue;
                    }
                    return value;
                }
                Message::Close(frame) => panic!("the server closed the socket: {frame:?}"),
                _ => {}
            }
        }
    }

    /// The next message, which must be `next` for `id`: its `payload`.
    pub async fn next_payload(&mut self, id: &str) -> Value {
        let message = self.recv().await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        message["payload"].clone()
    }

    /// The next change of subscription `id`.
    pub async fn next_change(&mut self, id: &str) -> Value {
        let payload = self.next_payload(id).await;
        assert!(payload.get("errors").is_none(), "{payload}");
        payload["data"]["catalogChanges"].clone()
    }

    /// The next `count` changes of subscription `id`.
    pub async fn changes(&mut self, id: &str, count: usize) -> Vec<Value> {
        let mut changes = Vec::with_capacity(count);
        for _ in 0..count {
            changes.push(self.next_change(id).await);
        }
        changes
    }

    /// Asserts nothing but pings arrives for `quiet`.
    pub async fn assert_silent(&mut self, quiet: Duration) {
        let deadline = tokio::time::Instant::now() + quiet;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let value: Value = serde_json::from_str(text.as_str()).unwrap();
                    assert_eq!(value["type"], "ping", "expected silence, got {value}");
                    self.pings += 1;
                    self.send(json!({"type": "pong"})).await;
                }
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => {}
                Ok(other) => panic!("expected silence, got {other:?}"),
            }
        }
    }

    /// How many pings the server has sent so far.
    pub fn pings_seen(&self) -> usize {
        self.pings
    }

    /// Reads whatever arrives until the socket ends; `false` if it is still open after
    /// `patience`.
    pub async fn drain_until_end(&mut self, patience: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return false,
                Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// Waits for the server to close the socket: the close code and reason.
    pub async fn closed(&mut self) -> (u16, String) {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("the socket closes in time");
            match message {
                Some(Ok(Message::Close(Some(frame)))) => {
                    return (u16::from(frame.code), frame.reason.to_string());
                }
                Some(Ok(Message::Close(None))) => {
                    return (u16::from(CloseCode::Status), String::new());
                }
                Some(Ok(_)) => {}
                Some(Err(err)) => panic!("the socket failed instead of closing: {err}"),
                None => panic!("the socket ended without a close frame"),
            }
        }
    }
}

/// A change as the tests compare them: kind, software and the set of release ids.
pub fn summary(change: &Value) -> (String, String, Vec<String>) {
    let mut releases: Vec<String> = change["releaseIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    releases.sort();
    (
        change["kind"].as_str().unwrap().to_owned(),
        change["softwareId"].as_str().unwrap().to_owned(),
        releases,
    )
}
