//! The HTTP surface: routes, GraphiQL, GET queries, status codes and query limits.

use serde_json::json;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    health_and_ready_answer_200_while_the_database_answers,
    a_browser_gets_graphiql_at_the_graphql_route,
    get_runs_queries_but_refuses_mutations,
    a_body_that_is_not_a_graphql_request_is_a_400,
    a_six_level_query_is_served_and_a_fifty_level_one_refused,
    the_schema_can_be_introspected_for_graphiql_and_codegen,
    batched_requests_are_answered_in_order,
);

async fn health_and_ready_answer_200_while_the_database_answers(app: &TestApp) {
    for path in ["/health", "/ready"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

async fn a_browser_gets_graphiql_at_the_graphql_route(app: &TestApp) {
    let response = app
        .http
        .get(app.url("/graphql"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.to_lowercase().contains("graphiql"));
    let response = app.http.get(app.url("/graphql")).send().await.unwrap();
    assert_eq!(response.status(), 400);
}

async fn get_runs_queries_but_refuses_mutations(app: &TestApp) {
    app.create_software("curl", &[]).await;
    let response = app
        .http
        .get(app.url("/graphql"))
        .query(&[("query", "{ softwareList { totalCount } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["softwareList"]["totalCount"], 1);

    let response = app
        .http
        .get(app.url("/graphql"))
        .query(&[(
            "query",
            r#"mutation { createSoftware(input: {displayName: "x", maintainerEmail: "a@b.co"}) { id } }"#,
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(app.count_rows("software").await, 1);
}

async fn a_body_that_is_not_a_graphql_request_is_a_400(app: &TestApp) {
    for body in ["not json", "{\"nope\": 1}", "[1, 2]"] {
        let response = app
            .http
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let text = response.text().await.unwrap().to_lowercase();
        assert!(!text.contains("panicked"), "{text}");
    }
}

async fn a_six_level_query_is_served_and_a_fifty_level_one_refused(app: &TestApp) {
    app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    let response = app
        .graphql(
            "{ softwareList { nodes { releases { software { releases { software { id } } } } } } }",
            json!({}),
        )
        .await;
    let nodes = &response.data()["softwareList"]["nodes"];
    assert!(nodes[0]["releases"][0]["software"]["releases"][0]["software"]["id"].is_string());

    let mut deep = String::from("id");
    for level in 0..47 {
        deep = if level % 2 == 0 {
            format!("releases {{ {deep} }}")
        } else {
            format!("software {{ {deep} }}")
        };
    }
    let deep = format!("{{ softwareList {{ nodes {{ {deep} }} }} }}");
    let started = std::time::Instant::now();
    let response = app.graphql(&deep, json!({})).await;
    assert!(response.body["errors"].is_array(), "{:#}", response.body);
    assert!(response.body["data"].is_null());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

async fn the_schema_can_be_introspected_for_graphiql_and_codegen(app: &TestApp) {
    // The shape of GraphiQL's own introspection query, nested ofType included.
    let query = r#"
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) {
            name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
          }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name
            ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
        }"#;
    let response = app.graphql(query, json!({})).await;
    let types = response.data()["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Software"));
    assert!(types.iter().any(|t| t["name"] == "UUID"));
}

async fn batched_requests_are_answered_in_order(app: &TestApp) {
    let response = app
        .http
        .post(app.url("/graphql"))
        .json(&json!([
            {"query": "{ softwareList { totalCount } }"},
            {"query": "{ releases { totalCount } }"},
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body[0]["data"]["softwareList"]["totalCount"], 0);
    assert_eq!(body[1]["data"]["releases"]["totalCount"], 0);
}
