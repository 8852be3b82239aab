use super::{ValidationError, text};

/// A maintainer's e-mail address, trimmed, at most 254 code points, with exactly one `@`,
/// a non-empty local part, a domain containing at least one dot, and no whitespace.
///
/// This is deliberately the contract's simple shape, not full RFC 5322: the catalog only
/// needs to catch obvious mistakes, and must not refuse an address the contract allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        const FIELD: &str = "maintainerEmail";
        let value = text::clean(FIELD, raw, Self::MAX_CHARS)?;
        let invalid = |reason: &str| Err(ValidationError::new(FIELD, reason));
        if value.chars().any(char::is_whitespace) {
            return invalid("must not contain whitespace");
        }
        let Some((local, domain)) = value.split_once('@') else {
            return invalid("must contain an @");
        };
        if domain.contains('@') {
            return invalid("must contain exactly one @");
        }
        if local.is_empty() {
            return invalid("must have a part before the @");
        }
        if !domain.contains('.') {
            return invalid("must have a domain with a dot after the @");
        }
        Ok(Self(value))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_are_accepted_and_trimmed() {
        assert_eq!(
            Email::parse("  ada@example.org ").unwrap().into_inner(),
            "ada@example.org"
        );
        assert!(Email::parse("a.b+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for raw in [
            "",
            "   ",
            "example.org",
            "@example.org",
            "ada@example",
            "ada@@example.org",
            "a@b@example.org",
            "ada lovelace@example.org",
            "ada@exa\u{a0}mple.org",
            "ada@example.org\0",
        ] {
            let err = Email::parse(raw).unwrap_err();
            assert_eq!(err.field, "maintainerEmail", "{raw:?} should be refused");
        }
    }

    #[test]
    fn length_limit_is_254_code_points() {
        let at_limit = format!("{}@example.org", "a".repeat(254 - 12));
        assert!(Email::parse(&at_limit).is_ok());
        let over = format!("{}@example.org", "a".repeat(255 - 12));
        assert!(Email::parse(&over).is_err());
    }
}
