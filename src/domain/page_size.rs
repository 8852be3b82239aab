use super::ValidationError;

/// How many items one page of a list holds: `first`, 1 to 100, 20 when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize(u64);

impl PageSize {
    pub const DEFAULT: u64 = 20;
    pub const MAX: u64 = 100;

    /// `None` (absent or explicit null) is the default size.
    pub fn parse(first: Option<i32>) -> Result<Self, ValidationError> {
        match first {
            None => Ok(Self(Self::DEFAULT)),
            Some(n) if (1..=Self::MAX as i32).contains(&n) => Ok(Self(n as u64)),
            Some(_) => Err(ValidationError::new(
                "first",
                format!("must be between 1 and {}", Self::MAX),
            )),
        }
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_means_twenty() {
        assert_eq!(PageSize::parse(None).unwrap().get(), 20);
    }

    #[test]
    fn one_to_a_hundred_are_accepted() {
        assert_eq!(PageSize::parse(Some(1)).unwrap().get(), 1);
        assert_eq!(PageSize::parse(Some(100)).unwrap().get(), 100);
    }

    #[test]
    fn zero_negative_and_over_a_hundred_are_refused() {
        for n in [0, -1, 101, i32::MAX, i32::MIN] {
            assert!(PageSize::parse(Some(n)).is_err(), "{n}");
        }
    }
}
