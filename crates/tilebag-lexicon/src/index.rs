//! Building a lexicon from a word list: alphagrams, combinations, ranks, hooks.
//!
//! Alphagram ids are assigned in probability order (length, then combinations descending,
//! then alphagram ascending) and word ids follow them, so a probability range is a slice of
//! ids and search results come out in rank order without sorting.

use rustc_hash::FxHashMap;

use crate::bag::TileBag;
use crate::format::{Section, Writer};
use crate::import::WordList;
use crate::letters::{self, MAX_LEN};
use crate::lexicon::{INNER_HOOK, Lexicon};
use crate::probability::combinations;

impl Lexicon {
    /// Builds the full index of a word list.
    #[must_use]
    pub fn build(name: &str, list: &WordList, bag: &TileBag) -> Lexicon {
        let entries = list.entries();
        // (length, key, index in the alphabetical list): sorting groups anagrams, words alphabetical.
        let mut by_key: Vec<(u128, u32)> =
            entries.iter().enumerate().map(|(i, e)| (letters::key_of(e.word.as_bytes()), i as u32)).collect();
        by_key.sort_unstable();

        struct Group {
            len: usize,
            key: u128,
            combinations: u64,
            words: std::ops::Range<usize>,
        }
        let mut groups: Vec<Group> = Vec::new();
        for (i, &(key, word)) in by_key.iter().enumerate() {
            match groups.last_mut() {
                Some(group) if group.key == key => group.words.end = i + 1,
                _ => groups.push(Group {
                    len: entries[word as usize].word.len(),
                    key,
                    combinations: combinations(&letters::key_counts(key), bag),
                    words: i..i + 1,
                }),
            }
        }
        groups.sort_unstable_by(|a, b| {
            (a.len, std::cmp::Reverse(a.combinations), a.key).cmp(&(b.len, std::cmp::Reverse(b.combinations), b.key))
        });

        let mut keys = Vec::with_capacity(groups.len());
        let mut combos = Vec::with_capacity(groups.len());
        let mut masks = Vec::with_capacity(groups.len());
        let mut first_word = Vec::with_capacity(groups.len() + 1);
        let mut length_starts = [0u32; MAX_LEN + 2];
        let mut order = Vec::with_capacity(entries.len()); // word id -> index in `entries`
        for (id, group) in groups.iter().enumerate() {
            keys.push(group.key);
            combos.push(group.combinations);
            masks.push(letters::mask_of(letters::key_letters(group.key)));
            first_word.push(order.len() as u32);
            order.extend(by_key[group.words.clone()].iter().map(|&(_, word)| word));
            for start in &mut length_starts[group.len + 1..] {
                *start = id as u32 + 1;
            }
        }
        first_word.push(order.len() as u32);

        let mut lookup: Vec<u32> = (0..groups.len() as u32).collect();
        for len in 0..=MAX_LEN {
            let bucket = &mut lookup[length_starts[len] as usize..length_starts[len + 1] as usize];
            bucket.sort_unstable_by_key(|&id| keys[id as usize]);
        }

        let mut text = Vec::with_capacity(order.iter().map(|&i| entries[i as usize].word.len()).sum());
        for &i in &order {
            text.extend_from_slice(entries[i as usize].word.as_bytes());
        }
        let (front, back) = hooks(list, &order);

        let mut definition_starts = Vec::new();
        let mut definitions = Vec::new();
        if entries.iter().any(|e| e.definition.is_some()) {
            definition_starts.reserve(order.len() + 1);
            for &i in &order {
                definition_starts.push(definitions.len() as u32);
                definitions.extend_from_slice(entries[i as usize].definition.as_deref().unwrap_or("").as_bytes());
            }
            definition_starts.push(definitions.len() as u32);
        }

        let mut writer = Writer::default();
        writer.push(Section::Meta, format!("{name}\n{}", bag.to_text()).as_bytes());
        writer.push(Section::Keys, &keys);
        writer.push(Section::Combinations, &combos);
        writer.push(Section::Masks, &masks);
        writer.push(Section::FirstWord, &first_word);
        writer.push(Section::ByKey, &lookup);
        writer.push(Section::LengthStarts, &length_starts);
        writer.push(Section::Text, &text);
        writer.push(Section::FrontHooks, &front);
        writer.push(Section::BackHooks, &back);
        writer.push(Section::DefinitionStarts, &definition_starts);
        writer.push(Section::Definitions, &definitions);
        Lexicon::from_bytes(writer.finish()).expect("a freshly built lexicon is valid")
    }
}

/// Front and back hook sets per word id; bit 31 marks inner hooks.
fn hooks(list: &WordList, order: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let entries = list.entries();
    let ids: FxHashMap<&str, u32> =
        order.iter().enumerate().map(|(id, &i)| (entries[i as usize].word.as_str(), id as u32)).collect();
    let mut front = vec![0u32; order.len()];
    let mut back = vec![0u32; order.len()];
    for (id, &i) in order.iter().enumerate() {
        let word = entries[i as usize].word.as_bytes();
        if word.len() <= letters::MIN_LEN {
            continue;
        }
        let (first, last) = (word[0] - b'A', word[word.len() - 1] - b'A');
        let word = &entries[i as usize].word;
        if let Some(&shorter) = ids.get(&word[1..]) {
            front[shorter as usize] |= 1 << first;
            front[id] |= INNER_HOOK;
        }
        if let Some(&shorter) = ids.get(&word[..word.len() - 1]) {
            back[shorter as usize] |= 1 << last;
            back[id] |= INNER_HOOK;
        }
    }
    (front, back)
}
