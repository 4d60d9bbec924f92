//! Building a lexicon from a word list: alphagrams, combinations, ranks, hooks.
//!
//! Alphagram ids are assigned in probability order (length, then combinations descending,
//! then alphagram ascending) and word ids follow them, so a probability range is a slice of
//! ids and search results come out in rank order without sorting.

use crate::bag::TileBag;
use crate::format::{Section, Writer};
use crate::import::WordList;
use crate::letters::{self, MAX_LEN};
use crate::lexicon::{INNER_HOOK, Lexicon};
use crate::probability::Combinations;
use crate::trie;

impl Lexicon {
    /// Builds the full index of a word list.
    #[must_use]
    pub fn build(name: &str, list: &WordList, bag: &TileBag) -> Lexicon {
        let entries = list.entries();
        // Words as integers, first letter highest: numeric order is alphabetical order.
        let codes: Vec<u128> = entries
            .iter()
            .map(|e| letters::key_of_sorted(e.word.as_bytes()))
            .collect();
        // Alphagram key above the word's alphabetical index: sorting groups anagrams and keeps
        // each group's words alphabetical.
        let mut by_key: Vec<u128> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| letters::key_of(e.word.as_bytes()) << 32 | i as u128)
            .collect();
        by_key.sort_unstable();

        let mut groups = groups(&by_key, bag);
        // Probability order: length, combinations descending, then key.
        groups.sort_unstable_by_key(|g| {
            ((g.len() as u128) << 64 | u128::from(!g.combinations), g.key)
        });
        let mut length_starts = [0u32; MAX_LEN + 2];
        for group in &groups {
            length_starts[group.len() + 1] += 1;
        }
        for len in 1..length_starts.len() {
            length_starts[len] += length_starts[len - 1];
        }

        let mut keys = Vec::with_capacity(groups.len());
        let mut combos = Vec::with_capacity(groups.len());
        let mut masks = Vec::with_capacity(groups.len());
        let mut first_word = Vec::with_capacity(groups.len() + 1);
        let mut lookup = vec![0u32; groups.len()];
        let mut order = Vec::with_capacity(entries.len()); // word id -> index in `entries`
        let mut id_of = vec![0u32; entries.len()]; // index in `entries` -> word id
        for (id, group) in groups.iter().enumerate() {
            // The lookup table lists each length's ids in key order.
            lookup[(length_starts[group.len()] + group.position) as usize] = id as u32;
            keys.push(group.key);
            combos.push(group.combinations);
            masks.push(letters::mask_of(letters::key_letters(group.key)));
            first_word.push(order.len() as u32);
            for &entry in &by_key[group.words.start as usize..group.words.end as usize] {
                id_of[entry as u32 as usize] = order.len() as u32;
                order.push(entry as u32);
            }
        }
        first_word.push(order.len() as u32);

        let text = text(&codes, &id_of, &first_word, &length_starts);
        let (front, back) = hooks(list, &codes, &id_of);

        let mut definition_starts = Vec::new();
        let mut definitions = Vec::new();
        if entries.iter().any(|e| e.definition.is_some()) {
            definition_starts.reserve(order.len() + 1);
            for &i in &order {
                definition_starts.push(definitions.len() as u32);
                definitions.extend_from_slice(
                    entries[i as usize]
                        .definition
                        .as_deref()
                        .unwrap_or("")
                        .as_bytes(),
                );
            }
            definition_starts.push(definitions.len() as u32);
        }

        let mut keyed: Vec<(u128, u32)> =
            keys.iter().zip(0..).map(|(&key, id)| (key, id)).collect();
        keyed.sort_unstable();
        let trie = trie::build(&keyed);

        let meta = format!("{name}\n{}", bag.to_text());
        let packed: Vec<u128> = keys
            .iter()
            .map(|&key| letters::packed_of_key(key))
            .collect();
        let mut writer = Writer::default();
        writer.push(Section::Meta, meta.as_bytes());
        writer.push(Section::Keys, &keys);
        writer.push(Section::Combinations, &combos);
        writer.push(Section::Masks, &masks);
        writer.push(Section::PackedCounts, &packed);
        writer.push(Section::FirstWord, &first_word);
        writer.push(Section::ByKey, &lookup);
        writer.push(Section::LengthStarts, &length_starts);
        writer.push(Section::Text, &text);
        writer.push(Section::FrontHooks, &front);
        writer.push(Section::BackHooks, &back);
        writer.push(Section::DefinitionStarts, &definition_starts);
        writer.push(Section::Definitions, &definitions);
        writer.push(Section::TrieNodes, &trie.nodes);
        writer.push(Section::TrieIds, &trie.ids);
        Lexicon::from_bytes(writer.finish()).expect("a freshly built lexicon is valid")
    }
}

