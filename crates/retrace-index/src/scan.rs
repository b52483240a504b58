//! Reuse discovery across a whole index: which documents reuse which.
//!
//! In: a committed index snapshot. Out: pairs of documents with the
//! alignment of the two (a [`SourceReport`]: passages, links, findings,
//! verdict), streamed in a fixed order.
//!
//! Never all pairs. Three steps:
//! 1. **Signatures** (all cores): every document is analysed once; its
//!    sentences' templates (the words, numbers as `#`) are counted across
//!    the collection, and a template found in many documents is
//!    **boilerplate** (earnings-table lines, datelines, footers). A
//!    document's signature is its [`TERMS_PER_DOC`] rarest content stems and
//!    numbers outside boilerplate that at least one other document has.
//! 2. **Candidates**: an inverted list over the signatures; a pair that
//!    shares at least [`MIN_SHARED`] rare terms, carrying at least
//!    [`MIN_OVERLAP`] of the smaller signature's IDF weight, is a candidate;
//!    each document keeps its best [`PARTNERS`]. A same-topic pair shares a
//!    few names; a rewrite keeps most of its source's rare words and numbers.
//!    A cheap **sentence filter** then drops pairs of which no two
//!    sentences match (sharing at least three terms that carry 30% of the
//!    smaller sentence's IDF weight, or six terms: a copied fragment); the
//!    shorter side needs two such sentences (one if it has one).
//! 3. **Alignment**: every candidate pair is aligned once, the shorter text
//!    as the suspect (`a`) and the longer as the source (`b`), with
//!    boilerplate sentences blanked (same length, so offsets stay those of
//!    the stored text), in chunks processed in parallel; the verdict model
//!    decides `derived` or `related`.
//!
//! Memory: the signatures (every distinct term and sentence template of a
//! document, with the collection's counts: about 4 KB a document, 3.9 GB
//! at 1M documents), and one chunk of prepared documents; texts are read
//! back from the index's store when aligned.
//!
//! [`TERMS_PER_DOC`]: retrace_core::tuning::scan::TERMS_PER_DOC
//! [`MIN_SHARED`]: retrace_core::tuning::scan::MIN_SHARED
//! [`MIN_OVERLAP`]: retrace_core::tuning::scan::MIN_OVERLAP
//! [`PARTNERS`]: retrace_core::tuning::scan::PARTNERS

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use retrace_core::ingest::Document;
use retrace_core::report::{CharSpan, Finding, Passage, SourceReport};
use retrace_core::text::{Analysis, TokenKind};
use retrace_core::tuning::scan as tuned;
use retrace_core::{Comparer, Verdict};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::schema::{KIND_ALIAS, KIND_RECORD};
use super::{store, tantivy_err, Index, IndexErrorKind};
use crate::error::Result;

/// Settings of [`Index::scan`].
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Also report `related` pairs (with passages), not only `derived`
    /// ones (default false).
    pub all: bool,
    /// Least confidence of a reported pair (default 0.0).
    pub min_confidence: f32,
    /// Align boilerplate sentences too, and keep pairs that share a
    /// template but not its facts `derived` (default false: boilerplate
    /// blanked, such pairs `related`).
    pub keep_boilerplate: bool,
    /// Rare terms kept per document ([`TERMS_PER_DOC`](tuned::TERMS_PER_DOC)).
    pub terms_per_doc: usize,
    /// Least shared rare terms of a candidate ([`MIN_SHARED`](tuned::MIN_SHARED)).
    pub min_shared: usize,
    /// Least weighted share of a candidate ([`MIN_OVERLAP`](tuned::MIN_OVERLAP)).
    pub min_overlap: f32,
    /// Most partners per document ([`PARTNERS`](tuned::PARTNERS)).
    pub partners: usize,
    /// Documents a sentence template must be in to be boilerplate
    /// ([`BOILERPLATE_DOCS`](tuned::BOILERPLATE_DOCS)).
    pub boilerplate_docs: usize,
    /// Drop candidate pairs without two matching sentences before aligning
    /// them (see the module documentation; default true).
    pub sentence_filter: bool,
    /// Candidate pairs aligned per chunk (default 256): the unit of
    /// parallel work, of progress and of restart.
    pub chunk: usize,
    /// Candidate pairs already done by an earlier, interrupted run of the
    /// same scan: the first `skip` candidates are not aligned again
    /// (default 0).
    pub skip: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            all: false,
            min_confidence: 0.0,
            keep_boilerplate: false,
            terms_per_doc: tuned::TERMS_PER_DOC,
            min_shared: tuned::MIN_SHARED,
            min_overlap: tuned::MIN_OVERLAP,
            partners: tuned::PARTNERS,
            boilerplate_docs: tuned::BOILERPLATE_DOCS,
            sentence_filter: true,
            chunk: 256,
            skip: 0,
        }
    }
}

