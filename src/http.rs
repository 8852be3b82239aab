//! The HTTP routes: GraphQL over HTTP, GraphiQL, and the health probes.

use std::time::Duration;

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse};
use async_graphql_axum::{GraphQLBatchRequest, GraphQLResponse};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::DatabaseConnection;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::graphql::{ApiTokens, CatalogSchema, ErrorCode, operation_type};

/// How long `/ready` waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone)]
struct AppState {
    schema: CatalogSchema,
    db: DatabaseConnection,
    /// How long one GraphQL request may run.
    request_timeout: Duration,
    /// Who may run mutations.
    api_tokens: ApiTokens,
}

/// All routes of the server.
pub fn router(
    schema: CatalogSchema,
    db: DatabaseConnection,
    request_timeout: Duration,
    api_tokens: ApiTokens,
) -> Router {
    // Web frontends on other origins call the API; it uses no cookies, so any origin may.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT]);
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .layer(cors)
        // A bug must not cost more than its own request: answer 500, never drop the socket
        // or show a backtrace.
        .layer(CatchPanicLayer::custom(
            |panic: Box<dyn std::any::Any + Send>| {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|text| text.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!(panic = %message, "a request handler panicked");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::InternalServerError,
                    "internal error",
                )
            },
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(AppState {
            schema,
            db,
            request_timeout,
            api_tokens,
        })
}

/// `POST /graphql`: one GraphQL request, or a batch (a JSON array of requests).
/// A JSON body without a `query` (`{}`, `{"nope": 1}`) is not a GraphQL request: 400.
async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: GraphQLBatchRequest,
) -> Response {
    let access = state.api_tokens.access(authorization(&headers));
    let request = request.into_inner().data(access);
    if request
        .iter()
        .any(|request| request.query.trim().is_empty())
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            "a GraphQL request needs a non-empty \"query\"",
        );
    }
    let size = match &request {
        BatchRequest::Single(_) => None,
        BatchRequest::Batch(requests) => Some(requests.len()),
    };
    match tokio::time::timeout(state.request_timeout, state.schema.execute_batch(request)).await {
        Ok(response) => GraphQLResponse::from(response).into_response(),
        Err(_) => {
            let timed_out = || timed_out(state.request_timeout);
            let response = match size {
                None => BatchResponse::Single(timed_out()),
                Some(n) => BatchResponse::Batch((0..n).map(|_| timed_out()).collect()),
            };
            GraphQLResponse::from(response).into_response()
        }
    }
}

/// The answer to a request that ran out of time. Dropping its future rolled back any
/// transaction it had open, so a mutation that timed out changed nothing.
fn timed_out(limit: Duration) -> async_graphql::Response {
    tracing::error!(?limit, "request timed out");
    async_graphql::Response::from_errors(vec![
        ErrorCode::InternalServerError
            .server_error("the request took too long; nothing was changed"),
    ])
}

/// `GET /graphql`: `?query=` runs a query; a browser without a query gets GraphiQL.
/// Mutations are refused over GET (405), so that a link or a prefetch cannot change data.
async fn graphql_get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(query) = query.filter(|query| !query.is_empty()) else {
        let wants_html = headers
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
        if wants_html {
            return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
        }
        return error_response(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            "send a GraphQL request: POST a JSON body, or GET with ?query=",
        );
    };
    let access = state.api_tokens.access(authorization(&headers));
    let request = match async_graphql::http::parse_query_string(&query) {
        Ok(request) => request.data(access),
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
                "the query string is not a GraphQL request (query, variables, operationName)",
            );
        }
    };
    if is_mutation(&request.query, request.operation_name.as_deref()) {
        return error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadRequest,
            "mutations are only accepted with POST",
        );
    }
    match tokio::time::timeout(state.request_timeout, state.schema.execute(request)).await {
        Ok(response) => GraphQLResponse::from(response).into_response(),
        Err(_) => GraphQLResponse::from(timed_out(state.request_timeout)).into_response(),
    }
}

/// The `Authorization` header's value, if it is text.
fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
}

/// Whether the operation that `query` would run is a mutation. A document that does not
/// parse is not one: executing it reports the parse error.
fn is_mutation(query: &str, operation_name: Option<&str>) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    operation_type(&document, operation_name) == Some(OperationType::Mutation)
}

/// An error the HTTP layer answers itself, shaped like a GraphQL response.
fn error_response(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code.as_str() } }]
    });
    (status, Json(body)).into_response()
}

/// `GET /health`: the process is up.
async fn health() -> &'static str {
    "ok"
}

/// `GET /ready`: the database answers (200), or does not (503).
async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(READY_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::warn!("readiness check: database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
