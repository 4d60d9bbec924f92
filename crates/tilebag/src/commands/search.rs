//! `search`: every criterion of the query engine as a flag.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use tilebag_lexicon::Lexicon;
use tilebag_lexicon::query::SearchSpec;

use super::LexiconArgs;
use crate::library::{Library, read_text};
use crate::output::{AlphagramOut, SearchOut, print_json};

/// Search a lexicon; results are alphagrams in probability order.
///
/// Criteria combine with AND. Ranges are written 7, 7-8, 2- or -500. Word-level criteria
/// (pattern, hooks, definition, other lexicons) keep an alphagram when any of its words matches.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools, reason = "each flag is a criterion")]
pub struct SearchArgs {
    /// Number of letters, e.g. 7 or 7-8.
    #[arg(long, value_name = "RANGE")]
    length: Option<String>,
    /// Probability rank within the length, e.g. 1-500.
    #[arg(long = "prob", value_name = "RANGE")]
    probability: Option<String>,
    /// Keep only the first N results (after all other criteria).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Skip the first N results before the limit.
    #[arg(long, value_name = "N")]
    offset: Option<usize>,
    /// Number of anagrams (words) per alphagram, e.g. 2-.
    #[arg(long, value_name = "RANGE")]
    anagrams: Option<String>,
    /// Sum of tile values.
    #[arg(long, value_name = "RANGE")]
    points: Option<String>,
    /// Number of vowels (A, E, I, O, U).
    #[arg(long, value_name = "RANGE")]
    vowels: Option<String>,
    /// Number of different letters.
    #[arg(long, value_name = "RANGE")]
    distinct: Option<String>,
    /// Exactly these tiles: letters, `?` blanks, `[...]` letter sets.
    #[arg(long, value_name = "RACK")]
    anagram: Option<String>,
    /// Some of these tiles.
    #[arg(long, value_name = "RACK")]
    build: Option<String>,
    /// All of these tiles and maybe more.
    #[arg(long = "super", value_name = "RACK")]
    super_anagram: Option<String>,
    /// Spelling: `?` any letter, `*` any run, `[...]` one of a set, e.g. `*ING`.
    #[arg(long, value_name = "PATTERN")]
    pattern: Option<String>,
    /// Spelling that must not match.
    #[arg(long, value_name = "PATTERN")]
    not_pattern: Option<String>,
    /// Has all these letters (as many times as given), e.g. QU.
    #[arg(long, value_name = "LETTERS")]
    includes: Option<String>,
    /// Lacks at least one of these letters.
    #[arg(long, value_name = "LETTERS")]
    not_includes: Option<String>,
    /// Uses no letters but these.
    #[arg(long, value_name = "LETTERS")]
    consists_of: Option<String>,
    /// Takes at least one front hook.
    #[arg(long, conflicts_with = "no_front_hook")]
    front_hook: bool,
    /// Takes no front hook.
    #[arg(long)]
    no_front_hook: bool,
    /// Takes at least one back hook.
    #[arg(long, conflicts_with = "no_back_hook")]
    back_hook: bool,
    /// Takes no back hook.
    #[arg(long)]
    no_back_hook: bool,
    /// Takes all these letters as front hooks.
    #[arg(long, value_name = "LETTERS")]
    front_hooks: Option<String>,
    /// Lacks one of these front hooks.
    #[arg(long, value_name = "LETTERS")]
    not_front_hooks: Option<String>,
    /// Takes all these letters as back hooks.
    #[arg(long, value_name = "LETTERS")]
    back_hooks: Option<String>,
    /// Lacks one of these back hooks.
    #[arg(long, value_name = "LETTERS")]
    not_back_hooks: Option<String>,
    /// Minus its first (front) or last (back) letter it is a word.
    #[arg(long, value_name = "front|back|either")]
    inner_hook: Option<String>,
    /// Has no such inner hook.
    #[arg(long, value_name = "front|back|either")]
    no_inner_hook: Option<String>,
    /// Definition contains this text (any case).
    #[arg(long, value_name = "TEXT")]
    definition: Option<String>,
    /// Definition does not contain this text.
    #[arg(long, value_name = "TEXT")]
    not_definition: Option<String>,
    /// Is also in this lexicon.
    #[arg(long, value_name = "LEXICON")]
    in_lexicon: Option<String>,
    /// Is not in this lexicon.
    #[arg(long, value_name = "LEXICON")]
    not_in_lexicon: Option<String>,
    /// Is the alphagram of a word or alphagram listed in this file (one per line).
    #[arg(long, value_name = "FILE")]
    in_list: Option<PathBuf>,
    /// Mark with `#` the words that are not in this other lexicon.
    #[arg(long, value_name = "LEXICON")]
    compare: Option<String>,
    #[command(flatten)]
    common: LexiconArgs,
}

