//! The verdict stage: is the suspect (or a part of it) derived from this
//! source, and how sure is that?
//!
//! In: what the alignment and the similarity stage found for one
//! (suspect, source) pair. Out: a [`Verdict`] (`derived` or `related`) and a
//! confidence in `[0, 1]`, the probability that the suspect, or a part of
//! it, was written from this source (copied, paraphrased, summarised or
//! translated).
//!
//! The decision is a logistic model over evidence of derivation, not one
//! score ([`FEATURES`]): coverage on both sides, the link similarities,
//! whether linked sentences keep their source's order, literal word runs,
//! how many of the suspect's numbers and names the source holds, whether
//! the suspect's sentences find their best matches in the source's order
//! (a summary's shape), and the summary's length ratio. Same-topic text
//! shares vocabulary and names but not the order of the facts nor their
//! numbers.
//!
//! The weights are data ([`VerdictModel::builtin`], `verdict/model-v1.json`),
//! trained by `scripts/train_verdict.py` on development data only (see that
//! script and the README's "Verdicts" section), and versioned: the model's
//! `version` is recorded in every report's sources.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::features::PairSimilarity;
use crate::report::{PassageKind, SourceReport};
use crate::text::{Analysis, TokenKind};

/// Whether a source is a source of the suspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Verdict {
    /// The suspect, or a part of it, was written from this source.
    Derived,
    /// Shared topic, facts, names or stock phrases without evidence of
    /// derivation.
    #[default]
    Related,
}

impl Verdict {
    /// The name used in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Derived => "derived",
            Verdict::Related => "related",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The names of the model's inputs, in order (see [`features`]).
pub const FEATURES: &[&str] = &[
    "score",
    "query_coverage",
    "source_coverage",
    "max_passage_similarity",
    "longest_passage_share",
    "log_links",
    "mean_link_similarity",
    "strong_link_share",
    "link_order",
    "shared_5grams",
    "shared_3grams",
    "number_share",
    "log_shared_numbers",
    "name_share",
    "log_length_ratio",
    "best_match_order",
    "best_match_mean",
    "summary_order",
    "literal_passage_share",
    "best_passage_log_chars",
    "best_passage_mean_link",
    "best_passage_strong_share",
    "best_passage_order",
    "best_passage_log_links",
];

/// Lowest single-sentence score that counts as a suspect sentence's best
/// match for the order features (`best_match_order`, `summary_order`).
/// Not tuned: about where unrelated sentences of one topic stop matching.
const BEST_MATCH_MIN: f32 = 0.25;

/// A node of a regression tree: a split on one feature, or a leaf value.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TreeNode {
    /// `x[feature] < threshold` goes left, else right.
    Split {
        /// Index into [`FEATURES`].
        feature: usize,
        /// Split point.
        threshold: f32,
        /// Below the threshold.
        left: Box<TreeNode>,
        /// At or above it.
        right: Box<TreeNode>,
    },
    /// A leaf: added to the log-odds.
    Leaf {
        /// Contribution to the log-odds.
        value: f32,
    },
}

impl TreeNode {
    fn eval(&self, x: &[f32]) -> f32 {
        let mut n = self;
        loop {
            match n {
                TreeNode::Leaf { value } => return *value,
                TreeNode::Split {
                    feature,
                    threshold,
                    left,
                    right,
                } => {
                    let v = x.get(*feature).copied().unwrap_or(0.0);
                    n = if v < *threshold { left } else { right };
                }
            }
        }
    }

    fn max_feature(&self) -> Option<usize> {
        match self {
            TreeNode::Leaf { .. } => None,
            TreeNode::Split {
                feature,
                left,
                right,
                ..
            } => Some(
                (*feature)
                    .max(left.max_feature().unwrap_or(0))
                    .max(right.max_feature().unwrap_or(0)),
            ),
        }
    }
}

