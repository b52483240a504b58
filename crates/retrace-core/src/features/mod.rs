//! Stage 3 of the pipeline: sentence features and sentence similarity.
//!
//! In: two [`Analysis`]es (a suspect and a source). Out: a [`PairSimilarity`]
//! that scores any run of suspect sentences against any run of source
//! sentences in `[0, 1]`.
//!
//! Two kinds of evidence are combined:
//! - **lexical**: tf-isf weighted cosine over content-word stems and
//!   canonical numbers (stop words ignored, isf = inverse sentence frequency
//!   over both texts, so words shared by every sentence count little);
//! - **semantic** (optional): cosine of sentence embeddings from any
//!   [`SentenceEmbedder`] (the embedded static model or a transformer).
//!
//! Runs of sentences (for one sentence split in two, or two merged in one)
//! are scored by summing their lexical vectors and averaging their
//! embeddings.

use std::collections::HashMap;
use std::ops::Range;

use crate::text::{Analysis, Token, TokenKind};
use crate::tuning::features::{ISF_FLOOR, SEMANTIC, SEMANTIC_FLOOR};

/// A model that maps sentences to L2-normalised vectors whose dot product
/// measures semantic similarity. The semantic-similarity stage plugs in here.
pub trait SentenceEmbedder: Send + Sync {
    /// A stable identifier of the model (recorded in indexes and reports).
    fn id(&self) -> &str;
    /// Dimension of the vectors.
    fn dim(&self) -> usize;
    /// Embeds each sentence; every returned vector has length [`Self::dim`]
    /// and unit norm (or is all zeros for a sentence without known tokens).
    /// A model that fails (a transformer's forward pass, say) returns
    /// [`crate::Error::Model`] instead of panicking.
    fn embed(&self, sentences: &[&str]) -> crate::Result<Vec<Vec<f32>>>;
}

/// A sparse vector: `(term id, weight)` sorted by term id.
#[derive(Debug, Clone, Default)]
pub struct SparseVec {
    /// Entries sorted by term id.
    pub entries: Vec<(u32, f32)>,
}

impl SparseVec {
    /// Dot product of two sparse vectors.
    pub fn dot(&self, other: &SparseVec) -> f32 {
        let (a, b) = (&self.entries, &other.entries);
        let (mut i, mut j, mut s) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    s += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        s
    }

    /// Squared norm.
    pub fn norm2(&self) -> f32 {
        self.entries.iter().map(|e| e.1 * e.1).sum()
    }

    /// Sum of several vectors.
    pub fn sum<'a>(vs: impl IntoIterator<Item = &'a SparseVec>) -> SparseVec {
        let mut m: HashMap<u32, f32> = HashMap::new();
        for v in vs {
            for &(t, w) in &v.entries {
                *m.entry(t).or_insert(0.0) += w;
            }
        }
        let mut entries: Vec<(u32, f32)> = m.into_iter().collect();
        entries.sort_unstable_by_key(|e| e.0);
        SparseVec { entries }
    }
}

/// Term ids shared by the two sides of a comparison.
#[derive(Debug, Default)]
pub struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    /// Id of `term`, assigning a new one if needed.
    pub fn id(&mut self, term: &str) -> u32 {
        if let Some(&i) = self.ids.get(term) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.ids.insert(term.to_string(), i);
        i
    }
}

/// Whether a token counts as a content term (what lexical similarity
/// compares): not a stop word, and a number or a stem of two or more letters.
pub fn is_content_term(t: &Token) -> bool {
    !t.stop && (t.kind == TokenKind::Number || t.stem.chars().count() > 1)
}

/// Content terms (stem ids) of every sentence of an analysis.
pub fn sentence_terms(a: &Analysis, vocab: &mut Vocab) -> Vec<Vec<u32>> {
    a.sentences
        .iter()
        .map(|s| {
            a.tokens[s.tokens.clone()]
                .iter()
                .filter(|t| is_content_term(t))
                .map(|t| vocab.id(&t.stem))
                .collect()
        })
        .collect()
}

/// How lexical and semantic evidence are weighed.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimilarityWeights {
    /// Weight of the semantic score when an embedder is present (0..1).
    pub semantic: f32,
    /// Embedding cosine at or below which the semantic score is 0.
    pub semantic_floor: f32,
}

impl Default for SimilarityWeights {
    fn default() -> Self {
        SimilarityWeights {
            semantic: SEMANTIC,
            semantic_floor: SEMANTIC_FLOOR,
        }
    }
}

