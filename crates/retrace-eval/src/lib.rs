//! Evaluation on the PAN text-alignment corpora.
//!
//! In: a PAN corpus folder (see [`read_corpus`]) and the detections of an
//! aligner. Out: the PAN 2013/2014 text-alignment measures ([`Measures`]:
//! plagdet, precision, recall, granularity) and detection files in the XML
//! format that PAN's official evaluator reads ([`write_detections_xml`]).
//!
//! ## The measures
//! Following Potthast et al. (2010), "An Evaluation Framework for Plagiarism
//! Detection", and PAN's official `perfmeasures.py`, every gold case and
//! every detection is a set of characters: those of its range in the
//! suspicious document plus those of its range in the source document. The
//! two sides are kept apart, and characters of different document pairs
//! never meet. With `S` all gold cases and `R` all detections of the
//! evaluated pairs:
//!
//! * a detection `r` *detects* a case `s` iff they overlap on **both** sides;
//! * `s ⊓ r` is `s ∩ r` if `r` detects `s`, else empty;
//! * precision = `1/|R| · Σ_r |∪_s (s ⊓ r)| / |r|` (macro-averaged over
//!   detections);
//! * recall = `1/|S| · Σ_s |∪_r (s ⊓ r)| / |s|` (macro-averaged over cases);
//! * granularity = mean number of detections per detected case (1 when no
//!   case is detected);
//! * plagdet = `F1(precision, recall) / log2(1 + granularity)`.
//!
//! Unions merge overlapping ranges, so a character covered twice counts
//! once. All computation is interval arithmetic on the ranges.
//!
//! Edge cases follow the official evaluator: with no cases and no
//! detections, precision = recall = 1; with cases but no detections, or
//! detections but no cases, precision = recall = 0. Exact duplicates among
//! the cases or among the detections of one pair count once (the official
//! evaluator reads them into a set). A detection or case with no characters
//! at all contributes 0 to the average it belongs to.
//!
//! ## Example
//! ```
//! use retrace_eval::{measures, Case};
//!
//! // one gold case, found exactly by one detection
//! let gold = [Case::new((0, 100), (200, 300))];
//! let found = [Case::new((0, 100), (200, 300))];
//! let m = measures(&[(&gold[..], &found[..])]);
//! assert_eq!((m.precision, m.recall, m.granularity), (1.0, 1.0, 1.0));
//! assert_eq!(m.plagdet, 1.0);
//! ```
//!
//! Also here: verdict metrics on labelled pairs ([`pairs`]: precision,
//! recall, ROC-AUC, the reliability table), findings precision and recall
//! per kind ([`evidence`]), Reuters-21578 articles by NEWID ([`reuters`])
//! and correlation statistics ([`stats`]).

#![deny(missing_docs)]

mod corpus;
pub mod evidence;
pub mod pairs;
pub mod reuters;
pub mod stats;
mod xml;

pub use corpus::{pair_file_name, read_corpus, PanPair};
pub use xml::{parse_pan_xml, write_detections_xml, Feature, PanXml};

use serde::{Deserialize, Serialize};

/// A plagiarism case or a detection: character ranges `[start, end)` on both
/// sides of one document pair.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Case {
    /// Range `[start, end)` in the suspicious document, in characters.
    pub susp: (usize, usize),
    /// Range `[start, end)` in the source document, in characters.
    pub src: (usize, usize),
}

impl Case {
    /// A case from the two ranges.
    pub fn new(susp: (usize, usize), src: (usize, usize)) -> Self {
        Case { susp, src }
    }

    /// A case from PAN's offset/length form (`this_offset`, `this_length`,
    /// `source_offset`, `source_length`). `None` if an end overflows.
    pub fn from_offsets(
        this_offset: usize,
        this_length: usize,
        source_offset: usize,
        source_length: usize,
    ) -> Option<Self> {
        Some(Case {
            susp: (this_offset, this_offset.checked_add(this_length)?),
            src: (source_offset, source_offset.checked_add(source_length)?),
        })
    }

    /// Number of characters on both sides together.
    pub fn len(&self) -> usize {
        span_len(self.susp) + span_len(self.src)
    }

