//! The change log: every committed mutation, in commit order, for the live change feed.
//!
//! Each mutation calls [`record`] as the last step of its own transaction, so a change is in
//! the log exactly when its mutation committed: a mutation that is refused or rolls back
//! leaves none.
//!
//! # Why positions commit in order
//!
//! A position taken from a sequence or an auto-increment column does not commit in order:
//! transaction A takes 11, B takes 12, B commits, and a reader that has seen 12 would skip
//! 11 when A commits a moment later. Here a writer takes its position by locking the one
//! row of `change_log_head` (`SELECT … FOR UPDATE`; on SQLite every write transaction
//! already holds the database's write lock) and writing `position + 1` back, as the last
//! statement before it commits. The row lock is held until commit, so:
//!
//! 1. No two transactions hold positions at once: B cannot read the head until A has
//!    committed or rolled back. If A rolled back, its increment rolled back with it and B
//!    takes the same position: positions are dense, with no holes.
//! 2. Positions commit in order: the lock passes from A to B only after A's commit, and a
//!    committed transaction is visible before its locks are released (PostgreSQL and
//!    InnoDB publish the commit, then release the locks).
//!
//! So when a reader sees the head at position `h`, every change at or before `h` is
//! committed and visible to its next statement, and no change at or before `h` can appear
//! later. Readers read `(after, h]` and never need to wait for a straggler. The price is
//! that writers queue for the head row from their last statement to their commit; on
//! PostgreSQL and MySQL that is one fsync per change, on SQLite writes are serial anyway.
//!
//! # Retention
//!
//! [`prune`] deletes changes older than the retention and raises
//! `change_log_head.pruned_through` in the same transaction, so a reader can tell a cursor
//! whose successors are gone ([`CatalogError::CursorExpired`]) from one that is current.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::{change, change_head};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement, TransactionTrait,
};
use uuid::Uuid;

use super::CatalogError;
use super::write::in_transaction;
use crate::domain::ValidationError;

/// The PostgreSQL `NOTIFY` channel on which each change announces its position.
pub const CHANNEL: &str = "swcat_changes";

/// The id of the one row of `change_log_head`.
const HEAD: i32 = 1;

/// What a committed change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    SoftwareCreated,
    SoftwareUpdated,
    SoftwareDeleted,
    ReleaseCreated,
    ReleaseUpdated,
    ReleaseDeleted,
}

impl ChangeKind {
    const ALL: [(Self, &'static str); 6] = [
        (Self::SoftwareCreated, "SOFTWARE_CREATED"),
        (Self::SoftwareUpdated, "SOFTWARE_UPDATED"),
        (Self::SoftwareDeleted, "SOFTWARE_DELETED"),
        (Self::ReleaseCreated, "RELEASE_CREATED"),
        (Self::ReleaseUpdated, "RELEASE_UPDATED"),
        (Self::ReleaseDeleted, "RELEASE_DELETED"),
    ];

    /// How the kind is stored in `change_log.kind`.
    fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(kind, _)| *kind == self)
            .map_or("", |(_, text)| text)
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, stored)| *stored == text)
            .map(|(kind, _)| *kind)
    }
}

/// One committed change, as the feed serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its place in the feed: dense and in commit order.
    pub position: i64,
    pub kind: ChangeKind,
    /// The software that changed, or whose release changed.
    pub software_id: Uuid,
    /// The releases concerned: the one release, those created with a software, or every
    /// release a software's deletion cascaded to.
    pub release_ids: Vec<Uuid>,
}

/// Where the log stands: the newest committed position, and how far it has been pruned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub position: i64,
    pub pruned_through: i64,
}

/// The opaque text form of a feed position, as clients see it in `cursor` and pass in
/// `after`.
pub fn encode_cursor(position: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("change:{position}"))
}

/// The position in a cursor made by [`encode_cursor`].
pub fn decode_cursor(cursor: &str) -> Result<i64, ValidationError> {
    let invalid = || ValidationError::new("after", "is not a cursor of the change feed");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = std::str::from_utf8(&bytes).map_err(|_| invalid())?;
    text.strip_prefix("change:")
        .and_then(|digits| digits.parse::<i64>().ok())
        .filter(|position| *position >= 0 && !text.contains('+'))
        .ok_or_else(invalid)
}

