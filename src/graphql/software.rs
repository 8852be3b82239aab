//! Software in the API: the `Software` type, its lookups, list and mutations, and their
//! inputs.
//!
//! The fields of `Software` that lead to its releases are in [`super::release`], which owns
//! everything about releases; this module does not depend on it.

use std::sync::Arc;

use async_graphql::{
    ComplexObject, Context, Enum, InputObject, MaybeUndefined, Object, Result, ResultExt,
    ScalarType, SimpleObject, Value,
};
use entity::software;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::connection::{Connection, Node, SortDirection};
use super::direct::{Direct, PlainFields};
use super::patch::Patch;
use super::request::db;
use super::scalars::{Date, Id};
use super::siblings::Siblings;
use crate::catalog::release::NewRelease;
use crate::catalog::software::{NewSoftware, SoftwareChanges};
use crate::catalog::{self, CatalogError};
use crate::domain::{DisplayName, Email, MaintainerName, PageSize, ValidationError, argument};

/// A piece of software tracked by the catalog.
#[derive(SimpleObject, Clone)]
// `serial`, on every object type of the API but the roots: async-graphql then resolves an
// object's fields one after another, in the order asked, so the answer follows the
// selection (as the spec says it should) and no task is made per field (the cost of most
// fields here). Related fields still load once per group of objects read together; two
// relations of one object now load one after the other instead of side by side.
#[graphql(complex, serial)]
pub struct Software {
    /// Stable identifier, assigned by the catalog when the software is created.
    pub id: Id,
    /// Unique across the catalog.
    pub display_name: String,
    /// Who maintains it; null when nobody is named.
    pub maintainer_name: Option<String>,
    /// Where to reach the maintainer.
    pub maintainer_email: String,
    /// The ids of the software read together with this one, whose related fields load
    /// together.
    #[graphql(skip)]
    pub siblings: Arc<Siblings<Uuid>>,
}

impl Software {
    /// One object per row, all in one group.
    pub fn group(rows: Vec<software::Model>) -> Vec<Self> {
        let siblings = Siblings::new(rows.iter().map(|row| row.software_id).collect());
        rows.into_iter()
            .map(|row| Self::in_group(row, siblings.clone()))
            .collect()
    }

    fn in_group(row: software::Model, siblings: Arc<Siblings<Uuid>>) -> Self {
        // Destructured, so that a new column is a compile error here until it is either
        // exposed or deliberately left out of the API.
        let software::Model {
            software_id,
            display_name,
            maintainer_name,
            maintainer_email,
        } = row;
        Self {
            id: Id(software_id),
            display_name,
            maintainer_name,
            maintainer_email,
            siblings,
        }
    }
}

impl PlainFields for Software {
    fn plain_field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "id" => self.id.to_value(),
            "displayName" => Value::String(self.display_name.clone()),
            "maintainerName" => self
                .maintainer_name
                .clone()
                .map_or(Value::Null, Value::String),
            "maintainerEmail" => Value::String(self.maintainer_email.clone()),
            _ => return None,
        })
    }
}

impl From<software::Model> for Software {
    /// A software read on its own: a group of one.
    fn from(row: software::Model) -> Self {
        let siblings = Siblings::new(vec![row.software_id]);
        Self::in_group(row, siblings)
    }
}

impl Node for Software {
    type Row = software::Model;
    type Filter = catalog::software::SoftwareFilter;
    const CONNECTION: &'static str = "SoftwareConnection";
    const EDGE: &'static str = "SoftwareEdge";

    async fn count(db: &DatabaseConnection, filter: &Self::Filter) -> Result<u64, CatalogError> {
        catalog::software::count(db, filter).await
    }

    fn group(rows: Vec<Self::Row>) -> Vec<Self> {
        Software::group(rows)
    }
}

/// The software lookups and list of `Query`.
#[derive(Default)]
pub struct SoftwareQuery;

#[Object]
impl SoftwareQuery {
    /// Null when no software has this id.
    async fn software(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The software's id.")] id: Id,
    ) -> Result<Option<Direct<Software>>> {
        let row = catalog::software::find(db(ctx)?, id.0).await.extend()?;
        Ok(row.map(|row| Direct(row.into())))
    }

