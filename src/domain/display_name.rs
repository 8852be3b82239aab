use super::{ValidationError, text};

/// A software's name as shown to people: trimmed, not blank, at most 200 code points.
/// Unique across the catalog, compared exactly (case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        text::required("displayName", raw, Self::MAX_CHARS).map(Self)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AsRef<str> for DisplayName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrounding_unicode_whitespace_is_trimmed() {
        let name = DisplayName::parse("\u{3000} Firefox \u{a0}\n").unwrap();
        assert_eq!(name.as_ref(), "Firefox");
    }

    #[test]
    fn blank_names_are_refused() {
        for raw in ["", "   ", "\t\n", "\u{2003}"] {
            assert_eq!(DisplayName::parse(raw).unwrap_err().field, "displayName");
        }
    }

    #[test]
    fn length_is_counted_in_code_points_after_trimming() {
        let at_limit = "é".repeat(200);
        assert!(DisplayName::parse(&format!("  {at_limit}  ")).is_ok());
        assert!(DisplayName::parse(&"é".repeat(201)).is_err());
    }

    #[test]
    fn a_nul_character_is_refused() {
        assert!(DisplayName::parse("fire\0fox").is_err());
    }

    #[test]
    fn case_is_kept() {
        assert_eq!(DisplayName::parse("curl").unwrap().as_ref(), "curl");
        assert_eq!(DisplayName::parse("cURL").unwrap().as_ref(), "cURL");
    }
}
