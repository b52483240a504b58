//! # retrace: find where a text came from
//!
//! retrace aligns a text under suspicion with its candidate sources and
//! reports which passages were taken from where — copied, lightly edited,
//! or fully reworded by a person or an LLM — with character offsets on both
//! sides.
//!
//! This crate is the facade: it re-exports the engine's crates under one
//! name, so `use retrace::{Comparer, Document}` is all most callers need.
//!
//! ## The pipeline, crate by crate
//!
//! | stage | module here | crate | in → out |
//! |---|---|---|---|
//! | ingest | [`ingest`] | `retrace-core` | bytes (text, Markdown, HTML, JSON Lines, directories) → [`Document`] |
//! | normalise / segment | [`text`] | `retrace-core` | text → sentences, tokens ([`text::Analysis`]) |
//! | features | [`features`] | `retrace-core` | analyses → sentence similarity ([`features::PairSimilarity`]) |
//! | models | [`embed`] | `retrace-embed` | sentences → vectors (the built-in static model, transformers) |
//! | index / retrieval | [`index`] | `retrace-index` | documents → a persistent index; suspect → candidate sources → [`Report`] |
//! | alignment | [`align`] | `retrace-core` | similarity → passages and links ([`align::AlignedPassage`]) |
//! | evidence | [`evidence`] | `retrace-core` | passages → findings (quotes, attributions, numbers, names, dropped/added content) |
//! | report | [`report`] | `retrace-core` | passages → [`Report`] (what every front end renders) |
//! | evaluation | [`eval`] | `retrace-eval` | PAN plagdet, STS statistics |
//!
//! [`Comparer`] runs the whole pipeline for a suspect and its sources.
//!
//! ## Example
//! ```
//! use retrace::{Comparer, Document};
//!
//! let source = Document::from_text(
//!     "source.txt",
//!     "The city council approved a new budget on Monday after a long debate. \
//!      It raises spending on schools by 12 percent and cuts the parks budget. \
//!      Critics said the plan ignores the poor state of the roads.",
//! );
//! let suspect = Document::from_text(
//!     "rewrite.txt",
//!     "After a lengthy debate, the city council passed a new budget on Monday. \
//!      Under it, school spending goes up 12 percent while the parks budget is cut. \
//!      The roads, critics said, are ignored by the plan.",
//! );
//! let report = Comparer::new().compare(&suspect, &[source]);
//! assert_eq!(report.sources[0].id, "source.txt");
//! ```
#![deny(missing_docs)]

/// The engine's own errors (input, model, format), without the index's.
pub use retrace_core::Error as EngineError;
/// Results with an [`EngineError`].
pub use retrace_core::Result as EngineResult;
pub use retrace_core::{align, error, evidence, features, ingest, report, text, verdict};
pub use retrace_core::{
    Cancel, CharSpan, Comparer, Document, Finding, FindingKind, Format, Link, Passage,
};
pub use retrace_core::{
    Options, OptionsBuilder, PassageKind, Prepared, Report, SourceReport, Verdict,
};
/// Everything that can go wrong: an engine error ([`Error::Engine`]) or an
/// unusable index directory ([`Error::Index`]). Every engine error converts
/// into it with `?`.
pub use retrace_index::{Error, Result};

/// Sentence models (crate `retrace-embed`).
pub use retrace_embed as embed;
/// Evaluation harnesses (crate `retrace-eval`).
pub use retrace_eval as eval;
/// The corpus index (crate `retrace-index`).
pub use retrace_index as index;
