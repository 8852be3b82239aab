//! Operations on releases: lookups, the filtered list, per-software batches for the API's
//! grouped loads (`of_software`, `summary_of_software`), create, update and delete.

use chrono::NaiveDate;
use entity::release;
use foldhash::{HashMap, HashMapExt};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, WindowStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set, TransactionTrait, Value,
};
use serde::Serialize;
use uuid::Uuid;

use super::changes::{ChangeKind, record};
use super::cursor::{Position, SortKey};
use super::keyset::{Keyset, Page, SortDirection};
use super::patch::Patch;
use super::write::in_transaction;
use super::{CatalogError, cursor, sql};
use crate::domain::{PageSize, ReleaseDate, ValidationError, Version};

/// A release to create: its version and day.
#[derive(Debug, Clone)]
pub struct NewRelease {
    pub version: Version,
    pub release_date: ReleaseDate,
}

impl NewRelease {
    /// A release from its version and day as a client gave them.
    pub fn parse(version: &str, release_date: NaiveDate) -> Result<Self, ValidationError> {
        Ok(Self {
            version: Version::parse(version)?,
            release_date: ReleaseDate::parse(release_date)?,
        })
    }
}

/// A partial update: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ReleaseChanges {
    pub version: Option<Version>,
    pub release_date: Option<ReleaseDate>,
}

/// Narrows the release list; fields that are `None` do not filter.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReleaseFilter {
    pub software_id: Option<Uuid>,
    /// Inclusive lower bound on the release date.
    pub released_from: Option<NaiveDate>,
    /// Inclusive upper bound on the release date.
    pub released_to: Option<NaiveDate>,
}

/// What a release list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReleaseOrderField {
    ReleaseDate,
    /// Plain text order by code point: `1.10` comes before `1.9`.
    Version,
}

/// The order of a release list. Ties are broken by id, in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReleaseOrder {
    pub field: ReleaseOrderField,
    pub direction: SortDirection,
}

impl Default for ReleaseOrder {
    /// Newest release date first.
    fn default() -> Self {
        Self {
            field: ReleaseOrderField::ReleaseDate,
            direction: SortDirection::Desc,
        }
    }
}

impl ReleaseOrder {
    /// The column this order sorts by (ties are broken by the id).
    fn column(&self) -> release::Column {
        match self.field {
            ReleaseOrderField::ReleaseDate => release::Column::ReleaseDate,
            ReleaseOrderField::Version => release::Column::Version,
        }
    }

    /// A number below 4 that tells the orders apart, for keys made of numbers.
    pub fn code(&self) -> u64 {
        let field = match self.field {
            ReleaseOrderField::ReleaseDate => 0,
            ReleaseOrderField::Version => 1,
        };
        let direction = match self.direction {
            SortDirection::Asc => 0,
            SortDirection::Desc => 2,
        };
        field | direction
    }

    fn name(&self) -> &'static str {
        match self.field {
            ReleaseOrderField::ReleaseDate => "RELEASE_DATE",
            ReleaseOrderField::Version => "VERSION",
        }
    }
}

fn not_found(id: Uuid) -> CatalogError {
    CatalogError::NotFound {
        entity: "release",
        id,
    }
}

