//! A collection split into several indexes (shards) under one directory:
//! what `retrace index --shards N` writes, and what a cluster scans shard by
//! shard (`retrace.spark.scan`).
//!
//! `DIR/retrace-shards.json` names the shards (`DIR/shard-0000`, ...), each
//! a complete index. A document goes to shard `xxh3_64(id) % N`, so adding,
//! replacing and deleting by id always reach the same shard. Exact
//! duplicates are recorded within a shard; across shards they are two
//! stored documents, which [`ShardSet::scan`] reports as a verbatim pair.
//! Each shard commits on its own: a process killed while writing leaves
//! every shard at its last commit, and a rerun completes them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use retrace_core::features::SentenceEmbedder;
use retrace_core::ingest::Document;
use retrace_core::Comparer;

use crate::error::Result;
use crate::scan::{scan_shards, ScanOptions, ScanPair, ScanStats};
use crate::search::{check_candidates, CheckOptions, Checked};
use crate::writer::{AddOutcome, IndexWriter, WriterOptions};
use crate::{err, Index, IndexErrorKind, Stats};

/// The file naming the shards of a sharded index directory.
pub const SHARDS_FILE: &str = "retrace-shards.json";

/// Most shards of a [`ShardSet`].
pub const MAX_SHARDS: usize = 4096;

#[derive(serde::Serialize, serde::Deserialize)]
struct ShardsManifest {
    format: String,
    version: u32,
    shards: usize,
    route: String,
}

const FORMAT: &str = "retrace-shards";
const ROUTE: &str = "xxh3_64(id) % shards";

/// The indexes of a sharded index directory, opened for reading (and for
/// starting a [`ShardWriter`]).
#[derive(Debug)]
pub struct ShardSet {
    dir: PathBuf,
    shards: Vec<Index>,
}

impl ShardSet {
    /// Whether `dir` holds a sharded index (its [`SHARDS_FILE`]).
    pub fn is_sharded(dir: &Path) -> bool {
        dir.join(SHARDS_FILE).is_file()
    }

    /// The directory of shard `k` of a sharded index in `dir`.
    pub fn shard_dir(dir: &Path, k: usize) -> PathBuf {
        dir.join(format!("shard-{k:04}"))
    }

    /// Which of `shards` shards holds the document `id`.
    pub fn route(id: &str, shards: usize) -> usize {
        (xxhash_rust::xxh3::xxh3_64(id.as_bytes()) % shards.max(1) as u64) as usize
    }

