//! Reading and writing the JSON documents stored in the database.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ServiceError;

/// Reads a stored document of `kind`.
pub fn read<T: DeserializeOwned>(kind: &str, text: &str) -> Result<T, ServiceError> {
    serde_json::from_str(text)
        .map_err(|e| ServiceError::Document(format!("the stored {kind} cannot be read: {e}")))
}

/// Writes a document to store.
pub fn write<T: Serialize>(value: &T) -> Result<String, ServiceError> {
    serde_json::to_string(value)
        .map_err(|e| ServiceError::Document(format!("a document cannot be written: {e}")))
}