/// The words of one alphagram.
struct Group {
    key: u128,
    combinations: u64,
    /// Position in key order among the alphagrams of its length.
    position: u32,
    /// Range in the key-sorted word list.
    words: std::ops::Range<u32>,
}

impl Group {
    fn len(&self) -> usize {
        letters::key_len(self.key)
    }
}

/// Groups key-sorted words into alphagrams, in key order.
fn groups(by_key: &[u128], bag: &TileBag) -> Vec<Group> {
    let combinations = Combinations::new(bag);
    let mut groups: Vec<Group> = Vec::new();
    let mut per_length = [0u32; MAX_LEN + 1];
    for (i, &entry) in by_key.iter().enumerate() {
        let key = entry >> 32;
        match groups.last_mut() {
            Some(group) if group.key == key => group.words.end = i as u32 + 1,
            _ => {
                let position = &mut per_length[letters::key_len(key)];
                groups.push(Group {
                    key,
                    combinations: combinations.of_key(key),
                    position: *position,
                    words: i as u32..i as u32 + 1,
                });
                *position += 1;
            }
        }
    }
    groups
}

/// The words' letters in word id order. Written walking the words alphabetically, so the
/// reads are in order and only the writes jump about (which the processor need not wait for).
fn text(
    codes: &[u128],
    id_of: &[u32],
    first_word: &[u32],
    length_starts: &[u32; MAX_LEN + 2],
) -> Vec<u8> {
    let mut word_starts = [0usize; MAX_LEN + 2];
    let mut text_starts = [0usize; MAX_LEN + 2];
    for len in 1..=MAX_LEN + 1 {
        word_starts[len] = first_word[length_starts[len] as usize] as usize;
        text_starts[len] =
            text_starts[len - 1] + (word_starts[len] - word_starts[len - 1]) * (len - 1);
    }
    let mut text = vec![0u8; text_starts[MAX_LEN + 1]];
    for (&code, &id) in codes.iter().zip(id_of) {
        let (letters, len) = letters::key_array(code);
        let at = text_starts[len] + (id as usize - word_starts[len]) * len;
        for (byte, letter) in text[at..at + len].iter_mut().zip(letters) {
            *byte = b'A' + letter;
        }
    }
    text
}

/// Front and back hook sets per word id; bit 31 marks inner hooks.
///
/// Both come from walking the alphabetical list once, without hashing: a word's back-hook
/// parent (the word minus its last letter) is one of the words it extends, which a stack of
/// prefixes keeps at hand; the words starting with one letter, minus that letter, come in
/// alphabetical order, so their front-hook parents are found by searching forward.
fn hooks(list: &WordList, codes: &[u128], id_of: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let entries = list.entries();
    let mut front = vec![0u32; id_of.len()];
    let mut back = vec![0u32; id_of.len()];

    let mut prefixes: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let word = entry.word.as_bytes();
        while prefixes
            .last()
            .is_some_and(|&p| !word.starts_with(entries[p].word.as_bytes()))
        {
            prefixes.pop();
        }
        if let Some(&parent) = prefixes.last()
            && entries[parent].word.len() + 1 == word.len()
        {
            back[id_of[parent] as usize] |= 1 << (word[word.len() - 1] - b'A');
            back[id_of[i] as usize] |= INNER_HOOK;
        }
        prefixes.push(i);
    }

    let tail_mask = (1u128 << (5 * MAX_LEN)) - 1;
    let mut block_start = 0;
    while block_start < entries.len() {
        let first = entries[block_start].word.as_bytes()[0];
        let block_end =
            block_start + entries[block_start..].partition_point(|e| e.word.as_bytes()[0] == first);
        let mut from = 0;
        for i in block_start..block_end {
            if entries[i].word.len() <= letters::MIN_LEN {
                continue;
            }
            let tail = (codes[i] << 5) & tail_mask;
            from += gallop(&codes[from..], tail);
            if codes.get(from) == Some(&tail) {
                front[id_of[from] as usize] |= 1 << (first - b'A');
                front[id_of[i] as usize] |= INNER_HOOK;
            }
        }
        block_start = block_end;
    }
    (front, back)
}

/// The index of the first element not below `target` in a sorted slice, searching outward
/// from the start, so a run of increasing targets costs little more than one pass.
fn gallop(sorted: &[u128], target: u128) -> usize {
    let mut bound = 1;
    while bound < sorted.len() && sorted[bound] < target {
        bound *= 2;
    }
    let low = bound / 2;
    let high = (bound + 1).min(sorted.len());
    low + sorted[low..high].partition_point(|&code| code < target)
}