    /// Opens the sharded index in `dir`, or creates one of `shards` shards
    /// when `dir` is missing or empty. An existing one must have `shards`
    /// shards (`None`: any).
    pub fn open_or_create(
        dir: &Path,
        shards: Option<usize>,
        model: Option<Arc<dyn SentenceEmbedder>>,
    ) -> Result<ShardSet> {
        if Self::is_sharded(dir) {
            let set = Self::open(dir, model)?;
            if let Some(n) = shards.filter(|&n| n != set.shards.len()) {
                return Err(err(
                    dir,
                    IndexErrorKind::Foreign,
                    format!(
                        "this sharded index has {} shards, not {n}: documents are routed by id \
                         over the shard count, so it cannot change",
                        set.shards.len()
                    ),
                ));
            }
            return Ok(set);
        }
        let n = shards.unwrap_or(1);
        if n == 0 || n > MAX_SHARDS {
            return Err(err(
                dir,
                IndexErrorKind::Foreign,
                format!("--shards must be between 1 and {MAX_SHARDS}, not {n}"),
            ));
        }
        if dir.exists() {
            let empty = std::fs::read_dir(dir)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty {
                return Err(err(
                    dir,
                    IndexErrorKind::Foreign,
                    "not empty and not a sharded index: give a new or empty directory",
                ));
            }
        }
        let io = |e: std::io::Error| err(dir, IndexErrorKind::Io, e.to_string());
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut indexes = Vec::with_capacity(n);
        for k in 0..n {
            indexes.push(Index::create(&Self::shard_dir(dir, k), model.clone())?);
        }
        // the manifest last, atomically: a directory without it is unclaimed
        let m = ShardsManifest {
            format: FORMAT.into(),
            version: 1,
            shards: n,
            route: ROUTE.into(),
        };
        let tmp = dir.join(format!("{SHARDS_FILE}.tmp"));
        let mut bytes = serde_json::to_vec_pretty(&m).expect("serialisable");
        bytes.push(b'\n');
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, dir.join(SHARDS_FILE)).map_err(io)?;
        Ok(ShardSet {
            dir: dir.to_path_buf(),
            shards: indexes,
        })
    }

    /// Opens an existing sharded index (every shard with `model`).
    pub fn open(dir: &Path, model: Option<Arc<dyn SentenceEmbedder>>) -> Result<ShardSet> {
        let n = read_manifest(dir)?;
        let shards = (0..n)
            .map(|k| Index::open(&Self::shard_dir(dir, k), model.clone()))
            .collect::<Result<_>>()?;
        Ok(ShardSet {
            dir: dir.to_path_buf(),
            shards,
        })
    }

    /// Facts about a sharded index, without needing its model: the shards'
    /// [`Index::info`] summed.
    pub fn info(dir: &Path) -> Result<Stats> {
        let n = read_manifest(dir)?;
        let all = (0..n)
            .map(|k| Index::info(&Self::shard_dir(dir, k)))
            .collect::<Result<Vec<_>>>()?;
        Ok(sum(all))
    }

    /// The sharded index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The shards, in order.
    pub fn shards(&self) -> &[Index] {
        &self.shards
    }

    /// The shard holding (or to hold) the document `id`.
    pub fn shard_of(&self, id: &str) -> &Index {
        &self.shards[Self::route(id, self.shards.len())]
    }

    /// Moves every shard's reader to its latest commit.
    pub fn reload(&self) -> Result<()> {
        self.shards.iter().try_for_each(Index::reload)
    }

    /// The shards' counts, summed (`segments` and `ivf_lists` too).
    pub fn stats(&self) -> Result<Stats> {
        Ok(sum(self
            .shards
            .iter()
            .map(Index::stats)
            .collect::<Result<Vec<_>>>()?))
    }

    /// A stored document by id.
    pub fn document(&self, id: &str) -> Result<Option<Document>> {
        self.shard_of(id).document(id)
    }

    /// [`Index::check`] over all shards: each shard's best candidates,
    /// the best [`CheckOptions::candidates`] of them all aligned together.
    pub fn check(
        &self,
        comparer: &Comparer,
        query: &Document,
        opts: &CheckOptions,
    ) -> Result<Checked> {
        let q = comparer.prepare(query.clone());
        let mut all = Vec::new();
        for s in &self.shards {
            all.extend(s.candidate_documents(&q.analysis, &query.text, opts)?);
        }
        // fused scores are sums of reciprocal ranks: comparable across shards
        all.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.id.cmp(&y.1.id)));
        all.truncate(opts.candidates);
        let docs = all.into_iter().map(|(_, d)| d).collect();
        Ok(check_candidates(comparer, &q, docs, opts))
    }

    /// [`Index::scan`] over the whole collection, within and across
    /// shards ([`scan_shards`]).
    pub fn scan(
        &self,
        comparer: &Comparer,
        opts: &ScanOptions,
        on_pair: impl FnMut(ScanPair) -> Result<()>,
        on_chunk: impl FnMut(usize, usize) -> Result<()>,
    ) -> Result<ScanStats> {
        scan_shards(&self.shards, comparer, opts, on_pair, on_chunk)
    }

    /// Starts one writer per shard (each shard's single writer). The
    /// memory budget of `options` is shared among them (at least 32 MiB
    /// each).
    pub fn writer(&self, options: WriterOptions) -> Result<ShardWriter<'_>> {
        let per = WriterOptions {
            memory_budget: (options.memory_budget / self.shards.len()).max(32 << 20),
            commit_bytes: (options.commit_bytes / self.shards.len() as u64).max(1 << 20),
            ..options
        };
        let writers = self
            .shards
            .iter()
            .map(|s| s.writer(per.clone()))
            .collect::<Result<_>>()?;
        Ok(ShardWriter { writers })
    }
}

/// The number of shards named in `dir`'s [`SHARDS_FILE`].
fn read_manifest(dir: &Path) -> Result<usize> {
    let path = dir.join(SHARDS_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        let kind = if e.kind() == std::io::ErrorKind::NotFound {
            IndexErrorKind::NotFound
        } else {
            IndexErrorKind::Io
        };
        err(dir, kind, format!("cannot read {SHARDS_FILE}: {e}"))
    })?;
    let m: ShardsManifest = serde_json::from_slice(&bytes).map_err(|e| {
        err(
            dir,
            IndexErrorKind::Corrupt,
            format!("{SHARDS_FILE} is damaged: {e}"),
        )
    })?;
    if m.format != FORMAT {
        return Err(err(
            dir,
            IndexErrorKind::Foreign,
            format!("{SHARDS_FILE} is not a retrace shard list"),
        ));
    }
    if m.version != 1 || m.route != ROUTE {
        return Err(err(
            dir,
            IndexErrorKind::UnknownVersion,
            format!(
                "{SHARDS_FILE} version {} is not read by this build",
                m.version
            ),
        ));
    }
    if m.shards == 0 || m.shards > MAX_SHARDS {
        return Err(err(
            dir,
            IndexErrorKind::Corrupt,
            format!("{SHARDS_FILE} names {} shards", m.shards),
        ));
    }
    Ok(m.shards)
}

