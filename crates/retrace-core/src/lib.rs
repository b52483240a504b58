//! # retrace-core: the retrace engine without models or storage
//!
//! retrace aligns a text under suspicion with its candidate sources and
//! reports which passages were taken from where — copied, lightly edited,
//! or fully reworded by a person or an LLM — with character offsets on both
//! sides.
//!
//! ## The pipeline
//! Each stage lives in one module:
//!
//! | stage | module | in → out |
//! |---|---|---|
//! | ingest | [`ingest`] | bytes (text, Markdown, HTML) → [`Document`] |
//! | normalise / segment | [`text`] | text → sentences, tokens ([`text::Analysis`]) |
//! | features | [`features`] | analyses → sentence similarity ([`features::PairSimilarity`]) |
//! | alignment | [`align`] | similarity → passages and links ([`align::AlignedPassage`]) |
//! | evidence | [`evidence`] | passages → findings (quotes, attributions, numbers, names, dropped/added content) |
//! | verdict | [`verdict`] | alignment evidence → `derived` / `related` with a calibrated confidence |
//! | report | [`report`] | passages → [`Report`] (what every front end renders) |
//!
//! [`Comparer`] runs the whole pipeline. Sentence models (crate
//! `retrace-embed`) plug in through [`features::SentenceEmbedder`]; the
//! corpus index is crate `retrace-index`; the facade crate `retrace`
//! re-exports all of them. This crate's normal dependencies hold no model
//! runtime and no search engine.
//!
//! ## Example
//! ```
//! use retrace_core::{Comparer, Document};
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
//! let best = &report.sources[0];
//! assert_eq!(best.id, "source.txt");
//! assert!(best.query_coverage > 0.8);
//! let p = &best.passages[0];
//! println!("suspect {:?} <- source {:?} ({})", p.query, p.source, p.kind.as_str());
//! ```
#![deny(missing_docs)]

pub mod align;
pub mod cancel;
mod compare;
pub mod error;
pub mod evidence;
pub mod features;
pub mod ingest;
pub mod options;
pub mod report;
pub mod text;
pub mod tuning;
pub mod verdict;

pub use cancel::Cancel;
pub use compare::{Comparer, Prepared};
pub use error::{Error, Result};
pub use ingest::{Document, Format};
pub use options::{Options, OptionsBuilder};
pub use report::{
    CharSpan, Finding, FindingKind, Link, Passage, PassageKind, Report, SourceReport, Verdict,
};
