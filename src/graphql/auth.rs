//! Who may read and change the catalog.
//!
//! When the server is started with API tokens, every mutation needs an
//! `Authorization: Bearer <token>` header naming one of them; queries and subscriptions stay
//! open to all, unless reads are made private too (`--private-reads`). Without tokens,
//! everything is open (the default, for local use).
//!
//! The check is made once per operation, by [`check_operation`] (called by the schema's
//! extension, [`super::gate`]), as soon as the document is parsed and the operation to run
//! is known: a mutation without write access is refused before validation and before any
//! resolver runs. No mutation field needs an
//! attribute of its own, so a new one cannot be left open by mistake.

use async_graphql::extensions::ExtensionContext;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Request, ServerResult};

use super::codes::ErrorCode;
use super::request::operation_type;

/// The configured tokens (empty: everything is open), and whether reads need one too.
#[derive(Clone, Default)]
pub struct ApiTokens {
    tokens: Vec<String>,
    private_reads: bool,
}

impl ApiTokens {
    pub fn new(tokens: impl IntoIterator<Item = String>) -> Self {
        Self {
            tokens: tokens
                .into_iter()
                .map(|token| token.trim().to_owned())
                .filter(|token| !token.is_empty())
                .collect(),
            private_reads: false,
        }
    }

    /// Queries and subscriptions need a token too (when any token is configured).
    pub fn with_private_reads(mut self, private_reads: bool) -> Self {
        self.private_reads = private_reads;
        self
    }

    /// Whether any token is configured (then mutations need one).
    pub fn is_enabled(&self) -> bool {
        !self.tokens.is_empty()
    }

    /// What the request with this `Authorization` header may do.
    pub fn access(&self, authorization: Option<&str>) -> Access {
        if self.tokens.is_empty() {
            return Access::Write;
        }
        let presented = authorization.and_then(|value| value.strip_prefix("Bearer "));
        match presented {
            Some(token)
                if self
                    .tokens
                    .iter()
                    .any(|known| same(known.as_bytes(), token.trim().as_bytes())) =>
            {
                Access::Write
            }
            _ if self.private_reads => Access::None,
            _ => Access::ReadOnly,
        }
    }
}

/// Compares in time independent of where the inputs differ, so timing reveals no token.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// What the current request may do; put in each request's data by the HTTP layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads are private and the request has no valid token.
    None,
    ReadOnly,
    Write,
}

/// Marks a request that came over the WebSocket endpoint, the one transport that can
/// carry a subscription's stream of results.
#[derive(Clone, Copy, Debug)]
pub struct OverWebSocket;

/// A mutation was sent without a valid token: refuses the whole request, as
/// `UNAUTHENTICATED`.
#[derive(Debug, thiserror::Error)]
#[error("this mutation needs an `Authorization: Bearer` header with a valid API token")]
pub struct Unauthenticated;

/// The `operationName` of the request being run, kept for the check after parsing.
struct OperationName(Option<String>);

/// Keeps the request's `operationName` for [`check_operation`], which runs after parsing.
pub(super) fn remember_operation(request: Request) -> Request {
    let name = OperationName(request.operation_name.clone());
    request.data(name)
}

/// Refuses a mutation operation unless the request has [`Access::Write`], any operation
/// of a request with [`Access::None`], a request whose operation cannot be resolved
/// (`OPERATION_RESOLUTION_FAILURE`), and a subscription that did not come over WebSocket
/// (`BAD_REQUEST`). Runs once per request, right after parsing, before validation.
pub(super) fn check_operation(
    ctx: &ExtensionContext<'_>,
    document: &ExecutableDocument,
) -> ServerResult<()> {
    let name = ctx
        .data_opt::<OperationName>()
        .and_then(|name| name.0.as_deref());
    check(
        document,
        name,
        ctx.data_opt::<Access>().copied(),
        ctx.data_opt::<OverWebSocket>().is_some(),
    )
}

/// [`check_operation`] for a request whose operation `name`, `access` and transport are
/// known: also called directly for a request whose other checks are known to pass.
pub(super) fn check(
    document: &ExecutableDocument,
    name: Option<&str>,
    access: Option<Access>,
    over_websocket: bool,
) -> ServerResult<()> {
    // The operation to run is resolved here, so a name that picks none is refused here
    // too (async-graphql would report it later, without a code).
    let Some(operation) = operation_type(document, name) else {
        let message = match name {
            Some(name) => format!("the document has no operation named {name:?}"),
            None => "the document has several operations; name one in operationName".into(),
        };
        return Err(ErrorCode::OperationResolutionFailure.server_error(message));
    };
    if operation == OperationType::Mutation && access != Some(Access::Write) {
        return Err(ErrorCode::Unauthenticated.server_error(Unauthenticated.to_string()));
    }
    if access == Some(Access::None) {
        return Err(ErrorCode::Unauthenticated.server_error(
            "reads are private here: send an `Authorization: Bearer` header with a valid API token",
        ));
    }
    if operation == OperationType::Subscription && !over_websocket {
        return Err(ErrorCode::BadRequest.server_error(
            "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql/ws",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_tokens_everyone_may_write() {
        assert_eq!(ApiTokens::default().access(None), Access::Write);
        assert_eq!(ApiTokens::new([" ".to_owned()]).access(None), Access::Write);
    }

    #[test]
    fn with_tokens_only_a_bearer_of_one_may_write() {
        let tokens = ApiTokens::new(["alpha".to_owned(), "beta".to_owned()]);
        assert_eq!(tokens.access(Some("Bearer beta")), Access::Write);
        assert_eq!(tokens.access(Some("Bearer alpha")), Access::Write);
        assert_eq!(tokens.access(Some("Bearer gamma")), Access::ReadOnly);
        assert_eq!(tokens.access(Some("Bearer alph")), Access::ReadOnly);
        assert_eq!(tokens.access(Some("beta")), Access::ReadOnly);
        assert_eq!(tokens.access(None), Access::ReadOnly);
    }

    #[test]
    fn with_private_reads_a_request_without_a_valid_token_may_do_nothing() {
        let tokens = ApiTokens::new(["alpha".to_owned()]).with_private_reads(true);
        assert_eq!(tokens.access(Some("Bearer alpha")), Access::Write);
        assert_eq!(tokens.access(Some("Bearer beta")), Access::None);
        assert_eq!(tokens.access(None), Access::None);
        // Without tokens there is nothing to present: everything stays open.
        let open = ApiTokens::default().with_private_reads(true);
        assert_eq!(open.access(None), Access::Write);
    }
}
