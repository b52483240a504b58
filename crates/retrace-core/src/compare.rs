//! The engine's front door: compare a suspect with candidate sources.
//!
//! [`Comparer`] runs the whole pipeline for one suspect and any number of
//! sources (analysis → features → alignment → report), in parallel across
//! sources, and returns a [`Report`]. With several sources, a suspect region
//! that more than one of them contains is credited to the source it matches
//! clearly best (see [`crate::align::attribute`]; a duplicate keeps it too).

use std::sync::Arc;

use rayon::prelude::*;

use crate::align::{align, attribute, AlignConfig, AlignedLink, AlignedPassage};
use crate::cancel::Cancel;
use crate::evidence::{findings, Side};
use crate::features::{sentence_terms, PairSimilarity, SentenceEmbedder, SimilarityWeights, Vocab};
use crate::ingest::Document;
use crate::report::{CharSpan, Link, Passage, QueryInfo, Report, SourceReport};
use crate::text::{Analysis, Span};
use crate::verdict::{self, Verdict, VerdictModel};

/// Compares suspects with sources. Cheap to clone; safe to share.
#[derive(Clone, Default)]
pub struct Comparer {
    align: AlignConfig,
    weights: SimilarityWeights,
    embedder: Option<Arc<dyn SentenceEmbedder>>,
    verdict: Option<Arc<VerdictModel>>,
    cancel: Option<Cancel>,
    /// Leave out the evidence stage (no findings).
    no_findings: bool,
}

impl std::fmt::Debug for Comparer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Comparer")
            .field("align", &self.align)
            .field("weights", &self.weights)
            .field(
                "embedder",
                &self.embedder.as_ref().map(|e| e.id().to_string()),
            )
            .finish()
    }
}

/// A document analysed once and reusable across comparisons.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The document.
    pub doc: Document,
    /// Its sentences and tokens.
    pub analysis: Analysis,
    /// Sentence embeddings, when the comparer has an embedder.
    pub embeddings: Option<Vec<Vec<f32>>>,
}

impl Comparer {
    /// A comparer with the default settings and lexical similarity only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the alignment settings.
    pub fn with_align_config(mut self, cfg: AlignConfig) -> Self {
        self.align = cfg;
        self
    }

    /// Replaces the alignment settings with those `opts` stand for (see
    /// [`crate::Options`]; like [`Comparer::with_align_config`] with
    /// [`crate::Options::align_config`]).
    pub fn with_options(self, opts: crate::Options) -> Self {
        self.with_align_config(opts.align_config())
    }

    /// Replaces the lexical/semantic weighting.
    pub fn with_weights(mut self, w: SimilarityWeights) -> Self {
        self.weights = w;
        self
    }

    /// Adds a semantic sentence model.
    pub fn with_embedder(mut self, e: Arc<dyn SentenceEmbedder>) -> Self {
        self.embedder = Some(e);
        self
    }

    /// This comparer with (the default) or without the evidence stage:
    /// without, reports keep their passages and verdicts but list no
    /// findings (for pipelines that need only where a text came from, and
    /// to measure what the evidence stage costs: `cargo bench -p retrace
    /// --bench compare`).
    pub fn with_findings(mut self, on: bool) -> Self {
        self.no_findings = !on;
        self
    }

    /// The alignment settings in use.
    pub fn align_config(&self) -> &AlignConfig {
        &self.align
    }

