//! Study lists: a player's alphagrams, dealt in rounds, with what was missed remembered.
//!
//! A list is shuffled once when made (with its seed recorded) and dealt from a queue. The
//! first queue is the whole list: misses during that first full pass are the list's
//! *first-missed* set, kept until the list is deleted. Later queues are the first-missed
//! set, the currently missed set, or the whole list again (start over).
//!
//! An alphagram counts as *seen* once the round it was dealt in is finished, not when it is
//! dealt: a round dealt and then abandoned is *unfinished*, and `Continue` deals it again
//! before going on with the queue, so nothing is skipped.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::shuffle::shuffle;

/// What to quiz on next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deal {
    /// Go on with the current queue.
    Continue,
    /// A new queue of the first-pass misses.
    FirstMissed,
    /// A new queue of what is missed now.
    Missed,
    /// The whole list again; current misses are forgotten (first misses are kept).
    StartOver,
}

/// A list of alphagrams being studied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyList {
    /// The alphagrams, in their shuffled order.
    pub alphagrams: Vec<String>,
    /// The seed the list was shuffled with.
    pub seed: u64,
    /// Indexes (into `alphagrams`) of the current queue.
    pub queue: Vec<u32>,
    /// How much of the queue has been dealt.
    pub next: usize,
    /// Whether the queue is the first pass over the whole list.
    pub first_pass: bool,
    /// Missed the last time they were asked.
    pub missed: BTreeSet<u32>,
    /// Missed during the first full pass.
    pub first_missed: BTreeSet<u32>,
    /// Of the first pass, how many were dealt in a round that was then finished.
    pub seen: usize,
    /// Dealt from the queue but not finished yet, in deal order; the first `round` of them
    /// are the latest round's.
    #[serde(default)]
    pub unfinished: Vec<u32>,
    /// How many of `unfinished` (from its start) the latest round dealt.
    #[serde(default)]
    pub round: usize,
}

impl StudyList {
    /// A new list of these alphagrams, shuffled with `seed`.
    #[must_use]
    pub fn new(mut alphagrams: Vec<String>, seed: u64) -> StudyList {
        shuffle(&mut alphagrams, seed);
        let queue = (0..alphagrams.len() as u32).collect();
        StudyList {
            alphagrams,
            seed,
            queue,
            next: 0,
            first_pass: true,
            missed: BTreeSet::new(),
            first_missed: BTreeSet::new(),
            seen: 0,
            unfinished: Vec::new(),
            round: 0,
        }
    }

    /// A list dealt in the given order (challenges keep their drawn order).
    #[must_use]
    pub fn in_order(alphagrams: Vec<String>) -> StudyList {
        let queue = (0..alphagrams.len() as u32).collect();
        StudyList {
            alphagrams,
            seed: 0,
            queue,
            next: 0,
            first_pass: true,
            missed: BTreeSet::new(),
            first_missed: BTreeSet::new(),
            seen: 0,
            unfinished: Vec::new(),
            round: 0,
        }
    }

    /// Whether the first full pass is over: all dealt and every round of it finished.
    #[must_use]
    pub fn first_pass_done(&self) -> bool {
        !self.first_pass || self.queue_done()
    }

    /// Whether the current queue has been dealt completely and every round of it finished.
    #[must_use]
    pub fn queue_done(&self) -> bool {
        self.next >= self.queue.len() && self.unfinished.is_empty()
    }

    /// Starts a new queue (for `Continue`, keeps the current one), then deals up to
    /// `count` alphagrams: the unfinished ones first, then the queue's next.
    pub fn deal(&mut self, deal: Deal, count: usize) -> Vec<String> {
        let in_order = |set: &BTreeSet<u32>| -> Vec<u32> { set.iter().copied().collect() };
        match deal {
            Deal::Continue => {}
            Deal::FirstMissed => self.requeue(in_order(&self.first_missed)),
            Deal::Missed => self.requeue(in_order(&self.missed)),
            Deal::StartOver => {
                self.missed.clear();
                self.requeue((0..self.alphagrams.len() as u32).collect());
            }
        }
        let again = count.min(self.unfinished.len());
        let end = self
            .next
            .saturating_add(count - again)
            .min(self.queue.len());
        let fresh = &self.queue[self.next..end];
        // The round's alphagrams go first in `unfinished`; the rest of the unfinished wait.
        let later = self.unfinished.split_off(again);
        self.unfinished.extend_from_slice(fresh);
        self.unfinished.extend(later);
        self.round = again + fresh.len();
        self.next = end;
        self.unfinished[..self.round]
            .iter()
            .map(|&i| self.alphagrams[i as usize].clone())
            .collect()
    }

