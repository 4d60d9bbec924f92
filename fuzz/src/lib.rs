//! What the fuzz targets share: small lexicons to search, and slow, obviously right versions
//! of the query engine's checks to compare the fast ones against.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use tilebag_lexicon::query::{Criterion, Query};
use tilebag_lexicon::{AlphagramId, ImportOptions, Lexicon, TileBag, WordList};

/// Words with anagrams, hooks, inner hooks, doubled letters and a few definitions.
const SMALL: &str = "\
AA lava\nAB\nAD\nAE\nAG\nAH\nAI\nAL\nAM\nAN\nAR\nAS\nAT\nAW\nAX\nAY\nBA\nBE\nBI\nBO\nBY\n\
DA\nDE\nDO\nED\nEF\nEH\nEL\nEM\nEN\nER\nES\nET\nEX\nFA\nFE\nGO\nHA\nHE\nHI\nHM\nHO\nID\nIF\n\
IN\nIS\nIT\nJO\nKA\nKI\nLA\nLI\nLO\nMA\nME\nMI\nMO\nMU\nMY\nNA\nNE\nNO\nNU\nOD\nOE\nOF\nOH\n\
OI\nOM\nON\nOP\nOR\nOS\nOW\nOX\nOY\nPA\nPE\nPI\nQI life force\nRE\nSH\nSI\nSO\nTA\nTI\nTO\nUH\n\
UM\nUN\nUP\nUS\nUT\nWE\nWO\nXI\nXU\nYA\nYE\nYO\nZA pizza\n\
ACT\nCAT\nTAC\nART\nRAT\nTAR\nTARS\nRATS\nSTAR\nTSAR\nARTS\nEAT\nATE\nETA\nTEA\nTEAS\nEATS\n\
SEAT\nEAST\nSATE\nETAS\nQUIZ\nZAX\nJINX\nBOOK\nBOOKS\nLOOK\nLOOKS\nSPARE\nSPEAR\nPARSE\n\
PEARS\nREAPS\nRAPES\nAPERS\nPARES\nRETAINS\nSTAINER\nNASTIER\nRETINAS\nRETINA\nTINSEL\n\
SILENT\nLISTEN\nENLIST\nINLETS\nPLATE\nPLEAT\nPETAL\nLEAPT\nQUA\nAQUA\nZZZ sleep\n\
MISSISSIPPIANS\nCOUNTERREVOLUTION\nABCDEFGHIJKLMNO\nOVERSIMPLIFIED\nQUIXOTRY\n";

/// A small lexicon built from a fixed list, named `SMALL`, with definitions.
pub fn small() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| build("SMALL", SMALL))
}

/// Another lexicon (the small one's words of up to three letters), named `OTHER`, for the
/// in-lexicon criteria.
pub fn other() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let short: String = SMALL
            .lines()
            .filter(|l| l.split_whitespace().next().is_some_and(|w| w.len() <= 3))
            .map(|l| format!("{l}\n"))
            .collect();
        build("OTHER", &short)
    })
}

/// Finds the small lexicons by name, the way the server finds its lexicons.
pub fn by_name(name: &str) -> Option<&'static Lexicon> {
    [small(), other()]
        .into_iter()
        .find(|l| l.name().eq_ignore_ascii_case(name))
}

fn build(name: &str, words: &str) -> Lexicon {
    // Some words of the list are longer than a lexicon holds: skipping them is part of the test.
    let list = WordList::parse(words.as_bytes(), name, ImportOptions { skip_invalid: true })
        .expect("the fixed list has words");
    Lexicon::build(name, &list, &TileBag::english())
}

/// Checks a search against the same search done one criterion at a time: the result must be
/// what every criterion keeps on its own, in probability order, then cut by offset and
/// limit. Each single-criterion search takes its own path through the engine (enumerated
/// blanks, listed keys, probability slices, rack prefilters), so this compares the paths.
/// Criteria about words must hold for the same word of an alphagram, so those are searched
/// together, as one.
pub fn check_search(lexicon: &Lexicon, query: &Query<'_>) {
    let found = lexicon.search(query);
    assert!(
        found.windows(2).all(|w| w[0] < w[1]),
        "results are in probability order, each once"
    );
    assert!(found.len() <= query.limit.unwrap_or(usize::MAX));
    let (words, letters): (Vec<&Criterion<'_>>, Vec<&Criterion<'_>>) =
        query.criteria.iter().partition(|c| is_about_words(c));
    let mut parts: Vec<Query<'_>> = letters.into_iter().map(|c| Query::of(c.clone())).collect();
    if !words.is_empty() {
        parts.push(Query {
            criteria: words.into_iter().cloned().collect(),
            ..Query::default()
        });
    }
    let mut kept: BTreeSet<AlphagramId> = (0..lexicon.alphagram_count() as u32)
        .map(AlphagramId)
        .collect();
    for part in &parts {
        let alone: BTreeSet<AlphagramId> = lexicon.search(part).into_iter().collect();
        kept.retain(|id| alone.contains(id));
    }
    let expected: Vec<AlphagramId> = kept
        .into_iter()
        .skip(query.offset)
        .take(query.limit.unwrap_or(usize::MAX))
        .collect();
    assert_eq!(
        found, expected,
        "a search keeps what each criterion keeps on its own"
    );
}

