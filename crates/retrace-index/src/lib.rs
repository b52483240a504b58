//! A persistent index of source documents, and checking a suspect against it.
//!
//! In: documents (from files, directories or JSON Lines, see [`input`]).
//! Out: an index directory on disk; for a suspect, the candidate sources
//! most likely to have been reused ([`Index::search`]) and the full
//! alignment [`Report`](retrace_core::Report) against them ([`Index::check`]).
//!
//! ## Life cycle
//! ```
//! use retrace_index::{CheckOptions, Index, WriterOptions};
//! use retrace_core::{Comparer, Document};
//!
//! let dir = std::env::temp_dir().join(format!("retrace-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! // create (or open) an index; `None`: lexical retrieval only, no sentence model
//! let index = Index::open_or_create(&dir, None).unwrap();
//! let mut writer = index.writer(WriterOptions::default()).unwrap();
//! writer
//!     .add(Document::from_text(
//!         "budget",
//!         "The city council approved a new budget on Monday after a long debate. \
//!          It raises spending on schools by 12 percent and cuts the parks budget. \
//!          Critics said the plan ignores the poor state of the roads.",
//!     ), None)
//!     .unwrap();
//! writer
//!     .add(Document::from_text("weather", "Heavy rain is expected along the coast tonight."), None)
//!     .unwrap();
//! writer.commit().unwrap(); // durable and visible to readers, atomically
//! drop(writer);
//!
//! index.reload().unwrap();
//! let suspect = Document::from_text(
//!     "suspect",
//!     "After a lengthy debate, the city council passed a new budget on Monday. \
//!      School spending goes up 12 percent while the parks budget is cut. \
//!      The roads, critics said, are ignored by the plan.",
//! );
//! let checked = index.check(&Comparer::new(), &suspect, &CheckOptions::default()).unwrap();
//! assert_eq!(checked.report.sources[0].id, "budget");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
//!
//! ## How candidates are found
//! Each document is cut into passages (runs of whole sentences, about
//! [`PASSAGE_BYTES`] long). Every passage is one searchable unit with two
//! representations:
//! - **lexical**: its content-word stems and canonical numbers (the same
//!   tokens the alignment uses), scored with BM25 by tantivy;
//! - **semantic**: its embedding from the index's sentence model, quantised
//!   to 8 bits (plus its sign bits), in an inverted-file (IVF) structure:
//!   passages are grouped by their nearest of up to 4,096 centroids (two
//!   levels, trained once the index holds enough passages); a query scans
//!   the groups of its nearest centroids by sign bits and re-ranks the best
//!   with the 8-bit codes.
//!
//! A suspect is cut into windows the same way; each window queries both
//! channels with its most distinctive terms (numbers and names weigh more)
//! and its embedding. The ranked lists of each window are fused by weighted
//! reciprocal rank, and documents are taken round-robin across windows (so a
//! suspect mixing several sources keeps a slot for each). Only the top
//! candidates (default 10) are aligned in full with [`Comparer`](retrace_core::Comparer).
//!
//! ## On disk, and crash safety
//! `retrace-index.json` (the manifest: format, version, model) is written
//! once, atomically. Everything else lives in one tantivy index under
//! `tantivy/`: documents, passages, vectors (as fast fields) and the IVF
//! groups (as indexed terms), so one tantivy commit makes a batch durable and
//! visible atomically, and a process killed at any moment leaves the last
//! committed state. The IVF centroids are a write-once side file
//! (`centroids.bin`, checksummed) written before the first commit that uses
//! them. Readers work while a writer adds documents; one writer at a time.

#![deny(missing_docs)]

mod error;
mod ivf;
mod manifest;
mod passages;
pub mod scan;
mod schema;
mod search;
pub mod shards;
mod store;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

pub use error::{Error, IndexErrorKind, Result};
use retrace_core::features::SentenceEmbedder;

pub use manifest::{ModelInfo, FORMAT_VERSION, MANIFEST_FILE};
pub use passages::PASSAGE_BYTES;
pub use scan::{
    candidate_pairs, scan_shards, ScanContext, ScanOptions, ScanPair, ScanStats, Signature,
};
pub use search::{Candidate, CheckOptions, Checked};
pub use shards::{AnyIndex, ShardSet, ShardWriter, SHARDS_FILE};
pub use writer::{AddOutcome, IndexWriter, WriterOptions};

/// Reading index inputs: files, directories (with globs) and JSON Lines
/// (the ingest stage, [`retrace_core::ingest::input`]).
pub use retrace_core::ingest::input;

pub(crate) fn err(dir: &Path, kind: IndexErrorKind, detail: impl Into<String>) -> Error {
    Error::Index {
        dir: dir.to_path_buf(),
        kind,
        detail: detail.into(),
    }
}

pub(crate) fn tantivy_err(dir: &Path, e: tantivy::TantivyError) -> Error {
    use tantivy::directory::error::LockError;
    use tantivy::TantivyError as T;
    if let T::LockFailure(LockError::IoError(io), _) = &e {
        // not another writer: the lock file cannot be made (a read-only
        // file system, no permission, a full disk)
        return err(
            dir,
            IndexErrorKind::Io,
            format!("cannot take the index's write lock: {io}"),
        );
    }
    let kind = match &e {
        T::LockFailure(..) => IndexErrorKind::Locked,
        T::DataCorruption(_) | T::SchemaError(_) | T::IncompatibleIndex(_) => {
            IndexErrorKind::Corrupt
        }
        T::OpenReadError(_) | T::OpenDirectoryError(_) => IndexErrorKind::Corrupt,
        _ => IndexErrorKind::Io,
    };
    let detail = match kind {
        IndexErrorKind::Locked => {
            "another process is writing to this index (one writer at a time)".to_string()
        }
        IndexErrorKind::Corrupt => format!("the index data is damaged: {e}"),
        _ => e.to_string(),
    };
    err(dir, kind, detail)
}

