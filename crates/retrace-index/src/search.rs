//! Candidate retrieval (lexical + semantic, fused) and checking a suspect.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use tantivy::collector::TopDocs;
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, Term, TERMINATED};

use super::ivf::{self, Centroids, UNASSIGNED};
use super::manifest::Manifest;
use super::passages::{self, QueryTerm, PASSAGE_BYTES};
use super::schema::{Fields, KIND_ALIAS, KIND_PASSAGE, KIND_RECORD};
use super::store;
use super::{tantivy_err, Index, Stats};
use crate::error::Result;
use retrace_core::ingest::Document;
use retrace_core::report::Report;
use retrace_core::text::Analysis;
use retrace_core::Comparer;

/// Settings of [`Index::check`].
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Most sources in the report (default 5).
    pub top: usize,
    /// Least score of a reported source (default 0.0; sources without any
    /// passage are never reported).
    pub min_score: f32,
    /// Candidates aligned in full (default 10).
    pub candidates: usize,
    /// IVF groups scanned per query window (default 16).
    pub nprobe: usize,
    /// Weight of the semantic channel against the lexical one (1.0) in the
    /// reciprocal rank fusion (default 1.0: the two channels' first hits
    /// rank alike. Below about 0.8 a passage found only by its meaning
    /// ranks after all of a window's lexical hits and is never a candidate;
    /// above 1.0 the noisier semantic list crowds out lexical hits).
    pub semantic_weight: f32,
    /// Query terms per suspect window: its most distinctive content terms
    /// (default 8; fewer terms let BM25's block-max WAND skip more: 8
    /// instead of 12 halves lexical retrieval time at 1M documents with the
    /// same recall@5 on a PAN-train corpus).
    pub terms_per_window: usize,
    /// Passages kept per window and channel before fusion (default 20).
    pub hits_per_list: usize,
    /// Length of a suspect's query windows in bytes (default
    /// [`PASSAGE_BYTES`], the length of indexed passages).
    pub window_bytes: usize,
    /// Also report `related` sources (with passages), not only `derived`
    /// ones (default false).
    pub all: bool,
    /// Least confidence of a reported source (default 0.0).
    pub min_confidence: f32,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            top: 5,
            min_score: 0.0,
            candidates: 10,
            nprobe: 16,
            semantic_weight: 1.0,
            terms_per_window: 8,
            hits_per_list: 20,
            window_bytes: PASSAGE_BYTES,
            all: false,
            min_confidence: 0.0,
        }
    }
}

/// A candidate source from [`Index::search`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// The document id.
    pub id: String,
    /// Fused retrieval score (sum over query windows of reciprocal ranks).
    pub score: f32,
    /// Best rank (0 = first) of the document in any query window.
    pub best_rank: usize,
    /// Best rank in any window's lexical (BM25) list.
    pub lexical_rank: Option<usize>,
    /// Best rank in any window's semantic (nearest passage) list.
    pub semantic_rank: Option<usize>,
}

/// The result of [`Index::check`]: the report and the source documents it
/// names (to render passages).
#[derive(Debug, Clone)]
pub struct Checked {
    /// The report, as [`Comparer::compare`] gives it for the candidates.
    pub report: Report,
    /// The reported sources, in report order.
    pub sources: Vec<Document>,
}

/// Terms found in more than this share of passages (and more than
/// [`MIN_DF_CUT`] passages) are left out of queries.
const MAX_DF_SHARE: f32 = 0.01;
const MIN_DF_CUT: f32 = 1000.0;
/// Reciprocal rank fusion constant.
const RRF_K: f32 = 60.0;

struct Hit {
    seq: u64,
    fused: f32,
    best_rank: usize,
    lex: Option<usize>,
    sem: Option<usize>,
}

impl Index {
    /// The `k` most likely sources of `query`, best first.
    pub fn search(&self, query: &Document, k: usize) -> Result<Vec<Candidate>> {
        self.search_with(query, k, &CheckOptions::default())
    }

