use chrono::NaiveDate;

use super::ValidationError;

/// The day a release came out, between 1000-01-01 and 9999-12-31: the range every supported
/// database stores as a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseDate(NaiveDate);

impl ReleaseDate {
    pub fn parse(date: NaiveDate) -> Result<Self, ValidationError> {
        let min = NaiveDate::from_ymd_opt(1000, 1, 1);
        let max = NaiveDate::from_ymd_opt(9999, 12, 31);
        if Some(date) < min || Some(date) > max {
            return Err(ValidationError::new(
                "releaseDate",
                "must be between 1000-01-01 and 9999-12-31",
            ));
        }
        Ok(Self(date))
    }

    pub fn into_inner(self) -> NaiveDate {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_supported_range_is_inclusive() {
        assert!(ReleaseDate::parse(date(1000, 1, 1)).is_ok());
        assert!(ReleaseDate::parse(date(9999, 12, 31)).is_ok());
        assert!(ReleaseDate::parse(date(2024, 5, 31)).is_ok());
    }

    #[test]
    fn dates_outside_the_range_are_refused() {
        assert!(ReleaseDate::parse(date(999, 12, 31)).is_err());
        assert!(ReleaseDate::parse(date(10000, 1, 1)).is_err());
        assert!(ReleaseDate::parse(date(-5, 1, 1)).is_err());
    }
}