    /// Null when no software has this display name (exact match).
    async fn software_by_name(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The display name, exactly as stored.")] display_name: String,
    ) -> Result<Option<Direct<Software>>> {
        let display_name =
            argument("displayName", &display_name, DisplayName::MAX_CHARS).extend()?;
        let row = catalog::software::find_by_name(db(ctx)?, display_name)
            .await
            .extend()?;
        Ok(row.map(|row| Direct(row.into())))
    }

    /// Forward pagination: `first` (default 20, at most 100) and `after` (an endCursor).
    #[graphql(complexity = "PageSize::cost(first, PageSize::LIST, child_complexity)")]
    async fn software_list(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the software that match; absent: all.")] filter: Option<
            SoftwareFilter,
        >,
        #[graphql(desc = "Default: by displayName, ascending.")] order_by: Option<SoftwareOrder>,
        #[graphql(desc = "How many items the page holds: 1 to 100, 20 when absent or null.")]
        first: Option<i32>,
        #[graphql(
            desc = "An `endCursor` of an earlier page of this list, made with the same \
                    filter and order; the page starts after it."
        )]
        after: Option<String>,
    ) -> Result<Connection<Software>> {
        let filter = filter.unwrap_or_default().parse().extend()?;
        let order = order_by.map(Into::into).unwrap_or_default();
        let first = PageSize::parse(first).extend()?;
        let page = catalog::software::list(db(ctx)?, &filter, order, first, after.as_deref())
            .await
            .extend()?;
        Ok(Connection::new(page, filter))
    }
}

/// The software mutations of `Mutation`. Each is one transaction: when it fails, nothing
/// changed. Write access is checked for the whole operation ([`super::auth`]).
#[derive(Default)]
pub struct SoftwareMutation;

#[Object]
impl SoftwareMutation {
    /// Creates a software, and its `releases` if given, all in one transaction.
    /// A taken displayName or a version given twice is CONFLICT and creates nothing.
    async fn create_software(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new software and, optionally, its first releases.")]
        input: CreateSoftwareInput,
    ) -> Result<Software> {
        let new = input.parse().extend()?;
        let row = catalog::software::create(db(ctx)?, new).await.extend()?;
        Ok(row.into())
    }

    /// Changes the fields given in `input`; absent fields stay as they are.
    /// Unknown id: NOT_FOUND. A displayName taken by another software: CONFLICT.
    async fn update_software(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The software to change.")] id: Id,
        #[graphql(desc = "The fields to change.")] input: UpdateSoftwareInput,
    ) -> Result<Software> {
        let changes = input.parse().extend()?;
        let row = catalog::software::update(db(ctx)?, id.0, changes)
            .await
            .extend()?;
        Ok(row.into())
    }

    /// Deletes a software; the database deletes its releases with it (ON DELETE CASCADE).
    /// Answers exactly the ids of the releases removed, so clients can evict them from their
    /// caches. Unknown id: NOT_FOUND.
    async fn delete_software(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The software to delete, with all its releases.")] id: Id,
    ) -> Result<DeleteSoftwarePayload> {
        let deleted = catalog::software::delete(db(ctx)?, id.0).await.extend()?;
        Ok(deleted.into())
    }
}

/// What a deleteSoftware removed: the software and, by cascade, every one of its releases.
#[derive(SimpleObject)]
#[graphql(complex, serial)]
pub struct DeleteSoftwarePayload {
    /// The id of the software that no longer exists.
    pub deleted_software_id: Id,
    /// Exactly the releases that the cascade removed in the same transaction.
    pub deleted_release_ids: Vec<Id>,
}

#[ComplexObject]
impl DeleteSoftwarePayload {
    /// The whole query root, read after the delete: ask here for what the delete changed
    /// (a list and its `totalCount`, say) and get it in the same round trip.
    async fn query(&self) -> super::QueryRoot {
        super::QueryRoot::default()
    }
}

impl From<catalog::software::DeletedSoftware> for DeleteSoftwarePayload {
    fn from(deleted: catalog::software::DeletedSoftware) -> Self {
        Self {
            deleted_software_id: Id(deleted.software_id),
            deleted_release_ids: deleted.release_ids.into_iter().map(Id).collect(),
        }
    }
}

