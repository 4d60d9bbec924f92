//! The `tilebag` subcommands.

pub mod lexicon;
pub mod search;
pub mod server;
pub mod words;

use clap::Args;
use tilebag_lexicon::Lexicon;

use crate::library::Library;

/// Options shared by the word tools.
#[derive(Debug, Args)]
pub struct LexiconArgs {
    /// The lexicon to use (see `tilebag lexicon list`).
    #[arg(long, short = 'l', env = "TILEBAG_LEXICON", default_value = tilebag_bundled::NAME)]
    pub lexicon: String,
    /// Print JSON instead of text (shapes documented in the README).
    #[arg(long)]
    pub json: bool,
}

impl LexiconArgs {
    pub fn open(&self, library: &Library) -> anyhow::Result<Lexicon> {
        library.open(&self.lexicon)
    }
}