/// A sentence pair: `(query sentence, source sentence, score)`.
pub type Candidate = (usize, usize, f32);

/// Sentence-run similarity between one suspect and one source.
pub struct PairSimilarity {
    q: Vec<SparseVec>,
    s: Vec<SparseVec>,
    q_emb: Option<Vec<Vec<f32>>>,
    s_emb: Option<Vec<Vec<f32>>>,
    weights: SimilarityWeights,
    /// The last [`PairSimilarity::candidates`] list and its `min`: every
    /// alignment pass of a pair asks for the same list.
    candidates_cache: std::sync::OnceLock<(f32, Vec<Candidate>)>,
}

impl PairSimilarity {
    /// Builds tf-isf vectors for both sides from their term lists; the isf
    /// statistics come from the sentences of both sides together.
    pub fn new(q_terms: &[Vec<u32>], s_terms: &[Vec<u32>], weights: SimilarityWeights) -> Self {
        let n = (q_terms.len() + s_terms.len()) as f32;
        let mut df: HashMap<u32, u32> = HashMap::new();
        for terms in q_terms.iter().chain(s_terms) {
            let mut seen: Vec<u32> = terms.clone();
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                *df.entry(t).or_insert(0) += 1;
            }
        }
        let isf = |t: u32| -> f32 {
            let d = *df.get(&t).unwrap_or(&1) as f32;
            ((n + 1.0) / d).ln().max(ISF_FLOOR)
        };
        let vec_of = |terms: &Vec<u32>| -> SparseVec {
            let mut m: HashMap<u32, f32> = HashMap::new();
            for &t in terms {
                *m.entry(t).or_insert(0.0) += 1.0;
            }
            let mut entries: Vec<(u32, f32)> = m
                .into_iter()
                .map(|(t, tf)| (t, (1.0 + tf.ln()) * isf(t)))
                .collect();
            entries.sort_unstable_by_key(|e| e.0);
            SparseVec { entries }
        };
        PairSimilarity {
            q: q_terms.iter().map(vec_of).collect(),
            s: s_terms.iter().map(vec_of).collect(),
            q_emb: None,
            s_emb: None,
            weights,
            candidates_cache: std::sync::OnceLock::new(),
        }
    }

    /// Adds sentence embeddings for both sides (same order as the sentences).
    pub fn with_embeddings(mut self, q: Vec<Vec<f32>>, s: Vec<Vec<f32>>) -> Self {
        self.q_emb = Some(q);
        self.s_emb = Some(s);
        self.candidates_cache = std::sync::OnceLock::new();
        self
    }

    /// Number of suspect sentences.
    pub fn query_len(&self) -> usize {
        self.q.len()
    }

    /// Number of source sentences.
    pub fn source_len(&self) -> usize {
        self.s.len()
    }

    /// Lexical cosine of a suspect run and a source run.
    pub fn lexical(&self, qr: Range<usize>, sr: Range<usize>) -> f32 {
        let a = run_vec(&self.q, qr);
        let b = run_vec(&self.s, sr);
        cosine_sparse(&a, &b)
    }

    /// Share of the suspect run's term weight (squared tf-isf) found in the
    /// source run: 1.0 when every content word of the suspect occurs there.
    /// High containment of a short suspect run in a long source run is the
    /// signature of a summary.
    pub fn containment(&self, qr: Range<usize>, sr: Range<usize>) -> f32 {
        contained_share(&run_vec(&self.q, qr), &self.s[sr])
    }

    /// Share of the source run's term weight found in the suspect run (the
    /// mirror of [`PairSimilarity::containment`]).
    pub fn containment_in_query(&self, sr: Range<usize>, qr: Range<usize>) -> f32 {
        contained_share(&run_vec(&self.s, sr), &self.q[qr])
    }

    /// Number of distinct content terms of a source run.
    pub fn source_terms(&self, sr: Range<usize>) -> usize {
        run_vec(&self.s, sr).entries.len()
    }

    /// Number of distinct content terms of a suspect run.
    pub fn query_terms(&self, qr: Range<usize>) -> usize {
        run_vec(&self.q, qr).entries.len()
    }

    /// Semantic cosine of a suspect run and a source run, if embeddings exist.
    pub fn semantic(&self, qr: Range<usize>, sr: Range<usize>) -> Option<f32> {
        let (qe, se) = (self.q_emb.as_ref()?, self.s_emb.as_ref()?);
        let a = mean_vec(&qe[qr]);
        let b = mean_vec(&se[sr]);
        Some(cosine_dense(&a, &b))
    }

    /// Combined similarity in `[0, 1]` of a suspect run and a source run.
    pub fn score(&self, qr: Range<usize>, sr: Range<usize>) -> f32 {
        let lex = self.lexical(qr.clone(), sr.clone());
        self.combine(lex, self.semantic(qr, sr))
    }

    /// Combines a lexical and an optional semantic cosine.
    pub fn combine(&self, lex: f32, sem: Option<f32>) -> f32 {
        match sem {
            None => lex,
            Some(c) => {
                let w = self.weights;
                let s = ((c - w.semantic_floor) / (1.0 - w.semantic_floor)).clamp(0.0, 1.0);
                ((1.0 - w.semantic) * lex + w.semantic * s).max(lex.min(1.0))
            }
        }
    }

    /// All single-sentence pairs whose combined score reaches `min`, as
    /// `(query, source, score)`; without embeddings, computed through an
    /// inverted index so the cost follows the number of shared terms, not
    /// the matrix size (with embeddings every pair has a score).
    pub fn candidates(&self, min: f32) -> Vec<Candidate> {
        let list = || {
            let mut out = Vec::new();
            self.for_each_candidate(min, |i, j, sc| out.push((i, j, sc)));
            out
        };
        // the first list asked for is kept; another `min` is computed afresh
        let (m, c) = self.candidates_cache.get_or_init(|| (min, list()));
        if *m == min {
            c.clone()
        } else {
            list()
        }
    }

    /// For each suspect sentence, its best source sentence and score among
    /// the single-sentence pairs reaching `min` (`None` where none does).
    pub fn best_matches(&self, min: f32) -> Vec<Option<(usize, f32)>> {
        let mut best: Vec<Option<(usize, f32)>> = vec![None; self.q.len()];
        self.for_each_candidate(min, |i, j, sc| {
            let better = match best[i] {
                Some((_, b)) => sc > b,
                None => true,
            };
            if sc >= min && better {
                best[i] = Some((j, sc));
            }
        });
        best
    }

    /// The best score of each suspect sentence against any source sentence,
    /// and of each source sentence against any suspect sentence, among the
    /// pairs reaching `min` (0 where none does). Read from the candidate
    /// list alignment already made when that list reaches down to `min`;
    /// otherwise computed without listing every pair.
    pub fn best_scores(&self, min: f32) -> (Vec<f32>, Vec<f32>) {
        let mut q_best = vec![0f32; self.q.len()];
        let mut s_best = vec![0f32; self.s.len()];
        let mut take = |i: usize, j: usize, sc: f32| {
            if sc >= min {
                q_best[i] = q_best[i].max(sc);
                s_best[j] = s_best[j].max(sc);
            }
        };
        match self.candidates_cache.get() {
            Some((m, list)) if *m <= min => list.iter().for_each(|&(i, j, sc)| take(i, j, sc)),
            _ => self.for_each_candidate(min, take),
        }
        (q_best, s_best)
    }

    /// Calls `f(query, source, score)` for each pair that
    /// [`PairSimilarity::candidates`] lists.
    fn for_each_candidate(&self, min: f32, mut f: impl FnMut(usize, usize, f32)) {
        let qn: Vec<f32> = self.q.iter().map(|v| v.norm2().sqrt()).collect();
        let sn: Vec<f32> = self.s.iter().map(|v| v.norm2().sqrt()).collect();
        if let (Some(qe), Some(se)) = (&self.q_emb, &self.s_emb) {
            // norms once per sentence, not once per pair (same arithmetic as
            // `cosine_dense`, so the same scores)
            let qen: Vec<f32> = qe.iter().map(|v| sum_squares(v).sqrt()).collect();
            let sen: Vec<f32> = se.iter().map(|v| sum_squares(v).sqrt()).collect();
            for i in 0..self.q.len() {
                for j in 0..self.s.len() {
                    let lex = if qn[i] > 0.0 && sn[j] > 0.0 {
                        self.q[i].dot(&self.s[j]) / (qn[i] * sn[j])
                    } else {
                        0.0
                    };
                    let sem = if qen[i] == 0.0 || sen[j] == 0.0 {
                        0.0
                    } else {
                        dot_dense(&qe[i], &se[j]) / (qen[i] * sen[j])
                    };
                    let sc = self.combine(lex, Some(sem));
                    if sc >= min {
                        f(i, j, sc);
                    }
                }
            }
            return;
        }
        let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (j, v) in self.s.iter().enumerate() {
            for &(t, w) in &v.entries {
                postings.entry(t).or_default().push((j as u32, w));
            }
        }
        let mut acc = vec![0f32; self.s.len()];
        let mut touched: Vec<usize> = Vec::new();
        for (i, v) in self.q.iter().enumerate() {
            if qn[i] == 0.0 {
                continue;
            }
            for &(t, w) in &v.entries {
                if let Some(p) = postings.get(&t) {
                    for &(j, w2) in p {
                        let j = j as usize;
                        if acc[j] == 0.0 {
                            touched.push(j);
                        }
                        acc[j] += w * w2;
                    }
                }
            }
            for &j in &touched {
                let sc = acc[j] / (qn[i] * sn[j]);
                if sc >= min {
                    f(i, j, sc);
                }
                acc[j] = 0.0;
            }
            touched.clear();
        }
    }
}

