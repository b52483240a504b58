//! Second passes and the vocabulary check: what [`super::align()`] does
//! with the first pass's passages.
//!
//! In: the passages of the first pass (seeds to passages, with the
//! configured thresholds). Out: those passages, or, when there are none, the
//! passages of a relaxed pass (the `rescue_*` thresholds, see
//! [`AlignConfig::rescue`]); summaries extended over what the relaxed pass
//! finds overlapping them (see [`AlignConfig::summary_extend`]); and then
//! only the passages whose whole runs share enough vocabulary (stricter for
//! rescued ones).

use super::passages::run_lexical;
use super::{align_pass, AlignConfig, AlignedPassage, PassageKind};
use crate::features::PairSimilarity;
use crate::text::Analysis;

/// Runs the relaxed pass where the first pass's `out` calls for it: in its
/// place when `out` is empty (returns `true`: the passages are rescued),
/// or to extend `out`'s summaries.
pub(super) fn rescue(
    q: &Analysis,
    s: &Analysis,
    sim: &PairSimilarity,
    cfg: &AlignConfig,
    out: &mut Vec<AlignedPassage>,
) -> bool {
    if out.is_empty() {
        if cfg.rescue {
            *out = align_pass(q, s, sim, &cfg.relaxed());
            return true;
        }
    } else if cfg.summary_extend && out.iter().any(|p| p.kind == PassageKind::Summary) {
        let extra = align_pass(q, s, sim, &cfg.relaxed());
        extend_summaries(out, &extra);
    }
    false
}

/// A summary passage takes in each of the `extra` passages overlapping it
/// on both sides: a summary's sentences each match weakly, so the first
/// pass finds only part of it.
fn extend_summaries(out: &mut [AlignedPassage], extra: &[AlignedPassage]) {
    for p in out.iter_mut().filter(|p| p.kind == PassageKind::Summary) {
        for e in extra {
            if e.query_span.overlap(&p.query_span) > 0 && e.source_span.overlap(&p.source_span) > 0
            {
                p.query_span = p.query_span.cover(&e.query_span);
                p.source_span = p.source_span.cover(&e.source_span);
            }
        }
    }
}

/// Keeps the passages whose whole runs share vocabulary (see
/// [`AlignConfig::run_lexical_min`]): a few chance sentence matches between
/// texts on one topic do not add up to reuse. A rescued passage, found with
/// relaxed thresholds, needs at least `rescue_keep_lexical`, and it needs
/// `rescue_keep_min` similarity unless its whole runs reach
/// `rescue_keep_run_lexical`.
pub(super) fn keep_shared_vocabulary(
    out: &mut Vec<AlignedPassage>,
    sim: &PairSimilarity,
    cfg: &AlignConfig,
    rescued: bool,
) {
    out.retain(|p| {
        let lexical = run_lexical(sim, p);
        let mut min = if p.kind == PassageKind::Summary {
            cfg.summary_run_lexical_min
        } else {
            cfg.run_lexical_min
        };
        if rescued {
            if p.similarity < cfg.rescue_keep_min && lexical < cfg.rescue_keep_run_lexical {
                return false;
            }
            min = min.max(cfg.rescue_keep_lexical);
        }
        lexical >= min
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::{link, pair, passage, sentence_link};

    const TEXT: &str = "Volcanic ash grounded flights across northern Europe for days. \
        Airlines cancelled thousands of departures while the cloud drifted south. \
        Passengers slept in terminals waiting for news about their journeys.";

    #[test]
    fn the_relaxed_pass_runs_when_the_first_finds_nothing() {
        let (qa, sa, sim) = pair(TEXT, TEXT);
        // the first pass can seed nothing; the relaxed one can
        let cfg = AlignConfig {
            seed_min: 1.1,
            literal_min_words: 0,
            summary_min_terms: 100,
            ..AlignConfig::default()
        };
        let mut out = align_pass(&qa, &sa, &sim, &cfg);
        assert!(out.is_empty());
        assert!(rescue(&qa, &sa, &sim, &cfg, &mut out));
        assert_eq!(out.len(), 1);
        // rescue switched off: still nothing
        let off = AlignConfig {
            rescue: false,
            ..cfg.clone()
        };
        let mut out = Vec::new();
        assert!(!rescue(&qa, &sa, &sim, &off, &mut out));
        assert!(out.is_empty());
    }

    #[test]
    fn a_summary_takes_in_passages_overlapping_it_on_both_sides() {
        let mut out = vec![
            passage(
                vec![link((100, 200), (1000, 3000))],
                0.5,
                PassageKind::Summary,
            ),
            passage(
                vec![link((500, 600), (5000, 5100))],
                0.5,
                PassageKind::Paraphrase,
            ),
        ];
        let extra = vec![
            passage(
                vec![link((150, 300), (2500, 3500))],
                0.4,
                PassageKind::Paraphrase,
            ),
            // overlaps on the suspect side only
            passage(
                vec![link((50, 120), (9000, 9100))],
                0.4,
                PassageKind::Paraphrase,
            ),
            // overlaps the paraphrase, which is not extended
            passage(
                vec![link((550, 700), (5000, 5200))],
                0.4,
                PassageKind::Paraphrase,
            ),
        ];
        extend_summaries(&mut out, &extra);
        assert_eq!((out[0].query_span.start, out[0].query_span.end), (100, 300));
        assert_eq!(
            (out[0].source_span.start, out[0].source_span.end),
            (1000, 3500)
        );
        assert_eq!((out[1].query_span.start, out[1].query_span.end), (500, 600));
    }

    #[test]
    fn passages_whose_runs_share_few_words_are_dropped() {
        let q = "Volcanic ash grounded flights across northern Europe for days. \
            The central bank raised interest rates to curb rising inflation.";
        let (qa, sa, sim) = pair(q, TEXT);
        let cfg = AlignConfig::default();
        let reused = passage(
            vec![sentence_link(&qa, &sa, 0..1, 0..1, 0.9)],
            0.9,
            PassageKind::Verbatim,
        );
        let chance = passage(
            vec![sentence_link(&qa, &sa, 1..2, 1..2, 0.5)],
            0.5,
            PassageKind::Paraphrase,
        );
        let mut out = vec![reused.clone(), chance];
        keep_shared_vocabulary(&mut out, &sim, &cfg, false);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].query_span, reused.query_span);
        // rescued: a weak passage needs whole runs sharing most words
        let mut weak = reused.clone();
        weak.similarity = 0.1;
        let mut out = vec![weak];
        keep_shared_vocabulary(&mut out, &sim, &cfg, true);
        assert_eq!(out.len(), 1, "its runs are the same words");
    }
}
