//! Stage 5 of the pipeline: align a suspect with one source.
//!
//! In: the two [`Analysis`]es and their [`PairSimilarity`]. Out: the reused
//! [`AlignedPassage`]s, each a maximal region of the suspect with the source
//! region it was taken from, and the sentence-level [`AlignedLink`]s inside.
//!
//! The method, in four steps:
//! 1. **Seeds.** Every suspect sentence is scored against every source
//!    sentence (through an inverted index over weighted terms, plus the
//!    embeddings when a model is present). A pair scoring at least
//!    [`AlignConfig::seed_min`] is a seed.
//! 2. **Support.** A weaker pair (at least [`AlignConfig::support_min`]) is
//!    accepted when a neighbouring suspect sentence is already linked to a
//!    nearby source sentence in a consistent direction: reworded prose keeps
//!    its order locally even where paragraphs move.
//! 3. **Links.** Consecutive suspect sentences drawn from one source
//!    sentence form one link (a split); a suspect sentence that matches two
//!    adjacent source sentences better than either alone takes both (a
//!    merge).
//! 4. **Passages.** Links close to each other on both sides are merged into
//!    passages, tolerating gaps (added or dropped sentences) and local
//!    reordering; an isolated weak link is dropped. Each passage is
//!    classified (verbatim, near-verbatim, paraphrase, summary).

mod classify;

pub use classify::{classify, PassageKind};

use std::ops::Range;

use crate::features::PairSimilarity;
use crate::text::{Analysis, Span};

/// Tuning of the aligner. The defaults are the engine's documented defaults
/// (tuned on the PAN 2013 training corpus and on hand-written rewrites).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlignConfig {
    /// Pairs scoring below this are not considered at all.
    pub candidate_min: f32,
    /// A pair scoring at least this is linked on its own.
    pub seed_min: f32,
    /// A pair scoring at least this is linked when a neighbour supports it.
    pub support_min: f32,
    /// How many suspect sentences away a supporting link may be.
    pub support_window: usize,
    /// How much a merged source run must gain over a single sentence.
    pub merge_gain: f32,
    /// A sentence between two linked neighbours is linked to the source
    /// sentence between theirs when it scores at least this.
    pub bridge_min: f32,
    /// Largest gap (characters) inside a passage on the suspect side.
    pub max_query_gap: usize,
    /// Largest gap (characters) inside a passage on the source side.
    pub max_source_gap: usize,
    /// A passage made of a single link needs at least this similarity.
    pub isolated_min: f32,
    /// Passages shorter than this (suspect characters) are dropped.
    pub min_passage_chars: usize,
    /// A summary sentence needs at least this many distinct content words.
    pub summary_min_terms: usize,
    /// Share of a summary sentence's term weight found in the source window.
    pub summary_containment: f32,
    /// Largest source window (sentences) a summary sentence may stand for.
    pub summary_max_window: usize,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            candidate_min: 0.08,
            seed_min: 0.42,
            support_min: 0.2,
            support_window: 2,
            merge_gain: 0.03,
            bridge_min: 0.1,
            max_query_gap: 700,
            max_source_gap: 900,
            isolated_min: 0.5,
            min_passage_chars: 25,
            summary_min_terms: 8,
            summary_containment: 0.6,
            summary_max_window: 12,
        }
    }
}

/// A fine correspondence: suspect sentence(s) and the source sentence(s)
/// they were rewritten from.
#[derive(Debug, Clone)]
pub struct AlignedLink {
    /// Suspect sentence indices.
    pub query: Range<usize>,
    /// Source sentence indices.
    pub source: Range<usize>,
    /// Byte span in the suspect text.
    pub query_span: Span,
    /// Byte span in the source text.
    pub source_span: Span,
    /// Similarity of the two runs.
    pub similarity: f32,
}