/// Share of `a`'s squared weight on terms that occur in any of `others`.
fn contained_share(a: &SparseVec, others: &[SparseVec]) -> f32 {
    let total = a.norm2();
    if total == 0.0 {
        return 0.0;
    }
    let mut terms: Vec<u32> = others
        .iter()
        .flat_map(|v| v.entries.iter().map(|e| e.0))
        .collect();
    terms.sort_unstable();
    terms.dedup();
    let found: f32 = a
        .entries
        .iter()
        .filter(|e| terms.binary_search(&e.0).is_ok())
        .map(|e| e.1 * e.1)
        .sum();
    found / total
}

fn run_vec(vs: &[SparseVec], r: Range<usize>) -> SparseVec {
    if r.len() == 1 {
        return vs[r.start].clone();
    }
    SparseVec::sum(vs[r].iter())
}

fn cosine_sparse(a: &SparseVec, b: &SparseVec) -> f32 {
    let na = a.norm2();
    let nb = b.norm2();
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    a.dot(b) / (na.sqrt() * nb.sqrt())
}

fn mean_vec(vs: &[Vec<f32>]) -> Vec<f32> {
    if vs.len() == 1 {
        return vs[0].clone();
    }
    let d = vs.first().map_or(0, |v| v.len());
    let mut m = vec![0f32; d];
    for v in vs {
        for (a, b) in m.iter_mut().zip(v) {
            *a += b;
        }
    }
    m
}

