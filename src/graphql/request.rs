//! What resolvers and extensions read of the request being run: the database it works
//! with, and which operation of its document it runs.

use async_graphql::Context;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use sea_orm::DatabaseConnection;

/// The database connection every resolver works with.
pub(super) fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}

/// The type of the operation that a request with `operation_name` would run in `document`,
/// chosen as GraphQL chooses it; `None` when the name picks none (execution reports that).
pub fn operation_type(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<OperationType> {
    match (&document.operations, operation_name) {
        // An anonymous operation has no name to pick it by.
        (DocumentOperations::Single(operation), None) => Some(operation.node.ty),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name).map(|operation| operation.node.ty)
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations
            .values()
            .next()
            .map(|operation| operation.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    }
}
