//! # retrace: find where a text came from
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
//! | index | [`index`] | documents → a persistent index; suspect → candidate sources → [`Report`] |
//! | alignment | [`align`] | similarity → passages and links ([`align::AlignedPassage`]) |
//! | evidence | [`evidence`] | passages → findings (quotes, attributions, numbers, names, dropped/added content) |
//! | report | [`report`] | passages → [`Report`] (what every front end renders) |
//!
//! [`Comparer`] runs the whole pipeline.
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
//! let best = &report.sources[0];
//! assert_eq!(best.id, "source.txt");
//! assert!(best.query_coverage > 0.8);
//! let p = &best.passages[0];
//! println!("suspect {:?} <- source {:?} ({})", p.query, p.source, p.kind.as_str());
//! ```
#![deny(missing_docs)]

pub mod align;
mod compare;
pub mod embed;
pub mod error;
pub mod eval;
pub mod evidence;
pub mod features;
pub mod index;
pub mod ingest;
pub mod report;
pub mod text;

pub use compare::{Comparer, Prepared};
pub use error::{Error, Result};
pub use ingest::{Document, Format};
pub use report::{CharSpan, Finding, Link, Passage, PassageKind, Report, SourceReport};
