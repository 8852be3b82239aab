//! The change feed: `catalogChanges` over real WebSockets, on every database, across
//! instances that share one database.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sea_orm::DbBackend;
use serde_json::{Value, json};
use swcat::settings::DatabaseSettings;
use swcat::startup::connect_and_migrate;

use crate::backend_tests;
use crate::helpers::{AppBuilder, TestApp, graphql_at};
use crate::ws_client::{CHANGES, WsClient, summary};

backend_tests!(
    a_subscriber_on_one_instance_receives_a_delete_made_on_another_with_exactly_the_cascaded_ids,
    concurrent_writers_on_two_instances_produce_exactly_the_acknowledged_changes_in_commit_order,
    a_subscriber_that_resumes_after_its_last_cursor_receives_exactly_what_it_missed_then_live_changes,
    refused_and_rolled_back_mutations_produce_no_change,
    software_id_narrows_the_feed_to_one_software,
    a_subscription_without_after_receives_only_later_changes,
    a_cursor_that_is_not_ours_is_bad_user_input,
    one_read_of_the_log_serves_every_subscriber_of_an_instance,
);

const DELETE_SOFTWARE: &str =
    "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedSoftwareId deletedReleaseIds } }";
const UPDATE_SOFTWARE: &str = "mutation($id: UUID!, $name: String!) {
    updateSoftware(id: $id, input: {displayName: $name}) { id } }";
const DELETE_RELEASE: &str = "mutation($id: UUID!) { deleteRelease(id: $id) { deletedReleaseId } }";
const CREATE_SOFTWARE: &str = "mutation($input: CreateSoftwareInput!) {
    createSoftware(input: $input) { id releases { id } } }";

fn ids(values: &Value) -> Vec<String> {
    let mut ids: Vec<String> = values
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn change(
    kind: &str,
    software_id: &str,
    release_ids: Vec<String>,
) -> (String, String, Vec<String>) {
    let mut release_ids = release_ids;
    release_ids.sort();
    (kind.to_owned(), software_id.to_owned(), release_ids)
}

async fn a_subscriber_on_one_instance_receives_a_delete_made_on_another_with_exactly_the_cascaded_ids(
    a: &TestApp,
) {
    let b = AppBuilder::new(a.url.clone()).spawn().await;
    let mut subscriber = WsClient::connect(b.addr).await;
    subscriber
        .subscribe_changes("feed", &b.change_cursor().await, None)
        .await;

    let id = a
        .create_software("curl", &[("1.0", "2020-01-01"), ("2.0", "2021-01-01")])
        .await;
    let third = a.create_release(&id, "3.0", "2022-01-01").await;
    let deleted = a.graphql(DELETE_SOFTWARE, json!({"id": id})).await;
    let answered = ids(&deleted.data()["deleteSoftware"]["deletedReleaseIds"]);
    assert_eq!(answered.len(), 3);
    assert!(answered.contains(&third));

    let changes = subscriber.changes("feed", 3).await;
    let kinds: Vec<&str> = changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["SOFTWARE_CREATED", "RELEASE_CREATED", "SOFTWARE_DELETED"]
    );
    assert_eq!(ids(&changes[0]["releaseIds"]).len(), 2);
    assert_eq!(
        summary(&changes[1]),
        change("RELEASE_CREATED", &id, vec![third])
    );
    assert_eq!(
        summary(&changes[2]),
        change("SOFTWARE_DELETED", &id, answered)
    );
    subscriber.assert_silent(Duration::from_millis(300)).await;
}

