//! Reading and writing the versioned documents stored in the database (see
//! [`tilebag_study::document`]): older versions are upgraded on read, a newer one is refused
//! with a message that says so.

use tilebag_study::document::{Document, decode, encode};

use super::ServiceError;

/// Reads a stored document.
pub fn read<T: Document>(text: &str) -> Result<T, ServiceError> {
    decode(text).map_err(|e| ServiceError::Document(e.to_string()))
}

/// Writes a document to store.
pub fn write<T: Document>(value: &T) -> String {
    encode(value)
}
