//! Every error code of the contract, and that a refused request changes nothing.

use serde_json::json;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    invalid_software_input_is_bad_user_input_and_creates_nothing,
    invalid_release_input_is_bad_user_input_and_creates_nothing,
    malformed_uuids_and_dates_are_bad_user_input_in_literals_and_variables,
    documents_that_do_not_parse_or_validate_get_apollo_codes,
    a_database_failure_is_an_opaque_internal_server_error,
    an_operation_name_that_picks_no_operation_is_an_operation_resolution_failure,
);

async fn an_operation_name_that_picks_no_operation_is_an_operation_resolution_failure(
    app: &TestApp,
) {
    let two = "query A { __typename } query B { __typename }";
    for (query, name) in [
        (two, None),
        (two, Some("C")),
        ("query A { __typename }", Some("B")),
    ] {
        let body = json!({"query": query, "operationName": name});
        let response = app
            .http
            .post(app.url("/graphql"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "OPERATION_RESOLUTION_FAILURE",
            "{query} {name:?}: {body}"
        );
    }
    let body = json!({"query": two, "operationName": "B"});
    let response = app
        .http
        .post(app.url("/graphql"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
}

const CREATE: &str =
    "mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id } }";

async fn invalid_software_input_is_bad_user_input_and_creates_nothing(app: &TestApp) {
    let long = |n: usize| "é".repeat(n);
    let valid = json!({"displayName": "ok", "maintainerEmail": "a@b.co"});
    let cases = [
        ("displayName", json!("")),
        ("displayName", json!(" \t\u{3000} ")),
        ("displayName", json!(long(201))),
        ("displayName", json!("nul\u{0}here")),
        ("maintainerName", json!(long(201))),
        ("maintainerName", json!("a\u{0}")),
        ("maintainerEmail", json!("")),
        ("maintainerEmail", json!("no-at-sign.org")),
        ("maintainerEmail", json!("@example.org")),
        ("maintainerEmail", json!("a@localhost")),
        ("maintainerEmail", json!("a@b@example.org")),
        ("maintainerEmail", json!("a b@example.org")),
        (
            "maintainerEmail",
            json!(format!("{}@example.org", "a".repeat(243))),
        ),
        (
            "releases",
            json!([{"version": " ", "releaseDate": "2024-01-01"}]),
        ),
        (
            "releases",
            json!([{"version": "1", "releaseDate": "0999-12-31"}]),
        ),
    ];
    for (field, value) in cases {
        let mut input = valid.clone();
        input[field] = value.clone();
        let response = app.graphql(CREATE, json!({"input": input})).await;
        assert_eq!(response.error_code(), "BAD_USER_INPUT", "{field} = {value}");
    }
    assert_eq!(app.count_rows("software").await, 0);
    assert_eq!(app.count_rows("release").await, 0);
    // The limits themselves are accepted.
    let mut input = valid.clone();
    input["displayName"] = json!(long(200));
    input["maintainerEmail"] = json!(format!("{}@example.org", "a".repeat(242)));
    app.graphql(CREATE, json!({"input": input})).await.data();
}

async fn invalid_release_input_is_bad_user_input_and_creates_nothing(app: &TestApp) {
    let curl = app.create_software("curl", &[]).await;
    for (version, date) in [
        ("", "2024-01-01"),
        ("   ", "2024-01-01"),
        (&*"9".repeat(65), "2024-01-01"),
        ("1\u{0}", "2024-01-01"),
        ("1.0", "0999-12-31"),
    ] {
        let response = app
            .graphql(
                "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }",
                json!({"input": {"softwareId": curl, "version": version, "releaseDate": date}}),
            )
            .await;
        assert_eq!(
            response.error_code(),
            "BAD_USER_INPUT",
            "{version:?} {date}"
        );
    }
    assert_eq!(app.count_rows("release").await, 0);
    app.create_release(&curl, &"9".repeat(64), "9999-12-31")
        .await;
    app.create_release(&curl, "old", "1000-01-01").await;
}

async fn malformed_uuids_and_dates_are_bad_user_input_in_literals_and_variables(app: &TestApp) {
    let literal_cases = [
        r#"{ software(id: "not-a-uuid") { id } }"#,
        r#"{ release(id: "123") { id } }"#,
        r#"{ releases(filter: {releasedFrom: "2024-13-01"}) { totalCount } }"#,
        r#"{ releases(filter: {softwareId: "x"}) { totalCount } }"#,
        r#"mutation { createRelease(input: {softwareId: "00000000-0000-0000-0000-000000000000", version: "1", releaseDate: "yesterday"}) { id } }"#,
    ];
    for query in literal_cases {
        app.graphql(query, json!({}))
            .await
            .assert_error("BAD_USER_INPUT");
    }
    // Each document passes with other values first: a request that passed is not
    // validated again, and that must not let other values through.
    let by_id = "query($id: UUID!) { software(id: $id) { id } }";
    let nil = json!({"id": "00000000-0000-4000-8000-000000000000"});
    assert!(app.graphql(by_id, nil).await.data()["software"].is_null());
    let by_date = "query($d: Date) { releases(filter: {releasedTo: $d}) { totalCount } }";
    let response = app.graphql(by_date, json!({"d": "2024-02-29"})).await;
    assert!(response.data()["releases"]["totalCount"].is_number());
    app.graphql(by_id, json!({"id": "zzz"}))
        .await
        .assert_error("BAD_USER_INPUT");
    app.graphql(by_date, json!({"d": "2024-02-30"}))
        .await
        .assert_error("BAD_USER_INPUT");
    app.graphql(
        "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }",
        json!({"input": {"softwareId": "nope", "version": "1", "releaseDate": "2024-01-01"}}),
    )
    .await
    .assert_error("BAD_USER_INPUT");
}

async fn documents_that_do_not_parse_or_validate_get_apollo_codes(app: &TestApp) {
    app.graphql("{ softwareList { ", json!({}))
        .await
        .assert_error("GRAPHQL_PARSE_FAILED");
    app.graphql("{ noSuchField }", json!({}))
        .await
        .assert_error("GRAPHQL_VALIDATION_FAILED");
    app.graphql("{ softwareList(first: \"ten\") { totalCount } }", json!({}))
        .await
        .assert_error("GRAPHQL_VALIDATION_FAILED");
}

async fn a_database_failure_is_an_opaque_internal_server_error(app: &TestApp) {
    let curl = app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    app.execute(r#"DROP TABLE "release""#).await;
    let response = app
        .graphql(
            "query($id: UUID!) { software(id: $id) { displayName releases { id } } }",
            json!({"id": curl}),
        )
        .await;
    response.assert_error("INTERNAL_SERVER_ERROR");
    assert_eq!(response.body["errors"][0]["message"], "internal error");
    let response = app.graphql("{ releases { totalCount } }", json!({})).await;
    response.assert_error("INTERNAL_SERVER_ERROR");
}
