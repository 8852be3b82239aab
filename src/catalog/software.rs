//! Operations on software: lookups, the filtered list, create, update and delete.

use entity::{release, software};
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, QueryTrait, Set, TransactionTrait, Value,
};
use serde::Serialize;
use uuid::Uuid;

use super::changes::{ChangeKind, record};
use super::cursor::{Position, SortKey};
use super::keyset::{Keyset, Page, SortDirection};
use super::patch::Patch;
use super::release::NewRelease;
use super::write::in_transaction;
use super::{CatalogError, cursor, sql};
use crate::domain::{DisplayName, Email, MaintainerName, PageSize};

/// What a new software is made of; its releases are created in the same transaction.
#[derive(Debug, Clone)]
pub struct NewSoftware {
    pub display_name: DisplayName,
    pub maintainer_name: Option<MaintainerName>,
    pub maintainer_email: Email,
    pub releases: Vec<NewRelease>,
}

/// A partial update: `None` leaves a field as it is. For `maintainer_name`,
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct SoftwareChanges {
    pub display_name: Option<DisplayName>,
    pub maintainer_name: Option<Option<MaintainerName>>,
    pub maintainer_email: Option<Email>,
}

/// Narrows the software list; fields that are `None` do not filter. Values are used as given
/// (not trimmed).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SoftwareFilter {
    /// Case-insensitive substring of the display name; `%`, `_` and `\` are literal.
    pub display_name_contains: Option<String>,
    /// Exact match on the maintainer's e-mail, ignoring ASCII case.
    pub maintainer_email: Option<String>,
}

/// The order of the software list. Ties are broken by id, in the same direction.
#[derive(Debug, Clone, Copy)]
pub struct SoftwareOrder {
    pub direction: SortDirection,
}

impl Default for SoftwareOrder {
    /// By display name, A to Z.
    fn default() -> Self {
        Self {
            direction: SortDirection::Asc,
        }
    }
}

/// What `delete` removed: the software and, by the database's cascade, its releases.
#[derive(Debug, Clone)]
pub struct DeletedSoftware {
    pub software_id: Uuid,
    /// Exactly the releases the cascade removed.
    pub release_ids: Vec<Uuid>,
}

fn not_found(id: Uuid) -> CatalogError {
    CatalogError::NotFound {
        entity: "software",
        id,
    }
}

fn name_taken(name: &str) -> String {
    format!("a software named {name:?} already exists")
}

