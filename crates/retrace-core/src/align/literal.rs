//! Literal matches: runs of identical words shared by both texts, found
//! through word n-gram hashing, independent of sentence boundaries.
//!
//! Verbatim and lightly edited copies often start or end inside a sentence,
//! or sit in text without sentence punctuation at all (lists, web pages);
//! literal runs give their exact extent.

use std::collections::HashMap;

use crate::text::{Analysis, Span};

/// A run of shared words: token index ranges and byte spans on both sides.
#[derive(Debug, Clone)]
pub struct LiteralRun {
    /// Suspect token range.
    pub q_tokens: std::ops::Range<usize>,
    /// Source token range.
    pub s_tokens: std::ops::Range<usize>,
    /// Suspect byte span (punctuation glued to the last word included).
    pub query_span: Span,
    /// Source byte span.
    pub source_span: Span,
    /// Number of words matched exactly inside the run.
    pub matched: usize,
}

const N: usize = 5;

fn gram_hash(words: &[&str]) -> u64 {
    // FNV-1a over the words, with a separator
    let mut h: u64 = 0xcbf29ce484222325;
    for w in words {
        for b in w.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Finds maximal literal runs of at least `min_words` words, then joins
/// runs separated by at most `max_gap` words on both sides (light edits).
pub fn literal_runs(
    q: &Analysis,
    s: &Analysis,
    min_words: usize,
    max_gap: usize,
) -> Vec<LiteralRun> {
    let qw: Vec<&str> = q.tokens.iter().map(|t| t.norm.as_str()).collect();
    let sw: Vec<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
    if qw.len() < N || sw.len() < N {
        return Vec::new();
    }
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    for j in 0..=sw.len() - N {
        index
            .entry(gram_hash(&sw[j..j + N]))
            .or_default()
            .push(j as u32);
    }
    let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new(); // q start, q end, s start, s end
    let mut i = 0;
    while i + N <= qw.len() {
        let Some(cands) = index.get(&gram_hash(&qw[i..i + N])) else {
            i += 1;
            continue;
        };
        let mut best: Option<(usize, usize)> = None; // (s start, length)
        for &j in cands.iter().take(16) {
            let j = j as usize;
            let mut k = 0;
            while i + k < qw.len() && j + k < sw.len() && qw[i + k] == sw[j + k] {
                k += 1;
            }
            if k >= N && best.is_none_or(|b| k > b.1) {
                best = Some((j, k));
            }
        }
        match best {
            Some((j, k)) => {
                runs.push((i, i + k, j, j + k));
                i += k;
            }
            None => i += 1,
        }
    }
    // join runs that continue each other after a small edit
    runs.sort_unstable();
    let mut joined: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    for (a, b, c, d) in runs {
        if let Some(last) = joined.last_mut() {
            let gq = a.saturating_sub(last.1);
            let forward = c >= last.3;
            let gs = c.saturating_sub(last.3);
            if a >= last.1 && forward && gq <= max_gap && gs <= max_gap {
                last.1 = b;
                last.3 = d;
                last.4 += b - a;
                continue;
            }
        }
        joined.push((a, b, c, d, b - a));
    }
    joined
        .into_iter()
        .filter(|r| r.4 >= min_words)
        .map(|(a, b, c, d, m)| LiteralRun {
            query_span: Span::new(q.tokens[a].span.start, q.tokens[b - 1].glued_end),
            source_span: Span::new(s.tokens[c].span.start, s.tokens[d - 1].glued_end),
            q_tokens: a..b,
            s_tokens: c..d,
            matched: m,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_copied_run_inside_sentences() {
        let s = "Intro words here. The quick brown fox jumps over the lazy dog near the river bank today. End.";
        let q = "Something else entirely and then the quick brown fox jumps over the lazy dog near the river bank today, said nobody.";
        let (qa, sa) = (Analysis::new(q), Analysis::new(s));
        let runs = literal_runs(&qa, &sa, 8, 3);
        assert_eq!(runs.len(), 1);
        let r = &runs[0];
        assert_eq!(
            &q[r.query_span.start..r.query_span.end],
            "the quick brown fox jumps over the lazy dog near the river bank today,"
        );
        assert!(s[r.source_span.start..r.source_span.end].starts_with("The quick brown fox"));
    }

    #[test]
    fn joins_across_a_small_edit() {
        let s = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
        let q =
            "one two three four five six seven CHANGED nine ten eleven twelve thirteen fourteen";
        let (qa, sa) = (Analysis::new(q), Analysis::new(s));
        let runs = literal_runs(&qa, &sa, 8, 3);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].matched, 13);
    }
}
