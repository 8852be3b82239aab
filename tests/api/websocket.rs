//! `/graphql/ws` speaks `graphql-transport-ws` as its protocol defines it: close codes,
//! pings, and bounds on what one client may hold.

use std::time::Duration;

use sea_orm::TransactionTrait;
use serde_json::json;

use crate::helpers::{AppBuilder, Backend, TestApp, TestDatabase};
use crate::ws_client::{CHANGES, WsClient};

async fn sqlite(builder: impl FnOnce(AppBuilder) -> AppBuilder) -> TestApp {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    builder(AppBuilder::owning(database)).spawn().await
}

#[tokio::test]
async fn subscribing_before_connection_init_closes_with_4401() {
    let app = sqlite(|b| b).await;
    let mut client = WsClient::open(app.addr).await;
    client
        .subscribe("1", "{ catalogChangeCursor }", json!({}))
        .await;
    assert_eq!(client.closed().await.0, 4401);
}

#[tokio::test]
async fn a_second_connection_init_closes_with_4429() {
    let app = sqlite(|b| b).await;
    let mut client = WsClient::connect(app.addr).await;
    client.send(json!({"type": "connection_init"})).await;
    assert_eq!(client.closed().await.0, 4429);
}

#[tokio::test]
async fn a_client_that_never_initialises_is_closed_with_4408() {
    let app = sqlite(|b| b.feed(|feed| feed.init_timeout = Duration::from_millis(200))).await;
    let mut client = WsClient::open(app.addr).await;
    assert_eq!(client.closed().await.0, 4408);
}

#[tokio::test]
async fn a_subscription_id_already_in_use_closes_with_4409() {
    let app = sqlite(|b| b).await;
    let cursor = app.change_cursor().await;
    let mut client = WsClient::connect(app.addr).await;
    client.subscribe_changes("same", &cursor, None).await;
    client.subscribe_changes("same", &cursor, None).await;
    let (code, reason) = client.closed().await;
    assert_eq!(code, 4409);
    assert!(reason.contains("same"), "{reason}");
}

#[tokio::test]
async fn a_message_that_is_not_of_the_protocol_closes_with_4400() {
    let app = sqlite(|b| b).await;
    for message in [
        "not json",
        r#"{"type": "subscribe"}"#,
        r#"{"type": "unknown"}"#,
        r#"{"type": "subscribe", "id": "1", "payload": {"query": 1}}"#,
        r#"{"type": "connection_init", "payload": "text"}"#,
    ] {
        let mut client = WsClient::open(app.addr).await;
        if !message.contains("connection_init") {
            client.send(json!({"type": "connection_init"})).await;
            assert_eq!(client.recv().await["type"], "connection_ack");
        }
        client.send_text(message).await;
        assert_eq!(client.closed().await.0, 4400, "{message}");
    }
}

#[tokio::test]
async fn a_client_without_the_subprotocol_is_closed_with_4406() {
    let app = sqlite(|b| b).await;
    let mut client = WsClient::open_with(app.addr, None).await;
    assert_eq!(client.closed().await.0, 4406);
}

#[tokio::test]
async fn a_wrong_token_in_connection_init_closes_with_4403() {
    let app = sqlite(|b| b.api_tokens(&["s3cret"])).await;
    let mut client = WsClient::open(app.addr).await;
    client
        .send(json!({"type": "connection_init", "payload": {"authorization": "Bearer wrong"}}))
        .await;
    assert_eq!(client.closed().await.0, 4403);
}

#[tokio::test]
async fn mutations_over_the_socket_need_the_token_of_connection_init() {
    let app = sqlite(|b| b.api_tokens(&["s3cret"])).await;
    let create = "mutation { createSoftware(input: {displayName: \"ws\", maintainerEmail: \"m@example.org\"}) { id } }";

    // Reads are open: no token is needed to connect, but a mutation is refused.
    let mut reader = WsClient::connect(app.addr).await;
    reader.subscribe("1", create, json!({})).await;
    let message = reader.recv().await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(app.count_rows("software").await, 0);
    // A refused mutation leaves no change in the feed either.
    assert_eq!(app.count_rows("change_log").await, 0);

    let mut writer =
        WsClient::connect_with(app.addr, json!({"authorization": "Bearer s3cret"})).await;
    writer.subscribe("1", create, json!({})).await;
    let payload = writer.next_payload("1").await;
    assert!(
        payload["data"]["createSoftware"]["id"].is_string(),
        "{payload}"
    );
    assert_eq!(writer.recv().await, json!({"type": "complete", "id": "1"}));
    assert_eq!(app.count_rows("software").await, 1);
}

#[tokio::test]
async fn a_query_over_the_socket_answers_next_then_complete() {
    let app = sqlite(|b| b).await;
    let mut client = WsClient::connect(app.addr).await;
    client
        .subscribe("q", "{ softwareList { totalCount } }", json!({}))
        .await;
    let payload = client.next_payload("q").await;
    assert_eq!(payload["data"]["softwareList"]["totalCount"], 0);
    assert_eq!(client.recv().await, json!({"type": "complete", "id": "q"}));

    // A document that does not validate is one `error` message, with the code.
    client.subscribe("bad", "{ nope }", json!({})).await;
    let message = client.recv().await;
    assert_eq!(message["type"], "error");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
}

