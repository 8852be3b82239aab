//! SeaORM entities: how the server reads and writes the catalog's tables.
//!
//! These are database models, not API types: the GraphQL types live in the server's
//! `graphql` module and convert from these, so renaming a column here cannot silently change
//! the public schema. The tables themselves are defined by the `migration` crate.

pub mod change;
pub mod change_head;
pub mod persisted_query;
pub mod release;
pub mod software;
