//! Phonies: plausible non-words made from a word by one small slip, chosen by a hash of the
//! word alone so that a card's phony never changes (no global random generator).
//!
//! The slips tried first are the ones a player might believe: one letter changed for another
//! of its kind (vowel for vowel, consonant for consonant) or two neighbouring letters swapped.
//! Only when every one of those spells a word is a letter changed across kinds.

use tilebag_lexicon::Lexicon;
use tilebag_lexicon::letters::{self, MAX_LEN, MIN_LEN};

use crate::shuffle::shuffle;

/// One slip: change the letter at a position, or swap it with the next.
#[derive(Debug, Clone, Copy)]
enum Slip {
    Change(usize, u8),
    Swap(usize),
}

impl Slip {
    fn apply(self, word: &[u8]) -> String {
        let mut out = word.to_vec();
        match self {
            Slip::Change(i, letter) => out[i] = letter,
            Slip::Swap(i) => out.swap(i, i + 1),
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

fn is_vowel(letter: u8) -> bool {
    letters::index(letter).is_some_and(|i| letters::VOWELS & (1 << i) != 0)
}

/// Every slip of `word` that changes it: those of the same kind first, then the rest.
fn slips(word: &[u8]) -> (Vec<Slip>, Vec<Slip>) {
    let mut near = Vec::new();
    let mut far = Vec::new();
    for (i, &letter) in word.iter().enumerate() {
        for other in (b'A'..=b'Z').filter(|&o| o != letter) {
            let list = if is_vowel(other) == is_vowel(letter) {
                &mut near
            } else {
                &mut far
            };
            list.push(Slip::Change(i, other));
        }
        if word.get(i + 1).is_some_and(|&next| next != letter) {
            near.push(Slip::Swap(i));
        }
    }
    (near, far)
}

/// FNV-1a of the letters: a seed that depends on the word only, fixed forever.
fn seed_of(word: &[u8]) -> u64 {
    word.iter().fold(0xCBF2_9CE4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// Upper-case letters of a card's length (2 to 15), or `None`.
pub(super) fn letters_of(text: &str) -> Option<Vec<u8>> {
    let upper = text.to_ascii_uppercase().into_bytes();
    ((MIN_LEN..=MAX_LEN).contains(&upper.len()) && upper.iter().all(u8::is_ascii_uppercase))
        .then_some(upper)
}

/// The phony of a word: the same length, not a word of the lexicon, one letter changed or two
/// neighbouring letters swapped, always the same for the same word. `None` when `word` is not
/// 2 to 15 letters or every slip spells a word.
#[must_use]
pub fn phony(lexicon: &Lexicon, word: &str) -> Option<String> {
    let word = letters_of(word)?;
    let seed = seed_of(&word);
    let (mut near, mut far) = slips(&word);
    shuffle(&mut near, seed);
    shuffle(&mut far, seed.rotate_left(32));
    near.into_iter()
        .chain(far)
        .map(|slip| slip.apply(&word))
        .find(|candidate| !lexicon.contains(candidate))
}

/// The word a phony was made from, if any (the first alphabetically when several words give
/// the same phony). Cheap: one lookup per slip.
#[must_use]
pub fn source_of_phony(lexicon: &Lexicon, front: &str) -> Option<String> {
    let front = letters_of(front)?;
    let (near, far) = slips(&front);
    let front = String::from_utf8(front).ok()?;
    let mut sources: Vec<String> = near
        .into_iter()
        .chain(far)
        .map(|slip| slip.apply(front.as_bytes()))
        .filter(|word| lexicon.contains(word))
        .filter(|word| phony(lexicon, word).as_deref() == Some(front.as_str()))
        .collect();
    sources.sort_unstable();
    sources.into_iter().next()
}
