//! What a wall plays, in words for its page, and where its round stands in the pass over
//! its list: stored with the wall, because once the wall exists nothing else remembers the
//! search it came from.

use tilebag_store::Place;
use tilebag_study::StudyList;

use crate::search_form::SearchForm;

/// Longest description kept (characters).
const MOST: usize = 80;

/// A search in a few words: "7s, probability 1–500", "pattern ?AT*", "a search".
#[must_use]
pub fn describe(search: &SearchForm) -> String {
    let given = |field: &Option<String>| {
        field
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| v.replace('-', "–"))
    };
    let mut parts = Vec::new();
    if let Some(length) = given(&search.length) {
        parts.push(if length.chars().all(|c| c.is_ascii_digit()) {
            format!("{length}s")
        } else {
            format!("{length} letters")
        });
    }
    let named = [
        ("probability", &search.probability),
        ("anagram", &search.anagram),
        ("build", &search.build),
        ("super-anagram", &search.super_anagram),
        ("pattern", &search.pattern),
        ("includes", &search.includes),
        ("consists of", &search.consists_of),
        ("anagrams", &search.anagrams),
        ("vowels", &search.vowels),
        ("points", &search.points),
    ];
    for (name, field) in named {
        if let Some(value) = given(field) {
            parts.push(format!("{name} {value}"));
        }
    }
    if parts.is_empty() {
        return "a search".to_owned();
    }
    let text = parts.join(", ");
    if text.chars().count() <= MOST {
        return text;
    }
    let mut short: String = text.chars().take(MOST - 1).collect();
    short.push('…');
    short
}

/// Which round of how many the list's latest deal is, in its current pass.
#[must_use]
pub fn place(list: &StudyList, per_round: usize) -> Place {
    let per_round = per_round.max(1);
    let count = |n: usize| i64::try_from(n.div_ceil(per_round)).unwrap_or(i64::MAX);
    let round = count(list.next).max(1);
    Place {
        round,
        rounds: count(list.queue.len()).max(round),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_reads_as_a_player_would_say_it() {
        let search = SearchForm {
            length: Some("7".into()),
            probability: Some("1-500".into()),
            ..SearchForm::default()
        };
        assert_eq!(describe(&search), "7s, probability 1–500");
        let pattern = SearchForm {
            length: Some("7-8".into()),
            pattern: Some("?AT*".into()),
            ..SearchForm::default()
        };
        assert_eq!(describe(&pattern), "7–8 letters, pattern ?AT*");
        assert_eq!(describe(&SearchForm::default()), "a search");
        let long = SearchForm {
            pattern: Some("A".repeat(200)),
            ..SearchForm::default()
        };
        assert_eq!(describe(&long).chars().count(), MOST);
    }

    #[test]
    fn rounds_count_through_the_pass() {
        let mut list = StudyList::in_order((0..25).map(|i| format!("A{i}")).collect());
        list.deal(tilebag_study::Deal::Continue, 10);
        assert_eq!(
            place(&list, 10),
            Place {
                round: 1,
                rounds: 3
            }
        );
        // Continue deals an unfinished round again: each round ends before the next.
        for _ in 0..2 {
            list.finish_round();
            list.deal(tilebag_study::Deal::Continue, 10);
        }
        assert_eq!(
            place(&list, 10),
            Place {
                round: 3,
                rounds: 3
            }
        );
    }
}
