//! Releases in the API: the `Release` type, its lookup, list and mutations, their inputs,
//! and the fields of `Software` that lead to its releases. Related fields load once per
//! group of objects read together ([`super::siblings`]).

use std::sync::Arc;

use async_graphql::{
    ComplexObject, Context, Enum, InputObject, MaybeUndefined, Object, Result, ResultExt,
    ScalarType, SimpleObject, Value,
};
use entity::release;
use foldhash::HashMap;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::connection::{Connection, Node, SortDirection};
use super::direct::{Direct, DirectList, PlainFields};
use super::patch::Patch;
use super::request::db;
use super::scalars::{Date, Id};
use super::siblings::Siblings;
use super::software::Software;
use crate::catalog::release::{NewRelease, ReleaseChanges, ReleaseSummary};
use crate::catalog::{self, CatalogError};
use crate::domain::{PageSize, ReleaseDate, ValidationError, Version};

/// One released version of a piece of software.
#[derive(SimpleObject, Clone)]
#[graphql(complex, serial)]
pub struct Release {
    /// Stable identifier, assigned by the catalog when the release is created.
    pub id: Id,
    /// Unique within its software.
    pub version: String,
    /// The day it was released.
    pub release_date: Date,
    #[graphql(skip)]
    pub software_id: Id,
    /// The software id of each release read together with this one: their software load
    /// together.
    #[graphql(skip)]
    pub siblings: Arc<Siblings<Uuid>>,
}

impl Release {
    /// One object per row, all in one group.
    pub fn group(rows: Vec<release::Model>) -> Vec<Self> {
        let siblings = Siblings::new(rows.iter().map(|row| row.software_id).collect());
        rows.into_iter()
            .map(|row| Self::in_group(row, siblings.clone()))
            .collect()
    }

    fn in_group(row: release::Model, siblings: Arc<Siblings<Uuid>>) -> Self {
        // Destructured, so that a new column is a compile error here until it is either
        // exposed or deliberately left out of the API.
        let release::Model {
            release_id,
            version,
            release_date,
            software_id,
        } = row;
        Self {
            id: Id(release_id),
            version,
            release_date: Date(release_date),
            software_id: Id(software_id),
            siblings,
        }
    }
}

impl PlainFields for Release {
    fn plain_field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "id" => self.id.to_value(),
            "version" => Value::String(self.version.clone()),
            "releaseDate" => self.release_date.to_value(),
            _ => return None,
        })
    }
}

impl From<release::Model> for Release {
    /// A release read on its own: a group of one.
    fn from(row: release::Model) -> Self {
        let siblings = Siblings::new(vec![row.software_id]);
        Self::in_group(row, siblings)
    }
}

#[ComplexObject]
impl Release {
    /// The software this release belongs to.
    async fn software(&self, ctx: &Context<'_>) -> Result<Direct<Arc<Software>>> {
        // One statement for the software of every release of the group.
        let software = self
            .siblings
            .once(("software", 0), || async {
                let mut ids = self.siblings.rows().to_vec();
                ids.sort_unstable();
                ids.dedup();
                let rows = catalog::software::find_many(db(ctx)?, &ids)
                    .await
                    .extend()?;
                // Shared, not copied, by the releases of one software.
                let all: HashMap<Uuid, Arc<Software>> = Software::group(rows)
                    .into_iter()
                    .map(|software| (software.id.0, Arc::new(software)))
                    .collect();
                Ok(all)
            })
            .await?;
        // Only missing when the software was deleted after this release was read.
        software
            .get(&self.software_id.0)
            .cloned()
            .map(Direct)
            .ok_or(CatalogError::NotFound {
                entity: "software",
                id: self.software_id.0,
            })
            .extend()
    }
}

/// The fields of `Software` that lead to its releases.
#[ComplexObject]
impl Software {
    /// This software's releases, newest release date first unless `orderBy` says otherwise:
    /// the first 100 unless `first` asks for another number (at most 500). For more, page
    /// through `releases(filter: {softwareId: …})`.
    #[graphql(
        complexity = "PageSize::cost(first, PageSize::RELEASES_OF_SOFTWARE, child_complexity)"
    )]
    async fn releases(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Default: by releaseDate, newest first.")] order_by: Option<ReleaseOrder>,
        #[graphql(desc = "How many releases to answer: 1 to 500, 100 when absent or null.")]
        first: Option<i32>,
    ) -> Result<DirectList<Arc<[Release]>>> {
        let first = PageSize::parse_releases_of_software(first).extend()?;
        let order: catalog::release::ReleaseOrder = order_by.map(Into::into).unwrap_or_default();
        // One statement for these releases of every software of the group; all of them
        // form one group in turn, so their `software` loads once too.
        let key = ("releases", (first.get() << 2) | order.code());
        let releases = self
            .siblings
            .once(key, || async {
                let ids = self.group_ids();
                let by_software = catalog::release::of_software(db(ctx)?, ids, order, first)
                    .await
                    .extend()?;
                Ok(group_by_software(by_software))
            })
            .await?;
        Ok(DirectList(
            releases.get(&self.id.0).cloned().unwrap_or_default(),
        ))
    }

    /// The release with the newest release date, or null when there is none.
    async fn latest_release(&self, ctx: &Context<'_>) -> Result<Option<Direct<Release>>> {
        let summary = self.release_summary(ctx).await?;
        Ok(summary
            .get(&self.id.0)
            .map(|(_, latest)| Direct(latest.clone())))
    }

    /// How many releases this software has.
    async fn release_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let summary = self.release_summary(ctx).await?;
        let count = summary.get(&self.id.0).map_or(0, |(count, _)| *count);
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
}

