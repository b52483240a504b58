//! BERT-family sentence transformers run with candle (CPU; CUDA with the
//! `cuda` feature): a sentence-transformers directory in, mean- (or CLS- /
//! max-) pooled, L2-normalised sentence vectors out.
//!
//! A model directory holds
//! - `config.json`: the BERT config (`hidden_size`, `num_hidden_layers`, …);
//! - `model.safetensors`: the weights, with no prefix or under `bert.` /
//!   `model.` / `<model_type>.`; any float dtype (computed in f32);
//! - `tokenizer.json`: the `tokenizers` file (special tokens are added,
//!   its own padding and truncation settings are replaced by ours);
//! - optional `modules.json`, `1_Pooling/config.json` (pooling; mean when
//!   absent), `sentence_bert_config.json` (`max_seq_length`; when absent the
//!   model's position limit, at most 512) and a `Normalize` module (the
//!   output is always L2-normalised anyway).
//!
//! Sentences are sorted by token length and cut into batches that are padded
//! only to their own longest sentence, so almost no compute goes to padding;
//! results come back in the caller's order. Batches run on the current rayon
//! pool (so `--threads` holds), each batch's matrix products on the same pool.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

use retrace_core::error::{Error, Result};
use retrace_core::features::SentenceEmbedder;

/// Most sentences per forward pass (all-MiniLM-L6-v2 on STS-B, 1 thread:
/// 16 ≈ 32 < 8 < 64 < 128 in speed; bigger batches spill the caches).
const BATCH_SENTENCES: usize = 16;
/// Most token slots (sentences × padded length) per forward pass, so that
/// batches of long sentences stay small.
const BATCH_TOKENS: usize = 4096;

/// How token vectors become one sentence vector (sentence-transformers'
/// `Pooling` modes). Several modes are concatenated in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pooling {
    Cls,
    Max,
    Mean,
    MeanSqrtLen,
}

/// A BERT-family sentence transformer (e.g. all-MiniLM-L6-v2, bge-small,
/// e5-small) loaded from a sentence-transformers directory.
pub struct TransformerEmbedder {
    id: String,
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    hidden: usize,
    pooling: Vec<Pooling>,
    max_seq_length: usize,
}

impl std::fmt::Debug for TransformerEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransformerEmbedder")
            .field("id", &self.id)
            .field("dim", &self.dim())
            .field("pooling", &self.pooling)
            .field("max_seq_length", &self.max_seq_length)
            .field("device", &self.device)
            .finish()
    }
}

/// A tokenised sentence: ids with `[CLS]`/`[SEP]`, and whether it has any
/// token besides the special ones.
struct Encoded {
    ids: Vec<u32>,
    empty: bool,
}

fn read_json(path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Model(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Model(format!("malformed {}: {e}", path.display())))
}

fn read_json_opt(path: &Path) -> Result<Option<serde_json::Value>> {
    if path.exists() {
        read_json(path).map(Some)
    } else {
        Ok(None)
    }
}

fn require(dir: &Path, name: &str) -> Result<PathBuf> {
    let p = dir.join(name);
    if p.is_file() {
        Ok(p)
    } else {
        Err(Error::Model(format!(
            "{}: missing {name} (a transformer model needs config.json, model.safetensors and tokenizer.json)",
            dir.display()
        )))
    }
}

/// The pooling modes of a sentence-transformers `Pooling` config.
fn pooling_from_config(path: &Path, v: &serde_json::Value) -> Result<Vec<Pooling>> {
    let flag = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
    for k in ["pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"] {
        if flag(k) {
            return Err(Error::Model(format!(
                "{}: `{k}` is not supported (only cls, max, mean, mean_sqrt_len)",
                path.display()
            )));
        }
    }
    let mut modes = Vec::new();
    if flag("pooling_mode_cls_token") {
        modes.push(Pooling::Cls);
    }
    if flag("pooling_mode_max_tokens") {
        modes.push(Pooling::Max);
    }
    if flag("pooling_mode_mean_tokens") {
        modes.push(Pooling::Mean);
    }
    if flag("pooling_mode_mean_sqrt_len_tokens") {
        modes.push(Pooling::MeanSqrtLen);
    }
    if modes.is_empty() {
        // newer configs may name the mode in one string
        match v.get("pooling_mode").and_then(|x| x.as_str()) {
            None | Some("mean") => modes.push(Pooling::Mean),
            Some("cls") => modes.push(Pooling::Cls),
            Some("max") => modes.push(Pooling::Max),
            Some("mean_sqrt_len_tokens") => modes.push(Pooling::MeanSqrtLen),
            Some(other) => {
                return Err(Error::Model(format!(
                "{}: pooling mode `{other}` is not supported (only cls, max, mean, mean_sqrt_len)",
                path.display()
            )))
            }
        }
    }
    Ok(modes)
}