/// A pair of documents with reuse: `a` (the suspect side, the shorter) and
/// `b` (the source side), with their alignment. Serialised as one flat JSON
/// object: `a`, `b`, then the [`SourceReport`] fields but `id` (`query`
/// spans are in `a`, `source` spans in `b`).
#[derive(Debug, Clone)]
pub struct ScanPair {
    /// The suspect-side document.
    pub a: String,
    /// The source-side document.
    pub b: String,
    /// Length of `a` in characters.
    pub a_chars: usize,
    /// IDF-weighted share of the facts (numbers, names) of `a`'s linked
    /// sentences that `b` has ([`fact_agreement`]); `None` with too few
    /// facts. A `derived` pair below
    /// [`MIN_FACT_AGREEMENT`](tuned::MIN_FACT_AGREEMENT) shares a template,
    /// not facts, and is reported `related` with a confidence no higher
    /// than its agreement (unless [`ScanOptions::keep_boilerplate`]).
    pub fact_agreement: Option<f32>,
    /// The alignment of `a` with `b` (its `id` is `b`).
    pub report: SourceReport,
}

#[derive(serde::Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    score: f32,
    verdict: Verdict,
    confidence: f32,
    query_coverage: f32,
    source_coverage: f32,
    a_chars: usize,
    b_chars: usize,
    fact_agreement: Option<f32>,
    passages: &'a [Passage],
    findings: &'a [Finding],
}

impl serde::Serialize for ScanPair {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let r = &self.report;
        PairJson {
            a: &self.a,
            b: &self.b,
            score: r.score,
            verdict: r.verdict,
            confidence: r.confidence,
            query_coverage: r.query_coverage,
            source_coverage: r.source_coverage,
            a_chars: self.a_chars,
            b_chars: r.chars,
            fact_agreement: self.fact_agreement,
            passages: &r.passages,
            findings: &r.findings,
        }
        .serialize(s)
    }
}

#[derive(serde::Deserialize)]
struct PairOwned {
    a: String,
    b: String,
    score: f32,
    verdict: Verdict,
    confidence: f32,
    query_coverage: f32,
    source_coverage: f32,
    a_chars: usize,
    b_chars: usize,
    #[serde(default)]
    fact_agreement: Option<f32>,
    passages: Vec<Passage>,
    findings: Vec<Finding>,
}

/// Reads a pair back from its JSON form (a line a scan wrote).
impl<'de> serde::Deserialize<'de> for ScanPair {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let p = PairOwned::deserialize(d)?;
        Ok(ScanPair {
            a: p.a,
            a_chars: p.a_chars,
            fact_agreement: p.fact_agreement,
            report: SourceReport {
                id: p.b.clone(),
                score: p.score,
                query_coverage: p.query_coverage,
                source_coverage: p.source_coverage,
                chars: p.b_chars,
                passages: p.passages,
                findings: p.findings,
                verdict: p.verdict,
                confidence: p.confidence,
                verdict_features: Vec::new(),
            },
            b: p.b,
        })
    }
}

/// What a scan did ([`Index::scan`]).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ScanStats {
    /// Documents scanned (stored documents; duplicates not counted).
    pub documents: usize,
    /// Ids recorded as exact duplicates of a stored document (each reported
    /// as a pair with it).
    pub duplicates: usize,
    /// Sentence templates found to be boilerplate.
    pub boilerplate_templates: usize,
    /// Candidate pairs (each aligned once), duplicates included.
    pub candidates: usize,
    /// Candidate pairs dropped by the sentence filter before alignment
    /// (no two sentences sharing enough of their weighted terms).
    pub filtered: usize,
    /// Candidate pairs aligned by this run (less those skipped).
    pub aligned: usize,
    /// Pairs reported.
    pub reported: usize,
    /// Seconds spent on signatures and candidates.
    pub candidate_seconds: f64,
    /// Seconds spent aligning.
    pub align_seconds: f64,
}

/// An id recorded as a duplicate, and the id it duplicates.
type Alias = (String, String);

/// A document's signature.
struct Sig {
    /// The shard (of the scan's indexes) it is stored in...
    shard: u32,
    /// ...and where.
    addr: DocAddress,
    id: String,
    chars: usize,
    /// Content-term hashes, distinct per sentence...
    terms: Vec<u64>,
    /// ...and the sentence (its slot in `templates`) of each.
    slots: Vec<u16>,
    /// The template keys of each sentence with tokens.
    templates: Vec<[u64; 4]>,
}

