//! ON DELETE CASCADE done by the database, and `deleteSoftware` staying exact under races.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::json;

use crate::backend_tests;
use crate::helpers::{AppBuilder, TestApp, count_rows, graphql_at};

backend_tests!(
    the_tutorial_scenario_leaves_no_release_behind,
    plain_sql_delete_cascades_on_every_pooled_connection,
    delete_software_racing_twenty_create_release_calls_stays_exact,
    a_delete_answers_the_query_root_as_it_is_after_the_delete,
);

/// README's walk-through: create with two releases, delete one, delete the software.
async fn the_tutorial_scenario_leaves_no_release_behind(app: &TestApp) {
    let response = app
        .graphql(
            r#"mutation {
                createSoftware(input: {
                    displayName: "Firefox", maintainerName: "Mozilla", maintainerEmail: "release@mozilla.org",
                    releases: [{version: "126.0", releaseDate: "2024-05-14"}, {version: "127.0", releaseDate: "2024-06-11"}]
                }) { id releases { id version } }
            }"#,
            json!({}),
        )
        .await;
    let software = response.data()["createSoftware"].clone();
    let releases = software["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 2);

    let response = app
        .graphql(
            "mutation($id: UUID!) { deleteRelease(id: $id) { deletedReleaseId softwareId } }",
            json!({"id": releases[1]["id"]}),
        )
        .await;
    assert_eq!(
        response.data()["deleteRelease"]["softwareId"],
        software["id"]
    );
    let response = app
        .graphql(
            "query($id: UUID!) { software(id: $id) { releaseCount } }",
            json!({"id": software["id"]}),
        )
        .await;
    assert_eq!(response.data()["software"]["releaseCount"], 1);

    let response = app
        .graphql(
            "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedSoftwareId deletedReleaseIds } }",
            json!({"id": software["id"]}),
        )
        .await;
    assert_eq!(
        response.data()["deleteSoftware"],
        json!({"deletedSoftwareId": software["id"], "deletedReleaseIds": [releases[0]["id"]]})
    );
    assert_eq!(app.count_rows("release").await, 0);
    assert_eq!(app.count_rows("software").await, 0);
}

/// The cascade is the database's own: plain SQL through any pooled connection triggers it.
async fn plain_sql_delete_cascades_on_every_pooled_connection(app: &TestApp) {
    for round in 0..6 {
        app.create_software(
            &format!("s{round}"),
            &[("1", "2020-01-01"), ("2", "2020-01-02")],
        )
        .await;
        // Several statements at once, so that more than one pooled connection is used.
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let db = app.db.clone();
            tasks.spawn(async move { count_rows(&db, "release").await });
        }
        while let Some(count) = tasks.join_next().await {
            assert_eq!(count.unwrap(), 2);
        }
        app.execute(r#"DELETE FROM "software""#).await;
        assert_eq!(app.count_rows("release").await, 0, "round {round}");
    }
}

async fn delete_software_racing_twenty_create_release_calls_stays_exact(app: &TestApp) {
    race_delete_against_creates(app, &[app.addr], 20).await;
}

