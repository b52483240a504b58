//! Word-window detection: reuse that sentence alignment cannot see.
//!
//! Sentence alignment needs the suspect's sentences to correspond to the
//! source's. A rewrite that shuffles words and punctuation (automatic
//! obfuscation, a careless paste) leaves one long "sentence" standing for
//! several source ones, or breaks in the middle of source sentences, so no
//! sentence pair scores high enough to seed a passage although the region
//! as a whole shares most of its vocabulary.
//!
//! This stage ignores sentence breaks: both texts are cut into overlapping
//! windows of [`AlignConfig::window_words`] content words, every suspect
//! window is scored against every source window (tf-isf cosine through an
//! inverted index), window pairs reaching [`AlignConfig::window_seed_min`]
//! are seeds, and seeds close on both sides are grouped into a region. A
//! region whose whole suspect and source stretches reach
//! [`AlignConfig::window_keep_min`] becomes a passage.
//!
//! In: the two [`Analysis`]es and the passages sentence alignment found.
//! Out: those passages, reworded ones extended over the regions that
//! overlap them, and a new passage for each region that overlaps none.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::spans::sentence_of_token;
use super::{classify, AlignConfig, AlignedLink, AlignedPassage, PassageKind};
use crate::features::{is_content_term, SparseVec};
use crate::text::{Analysis, Span};
use crate::tuning::window::{
    EDGE_RUN, EDGE_SHARED, EXTEND_MIN_WORDS, ISF_FLOOR, MIN_WORDS_DIVISOR, REGION_QUERY_GAP,
    REGION_SOURCE_GAP, STRIDE_DIVISOR, TRIM_ROUNDS,
};

/// Content words of a text: (token index, term id); ids are dense.
fn content<'a>(a: &'a Analysis, ids: &mut HashMap<&'a str, u32>) -> Vec<(usize, u32)> {
    a.tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| is_content_term(t))
        .map(|(i, t)| {
            let n = ids.len() as u32;
            (i, *ids.entry(t.stem.as_str()).or_insert(n))
        })
        .collect()
}

/// Window starts (content-word positions) covering `n` words.
fn window_starts(n: usize, w: usize, stride: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let mut v: Vec<usize> = (0..n.saturating_sub(w) + 1).step_by(stride).collect();
    if let Some(&last) = v.last() {
        if last + w < n {
            v.push(n - w);
        }
    }
    v
}

/// Unit-length tf-isf vector of a run of content words.
fn vector(terms: &[(usize, u32)], isf: &[f32]) -> SparseVec {
    let mut ids: Vec<u32> = terms.iter().map(|e| e.1).collect();
    ids.sort_unstable();
    let mut v: Vec<(u32, f32)> = Vec::with_capacity(ids.len());
    for t in ids {
        match v.last_mut() {
            Some(last) if last.0 == t => last.1 += 1.0,
            _ => v.push((t, 1.0)),
        }
    }
    for e in &mut v {
        e.1 = (1.0 + e.1.ln()) * isf[e.0 as usize];
    }
    let n = v.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt().max(1e-9);
    for e in &mut v {
        e.1 /= n;
    }
    SparseVec { entries: v }
}

/// A group of window seeds: content-word ranges on both sides.
struct Region {
    q: Range<usize>,
    s: Range<usize>,
    seeds: usize,
}

/// Adds the passages found by word windows to `found` (the passages of
/// sentence alignment): a region overlapping none of them on the suspect
/// side becomes a new passage; with [`AlignConfig::window_extend`], one that
/// overlaps a reworded passage on both sides extends that passage to the
/// region's dense edges (sentence alignment often stops a sentence or two
/// short of where shuffled text ends).
pub(super) fn window_passages(
    q: &Analysis,
    s: &Analysis,
    cfg: &AlignConfig,
    found: &mut Vec<AlignedPassage>,
) {
    let w = cfg.window_words;
    if w == 0 || cfg.window_seed_min > 1.0 {
        return;
    }
    let mut taken: Vec<Span> = found.iter().map(|p| p.query_span).collect();
    let Some(ix) = WindowIndex::new(q, s, w) else {
        return;
    };
    let seeds = ix.seeds(q, cfg, &taken);
    for r in ix.regions(&seeds) {
        if r.seeds < cfg.window_min_seeds {
            continue;
        }
        ix.place(q, s, cfg, r, &mut taken, found);
    }
}