#[tokio::test]
async fn the_server_answers_pings_and_sends_its_own() {
    let app = sqlite(|b| b.feed(|feed| feed.keepalive = Duration::from_millis(200))).await;
    let mut client = WsClient::connect(app.addr).await;
    client
        .send(json!({"type": "ping", "payload": {"n": 1}}))
        .await;
    assert_eq!(
        client.recv().await,
        json!({"type": "pong", "payload": {"n": 1}})
    );
    // `recv` answers pings itself; read the raw stream for the server's own ping.
    let started = std::time::Instant::now();
    client.assert_silent(Duration::from_millis(500)).await;
    assert!(started.elapsed() >= Duration::from_millis(500));
    assert!(client.pings_seen() >= 1, "the server sent no ping");
}

#[tokio::test]
async fn complete_from_the_client_stops_its_subscription() {
    let app = sqlite(|b| b).await;
    let mut client = WsClient::connect(app.addr).await;
    client
        .subscribe_changes("feed", &app.change_cursor().await, None)
        .await;
    app.create_software("one", &[]).await;
    client.next_change("feed").await;
    client.send(json!({"type": "complete", "id": "feed"})).await;
    // The id is free again once completed, and nothing more comes for the old one.
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.create_software("two", &[]).await;
    client.assert_silent(Duration::from_millis(400)).await;
}

#[tokio::test]
async fn one_connection_runs_a_bounded_number_of_operations() {
    let app = sqlite(|b| b.feed(|feed| feed.max_operations_per_connection = 2)).await;
    let cursor = app.change_cursor().await;
    let mut client = WsClient::connect(app.addr).await;
    client.subscribe_changes("1", &cursor, None).await;
    client.subscribe_changes("2", &cursor, None).await;
    client.subscribe_changes("3", &cursor, None).await;
    let message = client.recv().await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(message["id"], "3");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "LIMIT_EXCEEDED"
    );
    // The two admitted subscriptions still work.
    app.create_software("seen twice", &[]).await;
    let first = client.recv().await;
    let second = client.recv().await;
    let mut ids = [first["id"].clone(), second["id"].clone()];
    ids.sort_by_key(|id| id.to_string());
    assert_eq!(ids, [json!("1"), json!("2")]);
}

#[tokio::test]
async fn connections_beyond_the_instance_limit_are_refused_with_503() {
    let app = sqlite(|b| b.feed(|feed| feed.max_connections = 2)).await;
    let _one = WsClient::connect(app.addr).await;
    let _two = WsClient::connect(app.addr).await;
    let refused = tokio_tungstenite::connect_async(format!("ws://{}/graphql/ws", app.addr)).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 503);
            assert!(response.headers().contains_key("retry-after"));
        }
        other => panic!("expected 503, got {other:?}"),
    }
    // A place frees when a connection ends.
    drop(_one);
    tokio::time::sleep(Duration::from_millis(200)).await;
    WsClient::connect(app.addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_disconnected() {
    let app = sqlite(|b| {
        b.feed(|feed| {
            feed.send_timeout = Duration::from_millis(500);
            feed.max_operations_per_connection = 1000;
        })
    })
    .await;
    let releases: Vec<(String, &str)> =
        (0..100).map(|n| (format!("{n}.0"), "2020-01-01")).collect();
    let releases: Vec<(&str, &str)> = releases.iter().map(|(v, d)| (v.as_str(), *d)).collect();
    for n in 0..20 {
        app.create_software(&format!("software {n}"), &releases)
            .await;
    }
    // Each answer is about 100 KB; the client asks for 400 of them and reads none.
    let mut client = WsClient::connect_with_small_buffer(app.addr).await;
    let query = "{ softwareList(first: 20) { nodes { displayName releases(first: 100) { id version releaseDate } } } }";
    for n in 0..400 {
        client.subscribe(&n.to_string(), query, json!({})).await;
    }
    // The server gives up on it: once the client reads again, what was sent before
    // arrives, then the socket ends.
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(30)
        && !app
            .metrics()
            .await
            .contains("swcat_websocket_slow_clients_disconnected_total 1")
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        client.drain_until_end(Duration::from_secs(5)).await,
        "the socket is still open"
    );
    // The server itself is fine.
    let mut healthy = WsClient::connect(app.addr).await;
    healthy
        .subscribe("q", "{ catalogChangeCursor }", json!({}))
        .await;
    healthy.next_payload("q").await;
}

#[tokio::test]
async fn a_subscription_over_http_is_refused_with_a_pointer_to_the_socket() {
    let app = sqlite(|b| b).await;
    let response = app.graphql(CHANGES, json!({})).await;
    assert_eq!(
        response.body["errors"][0]["extensions"]["code"], "BAD_REQUEST",
        "{:#}",
        response.body
    );
}

