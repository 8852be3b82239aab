//! The one place where errors get their `extensions.code`.
//!
//! Typed errors carry their code themselves: the domain's and catalog's errors implement
//! async-graphql's [`ErrorExtensions`] here, and resolvers convert them with
//! `ResultExt::extend`; the scalars tag their own parse errors. The [`ErrorCodes`] extension
//! codes the errors of a request's stages (a document that does not parse or validate) and
//! treats any error still without a code as internal: it is logged once, with its cause
//! chain where there is one, and reaches the client as "internal error".

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextSubscribe,
    NextValidation,
};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    Error, ErrorExtensions, Response, ServerError, ServerResult, ValidationResult, Variables,
};
use futures_util::StreamExt;

use super::codes::ErrorCode;
use crate::catalog::CatalogError;
use crate::domain::ValidationError;
use crate::report::ErrorChain;

/// The message of every internal error, whatever its cause: causes stay in the log.
const INTERNAL_MESSAGE: &str = "internal error";

impl ErrorExtensions for CatalogError {
    fn extend(&self) -> Error {
        match self {
            CatalogError::Invalid(invalid) => invalid.extend(),
            CatalogError::NotFound { .. } => ErrorCode::NotFound.error(self.to_string()),
            CatalogError::Conflict(message) => ErrorCode::Conflict.error(message.clone()),
            CatalogError::CursorExpired => ErrorCode::CursorExpired.error(self.to_string()),
            CatalogError::Internal(cause) => {
                tracing::error!(error = %ErrorChain(cause), "request failed");
                ErrorCode::InternalServerError.error(INTERNAL_MESSAGE)
            }
        }
    }
}

impl ErrorExtensions for ValidationError {
    fn extend(&self) -> Error {
        ErrorCode::BadUserInput.error(self.to_string())
    }
}

/// Installs the stage codes and the internal-error fallback on a schema.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables)
            .await
            .map_err(|error| with_default_code(error, ErrorCode::GraphqlParseFailed))
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|error| with_default_code(error, ErrorCode::GraphqlValidationFailed))
                .collect()
        })
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        internal_unless_coded(next.run(ctx).await)
    }

    /// Each response of a subscription, as [`Self::request`] does for a single one.
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream).map(internal_unless_coded).boxed()
    }
}

/// Makes every error of `response` that no typed source coded an opaque internal one.
fn internal_unless_coded(mut response: Response) -> Response {
    for error in &mut response.errors {
        if !ErrorCode::is_attached(error) {
            // Nothing typed produced it: a fault of ours, not the client's.
            tracing::error!(error = %error.message, path = ?error.path, "request failed");
            error.message = INTERNAL_MESSAGE.to_owned();
            ErrorCode::InternalServerError.attach(error);
        }
    }
    response
}

/// `error` with `code`, unless an inner stage already gave it a more precise one.
fn with_default_code(mut error: ServerError, code: ErrorCode) -> ServerError {
    if !ErrorCode::is_attached(&error) {
        code.attach(&mut error);
    }
    error
}
