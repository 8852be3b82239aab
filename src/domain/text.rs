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
