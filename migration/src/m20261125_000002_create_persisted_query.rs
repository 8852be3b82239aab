//! Creates `persisted_query`: the documents that clients registered by their SHA-256
//! (Apollo's automatic persisted queries), shared by every instance on the database.
//!
//! `document` is `LONGTEXT` on MySQL/MariaDB, whose `TEXT` stops at 64 KiB (the document
//! limit is configurable beyond that).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PersistedQuery {
    Table,
    Sha256,
    Document,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut document = ColumnDef::new(PersistedQuery::Document);
        match backend {
            DatabaseBackend::MySql => document.custom(Alias::new("LONGTEXT")),
            _ => document.text(),
        };
        let mut table = Table::create();
        table
            .table(PersistedQuery::Table)
            .col(
                ColumnDef::new(PersistedQuery::Sha256)
                    .string_len(64)
                    .not_null()
                    .primary_key(),
            )
            .col(document.not_null())
            .col(
                ColumnDef::new(PersistedQuery::CreatedAt)
                    .big_integer()
                    .not_null(),
            );
        if backend == DatabaseBackend::MySql {
            table
                .engine("InnoDB")
                .character_set("utf8mb4")
                .collate("utf8mb4_bin");
        }
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PersistedQuery::Table).to_owned())
            .await
    }
}
