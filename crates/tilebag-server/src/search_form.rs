//! Search criteria as they arrive from a web form, a query string or a JSON body.
#![allow(
    clippy::large_stack_arrays,
    reason = "utoipa's generated parameter list for 31 fields"
)]

use serde::Deserialize;
use tilebag_lexicon::query::SearchSpec;
use utoipa::{IntoParams, ToSchema};

/// Every search criterion; empty fields are ignored, unknown ones refused.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
#[allow(
    clippy::large_stack_arrays,
    reason = "inside utoipa's generated parameter list"
)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchForm {
    /// Lexicon to search [default: the bundled one].
    pub lexicon: Option<String>,
    /// Number of letters: `7`, `7-8`, `2-`, `-5`.
    pub length: Option<String>,
    /// Probability rank range within the length.
    pub probability: Option<String>,
    /// Keep at most this many results (after all other criteria).
    pub limit: Option<String>,
    /// Skip this many results first.
    pub offset: Option<String>,
    /// Number of anagrams per alphagram (range).
    pub anagrams: Option<String>,
    /// Tile points (range).
    pub points: Option<String>,
    /// Vowels (range).
    pub vowels: Option<String>,
    /// Different letters (range).
    pub distinct: Option<String>,
    /// Exactly these tiles (`?` blanks, `[...]` sets).
    pub anagram: Option<String>,
    /// Some of these tiles.
    pub build: Option<String>,
    /// All of these tiles and maybe more.
    #[serde(rename = "super")]
    pub super_anagram: Option<String>,
    /// Spelling pattern (`?`, `*`, `[...]`).
    pub pattern: Option<String>,
    /// Spelling pattern that must not match.
    pub not_pattern: Option<String>,
    /// Has all these letters.
    pub includes: Option<String>,
    /// Lacks one of these letters.
    pub not_includes: Option<String>,
    /// Uses only these letters.
    pub consists_of: Option<String>,
    /// `yes`: takes a front hook; `no`: takes none.
    pub front_hook: Option<String>,
    /// `yes`: takes a back hook; `no`: takes none.
    pub back_hook: Option<String>,
    /// Takes all these front hooks.
    pub front_hooks: Option<String>,
    /// Lacks one of these front hooks.
    pub not_front_hooks: Option<String>,
    /// Takes all these back hooks.
    pub back_hooks: Option<String>,
    /// Lacks one of these back hooks.
    pub not_back_hooks: Option<String>,
    /// `front`, `back` or `either`.
    pub inner_hook: Option<String>,
    /// `front`, `back` or `either`: has no such inner hook.
    pub no_inner_hook: Option<String>,
    /// Definition contains.
    pub definition: Option<String>,
    /// Definition does not contain.
    pub not_definition: Option<String>,
    /// Word is in this other lexicon.
    pub in_lexicon: Option<String>,
    /// Word is not in this other lexicon.
    pub not_in_lexicon: Option<String>,
    /// Words or alphagrams, separated by spaces, commas or new lines.
    pub in_list: Option<String>,
    /// Mark words missing from this other lexicon with `#`.
    pub compare: Option<String>,
}

fn given(field: Option<&String>) -> Option<String> {
    field
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn number(
    field: &'static str,
    value: Option<&String>,
) -> Result<Option<usize>, crate::app::ServiceError> {
    given(value)
        .map(|text| {
            text.parse().map_err(|_| {
                crate::app::ServiceError::invalid(format!(
                    "{field}: “{text}” is not a whole number"
                ))
            })
        })
        .transpose()
}

fn yes_no(
    field: &'static str,
    value: Option<&String>,
) -> Result<Option<bool>, crate::app::ServiceError> {
    match given(value).map(|v| v.to_ascii_lowercase()).as_deref() {
        None | Some("any") => Ok(None),
        Some("yes" | "true") => Ok(Some(true)),
        Some("no" | "false") => Ok(Some(false)),
        Some(other) => Err(crate::app::ServiceError::invalid(format!(
            "{field}: say yes or no, not “{other}”"
        ))),
    }
}

impl SearchForm {
    /// Whether no criterion is given (the page then shows only the form).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.spec().is_ok_and(|spec| {
            SearchSpec {
                limit: None,
                offset: None,
                ..spec
            } == SearchSpec::default()
        })
    }

    /// The criteria as the query engine reads them.
    pub fn spec(&self) -> Result<SearchSpec, crate::app::ServiceError> {
        Ok(SearchSpec {
            length: given(self.length.as_ref()),
            probability: given(self.probability.as_ref()),
            limit: number("limit", self.limit.as_ref())?,
            offset: number("offset", self.offset.as_ref())?,
            anagrams: given(self.anagrams.as_ref()),
            points: given(self.points.as_ref()),
            vowels: given(self.vowels.as_ref()),
            distinct: given(self.distinct.as_ref()),
            anagram: given(self.anagram.as_ref()),
            build: given(self.build.as_ref()),
            super_anagram: given(self.super_anagram.as_ref()),
            pattern: given(self.pattern.as_ref()),
            not_pattern: given(self.not_pattern.as_ref()),
            includes: given(self.includes.as_ref()),
            not_includes: given(self.not_includes.as_ref()),
            consists_of: given(self.consists_of.as_ref()),
            front_hook: yes_no("front_hook", self.front_hook.as_ref())?,
            back_hook: yes_no("back_hook", self.back_hook.as_ref())?,
            front_hooks: given(self.front_hooks.as_ref()),
            not_front_hooks: given(self.not_front_hooks.as_ref()),
            back_hooks: given(self.back_hooks.as_ref()),
            not_back_hooks: given(self.not_back_hooks.as_ref()),
            inner_hook: given(self.inner_hook.as_ref()),
            no_inner_hook: given(self.no_inner_hook.as_ref()),
            definition: given(self.definition.as_ref()),
            not_definition: given(self.not_definition.as_ref()),
            in_lexicon: given(self.in_lexicon.as_ref()),
            not_in_lexicon: given(self.not_in_lexicon.as_ref()),
            in_list: given(self.in_list.as_ref()).map(|list| {
                list.split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            }),
        })
    }
}
