//! Phase 3 of a pass: links.
//!
//! In: the [`Candidates`] and the [`Chosen`] pairs of the seeds and support
//! phases. Out: the pass's [`AlignedLink`]s in suspect order, each a run of
//! suspect sentences with the run of source sentences it was taken from:
//! - **summary windows**: a long unlinked suspect sentence whose content
//!   words are mostly found in a window of several source sentences stands
//!   for that window;
//! - **splits**: consecutive suspect sentences drawn from one source
//!   sentence form one link, and an unlinked suspect sentence that
//!   completes the run joins it;
//! - **merges**: a link's source run grows over neighbouring source
//!   sentences while that raises the score (see
//!   [`AlignConfig::merge_gain`], [`AlignConfig::merge_free_ratio`]);
//! - **headline**: a rewritten headline is linked to the source's when the
//!   body below them was reused.

use std::ops::Range;

use super::seeds::{Candidates, Chosen};
use super::spans::run_span;
#[cfg(doc)]
use super::AlignConfig;
use super::{AlignedLink, Pass};
use crate::features::PairSimilarity;
use crate::tuning::links::{
    HEADLINE_SEMANTIC_WEIGHT, MERGE_MAX_STEPS, SUMMARY_MIN_WINDOW, SUMMARY_TRIM_TOLERANCE,
    SUMMARY_WINDOW_PENALTY,
};

/// Per suspect sentence: the source window it summarises, with its
/// containment score, if any.
pub(super) type Windows = Vec<Option<(Range<usize>, f32)>>;

/// Summary windows: for each unlinked suspect sentence of at least
/// [`AlignConfig::summary_min_terms`] content words, the window of
/// `SUMMARY_MIN_WINDOW` (3) to [`AlignConfig::summary_max_window`] source
/// sentences (starting at one of
/// its candidates) that contains most of its term weight, when that share
/// reaches [`AlignConfig::summary_containment`].
pub(super) fn summary_windows(p: &Pass, cands: &Candidates, chosen: &Chosen) -> Windows {
    let (sim, cfg, ns) = (p.sim, p.cfg, p.ns());
    let mut windows: Windows = vec![None; p.nq()];
    for i in 0..p.nq() {
        if chosen[i].is_some() || sim.query_terms(i..i + 1) < cfg.summary_min_terms {
            continue;
        }
        let mut starts: Vec<usize> = cands[i].iter().map(|c| c.0).collect();
        starts.sort_unstable();
        let mut best: Option<(Range<usize>, f32)> = None;
        for &a in &starts {
            for b in a + SUMMARY_MIN_WINDOW..=(a + cfg.summary_max_window).min(ns) {
                let c = sim.containment(i..i + 1, a..b) - SUMMARY_WINDOW_PENALTY * (b - a) as f32;
                if best.as_ref().is_none_or(|x| c > x.1) {
                    best = Some((a..b, c));
                }
            }
        }
        if let Some((w, c)) = best {
            let w = trim_window(sim, i, w);
            if c >= cfg.summary_containment
                && w.len() >= SUMMARY_MIN_WINDOW
                && sim.score(i..i + 1, w.clone()) >= cfg.support_min
            {
                windows[i] = Some((w, c));
            }
        }
    }
    windows
}

/// Shrinks a summary window from both ends while containment holds.
fn trim_window(sim: &PairSimilarity, i: usize, mut w: Range<usize>) -> Range<usize> {
    let full = sim.containment(i..i + 1, w.clone());
    while w.len() > SUMMARY_MIN_WINDOW
        && sim.containment(i..i + 1, w.start + 1..w.end) >= full - SUMMARY_TRIM_TOLERANCE
    {
        w.start += 1;
    }
    while w.len() > SUMMARY_MIN_WINDOW
        && sim.containment(i..i + 1, w.start..w.end - 1) >= full - SUMMARY_TRIM_TOLERANCE
    {
        w.end -= 1;
    }
    w
}

/// The links, in suspect order: a summary window's sentence links to its
/// window; a chosen sentence starts a run (splits, then merges) that claims
/// its source sentences against later merges.
pub(super) fn links(p: &Pass, chosen: &Chosen, windows: &Windows) -> Vec<AlignedLink> {
    let mut claimed = vec![false; p.ns()];
    for c in chosen.iter().flatten() {
        claimed[c.0] = true;
    }
    let mut links: Vec<AlignedLink> = Vec::new();
    let mut i = 0;
    while i < p.nq() {
        if let Some((w, _)) = windows[i].clone() {
            links.push(window_link(p, i, w));
            i += 1;
            continue;
        }
        let Some((j, _)) = chosen[i] else {
            i += 1;
            continue;
        };
        let link = run_link(p, chosen, &mut claimed, i, j);
        i = link.query.end;
        links.push(link);
    }
    links
}

/// The link of suspect sentence `i` to its summary window `w`.
fn window_link(p: &Pass, i: usize, w: Range<usize>) -> AlignedLink {
    let sc = p.sim.score(i..i + 1, w.clone());
    AlignedLink {
        query_span: run_span(p.q, i..i + 1),
        source_span: run_span(p.s, w.clone()),
        query: i..i + 1,
        source: w,
        similarity: sc.min(1.0),
    }
}