fn hash_str(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

/// Hash keys of a sentence's template (its words, numbers as `#`): the
/// exact template, then three locality-sensitive keys of its word pairs
/// (two min-hashes each; 0 for a sentence under
/// [`FUZZY_MIN_TOKENS`](tuned::FUZZY_MIN_TOKENS) tokens). A table line of
/// another company's figures, or the same footer, has the same exact
/// template; the house sentence of a bond issue with another issuer's name
/// in it shares a fuzzy key with high probability (about 0.87 at a word-pair
/// Jaccard of 0.7, 0.42 at 0.4).
fn template(a: &Analysis, i: usize) -> [u64; 4] {
    let toks = a.sentence_tokens(i);
    let words: Vec<u64> = toks
        .iter()
        .map(|t| match t.kind {
            TokenKind::Number => 0x5eed,
            TokenKind::Word => hash_str(&t.norm),
        })
        .collect();
    let mut exact = std::collections::hash_map::DefaultHasher::new();
    words.hash(&mut exact);
    let mut out = [exact.finish() | 1, 0, 0, 0];
    if words.len() >= tuned::FUZZY_MIN_TOKENS {
        let mut mins = [u64::MAX; 6];
        for w in words.windows(2) {
            let h = w[0].rotate_left(17) ^ w[1];
            for (j, m) in mins.iter_mut().enumerate() {
                let x = mix(h ^ (0x9e37_79b9_7f4a_7c15u64.wrapping_mul(j as u64 + 1)));
                *m = (*m).min(x);
            }
        }
        for b in 0..3 {
            out[b + 1] = mix(mins[2 * b] ^ mix(mins[2 * b + 1]) ^ (b as u64 + 1)) | 1;
        }
    }
    out
}

/// A 64-bit finaliser (splitmix64).
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn is_boiler(keys: &[u64; 4], boiler: &HashSet<u64>) -> bool {
    keys.iter().any(|k| *k != 0 && boiler.contains(k))
}

/// Byte spans of the boilerplate sentences of a text.
fn boilerplate_spans(a: &Analysis, boiler: &HashSet<u64>) -> Vec<std::ops::Range<usize>> {
    (0..a.sentences.len())
        .filter(|&i| !a.sentence_tokens(i).is_empty() && is_boiler(&template(a, i), boiler))
        .map(|i| a.sentences[i].span.start..a.sentences[i].span.end)
        .collect()
}

/// `text` with the given byte spans blanked: every character a space, so
/// that character offsets stay those of `text`.
fn blank(text: &str, spans: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in spans {
        out.push_str(&text[at..r.start]);
        out.extend(
            text[r.start..r.end]
                .chars()
                .map(|c| if c == '\n' { c } else { ' ' }),
        );
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// What every part of a scan needs to know of the whole collection: how many
/// documents it has, which sentence templates are boilerplate, and in how
/// many documents each term occurs (outside boilerplate). A single-machine
/// scan computes it on the way; a distributed one merges it from each
/// shard's [`Index::scan_template_counts`] and [`Index::scan_term_counts`].
#[derive(Debug, Clone, Default)]
pub struct ScanContext {
    /// Documents in the collection (stored documents, all shards).
    pub documents: usize,
    /// Template keys found in at least
    /// [`ScanOptions::boilerplate_docs`] documents (empty with
    /// [`ScanOptions::keep_boilerplate`]).
    pub boilerplate: HashSet<u64>,
    /// Document frequency of each term outside boilerplate sentences. Terms
    /// in one document may be left out: a missing term counts as in one.
    pub df: HashMap<u64, u32>,
}

impl ScanContext {
    /// The boilerplate templates among the collection's template counts
    /// (merged [`Index::scan_template_counts`]): none with
    /// [`ScanOptions::keep_boilerplate`].
    pub fn boilerplate_of(
        counts: impl IntoIterator<Item = (u64, u32)>,
        opts: &ScanOptions,
    ) -> HashSet<u64> {
        if opts.keep_boilerplate {
            return HashSet::new();
        }
        let least = opts.boilerplate_docs.max(2);
        counts
            .into_iter()
            .filter(|&(_, c)| c as usize >= least)
            .map(|(t, _)| t)
            .collect()
    }

    fn idf(&self, t: &u64) -> f32 {
        idf_of(t, &self.df, self.documents)
    }
}

/// A document's signature for the candidate join of a distributed scan
/// ([`Index::scan_signatures`]): its rarest shared terms with their IDF.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// The document's id.
    pub id: String,
    /// Its length in characters.
    pub chars: usize,
    /// Term hashes with their IDF weight, rarest first.
    pub terms: Vec<(u64, f32)>,
}

/// One open shard of a scan: its index and the snapshot read.
struct Shard<'i> {
    index: &'i Index,
    searcher: Searcher,
}

impl Shard<'_> {
    fn of(index: &Index) -> Shard<'_> {
        Shard {
            index,
            searcher: index.reader.searcher(),
        }
    }

    fn terr(&self) -> impl Fn(tantivy::TantivyError) -> crate::Error + '_ {
        |e| tantivy_err(&self.index.dir, e)
    }

    /// The addresses of the stored records, in index order, and every
    /// duplicate id with the id it duplicates.
    fn entries(&self) -> Result<(Vec<DocAddress>, Vec<Alias>)> {
        let (searcher, fields) = (&self.searcher, &self.index.fields);
        let mut records = Vec::new();
        let mut alias_addrs = Vec::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let kind = seg.fast_fields().u64("kind").map_err(self.terr())?;
            for d in seg.doc_ids_alive() {
                match kind.first(d) {
                    Some(KIND_RECORD) => records.push(DocAddress::new(ord as u32, d)),
                    Some(KIND_ALIAS) => alias_addrs.push(DocAddress::new(ord as u32, d)),
                    _ => {}
                }
            }
        }
        let mut aliases = Vec::with_capacity(alias_addrs.len());
        for addr in alias_addrs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(self.terr())?;
            let get = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            if let (Some(id), Some(of)) = (get(fields.sid), get(fields.dup_of)) {
                aliases.push((id, of));
            }
        }
        Ok((records, aliases))
    }

    /// The signatures of the records at `addrs` (all cores), marked as of
    /// shard `shard`.
    fn signatures(&self, shard: u32, addrs: &[DocAddress]) -> Result<Vec<Sig>> {
        addrs
            .par_iter()
            .map(|&addr| {
                let r =
                    store::record(&self.searcher, &self.index.fields, addr).map_err(self.terr())?;
                Ok(Sig::of(shard, addr, r.id, &r.text))
            })
            .collect()
    }

    /// Every stored document's signature, and the duplicate ids.
    fn all_signatures(&self, shard: u32) -> Result<(Vec<Sig>, Vec<Alias>)> {
        let (addrs, aliases) = self.entries()?;
        Ok((self.signatures(shard, &addrs)?, aliases))
    }

    /// The text of a document, prepared for alignment: with boilerplate
    /// blanked when asked.
    fn prepare(
        &self,
        addr: DocAddress,
        boiler: &HashSet<u64>,
        blanked: bool,
        comparer: &Comparer,
    ) -> Result<retrace_core::Prepared> {
        let r = store::record(&self.searcher, &self.index.fields, addr).map_err(self.terr())?;
        let mut doc = r.document();
        if blanked && !boiler.is_empty() {
            let a = Analysis::new(&doc.text);
            let spans = boilerplate_spans(&a, boiler);
            if !spans.is_empty() {
                doc = Document::from_text(doc.id, blank(&doc.text, &spans));
            }
        }
        Ok(comparer.prepare(doc))
    }
}

