//! Search criteria as text, the way people type them into a form or on the command line.

use super::{Criterion, NumRange, Pattern, Query, QueryError, Rack, Side, letter_set};
use crate::Lexicon;

/// A search written as text fields; every field is optional. [`SearchSpec::to_query`]
/// checks them all and builds the [`Query`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[allow(
    missing_docs,
    reason = "each field is the criterion of the same name in `Criterion`"
)]
pub struct SearchSpec {
    pub length: Option<String>,
    pub probability: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub anagrams: Option<String>,
    pub points: Option<String>,
    pub vowels: Option<String>,
    pub distinct: Option<String>,
    pub anagram: Option<String>,
    pub build: Option<String>,
    pub super_anagram: Option<String>,
    pub pattern: Option<String>,
    pub not_pattern: Option<String>,
    pub includes: Option<String>,
    pub not_includes: Option<String>,
    pub consists_of: Option<String>,
    /// `Some(true)`: takes a front hook; `Some(false)`: takes none.
    pub front_hook: Option<bool>,
    /// `Some(true)`: takes a back hook; `Some(false)`: takes none.
    pub back_hook: Option<bool>,
    pub front_hooks: Option<String>,
    pub not_front_hooks: Option<String>,
    pub back_hooks: Option<String>,
    pub not_back_hooks: Option<String>,
    /// `front`, `back` or `either`.
    pub inner_hook: Option<String>,
    /// `front`, `back` or `either`.
    pub no_inner_hook: Option<String>,
    pub definition: Option<String>,
    pub not_definition: Option<String>,
    pub in_lexicon: Option<String>,
    pub not_in_lexicon: Option<String>,
    /// Words or alphagrams, one per entry.
    pub in_list: Option<Vec<String>>,
}

/// Why a search spec could not become a query: a field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {error}")]
pub struct SpecError {
    /// The field's name, e.g. `length`.
    pub field: &'static str,
    /// What is wrong.
    pub error: QueryError,
}

impl SearchSpec {
    /// Checks every field and builds the query. `lexicon` finds another lexicon by name,
    /// for the in/not-in-lexicon criteria.
    pub fn to_query<'a>(
        &self,
        lexicon: impl Fn(&str) -> Option<&'a Lexicon>,
    ) -> Result<Query<'a>, SpecError> {
        let mut criteria = Vec::new();
        let fail = |field: &'static str| move |error: QueryError| SpecError { field, error };
        let ranges = [
            (
                "length",
                &self.length,
                Criterion::Length as fn(NumRange) -> Criterion<'a>,
            ),
            ("probability", &self.probability, Criterion::Probability),
            ("anagrams", &self.anagrams, Criterion::Anagrams),
            ("points", &self.points, Criterion::Points),
            ("vowels", &self.vowels, Criterion::Vowels),
            ("distinct", &self.distinct, Criterion::DistinctLetters),
        ];
        for (field, text, criterion) in ranges {
            if let Some(text) = text {
                let range = NumRange::parse(text).map_err(fail(field))?;
                if field == "length" && range.min as usize > crate::letters::MAX_LEN {
                    return Err(fail(field)(QueryError::new(
                        text,
                        format!("words have at most {} letters", crate::letters::MAX_LEN),
                    )));
                }
                criteria.push(criterion(range));
            }
        }
        let racks = [
            (
                "anagram",
                &self.anagram,
                Criterion::Anagram as fn(Rack) -> Criterion<'a>,
            ),
            ("build", &self.build, Criterion::Build),
            ("super", &self.super_anagram, Criterion::Super),
        ];
        for (field, text, criterion) in racks {
            if let Some(text) = text {
                criteria.push(criterion(Rack::parse(text).map_err(fail(field))?));
            }
        }
        for (field, text, not) in [
            ("pattern", &self.pattern, false),
            ("not-pattern", &self.not_pattern, true),
        ] {
            if let Some(text) = text {
                criteria.push(Criterion::Pattern {
                    pattern: Pattern::parse(text).map_err(fail(field))?,
                    not,
                });
            }
        }
        for (field, text, not) in [
            ("includes", &self.includes, false),
            ("not-includes", &self.not_includes, true),
        ] {
            if let Some(text) = text {
                criteria.push(Criterion::includes(text, not).map_err(fail(field))?);
            }
        }
        if let Some(text) = &self.consists_of {
            criteria.push(Criterion::consists_of(text).map_err(fail("consists-of"))?);
        }
        self.word_criteria(&mut criteria, lexicon)?;
        Ok(Query {
            criteria,
            offset: self.offset.unwrap_or(0),
            limit: self.limit,
        })
    }

    /// The criteria about words rather than letters: hooks, definitions, other lexicons, lists.
    fn word_criteria<'a>(
        &self,
        criteria: &mut Vec<Criterion<'a>>,
        lexicon: impl Fn(&str) -> Option<&'a Lexicon>,
    ) -> Result<(), SpecError> {
        let fail = |field: &'static str| move |error: QueryError| SpecError { field, error };
        if let Some(takes) = self.front_hook {
            criteria.push(Criterion::TakesFrontHook { not: !takes });
        }
        if let Some(takes) = self.back_hook {
            criteria.push(Criterion::TakesBackHook { not: !takes });
        }
        let hook_letters = [
            ("front-hooks", &self.front_hooks, false, true),
            ("not-front-hooks", &self.not_front_hooks, true, true),
            ("back-hooks", &self.back_hooks, false, false),
            ("not-back-hooks", &self.not_back_hooks, true, false),
        ];
        for (field, text, not, front) in hook_letters {
            if let Some(text) = text {
                let letters = letter_set(text).map_err(fail(field))?;
                criteria.push(if front {
                    Criterion::FrontHooks { letters, not }
                } else {
                    Criterion::BackHooks { letters, not }
                });
            }
        }
        for (field, text, not) in [
            ("inner-hook", &self.inner_hook, false),
            ("no-inner-hook", &self.no_inner_hook, true),
        ] {
            if let Some(text) = text {
                criteria.push(Criterion::InnerHook {
                    side: side(text).map_err(fail(field))?,
                    not,
                });
            }
        }
        for (text, not) in [(&self.definition, false), (&self.not_definition, true)] {
            if let Some(text) = text {
                criteria.push(Criterion::Definition {
                    text: text.clone(),
                    not,
                });
            }
        }
        for (field, name, not) in [
            ("in-lexicon", &self.in_lexicon, false),
            ("not-in-lexicon", &self.not_in_lexicon, true),
        ] {
            if let Some(name) = name {
                let other = lexicon(name).ok_or_else(|| {
                    fail(field)(QueryError::new(name, "no lexicon has this name"))
                })?;
                criteria.push(Criterion::InLexicon {
                    lexicon: other,
                    not,
                });
            }
        }
        if let Some(entries) = &self.in_list {
            criteria.push(Criterion::in_list(entries).map_err(fail("in-list"))?);
        }
        Ok(())
    }
}

