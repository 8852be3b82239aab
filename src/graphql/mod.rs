//! The GraphQL API: the schema, its resolvers and its error codes.
//!
//! One module per resource ([`software`], [`release`]) owns its part of `Query` and
//! `Mutation`, its output type and inputs; [`changes`] owns the change feed's part of
//! `Query` and `Subscription`; the roots merge those parts. Related fields load
//! once per group of objects read together ([`siblings`]), and `Software` and `Release` answer
//! their plain fields in place ([`direct`]). Shared pieces sit beside them:
//! [`scalars`], the generic list [`connection`], partial updates ([`patch`]), error
//! [`codes`] and their mapping ([`errors`]), write access ([`auth`]), operation
//! [`limits`], and what is read from the request ([`request`]). The [`gate`] checks each
//! request with the schema that carries those checks and runs it with one built without
//! them. Resolvers are thin: they parse their input into domain values, call one catalog
//! operation, and convert the result into an API type.
//!
//! The public contract is `../shared/contract/schema.graphql`; `schema.graphql` at the
//! project root is this schema's SDL, kept current by a test.

mod auth;
mod bounded;
mod changes;
mod codes;
mod connection;
mod direct;
mod documents;
mod errors;
mod gate;
pub mod limits;
mod patch;
mod persisted;
mod prepared;
mod release;
mod request;
mod scalars;
mod siblings;
mod software;

use std::sync::Arc;

use async_graphql::{MergedObject, MergedSubscription, Schema, SchemaBuilder, ValidationMode};
use sea_orm::DatabaseConnection;

use crate::feed::ChangeFeed;
use crate::settings::Limits;

pub use auth::{Access, ApiTokens, OverWebSocket};
use changes::{ChangeQuery, ChangeSubscription};
pub use codes::ErrorCode;
pub use documents::DocumentCache;
pub use persisted::{Named, PersistedDocuments, TrustedDocumentsError};
use release::{ReleaseMutation, ReleaseQuery};
pub use request::operation_type;
use software::{SoftwareMutation, SoftwareQuery};

/// The `Query` root: every resource's lookups and lists.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(SoftwareQuery, ReleaseQuery, ChangeQuery);

/// The `Mutation` root: every resource's mutations.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(SoftwareMutation, ReleaseMutation);

/// The `Subscription` root: the live change feed.
#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(ChangeSubscription);

/// The API's schema: checked, then run ([`gate`]).
pub type CatalogSchema = gate::CatalogSchema<QueryRoot, MutationRoot, SubscriptionRoot>;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
}

/// The schema, serving the catalog in `db` and its changes from `feed`, within `limits`.
pub fn schema(db: DatabaseConnection, feed: ChangeFeed, limits: &Limits) -> CatalogSchema {
    let operation_limits = limits::OperationLimits::new(limits);
    let build = |builder: SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot>| {
        let builder = if limits.introspection {
            builder
        } else {
            builder.disable_introspection()
        };
        builder.data(db.clone()).data(feed.clone()).finish()
    };
    let prepared = Arc::new(prepared::Prepared::new());
    let gate = gate::Gate::new(operation_limits.clone(), prepared.clone());
    let checked = build(builder().extension(gate));
    let fast = build(builder().validation_mode(ValidationMode::Fast));
    let roots = (QueryRoot::default(), MutationRoot::default());
    let documents = Arc::new(DocumentCache::new(limits.max_document_bytes));
    gate::CatalogSchema::new(checked, fast, roots, operation_limits, prepared, documents)
}

/// The schema's SDL, for client code generation (`swcat schema`).
pub fn sdl() -> String {
    builder().finish().sdl()
}

#[cfg(test)]
mod tests {
    use async_graphql::Request;

    use super::*;

    /// Every type, field, argument and enum value the schema defines, without a description.
    async fn undocumented() -> Vec<String> {
        let query = r#"{ __schema { types {
            name description
            fields { name description args { name description } }
            inputFields { name description }
            enumValues { name description }
        } } }"#;
        let response = builder().finish().execute(Request::new(query)).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = response.data.into_json().unwrap();
        let mut missing = Vec::new();
        let blank =
            |value: &serde_json::Value| value.as_str().is_none_or(|text| text.trim().is_empty());
        for ty in data["__schema"]["types"].as_array().unwrap() {
            let name = ty["name"].as_str().unwrap();
            if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name)
            {
                continue;
            }
            if blank(&ty["description"]) {
                missing.push(name.to_owned());
            }
            let members = ["fields", "inputFields", "enumValues"];
            for member in members
                .iter()
                .filter_map(|key| ty[*key].as_array())
                .flatten()
            {
                let member_name = format!("{name}.{}", member["name"].as_str().unwrap());
                if blank(&member["description"]) {
                    missing.push(member_name.clone());
                }
                for arg in member["args"].as_array().into_iter().flatten() {
                    if blank(&arg["description"]) {
                        missing.push(format!("{member_name}({})", arg["name"].as_str().unwrap()));
                    }
                }
            }
        }
        missing
    }

    #[tokio::test]
    async fn every_type_field_argument_and_enum_value_has_a_description() {
        let missing = undocumented().await;
        assert!(
            missing.is_empty(),
            "undocumented in the schema: {missing:#?}"
        );
    }
}
