//! The catalog's database schema, as sea-orm-migration migrations.
//!
//! These migrations, not the entities, are the source of truth for the tables: every change
//! to the schema is a new migration appended to [`Migrator::migrations`], so that an existing
//! database (a user's `swcat.db`, a shared PostgreSQL) is brought forward in place and never
//! needs to be deleted.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_catalog;
mod m20261125_000001_create_change_log;
mod m20261125_000002_create_persisted_query;

/// Every migration of the catalog, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_catalog::Migration),
            Box::new(m20261125_000001_create_change_log::Migration),
            Box::new(m20261125_000002_create_persisted_query::Migration),
        ]
    }
}