    /// Like [`Index::search`] with the retrieval settings of `opts`.
    pub fn search_with(
        &self,
        query: &Document,
        k: usize,
        opts: &CheckOptions,
    ) -> Result<Vec<Candidate>> {
        let searcher = self.reader.searcher();
        let a = Analysis::new(&query.text);
        let hits = self.retrieve(&searcher, &a, &query.text, k, opts)?;
        let mut out = Vec::with_capacity(hits.len());
        for h in hits {
            if let Some(r) = store::record_of_seq(&searcher, &self.fields, h.seq)
                .map_err(|e| tantivy_err(&self.dir, e))?
            {
                out.push(Candidate {
                    id: r.id,
                    score: h.fused,
                    best_rank: h.best_rank,
                    lexical_rank: h.lex,
                    semantic_rank: h.sem,
                });
            }
        }
        Ok(out)
    }

    /// Checks a suspect: retrieves candidates, aligns the suspect with each
    /// (exactly as [`Comparer::compare`] does) and keeps the best sources
    /// that share at least one passage with it.
    pub fn check(
        &self,
        comparer: &Comparer,
        query: &Document,
        opts: &CheckOptions,
    ) -> Result<Checked> {
        let q = comparer.prepare(query.clone());
        let docs = self
            .candidate_documents(&q.analysis, &query.text, opts)?
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        Ok(check_candidates(comparer, &q, docs, opts))
    }

    /// The stored documents of the `opts.candidates` best hits of a
    /// suspect, with their fused retrieval scores, best first.
    pub(crate) fn candidate_documents(
        &self,
        analysis: &Analysis,
        text: &str,
        opts: &CheckOptions,
    ) -> Result<Vec<(f32, Document)>> {
        let searcher = self.reader.searcher();
        let hits = self.retrieve(&searcher, analysis, text, opts.candidates, opts)?;
        let mut docs = Vec::with_capacity(hits.len());
        for h in &hits {
            if let Some(r) = store::record_of_seq(&searcher, &self.fields, h.seq)
                .map_err(|e| tantivy_err(&self.dir, e))?
            {
                docs.push((h.fused, r.document()));
            }
        }
        Ok(docs)
    }

    /// A stored document by id (a duplicate id gives the document it
    /// duplicates, under the duplicate's id).
    pub fn document(&self, id: &str) -> Result<Option<Document>> {
        let searcher = self.reader.searcher();
        let terr = |e| tantivy_err(&self.dir, e);
        match store::entry(&searcher, &self.fields, id).map_err(terr)? {
            None => Ok(None),
            Some(store::Entry::Record { .. }) => {
                Ok(store::record_of_id(&searcher, &self.fields, id)
                    .map_err(terr)?
                    .map(|r| r.document()))
            }
            Some(store::Entry::Alias { of, .. }) => {
                Ok(store::record_of_id(&searcher, &self.fields, &of)
                    .map_err(terr)?
                    .map(|r| {
                        let mut d = r.document();
                        d.id = id.to_string();
                        d
                    }))
            }
        }
    }

    /// The id under which the content of `id` is stored: `id` itself, or
    /// for a duplicate the id it duplicates; `None` if the id is unknown.
    pub fn canonical_id(&self, id: &str) -> Result<Option<String>> {
        let searcher = self.reader.searcher();
        Ok(
            match store::entry(&searcher, &self.fields, id)
                .map_err(|e| tantivy_err(&self.dir, e))?
            {
                None => None,
                Some(store::Entry::Record { .. }) => Some(id.to_string()),
                Some(store::Entry::Alias { of, .. }) => Some(of),
            },
        )
    }

    /// The metadata kept with a document (the other fields of its JSON
    /// Lines record), if any.
    pub fn metadata(&self, id: &str) -> Result<Option<serde_json::Value>> {
        let searcher = self.reader.searcher();
        let terr = |e| tantivy_err(&self.dir, e);
        let meta = match store::entry(&searcher, &self.fields, id).map_err(terr)? {
            None => None,
            Some(store::Entry::Alias { meta, .. }) => meta,
            Some(store::Entry::Record { .. }) => store::record_of_id(&searcher, &self.fields, id)
                .map_err(terr)?
                .and_then(|r| r.meta),
        };
        Ok(meta.and_then(|m| serde_json::from_str(&m).ok()))
    }

