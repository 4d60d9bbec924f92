//! The tile bag: how many of each letter there are and what each is worth.
//!
//! A bag is data, written as text (`letter count value` per line, `?` for blanks), so other
//! languages' bags need no code. Probability depends on it, so a lexicon stores its bag.

use crate::letters;

/// Letter counts, letter values and blanks of a tile bag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TileBag {
    counts: [u8; 26],
    values: [u8; 26],
    blanks: u8,
}

/// What is wrong with a tile bag description, and on which line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("tile bag, line {line}: {message}")]
pub struct BagError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

const ENGLISH: &str = include_str!("../bags/english.txt");

impl TileBag {
    /// The standard English bag: 100 tiles, 2 blanks.
    #[must_use]
    pub fn english() -> TileBag {
        TileBag::parse(ENGLISH).expect("the built-in English bag is valid")
    }

    /// Reads a bag from lines of `letter count value`; `#` starts a comment.
    pub fn parse(text: &str) -> Result<TileBag, BagError> {
        let mut bag = TileBag {
            counts: [0; 26],
            values: [0; 26],
            blanks: 0,
        };
        let mut seen = 0u32;
        for (n, line) in text.lines().enumerate() {
            let fail = |message: String| BagError {
                line: n + 1,
                message,
            };
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [letter, count, value] = fields[..] else {
                return Err(fail(format!(
                    "expected “letter count value”, found “{line}”"
                )));
            };
            let count: u8 = count
                .parse()
                .map_err(|_| fail(format!("count “{count}” is not a number from 0 to 255")))?;
            let value: u8 = value
                .parse()
                .map_err(|_| fail(format!("value “{value}” is not a number from 0 to 255")))?;
            if letter == "?" {
                bag.blanks = count;
                continue;
            }
            let index = match letter.as_bytes() {
                [b] => letters::index(b.to_ascii_uppercase()),
                _ => None,
            }
            .ok_or_else(|| fail(format!("“{letter}” is not a letter A-Z or “?”")))?;
            if seen & (1 << index) != 0 {
                return Err(fail(format!("letter {letter} is listed twice")));
            }
            seen |= 1 << index;
            bag.counts[index] = count;
            bag.values[index] = value;
        }
        if seen == 0 {
            return Err(BagError {
                line: text.lines().count().max(1),
                message: "the bag has no letters".into(),
            });
        }
        Ok(bag)
    }

    /// Writes the bag in the form [`TileBag::parse`] reads.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut lines: Vec<String> = (0..26)
            .map(|i| {
                format!(
                    "{} {} {}",
                    char::from(b'A' + i as u8),
                    self.counts[i],
                    self.values[i]
                )
            })
            .collect();
        lines.push(format!("? {} 0", self.blanks));
        lines.join("\n") + "\n"
    }

    /// How many tiles of the letter (0 for `A`) the bag holds.
    #[must_use]
    pub fn count(&self, letter: usize) -> u8 {
        self.counts[letter]
    }

    /// The points a tile of the letter (0 for `A`) scores.
    #[must_use]
    pub fn value(&self, letter: usize) -> u8 {
        self.values[letter]
    }

    /// Number of blank tiles.
    #[must_use]
    pub fn blanks(&self) -> u8 {
        self.blanks
    }

    /// Total number of tiles, blanks included.
    #[must_use]
    pub fn total(&self) -> u32 {
        self.counts.iter().map(|&c| u32::from(c)).sum::<u32>() + u32::from(self.blanks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_bag_has_100_tiles() {
        let bag = TileBag::english();
        assert_eq!(bag.total(), 100);
        assert_eq!(bag.blanks(), 2);
        assert_eq!((bag.count(4), bag.value(4)), (12, 1));
        assert_eq!((bag.count(25), bag.value(25)), (1, 10));
        assert_eq!(TileBag::parse(&bag.to_text()), Ok(bag));
    }

    #[test]
    fn bad_bags_name_the_line() {
        let err = TileBag::parse("A 9 1\nB two 3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "tile bag, line 2: count “two” is not a number from 0 to 255"
        );
        assert_eq!(TileBag::parse("A 1 1\nA 1 1").unwrap_err().line, 2);
        assert_eq!(
            TileBag::parse("AB 1 1").unwrap_err().message,
            "“AB” is not a letter A-Z or “?”"
        );
        assert_eq!(
            TileBag::parse("# nothing\n").unwrap_err().message,
            "the bag has no letters"
        );
    }
}
