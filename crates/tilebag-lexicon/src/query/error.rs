/// A malformed query: what was wrong, in which piece of input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", quoted(input))]
pub struct QueryError {
    /// The piece of the query that is wrong, as written.
    pub input: String,
    /// What is wrong with it and how to fix it.
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(input: &str, message: impl Into<String>) -> QueryError {
        QueryError {
            input: input.to_owned(),
            message: message.into(),
        }
    }
}

/// The input in quotes before the message, or nothing when there was no input.
fn quoted(input: &str) -> String {
    if input.is_empty() {
        String::new()
    } else {
        format!("“{input}”: ")
    }
}
