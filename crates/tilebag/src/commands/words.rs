//! `anagram`, `judge` and `info`: one lexicon, a few words.

use std::process::ExitCode;

use clap::Args;

use super::LexiconArgs;
use crate::library::Library;
use crate::output::{InfoOut, print_json};

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
    let mode = match (args.build, args.super_anagram) {
        (true, _) => "build",
        (_, true) => "super",
        _ => "anagram",
    };
    let found = tilebag_server::tools::anagram(&lexicon, &args.query, Some(mode))?;
    if args.common.json {
        print_json(&found)?;
    } else if found.words.is_empty() {
        eprintln!("no words");
    } else {
        println!("{}", found.words.join("\n"));
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
    let verdict = tilebag_server::tools::judge(&lexicon, &args.words.join(" "));
    let all_valid = verdict.valid;
    if args.common.json {
        print_json(&verdict)?;
    } else {
        for word in &verdict.words {
            println!(
                "{} {}",
                word.word,
                if word.valid { "VALID" } else { "INVALID" }
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
