//! Relay pagination: walks, cursors, filters and orders.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    walking_the_software_list_visits_each_item_once_in_order,
    walking_releases_by_version_visits_each_item_once,
    a_walk_neither_repeats_nor_skips_while_items_are_inserted_and_deleted,
    first_defaults_to_twenty_and_must_be_between_one_and_a_hundred,
    a_cursor_is_refused_with_another_order_or_filter_or_when_not_ours,
    has_previous_page_is_true_only_after_a_cursor_with_items_before_it,
    display_name_contains_is_case_insensitive_and_has_no_wildcards,
    maintainer_email_filter_is_exact_but_ignores_ascii_case,
    text_is_ordered_by_code_point_not_locale,
    releases_filter_by_software_and_inclusive_date_range,
);

const SOFTWARE_PAGE: &str =
    "query($first: Int, $after: String, $orderBy: SoftwareOrder, $filter: SoftwareFilter) {
    softwareList(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
        totalCount
        edges { cursor node { id displayName } }
        nodes { id }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
}";

/// Walks every page of the software list; answers the display names in visiting order.
async fn walk_software(app: &TestApp, first: i64, order_by: Value, filter: Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut after = Value::Null;
    loop {
        let response = app
            .graphql(
                SOFTWARE_PAGE,
                json!({"first": first, "after": after, "orderBy": order_by, "filter": filter}),
            )
            .await;
        let list = &response.data()["softwareList"];
        let edges = list["edges"].as_array().unwrap();
        assert!(edges.len() as i64 <= first);
        for (edge, node) in edges.iter().zip(list["nodes"].as_array().unwrap()) {
            assert_eq!(edge["node"]["id"], node["id"]);
            names.push(edge["node"]["displayName"].as_str().unwrap().to_owned());
        }
        let info = &list["pageInfo"];
        assert_eq!(info["hasPreviousPage"], !after.is_null());
        if let (Some(first_edge), Some(last_edge)) = (edges.first(), edges.last()) {
            assert_eq!(info["startCursor"], first_edge["cursor"]);
            assert_eq!(info["endCursor"], last_edge["cursor"]);
        }
        if info["hasNextPage"] != json!(true) {
            break;
        }
        after = info["endCursor"].clone();
    }
    names
}

