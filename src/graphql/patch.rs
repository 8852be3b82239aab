//! Partial updates: how an update input's fields become the catalog's changes.
//!
//! In an update input, an absent field keeps its value (`None` in the catalog's
//! `…Changes`). What an explicit `null` means depends on the field: refused for a required
//! one, "clear it" for an optional one. These two methods are the only place that decides.

use async_graphql::MaybeUndefined;

use crate::domain::ValidationError;

/// Reading one field of an update input.
pub(super) trait Patch<T> {
    /// A field that must have a value: absent keeps it, a value is parsed, `null` is
    /// `BAD_USER_INPUT` (it cannot be cleared).
    fn required<U>(
        self,
        field: &'static str,
        parse: impl FnOnce(T) -> Result<U, ValidationError>,
    ) -> Result<Option<U>, ValidationError>;

    /// A field that may be empty: absent keeps it, `null` clears it, a value is parsed
    /// (and may itself mean "none", as a blank maintainer name does).
    fn clearable<U>(
        self,
        parse: impl FnOnce(T) -> Result<Option<U>, ValidationError>,
    ) -> Result<Option<Option<U>>, ValidationError>;
}

impl<T> Patch<T> for MaybeUndefined<T> {
    fn required<U>(
        self,
        field: &'static str,
        parse: impl FnOnce(T) -> Result<U, ValidationError>,
    ) -> Result<Option<U>, ValidationError> {
        match self {
            MaybeUndefined::Undefined => Ok(None),
            MaybeUndefined::Null => Err(ValidationError::new(
                field,
                "cannot be null; leave it out to keep the current value",
            )),
            MaybeUndefined::Value(value) => parse(value).map(Some),
        }
    }

    fn clearable<U>(
        self,
        parse: impl FnOnce(T) -> Result<Option<U>, ValidationError>,
    ) -> Result<Option<Option<U>>, ValidationError> {
        match self {
            MaybeUndefined::Undefined => Ok(None),
            MaybeUndefined::Null => Ok(Some(None)),
            MaybeUndefined::Value(value) => parse(value).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Result<u32, ValidationError> {
        text.parse()
            .map_err(|_| ValidationError::new("n", "not a number"))
    }

    #[test]
    fn an_absent_field_keeps_its_value() {
        assert_eq!(
            MaybeUndefined::<&str>::Undefined.required("n", number),
            Ok(None)
        );
        assert_eq!(
            MaybeUndefined::<&str>::Undefined.clearable(|t| number(t).map(Some)),
            Ok(None)
        );
    }

    #[test]
    fn null_is_refused_for_a_required_field_and_clears_an_optional_one() {
        assert!(MaybeUndefined::<&str>::Null.required("n", number).is_err());
        assert_eq!(
            MaybeUndefined::<&str>::Null.clearable(|t| number(t).map(Some)),
            Ok(Some(None))
        );
    }

    #[test]
    fn a_value_is_parsed() {
        assert_eq!(
            MaybeUndefined::Value("7").required("n", number),
            Ok(Some(7))
        );
        assert!(MaybeUndefined::Value("x").required("n", number).is_err());
    }
}