impl Sig {
    fn of(shard: u32, addr: DocAddress, id: String, text: &str) -> Sig {
        let a = Analysis::new(text);
        let mut templates = Vec::with_capacity(a.sentences.len());
        let (mut terms, mut slots) = (Vec::new(), Vec::new());
        for i in 0..a.sentences.len() {
            let toks = a.sentence_tokens(i);
            if toks.is_empty() {
                continue;
            }
            let slot = templates.len().min(u16::MAX as usize) as u16;
            templates.push(template(&a, i));
            let from = terms.len();
            for t in toks {
                if !t.stop && !t.stem.is_empty() {
                    let h = hash_str(&t.stem);
                    if !terms[from..].contains(&h) {
                        terms.push(h);
                        slots.push(slot);
                    }
                }
            }
            // sorted within the sentence, for the pair filter
            terms[from..].sort_unstable();
        }
        Sig {
            shard,
            addr,
            id,
            chars: a.chars.len_chars(),
            terms,
            slots,
            templates,
        }
    }
}

/// In how many documents each template key occurs.
fn template_counts(sigs: &[Sig]) -> HashMap<u64, u32> {
    let mut tdf: HashMap<u64, u32> = HashMap::new();
    for s in sigs {
        let mut t: Vec<u64> = s
            .templates
            .iter()
            .flatten()
            .copied()
            .filter(|k| *k != 0)
            .collect();
        t.sort_unstable();
        t.dedup();
        for t in t {
            *tdf.entry(t).or_default() += 1;
        }
    }
    tdf
}

impl Index {
    /// Finds the pairs of documents in the index with reuse and aligns each
    /// (see the [module documentation](self)). `on_pair` gets every
    /// reported pair, in candidate order; `on_chunk(done, total)` is called
    /// after each chunk's pairs were handed over (`done` candidates of
    /// `total`: a restart passes `done` as [`ScanOptions::skip`]). An error
    /// from either stops the scan.
    pub fn scan(
        &self,
        comparer: &Comparer,
        opts: &ScanOptions,
        on_pair: impl FnMut(ScanPair) -> Result<()>,
        on_chunk: impl FnMut(usize, usize) -> Result<()>,
    ) -> Result<ScanStats> {
        scan_shards(
            std::slice::from_ref(self),
            comparer,
            opts,
            on_pair,
            on_chunk,
        )
    }

    /// Part 1 of a distributed scan: in how many of this index's documents
    /// each sentence template key occurs (summed over the shards, they give
    /// [`ScanContext::boilerplate_of`]).
    pub fn scan_template_counts(&self) -> Result<Vec<(u64, u32)>> {
        let (sigs, _) = Shard::of(self).all_signatures(0)?;
        Ok(template_counts(&sigs).into_iter().collect())
    }

    /// Part 2 of a distributed scan: this index's documents, and in how many
    /// of them each term occurs outside the collection's `boilerplate`
    /// (summed over the shards: [`ScanContext::documents`] and
    /// [`ScanContext::df`]).
    pub fn scan_term_counts(&self, boilerplate: &HashSet<u64>) -> Result<(usize, Vec<(u64, u32)>)> {
        let (sigs, _) = Shard::of(self).all_signatures(0)?;
        let df = document_frequencies(&doc_terms(&sigs, boilerplate));
        Ok((sigs.len(), df.into_iter().collect()))
    }

    /// Part 3 of a distributed scan: each stored document's signature under
    /// the collection's counts. Candidate pairs are the pairs of signatures
    /// [`candidate_pairs`] keeps (a distributed engine computes them as a
    /// join on the terms).
    pub fn scan_signatures(&self, ctx: &ScanContext, opts: &ScanOptions) -> Result<Vec<Signature>> {
        let (sigs, _) = Shard::of(self).all_signatures(0)?;
        let terms = doc_terms(&sigs, &ctx.boilerplate);
        let chosen = choose(&terms, &ctx.df, ctx.documents, opts);
        Ok(sigs
            .into_iter()
            .zip(chosen)
            .map(|(s, terms)| Signature {
                id: s.id,
                chars: s.chars,
                terms,
            })
            .collect())
    }