pub(crate) fn version_taken(version: &str) -> String {
    format!("this software already has a release with version {version:?}")
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<release::Model>, CatalogError> {
    Ok(release::Entity::find_by_id(id).one(db).await?)
}

fn filter_condition(filter: &ReleaseFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(id) = filter.software_id {
        condition = condition.add(release::Column::SoftwareId.eq(id));
    }
    if let Some(from) = filter.released_from {
        condition = condition.add(release::Column::ReleaseDate.gte(from));
    }
    if let Some(to) = filter.released_to {
        condition = condition.add(release::Column::ReleaseDate.lte(to));
    }
    condition
}

/// One page of the releases matching `filter`, in `order`, after the cursor `after`.
pub async fn list(
    db: &(impl ConnectionTrait + 'static),
    filter: &ReleaseFilter,
    order: ReleaseOrder,
    first: PageSize,
    after: Option<&str>,
) -> Result<Page<release::Model>, CatalogError> {
    let scope: std::sync::Arc<str> = format!(
        "release|{}:{}|{}",
        order.name(),
        order.direction.as_str(),
        serde_json::to_string(filter).unwrap_or_default()
    )
    .into();
    let after = after
        .map(|cursor| -> Result<(Value, Uuid), CatalogError> {
            let (sort, id) = cursor::decode(cursor, &scope)?;
            let sort = match order.field {
                ReleaseOrderField::ReleaseDate => {
                    Value::from(sort.parse::<NaiveDate>().map_err(|_| {
                        ValidationError::new("after", "is not a cursor of this list")
                    })?)
                }
                ReleaseOrderField::Version => Value::from(sort),
            };
            Ok((sort, id))
        })
        .transpose()?;
    let keyset = Keyset {
        sort: order.column(),
        id: release::Column::ReleaseId,
        direction: order.direction,
    };
    let query = release::Entity::find().filter(filter_condition(filter));
    Ok(keyset
        .fetch(db, query, first, after, sql::release_at, |row| {
            let sort = match order.field {
                ReleaseOrderField::ReleaseDate => SortKey::Date(row.release_date),
                ReleaseOrderField::Version => SortKey::Text(row.version.clone()),
            };
            Position::new(scope.clone(), sort, row.release_id)
        })
        .await?)
}

/// How many releases match `filter`, ignoring pagination.
pub async fn count(db: &impl ConnectionTrait, filter: &ReleaseFilter) -> Result<u64, CatalogError> {
    Ok(release::Entity::find()
        .filter(filter_condition(filter))
        .count(db)
        .await?)
}

/// The columns of a release, in the order of `release::Model`.
const COLUMNS: [release::Column; 4] = [
    release::Column::ReleaseId,
    release::Column::Version,
    release::Column::ReleaseDate,
    release::Column::SoftwareId,
];
/// The position of a release among its software's releases, in the order asked for.
const RANK: &str = "rank_in_software";
/// How many releases its software has.
const COUNT: &str = "release_count";
/// The subquery of ranked releases.
const RANKED: &str = "ranked";

/// The releases of `software_ids`, each with its [`RANK`] in `order` among its software's
/// releases (and, `with_count`, its software's release [`COUNT`]), as a subquery named
/// [`RANKED`].
fn ranked(software_ids: &[Uuid], order: ReleaseOrder, with_count: bool) -> SelectStatement {
    // Statements are built in place: sea-query's `to_owned()` at the end of a chain
    // would copy each one whole, on every read of a page.
    let direction = order.direction.order();
    let mut window = WindowStatement::partition_by(release::Column::SoftwareId);
    window
        .order_by(order.column(), direction.clone())
        .order_by(release::Column::ReleaseId, direction);
    let mut query = Query::select();
    query
        .columns(COLUMNS)
        .expr_window_as(Expr::cust("ROW_NUMBER()"), window, Alias::new(RANK))
        .from(release::Entity)
        .and_where(release::Column::SoftwareId.is_in(software_ids.iter().copied()));
    if with_count {
        let per_software = WindowStatement::partition_by(release::Column::SoftwareId);
        query.expr_window_as(Expr::cust("COUNT(*)"), per_software, Alias::new(COUNT));
    }
    query
}

/// The first `first` releases of each of `software_ids` in `order`, in one statement.
/// Software without releases are absent from the map.
///
/// A window function numbers each software's releases in `order`, so the database returns
/// at most `first` rows per software, however many releases one has.
pub async fn of_software(
    db: &(impl ConnectionTrait + 'static),
    software_ids: &[Uuid],
    order: ReleaseOrder,
    first: PageSize,
) -> Result<HashMap<Uuid, Vec<release::Model>>, CatalogError> {
    let statement = sql::statement(
        db.get_database_backend(),
        ("release::of_software", shape(software_ids, order)),
        ids_then(software_ids, Value::from(first.get())),
        || {
            let mut query = Query::select();
            query
                .columns(COLUMNS.map(|column| (Alias::new(RANKED), column)))
                .from_subquery(ranked(software_ids, order, false), Alias::new(RANKED))
                .and_where(Expr::col((Alias::new(RANKED), Alias::new(RANK))).lte(first.get()))
                .order_by((Alias::new(RANKED), Alias::new(RANK)), Order::Asc);
            query
        },
    );
    let rows = sql::all(db, statement, sql::release_at).await?;
    // Each software's list starts at the average share, which is exact for one software
    // and for evenly sized ones, instead of growing from nothing.
    let share = rows.len().div_ceil(software_ids.len().max(1));
    let mut by_software: HashMap<Uuid, Vec<release::Model>> =
        HashMap::with_capacity(software_ids.len());
    for row in rows {
        by_software
            .entry(row.software_id)
            .or_insert_with(|| Vec::with_capacity(share))
            .push(row);
    }
    Ok(by_software)
}

/// What a software's page needs to know of its releases without reading them all.
#[derive(Debug, Clone)]
pub struct ReleaseSummary {
    /// How many releases the software has.
    pub count: u64,
    /// The first release in the default order (newest release date).
    pub latest: release::Model,
}

/// The release count and latest release of each of `software_ids`, in one statement that
/// returns one row per software, however many releases it has. Software without releases
/// are absent from the map.
pub async fn summary_of_software(
    db: &(impl ConnectionTrait + 'static),
    software_ids: &[Uuid],
) -> Result<HashMap<Uuid, ReleaseSummary>, CatalogError> {
    let order = ReleaseOrder::default();
    let statement = sql::statement(
        db.get_database_backend(),
        ("release::summary_of_software", shape(software_ids, order)),
        ids_then(software_ids, Value::from(1)),
        || {
            let mut query = Query::select();
            query
                .columns(COLUMNS.map(|column| (Alias::new(RANKED), column)))
                .column((Alias::new(RANKED), Alias::new(COUNT)))
                .from_subquery(ranked(software_ids, order, true), Alias::new(RANKED))
                .and_where(Expr::col((Alias::new(RANKED), Alias::new(RANK))).eq(1));
            query
        },
    );
    let rows = sql::all(db, statement, |row| {
        // COUNT(*) is the column after the release's own.
        let count: i64 = row.try_get_by_index(COLUMNS.len())?;
        Ok(ReleaseSummary {
            count: u64::try_from(count).unwrap_or_default(),
            latest: sql::release_at(row)?,
        })
    })
    .await?;
    Ok(rows
        .into_iter()
        .map(|summary| (summary.latest.software_id, summary))
        .collect())
}

/// The values of a statement over the ranked releases of `software_ids`: the ids (in the
/// subquery), then the one value the outer query compares each rank with.
fn ids_then(software_ids: &[Uuid], rank: Value) -> Vec<Value> {
    let mut values = Vec::with_capacity(software_ids.len() + 1);
    values.extend(software_ids.iter().copied().map(Value::from));
    values.push(rank);
    values
}

/// The shape of a statement over the releases of `software_ids` in `order`
/// ([`sql::Shape`]): how many ids, and which order.
fn shape(software_ids: &[Uuid], order: ReleaseOrder) -> u64 {
    ((software_ids.len() as u64) << 2) | order.code()
}

/// Inserts one release of `software_id` inside the caller's transaction.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    software_id: Uuid,
    new: NewRelease,
) -> Result<release::Model, CatalogError> {
    let version = new.version.into_inner();
    release::ActiveModel {
        release_id: Set(Uuid::new_v4()),
        version: Set(version.clone()),
        release_date: Set(new.release_date.into_inner()),
        software_id: Set(software_id),
    }
    .insert(db)
    .await
    .map_err(|err| {
        CatalogError::from_write(
            err,
            || version_taken(&version),
            || CatalogError::NotFound {
                entity: "software",
                id: software_id,
            },
        )
    })
}

/// Adds a release to an existing software. An unknown (or concurrently deleted) software is
/// `NotFound`, detected by the database's foreign key.
pub async fn create<C: TransactionTrait>(
    db: &C,
    software_id: Uuid,
    new: NewRelease,
) -> Result<release::Model, CatalogError> {
    in_transaction(db, |txn| {
        let new = new.clone();
        Box::pin(async move {
            let row = insert(txn, software_id, new).await?;
            record(
                txn,
                ChangeKind::ReleaseCreated,
                software_id,
                &[row.release_id],
            )
            .await?;
            Ok(row)
        })
    })
    .await
}

/// Changes the given fields of a release and answers it as it now is.
pub async fn update<C: TransactionTrait>(
    db: &C,
    id: Uuid,
    changes: ReleaseChanges,
) -> Result<release::Model, CatalogError> {
    in_transaction(db, |txn| {
        let ReleaseChanges {
            version,
            release_date,
        } = changes.clone();
        Box::pin(async move {
            let version = version.map(Version::into_inner);
            let taken = version.clone().unwrap_or_default();
            Patch::<release::Entity>::new()
                .set(release::Column::Version, version)
                .set(
                    release::Column::ReleaseDate,
                    release_date.map(ReleaseDate::into_inner),
                )
                .apply(txn, release::Column::ReleaseId.eq(id), |err| {
                    CatalogError::from_write(err, || version_taken(&taken), || not_found(id))
                })
                .await?;
            let row = find(txn, id).await?.ok_or_else(|| not_found(id))?;
            record(txn, ChangeKind::ReleaseUpdated, row.software_id, &[id]).await?;
            Ok(row)
        })
    })
    .await
}

/// Deletes one release; its software stays. Answers the deleted release.
pub async fn delete<C: TransactionTrait>(db: &C, id: Uuid) -> Result<release::Model, CatalogError> {
    in_transaction(db, |txn| {
        Box::pin(async move {
            let row = release::Entity::find_by_id(id)
                .lock_exclusive()
                .one(txn)
                .await?
                .ok_or_else(|| not_found(id))?;
            release::Entity::delete_by_id(id).exec(txn).await?;
            record(txn, ChangeKind::ReleaseDeleted, row.software_id, &[id]).await?;
            Ok(row)
        })
    })
    .await
}
