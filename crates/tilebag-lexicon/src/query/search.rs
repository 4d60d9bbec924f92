//! Running a [`Query`] against a [`Lexicon`].

use super::{Criterion, NumRange, Query, Rack, Side};
use crate::letters::{self, MAX_LEN, MIN_LEN};
use crate::lexicon::{AlphagramId, INNER_HOOK, Lexicon, Word};
use crate::trie::Walk;

/// Racks with at most this many blanks (and no classes) are answered by looking up every
/// way of filling the blanks, instead of scanning all alphagrams of the length.
const ENUMERATED_BLANKS: usize = 2;

impl Lexicon {
    /// The alphagrams that meet every criterion of the query, in probability order.
    #[must_use]
    pub fn search(&self, query: &Query<'_>) -> Vec<AlphagramId> {
        let candidates = self.candidates(query);
        // A criterion the candidates meet by construction need not be checked again.
        let enforced = match &candidates {
            Candidates::Exact { criterion, .. } => Some(*criterion),
            _ => None,
        };
        let (word_level, alphagram_level): (Vec<&Criterion<'_>>, Vec<&Criterion<'_>>) = query
            .criteria
            .iter()
            .enumerate()
            .filter(|&(i, _)| Some(i) != enforced)
            .map(|(_, c)| c)
            .partition(|c| is_word_level(c));
        let (keys, masks, counts) = (self.keys(), self.masks(), self.packed_counts());
        let keep = |id: u32| {
            (alphagram_level.is_empty() || {
                let facts = Facts {
                    id,
                    key: keys[id as usize],
                    mask: masks[id as usize],
                    counts: counts[id as usize],
                };
                alphagram_level
                    .iter()
                    .all(|c| self.keeps_alphagram(c, &facts))
            }) && (word_level.is_empty()
                || self
                    .alphagram(AlphagramId(id))
                    .words()
                    .any(|w| word_level.iter().all(|c| keeps_word(c, &w))))
        };
        let mut found = Vec::new();
        let mut skipped = 0;
        let limit = query.limit.unwrap_or(usize::MAX);
        let mut visit = |id: u32| {
            if found.len() >= limit || !keep(id) {
                return;
            }
            if skipped < query.offset {
                skipped += 1;
            } else {
                found.push(AlphagramId(id));
            }
        };
        match candidates {
            Candidates::Ids(ids) | Candidates::Exact { ids, .. } => {
                ids.into_iter().for_each(&mut visit);
            }
            Candidates::Ranges(ranges) => {
                // A rack rules out most alphagrams by two bit tricks; test those in a tight
                // loop before the general checks.
                let rack = query.criteria.iter().find_map(|c| match c {
                    Criterion::Anagram(rack) | Criterion::Build(rack) => Some(rack),
                    _ => None,
                });
                for range in ranges {
                    match rack {
                        Some(rack) => {
                            let spare = (rack.blanks + rack.classes.len()) as u32;
                            range
                                .filter(|&id| {
                                    (masks[id as usize] & !rack.mask).count_ones() <= spare
                                        && letters::missing(counts[id as usize], rack.packed)
                                            <= spare
                                })
                                .for_each(&mut visit);
                        }
                        None => range.for_each(&mut visit),
                    }
                }
            }
        }
        found
    }