/// A model over [`FEATURES`], read from JSON: the log-odds of `derived`
/// are `bias + sum(weights * standardised features) + sum(trees)`, a
/// logistic part plus boosted regression trees (either may be empty).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VerdictModel {
    /// Version, recorded in reports (`verdict_model`).
    pub version: String,
    /// What it was trained on, for people.
    #[serde(default)]
    pub trained_on: String,
    /// Feature names; must equal [`FEATURES`].
    pub features: Vec<String>,
    /// Per-feature mean subtracted before weighting.
    pub mean: Vec<f32>,
    /// Per-feature scale divided by before weighting.
    pub scale: Vec<f32>,
    /// Per-feature weight.
    pub weights: Vec<f32>,
    /// Intercept.
    pub bias: f32,
    /// Boosted regression trees added to the log-odds.
    #[serde(default)]
    pub trees: Vec<TreeNode>,
    /// Calibration: `(raw probability, calibrated probability)` points,
    /// increasing, interpolated linearly (isotonic regression fitted on
    /// out-of-fold predictions); empty: the raw probability is used.
    #[serde(default)]
    pub calibration: Vec<(f32, f32)>,
    /// Confidence at or above which the verdict is `derived`.
    pub threshold: f32,
}

impl VerdictModel {
    /// The model shipped with this build (`verdict/model-v1.json`).
    pub fn builtin() -> &'static VerdictModel {
        static M: OnceLock<VerdictModel> = OnceLock::new();
        M.get_or_init(|| {
            VerdictModel::from_json(include_str!("model-v1.json"))
                .unwrap_or_else(|e| unreachable!("the built-in verdict model is valid: {e}"))
        })
    }

    /// Reads a model from JSON, checking its features match this build's.
    pub fn from_json(json: &str) -> crate::Result<VerdictModel> {
        let m: VerdictModel = serde_json::from_str(json)
            .map_err(|e| crate::Error::Format(format!("verdict model: {e}")))?;
        let n = FEATURES.len();
        if m.features
            .iter()
            .map(String::as_str)
            .ne(FEATURES.iter().copied())
            || m.mean.len() != n
            || m.scale.len() != n
            || m.weights.len() != n
        {
            return Err(crate::Error::Format(format!(
                "verdict model {}: its features do not match this build's {n}",
                m.version
            )));
        }
        if m.trees
            .iter()
            .any(|t| t.max_feature().is_some_and(|f| f >= n))
        {
            return Err(crate::Error::Format(format!(
                "verdict model {}: a tree splits on a feature this build lacks",
                m.version
            )));
        }
        Ok(m)
    }

    /// The probability that the pair is derived, from its [`features`].
    pub fn confidence(&self, f: &[f32]) -> f32 {
        let z: f32 = self.bias
            + f.iter()
                .zip(&self.mean)
                .zip(&self.scale)
                .zip(&self.weights)
                .map(|(((x, m), s), w)| w * (x - m) / if *s > 0.0 { *s } else { 1.0 })
                .sum::<f32>()
            + self.trees.iter().map(|t| t.eval(f)).sum::<f32>();
        let p = 1.0 / (1.0 + (-z).exp());
        if p.is_finite() {
            self.calibrate(p.clamp(0.0, 1.0))
        } else {
            0.0
        }
    }

    fn calibrate(&self, p: f32) -> f32 {
        let c = &self.calibration;
        let (Some(first), Some(last)) = (c.first(), c.last()) else {
            return p;
        };
        if p <= first.0 {
            return first.1;
        }
        if p >= last.0 {
            return last.1;
        }
        let k = c.partition_point(|x| x.0 <= p);
        let (a, b) = (c[k - 1], c[k]);
        let t = if b.0 > a.0 {
            (p - a.0) / (b.0 - a.0)
        } else {
            0.0
        };
        (a.1 + t * (b.1 - a.1)).clamp(0.0, 1.0)
    }

    /// The verdict for a confidence.
    pub fn verdict(&self, confidence: f32) -> Verdict {
        if confidence >= self.threshold {
            Verdict::Derived
        } else {
            Verdict::Related
        }
    }
}