    /// Part 4 of a distributed scan: the sentence filter and the alignment
    /// of candidate pairs `(a, b)` by id, `a` in this index and `b` in
    /// `other` (`None`: this one), with the exact duplicates of this index
    /// first when `duplicates` (each shard's once). Pairs are handed to
    /// `on_pair` as [`Index::scan`] would report them; an id not stored in
    /// its index is an error.
    #[allow(clippy::too_many_arguments)]
    pub fn scan_align(
        &self,
        other: Option<&Index>,
        pairs: &[(String, String)],
        duplicates: bool,
        ctx: &ScanContext,
        comparer: &Comparer,
        opts: &ScanOptions,
        mut on_pair: impl FnMut(ScanPair) -> Result<()>,
    ) -> Result<ScanStats> {
        let t0 = std::time::Instant::now();
        let mut shards = vec![Shard::of(self)];
        if let Some(o) = other {
            shards.push(Shard::of(o));
        }
        let b_shard = shards.len() - 1;
        // the signatures of the documents named, each once
        let mut at: HashMap<(usize, String), usize> = HashMap::new();
        let mut want: Vec<(usize, DocAddress, String)> = Vec::new();
        let mut slot_of = |k: usize, id: &str| -> Result<usize> {
            if let Some(&i) = at.get(&(k, id.to_string())) {
                return Ok(i);
            }
            let sh = &shards[k];
            let addr = store::record_addr_of_id(&sh.searcher, &sh.index.fields, id)
                .map_err(sh.terr())?
                .ok_or_else(|| {
                    crate::err(
                        &sh.index.dir,
                        IndexErrorKind::NotFound,
                        format!("no stored document {id:?} in this shard"),
                    )
                })?;
            want.push((k, addr, id.to_string()));
            at.insert((k, id.to_string()), want.len() - 1);
            Ok(want.len() - 1)
        };
        let mut work = Vec::new();
        let mut dups = 0;
        if duplicates {
            let (_, aliases) = shards[0].entries()?;
            dups = aliases.len();
            let mut aliases = aliases;
            aliases.sort();
            for (dup, of) in aliases {
                if let Ok(i) = slot_of(0, &of) {
                    work.push(Work::Dup(dup, i));
                }
            }
        }
        let mut pair_slots = Vec::with_capacity(pairs.len());
        for (a, b) in pairs {
            pair_slots.push((slot_of(0, a)?, slot_of(b_shard, b)?));
        }
        let sigs: Vec<Sig> = want
            .par_iter()
            .map(|(k, addr, id)| {
                let sh = &shards[*k];
                let r = store::record(&sh.searcher, &sh.index.fields, *addr).map_err(sh.terr())?;
                Ok(Sig::of(*k as u32, *addr, id.clone(), &r.text))
            })
            .collect::<Result<_>>()?;
        let kept: Vec<(usize, usize)> = pair_slots
            .into_par_iter()
            .filter(|&(i, j)| !opts.sentence_filter || sentences_match(&sigs[i], &sigs[j], ctx))
            .collect();
        let mut stats = ScanStats {
            documents: ctx.documents,
            duplicates: dups,
            boilerplate_templates: ctx.boilerplate.len(),
            filtered: pairs.len() - kept.len(),
            ..ScanStats::default()
        };
        work.extend(kept.into_iter().map(|(i, j)| Work::Pair(i, j)));
        stats.candidates = work.len();
        stats.candidate_seconds = t0.elapsed().as_secs_f64();
        align(
            &shards,
            &sigs,
            &work,
            ctx,
            comparer,
            opts,
            &mut stats,
            &mut on_pair,
            &mut |_, _| Ok(()),
        )?;
        Ok(stats)
    }
}

/// [`Index::scan`] over a collection split into several indexes (shards,
/// e.g. a [`ShardSet`](crate::ShardSet)'s): the pairs that one index holding
/// all their documents would give, within and across shards, in the same
/// order (shard by shard, then index order). Ids should be distinct across
/// shards.
pub fn scan_shards(
    indexes: &[Index],
    comparer: &Comparer,
    opts: &ScanOptions,
    mut on_pair: impl FnMut(ScanPair) -> Result<()>,
    mut on_chunk: impl FnMut(usize, usize) -> Result<()>,
) -> Result<ScanStats> {
    let t0 = std::time::Instant::now();
    let shards: Vec<Shard> = indexes.iter().map(Shard::of).collect();
    let mut sigs: Vec<Sig> = Vec::new();
    let mut dup_work: Vec<Work> = Vec::new();
    let mut aliases_seen = 0;
    for (k, sh) in shards.iter().enumerate() {
        let (s, aliases) = sh.all_signatures(k as u32)?;
        aliases_seen += aliases.len();
        // exact duplicates: each id with the document it duplicates
        let base = sigs.len();
        let by_id: HashMap<&str, usize> = s
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), base + i))
            .collect();
        dup_work.extend(
            aliases
                .into_iter()
                .filter_map(|(dup, of)| by_id.get(of.as_str()).map(|&i| Work::Dup(dup, i))),
        );
        sigs.extend(s);
    }
    let n = sigs.len();
    let mut stats = ScanStats {
        documents: n,
        duplicates: aliases_seen,
        ..ScanStats::default()
    };
    // boilerplate: templates in many documents
    let boilerplate = ScanContext::boilerplate_of(template_counts(&sigs), opts);
    stats.boilerplate_templates = boilerplate.len();
    let terms = doc_terms(&sigs, &boilerplate);
    let ctx = ScanContext {
        documents: n,
        df: document_frequencies(&terms),
        boilerplate,
    };
    let pairs = if n < 2 {
        Vec::new()
    } else {
        pair_up(&choose(&terms, &ctx.df, n, opts), opts)
    };
    drop(terms);
    let before = pairs.len();
    let pairs: Vec<(usize, usize)> = pairs
        .into_par_iter()
        .filter(|&(i, j)| !opts.sentence_filter || sentences_match(&sigs[i], &sigs[j], &ctx))
        .collect();
    stats.filtered = before - pairs.len();
    dup_work.sort_by(|x, y| match (x, y) {
        (Work::Dup(a, _), Work::Dup(b, _)) => a.cmp(b),
        _ => std::cmp::Ordering::Equal,
    });
    let mut work = dup_work;
    work.extend(pairs.into_iter().map(|(i, j)| Work::Pair(i, j)));
    stats.candidates = work.len();
    stats.candidate_seconds = t0.elapsed().as_secs_f64();
    align(
        &shards,
        &sigs,
        &work,
        &ctx,
        comparer,
        opts,
        &mut stats,
        &mut on_pair,
        &mut on_chunk,
    )?;
    Ok(stats)
}

