//! The five GraphQL documents the benchmark sends, recognised by their exact text, and their
//! answers, field for field in the order swcat writes them.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::store::{Failure, NewRelease, NewSoftware, ReleaseRow, SoftwareRow, Store};

/// Read 1: a software with its releases.
pub const SOFTWARE_BY_ID: &str = "query($id: UUID!) { software(id: $id) { id displayName maintainerEmail releases { id version releaseDate } } }";
/// Read 2: a page of 50 software, with their releases.
pub const SOFTWARE_LIST: &str =
    "{ softwareList(first: 50) { nodes { displayName releases { version } } } }";
/// Read 3: a page of 100 releases, with their software.
pub const RELEASES: &str =
    "{ releases(first: 100) { nodes { version software { displayName } } } }";
/// Write mix A.
pub const CREATE_RELEASE: &str = "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id version releaseDate } }";
pub const DELETE_RELEASE: &str =
    "mutation($id: UUID!) { deleteRelease(id: $id) { deletedReleaseId softwareId } }";
/// Write mix B.
pub const CREATE_SOFTWARE: &str =
    "mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id } }";
pub const DELETE_SOFTWARE: &str =
    "mutation($id: UUID!) { deleteSoftware(id: $id) { deletedSoftwareId deletedReleaseIds } }";

/// swcat's page sizes: `softwareList(first: 50)`, `releases(first: 100)`, and the default of
/// `Software.releases`. Each list reads one row more than it answers (that row only says
/// that a next page exists).
const SOFTWARE_PAGE: i64 = 50;
const RELEASE_PAGE: i64 = 100;
const RELEASES_OF_SOFTWARE: i64 = 100;

