//! Stored documents carry a version and are upgraded on read.
//!
//! The server keeps rounds, study lists and challenge draws as JSON. Without a version, any
//! change to their serde shape would turn every stored row into an error after an upgrade;
//! with one, [`decode`] recognises an old document and brings it up to date one step at a
//! time ([`Document::upgrade`]), and refuses — with a message saying so — a document written
//! by a newer tilebag.
//!
//! The format: a document is a JSON object with its version in `"v"` beside its own fields,
//! `{"v": 1, "questions": [...], ...}`. Version 0 is what tilebag stored before versions
//! existed: the same objects without `"v"`, and for a challenge draw a bare array of
//! questions. Rather than an envelope for non-objects, the draw has its own struct
//! ([`Draw`]), so every version from 1 on is an object and every
//! document reads the same way. Fixtures of every old version are kept under
//! `tests/fixtures/`.
//!
//! To change a document's shape: raise its `VERSION`, add a step to its `upgrade` that turns
//! the previous version's JSON into the new one, and commit a fixture of the previous version.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::challenge::Draw;
use crate::list::StudyList;
use crate::round::Round;

/// The key that holds a document's version.
const VERSION_KEY: &str = "v";

/// A kind of stored document.
pub trait Document: Serialize + DeserializeOwned {
    /// Its name in messages, e.g. `round`.
    const KIND: &'static str;
    /// The version [`encode`] writes and [`decode`] reads up to.
    const VERSION: u32;

    /// One step: the JSON of version `from` (without its `"v"`) turned into version
    /// `from + 1`. The default is the identity from version 0 to 1 (version 1 added only
    /// `"v"`) and an error for any other step.
    fn upgrade(from: u32, value: Value) -> Result<Value, DocumentError> {
        if from == 0 {
            Ok(value)
        } else {
            Err(DocumentError::NoUpgrade {
                kind: Self::KIND,
                from,
            })
        }
    }

    /// After reading: what the type's methods rely on that serde cannot check (lengths that
    /// must agree, indexes in range), as a message saying what is wrong. The default accepts
    /// everything.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Why a stored document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Not JSON at all.
    #[error("this stored {kind} is not valid JSON ({detail}); the row is damaged")]
    NotJson {
        /// The document's kind.
        kind: &'static str,
        /// What the JSON parser said.
        detail: serde_json::Error,
    },
    /// Written by a newer tilebag.
    #[error(
        "this {kind} was stored by a newer tilebag (version {found}; this one reads up to \
         {supported}): upgrade tilebag"
    )]
    TooNew {
        /// The document's kind.
        kind: &'static str,
        /// The version stored.
        found: u64,
        /// The newest version this build reads.
        supported: u32,
    },
    /// `"v"` is not a whole number.
    #[error(
        "this stored {kind} has an unreadable version {found}: \"v\" must be a whole number \
         from 0 to {supported}"
    )]
    BadVersion {
        /// The document's kind.
        kind: &'static str,
        /// The stored `"v"`, as JSON.
        found: String,
        /// The newest version this build reads.
        supported: u32,
    },
    /// JSON, but not the shape of its version.
    #[error("this stored {kind} (version {version}) is not in the shape of its version: {detail}")]
    Malformed {
        /// The document's kind.
        kind: &'static str,
        /// The version stored.
        version: u32,
        /// What did not fit.
        detail: String,
    },
    /// Read, but its parts contradict each other (see [`Document::check`]).
    #[error("this stored {kind} contradicts itself: {detail}")]
    Inconsistent {
        /// The document's kind.
        kind: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// A version this build should read but has no upgrade step for: a bug in tilebag.
    #[error("tilebag cannot upgrade a {kind} from version {from}; this is a bug in tilebag")]
    NoUpgrade {
        /// The document's kind.
        kind: &'static str,
        /// The version it has no step from.
        from: u32,
    },
}

