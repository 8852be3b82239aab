//! Persisted documents: Apollo's automatic persisted queries shared by every instance
//! through the database, and trusted documents (`--trusted-documents`).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::backend_tests;
use crate::helpers::{AppBuilder, Backend, GqlResponse, TestApp, TestDatabase, graphql_at};
use crate::ws_client::WsClient;

backend_tests!(a_query_registered_on_one_instance_runs_by_its_hash_on_another);

const LIST: &str = "{ softwareList { totalCount } }";

fn sha256(document: &str) -> String {
    format!("{:x}", Sha256::digest(document.as_bytes()))
}

fn apq(hash: &str) -> Value {
    json!({"persistedQuery": {"version": 1, "sha256Hash": hash}})
}

/// POSTs `body` to `addr` and answers the decoded response and its `Cache-Control`.
async fn post(app: &TestApp, addr: std::net::SocketAddr, body: Value) -> (GqlResponse, String) {
    let response = app
        .http
        .post(format!("http://{addr}/graphql"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let cache = header(&response, "cache-control");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap();
    (GqlResponse { status, body }, cache)
}

/// GETs `/graphql` with `params` and answers the decoded response and its `Cache-Control`.
async fn get(app: &TestApp, params: &[(&str, String)]) -> (GqlResponse, String) {
    let response = app
        .http
        .get(app.url("/graphql"))
        .query(params)
        .send()
        .await
        .unwrap();
    let cache = header(&response, "cache-control");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap();
    (GqlResponse { status, body }, cache)
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn a_query_registered_on_one_instance_runs_by_its_hash_on_another(a: &TestApp) {
    let b = AppBuilder::new(a.url.clone()).spawn().await;
    let hash = sha256(LIST);

    // Unknown: not found, and not to be cached.
    let (missed, cache) = post(a, a.addr, json!({"extensions": apq(&hash)})).await;
    missed.assert_error("PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(
        missed.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    assert_eq!(cache, "no-cache");

    // Sent again with the query, on A: run and registered.
    let (registered, _) = post(a, a.addr, json!({"query": LIST, "extensions": apq(&hash)})).await;
    assert_eq!(registered.data()["softwareList"]["totalCount"], 0);

    // B knows it by its hash alone, on POST and on GET (where HTTP caches may keep it).
    let (by_hash, _) = post(a, b.addr, json!({"extensions": apq(&hash)})).await;
    assert_eq!(by_hash.data()["softwareList"]["totalCount"], 0);
    let (by_get, cache) = get(&b, &[("extensions", apq(&hash).to_string())]).await;
    assert_eq!(by_get.data()["softwareList"]["totalCount"], 0);
    assert!(cache.starts_with("public, max-age="), "{cache:?}");
    // And by the spec's `documentId`.
    let (by_id, _) = post(a, b.addr, json!({"documentId": format!("sha256:{hash}")})).await;
    assert_eq!(by_id.data()["softwareList"]["totalCount"], 0);
}

#[tokio::test]
async fn a_query_that_is_not_the_document_of_its_hash_is_refused_and_not_registered() {
    let app = sqlite(|b| b).await;
    let wrong = sha256("{ __typename }");
    let (refused, _) = post(
        &app,
        app.addr,
        json!({"query": LIST, "extensions": apq(&wrong)}),
    )
    .await;
    refused.assert_error("BAD_REQUEST");
    assert_eq!(app.count_rows("persisted_query").await, 0);
    let (missed, _) = post(&app, app.addr, json!({"extensions": apq(&wrong)})).await;
    missed.assert_error("PERSISTED_QUERY_NOT_FOUND");
    let (malformed, _) = post(
        &app,
        app.addr,
        json!({"extensions": {"persistedQuery": {"version": 2, "sha256Hash": wrong}}}),
    )
    .await;
    malformed.assert_error("BAD_REQUEST");
}

#[tokio::test]
async fn in_a_batch_an_unknown_hash_fails_alone() {
    let app = sqlite(|b| b).await;
    let (answered, _) = post(
        &app,
        app.addr,
        json!([
            {"query": "{ catalogChangeCursor }"},
            {"extensions": apq(&sha256("{ nope }"))},
            {"query": LIST},
        ]),
    )
    .await;
    let answers = answered.body.as_array().unwrap();
    assert_eq!(answers.len(), 3, "{:#}", answered.body);
    assert!(answers[0]["data"]["catalogChangeCursor"].is_string());
    assert_eq!(
        answers[1]["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
    assert_eq!(answers[2]["data"]["softwareList"]["totalCount"], 0);
}

#[tokio::test]
async fn a_mutation_sent_by_hash_over_get_is_still_refused() {
    let app = sqlite(|b| b).await;
    let mutation = "mutation { deleteSoftware(id: \"00000000-0000-0000-0000-000000000000\") { deletedSoftwareId } }";
    let hash = sha256(mutation);
    post(
        &app,
        app.addr,
        json!({"query": mutation, "extensions": apq(&hash)}),
    )
    .await;
    let response = app
        .http
        .get(app.url("/graphql"))
        .query(&[("extensions", apq(&hash).to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
}

async fn sqlite(builder: impl FnOnce(AppBuilder) -> AppBuilder) -> TestApp {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    builder(AppBuilder::owning(database)).spawn().await
}

const CHANGES: &str = "subscription { catalogChanges { kind softwareId } }";
const CREATE: &str = "mutation($name: String!) { createSoftware(input: {displayName: $name, maintainerEmail: \"t@example.org\"}) { id } }";

/// A `persisted-documents.json` as graphql-codegen's client preset writes it.
fn trusted_file(dir: &std::path::Path, documents: &[&str]) -> std::path::PathBuf {
    let map: serde_json::Map<String, Value> = documents
        .iter()
        .map(|document| (sha256(document), json!(document)))
        .collect();
    let path = dir.join("persisted-documents.json");
    std::fs::write(&path, Value::Object(map).to_string()).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_trusted_documents_only_those_run_on_every_instance() {
    let dir = tempfile::tempdir().unwrap();
    let path = trusted_file(dir.path(), &[LIST, CHANGES, CREATE]);
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let url = database.url.clone();
    let a = AppBuilder::owning(database)
        .trusted_documents(&path)
        .spawn()
        .await;
    let b = AppBuilder::new(url).trusted_documents(&path).spawn().await;
    let id = format!("sha256:{}", sha256(LIST));

    for addr in [a.addr, b.addr] {
        let (by_id, _) = post(&a, addr, json!({"documentId": id})).await;
        assert_eq!(by_id.data()["softwareList"]["totalCount"], 0);
        let (by_apq, _) = post(&a, addr, json!({"extensions": apq(&sha256(LIST))})).await;
        assert_eq!(by_apq.data()["softwareList"]["totalCount"], 0);
        // The trusted document sent in full is the same document.
        let in_full = graphql_at(&a.http, addr, LIST, json!({})).await;
        assert_eq!(in_full.data()["softwareList"]["totalCount"], 0);
        // Anything else is refused, and nothing is registered.
        graphql_at(&a.http, addr, "{ catalogChangeCursor }", json!({}))
            .await
            .assert_error("PERSISTED_QUERY_NOT_IN_LIST");
        let (registering, _) = post(
            &a,
            addr,
            json!({"query": "{ catalogChangeCursor }", "extensions": apq(&sha256("{ catalogChangeCursor }"))}),
        )
        .await;
        registering.assert_error("PERSISTED_QUERY_NOT_IN_LIST");
        let (unknown, _) = post(
            &a,
            addr,
            json!({"documentId": format!("sha256:{}", sha256("{ x }"))}),
        )
        .await;
        unknown.assert_error("PERSISTED_QUERY_NOT_FOUND");
    }
    assert_eq!(a.count_rows("persisted_query").await, 0);
    let (by_get, _) = get(&b, &[("documentId", id.clone())]).await;
    assert_eq!(by_get.data()["softwareList"]["totalCount"], 0);

    // The socket obeys the same list.
    let mut client = WsClient::connect(a.addr).await;
    client
        .subscribe(
            "other",
            "subscription { catalogChanges { cursor } }",
            json!({}),
        )
        .await;
    let refused = client.recv().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_IN_LIST"
    );
    client
        .send(json!({"type": "subscribe", "id": "trusted", "payload": {
            "documentId": format!("sha256:{}", sha256(CHANGES)),
        }}))
        .await;
    // The protocol does not say when a subscription has started: give it a moment, then
    // make a change through a trusted mutation on the other instance.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (made, _) = post(
        &a,
        b.addr,
        json!({"documentId": format!("sha256:{}", sha256(CREATE)), "variables": {"name": "trusted"}}),
    )
    .await;
    let id = made.data()["createSoftware"]["id"].clone();
    let change = client.next_payload("trusted").await;
    assert_eq!(
        change["data"]["catalogChanges"]["softwareId"], id,
        "{change}"
    );
    a.teardown().await;
}

#[tokio::test]
async fn trusted_documents_listed_under_another_hash_stop_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("persisted-documents.json");
    // sha1, as older client presets wrote by default.
    std::fs::write(
        &path,
        json!({"a9993e364706816aba3e25717850c26c9cd0d89d": LIST}).to_string(),
    )
    .unwrap();
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let mut settings = swcat::settings::Settings::new(database.url.clone());
    settings.listen = "127.0.0.1:0".into();
    settings.trusted_documents = Some(path);
    let Err(err) = swcat::startup::Application::build(&settings).await else {
        panic!("the server started with trusted documents under the wrong hashes");
    };
    assert!(err.to_string().contains("sha256"), "{err}");
}
