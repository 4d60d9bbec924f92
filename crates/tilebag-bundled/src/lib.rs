//! The bundled default lexicon, **SCOWL80**: English words from SCOWL (Spell Checker Oriented
//! Word Lists) 2020.12.07, sizes up to 80, all spelling regions and variants, accents folded,
//! 2-15 letters. It is not a tournament word list. `scripts/build-scowl80.py` regenerates
//! `data/scowl80.txt.gz` from Debian's `scowl` package; the build script prebuilds the index.
//!
//! Words carry short definitions from **WordNet 3.0** where WordNet has them (about 46% of the
//! list): `scripts/build-definitions.py` writes `data/definitions.txt.gz` from Debian's
//! `wordnet-base` package. A gloss that belongs to the base form of an inflected word (found with
//! WordNet's own morphology) is marked with that base in brackets: PLAYED is defined as
//! `[PLAY] (v.) participate in games or sport / (adj.) (of games) engaged in`.
//! See [`WORDNET_NOTICE`] for WordNet's licence.
#![deny(missing_docs)]

use tilebag_lexicon::Lexicon;

/// The bundled lexicon's name.
pub const NAME: &str = "SCOWL80";

/// SCOWL's copyright and licence notice, which must accompany the word list.
pub const NOTICE: &str = include_str!("../data/COPYRIGHT");

/// WordNet 3.0's copyright and licence notice, which must accompany the definitions.
pub const WORDNET_NOTICE: &str = include_str!("../data/WORDNET-LICENSE");

/// The raw word list (gzip-compressed, one upper-case word per line), for benchmarks and tests.
pub const WORDS_GZ: &[u8] = include_bytes!("../data/scowl80.txt.gz");

#[repr(C, align(16))]
struct Aligned<B: ?Sized>(B);

static PREBUILT: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/scowl80.tbx")));

/// The bundled lexicon, used in place from the binary's data. The build script checked every
/// entry of it, so opening it checks only its header and column sizes.
#[must_use]
pub fn scowl80() -> Lexicon {
    Lexicon::from_embedded(&PREBUILT.0)
        .expect("the bundled lexicon was built and checked by this crate's build script")
}

#[cfg(test)]
mod tests {
    use tilebag_lexicon::{Lexicon, WordId};

    #[test]
    fn bundled_lexicon_loads_in_place() {
        let lexicon = super::scowl80();
        assert_eq!(lexicon.name(), super::NAME);
        assert!(
            (248_000..249_000).contains(&lexicon.word_count()),
            "{} words",
            lexicon.word_count()
        );
        assert_eq!(
            lexicon.as_bytes().as_ptr(),
            super::PREBUILT.0.as_ptr(),
            "not copied"
        );
        assert!(super::NOTICE.contains("Kevin Atkinson"));
        assert!(
            Lexicon::from_static(&super::PREBUILT.0).is_ok(),
            "every entry passes the full check"
        );
        assert!(
            super::WORDNET_NOTICE.contains("WordNet 3.0 Copyright 2006 by Princeton University")
        );
    }

    #[test]
    fn bundled_lexicon_has_wordnet_definitions() {
        let lexicon = super::scowl80();
        assert!(lexicon.has_definitions());
        let definition = |word: &str| {
            let id = lexicon
                .find_word(word)
                .unwrap_or_else(|| panic!("{word} is in SCOWL80"));
            lexicon.word(id).definition().map(str::to_owned)
        };
        let play = definition("PLAY").expect("PLAY is defined");
        assert!(
            play.contains("(v.) participate in games or sport"),
            "{play}"
        );
        for inflection in ["PLAYED", "PLAYS"] {
            let text = definition(inflection).expect("inflections are defined");
            assert!(
                text.starts_with("[PLAY] (v.) participate in games or sport"),
                "{inflection}: {text}"
            );
        }
        let cat = definition("CAT").expect("CAT is defined");
        assert!(cat.starts_with("(n.) feline mammal"), "{cat}");
        let defined = (0..lexicon.word_count() as u32)
            .filter(|&id| lexicon.word(WordId(id)).definition().is_some())
            .count();
        assert!((100_000..130_000).contains(&defined), "{defined} defined");
    }
}
