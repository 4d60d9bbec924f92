//! The word tools behind both the pages and the JSON API.

use tilebag_lexicon::Lexicon;
use tilebag_lexicon::query::{Criterion, Query, Rack};

use crate::app::ServiceError;
use crate::search_form::SearchForm;
use crate::state::Lexicons;
use crate::views::{AlphagramOut, AnagramOut, InfoOut, JudgeOut, SearchOut, Verdict};

/// Most alphagrams one search answers through the API; more are reached with `offset`.
pub const MAX_RESULTS: usize = 10_000;
/// Most alphagrams one search page shows.
pub const MAX_PAGE: usize = 1_000;
/// Alphagrams per page (and per API answer) unless `limit` says otherwise.
pub const PAGE: usize = 500;

/// Anagram, build or super-anagram.
pub fn anagram<'a>(
    lexicon: &'a Lexicon,
    query: &str,
    mode: Option<&str>,
) -> Result<AnagramOut<'a>, ServiceError> {
    let rack = Rack::parse(query.trim())?;
    let criterion = match mode.unwrap_or("anagram") {
        "anagram" | "" => Criterion::Anagram(rack),
        "build" => Criterion::Build(rack),
        "super" => Criterion::Super(rack),
        other => {
            return Err(ServiceError::invalid(format!(
                "mode “{other}”: say anagram, build or super"
            )));
        }
    };
    let mut words = lexicon.words_of(&lexicon.search(&Query::of(criterion)));
    words.sort_unstable();
    Ok(AnagramOut {
        lexicon: lexicon.name(),
        query: query.trim().to_ascii_uppercase(),
        words,
    })
}

/// Judges words (separated by spaces or commas).
#[must_use]
pub fn judge<'a>(lexicon: &'a Lexicon, words: &str) -> JudgeOut<'a> {
    let words: Vec<Verdict> = words
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| Verdict {
            word: w.to_ascii_uppercase(),
            valid: lexicon.contains(w),
        })
        .collect();
    JudgeOut {
        lexicon: lexicon.name(),
        valid: !words.is_empty() && words.iter().all(|v| v.valid),
        words,
    }
}

/// Everything about one word.
pub fn info<'a>(
    lexicon: &'a Lexicon,
    word: &str,
    compare: Option<&Lexicon>,
) -> Result<InfoOut<'a>, ServiceError> {
    let id = lexicon.find_word(word).ok_or_else(|| {
        ServiceError::not_found(format!(
            "{} is not a word in {}",
            word.to_ascii_uppercase(),
            lexicon.name()
        ))
    })?;
    Ok(InfoOut::new(&lexicon.word(id), compare))
}

/// Runs a search form: the page of results `offset` and `limit` ask for (the first
/// [`PAGE`] by default, at most `max_page`), with the total found.
pub fn search<'a>(
    lexicons: &'a Lexicons,
    form: &SearchForm,
    max_page: usize,
) -> Result<SearchOut<'a>, ServiceError> {
    let lexicon = lexicons.pick(form.lexicon.as_deref())?;
    let mut spec = form.spec()?;
    let limit = spec.limit.unwrap_or(PAGE.min(max_page));
    if limit > max_page {
        return Err(ServiceError::invalid(format!(
            "limit: at most {max_page} results per page; page through more with offset"
        )));
    }
    let offset = spec.offset.unwrap_or(0);
    (spec.limit, spec.offset) = (None, None);
    let query = spec.to_query(|name| lexicons.get(name))?;
    let compare = form
        .compare
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .map(|name| lexicons.pick(Some(name.trim())))
        .transpose()
        .map_err(|e| ServiceError::invalid(format!("compare: {e}")))?;
    // Every match's id (four bytes each, at most the lexicon's alphagrams) gives the total;
    // only the page's alphagrams are made into answers.
    let found = lexicon.search(&query);
    let alphagrams = found
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&id| AlphagramOut::new(&lexicon.alphagram(id), compare))
        .collect();
    Ok(SearchOut {
        lexicon: lexicon.name(),
        total: found.len(),
        offset,
        limit,
        alphagrams,
    })
}
