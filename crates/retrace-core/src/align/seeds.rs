//! Phase 1 of a pass: seeds.
//!
//! In: the pair's [`PairSimilarity`] and the pass's settings (a [`Pass`]).
//! Out: the [`Candidates`] of every suspect sentence (source sentences
//! scoring at least [`AlignConfig::candidate_min`], scored on their best
//! merge, best first) and the first [`Chosen`] links: seeds (pairs reaching
//! [`AlignConfig::seed_min`] with enough shared words), seeds moved to a
//! supported alternative when they lie off every neighbour's diagonal, and
//! pair seeds (two neighbouring weak pairs that together score like a seed).
//!
//! Headlines take no part here: they pair only with each other (see
//! [`super::links::headline`]).
//!
//! [`AlignConfig::candidate_min`]: super::AlignConfig::candidate_min
//! [`AlignConfig::seed_min`]: super::AlignConfig::seed_min

use super::support::supported;
use super::Pass;
use crate::features::PairSimilarity;
use crate::tuning::seeds::{PAIR_SEED_CANDIDATES, PAIR_SEED_MAX_STEP, SEED_CANDIDATES};

/// Per suspect sentence: candidate source sentences with their scores, best
/// first.
pub(super) type Candidates = Vec<Vec<(usize, f32)>>;

/// Per suspect sentence: the source sentence it is linked to, with the
/// pair's score, if any.
pub(super) type Chosen = Vec<Option<(usize, f32)>>;