    fn retrieve(
        &self,
        searcher: &Searcher,
        a: &Analysis,
        text: &str,
        k: usize,
        opts: &CheckOptions,
    ) -> Result<Vec<Hit>> {
        // windows like the indexed passages (overlapping ones cost more
        // queries and found nothing more in measurements)
        let wins = passages::cut(a, opts.window_bytes.max(1));
        if wins.is_empty() || k == 0 || searcher.num_docs() == 0 {
            return Ok(Vec::new());
        }
        let terr = |e| tantivy_err(&self.dir, e);
        let seq_cols: Vec<Column<u64>> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("seq"))
            .collect::<tantivy::Result<_>>()
            .map_err(terr)?;
        // lexical: BM25 over each window's most distinctive terms
        let terms: Vec<Vec<QueryTerm>> = wins.iter().map(|w| passages::query_terms(a, w)).collect();
        // document frequencies, to pick the distinctive terms: estimated
        // from the largest segment (one lookup per term instead of one per
        // segment), exact for terms it lacks
        let n_all = searcher.num_docs().max(1) as f32;
        let largest = searcher
            .segment_readers()
            .iter()
            .max_by_key(|s| s.num_docs())
            .expect("a searcher with documents has a segment");
        let big_inv = largest.inverted_index(self.fields.body).map_err(terr)?;
        let ratio = n_all / largest.num_docs().max(1) as f32;
        let mut dfs: HashMap<String, f32> = HashMap::new();
        for t in terms.iter().flatten() {
            if !dfs.contains_key(&t.stem) {
                let term = Term::from_field_text(self.fields.body, &t.stem);
                let seg_df = big_inv
                    .doc_freq(&term)
                    .map_err(|e| terr(tantivy::TantivyError::from(e)))?;
                let df = if seg_df > 0 {
                    seg_df as f32 * ratio
                } else {
                    searcher.doc_freq(&term).map_err(terr)? as f32
                };
                dfs.insert(t.stem.clone(), df);
            }
        }
        let lexical = || -> tantivy::Result<Vec<Vec<u64>>> {
            terms
                .par_iter()
                .map(|t| self.lexical(searcher, &seq_cols, t, &dfs, opts))
                .collect()
        };
        // semantic: nearest passages of each window's embedding
        let semantic = || -> tantivy::Result<Vec<Vec<u64>>> {
            match &self.model {
                Some(m) => {
                    let texts: Vec<&str> = wins
                        .iter()
                        .map(|w| &text[passages::byte_span(a, w)])
                        .collect();
                    let qs = m
                        .embed(&texts)
                        .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
                    self.semantic(searcher, &seq_cols, &qs, opts)
                }
                None => Ok(vec![Vec::new(); wins.len()]),
            }
        };
        let (lexical, semantic) = rayon::join(lexical, semantic);
        let (lexical, semantic) = (lexical.map_err(terr)?, semantic.map_err(terr)?);
        // fuse each window's lists, then take documents round-robin
        let mut hits: HashMap<u64, Hit> = HashMap::new();
        for (lex, sem) in lexical.iter().zip(&semantic) {
            let mut fused: HashMap<u64, f32> = HashMap::new();
            for (r, s) in lex.iter().enumerate() {
                *fused.entry(*s).or_default() += 1.0 / (RRF_K + r as f32);
                let h = hits.entry(*s).or_insert_with(|| Hit::new(*s));
                h.lex = Some(h.lex.map_or(r, |x| x.min(r)));
            }
            for (r, s) in sem.iter().enumerate() {
                *fused.entry(*s).or_default() += opts.semantic_weight / (RRF_K + r as f32);
                let h = hits.entry(*s).or_insert_with(|| Hit::new(*s));
                h.sem = Some(h.sem.map_or(r, |x| x.min(r)));
            }
            let mut order: Vec<(u64, f32)> = fused.into_iter().collect();
            order.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            for (rank, (s, f)) in order.into_iter().enumerate() {
                let h = hits.get_mut(&s).expect("entered above");
                h.fused += f;
                h.best_rank = h.best_rank.min(rank);
            }
        }
        let mut v: Vec<Hit> = hits.into_values().collect();
        v.sort_by(|x, y| {
            x.best_rank
                .cmp(&y.best_rank)
                .then(y.fused.total_cmp(&x.fused))
                .then(x.seq.cmp(&y.seq))
        });
        v.truncate(k);
        Ok(v)
    }

    fn lexical(
        &self,
        searcher: &Searcher,
        seq_cols: &[Column<u64>],
        terms: &[QueryTerm],
        dfs: &HashMap<String, f32>,
        opts: &CheckOptions,
    ) -> tantivy::Result<Vec<u64>> {
        let n = searcher.num_docs() as f32;
        let mut weighted: Vec<(f32, Term, f32)> = Vec::new();
        for t in terms {
            let term = Term::from_field_text(self.fields.body, &t.stem);
            let df = match dfs.get(&t.stem) {
                Some(&df) => df,
                None => searcher.doc_freq(&term)? as f32,
            };
            // absent, or so common that it only slows the query down
            if df == 0.0 || df > (MAX_DF_SHARE * n).max(MIN_DF_CUT) {
                continue;
            }
            let idf = (1.0 + n / df).ln();
            weighted.push(((1.0 + (t.tf as f32).ln()) * idf * t.boost, term, t.boost));
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        weighted.truncate(opts.terms_per_window.max(1));
        if weighted.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = weighted
            .into_iter()
            .map(|(_, term, boost)| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                let q: Box<dyn Query> = if boost != 1.0 {
                    Box::new(BoostQuery::new(q, boost))
                } else {
                    q
                };
                (Occur::Should, q)
            })
            .collect();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(opts.hits_per_list.max(1)).order_by_score(),
        )?;
        let mut out = Vec::new();
        for (_, addr) in top {
            if let Some(s) = seq_cols[addr.segment_ord as usize].first(addr.doc_id) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        Ok(out)
    }

    fn semantic(
        &self,
        searcher: &Searcher,
        seq_cols: &[Column<u64>],
        queries: &[Vec<f32>],
        opts: &CheckOptions,
    ) -> tantivy::Result<Vec<Vec<u64>>> {
        let hits_per_list = opts.hits_per_list.max(1);
        let words = self.fields.code.len();
        let centroids = self.centroids();
        // which windows probe which list
        let mut probes: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut padded: Vec<Vec<f32>> = Vec::with_capacity(queries.len());
        for (qi, q) in queries.iter().enumerate() {
            let mut p = q.clone();
            p.resize(words * 8, 0.0);
            padded.push(p);
            if q.iter().all(|x| *x == 0.0) {
                continue;
            }
            probes.entry(UNASSIGNED).or_default().push(qi);
            if let Some(c) = &centroids {
                for l in c.nearest_n(q, opts.nprobe) {
                    probes.entry(l).or_default().push(qi);
                }
            }
        }
        let scorers: Vec<ivf::BitScorer> = queries.iter().map(|q| ivf::BitScorer::new(q)).collect();
        let mut lists: Vec<(u64, Vec<usize>)> = probes.into_iter().collect();
        lists.sort_by_key(|x| x.0);
        let per_segment: Vec<Vec<Vec<(f32, u64)>>> = searcher
            .segment_readers()
            .par_iter()
            .enumerate()
            .map(|(ord, seg)| {
                scan_segment(
                    seg,
                    &self.fields,
                    &seq_cols[ord],
                    &lists,
                    &padded,
                    &scorers,
                    words,
                )
            })
            .collect::<tantivy::Result<_>>()?;
        let mut out = Vec::with_capacity(queries.len());
        for qi in 0..queries.len() {
            let mut all: Vec<(f32, u64)> = per_segment
                .iter()
                .flat_map(|s| s[qi].iter().copied())
                .collect();
            all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut seen = Vec::new();
            for (_, s) in all {
                if !seen.contains(&s) {
                    seen.push(s);
                    if seen.len() >= hits_per_list {
                        break;
                    }
                }
            }
            out.push(seen);
        }
        Ok(out)
    }
}

