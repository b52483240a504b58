//! Hand-built inputs for the unit tests of the alignment phases.

use std::ops::Range;

use super::{AlignedLink, AlignedPassage, PassageKind};
use crate::features::{sentence_terms, PairSimilarity, SimilarityWeights, Vocab};
use crate::text::{Analysis, Span};

/// The analyses of a suspect and a source text and their similarity
/// (lexical only, default weights).
pub(crate) fn pair(q: &str, s: &str) -> (Analysis, Analysis, PairSimilarity) {
    let (qa, sa) = (Analysis::new(q), Analysis::new(s));
    let mut vocab = Vocab::default();
    let qt = sentence_terms(&qa, &mut vocab);
    let st = sentence_terms(&sa, &mut vocab);
    let sim = PairSimilarity::new(&qt, &st, SimilarityWeights::default());
    (qa, sa, sim)
}

/// A link between byte spans `q` and `s` (sentences `0..1` on both sides,
/// similarity 0.5).
pub(crate) fn link(q: (usize, usize), s: (usize, usize)) -> AlignedLink {
    AlignedLink {
        query: 0..1,
        source: 0..1,
        query_span: Span::new(q.0, q.1),
        source_span: Span::new(s.0, s.1),
        similarity: 0.5,
    }
}

/// A link between sentence runs `q` and `s` of two analyses, with their
/// byte spans.
pub(crate) fn sentence_link(
    qa: &Analysis,
    sa: &Analysis,
    q: Range<usize>,
    s: Range<usize>,
    similarity: f32,
) -> AlignedLink {
    AlignedLink {
        query_span: super::spans::run_span(qa, q.clone()),
        source_span: super::spans::run_span(sa, s.clone()),
        query: q,
        source: s,
        similarity,
    }
}

/// A passage made of `links`, spanning what they cover.
pub(crate) fn passage(
    links: Vec<AlignedLink>,
    similarity: f32,
    kind: PassageKind,
) -> AlignedPassage {
    let (query_span, source_span) = super::spans::cover(&links);
    AlignedPassage {
        query_span,
        source_span,
        similarity,
        kind,
        links,
    }
}
