//! swcat: a catalog of software and their releases, served as a GraphQL API.
//!
//! Dependencies point one way: [`graphql`] (the API: thin resolvers) calls [`catalog`]
//! (the operations, on parsed [`domain`] values), which uses the `entity` and `migration`
//! crates. [`startup`] wires configuration, database, migrations and the HTTP router.

pub mod catalog;
pub mod domain;
pub mod graphql;
