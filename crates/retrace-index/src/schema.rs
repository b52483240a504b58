//! The tantivy schema of an index.
//!
//! One tantivy document per passage. The first passage of a document (part
//! 0) is also its record: it stores the id, text and metadata. An id
//! recorded as a duplicate is an alias document holding only its id and the
//! id it duplicates. Every document carries the same fast fields, so the
//! fast columns are dense (doc id = row id).

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr, META_LOCK,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, WhitespaceTokenizer};

use super::manifest::Manifest;
use super::{err, tantivy_err, IndexErrorKind as K};
use crate::error::Result;

/// Tokenizer of the `body` field: the text is already stems joined by spaces.
pub const STEMS_TOKENIZER: &str = "retrace_stems";
const TANTIVY_DIR: &str = "tantivy";

/// `kind` values.
pub const KIND_PASSAGE: u64 = 0;
pub const KIND_RECORD: u64 = 1;
pub const KIND_ALIAS: u64 = 2;

#[derive(Debug, Clone)]
pub struct Fields {
    /// The document id, indexed on every tantivy document of the document.
    pub id: Field,
    /// The id, stored (records and aliases).
    pub sid: Field,
    pub text: Field,
    pub meta: Field,
    pub format: Field,
    pub dup_of: Field,
    pub hash: Field,
    /// On records: the document's sequence number (to find the record).
    pub rec: Field,
    /// IVF group of the passage's vector.
    pub list: Field,
    pub body: Field,
    pub kind: Field,
    pub seq: Field,
    pub bytes: Field,
    pub scale: Field,
    /// The quantised vector: 8 signed bytes per u64 word.
    pub code: Vec<Field>,
    /// The vector's sign bits, 64 per u64 word (for a first, cheap scan).
    pub bits: Vec<Field>,
}

pub fn code_name(i: usize) -> String {
    format!("c{i:03}")
}

pub fn bit_name(i: usize) -> String {
    format!("b{i:02}")
}

pub fn build_schema(code_words: usize, bit_words: usize) -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("id", STRING);
    b.add_text_field("sid", STORED);
    b.add_text_field("text", STORED);
    b.add_text_field("meta", STORED);
    b.add_text_field("format", STORED);
    b.add_text_field("dup_of", STRING | STORED);
    let indexed = NumericOptions::default().set_indexed();
    b.add_u64_field("hash", indexed.clone().set_stored());
    b.add_u64_field("rec", indexed.clone());
    b.add_u64_field("list", indexed);
    let body = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEMS_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    b.add_text_field("body", body);
    b.add_u64_field("kind", FAST);
    b.add_u64_field("seq", FAST);
    b.add_u64_field("bytes", FAST);
    b.add_f64_field("scale", FAST);
    for i in 0..code_words {
        b.add_u64_field(&code_name(i), FAST);
    }
    for i in 0..bit_words {
        b.add_u64_field(&bit_name(i), FAST);
    }
    b.build()
}

impl Fields {
    pub fn of(schema: &Schema, manifest: &Manifest) -> std::result::Result<Fields, String> {
        let (code_words, bit_words) = (manifest.code_words(), manifest.bit_words());
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("the tantivy schema lacks the field `{name}`"))
        };
        let code = (0..code_words)
            .map(|i| f(&code_name(i)))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let bits = (0..bit_words)
            .map(|i| f(&bit_name(i)))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if schema.get_field(&code_name(code_words)).is_ok()
            || schema.get_field(&bit_name(bit_words)).is_ok()
        {
            return Err("the tantivy schema does not match the model's dimension".into());
        }
        Ok(Fields {
            id: f("id")?,
            sid: f("sid")?,
            text: f("text")?,
            meta: f("meta")?,
            format: f("format")?,
            dup_of: f("dup_of")?,
            hash: f("hash")?,
            rec: f("rec")?,
            list: f("list")?,
            body: f("body")?,
            kind: f("kind")?,
            seq: f("seq")?,
            bytes: f("bytes")?,
            scale: f("scale")?,
            code,
            bits,
        })
    }
}

/// Opens an existing tantivy index (see [`IndexDirectory`]).
fn open_existing(dir: &Path, path: &Path) -> Result<tantivy::Index> {
    let d = MmapDirectory::open(path).map_err(|e| tantivy_err(dir, e.into()))?;
    tantivy::Index::open(IndexDirectory(d)).map_err(|e| tantivy_err(dir, e))
}

/// tantivy's `MmapDirectory`, except that a reader of an index it may not
/// write (a read-only mount, files of another user) opens without
/// tantivy's meta lock: taking it creates and opens a lock file for
/// writing, which fails there, and it only keeps a writer's garbage
/// collection from deleting segment files while a reader opens them (files
/// are never changed in place, so at worst an open fails and is retried).
/// The writer's lock is taken as usual, and fails as it should.
#[derive(Clone, Debug)]
struct IndexDirectory(MmapDirectory);

impl tantivy::Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath
                    && matches!(
                        e.kind(),
                        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            r => r,
        }
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
}

/// Opens the tantivy index of an index directory, creating it when the
/// directory was claimed (manifest written) but never committed to.
pub fn open_tantivy(dir: &Path, manifest: &Manifest) -> Result<tantivy::Index> {
    let path = dir.join(TANTIVY_DIR);
    let fresh = !path.join("meta.json").exists();
    let index = if fresh {
        std::fs::create_dir_all(&path)
            .map_err(|e| err(dir, K::Io, format!("cannot create {}: {e}", path.display())))?;
        let settings = tantivy::IndexSettings {
            // texts compress ~3x with zstd; a check reads ~20 records
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor::default(),
            ),
            docstore_blocksize: 64 << 10,
            ..tantivy::IndexSettings::default()
        };
        match tantivy::Index::builder()
            .schema(build_schema(manifest.code_words(), manifest.bit_words()))
            .settings(settings)
            .create_in_dir(&path)
        {
            Ok(i) => i,
            // another process created it in the meantime
            Err(tantivy::TantivyError::IndexAlreadyExists) => open_existing(dir, &path)?,
            Err(e) => return Err(tantivy_err(dir, e)),
        }
    } else {
        open_existing(dir, &path)?
    };
    index.tokenizers().register(
        STEMS_TOKENIZER,
        TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .build(),
    );
    Ok(index)
}
