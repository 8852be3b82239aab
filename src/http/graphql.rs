//! GraphQL over HTTP (the GraphQL-over-HTTP spec): `POST /graphql` and `GET /graphql`.
//!
//! The body is read up to the body limit, checked to be JSON, parsed into a request or a
//! batch (within the batch limit), executed under the request deadline, and answered in the
//! media type the client accepts. With `application/json` (the default, for `*/*` or no
//! `Accept`), every GraphQL response is a 200. With `application/graphql-response+json`, a
//! request that failed before execution (parse, validation, variables, limits) is a 400
//! without `data`.

use std::time::Instant;

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use super::{AppState, error_response};
use crate::graphql::limits::{Limit, refusal};
use crate::graphql::{Access, ErrorCode, Named, operation_type};

const JSON: &str = "application/json";
const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The media type of the answer, from the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    GraphqlResponseJson,
}

impl Format {
    /// `application/graphql-response+json` when the client lists it before (or instead of)
    /// `application/json`; `application/json` for that, for `*/*` and for no `Accept`.
    /// `None` when the client accepts neither.
    fn negotiate(headers: &HeaderMap) -> Option<Self> {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Some(Format::Json);
        };
        let mut best: Option<(f32, Format)> = None;
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|param| param.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let format = match media.as_str() {
                GRAPHQL_RESPONSE_JSON => Format::GraphqlResponseJson,
                JSON | "application/*" | "*/*" => Format::Json,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, format));
            }
        }
        if accept.trim().is_empty() {
            return Some(Format::Json);
        }
        best.map(|(_, format)| format)
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Format::Json => "application/json; charset=utf-8",
            Format::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
        })
    }
}

/// `POST /graphql`: one GraphQL request, or a batch (a JSON array of requests).
pub async fn post(State(state): State<AppState>, request: Request<Body>) -> Response {
    // Taken whole, not as a `HeaderMap` extractor, which would copy every header.
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let _turn = match state.admission.turn().await {
        Ok(turn) => turn,
        Err(busy) => return busy,
    };
    // The body is read first, whatever the answer: a client must see the answer, not a
    // connection closed under its upload.
    let max = state.limits.max_body_bytes;
    let body = read_body(body, max).await;
    let Some(format) = Format::negotiate(headers) else {
        return not_acceptable();
    };
    let body = match body {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            state.metrics.refusal(Limit::Body.as_str());
            let error = refusal(Limit::Body, max, None);
            return plain_error(format, StatusCode::PAYLOAD_TOO_LARGE, error);
        }
        Err(BodyError::Unreadable) => {
            let error = ErrorCode::BadRequest.server_error("the request body could not be read");
            return plain_error(format, StatusCode::BAD_REQUEST, error);
        }
    };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(JSON));
    if !is_json {
        return plain_error(
            format,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadRequest.server_error("send the GraphQL request as application/json"),
        );
    }
    let batch = match parse_batch(&body) {
        Ok(batch) => batch,
        Err(_) => {
            return plain_error(
                format,
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest.server_error(
                    "the body is not a GraphQL request: a JSON object with a string \"query\" \
                     (and optional \"variables\", \"operationName\", \"extensions\"), or an \
                     array of them",
                ),
            );
        }
    };
    if let BatchRequest::Batch(requests) = &batch {
        let max = state.limits.max_batch;
        if requests.len() > max {
            state.metrics.refusal(Limit::Batch.as_str());
            return plain_error(
                format,
                StatusCode::BAD_REQUEST,
                refusal(Limit::Batch, max, Some(requests.len())),
            );
        }
        if requests.is_empty() {
            return plain_error(
                format,
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest.server_error("an empty batch has nothing to run"),
            );
        }
    }
    let document_ids = document_ids(&body);
    let mut batch = batch;
    // Why each request's document could not be had, by position (`None`: it could).
    let mut refused = Vec::new();
    // (`BatchRequest::iter_mut` is not `Send`, and this loop awaits.)
    let requests: Vec<&mut async_graphql::Request> = match &mut batch {
        BatchRequest::Single(one) => vec![one],
        BatchRequest::Batch(many) => many.iter_mut().collect(),
    };
    for (index, request) in requests.into_iter().enumerate() {
        let id = document_ids.get(index).and_then(Option::as_deref);
        refused.push(state.persisted.resolve(request, id).await.err());
    }
    if let BatchRequest::Single(_) = &batch
        && let Some(error) = refused.first_mut().and_then(Option::take)
    {
        return persisted_miss(format, error);
    }
    let unnamed = batch
        .iter()
        .zip(&refused)
        .any(|(request, refusal)| refusal.is_none() && request.query.trim().is_empty());
    if unnamed {
        return plain_error(
            format,
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest.server_error(
                "a GraphQL request needs a non-empty \"query\" (or a persisted document's hash)",
            ),
        );
    }
    let access = state.api_tokens.access(authorization(headers));
    let BatchRequest::Batch(requests) = batch else {
        return execute(&state, format, batch, access, None).await;
    };
    if refused.iter().all(Option::is_none) {
        return execute(&state, format, BatchRequest::Batch(requests), access, None).await;
    }
    // Run the requests of the batch whose documents are known; answer the others with why.
    let runnable: Vec<_> = requests
        .into_iter()
        .zip(&refused)
        .filter(|(_, refusal)| refusal.is_none())
        .map(|(request, _)| request)
        .collect();
    let mut answered = if runnable.is_empty() {
        Vec::new()
    } else {
        run(&state, BatchRequest::Batch(runnable), access).await
    }
    .into_iter();
    let merged = refused
        .into_iter()
        .map(|refusal| match refusal {
            Some(error) => async_graphql::Response::from_errors(vec![error]),
            None => answered.next().unwrap_or_default(),
        })
        .collect();
    let mut response = answer(format, BatchResponse::Batch(merged));
    no_cache(&mut response);
    response
}

