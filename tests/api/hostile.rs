//! Hostile input, generated (proptest) and sent to the running server over HTTP.
//!
//! Every answer must be a 2xx or 4xx whose errors carry a code (a clear HTTP error for what
//! is not GraphQL at all), never a 5xx, a stack trace or a dropped connection; and a request
//! that is refused changes nothing. `PROPTEST_CASES` sets how many cases each property
//! tries (default 256; CI runs 1,000; `PROPTEST_CASES=20000` for a long run). Values in
//! arguments run on every configured database; documents and bodies on SQLite.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app};

/// How many cases each property tries.
pub(crate) fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(256)
}

/// Runs `property` on `strategy` against one server on `backend` with some data in it
/// (nothing when the backend is not configured).
fn check<S: Strategy>(
    backend: Backend,
    strategy: S,
    property: impl Fn(&TestApp, &Seed, S::Value) -> Sent,
) where
    S::Value: std::fmt::Debug,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let Some(app) = runtime.block_on(spawn_app(backend)) else {
        return;
    };
    let seed = runtime.block_on(Seed::plant(&app));
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |value| {
            let sent = property(&app, &seed, value);
            runtime.block_on(sent.check(&app));
            Ok(())
        })
        .unwrap();
    runtime.block_on(app.teardown());
}

/// Data that every case can aim at.
struct Seed {
    software_id: String,
    release_id: String,
}

impl Seed {
    async fn plant(app: &TestApp) -> Self {
        let software_id = app
            .create_software("seed", &[("1.0", "2020-01-01"), ("2.0", "2021-01-01")])
            .await;
        app.create_software("other", &[("0.1", "2019-05-05")]).await;
        let response = app
            .graphql(
                "query($id: UUID!) { software(id: $id) { releases { id } } }",
                json!({"id": software_id}),
            )
            .await;
        let release_id = response.data()["software"]["releases"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        Self {
            software_id,
            release_id,
        }
    }
}

/// One hostile request, as raw HTTP.
struct Sent {
    method: reqwest::Method,
    path: String,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl std::fmt::Debug for Sent {
    /// The body cut to its start: a failing case must stay readable.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let start = String::from_utf8_lossy(&self.body[..self.body.len().min(300)]).into_owned();
        f.debug_struct("Sent")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("content_type", &self.content_type)
            .field("body_len", &self.body.len())
            .field("body_start", &start)
            .finish()
    }
}

impl Sent {
    fn graphql(query: &str, variables: Value) -> Self {
        Self::raw(
            Some("application/json"),
            serde_json::to_vec(&json!({"query": query, "variables": variables})).unwrap(),
        )
    }

    fn raw(content_type: Option<&str>, body: Vec<u8>) -> Self {
        Self {
            method: reqwest::Method::POST,
            path: "/graphql".to_owned(),
            content_type: content_type.map(str::to_owned),
            body,
        }
    }

    /// Sends it and checks the answer, and that a refused request changed nothing.
    async fn check(self, app: &TestApp) {
        let before = snapshot(app).await;
        let mut request = app
            .http
            .request(self.method.clone(), app.url(&self.path))
            .body(self.body.clone());
        if let Some(content_type) = &self.content_type {
            request = request.header("content-type", content_type);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|err| panic!("the connection failed: {err} for {self:?}"));
        let status = response.status().as_u16();
        let text = response
            .text()
            .await
            .unwrap_or_else(|err| panic!("the answer was cut: {err}"));
        assert!(
            (200..500).contains(&status),
            "{status} for {self:?}: {text}"
        );
        for leak in ["panicked", "stack backtrace", "sqlx", "SELECT "] {
            assert!(!text.contains(leak), "the answer leaks {leak:?}: {text}");
        }
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("not JSON ({status}): {text:?} for {self:?}"));
        let answers = match &body {
            Value::Array(items) => items.clone(),
            _ => vec![body.clone()],
        };
        let mut refused = status != 200;
        for answer in &answers {
            for error in answer["errors"].as_array().into_iter().flatten() {
                refused = true;
                let code = error["extensions"]["code"].as_str();
                assert!(
                    code.is_some(),
                    "an error without a code: {error} for {self:?}"
                );
                assert_ne!(code, Some("INTERNAL_SERVER_ERROR"), "{error} for {self:?}");
            }
        }
        if refused {
            assert_eq!(
                snapshot(app).await,
                before,
                "a refused request changed data: {self:?}"
            );
        }
    }
}

