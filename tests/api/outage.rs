//! The database going away and coming back, through a TCP proxy the test cuts.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

use crate::helpers::{AppBuilder, Backend, TestApp, TestDatabase, graphql_at};

/// A TCP proxy to the database that a test can cut (every connection dropped, new ones
/// closed at once), freeze (connections stay open but nothing gets through: a database that
/// stops answering) and restore.
struct TcpProxy {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    frozen: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
}

impl TcpProxy {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let frozen = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (up_, frozen_, connections_) = (up.clone(), frozen.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if !up_.load(Ordering::SeqCst) {
                    continue; // dropped: the connection closes at once
                }
                let (upstream, frozen) = (upstream.clone(), frozen_.clone());
                let task = tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    tokio::join!(
                        pump(client_read, server_write, frozen.clone()),
                        pump(server_read, client_write, frozen),
                    );
                });
                connections_.lock().unwrap().push(task.abort_handle());
            }
        });
        Self {
            addr,
            up,
            frozen,
            connections,
        }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    fn freeze(&self) {
        self.frozen.store(true, Ordering::SeqCst);
    }

    fn restore(&self) {
        self.frozen.store(false, Ordering::SeqCst);
        self.up.store(true, Ordering::SeqCst);
    }
}

/// Copies bytes from one side to the other, holding them while `frozen`.
async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, frozen: Arc<AtomicBool>) {
    let mut buffer = vec![0; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        while frozen.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}

/// Where the `host:port` of a database URL starts and ends.
fn authority_span(url: &str) -> (usize, usize) {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let start = url[scheme_end..]
        .find('@')
        .map_or(scheme_end, |i| scheme_end + i + 1);
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    (start, end)
}

/// The `host:port` of a database URL.
fn authority(url: &str) -> String {
    let (start, end) = authority_span(url);
    url[start..end].to_owned()
}

/// `url` with its `host:port` replaced by `addr`.
fn with_authority(url: &str, addr: SocketAddr) -> String {
    let (start, end) = authority_span(url);
    format!("{}{addr}{}", &url[..start], &url[end..])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_fails_requests_fast_and_the_server_recovers() {
    database_going_away_fails_requests_fast_and_the_server_recovers(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_going_away_fails_requests_fast_and_the_server_recovers() {
    database_going_away_fails_requests_fast_and_the_server_recovers(Backend::MySql).await;
}

async fn database_going_away_fails_requests_fast_and_the_server_recovers(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let proxy = TcpProxy::start(authority(&database.url)).await;
    let through_proxy = with_authority(&database.url, proxy.addr);
    let app = AppBuilder::owning(database)
        .connect_to(through_proxy)
        .pool(4, Duration::from_secs(1))
        .spawn()
        .await;
    let addr = app.addr;
    app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    let list = "{ softwareList { totalCount nodes { displayName releases { version } } } }";

    proxy.cut();
    for _ in 0..3 {
        let started = Instant::now();
        let response = graphql_at(&app.http, addr, list, json!({})).await;
        response.assert_error("INTERNAL_SERVER_ERROR");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
    }
    let started = Instant::now();
    let response = app
        .graphql(
            "mutation { createSoftware(input: {displayName: \"wget\", maintainerEmail: \"a@b.co\"}) { id } }",
            json!({}),
        )
        .await;
    response.assert_error("INTERNAL_SERVER_ERROR");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
    let ready = app.http.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let health = app.http.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    proxy.restore();
    // The one software is still there: the refused mutation changed nothing.
    assert_eq!(total_count_once_recovered(&app).await, 1);
    let ready = app.http.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_that_stops_answering_fails_requests_within_the_deadline_and_recovers() {
    frozen_database_fails_requests_within_the_deadline_and_recovers(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_that_stops_answering_fails_requests_within_the_deadline_and_recovers() {
    frozen_database_fails_requests_within_the_deadline_and_recovers(Backend::MySql).await;
}

/// The database accepts packets but answers nothing: no connection error ever comes, so
/// only the server's own deadlines (acquire timeout, request timeout) end the wait.
async fn frozen_database_fails_requests_within_the_deadline_and_recovers(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let proxy = TcpProxy::start(authority(&database.url)).await;
    let through_proxy = with_authority(&database.url, proxy.addr);
    let app = AppBuilder::owning(database)
        .connect_to(through_proxy)
        .pool(4, Duration::from_secs(1))
        .request_timeout(Duration::from_secs(2))
        .spawn()
        .await;
    let addr = app.addr;
    app.create_software("curl", &[("1.0", "2020-01-01")]).await;

    proxy.freeze();
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..3 {
        let http = app.http.clone();
        requests.spawn(async move {
            let started = Instant::now();
            let response = graphql_at(
                &http,
                addr,
                "mutation { createSoftware(input: {displayName: \"wget\", maintainerEmail: \"a@b.co\"}) { id } }",
                json!({}),
            )
            .await;
            (started.elapsed(), response)
        });
    }
    while let Some(outcome) = requests.join_next().await {
        let (elapsed, response) = outcome.unwrap();
        response.assert_error("INTERNAL_SERVER_ERROR");
        assert!(elapsed < Duration::from_secs(6), "took {elapsed:?}");
    }
    let ready = app.http.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 503);

    proxy.restore();
    // The mutations that timed out changed nothing.
    assert_eq!(total_count_once_recovered(&app).await, 1);
    app.teardown().await;
}

/// Polls until the server answers queries again (at most 20 s); answers `totalCount` then.
async fn total_count_once_recovered(app: &TestApp) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let response = app
            .graphql("{ softwareList { totalCount } }", json!({}))
            .await;
        if response.body.get("errors").is_none() {
            return response.data()["softwareList"]["totalCount"].clone();
        }
        assert!(
            Instant::now() < deadline,
            "no recovery: {:#}",
            response.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
