//! `anagram`, `judge` and `info`: one lexicon, a few words.

use std::process::ExitCode;

use clap::Args;
use tilebag_lexicon::query::{Criterion, Query, Rack};

use super::LexiconArgs;
use crate::library::Library;
use crate::output::{AnagramOut, InfoOut, JudgeOut, Verdict, print_json};

/// Find the words in a rack of letters.
#[derive(Debug, Args)]
pub struct AnagramArgs {
    /// Letters, `?` for a blank (up to 8), `[AEIOU]` for one letter of a set.
    pub query: String,
    /// Words made from some of the letters (any length), not all of them.
    #[arg(long, conflicts_with = "super_anagram")]
    pub build: bool,
    /// Words containing all the letters, and possibly more.
    #[arg(long = "super")]
    pub super_anagram: bool,
    #[command(flatten)]
    pub common: LexiconArgs,
}

pub fn anagram(args: &AnagramArgs, library: &Library) -> anyhow::Result<ExitCode> {
    let lexicon = args.common.open(library)?;
    let rack = Rack::parse(&args.query)?;
    let criterion = match (args.build, args.super_anagram) {
        (true, _) => Criterion::Build(rack),
        (_, true) => Criterion::Super(rack),
        _ => Criterion::Anagram(rack),
    };
    let mut words: Vec<&str> = lexicon
        .search(&Query::of(criterion))
        .into_iter()
        .flat_map(|id| lexicon.alphagram(id).words().map(|w| w.text()))
        .collect();
    words.sort_unstable();
    if args.common.json {
        let query = args.query.to_ascii_uppercase();
        print_json(&AnagramOut {
            lexicon: lexicon.name(),
            query,
            words,
        })?;
    } else if words.is_empty() {
        eprintln!("no words");
    } else {
        println!("{}", words.join("\n"));
    }
    Ok(ExitCode::SUCCESS)
}

/// Say whether words are valid: exit status 0 only if all of them are.
#[derive(Debug, Args)]
pub struct JudgeArgs {
    /// The words to judge.
    #[arg(required = true)]
    pub words: Vec<String>,
    #[command(flatten)]
    pub common: LexiconArgs,
}

pub fn judge(args: &JudgeArgs, library: &Library) -> anyhow::Result<ExitCode> {
    let lexicon = args.common.open(library)?;
    let words: Vec<Verdict> = args
        .words
        .iter()
        .map(|w| Verdict {
            word: w.to_ascii_uppercase(),
            valid: lexicon.contains(w),
        })
        .collect();
    let all_valid = words.iter().all(|v| v.valid);
    if args.common.json {
        print_json(&JudgeOut {
            lexicon: lexicon.name(),
            valid: all_valid,
            words,
        })?;
    } else {
        for verdict in &words {
            println!(
                "{} {}",
                verdict.word,
                if verdict.valid { "VALID" } else { "INVALID" }
            );
        }
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Everything about words: alphagram, probability, anagrams, hooks, definition.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The words to describe.
    #[arg(required = true)]
    pub words: Vec<String>,
    /// Mark with `#` the words that are not in this other lexicon.
    #[arg(long, value_name = "LEXICON")]
    pub compare: Option<String>,
    #[command(flatten)]
    pub common: LexiconArgs,
}

pub fn info(args: &InfoArgs, library: &Library) -> anyhow::Result<ExitCode> {
    let lexicon = args.common.open(library)?;
    let compare = args
        .compare
        .as_deref()
        .map(|name| library.open(name))
        .transpose()?;
    let mut found = Vec::new();
    let mut status = ExitCode::SUCCESS;
    for word in &args.words {
        if let Some(id) = lexicon.find_word(word) {
            found.push(InfoOut::new(&lexicon.word(id), compare.as_ref()));
        } else {
            eprintln!(
                "tilebag: {} is not a word in {}",
                word.to_ascii_uppercase(),
                lexicon.name()
            );
            status = ExitCode::FAILURE;
        }
    }
    if args.common.json {
        print_json(&found)?;
    } else {
        let texts: Vec<String> = found.iter().map(|info| info.text(lexicon.name())).collect();
        print!("{}", texts.join("\n"));
    }
    Ok(status)
}