#[derive(Deserialize)]
struct GraphqlRequest {
    query: String,
    #[serde(default)]
    variables: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct IdVariables {
    id: Uuid,
}

#[derive(Deserialize)]
struct InputVariables<T> {
    input: T,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateReleaseInput {
    software_id: Uuid,
    version: String,
    release_date: NaiveDate,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewReleaseInput {
    version: String,
    release_date: NaiveDate,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateSoftwareInput {
    display_name: String,
    #[serde(default)]
    maintainer_name: Option<String>,
    maintainer_email: String,
    #[serde(default)]
    releases: Option<Vec<NewReleaseInput>>,
}

/// `{"data": ...}`
#[derive(Serialize)]
struct Data<T> {
    data: T,
}

#[derive(Serialize)]
struct SoftwareData {
    software: Option<SoftwareNode>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SoftwareNode {
    id: Uuid,
    display_name: String,
    maintainer_email: String,
    releases: Vec<ReleaseNode>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReleaseNode {
    id: Uuid,
    version: String,
    release_date: NaiveDate,
}

impl From<ReleaseRow> for ReleaseNode {
    fn from(row: ReleaseRow) -> Self {
        Self {
            id: row.release_id,
            version: row.version,
            release_date: row.release_date,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SoftwareListData {
    software_list: Nodes<SoftwareListNode>,
}

#[derive(Serialize)]
struct Nodes<T> {
    nodes: Vec<T>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SoftwareListNode {
    display_name: String,
    releases: Vec<Version>,
}

#[derive(Serialize)]
struct Version {
    version: String,
}

#[derive(Serialize)]
struct ReleasesData {
    releases: Nodes<ReleasesNode>,
}

#[derive(Serialize)]
struct ReleasesNode {
    version: String,
    software: DisplayName,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DisplayName {
    display_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateReleaseData {
    create_release: ReleaseNode,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeleteReleaseData {
    delete_release: DeletedRelease,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletedRelease {
    deleted_release_id: Uuid,
    software_id: Uuid,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateSoftwareData {
    create_software: Id,
}

#[derive(Serialize)]
struct Id {
    id: Uuid,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeleteSoftwareData {
    delete_software: DeletedSoftware,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletedSoftware {
    deleted_software_id: Uuid,
    deleted_release_ids: Vec<Uuid>,
}

/// `{"data": null, "errors": [{"message": ..., "extensions": {"code": ...}}]}`, as swcat
/// answers a failed operation (HTTP 200).
#[derive(Serialize)]
struct Errors {
    data: Option<()>,
    errors: [GraphqlError; 1],
}

#[derive(Serialize)]
struct GraphqlError {
    message: String,
    extensions: Code,
}

#[derive(Serialize)]
struct Code {
    code: &'static str,
}

/// Why a request got no `data`.
enum Refusal {
    /// Not one of the five documents, or variables that do not fit it: HTTP 400.
    BadRequest(String),
    /// The operation failed: HTTP 200 with `errors`, like swcat.
    Failed(Failure),
}

impl From<Failure> for Refusal {
    fn from(failure: Failure) -> Self {
        Refusal::Failed(failure)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, message, code) = match self {
            Refusal::BadRequest(message) => (StatusCode::BAD_REQUEST, message, "BAD_REQUEST"),
            Refusal::Failed(Failure::NotFound { entity, id }) => (
                StatusCode::OK,
                format!("no {entity} has the id {id}"),
                "NOT_FOUND",
            ),
            Refusal::Failed(Failure::Conflict(message)) => (StatusCode::OK, message, "CONFLICT"),
            Refusal::Failed(Failure::Database(err)) => {
                eprintln!("database error: {err}");
                (
                    StatusCode::OK,
                    "internal error".to_owned(),
                    "INTERNAL_SERVER_ERROR",
                )
            }
        };
        json(
            status,
            &Errors {
                data: None,
                errors: [GraphqlError {
                    message,
                    extensions: Code { code },
                }],
            },
        )
    }
}

fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(err) => {
            eprintln!("cannot serialize an answer: {err}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn ok<T: Serialize>(data: T) -> Result<Response, Refusal> {
    Ok(json(StatusCode::OK, &Data { data }))
}

fn variables<T: for<'de> Deserialize<'de>>(value: Option<serde_json::Value>) -> Result<T, Refusal> {
    serde_json::from_value(value.unwrap_or_default())
        .map_err(|err| Refusal::BadRequest(format!("variables: {err}")))
}

/// `POST /graphql`.
pub async fn graphql(State(store): State<std::sync::Arc<Store>>, body: Bytes) -> Response {
    match answer(&store, &body).await {
        Ok(response) => response,
        Err(refusal) => refusal.into_response(),
    }
}

async fn answer(store: &Store, body: &[u8]) -> Result<Response, Refusal> {
    let request: GraphqlRequest = serde_json::from_slice(body)
        .map_err(|err| Refusal::BadRequest(format!("not a GraphQL request: {err}")))?;
    match request.query.as_str() {
        SOFTWARE_BY_ID => {
            let IdVariables { id } = variables(request.variables)?;
            ok(software_by_id(store, id).await?)
        }
        SOFTWARE_LIST => ok(software_list(store).await?),
        RELEASES => ok(releases(store).await?),
        CREATE_RELEASE => {
            let InputVariables { input } =
                variables::<InputVariables<CreateReleaseInput>>(request.variables)?;
            let new = NewRelease {
                version: input.version,
                release_date: input.release_date,
            };
            let row = store.create_release(input.software_id, &new).await?;
            ok(CreateReleaseData {
                create_release: row.into(),
            })
        }
        DELETE_RELEASE => {
            let IdVariables { id } = variables(request.variables)?;
            let row = store.delete_release(id).await?;
            ok(DeleteReleaseData {
                delete_release: DeletedRelease {
                    deleted_release_id: row.release_id,
                    software_id: row.software_id,
                },
            })
        }
        CREATE_SOFTWARE => {
            let InputVariables { input } =
                variables::<InputVariables<CreateSoftwareInput>>(request.variables)?;
            let new = NewSoftware {
                display_name: input.display_name,
                maintainer_name: input.maintainer_name,
                maintainer_email: input.maintainer_email,
                releases: input
                    .releases
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| NewRelease {
                        version: r.version,
                        release_date: r.release_date,
                    })
                    .collect(),
            };
            let id = store.create_software(&new).await?;
            ok(CreateSoftwareData {
                create_software: Id { id },
            })
        }
        DELETE_SOFTWARE => {
            let IdVariables { id } = variables(request.variables)?;
            let release_ids = store.delete_software(id).await?;
            ok(DeleteSoftwareData {
                delete_software: DeletedSoftware {
                    deleted_software_id: id,
                    deleted_release_ids: release_ids,
                },
            })
        }
        _ => Err(Refusal::BadRequest(
            "not one of the benchmark's documents".to_owned(),
        )),
    }
}

/// The software, then its releases (swcat's window query, for one software).
async fn software_by_id(store: &Store, id: Uuid) -> Result<SoftwareData, Failure> {
    let Some(software) = store.software(id).await? else {
        return Ok(SoftwareData { software: None });
    };
    let releases = store
        .releases_of(&[software.software_id], RELEASES_OF_SOFTWARE)
        .await?;
    Ok(SoftwareData {
        software: Some(SoftwareNode {
            id: software.software_id,
            display_name: software.display_name,
            maintainer_email: software.maintainer_email,
            releases: releases.into_iter().map(ReleaseNode::from).collect(),
        }),
    })
}

/// A page of software, then the releases of all of them in one statement.
async fn software_list(store: &Store) -> Result<SoftwareListData, Failure> {
    let mut page = store.software_page(SOFTWARE_PAGE + 1).await?;
    page.truncate(SOFTWARE_PAGE as usize);
    let ids: Vec<Uuid> = page.iter().map(|s| s.software_id).collect();
    let mut versions: HashMap<Uuid, Vec<Version>> = HashMap::new();
    for release in store.releases_of(&ids, RELEASES_OF_SOFTWARE).await? {
        versions
            .entry(release.software_id)
            .or_default()
            .push(Version {
                version: release.version,
            });
    }
    let nodes = page
        .into_iter()
        .map(|software| SoftwareListNode {
            releases: versions.remove(&software.software_id).unwrap_or_default(),
            display_name: software.display_name,
        })
        .collect();
    Ok(SoftwareListData {
        software_list: Nodes { nodes },
    })
}

/// A page of releases, then their software in one statement.
async fn releases(store: &Store) -> Result<ReleasesData, Failure> {
    let mut page = store.release_page(RELEASE_PAGE + 1).await?;
    page.truncate(RELEASE_PAGE as usize);
    // Sorted and deduplicated, as swcat lists them.
    let mut ids: Vec<Uuid> = page.iter().map(|r| r.software_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<Uuid, String> = store
        .software_many(&ids)
        .await?
        .into_iter()
        .map(|s: SoftwareRow| (s.software_id, s.display_name))
        .collect();
    let nodes = page
        .into_iter()
        .map(|release| {
            // Only missing when the software was deleted after the release was read.
            let display_name =
                names
                    .get(&release.software_id)
                    .cloned()
                    .ok_or(Failure::NotFound {
                        entity: "software",
                        id: release.software_id,
                    })?;
            Ok(ReleasesNode {
                version: release.version,
                software: DisplayName { display_name },
            })
        })
        .collect::<Result<_, Failure>>()?;
    Ok(ReleasesData {
        releases: Nodes { nodes },
    })
}
