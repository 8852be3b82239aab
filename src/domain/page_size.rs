use super::ValidationError;

/// How many items a list answers: `first`, within the bounds of its list.
///
/// The paginated lists (`softwareList`, `releases`) take 1 to 100 and default to 20
/// ([`PageSize::parse`]); `Software.releases` takes 1 to 500 and defaults to 100
/// ([`PageSize::parse_releases_of_software`]). The same bounds give each list its weight in
/// a query's cost ([`PageSize::weight`]), so the cost is known before anything runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageSize(u64);

/// The default and the maximum of one kind of list.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub default: u64,
    pub max: u64,
}

impl PageSize {
    /// `softwareList` and `releases`.
    pub const LIST: Bounds = Bounds {
        default: 20,
        max: 100,
    };
    /// `Software.releases`: all of a software's releases in the usual case, and never
    /// unbounded.
    pub const RELEASES_OF_SOFTWARE: Bounds = Bounds {
        default: 100,
        max: 500,
    };
    /// One item (`latestRelease`).
    pub const ONE: PageSize = PageSize(1);

    /// A page size of a paginated list. `None` (absent or explicit null) is the default.
    pub fn parse(first: Option<i32>) -> Result<Self, ValidationError> {
        Self::parse_within(first, Self::LIST)
    }

    /// How many releases `Software.releases` answers.
    pub fn parse_releases_of_software(first: Option<i32>) -> Result<Self, ValidationError> {
        Self::parse_within(first, Self::RELEASES_OF_SOFTWARE)
    }

    fn parse_within(first: Option<i32>, bounds: Bounds) -> Result<Self, ValidationError> {
        match first {
            None => Ok(Self(bounds.default)),
            Some(n) if n >= 1 && n as u64 <= bounds.max => Ok(Self(n as u64)),
            Some(_) => Err(ValidationError::new(
                "first",
                format!("must be between 1 and {}", bounds.max),
            )),
        }
    }

    /// The most items `first` can make a list of `bounds` return, for cost analysis: an
    /// out-of-range `first` weighs its bound (it is refused when the field runs anyway).
    pub fn weight(first: Option<i32>, bounds: Bounds) -> usize {
        let n = first.map_or(bounds.default, |n| n.clamp(1, i32::MAX) as u64);
        n.min(bounds.max) as usize
    }

    /// The cost of a list field of `bounds` whose items cost `per_item` each: its weight
    /// times that, held under a ceiling (2^32) that is over any cost limit, so that the
    /// sum async-graphql makes of many such costs cannot overflow, however deep they nest.
    pub fn cost(first: Option<i32>, bounds: Bounds, per_item: usize) -> usize {
        const CEILING: usize = 1 << 32;
        Self::weight(first, bounds)
            .saturating_mul(per_item)
            .min(CEILING)
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

    #[test]
    fn releases_of_a_software_default_to_a_hundred_and_stop_at_five_hundred() {
        assert_eq!(
            PageSize::parse_releases_of_software(None).unwrap().get(),
            100
        );
        assert_eq!(
            PageSize::parse_releases_of_software(Some(500))
                .unwrap()
                .get(),
            500
        );
        assert!(PageSize::parse_releases_of_software(Some(501)).is_err());
    }

    #[test]
    fn a_list_weighs_what_it_can_return() {
        assert_eq!(PageSize::weight(None, PageSize::LIST), 20);
        assert_eq!(PageSize::weight(Some(7), PageSize::LIST), 7);
        assert_eq!(PageSize::weight(Some(100_000), PageSize::LIST), 100);
        assert_eq!(PageSize::weight(Some(-5), PageSize::LIST), 1);
        assert_eq!(PageSize::weight(None, PageSize::RELEASES_OF_SOFTWARE), 100);
    }

    #[test]
    fn a_cost_never_overflows() {
        assert_eq!(PageSize::cost(Some(10), PageSize::LIST, 7), 70);
        assert_eq!(PageSize::cost(None, PageSize::LIST, usize::MAX), 1 << 32);
    }
}
