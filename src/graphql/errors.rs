//! The one place where errors get their `extensions.code`.
//!
//! Resolvers return the catalog's errors with `?`; async-graphql keeps the original error
//! as the source of the GraphQL error, and this extension maps it to the contract's code.
//! Errors of the request itself (a document that does not parse or validate, a malformed
//! `UUID` or `Date`) are tagged at the stage that found them. Internal errors are logged here,
//! once, with their cause chain, and reach the client only as "internal error".

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

use super::auth::Unauthenticated;
use crate::catalog::CatalogError;
use crate::domain::ValidationError;

pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const NOT_FOUND: &str = "NOT_FOUND";
pub const CONFLICT: &str = "CONFLICT";
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
pub const INTERNAL_SERVER_ERROR: &str = "INTERNAL_SERVER_ERROR";
pub const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

/// Installs the error-code mapping on a schema.
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
            .map_err(|err| with_code(err, GRAPHQL_PARSE_FAILED))
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|err| {
                    // The contract makes a malformed UUID or Date a user-input error, in a
                    // literal or a variable, rather than a schema-validation one.
                    let code = if err.message.contains("expected type \"UUID\"")
                        || err.message.contains("expected type \"Date\"")
                    {
                        BAD_USER_INPUT
                    } else {
                        GRAPHQL_VALIDATION_FAILED
                    };
                    with_code(err, code)
                })
                .collect()
        })
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            if !has_code(error) {
                classify(error);
            }
        }
        response
    }
}

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some())
}

fn with_code(mut error: ServerError, code: &str) -> ServerError {
    set_code(&mut error, code);
    error
}

fn set_code(error: &mut ServerError, code: &str) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
}

/// Gives an execution error its code (and, for internal errors, an opaque message).
fn classify(error: &mut ServerError) {
    let catalog = error
        .source::<CatalogError>()
        .or_else(|| error.source::<Arc<CatalogError>>().map(AsRef::as_ref));
    let code = match catalog {
        Some(CatalogError::Invalid(_)) => BAD_USER_INPUT,
        Some(CatalogError::NotFound { .. }) => NOT_FOUND,
        Some(CatalogError::Conflict(_)) => CONFLICT,
        Some(CatalogError::Internal(cause)) => {
            tracing::error!(error = %ErrorChain(cause), path = ?error.path, "request failed");
            INTERNAL_SERVER_ERROR
        }
        None if error.source::<ValidationError>().is_some() => BAD_USER_INPUT,
        None if error.source::<Unauthenticated>().is_some() => UNAUTHENTICATED,
        // An argument that failed to convert while executing (async-graphql's own wording).
        None if error.message.starts_with("Failed to parse") => BAD_USER_INPUT,
        None => {
            tracing::error!(error = %error.message, path = ?error.path, "request failed");
            INTERNAL_SERVER_ERROR
        }
    };
    if code == INTERNAL_SERVER_ERROR {
        error.message = "internal error".to_owned();
    }
    set_code(error, code);
}

/// Displays an error followed by each of its causes: `a: b: c`.
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}
