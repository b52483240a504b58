//! Stage 2 of the pipeline: normalise and segment text.
//!
//! In: a document's text. Out: an [`Analysis`] — its sentences (byte spans
//! into the original text), its word tokens (normalised, stemmed, stop words
//! and numbers marked) and a [`CharIndex`] that turns byte offsets into the
//! Unicode character offsets every report uses.
//!
//! The original text is never rewritten: normalisation (NFKC, case folding,
//! number canonicalisation) applies to token forms only, so all offsets
//! point into the text exactly as the user gave it.

pub mod lang;
mod segment;
mod tokenize;

pub use segment::sentences;
pub use tokenize::{
    is_stop_word, normalize_word, number_word, tokenize, tokenize_unstemmed, Token, TokenKind,
    STOP_WORDS,
};

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of offsets.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub struct Span {
    /// First offset inside the range.
    pub start: usize,
    /// First offset after the range.
    pub end: usize,
}

impl Span {
    /// Creates a span; `end` is clamped to be at least `start`.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
    /// Length of the span.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
    /// The smallest span covering both.
    pub fn cover(&self, other: &Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    /// Length of the overlap of two spans.
    pub fn overlap(&self, other: &Span) -> usize {
        let s = self.start.max(other.start);
        let e = self.end.min(other.end);
        e.saturating_sub(s)
    }
}

/// Converts byte offsets of a text into character (Unicode scalar) offsets.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// For every non-ASCII character: (byte offset after it, char offset
    /// after it). Between two marks all characters are ASCII.
    marks: Vec<(usize, usize)>,
    len_bytes: usize,
    len_chars: usize,
}

impl CharIndex {
    /// Builds the index for `text`.
    pub fn new(text: &str) -> Self {
        let mut marks = Vec::new();
        let mut n = 0;
        if text.is_ascii() {
            n = text.len();
        } else {
            for (ci, (bi, c)) in text.char_indices().enumerate() {
                if !c.is_ascii() {
                    marks.push((bi + c.len_utf8(), ci + 1));
                }
                n = ci + 1;
            }
        }
        CharIndex {
            marks,
            len_bytes: text.len(),
            len_chars: n,
        }
    }

    /// Character offset of byte offset `b` (a char boundary or the length).
    pub fn char_of(&self, b: usize) -> usize {
        let b = b.min(self.len_bytes);
        let k = self.marks.partition_point(|&(ba, _)| ba <= b);
        if k == 0 {
            return b;
        }
        let (ba, ca) = self.marks[k - 1];
        ca + (b - ba)
    }

    /// Converts a byte span into a character span.
    pub fn span(&self, s: Span) -> Span {
        Span::new(self.char_of(s.start), self.char_of(s.end))
    }

    /// Number of characters in the text.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }
}

/// One sentence of an analysed text.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Byte span in the original text.
    pub span: Span,
    /// Range of this sentence's tokens in [`Analysis::tokens`].
    pub tokens: std::ops::Range<usize>,
    /// Index of the block (paragraph, heading, list item) holding it: a
    /// line break between two sentences starts a new block.
    pub block: usize,
}

/// A text split into sentences and tokens.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// All tokens in order.
    pub tokens: Vec<Token>,
    /// Byte-to-character offset conversion.
    pub chars: CharIndex,
}

impl Analysis {
    /// Segments and tokenises `text`.
    pub fn new(text: &str) -> Self {
        let spans = sentences(text);
        let mut tokens = Vec::new();
        let mut sents = Vec::with_capacity(spans.len());
        let mut block = 0;
        let mut prev_end = 0;
        for span in spans {
            if prev_end > 0 && text[prev_end..span.start].contains('\n') {
                block += 1;
            }
            prev_end = span.end;
            let from = tokens.len();
            tokens.extend(tokenize(&text[span.start..span.end], span.start));
            sents.push(Sentence {
                span,
                tokens: from..tokens.len(),
                block,
            });
        }
        Analysis {
            sentences: sents,
            tokens,
            chars: CharIndex::new(text),
        }
    }

    /// The index of the title sentence: a first block made of one short
    /// sentence without final punctuation (a headline), if there is one.
    pub fn title(&self) -> Option<usize> {
        let first = self.sentences.first()?;
        if self.sentences.len() < 2 || self.sentences[1].block == first.block {
            return None;
        }
        let toks = self.sentence_tokens(0);
        if toks.len() > 20 || toks.len() < 2 {
            return None;
        }
        // a headline has no final period
        if first.span.end > toks.last()?.span.end {
            return None;
        }
        Some(0)
    }

    /// Whether sentences `a` and `b` are in the same block.
    pub fn same_block(&self, a: usize, b: usize) -> bool {
        self.sentences[a].block == self.sentences[b].block
    }

    /// Tokens of sentence `i`.
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        &self.tokens[self.sentences[i].tokens.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_matches_naive_count() {
        for text in [
            "plain ascii",
            "Zoë — “quoted” 😀 end",
            "ééé",
            "a😀b😀c",
            "日本語のテキスト。次",
        ] {
            let ix = CharIndex::new(text);
            for (b, _) in text
                .char_indices()
                .chain(std::iter::once((text.len(), ' ')))
            {
                assert_eq!(ix.char_of(b), text[..b].chars().count(), "{text:?} at {b}");
            }
            assert_eq!(ix.len_chars(), text.chars().count());
        }
    }
}
