//! The manifest: the file that makes a directory a retrace index.
//!
//! Written once, when the index is created, by writing a temporary file and
//! renaming it (atomic on POSIX file systems), so it is either absent or
//! whole. It records the format version and the sentence model.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{err, IndexErrorKind as K};
use crate::error::Result;
use retrace_core::features::SentenceEmbedder;

/// Name of the manifest file in an index directory.
pub const MANIFEST_FILE: &str = "retrace-index.json";
/// The index format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const FORMAT_NAME: &str = "retrace-index";

/// The sentence model an index was built with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// The model's id ([`SentenceEmbedder::id`]).
    pub id: String,
    /// Vector dimension.
    pub dim: usize,
    /// A hash of the model's vectors for a few probe sentences: two models
    /// with the same name but different weights differ here.
    pub fingerprint: String,
}

impl ModelInfo {
    /// Describes a model.
    pub fn of(model: &dyn SentenceEmbedder) -> retrace_core::Result<ModelInfo> {
        const PROBES: &[&str] = &[
            "The committee approved the new budget on Monday.",
            "Prices rose by 3 percent in 1987, the bank said.",
            "She walked slowly along the river at dawn.",
        ];
        let vecs = model.embed(PROBES)?;
        let mut bytes = Vec::new();
        for v in &vecs {
            for x in v {
                bytes.push((x * 50.0).round().clamp(-127.0, 127.0) as i8 as u8);
            }
        }
        Ok(ModelInfo {
            id: model.id().to_string(),
            dim: model.dim(),
            fingerprint: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub format: String,
    pub version: u32,
    pub created_by: String,
    pub model: Option<ModelInfo>,
}

impl Manifest {
    /// Number of u64 words that hold one quantised vector.
    pub fn code_words(&self) -> usize {
        self.model.as_ref().map_or(0, |m| m.dim.div_ceil(8))
    }

    /// Number of u64 words that hold the sign bits of one vector.
    pub fn bit_words(&self) -> usize {
        self.model.as_ref().map_or(0, |m| m.dim.div_ceil(64))
    }

    pub fn check_model(&self, dir: &Path, model: Option<&dyn SentenceEmbedder>) -> Result<()> {
        let given = model.map(ModelInfo::of).transpose()?;
        match (&self.model, &given) {
            (None, None) => Ok(()),
            (Some(a), Some(b)) if a.dim == b.dim && a.fingerprint == b.fingerprint => Ok(()),
            (Some(a), Some(b)) => Err(err(
                dir,
                K::ModelMismatch,
                format!(
                    "built with sentence model `{}` (dim {}, fingerprint {}), not `{}` (dim {}, fingerprint {}); \
                     use the same --model as when the index was built",
                    a.id, a.dim, a.fingerprint, b.id, b.dim, b.fingerprint
                ),
            )),
            (Some(a), None) => Err(err(
                dir,
                K::ModelMismatch,
                format!(
                    "built with sentence model `{}`; it cannot be used without it (drop --lexical-only, or pass its --model DIR)",
                    a.id
                ),
            )),
            (None, Some(b)) => Err(err(
                dir,
                K::ModelMismatch,
                format!(
                    "built without a sentence model (lexical only), not with `{}`; pass --lexical-only",
                    b.id
                ),
            )),
        }
    }
}

/// Whether `dir` is missing or an empty directory (a place to create one);
/// the temporary file of a create that was interrupted does not count.
pub(crate) fn is_unclaimed(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(it) => it.flatten().all(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&format!(".{MANIFEST_FILE}.tmp")))
        }),
    }
}

pub(crate) fn create(dir: &Path, model: Option<&dyn SentenceEmbedder>) -> Result<()> {
    if !is_unclaimed(dir) {
        if dir.join(MANIFEST_FILE).exists() {
            return Err(err(dir, K::Foreign, "an index already exists here"));
        }
        return Err(err(
            dir,
            K::Foreign,
            "the directory is not empty and is not a retrace index; refusing to write into it",
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| err(dir, K::Io, format!("cannot create the directory: {e}")))?;
    let m = Manifest {
        format: FORMAT_NAME.to_string(),
        version: FORMAT_VERSION,
        created_by: format!("retrace {}", env!("CARGO_PKG_VERSION")),
        model: model.map(ModelInfo::of).transpose()?,
    };
    let json = serde_json::to_vec_pretty(&m).expect("manifest serialises");
    write_atomic(dir, MANIFEST_FILE, &json)
        .map_err(|e| err(dir, K::Io, format!("cannot write {MANIFEST_FILE}: {e}")))
}

pub(crate) fn read(dir: &Path) -> Result<Manifest> {
    if !dir.exists() {
        return Err(err(
            dir,
            K::NotFound,
            "no such directory; create an index with `retrace index --index DIR INPUT...`",
        ));
    }
    if !dir.is_dir() {
        return Err(err(dir, K::Foreign, "not a directory"));
    }
    let path = dir.join(MANIFEST_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(if is_unclaimed(dir) {
                err(
                    dir,
                    K::NotFound,
                    "the directory is empty: no index here yet",
                )
            } else {
                err(
                    dir,
                    K::Foreign,
                    format!("not a retrace index (no {MANIFEST_FILE})"),
                )
            });
        }
        Err(e) => return Err(err(dir, K::Io, format!("cannot read {MANIFEST_FILE}: {e}"))),
    };
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
        version: Option<u32>,
    }
    let head: Head = serde_json::from_slice(&bytes)
        .map_err(|e| err(dir, K::Corrupt, format!("{MANIFEST_FILE} is damaged: {e}")))?;
    if head.format.as_deref() != Some(FORMAT_NAME) {
        return Err(err(
            dir,
            K::Corrupt,
            format!("{MANIFEST_FILE} is damaged: it does not name the format `{FORMAT_NAME}`"),
        ));
    }
    match head.version {
        Some(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(err(
                dir,
                K::UnknownVersion,
                format!(
                    "index format version {v}; this retrace reads version {FORMAT_VERSION} (rebuild the index, or use a matching retrace)"
                ),
            ))
        }
        None => {
            return Err(err(
                dir,
                K::Corrupt,
                format!("{MANIFEST_FILE} is damaged: no version"),
            ))
        }
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| err(dir, K::Corrupt, format!("{MANIFEST_FILE} is damaged: {e}")))
}

/// Writes `name` in `dir` atomically: temporary file, fsync, rename, fsync
/// of the directory.
pub(crate) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(name))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