/// A maximal reused region.
#[derive(Debug, Clone)]
pub struct AlignedPassage {
    /// Byte span in the suspect text.
    pub query_span: Span,
    /// Byte span in the source text.
    pub source_span: Span,
    /// Length-weighted mean similarity of its links.
    pub similarity: f32,
    /// How the passage was reused.
    pub kind: PassageKind,
    /// The links inside, in suspect order.
    pub links: Vec<AlignedLink>,
}

/// Aligns a suspect with a source.
pub fn align(
    q: &Analysis,
    s: &Analysis,
    sim: &PairSimilarity,
    cfg: &AlignConfig,
) -> Vec<AlignedPassage> {
    let nq = q.sentences.len();
    let ns = s.sentences.len();
    if nq == 0 || ns == 0 {
        return Vec::new();
    }
    // 1. candidates per suspect sentence, best first
    let mut cands: Vec<Vec<(usize, f32)>> = vec![Vec::new(); nq];
    for (i, j, sc) in sim.candidates(cfg.candidate_min) {
        cands[i].push((j, sc));
    }
    // a suspect sentence that merges two source sentences matches their
    // run better than either one: score candidates on the best run
    for (i, c) in cands.iter_mut().enumerate() {
        for e in c.iter_mut() {
            let j = e.0;
            if j + 1 < ns && s.same_block(j, j + 1) {
                e.1 = e.1.max(sim.score(i..i + 1, j..j + 2) - cfg.merge_gain);
            }
            if j > 0 && s.same_block(j - 1, j) {
                e.1 = e.1.max(sim.score(i..i + 1, j - 1..j + 1) - cfg.merge_gain);
            }
        }
        c.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    let mut chosen: Vec<Option<(usize, f32)>> = vec![None; nq];
    for i in 0..nq {
        if let Some(&(j, sc)) = cands[i].first() {
            if sc >= cfg.seed_min {
                chosen[i] = Some((j, sc));
            }
        }
    }
    // a seed that is far off every neighbour's diagonal while a supported
    // alternative exists is replaced by the alternative (repeated sentences)
    for i in 0..nq {
        if let Some((j, _)) = chosen[i] {
            if !supported(&chosen, i, j, cfg.support_window) {
                if let Some(&(j2, sc2)) = cands[i].iter().skip(1).find(|&&(j2, sc2)| {
                    sc2 >= cfg.seed_min && supported(&chosen, i, j2, cfg.support_window)
                }) {
                    chosen[i] = Some((j2, sc2));
                }
            }
        }
    }
    // 2. support: accept weaker pairs next to accepted ones
    for _ in 0..4 {
        let mut changed = false;
        for i in 0..nq {
            if chosen[i].is_some() {
                continue;
            }
            if let Some(&(j, sc)) = cands[i].iter().find(|&&(j, sc)| {
                sc >= cfg.support_min && supported(&chosen, i, j, cfg.support_window)
            }) {
                chosen[i] = Some((j, sc));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // bridges: a sentence between two linked neighbours whose source
    // sentences leave exactly the room for it takes the sentence between
    for i in 1..nq.saturating_sub(1) {
        if chosen[i].is_some() {
            continue;
        }
        if let (Some((a, _)), Some((b, _))) = (chosen[i - 1], chosen[i + 1]) {
            if b >= a + 2 && b <= a + 3 {
                if let Some(&(j, sc)) = cands[i]
                    .iter()
                    .find(|&&(j, sc)| j > a && j < b && sc >= cfg.bridge_min)
                {
                    chosen[i] = Some((j, sc));
                }
            }
        }
    }
    // summaries: a long suspect sentence whose content words are mostly
    // found in a window of several source sentences stands for that window
    let mut windows: Vec<Option<(Range<usize>, f32)>> = vec![None; nq];
    for i in 0..nq {
        if chosen[i].is_some() || sim.query_terms(i..i + 1) < cfg.summary_min_terms {
            continue;
        }
        let mut starts: Vec<usize> = cands[i].iter().map(|c| c.0).collect();
        starts.sort_unstable();
        let mut best: Option<(Range<usize>, f32)> = None;
        for &a in &starts {
            for b in a + 3..=(a + cfg.summary_max_window).min(ns) {
                let c = sim.containment(i..i + 1, a..b) - 0.01 * (b - a) as f32;
                if best.as_ref().is_none_or(|x| c > x.1) {
                    best = Some((a..b, c));
                }
            }
        }
        if let Some((w, c)) = best {
            let w = trim_window(sim, i, w);
            if c >= cfg.summary_containment
                && w.len() >= 3
                && sim.score(i..i + 1, w.clone()) >= cfg.support_min
            {
                windows[i] = Some((w, c));
            }
        }
    }
    // 3. links: runs of suspect sentences on one source sentence, then merges
    let mut claimed = vec![false; ns];
    for c in chosen.iter().flatten() {
        claimed[c.0] = true;
    }
    let mut links: Vec<AlignedLink> = Vec::new();
    let mut i = 0;
    while i < nq {
        if let Some((w, _)) = windows[i].clone() {
            let sc = sim.score(i..i + 1, w.clone());
            links.push(AlignedLink {
                query_span: run_span(q, i..i + 1),
                source_span: run_span(s, w.clone()),
                query: i..i + 1,
                source: w,
                similarity: sc.min(1.0),
            });
            i += 1;
            continue;
        }
        let Some((j, _)) = chosen[i] else {
            i += 1;
            continue;
        };
        let mut k = i + 1;
        while k < nq && chosen[k].map(|c| c.0) == Some(j) {
            k += 1;
        }
        let qr = i..k;
        let mut sr = j..j + 1;
        let mut best = sim.score(qr.clone(), sr.clone());
        if k - i > 1 {
            // a split must beat its parts
            let single = (i..k)
                .map(|x| chosen[x].map_or(0.0, |c| c.1))
                .fold(0.0, f32::max);
            best = best.max(single);
        }
        // merges: grow the source run while it helps
        for _ in 0..3 {
            let mut grew = false;
            if sr.start > 0 && !claimed[sr.start - 1] && s.same_block(sr.start - 1, sr.start) {
                let cand = sr.start - 1..sr.end;
                let sc = sim.score(qr.clone(), cand.clone());
                if sc > best + cfg.merge_gain {
                    best = sc;
                    sr = cand;
                    grew = true;
                }
            }
            if sr.end < ns && !claimed[sr.end] && s.same_block(sr.end - 1, sr.end) {
                let cand = sr.start..sr.end + 1;
                let sc = sim.score(qr.clone(), cand.clone());
                if sc > best + cfg.merge_gain {
                    best = sc;
                    sr = cand;
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        // splits: an unlinked suspect sentence right after the run that
        // completes it (the rest of a split source sentence) joins the link
        let mut qr = qr;
        while qr.end < nq && chosen[qr.end].is_none() && q.same_block(qr.end - 1, qr.end) {
            let cand = qr.start..qr.end + 1;
            let sc = sim.score(cand.clone(), sr.clone());
            let alone = sim.score(qr.end..qr.end + 1, sr.clone());
            if sc >= best - cfg.merge_gain && alone >= cfg.bridge_min {
                best = best.max(sc);
                qr = cand;
            } else {
                break;
            }
        }
        let k = qr.end;
        for x in sr.clone() {
            claimed[x] = true;
        }
        links.push(AlignedLink {
            query_span: run_span(q, qr.clone()),
            source_span: run_span(s, sr.clone()),
            query: qr,
            source: sr,
            similarity: best.min(1.0),
        });
        i = k;
    }
    // 4. passages
    let mut passages: Vec<Vec<AlignedLink>> = Vec::new();
    for l in links {
        match passages.last_mut() {
            Some(p) if close(p, &l, cfg) => p.push(l),
            _ => passages.push(vec![l]),
        }
    }
    // merge passages that turned out close on both sides
    loop {
        let mut merged = false;
        'outer: for a in 0..passages.len() {
            for b in a + 1..passages.len() {
                if passages_close(&passages[a], &passages[b], cfg) {
                    let pb = passages.remove(b);
                    passages[a].extend(pb);
                    passages[a].sort_by_key(|l| l.query_span.start);
                    merged = true;
                    break 'outer;
                }
            }
        }
        if !merged {
            break;
        }
    }
    passages
        .into_iter()
        .filter_map(|links| finish_passage(q, s, links, cfg))
        .collect()
}

/// Shrinks a summary window from both ends while containment holds.
fn trim_window(sim: &PairSimilarity, i: usize, mut w: Range<usize>) -> Range<usize> {
    let full = sim.containment(i..i + 1, w.clone());
    while w.len() > 3 && sim.containment(i..i + 1, w.start + 1..w.end) >= full - 1e-6 {
        w.start += 1;
    }
    while w.len() > 3 && sim.containment(i..i + 1, w.start..w.end - 1) >= full - 1e-6 {
        w.end -= 1;
    }
    w
}

/// Whether linking suspect sentence `i` to source sentence `j` agrees with a
/// neighbour's link (within `w` sentences, in a consistent direction).
fn supported(chosen: &[Option<(usize, f32)>], i: usize, j: usize, w: usize) -> bool {
    let lo = i.saturating_sub(w);
    let hi = (i + w).min(chosen.len() - 1);
    for (i2, c) in chosen.iter().enumerate().take(hi + 1).skip(lo) {
        if i2 == i {
            continue;
        }
        if let Some((j2, _)) = *c {
            let di = i2 as isize - i as isize;
            let dj = j2 as isize - j as isize;
            // same direction, at most w+1 source sentences apart; a split
            // (dj == 0) is allowed
            if dj == 0 || (dj.signum() == di.signum() && dj.abs() <= w as isize + 1) {
                return true;
            }
        }
    }
    false
}

fn run_span(a: &Analysis, r: Range<usize>) -> Span {
    a.sentences[r.start]
        .span
        .cover(&a.sentences[r.end - 1].span)
}

fn span_distance(a: Span, b: Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

fn cover(links: &[AlignedLink]) -> (Span, Span) {
    let mut q = links[0].query_span;
    let mut s = links[0].source_span;
    for l in &links[1..] {
        q = q.cover(&l.query_span);
        s = s.cover(&l.source_span);
    }
    (q, s)
}

fn close(p: &[AlignedLink], l: &AlignedLink, cfg: &AlignConfig) -> bool {
    let (q, s) = cover(p);
    span_distance(q, l.query_span) <= cfg.max_query_gap
        && span_distance(s, l.source_span) <= cfg.max_source_gap
}

fn passages_close(a: &[AlignedLink], b: &[AlignedLink], cfg: &AlignConfig) -> bool {
    let (qa, sa) = cover(a);
    let (qb, sb) = cover(b);
    span_distance(qa, qb) <= cfg.max_query_gap && span_distance(sa, sb) <= cfg.max_source_gap
}

fn finish_passage(
    q: &Analysis,
    s: &Analysis,
    links: Vec<AlignedLink>,
    cfg: &AlignConfig,
) -> Option<AlignedPassage> {
    let (qs, ss) = cover(&links);
    let total: usize = links.iter().map(|l| l.query_span.len().max(1)).sum();
    let similarity = links
        .iter()
        .map(|l| l.similarity * l.query_span.len().max(1) as f32)
        .sum::<f32>()
        / total as f32;
    if links.len() == 1 && links[0].similarity < cfg.isolated_min && links[0].source.len() < 3 {
        return None;
    }
    if q.chars.char_of(qs.end) - q.chars.char_of(qs.start) < cfg.min_passage_chars {
        return None;
    }
    let kind = classify(q, s, &links);
    Some(AlignedPassage {
        query_span: qs,
        source_span: ss,
        similarity,
        kind,
        links,
    })
}
