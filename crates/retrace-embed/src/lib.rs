//! Sentence embedding models (the semantic half of sentence similarity).
//!
//! In: sentences. Out: L2-normalised vectors whose dot product measures
//! meaning, through the [`SentenceEmbedder`] trait that the alignment uses.
//!
//! - [`StaticEmbedder::embedded`]: the default model, compiled into the
//!   binary — static token embeddings distilled from all-MiniLM-L6-v2
//!   (Apache-2.0; see `model/README.md` and `model/retrace-static-v1/LICENSE-NOTICE`).
//!   Works offline with zero set-up.
//! - [`StaticEmbedder::from_dir`]: another static model from disk.
//! - [`TransformerEmbedder::from_dir`]: a BERT-family sentence-transformers
//!   directory (e.g. all-MiniLM-L6-v2), run with candle on the CPU (or a
//!   CUDA GPU with the `cuda` feature).
//!
//! ## Example
//! ```
//! use retrace_embed::{default_embedder, SentenceEmbedder};
//!
//! let model = default_embedder().expect("the built-in model");
//! let v = model
//!     .embed(&[
//!         "The council approved the budget.",
//!         "Lawmakers passed the spending plan.",
//!         "Apple growers picked a record crop this autumn.",
//!     ])
//!     .expect("vectors");
//! let cos = |a: &[f32], b: &[f32]| -> f32 { a.iter().zip(b).map(|(x, y)| x * y).sum() };
//! assert_eq!(v[0].len(), model.dim());
//! // a paraphrase is closer than an unrelated sentence
//! assert!(cos(&v[0], &v[1]) > cos(&v[0], &v[2]));
//! ```

#![deny(missing_docs)]

mod static_model;
mod transformer;
mod wordpiece;

pub use retrace_core::features::SentenceEmbedder;
pub use static_model::StaticEmbedder;
pub use transformer::TransformerEmbedder;
pub use wordpiece::WordPiece;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use retrace_core::error::Result;

/// Whether this build carries the embedded default model.
pub const HAS_EMBEDDED_MODEL: bool = cfg!(feature = "embedded-model");

/// The embedded default model, loaded once per process.
pub fn default_embedder() -> Result<Arc<StaticEmbedder>> {
    static M: OnceLock<std::result::Result<Arc<StaticEmbedder>, String>> = OnceLock::new();
    M.get_or_init(|| {
        StaticEmbedder::embedded()
            .map(Arc::new)
            .map_err(|e| e.to_string())
    })
    .clone()
    .map_err(retrace_core::error::Error::Model)
}

/// Loads a model directory: a static model (`embeddings.safetensors` +
/// `tokenizer.json`) or a sentence transformer (`model.safetensors` +
/// `config.json` + `tokenizer.json`). A missing or malformed directory gives
/// an error naming the missing file.
pub fn load_model(dir: &Path) -> Result<Arc<dyn SentenceEmbedder>> {
    if !dir.is_dir() {
        return Err(retrace_core::error::Error::Model(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    if dir.join("embeddings.safetensors").is_file() {
        return Ok(Arc::new(StaticEmbedder::from_dir(dir)?));
    }
    let weights = dir.join("model.safetensors").is_file();
    let config = dir.join("config.json").is_file();
    if weights && config {
        return Ok(Arc::new(TransformerEmbedder::from_dir(dir)?));
    }
    let mut missing = match (weights, config) {
        (true, _) => "config.json",
        (false, true) => "model.safetensors",
        (false, false) => "model.safetensors and config.json",
    }
    .to_string();
    if !dir.join("tokenizer.json").is_file() {
        missing.push_str(", and tokenizer.json (both kinds need it)");
    }
    Err(retrace_core::error::Error::Model(format!(
        "{}: no embeddings.safetensors (static model) or model.safetensors + config.json (transformer); missing {missing}",
        dir.display()
    )))
}