/// What the software list can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SoftwareOrderField {
    /// By display name, in code point order.
    DisplayName,
}

/// The order of the software list; ties are broken by id in the same direction.
#[derive(InputObject)]
pub struct SoftwareOrder {
    /// What to sort by.
    pub field: SoftwareOrderField,
    /// Which way.
    pub direction: SortDirection,
}

impl From<SoftwareOrder> for catalog::software::SoftwareOrder {
    fn from(order: SoftwareOrder) -> Self {
        match order.field {
            SoftwareOrderField::DisplayName => Self {
                direction: order.direction.into(),
            },
        }
    }
}

/// Narrows the software list. Values are used as given (not trimmed); a NUL character or
/// more characters than the field can hold is BAD_USER_INPUT.
#[derive(InputObject, Default)]
pub struct SoftwareFilter {
    /// Case-insensitive substring of the display name.
    pub display_name_contains: Option<String>,
    /// Exact match, ignoring ASCII case.
    pub maintainer_email: Option<String>,
}

impl SoftwareFilter {
    /// The filter, its texts held to the rules of the values they are compared with.
    fn parse(self) -> Result<catalog::software::SoftwareFilter, ValidationError> {
        let checked = |field, text: Option<String>, max| {
            text.map(|text| argument(field, &text, max).map(str::to_owned))
                .transpose()
        };
        Ok(catalog::software::SoftwareFilter {
            display_name_contains: checked(
                "displayNameContains",
                self.display_name_contains,
                DisplayName::MAX_CHARS,
            )?,
            maintainer_email: checked("maintainerEmail", self.maintainer_email, Email::MAX_CHARS)?,
        })
    }
}

/// A release created together with its software.
#[derive(InputObject)]
#[graphql(name = "NewRelease")]
pub struct NewReleaseInput {
    /// Trimmed; 1 to 64 characters; unique within the software.
    pub version: String,
    /// From 1000-01-01 to 9999-12-31.
    pub release_date: Date,
}

/// A new software: `createSoftware`'s input.
#[derive(InputObject)]
pub struct CreateSoftwareInput {
    /// Trimmed; 1 to 200 characters; unique across the catalog (case-sensitive).
    pub display_name: String,
    /// Trimmed; at most 200 characters; blank means none.
    pub maintainer_name: Option<String>,
    /// Trimmed; at most 254 characters; one `@` and a domain with a dot.
    pub maintainer_email: String,
    /// Releases created in the same transaction as the software.
    pub releases: Option<Vec<NewReleaseInput>>,
}

impl CreateSoftwareInput {
    fn parse(self) -> Result<NewSoftware, ValidationError> {
        Ok(NewSoftware {
            display_name: DisplayName::parse(&self.display_name)?,
            maintainer_name: match self.maintainer_name {
                Some(name) => MaintainerName::parse(&name)?,
                None => None,
            },
            maintainer_email: Email::parse(&self.maintainer_email)?,
            releases: self
                .releases
                .unwrap_or_default()
                .into_iter()
                .map(|release| NewRelease::parse(&release.version, release.release_date.0))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Only the fields given are changed; an explicit null clears maintainerName.
#[derive(InputObject)]
pub struct UpdateSoftwareInput {
    /// Trimmed; 1 to 200 characters; unique across the catalog. Null is refused.
    pub display_name: MaybeUndefined<String>,
    /// Trimmed; at most 200 characters; null or blank clears it.
    pub maintainer_name: MaybeUndefined<String>,
    /// Trimmed; at most 254 characters; one `@` and a domain with a dot. Null is refused.
    pub maintainer_email: MaybeUndefined<String>,
}

impl UpdateSoftwareInput {
    fn parse(self) -> Result<SoftwareChanges, ValidationError> {
        Ok(SoftwareChanges {
            display_name: self
                .display_name
                .required("displayName", |name| DisplayName::parse(&name))?,
            maintainer_name: self
                .maintainer_name
                .clearable(|name| MaintainerName::parse(&name))?,
            maintainer_email: self
                .maintainer_email
                .required("maintainerEmail", |email| Email::parse(&email))?,
        })
    }
}