impl Software {
    /// The ids of the software read together with this one.
    fn group_ids(&self) -> &[Uuid] {
        self.siblings.rows()
    }

    /// The release count and latest release of every software of the group, in one
    /// statement that reads one row per software however many releases it has.
    async fn release_summary(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Arc<HashMap<Uuid, (u64, Release)>>> {
        self.siblings
            .once(("release summary", 0), || async {
                let summaries = catalog::release::summary_of_software(db(ctx)?, self.group_ids())
                    .await
                    .extend()?;
                let (ids, summaries): (Vec<Uuid>, Vec<ReleaseSummary>) =
                    summaries.into_iter().unzip();
                let latest = Release::group(summaries.iter().map(|s| s.latest.clone()).collect());
                let counts = summaries.iter().map(|summary| summary.count);
                Ok(ids
                    .into_iter()
                    .zip(counts.zip(latest))
                    .collect::<HashMap<_, _>>())
            })
            .await
    }
}

/// Releases by software, all in one group. Each software's list is one shared slice,
/// handed out without copying it or counting a reference per release.
fn group_by_software(
    by_software: HashMap<Uuid, Vec<release::Model>>,
) -> HashMap<Uuid, Arc<[Release]>> {
    let mut ids = Vec::with_capacity(by_software.values().map(Vec::len).sum());
    ids.extend(by_software.values().flatten().map(|row| row.software_id));
    let siblings = Siblings::new(ids);
    by_software
        .into_iter()
        .map(|(id, rows)| {
            let releases = rows
                .into_iter()
                .map(|row| Release::in_group(row, siblings.clone()))
                .collect();
            (id, releases)
        })
        .collect()
}

impl Node for Release {
    type Row = release::Model;
    type Filter = catalog::release::ReleaseFilter;
    const CONNECTION: &'static str = "ReleaseConnection";
    const EDGE: &'static str = "ReleaseEdge";

    async fn count(db: &DatabaseConnection, filter: &Self::Filter) -> Result<u64, CatalogError> {
        catalog::release::count(db, filter).await
    }

    fn group(rows: Vec<Self::Row>) -> Vec<Self> {
        Release::group(rows)
    }
}

/// The release lookup and list of `Query`.
#[derive(Default)]
pub struct ReleaseQuery;

#[Object]
impl ReleaseQuery {
    /// Null when no release has this id.
    async fn release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's id.")] id: Id,
    ) -> Result<Option<Direct<Release>>> {
        let row = catalog::release::find(db(ctx)?, id.0).await.extend()?;
        Ok(row.map(|row| Direct(row.into())))
    }

    /// Forward pagination: `first` (default 20, at most 100) and `after` (an endCursor).
    #[graphql(complexity = "PageSize::cost(first, PageSize::LIST, child_complexity)")]
    async fn releases(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the releases that match; absent: all.")] filter: Option<
            ReleaseFilter,
        >,
        #[graphql(desc = "Default: by releaseDate, newest first.")] order_by: Option<ReleaseOrder>,
        #[graphql(desc = "How many items the page holds: 1 to 100, 20 when absent or null.")]
        first: Option<i32>,
        #[graphql(
            desc = "An `endCursor` of an earlier page of this list, made with the same \
                    filter and order; the page starts after it."
        )]
        after: Option<String>,
    ) -> Result<Connection<Release>> {
        let filter = catalog::release::ReleaseFilter::from(filter.unwrap_or_default());
        let order = order_by.map(Into::into).unwrap_or_default();
        let first = PageSize::parse(first).extend()?;
        let page = catalog::release::list(db(ctx)?, &filter, order, first, after.as_deref())
            .await
            .extend()?;
        Ok(Connection::new(page, filter))
    }
}

/// The release mutations of `Mutation`. Each is one transaction: when it fails, nothing
/// changed. Write access is checked for the whole operation ([`super::auth`]).
#[derive(Default)]
pub struct ReleaseMutation;

