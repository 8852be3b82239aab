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
    answers_are_in_the_media_type_the_client_accepts,
    with_graphql_response_json_a_request_that_fails_before_execution_is_a_400_without_data,
    a_post_that_is_not_json_is_a_415,
    fields_are_answered_in_the_order_they_were_asked_for,
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

async fn post_with(
    app: &TestApp,
    accept: Option<&str>,
    body: serde_json::Value,
) -> (u16, String, serde_json::Value) {
    let mut request = app.http.post(app.url("/graphql")).json(&body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, content_type, response.json().await.unwrap())
}

async fn answers_are_in_the_media_type_the_client_accepts(app: &TestApp) {
    let query = json!({"query": "{ __typename }"});
    for accept in [None, Some("*/*"), Some("application/json")] {
        let (status, content_type, body) = post_with(app, accept, query.clone()).await;
        assert_eq!(status, 200);
        assert!(
            content_type.starts_with("application/json"),
            "{accept:?}: {content_type}"
        );
        assert_eq!(body["data"]["__typename"], "Query");
    }
    let (_, content_type, _) = post_with(
        app,
        Some("application/graphql-response+json"),
        query.clone(),
    )
    .await;
    assert!(
        content_type.starts_with("application/graphql-response+json"),
        "{content_type}"
    );
    let response = app
        .http
        .post(app.url("/graphql"))
        .header("accept", "text/csv")
        .json(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 406);
}

async fn with_graphql_response_json_a_request_that_fails_before_execution_is_a_400_without_data(
    app: &TestApp,
) {
    let strict = Some("application/graphql-response+json");
    for (query, variables, code) in [
        ("{", json!({}), "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", json!({}), "GRAPHQL_VALIDATION_FAILED"),
        (
            "query($n: Int) { softwareList(first: $n) { totalCount } }",
            json!({"n": "many"}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ] {
        let body = json!({"query": query, "variables": variables});
        let (status, _, answer) = post_with(app, strict, body.clone()).await;
        assert_eq!(status, 400, "{query}: {answer}");
        assert!(answer.get("data").is_none(), "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], code);
        // With application/json the same failure is a 200, as it always was.
        let (status, _, answer) = post_with(app, None, body).await;
        assert_eq!(status, 200);
        assert_eq!(answer["errors"][0]["extensions"]["code"], code);
    }
    // An execution error is still a 200: the request itself was fine.
    let missing = "mutation { deleteSoftware(id: \"00000000-0000-0000-0000-000000000000\") { deletedSoftwareId } }";
    let (status, _, answer) = post_with(app, strict, json!({"query": missing})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

async fn a_post_that_is_not_json_is_a_415(app: &TestApp) {
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = app
            .http
            .post(app.url("/graphql"))
            .body(r#"{"query":"{ __typename }"}"#);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 415, "{content_type:?}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    }
    let response = app
        .http
        .post(app.url("/graphql"))
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"query":"{ __typename }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn fields_are_answered_in_the_order_they_were_asked_for(app: &TestApp) {
    let id = app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    let response = app
        .http
        .post(app.url("/graphql"))
        .json(&json!({
            "query": "query($id: UUID!) { software(id: $id) { maintainerEmail id displayName releases { version id } } }",
            "variables": {"id": id},
        }))
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let at = |key: &str| {
        text.find(&format!("\"{key}\""))
            .unwrap_or_else(|| panic!("{key} in {text}"))
    };
    assert!(at("maintainerEmail") < at("id"), "{text}");
    assert!(at("id") < at("displayName"), "{text}");
    assert!(
        at("version") < at("releases") + 40 && at("displayName") < at("releases"),
        "{text}"
    );
}
