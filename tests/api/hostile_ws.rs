//! Hostile input on `/graphql/ws`, generated (proptest) and sent over a real WebSocket.
//!
//! Whatever a client sends, the server answers with the protocol's messages or closes with
//! one of the protocol's codes; every error it sends carries a code; and it keeps serving
//! everyone else.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use crate::helpers::{Backend, spawn_app};
use crate::hostile::{cases, json_value, text};
use crate::ws_client::WsClient;

/// The close codes the server may use: normal, and graphql-transport-ws's own.
const CODES: &[u16] = &[1000, 4400, 4401, 4403, 4406, 4408, 4409, 4429];

/// One message a client might send: anything at all, or the protocol's shapes with
/// hostile contents.
fn message() -> impl Strategy<Value = String> {
    let kind = prop_oneof![
        Just("connection_init".to_owned()),
        Just("subscribe".to_owned()),
        Just("complete".to_owned()),
        Just("ping".to_owned()),
        Just("pong".to_owned()),
        "[a-z_]{0,12}",
    ];
    let query = prop_oneof![
        Just("subscription($a: String, $s: UUID) { catalogChanges(after: $a, softwareId: $s) { cursor kind } }".to_owned()),
        Just("{ softwareList { totalCount } catalogChangeCursor }".to_owned()),
        Just("subscription { catalogChanges { cursor } } subscription { catalogChanges { kind } }".to_owned()),
        text(),
    ];
    prop_oneof![
        2 => text(),
        2 => json_value().prop_map(|value| value.to_string()),
        4 => (kind, "[a-z0-9]{0,3}", json_value()).prop_map(|(kind, id, payload)| {
            json!({"type": kind, "id": id, "payload": payload}).to_string()
        }),
        4 => ("[a-z0-9]{0,3}", query, json_value(), json_value()).prop_map(
            |(id, query, after, software)| {
                json!({"type": "subscribe", "id": id, "payload": {
                    "query": query,
                    "variables": {"a": after, "s": software},
                }})
                .to_string()
            }
        ),
    ]
}

/// Every error in a `next` or `error` message carries a code.
fn assert_coded(message: &Value) {
    let errors = match message["type"].as_str() {
        Some("error") => message["payload"].clone(),
        Some("next") => message["payload"]["errors"].clone(),
        _ => return,
    };
    for error in errors.as_array().into_iter().flatten() {
        assert!(
            error["extensions"]["code"].is_string(),
            "an error without a code: {message}"
        );
    }
}

#[test]
fn hostile_messages_on_the_socket_get_protocol_answers_and_harm_no_one() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(spawn_app(Backend::Sqlite)).unwrap();
    let mut runner = TestRunner::new(Config {
        // Each case opens a socket and waits for the answers: a quarter of the HTTP cases.
        cases: (cases() / 4).max(32),
        failure_persistence: None,
        ..Config::default()
    });
    let url = format!("ws://{}/graphql/ws", app.addr);
    runner
        .run(
            &(any::<bool>(), prop::collection::vec(message(), 1..5)),
            |(initialise, messages)| {
                runtime.block_on(async {
                    let mut request = url.as_str().into_client_request().unwrap();
                    request.headers_mut().insert(
                        "sec-websocket-protocol",
                        HeaderValue::from_static("graphql-transport-ws"),
                    );
                    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
                    if initialise {
                        let init = json!({"type": "connection_init"}).to_string();
                        socket.send(Message::text(init)).await.unwrap();
                    }
                    for text in messages {
                        // The server may have closed already; what it said is checked below.
                        if socket.send(Message::text(text)).await.is_err() {
                            break;
                        }
                    }
                    loop {
                        let next =
                            tokio::time::timeout(Duration::from_millis(100), socket.next()).await;
                        match next {
                            Err(_) | Ok(None) => break,
                            Ok(Some(Ok(Message::Text(text)))) => {
                                let message: Value = serde_json::from_str(text.as_str())
                                    .expect("the server sends JSON");
                                assert_coded(&message);
                            }
                            Ok(Some(Ok(Message::Close(frame)))) => {
                                if let Some(frame) = frame {
                                    let code = u16::from(frame.code);
                                    assert!(CODES.contains(&code), "closed with {code}");
                                }
                                break;
                            }
                            Ok(Some(Ok(_))) => {}
                            // The server closed while the client was still sending.
                            Ok(Some(Err(_))) => break,
                        }
                    }
                });
                Ok(())
            },
        )
        .unwrap();
    // Everyone else is still served.
    runtime.block_on(async {
        let mut client = WsClient::connect(app.addr).await;
        client
            .subscribe("q", "{ catalogChangeCursor }", json!({}))
            .await;
        assert!(client.next_payload("q").await["data"]["catalogChangeCursor"].is_string());
        app.teardown().await;
    });
}
