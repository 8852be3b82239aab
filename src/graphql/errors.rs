//! The one place where errors get their `extensions.code`.
//!
//! Typed errors carry their code themselves: the domain's and catalog's errors implement
//! async-graphql's [`ErrorExtensions`] here, and resolvers convert them with
//! `ResultExt::extend`; the scalars tag their own parse errors. With the functions here,
//! the schema's extension ([`super::gate`]) codes the errors of a request's stages (a
//! document that does not parse or validate) and treats any error still without a code as
//! internal: it is logged once, with its cause chain where there is one, and reaches the
//! client as "internal error".

use async_graphql::{Error, ErrorExtensions, Response, ServerError};

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

/// A document that did not parse: `GRAPHQL_PARSE_FAILED`, unless a check had coded it.
pub(super) fn parse_failed(error: ServerError) -> ServerError {
    with_default_code(error, ErrorCode::GraphqlParseFailed)
}

/// A document that did not validate: `GRAPHQL_VALIDATION_FAILED`, unless a check had
/// coded it.
pub(super) fn validation_failed(errors: Vec<ServerError>) -> Vec<ServerError> {
    errors
        .into_iter()
        .map(|error| with_default_code(error, ErrorCode::GraphqlValidationFailed))
        .collect()
}

/// Makes every error of `response` that no typed source coded an opaque internal one.
pub(super) fn internal_unless_coded(mut response: Response) -> Response {
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
