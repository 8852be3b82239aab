//! `GET /graphql/ws`: GraphQL over WebSocket, by the `graphql-transport-ws` protocol
//! (<https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>).
//!
//! Written here rather than taken from async-graphql-axum: its protocol state machine
//! (async-graphql 7.2) closes with 1011 where the protocol says 4401, with 1002 where it
//! says 4400 or 4403, has no `connection_init` timeout (4408), silently replaces a
//! subscription whose id is already in use (4409), sends no keep-alive pings, and buffers
//! for a client that stops reading. Operations still run through the schema
//! (`execute_stream`), with the same extensions (limits, write access, error codes) as
//! over HTTP.
//!
//! Bounds: at most [`FeedSettings::max_connections`] sockets per instance (the upgrade is
//! answered 503 beyond), at most [`FeedSettings::max_operations_per_connection`] operations
//! per socket (`LIMIT_EXCEEDED` beyond), messages no larger than the body limit, and a
//! client that takes no message for [`FeedSettings::send_timeout`] is disconnected. A query
//! or mutation takes its turn among the instance's executing requests and is cut off at the
//! request timeout, as over HTTP ([`admitted`]). Nothing waits in memory for a slow client
//! but what one message needs: its subscriptions are not polled while a message waits, and
//! the change feed re-reads what they missed from the database.

use async_graphql::{Request, Response, ServerError, Value, Variables};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response as HttpResponse;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use serde::{Deserialize, Serialize};
use tokio::sync::OwnedSemaphorePermit;
use tokio_stream::StreamMap;

use super::graphql::timed_out;
use super::{AppState, busy, busy_error};
use crate::graphql::{Access, ErrorCode, OverWebSocket};
use crate::metrics::OpenWebSocket;
use crate::settings::FeedSettings;

/// The subprotocol this endpoint speaks.
const PROTOCOL: &str = "graphql-transport-ws";

/// Small per-socket buffers: thousands of idle subscribers must fit in little memory.
const READ_BUFFER: usize = 4 * 1024;
const WRITE_BUFFER: usize = 8 * 1024;

/// The protocol's close codes.
mod close {
    pub const BAD_REQUEST: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const SUBPROTOCOL_NOT_ACCEPTABLE: u16 = 4406;
    pub const INIT_TIMEOUT: u16 = 4408;
    pub const SUBSCRIBER_EXISTS: u16 = 4409;
    pub const TOO_MANY_INITS: u16 = 4429;
}

/// Upgrades to a WebSocket, unless the instance already holds its most sockets.
pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> HttpResponse {
    let Ok(permit) = state.ws_connections.clone().try_acquire_owned() else {
        return busy();
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    upgrade
        .protocols([PROTOCOL])
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(state.limits.max_body_bytes)
        .max_frame_size(state.limits.max_body_bytes)
        .on_upgrade(move |socket| {
            let open = state.metrics.websocket_opened();
            Connection {
                socket,
                state,
                authorization,
                _place: (permit, open),
            }
            .run()
        })
}

/// A message from the client.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<serde_json::Map<String, serde_json::Value>>,
    },
    Ping {
        #[serde(default)]
        payload: Option<serde_json::Value>,
    },
    Pong {
        #[serde(default)]
        #[allow(dead_code)]
        payload: Option<serde_json::Value>,
    },
    Subscribe {
        id: String,
        payload: SubscribePayload,
    },
    Complete {
        id: String,
    },
}

/// What a `subscribe` message asks to run: a GraphQL request.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubscribePayload {
    /// Absent when the document is named by `documentId` or a persisted query's hash.
    #[serde(default)]
    query: String,
    #[serde(default)]
    variables: Option<serde_json::Value>,
    #[serde(default)]
    operation_name: Option<String>,
    #[serde(default)]
    extensions: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    document_id: Option<String>,
}

