//! Bounds on what one operation may ask, checked before any resolver or SQL runs.
//!
//! The document's size is checked before it is parsed, its aliases once it is parsed, and
//! its depth and cost once it is validated. Cost is async-graphql's complexity: each field
//! counts 1, and a list field multiplies what it selects by the number of items it can
//! return (`first`, or the list's default bound), so nested lists cost what they can
//! really produce. A refusal is `LIMIT_EXCEEDED`, with `extensions.limit` naming the limit
//! and `extensions.max` its value.
//!
//! Operations that pass but are expensive (over a tenth of the cost limit) take turns: a
//! few of them execute at once per instance, so that clients sending them in a loop keep
//! at most that many tasks busy, and the cheap requests of everyone else keep the rest.

use std::sync::Arc;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};
use tokio::sync::Semaphore;

use super::codes::ErrorCode;
use crate::settings::Limits;

/// Which limit a request went over, as named in `extensions.limit` and in metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    Body,
    Document,
    Batch,
    Aliases,
    Depth,
    Cost,
}

impl Limit {
    pub const fn as_str(self) -> &'static str {
        match self {
            Limit::Body => "body",
            Limit::Document => "document",
            Limit::Batch => "batch",
            Limit::Aliases => "aliases",
            Limit::Depth => "depth",
            Limit::Cost => "cost",
        }
    }
}

/// What a refused request sees: `LIMIT_EXCEEDED`, which limit, its value, and what the
/// request had (when it was measured).
pub fn refusal(limit: Limit, max: usize, actual: Option<usize>) -> ServerError {
    let message = match actual {
        Some(actual) => format!(
            "the request's {} is {actual}, over the limit of {max}",
            limit.as_str()
        ),
        None => format!(
            "the request's {} is over the limit of {max}",
            limit.as_str()
        ),
    };
    let mut error = ErrorCode::LimitExceeded.server_error(message);
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("limit", limit.as_str());
    extensions.set("max", max as u64);
    if let Some(actual) = actual {
        extensions.set("actual", actual as u64);
    }
    tracing::info!(
        limit = limit.as_str(),
        max,
        actual,
        "request refused by a limit"
    );
    error
}

/// How long an expensive operation waits for its turn before it is answered
/// `SERVICE_UNAVAILABLE` (retry later).
const EXPENSIVE_WAIT: Duration = Duration::from_secs(2);

/// Installs the operation limits of `Limits` on a schema.
pub struct OperationLimits(Arc<Config>);

struct Config {
    limits: Limits,
    /// One permit per expensive operation allowed to execute at once on this instance.
    expensive: Arc<Semaphore>,
}

impl OperationLimits {
    pub fn new(limits: &Limits) -> Self {
        Self(Arc::new(Config {
            limits: limits.clone(),
            expensive: Arc::new(Semaphore::new(limits.max_expensive_requests)),
        }))
    }
}

impl ExtensionFactory for OperationLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationLimitsCheck {
            config: self.0.clone(),
            cost: AtomicUsize::new(0),
        })
    }
}

/// The limits' check of one request (async-graphql makes one per request).
struct OperationLimitsCheck {
    config: Arc<Config>,
    /// The cost found by validation, for the turn taking at execution.
    cost: AtomicUsize,
}

#[async_graphql::async_trait::async_trait]
impl Extension for OperationLimitsCheck {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let size = request.query.len();
        if size > self.config.limits.max_document_bytes {
            return Err(refusal(
                Limit::Document,
                self.config.limits.max_document_bytes,
                Some(size),
            ));
        }
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if !self.config.limits.introspection && introspects(&document) {
            // async-graphql alone would answer `__schema: null`; say why instead.
            return Err(ErrorCode::GraphqlValidationFailed
                .server_error("introspection is disabled on this server"));
        }
        let aliases = count_aliases(&document);
        if aliases > self.config.limits.max_aliases {
            return Err(refusal(
                Limit::Aliases,
                self.config.limits.max_aliases,
                Some(aliases),
            ));
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if result.depth > self.config.limits.max_depth {
            return Err(vec![refusal(
                Limit::Depth,
                self.config.limits.max_depth,
                Some(result.depth),
            )]);
        }
        if result.complexity > self.config.limits.max_cost {
            return Err(vec![refusal(
                Limit::Cost,
                self.config.limits.max_cost,
                Some(result.complexity),
            )]);
        }
        self.cost.store(result.complexity, Ordering::Relaxed);
        Ok(result)
    }

    /// An expensive operation executes only when it has one of the instance's few turns,
    /// so that a few clients sending such operations cannot take every core from the many
    /// cheap ones. It waits [`EXPENSIVE_WAIT`] at most. A turn rests after use as long as
    /// it was used, so expensive operations get at most half of a turn's time, however
    /// many clients send them back to back; cheap requests have the other half to
    /// themselves.
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if self.cost.load(Ordering::Relaxed) <= self.config.limits.expensive_cost() {
            return next.run(ctx, operation_name).await;
        }
        let turn = self.config.expensive.clone().acquire_owned();
        match tokio::time::timeout(EXPENSIVE_WAIT, turn).await {
            Ok(Ok(turn)) => {
                let started = Instant::now();
                let response = next.run(ctx, operation_name).await;
                let rest = started.elapsed();
                tokio::spawn(async move {
                    tokio::time::sleep(rest).await;
                    drop(turn);
                });
                response
            }
            _ => {
                tracing::info!("an expensive operation found no free turn");
                Response::from_errors(vec![ErrorCode::ServiceUnavailable.server_error(
                    "the server is busy with other expensive operations; retry in a moment, \
                     or ask for fewer items",
                )])
            }
        }
    }
}

/// Whether `document` selects `__schema` or `__type` at the root of an operation: directly,
/// in an inline fragment, or as a field of a spread fragment. Spreads are not followed
/// further: this runs before validation, which refuses fragment cycles.
fn introspects(document: &ExecutableDocument) -> bool {
    fn is_introspection(selection: &Selection) -> bool {
        matches!(selection, Selection::Field(field)
            if matches!(field.node.name.node.as_str(), "__schema" | "__type"))
    }
    fn in_set(set: &SelectionSet, document: &ExecutableDocument) -> bool {
        set.items.iter().any(|selection| match &selection.node {
            Selection::Field(_) => is_introspection(&selection.node),
            Selection::InlineFragment(fragment) => {
                in_set(&fragment.node.selection_set.node, document)
            }
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(&spread.node.fragment_name.node)
                .is_some_and(|fragment| {
                    let items = &fragment.node.selection_set.node.items;
                    items.iter().any(|item| is_introspection(&item.node))
                }),
        })
    }
    document
        .operations
        .iter()
        .any(|(_, operation)| in_set(&operation.node.selection_set.node, document))
}

/// The aliased fields written in `document`, in its operations and fragments.
fn count_aliases(document: &ExecutableDocument) -> usize {
    fn in_set(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => {
                    usize::from(field.node.alias.is_some()) + in_set(&field.node.selection_set.node)
                }
                Selection::InlineFragment(fragment) => in_set(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let operations: usize = document
        .operations
        .iter()
        .map(|(_, operation)| in_set(&operation.node.selection_set.node))
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|fragment| in_set(&fragment.node.selection_set.node))
        .sum();
    operations + fragments
}
