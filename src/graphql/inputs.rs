//! The schema's input types, and their parsing into the catalog's domain values.
//!
//! Parsing happens here, at the edge: a resolver hands the catalog only values that passed
//! the contract's rules, and a refused value becomes `BAD_USER_INPUT` before any write.

use async_graphql::{Enum, InputObject, MaybeUndefined};

use super::scalars::{Date, Id};
use super::types::SortDirection;
use crate::catalog::release::{self as releases, ReleaseChanges};
use crate::catalog::software::{self as softwares, NewSoftware, SoftwareChanges};
use crate::domain::{DisplayName, Email, MaintainerName, ReleaseDate, ValidationError, Version};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SoftwareOrderField {
    DisplayName,
}

/// The order of the software list; ties are broken by id in the same direction.
#[derive(InputObject)]
pub struct SoftwareOrder {
    pub field: SoftwareOrderField,
    pub direction: SortDirection,
}

impl From<SoftwareOrder> for softwares::SoftwareOrder {
    fn from(order: SoftwareOrder) -> Self {
        match order.field {
            SoftwareOrderField::DisplayName => Self {
                direction: order.direction.into(),
            },
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseOrderField {
    ReleaseDate,
    /// Plain text order by code point: `1.10` comes before `1.9`.
    Version,
}

/// The order of a release list; ties are broken by id in the same direction.
#[derive(InputObject)]
pub struct ReleaseOrder {
    pub field: ReleaseOrderField,
    pub direction: SortDirection,
}

impl From<ReleaseOrder> for releases::ReleaseOrder {
    fn from(order: ReleaseOrder) -> Self {
        Self {
            field: match order.field {
                ReleaseOrderField::ReleaseDate => releases::ReleaseOrderField::ReleaseDate,
                ReleaseOrderField::Version => releases::ReleaseOrderField::Version,
            },
            direction: order.direction.into(),
        }
    }
}

/// Narrows the software list. Values are used as given (not trimmed).
#[derive(InputObject, Default)]
pub struct SoftwareFilter {
    /// Case-insensitive substring of the display name.
    pub display_name_contains: Option<String>,
    /// Exact match, ignoring ASCII case.
    pub maintainer_email: Option<String>,
}

impl From<SoftwareFilter> for softwares::SoftwareFilter {
    fn from(filter: SoftwareFilter) -> Self {
        Self {
            display_name_contains: filter.display_name_contains,
            maintainer_email: filter.maintainer_email,
        }
    }
}

/// Narrows the release list; all given bounds apply together.
#[derive(InputObject, Default)]
pub struct ReleaseFilter {
    pub software_id: Option<Id>,
    /// Inclusive lower bound on the release date.
    pub released_from: Option<Date>,
    /// Inclusive upper bound on the release date.
    pub released_to: Option<Date>,
}

impl From<ReleaseFilter> for releases::ReleaseFilter {
    fn from(filter: ReleaseFilter) -> Self {
        Self {
            software_id: filter.software_id.map(|id| id.0),
            released_from: filter.released_from.map(|date| date.0),
            released_to: filter.released_to.map(|date| date.0),
        }
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

impl NewReleaseInput {
    fn parse(self) -> Result<releases::NewRelease, ValidationError> {
        Ok(releases::NewRelease {
            version: Version::parse(&self.version)?,
            release_date: ReleaseDate::parse(self.release_date.0)?,
        })
    }
}

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
    pub fn parse(self) -> Result<NewSoftware, ValidationError> {
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
                .map(NewReleaseInput::parse)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// A required field given as an explicit null in an update.
fn null_refused(field: &'static str) -> ValidationError {
    ValidationError::new(
        field,
        "cannot be null; leave it out to keep the current value",
    )
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
    pub fn parse(self) -> Result<SoftwareChanges, ValidationError> {
        Ok(SoftwareChanges {
            display_name: match self.display_name {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => return Err(null_refused("displayName")),
                MaybeUndefined::Value(name) => Some(DisplayName::parse(&name)?),
            },
            maintainer_name: match self.maintainer_name {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(name) => Some(MaintainerName::parse(&name)?),
            },
            maintainer_email: match self.maintainer_email {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => return Err(null_refused("maintainerEmail")),
                MaybeUndefined::Value(email) => Some(Email::parse(&email)?),
            },
        })
    }
}

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
    pub fn parse(self) -> Result<(uuid::Uuid, releases::NewRelease), ValidationError> {
        let new = NewReleaseInput {
            version: self.version,
            release_date: self.release_date,
        }
        .parse()?;
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
    pub fn parse(self) -> Result<ReleaseChanges, ValidationError> {
        Ok(ReleaseChanges {
            version: match self.version {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => return Err(null_refused("version")),
                MaybeUndefined::Value(version) => Some(Version::parse(&version)?),
            },
            release_date: match self.release_date {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => return Err(null_refused("releaseDate")),
                MaybeUndefined::Value(date) => Some(ReleaseDate::parse(date.0)?),
            },
        })
    }
}
