//! Domain values that are parsed once, at the edge, and trusted everywhere after.
//!
//! Each newtype can only be built through its `parse` function, which applies the
//! contract's "Precise rules" (trimming, blank, length and character limits). The catalog's
//! operations take these types, so an unchecked string cannot reach the database.

mod display_name;
mod email;
mod maintainer_name;
mod page_size;
mod release_date;
mod text;
mod version;

pub use display_name::DisplayName;
pub use email::Email;
pub use maintainer_name::MaintainerName;
pub use page_size::PageSize;
pub use release_date::ReleaseDate;
pub use text::argument;
pub use version::Version;

/// A value the catalog refuses, and why. Shown to the client as `BAD_USER_INPUT`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ValidationError {
    /// The API name of the offending field, e.g. `displayName`.
    pub field: &'static str,
    /// What is wrong with it, in words for the API user.
    pub reason: String,
}

impl ValidationError {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}