/// The model's inputs for one pair, in the order of [`FEATURES`].
/// `claimed_elsewhere[i]`: suspect sentence `i` is explained by another
/// source's passage (comparing with several sources), so its best match
/// here is no evidence (empty or all false for a single source).
pub fn features(
    q: &Analysis,
    s: &Analysis,
    sim: &PairSimilarity,
    report: &SourceReport,
    claimed_elsewhere: &[bool],
) -> Vec<f32> {
    let q_chars = q.chars.len_chars().max(1) as f32;
    let s_chars = s.chars.len_chars().max(1) as f32;
    let links: Vec<_> = report.passages.iter().flat_map(|p| &p.links).collect();
    let n_links = links.len();
    let max_passage = report
        .passages
        .iter()
        .map(|p| p.similarity)
        .fold(0.0f32, f32::max);
    let longest = report
        .passages
        .iter()
        .map(|p| p.query.len())
        .max()
        .unwrap_or(0) as f32
        / q_chars;
    let mean_link = if n_links > 0 {
        links.iter().map(|l| l.similarity).sum::<f32>() / n_links as f32
    } else {
        0.0
    };
    let strong = if n_links > 0 {
        links.iter().filter(|l| l.similarity >= 0.5).count() as f32 / n_links as f32
    } else {
        0.0
    };
    let order = if n_links >= 2 {
        let mut by_query: Vec<_> = links.iter().map(|l| (l.query.0, l.source.0)).collect();
        by_query.sort();
        let up = by_query.windows(2).filter(|w| w[1].1 >= w[0].1).count();
        up as f32 / (n_links - 1) as f32
    } else {
        0.0
    };
    let (g5, g3) = shared_ngrams(q, s);
    let (num_share, num_shared) = shared_numbers(q, s);
    let names = shared_names(q, s);
    let best = unclaimed_best_matches(sim, claimed_elsewhere);
    let n_sents = sim.query_len().max(1) as f32;
    let lis = in_order_chain(&best).len() as f32 / n_sents;
    let best_mean = best.iter().map(|&(_, _, x)| x).sum::<f32>() / n_sents;
    let summary = if q_chars < 0.5 * s_chars { lis } else { 0.0 };
    let literal = report
        .passages
        .iter()
        .filter(|p| matches!(p.kind, PassageKind::Verbatim | PassageKind::NearVerbatim))
        .map(|p| p.query.len())
        .sum::<usize>() as f32
        / q_chars;
    // the passage that explains most of the suspect (similarity x length):
    // partial reuse inside a long text is judged on it
    let bp = report.passages.iter().max_by(|a, b| {
        (a.similarity * a.query.len() as f32).total_cmp(&(b.similarity * b.query.len() as f32))
    });
    let (bp_chars, bp_mean, bp_strong, bp_order, bp_links) = match bp {
        Some(p) if !p.links.is_empty() => {
            let n = p.links.len() as f32;
            let mean = p.links.iter().map(|l| l.similarity).sum::<f32>() / n;
            let strong = p.links.iter().filter(|l| l.similarity >= 0.5).count() as f32 / n;
            let mut by_query: Vec<_> = p.links.iter().map(|l| (l.query.0, l.source.0)).collect();
            by_query.sort();
            let order = if by_query.len() >= 2 {
                by_query.windows(2).filter(|w| w[1].1 >= w[0].1).count() as f32
                    / (by_query.len() - 1) as f32
            } else {
                0.0
            };
            (
                (1.0 + p.query.len() as f32).ln(),
                mean,
                strong,
                order,
                (1.0 + n).ln(),
            )
        }
        _ => (0.0, 0.0, 0.0, 0.0, 0.0),
    };
    vec![
        report.score,
        report.query_coverage,
        report.source_coverage,
        max_passage,
        longest.min(1.0),
        (1.0 + n_links as f32).ln(),
        mean_link,
        strong,
        order,
        g5,
        g3,
        num_share,
        (1.0 + num_shared as f32).ln(),
        names,
        (q_chars / s_chars).ln(),
        lis,
        best_mean,
        summary,
        literal.min(1.0),
        bp_chars,
        bp_mean,
        bp_strong,
        bp_order,
        bp_links,
    ]
}