    /// Whether the case covers no character on either side.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `self` and `other` overlap on both sides: PAN's "detects"
    /// relation (symmetric).
    pub fn detects(&self, other: &Case) -> bool {
        overlaps(self.susp, other.susp) && overlaps(self.src, other.src)
    }
}

/// The PAN text-alignment measures over a set of document pairs.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Measures {
    /// `F1(precision, recall) / log2(1 + granularity)`.
    pub plagdet: f64,
    /// Character precision, macro-averaged over detections.
    pub precision: f64,
    /// Character recall, macro-averaged over cases.
    pub recall: f64,
    /// Mean number of detections per detected case (≥ 1).
    pub granularity: f64,
    /// Number of gold cases evaluated (duplicates within a pair once).
    pub cases: usize,
    /// Number of detections evaluated (duplicates within a pair once).
    pub detections: usize,
}

/// Computes the measures. Each element of `pairs` is one document pair:
/// `(gold cases, detections)`. Cases and detections of different elements
/// never overlap, whatever their offsets. See the [module docs](self) for
/// the definitions and edge cases.
pub fn measures(pairs: &[(&[Case], &[Case])]) -> Measures {
    let mut rec_sum = 0.0;
    let mut prec_sum = 0.0;
    let mut n_cases = 0;
    let mut n_dets = 0;
    let mut detected_cases = 0usize;
    let mut dets_per_detected = 0usize;
    let mut hits: Vec<Case> = Vec::new();
    for &(gold, dets) in pairs {
        let gold = dedup(gold);
        let dets = dedup(dets);
        n_cases += gold.len();
        n_dets += dets.len();
        for s in &gold {
            hits.clear();
            hits.extend(dets.iter().filter(|r| s.detects(r)));
            rec_sum += covered_share(s, &hits);
            if !hits.is_empty() {
                detected_cases += 1;
                dets_per_detected += hits.len();
            }
        }
        for r in &dets {
            hits.clear();
            hits.extend(gold.iter().filter(|s| r.detects(s)));
            prec_sum += covered_share(r, &hits);
        }
    }
    let (precision, recall) = match (n_cases, n_dets) {
        (0, 0) => (1.0, 1.0),
        (0, _) | (_, 0) => (0.0, 0.0),
        (c, d) => (prec_sum / d as f64, rec_sum / c as f64),
    };
    let granularity = if detected_cases == 0 {
        1.0
    } else {
        dets_per_detected as f64 / detected_cases as f64
    };
    Measures {
        plagdet: plagdet(precision, recall, granularity),
        precision,
        recall,
        granularity,
        cases: n_cases,
        detections: n_dets,
    }
}

/// `F1(precision, recall) / log2(1 + granularity)`; 0 when precision and
/// recall are both 0 (or any input is out of range, as in the official
/// evaluator).
pub fn plagdet(precision: f64, recall: f64, granularity: f64) -> f64 {
    if precision + recall <= 0.0 || precision < 0.0 || recall < 0.0 || granularity < 1.0 {
        return 0.0;
    }
    let f1 = 2.0 * precision * recall / (precision + recall);
    f1 / (1.0 + granularity).log2()
}

fn span_len(s: (usize, usize)) -> usize {
    s.1.saturating_sub(s.0)
}

/// PAN's overlap test (`is_overlapping` in `perfmeasures.py`).
fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    b.1 > a.0 && b.0 < a.1
}

