use super::QueryError;

/// An inclusive range of whole numbers, written `7`, `7-8`, `2-` or `-500`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumRange {
    /// Smallest value kept.
    pub min: u32,
    /// Largest value kept.
    pub max: u32,
}

impl NumRange {
    /// Every value from `min` to `max`.
    #[must_use]
    pub fn new(min: u32, max: u32) -> NumRange {
        NumRange { min, max }
    }

    /// Just one value.
    #[must_use]
    pub fn exactly(n: u32) -> NumRange {
        NumRange { min: n, max: n }
    }

    /// Reads `N`, `A-B`, `A-` (A or more) or `-B` (up to B).
    pub fn parse(text: &str) -> Result<NumRange, QueryError> {
        let number = |s: &str, default: u32| -> Result<u32, QueryError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(default);
            }
            s.parse().map_err(|_| {
                QueryError::new(
                    text,
                    format!("“{s}” is not a whole number; write a range like 7, 7-8, 2- or -500"),
                )
            })
        };
        let range = match text.split_once('-') {
            Some((min, max)) if !(min.trim().is_empty() && max.trim().is_empty()) => {
                NumRange::new(number(min, 0)?, number(max, u32::MAX)?)
            }
            Some(_) => {
                return Err(QueryError::new(
                    text,
                    "write a range like 7, 7-8, 2- or -500",
                ));
            }
            None => NumRange::exactly(number(text, 0)?),
        };
        if range.min > range.max {
            return Err(QueryError::new(
                text,
                format!("the range is empty: {} is above {}", range.min, range.max),
            ));
        }
        Ok(range)
    }

    /// Whether `n` is in the range.
    #[must_use]
    pub fn contains(&self, n: u32) -> bool {
        self.min <= n && n <= self.max
    }

    /// The values in both ranges, if any.
    #[must_use]
    pub fn intersect(&self, other: &NumRange) -> Option<NumRange> {
        let range = NumRange::new(self.min.max(other.min), self.max.min(other.max));
        (range.min <= range.max).then_some(range)
    }
}

impl std::fmt::Display for NumRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.min, self.max) {
            (min, max) if min == max => write!(f, "{min}"),
            (min, u32::MAX) => write!(f, "{min}-"),
            (min, max) => write!(f, "{min}-{max}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_every_form() {
        assert_eq!(NumRange::parse("7"), Ok(NumRange::exactly(7)));
        assert_eq!(NumRange::parse("7-8"), Ok(NumRange::new(7, 8)));
        assert_eq!(NumRange::parse("2-"), Ok(NumRange::new(2, u32::MAX)));
        assert_eq!(NumRange::parse("-500"), Ok(NumRange::new(0, 500)));
        assert_eq!(NumRange::parse(" 1 - 5 "), Ok(NumRange::new(1, 5)));
    }

    #[test]
    fn bad_ranges_say_why() {
        assert_eq!(
            NumRange::parse("8-7").unwrap_err().to_string(),
            "“8-7”: the range is empty: 8 is above 7"
        );
        assert!(
            NumRange::parse("seven")
                .unwrap_err()
                .message
                .contains("“seven” is not a whole number")
        );
        assert!(NumRange::parse("-").is_err());
        assert!(NumRange::parse("1-2-3").is_err());
    }

    #[test]
    fn ranges_intersect_and_display() {
        assert_eq!(
            NumRange::new(1, 10).intersect(&NumRange::new(5, 20)),
            Some(NumRange::new(5, 10))
        );
        assert_eq!(NumRange::new(1, 4).intersect(&NumRange::new(5, 20)), None);
        assert_eq!(NumRange::new(2, u32::MAX).to_string(), "2-");
    }
}
