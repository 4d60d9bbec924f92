//! Letters as small integers, and alphagrams packed into one `u128`.
//!
//! Letter `A` is code 1 and `Z` is code 26; code 0 is padding. An alphagram of up to
//! [`MAX_LEN`] letters is packed five bits a letter with its first letter in the highest
//! bits, so comparing two keys as integers compares the alphagrams alphabetically and a
//! key identifies its alphagram across all lengths.

/// Shortest word a lexicon holds.
pub const MIN_LEN: usize = 2;
/// Longest word a lexicon holds.
pub const MAX_LEN: usize = 15;

/// The index (0 for `A` … 25 for `Z`) of an upper-case ASCII letter.
#[must_use]
pub fn index(letter: u8) -> Option<usize> {
    letter
        .is_ascii_uppercase()
        .then(|| usize::from(letter - b'A'))
}

/// Letter counts of a word or rack, indexed 0 (`A`) to 25 (`Z`).
pub type Counts = [u8; 26];

/// The alphagram key of an already sorted run of upper-case letters (at most [`MAX_LEN`]).
#[must_use]
pub fn key_of_sorted(sorted: &[u8]) -> u128 {
    debug_assert!(sorted.len() <= MAX_LEN);
    let mut key = 0u128;
    for (i, &letter) in sorted.iter().enumerate() {
        key |= u128::from(letter - b'A' + 1) << (5 * (MAX_LEN - 1 - i));
    }
    key
}

/// The alphagram key of any run of upper-case letters (at most [`MAX_LEN`]).
#[must_use]
pub fn key_of(word: &[u8]) -> u128 {
    // Count the letters four bits each, then lay them out in order: no sorting.
    let mut packed = word.iter().take(MAX_LEN).fold(0u128, |p, &b| {
        p + (1 << (4 * u32::from(b.wrapping_sub(b'A') % 26)))
    });
    let mut key = 0u128;
    let mut shift = 5 * MAX_LEN as u32;
    while packed != 0 {
        let letter = packed.trailing_zeros() / 4;
        let count = ((packed >> (4 * letter)) & 15) as u32;
        packed &= !(15 << (4 * letter));
        // `count` copies of the letter's code, five bits apart, just below the letters so far.
        let run = (0..count).fold(0u128, |run, _| run << 5 | u128::from(letter + 1));
        shift -= 5 * count;
        key |= run << shift;
    }
    key
}

/// The alphagram key of letter counts.
#[must_use]
pub fn key_of_counts(counts: &Counts) -> u128 {
    let mut key = 0u128;
    let mut position = 0;
    for (i, &n) in counts.iter().enumerate() {
        for _ in 0..n {
            key |= (i as u128 + 1) << (5 * (MAX_LEN - 1 - position));
            position += 1;
        }
    }
    key
}

/// The number of letters of a key.
#[must_use]
pub fn key_len(key: u128) -> usize {
    if key == 0 {
        0
    } else {
        MAX_LEN - key.trailing_zeros() as usize / 5
    }
}

/// Whether `key` is a well-formed key of `len` letters: `len` letter codes from 1 to 26,
/// in order, then padding. Keys read from a file are checked with this before any use.
#[must_use]
pub fn is_key_of_len(key: u128, len: usize) -> bool {
    if key >> (5 * MAX_LEN) != 0 || len > MAX_LEN {
        return false;
    }
    // Padding: everything below the `len` letters is zero.
    let padding = 5 * (MAX_LEN - len);
    if padding > 0 && key & ((1u128 << padding) - 1) != 0 {
        return false;
    }
    // Letters: codes 1 to 26, never decreasing. Read from two u64 halves (cheaper shifts).
    let (high, low) = ((key >> 40) as u64, key as u64 & ((1 << 40) - 1));
    let mut previous = 1;
    for i in 0..len {
        let code = if i < 7 {
            (high >> (5 * (6 - i))) & 31
        } else {
            (low >> (5 * (14 - i))) & 31
        };
        if code < previous || code > 26 {
            return false;
        }
        previous = code;
    }
    true
}

/// The letter indexes (0 for `A`) of a key in alphabetical order, and how many there are.
#[must_use]
pub fn key_array(key: u128) -> ([u8; MAX_LEN], usize) {
    let mut letters = [0u8; MAX_LEN];
    // Two halves in u64s: cheaper shifts than on the whole u128.
    let (high, low) = ((key >> 40) as u64, key as u64 & ((1 << 40) - 1));
    for (i, letter) in letters.iter_mut().enumerate() {
        let code = if i < 7 {
            (high >> (5 * (6 - i))) & 31
        } else {
            (low >> (5 * (14 - i))) & 31
        };
        *letter = (code as u8).wrapping_sub(1).min(25);
    }
    (letters, key_len(key))
}

/// Iterates over the letter indexes (0 for `A`) of a key, in alphabetical order.
pub fn key_letters(key: u128) -> impl Iterator<Item = usize> {
    let (letters, len) = key_array(key);
    letters.into_iter().take(len).map(usize::from)
}

/// Writes the letters of a key as upper-case ASCII into `out`.
pub fn push_key_text(key: u128, out: &mut Vec<u8>) {
    let (mut letters, len) = key_array(key);
    for letter in &mut letters {
        *letter += b'A';
    }
    out.extend_from_slice(&letters[..len]);
}

/// Writes the letters of a key as an upper-case string.
#[must_use]
pub fn key_to_string(key: u128) -> String {
    key_letters(key)
        .map(|i| char::from(b'A' + i as u8))
        .collect()
}