/// Cosine of two dense vectors (0 when either is zero).
pub fn cosine_dense(a: &[f32], b: &[f32]) -> f32 {
    let (na, nb) = (sum_squares(a), sum_squares(b));
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot_dense(a, b) / (na.sqrt() * nb.sqrt())
    }
}

/// Dot product of two dense vectors (summed in order).
fn dot_dense(a: &[f32], b: &[f32]) -> f32 {
    let mut dot = 0f32;
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
    }
    dot
}

/// Sum of squares of a dense vector (summed in order).
fn sum_squares(a: &[f32]) -> f32 {
    let mut s = 0f32;
    for x in a {
        s += x * x;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim_of(a: &str, b: &str) -> f32 {
        let qa = Analysis::new(a);
        let sa = Analysis::new(b);
        let mut v = Vocab::default();
        let qt = sentence_terms(&qa, &mut v);
        let st = sentence_terms(&sa, &mut v);
        PairSimilarity::new(&qt, &st, SimilarityWeights::default()).score(0..1, 0..1)
    }

    #[test]
    fn related_sentences_score_higher_than_unrelated() {
        let src = "The central bank raised interest rates by half a point on Wednesday.";
        let para = "On Wednesday, interest rates were raised by the central bank by half a point.";
        let other = "A storm flooded several coastal towns overnight.";
        let hi = sim_of(para, src);
        let lo = sim_of(other, src);
        assert!(hi > 0.6, "{hi}");
        assert!(lo < 0.1, "{lo}");
    }

    #[test]
    fn merged_runs_score_higher_than_parts() {
        let q = Analysis::new(
            "The mayor resigned on Monday after a bribery scandal involving city contracts.",
        );
        let s = Analysis::new("The mayor resigned on Monday. The move followed a bribery scandal involving city contracts.");
        let mut v = Vocab::default();
        let qt = sentence_terms(&q, &mut v);
        let st = sentence_terms(&s, &mut v);
        let p = PairSimilarity::new(&qt, &st, SimilarityWeights::default());
        assert!(p.score(0..1, 0..2) > p.score(0..1, 0..1));
        assert!(p.score(0..1, 0..2) > p.score(0..1, 1..2));
    }
}
