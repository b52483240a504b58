//! Static token embeddings: a sentence vector is the mean of its tokens'
//! vectors. Distilled from a sentence transformer (see `model/README.md`).

use std::path::Path;

use safetensors::{Dtype, SafeTensors};
use tokenizers::Tokenizer;

use super::wordpiece::WordPiece;
use retrace_core::error::{Error, Result};
use retrace_core::features::SentenceEmbedder;

/// The embedded default model's files, compiled into the binary.
#[cfg(feature = "embedded-model")]
const EMBEDDED_TOKENIZER: &[u8] = include_bytes!("../../../model/retrace-static-v1/tokenizer.json");
#[cfg(feature = "embedded-model")]
const EMBEDDED_TABLE: &[u8] =
    include_bytes!("../../../model/retrace-static-v1/embeddings.safetensors");
#[cfg(feature = "embedded-model")]
const EMBEDDED_ID: &str = "retrace-static-v1";

/// Longest token sequence embedded per sentence.
const MAX_TOKENS: usize = 512;

/// A static embedding model: tokenizer + one vector per vocabulary entry.
pub struct StaticEmbedder {
    id: String,
    tokenizer: Tokenizer,
    wordpiece: Option<WordPiece>,
    dim: usize,
    vocab: usize,
    /// Row-major `[vocab, dim]` table, de-quantised.
    table: Vec<f32>,
}

impl std::fmt::Debug for StaticEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticEmbedder")
            .field("id", &self.id)
            .field("dim", &self.dim)
            .field("vocab", &self.vocab)
            .finish()
    }
}

impl StaticEmbedder {
    /// The model shipped inside the binary (no file needed at run time).
    #[cfg(feature = "embedded-model")]
    pub fn embedded() -> Result<Self> {
        Self::from_bytes(EMBEDDED_ID, EMBEDDED_TOKENIZER, EMBEDDED_TABLE)
    }

    /// Without the `embedded-model` feature there is no built-in model.
    #[cfg(not(feature = "embedded-model"))]
    pub fn embedded() -> Result<Self> {
        Err(Error::Model(
            "this build has no embedded model (feature `embedded-model` is off); pass --model DIR"
                .into(),
        ))
    }

    /// Loads a static model directory holding `tokenizer.json` and
    /// `embeddings.safetensors` (tensors `embeddings` I8 `[vocab, dim]` and
    /// `scales` F32 `[vocab]`, or `embeddings` F32 `[vocab, dim]`).
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let read = |name: &str| -> Result<Vec<u8>> {
            let p = dir.join(name);
            std::fs::read(&p).map_err(|e| Error::Model(format!("cannot read {}: {e}", p.display())))
        };
        let tok = read("tokenizer.json")?;
        let table = read("embeddings.safetensors")?;
        let id = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("static")
            .to_string();
        Self::from_bytes(&id, &tok, &table)
    }

    /// Builds a model from the bytes of `tokenizer.json` and the safetensors table.
    pub fn from_bytes(id: &str, tokenizer_json: &[u8], table: &[u8]) -> Result<Self> {
        let mut tokenizer = Tokenizer::from_bytes(tokenizer_json)
            .map_err(|e| Error::Model(format!("{id}: malformed tokenizer.json: {e}")))?;
        // sentence models ship tokenizers set up for batched transformer
        // input; the static model wants every token and no padding
        tokenizer.with_padding(None);
        let _ = tokenizer.with_truncation(None);
        let st = SafeTensors::deserialize(table)
            .map_err(|e| Error::Model(format!("{id}: malformed embeddings.safetensors: {e}")))?;
        let emb = st.tensor("embeddings").map_err(|_| {
            Error::Model(format!(
                "{id}: embeddings.safetensors has no `embeddings` tensor"
            ))
        })?;
        let shape = emb.shape().to_vec();
        if shape.len() != 2 || shape[0] == 0 || shape[1] == 0 {
            return Err(Error::Model(format!(
                "{id}: `embeddings` must be a [vocab, dim] matrix, found {shape:?}"
            )));
        }
        let (vocab, dim) = (shape[0], shape[1]);
        let table: Vec<f32> = match emb.dtype() {
            Dtype::I8 => {
                let scales = st.tensor("scales").map_err(|_| {
                    Error::Model(format!("{id}: int8 `embeddings` need a `scales` tensor"))
                })?;
                if scales.dtype() != Dtype::F32 || scales.shape() != [vocab] {
                    return Err(Error::Model(format!(
                        "{id}: `scales` must be F32 [{vocab}]"
                    )));
                }
                let sc: Vec<f32> = scales
                    .data()
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
                emb.data()
                    .iter()
                    .enumerate()
                    .map(|(k, &b)| (b as i8) as f32 * sc[k / dim])
                    .collect()
            }
            Dtype::F32 => emb
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            other => {
                return Err(Error::Model(format!(
                    "{id}: unsupported `embeddings` dtype {other:?}"
                )))
            }
        };
        if table.len() != vocab * dim {
            return Err(Error::Model(format!(
                "{id}: `embeddings` data does not match its shape"
            )));
        }
        let tv = tokenizer.get_vocab_size(true);
        if tv > vocab {
            return Err(Error::Model(format!(
                "{id}: tokenizer has {tv} entries but the table only {vocab}"
            )));
        }
        // BERT WordPiece models get the fast tokenizer (same ids, checked in
        // tests); anything else goes through the `tokenizers` crate
        let wordpiece = WordPiece::from_tokenizer_json(tokenizer_json).ok();
        Ok(StaticEmbedder {
            id: id.to_string(),
            tokenizer,
            wordpiece,
            dim,
            vocab,
            table,
        })
    }

    /// Token ids of a sentence (no special tokens), truncated.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut ids = match &self.wordpiece {
            Some(wp) => wp.encode(text),
            None => self.reference_token_ids(text),
        };
        ids.truncate(MAX_TOKENS);
        ids
    }

    /// Token ids from the `tokenizers` crate (the reference implementation).
    pub fn reference_token_ids(&self, text: &str) -> Vec<u32> {
        match self.tokenizer.encode_fast(text, false) {
            Ok(enc) => enc.get_ids().to_vec(),
            Err(_) => Vec::new(),
        }
    }

    /// Embeds one sentence: mean of token vectors, L2-normalised.
    pub fn embed_one(&self, text: &str) -> Vec<f32> {
        let ids = self.token_ids(text);
        let mut v = vec![0f32; self.dim];
        let mut n = 0usize;
        for id in ids {
            let id = id as usize;
            if id >= self.vocab {
                continue;
            }
            let row = &self.table[id * self.dim..(id + 1) * self.dim];
            for (a, b) in v.iter_mut().zip(row) {
                *a += b;
            }
            n += 1;
        }
        if n > 0 {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
        }
        v
    }
}

impl SentenceEmbedder for StaticEmbedder {
    fn id(&self) -> &str {
        &self.id
    }
    fn dim(&self) -> usize {
        self.dim
    }
    fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(sentences.iter().map(|s| self.embed_one(s)).collect())
    }
}