/// Both texts cut into windows of content words, with the windows' term
/// weights.
struct WindowIndex {
    /// Window size (content words).
    w: usize,
    /// Content words of the suspect and the source (see [`content`]).
    qc: Vec<(usize, u32)>,
    sc: Vec<(usize, u32)>,
    /// Window starts (content-word positions) on both sides.
    qw: Vec<usize>,
    sw: Vec<usize>,
    /// Inverse window frequency of every term, over the windows of both
    /// sides.
    isf: Vec<f32>,
}

impl WindowIndex {
    /// The windows of both texts; `None` when either has fewer than
    /// `1 / MIN_WORDS_DIVISOR` (half) a window of content words.
    fn new(q: &Analysis, s: &Analysis, w: usize) -> Option<WindowIndex> {
        let mut ids = HashMap::new();
        let qc = content(q, &mut ids);
        let sc = content(s, &mut ids);
        if qc.len() < w / MIN_WORDS_DIVISOR || sc.len() < w / MIN_WORDS_DIVISOR {
            return None;
        }
        let stride = (w / STRIDE_DIVISOR).max(1);
        let qw = window_starts(qc.len(), w, stride);
        let sw = window_starts(sc.len(), w, stride);
        let mut ix = WindowIndex {
            w,
            qc,
            sc,
            qw,
            sw,
            isf: Vec::new(),
        };
        // isf over the windows of both sides
        let mut df = vec![0.0f32; ids.len()];
        let mut seen = vec![usize::MAX; ids.len()];
        let mut k = 0;
        for (c, starts) in [(&ix.qc, &ix.qw), (&ix.sc, &ix.sw)] {
            for &a in starts {
                for e in &c[ix.win(c, a)] {
                    if seen[e.1 as usize] != k {
                        seen[e.1 as usize] = k;
                        df[e.1 as usize] += 1.0;
                    }
                }
                k += 1;
            }
        }
        let n = (ix.qw.len() + ix.sw.len()) as f32;
        ix.isf = df
            .iter()
            .map(|&d| ((n + 1.0) / d.max(1.0)).ln().max(ISF_FLOOR))
            .collect();
        Some(ix)
    }

    /// The content-word range of the window starting at `a` in `c`.
    fn win(&self, c: &[(usize, u32)], a: usize) -> Range<usize> {
        a..(a + self.w).min(c.len())
    }

    /// Seeds: each suspect window's best source window, as `(suspect
    /// window, source window, cosine)`, when the cosine reaches
    /// [`AlignConfig::window_seed_min`] (without
    /// [`AlignConfig::window_extend`], only suspect windows overlapping no
    /// `taken` span).
    fn seeds(&self, q: &Analysis, cfg: &AlignConfig, taken: &[Span]) -> Vec<(usize, usize, f32)> {
        let (qc, sc, isf) = (&self.qc, &self.sc, &self.isf);
        let qv: Vec<SparseVec> = self
            .qw
            .iter()
            .map(|&a| vector(&qc[self.win(qc, a)], isf))
            .collect();
        let sv: Vec<SparseVec> = self
            .sw
            .iter()
            .map(|&a| vector(&sc[self.win(sc, a)], isf))
            .collect();
        let mut postings: Vec<Vec<(usize, f32)>> = vec![Vec::new(); isf.len()];
        for (j, v) in sv.iter().enumerate() {
            for &(t, x) in &v.entries {
                postings[t as usize].push((j, x));
            }
        }
        let free = |r: Range<usize>| {
            let span = Span::new(
                q.tokens[qc[r.start].0].span.start,
                q.tokens[qc[r.end - 1].0].span.end,
            );
            taken.iter().all(|t| t.overlap(&span) == 0)
        };
        let mut seeds: Vec<(usize, usize, f32)> = Vec::new();
        let mut acc = vec![0.0f32; sv.len()];
        let mut touched: Vec<usize> = Vec::new();
        for (i, v) in qv.iter().enumerate() {
            if !cfg.window_extend && !free(self.win(qc, self.qw[i])) {
                continue;
            }
            for &(t, x) in &v.entries {
                for &(j, y) in &postings[t as usize] {
                    if acc[j] == 0.0 {
                        touched.push(j);
                    }
                    acc[j] += x * y;
                }
            }
            let mut best = (0, 0.0f32);
            for &j in &touched {
                if acc[j] > best.1 || (acc[j] == best.1 && j < best.0) {
                    best = (j, acc[j]);
                }
                acc[j] = 0.0;
            }
            touched.clear();
            if best.1 >= cfg.window_seed_min {
                seeds.push((i, best.0, best.1));
            }
        }
        seeds
    }