/// Runs one `deleteSoftware` against `creates` concurrent `createRelease` calls, spread over
/// the servers at `addrs`, and checks that the answer names exactly the releases removed.
pub async fn race_delete_against_creates(
    app: &TestApp,
    addrs: &[std::net::SocketAddr],
    creates: usize,
) {
    let software = app
        .create_software("contended", &[("0", "2020-01-01")])
        .await;
    let barrier = Arc::new(tokio::sync::Barrier::new(creates + 1));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..creates {
        let (http, addr, barrier, software) = (
            app.http.clone(),
            addrs[i % addrs.len()],
            barrier.clone(),
            software.clone(),
        );
        tasks.spawn(async move {
            barrier.wait().await;
            let response = graphql_at(
                &http,
                addr,
                "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }",
                json!({"input": {"softwareId": software, "version": format!("1.{i}"), "releaseDate": "2024-01-01"}}),
            )
            .await;
            (None, response)
        });
    }
    let (http, addr, gate) = (app.http.clone(), addrs[addrs.len() - 1], barrier.clone());
    let deleted = software.clone();
    tasks.spawn(async move {
        gate.wait().await;
        // Let some creates get ahead, so the delete lands in the middle of them.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let response = graphql_at(
            &http,
            addr,
            "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedReleaseIds } }",
            json!({"id": deleted}),
        )
        .await;
        (Some(()), response)
    });

    let mut created = HashSet::new();
    let mut reported = None;
    while let Some(outcome) = tasks.join_next().await {
        let (is_delete, response) = outcome.unwrap();
        assert_eq!(response.status, 200, "{:#}", response.body);
        if is_delete.is_some() {
            let ids: Vec<String> = serde_json::from_value(
                response.data()["deleteSoftware"]["deletedReleaseIds"].clone(),
            )
            .unwrap();
            reported = Some(ids.into_iter().collect::<HashSet<_>>());
        } else if response.body.get("errors").is_some() {
            // Refused because the software was gone: never an internal error.
            response.assert_error("NOT_FOUND");
        } else {
            created.insert(
                response.data()["createRelease"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    let reported = reported.expect("the delete answered");
    // Every release that was created (plus the initial one) was removed and reported; no
    // release was reported that was not removed; none survives its software.
    assert!(
        created.is_subset(&reported),
        "created {created:?}, reported {reported:?}"
    );
    assert_eq!(reported.len(), created.len() + 1);
    assert_eq!(app.count_rows("release").await, 0);
    assert_eq!(app.count_rows("software").await, 0);
}

/// `sqlite::memory:` must be one database for the whole pool, not one per connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_memory_sqlite_database_is_shared_by_the_whole_pool() {
    let app = AppBuilder::new("sqlite::memory:").spawn().await;
    let (addr, http) = (app.addr, app.http.clone());
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let http = http.clone();
        tasks.spawn(async move {
            graphql_at(
                &http,
                addr,
                "mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id } }",
                json!({"input": {"displayName": format!("s{i}"), "maintainerEmail": "a@b.co"}}),
            )
            .await
            .data()
            .clone()
        });
    }
    while tasks.join_next().await.transpose().unwrap().is_some() {}
    for _ in 0..8 {
        let response = graphql_at(&http, addr, "{ softwareList { totalCount } }", json!({})).await;
        assert_eq!(response.data()["softwareList"]["totalCount"], 8);
    }
    assert_eq!(app.count_rows("software").await, 8);
}

/// One round trip: the payload's `query` is read after the delete committed.
async fn a_delete_answers_the_query_root_as_it_is_after_the_delete(app: &TestApp) {
    let kept = app.create_software("kept", &[("1.0", "2020-01-01")]).await;
    let gone = app
        .create_software("gone", &[("1.0", "2020-01-01"), ("2.0", "2021-01-01")])
        .await;
    let response = app
        .graphql(
            "mutation($id: UUID!) { deleteSoftware(id: $id) {
                deletedReleaseIds
                query { softwareList { totalCount nodes { id } } releases { totalCount } }
            } }",
            json!({"id": gone}),
        )
        .await;
    let payload = &response.data()["deleteSoftware"];
    assert_eq!(payload["deletedReleaseIds"].as_array().unwrap().len(), 2);
    assert_eq!(
        payload["query"],
        json!({"softwareList": {"totalCount": 1, "nodes": [{"id": kept}]}, "releases": {"totalCount": 1}})
    );
    let release = app.create_release(&kept, "2.0", "2021-01-01").await;
    let response = app
        .graphql(
            "mutation($id: UUID!) { deleteRelease(id: $id) { query { software(id: \"%KEPT%\") { releaseCount } } } }"
                .replace("%KEPT%", &kept)
                .as_str(),
            json!({"id": release}),
        )
        .await;
    assert_eq!(
        response.data()["deleteRelease"]["query"]["software"]["releaseCount"],
        1
    );
}