async fn concurrent_writers_on_two_instances_produce_exactly_the_acknowledged_changes_in_commit_order(
    a: &TestApp,
) {
    let b = AppBuilder::new(a.url.clone()).spawn().await;
    let mut subscriber = WsClient::connect(b.addr).await;
    subscriber
        .subscribe_changes("feed", &a.change_cursor().await, None)
        .await;

    // 20 writers, alternating between the instances; each walks one software through every
    // kind of change, one after the other, and keeps what the server acknowledged.
    let writers = (0..20).map(|n| {
        let http = a.http.clone();
        let addr = if n % 2 == 0 { a.addr } else { b.addr };
        tokio::spawn(async move {
            let run = |query: &'static str, variables: Value| {
                let http = http.clone();
                async move { graphql_at(&http, addr, query, variables).await }
            };
            let created = run(
                CREATE_SOFTWARE,
                json!({"input": {
                    "displayName": format!("writer {n}"),
                    "maintainerEmail": "w@example.org",
                    "releases": [{"version": "1.0", "releaseDate": "2020-01-01"}],
                }}),
            )
            .await;
            let software = created.data()["createSoftware"].clone();
            let id = software["id"].as_str().unwrap().to_owned();
            let first_release = software["releases"][0]["id"].as_str().unwrap().to_owned();
            let mut acknowledged = vec![change("SOFTWARE_CREATED", &id, vec![first_release.clone()])];

            let created = run(
                "mutation($id: UUID!) { createRelease(input: {softwareId: $id, version: \"2.0\", releaseDate: \"2021-01-01\"}) { id } }",
                json!({"id": id}),
            )
            .await;
            let second = created.data()["createRelease"]["id"].as_str().unwrap().to_owned();
            acknowledged.push(change("RELEASE_CREATED", &id, vec![second.clone()]));

            run(UPDATE_SOFTWARE, json!({"id": id, "name": format!("writer {n} renamed")}))
                .await
                .data();
            acknowledged.push(change("SOFTWARE_UPDATED", &id, vec![]));

            run(DELETE_RELEASE, json!({"id": first_release})).await.data();
            acknowledged.push(change("RELEASE_DELETED", &id, vec![first_release]));

            let deleted = run(DELETE_SOFTWARE, json!({"id": id})).await;
            let cascaded = ids(&deleted.data()["deleteSoftware"]["deletedReleaseIds"]);
            assert_eq!(cascaded, vec![second]);
            acknowledged.push(change("SOFTWARE_DELETED", &id, cascaded));
            (id, acknowledged)
        })
    });
    // Spawned all at once, then awaited: the writers run at the same time.
    let writers: Vec<_> = writers.collect();
    let mut expected: HashMap<String, Vec<(String, String, Vec<String>)>> = HashMap::new();
    for writer in writers {
        let (id, acknowledged) = writer.await.unwrap();
        expected.insert(id, acknowledged);
    }

    let received = subscriber.changes("feed", 100).await;
    let mut cursors: Vec<&str> = received
        .iter()
        .map(|c| c["cursor"].as_str().unwrap())
        .collect();
    cursors.sort();
    cursors.dedup();
    assert_eq!(cursors.len(), 100, "a change arrived twice");
    let mut by_software: HashMap<String, Vec<(String, String, Vec<String>)>> = HashMap::new();
    for change in &received {
        let summary = summary(change);
        by_software
            .entry(summary.1.clone())
            .or_default()
            .push(summary);
    }
    // Exactly the acknowledged changes, and each software's in the order they committed.
    assert_eq!(by_software, expected);
    subscriber.assert_silent(Duration::from_millis(300)).await;
}

async fn a_subscriber_that_resumes_after_its_last_cursor_receives_exactly_what_it_missed_then_live_changes(
    a: &TestApp,
) {
    let b = AppBuilder::new(a.url.clone()).spawn().await;
    let mut first = WsClient::connect(a.addr).await;
    first
        .subscribe_changes("feed", &a.change_cursor().await, None)
        .await;
    let kept = a.create_software("kept", &[]).await;
    let seen = first.next_change("feed").await;
    assert_eq!(seen["softwareId"], kept.as_str());
    drop(first);

    // While the socket is down, changes are made through the other instance.
    let missed_one = b.create_software("missed one", &[]).await;
    let missed_release = b.create_release(&missed_one, "1.0", "2020-01-01").await;
    let missed_two = b.create_software("missed two", &[]).await;

    // The client reconnects, to the other instance this time.
    let mut again = WsClient::connect(b.addr).await;
    again
        .subscribe_changes("feed", seen["cursor"].as_str().unwrap(), None)
        .await;
    let replayed = again.changes("feed", 3).await;
    assert_eq!(
        summary(&replayed[0]),
        change("SOFTWARE_CREATED", &missed_one, vec![])
    );
    assert_eq!(
        summary(&replayed[1]),
        change("RELEASE_CREATED", &missed_one, vec![missed_release])
    );
    assert_eq!(
        summary(&replayed[2]),
        change("SOFTWARE_CREATED", &missed_two, vec![])
    );

    // Then live changes, with nothing repeated at the seam.
    let live = a.create_software("live", &[]).await;
    let next = again.next_change("feed").await;
    assert_eq!(summary(&next), change("SOFTWARE_CREATED", &live, vec![]));
    again.assert_silent(Duration::from_millis(300)).await;
}