/// Letter counts of a key.
#[must_use]
pub fn key_counts(key: u128) -> Counts {
    let mut counts = [0u8; 26];
    for i in key_letters(key) {
        counts[i] += 1;
    }
    counts
}

/// Letter counts packed four bits a letter (`A` lowest), for comparing whole multisets at
/// once. Counts above 15 cannot occur: words have at most [`MAX_LEN`] letters.
#[must_use]
pub fn packed_counts(counts: &Counts) -> u128 {
    counts.iter().enumerate().fold(0, |packed, (i, &n)| {
        packed | u128::from(n.min(15)) << (4 * i)
    })
}

/// The packed letter counts (see [`packed_counts`]) of a key.
#[must_use]
pub fn packed_of_key(key: u128) -> u128 {
    let (letters, len) = key_array(key);
    letters[..len]
        .iter()
        .fold(0, |packed, &letter| packed + (1 << (4 * u32::from(letter))))
}

/// How many letters of `word` are missing from `tiles` (both from [`packed_counts`]):
/// the sum over letters of the word's count less the tiles' count, where positive.
#[must_use]
pub fn missing(word: u128, tiles: u128) -> u32 {
    const NIBBLES: u128 = 0x0F0F_0F0F_0F0F_0F0F_0F0F_0F0F_0F0F_0F0F;
    const HIGH: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;
    const ONES: u128 = 0x0101_0101_0101_0101_0101_0101_0101_0101;
    // Spread even and odd letters into byte lanes with room to subtract without borrowing.
    let lanes = |w: u128, t: u128| {
        let difference = (w | HIGH).wrapping_sub(t);
        let word_has_more = (difference & HIGH) >> 7;
        let excess = difference & !HIGH & word_has_more.wrapping_mul(0xFF);
        (excess.wrapping_mul(ONES) >> 120) as u32
    };
    lanes(word & NIBBLES, tiles & NIBBLES) + lanes((word >> 4) & NIBBLES, (tiles >> 4) & NIBBLES)
}

/// A bit set of letters: bit 0 is `A`, bit 25 is `Z`.
#[must_use]
pub fn mask_of(letters: impl IntoIterator<Item = usize>) -> u32 {
    letters.into_iter().fold(0, |mask, i| mask | (1 << i))
}

/// The letters of a bit set, alphabetically, as a string.
#[must_use]
pub fn mask_to_string(mask: u32) -> String {
    (0..26u8)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| char::from(b'A' + i))
        .collect()
}

/// Bit set of the vowels A, E, I, O and U.
pub const VOWELS: u32 = 1 | 1 << 4 | 1 << 8 | 1 << 14 | 1 << 20;

/// All 26 letters.
pub const ALL_LETTERS: u32 = (1 << 26) - 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_keys_of_the_right_length_and_order_are_well_formed() {
        assert!(is_key_of_len(key_of(b"RETAINS"), 7));
        assert!(is_key_of_len(key_of(b"ZZ"), 2));
        assert!(!is_key_of_len(key_of(b"RETAINS"), 6));
        assert!(!is_key_of_len(key_of(b"RETAINS"), 8));
        assert!(
            !is_key_of_len(1 << 80, 0),
            "bits above the fifteenth letter"
        );
        assert!(!is_key_of_len(27 << 70, 1), "a letter code above Z");
        let backwards = 2 << 70 | 1 << 65;
        assert!(!is_key_of_len(backwards, 2), "letters out of order");
    }

    #[test]
    fn keys_order_like_alphagrams() {
        let mut words = ["AB", "ABC", "B", "AAB", "ZZ", "ABD"].map(|w| (key_of(w.as_bytes()), w));
        words.sort_unstable();
        let order: Vec<_> = words.iter().map(|(_, w)| *w).collect();
        assert_eq!(order, ["AAB", "AB", "ABC", "ABD", "B", "ZZ"]);
    }

    #[test]
    fn key_round_trips_through_counts_and_strings() {
        let key = key_of(b"RETAINS");
        assert_eq!(key_to_string(key), "AEINRST");
        assert_eq!(key_of_counts(&key_counts(key)), key);
        assert_eq!(
            (
                key_len(key),
                key_len(0),
                key_len(key_of(b"ZZZZZZZZZZZZZZZ"))
            ),
            (7, 0, 15)
        );
        assert_eq!(key_to_string(key_of(b"ZZZZZZZZZZZZZZZ")), "ZZZZZZZZZZZZZZZ");
    }

    #[test]
    fn missing_counts_letters_the_tiles_lack() {
        let packed = |w: &str| packed_counts(&key_counts(key_of(w.as_bytes())));
        assert_eq!(missing(packed("RETAINS"), packed("AEINRST")), 0);
        assert_eq!(packed_of_key(key_of(b"BANANAS")), packed("BANANAS"));
        assert_eq!(missing(packed("STRAINED"), packed("AEINRST")), 1);
        assert_eq!(missing(packed("ZZZ"), packed("AZ")), 2);
        assert_eq!(missing(packed("AEINRST"), packed("ZZ")), 7);
        assert_eq!(missing(packed("ZZZZZZZZZZZZZZZ"), packed("AB")), 15);
        assert_eq!(
            missing(packed("ABCDEFGHIJKLMNO"), packed("PQRSTUVWXYZ")),
            15
        );
        assert_eq!(
            missing(packed("AAAAAAAAAAAAAAA"), packed("AAAAAAAAAAAAAAA")),
            0
        );
    }

    #[test]
    fn masks_list_their_letters() {
        assert_eq!(
            mask_to_string(mask_of(key_letters(key_of(b"BANANA")))),
            "ABN"
        );
        assert_eq!(mask_to_string(VOWELS), "AEIOU");
    }
}
