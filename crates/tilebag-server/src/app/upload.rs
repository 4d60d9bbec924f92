//! Reading an uploaded list of words or alphagrams, for `POST /api/v1/walls/upload` (which the
//! new-wall page's file upload calls). Pure: bytes and a lexicon in, alphagrams or a message
//! out, so it can be tested and fuzzed without a server.

use std::collections::HashSet;

use tilebag_lexicon::Lexicon;

use super::ServiceError;
use super::walls::MAX_QUESTIONS;

/// Most bad lines named in the error; the rest are only counted.
const SHOWN_BAD_LINES: usize = 20;

/// Reads an uploaded list: one word or alphagram per line, `#` comment lines and blank lines
/// skipped. Each line's first word is read; its alphagram (letters in order) goes into the
/// result once, in the order first seen. Every bad line is reported with its number, and then
/// nothing is made.
pub fn read_upload(lexicon: &Lexicon, text: &[u8]) -> Result<Vec<String>, ServiceError> {
    let text = std::str::from_utf8(text)
        .map_err(|_| ServiceError::invalid("the file is not UTF-8 text"))?;
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_QUESTIONS {
        return Err(ServiceError::invalid(format!(
            "{} lines: a list holds at most {MAX_QUESTIONS}",
            lines.len()
        )));
    }
    let mut alphagrams = Vec::new();
    let mut seen = HashSet::new();
    let mut bad = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        let Some(entry) = line
            .split_whitespace()
            .next()
            .filter(|_| !line.starts_with('#'))
        else {
            continue;
        };
        if !(2..=15).contains(&entry.len()) || !entry.bytes().all(|b| b.is_ascii_alphabetic()) {
            bad.push(format!("line {}: “{entry}” is not 2-15 letters A-Z", n + 1));
        } else if let Some(id) = lexicon.find_alphagram(entry) {
            let letters = lexicon.alphagram(id).letters();
            if seen.insert(letters.clone()) {
                alphagrams.push(letters);
            }
        } else {
            bad.push(format!(
                "line {}: “{entry}” has no anagrams in {}",
                n + 1,
                lexicon.name()
            ));
        }
    }
    if !bad.is_empty() {
        let shown = bad.len().min(SHOWN_BAD_LINES);
        let more = if bad.len() > shown {
            format!("; and {} more", bad.len() - shown)
        } else {
            String::new()
        };
        return Err(ServiceError::invalid(format!(
            "{} bad lines, nothing was made: {}{more}",
            bad.len(),
            bad[..shown].join("; ")
        )));
    }
    if alphagrams.is_empty() {
        return Err(ServiceError::invalid("the file has no words"));
    }
    Ok(alphagrams)
}
