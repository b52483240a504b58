//! Adding, replacing and deleting documents, in atomic commits.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use tantivy::{TantivyDocument, Term};

use super::ivf::{self, Centroids, Code, UNASSIGNED};
use super::schema::{Fields, KIND_ALIAS, KIND_PASSAGE, KIND_RECORD};
use super::store::{self, Entry};
use super::{passages, tantivy_err, Index};
use crate::error::Result;
use retrace_core::features::SentenceEmbedder;
use retrace_core::ingest::Document;
use retrace_core::text::Analysis;

/// Settings of an [`IndexWriter`].
#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// Commit automatically once this many bytes of text were added since
    /// the last commit (default 64 MiB).
    pub commit_bytes: u64,
    /// Memory tantivy may use to buffer a segment (default 128 MiB).
    pub memory_budget: usize,
    /// Train the IVF centroids once this many passages are unassigned
    /// (default 8,192; below it the semantic channel scans every passage).
    pub ivf_train_min: usize,
    /// Most passages to train the centroids on: until the centroids exist,
    /// this many passages wait in memory to train them (default 65,536).
    pub ivf_sample: usize,
    /// Most IVF groups (default 4,096; the number is `passages / 16`
    /// within `[8, ivf_max_lists]`).
    pub ivf_max_lists: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            commit_bytes: 64 << 20,
            memory_budget: 128 << 20,
            ivf_train_min: 8192,
            ivf_sample: 65536,
            ivf_max_lists: 4096,
        }
    }
}

/// What [`IndexWriter::add`] did with a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// A new document.
    Added,
    /// The id existed with other content, which the new content replaces.
    Replaced,
    /// The content is already stored under the id `of`: the id is recorded
    /// as its duplicate, the text is not stored twice.
    Duplicate {
        /// The id the content is stored under.
        of: String,
    },
    /// The id already holds this content.
    Unchanged,
}

/// A document analysed and embedded, ready to be written.
struct Prepared {
    id: String,
    text: String,
    meta: Option<String>,
    format: retrace_core::ingest::Format,
    hash: u64,
    passages: Vec<PreparedPassage>,
}

struct PreparedPassage {
    body: String,
    vector: Option<Vec<f32>>,
    list: Option<u64>,
}

/// Content hash of a document's text.
pub(crate) fn content_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

fn prepare(
    doc: Document,
    meta: Option<String>,
    model: Option<&dyn SentenceEmbedder>,
    centroids: Option<&Centroids>,
) -> Prepared {
    let a = Analysis::new(&doc.text);
    let cuts = passages::cut(&a, passages::PASSAGE_BYTES);
    let vectors: Vec<Option<Vec<f32>>> = match model {
        Some(m) if !cuts.is_empty() => {
            let texts: Vec<&str> = cuts
                .iter()
                .map(|c| &doc.text[passages::byte_span(&a, c)])
                .collect();
            // a model that fails on this document: stored for lexical
            // retrieval only (no passage vectors)
            m.embed(&texts)
                .unwrap_or_default()
                .into_iter()
                .chain(std::iter::repeat(Vec::new()))
                .take(cuts.len())
                .map(|v| v.iter().any(|x| *x != 0.0).then_some(v))
                .collect()
        }
        _ => vec![None; cuts.len()],
    };
    let passages = cuts
        .iter()
        .zip(vectors)
        .map(|(c, vector)| PreparedPassage {
            body: passages::body(&a, c),
            list: match (&vector, centroids) {
                (Some(v), Some(c)) => Some(c.nearest(v)),
                _ => None,
            },
            vector,
        })
        .collect();
    Prepared {
        hash: content_hash(&doc.text),
        id: doc.id,
        text: doc.text,
        meta,
        format: doc.format,
        passages,
    }
}

/// Changes since the last commit, which the committed snapshot does not show.
#[derive(Default)]
struct Pending {
    /// The latest state of every id touched (`None`: removed).
    ids: HashMap<String, Option<Entry>>,
    /// Content hash -> id of documents stored in this batch.
    hashes: HashMap<u64, String>,
    /// Id -> ids added as its duplicates in this batch.
    aliases: HashMap<String, Vec<String>>,
    /// Texts of documents stored in this batch that gained duplicates (to
    /// promote a duplicate if the document goes).
    texts: HashMap<String, (String, retrace_core::ingest::Format)>,
    bytes: u64,
}