/// Aligns the work items after the first [`ScanOptions::skip`], chunk by
/// chunk (each chunk's documents prepared once, its pairs aligned in
/// parallel), handing the reported pairs over in order.
#[allow(clippy::too_many_arguments)]
fn align(
    shards: &[Shard],
    sigs: &[Sig],
    work: &[Work],
    ctx: &ScanContext,
    comparer: &Comparer,
    opts: &ScanOptions,
    stats: &mut ScanStats,
    on_pair: &mut dyn FnMut(ScanPair) -> Result<()>,
    on_chunk: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<()> {
    let t1 = std::time::Instant::now();
    let boiler = &ctx.boilerplate;
    let idf = |t: &str| ctx.idf(&hash_str(t));
    let total = work.len();
    let chunk = opts.chunk.max(1);
    let mut done = opts.skip.min(total);
    while done < total {
        let end = (done + chunk).min(total);
        let items = &work[done..end];
        // the documents this chunk needs, each prepared once: pairs'
        // with boilerplate blanked, exact duplicates as they are
        let mut need: Vec<(usize, bool)> = items
            .iter()
            .flat_map(|w| match w {
                Work::Dup(_, i) => vec![(*i, false)],
                Work::Pair(i, j) => vec![(*i, true), (*j, true)],
            })
            .collect();
        need.sort_unstable();
        need.dedup();
        let prepared: Vec<retrace_core::Prepared> = need
            .par_iter()
            .map(|&(i, blanked)| {
                shards[sigs[i].shard as usize].prepare(sigs[i].addr, boiler, blanked, comparer)
            })
            .collect::<Result<_>>()?;
        let slot: HashMap<(usize, bool), usize> =
            need.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let found: Vec<Option<ScanPair>> = items
            .par_iter()
            .map(|w| {
                let (a_id, qi, si, blanked) = match w {
                    Work::Dup(dup, i) => (dup.clone(), *i, *i, false),
                    Work::Pair(i, j) => {
                        // the shorter text is the suspect
                        let (q, s) =
                            if (sigs[*j].chars, &sigs[*j].id) < (sigs[*i].chars, &sigs[*i].id) {
                                (*j, *i)
                            } else {
                                (*i, *j)
                            };
                        (sigs[q].id.clone(), q, s, true)
                    }
                };
                let q = &prepared[slot[&(qi, blanked)]];
                let s = &prepared[slot[&(si, blanked)]];
                let report = comparer.compare_prepared(q, std::slice::from_ref(s));
                let mut r = report.sources.into_iter().next()?;
                // same template, other facts: not reuse
                let agreement = fact_agreement(q, s, &r.passages, &idf);
                if !opts.keep_boilerplate
                    && r.verdict == Verdict::Derived
                    && agreement.is_some_and(|x| x < tuned::MIN_FACT_AGREEMENT)
                {
                    // and its confidence no more than the agreement
                    r.verdict = Verdict::Related;
                    r.confidence = r.confidence.min(agreement.unwrap_or(0.0));
                }
                let shown = match r.verdict {
                    Verdict::Derived => true,
                    _ => opts.all && !r.passages.is_empty(),
                };
                (shown && r.confidence >= opts.min_confidence).then(|| ScanPair {
                    a: a_id,
                    b: sigs[si].id.clone(),
                    a_chars: report.query.chars,
                    fact_agreement: agreement.map(|x| (x * 1e4).round() / 1e4),
                    report: r,
                })
            })
            .collect();
        stats.aligned += items.len();
        for p in found.into_iter().flatten() {
            stats.reported += 1;
            on_pair(p)?;
        }
        done = end;
        on_chunk(done, total)?;
    }
    if total == 0 {
        on_chunk(0, 0)?;
    }
    stats.align_seconds = t1.elapsed().as_secs_f64();
    Ok(())
}

/// Share of the facts (numbers, and capitalised words inside sentences:
/// names) of the suspect side's linked sentences that the source also has
/// (anywhere: a summary's sentence fuses several of its sentences), each fact weighted by its `idf` in the collection
/// (a bank's name that the house style repeats weighs little, a company's
/// name or a figure much); `None` below [`MIN_FACTS`](tuned::MIN_FACTS)
/// facts.
/// Two bond issues in the house template, or two companies' results, link
/// sentence by sentence and disagree on nearly every fact; a rewrite keeps
/// most of them.
pub fn fact_agreement(
    q: &retrace_core::Prepared,
    s: &retrace_core::Prepared,
    passages: &[Passage],
    idf: &dyn Fn(&str) -> f32,
) -> Option<f32> {
    fn facts<'p>(
        p: &'p retrace_core::Prepared,
        inside: &dyn Fn(usize) -> bool,
    ) -> HashSet<&'p str> {
        let a = &p.analysis;
        let mut out: HashSet<&str> = HashSet::new();
        for i in 0..a.sentences.len() {
            for (k, t) in a.sentence_tokens(i).iter().enumerate() {
                let fact = match t.kind {
                    TokenKind::Number => true,
                    TokenKind::Word => t.capitalized && k > 0 && !t.stop,
                };
                if fact && !t.stem.is_empty() && inside(a.chars.char_of(t.span.start)) {
                    out.insert(t.stem.as_str());
                }
            }
        }
        out
    }
    let links: Vec<(CharSpan, CharSpan)> = passages
        .iter()
        .flat_map(|p| p.links.iter().map(|l| (l.query, l.source)))
        .collect();
    let fq = facts(q, &|c| links.iter().any(|(x, _)| x.0 <= c && c < x.1));
    if fq.len() < tuned::MIN_FACTS {
        return None;
    }
    // anywhere in the source: a summary's sentence fuses facts of several
    let fs = facts(s, &|_| true);
    // summed in a fixed order: a set's order changes from run to run, and
    // so would the last digit of a float sum
    let mut fq: Vec<&str> = fq.into_iter().collect();
    fq.sort_unstable();
    let total: f32 = fq.iter().map(|f| idf(f)).sum();
    let shared: f32 = fq.iter().filter(|f| fs.contains(*f)).map(|f| idf(f)).sum();
    (total > 0.0).then(|| shared / total)
}

