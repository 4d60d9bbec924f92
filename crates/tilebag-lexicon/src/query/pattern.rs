//! Patterns: words letter by letter, `?` for any letter, `*` for any run, `[...]` for a set.

use super::QueryError;
use super::tokens::{Token, tokenize, write_class};
use crate::letters::{ALL_LETTERS, MAX_LEN};

const MAX_TOKENS: usize = 63;

/// A compiled pattern such as `C?T*` or `[AEIOU]*ING`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Per token, the letters it accepts.
    accepts: Vec<u32>,
    /// Bit i set when token i is `*`.
    stars: u64,
}

impl Pattern {
    /// Compiles a pattern.
    pub fn parse(query: &str) -> Result<Pattern, QueryError> {
        let tokens = tokenize(query)?;
        if tokens.len() > MAX_TOKENS {
            return Err(QueryError::new(
                query,
                format!("the pattern has more than {MAX_TOKENS} parts"),
            ));
        }
        let mut pattern = Pattern {
            accepts: Vec::with_capacity(tokens.len()),
            stars: 0,
        };
        for (i, token) in tokens.into_iter().enumerate() {
            pattern.accepts.push(match token {
                Token::Letter(l) => 1 << l,
                Token::Class(mask) => mask,
                Token::Blank => ALL_LETTERS,
                Token::Star => {
                    pattern.stars |= 1 << i;
                    ALL_LETTERS
                }
            });
        }
        if pattern.min_len() > MAX_LEN {
            return Err(QueryError::new(
                query,
                format!("the pattern needs more than {MAX_LEN} letters"),
            ));
        }
        Ok(pattern)
    }

    /// The fewest letters a matching word has.
    #[must_use]
    pub fn min_len(&self) -> usize {
        self.accepts.len() - self.stars.count_ones() as usize
    }

    /// The most letters a matching word has.
    #[must_use]
    pub fn max_len(&self) -> usize {
        if self.stars == 0 {
            self.min_len()
        } else {
            MAX_LEN
        }
    }

    /// Whether an upper-case word matches.
    #[must_use]
    pub fn matches(&self, word: &[u8]) -> bool {
        if word.len() < self.min_len() || word.len() > self.max_len() {
            return false;
        }
        if self.stars == 0 {
            return word
                .iter()
                .zip(&self.accepts)
                .all(|(&c, &accepts)| accepts & (1 << (c - b'A')) != 0);
        }
        // Simulate the pattern as an automaton: bit i of `states` = "about to match token i".
        let end = 1u64 << self.accepts.len();
        let mut states = self.skip_stars(1);
        for &c in word {
            let letter = 1 << (c - b'A');
            let mut next = 0;
            for (i, &accepts) in self.accepts.iter().enumerate() {
                if states & (1 << i) != 0 && accepts & letter != 0 {
                    next |= if self.stars & (1 << i) != 0 {
                        1 << i
                    } else {
                        1 << (i + 1)
                    };
                }
            }
            states = self.skip_stars(next);
            if states == 0 {
                return false;
            }
        }
        states & end != 0
    }

    /// Adds the states reachable by letting stars match nothing.
    fn skip_stars(&self, mut states: u64) -> u64 {
        loop {
            let next = states | ((states & self.stars) << 1);
            if next == states {
                return states;
            }
            states = next;
        }
    }
}

/// The pattern in the form [`Pattern::parse`] reads back to the same pattern: letters, `?`,
/// `*` and letter classes, upper-case.
impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, &accepts) in self.accepts.iter().enumerate() {
            if self.stars & (1 << i) != 0 {
                f.write_str("*")?;
            } else if accepts == ALL_LETTERS {
                f.write_str("?")?;
            } else if accepts.is_power_of_two() {
                write!(f, "{}", char::from(b'A' + accepts.trailing_zeros() as u8))?;
            } else {
                write_class(f, accepts)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, word: &str) -> bool {
        Pattern::parse(pattern).unwrap().matches(word.as_bytes())
    }

    #[test]
    fn positional_patterns() {
        assert!(matches("C?T", "CAT"));
        assert!(!matches("C?T", "CART"));
        assert!(matches("[AEIOU]?", "AX"));
        assert!(!matches("[AEIOU]?", "XA"));
        assert!(matches("[^S]??", "CAT"));
    }

    #[test]
    fn stars_match_any_run() {
        assert!(matches("*ING", "RING"));
        assert!(matches("*ING", "SINGING"));
        assert!(!matches("*ING", "INGOT"));
        assert!(matches("Q*", "QI"));
        assert!(matches("*Q*", "QI"));
        assert!(matches("A*B*C", "ABC"));
        assert!(matches("A*B*C", "AXXBXXC"));
        assert!(!matches("A*B*C", "ACB"));
        assert!(matches("**", "ZZ"));
    }

    #[test]
    fn lengths_follow_from_the_pattern() {
        let p = Pattern::parse("C*T?").unwrap();
        assert_eq!((p.min_len(), p.max_len()), (3, 15));
        assert!(
            Pattern::parse("????????????????")
                .unwrap_err()
                .message
                .contains("more than 15 letters")
        );
    }

    #[test]
    fn patterns_display_as_they_parse() {
        for (query, shown) in [
            ("c?t*", "C?T*"),
            ("[aeiou]*ing", "[AEIOU]*ING"),
            ("[A]?[A-Z]", "A??"),
            ("[^S]*[XZ]", "[^S]*[XZ]"),
        ] {
            let pattern = Pattern::parse(query).unwrap();
            assert_eq!(pattern.to_string(), shown);
            assert_eq!(Pattern::parse(shown).unwrap(), pattern);
        }
    }
}
