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

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult};
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

/// The operation limits of `Limits`, checked by the schema's extension
/// ([`super::gate`]) at each stage of a request.
#[derive(Clone)]
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

impl OperationLimits {
    /// Refuses a document over the size limit, before it is parsed.
    pub(super) fn check_document(&self, request: &Request) -> ServerResult<()> {
        let size = request.query.len();
        if size > self.0.limits.max_document_bytes {
            return Err(refusal(
                Limit::Document,
                self.0.limits.max_document_bytes,
                Some(size),
            ));
        }
        Ok(())
    }

    /// Refuses introspection when it is off, and too many aliases, once parsed.
    pub(super) fn check_parsed(&self, document: &ExecutableDocument) -> ServerResult<()> {
        if !self.0.limits.introspection && introspects(document) {
            // async-graphql alone would answer `__schema: null`; say why instead.
            return Err(ErrorCode::GraphqlValidationFailed
                .server_error("introspection is disabled on this server"));
        }
        let aliases = count_aliases(document);
        if aliases > self.0.limits.max_aliases {
            return Err(refusal(
                Limit::Aliases,
                self.0.limits.max_aliases,
                Some(aliases),
            ));
        }
        Ok(())
    }

    /// Refuses too deep or too costly an operation, once validated.
    pub(super) fn check_validated(
        &self,
        result: &ValidationResult,
    ) -> Result<(), Vec<ServerError>> {
        if result.depth > self.0.limits.max_depth {
            return Err(vec![refusal(
                Limit::Depth,
                self.0.limits.max_depth,
                Some(result.depth),
            )]);
        }
        if result.complexity > self.0.limits.max_cost {
            return Err(vec![refusal(
                Limit::Cost,
                self.0.limits.max_cost,
                Some(result.complexity),
            )]);
        }
        Ok(())
    }

    /// Executes an operation of `cost`: at once when it is cheap; an expensive one only
    /// when it has one of the instance's few turns, so that a few clients sending such
    /// operations cannot take every core from the many cheap ones. It waits
    /// [`EXPENSIVE_WAIT`] at most. A turn rests after use as long as it was used, so
    /// expensive operations get at most half of a turn's time, however many clients send
    /// them back to back; cheap requests have the other half to themselves.
    pub(super) async fn execute(
        &self,
        cost: usize,
        execute: impl Future<Output = Response>,
    ) -> Response {
        if cost <= self.0.limits.expensive_cost() {
            return execute.await;
        }
        let turn = self.0.expensive.clone().acquire_owned();
        match tokio::time::timeout(EXPENSIVE_WAIT, turn).await {
            Ok(Ok(turn)) => {
                let started = Instant::now();
                let response = execute.await;
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
