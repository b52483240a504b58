//! Stage 7 of the pipeline: the report data model.
//!
//! Every front end (terminal, JSON, HTML, server) renders a [`Report`];
//! none of them computes anything. All spans are `[start, end)` Unicode
//! character offsets into the texts as given (for HTML input: into the
//! extracted main text, see [`crate::Document::html_anchors`]).

use serde::{Deserialize, Serialize};

pub use crate::align::PassageKind;

/// A `[start, end)` range of character offsets, serialised as `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CharSpan(pub usize, pub usize);

impl CharSpan {
    /// Start offset.
    pub fn start(&self) -> usize {
        self.0
    }
    /// End offset (exclusive).
    pub fn end(&self) -> usize {
        self.1
    }
    /// Number of characters.
    pub fn len(&self) -> usize {
        self.1.saturating_sub(self.0)
    }
    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What was checked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueryInfo {
    /// The suspect's id (the path as given, or a caller's id).
    pub id: String,
    /// Its length in characters.
    pub chars: usize,
}

/// The result of checking one suspect against its sources.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// The suspect.
    pub query: QueryInfo,
    /// One entry per source, highest score first.
    pub sources: Vec<SourceReport>,
}

/// What one source contributed to the suspect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceReport {
    /// The source's id.
    pub id: String,
    /// Similarity-weighted share of the suspect taken from this source, in
    /// `[0, 1]`: the sum over passages of `similarity x suspect characters`
    /// divided by the suspect's length.
    pub score: f32,
    /// Fraction of the suspect's characters inside passages.
    pub query_coverage: f32,
    /// Fraction of the source's characters inside passages.
    pub source_coverage: f32,
    /// Length of the source in characters.
    #[serde(default)]
    pub chars: usize,
    /// Reused regions, in suspect order.
    pub passages: Vec<Passage>,
    /// What the rewrite changed (quotations, attributions, numbers, names,
    /// dropped and added content).
    pub findings: Vec<Finding>,
}

/// A maximal reused region.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Passage {
    /// Span in the suspect.
    pub query: CharSpan,
    /// Span in the source.
    pub source: CharSpan,
    /// Mean similarity of its links, in `[0, 1]`.
    pub similarity: f32,
    /// How it was reused.
    pub kind: PassageKind,
    /// Sentence-level correspondences inside the passage.
    pub links: Vec<Link>,
}

/// A suspect sentence (or two, where one was split or merged) with the
/// source sentence(s) it was rewritten from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    /// Span in the suspect.
    pub query: CharSpan,
    /// Span in the source.
    pub source: CharSpan,
    /// Similarity in `[0, 1]`.
    pub similarity: f32,
}

/// A typed observation about what the rewrite changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    /// The kind of change, e.g. `quote_altered`, `number_changed`.
    pub kind: String,
    /// Span in the source, when the finding has one.
    pub source: Option<CharSpan>,
    /// Span in the suspect, when the finding has one.
    pub query: Option<CharSpan>,
    /// One human-readable line quoting both sides.
    pub detail: String,
}

impl Report {
    /// An empty report for a suspect.
    pub fn empty(id: impl Into<String>, chars: usize) -> Self {
        Report {
            query: QueryInfo {
                id: id.into(),
                chars,
            },
            sources: Vec::new(),
        }
    }
}
