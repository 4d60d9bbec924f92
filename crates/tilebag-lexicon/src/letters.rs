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
    letter.is_ascii_uppercase().then(|| usize::from(letter - b'A'))
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
    let mut sorted = [0u8; MAX_LEN];
    let sorted = &mut sorted[..word.len()];
    sorted.copy_from_slice(word);
    sorted.sort_unstable();
    key_of_sorted(sorted)
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

/// Iterates over the letter indexes (0 for `A`) of a key, in alphabetical order.
pub fn key_letters(key: u128) -> impl Iterator<Item = usize> {
    (0..MAX_LEN)
        .map(move |i| ((key >> (5 * (MAX_LEN - 1 - i))) & 31) as usize)
        .take_while(|&code| code != 0)
        .map(|code| code - 1)
}

/// Writes the letters of a key as an upper-case string.
#[must_use]
pub fn key_to_string(key: u128) -> String {
    key_letters(key).map(|i| char::from(b'A' + i as u8)).collect()
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

/// A bit set of letters: bit 0 is `A`, bit 25 is `Z`.
#[must_use]
pub fn mask_of(letters: impl IntoIterator<Item = usize>) -> u32 {
    letters.into_iter().fold(0, |mask, i| mask | (1 << i))
}

/// The letters of a bit set, alphabetically, as a string.
#[must_use]
pub fn mask_to_string(mask: u32) -> String {
    (0..26u8).filter(|i| mask & (1 << i) != 0).map(|i| char::from(b'A' + i)).collect()
}

/// Bit set of the vowels A, E, I, O and U.
pub const VOWELS: u32 = 1 | 1 << 4 | 1 << 8 | 1 << 14 | 1 << 20;

/// All 26 letters.
pub const ALL_LETTERS: u32 = (1 << 26) - 1;

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(key_to_string(key_of(b"ZZZZZZZZZZZZZZZ")), "ZZZZZZZZZZZZZZZ");
    }

    #[test]
    fn masks_list_their_letters() {
        assert_eq!(mask_to_string(mask_of(key_letters(key_of(b"BANANA")))), "ABN");
        assert_eq!(mask_to_string(VOWELS), "AEIOU");
    }
}
