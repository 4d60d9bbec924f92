//! Reading word lists: one word per line, optionally followed by whitespace and a definition.
//!
//! `#` starts a comment line, blank lines are skipped, a UTF-8 byte-order mark and CRLF line
//! ends are accepted. Every error names the source, the line and the offending text, because
//! the person who sees it has to find that line in a file of a quarter of a million.

use crate::letters::{MAX_LEN, MIN_LEN};

/// One word of a list, upper-case, with its definition if the list gave one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The word, `A`–`Z` only.
    pub word: String,
    /// The definition, if any.
    pub definition: Option<String>,
}

/// The words read from a list, sorted and without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WordList {
    entries: Vec<Entry>,
    skipped: usize,
}

/// How to treat lines that are not valid words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Skip invalid lines (and count them) instead of failing.
    pub skip_invalid: bool,
}

/// Why a word list could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    /// A line whose word is not 2–15 letters A–Z.
    #[error(
        "{source_name}, line {line}: “{text}” is not a valid word: {reason} (use --skip-invalid to skip such lines)"
    )]
    InvalidWord {
        /// The file or other source being read.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// The word as written.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A line that is not UTF-8.
    #[error("{source_name}, line {line}: the text is not valid UTF-8")]
    NotUtf8 {
        /// The file or other source being read.
        source_name: String,
        /// 1-based line number.
        line: usize,
    },
    /// No words at all.
    #[error("{source_name} holds no words")]
    Empty {
        /// The file or other source being read.
        source_name: String,
    },
}

impl WordList {
    /// Reads a word list from the bytes of a text file. `source_name` appears in errors.
    pub fn parse(
        bytes: &[u8],
        source_name: &str,
        options: ImportOptions,
    ) -> Result<WordList, ImportError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut entries = Vec::new();
        let mut skipped = 0;
        for (n, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let line = raw.trim_ascii();
            if line.is_empty() || line[0] == b'#' {
                continue;
            }
            let not_utf8 = || ImportError::NotUtf8 {
                source_name: source_name.to_owned(),
                line: n + 1,
            };
            let end = line
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(line.len());
            let (word, rest) = line.split_at(end);
            let definition = rest.trim_ascii();
            let definition = if definition.is_empty() {
                None
            } else {
                Some(
                    std::str::from_utf8(definition)
                        .map_err(|_| not_utf8())?
                        .to_owned(),
                )
            };
            let word = std::str::from_utf8(word).map_err(|_| not_utf8())?;
            match check_word(word) {
                Ok(()) => entries.push(Entry {
                    word: word.to_ascii_uppercase(),
                    definition,
                }),
                Err(_) if options.skip_invalid => skipped += 1,
                Err(reason) => {
                    return Err(ImportError::InvalidWord {
                        source_name: source_name.to_owned(),
                        line: n + 1,
                        text: word.to_owned(),
                        reason,
                    });
                }
            }
        }
        if entries.is_empty() {
            return Err(ImportError::Empty {
                source_name: source_name.to_owned(),
            });
        }
        Ok(WordList::from_entries(entries, skipped))
    }

    /// A list of the given words (already checked), sorted, duplicates merged.
    fn from_entries(mut entries: Vec<Entry>, skipped: usize) -> WordList {
        // Stable sort keeps the first definition of a duplicated word in front.
        entries.sort_by(|a, b| a.word.cmp(&b.word));
        entries.dedup_by(|later, first| {
            if later.word != first.word {
                return false;
            }
            if first.definition.is_none() {
                first.definition = later.definition.take();
            }
            true
        });
        WordList { entries, skipped }
    }

    /// Builds a list from words in code (tests, tools); invalid words are an error.
    pub fn from_words<S: AsRef<str>>(
        words: impl IntoIterator<Item = S>,
    ) -> Result<WordList, ImportError> {
        let text: String = words.into_iter().fold(String::new(), |mut text, w| {
            text.push_str(w.as_ref());
            text.push('\n');
            text
        });
        WordList::parse(text.as_bytes(), "word list", ImportOptions::default())
    }

    /// Gives words the definitions of another list (words it does not hold are ignored).
    /// Returns how many of the other list's words were not in this one.
    pub fn merge_definitions(&mut self, definitions: WordList) -> usize {
        let mut unknown = 0;
        for entry in definitions.entries {
            match self.entries.binary_search_by(|e| e.word.cmp(&entry.word)) {
                Ok(i) if entry.definition.is_some() => {
                    self.entries[i].definition = entry.definition;
                }
                Ok(_) => {}
                Err(_) => unknown += 1,
            }
        }
        unknown
    }

    /// The words, sorted alphabetically.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of invalid lines skipped with [`ImportOptions::skip_invalid`].
    #[must_use]
    pub fn skipped(&self) -> usize {
        self.skipped
    }
}

