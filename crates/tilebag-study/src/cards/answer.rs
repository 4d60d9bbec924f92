//! What a card asks and its answer, worked out from the lexicon when the card is shown.

use serde::Serialize;
use tilebag_lexicon::{Lexicon, Word};

use super::phony::{letters_of, source_of_phony};
use super::quoted;
use crate::review::CardKind;

/// A word as a card's back shows it: with its hooks, inner hooks and definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordFacts {
    /// The word, upper-case.
    pub word: String,
    /// Letters that go in front of it to make a word, alphabetically.
    pub front_hooks: String,
    /// Letters that go after it to make a word, alphabetically.
    pub back_hooks: String,
    /// The word without its first letter is a word.
    pub inner_front: bool,
    /// The word without its last letter is a word.
    pub inner_back: bool,
    /// Its definition, if the lexicon has one.
    pub definition: Option<String>,
}

impl WordFacts {
    fn of(word: Word<'_>) -> WordFacts {
        WordFacts {
            word: word.text().to_owned(),
            front_hooks: word.front_hooks(),
            back_hooks: word.back_hooks(),
            inner_front: word.inner_front_hook(),
            inner_back: word.inner_back_hook(),
            definition: word.definition().map(str::to_owned),
        }
    }
}

/// The answer to a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    /// An alphagram card: all its words.
    Alphagram {
        /// The alphagram (its letters in order).
        alphagram: String,
        /// Its words, alphabetically, with their hooks and definitions.
        words: Vec<WordFacts>,
    },
    /// A hooks card: the word's front and back hooks.
    Hooks {
        /// The word, its hook letters among its facts.
        word: WordFacts,
        /// The words its front hooks make, alphabetically.
        front_words: Vec<String>,
        /// The words its back hooks make, alphabetically.
        back_words: Vec<String>,
    },
    /// A word-or-phony card: whether the front is a word.
    WordOrPhony {
        /// The front, upper-case.
        front: String,
        /// Whether it is a word of the lexicon.
        valid: bool,
        /// The word's facts when it is one.
        facts: Option<WordFacts>,
        /// For a phony: the word it was made from, when one is found.
        source: Option<String>,
    },
}

/// What a card asks: its front and the question, for the player to answer before turning it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prompt {
    /// The card's kind.
    pub kind: CardKind,
    /// The front: an alphagram or a word (or phony), upper-case.
    pub front: String,
    /// For an alphagram: how many words it makes.
    pub words: Option<usize>,
    /// The question, a sentence.
    pub question: String,
}

/// Why a card cannot be shown: its front no longer fits the lexicon.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// The front is not 2 to 15 letters.
    #[error("The card’s front {front} is not 2 to 15 letters A to Z.")]
    BadFront {
        /// The front, quoted (cut short when long).
        front: String,
    },
    /// An alphagram card whose letters make no word.
    #[error(
        "{alphagram} makes no word in {lexicon}; remove the card or study it with another lexicon."
    )]
    NoWords {
        /// The alphagram, quoted.
        alphagram: String,
        /// The lexicon's name.
        lexicon: String,
    },
    /// A hooks card whose front is not a word.
    #[error("{word} is not a word in {lexicon}; remove the card or study it with another lexicon.")]
    NotAWord {
        /// The word, quoted.
        word: String,
        /// The lexicon's name.
        lexicon: String,
    },
}

