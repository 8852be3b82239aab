//! The GraphQL API: the schema, its resolvers and its error codes.
//!
//! Resolvers are thin: they parse their input into domain values, call one catalog
//! operation, and convert the result into an API type. The public contract is
//! `../shared/contract/schema.graphql`; `schema.graphql` at the project root is this
//! schema's SDL, kept current by a test.

mod auth;
mod errors;
mod inputs;
mod loaders;
mod mutation;
mod query;
mod scalars;
mod types;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, EmptySubscription, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

pub use auth::{Access, ApiTokens};
pub use errors::ErrorChain;
use inputs::ReleaseOrder;
use loaders::{ReleaseCountOfSoftware, ReleasesOfSoftware, SoftwareById};
pub use mutation::MutationRoot;
pub use query::QueryRoot;

pub type CatalogSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// How deep a query may nest fields. Deep enough for GraphiQL's introspection query and for
/// `softwareList{nodes{releases{software{releases{software{id}}}}}}`; deeper queries are
/// refused during validation, before any resolver runs.
const MAX_DEPTH: usize = 16;
/// How many fields one query may select in all (aliases count), to bound its cost.
const MAX_COMPLEXITY: usize = 5_000;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .extension(errors::ErrorCodes)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
}

/// The schema, serving the catalog in `db`.
pub fn schema(db: DatabaseConnection) -> CatalogSchema {
    builder()
        .data(DataLoader::new(SoftwareById(db.clone()), tokio::spawn))
        .data(DataLoader::new(
            ReleasesOfSoftware(db.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            ReleaseCountOfSoftware(db.clone()),
            tokio::spawn,
        ))
        .data(db)
        .finish()
}

/// The schema's SDL, for client code generation (`swcat schema`).
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// The database connection every resolver works with.
fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}