    /// The latest round is finished: its alphagrams are seen (in the first pass) and no
    /// longer dealt again.
    pub fn finish_round(&mut self) {
        let round = self.round.min(self.unfinished.len());
        self.unfinished.drain(..round);
        if self.first_pass {
            self.seen = self.seen.saturating_add(round).min(self.alphagrams.len());
        }
        self.round = 0;
    }

    /// A round of these alphagrams is finished — not necessarily the latest deal: another
    /// tab may have dealt since. Those still unfinished are seen (in the first pass) and no
    /// longer dealt again; the latest deal keeps its other alphagrams unfinished.
    pub fn finish<'a>(&mut self, alphagrams: impl IntoIterator<Item = &'a str>) {
        let alphagrams: Vec<&str> = alphagrams.into_iter().collect();
        let done: BTreeSet<u32> = self.indexes(&alphagrams).into_iter().flatten().collect();
        let round = self.round.min(self.unfinished.len());
        let before = self.unfinished.len();
        let in_round = self.unfinished[..round]
            .iter()
            .filter(|i| done.contains(i))
            .count();
        self.unfinished.retain(|i| !done.contains(i));
        if self.first_pass {
            let finished = before - self.unfinished.len();
            self.seen = self
                .seen
                .saturating_add(finished)
                .min(self.alphagrams.len());
        }
        self.round = round - in_round;
    }

    fn requeue(&mut self, queue: Vec<u32>) {
        self.first_pass = false;
        self.unfinished.clear();
        self.round = 0;
        self.queue = queue;
        self.next = 0;
    }

    /// Records a finished round: each alphagram with whether it was missed. Recording an
    /// alphagram again (the player changed their mind) replaces what was recorded.
    pub fn record<'a>(&mut self, results: impl IntoIterator<Item = (&'a str, bool)>) {
        let results: Vec<(&str, bool)> = results.into_iter().collect();
        let alphagrams: Vec<&str> = results.iter().map(|(a, _)| *a).collect();
        let indexes = self.indexes(&alphagrams);
        for (index, (_, missed)) in indexes.into_iter().zip(results) {
            let Some(index) = index else {
                continue;
            };
            if missed {
                self.missed.insert(index);
                if self.first_pass {
                    self.first_missed.insert(index);
                }
            } else {
                self.missed.remove(&index);
                if self.first_pass {
                    self.first_missed.remove(&index);
                }
            }
        }
    }

    /// Where each of these alphagrams stands in the list (`None`: not in it), found in one
    /// pass over the list however many are asked for.
    fn indexes(&self, wanted: &[&str]) -> Vec<Option<u32>> {
        let mut at: HashMap<&str, Option<u32>> = wanted.iter().map(|a| (*a, None)).collect();
        let mut left = at.len();
        for (i, alphagram) in self.alphagrams.iter().enumerate() {
            if left == 0 {
                break;
            }
            if let Some(slot) = at.get_mut(alphagram.as_str())
                && slot.is_none()
            {
                *slot = u32::try_from(i).ok();
                left -= 1;
            }
        }
        wanted
            .iter()
            .map(|a| at.get(a).copied().flatten())
            .collect()
    }

    /// The alphagrams of a set of indexes, in list order.
    #[must_use]
    pub fn named(&self, set: &BTreeSet<u32>) -> Vec<&str> {
        set.iter()
            .filter_map(|&i| self.alphagrams.get(i as usize))
            .map(String::as_str)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> StudyList {
        StudyList::new((0..10).map(|i| format!("A{i:02}")).collect(), 5)
    }

    #[test]
    fn a_list_is_shuffled_once_by_its_seed() {
        let (a, b) = (list(), list());
        assert_eq!(a.alphagrams, b.alphagrams);
        let mut sorted = a.alphagrams.clone();
        sorted.sort();
        assert_ne!(a.alphagrams, sorted, "shuffled");
    }

    /// Deals a round and finishes it.
    fn play(list: &mut StudyList, count: usize) -> Vec<String> {
        let round = list.deal(Deal::Continue, count);
        list.finish_round();
        round
    }

    #[test]
    fn continuing_deals_the_list_in_rounds() {
        let mut list = list();
        let first = play(&mut list, 4);
        assert_eq!(first, list.alphagrams[..4]);
        assert_eq!(play(&mut list, 4), list.alphagrams[4..8]);
        assert_eq!(play(&mut list, 4), list.alphagrams[8..]);
        assert!(list.queue_done() && list.first_pass_done());
        assert!(list.deal(Deal::Continue, 4).is_empty());
        assert_eq!(list.seen, 10);
    }

    #[test]
    fn dealing_a_count_near_usize_max_does_not_overflow() {
        let mut list = list();
        play(&mut list, 3);
        assert_eq!(play(&mut list, usize::MAX), list.alphagrams[3..]);
        assert!(list.queue_done());
        assert!(list.deal(Deal::Continue, usize::MAX).is_empty());
    }

    #[test]
    fn an_abandoned_round_is_not_seen_and_continue_deals_it_again() {
        let mut list = list();
        play(&mut list, 5);
        let abandoned = list.deal(Deal::Continue, 5);
        assert_eq!(list.seen, 5, "only the finished round is seen");
        assert!(!list.queue_done());
        assert_eq!(
            list.deal(Deal::Continue, 5),
            abandoned,
            "resumes that round"
        );
        list.finish_round();
        assert_eq!(list.seen, 10);
        assert!(list.queue_done());
    }

    #[test]
    fn finishing_an_earlier_tab_s_round_leaves_the_latest_deal_unfinished() {
        let mut list = list();
        let small = list.deal(Deal::Continue, 3);
        let large = list.deal(Deal::Continue, 6);
        assert_eq!(
            large[..3],
            small[..],
            "the larger deal resumes the smaller first"
        );
        list.finish(small.iter().map(String::as_str));
        assert_eq!(list.seen, 3, "only the round that ended is seen");
        assert_eq!(
            list.deal(Deal::Continue, 6)[..3],
            large[3..],
            "the rest of the latest deal is dealt again"
        );
    }

    #[test]
    fn a_smaller_round_deals_the_unfinished_first_and_keeps_the_rest() {
        let mut list = list();
        let abandoned = list.deal(Deal::Continue, 6);
        assert_eq!(play(&mut list, 4), abandoned[..4]);
        assert_eq!(list.seen, 4);
        let next = play(&mut list, 4);
        assert_eq!(next[..2], abandoned[4..]);
        assert_eq!(next[2..], list.alphagrams[6..8]);
        assert_eq!(list.seen, 8);
    }

    #[test]
    fn first_missed_keeps_the_first_pass_misses_only() {
        let mut list = list();
        let round = play(&mut list, 5);
        list.record(round.iter().enumerate().map(|(i, a)| (a.as_str(), i < 2)));
        let round = play(&mut list, 5);
        list.record(round.iter().map(|a| (a.as_str(), a == &round[0])));
        assert_eq!(list.first_missed.len(), 3);
        assert_eq!(list.missed, list.first_missed);

        // Later passes change what is missed now, never the first-missed set.
        let retry = list.deal(Deal::FirstMissed, 50);
        assert_eq!(retry.len(), 3);
        list.record(retry.iter().map(|a| (a.as_str(), false)));
        assert!(list.missed.is_empty());
        assert_eq!(list.first_missed.len(), 3);
        let again = list.deal(Deal::FirstMissed, 2);
        assert_eq!(again.len(), 2);
        list.record([(again[0].as_str(), true)]);
        assert_eq!(list.named(&list.missed), [again[0].as_str()]);
        assert_eq!(list.deal(Deal::Missed, 50), [again[0].clone()]);
    }

    #[test]
    fn starting_over_forgets_misses_but_not_first_misses() {
        let mut list = list();
        let round = play(&mut list, 3);
        list.record(round.iter().map(|a| (a.as_str(), true)));
        assert_eq!(list.deal(Deal::StartOver, 3), list.alphagrams[..3]);
        assert!(list.missed.is_empty());
        assert_eq!(list.first_missed.len(), 3);
        assert_eq!(list.seen, 3);
        let round = list.deal(Deal::Continue, 7);
        list.record(round.iter().map(|a| (a.as_str(), true)));
        assert_eq!(
            list.first_missed.len(),
            3,
            "misses after the first pass are not first misses"
        );
    }
}