/// Everything in the catalog, read with plain SQL-free GraphQL.
async fn snapshot(app: &TestApp) -> Value {
    let response = app
        .graphql(
            "{ softwareList(first: 100) { totalCount nodes { id displayName maintainerName
                 maintainerEmail releases(first: 500) { id version releaseDate } } } }",
            json!({}),
        )
        .await;
    response.data().clone()
}

/// Any text: short or long, any Unicode, NULs, control characters, lone quotes.
pub(crate) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        2 => "\\PC{0,80}",
        1 => "[\\x00-\\x1f\"\\\\%_!{}]{0,40}",
        1 => (1usize..5).prop_map(|n| "é%\u{0}".repeat(n * 30_000)),
        1 => Just(String::new()),
        1 => Just("   ".to_owned()),
    ]
}

/// Any JSON value, including the wrong types.
pub(crate) fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::hash_map("[a-zA-Z]{1,12}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every argument of every operation, with a hostile value in one place.
const TARGETS: &[&str] = &[
    "query($v: String!) { softwareByName(displayName: $v) { id } }",
    "query($v: String) { softwareList(filter: {displayNameContains: $v}) { totalCount } }",
    "query($v: String) { softwareList(filter: {maintainerEmail: $v}) { totalCount } }",
    "query($v: String) { softwareList(after: $v) { totalCount } }",
    "query($v: String) { releases(after: $v) { totalCount } }",
    "query($v: UUID!) { software(id: $v) { id } }",
    "query($v: UUID!) { release(id: $v) { id } }",
    "query($v: UUID) { releases(filter: {softwareId: $v}) { totalCount } }",
    "query($v: Date) { releases(filter: {releasedFrom: $v}) { totalCount } }",
    "query($v: Int) { softwareList(first: $v) { totalCount } }",
    "query($id: UUID!, $v: Int) { software(id: $id) { releases(first: $v) { id } } }",
    "mutation($v: String!) { createSoftware(input: {displayName: $v, maintainerEmail: \"a@b.co\"}) { id } }",
    "mutation($v: String!) { createSoftware(input: {displayName: \"x\", maintainerEmail: $v}) { id } }",
    "mutation($v: String) { createSoftware(input: {displayName: \"seed\", maintainerName: $v, maintainerEmail: \"a@b.co\"}) { id } }",
    "mutation($v: String!) { createSoftware(input: {displayName: \"seed\", maintainerEmail: \"a@b.co\", releases: [{version: $v, releaseDate: \"2020-01-01\"}]}) { id } }",
    "mutation($v: Date!) { createSoftware(input: {displayName: \"seed\", maintainerEmail: \"a@b.co\", releases: [{version: \"1\", releaseDate: $v}]}) { id } }",
    "mutation($id: UUID!, $v: String) { updateSoftware(id: $id, input: {displayName: $v}) { id } }",
    "mutation($id: UUID!, $v: String) { updateSoftware(id: $id, input: {maintainerEmail: $v}) { id } }",
    "mutation($v: UUID!) { deleteSoftware(id: $v) { deletedSoftwareId } }",
    "mutation($id: UUID!, $v: String!) { createRelease(input: {softwareId: $id, version: $v, releaseDate: \"2020-01-01\"}) { id } }",
    "mutation($id: UUID!, $v: Date!) { createRelease(input: {softwareId: $id, version: \"1.0\", releaseDate: $v}) { id } }",
    "mutation($rid: UUID!, $v: String) { updateRelease(id: $rid, input: {version: $v}) { id } }",
    "mutation($rid: UUID!, $v: Date) { updateRelease(id: $rid, input: {releaseDate: $v}) { id } }",
    "mutation($v: UUID!) { deleteRelease(id: $v) { deletedReleaseId } }",
];

#[test]
fn hostile_values_in_every_argument_are_answered_with_a_code_and_change_nothing_when_refused() {
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::MySql] {
        hostile_values_in_every_argument(backend);
    }
}

fn hostile_values_in_every_argument(backend: Backend) {
    let strategy = (0..TARGETS.len(), json_value());
    check(
        backend,
        strategy,
        |_, seed, (target, value): (usize, Value)| {
            // The seed's ids take part, so that the hostile value is the only thing wrong; a
            // valid value may really create or change something, which is then allowed.
            let variables = json!({"v": value, "id": seed.software_id, "rid": seed.release_id});
            Sent::graphql(TARGETS[target], variables)
        },
    );
}

