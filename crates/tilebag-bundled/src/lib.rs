//! The bundled default lexicon, **SCOWL80**: English words from SCOWL (Spell Checker Oriented
//! Word Lists) 2020.12.07, sizes up to 80, all spelling regions and variants, accents folded,
//! 2-15 letters. It is not a tournament word list. `scripts/build-scowl80.py` regenerates
//! `data/scowl80.txt.gz` from Debian's `scowl` package; the build script prebuilds the index.
#![deny(missing_docs)]

use tilebag_lexicon::Lexicon;

/// The bundled lexicon's name.
pub const NAME: &str = "SCOWL80";

/// SCOWL's copyright and licence notice, which must accompany the word list.
pub const NOTICE: &str = include_str!("../data/COPYRIGHT");

/// The raw word list (gzip-compressed, one upper-case word per line), for benchmarks and tests.
pub const WORDS_GZ: &[u8] = include_bytes!("../data/scowl80.txt.gz");

#[repr(C, align(16))]
struct Aligned<B: ?Sized>(B);

static PREBUILT: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/scowl80.tbx")));

/// The bundled lexicon, used in place from the binary's data.
#[must_use]
pub fn scowl80() -> Lexicon {
    Lexicon::from_static(&PREBUILT.0)
        .expect("the bundled lexicon was built by this crate's build script")
}

#[cfg(test)]
mod tests {
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
    }
}