/// Shards' counts summed (the first shard's model and format).
fn sum(all: Vec<Stats>) -> Stats {
    let mut it = all.into_iter();
    let mut t = it.next().expect("at least one shard");
    for st in it {
        t.documents += st.documents;
        t.duplicates += st.duplicates;
        t.passages += st.passages;
        t.text_bytes += st.text_bytes;
        t.disk_bytes += st.disk_bytes;
        t.ivf_lists += st.ivf_lists;
        t.segments += st.segments;
    }
    t
}

/// An index directory as opened for reading: one index, or a sharded one.
// one value per opened directory: the size difference does not matter
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum AnyIndex {
    /// One index.
    Single(Index),
    /// A sharded index ([`ShardSet`]).
    Sharded(ShardSet),
}

impl AnyIndex {
    /// Opens the index in `dir`, sharded or not.
    pub fn open(dir: &Path, model: Option<Arc<dyn SentenceEmbedder>>) -> Result<AnyIndex> {
        Ok(if ShardSet::is_sharded(dir) {
            AnyIndex::Sharded(ShardSet::open(dir, model)?)
        } else {
            AnyIndex::Single(Index::open(dir, model)?)
        })
    }

    /// Facts about the index in `dir`, sharded or not, without its model.
    pub fn info(dir: &Path) -> Result<Stats> {
        if ShardSet::is_sharded(dir) {
            ShardSet::info(dir)
        } else {
            Index::info(dir)
        }
    }

    /// Its indexes: the one, or the shards.
    pub fn shards(&self) -> &[Index] {
        match self {
            AnyIndex::Single(i) => std::slice::from_ref(i),
            AnyIndex::Sharded(s) => s.shards(),
        }
    }

    /// The sentence model it was built with.
    pub fn model_info(&self) -> Option<&crate::ModelInfo> {
        self.shards()[0].model_info()
    }

    /// Counts and facts ([`Index::stats`], summed over shards).
    pub fn stats(&self) -> Result<Stats> {
        match self {
            AnyIndex::Single(i) => i.stats(),
            AnyIndex::Sharded(s) => s.stats(),
        }
    }

    /// A stored document by id.
    pub fn document(&self, id: &str) -> Result<Option<Document>> {
        match self {
            AnyIndex::Single(i) => i.document(id),
            AnyIndex::Sharded(s) => s.document(id),
        }
    }

    /// Checks a suspect ([`Index::check`], [`ShardSet::check`]).
    pub fn check(
        &self,
        comparer: &Comparer,
        query: &Document,
        opts: &CheckOptions,
    ) -> Result<Checked> {
        match self {
            AnyIndex::Single(i) => i.check(comparer, query, opts),
            AnyIndex::Sharded(s) => s.check(comparer, query, opts),
        }
    }

    /// Scans the whole collection ([`scan_shards`]).
    pub fn scan(
        &self,
        comparer: &Comparer,
        opts: &ScanOptions,
        on_pair: impl FnMut(ScanPair) -> Result<()>,
        on_chunk: impl FnMut(usize, usize) -> Result<()>,
    ) -> Result<ScanStats> {
        scan_shards(self.shards(), comparer, opts, on_pair, on_chunk)
    }
}

/// Writes to every shard of a [`ShardSet`], each document to its shard.
pub struct ShardWriter<'a> {
    writers: Vec<IndexWriter<'a>>,
}

impl ShardWriter<'_> {
    /// Adds documents (see [`IndexWriter::add_batch`]), each to its shard;
    /// outcomes in input order.
    pub fn add_batch(
        &mut self,
        docs: Vec<(Document, Option<serde_json::Value>)>,
    ) -> Vec<Result<AddOutcome>> {
        let n = self.writers.len();
        let mut parts: Vec<Vec<(Document, Option<serde_json::Value>)>> =
            (0..n).map(|_| Vec::new()).collect();
        let mut order = Vec::with_capacity(docs.len());
        for d in docs {
            let k = ShardSet::route(&d.0.id, n);
            order.push(k);
            parts[k].push(d);
        }
        let mut outs: Vec<std::vec::IntoIter<Result<AddOutcome>>> = self
            .writers
            .iter_mut()
            .zip(parts)
            .map(|(w, p)| {
                if p.is_empty() {
                    Vec::new().into_iter()
                } else {
                    w.add_batch(p).into_iter()
                }
            })
            .collect();
        order
            .into_iter()
            .map(|k| outs[k].next().expect("one outcome per document"))
            .collect()
    }

    /// Removes a document by id from its shard.
    pub fn delete(&mut self, id: &str) -> Result<bool> {
        let k = ShardSet::route(id, self.writers.len());
        self.writers[k].delete(id)
    }

    /// Commits every shard.
    pub fn commit(&mut self) -> Result<()> {
        self.writers.iter_mut().try_for_each(|w| w.commit())
    }

    /// Commits every shard and releases the writers.
    pub fn finish(self) -> Result<()> {
        self.writers.into_iter().try_for_each(|w| w.finish())
    }
}