#[test]
fn hostile_documents_are_answered_with_a_code() {
    let field = prop_oneof![
        Just("softwareList(first: 100) { nodes { releases { software { releases { id } } } } }"),
        Just("__typename"),
        Just("softwareList { totalCount }"),
        Just("nope"),
        Just("software(id: \"x\") { id }"),
        Just("releases(first: -1) { totalCount }"),
        Just("__schema { types { name } }"),
    ];
    let document = prop_oneof![
        // Wide, aliased.
        (field.clone(), 1usize..80).prop_map(|(field, n)| {
            let fields: Vec<String> = (0..n).map(|i| format!("a{i}: {field}")).collect();
            format!("{{ {} }}", fields.join(" "))
        }),
        // Deep.
        (1usize..120).prop_map(|depth| {
            let mut inner = String::from("id");
            for level in 0..depth {
                let name = if level % 2 == 0 {
                    "releases"
                } else {
                    "software"
                };
                inner = format!("{name} {{ {inner} }}");
            }
            format!("{{ softwareList {{ nodes {{ {inner} }} }} }}")
        }),
        // Arbitrary text, and truncations of a real document.
        text(),
        (0usize..60).prop_map(|cut| {
            let real = "query Q($id: UUID!) { software(id: $id) { id releases { version } } }";
            real.chars().take(cut).collect()
        }),
    ];
    // Documents of several operations, and any operationName.
    let operations = prop_oneof![
        Just("query A { __typename } query B { softwareList { totalCount } }".to_owned()),
        Just("query A { __typename }".to_owned()),
        Just("{ __typename }".to_owned()),
        Just(
            "query A { __typename } mutation B { deleteRelease(id: \"x\") { deletedReleaseId } }"
                .to_owned()
        ),
    ];
    let operation_name = prop_oneof![
        Just(Value::Null),
        json_value(),
        "[AB]".prop_map(Value::String)
    ];
    let named = (operations, operation_name);
    check(
        Backend::Sqlite,
        prop_oneof![document.prop_map(|document| (document, Value::Null)), named,],
        |_, _, (document, operation_name)| {
            let body = json!({"query": document, "operationName": operation_name});
            Sent::raw(Some("application/json"), serde_json::to_vec(&body).unwrap())
        },
    );
}

#[test]
fn hostile_bodies_and_content_types_get_clear_http_errors() {
    let real = br#"{"query":"{ softwareList { totalCount } }"}"#.to_vec();
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2000),
        (0..real.len()).prop_map(move |cut| real[..cut].to_vec()),
        json_value().prop_map(|value| serde_json::to_vec(&value).unwrap()),
        (0usize..60).prop_map(|n| {
            // Batches of every size, some over the limit.
            serde_json::to_vec(&vec![json!({"query": "{ __typename }"}); n]).unwrap()
        }),
        (1usize..4).prop_map(|n| vec![b' '; n * 1024 * 1024]),
        json_value().prop_map(|value| {
            // A request with unknown and wrongly typed members.
            serde_json::to_vec(
                &json!({"query": "{ __typename }", "variables": value, "extra": value}),
            )
            .unwrap()
        }),
    ];
    let content_type = prop_oneof![
        Just(Some("application/json")),
        Just(Some("application/json; charset=utf-8")),
        Just(Some("text/plain")),
        Just(Some("application/graphql")),
        Just(Some("multipart/form-data; boundary=x")),
        Just(None),
    ];
    let method = prop_oneof![
        Just(reqwest::Method::POST),
        Just(reqwest::Method::GET),
        Just(reqwest::Method::PUT),
        Just(reqwest::Method::DELETE),
    ];
    let path = prop_oneof![
        Just("/graphql".to_owned()),
        Just("/graphql?query=%7B__typename%7D".to_owned()),
        "/graphql\\?query=[a-z%{}]{0,40}",
        Just("/nowhere".to_owned()),
    ];
    check(
        Backend::Sqlite,
        (body, content_type, method, path),
        |_, _, (body, content_type, method, path)| Sent {
            method,
            path,
            content_type: content_type.map(str::to_owned),
            body,
        },
    );
}