async fn walking_the_software_list_visits_each_item_once_in_order(app: &TestApp) {
    let mut expected: Vec<String> = (0..23).map(|i| format!("software-{i:02}")).collect();
    for name in &expected {
        app.create_software(name, &[]).await;
    }
    let ascending = walk_software(app, 5, Value::Null, Value::Null).await;
    assert_eq!(ascending, expected);
    let descending = walk_software(
        app,
        7,
        json!({"field": "DISPLAY_NAME", "direction": "DESC"}),
        Value::Null,
    )
    .await;
    expected.reverse();
    assert_eq!(descending, expected);
    let response = app
        .graphql("{ softwareList { totalCount nodes { id } } }", json!({}))
        .await;
    assert_eq!(response.data()["softwareList"]["totalCount"], 23);
    assert_eq!(
        response.data()["softwareList"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        20
    );
}

async fn walking_releases_by_version_visits_each_item_once(app: &TestApp) {
    let curl = app.create_software("curl", &[]).await;
    let wget = app.create_software("wget", &[]).await;
    for i in 0..9 {
        // Equal versions across software exercise the id tie-break.
        app.create_release(&curl, &format!("1.{i}"), "2024-01-01")
            .await;
        app.create_release(&wget, &format!("1.{i}"), "2024-01-01")
            .await;
    }
    for (order, first) in [
        (json!({"field": "VERSION", "direction": "ASC"}), 4),
        (json!({"field": "VERSION", "direction": "DESC"}), 5),
        (json!(null), 3),
    ] {
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let response = app
                .graphql(
                    "query($first: Int, $after: String, $orderBy: ReleaseOrder) {
                        releases(first: $first, after: $after, orderBy: $orderBy) {
                            totalCount nodes { id version } pageInfo { hasNextPage endCursor }
                        }
                    }",
                    json!({"first": first, "after": after, "orderBy": order}),
                )
                .await;
            let list = &response.data()["releases"];
            assert_eq!(list["totalCount"], 18);
            for node in list["nodes"].as_array().unwrap() {
                seen.push((
                    node["version"].as_str().unwrap().to_owned(),
                    node["id"].as_str().unwrap().to_owned(),
                ));
            }
            if list["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
            after = list["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen.len(), 18, "{order}");
        let unique: HashSet<_> = seen.iter().map(|(_, id)| id.clone()).collect();
        assert_eq!(unique.len(), 18, "{order}");
        if order["field"] == "VERSION" {
            let mut sorted = seen.clone();
            sorted.sort();
            if order["direction"] == "DESC" {
                sorted.reverse();
            }
            assert_eq!(seen, sorted, "{order}");
        }
    }
}

async fn a_walk_neither_repeats_nor_skips_while_items_are_inserted_and_deleted(app: &TestApp) {
    let mut stable = Vec::new();
    for i in 0..12 {
        let name = format!("b{i:02}");
        app.create_software(&name, &[]).await;
        stable.push(name);
    }
    let doomed = app.create_software("b05x", &[]).await;
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let mut page = 0;
    loop {
        let response = app
            .graphql(SOFTWARE_PAGE, json!({"first": 4, "after": after}))
            .await;
        let list = response.data()["softwareList"].clone();
        for node in list["edges"].as_array().unwrap() {
            seen.push(node["node"]["displayName"].as_str().unwrap().to_owned());
        }
        if page == 0 {
            // Changes behind and ahead of the cursor while the walk is under way.
            app.create_software("a-before-everything", &[]).await;
            app.create_software("b07x", &[]).await;
            app.graphql(
                "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedSoftwareId } }",
                json!({"id": doomed}),
            )
            .await
            .data();
        }
        page += 1;
        if list["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = list["pageInfo"]["endCursor"].clone();
    }
    let mut expected = stable.clone();
    expected.push("b07x".into());
    expected.sort();
    assert_eq!(seen, expected);
}

async fn first_defaults_to_twenty_and_must_be_between_one_and_a_hundred(app: &TestApp) {
    for first in [0, -1, 101] {
        app.graphql(SOFTWARE_PAGE, json!({"first": first}))
            .await
            .assert_error("BAD_USER_INPUT");
        app.graphql(
            "query($first: Int) { releases(first: $first) { totalCount } }",
            json!({"first": first}),
        )
        .await
        .assert_error("BAD_USER_INPUT");
    }
    for first in [json!(1), json!(100), json!(null)] {
        let response = app.graphql(SOFTWARE_PAGE, json!({"first": first})).await;
        assert_eq!(response.data()["softwareList"]["totalCount"], 0);
    }
}

async fn a_cursor_is_refused_with_another_order_or_filter_or_when_not_ours(app: &TestApp) {
    for i in 0..3 {
        app.create_software(&format!("s{i}"), &[]).await;
    }
    let response = app.graphql(SOFTWARE_PAGE, json!({"first": 1})).await;
    let cursor = response.data()["softwareList"]["pageInfo"]["endCursor"].clone();
    // The same cursor with the explicit default order is fine.
    app.graphql(
        SOFTWARE_PAGE,
        json!({"first": 1, "after": cursor, "orderBy": {"field": "DISPLAY_NAME", "direction": "ASC"}}),
    )
    .await
    .data();
    for variables in [
        json!({"after": cursor, "orderBy": {"field": "DISPLAY_NAME", "direction": "DESC"}}),
        json!({"after": cursor, "filter": {"displayNameContains": "s"}}),
        json!({"after": "not a cursor"}),
        json!({"after": ""}),
        json!({"after": "eyJzIjoieCIsImsiOltdfQ"}),
    ] {
        app.graphql(SOFTWARE_PAGE, variables)
            .await
            .assert_error("BAD_USER_INPUT");
    }
    // A software-list cursor is not a releases cursor.
    app.graphql(
        "query($after: String) { releases(after: $after) { totalCount } }",
        json!({"after": cursor}),
    )
    .await
    .assert_error("BAD_USER_INPUT");
}

async fn has_previous_page_is_true_only_after_a_cursor_with_items_before_it(app: &TestApp) {
    for name in ["a", "b", "c"] {
        app.create_software(name, &[]).await;
    }
    let response = app.graphql(SOFTWARE_PAGE, json!({"first": 1})).await;
    let info = &response.data()["softwareList"]["pageInfo"];
    assert_eq!(info["hasPreviousPage"], false);
    assert_eq!(info["hasNextPage"], true);
    let response = app
        .graphql(
            SOFTWARE_PAGE,
            json!({"first": 5, "after": info["endCursor"]}),
        )
        .await;
    let list = &response.data()["softwareList"];
    assert_eq!(list["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(list["pageInfo"]["hasNextPage"], false);
    assert_eq!(list["edges"].as_array().unwrap().len(), 2);
    // The item under the cursor is gone: nothing precedes the position any more.
    let a = app
        .graphql(r#"{ softwareByName(displayName: "a") { id } }"#, json!({}))
        .await;
    let a_id = a.data()["softwareByName"]["id"].clone();
    app.graphql(
        "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedSoftwareId } }",
        json!({"id": a_id}),
    )
    .await
    .data();
    let response = app
        .graphql(
            SOFTWARE_PAGE,
            json!({"first": 5, "after": info["endCursor"]}),
        )
        .await;
    assert_eq!(
        response.data()["softwareList"]["pageInfo"]["hasPreviousPage"],
        false
    );
    assert_eq!(response.data()["softwareList"]["totalCount"], 2);
}

async fn display_name_contains_is_case_insensitive_and_has_no_wildcards(app: &TestApp) {
    for name in [
        "LibCurl",
        "curl",
        "wget",
        "100% pure",
        "under_score",
        "back\\slash",
        "excl!mation",
        "Ärger",
    ] {
        app.create_software(name, &[]).await;
    }
    let names = |contains: &'static str| async move {
        walk_software(
            app,
            100,
            Value::Null,
            json!({"displayNameContains": contains}),
        )
        .await
    };
    assert_eq!(names("CURL").await, ["LibCurl", "curl"]);
    assert_eq!(names("%").await, ["100% pure"]);
    assert_eq!(names("_").await, ["under_score"]);
    assert_eq!(names("\\").await, ["back\\slash"]);
    assert_eq!(names("!").await, ["excl!mation"]);
    // As a wildcard `_` would match the "der" of "under_score".
    assert_eq!(names("d_r").await, Vec::<String>::new());
    assert_eq!(names("c%l").await, Vec::<String>::new());
    assert_eq!(names("Ärg").await, ["Ärger"]);
    assert_eq!(names("").await.len(), 8);
    let response = app
        .graphql(
            "{ softwareList(filter: {displayNameContains: \"url\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(response.data()["softwareList"]["totalCount"], 2);
}

async fn maintainer_email_filter_is_exact_but_ignores_ascii_case(app: &TestApp) {
    for (name, email) in [
        ("a", "Ada@Example.org"),
        ("b", "ada@example.org.uk"),
        ("c", "bob@example.org"),
    ] {
        app.graphql(
            "mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id } }",
            json!({"input": {"displayName": name, "maintainerEmail": email}}),
        )
        .await
        .data();
    }
    let found = walk_software(
        app,
        10,
        Value::Null,
        json!({"maintainerEmail": "ADA@example.ORG"}),
    )
    .await;
    assert_eq!(found, ["a"]);
    let found = walk_software(
        app,
        10,
        Value::Null,
        json!({"maintainerEmail": "ada@example"}),
    )
    .await;
    assert!(found.is_empty());
}

async fn text_is_ordered_by_code_point_not_locale(app: &TestApp) {
    for name in [
        "beta", "Zulu", "alpha", "Ärger", "Alpha", "ärger", "_x", "1x",
    ] {
        app.create_software(name, &[]).await;
    }
    let names = walk_software(app, 3, Value::Null, Value::Null).await;
    assert_eq!(
        names,
        [
            "1x", "Alpha", "Zulu", "_x", "alpha", "beta", "Ärger", "ärger"
        ]
    );
}

async fn releases_filter_by_software_and_inclusive_date_range(app: &TestApp) {
    let curl = app
        .create_software(
            "curl",
            &[
                ("1", "2020-01-01"),
                ("2", "2020-06-15"),
                ("3", "2020-12-31"),
                ("4", "2021-01-01"),
            ],
        )
        .await;
    app.create_software("wget", &[("1", "2020-06-15")]).await;
    let response = app
        .graphql(
            "query($filter: ReleaseFilter) { releases(filter: $filter) { totalCount nodes { version } } }",
            json!({"filter": {"softwareId": curl, "releasedFrom": "2020-06-15", "releasedTo": "2020-12-31"}}),
        )
        .await;
    assert_eq!(
        response.data()["releases"],
        json!({"totalCount": 2, "nodes": [{"version": "3"}, {"version": "2"}]})
    );
    let response = app
        .graphql(
            r#"{ releases(filter: {releasedFrom: "2020-06-15", releasedTo: "2020-06-15"}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(response.data()["releases"]["totalCount"], 2);
}