/// What one operation sends next.
enum Outgoing {
    Next(Box<Response>),
    /// Errors before execution (parse, validation, a refused subscription): ends it.
    Error(Vec<ServerError>),
    Complete,
}

/// Why the connection ends.
enum Closed {
    /// By the client, or its socket failed.
    Gone,
    /// By the server, with this code and reason.
    With(u16, String),
}

struct Connection {
    socket: WebSocket,
    state: AppState,
    /// The upgrade request's `Authorization` header, used when `connection_init` has none.
    authorization: Option<String>,
    /// This socket's place among the instance's connections, and in the metrics.
    _place: (OwnedSemaphorePermit, OpenWebSocket),
}

impl Connection {
    async fn run(mut self) {
        let outcome = match self.socket.protocol() {
            Some(protocol) if protocol.as_bytes() == PROTOCOL.as_bytes() => self.serve().await,
            _ => Err(Closed::With(
                close::SUBPROTOCOL_NOT_ACCEPTABLE,
                "Subprotocol not acceptable".into(),
            )),
        };
        if let Err(Closed::With(code, reason)) = outcome {
            let frame = CloseFrame {
                code,
                reason: reason.into(),
            };
            // Best effort, bounded: a client that reads nothing gets no goodbye.
            let settings = &self.state.feed_settings;
            let _ = tokio::time::timeout(
                settings.send_timeout,
                self.socket.send(Message::Close(Some(frame))),
            )
            .await;
        }
    }

