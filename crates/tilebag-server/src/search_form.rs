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
    /// Alphagrams per page: at most this many [default: 500; at most 10,000 through the API].
    pub limit: Option<String>,
    /// Skip this many matches first (the page's start) [default: 0].
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

/// Form pairs as a query string without the empty ones (an empty field means "not given").
#[must_use]
pub fn without_empty<'a>(pairs: impl IntoIterator<Item = &'a (String, String)>) -> String {
    let kept: Vec<_> = pairs
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
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
            text.parse().map_err(|e: std::num::ParseIntError| {
                let what = if *e.kind() == std::num::IntErrorKind::PosOverflow {
                    "is too large"
                } else {
                    "is not a whole number"
                };
                crate::app::ServiceError::invalid(format!("{field}: “{text}” {what}"))
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

/// One input of the search form as the pages show it: its name (as in the query string),
/// label, example and kind (`text`, `yes_no`, `side` or `list`).
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The query-string name.
    pub name: &'static str,
    /// What the page calls it.
    pub label: &'static str,
    /// An example value.
    pub hint: &'static str,
    /// How it is entered.
    pub kind: &'static str,
}

impl Field {
    /// The choices of a `yes_no` or `side` field: value and label.
    #[must_use]
    pub fn choices(&self) -> &'static [(&'static str, &'static str)] {
        match self.kind {
            "yes_no" => &YES_NO,
            "side" => &SIDES,
            _ => &[],
        }
    }
}

const fn text(name: &'static str, label: &'static str, hint: &'static str) -> Field {
    Field {
        name,
        label,
        hint,
        kind: "text",
    }
}

const fn choice(name: &'static str, label: &'static str, kind: &'static str) -> Field {
    Field {
        name,
        label,
        hint: "",
        kind,
    }
}

/// A fieldset: its legend and inputs.
pub type Group = (&'static str, &'static [Field]);

/// Every criterion, grouped as the search and new-wall forms show them (the page size,
/// `limit` and `offset`, is apart).
pub const GROUPS: [Group; 3] = [
    (
        "Letters and probability",
        &[
            text("length", "Length", "7 or 7-8"),
            text("probability", "Probability", "1-500"),
            text("anagrams", "Anagrams", "2-"),
            text("points", "Points", "10-"),
            text("vowels", "Vowels", "1-2"),
            text("distinct", "Different letters", "5-"),
        ],
    ),
    (
        "Tiles",
        &[
            text("anagram", "Anagram of", "RETINA??"),
            text("build", "Build from", "AEINRST"),
            text("super", "Contains all of", "QZ"),
            text("includes", "Includes letters", "JX"),
            text("not_includes", "Lacks one of", "S"),
            text("consists_of", "Only letters", "AEIOULNRST"),
        ],
    ),
    (
        "Spelling, hooks, definitions, lexicons",
        &[
            text("pattern", "Pattern", "*ING"),
            text("not_pattern", "Not pattern", "*S"),
            choice("front_hook", "Takes a front hook", "yes_no"),
            choice("back_hook", "Takes a back hook", "yes_no"),
            text("front_hooks", "Front hooks include", "S"),
            text("not_front_hooks", "Front hooks lack one of", ""),
            text("back_hooks", "Back hooks include", "S"),
            text("not_back_hooks", "Back hooks lack one of", ""),
            choice("inner_hook", "Inner hook", "side"),
            choice("no_inner_hook", "No inner hook", "side"),
            text("definition", "Definition contains", "bird"),
            text("not_definition", "Definition lacks", ""),
            text("in_lexicon", "Also in lexicon", ""),
            text("not_in_lexicon", "Not in lexicon", ""),
            text("compare", "Mark with # words missing from lexicon", ""),
            choice("in_list", "In this list", "list"),
        ],
    ),
];

/// The choices of a `yes_no` field: value and label.
const YES_NO: [(&str, &str); 3] = [("", "either"), ("yes", "yes"), ("no", "no")];
/// The choices of a `side` field: value and label.
const SIDES: [(&str, &str); 4] = [
    ("", "—"),
    ("front", "front"),
    ("back", "back"),
    ("either", "either end"),
];

/// A criterion the form could not read: which field, and why.
#[derive(Debug, Clone)]
pub struct FieldError {
    /// The field's query-string name, when the error is about one field.
    pub field: Option<&'static str>,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// The error of a search, with the field its message names (`length: ...`,
    /// `not-pattern: ...`).
    #[must_use]
    pub fn of(message: String) -> FieldError {
        let named = message
            .split_once(':')
            .map(|(field, _)| field.trim().replace('-', "_"));
        let field = named.and_then(|named| {
            // The page's own fields, and a new wall's round settings.
            ["lexicon", "limit", "offset"]
                .into_iter()
                .chain(crate::app::walls::WallSettings::FIELDS)
                .chain(
                    GROUPS
                        .iter()
                        .flat_map(|(_, fields)| fields.iter().map(|f| f.name)),
                )
                .find(|name| *name == named)
        });
        FieldError { field, message }
    }
}

impl SearchForm {
    /// A field's value by its query-string name (empty when not given or unknown).
    #[must_use]
    pub fn value(&self, name: &str) -> &str {
        let field = match name {
            "lexicon" => &self.lexicon,
            "length" => &self.length,
            "probability" => &self.probability,
            "limit" => &self.limit,
            "offset" => &self.offset,
            "anagrams" => &self.anagrams,
            "points" => &self.points,
            "vowels" => &self.vowels,
            "distinct" => &self.distinct,
            "anagram" => &self.anagram,
            "build" => &self.build,
            "super" => &self.super_anagram,
            "pattern" => &self.pattern,
            "not_pattern" => &self.not_pattern,
            "includes" => &self.includes,
            "not_includes" => &self.not_includes,
            "consists_of" => &self.consists_of,
            "front_hook" => &self.front_hook,
            "back_hook" => &self.back_hook,
            "front_hooks" => &self.front_hooks,
            "not_front_hooks" => &self.not_front_hooks,
            "back_hooks" => &self.back_hooks,
            "not_back_hooks" => &self.not_back_hooks,
            "inner_hook" => &self.inner_hook,
            "no_inner_hook" => &self.no_inner_hook,
            "definition" => &self.definition,
            "not_definition" => &self.not_definition,
            "in_lexicon" => &self.in_lexicon,
            "not_in_lexicon" => &self.not_in_lexicon,
            "in_list" => &self.in_list,
            "compare" => &self.compare,
            _ => &None,
        };
        field.as_deref().unwrap_or("")
    }

    /// The criteria given (not the page: no `limit` or `offset`), as name and value in form
    /// order, for links and hidden inputs that carry a search elsewhere.
    #[must_use]
    pub fn criteria(&self) -> Vec<(&'static str, &str)> {
        std::iter::once("lexicon")
            .chain(
                GROUPS
                    .iter()
                    .flat_map(|(_, fields)| fields.iter().map(|f| f.name)),
            )
            .map(|name| (name, self.value(name).trim()))
            .filter(|(_, value)| !value.is_empty())
            .collect()
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_names_the_form_field_it_is_about() {
        for (message, field) in [
            ("length: `7x` is not a whole number", Some("length")),
            ("not-pattern: unclosed `[`", Some("not_pattern")),
            ("consists-of: `1` is not a letter", Some("consists_of")),
            ("super: too many blanks", Some("super")),
            ("limit: at most 1000 results per page", Some("limit")),
            ("no lexicon is named `X`", None),
            ("nonsense: about nothing", None),
        ] {
            assert_eq!(FieldError::of(message.into()).field, field, "{message}");
        }
    }

    #[test]
    fn every_field_shown_has_a_value_and_criteria_leave_out_the_page() {
        let form = SearchForm {
            length: Some("7".into()),
            super_anagram: Some(" QZ ".into()),
            limit: Some("20".into()),
            offset: Some("40".into()),
            probability: Some("  ".into()),
            ..SearchForm::default()
        };
        assert_eq!(form.value("super"), " QZ ");
        assert_eq!(form.value("limit"), "20");
        assert_eq!(form.criteria(), [("length", "7"), ("super", "QZ")]);
        for (_, fields) in GROUPS {
            for field in fields {
                let probe: SearchForm =
                    serde_urlencoded::from_str(&format!("{}=x", field.name)).expect("a form field");
                assert_eq!(probe.value(field.name), "x", "{}", field.name);
            }
        }
    }
}