impl Hit {
    fn new(seq: u64) -> Hit {
        Hit {
            seq,
            fused: 0.0,
            best_rank: usize::MAX,
            lex: None,
            sem: None,
        }
    }
}

/// Reads a dense u64 column for a batch of docs.
fn read_u64(col: &Column<u64>, docs: &[DocId], out: &mut [u64]) {
    match &col.index {
        ColumnIndex::Full => col.values.get_vals(docs, out),
        _ => {
            for (o, d) in out.iter_mut().zip(docs) {
                *o = col.first(*d).unwrap_or(0);
            }
        }
    }
}

/// Reads a dense f64 column for a batch of docs.
fn read_f64(col: &Column<f64>, docs: &[DocId], out: &mut [f64]) {
    match &col.index {
        ColumnIndex::Full => col.values.get_vals(docs, out),
        _ => {
            for (o, d) in out.iter_mut().zip(docs) {
                *o = col.first(*d).unwrap_or(0.0);
            }
        }
    }
}

/// Passages per query and segment re-ranked with their 8-bit codes after
/// the sign-bit scan.
const RERANK: usize = 48;

/// Scores the passages of the probed lists in one segment: every passage by
/// its sign bits, the best [`RERANK`] per query by their 8-bit codes; per
/// query, the re-ranked `(similarity, seq)`, best first (the caller keeps
/// `hits_per_list` of them across segments).
fn scan_segment(
    seg: &tantivy::SegmentReader,
    f: &Fields,
    seq_col: &Column<u64>,
    lists: &[(u64, Vec<usize>)],
    queries: &[Vec<f32>],
    scorers: &[ivf::BitScorer],
    words: usize,
) -> tantivy::Result<Vec<Vec<(f32, u64)>>> {
    let inv = seg.inverted_index(f.list)?;
    let ff = seg.fast_fields();
    let bit_cols: Vec<Column<u64>> = (0..f.bits.len())
        .map(|i| ff.u64(&super::schema::bit_name(i)))
        .collect::<tantivy::Result<_>>()?;
    let nb = bit_cols.len();
    // pass 1: sign bits of every passage of the probed lists
    let mut shortlist: Vec<Vec<(f32, DocId)>> = vec![Vec::new(); queries.len()];
    let mut floor = vec![f32::MIN; queries.len()];
    const CHUNK: usize = 1024;
    let mut docs: Vec<DocId> = Vec::with_capacity(CHUNK);
    let mut buf = vec![0u64; CHUNK];
    let mut bits = vec![0u64; CHUNK * nb];
    for (list, qis) in lists {
        let term = Term::from_field_u64(f.list, *list);
        let Some(mut postings) = inv.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        let mut d = postings.doc();
        loop {
            docs.clear();
            while d != TERMINATED && docs.len() < CHUNK {
                if !seg.is_deleted(d) {
                    docs.push(d);
                }
                d = postings.advance();
            }
            if docs.is_empty() {
                break;
            }
            let n = docs.len();
            for (j, col) in bit_cols.iter().enumerate() {
                read_u64(col, &docs, &mut buf[..n]);
                for i in 0..n {
                    bits[i * nb + j] = buf[i];
                }
            }
            for &qi in qis {
                let sc = &scorers[qi];
                for i in 0..n {
                    let s = sc.score(&bits[i * nb..(i + 1) * nb]);
                    if s > floor[qi] {
                        let v = &mut shortlist[qi];
                        v.push((s, docs[i]));
                        if v.len() >= RERANK * 4 {
                            v.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
                            v.truncate(RERANK);
                            floor[qi] = v[RERANK - 1].0;
                        }
                    }
                }
            }
            if d == TERMINATED {
                break;
            }
        }
    }
    // pass 2: the 8-bit codes of the shortlisted passages
    let cols: Vec<Column<u64>> = (0..words)
        .map(|i| ff.u64(&super::schema::code_name(i)))
        .collect::<tantivy::Result<_>>()?;
    let scale_col: Column<f64> = ff.f64("scale")?;
    let mut best: Vec<Vec<(f32, u64)>> = vec![Vec::new(); queries.len()];
    for (qi, mut v) in shortlist.into_iter().enumerate() {
        v.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
        v.truncate(RERANK);
        let mut docs: Vec<DocId> = v.into_iter().map(|x| x.1).collect();
        docs.sort_unstable();
        docs.dedup();
        let n = docs.len();
        if n == 0 {
            continue;
        }
        let mut codes = vec![0u64; n * words];
        let mut col_buf = vec![0u64; n];
        for (j, col) in cols.iter().enumerate() {
            read_u64(col, &docs, &mut col_buf);
            for i in 0..n {
                codes[i * words + j] = col_buf[i];
            }
        }
        let mut seqs = vec![0u64; n];
        let mut scales = vec![0f64; n];
        let mut sims = vec![0f32; n];
        read_u64(seq_col, &docs, &mut seqs);
        read_f64(&scale_col, &docs, &mut scales);
        ivf::code_dots(&queries[qi], &codes, words, &mut sims);
        let mut top: Vec<(f32, u64)> = (0..n)
            .map(|i| (sims[i] * scales[i] as f32, seqs[i]))
            .collect();
        top.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut seen = Vec::new();
        top.retain(|e| {
            if seen.contains(&e.1) {
                false
            } else {
                seen.push(e.1);
                true
            }
        });
        top.truncate(RERANK);
        best[qi] = top;
    }
    Ok(best)
}

