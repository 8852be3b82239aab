//! swcat: a catalog of software and their releases, served as a GraphQL API.
//!
//! Dependencies point one way: [`graphql`] (the API: thin resolvers) calls [`catalog`]
//! (the operations, on parsed [`domain`] values), which uses [`database`] and the `entity`
//! and `migration` crates. [`feed`] follows the catalog's change log for subscribers.
//! [`startup`] wires [`settings`] (built by [`cli`]), [`database`]
//! and the [`http`] routes together. [`report`] writes error chains for people.

pub mod alloc;
pub mod catalog;
pub mod cli;
pub mod database;
pub mod domain;
pub mod feed;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod report;
pub mod settings;
pub mod startup;
