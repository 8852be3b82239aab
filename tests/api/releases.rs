//! Creating, reading, updating and deleting releases, and the release fields of software.

use serde_json::json;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    create_release_adds_a_release_to_its_software,
    create_release_for_an_unknown_software_is_not_found,
    a_version_the_software_already_has_is_a_conflict,
    the_same_version_may_exist_in_different_software,
    update_release_changes_only_the_given_fields,
    update_release_to_a_taken_version_is_a_conflict_and_changes_nothing,
    update_release_refuses_null_for_required_fields,
    delete_release_keeps_its_software,
    update_or_delete_of_an_unknown_release_is_not_found,
    software_releases_follow_order_by_with_ties_broken_by_id,
    latest_release_is_the_newest_and_null_without_releases,
    release_software_leads_back_to_its_software,
);

async fn create_release_adds_a_release_to_its_software(app: &TestApp) {
    let curl = app.create_software("curl", &[]).await;
    let response = app
        .graphql(
            "mutation($input: CreateReleaseInput!) {
                createRelease(input: $input) { id version releaseDate software { id displayName } }
            }",
            json!({"input": {"softwareId": curl, "version": " 8.5.0\n", "releaseDate": "2023-12-06"}}),
        )
        .await;
    let release = &response.data()["createRelease"];
    assert_eq!(release["version"], "8.5.0");
    assert_eq!(release["releaseDate"], "2023-12-06");
    assert_eq!(
        release["software"],
        json!({"id": curl, "displayName": "curl"})
    );
    let response = app
        .graphql(
            "query($id: UUID!) { release(id: $id) { id version } }",
            json!({"id": release["id"]}),
        )
        .await;
    assert_eq!(response.data()["release"]["version"], "8.5.0");
}

async fn create_release_for_an_unknown_software_is_not_found(app: &TestApp) {
    let response = app
        .graphql(
            "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }",
            json!({"input": {"softwareId": uuid::Uuid::new_v4(), "version": "1.0", "releaseDate": "2024-01-01"}}),
        )
        .await;
    response.assert_error("NOT_FOUND");
    assert_eq!(app.count_rows("release").await, 0);
}

async fn a_version_the_software_already_has_is_a_conflict(app: &TestApp) {
    let curl = app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    let response = app
        .graphql(
            "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }",
            json!({"input": {"softwareId": curl, "version": " 1.0 ", "releaseDate": "2024-01-01"}}),
        )
        .await;
    response.assert_error("CONFLICT");
    assert_eq!(app.count_rows("release").await, 1);
    // Versions are case-sensitive: "1.0-RC" and "1.0-rc" are two versions.
    app.create_release(&curl, "1.0-rc", "2019-12-01").await;
    app.create_release(&curl, "1.0-RC", "2019-12-02").await;
}

async fn the_same_version_may_exist_in_different_software(app: &TestApp) {
    app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    app.create_software("wget", &[("1.0", "2020-01-01")]).await;
    assert_eq!(app.count_rows("release").await, 2);
}

const UPDATE: &str = "mutation($id: UUID!, $input: UpdateReleaseInput!) {
    updateRelease(id: $id, input: $input) { id version releaseDate }
}";

async fn update_release_changes_only_the_given_fields(app: &TestApp) {
    let curl = app.create_software("curl", &[]).await;
    let id = app.create_release(&curl, "1.0", "2020-01-01").await;
    let response = app
        .graphql(
            UPDATE,
            json!({"id": id, "input": {"releaseDate": "2020-02-02"}}),
        )
        .await;
    assert_eq!(
        response.data()["updateRelease"],
        json!({"id": id, "version": "1.0", "releaseDate": "2020-02-02"})
    );
    let response = app
        .graphql(UPDATE, json!({"id": id, "input": {"version": " 1.0.1 "}}))
        .await;
    assert_eq!(
        response.data()["updateRelease"],
        json!({"id": id, "version": "1.0.1", "releaseDate": "2020-02-02"})
    );
}

async fn update_release_to_a_taken_version_is_a_conflict_and_changes_nothing(app: &TestApp) {
    let curl = app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    let id = app.create_release(&curl, "2.0", "2021-01-01").await;
    app.graphql(
        UPDATE,
        json!({"id": id, "input": {"version": "1.0", "releaseDate": "1999-09-09"}}),
    )
    .await
    .assert_error("CONFLICT");
    let response = app
        .graphql(
            "query($id: UUID!) { release(id: $id) { version releaseDate } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        response.data()["release"],
        json!({"version": "2.0", "releaseDate": "2021-01-01"})
    );
}

