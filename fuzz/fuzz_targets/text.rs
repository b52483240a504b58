//! Segmentation and tokenization: arbitrary (lossily decoded) text split
//! into sentences and tokens. Every span lies on character boundaries and
//! inside the text; sentences are in order and do not overlap; each
//! sentence's tokens lie inside it; character offsets agree with counting.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retrace::text::{sentences, tokenize, Analysis};
use retrace_fuzz::capped;

fn on_boundaries(text: &str, start: usize, end: usize, what: &str) {
    assert!(
        start <= end && end <= text.len(),
        "{what} {start}..{end} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} {start}..{end} splits a character"
    );
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(capped(data));
    let text = text.as_ref();
    let a = Analysis::new(text);
    let spans: Vec<_> = a.sentences.iter().map(|s| s.span).collect();
    assert_eq!(spans, sentences(text), "Analysis and sentences() agree");
    // byte offset -> char offset, by counting
    let mut char_at = vec![usize::MAX; text.len() + 1];
    for (ci, (bi, _)) in text.char_indices().enumerate() {
        char_at[bi] = ci;
    }
    char_at[text.len()] = text.chars().count();
    assert_eq!(a.chars.len_chars(), char_at[text.len()]);
    let mut prev_end = 0;
    let mut prev_block = 0;
    let mut next_token = 0;
    for (i, s) in a.sentences.iter().enumerate() {
        on_boundaries(text, s.span.start, s.span.end, "sentence");
        assert!(!s.span.is_empty(), "empty sentence {i}");
        assert!(
            s.span.start >= prev_end,
            "sentence {i} overlaps the one before"
        );
        let first_block_ok = i > 0 || s.block == 0;
        assert!(
            first_block_ok && (s.block == prev_block || s.block == prev_block + 1),
            "block numbers go up by one"
        );
        assert_eq!(
            s.tokens.start, next_token,
            "sentence {i}'s tokens follow the last"
        );
        assert!(s.tokens.end <= a.tokens.len());
        next_token = s.tokens.end;
        for t in a.sentence_tokens(i) {
            on_boundaries(text, t.span.start, t.span.end, "token");
            assert!(
                s.span.start <= t.span.start && t.span.end <= s.span.end,
                "token outside its sentence"
            );
            on_boundaries(text, t.span.end, t.glued_end, "token glue");
            assert!(!t.norm.is_empty(), "empty token form");
        }
        for b in [s.span.start, s.span.end] {
            assert_eq!(a.chars.char_of(b), char_at[b], "char offset of byte {b}");
        }
        prev_end = s.span.end;
        prev_block = s.block;
    }
    assert_eq!(
        next_token,
        a.tokens.len(),
        "every token belongs to a sentence"
    );
    let _ = a.title();
    // tokenize on the whole text, shifted
    for t in tokenize(text, 7) {
        on_boundaries(text, t.span.start - 7, t.span.end - 7, "token");
        assert!(t.glued_end - 7 <= text.len());
    }
});
