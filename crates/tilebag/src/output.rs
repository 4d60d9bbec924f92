//! Printing: the JSON shapes are the server's views, so the CLI and the API answer alike.

pub use tilebag_server::views::*;

/// Prints a value as one line of JSON.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(value)?);
    Ok(())
}