/// The request or batch in `body`, read as what its first character says it is: serde's
/// untagged `BatchRequest` first copies the whole body into an intermediate tree, then
/// reads that. Anything else (or what fails so) is read as `BatchRequest`, which decides.
fn parse_batch(body: &[u8]) -> serde_json::Result<BatchRequest> {
    let direct = match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
        Some(b'{') => serde_json::from_slice(body).ok().map(BatchRequest::Single),
        Some(b'[') => serde_json::from_slice::<Vec<async_graphql::Request>>(body)
            .ok()
            .filter(|requests| !requests.is_empty())
            .map(BatchRequest::Batch),
        _ => None,
    };
    match direct {
        Some(batch) => Ok(batch),
        None => serde_json::from_slice(body),
    }
}

/// The `documentId` of each request of a body (the GraphQL-over-HTTP spec's persisted
/// documents), in order; empty when the body names none (parsed only then).
fn document_ids(body: &[u8]) -> Vec<Option<String>> {
    #[derive(serde::Deserialize)]
    struct WithId {
        #[serde(rename = "documentId")]
        document_id: Option<String>,
    }
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Ids {
        One(WithId),
        Many(Vec<WithId>),
    }
    if memchr::memmem::find(body, b"documentId").is_none() {
        return Vec::new();
    }
    match serde_json::from_slice::<Ids>(body) {
        Ok(Ids::One(one)) => vec![one.document_id],
        Ok(Ids::Many(many)) => many.into_iter().map(|one| one.document_id).collect(),
        Err(_) => Vec::new(),
    }
}

/// A request whose document could not be had: answered without running anything, and not
/// to be cached (the client registers the document, and the same request then works).
fn persisted_miss(format: Format, error: async_graphql::ServerError) -> Response {
    let mut response = answer(
        format,
        BatchResponse::Single(async_graphql::Response::from_errors(vec![error])),
    );
    no_cache(&mut response);
    response
}