async fn update_release_refuses_null_for_required_fields(app: &TestApp) {
    let curl = app.create_software("curl", &[]).await;
    let id = app.create_release(&curl, "1.0", "2020-01-01").await;
    for input in [json!({"version": null}), json!({"releaseDate": null})] {
        app.graphql(UPDATE, json!({"id": id, "input": input}))
            .await
            .assert_error("BAD_USER_INPUT");
    }
}

async fn delete_release_keeps_its_software(app: &TestApp) {
    let curl = app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    let id = app.create_release(&curl, "2.0", "2021-01-01").await;
    let response = app
        .graphql(
            "mutation($id: UUID!) { deleteRelease(id: $id) { deletedReleaseId softwareId } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        response.data()["deleteRelease"],
        json!({"deletedReleaseId": id, "softwareId": curl})
    );
    let response = app
        .graphql(
            "query($id: UUID!) { software(id: $id) { releaseCount releases { version } } }",
            json!({"id": curl}),
        )
        .await;
    assert_eq!(
        response.data()["software"],
        json!({"releaseCount": 1, "releases": [{"version": "1.0"}]})
    );
}

async fn update_or_delete_of_an_unknown_release_is_not_found(app: &TestApp) {
    let unknown = uuid::Uuid::new_v4();
    app.graphql(UPDATE, json!({"id": unknown, "input": {"version": "2"}}))
        .await
        .assert_error("NOT_FOUND");
    app.graphql(UPDATE, json!({"id": unknown, "input": {}}))
        .await
        .assert_error("NOT_FOUND");
    app.graphql(
        "mutation($id: UUID!) { deleteRelease(id: $id) { deletedReleaseId } }",
        json!({"id": unknown}),
    )
    .await
    .assert_error("NOT_FOUND");
}

async fn software_releases_follow_order_by_with_ties_broken_by_id(app: &TestApp) {
    let curl = app
        .create_software(
            "curl",
            &[
                ("1.9", "2020-01-01"),
                ("1.10", "2021-01-01"),
                ("2.0", "2021-01-01"),
                ("10.0", "2019-01-01"),
            ],
        )
        .await;
    let versions = |order: &str| {
        let query = format!(
            "query($id: UUID!) {{ software(id: $id) {{ releases{order} {{ id version releaseDate }} }} }}"
        );
        let curl = curl.clone();
        async move {
            let response = app.graphql(&query, json!({"id": curl})).await;
            response.data()["software"]["releases"]
                .as_array()
                .unwrap()
                .clone()
        }
    };
    let by_version = versions("(orderBy: {field: VERSION, direction: ASC})").await;
    let names: Vec<&str> = by_version
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["1.10", "1.9", "10.0", "2.0"]);

    let default = versions("").await;
    let dates: Vec<&str> = default
        .iter()
        .map(|r| r["releaseDate"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2021-01-01", "2021-01-01", "2020-01-01", "2019-01-01"]
    );
    // The tie on 2021-01-01 is broken by id, descending like the order.
    assert!(default[0]["id"].as_str().unwrap() > default[1]["id"].as_str().unwrap());

    let ascending = versions("(orderBy: {field: RELEASE_DATE, direction: ASC})").await;
    let mut reversed = default.clone();
    reversed.reverse();
    assert_eq!(ascending, reversed);
}

async fn latest_release_is_the_newest_and_null_without_releases(app: &TestApp) {
    app.create_software(
        "curl",
        &[
            ("1.0", "2020-01-01"),
            ("0.9", "2022-01-01"),
            ("1.1", "2021-01-01"),
        ],
    )
    .await;
    app.create_software("empty", &[]).await;
    let response = app
        .graphql(
            "{ softwareList { nodes { displayName releaseCount latestRelease { version } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        response.data()["softwareList"]["nodes"],
        json!([
            {"displayName": "curl", "releaseCount": 3, "latestRelease": {"version": "0.9"}},
            {"displayName": "empty", "releaseCount": 0, "latestRelease": null},
        ])
    );
}

async fn release_software_leads_back_to_its_software(app: &TestApp) {
    let curl = app.create_software("curl", &[("1.0", "2020-01-01")]).await;
    let wget = app
        .create_software("wget", &[("1.0", "2020-01-01"), ("2.0", "2021-01-01")])
        .await;
    let response = app
        .graphql(
            "{ releases(orderBy: {field: VERSION, direction: ASC}) { nodes { version software { id } } } }",
            json!({}),
        )
        .await;
    let nodes = response.data()["releases"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(nodes.len(), 3);
    let owners: Vec<&str> = nodes
        .iter()
        .map(|n| n["software"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(owners.iter().filter(|id| **id == curl).count(), 1);
    assert_eq!(owners.iter().filter(|id| **id == wget).count(), 2);
}