impl SearchArgs {
    fn spec(&self) -> anyhow::Result<SearchSpec> {
        let either = |yes: bool, no: bool| {
            if yes {
                Some(true)
            } else if no {
                Some(false)
            } else {
                None
            }
        };
        Ok(SearchSpec {
            length: self.length.clone(),
            probability: self.probability.clone(),
            limit: self.limit,
            offset: self.offset,
            anagrams: self.anagrams.clone(),
            points: self.points.clone(),
            vowels: self.vowels.clone(),
            distinct: self.distinct.clone(),
            anagram: self.anagram.clone(),
            build: self.build.clone(),
            super_anagram: self.super_anagram.clone(),
            pattern: self.pattern.clone(),
            not_pattern: self.not_pattern.clone(),
            includes: self.includes.clone(),
            not_includes: self.not_includes.clone(),
            consists_of: self.consists_of.clone(),
            front_hook: either(self.front_hook, self.no_front_hook),
            back_hook: either(self.back_hook, self.no_back_hook),
            front_hooks: self.front_hooks.clone(),
            not_front_hooks: self.not_front_hooks.clone(),
            back_hooks: self.back_hooks.clone(),
            not_back_hooks: self.not_back_hooks.clone(),
            inner_hook: self.inner_hook.clone(),
            no_inner_hook: self.no_inner_hook.clone(),
            definition: self.definition.clone(),
            not_definition: self.not_definition.clone(),
            in_lexicon: self.in_lexicon.clone(),
            not_in_lexicon: self.not_in_lexicon.clone(),
            in_list: self.in_list.as_deref().map(read_list).transpose()?,
        })
    }
}

/// Reads a file of words or alphagrams, one per line (`#` comments and blank lines skipped).
fn read_list(path: &Path) -> anyhow::Result<Vec<String>> {
    let bytes = read_text(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        let Some(entry) = line
            .split_whitespace()
            .next()
            .filter(|_| !line.starts_with('#'))
        else {
            continue;
        };
        if !(2..=15).contains(&entry.len()) || !entry.bytes().all(|b| b.is_ascii_alphabetic()) {
            bail!(
                "{}, line {}: “{entry}” is not a word or alphagram of 2-15 letters A-Z",
                path.display(),
                n + 1
            );
        }
        entries.push(entry.to_owned());
    }
    Ok(entries)
}

pub fn run(args: &SearchArgs, library: &Library) -> anyhow::Result<ExitCode> {
    let lexicon = args.common.open(library)?;
    let spec = args.spec()?;
    let others: Vec<Lexicon> = [&spec.in_lexicon, &spec.not_in_lexicon, &args.compare]
        .into_iter()
        .flatten()
        .map(|name| library.open(name))
        .collect::<anyhow::Result<_>>()?;
    let by_name = |name: &str| others.iter().find(|l| l.name().eq_ignore_ascii_case(name));
    let query = spec.to_query(by_name)?;
    let compare = args.compare.as_deref().and_then(by_name);
    let found: Vec<AlphagramOut<'_>> = lexicon
        .search(&query)
        .into_iter()
        .map(|id| AlphagramOut::new(&lexicon.alphagram(id), compare))
        .collect();
    if args.common.json {
        print_json(&SearchOut {
            lexicon: lexicon.name(),
            alphagrams: found,
        })?;
    } else if found.is_empty() {
        eprintln!("no alphagrams match");
    } else {
        let text: String = found.iter().map(AlphagramOut::text).collect();
        print!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}
