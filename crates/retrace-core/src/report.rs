//! Stage 7 of the pipeline: the report data model.
//!
//! Every front end (terminal, JSON, HTML, server) renders a [`Report`];
//! none of them computes anything. All spans are `[start, end)` Unicode
//! character offsets into the texts as given (for HTML input: into the
//! extracted main text, see [`crate::Document::html_anchors`]).

use serde::{Deserialize, Serialize};

pub use crate::verdict::Verdict;

/// How a passage was reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "kebab-case")]
pub enum PassageKind {
    /// The same words in the same order (case, punctuation and spacing aside).
    Verbatim,
    /// Mostly the same wording with light edits.
    NearVerbatim,
    /// The same content in substantially different words.
    Paraphrase,
    /// A much shorter rendering of a longer source stretch.
    Summary,
}

impl PassageKind {
    /// The name used in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            PassageKind::Verbatim => "verbatim",
            PassageKind::NearVerbatim => "near-verbatim",
            PassageKind::Paraphrase => "paraphrase",
            PassageKind::Summary => "summary",
        }
    }
}

/// What a finding says the rewrite changed. Serialised as the snake_case
/// names reports have always used (`"quote_altered"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// A quotation reworded.
    QuoteAltered,
    /// A quotation turned into reported speech.
    QuoteUnquoted,
    /// A named source of information dropped.
    AttributionRemoved,
    /// A number, amount, percentage or date changed.
    NumberChanged,
    /// A name replaced by another.
    NameChanged,
    /// Source content with no counterpart.
    ContentDropped,
    /// Suspect content with no counterpart.
    ContentAdded,
}

impl FindingKind {
    /// Every kind, in report order.
    pub const ALL: [FindingKind; 7] = [
        FindingKind::QuoteAltered,
        FindingKind::QuoteUnquoted,
        FindingKind::AttributionRemoved,
        FindingKind::NumberChanged,
        FindingKind::NameChanged,
        FindingKind::ContentDropped,
        FindingKind::ContentAdded,
    ];

    /// The name used in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            FindingKind::QuoteAltered => "quote_altered",
            FindingKind::QuoteUnquoted => "quote_unquoted",
            FindingKind::AttributionRemoved => "attribution_removed",
            FindingKind::NumberChanged => "number_changed",
            FindingKind::NameChanged => "name_changed",
            FindingKind::ContentDropped => "content_dropped",
            FindingKind::ContentAdded => "content_added",
        }
    }

    /// The kind named `name` in reports, if any.
    pub fn parse(name: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for FindingKind {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for FindingKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for FindingKind {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl std::fmt::Display for PassageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// "3 quotations altered, attribution removed": what the findings say, in
/// report order.
fn changes_phrase(findings: &[Finding]) -> String {
    let mut parts = Vec::new();
    for k in FindingKind::ALL {
        let n = findings.iter().filter(|f| f.kind == k).count();
        if n == 0 {
            continue;
        }
        let (one, many) = match k {
            FindingKind::QuoteAltered => ("1 quotation altered", "quotations altered"),
            FindingKind::QuoteUnquoted => ("1 quotation unquoted", "quotations unquoted"),
            FindingKind::AttributionRemoved => ("attribution removed", "attributions removed"),
            FindingKind::NumberChanged => ("1 number changed", "numbers changed"),
            FindingKind::NameChanged => ("1 name changed", "names changed"),
            FindingKind::ContentDropped => ("content dropped", "passages dropped"),
            FindingKind::ContentAdded => ("content added", "passages added"),
        };
        parts.push(if n == 1 {
            one.to_string()
        } else {
            format!("{n} {many}")
        });
    }
    parts.join(", ")
}

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
    /// `derived` when any source is, else `related`.
    #[serde(default)]
    pub verdict: Verdict,
    /// The verdict model's version.
    #[serde(default)]
    pub verdict_model: String,
    /// One sentence a reader can act on ([`Report::headline`]).
    #[serde(default)]
    pub headline: String,
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
    /// `derived`: the suspect, or a part of it, was written from this
    /// source; `related`: shared topic, facts or names without evidence of
    /// derivation (see [`crate::verdict`]).
    #[serde(default)]
    pub verdict: Verdict,
    /// The probability, in `[0, 1]`, that the suspect or a part of it was
    /// written from this source.
    #[serde(default)]
    pub confidence: f32,
    /// The verdict model's inputs for this pair ([`crate::verdict::FEATURES`]);
    /// not serialised.
    #[serde(skip)]
    pub verdict_features: Vec<f32>,
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
    /// The kind of change (`quote_altered`, `number_changed`, ...).
    pub kind: FindingKind,
    /// Span in the source, when the finding has one.
    pub source: Option<CharSpan>,
    /// Span in the suspect, when the finding has one.
    pub query: Option<CharSpan>,
    /// One human-readable line quoting both sides.
    pub detail: String,
}

impl Report {
    /// One sentence a reader can act on, e.g. "Derived from X (confidence
    /// 0.97): 94% of the text; 3 quotations altered, attribution removed."
    /// or "No source found. Closest: X, same topic, not derived (confidence
    /// 0.04)."
    pub fn headline(&self) -> String {
        let derived: Vec<&SourceReport> = self
            .sources
            .iter()
            .filter(|s| s.verdict == Verdict::Derived)
            .collect();
        if let Some(best) = derived.first() {
            let mut line = format!(
                "Derived from {} (confidence {:.2}): {:.0}% of the text",
                best.id,
                best.confidence,
                best.query_coverage * 100.0
            );
            if derived.len() > 1 {
                line.push_str(&format!(" ({} more derived sources)", derived.len() - 1));
            }
            let changes = changes_phrase(&best.findings);
            if !changes.is_empty() {
                line.push_str("; ");
                line.push_str(&changes);
            }
            line.push('.');
            line
        } else if let Some(c) = self
            .sources
            .iter()
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
        {
            format!(
                "No source found. Closest: {}, same topic, not derived (confidence {:.2}).",
                c.id, c.confidence
            )
        } else {
            "No source found.".to_string()
        }
    }

    /// Sets the top-level verdict from the sources' (`derived` when any is)
    /// and the [`Report::headline`] sentence; call it after changing
    /// `sources`.
    pub fn update_verdict(&mut self) {
        self.verdict = if self.sources.iter().any(|s| s.verdict == Verdict::Derived) {
            Verdict::Derived
        } else {
            Verdict::Related
        };
        self.headline = self.headline();
    }

    /// An empty report for a suspect.
    pub fn empty(id: impl Into<String>, chars: usize) -> Self {
        Report {
            query: QueryInfo {
                id: id.into(),
                chars,
            },
            verdict: Verdict::Related,
            verdict_model: crate::verdict::VerdictModel::builtin().version.clone(),
            headline: "No source found.".to_string(),
            sources: Vec::new(),
        }
    }
}
