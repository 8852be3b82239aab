//! The change feed in the API: `Subscription.catalogChanges`, `Query.catalogChangeCursor`
//! and the `CatalogChange` type. The feed itself is [`crate::feed`]; the log it reads is
//! [`crate::catalog::changes`].

use std::sync::Arc;

use async_graphql::{Context, Enum, Object, Result, ResultExt, SimpleObject, Subscription};
use futures_util::{Stream, StreamExt};

use super::request::db;
use super::scalars::Id;
use crate::catalog::CatalogError;
use crate::catalog::changes::{self, Change, ChangeKind};
use crate::feed::ChangeFeed;

/// What a committed change did.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum CatalogChangeKind {
    /// `createSoftware`: `releaseIds` are the releases created with it.
    SoftwareCreated,
    /// `updateSoftware`: `releaseIds` is empty.
    SoftwareUpdated,
    /// `deleteSoftware`: `releaseIds` are exactly the releases the cascade removed.
    SoftwareDeleted,
    /// `createRelease`: `releaseIds` is the new release.
    ReleaseCreated,
    /// `updateRelease`: `releaseIds` is the changed release.
    ReleaseUpdated,
    /// `deleteRelease`: `releaseIds` is the deleted release.
    ReleaseDeleted,
}

impl From<ChangeKind> for CatalogChangeKind {
    fn from(kind: ChangeKind) -> Self {
        match kind {
            ChangeKind::SoftwareCreated => Self::SoftwareCreated,
            ChangeKind::SoftwareUpdated => Self::SoftwareUpdated,
            ChangeKind::SoftwareDeleted => Self::SoftwareDeleted,
            ChangeKind::ReleaseCreated => Self::ReleaseCreated,
            ChangeKind::ReleaseUpdated => Self::ReleaseUpdated,
            ChangeKind::ReleaseDeleted => Self::ReleaseDeleted,
        }
    }
}

/// One committed change to the catalog, as its mutation committed it.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(serial)]
pub struct CatalogChange {
    /// Opaque position of this change in the feed. Pass it as `after` to resume after it.
    pub cursor: String,
    /// What the change did.
    pub kind: CatalogChangeKind,
    /// The software that changed, or whose release changed.
    pub software_id: Id,
    /// RELEASE_*: the one release. SOFTWARE_CREATED: the releases created with it.
    /// SOFTWARE_DELETED: exactly the releases that the cascade removed. SOFTWARE_UPDATED:
    /// empty.
    pub release_ids: Vec<Id>,
}

impl From<&Change> for CatalogChange {
    fn from(change: &Change) -> Self {
        let Change {
            position,
            kind,
            software_id,
            release_ids,
        } = change;
        Self {
            cursor: changes::encode_cursor(*position),
            kind: (*kind).into(),
            software_id: Id(*software_id),
            release_ids: release_ids.iter().copied().map(Id).collect(),
        }
    }
}

/// The feed's part of `Query`.
#[derive(Default)]
pub struct ChangeQuery;

#[Object]
impl ChangeQuery {
    /// The position of the newest committed change. Read it with a page of data, then
    /// subscribe with `after:` it, and no change that commits later is missed.
    async fn catalog_change_cursor(&self, ctx: &Context<'_>) -> Result<String> {
        let head = changes::head(db(ctx)?).await.extend()?;
        Ok(changes::encode_cursor(head.position))
    }
}

/// The feed's part of `Subscription`.
#[derive(Default)]
pub struct ChangeSubscription;

#[Subscription]
impl ChangeSubscription {
    /// Committed changes, oldest first, each once. Without `after`: those committed after
    /// the subscription starts. With `after`: first every retained change after that cursor,
    /// then live ones, with no gap and no repeat at the seam. `softwareId` narrows the feed
    /// to one software and its releases.
    ///
    /// A cursor that is not one of ours is `BAD_USER_INPUT`; one older than the retained
    /// history is `CURSOR_EXPIRED` (reload the data, then subscribe from a fresh
    /// `catalogChangeCursor`).
    async fn catalog_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Resume after this `cursor` (of a change, or `catalogChangeCursor`).")]
        after: Option<String>,
        #[graphql(desc = "Only the changes of this software and its releases.")]
        software_id: Option<Id>,
    ) -> Result<impl Stream<Item = Result<CatalogChange>> + use<>> {
        let after = after
            .as_deref()
            .map(changes::decode_cursor)
            .transpose()
            .extend()?;
        let feed = ctx.data::<ChangeFeed>()?;
        let stream = feed
            .subscribe(after, software_id.map(|id| id.0))
            .await
            .extend()?;
        Ok(stream.map(|change: Result<Arc<Change>, CatalogError>| {
            change
                .map(|change| CatalogChange::from(change.as_ref()))
                .extend()
        }))
    }
}
