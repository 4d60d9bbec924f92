//! A trie of all alphagrams, letters in alphabetical order, for build queries.
//!
//! "Which words can these tiles make?" is a walk down this trie that follows only letters the
//! rack still holds (or a blank stands in for), so its cost follows the answer rather than
//! the size of the lexicon.
//!
//! Nodes are laid out breadth first, so the children of a node are consecutive and in letter
//! order. Each node is one `u64`: bits 0-25 say which letters it has children for, bit 31 that
//! an alphagram ends there, and the high 32 bits are the index of its first child; the child
//! for a letter is found by counting the lower bits of the set. A second column gives the
//! alphagram id of each node where one ends.
//!
//! The walk trusts nothing it reads: every index is checked, and it only follows letters in
//! alphabetical order, each taking one tile, so even a damaged trie cannot make it loop or
//! run longer than a sound one would. Every alphagram it finds is checked again by the
//! search, so a damaged trie can at worst miss answers, never add wrong ones.

use crate::letters::{ALL_LETTERS, Counts, MAX_LEN};

const TERMINAL: u64 = 1 << 31;
/// Stored for nodes where no alphagram ends.
const NO_ALPHAGRAM: u32 = u32::MAX;

/// The trie's two columns: one `u64` a node and the alphagram id at each node.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    pub(crate) nodes: Vec<u64>,
    pub(crate) ids: Vec<u32>,
}

/// Builds the trie of `keyed`: (alphagram key, alphagram id) pairs sorted by key.
pub(crate) fn build(keyed: &[(u128, u32)]) -> Columns {
    struct Pending {
        words: std::ops::Range<usize>,
        depth: usize,
    }
    let letter_at =
        |key: u128, depth: usize| ((key >> (5 * (MAX_LEN - 1 - depth))) & 31) as u32 - 1;
    let mut queue = vec![Pending {
        words: 0..keyed.len(),
        depth: 0,
    }];
    let mut columns = Columns::default();
    let mut next = 0;
    while let Some(pending) = queue.get(next) {
        let (mut at, end, depth) = (pending.words.start, pending.words.end, pending.depth);
        next += 1;
        let mut id = NO_ALPHAGRAM;
        // A key of exactly `depth` letters sorts first among those sharing its prefix.
        if at < end && crate::letters::key_len(keyed[at].0) == depth {
            id = keyed[at].1;
            at += 1;
        }
        let first_child = queue.len() as u64;
        let mut mask = 0u64;
        while at < end {
            let letter = letter_at(keyed[at].0, depth);
            let run = keyed[at..end].partition_point(|&(key, _)| letter_at(key, depth) == letter);
            queue.push(Pending {
                words: at..at + run,
                depth: depth + 1,
            });
            mask |= 1 << letter;
            at += run;
        }
        let terminal = if id == NO_ALPHAGRAM { 0 } else { TERMINAL };
        columns.nodes.push(first_child << 32 | terminal | mask);
        columns.ids.push(id);
    }
    columns
}

/// Whether the columns have the shape [`build`] gives them: breadth first, each node's
/// children right after the previous node's, alphagram ids below `alphagrams`.
/// Linear and branch-free enough to check on every load.
pub(crate) fn is_well_formed(nodes: &[u64], ids: &[u32], alphagrams: usize) -> bool {
    if nodes.len() != ids.len() {
        return false;
    }
    let mut expected_child = 1u64;
    let mut ok = true;
    for (&node, &id) in nodes.iter().zip(ids) {
        ok &= node >> 32 == expected_child;
        ok &= node & !(TERMINAL | u64::from(ALL_LETTERS) | !0 << 32) == 0;
        ok &= (node & TERMINAL != 0) == (id != NO_ALPHAGRAM);
        ok &= id == NO_ALPHAGRAM || (id as usize) < alphagrams;
        expected_child += u64::from((node as u32 & ALL_LETTERS).count_ones());
    }
    ok && (nodes.is_empty() || expected_child == nodes.len() as u64)
}

/// A build walk: the rack's tiles as it goes down, and the alphagram ids found.
pub(crate) struct Walk<'a> {
    nodes: &'a [u64],
    ids: &'a [u32],
    counts: Counts,
    blanks: u32,
    found: Vec<u32>,
}

impl<'a> Walk<'a> {
    /// Every alphagram id whose letters are among `counts` plus `blanks` blanks, of at most
    /// `max_len` letters, in no particular order.
    pub(crate) fn run(
        nodes: &'a [u64],
        ids: &'a [u32],
        counts: &Counts,
        blanks: usize,
        max_len: usize,
    ) -> Vec<u32> {
        let mut walk = Walk {
            nodes,
            ids,
            counts: *counts,
            blanks: blanks as u32,
            found: Vec::new(),
        };
        let held = counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .fold(0, |mask, (letter, _)| mask | 1 << letter);
        walk.visit(0, 0, held, max_len.min(MAX_LEN) as u32);
        walk.found
    }

    /// Follows the children of `node` with letters from `from` on, `tiles` tiles still to place.
    fn visit(&mut self, node: usize, from: u32, held: u32, tiles: u32) {
        let Some(&bits) = self.nodes.get(node).filter(|_| tiles > 0) else {
            return;
        };
        let children = bits as u32 & ALL_LETTERS;
        let first_child = (bits >> 32) as usize;
        let mut open = children & !((1 << from) - 1);
        if self.blanks == 0 {
            open &= held;
        }
        while open != 0 {
            let letter = open.trailing_zeros();
            open &= open - 1;
            let child = first_child + (children & ((1 << letter) - 1)).count_ones() as usize;
            let Some(&child_bits) = self.nodes.get(child) else {
                return;
            };
            if child_bits & TERMINAL != 0
                && let Some(&id) = self.ids.get(child)
            {
                self.found.push(id);
            }
            if tiles <= 1 || child_bits as u32 & ALL_LETTERS == 0 {
                continue;
            }
            let count = &mut self.counts[letter as usize];
            if *count > 0 {
                *count -= 1;
                let held = if *count == 0 {
                    held & !(1 << letter)
                } else {
                    held
                };
                self.visit(child, letter, held, tiles - 1);
                self.counts[letter as usize] += 1;
            } else {
                self.blanks -= 1;
                self.visit(child, letter, held, tiles - 1);
                self.blanks += 1;
            }
        }
    }
}