fn no_cache(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

/// `GET /graphql`: `?query=` runs a query; a browser without a query gets GraphiQL.
/// Mutations are refused over GET (405), so that a link or a prefetch cannot change data.
pub async fn get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let _turn = match state.admission.turn().await {
        Ok(turn) => turn,
        Err(busy) => return busy,
    };
    let Some(query) = query.filter(|query| !query.is_empty()) else {
        if accepts_html(&headers) {
            return super::graphiql::page();
        }
        return plain_error(
            Format::negotiate(&headers).unwrap_or(Format::Json),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest
                .server_error("send a GraphQL request: POST a JSON body, or GET with ?query="),
        );
    };
    let Some(format) = Format::negotiate(&headers) else {
        return not_acceptable();
    };
    if query.len() > state.limits.max_body_bytes {
        state.metrics.refusal(Limit::Body.as_str());
        return plain_error(
            format,
            StatusCode::PAYLOAD_TOO_LARGE,
            refusal(Limit::Body, state.limits.max_body_bytes, Some(query.len())),
        );
    }
    let document_id = form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "documentId")
        .map(|(_, value)| value.into_owned());
    let parsed = async_graphql::http::parse_query_string(&query);
    let named = match parsed {
        Ok(mut request) => match state
            .persisted
            .resolve(&mut request, document_id.as_deref())
            .await
        {
            Ok(named) => Ok((request, named)),
            Err(error) => return persisted_miss(format, error),
        },
        Err(err) => Err(err),
    };
    let (mut request, named) = match named {
        Ok((request, named)) if !request.query.trim().is_empty() => (request, named),
        _ => {
            return plain_error(
                format,
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest.server_error(
                    "the query string is not a GraphQL request (query, variables, \
                     operationName, extensions)",
                ),
            );
        }
    };
    state.schema.documents().prepare(&mut request);
    if is_mutation(&mut request) {
        let mut response = plain_error(
            format,
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadRequest.server_error("mutations are only accepted with POST"),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let access = state.api_tokens.access(authorization(&headers));
    // The same URL always runs the same document: HTTP caches may keep a successful answer
    // (privately when reads need a token).
    let cache = (named == Named::ByHash).then(|| {
        let scope = if access == Access::None
            || state.api_tokens.is_enabled() && authorization(&headers).is_some()
        {
            "private"
        } else {
            "public"
        };
        let max_age = state.persisted_get_max_age.as_secs();
        HeaderValue::from_str(&format!("{scope}, max-age={max_age}"))
            .unwrap_or(HeaderValue::from_static("no-cache"))
    });
    execute(&state, format, BatchRequest::Single(request), access, cache).await
}

/// Runs `batch`, sent by someone with `access`, under the request deadline and answers it
/// in `format`; with `cache` as its `Cache-Control` when every request succeeded.
async fn execute(
    state: &AppState,
    format: Format,
    batch: BatchRequest,
    access: Access,
    cache: Option<HeaderValue>,
) -> Response {
    let is_batch = matches!(batch, BatchRequest::Batch(_));
    let responses = run(state, batch, access).await;
    let succeeded = responses.iter().all(|response| response.errors.is_empty());
    let response = match (is_batch, responses.len()) {
        (false, 1) => BatchResponse::Single(responses.into_iter().next().unwrap_or_default()),
        _ => BatchResponse::Batch(responses),
    };
    let mut answered = answer(format, response);
    if let Some(cache) = cache.filter(|_| succeeded) {
        answered.headers_mut().insert(header::CACHE_CONTROL, cache);
        answered.headers_mut().insert(
            header::VARY,
            HeaderValue::from_static("accept, authorization"),
        );
    }
    answered
}

/// Runs `batch`, sent by someone with `access`, under the request deadline: one response
/// per request, in order, each run after the one before.
async fn run(
    state: &AppState,
    batch: BatchRequest,
    access: Access,
) -> Vec<async_graphql::Response> {
    let started = Instant::now();
    let names: Vec<Option<String>> = batch.iter().map(|r| r.operation_name.clone()).collect();
    let span = tracing::Span::current();
    if let [Some(name)] = names.as_slice() {
        span.record("operation", name.as_str());
    } else if names.len() > 1 {
        span.record("operation", format!("batch of {}", names.len()).as_str());
    }
    let size = names.len();
    let requests = match batch {
        BatchRequest::Single(one) => vec![one],
        BatchRequest::Batch(many) => many,
    };
    let all = async {
        let mut responses = Vec::with_capacity(size);
        for request in requests {
            responses.push(state.schema.execute(request, access).await);
        }
        responses
    };
    let responses = match tokio::time::timeout(state.request_timeout, all).await {
        Ok(responses) => responses,
        Err(_) => {
            tracing::error!(limit = ?state.request_timeout, "request timed out");
            (0..size).map(|_| timed_out()).collect()
        }
    };
    state.metrics.latency(started.elapsed());
    for (name, one) in names.iter().zip(&responses) {
        observe(state, name.as_deref(), one);
    }
    responses
}

/// The answer to a request cut off at the request timeout. Dropping its execution rolls
/// back a write in progress, so nothing was changed.
pub(super) fn timed_out() -> async_graphql::Response {
    async_graphql::Response::from_errors(vec![
        ErrorCode::InternalServerError
            .server_error("the request took too long; nothing was changed"),
    ])
}

/// Counts one executed request, and the limit that refused it, if one did.
fn observe(state: &AppState, name: Option<&str>, response: &async_graphql::Response) {
    let text = |key: &str| match response.errors.first()?.extensions.as_ref()?.get(key)? {
        async_graphql::Value::String(text) => Some(text.as_str()),
        _ => None,
    };
    let outcome = match (response.errors.is_empty(), text("code")) {
        (true, _) => "ok",
        (false, Some(code)) => code,
        (false, None) => ErrorCode::InternalServerError.as_str(),
    };
    if outcome == ErrorCode::LimitExceeded.as_str()
        && let Some(limit) = text("limit")
    {
        state.metrics.refusal(limit);
    }
    state.metrics.operation(name, outcome);
}

/// Whether `response` failed before execution: no data, and errors with no field path.
fn failed_before_execution(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// The HTTP answer to executed GraphQL requests.
fn answer(format: Format, response: BatchResponse) -> Response {
    /// A response without `data`, for a request that failed before execution.
    #[derive(serde::Serialize)]
    struct ErrorsOnly<'a> {
        errors: &'a [async_graphql::ServerError],
    }
    // Serialized straight from async-graphql's values, which keep the order of the
    // selection set (a detour through `serde_json::Value` would sort the keys).
    let (status, body) = match &response {
        BatchResponse::Single(one)
            if format == Format::GraphqlResponseJson && failed_before_execution(one) =>
        {
            let errors = ErrorsOnly {
                errors: &one.errors,
            };
            (StatusCode::BAD_REQUEST, to_json(&errors))
        }
        BatchResponse::Single(one) => (StatusCode::OK, to_json(one)),
        BatchResponse::Batch(many) => (StatusCode::OK, to_json(many)),
    };
    match body {
        Ok(bytes) => json_response(format, status, bytes),
        Err(err) => {
            tracing::error!(error = %err, "cannot serialize a response");
            let error = ErrorCode::InternalServerError.server_error("internal error");
            plain_error(format, StatusCode::INTERNAL_SERVER_ERROR, error)
        }
    }
}

/// `value` as JSON, into a buffer that holds most answers without growing (serde_json's
/// own starts at 128 bytes and doubles, copying as it goes).
fn to_json(value: &impl serde::Serialize) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(4096);
    serde_json::to_writer(&mut bytes, value)?;
    Ok(bytes)
}

