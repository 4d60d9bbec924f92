//! Racks: the tiles of an anagram, build or super-anagram query.

use super::QueryError;
use super::tokens::{Token, tokenize, write_class};
use crate::letters::{Counts, MAX_LEN};

/// Most `?` blanks a rack may hold.
pub const MAX_BLANKS: usize = 8;

/// Tiles to anagram: letters, `?` blanks and `[...]` letter classes (one letter of a set).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rack {
    pub(crate) counts: Counts,
    pub(crate) letters: usize,
    pub(crate) blanks: usize,
    pub(crate) classes: Vec<u32>,
    /// Bit set of the fixed letters.
    pub(crate) mask: u32,
    /// The fixed letters' counts, packed by [`crate::letters::packed_counts`].
    pub(crate) packed: u128,
}

impl Rack {
    /// Reads a rack such as `RETINA??` or `[AEIOU]STER`.
    pub fn parse(query: &str) -> Result<Rack, QueryError> {
        let mut rack = Rack {
            counts: [0; 26],
            letters: 0,
            blanks: 0,
            classes: Vec::new(),
            mask: 0,
            packed: 0,
        };
        for token in tokenize(query)? {
            match token {
                Token::Letter(l) => {
                    rack.counts[l] += 1;
                    rack.mask |= 1 << l;
                    rack.letters += 1;
                }
                Token::Blank => rack.blanks += 1,
                Token::Class(mask) => rack.classes.push(mask),
                Token::Star => {
                    return Err(QueryError::new(
                        query,
                        "“*” belongs in patterns; a rack takes letters, “?” and “[...]”",
                    ));
                }
            }
            if rack.len() > MAX_LEN {
                return Err(QueryError::new(
                    query,
                    format!("more than {MAX_LEN} tiles; words have at most {MAX_LEN} letters"),
                ));
            }
        }
        rack.packed = crate::letters::packed_counts(&rack.counts);
        if rack.blanks > MAX_BLANKS {
            return Err(QueryError::new(
                query,
                format!("{} blanks; at most {MAX_BLANKS} are allowed", rack.blanks),
            ));
        }
        Ok(rack)
    }

    /// Number of tiles.
    #[must_use]
    pub fn len(&self) -> usize {
        self.letters + self.blanks + self.classes.len()
    }

    /// Always false: a parsed rack has at least one tile.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Letters and classes only, no blanks: the rack's whole word can be enumerated.
    pub(crate) fn is_plain(&self) -> bool {
        self.classes.is_empty()
    }

    /// Whether a word with these letters can be made from (a subset of) the rack.
    /// An anagram is a word of the rack's full length that can be made.
    pub(crate) fn builds(&self, word: &Counts) -> bool {
        let mut excess = [0u8; MAX_LEN];
        let mut n = 0;
        for (letter, (&w, &r)) in word.iter().zip(&self.counts).enumerate() {
            for _ in r..w {
                if n == excess.len() {
                    return false;
                }
                excess[n] = letter as u8;
                n += 1;
            }
        }
        if n <= self.blanks {
            return true;
        }
        !self.classes.is_empty() && matching(&self.classes, &excess[..n]) + self.blanks >= n
    }

    /// Whether a word with these letters contains every tile of the rack.
    pub(crate) fn is_contained_in(&self, word: &Counts) -> bool {
        let mut spare = [0u8; MAX_LEN];
        let mut n = 0;
        for (letter, (&w, &r)) in word.iter().zip(&self.counts).enumerate() {
            if r > w {
                return false;
            }
            for _ in r..w {
                if n < spare.len() {
                    spare[n] = letter as u8;
                    n += 1;
                }
            }
        }
        if n < self.classes.len() + self.blanks {
            return false;
        }
        self.classes.is_empty() || matching(&self.classes, &spare[..n]) == self.classes.len()
    }
}

/// The rack in the form [`Rack::parse`] reads back to the same rack: its letters in
/// alphabetical order, then its letter classes as given, then its blanks.
impl std::fmt::Display for Rack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (letter, &count) in self.counts.iter().enumerate() {
            for _ in 0..count {
                write!(f, "{}", char::from(b'A' + letter as u8))?;
            }
        }
        for &class in &self.classes {
            write_class(f, class)?;
        }
        for _ in 0..self.blanks {
            f.write_str("?")?;
        }
        Ok(())
    }
}

/// The largest number of classes that can each take a different one of `letters`.
fn matching(classes: &[u32], letters: &[u8]) -> usize {
    fn augment(
        class: usize,
        classes: &[u32],
        letters: &[u8],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for (slot, &letter) in letters.iter().enumerate() {
            if classes[class] & (1 << letter) == 0 || seen[slot] {
                continue;
            }
            seen[slot] = true;
            if owner[slot].is_none_or(|other| augment(other, classes, letters, owner, seen)) {
                owner[slot] = Some(class);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; letters.len()];
    (0..classes.len())
        .filter(|&class| {
            augment(
                class,
                classes,
                letters,
                &mut owner,
                &mut vec![false; letters.len()],
            )
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::{key_counts, key_of};

    fn counts(word: &str) -> Counts {
        key_counts(key_of(word.as_bytes()))
    }

    #[test]
    fn racks_count_tiles() {
        let rack = Rack::parse("retina??").unwrap();
        assert_eq!((rack.letters, rack.blanks, rack.len()), (6, 2, 8));
        assert_eq!(Rack::parse("[AEIOU]ST").unwrap().classes.len(), 1);
    }

    #[test]
    fn bad_racks_say_why() {
        assert_eq!(
            Rack::parse("?????????").unwrap_err().message,
            "9 blanks; at most 8 are allowed"
        );
        assert!(
            Rack::parse("ABCDEFGHIJKLMNOP")
                .unwrap_err()
                .message
                .contains("more than 15 tiles")
        );
        assert!(
            Rack::parse("A*")
                .unwrap_err()
                .message
                .contains("“*” belongs in patterns")
        );
    }

    #[test]
    fn building_uses_blanks_and_classes() {
        let rack = Rack::parse("AEINRST?").unwrap();
        assert!(rack.builds(&counts("RETAINS")));
        assert!(rack.builds(&counts("STRAINED")));
        assert!(rack.builds(&counts("TANNERS")));
        assert!(!rack.builds(&counts("ZANNERS")));
        assert!(!Rack::parse("AEINRST").unwrap().builds(&counts("TANNERS")));
        let classes = Rack::parse("[AB][AC]").unwrap();
        assert!(classes.builds(&counts("AB")));
        assert!(classes.builds(&counts("AC")));
        assert!(classes.builds(&counts("BC")));
        assert!(!classes.builds(&counts("CC")));
        assert!(!classes.builds(&counts("AD")));
    }

    #[test]
    fn containment_uses_blanks_and_classes() {
        let rack = Rack::parse("QZ").unwrap();
        assert!(rack.is_contained_in(&counts("QUIZ")));
        assert!(!rack.is_contained_in(&counts("QUIT")));
        let classes = Rack::parse("[XY]?Q").unwrap();
        assert!(classes.is_contained_in(&counts("QUIXE")));
        assert!(!classes.is_contained_in(&counts("QX")));
    }

    #[test]
    fn racks_display_as_they_parse() {
        for (query, shown) in [
            ("retina??", "AEINRT??"),
            ("?[aeiou]st[A-Z]", "ST[AEIOU][A-Z]?"),
            ("[Q]I", "I[Q]"),
        ] {
            let rack = Rack::parse(query).unwrap();
            assert_eq!(rack.to_string(), shown);
            assert_eq!(Rack::parse(shown).unwrap(), rack);
        }
    }
}
