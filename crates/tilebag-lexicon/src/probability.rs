//! Combinations: in how many distinct ways an alphagram's tiles can be drawn from a full bag.
//!
//! Blanks may stand for any letter. Using `j` blanks for some of the alphagram's letters
//! contributes C(blanks, j) times the ways to draw the remaining real tiles, summed over every
//! choice of which letters the blanks replace. With two blanks that is the product of
//! C(count in bag, count in alphagram), plus C(2,1) times the product with one letter reduced,
//! plus C(2,2) times the product with two letters reduced (the same letter twice allowed).
//! The sum over choices is computed as a product of small polynomials, so each alphagram
//! costs a few dozen multiplications.

use crate::bag::TileBag;
use crate::letters::{self, Counts, MAX_LEN};

/// Binomial coefficient C(n, k) (0 when k > n), saturating at `u64::MAX`.
#[must_use]
pub fn binomial(n: u64, k: u64) -> u64 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    let exact = (0..k).try_fold(1u128, |acc, i| {
        Some(acc.checked_mul(u128::from(n - i))? / u128::from(i + 1))
    });
    exact.map_or(u64::MAX, |c| u64::try_from(c).unwrap_or(u64::MAX))
}

/// Computes combinations for one bag, with its binomials looked up rather than recomputed.
#[derive(Debug)]
pub struct Combinations {
    /// `ways[letter][k]` = C(count of letter in the bag, k).
    ways: [[u64; MAX_LEN + 1]; 26],
    /// C(blanks, j) for j up to the longest word.
    blank_ways: [u64; MAX_LEN + 1],
    /// Blanks that can matter: never more than the letters of a word.
    blanks: usize,
}

impl Combinations {
    /// Prepares the tables for a bag.
    #[must_use]
    pub fn new(bag: &TileBag) -> Combinations {
        let mut ways = [[0u64; MAX_LEN + 1]; 26];
        for (letter, row) in ways.iter_mut().enumerate() {
            for (k, w) in row.iter_mut().enumerate() {
                *w = binomial(u64::from(bag.count(letter)), k as u64);
            }
        }
        let mut blank_ways = [0u64; MAX_LEN + 1];
        for (j, w) in blank_ways.iter_mut().enumerate() {
            *w = binomial(u64::from(bag.blanks()), j as u64);
        }
        Combinations {
            ways,
            blank_ways,
            blanks: usize::from(bag.blanks()).min(MAX_LEN),
        }
    }

    /// The number of ways to draw exactly these letters from the bag, blanks standing in.
    #[must_use]
    pub fn of(&self, counts: &Counts) -> u64 {
        self.of_runs(
            counts
                .iter()
                .enumerate()
                .filter(|&(_, &k)| k > 0)
                .map(|(letter, &k)| (letter, usize::from(k))),
        )
    }

    /// The same for an alphagram key.
    #[must_use]
    pub fn of_key(&self, key: u128) -> u64 {
        self.of_packed(letters::packed_of_key(key))
    }

    /// The same for letter counts packed by [`letters::packed_counts`].
    #[must_use]
    pub fn of_packed(&self, mut packed: u128) -> u64 {
        self.of_runs(std::iter::from_fn(move || {
            if packed == 0 {
                return None;
            }
            let letter = packed.trailing_zeros() as usize / 4;
            let count = (packed >> (4 * letter)) & 15;
            packed &= !(15 << (4 * letter));
            Some((letter, count as usize))
        }))
    }

    fn of_runs(&self, runs: impl Iterator<Item = (usize, usize)>) -> u64 {
        // poly[j] = ways to draw the real tiles when j blanks replace letters seen so far;
        // updated in place from the highest degree down, so each step reads old values.
        let mut poly = [0u64; MAX_LEN + 1];
        poly[0] = 1;
        let mut degree = 0;
        for (letter, k) in runs {
            let k = k.min(MAX_LEN);
            let row = &self.ways[letter];
            degree = (degree + k).min(self.blanks);
            for j in (0..=degree).rev() {
                let mut sum = 0u64;
                for r in 0..=k.min(j) {
                    sum = sum.saturating_add(poly[j - r].saturating_mul(row[k - r]));
                }
                poly[j] = sum;
            }
        }
        let blanks = poly.iter().zip(&self.blank_ways).take(degree + 1);
        blanks.fold(0u64, |sum, (&ways, &blanks)| {
            sum.saturating_add(ways.saturating_mul(blanks))
        })
    }
}

/// The number of ways to draw exactly these letters from the bag, blanks standing in.
#[must_use]
pub fn combinations(counts: &Counts, bag: &TileBag) -> u64 {
    Combinations::new(bag).of(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::key_counts;
    use crate::letters::key_of;

    fn combos(word: &str) -> u64 {
        combinations(&key_counts(key_of(word.as_bytes())), &TileBag::english())
    }

    #[test]
    fn binomials() {
        assert_eq!(binomial(9, 0), 1);
        assert_eq!(binomial(12, 2), 66);
        assert_eq!(binomial(1, 2), 0);
        assert_eq!(binomial(100, 7), 16_007_560_800);
    }

    #[test]
    fn counts_and_keys_agree() {
        let table = Combinations::new(&TileBag::english());
        for word in ["QI", "ZZZ", "AEINRST", "PIZZAZZ", "MISSISSIPPI", "ZYZZYVAS"] {
            let key = key_of(word.as_bytes());
            assert_eq!(table.of_key(key), table.of(&key_counts(key)), "{word}");
        }
    }

    #[test]
    fn qi_by_hand() {
        // Q×I: 1·9; a blank for Q: 2·9; a blank for I: 2·1; both blanks: 1.
        assert_eq!(combos("QI"), 9 + 18 + 2 + 1);
    }

    #[test]
    fn zzz_needs_both_blanks() {
        // Only one Z in the bag: ZZZZ is impossible, ZZZ takes both blanks, ZZ one blank or two.
        assert_eq!(combos("ZZZZ"), 0);
        assert_eq!(combos("ZZZ"), 1);
        assert_eq!(combos("ZZ"), 2 + 1);
    }
}
