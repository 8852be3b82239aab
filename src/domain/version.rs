use super::{ValidationError, text};

/// A release's version label: trimmed, not blank, at most 64 code points. Free text (no
/// semver is imposed), unique within its software and compared exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version(String);

impl Version {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        text::required("version", raw, Self::MAX_CHARS).map(Self)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AsRef<str> for Version {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_trimmed_free_text() {
        assert_eq!(Version::parse(" 1.10-rc.1 ").unwrap().as_ref(), "1.10-rc.1");
        assert_eq!(
            Version::parse("2024 edition").unwrap().as_ref(),
            "2024 edition"
        );
    }

    #[test]
    fn blank_or_too_long_versions_are_refused() {
        assert!(Version::parse(" ").is_err());
        assert!(Version::parse(&"9".repeat(64)).is_ok());
        assert!(Version::parse(&"9".repeat(65)).is_err());
        assert!(Version::parse("1\0").is_err());
    }
}