/// Shares of the suspect's word 5-grams and 3-grams found in the source.
fn shared_ngrams(q: &Analysis, s: &Analysis) -> (f32, f32) {
    fn words(a: &Analysis) -> Vec<&str> {
        a.tokens.iter().map(|t| t.norm.as_str()).collect()
    }
    let (qw, sw) = (words(q), words(s));
    let share = |n: usize| -> f32 {
        if qw.len() < n || sw.len() < n {
            return 0.0;
        }
        let grams: HashSet<&[&str]> = sw.windows(n).collect();
        let total = qw.len() + 1 - n;
        qw.windows(n).filter(|g| grams.contains(g)).count() as f32 / total as f32
    };
    (share(5), share(3))
}

/// The share of the suspect's distinct telling numbers (more than one
/// digit, or with a decimal point) that the source holds, and their count.
fn shared_numbers(q: &Analysis, s: &Analysis) -> (f32, usize) {
    let nums = |a: &Analysis| -> HashSet<String> {
        a.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Number && (t.norm.len() > 1 || t.norm.contains('.')))
            .map(|t| t.norm.clone())
            .collect()
    };
    let (qn, sn) = (nums(q), nums(s));
    let shared = qn.intersection(&sn).count();
    if qn.is_empty() {
        (0.0, 0)
    } else {
        (shared as f32 / qn.len() as f32, shared)
    }
}

/// The share of the suspect's distinct capitalised content words that are
/// not sentence-initial (names, mostly) that the source also has.
fn shared_names(q: &Analysis, s: &Analysis) -> f32 {
    fn names(a: &Analysis) -> HashSet<&str> {
        let mut out = HashSet::new();
        for i in 0..a.sentences.len() {
            for t in a.sentence_tokens(i).iter().skip(1) {
                if t.kind == TokenKind::Word && t.capitalized && !t.stop {
                    out.insert(t.norm.as_str());
                }
            }
        }
        out
    }
    let (qn, sn) = (names(q), names(s));
    if qn.is_empty() {
        0.0
    } else {
        qn.intersection(&sn).count() as f32 / qn.len() as f32
    }
}

/// The summary a short suspect makes of a long source, when the pair has
/// no passage but the verdict is `derived`: the longest chain of suspect
/// sentences whose best source matches keep the source's order (each
/// `(suspect sentence, source sentence, score)`), if it has at least two
/// links. `claimed_elsewhere` as in [`features`].
pub fn summary_chain(sim: &PairSimilarity, claimed_elsewhere: &[bool]) -> Vec<(usize, usize, f32)> {
    let chain = in_order_chain(&unclaimed_best_matches(sim, claimed_elsewhere));
    if chain.len() < 2 {
        Vec::new()
    } else {
        chain
    }
}

/// Each suspect sentence's best source match reaching [`BEST_MATCH_MIN`],
/// as `(suspect sentence, source sentence, score)` in suspect order,
/// leaving out the sentences another source explains.
fn unclaimed_best_matches(
    sim: &PairSimilarity,
    claimed_elsewhere: &[bool],
) -> Vec<(usize, usize, f32)> {
    sim.best_matches(BEST_MATCH_MIN)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !claimed_elsewhere.get(*i).copied().unwrap_or(false))
        .filter_map(|(i, b)| b.map(|(j, s)| (i, j, s)))
        .collect()
}