/// Counts and facts about an index ([`Index::stats`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    /// Documents stored (each distinct content once).
    pub documents: u64,
    /// Ids recorded as duplicates of a stored document.
    pub duplicates: u64,
    /// Searchable passages.
    pub passages: u64,
    /// Bytes of UTF-8 text of the stored documents.
    pub text_bytes: u64,
    /// Bytes the index directory takes on disk.
    pub disk_bytes: u64,
    /// The sentence model the index was built with (`None`: lexical only).
    pub model: Option<ModelInfo>,
    /// The index's format version.
    pub format_version: u32,
    /// Number of IVF groups of the semantic channel (0: flat scan).
    pub ivf_lists: usize,
    /// Number of tantivy segments.
    pub segments: usize,
}

/// An index directory opened for reading (and for starting a writer).
///
/// Cheap to share across threads. A reader sees the state of the last commit
/// when it was opened or [`Index::reload`]ed.
pub struct Index {
    dir: PathBuf,
    manifest: manifest::Manifest,
    tantivy: tantivy::Index,
    reader: tantivy::IndexReader,
    fields: schema::Fields,
    model: Option<Arc<dyn SentenceEmbedder>>,
    centroids: RwLock<Option<Arc<ivf::Centroids>>>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("dir", &self.dir)
            .field("model", &self.manifest.model)
            .finish()
    }
}

impl Index {
    /// Creates a new index in `dir` (created if missing; it must be empty)
    /// for the given sentence model (`None`: lexical retrieval only).
    pub fn create(dir: &Path, model: Option<Arc<dyn SentenceEmbedder>>) -> Result<Index> {
        manifest::create(dir, model.as_deref())?;
        Self::open(dir, model)
    }

    /// Opens an existing index. Refuses a missing, foreign, corrupt or
    /// unknown-version directory, and a `model` other than the one the index
    /// was built with.
    pub fn open(dir: &Path, model: Option<Arc<dyn SentenceEmbedder>>) -> Result<Index> {
        let manifest = manifest::read(dir)?;
        manifest.check_model(dir, model.as_deref())?;
        let tantivy = schema::open_tantivy(dir, &manifest)?;
        let fields = schema::Fields::of(&tantivy.schema(), &manifest)
            .map_err(|e| err(dir, IndexErrorKind::Corrupt, e))?;
        let reader = tantivy
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_err(dir, e))?;
        let index = Index {
            dir: dir.to_path_buf(),
            manifest,
            tantivy,
            reader,
            fields,
            model,
            centroids: RwLock::new(None),
        };
        index.load_centroids()?;
        Ok(index)
    }

    /// Opens the index in `dir`, creating it first when `dir` is missing or
    /// empty.
    pub fn open_or_create(dir: &Path, model: Option<Arc<dyn SentenceEmbedder>>) -> Result<Index> {
        if manifest::is_unclaimed(dir) {
            Self::create(dir, model)
        } else {
            Self::open(dir, model)
        }
    }

    /// Facts about an index, without needing its model.
    pub fn info(dir: &Path) -> Result<Stats> {
        let manifest = manifest::read(dir)?;
        let tantivy = schema::open_tantivy(dir, &manifest)?;
        schema::Fields::of(&tantivy.schema(), &manifest)
            .map_err(|e| err(dir, IndexErrorKind::Corrupt, e))?;
        let reader: tantivy::IndexReader = tantivy
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_err(dir, e))?;
        let centroids = ivf::Centroids::load(dir, manifest.model.as_ref().map(|m| m.dim))?;
        search::stats(dir, &manifest, &reader.searcher(), centroids.as_deref())
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The sentence model the index was built with.
    pub fn model_info(&self) -> Option<&ModelInfo> {
        self.manifest.model.as_ref()
    }

    /// Moves this reader to the latest commit.
    pub fn reload(&self) -> Result<()> {
        self.reader
            .reload()
            .map_err(|e| tantivy_err(&self.dir, e))?;
        self.load_centroids()
    }

    /// Counts and facts about the committed state this reader sees.
    pub fn stats(&self) -> Result<Stats> {
        let c = self.centroids();
        search::stats(
            &self.dir,
            &self.manifest,
            &self.reader.searcher(),
            c.as_deref(),
        )
    }

    /// Starts the (single) writer. Fails with [`IndexErrorKind::Locked`]
    /// while another process writes.
    pub fn writer(&self, options: WriterOptions) -> Result<IndexWriter<'_>> {
        IndexWriter::new(self, options)
    }

    fn load_centroids(&self) -> Result<()> {
        // the searcher is loaded first: a commit using centroids is always
        // preceded by the centroid file, so this never misses one
        let c = ivf::Centroids::load(&self.dir, self.manifest.model.as_ref().map(|m| m.dim))?;
        *self.centroids.write().expect("lock") = c;
        Ok(())
    }

    fn centroids(&self) -> Option<Arc<ivf::Centroids>> {
        self.centroids.read().expect("lock").clone()
    }
}
