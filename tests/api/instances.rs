//! Several stateless instances against one database, as behind a load balancer.

use crate::cascade::race_delete_against_creates;
use crate::helpers::{AppBuilder, Backend, TestDatabase, graphql_at};
use migration::MigratorTrait;
use serde_json::json;

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
    // Three instances start at the same moment on a new, empty database: each migrates under
    // the lock, so two of them find nothing to do (creating a table twice would fail start).
    let (b, c) = (
        AppBuilder::new(database.url.clone()),
        AppBuilder::new(database.url.clone()),
    );
    let (app, b, c) = tokio::join!(AppBuilder::owning(database).spawn(), b.spawn(), c.spawn());
    let migrations = migration::Migrator::migrations().len() as i64;
    assert_eq!(app.count_rows("seaql_migrations").await, migrations);

    let id = app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    for addr in [b.addr, c.addr] {
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
    race_delete_against_creates(&app, &[b.addr, c.addr, app.addr], 30).await;
    app.teardown().await;
}
