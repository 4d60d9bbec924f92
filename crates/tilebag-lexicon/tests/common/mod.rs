//! Helpers shared by the lexicon's integration tests.

use tilebag_lexicon::Lexicon;
use tilebag_lexicon::query::Query;

/// Every word of every alphagram the query finds, alphabetically.
pub fn words_found(lexicon: &Lexicon, query: &Query<'_>) -> Vec<String> {
    let mut words: Vec<String> = lexicon
        .search(query)
        .into_iter()
        .flat_map(|id| {
            lexicon
                .alphagram(id)
                .words()
                .map(|w| w.text().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    words.sort();
    words
}
