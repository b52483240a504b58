//! Cutting documents into passages (the unit of retrieval; a suspect is cut
//! the same way into query windows), and the terms that represent them.

use std::collections::HashMap;
use std::ops::Range;

use retrace_core::text::{Analysis, TokenKind};

/// Target length of an indexed passage, in bytes of text: runs of whole
/// sentences are cut once they reach it.
pub const PASSAGE_BYTES: usize = 800;

/// Sentence ranges of consecutive passages of about `target` bytes covering
/// every sentence; a short tail joins the passage before it.
pub fn cut(a: &Analysis, target: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let n = a.sentences.len();
    let mut start = 0;
    while start < n {
        let from = a.sentences[start].span.start;
        let mut end = start + 1;
        while end < n && a.sentences[end - 1].span.end - from < target {
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    if out.len() >= 2 {
        let last = out[out.len() - 1].clone();
        let bytes = a.sentences[last.end - 1].span.end - a.sentences[last.start].span.start;
        if bytes < target / 3 {
            out.pop();
            out.last_mut().expect("two or more").end = last.end;
        }
    }
    out
}

/// Byte span of a run of sentences.
pub fn byte_span(a: &Analysis, sents: &Range<usize>) -> Range<usize> {
    a.sentences[sents.start].span.start..a.sentences[sents.end - 1].span.end
}

/// The indexed form of a passage: its content stems and numbers, joined by
/// spaces.
pub fn body(a: &Analysis, sents: &Range<usize>) -> String {
    let mut s = String::new();
    for i in sents.clone() {
        for t in a.sentence_tokens(i) {
            if t.stop || t.stem.is_empty() {
                continue;
            }
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&t.stem);
        }
    }
    s
}

/// A query term: a stem with its count in the window and a weight factor
/// for terms that survive rewording (numbers, names).
#[derive(Debug, Clone)]
pub struct QueryTerm {
    pub stem: String,
    pub tf: u32,
    pub boost: f32,
}

/// The content terms of a window.
pub fn query_terms(a: &Analysis, sents: &Range<usize>) -> Vec<QueryTerm> {
    let mut map: HashMap<&str, (u32, f32)> = HashMap::new();
    for i in sents.clone() {
        for (k, t) in a.sentence_tokens(i).iter().enumerate() {
            if t.stop || t.stem.is_empty() {
                continue;
            }
            let boost = match t.kind {
                TokenKind::Number => 1.5,
                TokenKind::Word if t.capitalized && k > 0 => 1.5,
                TokenKind::Word => 1.0,
            };
            let e = map.entry(t.stem.as_str()).or_insert((0, 1.0));
            e.0 += 1;
            e.1 = e.1.max(boost);
        }
    }
    let mut v: Vec<QueryTerm> = map
        .into_iter()
        .map(|(s, (tf, boost))| QueryTerm {
            stem: s.to_string(),
            tf,
            boost,
        })
        .collect();
    v.sort_by(|a, b| a.stem.cmp(&b.stem));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_cover_every_sentence_once() {
        let text = "One short sentence here. ".repeat(100);
        let a = Analysis::new(&text);
        let p = cut(&a, 200);
        assert_eq!(p.first().unwrap().start, 0);
        assert_eq!(p.last().unwrap().end, a.sentences.len());
        for w in p.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        assert!(p.len() > 5);
    }

    #[test]
    fn empty_text_has_no_passages() {
        assert!(cut(&Analysis::new(""), 800).is_empty());
    }

    #[test]
    fn body_keeps_content_stems_and_numbers() {
        let a = Analysis::new("The councils approved seven budgets in 1987.");
        let b = body(&a, &(0..1));
        assert!(b.contains("council"), "{b}");
        assert!(b.contains('7'), "{b}");
        assert!(!b.split(' ').any(|w| w == "the"), "{b}");
    }
}
