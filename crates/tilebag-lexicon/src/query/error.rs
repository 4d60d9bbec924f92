/// A malformed query: what was wrong, in which piece of input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}`: {message}")]
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