    /// The alphagram ids worth checking, in probability order.
    fn candidates(&self, query: &Query<'_>) -> Candidates {
        let mut lengths = NumRange::new(MIN_LEN as u32, MAX_LEN as u32);
        let mut probability = NumRange::new(1, u32::MAX);
        for criterion in &query.criteria {
            let (narrow, by) = match criterion {
                Criterion::Length(range) => (&mut lengths, *range),
                Criterion::Probability(range) => (&mut probability, *range),
                Criterion::Anagram(rack) => (&mut lengths, NumRange::exactly(rack.len() as u32)),
                Criterion::Build(rack) => (&mut lengths, NumRange::new(0, rack.len() as u32)),
                Criterion::Super(rack) => {
                    (&mut lengths, NumRange::new(rack.len() as u32, u32::MAX))
                }
                Criterion::Pattern {
                    pattern,
                    not: false,
                } => (
                    &mut lengths,
                    NumRange::new(pattern.min_len() as u32, pattern.max_len() as u32),
                ),
                _ => continue,
            };
            match narrow.intersect(&by) {
                Some(range) => *narrow = range,
                None => return Candidates::Ids(Vec::new()),
            }
        }
        for (i, criterion) in query.criteria.iter().enumerate() {
            let keys = match criterion {
                Criterion::Anagram(rack) if rack.is_plain() && rack.blanks <= ENUMERATED_BLANKS => {
                    blank_fillings(rack)
                }
                Criterion::Build(rack) if rack.is_plain() && !self.trie_nodes().is_empty() => {
                    return Candidates::Exact {
                        ids: self.built_from(rack, lengths),
                        criterion: i,
                    };
                }
                Criterion::InList(keys) => keys.iter().copied().collect(),
                _ => continue,
            };
            let mut ids: Vec<u32> = keys
                .into_iter()
                .filter_map(|key| {
                    let len = letters::key_letters(key).count();
                    self.find_key(len, key)
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            return Candidates::Ids(ids);
        }
        let ranges = (lengths.min as usize..=lengths.max as usize)
            .map(|len| {
                let bucket = self.alphagrams_of_length(len);
                let start = bucket
                    .start
                    .saturating_add(probability.min.saturating_sub(1))
                    .min(bucket.end);
                let end = bucket.start.saturating_add(probability.max).min(bucket.end);
                start..end
            })
            .collect();
        Candidates::Ranges(ranges)
    }

    /// The alphagrams the rack can build with lengths in `lengths`, in id order, from a walk
    /// of the alphagram trie.
    fn built_from(&self, rack: &Rack, lengths: NumRange) -> Vec<u32> {
        let longest = (lengths.max as usize).min(rack.len());
        let wanted = self.alphagrams_of_length(lengths.min as usize).start
            ..self.alphagrams_of_length(longest).end;
        Walk::run(
            (self.trie_nodes(), self.trie_ids()),
            &rack.counts,
            rack.blanks,
            longest,
            wanted,
        )
    }

    fn keeps_alphagram(&self, criterion: &Criterion<'_>, facts: &Facts) -> bool {
        let &Facts {
            id,
            key,
            mask,
            counts,
        } = facts;
        let len = letters::key_len(key);
        let alphagram = || self.alphagram(AlphagramId(id));
        match criterion {
            Criterion::Length(range) => range.contains(len as u32),
            Criterion::Probability(range) => range.contains(alphagram().probability()),
            Criterion::Anagrams(range) => range.contains(alphagram().anagram_count() as u32),
            Criterion::Points(range) => range.contains(alphagram().points()),
            Criterion::Vowels(range) => range.contains(alphagram().vowels() as u32),
            Criterion::DistinctLetters(range) => range.contains(mask.count_ones()),
            Criterion::Anagram(rack) => len == rack.len() && builds(rack, facts),
            Criterion::Build(rack) => len <= rack.len() && builds(rack, facts),
            Criterion::Super(rack) => {
                letters::missing(rack.packed, counts) == 0
                    && rack.is_contained_in(&letters::key_counts(key))
            }
            Criterion::Includes {
                letters: wanted,
                not,
            } => (letters::missing(*wanted, counts) == 0) != *not,
            Criterion::ConsistsOf(set) => mask & !set == 0,
            Criterion::InList(keys) => keys.contains(&key),
            _ => true,
        }
    }
}

/// What every alphagram check needs, read once per candidate.
struct Facts {
    id: u32,
    key: u128,
    mask: u32,
    counts: u128,
}

enum Candidates {
    /// Ids to check against every criterion.
    Ids(Vec<u32>),
    /// Ids that meet the criterion at this index of the query: check the others.
    Exact {
        ids: Vec<u32>,
        criterion: usize,
    },
    Ranges(Vec<std::ops::Range<u32>>),
}

fn is_word_level(criterion: &Criterion<'_>) -> bool {
    matches!(
        criterion,
        Criterion::Pattern { .. }
            | Criterion::TakesFrontHook { .. }
            | Criterion::TakesBackHook { .. }
            | Criterion::FrontHooks { .. }
            | Criterion::BackHooks { .. }
            | Criterion::InnerHook { .. }
            | Criterion::Definition { .. }
            | Criterion::InLexicon { .. }
    )
}

fn keeps_word(criterion: &Criterion<'_>, word: &Word<'_>) -> bool {
    let front = word.front_mask();
    let back = word.back_mask();
    let hooks = letters::ALL_LETTERS;
    match criterion {
        Criterion::Pattern { pattern, not } => pattern.matches(word.text().as_bytes()) != *not,
        Criterion::TakesFrontHook { not } => (front & hooks != 0) != *not,
        Criterion::TakesBackHook { not } => (back & hooks != 0) != *not,
        Criterion::FrontHooks { letters, not } => (front & letters == *letters) != *not,
        Criterion::BackHooks { letters, not } => (back & letters == *letters) != *not,
        Criterion::InnerHook { side, not } => {
            let inner = match side {
                Side::Front => front & INNER_HOOK != 0,
                Side::Back => back & INNER_HOOK != 0,
                Side::Either => (front | back) & INNER_HOOK != 0,
            };
            inner != *not
        }
        Criterion::Definition { text, not } => {
            let definition = word.definition().unwrap_or("");
            contains_ignoring_case(definition, text) != *not
        }
        Criterion::InLexicon { lexicon, not } => lexicon.contains(word.text()) != *not,
        _ => true,
    }
}

fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

/// Whether the alphagram can be made from the rack's tiles (not necessarily all of them).
fn builds(rack: &Rack, facts: &Facts) -> bool {
    let spare = rack.blanks + rack.classes.len();
    if (facts.mask & !rack.mask).count_ones() as usize > spare {
        return false;
    }
    let missing = letters::missing(facts.counts, rack.packed) as usize;
    if rack.is_plain() || missing <= rack.blanks {
        missing <= rack.blanks
    } else {
        missing <= spare && rack.builds(&letters::key_counts(facts.key))
    }
}

/// Every alphagram key the rack spells once its blanks are filled in.
fn blank_fillings(rack: &Rack) -> Vec<u128> {
    let mut keys = Vec::new();
    let mut counts = rack.counts;
    fill(&mut counts, rack.blanks, 0, &mut keys);
    keys
}

fn fill(counts: &mut letters::Counts, blanks: usize, from: usize, keys: &mut Vec<u128>) {
    if blanks == 0 {
        keys.push(letters::key_of_counts(counts));
        return;
    }
    for letter in from..26 {
        counts[letter] += 1;
        fill(counts, blanks - 1, letter, keys);
        counts[letter] -= 1;
    }
}