/// The link starting at suspect sentence `i`, chosen on source sentence
/// `j`: the run of following sentences chosen on `j` too (a split), its
/// source run grown by merges, then unlinked suspect sentences that
/// complete it. Marks its source sentences claimed.
fn run_link(p: &Pass, chosen: &Chosen, claimed: &mut [bool], i: usize, j: usize) -> AlignedLink {
    let (sim, nq) = (p.sim, p.nq());
    let mut k = i + 1;
    while k < nq && chosen[k].map(|c| c.0) == Some(j) {
        k += 1;
    }
    let qr = i..k;
    let sr = j..j + 1;
    let mut best = sim.score(qr.clone(), sr.clone());
    if k - i > 1 {
        // a split must beat its parts
        let single = (i..k)
            .map(|x| chosen[x].map_or(0.0, |c| c.1))
            .fold(0.0, f32::max);
        best = best.max(single);
    }
    let (sr, best) = merge_sources(p, claimed, qr.clone(), sr, best);
    let (qr, best) = complete_split(p, chosen, qr, &sr, best);
    for x in sr.clone() {
        claimed[x] = true;
    }
    AlignedLink {
        query_span: run_span(p.q, qr.clone()),
        source_span: run_span(p.s, sr.clone()),
        query: qr,
        source: sr,
        similarity: best.min(1.0),
    }
}

