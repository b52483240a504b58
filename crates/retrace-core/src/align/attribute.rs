//! Attribution across sources: one suspect region, one source.
//!
//! When several candidate sources contain the same text (a paragraph quoted
//! by two articles, boilerplate shared by a site's pages), each of them
//! aligns with the same suspect region. The region is credited to the source
//! it matches clearly best; a source that matches it about as well (within
//! [`AlignConfig::attribution_margin`], e.g. a duplicate) keeps it too.

use super::{AlignConfig, AlignedPassage};
use crate::text::Span;
use crate::tuning::attribute::CONTEXT_RATIO;

/// The similarity of `p` on the suspect region `region`: its links'
/// similarities weighted by their overlap with the region, over the whole
/// region (a stretch its links leave out counts 0); the passage's own
/// similarity when it has no link there (e.g. a passage without links).
fn region_similarity(p: &AlignedPassage, region: Span) -> f32 {
    let (mut w, mut sum) = (0usize, 0f32);
    for l in &p.links {
        let o = l.query_span.overlap(&region);
        w += o;
        sum += o as f32 * l.similarity;
    }
    if w == 0 {
        p.similarity
    } else {
        sum / region.len().max(w) as f32
    }
}

/// Removes, from each source's passages, those whose suspect side another
/// source covers (at least [`AlignConfig::attribution_overlap`] of it) with
/// a passage more similar by more than [`AlignConfig::attribution_margin`]:
/// *on the shared region* (each side's links there, weighted by how much of
/// the region they cover: a passage's mean over a longer stretch is no
/// measure of how well it matches part of it), or, for a passage at least
/// twice as long on the suspect side (the region read in its context), by
/// its mean similarity.
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
                        r.query_span.overlap(&p.query_span) as f32 > need && {
                            let shared = Span::new(
                                r.query_span.start.max(p.query_span.start),
                                r.query_span.end.min(p.query_span.end),
                            );
                            let local = region_similarity(r, shared)
                                > region_similarity(p, shared) + cfg.attribution_margin;
                            let in_context = r.query_span.len()
                                >= CONTEXT_RATIO * p.query_span.len()
                                && r.similarity > p.similarity + cfg.attribution_margin;
                            local || in_context
                        }
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
    use crate::align::{AlignedLink, PassageKind};

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

    fn linked(q: (usize, usize), sims: &[f32]) -> AlignedPassage {
        let step = (q.1 - q.0) / sims.len();
        let links = sims
            .iter()
            .enumerate()
            .map(|(k, &s)| AlignedLink {
                query: k..k + 1,
                source: k..k + 1,
                query_span: Span::new(q.0 + k * step, q.0 + (k + 1) * step),
                source_span: Span::new(k * 10, k * 10 + 10),
                similarity: s,
            })
            .collect();
        let mut p = p(q, sims.iter().sum::<f32>() / sims.len() as f32);
        p.links = links;
        p
    }

    #[test]
    fn compared_on_the_shared_region_not_on_whole_passages() {
        let cfg = AlignConfig::default();
        // source 0 covers the whole suspect (strong in its first half, weaker
        // in the second); source 1 covers only the first half, a little
        // weaker there than source 0 but with a higher passage mean
        let mut v = vec![
            vec![linked((0, 400), &[0.9, 0.9, 0.6, 0.6])],
            vec![linked((0, 220), &[0.8, 0.8])],
        ];
        attribute(&mut v, &cfg);
        assert_eq!(v[0].len(), 1, "the whole-suspect source keeps its passage");
        assert_eq!(v[1].len(), 0, "the half-match is beaten on its own region");
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