#[tokio::test]
async fn with_private_reads_queries_and_the_socket_need_a_token() {
    let app = sqlite(|b| b.api_tokens(&["s3cret"]).private_reads()).await;
    let query = "{ catalogChangeCursor }";
    app.graphql(query, json!({}))
        .await
        .assert_error("UNAUTHENTICATED");
    let allowed = app.graphql_as("Bearer s3cret", query, json!({})).await;
    assert!(allowed.data()["catalogChangeCursor"].is_string());

    let mut anonymous = WsClient::open(app.addr).await;
    anonymous.send(json!({"type": "connection_init"})).await;
    assert_eq!(anonymous.closed().await.0, 4403);

    let cursor = allowed.data()["catalogChangeCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut reader =
        WsClient::connect_with(app.addr, json!({"authorization": "Bearer s3cret"})).await;
    reader.subscribe_changes("feed", &cursor, None).await;
    let made = app
        .graphql_as(
            "Bearer s3cret",
            "mutation { createSoftware(input: {displayName: \"private\", maintainerEmail: \"m@example.org\"}) { id } }",
            json!({}),
        )
        .await;
    let id = made.data()["createSoftware"]["id"].clone();
    assert_eq!(reader.next_change("feed").await["softwareId"], id);
}

#[tokio::test]
async fn an_id_is_free_again_as_soon_as_its_operation_has_ended() {
    let app = sqlite(|b| b).await;
    let mut client = WsClient::connect(app.addr).await;
    // Ended by `complete` (a query) and by `error` (a refused subscription), each reused at
    // once, many times: the server must never see the id as taken (4409).
    for _ in 0..50 {
        client
            .subscribe("x", "{ catalogChangeCursor }", json!({}))
            .await;
        client.next_payload("x").await;
        assert_eq!(client.recv().await, json!({"type": "complete", "id": "x"}));
        client.subscribe_changes("x", "not a cursor", None).await;
        assert_eq!(client.recv().await["type"], "error");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_over_the_socket_takes_its_turn_with_the_requests_over_http() {
    let app = sqlite(|b| {
        b.pool(1, Duration::from_secs(10)).limits(|limits| {
            limits.max_concurrent_requests = 1;
            limits.max_queued_requests = 0;
        })
    })
    .await;
    let mut client = WsClient::connect(app.addr).await;
    let cursor = app.change_cursor().await;
    // The test holds the pool's one connection, so a request over HTTP takes the one turn
    // and keeps it while it waits for the connection.
    let txn = app.db.begin().await.unwrap();
    let (http, url) = (app.http.clone(), app.url("/graphql"));
    let over_http = tokio::spawn(async move {
        http.post(url)
            .json(&json!({"query": "{ softwareList { totalCount } }"}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!over_http.is_finished());

    // No turn is free and no place is left to wait: refused at once, as over HTTP.
    client
        .subscribe("q", "{ softwareList { totalCount } }", json!({}))
        .await;
    let message = client.recv().await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(message["id"], "q");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "SERVICE_UNAVAILABLE"
    );
    // A subscription waits for changes, not for a turn: it is not refused. (Its first
    // read waits for the connection the test holds.)
    client.subscribe_changes("feed", &cursor, None).await;

    txn.rollback().await.unwrap();
    assert_eq!(over_http.await.unwrap(), 200);
    client
        .subscribe("again", "{ softwareList { totalCount } }", json!({}))
        .await;
    let payload = client.next_payload("again").await;
    assert_eq!(payload["data"]["softwareList"]["totalCount"], 0);
    assert_eq!(
        client.recv().await,
        json!({"type": "complete", "id": "again"})
    );
    // The subscription started, and follows the changes.
    app.graphql(
        r#"mutation { createSoftware(input: {displayName: "a", maintainerEmail: "a@b.co"}) { id } }"#,
        json!({}),
    )
    .await
    .data();
    assert_eq!(client.next_change("feed").await["kind"], "SOFTWARE_CREATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_over_the_socket_is_cut_off_at_the_request_timeout() {
    let app = sqlite(|b| {
        b.pool(1, Duration::from_secs(10))
            .request_timeout(Duration::from_millis(300))
    })
    .await;
    let mut client = WsClient::connect(app.addr).await;
    // The query waits for the pool's one connection, which the test holds.
    let txn = app.db.begin().await.unwrap();
    let started = std::time::Instant::now();
    client
        .subscribe("q", "{ softwareList { totalCount } }", json!({}))
        .await;
    let message = client.recv().await;
    let waited = started.elapsed();
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "INTERNAL_SERVER_ERROR"
    );
    assert!(
        (Duration::from_millis(300)..Duration::from_secs(5)).contains(&waited),
        "{waited:?}"
    );
    txn.rollback().await.unwrap();
    // The socket stays usable.
    client
        .subscribe("again", "{ softwareList { totalCount } }", json!({}))
        .await;
    let payload = client.next_payload("again").await;
    assert_eq!(payload["data"]["softwareList"]["totalCount"], 0);
}