/// Merges: grows the source run `sr` of suspect run `qr` (scoring `best`)
/// over unclaimed neighbouring source sentences while it helps (any gain
/// while the source run is still much shorter than the suspect run: a long
/// suspect sentence that lost its sentence breaks). Returns the run and its
/// score.
fn merge_sources(
    p: &Pass,
    claimed: &[bool],
    qr: Range<usize>,
    mut sr: Range<usize>,
    mut best: f32,
) -> (Range<usize>, f32) {
    let (s, sim, cfg, ns) = (p.s, p.sim, p.cfg, p.ns());
    let q_bytes = run_span(p.q, qr.clone()).len();
    for _ in 0..MERGE_MAX_STEPS {
        let mut grew = false;
        let short = (run_span(s, sr.clone()).len() as f32) < cfg.merge_free_ratio * q_bytes as f32;
        let gain = if short { 0.0 } else { cfg.merge_gain };
        if sr.start > 0 && !claimed[sr.start - 1] && Some(sr.start - 1) != p.s_title {
            let cand = sr.start - 1..sr.end;
            let sc = sim.score(qr.clone(), cand.clone());
            if sc > best + gain {
                best = sc;
                sr = cand;
                grew = true;
            }
        }
        if sr.end < ns && !claimed[sr.end] && Some(sr.end) != p.s_title {
            let cand = sr.start..sr.end + 1;
            let sc = sim.score(qr.clone(), cand.clone());
            if sc > best + gain {
                best = sc;
                sr = cand;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    (sr, best)
}

/// Splits: an unlinked suspect sentence right after the run `qr` that
/// completes it (the rest of a split source sentence) joins the link.
/// Returns the run and its score.
fn complete_split(
    p: &Pass,
    chosen: &Chosen,
    mut qr: Range<usize>,
    sr: &Range<usize>,
    mut best: f32,
) -> (Range<usize>, f32) {
    let (q, sim, cfg, nq) = (p.q, p.sim, p.cfg, p.nq());
    while qr.end < nq && chosen[qr.end].is_none() && Some(qr.end) != p.q_title {
        let cand = qr.start..qr.end + 1;
        let sc = sim.score(cand.clone(), sr.clone());
        let alone = sim.score(qr.end..qr.end + 1, sr.clone());
        let same_block = q.same_block(qr.end - 1, qr.end);
        if sc >= best - cfg.merge_gain
            && alone
                >= if same_block {
                    cfg.bridge_min
                } else {
                    cfg.support_min
                }
        {
            best = best.max(sc);
            qr = cand;
        } else {
            break;
        }
    }
    (qr, best)
}

/// A rewritten headline stands for the source's headline when the two
/// share meaning (at least [`AlignConfig::bridge_min`], or an embedding
/// cosine of [`AlignConfig::title_semantic_min`]) and the body below them
/// was reused (there are links): its link goes first.
pub(super) fn headline(p: &Pass, links: &mut Vec<AlignedLink>) {
    let (q, s, sim, cfg) = (p.q, p.s, p.sim, p.cfg);
    if let (Some(i), Some(j)) = (p.q_title, p.s_title) {
        let sc = sim.score(i..i + 1, j..j + 1);
        let sem = sim.semantic(i..i + 1, j..j + 1).unwrap_or(0.0);
        if !links.is_empty() && (sc >= cfg.bridge_min || sem >= cfg.title_semantic_min) {
            links.insert(
                0,
                AlignedLink {
                    query_span: run_span(q, i..i + 1),
                    source_span: run_span(s, j..j + 1),
                    query: i..i + 1,
                    source: j..j + 1,
                    similarity: sc.max(sem.min(1.0) * HEADLINE_SEMANTIC_WEIGHT),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::seeds::candidates;
    use crate::align::testing::pair;
    use crate::align::AlignConfig;

    fn runs(links: &[AlignedLink]) -> Vec<(Range<usize>, Range<usize>)> {
        links
            .iter()
            .map(|l| (l.query.clone(), l.source.clone()))
            .collect()
    }

    #[test]
    fn consecutive_sentences_on_one_source_sentence_form_one_link() {
        let q = "The central bank raised interest rates. \
            It did so to curb rising inflation. \
            Engineers tested the new bridge with heavy trucks before opening.";
        let s = "The central bank raised interest rates to curb rising inflation. \
            Engineers tested the new bridge with heavy trucks before opening.";
        let (qa, sa, sim) = pair(q, s);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let chosen: Chosen = vec![Some((0, 0.8)), Some((0, 0.6)), Some((1, 1.0))];
        let windows: Windows = vec![None; 3];
        let got = links(&p, &chosen, &windows);
        assert_eq!(runs(&got), [(0..2, 0..1), (2..3, 1..2)]);
        // the split scores on its whole run
        assert!((got[0].similarity - sim.score(0..2, 0..1)).abs() < 1e-6);
        assert_eq!(got[0].query_span, run_span(&qa, 0..2));
    }

    #[test]
    fn an_unlinked_sentence_completing_a_split_joins_it() {
        let q = "The central bank raised interest rates. \
            It did so to curb rising inflation.";
        let s = "The central bank raised interest rates to curb rising inflation.";
        let (qa, sa, sim) = pair(q, s);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let chosen: Chosen = vec![Some((0, 0.8)), None];
        let got = links(&p, &chosen, &vec![None; 2]);
        assert_eq!(runs(&got), [(0..2, 0..1)]);
    }

    #[test]
    fn a_sentence_drawing_on_two_source_sentences_merges_them() {
        let q = "The central bank raised interest rates to curb rising inflation, \
            and engineers tested the new bridge with heavy trucks.";
        let s = "Volcanic ash grounded flights across northern Europe for days. \
            The central bank raised interest rates to curb rising inflation. \
            Engineers tested the new bridge with heavy trucks before opening. \
            Farmers in the valley harvested grapes earlier than usual this autumn.";
        let (qa, sa, sim) = pair(q, s);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let chosen: Chosen = vec![Some((1, 0.6))];
        let got = links(&p, &chosen, &vec![None]);
        assert_eq!(runs(&got), [(0..1, 1..3)]);
        // a claimed neighbour is not merged
        let mut claimed = vec![false, false, true, false];
        let (sr, _) = merge_sources(&p, &claimed, 0..1, 1..2, sim.score(0..1, 1..2));
        assert_eq!(sr, 1..2);
        claimed[2] = false;
        let (sr, best) = merge_sources(&p, &claimed, 0..1, 1..2, sim.score(0..1, 1..2));
        assert_eq!(sr, 1..3);
        assert!(best > sim.score(0..1, 1..2));
    }

    #[test]
    fn a_long_sentence_condensing_a_stretch_links_to_its_window() {
        let s = "Volcanic ash grounded flights across northern Europe for days. \
            Airlines cancelled thousands of departures while the cloud drifted south. \
            Passengers slept in terminals waiting for news about their journeys. \
            Hotels near the airports ran out of rooms within hours. \
            Farmers in the valley harvested grapes earlier than usual this autumn. \
            The central bank raised interest rates to curb rising inflation.";
        let q = "Volcanic ash grounded flights, airlines cancelled departures, \
            passengers slept in terminals and hotels ran out of rooms.";
        let (qa, sa, sim) = pair(q, s);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let cands = candidates(&p);
        let windows = summary_windows(&p, &cands, &vec![None]);
        let (w, c) = windows[0].clone().expect("a summary window");
        assert_eq!(w, 0..4);
        assert!(c >= cfg.summary_containment);
        // a linked sentence takes no window
        let windows = summary_windows(&p, &cands, &vec![Some((0, 0.5))]);
        assert!(windows[0].is_none());
        let got = links(&p, &vec![None], &vec![Some((0..4, c))]);
        assert_eq!(runs(&got), [(0..1, 0..4)]);
    }

    #[test]
    fn a_rewritten_headline_links_to_the_source_headline_above_reuse() {
        let q = "Surprise move as bank raises rates\n\
            The central bank raised interest rates to curb rising inflation.";
        let s = "Bank raises rates in surprise move\n\
            The central bank raised interest rates to curb rising inflation.";
        let (qa, sa, sim) = pair(q, s);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let mut got = vec![crate::align::testing::sentence_link(
            &qa,
            &sa,
            1..2,
            1..2,
            1.0,
        )];
        headline(&p, &mut got);
        assert_eq!(runs(&got), [(0..1, 0..1), (1..2, 1..2)]);
        // no reused body, no headline link
        let mut none = Vec::new();
        headline(&p, &mut none);
        assert!(none.is_empty());
    }
}