    /// Groups seeds close on both sides into regions (order inside a region
    /// may be shuffled, so the source side may jump back and forth).
    fn regions(&self, seeds: &[(usize, usize, f32)]) -> Vec<Region> {
        let w = self.w;
        let mut regions: Vec<Region> = Vec::new();
        for &(i, j, _) in seeds {
            let (qr, sr) = (
                self.win(&self.qc, self.qw[i]),
                self.win(&self.sc, self.sw[j]),
            );
            if let Some(r) = regions.last_mut() {
                let q_gap = qr.start.saturating_sub(r.q.end);
                let s_gap = if sr.start >= r.s.end {
                    sr.start - r.s.end
                } else {
                    r.s.start.saturating_sub(sr.end)
                };
                if q_gap <= REGION_QUERY_GAP * w && s_gap <= REGION_SOURCE_GAP * w {
                    r.q = r.q.start.min(qr.start)..r.q.end.max(qr.end);
                    r.s = r.s.start.min(sr.start)..r.s.end.max(sr.end);
                    r.seeds += 1;
                    continue;
                }
            }
            regions.push(Region {
                q: qr,
                s: sr,
                seeds: 1,
            });
        }
        regions
    }

    /// Turns a region into a passage of `found` (its edges trimmed to dense
    /// stretches, kept when similar and long enough): a new passage where
    /// it overlaps no `taken` suspect span (which it then takes), otherwise
    /// the extension of the reworded passages it overlaps on both sides.
    fn place(
        &self,
        q: &Analysis,
        s: &Analysis,
        cfg: &AlignConfig,
        r: Region,
        taken: &mut Vec<Span>,
        found: &mut Vec<AlignedPassage>,
    ) {
        let (qc, sc, isf) = (&self.qc, &self.sc, &self.isf);
        let (qr, sr) = trim_unshared(qc, sc, r.q.clone(), r.s.clone());
        if qr.is_empty() || sr.is_empty() {
            return;
        }
        let sim = vector(&qc[qr.clone()], isf).dot(&vector(&sc[sr.clone()], isf));
        if sim < cfg.window_keep_min {
            return;
        }
        let query_span = Span::new(
            q.tokens[qc[qr.start].0].span.start,
            q.tokens[qc[qr.end - 1].0].glued_end,
        );
        let source_span = Span::new(
            s.tokens[sc[sr.start].0].span.start,
            s.tokens[sc[sr.end - 1].0].glued_end,
        );
        let q_chars = q.chars.char_of(query_span.end) - q.chars.char_of(query_span.start);
        let s_chars = s.chars.char_of(source_span.end) - s.chars.char_of(source_span.start);
        let overlaps = taken.iter().any(|t| t.overlap(&query_span) > 0);
        // an extension needs `min_passage_chars` on both sides
        let long = if overlaps {
            q_chars.min(s_chars) >= cfg.min_passage_chars
        } else {
            cfg.long_enough(q_chars, s_chars)
        };
        if !long {
            return;
        }
        if overlaps {
            if cfg.window_extend {
                for p in found.iter_mut() {
                    if matches!(p.kind, PassageKind::Paraphrase | PassageKind::Summary)
                        && p.query_span.overlap(&query_span) > 0
                        && p.source_span.overlap(&source_span) > 0
                    {
                        p.query_span = extend(p.query_span, &qc[qr.clone()], q);
                        p.source_span = extend(p.source_span, &sc[sr.clone()], s);
                    }
                }
            }
            return;
        }
        let link = AlignedLink {
            query: sentence_of_token(q, qc[qr.start].0)..sentence_of_token(q, qc[qr.end - 1].0) + 1,
            source: sentence_of_token(s, sc[sr.start].0)
                ..sentence_of_token(s, sc[sr.end - 1].0) + 1,
            query_span,
            source_span,
            similarity: sim,
        };
        let links = vec![link];
        taken.push(query_span);
        found.push(AlignedPassage {
            query_span,
            source_span,
            similarity: sim,
            kind: classify(q, s, &links),
            links,
        });
    }
}

