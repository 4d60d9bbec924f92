//! `lexicon import|list|remove`: managing the lexicons in the data directory.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use tilebag_lexicon::ImportOptions;

use crate::library::Library;
use crate::output::print_json;

/// Import, list and remove lexicons.
#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Import a word list (one word per line, optionally followed by a definition; may be gzipped).
    Import {
        /// Name to give the lexicon, e.g. NWL2023 (letters, digits, `_`, `-`).
        name: String,
        /// The word list file.
        file: PathBuf,
        /// A file of definitions in the same format (`WORD definition` per line).
        #[arg(long, value_name = "FILE")]
        definitions: Option<PathBuf>,
        /// Skip lines that are not valid words, and report how many, instead of stopping.
        #[arg(long)]
        skip_invalid: bool,
        /// Replace a lexicon of the same name.
        #[arg(long)]
        replace: bool,
    },
    /// List the lexicons: the bundled one and those imported.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove an imported lexicon.
    Remove {
        /// The lexicon's name.
        name: String,
    },
}

pub fn run(command: &LexiconCommand, library: &Library) -> anyhow::Result<ExitCode> {
    match command {
        LexiconCommand::Import {
            name,
            file,
            definitions,
            skip_invalid,
            replace,
        } => {
            let options = ImportOptions {
                skip_invalid: *skip_invalid,
            };
            let imported = library.import(name, file, definitions.as_deref(), options, *replace)?;
            println!(
                "imported {name}: {} words into {}",
                imported.words,
                imported.path.display()
            );
            if imported.skipped > 0 {
                println!("skipped {} invalid lines", imported.skipped);
            }
            if imported.definitions_unmatched > 0 {
                println!(
                    "ignored definitions of {} words that are not in the list",
                    imported.definitions_unmatched
                );
            }
        }
        LexiconCommand::List { json } => {
            let all = library.list()?;
            if *json {
                print_json(&all)?;
            } else {
                for lexicon in all {
                    let origin = if lexicon.bundled {
                        "bundled"
                    } else {
                        "imported"
                    };
                    let definitions = if lexicon.definitions {
                        ", with definitions"
                    } else {
                        ""
                    };
                    println!(
                        "{:<16} {:>8} words  {origin}{definitions}",
                        lexicon.name, lexicon.words
                    );
                }
            }
        }
        LexiconCommand::Remove { name } => {
            library.remove(name)?;
            println!("removed {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