    /// This comparer, stopping its work once `cancel` is set: before each
    /// document's embedding, each source's alignment and the report, a
    /// cancelled comparer skips the step, and its reports have no sources
    /// (see [`Cancel`]). Cloning a comparer is cheap: one per request.
    pub fn with_cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Whether this comparer's [`Cancel`] flag is set.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(Cancel::is_cancelled)
    }

    /// Analyses a document (and embeds its sentences if a model is set).
    /// If the model fails on it, the document is compared on lexical
    /// evidence alone and says so in its `warnings`.
    pub fn prepare(&self, mut doc: Document) -> Prepared {
        let analysis = Analysis::new(&doc.text);
        let embedder = self.embedder.as_ref().filter(|_| !self.is_cancelled());
        let embeddings = embedder.and_then(|e| {
            let sents: Vec<&str> = analysis
                .sentences
                .iter()
                .map(|s| &doc.text[s.span.start..s.span.end])
                .collect();
            match e.embed(&sents) {
                Ok(v) => Some(v),
                Err(err) => {
                    doc.warnings.push(format!(
                        "{err}; this document was compared on lexical evidence only"
                    ));
                    None
                }
            }
        });
        Prepared {
            doc,
            analysis,
            embeddings,
        }
    }

    /// Compares `query` with every source; sources are ranked by score.
    pub fn compare(&self, query: &Document, sources: &[Document]) -> Report {
        let q = self.prepare(query.clone());
        let prepared: Vec<Prepared> = sources
            .par_iter()
            .map(|d| self.prepare(d.clone()))
            .collect();
        self.compare_prepared(&q, &prepared)
    }

    /// Like [`Comparer::compare`] on documents already prepared.
    pub fn compare_prepared(&self, q: &Prepared, sources: &[Prepared]) -> Report {
        let (sims, unattributed, per_source) = self.align_all_with_unattributed(q, sources.iter());
        if self.is_cancelled() {
            return self.cancelled_report(q);
        }
        // suspect sentences each source's (attributed) passages cover: what
        // one source explains is not evidence for another
        let n_q = q.analysis.sentences.len();
        let covered: Vec<Vec<bool>> = per_source
            .iter()
            .map(|ps| {
                let mut c = vec![false; n_q];
                for l in ps.iter().flat_map(|p| &p.links) {
                    for i in l.query.clone() {
                        if let Some(x) = c.get_mut(i) {
                            *x = true;
                        }
                    }
                }
                c
            })
            .collect();
        // how many sources cover each suspect sentence: another source
        // claims it when more cover it than this one alone
        let mut covering = vec![0usize; n_q];
        for c in &covered {
            for (n, &x) in covering.iter_mut().zip(c) {
                *n += usize::from(x);
            }
        }
        let claimed: Vec<Vec<bool>> = covered
            .iter()
            .map(|c| {
                c.iter()
                    .zip(&covering)
                    .map(|(&own, &n)| n > usize::from(own))
                    .collect()
            })
            .collect();
        let mut reports: Vec<SourceReport> = sources
            .par_iter()
            .enumerate()
            .map(|(k, s)| {
                self.source_report(
                    q,
                    s,
                    &sims[k],
                    &per_source[k],
                    unattributed[k].as_deref(),
                    &claimed[k],
                )
            })
            .collect();
        reports.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        let mut report = Report {
            query: QueryInfo {
                id: q.doc.id.clone(),
                chars: q.analysis.chars.len_chars(),
            },
            verdict: Verdict::Related,
            verdict_model: self.verdict_model().version.clone(),
            headline: String::new(),
            sources: reports,
        };
        report.update_verdict();
        report
    }

    /// The report of a cancelled comparison: the suspect, no sources.
    fn cancelled_report(&self, q: &Prepared) -> Report {
        let mut report = Report {
            query: QueryInfo {
                id: q.doc.id.clone(),
                chars: q.analysis.chars.len_chars(),
            },
            verdict: Verdict::Related,
            verdict_model: self.verdict_model().version.clone(),
            headline: String::new(),
            sources: Vec::new(),
        };
        report.update_verdict();
        report
    }

    /// The sentence similarity of one prepared pair.
    pub fn pair_similarity(&self, q: &Prepared, s: &Prepared) -> PairSimilarity {
        let mut vocab = Vocab::default();
        let qt = sentence_terms(&q.analysis, &mut vocab);
        let st = sentence_terms(&s.analysis, &mut vocab);
        let mut sim = PairSimilarity::new(&qt, &st, self.weights);
        if let (Some(a), Some(b)) = (&q.embeddings, &s.embeddings) {
            sim = sim.with_embeddings(a.clone(), b.clone());
        }
        sim
    }

    /// Aligns a suspect with several sources and credits each reused
    /// region to the source it matches best (see [`attribute`]): the
    /// passages (byte spans) of each source, in the order given.
    pub fn align_sources<'a>(
        &self,
        q: &Prepared,
        sources: impl IntoIterator<Item = &'a Prepared>,
    ) -> Vec<Vec<AlignedPassage>> {
        self.align_all(q, sources.into_iter()).1
    }

    fn align_all<'a>(
        &self,
        q: &Prepared,
        sources: impl Iterator<Item = &'a Prepared>,
    ) -> (Vec<PairSimilarity>, Vec<Vec<AlignedPassage>>) {
        let (sims, _, per_source) = self.align_all_with_unattributed(q, sources);
        (sims, per_source)
    }

    /// Each source's similarity, its passages before attribution (what the
    /// pair alone shows: the verdict's evidence; `None` where attribution
    /// took none of them) and after (the report's).
    #[allow(clippy::type_complexity)]
    fn align_all_with_unattributed<'a>(
        &self,
        q: &Prepared,
        sources: impl Iterator<Item = &'a Prepared>,
    ) -> (
        Vec<PairSimilarity>,
        Vec<Option<Vec<AlignedPassage>>>,
        Vec<Vec<AlignedPassage>>,
    ) {
        let sources: Vec<&Prepared> = sources.collect();
        let (sims, mut per_source): (Vec<PairSimilarity>, Vec<Vec<AlignedPassage>>) = sources
            .par_iter()
            .map(|s| {
                if self.is_cancelled() {
                    // given up on: nothing more to compute (no passages)
                    return (PairSimilarity::new(&[], &[], self.weights), Vec::new());
                }
                let sim = self.pair_similarity(q, s);
                let passages = align(&q.analysis, &s.analysis, &sim, &self.align);
                (sim, passages)
            })
            .unzip();
        // attribution only removes passages: a source that keeps as many
        // as it had keeps them all
        let before = if per_source.len() > 1 {
            per_source.clone()
        } else {
            Vec::new()
        };
        attribute(&mut per_source, &self.align);
        let unattributed = per_source
            .iter()
            .enumerate()
            .map(|(k, kept)| before.get(k).filter(|b| b.len() != kept.len()).cloned())
            .collect();
        (sims, unattributed, per_source)
    }

    /// Aligns one prepared pair and returns its passages (byte spans).
    pub fn align_pair(&self, q: &Prepared, s: &Prepared) -> Vec<AlignedPassage> {
        align(
            &q.analysis,
            &s.analysis,
            &self.pair_similarity(q, s),
            &self.align,
        )
    }

    fn source_report(
        &self,
        q: &Prepared,
        s: &Prepared,
        sim: &PairSimilarity,
        passages: &[AlignedPassage],
        unattributed: Option<&[AlignedPassage]>,
        claimed_elsewhere: &[bool],
    ) -> SourceReport {
        let mut out = self.measure(q, s, passages);
        // the verdict weighs what the pair alone shows (as it was trained),
        // less what other sources explain better: a source keeps the share
        // of its own evidence that attribution left it
        let pair_alone = unattributed.map(|u| self.measure(q, s, u));
        let pair = pair_alone.as_ref().unwrap_or(&out);
        let f = verdict::features(&q.analysis, &s.analysis, sim, pair, claimed_elsewhere);
        let model = self.verdict_model();
        let kept = if pair.query_coverage > 0.0 {
            (out.query_coverage / pair.query_coverage).min(1.0)
        } else {
            1.0
        };
        out.confidence = round4(model.confidence(&f) * kept);
        out.verdict = model.verdict(out.confidence);
        out.verdict_features = f;
        // a heavy summary: derived on the order of its facts, with no
        // passage the alignment could build; show the chain of best matches
        // as one summary passage
        let summary = (out.verdict == Verdict::Derived && out.passages.is_empty())
            .then(|| summary_passage(q, s, sim, claimed_elsewhere))
            .flatten();
        let shown = match &summary {
            Some(p) => {
                let mut with = self.measure(q, s, std::slice::from_ref(p));
                with.verdict = out.verdict;
                with.confidence = out.confidence;
                with.verdict_features = std::mem::take(&mut out.verdict_features);
                out = with;
                std::slice::from_ref(p)
            }
            None => passages,
        };
        if !self.no_findings {
            out.findings = findings_of(q, s, shown, sim);
        }
        out
    }

    /// Score, coverage and passages (char spans) of one source's passages.
    fn measure(&self, q: &Prepared, s: &Prepared, passages: &[AlignedPassage]) -> SourceReport {
        let qc = &q.analysis.chars;
        let sc = &s.analysis.chars;
        let conv = |ix: &crate::text::CharIndex, sp: Span| {
            let c = ix.span(sp);
            CharSpan(c.start, c.end)
        };
        let q_total = qc.len_chars().max(1) as f32;
        let s_total = sc.len_chars().max(1) as f32;
        let q_cov: usize = union_len(passages.iter().map(|p| conv(qc, p.query_span)));
        let s_cov: usize = union_len(passages.iter().map(|p| conv(sc, p.source_span)));
        let score: f32 = passages
            .iter()
            .map(|p| p.similarity * conv(qc, p.query_span).len() as f32)
            .sum::<f32>()
            / q_total;
        SourceReport {
            id: s.doc.id.clone(),
            score: round4(score.min(1.0)),
            query_coverage: round4(q_cov as f32 / q_total),
            source_coverage: round4(s_cov as f32 / s_total),
            chars: sc.len_chars(),
            passages: passages
                .iter()
                .map(|p| Passage {
                    query: conv(qc, p.query_span),
                    source: conv(sc, p.source_span),
                    similarity: round4(p.similarity),
                    kind: p.kind,
                    links: p
                        .links
                        .iter()
                        .map(|l| Link {
                            query: conv(qc, l.query_span),
                            source: conv(sc, l.source_span),
                            similarity: round4(l.similarity),
                        })
                        .collect(),
                })
                .collect(),
            findings: Vec::new(),
            verdict: Verdict::Related,
            confidence: 0.0,
            verdict_features: Vec::new(),
        }
    }

    /// The verdict model in use.
    pub fn verdict_model(&self) -> &VerdictModel {
        self.verdict.as_deref().unwrap_or(VerdictModel::builtin())
    }

    /// Replaces the verdict model (for experiments and training).
    pub fn with_verdict_model(mut self, m: VerdictModel) -> Self {
        self.verdict = Some(Arc::new(m));
        self
    }
}