pub async fn find(
    db: &(impl ConnectionTrait + 'static),
    id: Uuid,
) -> Result<Option<software::Model>, CatalogError> {
    let statement = sql::statement(
        db.get_database_backend(),
        ("software::find", 0),
        vec![Value::from(id), Value::from(1_u64)],
        || software::Entity::find_by_id(id).limit(1).into_query(),
    );
    Ok(sql::all(db, statement, sql::software_at).await?.pop())
}

/// The software with exactly this display name (case-sensitive, not trimmed).
pub async fn find_by_name(
    db: &impl ConnectionTrait,
    display_name: &str,
) -> Result<Option<software::Model>, CatalogError> {
    Ok(software::Entity::find()
        .filter(software::Column::DisplayName.eq(display_name))
        .one(db)
        .await?)
}

/// The software among `ids` that exist, in no particular order.
pub async fn find_many(
    db: &(impl ConnectionTrait + 'static),
    ids: &[Uuid],
) -> Result<Vec<software::Model>, CatalogError> {
    let statement = sql::statement(
        db.get_database_backend(),
        ("software::find_many", ids.len() as u64),
        ids.iter().copied().map(Value::from).collect(),
        || {
            software::Entity::find()
                .filter(software::Column::SoftwareId.is_in(ids.iter().copied()))
                .into_query()
        },
    );
    Ok(sql::all(db, statement, sql::software_at).await?)
}

fn filter_condition(filter: &SoftwareFilter, backend: DbBackend) -> Condition {
    let mut condition = Condition::all();
    if let Some(part) = &filter.display_name_contains {
        // `!` escapes LIKE's wildcards; unlike `\\` it needs no quoting in any SQL dialect.
        let escaped = part
            .replace('!', "!!")
            .replace('%', "!%")
            .replace('_', "!_");
        // The pattern is folded exactly as the database folds the column, or a letter that
        // only one side lowers would never match. SQLite's LOWER and PostgreSQL's under the
        // column's "C" collation fold ASCII only; MySQL folds the rest of Unicode too, so
        // there the database lowers both sides itself.
        let pattern = match backend {
            DbBackend::MySql => Func::lower(Expr::val(format!("%{escaped}%"))).into(),
            _ => Expr::val(format!("%{}%", escaped.to_ascii_lowercase())),
        };
        condition = condition.add(
            Expr::expr(Func::lower(Expr::col(software::Column::DisplayName))).binary(
                BinOper::Like,
                Expr::Binary(
                    Box::new(pattern),
                    BinOper::Escape,
                    Box::new(Expr::Constant('!'.into())),
                ),
            ),
        );
    }
    if let Some(email) = &filter.maintainer_email {
        // Both sides have the column's collation, so LOWER folds them alike.
        condition = condition.add(
            Expr::expr(Func::lower(Expr::col(software::Column::MaintainerEmail)))
                .eq(Func::lower(Expr::val(email.as_str()))),
        );
    }
    condition
}

/// Identifies the list, order and filter a cursor belongs to.
fn scope(filter: &SoftwareFilter, order: SoftwareOrder) -> String {
    let filter = serde_json::to_string(filter).unwrap_or_default();
    format!(
        "software|DISPLAY_NAME:{}|{filter}",
        order.direction.as_str()
    )
}

/// One page of the software matching `filter`, in `order`, after the cursor `after`.
pub async fn list(
    db: &(impl ConnectionTrait + 'static),
    filter: &SoftwareFilter,
    order: SoftwareOrder,
    first: PageSize,
    after: Option<&str>,
) -> Result<Page<software::Model>, CatalogError> {
    let scope: std::sync::Arc<str> = scope(filter, order).into();
    let after = after
        .map(|cursor| cursor::decode(cursor, &scope))
        .transpose()?
        .map(|(name, id)| (Value::from(name), id));
    let keyset = Keyset {
        sort: software::Column::DisplayName,
        id: software::Column::SoftwareId,
        direction: order.direction,
    };
    let query =
        software::Entity::find().filter(filter_condition(filter, db.get_database_backend()));
    Ok(keyset
        .fetch(db, query, first, after, sql::software_at, |row| {
            let sort = SortKey::Text(row.display_name.clone());
            Position::new(scope.clone(), sort, row.software_id)
        })
        .await?)
}

/// How many software match `filter`, ignoring pagination.
pub async fn count(
    db: &impl ConnectionTrait,
    filter: &SoftwareFilter,
) -> Result<u64, CatalogError> {
    Ok(software::Entity::find()
        .filter(filter_condition(filter, db.get_database_backend()))
        .count(db)
        .await?)
}

/// Creates a software and its releases in one transaction: all of them or nothing.
pub async fn create<C: TransactionTrait>(
    db: &C,
    new: NewSoftware,
) -> Result<software::Model, CatalogError> {
    let mut versions = std::collections::HashSet::new();
    for release in &new.releases {
        if !versions.insert(release.version.as_ref()) {
            return Err(CatalogError::Conflict(format!(
                "the releases repeat the version {:?}",
                release.version.as_ref()
            )));
        }
    }
    let software_id = Uuid::new_v4();
    in_transaction(db, |txn| {
        let new = new.clone();
        Box::pin(async move {
            let display_name = new.display_name.into_inner();
            let row = software::ActiveModel {
                software_id: Set(software_id),
                display_name: Set(display_name.clone()),
                maintainer_name: Set(new.maintainer_name.map(MaintainerName::into_inner)),
                maintainer_email: Set(new.maintainer_email.into_inner()),
            }
            .insert(txn)
            .await
            .map_err(|err| {
                CatalogError::from_write(
                    err,
                    || name_taken(&display_name),
                    || not_found(software_id),
                )
            })?;
            let mut release_ids = Vec::with_capacity(new.releases.len());
            for release in new.releases {
                release_ids.push(
                    super::release::insert(txn, software_id, release)
                        .await?
                        .release_id,
                );
            }
            record(txn, ChangeKind::SoftwareCreated, software_id, &release_ids).await?;
            Ok(row)
        })
    })
    .await
}

/// Changes the given fields of a software and answers it as it now is.
pub async fn update<C>(
    db: &C,
    id: Uuid,
    changes: SoftwareChanges,
) -> Result<software::Model, CatalogError>
where
    C: TransactionTrait,
    C::Transaction: 'static,
{
    in_transaction(db, |txn| {
        let SoftwareChanges {
            display_name,
            maintainer_name,
            maintainer_email,
        } = changes.clone();
        Box::pin(async move {
            let name = display_name.map(DisplayName::into_inner);
            let taken = name.clone().unwrap_or_default();
            Patch::<software::Entity>::new()
                .set(software::Column::DisplayName, name)
                .set(
                    software::Column::MaintainerName,
                    maintainer_name.map(|name| name.map(MaintainerName::into_inner)),
                )
                .set(
                    software::Column::MaintainerEmail,
                    maintainer_email.map(Email::into_inner),
                )
                .apply(txn, software::Column::SoftwareId.eq(id), |err| {
                    CatalogError::from_write(err, || name_taken(&taken), || not_found(id))
                })
                .await?;
            let row = find(txn, id).await?.ok_or_else(|| not_found(id))?;
            record(txn, ChangeKind::SoftwareUpdated, id, &[]).await?;
            Ok(row)
        })
    })
    .await
}

/// Deletes a software; the database's `ON DELETE CASCADE` deletes its releases.
///
/// The software row is locked first (`FOR UPDATE`; on SQLite the transaction holds the
/// database's write lock), so no release can be added or committed for it between reading
/// the release ids and deleting: the answer names exactly the releases the cascade removed.
/// A concurrent `createRelease` either commits before the lock (and is reported here) or
/// fails afterwards with "not found".
pub async fn delete<C: TransactionTrait>(
    db: &C,
    id: Uuid,
) -> Result<DeletedSoftware, CatalogError> {
    in_transaction(db, |txn| {
        Box::pin(async move {
            software::Entity::find_by_id(id)
                .lock_exclusive()
                .one(txn)
                .await?
                .ok_or_else(|| not_found(id))?;
            let release_ids: Vec<Uuid> = release::Entity::find()
                .select_only()
                .column(release::Column::ReleaseId)
                .filter(release::Column::SoftwareId.eq(id))
                .lock_exclusive()
                .into_tuple()
                .all(txn)
                .await?;
            software::Entity::delete_by_id(id).exec(txn).await?;
            record(txn, ChangeKind::SoftwareDeleted, id, &release_ids).await?;
            Ok(DeletedSoftware {
                software_id: id,
                release_ids,
            })
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};

    use super::*;

    #[test]
    fn the_name_filter_escapes_wildcards_with_a_bang_on_every_backend() {
        let filter = SoftwareFilter {
            display_name_contains: Some("50%_a!".into()),
            maintainer_email: None,
        };
        for backend in [DbBackend::Sqlite, DbBackend::Postgres, DbBackend::MySql] {
            let query = software::Entity::find().filter(filter_condition(&filter, backend));
            let sql = query.build(backend).to_string();
            let expected = match backend {
                DbBackend::MySql => "LIKE LOWER('%50!%!_a!!%') ESCAPE '!'",
                _ => "LIKE '%50!%!_a!!%' ESCAPE '!'",
            };
            assert!(sql.contains(expected), "{sql}");
        }
    }
}