    async fn serve(&mut self) -> Result<(), Closed> {
        let access = self.initialise().await?;
        let settings = self.state.feed_settings.clone();
        let mut operations: StreamMap<String, BoxStream<'static, Outgoing>> = StreamMap::new();
        let mut keepalive = tokio::time::interval_at(
            tokio::time::Instant::now() + settings.keepalive,
            settings.keepalive,
        );
        keepalive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                message = self.socket.recv() => {
                    match read(message)? {
                        None => {}
                        Some(ClientMessage::ConnectionInit { .. }) => {
                            return Err(Closed::With(
                                close::TOO_MANY_INITS,
                                "Too many initialisation requests".into(),
                            ));
                        }
                        Some(ClientMessage::Ping { payload }) => {
                            self.send(ServerMessage::Pong { payload }.encode(), &settings).await?;
                        }
                        Some(ClientMessage::Pong { .. }) => {}
                        Some(ClientMessage::Subscribe { id, payload }) => {
                            if operations.contains_key(&id) {
                                return Err(Closed::With(
                                    close::SUBSCRIBER_EXISTS,
                                    format!("Subscriber for {id} already exists"),
                                ));
                            }
                            if operations.len() >= settings.max_operations_per_connection {
                                let error = ErrorCode::LimitExceeded.server_error(format!(
                                    "a connection runs at most {} operations at once",
                                    settings.max_operations_per_connection
                                ));
                                let message = ServerMessage::Error { id: &id, payload: &[error] };
                                self.send(message.encode(), &settings).await?;
                                continue;
                            }
                            let document_id = payload.document_id.clone();
                            let mut request = payload.into_request();
                            let resolved = self
                                .state
                                .persisted
                                .resolve(&mut request, document_id.as_deref())
                                .await;
                            let resolved = resolved.and_then(|named| {
                                if request.query.trim().is_empty() {
                                    Err(ErrorCode::BadRequest.server_error(
                                        "a subscribe message needs a \"query\" (or a persisted document's hash)",
                                    ))
                                } else {
                                    Ok(named)
                                }
                            });
                            if let Err(error) = resolved {
                                let message = ServerMessage::Error { id: &id, payload: &[error] };
                                self.send(message.encode(), &settings).await?;
                                continue;
                            }
                            let subscription = self.state.schema.is_subscription(&request);
                            let request = request.data(access).data(OverWebSocket);
                            let responses = self.state.schema.execute_stream(request);
                            let responses = if subscription {
                                responses
                            } else {
                                admitted(&self.state, responses)
                            };
                            operations.insert(id, outgoing(responses));
                        }
                        Some(ClientMessage::Complete { id }) => {
                            operations.remove(&id);
                        }
                    }
                }
                Some((id, next)) = operations.next(), if !operations.is_empty() => {
                    let message = match &next {
                        Outgoing::Next(response) => ServerMessage::Next { id: &id, payload: response },
                        Outgoing::Error(errors) => ServerMessage::Error { id: &id, payload: errors },
                        Outgoing::Complete => ServerMessage::Complete { id: &id },
                    };
                    if !matches!(next, Outgoing::Next(_)) {
                        // The operation is over: its id is free for the client's next one
                        // now, not when the map next notices that the stream has ended.
                        operations.remove(&id);
                    }
                    self.send(message.encode(), &settings).await?;
                }
                _ = keepalive.tick() => {
                    self.send(ServerMessage::Ping.encode(), &settings).await?;
                }
            }
        }
    }

    /// Waits for `connection_init` and acknowledges it: the client's access, or why the
    /// connection ends.
    async fn initialise(&mut self) -> Result<Access, Closed> {
        let settings = self.state.feed_settings.clone();
        let deadline = tokio::time::sleep(settings.init_timeout);
        tokio::pin!(deadline);
        loop {
            let message = tokio::select! {
                message = self.socket.recv() => message,
                _ = &mut deadline => {
                    return Err(Closed::With(
                        close::INIT_TIMEOUT,
                        "Connection initialisation timeout".into(),
                    ));
                }
            };
            match read(message)? {
                None | Some(ClientMessage::Pong { .. }) => {}
                Some(ClientMessage::Ping { payload }) => {
                    self.send(ServerMessage::Pong { payload }.encode(), &settings)
                        .await?;
                }
                Some(ClientMessage::ConnectionInit { payload }) => {
                    let access = self.authorise(payload.as_ref())?;
                    self.send(ServerMessage::ConnectionAck.encode(), &settings)
                        .await?;
                    return Ok(access);
                }
                Some(ClientMessage::Subscribe { .. } | ClientMessage::Complete { .. }) => {
                    return Err(Closed::With(close::UNAUTHORIZED, "Unauthorized".into()));
                }
            }
        }
    }

    /// What the client may do: `authorization` in the `connection_init` payload (or the
    /// upgrade request's header) is checked like an HTTP request's; a token that is given
    /// but not valid is refused (4403), so a client does not silently lose its rights, and
    /// so is a client without one when reads are private.
    fn authorise(
        &self,
        payload: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> Result<Access, Closed> {
        let from_payload = payload.and_then(|payload| {
            payload
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case("authorization"))
                .map(|(_, value)| value.as_str())
        });
        let authorization = match from_payload {
            Some(Some(value)) => Some(value),
            Some(None) => return Err(forbidden()),
            None => self.authorization.as_deref(),
        };
        let access = self.state.api_tokens.access(authorization);
        let refused_token = authorization.is_some()
            && self.state.api_tokens.is_enabled()
            && access != Access::Write;
        if refused_token || access == Access::None {
            return Err(forbidden());
        }
        Ok(access)
    }

    /// Sends `message`, waiting at most the send timeout for the client to take it.
    async fn send(&mut self, message: Message, settings: &FeedSettings) -> Result<(), Closed> {
        match tokio::time::timeout(settings.send_timeout, self.socket.send(message)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(Closed::Gone),
            Err(_) => {
                self.state.metrics.slow_client_disconnected();
                tracing::info!(
                    timeout = ?settings.send_timeout,
                    "a WebSocket client stopped reading; disconnecting it"
                );
                Err(Closed::Gone)
            }
        }
    }
}

fn forbidden() -> Closed {
    Closed::With(close::FORBIDDEN, "Forbidden".into())
}