async fn refused_and_rolled_back_mutations_produce_no_change(app: &TestApp) {
    let taken = app.create_software("taken", &[("1.0", "2020-01-01")]).await;
    let mut subscriber = WsClient::connect(app.addr).await;
    subscriber
        .subscribe_changes("feed", &app.change_cursor().await, None)
        .await;
    let logged = app.count_rows("change_log").await;

    let create = |name: &str, releases: Value| json!({"input": {"displayName": name, "maintainerEmail": "m@example.org", "releases": releases}});
    // Refused before the transaction: a blank name, and an unknown id.
    app.graphql(CREATE_SOFTWARE, create(" ", json!([])))
        .await
        .assert_error("BAD_USER_INPUT");
    app.graphql(DELETE_SOFTWARE, json!({"id": uuid::Uuid::new_v4()}))
        .await
        .assert_error("NOT_FOUND");
    // Rolled back by the database: a name that is taken, two releases with one version,
    // a release of a software that does not exist, a version the software already has.
    app.graphql(CREATE_SOFTWARE, create("taken", json!([])))
        .await
        .assert_error("CONFLICT");
    let twice = json!([
        {"version": "1.0", "releaseDate": "2020-01-01"},
        {"version": "1.0", "releaseDate": "2020-01-02"},
    ]);
    app.graphql(CREATE_SOFTWARE, create("twice", twice))
        .await
        .assert_error("CONFLICT");
    let release = "mutation($id: UUID!) { createRelease(input: {softwareId: $id, version: \"1.0\", releaseDate: \"2020-01-01\"}) { id } }";
    app.graphql(release, json!({"id": uuid::Uuid::new_v4()}))
        .await
        .assert_error("NOT_FOUND");
    app.graphql(release, json!({"id": taken}))
        .await
        .assert_error("CONFLICT");

    assert_eq!(app.count_rows("change_log").await, logged);
    // The first change the subscriber hears of is the next one that commits.
    let made = app.create_software("made", &[]).await;
    let next = subscriber.next_change("feed").await;
    assert_eq!(summary(&next), change("SOFTWARE_CREATED", &made, vec![]));
    assert_eq!(app.count_rows("change_log").await, logged + 1);
}

async fn software_id_narrows_the_feed_to_one_software(app: &TestApp) {
    let watched = app.create_software("watched", &[]).await;
    let other = app.create_software("other", &[]).await;
    let cursor = app.change_cursor().await;
    app.create_release(&other, "1.0", "2020-01-01").await;
    let before = app.create_release(&watched, "1.0", "2020-01-01").await;

    // The history after the cursor holds one change of each; only the watched one comes.
    let mut subscriber = WsClient::connect(app.addr).await;
    subscriber
        .subscribe_changes("feed", &cursor, Some(&watched))
        .await;
    let replayed = subscriber.next_change("feed").await;
    assert_eq!(
        summary(&replayed),
        change("RELEASE_CREATED", &watched, vec![before])
    );

    app.create_release(&other, "2.0", "2021-01-01").await;
    let live = app.create_release(&watched, "2.0", "2021-01-01").await;
    let next = subscriber.next_change("feed").await;
    assert_eq!(
        summary(&next),
        change("RELEASE_CREATED", &watched, vec![live])
    );
    subscriber.assert_silent(Duration::from_millis(300)).await;
}

async fn a_subscription_without_after_receives_only_later_changes(app: &TestApp) {
    app.create_software("before", &[]).await;
    let mut subscriber = WsClient::connect(app.addr).await;
    subscriber.subscribe("feed", CHANGES, json!({})).await;
    // The protocol does not say when a subscription has started: wait until a change made
    // now is delivered, which proves it has.
    let mut made = Vec::new();
    let first = loop {
        made.push(
            app.create_software(&format!("after {}", made.len()), &[])
                .await,
        );
        if let Ok(change) =
            tokio::time::timeout(Duration::from_millis(500), subscriber.next_change("feed")).await
        {
            break change;
        }
    };
    let first_id = first["softwareId"].as_str().unwrap();
    assert!(made.iter().any(|id| id == first_id), "{first}");
}

