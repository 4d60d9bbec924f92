//! Interval fuzz, as Anki does it: an interval of 2.5 days or more is moved by up to 15% (of
//! the part up to 7 days), 10% (7–20 days) and 5% (beyond), plus a day, so that cards learned
//! together do not stay due together. The spread is drawn from a seeded hash of the card's id
//! and review count: the same card at the same review always gets the same interval (tests pin
//! it, and previews agree with the review), while different cards and reviews spread.
//!
//! One factor serves all four grades of a review, and the bounds grow with the interval, so
//! fuzz never lets an easier grade give a shorter interval.

use crate::shuffle::SplitMix64;

/// `(from days, to days, share)`: Anki's fuzz ranges.
const RANGES: [(f32, f32, f32); 3] = [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f32::MAX, 0.05)];

/// The fuzz factor of a card at a review count, in `0..1`: a fixed hash (`SplitMix64`), never
/// a library RNG whose algorithm may change.
#[must_use]
pub fn fuzz_factor(card: u64, reps: u32) -> f64 {
    let mut rng = SplitMix64::new(card ^ (u64::from(reps) << 40).rotate_left(17));
    let bits = rng.next_u64() >> 11;
    bits as f64 / (1u64 << 53) as f64
}

/// The range of whole days an `interval` (days, unrounded) may be fuzzed to, kept within
/// `1..=maximum` days.
#[must_use]
pub fn fuzz_bounds(interval: f32, maximum: u32) -> (u32, u32) {
    let maximum_f = maximum as f32;
    let interval = interval.clamp(1.0, maximum_f);
    let delta = if interval < 2.5 {
        0.0
    } else {
        RANGES.iter().fold(1.0, |delta, &(start, end, share)| {
            delta + share * (interval.min(end) - start).max(0.0)
        })
    };
    let lower = days((interval - delta).round().clamp(1.0, maximum_f));
    let mut upper = days((interval + delta).round().clamp(1.0, maximum_f));
    if upper == lower && upper > 2 && upper < maximum {
        upper = lower + 1;
    }
    (lower, upper)
}

/// The fuzzed interval in whole days: a point in [`fuzz_bounds`] chosen by `factor`.
#[must_use]
pub fn fuzzed_interval(interval: f32, maximum: u32, factor: f64) -> u32 {
    let (lower, upper) = fuzz_bounds(interval, maximum);
    let span = f64::from(upper - lower + 1);
    let chosen = (f64::from(lower) + factor * span).floor();
    days(chosen as f32).clamp(lower, upper)
}

/// A whole, non-negative, in-range number of days as `u32` (callers clamp first).
#[allow(clippy::cast_sign_loss)]
fn days(value: f32) -> u32 {
    value as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_intervals_are_not_fuzzed() {
        assert_eq!(fuzz_bounds(1.0, 1825), (1, 1));
        assert_eq!(fuzz_bounds(2.4, 1825), (2, 2));
    }

    #[test]
    fn the_bounds_are_ankis() {
        // 10 days: delta = 1 + 0.15 * 4.5 + 0.1 * 3 = 1.975.
        assert_eq!(fuzz_bounds(10.0, 1825), (8, 12));
        // 100 days: delta = 1 + 0.675 + 1.3 + 0.05 * 80 = 6.975.
        assert_eq!(fuzz_bounds(100.0, 1825), (93, 107));
        // Never past the maximum.
        assert_eq!(fuzz_bounds(1825.0, 1825), (1732, 1825));
    }

    #[test]
    fn the_factor_is_pinned_by_card_and_review() {
        // Recorded once: a change here would move every fuzzed card.
        let days: Vec<u32> = (0..8)
            .map(|reps| fuzzed_interval(100.0, 1825, fuzz_factor(42, reps)))
            .collect();
        assert_eq!(days, [104, 96, 93, 94, 103, 98, 96, 98]);
        assert_eq!(fuzz_factor(42, 3).to_bits(), fuzz_factor(42, 3).to_bits());
        assert_ne!(fuzz_factor(42, 3).to_bits(), fuzz_factor(43, 3).to_bits());
    }
}
