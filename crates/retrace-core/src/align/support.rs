//! Phase 2 of a pass: support.
//!
//! In: the [`Candidates`] and the seeds ([`Chosen`]) of the seeds phase.
//! Out: the same [`Chosen`] with weaker pairs accepted where their
//! neighbours vouch for them:
//! - a pair reaching [`AlignConfig::support_min`] next to a link in a
//!   consistent direction (reworded prose keeps its order locally even
//!   where paragraphs move), or reaching
//!   [`AlignConfig::reorder_support_min`] next to a strong link to a nearby
//!   source sentence in either direction (local reordering);
//! - with a sentence model, a pair between linked neighbours whose
//!   embeddings agree (see [`AlignConfig::semantic_support_min`]);
//! - bridges: a sentence between two linked neighbours whose source
//!   sentences leave room for exactly it takes the sentence between.

use super::seeds::{Candidates, Chosen};
use super::{AlignConfig, Pass};
use crate::features::PairSimilarity;
use crate::tuning::support::{BRIDGE_MAX_SPAN, SUPPORT_ROUNDS};

/// Accepts weaker pairs next to accepted ones, up to `SUPPORT_ROUNDS` (4)
/// rounds (each round's links may support the next).
pub(super) fn support(p: &Pass, cands: &Candidates, chosen: &mut Chosen) {
    let (sim, cfg, ns) = (p.sim, p.cfg, p.ns());
    for _ in 0..SUPPORT_ROUNDS {
        let mut changed = false;
        for i in 0..p.nq() {
            if chosen[i].is_some() {
                continue;
            }
            if let Some(&(j, sc)) = cands[i].iter().find(|&&(j, sc)| {
                (sc >= cfg.support_min && supported(chosen, i, j, cfg.support_window))
                    || (sc >= cfg.reorder_support_min
                        && near(chosen, i, j, cfg.support_window, cfg.reorder_anchor_min))
            }) {
                chosen[i] = Some((j, sc));
                changed = true;
                continue;
            }
            // meaning without shared words: with a sentence model, a
            // neighbour-supported pair whose embeddings agree strongly
            if Some(i) == p.q_title {
                continue;
            }
            if let Some((j, sc)) = semantic_support(sim, chosen, i, ns, p.s_title, cfg) {
                chosen[i] = Some((j, sc));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Bridges: a sentence between two linked neighbours whose source sentences
/// leave exactly the room for it takes the sentence between, when it scores
/// at least [`AlignConfig::bridge_min`] there (also when it was linked far
/// off: a stray match of a few words, often in a short source sentence,
/// loses to the order of its neighbours).
pub(super) fn bridges(p: &Pass, cands: &Candidates, chosen: &mut Chosen) {
    let cfg = p.cfg;
    for i in 1..p.nq().saturating_sub(1) {
        if let (Some((j, _)), Some((a, _)), Some((b, _))) =
            (chosen[i], chosen[i - 1], chosen[i + 1])
        {
            if !(b >= a + 2 && b <= a + BRIDGE_MAX_SPAN && (j + 1 < a || j > b + 1)) {
                continue;
            }
        } else if chosen[i].is_some() {
            continue;
        }
        if let (Some((a, _)), Some((b, _))) = (chosen[i - 1], chosen[i + 1]) {
            if b >= a + 2 && b <= a + BRIDGE_MAX_SPAN {
                if let Some(&(j, sc)) = cands[i]
                    .iter()
                    .find(|&&(j, sc)| j > a && j < b && sc >= cfg.bridge_min)
                {
                    chosen[i] = Some((j, sc));
                }
            }
        }
    }
}

/// The best source sentence for suspect sentence `i` (which must lie between
/// linked neighbours) among those its neighbours point to, by embedding
/// cosine, when it reaches [`AlignConfig::semantic_support_min`].
fn semantic_support(
    sim: &PairSimilarity,
    chosen: &[Option<(usize, f32)>],
    i: usize,
    ns: usize,
    s_title: Option<usize>,
    cfg: &AlignConfig,
) -> Option<(usize, f32)> {
    let w = cfg.support_window;
    // only inside a reused region: linked neighbours on both sides
    let before = (i.saturating_sub(w)..i).any(|x| chosen[x].is_some());
    let after = (i + 1..=(i + w).min(chosen.len() - 1)).any(|x| chosen[x].is_some());
    if !(before && after) {
        return None;
    }
    let mut js: Vec<usize> = Vec::new();
    let lo = i.saturating_sub(w);
    for (i2, c) in chosen
        .iter()
        .enumerate()
        .take((i + w).min(chosen.len() - 1) + 1)
        .skip(lo)
    {
        if i2 == i {
            continue;
        }
        if let Some((j2, _)) = *c {
            if i2 < i {
                js.extend(j2..(j2 + w + 2).min(ns));
            } else {
                js.extend(j2.saturating_sub(w + 1)..=j2);
            }
        }
    }
    js.sort_unstable();
    js.dedup();
    let mut best: Option<(usize, f32)> = None;
    for j in js {
        if Some(j) == s_title || !supported(chosen, i, j, w) {
            continue;
        }
        let c = sim.semantic(i..i + 1, j..j + 1)?;
        if c >= cfg.semantic_support_min && best.is_none_or(|b| c > b.1) {
            best = Some((j, c));
        }
    }
    best.map(|(j, _)| (j, sim.score(i..i + 1, j..j + 1).max(cfg.support_min)))
}

/// The linked neighbours of suspect sentence `i` (at most `w` sentences
/// away), as `(suspect sentence, source sentence, score)`.
fn linked_neighbours(
    chosen: &[Option<(usize, f32)>],
    i: usize,
    w: usize,
) -> impl Iterator<Item = (usize, usize, f32)> + '_ {
    let hi = (i + w).min(chosen.len().saturating_sub(1));
    (i.saturating_sub(w)..=hi)
        .filter(move |&i2| i2 != i)
        .filter_map(move |i2| chosen[i2].map(|(j2, sc)| (i2, j2, sc)))
}

/// Whether linking suspect sentence `i` to source sentence `j` agrees with a
/// neighbour's link (within `w` sentences, in a consistent direction).
pub(super) fn supported(chosen: &[Option<(usize, f32)>], i: usize, j: usize, w: usize) -> bool {
    linked_neighbours(chosen, i, w).any(|(i2, j2, _)| {
        let di = i2 as isize - i as isize;
        let dj = j2 as isize - j as isize;
        // same direction, at most w+1 source sentences apart; a split
        // (dj == 0) is allowed
        dj == 0 || (dj.signum() == di.signum() && dj.abs() <= w as isize + 1)
    })
}

/// Whether a neighbour of suspect sentence `i` (at most `w` away) is linked
/// with at least `min` to a source sentence at most `w + 1` from `j`, in
/// either direction (see [`AlignConfig::reorder_support_min`]).
fn near(chosen: &[Option<(usize, f32)>], i: usize, j: usize, w: usize, min: f32) -> bool {
    linked_neighbours(chosen, i, w).any(|(_, j2, sc)| j2.abs_diff(j) <= w + 1 && sc >= min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::pair;

    #[test]
    fn support_needs_a_neighbour_in_a_consistent_direction() {
        // suspect 2 is linked to source 5
        let chosen: Chosen = vec![None, None, Some((5, 0.9)), None, None, None];
        // suspect 3 on source 6 or 7 follows it; on 5 it splits it
        assert!(supported(&chosen, 3, 6, 2));
        assert!(supported(&chosen, 3, 7, 2));
        assert!(supported(&chosen, 3, 5, 2));
        // backwards, or too far ahead: no
        assert!(!supported(&chosen, 3, 4, 2));
        assert!(!supported(&chosen, 3, 9, 2));
        // suspect 1 before it must point before it
        assert!(supported(&chosen, 1, 4, 2));
        assert!(!supported(&chosen, 1, 6, 2));
        // further than the window: no neighbour
        assert!(!supported(&chosen, 5, 6, 2));
    }

    #[test]
    fn near_allows_either_direction_with_a_strong_anchor() {
        let chosen: Chosen = vec![Some((5, 0.9)), None, Some((1, 0.2))];
        // suspect 1 on source 4: source 5 of its neighbour is 1 away (backwards)
        assert!(near(&chosen, 1, 4, 2, 0.35));
        assert!(!supported(&chosen, 1, 4, 2));
        // the anchor must be strong: the link to source 1 is too weak
        assert!(!near(&chosen, 1, 0, 2, 0.35));
        assert!(near(&chosen, 1, 0, 2, 0.1));
    }

    const SOURCE: &str = "Volcanic ash grounded flights across northern Europe for days. \
        Airlines cancelled thousands of departures while the cloud drifted south. \
        Passengers slept in terminals waiting for news about their journeys. \
        Farmers in the valley harvested grapes earlier than usual this autumn. \
        The central bank raised interest rates to curb rising inflation. \
        Engineers tested the new bridge with heavy trucks before opening.";

    #[test]
    fn a_weak_pair_next_to_a_seed_is_accepted() {
        // suspect 0 copies source 0; suspect 1 rewords source 1 weakly
        let q = "Volcanic ash grounded flights across northern Europe for days. \
            The airlines had to cancel their departures and refund tickets.";
        let (qa, sa, sim) = pair(q, SOURCE);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let cands = super::super::seeds::candidates(&p);
        let weak = cands[1].iter().find(|c| c.0 == 1).expect("candidate").1;
        assert!(weak >= cfg.support_min && weak < cfg.seed_min, "{weak}");
        let mut chosen: Chosen = vec![Some((0, 1.0)), None];
        support(&p, &cands, &mut chosen);
        assert_eq!(chosen[1].map(|c| c.0), Some(1));
        // without the seed nothing supports it
        let mut alone: Chosen = vec![None, None];
        support(&p, &cands, &mut alone);
        assert_eq!(alone, vec![None, None]);
    }

    #[test]
    fn a_bridge_fills_the_gap_between_linked_neighbours() {
        let q = "Volcanic ash grounded flights across northern Europe for days. \
            Many departures had to go. \
            Passengers slept in terminals waiting for news about their journeys.";
        let (qa, sa, sim) = pair(q, SOURCE);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let cands = super::super::seeds::candidates(&p);
        let mut chosen: Chosen = vec![Some((0, 1.0)), None, Some((2, 1.0))];
        bridges(&p, &cands, &mut chosen);
        assert_eq!(chosen[1].map(|c| c.0), Some(1));
        // a stray link far off gives way too
        let mut chosen: Chosen = vec![Some((0, 1.0)), Some((5, 0.2)), Some((2, 1.0))];
        bridges(&p, &cands, &mut chosen);
        assert_eq!(chosen[1].map(|c| c.0), Some(1));
        // neighbours without room between them: nothing to bridge
        let mut chosen: Chosen = vec![Some((0, 1.0)), None, Some((1, 1.0))];
        bridges(&p, &cands, &mut chosen);
        assert_eq!(chosen[1], None);
    }
}
