//! Span arithmetic shared by the phases of alignment.
//!
//! In: sentence indices, token indices, byte [`Span`]s and links. Out: the
//! byte span of a sentence run, the gap between two spans, the spans a set
//! of links covers, and the sentence holding a token. No phase of its own.

use std::ops::Range;

use super::AlignedLink;
use crate::text::{Analysis, Span};

/// Byte span of the sentences `r` (from the first one's start to the last
/// one's end).
pub(super) fn run_span(a: &Analysis, r: Range<usize>) -> Span {
    a.sentences[r.start]
        .span
        .cover(&a.sentences[r.end - 1].span)
}

/// Bytes between two spans (0 when they touch or overlap).
pub(super) fn span_distance(a: Span, b: Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// The suspect and source spans covering all `links` (at least one).
pub(super) fn cover(links: &[AlignedLink]) -> (Span, Span) {
    let mut q = links[0].query_span;
    let mut s = links[0].source_span;
    for l in &links[1..] {
        q = q.cover(&l.query_span);
        s = s.cover(&l.source_span);
    }
    (q, s)
}

/// Index of the sentence holding token `t` (the last sentence for a token
/// past the end).
pub(super) fn sentence_of_token(a: &Analysis, t: usize) -> usize {
    a.sentences
        .partition_point(|x| x.tokens.end <= t)
        .min(a.sentences.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::link;

    #[test]
    fn run_span_runs_from_first_sentence_start_to_last_sentence_end() {
        let text = "One two three. Four five six. Seven eight.";
        let a = Analysis::new(text);
        let sp = run_span(&a, 1..3);
        assert_eq!(&text[sp.start..sp.end], "Four five six. Seven eight.");
        let sp = run_span(&a, 0..1);
        assert_eq!(&text[sp.start..sp.end], "One two three.");
    }

    #[test]
    fn span_distance_is_the_gap_either_way_and_zero_on_overlap() {
        let (a, b) = (Span::new(0, 10), Span::new(25, 30));
        assert_eq!(span_distance(a, b), 15);
        assert_eq!(span_distance(b, a), 15);
        assert_eq!(span_distance(a, Span::new(10, 12)), 0);
        assert_eq!(span_distance(a, Span::new(5, 20)), 0);
    }

    #[test]
    fn cover_spans_all_links_on_both_sides() {
        let links = vec![link((50, 60), (0, 10)), link((10, 20), (300, 320))];
        let (q, s) = cover(&links);
        assert_eq!((q.start, q.end), (10, 60));
        assert_eq!((s.start, s.end), (0, 320));
    }

    #[test]
    fn sentence_of_token_finds_the_holding_sentence() {
        // three sentences of 2, 3 and 1 words
        let a = Analysis::new("Alpha beta. Gamma delta epsilon. Zeta.");
        assert_eq!(a.sentences.len(), 3);
        let of: Vec<usize> = (0..6).map(|t| sentence_of_token(&a, t)).collect();
        assert_eq!(of, [0, 0, 1, 1, 1, 2]);
        // past the end: the last sentence
        assert_eq!(sentence_of_token(&a, 99), 2);
    }
}