/// The longest run of matches whose source sentences do not go back (a
/// longest non-decreasing subsequence in source order), with its members.
fn in_order_chain(best: &[(usize, usize, f32)]) -> Vec<(usize, usize, f32)> {
    let mut tails: Vec<usize> = Vec::new(); // index into `best` of each length's tail
    let mut prev: Vec<Option<usize>> = vec![None; best.len()];
    for k in 0..best.len() {
        let j = best[k].1;
        let at = tails.partition_point(|&t| best[t].1 <= j);
        prev[k] = at.checked_sub(1).map(|a| tails[a]);
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut chain = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        chain.push(best[k]);
        cur = prev[k];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_run_in_order() {
        let lis = |v: &[usize]| {
            let best: Vec<(usize, usize, f32)> =
                v.iter().enumerate().map(|(i, &j)| (i, j, 1.0)).collect();
            in_order_chain(&best)
                .iter()
                .map(|x| x.1)
                .collect::<Vec<_>>()
        };
        assert!(lis(&[]).is_empty());
        assert_eq!(lis(&[0, 1, 2, 3]), vec![0, 1, 2, 3]);
        assert_eq!(lis(&[3, 2, 1, 0]).len(), 1);
        assert_eq!(lis(&[0, 5, 1, 1, 2, 9, 3]), vec![0, 1, 1, 2, 3]);
    }

    #[test]
    fn builtin_model_loads_and_is_monotone_in_evidence() {
        let m = VerdictModel::builtin();
        assert_eq!(m.features.len(), FEATURES.len());
        let none = vec![0.0; FEATURES.len()];
        let c = m.confidence(&none);
        assert!((0.0..=1.0).contains(&c));
        assert_eq!(m.verdict(c), Verdict::Related, "no evidence is not derived");
    }

    #[test]
    fn trees_add_to_the_log_odds() {
        let mut m = VerdictModel::builtin().clone();
        m.weights.iter_mut().for_each(|w| *w = 0.0);
        m.bias = 0.0;
        m.trees = vec![TreeNode::Split {
            feature: 0,
            threshold: 0.5,
            left: Box::new(TreeNode::Leaf { value: -2.0 }),
            right: Box::new(TreeNode::Leaf { value: 2.0 }),
        }];
        let mut x = vec![0.0; FEATURES.len()];
        assert!(m.confidence(&x) < 0.2);
        x[0] = 0.9;
        assert!(m.confidence(&x) > 0.8);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(VerdictModel::from_json(&json).unwrap().trees.len(), 1);
    }

    #[test]
    fn calibration_interpolates_between_points() {
        let mut m = VerdictModel::builtin().clone();
        m.calibration = vec![(0.1, 0.0), (0.5, 0.2), (0.9, 1.0)];
        assert_eq!(m.calibrate(0.0), 0.0);
        assert!((m.calibrate(0.3) - 0.1).abs() < 1e-6);
        assert!((m.calibrate(0.7) - 0.6).abs() < 1e-6);
        assert_eq!(m.calibrate(0.95), 1.0);
        m.calibration.clear();
        assert_eq!(m.calibrate(0.42), 0.42);
    }

    #[test]
    fn a_model_with_other_features_is_refused() {
        let bad = r#"{"version":"x","features":["a"],"mean":[0],"scale":[1],"weights":[1],"bias":0,"threshold":0.5}"#;
        assert!(VerdictModel::from_json(bad).is_err());
    }

    #[test]
    fn ngram_and_number_shares() {
        let a = Analysis::new("The bank raised its rate to 7.5 percent on Monday in Frankfurt.");
        let b = Analysis::new("The bank raised its rate to 7.5 percent on Monday in Frankfurt.");
        let c = Analysis::new("Farmers in Iowa planted 12 million acres of corn this spring.");
        let (g5, g3) = shared_ngrams(&a, &b);
        assert!(g5 > 0.99 && g3 > 0.99);
        assert_eq!(shared_ngrams(&a, &c), (0.0, 0.0));
        assert_eq!(shared_numbers(&a, &b), (1.0, 1));
        assert_eq!(shared_numbers(&a, &c).1, 0);
    }
}