/// Moves each edge of a region inwards past words the other side lacks,
/// until the edge opens a dense stretch (most of the next few words shared).
fn trim_unshared(
    qc: &[(usize, u32)],
    sc: &[(usize, u32)],
    mut qr: Range<usize>,
    mut sr: Range<usize>,
) -> (Range<usize>, Range<usize>) {
    for _ in 0..TRIM_ROUNDS {
        let s_terms: HashSet<u32> = sc[sr.clone()].iter().map(|e| e.1).collect();
        qr = dense(qc, qr, &s_terms);
        let q_terms: HashSet<u32> = qc[qr.clone()].iter().map(|e| e.1).collect();
        sr = dense(sc, sr, &q_terms);
    }
    (qr, sr)
}

fn dense(c: &[(usize, u32)], mut r: Range<usize>, other: &HashSet<u32>) -> Range<usize> {
    let shared = |i: usize| other.contains(&c[i].1);
    let ok = |a: usize, b: usize| {
        shared(a) && (a..b).filter(|&i| shared(i)).count() >= EDGE_SHARED.min(b - a)
    };
    while r.start < r.end && !ok(r.start, (r.start + EDGE_RUN).min(r.end)) {
        r.start += 1;
    }
    while r.end > r.start && !ok_rev(c, r.start, r.end, other) {
        r.end -= 1;
    }
    r
}

fn ok_rev(c: &[(usize, u32)], lo: usize, end: usize, other: &HashSet<u32>) -> bool {
    let a = end.saturating_sub(EDGE_RUN).max(lo);
    other.contains(&c[end - 1].1)
        && (a..end).filter(|&i| other.contains(&c[i].1)).count() >= EDGE_SHARED.min(end - a)
}