/// The answer to the card of `kind` with this `front`.
pub fn answer(lexicon: &Lexicon, kind: CardKind, front: &str) -> Result<Answer, CardError> {
    let Some(letters) = letters_of(front).and_then(|l| String::from_utf8(l).ok()) else {
        return Err(CardError::BadFront {
            front: quoted(front),
        });
    };
    match kind {
        CardKind::Alphagram => {
            let alphagram = lexicon
                .find_alphagram(&letters)
                .map(|id| lexicon.alphagram(id));
            let alphagram = alphagram.ok_or_else(|| CardError::NoWords {
                alphagram: quoted(&letters),
                lexicon: lexicon.name().to_owned(),
            })?;
            Ok(Answer::Alphagram {
                alphagram: alphagram.letters(),
                words: alphagram.words().map(WordFacts::of).collect(),
            })
        }
        CardKind::Hooks => {
            let word = lexicon.find_word(&letters).map(|id| lexicon.word(id));
            let word = word.ok_or_else(|| CardError::NotAWord {
                word: quoted(&letters),
                lexicon: lexicon.name().to_owned(),
            })?;
            let facts = WordFacts::of(word);
            Ok(Answer::Hooks {
                front_words: facts
                    .front_hooks
                    .chars()
                    .map(|c| format!("{c}{letters}"))
                    .collect(),
                back_words: facts
                    .back_hooks
                    .chars()
                    .map(|c| format!("{letters}{c}"))
                    .collect(),
                word: facts,
            })
        }
        CardKind::WordOrPhony => {
            let facts = lexicon
                .find_word(&letters)
                .map(|id| WordFacts::of(lexicon.word(id)));
            let source = facts
                .is_none()
                .then(|| source_of_phony(lexicon, &letters))
                .flatten();
            Ok(Answer::WordOrPhony {
                valid: facts.is_some(),
                front: letters,
                facts,
                source,
            })
        }
    }
}

/// What the card of `kind` with this `front` asks.
pub fn prompt(lexicon: &Lexicon, kind: CardKind, front: &str) -> Result<Prompt, CardError> {
    answer(lexicon, kind, front).map(|a| a.prompt())
}

impl Answer {
    /// The kind of card it answers.
    #[must_use]
    pub fn kind(&self) -> CardKind {
        match self {
            Answer::Alphagram { .. } => CardKind::Alphagram,
            Answer::Hooks { .. } => CardKind::Hooks,
            Answer::WordOrPhony { .. } => CardKind::WordOrPhony,
        }
    }

    /// What the card asks.
    #[must_use]
    pub fn prompt(&self) -> Prompt {
        let (front, words, question) = match self {
            Answer::Alphagram { alphagram, words } => {
                let question = match words.len() {
                    1 => "Which word do these letters make?".to_owned(),
                    n => format!("Which {n} words do these letters make?"),
                };
                (alphagram.clone(), Some(words.len()), question)
            }
            Answer::Hooks { word, .. } => {
                let question = format!(
                    "Which letters go in front of {0} and after it to make words?",
                    quoted(&word.word)
                );
                (word.word.clone(), None, question)
            }
            Answer::WordOrPhony { front, .. } => {
                let question = format!("Is {} a word or a phony?", quoted(front));
                (front.clone(), None, question)
            }
        };
        Prompt {
            kind: self.kind(),
            front,
            words,
            question,
        }
    }

    /// Leaves the definitions out (for a player who turned them off).
    pub fn forget_definitions(&mut self) {
        let facts: Vec<&mut WordFacts> = match self {
            Answer::Alphagram { words, .. } => words.iter_mut().collect(),
            Answer::Hooks { word, .. } => vec![word],
            Answer::WordOrPhony { facts, .. } => facts.iter_mut().collect(),
        };
        for f in facts {
            f.definition = None;
        }
    }

    /// The words a typed answer should name: an alphagram's words, or a word's hooked words
    /// (front hooks first); empty for a word-or-phony card.
    #[must_use]
    pub fn expected_words(&self) -> Vec<String> {
        match self {
            Answer::Alphagram { words, .. } => words.iter().map(|w| w.word.clone()).collect(),
            Answer::Hooks {
                front_words,
                back_words,
                ..
            } => {
                let mut all = front_words.clone();
                all.extend(
                    back_words
                        .iter()
                        .filter(|w| !front_words.contains(w))
                        .cloned(),
                );
                all
            }
            Answer::WordOrPhony { .. } => Vec::new(),
        }
    }
}
