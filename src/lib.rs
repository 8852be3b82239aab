//! swcat: a catalog of software and their releases, served as a GraphQL API.
//!
//! Dependencies point one way: [`graphql`] (the API: thin resolvers) calls [`catalog`]
//! (the operations, on parsed [`domain`] values), which uses the `entity` and `migration`
//! crates. [`startup`] wires [`config`], [`database`] and the [`http`] routes together.

pub mod catalog;
pub mod config;
pub mod database;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod startup;