/// Whether a criterion looks at words (spelling, hooks, definitions) rather than letters.
fn is_about_words(criterion: &Criterion<'_>) -> bool {
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

/// One token of the query language, read by [`tokens`]: `None` is `*`, otherwise the set of
/// letters (bit 0 for `A`) the token accepts, and whether it was a `?` blank.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    /// The letters accepted; `None` for `*`.
    pub accepts: Option<u32>,
    /// Written as `?`.
    pub blank: bool,
    /// Written as a plain letter.
    pub letter: bool,
}

const ALL: u32 = (1 << 26) - 1;

/// Reads the query language the simple way: letters, `?`, `*`, `[...]` with `^` and ranges.
/// `None` when the text is not in it (the engine may still refuse more, e.g. lengths).
pub fn tokens(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let letter = |c: char| {
        let c = c.to_ascii_uppercase();
        c.is_ascii_uppercase().then(|| u32::from(c as u8 - b'A'))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let token = match chars[i] {
            '*' => Token {
                accepts: None,
                blank: false,
                letter: false,
            },
            '?' => Token {
                accepts: Some(ALL),
                blank: true,
                letter: false,
            },
            '[' => {
                let close = i + chars[i..].iter().position(|&c| c == ']')?;
                let mut inside = &chars[i + 1..close];
                let negated = inside.first() == Some(&'^');
                if negated {
                    inside = &inside[1..];
                }
                let mut mask = 0u32;
                let mut j = 0;
                while j < inside.len() {
                    let from = letter(inside[j])?;
                    if inside.get(j + 1) == Some(&'-') && j + 2 < inside.len() {
                        let to = letter(inside[j + 2])?;
                        if to < from {
                            return None;
                        }
                        for l in from..=to {
                            mask |= 1 << l;
                        }
                        j += 3;
                    } else {
                        mask |= 1 << from;
                        j += 1;
                    }
                }
                if negated {
                    mask = ALL & !mask;
                }
                if mask == 0 {
                    return None;
                }
                i = close;
                Token {
                    accepts: Some(mask),
                    blank: false,
                    letter: false,
                }
            }
            c => Token {
                accepts: Some(1 << letter(c)?),
                blank: false,
                letter: true,
            },
        };
        out.push(token);
        i += 1;
    }
    (!out.is_empty()).then_some(out)
}

/// Whether an upper-case word matches the pattern: the textbook table of "the pattern from
/// token `i` matches the word from letter `j`", filled from the ends.
pub fn pattern_matches(pattern: &[Token], word: &[u8]) -> bool {
    let (n, m) = (pattern.len(), word.len());
    let mut table = vec![vec![false; m + 1]; n + 1];
    table[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            table[i][j] = match pattern[i].accepts {
                None => table[i + 1][j] || (j < m && table[i][j + 1]),
                Some(set) => j < m && set & (1 << (word[j] - b'A')) != 0 && table[i + 1][j + 1],
            };
        }
    }
    table[0][0]
}

/// Whether a word's letters and a rack's tiles can be paired off, each letter with a tile
/// that accepts it: `all_letters` demands every letter of the word gets a tile, `all_tiles`
/// every tile a letter. Anagram: both; build: all letters; super-anagram: all tiles.
pub fn pairs_off(rack: &[Token], word: &[u8], all_letters: bool, all_tiles: bool) -> bool {
    // Simple augmenting paths: tiles on one side, letters on the other.
    fn augment(
        tile: usize,
        rack: &[Token],
        word: &[u8],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for (slot, &c) in word.iter().enumerate() {
            let accepts = rack[tile].accepts.unwrap_or(ALL);
            if accepts & (1 << (c - b'A')) == 0 || seen[slot] {
                continue;
            }
            seen[slot] = true;
            if owner[slot].is_none_or(|other| augment(other, rack, word, owner, seen)) {
                owner[slot] = Some(tile);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; word.len()];
    let paired = (0..rack.len())
        .filter(|&tile| augment(tile, rack, word, &mut owner, &mut vec![false; word.len()]))
        .count();
    (!all_letters || paired == word.len()) && (!all_tiles || paired == rack.len())
}

/// The alphagrams of a lexicon that some word of satisfies `keep`, in id order.
pub fn brute_force(lexicon: &Lexicon, keep: impl Fn(&str) -> bool) -> Vec<AlphagramId> {
    (0..lexicon.alphagram_count() as u32)
        .map(AlphagramId)
        .filter(|&id| lexicon.alphagram(id).words().any(|w| keep(w.text())))
        .collect()
}

/// Whether a search finds exactly `expected`.
pub fn assert_search(
    lexicon: &Lexicon,
    criterion: Criterion<'_>,
    expected: &[AlphagramId],
    what: &str,
) {
    let found = lexicon.search(&Query::of(criterion));
    assert_eq!(found, expected, "{what}");
}