/// The single writer of an index. Changes become durable and visible to
/// readers at [`IndexWriter::commit`] (called automatically every
/// [`WriterOptions::commit_bytes`]); dropping the writer discards the
/// changes since the last commit. After tantivy fails to write or commit
/// (e.g. a full disk) the writer refuses every further change and commit
/// with that error: the index stays at its last commit, and a new writer
/// goes on from there.
pub struct IndexWriter<'a> {
    index: &'a Index,
    w: Option<tantivy::IndexWriter>,
    opts: WriterOptions,
    next_seq: u64,
    pending: Pending,
    centroids: Option<Arc<Centroids>>,
    searcher: tantivy::Searcher,
    /// Until the centroids exist, writes wait here (in order), so the first
    /// passages can train them and be written with their groups.
    buffer: Vec<Op>,
    buffered_vectors: usize,
    /// Set once tantivy failed to write or commit (e.g. a full disk): what
    /// was added since the last commit may be partly lost, so this writer
    /// commits nothing more (a new writer starts again from the last commit).
    failed: Option<String>,
}

enum Op {
    Delete(String),
    Doc(Box<TantivyDocument>),
    Record(Box<Prepared>, u64),
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    next_seq: u64,
}

impl<'a> IndexWriter<'a> {
    pub(super) fn new(index: &'a Index, opts: WriterOptions) -> Result<Self> {
        let dir = &index.dir;
        let w: tantivy::IndexWriter = index
            .tantivy
            .writer_with_num_threads(1, opts.memory_budget.max(16 << 20))
            .map_err(|e| tantivy_err(dir, e))?;
        // the writer's view starts at the latest commit
        index.reload()?;
        let metas = index
            .tantivy
            .load_metas()
            .map_err(|e| tantivy_err(dir, e))?;
        let searcher = index.reader.searcher();
        let next_seq = match metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Payload>(p).ok())
        {
            Some(p) => p.next_seq,
            None => max_seq(&searcher).map_err(|e| tantivy_err(dir, e))? + 1,
        };
        let mut me = IndexWriter {
            index,
            w: Some(w),
            opts,
            next_seq,
            pending: Pending::default(),
            centroids: index.centroids(),
            searcher,
            buffer: Vec::new(),
            buffered_vectors: 0,
            failed: None,
        };
        // a writer killed between a commit and training leaves passages to assign
        me.maybe_train()?;
        Ok(me)
    }

    fn fields(&self) -> &Fields {
        &self.index.fields
    }

    fn w(&self) -> &tantivy::IndexWriter {
        self.w.as_ref().expect("writer is open")
    }

    fn terr(&self, e: tantivy::TantivyError) -> crate::error::Error {
        tantivy_err(&self.index.dir, e)
    }

    /// Refuses to go on after a failure (see `failed`).
    fn check_failed(&self) -> Result<()> {
        match &self.failed {
            None => Ok(()),
            Some(why) => Err(super::err(
                &self.index.dir,
                super::IndexErrorKind::Io,
                format!(
                    "the writer stopped after an error ({why}); nothing since the last commit \
                     was kept: open a new writer (restart) to go on"
                ),
            )),
        }
    }

    /// Records a failure of tantivy's writer and says what it was. When its
    /// indexing thread stopped, an add only says "An index writer was
    /// killed"; the thread's own error (e.g. "No space left on device") is
    /// given back by `prepare_commit`, which then commits nothing.
    fn fail(&mut self, e: tantivy::TantivyError) -> crate::error::Error {
        let cause = match (&e, self.w.as_mut()) {
            (tantivy::TantivyError::ErrorInThread(_), Some(w)) => match w.prepare_commit() {
                Err(cause) => cause,
                Ok(pc) => {
                    let _ = pc.abort();
                    e
                }
            },
            _ => e,
        };
        let e = self.terr(cause);
        self.failed = Some(match &e {
            crate::error::Error::Index { detail, .. } => detail.clone(),
            e => e.to_string(),
        });
        e
    }

    fn add_document(&mut self, d: TantivyDocument) -> Result<()> {
        self.check_failed()?;
        match self.w().add_document(d) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Adds (or replaces) a document; `meta` is kept with it (e.g. the other
    /// fields of a JSON Lines record).
    pub fn add(&mut self, doc: Document, meta: Option<serde_json::Value>) -> Result<AddOutcome> {
        let mut r = self.add_batch(vec![(doc, meta)]);
        r.pop().expect("one result")
    }

    /// Adds documents in order, analysing and embedding them in parallel.
    pub fn add_batch(
        &mut self,
        docs: Vec<(Document, Option<serde_json::Value>)>,
    ) -> Vec<Result<AddOutcome>> {
        let model = self.index.model.clone();
        let centroids = self.centroids.clone();
        let prepared: Vec<Prepared> = docs
            .into_par_iter()
            .map(|(d, meta)| {
                let meta = meta
                    .filter(|m| !m.is_null() && !matches!(m.as_object(), Some(o) if o.is_empty()))
                    .map(|m| m.to_string());
                prepare(d, meta, model.as_deref(), centroids.as_deref())
            })
            .collect();
        prepared
            .into_iter()
            .map(|p| {
                let r = self.apply(p)?;
                self.maybe_autocommit()?;
                Ok(r)
            })
            .collect()
    }

    /// Removes a document (or a duplicate id). Returns whether the id existed.
    pub fn delete(&mut self, id: &str) -> Result<bool> {
        let r = self.remove(id)?;
        self.maybe_autocommit()?;
        Ok(r)
    }

    /// Makes every change so far durable and visible to readers, atomically.
    pub fn commit(&mut self) -> Result<()> {
        self.flush_buffer()?;
        self.commit_inner()?;
        self.maybe_train()
    }

    /// Commits, then waits for background segment merges to finish.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        if let Some(w) = self.w.take() {
            w.wait_merging_threads()
                .map_err(|e| tantivy_err(&self.index.dir, e))?;
        }
        Ok(())
    }

    /// Bytes of text added since the last commit.
    pub fn pending_bytes(&self) -> u64 {
        self.pending.bytes
    }

    fn commit_inner(&mut self) -> Result<()> {
        self.check_failed()?;
        let payload = serde_json::to_string(&Payload {
            next_seq: self.next_seq,
        })
        .expect("payload serialises");
        let w = self.w.as_mut().expect("writer is open");
        let committed = w.prepare_commit().and_then(|mut pc| {
            pc.set_payload(&payload);
            pc.commit()
        });
        if let Err(e) = committed {
            return Err(self.fail(e));
        }
        self.index.reload()?;
        self.searcher = self.index.reader.searcher();
        self.pending = Pending::default();
        Ok(())
    }

    fn maybe_autocommit(&mut self) -> Result<()> {
        if self.buffered_vectors >= self.opts.ivf_sample {
            self.flush_buffer()?;
        }
        if self.pending.bytes >= self.opts.commit_bytes {
            self.commit()?;
        }
        Ok(())
    }

    fn buffering(&self) -> bool {
        self.centroids.is_none() && self.index.model.is_some()
    }

    /// Writes the buffered operations, training the centroids first when
    /// there are enough passages.
    fn flush_buffer(&mut self) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        if self.centroids.is_none() {
            let committed = self.unassigned()?.len();
            if committed + self.buffered_vectors >= self.opts.ivf_train_min.max(1) {
                let mut sample: Vec<Vec<f32>> = Vec::new();
                for op in &self.buffer {
                    if let Op::Record(p, _) = op {
                        for pp in &p.passages {
                            if let Some(v) = &pp.vector {
                                if sample.len() < self.opts.ivf_sample {
                                    sample.push(v.clone());
                                }
                            }
                        }
                    }
                }
                if sample.len() < self.opts.ivf_sample && committed > 0 {
                    let room = self.opts.ivf_sample - sample.len();
                    sample.extend(self.unassigned_vectors(room)?.1);
                }
                self.train(&sample)?;
            }
        }
        let mut buffer = std::mem::take(&mut self.buffer);
        if let Some(c) = self.centroids.clone() {
            buffer.par_iter_mut().for_each(|op| {
                if let Op::Record(p, _) = op {
                    for pp in &mut p.passages {
                        if let (Some(v), None) = (&pp.vector, pp.list) {
                            pp.list = Some(c.nearest(v));
                        }
                    }
                }
            });
        }
        for op in buffer {
            match op {
                Op::Delete(id) => {
                    self.w()
                        .delete_term(Term::from_field_text(self.index.fields.id, &id));
                }
                Op::Doc(d) => {
                    self.add_document(*d)?;
                }
                Op::Record(p, seq) => self.write_record(&p, seq)?,
            }
        }
        self.buffered_vectors = 0;
        Ok(())
    }

    fn train(&mut self, sample: &[Vec<f32>]) -> Result<()> {
        if sample.is_empty() {
            return Ok(());
        }
        let dim = sample[0].len();
        let c = match Centroids::load(&self.index.dir, Some(dim))? {
            // left by a writer killed before its commit: as good as new
            Some(c) => c,
            None => {
                let k = (sample.len() / 16).clamp(8, self.opts.ivf_max_lists.max(8));
                let c = Centroids::train(sample, k, 6);
                c.save(&self.index.dir)?;
                Arc::new(c)
            }
        };
        self.centroids = Some(c);
        Ok(())
    }

    fn resolve(&self, id: &str) -> Result<Option<Entry>> {
        if let Some(e) = self.pending.ids.get(id) {
            return Ok(e.clone());
        }
        store::entry(&self.searcher, self.fields(), id).map_err(|e| self.terr(e))
    }

    fn canonical_for_hash(&self, hash: u64) -> Result<Option<String>> {
        let is_it = |me: &Self, id: &str| -> Result<bool> {
            Ok(matches!(me.resolve(id)?, Some(Entry::Record { hash: h }) if h == hash))
        };
        if let Some(id) = self.pending.hashes.get(&hash) {
            if is_it(self, id)? {
                return Ok(Some(id.clone()));
            }
        }
        let ids =
            store::ids_with_hash(&self.searcher, self.fields(), hash).map_err(|e| self.terr(e))?;
        for id in ids {
            if is_it(self, &id)? {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    fn aliases_of(&self, of: &str) -> Result<Vec<String>> {
        let mut v = store::aliases(&self.searcher, self.fields(), of).map_err(|e| self.terr(e))?;
        if let Some(p) = self.pending.aliases.get(of) {
            v.extend(p.iter().cloned());
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for a in v {
            if seen.insert(a.clone())
                && matches!(self.resolve(&a)?, Some(Entry::Alias { of: o, .. }) if o == of)
            {
                out.push(a);
            }
        }
        Ok(out)
    }

    fn apply(&mut self, p: Prepared) -> Result<AddOutcome> {
        match self.resolve(&p.id)? {
            Some(Entry::Record { hash }) if hash == p.hash => return Ok(AddOutcome::Unchanged),
            Some(Entry::Alias { of, .. })
                if self.canonical_for_hash(p.hash)?.as_deref() == Some(of.as_str()) =>
            {
                return Ok(AddOutcome::Unchanged)
            }
            _ => {}
        }
        let existed = self.remove(&p.id)?;
        if let Some(of) = self.canonical_for_hash(p.hash)? {
            if self.pending.hashes.get(&p.hash) == Some(&of) {
                self.pending
                    .texts
                    .entry(of.clone())
                    .or_insert_with(|| (p.text.clone(), p.format));
            }
            self.add_alias(&p.id, &of, p.meta)?;
            return Ok(AddOutcome::Duplicate { of });
        }
        self.add_record(p, None)?;
        Ok(if existed {
            AddOutcome::Replaced
        } else {
            AddOutcome::Added
        })
    }

    fn delete_id(&mut self, id: &str) {
        if self.buffering() {
            self.buffer.push(Op::Delete(id.to_string()));
        } else {
            self.w()
                .delete_term(Term::from_field_text(self.index.fields.id, id));
        }
        self.pending.ids.insert(id.to_string(), None);
    }

    fn remove(&mut self, id: &str) -> Result<bool> {
        match self.resolve(id)? {
            None => Ok(false),
            Some(Entry::Alias { .. }) => {
                self.delete_id(id);
                Ok(true)
            }
            Some(Entry::Record { hash }) => {
                let aliases = self.aliases_of(id)?;
                let content = if aliases.is_empty() {
                    None
                } else if let Some(t) = self.pending.texts.get(id) {
                    Some(t.clone())
                } else {
                    store::record_of_id(&self.searcher, self.fields(), id)
                        .map_err(|e| self.terr(e))?
                        .map(|r| (r.text, r.format))
                };
                self.delete_id(id);
                if self.pending.hashes.get(&hash).map(String::as_str) == Some(id) {
                    self.pending.hashes.remove(&hash);
                }
                if let (Some((text, format)), Some(first)) = (content, aliases.first()) {
                    // the first duplicate takes over the content
                    let first = first.clone();
                    let meta = match self.resolve(&first)? {
                        Some(Entry::Alias { meta, .. }) => meta,
                        _ => None,
                    };
                    self.delete_id(&first);
                    let mut doc = Document::from_text(first.clone(), text);
                    doc.format = format;
                    let p = prepare(
                        doc,
                        meta,
                        self.index.model.as_deref(),
                        self.centroids.as_deref(),
                    );
                    if aliases.len() > 1 {
                        self.pending
                            .texts
                            .insert(first.clone(), (p.text.clone(), p.format));
                    }
                    self.add_record(p, None)?;
                    for a in &aliases[1..] {
                        let meta = match self.resolve(a)? {
                            Some(Entry::Alias { meta, .. }) => meta,
                            _ => None,
                        };
                        self.delete_id(a);
                        self.add_alias(a, &first, meta)?;
                    }
                }
                Ok(true)
            }
        }
    }

    fn add_alias(&mut self, id: &str, of: &str, meta: Option<String>) -> Result<()> {
        let f = self.fields().clone();
        let mut d = TantivyDocument::new();
        d.add_text(f.id, id);
        d.add_text(f.sid, id);
        d.add_text(f.dup_of, of);
        if let Some(m) = &meta {
            d.add_text(f.meta, m);
        }
        fill_fast(&mut d, &f, KIND_ALIAS, u64::MAX, 0, None);
        if self.buffering() {
            self.buffer.push(Op::Doc(Box::new(d)));
        } else {
            self.add_document(d)?;
        }
        self.pending.ids.insert(
            id.to_string(),
            Some(Entry::Alias {
                of: of.to_string(),
                meta,
            }),
        );
        self.pending
            .aliases
            .entry(of.to_string())
            .or_default()
            .push(id.to_string());
        Ok(())
    }

    /// Records a document (under `seq`, or a new one) and writes it, or
    /// buffers it until the centroids exist.
    fn add_record(&mut self, p: Prepared, seq: Option<u64>) -> Result<()> {
        let seq = seq.unwrap_or_else(|| {
            self.next_seq += 1;
            self.next_seq - 1
        });
        self.pending.bytes += p.text.len() as u64;
        self.pending
            .ids
            .insert(p.id.clone(), Some(Entry::Record { hash: p.hash }));
        self.pending.hashes.insert(p.hash, p.id.clone());
        if self.buffering() {
            self.buffered_vectors += p.passages.iter().filter(|x| x.vector.is_some()).count();
            self.buffer.push(Op::Record(Box::new(p), seq));
            Ok(())
        } else {
            self.write_record(&p, seq)
        }
    }

    /// Writes a document's record and passages to tantivy.
    fn write_record(&mut self, p: &Prepared, seq: u64) -> Result<()> {
        let f = self.fields().clone();
        let words = f.code.len();
        let n = p.passages.len().max(1);
        for i in 0..n {
            let mut d = TantivyDocument::new();
            d.add_text(f.id, &p.id);
            let mut code = None;
            if let Some(pp) = p.passages.get(i) {
                d.add_text(f.body, &pp.body);
                if let Some(v) = &pp.vector {
                    let list = match (pp.list, &self.centroids) {
                        (Some(l), _) => l,
                        (None, Some(c)) => c.nearest(v),
                        (None, None) => UNASSIGNED,
                    };
                    d.add_u64(f.list, list);
                    code = Some(ivf::quantize(v, words));
                }
            }
            let kind = if i == 0 { KIND_RECORD } else { KIND_PASSAGE };
            let bytes = if i == 0 { p.text.len() as u64 } else { 0 };
            if i == 0 {
                d.add_text(f.sid, &p.id);
                d.add_text(f.text, &p.text);
                if let Some(m) = &p.meta {
                    d.add_text(f.meta, m);
                }
                d.add_text(f.format, store::format_name(p.format));
                d.add_u64(f.hash, p.hash);
                d.add_u64(f.rec, seq);
            }
            fill_fast(&mut d, &f, kind, seq, bytes, code.as_ref());
            self.add_document(d)?;
        }
        Ok(())
    }

    /// Passages committed without a group (alive).
    fn unassigned(&self) -> Result<Vec<tantivy::DocAddress>> {
        let term = Term::from_field_u64(self.fields().list, UNASSIGNED);
        store::alive_docs(&self.searcher, &term).map_err(|e| self.terr(e))
    }

    /// The documents (seqs) of the committed unassigned passages, and up to
    /// `limit` of their vectors.
    fn unassigned_vectors(&self, limit: usize) -> Result<(HashSet<u64>, Vec<Vec<f32>>)> {
        let f = self.fields().clone();
        let dim = self.index.model.as_ref().map_or(0, |m| m.dim());
        let all = self.unassigned()?;
        let mut seqs = HashSet::new();
        let mut vectors = Vec::new();
        for (ord, seg) in self.searcher.segment_readers().iter().enumerate() {
            let docs: Vec<u32> = all
                .iter()
                .filter(|a| a.segment_ord as usize == ord)
                .map(|a| a.doc_id)
                .collect();
            if docs.is_empty() {
                continue;
            }
            let ff = seg.fast_fields();
            let seq_col = ff.u64("seq").map_err(|e| self.terr(e))?;
            let scale_col = ff.f64("scale").map_err(|e| self.terr(e))?;
            let cols: Vec<_> = (0..f.code.len())
                .map(|i| ff.u64(&super::schema::code_name(i)))
                .collect::<tantivy::Result<_>>()
                .map_err(|e| self.terr(e))?;
            for d in docs {
                if let Some(s) = seq_col.first(d) {
                    seqs.insert(s);
                }
                if vectors.len() < limit {
                    let words: Vec<u64> = cols.iter().map(|c| c.first(d).unwrap_or(0)).collect();
                    let scale = scale_col.first(d).unwrap_or(0.0) as f32;
                    let mut v = ivf::dequantize(&words, scale, dim);
                    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                    if n > 0.0 {
                        v.iter_mut().for_each(|x| *x /= n);
                        vectors.push(v);
                    }
                }
            }
        }
        Ok((seqs, vectors))
    }

    /// After a commit: trains the centroids once enough committed passages
    /// wait without a group, and rewrites the documents of such passages
    /// with their groups (one more commit). Rare: passages normally get
    /// their group before they are first written.
    fn maybe_train(&mut self) -> Result<()> {
        let Some(model) = self.index.model.clone() else {
            return Ok(());
        };
        let count = self.unassigned()?.len();
        if count == 0 || (self.centroids.is_none() && count < self.opts.ivf_train_min.max(1)) {
            return Ok(());
        }
        let limit = if self.centroids.is_none() {
            self.opts.ivf_sample
        } else {
            0
        };
        let (seqs, vectors) = self.unassigned_vectors(limit)?;
        if self.centroids.is_none() {
            self.train(&vectors)?;
            if self.centroids.is_none() {
                return Ok(());
            }
        }
        drop(vectors);
        let f = self.fields().clone();
        let mut seqs: Vec<u64> = seqs.into_iter().collect();
        seqs.sort_unstable();
        for chunk in seqs.chunks(512) {
            let mut recs = Vec::new();
            for &s in chunk {
                if let Some(r) =
                    store::record_of_seq(&self.searcher, &f, s).map_err(|e| self.terr(e))?
                {
                    recs.push((s, r));
                }
            }
            let centroids = self.centroids.clone();
            let prepared: Vec<(u64, Prepared)> = recs
                .into_par_iter()
                .map(|(s, r)| {
                    let meta = r.meta.clone();
                    (
                        s,
                        prepare(
                            r.document(),
                            meta,
                            Some(model.as_ref()),
                            centroids.as_deref(),
                        ),
                    )
                })
                .collect();
            for (s, p) in prepared {
                self.w().delete_term(Term::from_field_text(f.id, &p.id));
                self.write_record(&p, s)?;
            }
        }
        self.commit_inner()
    }
}

fn fill_fast(
    d: &mut TantivyDocument,
    f: &Fields,
    kind: u64,
    seq: u64,
    bytes: u64,
    code: Option<&Code>,
) {
    d.add_u64(f.kind, kind);
    d.add_u64(f.seq, seq);
    d.add_u64(f.bytes, bytes);
    d.add_f64(f.scale, code.map_or(0.0, |c| c.scale as f64));
    for (i, field) in f.code.iter().enumerate() {
        d.add_u64(*field, code.map_or(0, |c| c.words[i]));
    }
    for (i, field) in f.bits.iter().enumerate() {
        d.add_u64(*field, code.map_or(0, |c| c.bits[i]));
    }
}

fn max_seq(searcher: &tantivy::Searcher) -> tantivy::Result<u64> {
    let mut m = 0;
    for seg in searcher.segment_readers() {
        let c = seg.fast_fields().u64("seq")?;
        for d in seg.doc_ids_alive() {
            if let Some(s) = c.first(d) {
                if s != u64::MAX {
                    m = m.max(s);
                }
            }
        }
    }
    Ok(m)
}
