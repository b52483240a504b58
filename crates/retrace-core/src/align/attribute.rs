//! Attribution across sources: one suspect region, one source.
//!
//! When several candidate sources contain the same text (a paragraph quoted
//! by two articles, boilerplate shared by a site's pages), each of them
//! aligns with the same suspect region. The region is credited to the source
//! it matches clearly best; a source that matches it about as well (within
//! [`AlignConfig::attribution_margin`], e.g. a duplicate) keeps it too.

use super::{AlignConfig, AlignedPassage};

/// Removes, from each source's passages, those whose suspect side another
/// source covers (at least [`AlignConfig::attribution_overlap`] of it) with
/// a passage more similar by more than [`AlignConfig::attribution_margin`].
/// `per_source[k]` holds the passages of source `k`; all spans on the suspect
/// side refer to the same suspect text. Does nothing unless
/// [`AlignConfig::attribute`] is set.
pub fn attribute(per_source: &mut [Vec<AlignedPassage>], cfg: &AlignConfig) {
    if !cfg.attribute || per_source.len() < 2 {
        return;
    }
    // (source, passage index) of every passage, decided on the original sets
    let mut beaten: Vec<Vec<bool>> = per_source.iter().map(|v| vec![false; v.len()]).collect();
    for (a, pa) in per_source.iter().enumerate() {
        for (i, p) in pa.iter().enumerate() {
            let need = cfg.attribution_overlap * p.query_span.len() as f32;
            beaten[a][i] = per_source.iter().enumerate().any(|(b, pb)| {
                b != a
                    && pb.iter().any(|r| {
                        r.similarity > p.similarity + cfg.attribution_margin
                            && r.query_span.overlap(&p.query_span) as f32 > need
                    })
            });
        }
    }
    for (v, lost) in per_source.iter_mut().zip(beaten) {
        let mut k = 0;
        v.retain(|_| {
            k += 1;
            !lost[k - 1]
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::PassageKind;
    use crate::text::Span;

    fn p(q: (usize, usize), sim: f32) -> AlignedPassage {
        AlignedPassage {
            query_span: Span::new(q.0, q.1),
            source_span: Span::new(0, 10),
            similarity: sim,
            kind: PassageKind::Paraphrase,
            links: Vec::new(),
        }
    }

    #[test]
    fn weaker_overlapping_passage_goes() {
        let cfg = AlignConfig::default();
        let mut v = vec![
            vec![p((0, 100), 0.9), p((300, 400), 0.5)],
            vec![p((10, 100), 0.6), p((300, 400), 0.8)],
        ];
        attribute(&mut v, &cfg);
        assert_eq!(v[0].len(), 1);
        assert_eq!(v[0][0].query_span.start, 0);
        assert_eq!(v[1].len(), 1);
        assert_eq!(v[1][0].query_span.start, 300);
    }

    #[test]
    fn near_ties_and_small_overlaps_stay() {
        let cfg = AlignConfig::default();
        // a duplicate source: both keep the passage
        let mut v = vec![vec![p((0, 100), 0.8)], vec![p((0, 100), 0.8)]];
        attribute(&mut v, &cfg);
        assert_eq!((v[0].len(), v[1].len()), (1, 1));
        // a neighbouring passage that only touches this one
        let mut v = vec![vec![p((0, 100), 0.5)], vec![p((90, 300), 0.9)]];
        attribute(&mut v, &cfg);
        assert_eq!((v[0].len(), v[1].len()), (1, 1));
        // switched off
        let off = AlignConfig {
            attribute: false,
            ..AlignConfig::default()
        };
        let mut v = vec![vec![p((0, 100), 0.5)], vec![p((0, 100), 0.9)]];
        attribute(&mut v, &off);
        assert_eq!((v[0].len(), v[1].len()), (1, 1));
    }
}
