//! Nested fields are loaded in batches: the number of SQL statements does not grow with the
//! number of parents.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use swcat::settings::DatabaseSettings;
use swcat::startup::connect_and_migrate;

use crate::backend_tests;
use crate::helpers::{AppBuilder, TestApp, graphql_at};

backend_tests!(nested_fields_of_a_page_cost_a_constant_number_of_statements);

async fn nested_fields_of_a_page_cost_a_constant_number_of_statements(app: &TestApp) {
    for i in 0..100 {
        app.create_software(
            &format!("s{i:03}"),
            &[("1", "2020-01-01"), ("2", "2021-01-01")],
        )
        .await;
    }
    // A second server on the same database, whose pool counts the statements it runs.
    let mut db = connect_and_migrate(&DatabaseSettings::new(app.url.clone()))
        .await
        .unwrap();
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let counted = AppBuilder::new(app.url.clone()).with_pool(db).spawn().await;
    let addr = counted.addr;

    statements.store(0, Ordering::SeqCst);
    let response = graphql_at(
        &app.http,
        addr,
        "{ softwareList(first: 100) { nodes {
            releaseCount latestRelease { version }
            releases { version software { displayName } }
        } } }",
        json!({}),
    )
    .await;
    let nodes = response.data()["softwareList"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(nodes.len(), 100);
    assert!(
        nodes
            .iter()
            .all(|n| n["releaseCount"] == 2 && n["latestRelease"]["version"] == "2")
    );
    // One statement for the page, one for all releases, one for all counts and latest
    // releases, one for the software of all releases; 400 or more if each parent loaded
    // its own.
    let count = statements.load(Ordering::SeqCst);
    assert!(count <= 4, "{count} statements for one page");
}