/// Pooling modes from `modules.json` (or `1_Pooling/config.json` when there
/// is no `modules.json`); mean pooling when neither says otherwise. Modules
/// that would change the vectors and that we cannot run are an error.
fn load_pooling(dir: &Path) -> Result<Vec<Pooling>> {
    let modules_path = dir.join("modules.json");
    let mut pooling_dir = Some(dir.join("1_Pooling"));
    if let Some(modules) = read_json_opt(&modules_path)? {
        let list = modules.as_array().ok_or_else(|| {
            Error::Model(format!(
                "malformed {}: expected a list of modules",
                modules_path.display()
            ))
        })?;
        pooling_dir = None;
        for m in list {
            let ty = m.get("type").and_then(|t| t.as_str()).unwrap_or("");
            let path = m.get("path").and_then(|t| t.as_str()).unwrap_or("");
            let kind = ty.rsplit('.').next().unwrap_or(ty);
            match kind {
                "Transformer" if path.is_empty() => {}
                "Transformer" => {
                    return Err(Error::Model(format!(
                        "{}: the transformer lives in `{path}/`; pass that directory",
                        modules_path.display()
                    )))
                }
                "Pooling" => pooling_dir = Some(dir.join(path)),
                "Normalize" => {}
                _ => {
                    return Err(Error::Model(format!(
                        "{}: module `{ty}` ({path}) is not supported (only Transformer, Pooling, Normalize)",
                        modules_path.display()
                    )))
                }
            }
        }
    }
    let Some(pd) = pooling_dir else {
        return Ok(vec![Pooling::Mean]);
    };
    let cfg_path = pd.join("config.json");
    match read_json_opt(&cfg_path)? {
        Some(v) => pooling_from_config(&cfg_path, &v),
        None => Ok(vec![Pooling::Mean]),
    }
}

impl TransformerEmbedder {
    /// Loads a sentence-transformers directory (see the module docs). Every
    /// missing or malformed file gives [`Error::Model`] naming it.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let config_path = require(dir, "config.json")?;
        let weights_path = require(dir, "model.safetensors")?;
        let tokenizer_path = require(dir, "tokenizer.json")?;

        let config_json = read_json(&config_path)?;
        if let Some(mt) = config_json.get("model_type").and_then(|x| x.as_str()) {
            // RoBERTa-style models load with BERT's tensor names but number
            // positions differently: they would give wrong vectors silently
            if matches!(mt, "roberta" | "xlm-roberta" | "camembert" | "mpnet") {
                return Err(Error::Model(format!(
                    "{}: model_type `{mt}` is not BERT; only BERT-family models are supported",
                    config_path.display()
                )));
            }
        }
        let mut config: Config = serde_json::from_value(config_json).map_err(|e| {
            Error::Model(format!(
                "malformed {}: not a BERT config: {e}",
                config_path.display()
            ))
        })?;
        // (`checked_rem` rather than `is_multiple_of`: the MSRV is 1.80)
        if config.hidden_size == 0
            || config.hidden_size.checked_rem(config.num_attention_heads) != Some(0)
        {
            return Err(Error::Model(format!(
                "{}: hidden_size {} is not a multiple of num_attention_heads {}",
                config_path.display(),
                config.hidden_size,
                config.num_attention_heads
            )));
        }

        let st_config_path = dir.join("sentence_bert_config.json");
        let max_seq_length = match read_json_opt(&st_config_path)? {
            Some(v) => match v.get("max_seq_length") {
                None | Some(serde_json::Value::Null) => None,
                Some(x) => Some(x.as_u64().filter(|&n| n >= 2).ok_or_else(|| {
                    Error::Model(format!(
                        "{}: max_seq_length must be an integer >= 2",
                        st_config_path.display()
                    ))
                })? as usize),
            },
            None => None,
        }
        .unwrap_or(512)
        .min(config.max_position_embeddings);

        let pooling = load_pooling(dir)?;

