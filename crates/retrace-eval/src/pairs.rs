//! Verdict evaluation on labelled pairs: precision, recall, ROC-AUC and the
//! reliability table (is a confidence of 0.8 right 80% of the time?).
//!
//! In: for each pair, the engine's confidence and verdict and the gold
//! label. Out: a [`PairsSummary`].

use serde::Serialize;

/// One evaluated pair.
#[derive(Debug, Clone, Copy)]
pub struct ScoredPair {
    /// The engine's confidence that the pair is derived.
    pub confidence: f32,
    /// Whether the engine's verdict is `derived`.
    pub predicted: bool,
    /// Whether the gold label is `derived`.
    pub derived: bool,
}

/// One confidence bucket of the reliability table.
#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    /// Lower bound (inclusive).
    pub lo: f32,
    /// Upper bound (exclusive; the last bucket includes 1.0).
    pub hi: f32,
    /// Pairs whose confidence falls in the bucket.
    pub pairs: usize,
    /// Of those, the truly derived.
    pub derived: usize,
    /// `derived / pairs` (`null` for an empty bucket).
    pub share_derived: Option<f32>,
    /// Mean confidence in the bucket.
    pub mean_confidence: Option<f32>,
}

/// What `retrace eval pairs` prints.
#[derive(Debug, Clone, Serialize)]
pub struct PairsSummary {
    /// Pairs evaluated.
    pub pairs: usize,
    /// Gold `derived` pairs.
    pub positives: usize,
    /// Gold `related` pairs.
    pub negatives: usize,
    /// Derived pairs called derived.
    pub true_positives: usize,
    /// Related pairs called derived (the worst error).
    pub false_positives: usize,
    /// Derived pairs called related.
    pub false_negatives: usize,
    /// `tp / (tp + fp)` (1 when nothing was called derived).
    pub precision: f32,
    /// `tp / (tp + fn)`.
    pub recall: f32,
    /// Area under the ROC curve of the confidence.
    pub roc_auc: f32,
    /// Expected calibration error: the pair-weighted mean of
    /// `|share_derived - mean_confidence|` over the buckets.
    pub ece: f32,
    /// Ten buckets of confidence, 0.0-0.1 ... 0.9-1.0.
    pub reliability: Vec<Bucket>,
}

/// Summarises evaluated pairs.
pub fn summarize(pairs: &[ScoredPair]) -> PairsSummary {
    let positives = pairs.iter().filter(|p| p.derived).count();
    let negatives = pairs.len() - positives;
    let tp = pairs.iter().filter(|p| p.derived && p.predicted).count();
    let fp = pairs.iter().filter(|p| !p.derived && p.predicted).count();
    let fn_ = positives - tp;
    let mut reliability = Vec::new();
    let mut ece = 0.0;
    for b in 0..10 {
        let (lo, hi) = (b as f32 / 10.0, (b + 1) as f32 / 10.0);
        let inside: Vec<&ScoredPair> = pairs
            .iter()
            .filter(|p| {
                let c = p.confidence.clamp(0.0, 1.0);
                c >= lo && (c < hi || (b == 9 && c <= 1.0))
            })
            .collect();
        let n = inside.len();
        let d = inside.iter().filter(|p| p.derived).count();
        let share = (n > 0).then(|| d as f32 / n as f32);
        let mean = (n > 0).then(|| inside.iter().map(|p| p.confidence).sum::<f32>() / n as f32);
        if let (Some(s), Some(m)) = (share, mean) {
            ece += n as f32 * (s - m).abs();
        }
        reliability.push(Bucket {
            lo,
            hi,
            pairs: n,
            derived: d,
            share_derived: share,
            mean_confidence: mean,
        });
    }
    PairsSummary {
        pairs: pairs.len(),
        positives,
        negatives,
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
        precision: if tp + fp == 0 {
            1.0
        } else {
            tp as f32 / (tp + fp) as f32
        },
        recall: if positives == 0 {
            0.0
        } else {
            tp as f32 / positives as f32
        },
        roc_auc: roc_auc(pairs),
        ece: if pairs.is_empty() {
            0.0
        } else {
            ece / pairs.len() as f32
        },
        reliability,
    }
}

/// ROC-AUC by the rank-sum formula (ties count one half).
fn roc_auc(pairs: &[ScoredPair]) -> f32 {
    let mut v: Vec<(f32, bool)> = pairs.iter().map(|p| (p.confidence, p.derived)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (pos, neg) = (
        v.iter().filter(|x| x.1).count() as f64,
        v.iter().filter(|x| !x.1).count() as f64,
    );
    if pos == 0.0 || neg == 0.0 {
        return 0.5;
    }
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j].0 == v[i].0 {
            j += 1;
        }
        let mid = (i + j + 1) as f64 / 2.0; // mean 1-based rank of the tie group
        rank_sum += mid * v[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    ((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(c: f32, derived: bool) -> ScoredPair {
        ScoredPair {
            confidence: c,
            predicted: c >= 0.5,
            derived,
        }
    }

    #[test]
    fn perfect_ranking_and_counts() {
        let s = summarize(&[p(0.9, true), p(0.8, true), p(0.1, false), p(0.6, false)]);
        assert_eq!(
            (s.true_positives, s.false_positives, s.false_negatives),
            (2, 1, 0)
        );
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(s.recall, 1.0);
        assert_eq!(s.roc_auc, 1.0);
        assert_eq!(s.reliability.len(), 10);
        assert_eq!(s.reliability[9].pairs, 1);
        assert_eq!(s.reliability[1].pairs, 1);
    }

    #[test]
    fn ties_count_half() {
        let s = summarize(&[p(0.5, true), p(0.5, false)]);
        assert_eq!(s.roc_auc, 0.5);
    }
}
