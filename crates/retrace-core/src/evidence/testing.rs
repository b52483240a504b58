//! Hand-built inputs for the unit tests of the detectors: two texts, their
//! analyses and similarity, and links between their sentences.

use std::ops::Range;

use super::Side;
use crate::align::{AlignedLink, AlignedPassage, PassageKind};
use crate::features::{sentence_terms, PairSimilarity, SimilarityWeights, Vocab};
use crate::report::Finding;
use crate::text::{Analysis, Span};

/// A suspect and a source text, analysed, with their (lexical) sentence
/// similarity.
pub(super) struct Pair {
    pub(super) q_text: String,
    pub(super) s_text: String,
    pub(super) qa: Analysis,
    pub(super) sa: Analysis,
    pub(super) sim: PairSimilarity,
}

impl Pair {
    /// Analyses suspect `q` and source `s`.
    pub(super) fn new(q: &str, s: &str) -> Self {
        let (qa, sa) = (Analysis::new(q), Analysis::new(s));
        let mut vocab = Vocab::default();
        let qt = sentence_terms(&qa, &mut vocab);
        let st = sentence_terms(&sa, &mut vocab);
        let sim = PairSimilarity::new(&qt, &st, SimilarityWeights::default());
        Pair {
            q_text: q.to_string(),
            s_text: s.to_string(),
            qa,
            sa,
            sim,
        }
    }

    /// The suspect side.
    pub(super) fn q(&self) -> Side<'_> {
        Side::new(&self.q_text, &self.qa)
    }

    /// The source side.
    pub(super) fn s(&self) -> Side<'_> {
        Side::new(&self.s_text, &self.sa)
    }

    /// A link between suspect sentences `q` and source sentences `s`, with
    /// their byte spans.
    pub(super) fn link(&self, q: Range<usize>, s: Range<usize>, similarity: f32) -> AlignedLink {
        AlignedLink {
            query_span: run_span(&self.qa, q.clone()),
            source_span: run_span(&self.sa, s.clone()),
            query: q,
            source: s,
            similarity,
        }
    }

    /// Suspect sentence `i` linked with source sentence `i`, for every `i`
    /// both texts have, at `similarity`.
    pub(super) fn diagonal(&self, similarity: f32) -> Vec<AlignedLink> {
        let n = self.qa.sentences.len().min(self.sa.sentences.len());
        (0..n)
            .map(|i| self.link(i..i + 1, i..i + 1, similarity))
            .collect()
    }

    /// The findings of the whole evidence stage on one passage of `links`.
    pub(super) fn findings(&self, links: Vec<AlignedLink>) -> Vec<Finding> {
        let passage = passage(links);
        super::findings(&self.q(), &self.s(), &[passage], &self.sim)
    }

    /// The suspect text of a finding's suspect span (characters).
    pub(super) fn q_at(&self, f: &Finding) -> String {
        f.query
            .map_or(String::new(), |c| chars(&self.q_text, c.0, c.1))
    }

    /// The source text of a finding's source span (characters).
    pub(super) fn s_at(&self, f: &Finding) -> String {
        f.source
            .map_or(String::new(), |c| chars(&self.s_text, c.0, c.1))
    }
}

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// The byte span of sentences `r` of `a`.
fn run_span(a: &Analysis, r: Range<usize>) -> Span {
    let first = a.sentences[r.start].span;
    let last = a.sentences[r.end - 1].span;
    Span::new(first.start, last.end)
}

/// One passage made of `links`, spanning what they cover.
pub(super) fn passage(links: Vec<AlignedLink>) -> AlignedPassage {
    let query_span = links
        .iter()
        .map(|l| l.query_span)
        .reduce(|a, b| a.cover(&b))
        .unwrap_or(Span::new(0, 0));
    let source_span = links
        .iter()
        .map(|l| l.source_span)
        .reduce(|a, b| a.cover(&b))
        .unwrap_or(Span::new(0, 0));
    AlignedPassage {
        query_span,
        source_span,
        similarity: 0.5,
        kind: PassageKind::Paraphrase,
        links,
    }
}

/// A detector over linked sentences (quotations, attributions, names).
pub(super) type LinkDetector = fn(&Side, &Side, &[&AlignedLink], &mut Vec<Finding>);

/// `detector`'s findings of `q` against `s`, sentence `i` linked with
/// sentence `i` at `similarity`.
pub(super) fn diagonal_findings(
    q: &str,
    s: &str,
    similarity: f32,
    detector: LinkDetector,
) -> (Pair, Vec<Finding>) {
    let p = Pair::new(q, s);
    let links = p.diagonal(similarity);
    let links: Vec<&AlignedLink> = links.iter().collect();
    let mut out = Vec::new();
    detector(&p.q(), &p.s(), &links, &mut out);
    (p, out)
}
