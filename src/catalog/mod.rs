//! The catalog's operations: reading, listing and changing software and releases, and the
//! log of committed changes that the live feed reads ([`changes`]).
//!
//! Every function takes a SeaORM connection (`&impl ConnectionTrait`, or a `TransactionTrait`
//! for writes) and domain values that are already parsed (see [`crate::domain`]). Each write
//! is one transaction, retried when the database reports a transient conflict, and records
//! its change in the log as its last statement. Nothing here
//! knows about GraphQL or HTTP: callers map [`CatalogError`] to what their clients see.

pub mod changes;
mod cursor;
mod error;
mod keyset;
mod patch;
pub mod persisted;
pub mod release;
pub mod software;
mod sql;
mod write;

pub use cursor::Position;
pub use error::CatalogError;
pub use keyset::{Page, SortDirection};