fn side(text: &str) -> Result<Side, QueryError> {
    match text.to_ascii_lowercase().as_str() {
        "front" => Ok(Side::Front),
        "back" => Ok(Side::Back),
        "either" | "any" => Ok(Side::Either),
        _ => Err(QueryError::new(text, "say front, back or either")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_becomes_a_criterion() {
        let spec = SearchSpec {
            length: Some("7".into()),
            probability: Some("1-500".into()),
            limit: Some(10),
            anagram: Some("AEINRST".into()),
            pattern: Some("*S".into()),
            not_includes: Some("Q".into()),
            front_hook: Some(false),
            inner_hook: Some("back".into()),
            definition: Some("plant".into()),
            in_list: Some(vec!["RETAINS".into()]),
            ..SearchSpec::default()
        };
        let query = spec.to_query(|_| None).expect("valid");
        assert_eq!(query.criteria.len(), 9);
        assert_eq!(query.limit, Some(10));
    }

    #[test]
    fn a_length_no_word_can_have_is_an_error_not_an_empty_answer() {
        let spec = |length: &str| SearchSpec {
            length: Some(length.into()),
            ..SearchSpec::default()
        };
        assert_eq!(
            spec("99").to_query(|_| None).unwrap_err().to_string(),
            "length: “99”: words have at most 15 letters"
        );
        assert!(spec("16-20").to_query(|_| None).is_err());
        assert!(spec("15").to_query(|_| None).is_ok());
        assert!(spec("7-99").to_query(|_| None).is_ok());
    }

    #[test]
    fn errors_name_the_field() {
        let spec = SearchSpec {
            anagram: Some("[AB".into()),
            ..SearchSpec::default()
        };
        let err = spec.to_query(|_| None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "anagram: “[AB”: the letter class “[” at position 1 is not closed; add “]”"
        );
        let spec = SearchSpec {
            in_lexicon: Some("NOPE".into()),
            ..SearchSpec::default()
        };
        assert_eq!(
            spec.to_query(|_| None).unwrap_err().to_string(),
            "in-lexicon: “NOPE”: no lexicon has this name"
        );
        let spec = SearchSpec {
            inner_hook: Some("middle".into()),
            ..SearchSpec::default()
        };
        assert_eq!(spec.to_query(|_| None).unwrap_err().field, "inner-hook");
    }
}
