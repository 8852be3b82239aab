//! Several stateless instances against one database, as behind a load balancer.

use serde_json::json;
use swcat::config::DatabaseArgs;

use crate::cascade::race_delete_against_creates;
use crate::helpers::{Backend, TestApp, TestDatabase, count_rows, graphql_at, spawn_server};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_started_together_migrate_once_and_share_the_data() {
    instances_started_together_migrate_once_and_share_the_data(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mysql_instances_started_together_migrate_once_and_share_the_data() {
    instances_started_together_migrate_once_and_share_the_data(Backend::MySql).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_instances_started_together_migrate_once_and_share_the_data() {
    instances_started_together_migrate_once_and_share_the_data(Backend::Sqlite).await;
}

async fn instances_started_together_migrate_once_and_share_the_data(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let args = DatabaseArgs::new(database.url.clone());
    // Three instances start at the same moment on a new, empty database: each migrates under
    // the lock, so two of them find nothing to do (creating a table twice would fail start).
    let (a, b, c) = tokio::join!(
        spawn_server(args.clone()),
        spawn_server(args.clone()),
        spawn_server(args.clone())
    );
    assert_eq!(count_rows(&a.1, "seaql_migrations").await, 1);

    let app = TestApp::new(a.0, a.1, database);
    let id = app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    for addr in [b.0, c.0] {
        let response = graphql_at(
            &app.http,
            addr,
            "query($id: UUID!) { software(id: $id) { displayName releaseCount } }",
            json!({"id": id}),
        )
        .await;
        assert_eq!(
            response.data()["software"],
            json!({"displayName": "curl", "releaseCount": 1})
        );
    }
    // deleteSoftware through one instance while the others create releases stays exact.
    app.graphql(
        "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedSoftwareId } }",
        json!({"id": id}),
    )
    .await
    .data();
    race_delete_against_creates(&app, &[b.0, c.0, a.0], 30).await;
    app.teardown().await;
}
