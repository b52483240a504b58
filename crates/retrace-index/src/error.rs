//! The index's error type: an engine error, or an index directory that
//! cannot be used as asked.

use std::path::PathBuf;

/// What is wrong with an index directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexErrorKind {
    /// There is no index at the path.
    NotFound,
    /// The directory holds something else than a retrace index.
    Foreign,
    /// The index is damaged (unreadable manifest, tantivy data or side file).
    Corrupt,
    /// The index was written in a format version this build does not read.
    UnknownVersion,
    /// The index was built with another sentence model.
    ModelMismatch,
    /// Another process is writing to the index.
    Locked,
    /// An I/O or storage error while using the index.
    Io,
}

/// Everything that can go wrong in the index: what the engine reports
/// ([`retrace_core::Error`]: unreadable or binary input, a model, malformed
/// input) and what is wrong with the index directory itself.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error of the engine (input, model, format).
    #[error(transparent)]
    Engine(#[from] retrace_core::Error),
    /// An index directory that cannot be used as asked (missing, foreign,
    /// corrupt, another format version or model, locked by a writer).
    #[error("index {}: {detail}", dir.display())]
    Index {
        /// The index directory.
        dir: PathBuf,
        /// What went wrong, for callers that act on it.
        kind: IndexErrorKind,
        /// One line for the user.
        detail: String,
    },
}

/// Shorthand for results with the index's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
