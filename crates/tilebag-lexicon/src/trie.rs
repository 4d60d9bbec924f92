//! A trie of all alphagrams, letters in alphabetical order, for build queries.
//!
//! "Which words can these tiles make?" is a walk down this trie that follows only letters the
//! rack still holds (or a blank stands in for), so its cost follows the answer rather than
//! the size of the lexicon.
//!
//! The children of a node are consecutive and in letter order, and these groups of siblings
//! are laid out in depth-first order, so a walk reads memory mostly forwards. Each node is one `u64`: bits 0-25 say which letters it has children for, bit 31 that
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
    let mut columns = Columns {
        nodes: vec![0],
        ids: vec![NO_ALPHAGRAM],
    };
    fill(&mut columns, keyed, 0, 0);
    columns
}

/// Fills in node `node`, whose alphagrams are `keyed` (sharing their first `depth` letters),
/// then places its children and their subtrees after
/// everything placed so far: sibling groups come in depth-first order, so a walk down the
/// trie reads memory mostly forwards.
fn fill(columns: &mut Columns, keyed: &[(u128, u32)], node: usize, depth: usize) {
    let letter_at = |key: u128| ((key >> (5 * (MAX_LEN - 1 - depth))) & 31) as u32 - 1;
    let mut rest = keyed;
    let mut terminal = 0;
    // A key of exactly `depth` letters sorts first among those sharing its prefix.
    if let Some(&(key, id)) = rest.first()
        && crate::letters::key_len(key) == depth
    {
        columns.ids[node] = id;
        terminal = TERMINAL;
        rest = &rest[1..];
    }
    let mut groups = Vec::new();
    let mut mask = 0u64;
    while let Some(&(key, _)) = rest.first() {
        let letter = letter_at(key);
        let run = rest.partition_point(|&(key, _)| letter_at(key) == letter);
        groups.push(&rest[..run]);
        mask |= 1 << letter;
        rest = &rest[run..];
    }
    // Leaves point nowhere (0) rather than where children would go.
    let start = columns.nodes.len();
    let first_child = if groups.is_empty() { 0 } else { start };
    columns.nodes[node] = (first_child as u64) << 32 | terminal | mask;
    columns.nodes.resize(start + groups.len(), 0);
    columns.ids.resize(start + groups.len(), NO_ALPHAGRAM);
    for (i, group) in groups.into_iter().enumerate() {
        fill(columns, group, start + i, depth + 1);
    }
}

/// Whether the columns look like what [`build`] makes: only letter and end bits set,
/// alphagram ids only where alphagrams end and below `alphagrams`, each node's children after
/// it and inside the trie (leaves pointing nowhere), and as many children in all as there are
/// nodes below the root. One branch-free pass; a walk is safe on any columns anyway (see the
/// module's docs), so this only turns damage into an error early.
pub(crate) fn is_well_formed(nodes: &[u64], ids: &[u32], alphagrams: usize) -> bool {
    if nodes.len() != ids.len() {
        return false;
    }
    let mut ok = true;
    let mut children_in_all = 0u64;
    for (index, (&bits, &id)) in (0u64..).zip(nodes.iter().zip(ids)) {
        let children = u64::from((bits as u32 & ALL_LETTERS).count_ones());
        let first_child = bits >> 32;
        ok &= bits & !(TERMINAL | u64::from(ALL_LETTERS) | !0 << 32) == 0;
        ok &= (bits & TERMINAL != 0) == (id != NO_ALPHAGRAM);
        ok &= id == NO_ALPHAGRAM || (id as usize) < alphagrams;
        ok &= if children == 0 {
            first_child == 0
        } else {
            first_child > index && first_child + children <= nodes.len() as u64
        };
        children_in_all += children;
    }
    ok && (nodes.is_empty() || children_in_all + 1 == nodes.len() as u64)
}

/// A build walk: the rack's tiles as it goes down, and the alphagram ids found.
pub(crate) struct Walk<'a> {
    nodes: &'a [u64],
    ids: &'a [u32],
    counts: Counts,
    blanks: u32,
    /// One bit per alphagram id of `wanted`, from its start: sets them in id order for free.
    found: Vec<u64>,
    first_wanted: u32,
}

impl<'a> Walk<'a> {
    /// Every alphagram id in `wanted` whose letters are among `counts` plus `blanks` blanks
    /// and that has at most `max_len` letters, in id order.
    pub(crate) fn run(
        (nodes, ids): (&'a [u64], &'a [u32]),
        counts: &Counts,
        blanks: usize,
        max_len: usize,
        wanted: std::ops::Range<u32>,
    ) -> Vec<u32> {
        let span = wanted.len();
        let mut walk = Walk {
            nodes,
            ids,
            counts: *counts,
            blanks: blanks as u32,
            found: vec![0; span.div_ceil(64)],
            first_wanted: wanted.start,
        };
        let held = counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .fold(0, |mask, (letter, _)| mask | 1 << letter);
        walk.visit(0, 0, held, max_len.min(MAX_LEN) as u32);
        // Bits past the end of `wanted` in the last word are not ids of it.
        if let Some(last) = walk.found.last_mut()
            && !span.is_multiple_of(64)
        {
            *last &= (1 << (span % 64)) - 1;
        }
        let count = walk.found.iter().map(|w| w.count_ones() as usize).sum();
        let mut found = Vec::with_capacity(count);
        for (at, &word) in (wanted.start..).step_by(64).zip(&walk.found) {
            let mut bits = word;
            while bits != 0 {
                found.push(at + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        found
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
                let bit = id.wrapping_sub(self.first_wanted) as usize;
                if let Some(word) = self.found.get_mut(bit / 64) {
                    *word |= 1 << (bit % 64);
                }
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
