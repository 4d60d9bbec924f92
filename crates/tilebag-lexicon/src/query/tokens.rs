//! The small language shared by anagram queries and patterns: letters, `?`, `*`, `[...]`.

use super::QueryError;
use crate::letters::{self, ALL_LETTERS};

/// One piece of a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// A letter, 0 for `A`.
    Letter(usize),
    /// `?`: any one letter.
    Blank,
    /// `[...]`: one letter of a set.
    Class(u32),
    /// `*`: any run of letters, possibly none.
    Star,
}

/// Splits a query into tokens. Lower-case letters are read as upper-case.
pub(crate) fn tokenize(query: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let token = match chars[i] {
            '?' => Token::Blank,
            '*' => Token::Star,
            '[' => {
                let (mask, end) = class(query, &chars, i)?;
                i = end;
                Token::Class(mask)
            }
            ']' => {
                return Err(QueryError::new(
                    query,
                    format!("“]” at position {} closes no “[”", i + 1),
                ));
            }
            c => Token::Letter(letter(query, c, i)?),
        };
        tokens.push(token);
        i += 1;
    }
    if tokens.is_empty() {
        return Err(QueryError::new(
            query,
            "the query is empty; give some letters",
        ));
    }
    Ok(tokens)
}

fn letter(query: &str, c: char, at: usize) -> Result<usize, QueryError> {
    u8::try_from(c)
        .ok()
        .and_then(|b| letters::index(b.to_ascii_uppercase()))
        .ok_or_else(|| {
            QueryError::new(
                query,
                format!(
                    "“{c}” at position {} is not a letter A-Z, “?”, “*” or “[...]”",
                    at + 1
                ),
            )
        })
}

/// Reads `[...]` starting at `open`; returns the letter set and the index of the `]`.
/// `[^...]` is every letter but those listed, and `A-E` is a range.
fn class(query: &str, chars: &[char], open: usize) -> Result<(u32, usize), QueryError> {
    let close = chars[open..]
        .iter()
        .position(|&c| c == ']')
        .map(|p| open + p)
        .ok_or_else(|| {
            QueryError::new(
                query,
                format!(
                    "the letter class “[” at position {} is not closed; add “]”",
                    open + 1
                ),
            )
        })?;
    let mut inside = &chars[open + 1..close];
    let negated = inside.first() == Some(&'^');
    if negated {
        inside = &inside[1..];
    }
    let mut mask = 0u32;
    let mut j = 0;
    while j < inside.len() {
        let at = open + 1 + usize::from(negated) + j;
        let from = letter(query, inside[j], at)?;
        if inside.get(j + 1) == Some(&'-') && j + 2 < inside.len() {
            let to = letter(query, inside[j + 2], at + 2)?;
            if to < from {
                return Err(QueryError::new(
                    query,
                    format!("the range “{}-{}” runs backwards", inside[j], inside[j + 2]),
                ));
            }
            mask |= (from..=to).fold(0, |m, l| m | 1 << l);
            j += 3;
        } else {
            mask |= 1 << from;
            j += 1;
        }
    }
    if negated {
        mask = ALL_LETTERS & !mask;
    }
    if mask == 0 {
        return Err(QueryError::new(
            query,
            format!(
                "the letter class at position {} matches no letter",
                open + 1
            ),
        ));
    }
    Ok((mask, close))
}

/// Writes a letter class as `[...]` in the form [`tokenize`] reads back to the same set:
/// runs of three or more letters as ranges (`A-E`), and `[^...]` when that is shorter.
pub(crate) fn write_class(f: &mut std::fmt::Formatter<'_>, mask: u32) -> std::fmt::Result {
    let listed = class_text(mask);
    let negated = class_text(ALL_LETTERS & !mask);
    if !negated.is_empty() && negated.len() + 1 < listed.len() {
        write!(f, "[^{negated}]")
    } else {
        write!(f, "[{listed}]")
    }
}

/// The letters of a set, runs of three or more written as ranges.
fn class_text(mask: u32) -> String {
    let mut text = String::new();
    let mut letter = 0;
    while letter < 26 {
        if mask & (1 << letter) == 0 {
            letter += 1;
            continue;
        }
        let mut end = letter;
        while end + 1 < 26 && mask & (1 << (end + 1)) != 0 {
            end += 1;
        }
        let name = |l: u32| char::from(b'A' + l as u8);
        match end - letter {
            0 => text.push(name(letter)),
            1 => text.extend([name(letter), name(end)]),
            _ => text.extend([name(letter), '-', name(end)]),
        }
        letter = end + 1;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_every_kind() {
        assert_eq!(
            tokenize("a?[B-DZ]*").unwrap(),
            [
                Token::Letter(0),
                Token::Blank,
                Token::Class(0b1110 | 1 << 25),
                Token::Star
            ]
        );
        assert_eq!(tokenize("[^A-Y]").unwrap(), [Token::Class(1 << 25)]);
    }

    #[test]
    fn malformed_queries_say_where() {
        let msg = |q: &str| tokenize(q).unwrap_err().to_string();
        assert_eq!(
            msg("[AB"),
            "“[AB”: the letter class “[” at position 1 is not closed; add “]”"
        );
        assert_eq!(msg("AB]"), "“AB]”: “]” at position 3 closes no “[”");
        assert_eq!(
            msg("AB3"),
            "“AB3”: “3” at position 3 is not a letter A-Z, “?”, “*” or “[...]”"
        );
        assert_eq!(
            msg("[]"),
            "“[]”: the letter class at position 1 matches no letter"
        );
        assert_eq!(msg("[Z-A]"), "“[Z-A]”: the range “Z-A” runs backwards");
        assert_eq!(msg(""), "the query is empty; give some letters");
        assert!(msg("CAFÉ").contains("“É” at position 4"));
    }

    struct Class(u32);

    impl std::fmt::Display for Class {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write_class(f, self.0)
        }
    }

    #[test]
    fn classes_are_written_as_they_are_read() {
        let written = |query: &str| match tokenize(query).unwrap()[..] {
            [Token::Class(mask)] => Class(mask).to_string(),
            ref other => panic!("{query}: not one class: {other:?}"),
        };
        assert_eq!(written("[EA]"), "[AE]");
        assert_eq!(written("[ABCDXZ]"), "[A-DXZ]");
        assert_eq!(written("[^Q]"), "[^Q]");
        assert_eq!(written("[A-Z]"), "[A-Z]");
        assert_eq!(written("[Z]"), "[Z]");
        for mask in [
            1,
            0b101,
            0b111,
            ALL_LETTERS,
            ALL_LETTERS & !(1 << 16),
            1 << 25 | 1,
        ] {
            let text = Class(mask).to_string();
            assert_eq!(tokenize(&text).unwrap(), [Token::Class(mask)], "{text}");
        }
    }
}