/// Counts for [`Index::stats`] / [`Index::info`].
pub(super) fn stats(
    dir: &Path,
    manifest: &Manifest,
    searcher: &Searcher,
    centroids: Option<&Centroids>,
) -> Result<Stats> {
    let terr = |e| tantivy_err(dir, e);
    let (mut documents, mut duplicates, mut passages, mut text_bytes) = (0u64, 0u64, 0u64, 0u64);
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let kind = ff.u64("kind").map_err(terr)?;
        let bytes = ff.u64("bytes").map_err(terr)?;
        for d in seg.doc_ids_alive() {
            match kind.first(d) {
                Some(KIND_RECORD) => {
                    documents += 1;
                    passages += 1;
                    text_bytes += bytes.first(d).unwrap_or(0);
                }
                Some(KIND_PASSAGE) => passages += 1,
                Some(KIND_ALIAS) => duplicates += 1,
                _ => {}
            }
        }
    }
    Ok(Stats {
        documents,
        duplicates,
        passages,
        text_bytes,
        disk_bytes: dir_size(dir),
        model: manifest.model.clone(),
        format_version: manifest.version,
        ivf_lists: centroids.map_or(0, |c| c.k),
        segments: searcher.segment_readers().len(),
    })
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Aligns a prepared suspect with candidate documents and keeps the
/// reported sources (the second half of [`Index::check`]).
pub(crate) fn check_candidates(
    comparer: &Comparer,
    q: &retrace_core::Prepared,
    docs: Vec<Document>,
    opts: &CheckOptions,
) -> Checked {
    let prepared: Vec<_> = docs
        .par_iter()
        .map(|d| comparer.prepare(d.clone()))
        .collect();
    let mut report = comparer.compare_prepared(q, &prepared);
    report.sources.retain(|s| {
        let shown = match s.verdict {
            retrace_core::Verdict::Derived => true,
            _ => opts.all && !s.passages.is_empty(),
        };
        shown && s.score >= opts.min_score && s.confidence >= opts.min_confidence
    });
    report.sources.truncate(opts.top);
    report.update_verdict();
    let mut by_id: HashMap<String, Document> =
        docs.into_iter().map(|d| (d.id.clone(), d)).collect();
    let sources = report
        .sources
        .iter()
        .filter_map(|s| by_id.remove(&s.id))
        .collect();
    Checked { report, sources }
}