fn json_response(format: Format, status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = (status, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, format.content_type());
    response
}

/// An error the HTTP layer answers before any GraphQL runs, in `format`.
fn plain_error(format: Format, status: StatusCode, error: async_graphql::ServerError) -> Response {
    let body = serde_json::json!({ "errors": [error] });
    json_response(
        format,
        status,
        serde_json::to_vec(&body).unwrap_or_default(),
    )
}

/// The client accepts neither JSON media type.
fn not_acceptable() -> Response {
    error_response(
        StatusCode::NOT_ACCEPTABLE,
        ErrorCode::BadRequest.server_error(format!(
            "this endpoint answers {JSON} or {GRAPHQL_RESPONSE_JSON}; the Accept header allows neither"
        )),
    )
}

/// How much of a body over the limit is still read (and thrown away) before answering
/// 413, so that an ordinary client sees the answer rather than a connection reset in the
/// middle of its upload. A body beyond this is cut off.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// Reads and discards the body of any request but `POST /graphql` (which reads its own),
/// so that a client who sends one sees the answer instead of a connection closed under its
/// upload. Over the body limit: 413.
pub async fn drain_unused_body(
    State(max): State<usize>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if request.method() == axum::http::Method::POST && request.uri().path() == "/graphql" {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match read_body(body, max).await {
        Ok(_) => {
            next.run(axum::extract::Request::from_parts(parts, Body::empty()))
                .await
        }
        Err(BodyError::TooLarge) => error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            refusal(Limit::Body, max, None),
        ),
        Err(BodyError::Unreadable) => error_response(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest.server_error("the request body could not be read"),
        ),
    }
}

