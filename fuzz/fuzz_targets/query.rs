//! The query language: the first line is read as a pattern, a rack and a range; each that
//! parses must display as text that parses back to it, and must find in a small lexicon
//! exactly what a slow reference finds. The other lines, `field=value`, make a search spec
//! whose search must agree with its criteria searched one at a time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tilebag_fuzz::{
    assert_search, brute_force, by_name, check_search, pairs_off, pattern_matches, small, tokens,
};
use tilebag_lexicon::query::{Criterion, NumRange, Pattern, Rack, SearchSpec};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or_default();
    let lexicon = small();

    if let Ok(pattern) = Pattern::parse(first) {
        let shown = pattern.to_string();
        assert_eq!(
            Pattern::parse(&shown).as_ref(),
            Ok(&pattern),
            "{first:?} shown as {shown:?}"
        );
        let reference = tokens(first).expect("the reference reads every pattern the engine reads");
        for not in [false, true] {
            let expected = brute_force(lexicon, |w| {
                pattern_matches(&reference, w.as_bytes()) != not
            });
            let criterion = Criterion::Pattern {
                pattern: pattern.clone(),
                not,
            };
            assert_search(
                lexicon,
                criterion,
                &expected,
                &format!("pattern {first:?}, not: {not}"),
            );
        }
    }

    if let Ok(rack) = Rack::parse(first) {
        let shown = rack.to_string();
        assert_eq!(
            Rack::parse(&shown).as_ref(),
            Ok(&rack),
            "{first:?} shown as {shown:?}"
        );
        let reference = tokens(first).expect("the reference reads every rack the engine reads");
        assert_eq!(reference.len(), rack.len());
        let cases = [
            (Criterion::Anagram(rack.clone()), true, true, "anagram"),
            (Criterion::Build(rack.clone()), true, false, "build"),
            (Criterion::Super(rack.clone()), false, true, "super"),
        ];
        for (criterion, all_letters, all_tiles, what) in cases {
            let expected = brute_force(lexicon, |w| {
                pairs_off(&reference, w.as_bytes(), all_letters, all_tiles)
            });
            assert_search(lexicon, criterion, &expected, &format!("{what} {first:?}"));
        }
    }

    if let Ok(range) = NumRange::parse(first) {
        assert_eq!(NumRange::parse(&range.to_string()), Ok(range));
    }

    let spec = spec_of(lines);
    if let Ok(query) = spec.to_query(by_name) {
        check_search(lexicon, &query);
    }
});

/// A search spec from `field=value` lines (the fields' names as on the command line).
fn spec_of<'a>(lines: impl Iterator<Item = &'a str>) -> SearchSpec {
    let mut spec = SearchSpec::default();
    for line in lines {
        let Some((field, value)) = line.split_once('=') else {
            continue;
        };
        let text = Some(value.to_owned());
        let yes = match value {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        match field {
            "length" => spec.length = text,
            "probability" => spec.probability = text,
            "limit" => spec.limit = value.parse().ok(),
            "offset" => spec.offset = value.parse().ok(),
            "anagrams" => spec.anagrams = text,
            "points" => spec.points = text,
            "vowels" => spec.vowels = text,
            "distinct" => spec.distinct = text,
            "anagram" => spec.anagram = text,
            "build" => spec.build = text,
            "super" => spec.super_anagram = text,
            "pattern" => spec.pattern = text,
            "not-pattern" => spec.not_pattern = text,
            "includes" => spec.includes = text,
            "not-includes" => spec.not_includes = text,
            "consists-of" => spec.consists_of = text,
            "front-hook" => spec.front_hook = yes,
            "back-hook" => spec.back_hook = yes,
            "front-hooks" => spec.front_hooks = text,
            "not-front-hooks" => spec.not_front_hooks = text,
            "back-hooks" => spec.back_hooks = text,
            "not-back-hooks" => spec.not_back_hooks = text,
            "inner-hook" => spec.inner_hook = text,
            "no-inner-hook" => spec.no_inner_hook = text,
            "definition" => spec.definition = text,
            "not-definition" => spec.not_definition = text,
            "in-lexicon" => spec.in_lexicon = text,
            "not-in-lexicon" => spec.not_in_lexicon = text,
            "in-list" => spec.in_list = Some(value.split(',').map(str::to_owned).collect()),
            _ => {}
        }
    }
    spec
}