/// The stored form: the version first, then the document's own fields.
#[derive(Serialize)]
struct Versioned<'a, T> {
    v: u32,
    #[serde(flatten)]
    doc: &'a T,
}

/// The document as JSON, `{"v": VERSION, ...its fields}`.
///
/// Panics if `T` does not serialize to a JSON object (a bug in the type, which its round-trip
/// test catches); every [`Document`] of this crate is a struct.
#[must_use]
pub fn encode<T: Document>(doc: &T) -> String {
    let versioned = Versioned { v: T::VERSION, doc };
    match serde_json::to_string(&versioned) {
        Ok(text) => text,
        Err(e) => panic!("a {} must serialize to a JSON object: {e}", T::KIND),
    }
}

/// Reads a document of any version up to `T::VERSION`, upgrading old ones. A document without
/// `"v"` is version 0.
pub fn decode<T: Document>(text: &str) -> Result<T, DocumentError> {
    let kind = T::KIND;
    let mut value: Value =
        serde_json::from_str(text).map_err(|detail| DocumentError::NotJson { kind, detail })?;
    let stored = match value.as_object_mut().and_then(|o| o.remove(VERSION_KEY)) {
        None => 0,
        Some(v) => version_of::<T>(&v)?,
    };
    for from in stored..T::VERSION {
        value = T::upgrade(from, value)?;
    }
    let doc = serde_json::from_value::<T>(value).map_err(|e| DocumentError::Malformed {
        kind,
        version: stored,
        detail: e.to_string(),
    })?;
    doc.check()
        .map_err(|detail| DocumentError::Inconsistent { kind, detail })?;
    Ok(doc)
}

fn version_of<T: Document>(v: &Value) -> Result<u32, DocumentError> {
    let bad = || DocumentError::BadVersion {
        kind: T::KIND,
        found: v.to_string(),
        supported: T::VERSION,
    };
    let found = v.as_u64().ok_or_else(bad)?;
    match u32::try_from(found) {
        Ok(version) if version <= T::VERSION => Ok(version),
        _ => Err(DocumentError::TooNew {
            kind: T::KIND,
            found,
            supported: T::VERSION,
        }),
    }
}

/// Version 1: version 0's fields plus `"v"`.
impl Document for Round {
    const KIND: &'static str = "round";
    const VERSION: u32 = 1;

    /// Every question has one flag per answer (guesses index one by the other).
    fn check(&self) -> Result<(), String> {
        match self
            .questions
            .iter()
            .find(|q| q.solved.len() != q.question.answers.len())
        {
            Some(q) => Err(format!(
                "question {} has {} answers but {} solved flags",
                q.question.alphagram,
                q.question.answers.len(),
                q.solved.len()
            )),
            None => Ok(()),
        }
    }
}

/// Version 1: version 0's fields plus `"v"`. Version 2 adds `unfinished` and `round` (what
/// was dealt but not finished); a version 1 list has none unfinished.
impl Document for StudyList {
    const KIND: &'static str = "list";
    const VERSION: u32 = 2;

    fn upgrade(from: u32, value: Value) -> Result<Value, DocumentError> {
        match (from, value) {
            (0, value) => Ok(value),
            (1, Value::Object(mut fields)) => {
                fields.insert("unfinished".into(), Value::Array(Vec::new()));
                fields.insert("round".into(), Value::from(0));
                Ok(Value::Object(fields))
            }
            (1, other) => Err(DocumentError::Malformed {
                kind: Self::KIND,
                version: 1,
                detail: format!("expected an object, found {}", type_name(&other)),
            }),
            (from, _) => Err(DocumentError::NoUpgrade {
                kind: Self::KIND,
                from,
            }),
        }
    }