async fn a_cursor_that_is_not_ours_is_bad_user_input(app: &TestApp) {
    let mut client = WsClient::connect(app.addr).await;
    for after in ["not a cursor", "Y2hhbmdlOjk5OTk5OQ"] {
        // The second decodes as position 999999, which this feed never reached.
        client.subscribe_changes("feed", after, None).await;
        let message = client.recv().await;
        assert_eq!(message["type"], "error", "{message}");
        assert_eq!(message["id"], "feed");
        assert_eq!(
            message["payload"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{message}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_older_than_the_retained_history_is_cursor_expired() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("swcat.db").display());
    let app = AppBuilder::new(url)
        .feed(|feed| feed.retention = Duration::from_millis(400))
        .spawn()
        .await;
    let old = app.change_cursor().await;
    app.create_software("soon pruned", &[]).await;
    // Pruning runs a few times per retention period.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(app.count_rows("change_log").await, 0);

    let mut client = WsClient::connect(app.addr).await;
    client.subscribe_changes("feed", &old, None).await;
    let message = client.recv().await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(
        message["payload"][0]["extensions"]["code"], "CURSOR_EXPIRED",
        "{message}"
    );

    // The current cursor still works.
    client
        .subscribe_changes("fresh", &app.change_cursor().await, None)
        .await;
    let made = app.create_software("fresh", &[]).await;
    assert_eq!(
        client.next_change("fresh").await["softwareId"],
        made.as_str()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_the_listener_takes_no_place_of_the_request_pool() {
    let Some(database) =
        crate::helpers::TestDatabase::create(crate::helpers::Backend::Postgres).await
    else {
        return;
    };
    // One pooled connection only: if the listener held it, every request would time out.
    let app = AppBuilder::owning(database)
        .pool(1, Duration::from_secs(2))
        .spawn()
        .await;
    let mut subscriber = WsClient::connect(app.addr).await;
    subscriber
        .subscribe_changes("feed", &app.change_cursor().await, None)
        .await;
    let made = app.create_software("one connection", &[]).await;
    assert_eq!(
        subscriber.next_change("feed").await["softwareId"],
        made.as_str()
    );
    app.teardown().await;
}

async fn one_read_of_the_log_serves_every_subscriber_of_an_instance(app: &TestApp) {
    // The subscribers' instance counts the statements its pool runs; changes are made
    // through another one.
    let mut db = connect_and_migrate(&DatabaseSettings::new(app.url.clone()))
        .await
        .unwrap();
    let backend = db.get_database_backend();
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let watched = AppBuilder::new(app.url.clone()).with_pool(db).spawn().await;
    // The instance has been up a while, with no subscriber, before they come.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let cursor = app.change_cursor().await;
    let mut subscribers = Vec::new();
    for _ in 0..20 {
        let mut subscriber = WsClient::connect(watched.addr).await;
        subscriber.subscribe_changes("feed", &cursor, None).await;
        subscribers.push(subscriber);
    }
    // Let every subscription start (each reads the log's head once).
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Idle subscribers cost nothing on PostgreSQL (the reader waits for NOTIFY), and one
    // poll per interval elsewhere, however many they are.
    let polls = |window: Duration| (window.as_millis() / 100) as usize + 2;
    statements.store(0, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = statements.load(Ordering::SeqCst);
    match backend {
        DbBackend::Postgres => assert_eq!(idle, 0, "statements while idle"),
        _ => assert!(
            idle <= polls(Duration::from_secs(1)),
            "{idle} statements while idle"
        ),
    }

    // The first change after the instance started is handed to all 20 by one read.
    statements.store(0, Ordering::SeqCst);
    let started = std::time::Instant::now();
    let made = app.create_software("seen by all", &[]).await;
    for subscriber in &mut subscribers {
        assert_eq!(
            subscriber.next_change("feed").await["softwareId"],
            made.as_str()
        );
    }
    let used = statements.load(Ordering::SeqCst);
    let bound = match backend {
        // The head, then the change.
        DbBackend::Postgres => 2,
        _ => polls(started.elapsed()) + 1,
    };
    assert!(
        used <= bound,
        "{used} statements to deliver one change to 20 subscribers"
    );
}