/// Candidates per suspect sentence, best first. A suspect sentence that
/// merges two source sentences matches their run better than either one, so
/// each candidate is scored on its best run (less
/// [`AlignConfig::merge_gain`](super::AlignConfig::merge_gain)).
pub(super) fn candidates(p: &Pass) -> Candidates {
    let (sim, cfg, ns) = (p.sim, p.cfg, p.ns());
    let mut cands: Candidates = vec![Vec::new(); p.nq()];
    // titles (headlines) pair only with each other; see `links::headline`
    for (i, j, sc) in sim.candidates(cfg.candidate_min) {
        if Some(i) == p.q_title || Some(j) == p.s_title {
            continue;
        }
        cands[i].push((j, sc));
    }
    // a suspect sentence that merges two source sentences matches their
    // run better than either one: score candidates on the best run
    for (i, c) in cands.iter_mut().enumerate() {
        for e in c.iter_mut() {
            let j = e.0;
            if j + 1 < ns && Some(j + 1) != p.s_title {
                e.1 = e.1.max(sim.score(i..i + 1, j..j + 2) - cfg.merge_gain);
            }
            if j > 0 && Some(j - 1) != p.s_title {
                e.1 = e.1.max(sim.score(i..i + 1, j - 1..j + 1) - cfg.merge_gain);
            }
        }
        c.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    cands
}

/// The seeds: for each suspect sentence, the first of its
/// `SEED_CANDIDATES` (3) best candidates that reaches `seed_min` and whose lexical score reaches
/// `seed_lexical_min`.
pub(super) fn seeds(p: &Pass, cands: &Candidates) -> Chosen {
    let (sim, cfg, ns) = (p.sim, p.cfg, p.ns());
    let mut chosen: Chosen = vec![None; p.nq()];
    for i in 0..p.nq() {
        // a seed stands on its own, so it needs shared words as well as a
        // high combined score; meaning alone only counts next to a seed
        if let Some(&(j, sc)) = cands[i].iter().take(SEED_CANDIDATES).find(|&&(j, sc)| {
            sc >= cfg.seed_min && seed_lexical(sim, i, j, ns) >= cfg.seed_lexical_min
        }) {
            chosen[i] = Some((j, sc));
        }
    }
    chosen
}

/// Re-seeding: a seed that is far off every neighbour's diagonal while a
/// supported alternative exists is replaced by the alternative (repeated
/// sentences).
pub(super) fn reseed(p: &Pass, cands: &Candidates, chosen: &mut Chosen) {
    let cfg = p.cfg;
    for i in 0..p.nq() {
        if let Some((j, _)) = chosen[i] {
            if !supported(chosen, i, j, cfg.support_window) {
                if let Some(&(j2, sc2)) = cands[i].iter().skip(1).find(|&&(j2, sc2)| {
                    sc2 >= cfg.seed_min && supported(chosen, i, j2, cfg.support_window)
                }) {
                    chosen[i] = Some((j2, sc2));
                }
            }
        }
    }
}

/// Pair seeds: two neighbouring unlinked sentences with weak pairs (at
/// least `support_min`) in a consistent direction whose runs together score
/// like a seed support each other.
pub(super) fn pair_seeds(p: &Pass, cands: &Candidates, chosen: &mut Chosen) {
    let (sim, cfg) = (p.sim, p.cfg);
    for i in 0..p.nq().saturating_sub(1) {
        if chosen[i].is_some() || chosen[i + 1].is_some() {
            continue;
        }
        let mut best: Option<(usize, usize, f32, f32, f32)> = None;
        for &(j, a) in cands[i]
            .iter()
            .filter(|c| c.1 >= cfg.support_min)
            .take(PAIR_SEED_CANDIDATES)
        {
            for &(j2, b) in cands[i + 1]
                .iter()
                .filter(|c| c.1 >= cfg.support_min)
                .take(PAIR_SEED_CANDIDATES)
            {
                if j2 < j || j2 > j + PAIR_SEED_MAX_STEP {
                    continue;
                }
                let run = sim.score(i..i + 2, j..j2 + 1);
                if run >= cfg.seed_min && best.is_none_or(|x| run > x.4) {
                    best = Some((j, j2, a, b, run));
                }
            }
        }
        if let Some((j, j2, a, b, _)) = best {
            chosen[i] = Some((j, a));
            chosen[i + 1] = Some((j2, b));
        }
    }
}

/// The lexical score of a seed candidate, on its best run (merges count).
fn seed_lexical(sim: &PairSimilarity, i: usize, j: usize, ns: usize) -> f32 {
    let mut l = sim.lexical(i..i + 1, j..j + 1);
    if j + 1 < ns {
        l = l.max(sim.lexical(i..i + 1, j..j + 2));
    }
    if j > 0 {
        l = l.max(sim.lexical(i..i + 1, j - 1..j + 1));
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::pair;
    use crate::align::AlignConfig;

    const SOURCE: &str = "Volcanic ash grounded flights across northern Europe for days. \
        Farmers in the valley harvested grapes earlier than usual this autumn. \
        The central bank raised interest rates to curb rising inflation. \
        Engineers tested the new bridge with heavy trucks before opening.";

    #[test]
    fn a_copied_sentence_seeds_on_its_source_sentence() {
        // suspect sentences 1 and 2 are copies of source sentences 2 and 0
        let q = "Nothing in this opening line appears anywhere else. \
            The central bank raised interest rates to curb rising inflation. \
            Volcanic ash grounded flights across northern Europe for days.";
        let (qa, sa, sim) = pair(q, SOURCE);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let cands = candidates(&p);
        assert!(cands[0].is_empty());
        assert_eq!(cands[1][0].0, 2);
        assert_eq!(cands[2][0].0, 0);
        for c in &cands {
            assert!(c.windows(2).all(|w| w[0].1 >= w[1].1), "best first");
        }
        let chosen = seeds(&p, &cands);
        assert_eq!(chosen[0], None);
        assert_eq!(chosen[1].map(|c| c.0), Some(2));
        assert_eq!(chosen[2].map(|c| c.0), Some(0));
    }

    #[test]
    fn headlines_are_no_candidates() {
        // both texts open with the same headline (a short first block
        // without a final period)
        let q = "Bank raises rates again\n\
            The central bank raised interest rates to curb rising inflation.";
        let s = "Bank raises rates again\n\
            The central bank raised interest rates to curb rising inflation.";
        let (qa, sa, sim) = pair(q, s);
        assert_eq!((qa.title(), sa.title()), (Some(0), Some(0)));
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let cands = candidates(&p);
        assert!(cands[0].is_empty());
        assert_eq!(cands[1].iter().map(|c| c.0).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_seed_needs_shared_words_as_well_as_a_high_score() {
        let q = "The central bank raised interest rates to curb rising inflation.";
        let (qa, sa, sim) = pair(q, SOURCE);
        let strict = AlignConfig {
            seed_lexical_min: 1.01,
            ..AlignConfig::default()
        };
        let p = Pass::new(&qa, &sa, &sim, &strict);
        let cands = candidates(&p);
        assert_eq!(seeds(&p, &cands), vec![None]);
        // the lexical score counts the best merge of the candidate
        let merged = seed_lexical(&sim, 0, 2, sa.sentences.len());
        assert!(merged >= sim.lexical(0..1, 2..3));
    }

    #[test]
    fn reseeding_moves_a_seed_off_the_diagonal_to_a_supported_alternative() {
        // source sentence 3 repeats sentence 0 in shorter form, the suspect
        // copies that form and the sentence after 0: its first sentence
        // scores best on 3 but belongs to 0, next to its neighbour's source
        let s = "Volcanic ash grounded flights across northern Europe for days. \
            Farmers in the valley harvested grapes earlier than usual this autumn. \
            Engineers tested the new bridge with heavy trucks before opening. \
            Volcanic ash grounded flights across northern Europe.";
        let q = "Volcanic ash grounded flights across northern Europe. \
            Farmers in the valley harvested grapes earlier than usual this autumn.";
        let (qa, sa, sim) = pair(q, s);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let cands = candidates(&p);
        let mut chosen = seeds(&p, &cands);
        assert_eq!(chosen[0].map(|c| c.0), Some(3));
        assert_eq!(chosen[1].map(|c| c.0), Some(1));
        reseed(&p, &cands, &mut chosen);
        assert_eq!(chosen[0].map(|c| c.0), Some(0));
        assert_eq!(chosen[1].map(|c| c.0), Some(1));
    }

    #[test]
    fn two_weak_neighbours_seed_together_when_their_runs_score_like_a_seed() {
        let q = "The central bank raised interest rates. \
            It did so to curb rising inflation.";
        let s = "The central bank raised interest rates to curb rising inflation.";
        let (qa, sa, sim) = pair(q, s);
        // no single sentence reaches the seed threshold, their run does
        let cfg = AlignConfig {
            seed_min: 0.9,
            support_min: 0.1,
            ..AlignConfig::default()
        };
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let cands = candidates(&p);
        assert!(cands.iter().all(|c| c[0].1 < cfg.seed_min));
        assert!(sim.score(0..2, 0..1) >= cfg.seed_min);
        let mut chosen = seeds(&p, &cands);
        assert_eq!(chosen, vec![None, None]);
        pair_seeds(&p, &cands, &mut chosen);
        assert_eq!(
            chosen.iter().map(|c| c.map(|c| c.0)).collect::<Vec<_>>(),
            [Some(0), Some(0)]
        );
    }
}
