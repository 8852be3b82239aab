//! Creates the change log that the live change feed (`catalogChanges`) reads.
//!
//! `change_log` holds one row per committed mutation, keyed by its `position` in the feed.
//! `change_log_head` is one row: the newest position handed out and how far the log has
//! been pruned. A writer locks that row at the end of its transaction to take the next
//! position, so positions are dense and commit in order (the server's `catalog::changes`
//! module holds the argument).
//!
//! `release_ids` is a JSON array of UUIDs of any length: a delete's row names every release
//! the cascade removed, so on MySQL/MariaDB it is `LONGTEXT` (their `TEXT` stops at 64 KiB).
//! `committed_at` is milliseconds since the Unix epoch, the same on every backend.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Position,
    Kind,
    SoftwareId,
    ReleaseIds,
    CommittedAt,
}

#[derive(DeriveIden)]
enum ChangeLogHead {
    Table,
    Id,
    Position,
    PrunedThrough,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        let mut release_ids = ColumnDef::new(ChangeLog::ReleaseIds);
        match backend {
            DatabaseBackend::MySql => release_ids.custom(Alias::new("LONGTEXT")),
            _ => release_ids.text(),
        };
        let mut log = Table::create();
        log.table(ChangeLog::Table)
            .col(
                ColumnDef::new(ChangeLog::Position)
                    .big_integer()
                    .not_null()
                    .primary_key(),
            )
            .col(ColumnDef::new(ChangeLog::Kind).string_len(32).not_null())
            .col(ColumnDef::new(ChangeLog::SoftwareId).uuid().not_null())
            .col(release_ids.not_null())
            .col(
                ColumnDef::new(ChangeLog::CommittedAt)
                    .big_integer()
                    .not_null(),
            );
        let mut head = Table::create();
        head.table(ChangeLogHead::Table)
            .col(
                ColumnDef::new(ChangeLogHead::Id)
                    .integer()
                    .not_null()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(ChangeLogHead::Position)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChangeLogHead::PrunedThrough)
                    .big_integer()
                    .not_null(),
            );
        if backend == DatabaseBackend::MySql {
            for table in [&mut log, &mut head] {
                table
                    .engine("InnoDB")
                    .character_set("utf8mb4")
                    .collate("utf8mb4_bin");
            }
        }
        manager.create_table(log).await?;
        manager.create_table(head).await?;

        // A subscription narrowed to one software catches up through this index.
        manager
            .create_index(
                Index::create()
                    .name("idx_change_log_software_id_position")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::SoftwareId)
                    .col(ChangeLog::Position)
                    .to_owned(),
            )
            .await?;
        // Pruning finds the changes older than the retention through this one.
        manager
            .create_index(
                Index::create()
                    .name("idx_change_log_committed_at")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::CommittedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .exec_stmt(
                Query::insert()
                    .into_table(ChangeLogHead::Table)
                    .columns([
                        ChangeLogHead::Id,
                        ChangeLogHead::Position,
                        ChangeLogHead::PrunedThrough,
                    ])
                    .values_panic([1.into(), 0i64.into(), 0i64.into()])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChangeLogHead::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ChangeLog::Table).to_owned())
            .await
    }
}
