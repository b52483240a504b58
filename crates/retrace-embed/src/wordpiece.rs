//! A fast BERT (uncased) WordPiece tokenizer for the static model.
//!
//! Produces the same ids as the `tokenizers` crate with a BERT
//! `tokenizer.json` (BertNormalizer with lower-casing and accent stripping,
//! BertPreTokenizer, WordPiece), without special tokens, at a fraction of the
//! cost: whole words are one hash lookup. A test checks agreement with the
//! `tokenizers` crate on real sentences.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use retrace_core::error::{Error, Result};

/// A WordPiece vocabulary and its settings.
#[derive(Debug, Clone)]
pub struct WordPiece {
    vocab: HashMap<String, u32>,
    /// Continuation pieces, stored without their "##" prefix.
    cont: HashMap<String, u32>,
    unk: u32,
    max_chars: usize,
}

impl WordPiece {
    /// Reads the vocabulary from a `tokenizer.json` whose model is WordPiece.
    pub fn from_tokenizer_json(bytes: &[u8]) -> Result<Self> {
        let v: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| Error::Model(format!("tokenizer.json: {e}")))?;
        let model = &v["model"];
        if model["type"].as_str() != Some("WordPiece") {
            return Err(Error::Model(
                "tokenizer.json: the model is not WordPiece".into(),
            ));
        }
        let map = model["vocab"]
            .as_object()
            .ok_or_else(|| Error::Model("tokenizer.json: model.vocab is missing".into()))?;
        let prefix = model["continuing_subword_prefix"].as_str().unwrap_or("##");
        let mut vocab = HashMap::with_capacity(map.len());
        let mut cont = HashMap::new();
        for (k, id) in map {
            let id = id
                .as_u64()
                .ok_or_else(|| Error::Model("tokenizer.json: a vocab id is not a number".into()))?
                as u32;
            match k.strip_prefix(prefix) {
                Some(rest) if !rest.is_empty() => {
                    cont.insert(rest.to_string(), id);
                }
                _ => {
                    vocab.insert(k.clone(), id);
                }
            }
        }
        let unk_tok = model["unk_token"].as_str().unwrap_or("[UNK]");
        let unk = *vocab
            .get(unk_tok)
            .ok_or_else(|| Error::Model(format!("tokenizer.json: no {unk_tok} token")))?;
        let max_chars = model["max_input_chars_per_word"].as_u64().unwrap_or(100) as usize;
        Ok(WordPiece {
            vocab,
            cont,
            unk,
            max_chars,
        })
    }

    /// Appends the ids of `text` to `out`.
    pub fn encode_into(&self, text: &str, out: &mut Vec<u32>) {
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut Vec<u32>| {
            if !word.is_empty() {
                self.word_ids(word, out);
                word.clear();
            }
        };
        for c in text.chars() {
            if c == '\0' || c == '\u{fffd}' || (is_control(c)) {
                continue;
            }
            if c.is_whitespace() {
                flush(&mut word, out);
                continue;
            }
            if is_cjk(c) || is_punct(c) {
                flush(&mut word, out);
                word.push(c);
                flush(&mut word, out);
                continue;
            }
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                for l in c.to_lowercase() {
                    for d in std::iter::once(l).nfd() {
                        if !is_combining_mark(d) {
                            word.push(d);
                        }
                    }
                }
            }
        }
        flush(&mut word, out);
    }

    /// The ids of `text`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut v = Vec::new();
        self.encode_into(text, &mut v);
        v
    }

    fn word_ids(&self, word: &str, out: &mut Vec<u32>) {
        if let Some(&id) = self.vocab.get(word) {
            out.push(id);
            return;
        }
        if word.chars().count() > self.max_chars {
            out.push(self.unk);
            return;
        }
        let start_len = out.len();
        let mut start = 0;
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                if word.is_char_boundary(end) {
                    let piece = &word[start..end];
                    let hit = if start == 0 {
                        self.vocab.get(piece)
                    } else {
                        self.cont.get(piece)
                    };
                    if let Some(&id) = hit {
                        found = Some(id);
                        break;
                    }
                }
                end -= 1;
            }
            match found {
                Some(id) => {
                    out.push(id);
                    start = end;
                }
                None => {
                    out.truncate(start_len);
                    out.push(self.unk);
                    return;
                }
            }
        }
    }
}

fn is_control(c: char) -> bool {
    if c == '\t' || c == '\n' || c == '\r' {
        return false;
    }
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(c as u32,
        0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF
        | 0x037E | 0x0387 | 0x055A..=0x055F | 0x0589 | 0x058A | 0x05BE | 0x05C0 | 0x05C3 | 0x05C6
        | 0x05F3 | 0x05F4 | 0x0609 | 0x060A | 0x060C | 0x060D | 0x061B | 0x061E | 0x061F
        | 0x066A..=0x066D | 0x06D4 | 0x0964 | 0x0965 | 0x0970 | 0x0E4F | 0x0E5A | 0x0E5B
        | 0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E
        | 0x207D | 0x207E | 0x208D | 0x208E | 0x2308..=0x230B | 0x2329 | 0x232A
        | 0x2768..=0x2775 | 0x27C5 | 0x27C6 | 0x27E6..=0x27EF | 0x2983..=0x2998
        | 0x29D8..=0x29DB | 0x29FC | 0x29FD | 0x2CF9..=0x2CFC | 0x2CFE | 0x2CFF
        | 0x2E00..=0x2E2E | 0x2E30..=0x2E4F | 0x3001..=0x3003 | 0x3008..=0x3011
        | 0x3014..=0x301F | 0x3030 | 0x303D | 0x30A0 | 0x30FB | 0xFE10..=0xFE19
        | 0xFE30..=0xFE52 | 0xFE54..=0xFE61 | 0xFE63 | 0xFE68 | 0xFE6A | 0xFE6B
        | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B
        | 0xFF1F | 0xFF20 | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D | 0xFF5F..=0xFF65)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}
