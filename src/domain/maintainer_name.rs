use super::{ValidationError, text};

/// The name of a software's maintainer: trimmed, at most 200 code points. A blank name is
/// no name: [`MaintainerName::parse`] answers `None` for it, which is stored as null.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintainerName(String);

impl MaintainerName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Option<Self>, ValidationError> {
        let value = text::clean("maintainerName", raw, Self::MAX_CHARS)?;
        Ok((!value.is_empty()).then_some(Self(value)))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_name_means_no_name() {
        assert_eq!(MaintainerName::parse("  \t").unwrap(), None);
        assert_eq!(MaintainerName::parse("").unwrap(), None);
    }

    #[test]
    fn a_name_is_trimmed() {
        let name = MaintainerName::parse(" Ada Lovelace ").unwrap().unwrap();
        assert_eq!(name.into_inner(), "Ada Lovelace");
    }

    #[test]
    fn too_long_or_nul_names_are_refused() {
        assert!(MaintainerName::parse(&"a".repeat(201)).is_err());
        assert!(MaintainerName::parse("a\0b").is_err());
    }
}
