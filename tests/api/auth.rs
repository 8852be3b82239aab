//! With API tokens configured, every mutation needs a valid bearer token; queries do not.

use serde_json::{Value, json};

use crate::helpers::{AppBuilder, Backend, TestApp, TestDatabase};

const CREATE: &str = r#"mutation { createSoftware(input: {displayName: "curl", maintainerEmail: "a@b.co"}) { id } }"#;

async fn spawn_with_tokens() -> TestApp {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    AppBuilder::owning(database)
        .api_tokens(&["s3cret-one", "s3cret-two"])
        .spawn()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_tokens_configured_mutations_need_a_valid_bearer_token() {
    let app = spawn_with_tokens().await;
    app.graphql(CREATE, json!({}))
        .await
        .assert_error("UNAUTHENTICATED");
    for authorization in ["Bearer wrong", "s3cret-one", "Basic s3cret-one", "Bearer "] {
        app.graphql_as(authorization, CREATE, json!({}))
            .await
            .assert_error("UNAUTHENTICATED");
    }
    assert_eq!(app.count_rows("software").await, 0);

    let response = app.graphql_as("Bearer s3cret-two", CREATE, json!({})).await;
    assert!(response.data()["createSoftware"]["id"].is_string());
    // Queries stay open.
    let response = app
        .graphql("{ softwareList { totalCount } }", json!({}))
        .await;
    assert_eq!(response.data()["softwareList"]["totalCount"], 1);
    app.teardown().await;
}

/// Every mutation field the schema has, read by introspection, so that a mutation added
/// later is covered without touching this test.
async fn mutation_fields(app: &TestApp) -> Vec<String> {
    let response = app
        .graphql(
            "{ __schema { mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    response.data()["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| field["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mutation_in_the_schema_is_refused_without_a_token() {
    let app = spawn_with_tokens().await;
    let id = app
        .graphql_as("Bearer s3cret-one", CREATE, json!({}))
        .await
        .data()["createSoftware"]["id"]
        .clone();
    let fields = mutation_fields(&app).await;
    assert!(fields.len() >= 6, "{fields:?}");
    for field in &fields {
        // Arguments are left out: write access is checked for the operation, before the
        // document is validated, so not even the shape of the call is looked at.
        let document = format!("mutation {{ {field} {{ __typename }} }}");
        let anonymous = app.graphql(&document, json!({})).await;
        anonymous.assert_error("UNAUTHENTICATED");
        assert!(
            anonymous.body.get("data").is_none_or(Value::is_null),
            "{field}: {:#}",
            anonymous.body
        );
        // With a token the same document gets as far as validation.
        let with_token = app
            .graphql_as("Bearer s3cret-two", &document, json!({}))
            .await;
        assert_eq!(
            with_token.error_code(),
            "GRAPHQL_VALIDATION_FAILED",
            "{field}"
        );
        // In a document of several operations, the one that runs is what counts.
        let named =
            format!("query Read {{ __typename }} mutation Write {{ {field} {{ __typename }} }}");
        let body: Value = app
            .http
            .post(app.url("/graphql"))
            .json(&json!({"query": named, "operationName": "Write"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{field}"
        );
    }
    // Nothing was changed by any refused request.
    assert_eq!(app.count_rows("software").await, 1);
    let response = app
        .graphql(
            "query($id: UUID!) { software(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(response.data()["software"]["id"], id);
    app.teardown().await;
}

/// A request that passed its checks is remembered with its cost, so that the same request
/// is not validated again; who sent it is still checked every time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mutation_that_passed_with_a_token_is_refused_when_sent_again_without_one() {
    let app = spawn_with_tokens().await;
    let delete = "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedReleaseIds } }";
    let missing = json!({ "id": "00000000-0000-4000-8000-000000000000" });
    let created = app.graphql_as("Bearer s3cret-one", CREATE, json!({})).await;
    assert!(created.data()["createSoftware"]["id"].is_string());
    // Both pass every check, then fail: nothing to delete, and the name is taken.
    app.graphql_as("Bearer s3cret-one", delete, missing.clone())
        .await
        .assert_error("NOT_FOUND");
    app.graphql_as("Bearer s3cret-two", CREATE, json!({}))
        .await
        .assert_error("CONFLICT");
    // The same documents and variables, without a token or with a wrong one.
    for _ in 0..2 {
        for authorization in [None, Some("Bearer wrong")] {
            for (query, variables) in [(delete, missing.clone()), (CREATE, json!({}))] {
                let response = match authorization {
                    Some(authorization) => app.graphql_as(authorization, query, variables).await,
                    None => app.graphql(query, variables).await,
                };
                response.assert_error("UNAUTHENTICATED");
            }
        }
    }
    assert_eq!(app.count_rows("software").await, 1);
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_read_that_passed_with_a_token_is_refused_when_sent_again_without_one() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let app = AppBuilder::owning(database)
        .api_tokens(&["s3cret"])
        .private_reads()
        .spawn()
        .await;
    let read = "query($n: Int) { softwareList(first: $n) { totalCount } }";
    let response = app
        .graphql_as("Bearer s3cret", read, json!({ "n": 5 }))
        .await;
    assert_eq!(response.data()["softwareList"]["totalCount"], 0);
    for _ in 0..2 {
        app.graphql(read, json!({ "n": 5 }))
            .await
            .assert_error("UNAUTHENTICATED");
    }
    app.teardown().await;
}