/// A term's IDF among `n` documents (a term not counted: in one).
fn idf_of(t: &u64, df: &HashMap<u64, u32>, n: usize) -> f32 {
    ((n.max(1) as f32) / df.get(t).copied().unwrap_or(1).max(1) as f32)
        .ln()
        .max(0.0)
}

/// The terms of each sentence of a signature outside boilerplate (sorted
/// slices of `Sig::terms`).
fn sentence_terms<'s>(s: &'s Sig, boiler: &HashSet<u64>) -> Vec<&'s [u64]> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < s.terms.len() {
        let slot = s.slots[at];
        let mut end = at + 1;
        while end < s.terms.len() && s.slots[end] == slot {
            end += 1;
        }
        if !is_boiler(&s.templates[slot as usize], boiler) {
            out.push(&s.terms[at..end]);
        }
        at = end;
    }
    out
}

/// The cheap filter before alignment: do at least
/// [`FILTER_SENTENCES`](tuned::FILTER_SENTENCES) sentences of the pair's
/// shorter side (or all of them, if fewer) share, with some sentence of the
/// other, [`FILTER_MIN_TERMS`](tuned::FILTER_MIN_TERMS) terms carrying
/// [`FILTER_SHARE`](tuned::FILTER_SHARE) of the smaller sentence's IDF
/// weight (or [`FILTER_FRAGMENT_TERMS`](tuned::FILTER_FRAGMENT_TERMS) terms
/// whatever their weight: a fragment copied into a longer sentence)? A
/// paraphrased sentence keeps about half of its content words; two
/// articles on one topic share a few common ones.
fn sentences_match(a: &Sig, b: &Sig, ctx: &ScanContext) -> bool {
    let idf = |t: &u64| ctx.idf(t);
    let (sa, sb) = (
        sentence_terms(a, &ctx.boilerplate),
        sentence_terms(b, &ctx.boilerplate),
    );
    let (short, long) = if a.chars <= b.chars {
        (sa, sb)
    } else {
        (sb, sa)
    };
    let wl: Vec<f32> = long.iter().map(|s| s.iter().map(idf).sum()).collect();
    let need = tuned::FILTER_SENTENCES.min(short.len()).max(1);
    let mut hits = 0;
    for s in &short {
        let ws: f32 = s.iter().map(idf).sum();
        let matched = long.iter().zip(&wl).any(|(l, &wl)| {
            let (mut i, mut j, mut c, mut w) = (0, 0, 0usize, 0f32);
            while i < s.len() && j < l.len() {
                match s[i].cmp(&l[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        c += 1;
                        w += idf(&s[i]);
                        i += 1;
                        j += 1;
                    }
                }
            }
            c >= tuned::FILTER_MIN_TERMS
                && (w >= tuned::FILTER_SHARE * ws.min(wl) || c >= tuned::FILTER_FRAGMENT_TERMS)
        });
        if matched {
            hits += 1;
            if hits >= need {
                return true;
            }
        }
    }
    false
}

enum Work {
    /// An exact duplicate id of document `.1`.
    Dup(String, usize),
    /// Documents `.0 < .1`.
    Pair(usize, usize),
}

