//! The rules shared by every text value written to the catalog.

use super::ValidationError;

/// Trims surrounding Unicode `White_Space` (as `str::trim` does) and enforces the limits every
/// stored text shares: no NUL character (not every database can store one) and at most
/// `max_chars` code points. Blankness is left to the caller: it means different things for
/// different fields.
pub(super) fn clean(
    field: &'static str,
    raw: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
    if raw.contains('\0') {
        return Err(ValidationError::new(
            field,
            "must not contain a NUL character",
        ));
    }
    let trimmed = raw.trim();
    if trimmed.chars().count() > max_chars {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// A lookup or filter argument compared with stored text of at most `max_chars` code points:
/// used exactly as given (not trimmed), but held to the stored values' NUL and length rules,
/// so that no user text reaches the database in a form it may fail on (SQLite refuses a
/// LIKE pattern over 50,000 bytes; not every database can hold a NUL).
pub fn argument<'a>(
    field: &'static str,
    raw: &'a str,
    max_chars: usize,
) -> Result<&'a str, ValidationError> {
    if raw.contains('\0') {
        return Err(ValidationError::new(
            field,
            "must not contain a NUL character",
        ));
    }
    if raw.chars().count() > max_chars {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(raw)
}

/// [`clean`], then refuses a value that is empty after trimming.
pub(super) fn required(
    field: &'static str,
    raw: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
    let value = clean(field, raw, max_chars)?;
    if value.is_empty() {
        return Err(ValidationError::new(field, "must not be blank"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_argument_is_used_as_given_within_the_stored_limits() {
        assert_eq!(argument("q", "  a b ", 10), Ok("  a b "));
        assert_eq!(
            argument("q", &"é".repeat(10), 10),
            Ok("é".repeat(10).as_str())
        );
        assert!(argument("q", &"é".repeat(11), 10).is_err());
        assert!(argument("q", "a\0b", 10).is_err());
    }
}