#[Object]
impl ReleaseMutation {
    /// Adds a release to a software. Unknown softwareId: NOT_FOUND. A version the software
    /// already has: CONFLICT.
    async fn create_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new release and the software it belongs to.")]
        input: CreateReleaseInput,
    ) -> Result<Release> {
        let (software_id, new) = input.parse().extend()?;
        let row = catalog::release::create(db(ctx)?, software_id, new)
            .await
            .extend()?;
        Ok(row.into())
    }

    /// Changes the fields given in `input`; absent fields stay as they are.
    /// Unknown id: NOT_FOUND. A version the software already has: CONFLICT.
    async fn update_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release to change.")] id: Id,
        #[graphql(desc = "The fields to change.")] input: UpdateReleaseInput,
    ) -> Result<Release> {
        let changes = input.parse().extend()?;
        let row = catalog::release::update(db(ctx)?, id.0, changes)
            .await
            .extend()?;
        Ok(row.into())
    }

    /// Deletes one release; its software stays. Unknown id: NOT_FOUND.
    async fn delete_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release to delete.")] id: Id,
    ) -> Result<DeleteReleasePayload> {
        let row = catalog::release::delete(db(ctx)?, id.0).await.extend()?;
        Ok(row.into())
    }
}

/// What a deleteRelease removed, and the software it belonged to (which stays).
#[derive(SimpleObject)]
#[graphql(complex, serial)]
pub struct DeleteReleasePayload {
    /// The id of the release that no longer exists.
    pub deleted_release_id: Id,
    /// The software it belonged to; its `releases` and `releaseCount` have changed.
    pub software_id: Id,
}

#[ComplexObject]
impl DeleteReleasePayload {
    /// The whole query root, read after the delete: ask here for what the delete changed
    /// (a list and its `totalCount`, say) and get it in the same round trip.
    async fn query(&self) -> super::QueryRoot {
        super::QueryRoot::default()
    }
}

impl From<release::Model> for DeleteReleasePayload {
    fn from(row: release::Model) -> Self {
        Self {
            deleted_release_id: Id(row.release_id),
            software_id: Id(row.software_id),
        }
    }
}

/// What a release list can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseOrderField {
    /// By the day of release.
    ReleaseDate,
    /// Plain text order by code point: `1.10` comes before `1.9`.
    Version,
}

/// The order of a release list; ties are broken by id in the same direction.
#[derive(InputObject)]
pub struct ReleaseOrder {
    /// What to sort by.
    pub field: ReleaseOrderField,
    /// Which way.
    pub direction: SortDirection,
}

impl From<ReleaseOrder> for catalog::release::ReleaseOrder {
    fn from(order: ReleaseOrder) -> Self {
        use catalog::release::ReleaseOrderField as Field;
        Self {
            field: match order.field {
                ReleaseOrderField::ReleaseDate => Field::ReleaseDate,
                ReleaseOrderField::Version => Field::Version,
            },
            direction: order.direction.into(),
        }
    }
}

/// Narrows the release list; all given bounds apply together.
#[derive(InputObject, Default)]
pub struct ReleaseFilter {
    /// Only the releases of this software.
    pub software_id: Option<Id>,
    /// Inclusive lower bound on the release date.
    pub released_from: Option<Date>,
    /// Inclusive upper bound on the release date.
    pub released_to: Option<Date>,
}

impl From<ReleaseFilter> for catalog::release::ReleaseFilter {
    fn from(filter: ReleaseFilter) -> Self {
        Self {
            software_id: filter.software_id.map(|id| id.0),
            released_from: filter.released_from.map(|date| date.0),
            released_to: filter.released_to.map(|date| date.0),
        }
    }
}

/// A new release of an existing software: `createRelease`'s input.
#[derive(InputObject)]
pub struct CreateReleaseInput {
    /// The software this release belongs to; unknown is NOT_FOUND.
    pub software_id: Id,
    /// Trimmed; 1 to 64 characters; unique within the software.
    pub version: String,
    /// From 1000-01-01 to 9999-12-31.
    pub release_date: Date,
}

impl CreateReleaseInput {
    fn parse(self) -> Result<(Uuid, NewRelease), ValidationError> {
        let new = NewRelease::parse(&self.version, self.release_date.0)?;
        Ok((self.software_id.0, new))
    }
}

/// Only the fields given are changed; null is refused for both.
#[derive(InputObject)]
pub struct UpdateReleaseInput {
    /// Trimmed; 1 to 64 characters; unique within the software.
    pub version: MaybeUndefined<String>,
    /// From 1000-01-01 to 9999-12-31.
    pub release_date: MaybeUndefined<Date>,
}

impl UpdateReleaseInput {
    fn parse(self) -> Result<ReleaseChanges, ValidationError> {
        Ok(ReleaseChanges {
            version: self
                .version
                .required("version", |version| Version::parse(&version))?,
            release_date: self
                .release_date
                .required("releaseDate", |date| ReleaseDate::parse(date.0))?,
        })
    }
}
