//! What operators rely on: admission control, CORS, request ids, log lines and metrics.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use sea_orm::TransactionTrait;
use serde_json::{Value, json};

use crate::helpers::{AppBuilder, Backend, TestDatabase};

async fn sqlite_app(builder: impl FnOnce(AppBuilder) -> AppBuilder) -> crate::helpers::TestApp {
    builder(AppBuilder::owning(
        TestDatabase::create(Backend::Sqlite).await.unwrap(),
    ))
    .spawn()
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_running_and_waiting_requests_the_server_answers_503_with_retry_after() {
    let app = sqlite_app(|builder| {
        builder.pool(1, Duration::from_secs(10)).limits(|limits| {
            limits.max_concurrent_requests = 1;
            limits.max_queued_requests = 1;
        })
    })
    .await;
    // The test holds the pool's one connection, so the first request waits for it while
    // it runs, and the next ones wait for their turn, until the queue is full.
    let txn = app.db.begin().await.unwrap();
    let mut sent = Vec::new();
    for _ in 0..5 {
        let (http, url) = (app.http.clone(), app.url("/graphql"));
        sent.push(tokio::spawn(async move {
            let response = http
                .post(url)
                .json(&json!({"query": "{ softwareList { totalCount } }"}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let retry_after = response.headers().get("retry-after").cloned();
            let body: Value = response.json().await.unwrap();
            (status, retry_after, body)
        }));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Probes are not GraphQL requests: they answer while GraphQL is saturated.
    let health = app.http.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let mut refused = Vec::new();
    for request in &mut sent {
        if request.is_finished() {
            refused.push(request.await.unwrap());
        }
    }
    // One runs, one waits in the queue, and one more may be in hand between the two.
    assert!(refused.len() >= 2, "{refused:?}");
    for (status, retry_after, body) in &refused {
        assert_eq!(*status, 503, "{body}");
        assert_eq!(retry_after.as_ref().unwrap(), "1");
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "SERVICE_UNAVAILABLE"
        );
    }

    txn.rollback().await.unwrap();
    let mut admitted = 0;
    for request in sent {
        if !request.is_finished() {
            let (status, _, body) = request.await.unwrap();
            assert_eq!(status, 200, "{body}");
            admitted += 1;
        }
    }
    assert!((1..=3).contains(&admitted), "{admitted} admitted");
    app.teardown().await;
}

async fn preflight(app: &crate::helpers::TestApp, origin: &str) -> reqwest::Response {
    app.http
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, authorization",
        )
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_the_configured_origins_only() {
    let app = sqlite_app(|builder| builder.cors_origins(&["https://app.example.org"])).await;
    let allowed = preflight(&app, "https://app.example.org").await;
    assert!(allowed.status().is_success());
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.example.org"
    );
    let methods = allowed.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(methods.contains("POST"), "{methods}");
    let headers = allowed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        headers.contains("authorization") && headers.contains("content-type"),
        "{headers}"
    );

    let other = preflight(&app, "https://evil.example.com").await;
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let response = app
        .http
        .post(app.url("/graphql"))
        .header("origin", "https://evil.example.com")
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_configured_origins_any_origin_may_call() {
    let app = sqlite_app(|builder| builder).await;
    let response = preflight(&app, "https://anywhere.example").await;
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_id_is_taken_or_made_and_echoed() {
    let app = sqlite_app(|builder| builder).await;
    let response = app
        .http
        .post(app.url("/graphql"))
        .header("x-request-id", "req-42")
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "req-42");
    let response = app.http.get(app.url("/health")).send().await.unwrap();
    let made = response.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(made).is_ok(), "{made}");
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_operations_refusals_latency_and_pool_connections() {
    let app = sqlite_app(|builder| builder.limits(|limits| limits.max_aliases = 1)).await;
    let body = json!({"query": "query Catalog { softwareList { totalCount } }", "operationName": "Catalog"});
    for _ in 0..3 {
        let response = app
            .http
            .post(app.url("/graphql"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    app.graphql("{ a: __typename b: __typename }", json!({}))
        .await
        .assert_error("LIMIT_EXCEEDED");
    let response = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let value = |prefix: &str| -> f64 {
        text.lines()
            .find(|line| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in\n{text}"))
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(
        value(r#"swcat_graphql_requests_total{operation="Catalog",outcome="ok"}"#),
        3.0
    );
    assert_eq!(
        value(r#"swcat_graphql_requests_total{operation="(anonymous)",outcome="LIMIT_EXCEEDED"}"#),
        1.0
    );
    assert_eq!(value(r#"swcat_limit_refusals_total{limit="aliases"}"#), 1.0);
    assert_eq!(value("swcat_graphql_request_duration_seconds_count"), 4.0);
    assert!(value(r#"swcat_db_pool_connections{state="max"}"#) >= 1.0);
    assert!(text.contains(r#"swcat_db_pool_connections{state="in_use"}"#));
    app.teardown().await;
}

/// Runs the real binary with `env`, sends it one request, and answers its log lines.
async fn log_lines_of_one_request(env: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("swcat.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_swcat"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", &url])
        .envs(env.iter().copied())
        .env("SWCAT_LOG", "info")
        .api_token_free()
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let addr = loop {
        let Ok(line) = lines_rx.recv_timeout(Duration::from_secs(20)) else {
            child.kill().ok();
            panic!("the server did not say where it listens: {lines:#?}");
        };
        lines.push(line.clone());
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap_or_default().to_owned();
        }
    };
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/graphql"))
        .timeout(Duration::from_secs(10))
        .header("x-request-id", "trace-me-7")
        .header("authorization", "Bearer not-logged")
        .json(&json!({"query": "query Named { __typename }", "operationName": "Named"}))
        .send()
        .await;
    let status = response.map(|response| response.status());
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().ok();
    child.wait().ok();
    assert_eq!(status.unwrap(), 200);
    lines.extend(lines_rx.try_iter());
    lines
}

trait NoTokens {
    fn api_token_free(&mut self) -> &mut Self;
}

impl NoTokens for Command {
    /// The environment of the test process must not configure the child.
    fn api_token_free(&mut self) -> &mut Self {
        self.env_remove("SWCAT_API_TOKENS")
            .env_remove("DATABASE_URL")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_have_one_line_per_request_with_its_id_operation_and_status() {
    let lines = log_lines_of_one_request(&[("SWCAT_LOG_FORMAT", "json")]).await;
    let answered: Vec<Value> = lines
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "answered")
        .collect();
    assert_eq!(answered.len(), 1, "{lines:#?}");
    let line = &answered[0];
    assert_eq!(line["fields"]["status"], 200, "{line}");
    assert!(line["fields"]["latency_ms"].is_number(), "{line}");
    assert_eq!(line["span"]["request_id"], "trace-me-7", "{line}");
    assert_eq!(line["span"]["operation"], "Named", "{line}");
    assert_eq!(line["span"]["method"], "POST", "{line}");
    assert_eq!(line["span"]["path"], "/graphql", "{line}");
    let all = lines.join("\n");
    assert!(
        !all.contains("not-logged"),
        "a token reached the log: {all}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_logs_written_to_a_pipe_have_no_colour_codes() {
    let lines = log_lines_of_one_request(&[]).await;
    let all = lines.join("\n");
    assert!(
        all.contains("answered") && all.contains("trace-me-7"),
        "{all}"
    );
    assert!(!all.contains('\u{1b}'), "colour codes in a pipe: {all:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expensive_operations_take_turns_and_cheap_ones_do_not_wait_for_them() {
    let app = sqlite_app(|builder| {
        builder.pool(1, Duration::from_secs(10)).limits(|limits| {
            limits.max_cost = 1000;
            limits.max_expensive_requests = 1;
        })
    })
    .await;
    // Cost 10 × (1 + 50) = 510, over a tenth of the limit: expensive.
    let expensive = "{ softwareList(first: 10) { nodes { releases(first: 50) { id } } } }";
    // The test holds the pool's one connection: the first expensive operation takes the
    // turn and then waits for the database.
    let txn = app.db.begin().await.unwrap();
    let first = {
        let (http, url) = (app.http.clone(), app.url("/graphql"));
        tokio::spawn(async move {
            let response = http
                .post(url)
                .json(&json!({"query": expensive}))
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let second = app.graphql(expensive, json!({})).await;
    second.assert_error("SERVICE_UNAVAILABLE");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // A cheap operation does not wait for the turn.
    let started = std::time::Instant::now();
    app.graphql("{ __typename }", json!({})).await.data();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );

    txn.rollback().await.unwrap();
    let first = first.await.unwrap();
    assert!(first.get("errors").is_none(), "{first}");
    app.teardown().await;
}

/// SQLite's process-wide settings (`database.rs`): no memory statistics, which would take
/// one process-wide mutex to count every allocation, and mimalloc for its own allocations.
/// Every SQLite connection of this test process opens through the server's `connect`, so
/// they hold however many have been opened.
#[tokio::test]
async fn sqlite_allocates_from_mimalloc_without_counting() {
    let app = sqlite_app(|builder| builder).await;
    app.create_software("Counted", &[("1.0.0", "2024-01-01")])
        .await;
    // SAFETY: a read of SQLite's statistics, and a block SQLite allocates, looked up by
    // mimalloc (for any pointer) and freed by SQLite.
    unsafe {
        assert_eq!(
            libsqlite3_sys::sqlite3_memory_used(),
            0,
            "SQLite still counts its allocations"
        );
        let block = libsqlite3_sys::sqlite3_malloc(1000);
        assert!(!block.is_null());
        assert!(
            libmimalloc_sys::mi_is_in_heap_region(block),
            "SQLite allocates elsewhere than mimalloc"
        );
        libsqlite3_sys::sqlite3_free(block);
    }
    app.teardown().await;
}