/// What the rewrite changed in these passages (the evidence stage).
fn findings_of(
    q: &Prepared,
    s: &Prepared,
    passages: &[AlignedPassage],
    sim: &PairSimilarity,
) -> Vec<crate::report::Finding> {
    findings(
        &Side::new(&q.doc.text, &q.analysis),
        &Side::new(&s.doc.text, &s.analysis),
        passages,
        sim,
    )
}

/// One summary passage from the chain of a short suspect's best matches in
/// a long source ([`verdict::summary_chain`]); `None` when the suspect is not
/// much shorter than the source or no chain of two links exists.
fn summary_passage(
    q: &Prepared,
    s: &Prepared,
    sim: &PairSimilarity,
    claimed_elsewhere: &[bool],
) -> Option<AlignedPassage> {
    let (qa, sa) = (&q.analysis, &s.analysis);
    if 2 * qa.chars.len_chars() >= sa.chars.len_chars() {
        return None;
    }
    let chain = verdict::summary_chain(sim, claimed_elsewhere);
    let links: Vec<AlignedLink> = chain
        .iter()
        .filter(|(i, j, _)| *i < qa.sentences.len() && *j < sa.sentences.len())
        .map(|&(i, j, sc)| AlignedLink {
            query: i..i + 1,
            source: j..j + 1,
            query_span: qa.sentences[i].span,
            source_span: sa.sentences[j].span,
            similarity: sc,
        })
        .collect();
    let (first, last) = (links.first()?, links.last()?);
    let source_span = links
        .iter()
        .fold(first.source_span, |acc, l| acc.cover(&l.source_span));
    let weight: usize = links.iter().map(|l| l.query_span.len()).sum();
    let similarity = links
        .iter()
        .map(|l| l.similarity * l.query_span.len() as f32)
        .sum::<f32>()
        / weight.max(1) as f32;
    Some(AlignedPassage {
        query_span: first.query_span.cover(&last.query_span),
        source_span,
        similarity,
        kind: crate::report::PassageKind::Summary,
        links,
    })
}

fn round4(x: f32) -> f32 {
    ((x * 10000.0).round() / 10000.0).max(0.0) + 0.0
}

/// Total length of the union of spans.
fn union_len(spans: impl Iterator<Item = CharSpan>) -> usize {
    let mut v: Vec<CharSpan> = spans.collect();
    v.sort();
    let mut total = 0;
    let mut cur: Option<(usize, usize)> = None;
    for s in v {
        match cur {
            Some((a, b)) if s.0 <= b => cur = Some((a, b.max(s.1))),
            Some((a, b)) => {
                total += b - a;
                cur = Some((s.0, s.1));
            }
            None => cur = Some((s.0, s.1)),
        }
    }
    if let Some((a, b)) = cur {
        total += b - a;
    }
    total
}