    /// Every index names an alphagram and the dealt part lies within the queue (dealing
    /// indexes by both).
    fn check(&self) -> Result<(), String> {
        let len = self.alphagrams.len();
        if self.round > self.unfinished.len() {
            return Err(format!(
                "a round of {} among {} unfinished",
                self.round,
                self.unfinished.len()
            ));
        }
        if self.next > self.queue.len() {
            return Err(format!(
                "{} dealt from a queue of {}",
                self.next,
                self.queue.len()
            ));
        }
        let indexes = self
            .queue
            .iter()
            .chain(&self.missed)
            .chain(&self.first_missed)
            .chain(&self.unfinished);
        match indexes.copied().find(|&i| i as usize >= len) {
            Some(i) => Err(format!("index {i} in a list of {len} alphagrams")),
            None => Ok(()),
        }
    }
}

/// Version 0 was the bare array of questions; version 1 is `{"v": 1, "questions": [...]}`.
impl Document for Draw {
    const KIND: &'static str = "challenge draw";
    const VERSION: u32 = 1;

    fn upgrade(from: u32, value: Value) -> Result<Value, DocumentError> {
        match (from, value) {
            (0, Value::Array(questions)) => Ok(serde_json::json!({ "questions": questions })),
            (0, other) => Err(DocumentError::Malformed {
                kind: Self::KIND,
                version: 0,
                detail: format!(
                    "expected an array of questions, found {}",
                    type_name(&other)
                ),
            }),
            (from, _) => Err(DocumentError::NoUpgrade {
                kind: Self::KIND,
                from,
            }),
        }
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Version 1, the first: tables were versioned from the start.
impl Document for crate::table::Table {
    const KIND: &'static str = "table";
    const VERSION: u32 = 1;

    /// Who found what has one slot per answer of the round.
    fn check(&self) -> Result<(), String> {
        let answers = |round: &Round| -> Vec<usize> {
            round
                .questions
                .iter()
                .map(|q| q.question.answers.len())
                .collect()
        };
        if let Some(round) = &self.round {
            Document::check(round)?;
        }
        let slots: Vec<usize> = self.found_by.iter().map(Vec::len).collect();
        match &self.round {
            Some(round) if answers(round) != slots => Err(format!(
                "the round has {} questions but who found what is kept for {}",
                round.questions.len(),
                slots.len()
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::round::Question;

    fn draw() -> Draw {
        Draw {
            questions: vec![Question {
                alphagram: "IQ".into(),
                answers: vec!["QI".into()],
            }],
        }
    }

    #[test]
    fn the_version_comes_first() {
        assert_eq!(
            encode(&draw()),
            r#"{"v":1,"questions":[{"alphagram":"IQ","answers":["QI"]}]}"#
        );
    }

    #[test]
    fn a_bare_array_is_a_version_0_draw() {
        let old = r#"[{"alphagram":"IQ","answers":["QI"]}]"#;
        assert_eq!(decode::<Draw>(old).unwrap(), draw());
    }

    #[test]
    fn a_version_0_draw_must_be_an_array() {
        let err = decode::<Draw>(r#"{"alphagram":"IQ"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "this stored challenge draw (version 0) is not in the shape of its version: \
             expected an array of questions, found an object"
        );
    }

    #[test]
    fn versions_must_be_whole_numbers() {
        for v in ["-1", "1.5", "\"1\"", "null"] {
            let err = decode::<Draw>(&format!(r#"{{"v":{v},"questions":[]}}"#)).unwrap_err();
            assert!(
                matches!(err, DocumentError::BadVersion { .. }),
                "{v}: {err}"
            );
        }
        let huge = decode::<Draw>(r#"{"v":18446744073709551615,"questions":[]}"#).unwrap_err();
        assert!(matches!(huge, DocumentError::TooNew { .. }), "{huge}");
    }

    #[test]
    fn a_missing_step_is_reported_as_a_bug() {
        let err = <Round as Document>::upgrade(1, Value::Null).unwrap_err();
        assert_eq!(
            err.to_string(),
            "tilebag cannot upgrade a round from version 1; this is a bug in tilebag"
        );
    }
}
