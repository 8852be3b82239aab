//! The gate every request passes: what runs at each stage of a request, before and around
//! the resolvers: write access ([`super::auth`]), the operation limits
//! ([`super::limits`]) and the stage error codes ([`super::errors`]).
//!
//! The checks need async-graphql's stages (parsing, and validation's cost and depth), which
//! only an extension sees. But async-graphql passes every field of every response through
//! each installed extension's `resolve` (a registry lookup and a boxed future per field,
//! even for an extension that does not hook `resolve`), and takes its direct path only in
//! a schema without extensions. So [`CatalogSchema`] holds the schema twice, built from the
//! same types: one with the gate, which checks a request and stops before executing it,
//! and one without extensions, which then runs it. Most requests that passed run without
//! extensions on the roots themselves, without async-graphql preparing them again
//! ([`super::prepared`]); the schema without extensions runs the rest. The checks stay in
//! their own modules; this only calls them in order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextSubscribe, NextValidation,
};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    ObjectType, Request, Response, Schema, ServerError, ServerResult, SubscriptionType,
    ValidationResult, Variables,
};
use futures_util::StreamExt;

use super::bounded::BoundedMap;
use super::limits::OperationLimits;
use super::prepared::Prepared;
use super::{Access, DocumentCache, auth, errors};

/// The API's schema, held twice (see the module's documentation): `checked` runs every
/// check of a request, and runs subscriptions and everything sent over WebSocket; the
/// queries and mutations of HTTP requests that `checked` let through run on `roots`
/// ([`super::prepared`]), or on `fast` when that does not take them.
pub struct CatalogSchema<Q, M, S> {
    checked: Schema<Q, M, S>,
    /// Without extensions, and with async-graphql's fast validation: the full rules have
    /// passed in `checked` by then, and the fast mode still computes what execution needs.
    fast: Schema<Q, M, S>,
    limits: OperationLimits,
    /// Parsed documents, shared by both schemas.
    documents: Arc<DocumentCache>,
    /// The requests that passed `checked`, with their cost (see [`Verdicts`]).
    verdicts: Arc<Verdicts>,
    /// Runs what `checked` let through without preparing it again ([`super::prepared`]),
    /// on these roots (the same as `fast`'s).
    prepared: Arc<Prepared>,
    roots: Arc<(Q, M)>,
}

impl<Q, M, S> Clone for CatalogSchema<Q, M, S> {
    fn clone(&self) -> Self {
        Self {
            checked: self.checked.clone(),
            fast: self.fast.clone(),
            limits: self.limits.clone(),
            documents: self.documents.clone(),
            verdicts: self.verdicts.clone(),
            prepared: self.prepared.clone(),
            roots: self.roots.clone(),
        }
    }
}

impl<Q, M, S> CatalogSchema<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    /// `checked` must have [`Gate`] installed with `limits` and `prepared`, and `fast` no
    /// extension; both are built on `roots`.
    pub(super) fn new(
        checked: Schema<Q, M, S>,
        fast: Schema<Q, M, S>,
        roots: (Q, M),
        limits: OperationLimits,
        prepared: Arc<Prepared>,
        documents: Arc<DocumentCache>,
    ) -> Self {
        Self {
            checked,
            fast,
            limits,
            documents,
            verdicts: Arc::new(Verdicts::new()),
            prepared,
            roots: Arc::new(roots),
        }
    }

    /// Parsed documents by their text.
    pub fn documents(&self) -> &DocumentCache {
        &self.documents
    }

    /// Checks and runs one query or mutation sent by someone with `access`.
    pub async fn execute(&self, request: Request, access: Access) -> Response {
        let Some(document) = self.documents.get(&request.query) else {
            // Over the document limit, or not GraphQL: the checks say why.
            return Box::pin(self.checked.execute(request.data(access))).await;
        };
        let key = Verdicts::key(&request);
        let (cost, variables, operation_name) =
            match key.as_deref().and_then(|key| self.verdicts.get(key)) {
                // Passed before: only who sent it may differ.
                Some(cost) => {
                    let name = request.operation_name.as_deref();
                    if let Err(refusal) = auth::check(&document, name, Some(access), false) {
                        return Response::from_errors(vec![refusal]);
                    }
                    (cost, request.variables, request.operation_name)
                }
                None => {
                    let variables = request.variables.clone();
                    let operation_name = request.operation_name.clone();
                    let check = Arc::new(CheckOnly::default());
                    let mut checked = request.data(access).data(check.clone());
                    checked.set_parsed_query(document.clone());
                    // Boxed: async-graphql's futures are large, and every layer above would
                    // otherwise move them whole.
                    let refused = Box::pin(self.checked.execute(checked)).await;
                    let Some(&cost) = check.0.get() else {
                        return refused;
                    };
                    if let Some(key) = key {
                        self.verdicts.insert(&key, cost);
                    }
                    (cost, variables, operation_name)
                }
            };
        // The run needs no access: it was checked, and nothing that runs reads it.
        let response = match self.prepared.prepare(document, variables, operation_name) {
            Ok(ready) => {
                let (query, mutation) = &*self.roots;
                let run = Box::pin(ready.run(query, mutation));
                self.limits.execute(cost, run).await
            }
            Err(request) => {
                let run = Box::pin(self.fast.execute(*request));
                self.limits.execute(cost, run).await
            }
        };
        errors::internal_unless_coded(response)
    }

    /// Whether `request` asks for a subscription: the operation it names, or its document's
    /// only one. `false` for a document that does not parse or names no operation (running
    /// it says why).
    pub fn is_subscription(&self, request: &Request) -> bool {
        self.documents.get(&request.query).and_then(|document| {
            super::request::operation_type(&document, request.operation_name.as_deref())
        }) == Some(async_graphql::parser::types::OperationType::Subscription)
    }

    /// Checks and runs one operation of any type, a subscription included, as a stream of
    /// responses: for the WebSocket endpoint.
    pub fn execute_stream(&self, mut request: Request) -> BoxStream<'static, Response> {
        self.documents.prepare(&mut request);
        self.checked.execute_stream(request)
    }
}

