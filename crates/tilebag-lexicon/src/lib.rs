//! The tilebag lexicon engine: word lists, alphagrams, probability, hooks and search.
//!
//! Everything here is pure computation on bytes and strings: reading files, storing
//! lexicons and printing results belong to the callers. A [`Lexicon`] is built once from a
//! [`WordList`] (see [`Lexicon::build`]) into a compact column form that can be saved with
//! [`Lexicon::as_bytes`] and loaded again without rebuilding.
#![deny(missing_docs)]

mod bag;
mod check;
mod format;
mod import;
mod index;
pub mod letters;
mod lexicon;
pub mod probability;
pub mod query;
mod trie;

pub use bag::{BagError, TileBag};
pub use format::{AlignedBytes, FormatError};
pub use import::{Entry, ImportError, ImportOptions, WordList};
pub use lexicon::{Alphagram, AlphagramId, Lexicon, Word, WordId};