/// Each document's distinct terms outside boilerplate sentences (all
/// cores).
fn doc_terms(sigs: &[Sig], boiler: &HashSet<u64>) -> Vec<Vec<u64>> {
    sigs.par_iter()
        .map(|s| {
            let mut v: Vec<u64> = s
                .terms
                .iter()
                .zip(&s.slots)
                .filter(|(_, &k)| !is_boiler(&s.templates[k as usize], boiler))
                .map(|(t, _)| *t)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect()
}

/// In how many documents each term occurs (each document's terms
/// distinct, as [`doc_terms`] gives them).
fn document_frequencies(terms: &[Vec<u64>]) -> HashMap<u64, u32> {
    let mut df: HashMap<u64, u32> = HashMap::new();
    for t in terms.iter().flatten() {
        *df.entry(*t).or_default() += 1;
    }
    df
}

/// Each document's signature: its [`ScanOptions::terms_per_doc`] rarest
/// terms that another document has and at most
/// [`MAX_DF_SHARE`](tuned::MAX_DF_SHARE) of the `n` documents (at least
/// [`MAX_DF_FLOOR`](tuned::MAX_DF_FLOOR)), with their IDF.
fn choose(
    terms: &[Vec<u64>],
    df: &HashMap<u64, u32>,
    n: usize,
    opts: &ScanOptions,
) -> Vec<Vec<(u64, f32)>> {
    let max_df = ((tuned::MAX_DF_SHARE * n as f32) as usize).max(tuned::MAX_DF_FLOOR) as u32;
    let idf = |d: u32| ((n.max(1) as f32) / d as f32).ln().max(0.01);
    terms
        .par_iter()
        .map(|s| {
            let mut v: Vec<(u32, u64)> = s
                .iter()
                .filter_map(|t| {
                    let d = df.get(t).copied().unwrap_or(1);
                    (d >= 2 && d <= max_df).then_some((d, *t))
                })
                .collect();
            v.sort_unstable();
            v.truncate(opts.terms_per_doc.max(1));
            v.into_iter().map(|(d, t)| (t, idf(d))).collect()
        })
        .collect()
}

/// Candidate pairs `(i, j)`, `i < j`, sorted, among documents with the
/// given signatures (of [`Index::scan_signatures`], of one shard or
/// several): a pair sharing at least [`ScanOptions::min_shared`] terms (or
/// half the smaller signature, at least two) that carry at least
/// [`ScanOptions::min_overlap`] of the smaller signature's weight, among the
/// best [`ScanOptions::partners`] of either document (by that share, then
/// position).
pub fn candidate_pairs(sigs: &[Signature], opts: &ScanOptions) -> Vec<(usize, usize)> {
    let chosen: Vec<&[(u64, f32)]> = sigs.iter().map(|s| s.terms.as_slice()).collect();
    pair_up(&chosen, opts)
}

/// [`candidate_pairs`] over the chosen terms of each document.
fn pair_up<S: AsRef<[(u64, f32)]> + Sync>(chosen: &[S], opts: &ScanOptions) -> Vec<(usize, usize)> {
    let weight: Vec<f32> = chosen
        .iter()
        .map(|v| v.as_ref().iter().map(|x| x.1).sum())
        .collect();
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, v) in chosen.iter().enumerate() {
        for (t, _) in v.as_ref() {
            postings.entry(*t).or_default().push(i as u32);
        }
    }
    let per_doc: Vec<Vec<(usize, f32)>> = chosen
        .par_iter()
        .enumerate()
        .map(|(i, v)| {
            let v = v.as_ref();
            let mut acc: HashMap<u32, (f32, u32)> = HashMap::new();
            for (t, w) in v {
                for &j in &postings[t] {
                    if j as usize != i {
                        let e = acc.entry(j).or_default();
                        e.0 += w;
                        e.1 += 1;
                    }
                }
            }
            let mut out: Vec<(usize, f32)> = acc
                .into_iter()
                .filter_map(|(j, (w, c))| {
                    let j = j as usize;
                    let share = w / weight[i].min(weight[j]).max(1e-6);
                    // a document with few rare terms cannot share many: half
                    // of the smaller signature will do (at least two)
                    let fewest = v.len().min(chosen[j].as_ref().len()).div_ceil(2).max(2);
                    (c as usize >= opts.min_shared.min(fewest) && share >= opts.min_overlap)
                        .then_some((j, share))
                })
                .collect();
            out.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            out.truncate(opts.partners.max(1));
            out
        })
        .collect();
    let mut pairs: Vec<(usize, usize)> = per_doc
        .iter()
        .enumerate()
        .flat_map(|(i, v)| v.iter().map(move |&(j, _)| (i.min(j), i.max(j))))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanking_keeps_character_offsets() {
        let t = "Héllo wörld. Shr 39 cts vs 50 cts.\nEnd.";
        let a = Analysis::new(t);
        let s = a.sentences[1].span;
        let b = blank(t, std::slice::from_ref(&(s.start..s.end)));
        assert_eq!(b.chars().count(), t.chars().count());
        assert!(b.starts_with("Héllo wörld."));
        assert!(!b.contains("Shr"));
        assert!(b.ends_with("\nEnd."));
    }

    #[test]
    fn templates_ignore_the_figures() {
        let a = Analysis::new(
            "Shr 39 cts vs 50 cts.\n\nShr 1.12 dlrs vs 98 cts.\n\nShr 4 cts vs 5 cts.",
        );
        assert_eq!(template(&a, 0), template(&a, 2));
        assert_ne!(template(&a, 0), template(&a, 1));
    }
}
