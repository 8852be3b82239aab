//! With API tokens configured, mutations need a valid bearer token; queries do not.

use serde_json::json;
use swcat::config::{DatabaseArgs, ServeArgs};

use crate::helpers::{Backend, TestDatabase, count_rows, spawn_server_with};

const CREATE: &str = r#"mutation { createSoftware(input: {displayName: "curl", maintainerEmail: "a@b.co"}) { id } }"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_tokens_configured_mutations_need_a_valid_bearer_token() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let mut args = ServeArgs::new("127.0.0.1:0", DatabaseArgs::new(database.url.clone()));
    args.api_tokens = vec!["s3cret-one".into(), "s3cret-two".into()];
    let (addr, db) = spawn_server_with(args).await;
    let http = reqwest::Client::new();
    let post = |authorization: Option<&'static str>, query: &'static str| {
        let mut request = http
            .post(format!("http://{addr}/graphql"))
            .json(&json!({"query": query}));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };

    for authorization in [
        None,
        Some("Bearer wrong"),
        Some("s3cret-one"),
        Some("Basic s3cret-one"),
    ] {
        let body = post(authorization, CREATE).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{authorization:?}"
        );
    }
    assert_eq!(count_rows(&db, "software").await, 0);

    let body = post(Some("Bearer s3cret-two"), CREATE).await;
    assert!(body["data"]["createSoftware"]["id"].is_string(), "{body}");
    // Queries stay open.
    let body = post(None, "{ softwareList { totalCount } }").await;
    assert_eq!(body["data"]["softwareList"]["totalCount"], 1);
}