        let mut tokenizer = Tokenizer::from_file(&tokenizer_path)
            .map_err(|e| Error::Model(format!("malformed {}: {e}", tokenizer_path.display())))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_seq_length,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| Error::Model(format!("{}: {e}", tokenizer_path.display())))?;
        let tv = tokenizer.get_vocab_size(true);
        if tv > config.vocab_size {
            return Err(Error::Model(format!(
                "{}: the tokenizer has {tv} tokens but config.json's vocab_size is {}",
                tokenizer_path.display(),
                config.vocab_size
            )));
        }

        limit_candle_threads();
        let device = pick_device()?;
        let bad_weights =
            |e: candle_core::Error| Error::Model(format!("{}: {e}", weights_path.display()));
        // SAFETY: the file is memory-mapped read-only; like every mmap it
        // must not be truncated or rewritten while the model is loaded
        let vb = unsafe {
            VarBuilder::from_mmaped_safetensors(
                std::slice::from_ref(&weights_path),
                DType::F32,
                &device,
            )
        }
        .map_err(bad_weights)?;
        let mut prefixes = vec!["".to_string(), "bert.".into(), "model.".into()];
        if let Some(mt) = &config.model_type {
            let p = format!("{mt}.");
            if !prefixes.contains(&p) {
                prefixes.push(p);
            }
        }
        let prefix = prefixes
            .iter()
            .find(|p| vb.contains_tensor(&format!("{p}embeddings.word_embeddings.weight")))
            .ok_or_else(|| {
                Error::Model(format!(
                    "{}: no BERT weights (no `embeddings.word_embeddings.weight` under any of the prefixes {:?})",
                    weights_path.display(),
                    prefixes
                ))
            })?;
        let vb = match prefix.strip_suffix('.') {
            Some(p) => vb.pp(p),
            None => vb,
        };
        // the prefix is resolved; keep BertModel from retrying another one
        config.model_type = None;
        let model = BertModel::load(vb, &config).map_err(bad_weights)?;

        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("transformer");
        // `…/model` says little: name it after its parent too
        let id = match dir
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
        {
            Some(parent) if name == "model" => format!("{parent}/{name}"),
            _ => name.to_string(),
        };
        let me = TransformerEmbedder {
            id,
            model,
            tokenizer,
            device,
            hidden: config.hidden_size,
            pooling,
            max_seq_length,
        };
        // one forward pass now, so that shape problems show up at load time
        me.try_embed(&["a"])
            .map_err(|e| Error::Model(format!("{}: {e}", dir.display())))?;
        Ok(me)
    }

    /// The longest token sequence (with special tokens) fed to the model.
    pub fn max_seq_length(&self) -> usize {
        self.max_seq_length
    }

    /// Token ids of a sentence, with special tokens, truncated.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        self.encode(text).ids
    }

    fn encode(&self, text: &str) -> Encoded {
        match self.tokenizer.encode_fast(text, true) {
            Ok(enc) => Encoded {
                empty: enc.get_special_tokens_mask().iter().all(|&m| m != 0),
                ids: enc.get_ids().to_vec(),
            },
            Err(_) => Encoded {
                ids: Vec::new(),
                empty: true,
            },
        }
    }

    /// Embeds sentences, reporting a failed forward pass instead of
    /// panicking. Sentences without any token give zero vectors.
    pub fn try_embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>> {
        let dim = self.dim();
        let encoded: Vec<Encoded> = sentences.par_iter().map(|s| self.encode(s)).collect();
        let mut order: Vec<usize> = (0..encoded.len()).filter(|&i| !encoded[i].empty).collect();
        // longest first: the first batches are the costliest, which keeps
        // the parallel tail short
        order.sort_by_key(|&i| std::cmp::Reverse(encoded[i].ids.len()));
        let mut batches: Vec<&[usize]> = Vec::new();
        let mut rest = &order[..];
        while !rest.is_empty() {
            let len = encoded[rest[0]].ids.len().max(1);
            let n = (BATCH_TOKENS / len)
                .clamp(1, BATCH_SENTENCES)
                .min(rest.len());
            let (b, r) = rest.split_at(n);
            batches.push(b);
            rest = r;
        }
        let run = |b: &&[usize]| -> Result<Vec<Vec<f32>>> {
            let ids: Vec<&[u32]> = b.iter().map(|&i| encoded[i].ids.as_slice()).collect();
            self.forward(&ids)
        };
        let pooled: Vec<Vec<Vec<f32>>> = if self.device.is_cpu() {
            batches.par_iter().map(run).collect::<Result<_>>()?
        } else {
            batches.iter().map(run).collect::<Result<_>>()?
        };
        let mut out = vec![vec![0f32; dim]; sentences.len()];
        for (b, vs) in batches.iter().zip(pooled) {
            for (&i, v) in b.iter().zip(vs) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// One forward pass over a batch of token id sequences (each non-empty),
    /// padded to the longest; returns the pooled, normalised vectors.
    fn forward(&self, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        let err = |e: candle_core::Error| Error::Model(format!("{}: forward pass: {e}", self.id));
        let b = batch.len();
        let len = batch.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut ids = vec![0u32; b * len];
        let mut mask = vec![0u32; b * len];
        for (r, s) in batch.iter().enumerate() {
            ids[r * len..r * len + s.len()].copy_from_slice(s);
            mask[r * len..r * len + s.len()].fill(1);
        }
        let input_ids = Tensor::from_vec(ids, (b, len), &self.device).map_err(err)?;
        let attention = Tensor::from_vec(mask, (b, len), &self.device).map_err(err)?;
        let token_types = input_ids.zeros_like().map_err(err)?;
        let hidden = self
            .model
            .forward(&input_ids, &token_types, Some(&attention))
            .map_err(err)?;
        let h = self.hidden;
        let flat: Vec<f32> = hidden
            .to_dtype(DType::F32)
            .and_then(|t| t.flatten_all())
            .and_then(|t| t.to_vec1())
            .map_err(err)?;
        if flat.len() != b * len * h {
            return Err(Error::Model(format!(
                "{}: forward pass gave {} values, expected {b}×{len}×{h}",
                self.id,
                flat.len()
            )));
        }
        Ok(batch
            .iter()
            .enumerate()
            .map(|(r, s)| {
                let rows = &flat[r * len * h..(r * len + s.len()) * h];
                let mut v = Vec::with_capacity(self.dim());
                for p in &self.pooling {
                    pool_into(*p, rows, h, &mut v);
                }
                normalise(&mut v);
                v
            })
            .collect())
    }
}

/// Appends the pooled vector of `rows` (`n × h` token vectors, all real
/// tokens) to `out`.
fn pool_into(p: Pooling, rows: &[f32], h: usize, out: &mut Vec<f32>) {
    let n = rows.len() / h;
    match p {
        Pooling::Cls => out.extend_from_slice(&rows[..h]),
        Pooling::Max => {
            let start = out.len();
            out.extend_from_slice(&rows[..h]);
            for t in rows.chunks_exact(h).skip(1) {
                for (a, &x) in out[start..].iter_mut().zip(t) {
                    *a = a.max(x);
                }
            }
        }
        Pooling::Mean | Pooling::MeanSqrtLen => {
            let start = out.len();
            out.resize(start + h, 0.0);
            for t in rows.chunks_exact(h) {
                for (a, &x) in out[start..].iter_mut().zip(t) {
                    *a += x;
                }
            }
            let d = if p == Pooling::Mean {
                n as f32
            } else {
                (n as f32).sqrt()
            };
            out[start..].iter_mut().for_each(|a| *a /= d.max(1.0));
        }
    }
}

fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Keeps candle's own CPU worker pool out of the way. candle 0.11 runs its
/// element-wise ops on a private pool of spinning threads sized from
/// `CANDLE_NUM_THREADS` (else `RAYON_NUM_THREADS`, else the core count), which
/// ignores `--threads` and, on a busy machine, burns CPU spinning (measured:
/// +80 % CPU time for the same work). With it at one thread all the
/// parallelism comes from our batches and candle's matrix products, both on
/// the current rayon pool. A `CANDLE_NUM_THREADS` set by the user is kept.
fn limit_candle_threads() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
            // read once, lazily, when candle first needs its pool; nothing
            // has started it yet when a model is first loaded
            std::env::set_var("CANDLE_NUM_THREADS", "1");
        }
    });
}

#[cfg(feature = "cuda")]
fn pick_device() -> Result<Device> {
    Device::cuda_if_available(0).map_err(|e| Error::Model(format!("CUDA device: {e}")))
}

#[cfg(not(feature = "cuda"))]
fn pick_device() -> Result<Device> {
    Ok(Device::Cpu)
}

impl SentenceEmbedder for TransformerEmbedder {
    fn id(&self) -> &str {
        &self.id
    }
    fn dim(&self) -> usize {
        self.hidden * self.pooling.len()
    }
    /// A failed forward pass (loading runs one, so this means exhausted
    /// memory or a bug, not a bad model file) is an [`Error::Model`].
    fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>> {
        self.try_embed(sentences)
    }
}