/// Records a change in the caller's transaction, as its last statement: takes the next
/// position under the head row's lock (see the module docs), and on PostgreSQL announces
/// it with `NOTIFY`, which is delivered only if the transaction commits.
pub(crate) async fn record(
    txn: &impl ConnectionTrait,
    kind: ChangeKind,
    software_id: Uuid,
    release_ids: &[Uuid],
) -> Result<i64, CatalogError> {
    let head = change_head::Entity::find_by_id(HEAD)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the row of change_log_head".into()))?;
    let position = head.position + 1;
    change_head::Entity::update_many()
        .col_expr(change_head::Column::Position, Expr::value(position))
        .filter(change_head::Column::Id.eq(HEAD))
        .exec(txn)
        .await?;
    let release_ids =
        serde_json::to_string(release_ids).map_err(|err| DbErr::Json(err.to_string()))?;
    change::Entity::insert(change::ActiveModel {
        position: Set(position),
        kind: Set(kind.as_str().to_owned()),
        software_id: Set(software_id),
        release_ids: Set(release_ids),
        committed_at: Set(chrono::Utc::now().timestamp_millis()),
    })
    .exec_without_returning(txn)
    .await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), position.to_string().into()],
        ))
        .await?;
    }
    Ok(position)
}

/// Where the log stands now.
pub async fn head(db: &impl ConnectionTrait) -> Result<Head, CatalogError> {
    let row = change_head::Entity::find_by_id(HEAD)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the row of change_log_head".into()))?;
    Ok(Head {
        position: row.position,
        pruned_through: row.pruned_through,
    })
}

/// The changes after `after` and at most `through`, oldest first, at most `limit` of them;
/// only those of `software_id` when it is given.
pub async fn read(
    db: &impl ConnectionTrait,
    after: i64,
    through: i64,
    software_id: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Change>, CatalogError> {
    let mut query = change::Entity::find()
        .filter(change::Column::Position.gt(after))
        .filter(change::Column::Position.lte(through));
    if let Some(id) = software_id {
        query = query.filter(change::Column::SoftwareId.eq(id));
    }
    let rows = query
        .order_by_asc(change::Column::Position)
        .limit(limit)
        .all(db)
        .await?;
    rows.into_iter().map(from_row).collect()
}

fn from_row(row: change::Model) -> Result<Change, CatalogError> {
    let kind = ChangeKind::parse(&row.kind).ok_or_else(|| {
        DbErr::Type(format!(
            "change {} has the unknown kind {:?}",
            row.position, row.kind
        ))
    })?;
    let release_ids =
        serde_json::from_str(&row.release_ids).map_err(|err| DbErr::Json(err.to_string()))?;
    Ok(Change {
        position: row.position,
        kind,
        software_id: row.software_id,
        release_ids,
    })
}

/// Deletes the changes committed before `before_ms` (milliseconds since the Unix epoch)
/// and answers how many went.
pub async fn prune<C>(db: &C, before_ms: i64) -> Result<u64, CatalogError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let through: Option<i64> = change::Entity::find()
        .select_only()
        .column_as(change::Column::Position.max(), "through")
        .filter(change::Column::CommittedAt.lt(before_ms))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let Some(through) = through else {
        return Ok(0);
    };
    in_transaction(db, |txn| {
        Box::pin(async move {
            let deleted = change::Entity::delete_many()
                .filter(change::Column::Position.lte(through))
                .exec(txn)
                .await?
                .rows_affected;
            change_head::Entity::update_many()
                .col_expr(change_head::Column::PrunedThrough, Expr::value(through))
                .filter(change_head::Column::Id.eq(HEAD))
                .filter(change_head::Column::PrunedThrough.lt(through))
                .exec(txn)
                .await?;
            Ok(deleted)
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_its_position() {
        for position in [0, 1, 42, i64::MAX] {
            assert_eq!(decode_cursor(&encode_cursor(position)), Ok(position));
        }
    }

    #[test]
    fn text_that_is_not_one_of_our_cursors_is_refused() {
        let made = |text: &str| URL_SAFE_NO_PAD.encode(text);
        for cursor in [
            String::new(),
            "12".into(),
            "not base64!".into(),
            made("change:"),
            made("change:-1"),
            made("change:+1"),
            made("change:1x"),
            made("release:1"),
            made("change:99999999999999999999"),
        ] {
            assert!(decode_cursor(&cursor).is_err(), "{cursor:?} was accepted");
        }
    }

    #[test]
    fn every_kind_is_stored_as_text_that_reads_back_as_itself() {
        for (kind, text) in ChangeKind::ALL {
            assert_eq!(kind.as_str(), text);
            assert_eq!(ChangeKind::parse(text), Some(kind));
        }
        assert_eq!(ChangeKind::parse("SOFTWARE_RENAMED"), None);
    }
}
