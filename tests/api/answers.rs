//! `Software` and `Release` objects answer their selections in place (`graphql/direct.rs`),
//! following fragments on their own type as async-graphql does (its unit tests compare the
//! two paths). Here, on the real server and database: a selection and the same selection
//! wrapped in fragments must answer the same bytes, with the same values, keys in the same
//! order, and the same errors.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app};

/// The raw text of the answer to `query`, so that key order is compared too.
async fn answer_text(app: &TestApp, query: &str) -> String {
    let response = app
        .http
        .post(app.url("/graphql"))
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

/// `answer` without its errors' `locations`: the two texts of a query differ in length.
fn without_locations(mut answer: String) -> String {
    while let Some(start) = answer.find(r#""locations":["#) {
        let end = start + answer[start..].find("],").unwrap() + 2;
        answer.replace_range(start..end, "");
    }
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_selection_answers_the_same_bytes_wrapped_in_fragments() {
    let Some(app) = spawn_app(Backend::Sqlite).await else {
        return;
    };
    let first = app
        .create_software("Alpha", &[("1.0", "2020-01-01"), ("2.0", "2021-06-30")])
        .await;
    let beta = app.create_software("Beta", &[("0.1", "2019-12-31")]).await;
    // One software with a maintainer's name, the others without: both kinds of value.
    let named = app
        .graphql(
            "mutation($id: UUID!) { updateSoftware(id: $id, input: { maintainerName: \"Ada\" }) \
             { maintainerName } }",
            json!({ "id": beta }),
        )
        .await;
    assert_eq!(named.data()["updateSoftware"]["maintainerName"], "Ada");
    app.create_software("Gamma", &[]).await;
    let release_id = app.create_release(&first, "3.0", "2022-02-02").await;

    let every_field = "__typename id displayName maintainerName maintainerEmail releaseCount \
        latestRelease { __typename id version releaseDate } \
        releases { id version releaseDate software { id displayName } }";
    let every_field_general = "... on Software { __typename id displayName maintainerName \
        maintainerEmail releaseCount \
        latestRelease { ... on Release { __typename id version releaseDate } } \
        releases { ... on Release { id version releaseDate \
            software { ... on Software { id displayName } } } } }";
    // Each query, then the same with every object's selection in an inline fragment.
    let pairs = [
        (
            format!("{{ software(id: \"ID\") {{ {every_field} }} }}"),
            format!("{{ software(id: \"ID\") {{ {every_field_general} }} }}"),
        ),
        (
            format!("{{ softwareByName(displayName: \"Beta\") {{ {every_field} }} }}"),
            format!("{{ softwareByName(displayName: \"Beta\") {{ {every_field_general} }} }}"),
        ),
        // Aliases, a field asked twice, a related list asked twice with other fields.
        (
            "{ software(id: \"ID\") { name: displayName displayName id name: displayName \
               releases { version } releases { id version } newest: latestRelease { version } } }"
                .to_owned(),
            "{ software(id: \"ID\") { ... on Software { name: displayName displayName id \
               name: displayName releases { ... on Release { version } } \
               releases { ... on Release { id version } } \
               newest: latestRelease { ... on Release { version } } } } }"
                .to_owned(),
        ),
        (
            "{ softwareList(first: 10) { nodes { displayName releases(first: 2) { version } } \
               edges { cursor node { id displayName } } } }"
                .to_owned(),
            "{ softwareList(first: 10) { nodes { ... on Software { displayName \
               releases(first: 2) { ... on Release { version } } } } \
               edges { cursor node { ... on Software { id displayName } } } } }"
                .to_owned(),
        ),
        (
            "{ releases(first: 10) { nodes { version releaseDate \
               software { displayName latestRelease { version } } } } }"
                .to_owned(),
            "{ releases(first: 10) { nodes { ... on Release { version releaseDate \
               software { ... on Software { displayName \
               latestRelease { ... on Release { version } } } } } } } }"
                .to_owned(),
        ),
        (
            "{ release(id: \"RID\") { id version releaseDate software { displayName } } }"
                .to_owned(),
            "{ release(id: \"RID\") { ... on Release { id version releaseDate \
               software { ... on Software { displayName } } } } }"
                .to_owned(),
        ),
        // Named fragments, as generated clients send them.
        (
            "{ software(id: \"ID\") { id displayName releases { id version } } }".to_owned(),
            "{ software(id: \"ID\") { ...S } } fragment S on Software { id displayName \
               releases { ...R } } fragment R on Release { id ...V } fragment V on Release { version }"
                .to_owned(),
        ),
        // A field that fails: its error, and the answer around it.
        (
            "{ software(id: \"ID\") { displayName releases(first: 0) { version } } }".to_owned(),
            "{ software(id: \"ID\") { ... on Software { displayName \
               releases(first: 0) { ... on Release { version } } } } }"
                .to_owned(),
        ),
    ];
    for (direct, general) in pairs {
        let ids = |query: &str| query.replace("RID", &release_id).replace("ID", &first);
        let (direct, general) = (ids(&direct), ids(&general));
        let answer = without_locations(answer_text(&app, &direct).await);
        let general_answer = without_locations(answer_text(&app, &general).await);
        assert_eq!(answer, general_answer, "{direct}");
        let parsed: Value = serde_json::from_str(&answer).unwrap();
        assert!(!parsed["data"].is_null(), "{answer}");
    }
    app.teardown().await;
}
