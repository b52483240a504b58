//! The engine's error type.

use std::path::PathBuf;

/// Everything that can go wrong in the engine. Every variant carries enough
/// context to print one clear line for the user.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path as given.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// Input that is not text (NUL bytes, a known binary format, or mostly
    /// control characters).
    #[error("{id}: looks like binary data ({why}), not text; retrace reads plain text, Markdown and HTML")]
    Binary {
        /// The document id (usually the path).
        id: String,
        /// What gave it away.
        why: String,
    },
    /// Input larger than the configured limit.
    #[error("{id}: input is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The document id.
        id: String,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A model directory or file is missing or malformed.
    #[error("model: {0}")]
    Model(String),
    /// Malformed structured input (JSON, XML, corpus layout).
    #[error("{0}")]
    Format(String),
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
