//! The schema's one extension: what runs at each stage of a request, before and around
//! the resolvers: write access ([`super::auth`]), the operation limits
//! ([`super::limits`]) and the stage error codes ([`super::errors`]).
//!
//! One extension rather than one per concern: async-graphql passes every field of every
//! response through each installed extension's `resolve` (a boxed future per extension per
//! field, even for an extension that does not hook `resolve`), so each extension costs on
//! every field. The checks stay in their own modules; this only calls them in order.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextSubscribe, NextValidation,
};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};
use futures_util::StreamExt;

use super::limits::OperationLimits;
use super::{auth, errors};

/// Installs the checks on a schema.
pub struct Gate {
    limits: OperationLimits,
}

impl Gate {
    pub fn new(limits: OperationLimits) -> Self {
        Self { limits }
    }
}

impl ExtensionFactory for Gate {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GateCheck {
            limits: self.limits.clone(),
            cost: AtomicUsize::new(0),
        })
    }
}

/// The checks of one request (async-graphql makes one per request).
struct GateCheck {
    limits: OperationLimits,
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
