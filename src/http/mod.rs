//! The HTTP surface: the routes, and the layers every request passes through.
//!
//! From the outside in: a request id (taken from `x-request-id` or made up, and echoed),
//! one log line per request, a handler panic answered as a 500, CORS. The GraphQL handlers
//! then first wait for a turn ([`admission`]: a bounded number execute at once, a bounded
//! number wait; beyond, 503 with `Retry-After`), so that a flood cannot starve the requests
//! already admitted.

mod admission;
mod graphiql;
mod graphql;
mod probes;
mod ws;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::DatabaseConnection;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

pub use admission::Admission;

use crate::graphql::{ApiTokens, CatalogSchema, ErrorCode, PersistedDocuments};
use crate::metrics::Metrics;
use crate::settings::{FeedSettings, Limits};

/// The header that carries a request's id, in and out.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the handlers share, behind one `Arc`: axum clones the state for every extractor
/// and middleware of every request, and one count is cheaper to copy than each part's.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl From<Shared> for AppState {
    fn from(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts of [`AppState`].
pub struct Shared {
    pub schema: CatalogSchema,
    pub db: DatabaseConnection,
    /// How long one GraphQL request may run.
    pub request_timeout: Duration,
    /// Who may run mutations.
    pub api_tokens: ApiTokens,
    /// Body and batch limits (the operation limits live in the schema).
    pub limits: Limits,
    /// Most connections of the pool, shown beside its state at `/metrics`.
    pub max_connections: u32,
    pub metrics: Metrics,
    /// Documents sent by hash: APQ, or the trusted documents.
    pub persisted: Arc<PersistedDocuments>,
    /// How long HTTP caches may keep the answer to a `GET` of a persisted query.
    pub persisted_get_max_age: Duration,
    /// The change feed's and WebSocket endpoint's settings.
    pub feed_settings: FeedSettings,
    /// The instance's places for WebSocket connections.
    pub ws_connections: Arc<Semaphore>,
    /// The turns of GraphQL requests: over HTTP, and queries and mutations over WebSocket
    /// ([`admission`]).
    pub admission: Admission,
}

/// Who may call the API from a browser: `origins`, or anyone when there are none.
pub fn cors(origins: &[HeaderValue]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT,
            REQUEST_ID,
        ])
        .expose_headers([REQUEST_ID])
        .max_age(Duration::from_secs(24 * 60 * 60));
    if origins.is_empty() {
        // The API uses no cookies: a foreign page can only send what its user could send
        // anyway, and a token only if the page already holds it.
        layer.allow_origin(Any)
    } else {
        layer.allow_origin(AllowOrigin::list(origins.iter().cloned()))
    }
}

/// All routes of the server, behind the layers every request passes.
///
/// The layers wrap the routes once, as one service, rather than through `Router::layer`,
/// which wraps each route on its own: axum clones a request's route, with every layer
/// and box inside it, for each request, and a route layered six times is six boxed
/// services to clone and six boxed futures to run. Here each request clones the stack
/// once.
pub fn router(state: AppState, cors: CorsLayer) -> Router {
    let max_body_bytes = state.limits.max_body_bytes;
    let routes = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/graphiql/{release}/{file}", get(graphiql::asset))
        .route("/health", get(probes::health))
        .route("/ready", get(probes::ready))
        .route("/metrics", get(probes::metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    // From the outside in.
    let layered = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_response)
                .on_failure(()),
        )
        // A bug must not cost more than its own request: answer 500, never drop the socket
        // or show a backtrace.
        .layer(CatchPanicLayer::custom(answer_panic))
        .layer(cors)
        .layer(axum::middleware::from_fn_with_state(
            max_body_bytes,
            graphql::drain_unused_body,
        ))
        .service(routes);
    Router::new().fallback_service(layered)
}

/// The answer to a request whose handler panicked; the panic is logged.
fn answer_panic(panic: Box<dyn std::any::Any + Send>) -> axum::response::Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %message, "a request handler panicked");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::InternalServerError.server_error("internal error"),
    )
}

/// The span of one request: every log line written while it is handled carries its id.
fn request_span<B>(request: &Request<B>) -> Span {
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id,
        operation = tracing::field::Empty,
    )
}

/// The one log line of a request, once its answer is ready.
fn log_response<B>(response: &Response<B>, latency: Duration, _span: &Span) {
    tracing::info!(
        status = response.status().as_u16(),
        latency_ms = latency.as_secs_f64() * 1000.0,
        "answered"
    );
}

/// No such route.
async fn not_found() -> axum::response::Response {
    error_response(
        StatusCode::NOT_FOUND,
        ErrorCode::BadRequest.server_error("no such route; GraphQL is served at /graphql"),
    )
}

/// A route that exists, with a method it does not take.
async fn method_not_allowed() -> axum::response::Response {
    error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::BadRequest.server_error("this route takes GET (and /graphql also POST)"),
    )
}

/// Too many requests are running or waiting: come back in a second.
fn busy() -> axum::response::Response {
    let mut response = error_response(StatusCode::SERVICE_UNAVAILABLE, busy_error());
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Why a request was not run: no turn to execute, and no place left to wait for one.
fn busy_error() -> async_graphql::ServerError {
    ErrorCode::ServiceUnavailable.server_error("the server is busy; retry in a moment")
}

/// An error the HTTP layer answers itself, shaped like a GraphQL response.
fn error_response(
    status: StatusCode,
    error: async_graphql::ServerError,
) -> axum::response::Response {
    (status, Json(serde_json::json!({ "errors": [error] }))).into_response()
}