/// Extends `span` over the region's content words beyond each of its edges,
/// where there are at least [`EXTEND_MIN_WORDS`] of them (fewer is edge
/// noise).
fn extend(span: Span, region: &[(usize, u32)], a: &Analysis) -> Span {
    let mut out = span;
    let before: Vec<usize> = region
        .iter()
        .map(|e| e.0)
        .filter(|&t| a.tokens[t].span.end <= span.start)
        .collect();
    if before.len() >= EXTEND_MIN_WORDS {
        out.start = a.tokens[before[0]].span.start;
    }
    let after: Vec<usize> = region
        .iter()
        .map(|e| e.0)
        .filter(|&t| a.tokens[t].span.start >= span.end)
        .collect();
    if after.len() >= EXTEND_MIN_WORDS {
        out.end = a.tokens[*after.last().unwrap()].glued_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::{link, passage};

    const S: &str = "Volcanic ash grounded flights across northern Europe for days. \
        Airlines cancelled thousands of departures while the cloud drifted south. \
        Passengers slept in terminals waiting for news about their journeys. \
        Hotels near the airports ran out of rooms within hours. \
        Farmers in the valley harvested grapes earlier than usual this autumn.";

    /// `S` with its sentence breaks lost: one long sentence.
    fn unbroken() -> String {
        S.replace(". ", " ").to_lowercase()
    }

    #[test]
    fn window_starts_cover_every_word() {
        assert_eq!(window_starts(0, 4, 2), Vec::<usize>::new());
        assert_eq!(window_starts(10, 4, 2), [0, 2, 4, 6]);
        // the last window ends at the last word
        assert_eq!(window_starts(11, 4, 2), [0, 2, 4, 6, 7]);
        // fewer words than a window: one window
        assert_eq!(window_starts(3, 4, 2), [0]);
    }

    #[test]
    fn vector_is_unit_length_with_log_term_frequencies() {
        let terms = [(0, 5), (1, 5), (2, 7)];
        let isf = vec![1.0f32; 8];
        let v = vector(&terms, &isf);
        let ids: Vec<u32> = v.entries.iter().map(|e| e.0).collect();
        assert_eq!(ids, [5, 7]);
        assert!((v.norm2() - 1.0).abs() < 1e-6);
        let ratio = v.entries[0].1 / v.entries[1].1;
        assert!((ratio - (1.0 + 2f32.ln())).abs() < 1e-6);
    }

    #[test]
    fn region_edges_move_in_to_dense_stretches() {
        let c: Vec<(usize, u32)> = [9, 9, 1, 2, 3, 4, 5, 9]
            .iter()
            .enumerate()
            .map(|(i, &t)| (i, t))
            .collect();
        let other: HashSet<u32> = [1, 2, 3, 4, 5].into_iter().collect();
        assert_eq!(dense(&c, 0..8, &other), 2..7);
        // nothing shared: nothing left
        assert!(dense(&c, 0..8, &HashSet::new()).is_empty());
    }

    #[test]
    fn a_text_that_lost_its_sentence_breaks_is_found_by_windows() {
        let q = unbroken();
        let (qa, sa) = (Analysis::new(&q), Analysis::new(S));
        assert_eq!(qa.sentences.len(), 1);
        let cfg = AlignConfig::default();
        let mut found = Vec::new();
        window_passages(&qa, &sa, &cfg, &mut found);
        assert_eq!(found.len(), 1);
        let p = &found[0];
        assert!(p.similarity > 0.99, "{}", p.similarity);
        assert_eq!(p.query_span.start, 0);
        assert!(q[p.query_span.end..].trim().is_empty());
        assert_eq!(p.links[0].source, 0..5);
        // switched off
        let off = AlignConfig {
            window_words: 0,
            ..AlignConfig::default()
        };
        let mut found = Vec::new();
        window_passages(&qa, &sa, &off, &mut found);
        assert!(found.is_empty());
    }

    #[test]
    fn a_region_extends_a_reworded_passage_it_overlaps() {
        let q = unbroken();
        let (qa, sa) = (Analysis::new(&q), Analysis::new(S));
        let cfg = AlignConfig::default();
        // sentence alignment found only the first half, on both sides
        let half = q.len() / 2;
        let mut found = vec![passage(
            vec![link((0, half), (0, S.len() / 2))],
            0.5,
            PassageKind::Paraphrase,
        )];
        window_passages(&qa, &sa, &cfg, &mut found);
        assert_eq!(found.len(), 1, "no new passage over a found one");
        assert!(q[found[0].query_span.end..].trim().is_empty());
        assert!(S[found[0].source_span.end..].trim().is_empty());
        // a literal passage is left as it is
        let mut found = vec![passage(
            vec![link((0, half), (0, S.len() / 2))],
            1.0,
            PassageKind::Verbatim,
        )];
        window_passages(&qa, &sa, &cfg, &mut found);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].query_span.end, half);
    }

    #[test]
    fn extend_needs_enough_words_beyond_the_edge() {
        let a = Analysis::new("alpha beta gamma delta epsilon zeta eta theta");
        let region: Vec<(usize, u32)> = (0..8).map(|i| (i, i as u32)).collect();
        let start = a.tokens[3].span.start;
        // three words before the span: too few; four after it: enough
        let span = Span::new(start, a.tokens[3].span.end);
        let got = extend(span, &region, &a);
        assert_eq!(got.start, start);
        assert_eq!(got.end, a.tokens[7].glued_end);
    }
}
