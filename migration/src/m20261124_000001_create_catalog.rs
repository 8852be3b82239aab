//! Creates the `software` and `release` tables with their constraints.
//!
//! The same constraints exist on every backend: the primary keys, a unique display name, a
//! unique version within a software, and the foreign key from `release` to `software` with
//! `ON DELETE CASCADE`, which is what `deleteSoftware` relies on. Column types are each
//! backend's own (PostgreSQL `uuid` and `date`, MySQL `binary(16)` and `date`).
//!
//! Text that is unique or ordered (`display_name`, `version`) compares by code point on every
//! backend: PostgreSQL uses the `"C"` collation, MySQL/MariaDB `utf8mb4_bin`, SQLite its
//! default `BINARY`. That keeps uniqueness case-sensitive and orders identical everywhere.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Column names are the table name plus a word (`software_id`), by design.
#[allow(clippy::enum_variant_names)]
#[derive(DeriveIden)]
enum Software {
    Table,
    SoftwareId,
    DisplayName,
    MaintainerName,
    MaintainerEmail,
}

#[allow(clippy::enum_variant_names)]
#[derive(DeriveIden)]
enum Release {
    Table,
    ReleaseId,
    Version,
    ReleaseDate,
    SoftwareId,
}

/// Makes a text column compare by code point (see the module docs).
fn exact_text(backend: DatabaseBackend, column: &mut ColumnDef) -> &mut ColumnDef {
    match backend {
        DatabaseBackend::Postgres => column.extra("COLLATE \"C\""),
        // The MySQL tables are created with utf8mb4_bin as their collation already.
        _ => column,
    }
}

/// Table options every MySQL/MariaDB table needs: full Unicode and binary comparison.
fn table_options(backend: DatabaseBackend, table: &mut TableCreateStatement) {
    if backend == DatabaseBackend::MySql {
        table
            .engine("InnoDB")
            .character_set("utf8mb4")
            .collate("utf8mb4_bin");
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        let mut software = Table::create();
        software
            .table(Software::Table)
            .col(
                ColumnDef::new(Software::SoftwareId)
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(exact_text(
                backend,
                ColumnDef::new(Software::DisplayName)
                    .string_len(200)
                    .not_null(),
            ))
            .col(
                ColumnDef::new(Software::MaintainerName)
                    .string_len(200)
                    .null(),
            )
            .col(
                ColumnDef::new(Software::MaintainerEmail)
                    .string_len(254)
                    .not_null(),
            );
        table_options(backend, &mut software);
        manager.create_table(software).await?;

        manager
            .create_index(
                Index::create()
                    .name("uq_software_display_name")
                    .table(Software::Table)
                    .col(Software::DisplayName)
                    .unique()
                    .to_owned(),
            )
            .await?;

        let mut release = Table::create();
        release
            .table(Release::Table)
            .col(
                ColumnDef::new(Release::ReleaseId)
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(exact_text(
                backend,
                ColumnDef::new(Release::Version).string_len(64).not_null(),
            ))
            .col(ColumnDef::new(Release::ReleaseDate).date().not_null())
            .col(ColumnDef::new(Release::SoftwareId).uuid().not_null())
            .foreign_key(
                ForeignKey::create()
                    .name("fk_release_software")
                    .from(Release::Table, Release::SoftwareId)
                    .to(Software::Table, Software::SoftwareId)
                    .on_delete(ForeignKeyAction::Cascade)
                    .on_update(ForeignKeyAction::Cascade),
            );
        table_options(backend, &mut release);
        manager.create_table(release).await?;

        manager
            .create_index(
                Index::create()
                    .name("idx_release_software_id")
                    .table(Release::Table)
                    .col(Release::SoftwareId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_release_software_id_version")
                    .table(Release::Table)
                    .col(Release::SoftwareId)
                    .col(Release::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Serves the `releases` list, whose default order is by release date.
        manager
            .create_index(
                Index::create()
                    .name("idx_release_release_date")
                    .table(Release::Table)
                    .col(Release::ReleaseDate)
                    .col(Release::ReleaseId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Release::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Software::Table).to_owned())
            .await
    }
}
