//! The schema's own scalars, `UUID` and `Date`.
//!
//! A malformed id or date, in a literal or a variable alike, is refused when its argument is
//! read, with `BAD_USER_INPUT` attached here to the parse error itself (the contract makes
//! it a user-input error, not a validation one). The field that takes it fails; nothing
//! runs for it.

use async_graphql::{InputType, InputValueError, InputValueResult, Scalar, ScalarType, Value};

use super::codes::ErrorCode;

/// A value that is not one of `T`: `BAD_USER_INPUT`, saying what was expected.
fn refused<T: InputType>(value: &Value, expected: &str) -> InputValueError<T> {
    let error = match value {
        Value::String(_) => InputValueError::custom(expected),
        _ => InputValueError::expected_type(value.clone()),
    };
    error.with_extension("code", ErrorCode::BadUserInput.as_str())
}
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
            Value::String(text) => Uuid::parse_str(text).ok().map(Id),
            _ => None,
        }
        .ok_or_else(|| refused(&value, "not a valid UUID"))
    }

    fn to_value(&self) -> Value {
        // Encoded directly: `to_string` goes through the formatting machinery, a
        // measurable share of writing a page of ids.
        let mut buffer = Uuid::encode_buffer();
        Value::String(self.0.hyphenated().encode_lower(&mut buffer).to_owned())
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
            Value::String(text) => Date::from_text(text),
            _ => None,
        }
        .ok_or_else(|| refused(&value, "not a valid YYYY-MM-DD date"))
    }

    fn to_value(&self) -> Value {
        // Written digit by digit: chrono's `format` interprets its pattern on every call, and
        // `format!` with padding goes through the formatting machinery.
        use chrono::Datelike;
        let date = self.0;
        let Ok(year) = u32::try_from(date.year()) else {
            return Value::String(date.to_string());
        };
        if year > 9999 {
            return Value::String(date.to_string());
        }
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        let mut text = String::with_capacity(10);
        text.extend([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
        ]);
        text.push('-');
        text.extend([digit(date.month() / 10), digit(date.month())]);
        text.push('-');
        text.extend([digit(date.day() / 10), digit(date.day())]);
        Value::String(text)
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
    fn dates_are_written_as_yyyy_mm_dd() {
        for text in [
            "0001-01-01",
            "0999-10-09",
            "1000-01-01",
            "2024-05-31",
            "9999-12-31",
        ] {
            let date = Date::from_text(text).unwrap();
            assert_eq!(ScalarType::to_value(&date), Value::String(text.into()));
        }
    }

    #[test]
    fn uuids_are_written_in_canonical_lowercase_form() {
        let id = Id(Uuid::parse_str("67E55044-10B1-426F-9247-BB680E5FE0C8").unwrap());
        assert_eq!(
            ScalarType::to_value(&id),
            Value::String("67e55044-10b1-426f-9247-bb680e5fe0c8".into())
        );
    }
}