/// Why a body was not read.
enum BodyError {
    /// Over the body limit: 413.
    TooLarge,
    /// The connection failed while reading it: 400.
    Unreadable,
}

/// Reads the whole body, up to `limit` bytes.
async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, BodyError> {
    let mut bytes = Vec::new();
    let mut seen = 0_usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(BodyError::Unreadable);
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen <= limit {
            bytes.extend_from_slice(&data);
        } else if seen > DRAIN_LIMIT {
            break;
        }
    }
    if seen > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(Bytes::from(bytes))
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The `Authorization` header's value, if it is text.
fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
}

/// Whether the operation that `request` would run is a mutation. A document that does not
/// parse is not one: executing it reports the parse error.
fn is_mutation(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    request.parsed_query().is_ok_and(|document| {
        operation_type(document, name.as_deref()) == Some(OperationType::Mutation)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_body_is_read_as_the_untagged_batch_request_reads_it() {
        for body in [
            r#"{"query":"{ a }","variables":{"x":[1,2.5,"s",null,{"y":true}]}}"#,
            r#"  [{"query":"{ a }"},{"query":"{ b }","operationName":"B"}]"#,
            r#"[]"#,
            r#"["{ a }"]"#,
            r#"{"query":1}"#,
            r#"[{"query":"{ a }"}, 1]"#,
            r#"{"query":"{ a }"} trailing"#,
            r#""text""#,
            "",
        ] {
            let untagged = serde_json::from_slice::<BatchRequest>(body.as_bytes());
            let direct = parse_batch(body.as_bytes());
            assert_eq!(
                format!("{:?}", direct.ok()),
                format!("{:?}", untagged.ok()),
                "{body}"
            );
        }
    }

    #[test]
    fn json_is_the_default_and_graphql_response_json_is_answered_when_preferred() {
        assert_eq!(Format::negotiate(&HeaderMap::new()), Some(Format::Json));
        assert_eq!(Format::negotiate(&accept("*/*")), Some(Format::Json));
        assert_eq!(
            Format::negotiate(&accept("application/json")),
            Some(Format::Json)
        );
        assert_eq!(
            Format::negotiate(&accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(Format::GraphqlResponseJson)
        );
        assert_eq!(
            Format::negotiate(&accept(
                "application/json, application/graphql-response+json;q=0.5"
            )),
            Some(Format::Json)
        );
        assert_eq!(Format::negotiate(&accept("text/csv")), None);
    }
}
