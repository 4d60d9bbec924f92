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
use crate::letters::Counts;

/// Binomial coefficient C(n, k) (0 when k > n).
#[must_use]
pub fn binomial(n: u64, k: u64) -> u64 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    (0..k).fold(1u64, |acc, i| acc * (n - i) / (i + 1))
}

/// The number of ways to draw exactly these letters from the bag, blanks standing in.
#[must_use]
pub fn combinations(counts: &Counts, bag: &TileBag) -> u64 {
    let blanks = usize::from(bag.blanks());
    // poly[j] = ways to draw the real tiles when j blanks replace letters seen so far.
    let mut poly = vec![0u64; blanks + 1];
    poly[0] = 1;
    let mut next = vec![0u64; blanks + 1];
    for (letter, &k) in counts.iter().enumerate() {
        if k == 0 {
            continue;
        }
        let in_bag = u64::from(bag.count(letter));
        next.fill(0);
        for (j, &ways) in poly.iter().enumerate() {
            if ways == 0 {
                continue;
            }
            for r in 0..=usize::from(k).min(blanks - j) {
                next[j + r] += ways * binomial(in_bag, u64::from(k) - r as u64);
            }
        }
        std::mem::swap(&mut poly, &mut next);
    }
    poly.iter().enumerate().map(|(j, &ways)| binomial(blanks as u64, j as u64) * ways).sum()
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