fn dedup(cases: &[Case]) -> Vec<Case> {
    let mut v = cases.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Share of `x`'s characters (both sides) covered by the union of `others`.
fn covered_share(x: &Case, others: &[Case]) -> f64 {
    let len = x.len();
    if len == 0 || others.is_empty() {
        return 0.0;
    }
    let covered = union_within(x.susp, others.iter().map(|o| o.susp))
        + union_within(x.src, others.iter().map(|o| o.src));
    covered as f64 / len as f64
}

/// Number of characters of `span` covered by the union of `ranges`.
fn union_within(span: (usize, usize), ranges: impl Iterator<Item = (usize, usize)>) -> usize {
    let mut parts: Vec<(usize, usize)> = ranges
        .map(|(s, e)| (s.max(span.0), e.min(span.1)))
        .filter(|&(s, e)| s < e)
        .collect();
    parts.sort_unstable();
    let mut total = 0;
    let mut cur: Option<(usize, usize)> = None;
    for (s, e) in parts {
        match cur {
            Some((cs, ce)) if s <= ce => cur = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                cur = Some((s, e));
            }
            None => cur = Some((s, e)),
        }
    }
    if let Some((cs, ce)) = cur {
        total += ce - cs;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s0: usize, s1: usize, r0: usize, r1: usize) -> Case {
        Case::new((s0, s1), (r0, r1))
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn check(m: Measures, plagdet: f64, prec: f64, rec: f64, gran: f64) {
        assert!(
            close(m.plagdet, plagdet),
            "plagdet {} != {plagdet}: {m:?}",
            m.plagdet
        );
        assert!(
            close(m.precision, prec),
            "precision {} != {prec}: {m:?}",
            m.precision
        );
        assert!(close(m.recall, rec), "recall {} != {rec}: {m:?}", m.recall);
        assert!(
            close(m.granularity, gran),
            "granularity {} != {gran}: {m:?}",
            m.granularity
        );
    }

    #[test]
    fn eval_perfect_detection() {
        let gold = [c(0, 100, 0, 100), c(300, 400, 500, 650)];
        let m = measures(&[(&gold, &gold)]);
        check(m, 1.0, 1.0, 1.0, 1.0);
        assert_eq!((m.cases, m.detections), (2, 2));
    }

    #[test]
    fn eval_partial_overlap() {
        // Case 100+100 chars, detection 100+100 chars, overlap 50+50:
        // precision 100/200, recall 100/200, granularity 1, F1 0.5, plagdet
        // 0.5 / log2(2) = 0.5.
        let m = measures(&[(&[c(0, 100, 0, 100)], &[c(50, 150, 50, 150)])]);
        check(m, 0.5, 0.5, 0.5, 1.0);
    }

    #[test]
    fn eval_split_detection() {
        // Two halves: each detection is fully inside the case (precision 1),
        // together they cover it all (recall 1), granularity 2:
        // plagdet = 1 / log2(3) ≈ 0.6309.
        let gold = [c(0, 100, 0, 100)];
        let dets = [c(0, 50, 0, 50), c(50, 100, 50, 100)];
        let m = measures(&[(&gold, &dets)]);
        check(m, 1.0 / 3f64.log2(), 1.0, 1.0, 2.0);
        assert!(close(m.plagdet, 0.630_929_753_571_457_4));
    }

    #[test]
    fn eval_overlapping_detections_counted_once() {
        // [0,60) and [40,100) on both sides: the union covers the case once
        // (recall 200/200 = 1, not 240/200); each detection lies inside the
        // case (precision 1); granularity 2.
        let gold = [c(0, 100, 0, 100)];
        let dets = [c(0, 60, 0, 60), c(40, 100, 40, 100)];
        check(
            measures(&[(&gold, &dets)]),
            1.0 / 3f64.log2(),
            1.0,
            1.0,
            2.0,
        );
    }

    #[test]
    fn eval_one_detection_spanning_two_cases() {
        // The detection [0,100)/[0,100) detects both halves; the union of
        // its overlaps with them is all of it (precision 1), each case is
        // fully covered (recall 1), each detected case has one detection
        // (granularity 1).
        let gold = [c(0, 50, 0, 50), c(50, 100, 50, 100)];
        let dets = [c(0, 100, 0, 100)];
        check(measures(&[(&gold, &dets)]), 1.0, 1.0, 1.0, 1.0);
    }

    #[test]
    fn eval_detection_on_no_plagiarism_pair() {
        // Pair A detected perfectly; pair B has no case but one detection,
        // which counts in |R| with precision 0: precision (1 + 0) / 2 = 0.5,
        // recall 1, granularity 1, plagdet = F1 = 2·0.5·1 / 1.5 = 2/3.
        let gold_a = [c(0, 100, 0, 100)];
        let det_b = [c(0, 10, 0, 10)];
        let m = measures(&[(&gold_a, &gold_a), (&[], &det_b)]);
        check(m, 2.0 / 3.0, 0.5, 1.0, 1.0);
        assert_eq!((m.cases, m.detections), (1, 2));
    }

    #[test]
    fn eval_suspicious_side_overlap_alone_does_not_detect() {
        // The detection matches the suspicious side exactly but the wrong
        // source passage: it detects nothing. precision 0, recall 0,
        // granularity 1 (no case detected), plagdet 0.
        let gold = [c(0, 100, 0, 100)];
        let wrong = c(0, 100, 200, 300);
        check(measures(&[(&gold, &[wrong])]), 0.0, 0.0, 0.0, 1.0);
        // With a second, true detection of the first half: its 50+50 chars
        // are all the recall gets (100/200 = 0.5) — the wrong detection's
        // suspicious-side chars do not count; precision (0 + 1) / 2 = 0.5;
        // granularity 1; plagdet 0.5.
        let dets = [wrong, c(0, 50, 0, 50)];
        check(measures(&[(&gold, &dets)]), 0.5, 0.5, 0.5, 1.0);
    }

    #[test]
    fn eval_cases_in_different_pairs_never_overlap() {
        // Same offsets in two pairs; only pair A has a detection. It does not
        // detect pair B's case: recall (1 + 0) / 2 = 0.5, precision 1,
        // granularity 1, plagdet = 2·1·0.5 / 1.5 = 2/3.
        let g = [c(0, 100, 0, 100)];
        let m = measures(&[(&g, &g), (&g, &[])]);
        check(m, 2.0 / 3.0, 1.0, 0.5, 1.0);
        assert_eq!((m.cases, m.detections), (2, 1));
    }

    #[test]
    fn eval_no_detections() {
        // Cases but no detections: the official evaluator gives 0 and 0.
        let g = [c(0, 100, 0, 100)];
        let m = measures(&[(&g, &[]), (&[], &[])]);
        check(m, 0.0, 0.0, 0.0, 1.0);
        assert_eq!((m.cases, m.detections), (1, 0));
        // Nothing to find and nothing found: 1 and 1 (official convention).
        check(measures(&[(&[], &[])]), 1.0, 1.0, 1.0, 1.0);
        check(measures(&[]), 1.0, 1.0, 1.0, 1.0);
        // Detections but no cases at all: 0 and 0.
        check(measures(&[(&[], &g)]), 0.0, 0.0, 0.0, 1.0);
    }

    #[test]
    fn eval_unequal_sides() {
        // A summary-like case: 100 suspicious chars, 300 source chars. The
        // detection covers the suspicious side and the first 100 source
        // chars: recall (100 + 100) / 400 = 0.5, precision 200/200 = 1,
        // plagdet 2/3.
        let m = measures(&[(&[c(0, 100, 0, 300)], &[c(0, 100, 0, 100)])]);
        check(m, 2.0 / 3.0, 1.0, 0.5, 1.0);
    }

    #[test]
    fn eval_duplicate_detections_count_once() {
        // The official evaluator reads detections into a set.
        let g = [c(0, 100, 0, 100)];
        let m = measures(&[(&g, &[g[0], g[0]])]);
        check(m, 1.0, 1.0, 1.0, 1.0);
        assert_eq!(m.detections, 1);
    }

    #[test]
    fn eval_official_unit_tests() {
        // From perfmeasures.py's own tests (one pair, tref1/sref1).
        let ann1 = c(0, 100, 0, 100);
        let ann3 = c(100, 200, 100, 200);
        let ann4 = c(0, 200, 0, 200);
        let m = measures(&[(&[ann1], &[ann4])]);
        assert!(close(m.precision, 0.5));
        let m = measures(&[(&[ann1], &[ann3, ann4])]);
        assert!(close(m.precision, 0.25));
        assert!(close(plagdet(1.0, 1.0, 2.0), 0.63092975357));
        assert!(close(plagdet(0.75, 0.25, 2.0), 0.236_598_657_589_346_5));
        assert_eq!(plagdet(0.0, 0.0, 1.0), 0.0);
        assert!(ann1.detects(&c(99, 100, 99, 100)));
        assert!(!ann1.detects(&ann3));
    }

    #[test]
    fn eval_union_within_merges() {
        let r = [(0, 10), (5, 20), (30, 40), (40, 45), (100, 200)];
        assert_eq!(union_within((0, 50), r.iter().copied()), 20 + 15);
        assert_eq!(union_within((8, 9), r.iter().copied()), 1);
        assert_eq!(union_within((50, 60), r.iter().copied()), 0);
    }
}