/// The client message in `message`; `None` for frames the protocol ignores.
fn read(message: Option<Result<Message, axum::Error>>) -> Result<Option<ClientMessage>, Closed> {
    match message {
        None | Some(Err(_)) | Some(Ok(Message::Close(_))) => Err(Closed::Gone),
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(None),
        Some(Ok(Message::Binary(_))) => Err(Closed::With(
            close::BAD_REQUEST,
            "Messages are JSON text, not binary".into(),
        )),
        Some(Ok(Message::Text(text))) => {
            serde_json::from_str(text.as_str())
                .map(Some)
                .map_err(|err| {
                    // The reason of a close frame is limited to 123 bytes.
                    let mut reason = format!("Invalid message: {err}");
                    if reason.len() > 120 {
                        let mut end = 120;
                        while !reason.is_char_boundary(end) {
                            end -= 1;
                        }
                        reason.truncate(end);
                    }
                    Closed::With(close::BAD_REQUEST, reason)
                })
        }
    }
}

impl SubscribePayload {
    fn into_request(self) -> Request {
        let mut request = Request::new(self.query);
        if let Some(variables) = self.variables {
            request = request.variables(Variables::from_json(variables));
        }
        if let Some(name) = self.operation_name {
            request = request.operation_name(name);
        }
        for (key, value) in self.extensions.into_iter().flatten() {
            if let Ok(value) = async_graphql::Value::from_json(value) {
                request.extensions.insert(key, value);
            }
        }
        request
    }
}

/// A query or mutation sent over the socket, run as one sent over HTTP: it waits for a turn
/// among the instance's executing requests (`SERVICE_UNAVAILABLE` at once when no place is
/// left to wait) and is cut off at the request timeout. Otherwise a few sockets, each
/// running its most operations at once, would execute beside every bound HTTP keeps.
/// Subscriptions do not take a turn: they wait for changes most of their life, and the
/// sockets and operations per socket bound them.
fn admitted(
    state: &AppState,
    mut responses: BoxStream<'static, Response>,
) -> BoxStream<'static, Response> {
    let admission = state.admission.clone();
    let limit = state.request_timeout;
    async_stream::stream! {
        let response = match admission.wait().await {
            None => Response::from_errors(vec![busy_error()]),
            // The turn is held while the operation executes, and given back before its
            // answer waits to be sent.
            Some(_turn) => match tokio::time::timeout(limit, responses.next()).await {
                Ok(Some(response)) => response,
                Ok(None) => return,
                Err(_) => {
                    tracing::error!(limit = ?limit, "an operation over WebSocket timed out");
                    timed_out()
                }
            },
        };
        yield response;
    }
    .boxed()
}

/// The messages of one operation: `next` for each response, then `complete`; or one
/// `error` when it fails before producing anything.
fn outgoing(mut responses: BoxStream<'static, Response>) -> BoxStream<'static, Outgoing> {
    async_stream::stream! {
        let mut first = true;
        while let Some(response) = responses.next().await {
            if first && response.data == Value::Null && !response.errors.is_empty() {
                yield Outgoing::Error(response.errors);
                return;
            }
            first = false;
            yield Outgoing::Next(Box::new(response));
        }
        yield Outgoing::Complete;
    }
    .boxed()
}

/// A message to the client.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ServerMessage<'a> {
    ConnectionAck,
    Ping,
    Pong {
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<serde_json::Value>,
    },
    Next {
        id: &'a str,
        payload: &'a Response,
    },
    Error {
        id: &'a str,
        payload: &'a [ServerError],
    },
    Complete {
        id: &'a str,
    },
}

impl ServerMessage<'_> {
    fn encode(&self) -> Message {
        match serde_json::to_string(self) {
            Ok(text) => Message::text(text),
            Err(err) => {
                // Only a response holding a map with non-text keys could fail; we make none.
                tracing::error!(error = %err, "a WebSocket message did not serialize");
                Message::text(r#"{"type":"ping"}"#)
            }
        }
    }
}