fn check_word(word: &str) -> Result<(), String> {
    if (MIN_LEN..=MAX_LEN).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Ok(());
    }
    if let Some((i, c)) = word.char_indices().find(|(_, c)| !c.is_ascii_alphabetic()) {
        return Err(format!(
            "“{c}” at position {} is not a letter A-Z",
            word[..i].chars().count() + 1
        ));
    }
    match word.len() {
        n if n < MIN_LEN => Err(format!("{n} letter, words need at least {MIN_LEN}")),
        n if n > MAX_LEN => Err(format!("{n} letters, words have at most {MAX_LEN}")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<WordList, ImportError> {
        WordList::parse(text.as_bytes(), "words.txt", ImportOptions::default())
    }

    fn words(list: &WordList) -> Vec<&str> {
        list.entries().iter().map(|e| e.word.as_str()).collect()
    }

    #[test]
    fn reads_words_definitions_comments_bom_and_crlf() {
        let list =
            parse("\u{feff}# a comment\r\nqi  a vital force\r\n\r\nZA pizza\nqi\nAA\n").unwrap();
        assert_eq!(words(&list), ["AA", "QI", "ZA"]);
        assert_eq!(
            list.entries()[1].definition.as_deref(),
            Some("a vital force")
        );
        assert_eq!(list.entries()[0].definition, None);
    }

    #[test]
    fn duplicates_keep_a_definition() {
        let list = parse("QI\nQI life force\nQI other\n").unwrap();
        assert_eq!(list.entries().len(), 1);
        assert_eq!(list.entries()[0].definition.as_deref(), Some("life force"));
    }

    #[test]
    fn non_letters_name_file_line_and_text() {
        let err = parse("AA\nCAN'T\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "words.txt, line 2: “CAN'T” is not a valid word: “'” at position 4 is not a letter A-Z (use --skip-invalid to skip such lines)"
        );
        assert!(
            parse("AA\nCAFÉ\n")
                .unwrap_err()
                .to_string()
                .contains("line 2: “CAFÉ”")
        );
    }

    #[test]
    fn too_short_and_too_long_words_are_errors() {
        let short = parse("AA\n\nA\n").unwrap_err();
        assert!(matches!(short, ImportError::InvalidWord { line: 3, ref text, .. } if text == "A"));
        let long = parse("ABCDEFGHIJKLMNOP\n").unwrap_err();
        assert!(
            long.to_string()
                .contains("16 letters, words have at most 15")
        );
        assert!(parse("ABCDEFGHIJKLMNO\n").is_ok());
    }

    #[test]
    fn skip_invalid_counts_the_skipped_lines() {
        let list = WordList::parse(
            b"AA\nA\nX-RAY\nZA\n",
            "w",
            ImportOptions { skip_invalid: true },
        )
        .unwrap();
        assert_eq!(words(&list), ["AA", "ZA"]);
        assert_eq!(list.skipped(), 2);
    }

    #[test]
    fn empty_lists_are_errors() {
        assert_eq!(
            parse("").unwrap_err().to_string(),
            "words.txt holds no words"
        );
        assert!(matches!(
            parse("# only a comment\n\n"),
            Err(ImportError::Empty { .. })
        ));
        let all_bad = WordList::parse(b"A\n", "w", ImportOptions { skip_invalid: true });
        assert!(matches!(all_bad, Err(ImportError::Empty { .. })));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = WordList::parse(b"AA\n\xff\xfe\n", "w", ImportOptions::default()).unwrap_err();
        assert_eq!(
            err,
            ImportError::NotUtf8 {
                source_name: "w".into(),
                line: 2
            }
        );
    }

    #[test]
    fn merging_definitions_counts_unknown_words() {
        let mut list = parse("AA\nQI\n").unwrap();
        let unknown = list.merge_definitions(parse("QI life force\nZZZ nothing\n").unwrap());
        assert_eq!(unknown, 1);
        assert_eq!(list.entries()[1].definition.as_deref(), Some("life force"));
    }
}