/// The requests that passed every check, with their cost. Whether a request passes
/// depends on its document, operation name and variables (validation checks the
/// variables' values, and the cost counts with them), and on who sent it; only the last
/// differs between two requests that are otherwise the same, so a request found here is
/// checked for access alone, and the full checks (validation above all) run once per
/// distinct request instead of on every one. A refused request is never kept: it runs the
/// checks again, which say why.
struct Verdicts(BoundedMap<usize>);

impl Verdicts {
    /// Most requests kept; when full, it starts over, as [`DocumentCache`] does.
    const CAPACITY: usize = 4096;

    fn new() -> Self {
        Self(BoundedMap::new(Self::CAPACITY))
    }

    /// What a verdict depends on, besides access: `None` for variables that cannot be
    /// written back as JSON (never the case for variables read from JSON).
    ///
    /// The operation name and the variables as JSON, each ended by a NUL, then the document
    /// as sent: JSON writes no raw control character, so the first two NULs end the first two
    /// parts whatever the document holds, and two requests have the same key only when
    /// all three parts are the same. The document, the longest part, is copied as it is
    /// instead of escaped.
    fn key(request: &Request) -> Option<String> {
        let mut key = serde_json::to_string(&request.operation_name).ok()?;
        key.push('\0');
        key.push_str(&serde_json::to_string(&request.variables).ok()?);
        key.push('\0');
        key.push_str(&request.query);
        Some(key)
    }

    fn get(&self, key: &str) -> Option<usize> {
        self.0.get(key)
    }

    fn insert(&self, key: &str, cost: usize) {
        self.0.insert(key, cost);
    }
}

/// Put in a request's data by [`CatalogSchema::execute`]: the gate then records that the
/// request passed every check, with its cost, instead of executing it.
#[derive(Default)]
struct CheckOnly(OnceLock<usize>);

/// Installs the checks on a schema. Its hooks are the parse, validation, execution and
/// request ones, never `resolve`: `Software` and `Release` answer their fields without the
/// extensions' per-field hooks ([`super::direct`]).
pub struct Gate {
    limits: OperationLimits,
    /// Told the schema's environment, which only extensions are shown.
    prepared: Arc<Prepared>,
}

impl Gate {
    pub fn new(limits: OperationLimits, prepared: Arc<Prepared>) -> Self {
        Self { limits, prepared }
    }
}

impl ExtensionFactory for Gate {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GateCheck {
            limits: self.limits.clone(),
            prepared: self.prepared.clone(),
            cost: AtomicUsize::new(0),
        })
    }
}

/// The checks of one request (async-graphql makes one per request).
struct GateCheck {
    limits: OperationLimits,
    prepared: Arc<Prepared>,
    /// The cost found by validation, for the turn taking at execution.
    cost: AtomicUsize,
}

#[async_graphql::async_trait::async_trait]
impl Extension for GateCheck {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        self.limits.check_document(&request)?;
        next.run(ctx, auth::remember_operation(request)).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next
            .run(ctx, query, variables)
            .await
            .map_err(errors::parse_failed)?;
        auth::check_operation(ctx, &document)?;
        self.limits.check_parsed(&document)?;
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await.map_err(errors::validation_failed)?;
        self.limits.check_validated(&result)?;
        self.cost.store(result.complexity, Ordering::Relaxed);
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let cost = self.cost.load(Ordering::Relaxed);
        self.prepared.remember(ctx.schema_env);
        if let Some(check) = ctx.data_opt::<Arc<CheckOnly>>() {
            // Set once: the only execution of this request.
            let _ = check.0.set(cost);
            return Response::default();
        }
        self.limits
            .execute(cost, next.run(ctx, operation_name))
            .await
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        errors::internal_unless_coded(next.run(ctx).await)
    }

    /// Each response of a subscription, as [`Self::request`] does for a single one.
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(errors::internal_unless_coded)
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::json;

    use super::*;

    fn key(name: Option<&str>, variables: serde_json::Value, query: &str) -> String {
        let mut request = Request::new(query).variables(Variables::from_json(variables));
        request.operation_name = name.map(str::to_owned);
        Verdicts::key(&request).unwrap()
    }

    #[test]
    fn a_verdict_key_tells_apart_every_two_requests_that_differ() {
        let requests = [
            (None, json!({}), "{ a }"),
            (Some("A"), json!({}), "{ a }"),
            (Some(""), json!({}), "{ a }"),
            (Some("A\0{}"), json!({}), "{ a }"),
            (Some("A"), json!({}), "\0{ a }"),
            (Some("A"), json!({}), "{}\0{ a }"),
            (None, json!({ "x": 1 }), "{ a }"),
            (None, json!({ "x": "1" }), "{ a }"),
            (None, json!({ "x": "\0" }), "{ a }"),
            (None, json!({}), "{ a }\0{}\0"),
            (None, json!({}), "{ b }"),
        ];
        let keys: HashSet<String> = requests
            .iter()
            .map(|(name, variables, query)| key(*name, variables.clone(), query))
            .collect();
        assert_eq!(keys.len(), requests.len());
        assert_eq!(
            key(Some("A"), json!({ "x": 1, "y": [2] }), "{ a }"),
            key(Some("A"), json!({ "y": [2], "x": 1 }), "{ a }"),
        );
    }
}
