//! Literal matches: runs of identical words shared by both texts, found
//! through word n-gram hashing, independent of sentence boundaries.
//!
//! Verbatim and lightly edited copies often start or end inside a sentence,
//! or sit in text without sentence punctuation at all (lists, web pages);
//! literal runs give their exact extent.
//!
//! In: the two [`Analysis`]es ([`literal_runs`]), then a pass's finished
//! passages ([`apply_literal_runs`], the last step of the passages phase).
//! Out: the [`LiteralRun`]s, then the passages with the bounds the runs
//! give them, and a new passage for each long run no passage found.

use std::collections::HashMap;

use super::spans::sentence_of_token;
use super::{AlignConfig, AlignedLink, AlignedPassage, PassageKind};
use crate::text::{Analysis, Span};
use crate::tuning::literal::{GRAM as N, MAX_GRAM_POSITIONS};

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
        for &j in cands.iter().take(MAX_GRAM_POSITIONS) {
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

/// Literal runs fix the extent of copied text: a passage made mostly of
/// literal runs takes their exact bounds, a run that reaches beyond its
/// passage extends it, and a long run no passage found becomes a passage.
/// Sorts `out` by suspect start.
pub(super) fn apply_literal_runs(
    q: &Analysis,
    s: &Analysis,
    out: &mut Vec<AlignedPassage>,
    cfg: &AlignConfig,
) {
    if cfg.literal_min_words == 0 {
        return;
    }
    let runs = literal_runs(q, s, cfg.literal_min_words, cfg.literal_max_gap);
    if runs.is_empty() {
        return;
    }
    let used = fit_to_runs(&runs, out, cfg);
    for (k, r) in runs.iter().enumerate() {
        if used[k] || out.iter().any(|p| p.query_span.overlap(&r.query_span) > 0) {
            continue;
        }
        let chars = q.chars.char_of(r.query_span.end) - q.chars.char_of(r.query_span.start);
        if chars < cfg.min_passage_chars {
            continue;
        }
        out.push(run_passage(q, s, r));
    }
    out.sort_by_key(|p| p.query_span.start);
}

/// Moves the bounds of each passage onto the literal runs overlapping it on
/// both sides: their exact bounds when they cover at least
/// [`AlignConfig::literal_share`] of its suspect side, else the passage
/// widened to take them in. Returns which runs a passage took.
fn fit_to_runs(runs: &[LiteralRun], out: &mut [AlignedPassage], cfg: &AlignConfig) -> Vec<bool> {
    let mut used = vec![false; runs.len()];
    for p in out.iter_mut() {
        let mine: Vec<usize> = (0..runs.len())
            .filter(|&k| {
                runs[k].query_span.overlap(&p.query_span) > 0
                    && runs[k].source_span.overlap(&p.source_span) > 0
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        for &k in &mine {
            used[k] = true;
        }
        let rq = mine
            .iter()
            .map(|&k| runs[k].query_span)
            .reduce(|a, b| a.cover(&b))
            .unwrap_or(p.query_span);
        let rs = mine
            .iter()
            .map(|&k| runs[k].source_span)
            .reduce(|a, b| a.cover(&b))
            .unwrap_or(p.source_span);
        let covered: usize = mine
            .iter()
            .map(|&k| runs[k].query_span.overlap(&p.query_span))
            .sum();
        if covered as f32 >= cfg.literal_share * p.query_span.len() as f32 {
            p.query_span = rq;
            p.source_span = rs;
        } else {
            p.query_span = p.query_span.cover(&rq);
            p.source_span = p.source_span.cover(&rs);
        }
    }
    used
}

/// A passage of one literal run (verbatim when every word matched, else
/// near-verbatim; similarity the share of matched words).
fn run_passage(q: &Analysis, s: &Analysis, r: &LiteralRun) -> AlignedPassage {
    let qr = sentence_of_token(q, r.q_tokens.start)..sentence_of_token(q, r.q_tokens.end - 1) + 1;
    let sr = sentence_of_token(s, r.s_tokens.start)..sentence_of_token(s, r.s_tokens.end - 1) + 1;
    let similarity = r.matched as f32 / r.q_tokens.len().max(r.s_tokens.len()) as f32;
    let link = AlignedLink {
        query: qr,
        source: sr,
        query_span: r.query_span,
        source_span: r.source_span,
        similarity,
    };
    let kind = if r.matched == r.q_tokens.len() && r.matched == r.s_tokens.len() {
        PassageKind::Verbatim
    } else {
        PassageKind::NearVerbatim
    };
    AlignedPassage {
        query_span: r.query_span,
        source_span: r.source_span,
        similarity,
        kind,
        links: vec![link],
    }
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

    const COPY: &str = "Volcanic ash grounded flights across northern Europe for days \
        while airlines cancelled thousands of departures and the cloud drifted south, \
        and passengers slept in terminals waiting for news about their journeys home";

    #[test]
    fn a_long_run_no_passage_found_becomes_a_passage() {
        let q = format!("An opening nobody copied. {COPY}. A closing nobody copied.");
        let s = format!("Something else first. {COPY}. Something else last.");
        let (qa, sa) = (Analysis::new(&q), Analysis::new(&s));
        let cfg = AlignConfig::default();
        let mut out = Vec::new();
        apply_literal_runs(&qa, &sa, &mut out, &cfg);
        assert_eq!(out.len(), 1);
        let p = &out[0];
        assert_eq!(p.kind, PassageKind::Verbatim);
        assert_eq!(&q[p.query_span.start..p.query_span.end], format!("{COPY}."));
        assert_eq!(p.links[0].query, 1..2);
        // literal runs switched off
        let off = AlignConfig {
            literal_min_words: 0,
            ..AlignConfig::default()
        };
        let mut out = Vec::new();
        apply_literal_runs(&qa, &sa, &mut out, &off);
        assert!(out.is_empty());
    }

    #[test]
    fn a_passage_mostly_literal_takes_the_bounds_of_its_runs() {
        let q = format!("An opening nobody copied. {COPY}. A closing nobody copied.");
        let s = format!("Something else first. {COPY}. Something else last.");
        let (qa, sa) = (Analysis::new(&q), Analysis::new(&s));
        let cfg = AlignConfig::default();
        // a passage over the copy and a few words before it on each side
        let (qc, sc) = (q.find(COPY).unwrap(), s.find(COPY).unwrap());
        let span = |at: usize| Span::new(at - 8, at + COPY.len() - 10);
        let link = AlignedLink {
            query: 0..2,
            source: 0..2,
            query_span: span(qc),
            source_span: span(sc),
            similarity: 0.9,
        };
        let mut out = vec![AlignedPassage {
            query_span: span(qc),
            source_span: span(sc),
            similarity: 0.9,
            kind: PassageKind::NearVerbatim,
            links: vec![link],
        }];
        apply_literal_runs(&qa, &sa, &mut out, &cfg);
        assert_eq!(out.len(), 1);
        assert_eq!(
            &q[out[0].query_span.start..out[0].query_span.end],
            format!("{COPY}.")
        );
        assert_eq!(
            &s[out[0].source_span.start..out[0].source_span.end],
            format!("{COPY}.")
        );
    }
}
