//! The schema's own scalars, `UUID` and `Date`.
//!
//! Both check their values during validation (`is_valid`), so a malformed id or date is
//! refused before anything runs, in a literal or a variable alike, and reported as
//! `BAD_USER_INPUT` (see [`super::errors`]).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;
use uuid::Uuid;

/// An identifier of a software or release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Id(pub Uuid);

/// An RFC 4122 UUID in its canonical hyphenated text form.
#[Scalar(name = "UUID")]
impl ScalarType for Id {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => Uuid::parse_str(text)
                .map(Id)
                .map_err(|_| InputValueError::custom("not a valid UUID")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if Uuid::parse_str(text).is_ok())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.hyphenated().to_string())
    }
}

/// A calendar day, as given to and read from the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Strictly `YYYY-MM-DD`: four-digit year, two-digit month and day.
    fn from_text(text: &str) -> Option<Self> {
        let shape_ok = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape_ok {
            return None;
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Date)
    }
}

/// A calendar date without time zone, ISO 8601 `YYYY-MM-DD` (e.g. 2024-05-31).
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => Date::from_text(text)
                .ok_or_else(|| InputValueError::custom("not a valid YYYY-MM-DD date")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if Date::from_text(text).is_some())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_exactly_yyyy_mm_dd() {
        assert!(Date::from_text("2024-05-31").is_some());
        assert!(Date::from_text("1000-01-01").is_some());
        for bad in [
            "2024-5-31",
            "2024-02-30",
            "24-05-31",
            "2024/05/31",
            "2024-05-31T00:00",
            "",
        ] {
            assert!(Date::from_text(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn uuids_are_written_in_canonical_lowercase_form() {
        let id = Id(Uuid::parse_str("67E55044-10B1-426F-9247-BB680E5FE0C8").unwrap());
        assert_eq!(
            id.to_value(),
            Value::String("67e55044-10b1-426f-9247-bb680e5fe0c8".into())
        );
    }
}
