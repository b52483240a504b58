//! Passage edges: where a passage starts and ends on each side.
//!
//! In: the links of one passage (in suspect order), or finished passages.
//! Out: the same with their outer edges moved, in the order the passages
//! phase applies them:
//! - [`trim_edges`]: weak or stray links at the ends are dropped;
//! - [`grow_edges`]: the edges take in neighbouring sentences whose content
//!   words are mostly found near the other side's edge;
//! - [`tighten`]: the edges move onto the first and last words both sides
//!   share;
//! - [`focus_edges`]: an edge link much longer on one side has that side's
//!   outer edge moved to where the shared words concentrate;
//! - [`snap_reworded`] (last, on the finished passages of both passes and
//!   the word windows): a reworded passage's source edge inside a
//!   sentence, close to the sentence's own edge, moves out to it.

use std::ops::Range;

use super::spans::run_span;
use super::{AlignConfig, AlignedLink, AlignedPassage, PassageKind};
use crate::features::PairSimilarity;
use crate::text::{Analysis, Span, Token};
use crate::tuning::edges::{
    EDGE_TRIM_KEEP_LINKS, FOCUS_MIN_CUT, FOCUS_MIN_HITS, FOCUS_WINDOW_RATIO, FOCUS_WINDOW_SLACK,
    GROW_MIN_TERMS, TIGHTEN_LITERAL_PAIR_SHARE, UNSHARED_LEAD,
};

/// Drops weak links at the ends of a passage: a link well below the
/// passage's typical similarity at its edge is more likely a neighbour that
/// slipped in through support than reused text.
pub(super) fn trim_edges(mut links: Vec<AlignedLink>, cfg: &AlignConfig) -> Vec<AlignedLink> {
    if links.len() <= EDGE_TRIM_KEEP_LINKS {
        return links;
    }
    let mut sims: Vec<f32> = links.iter().map(|l| l.similarity).collect();
    sims.sort_by(f32::total_cmp);
    let median = sims[sims.len() / 2];
    let weak = |l: &AlignedLink| l.similarity < cfg.seed_min.min(cfg.edge_trim_ratio * median);
    while links.len() > EDGE_TRIM_KEEP_LINKS && links.first().is_some_and(weak) {
        links.remove(0);
    }
    while links.len() > EDGE_TRIM_KEEP_LINKS && links.last().is_some_and(weak) {
        links.pop();
    }
    // stray edge links: a long suspect sentence matching a few topical words
    // of a short source sentence
    let stray = |l: &AlignedLink| {
        if l.similarity >= cfg.literal_min {
            return false;
        }
        let (q, s) = (
            l.query_span.len().max(1) as f32,
            l.source_span.len().max(1) as f32,
        );
        cfg.edge_trim_length_ratio > 0.0 && q > cfg.edge_trim_length_ratio * s
    };
    while links.len() > EDGE_TRIM_KEEP_LINKS && stray(&links[0]) {
        links.remove(0);
    }
    while links.len() > EDGE_TRIM_KEEP_LINKS && links.last().is_some_and(stray) {
        links.pop();
    }
    links
}

/// Grows a passage's edges over neighbouring sentences whose content words
/// are mostly found on the other side near that edge: reworded text often
/// regroups words across sentence boundaries, leaving an edge sentence that
/// matches no single sentence well.
pub(super) fn grow_edges(
    q: &Analysis,
    s: &Analysis,
    sim: &PairSimilarity,
    links: &mut [AlignedLink],
    cfg: &AlignConfig,
) {
    if links.is_empty() || cfg.grow_min > 1.0 {
        return;
    }
    let (nq, ns) = (q.sentences.len(), s.sentences.len());
    let (q_title, s_title) = (q.title(), s.title());
    for _ in 0..cfg.grow_steps {
        let mut grew = false;
        // source end: the link reaching furthest in the source
        let k = (0..links.len())
            .max_by_key(|&k| links[k].source.end)
            .unwrap_or(0);
        let j = links[k].source.end;
        if j < ns && Some(j) != s_title && sim.source_terms(j..j + 1) >= GROW_MIN_TERMS {
            let qr = links[k].query.start.saturating_sub(1)..(links[k].query.end + 1).min(nq);
            if sim.containment_in_query(j..j + 1, qr) >= cfg.grow_min {
                links[k].source.end += 1;
                links[k].source_span = run_span(s, links[k].source.clone());
                grew = true;
            }
        }
        // source start
        let k = (0..links.len())
            .min_by_key(|&k| links[k].source.start)
            .unwrap_or(0);
        if links[k].source.start > 0 {
            let j = links[k].source.start - 1;
            if Some(j) != s_title && sim.source_terms(j..j + 1) >= GROW_MIN_TERMS {
                let qr = links[k].query.start.saturating_sub(1)..(links[k].query.end + 1).min(nq);
                if sim.containment_in_query(j..j + 1, qr) >= cfg.grow_min {
                    links[k].source.start -= 1;
                    links[k].source_span = run_span(s, links[k].source.clone());
                    grew = true;
                }
            }
        }
        // suspect end
        let k = links.len() - 1;
        let i = links[k].query.end;
        if i < nq && Some(i) != q_title && sim.query_terms(i..i + 1) >= GROW_MIN_TERMS {
            let sr = links[k].source.start.saturating_sub(1)..(links[k].source.end + 1).min(ns);
            if sim.containment(i..i + 1, sr) >= cfg.grow_min {
                links[k].query.end += 1;
                links[k].query_span = run_span(q, links[k].query.clone());
                grew = true;
            }
        }
        // suspect start
        if links[0].query.start > 0 {
            let i = links[0].query.start - 1;
            if Some(i) != q_title && sim.query_terms(i..i + 1) >= GROW_MIN_TERMS {
                let sr = links[0].source.start.saturating_sub(1)..(links[0].source.end + 1).min(ns);
                if sim.containment(i..i + 1, sr) >= cfg.grow_min {
                    links[0].query.start -= 1;
                    links[0].query_span = run_span(q, links[0].query.clone());
                    grew = true;
                }
            }
        }
        if !grew {
            break;
        }
    }
}

/// Moves the outer edges of a passage onto the first and last words that
/// both sides share: reused text often starts or ends inside a sentence.
/// Literal links match on word pairs, reworded ones on content words.
pub(super) fn tighten(q: &Analysis, s: &Analysis, links: &mut [AlignedLink]) {
    let Some(first) = links.first_mut() else {
        return;
    };
    let (qt, st) = (run_tokens(q, &first.query), run_tokens(s, &first.source));
    if let (Some(a), Some(b)) = (first_shared(&qt, &st), first_shared(&st, &qt)) {
        first.query_span.start = first.query_span.start.max(a).min(first.query_span.end);
        first.source_span.start = first.source_span.start.max(b).min(first.source_span.end);
    }
    let Some(last) = links.last_mut() else { return };
    let (qt, st) = (run_tokens(q, &last.query), run_tokens(s, &last.source));
    let qr: Vec<&Token> = qt.iter().rev().copied().collect();
    let sr: Vec<&Token> = st.iter().rev().copied().collect();
    if let (Some(_), Some(_)) = (first_shared(&qr, &sr), first_shared(&sr, &qr)) {
        let a = last_shared_end(&qr, &sr);
        let b = last_shared_end(&sr, &qr);
        last.query_span.end = last.query_span.end.min(a).max(last.query_span.start);
        last.source_span.end = last.source_span.end.min(b).max(last.source_span.start);
    }
}

fn run_tokens<'a>(a: &'a Analysis, r: &Range<usize>) -> Vec<&'a Token> {
    r.clone()
        .flat_map(|i| a.sentence_tokens(i).iter())
        .collect()
}

/// Byte start of the first token of `a` that opens a word pair found in `b`
/// (or, for reworded runs, the first shared content word after a long
/// unshared lead).
fn first_shared(a: &[&Token], b: &[&Token]) -> Option<usize> {
    shared_index(a, b).map(|i| a[i].span.start)
}

/// For reversed token lists: byte end of the first (i.e. last in text order)
/// shared token.
fn last_shared_end(a: &[&Token], b: &[&Token]) -> usize {
    shared_index(a, b)
        .map(|i| a[i].glued_end)
        .unwrap_or(usize::MAX)
}

fn shared_index(a: &[&Token], b: &[&Token]) -> Option<usize> {
    use std::collections::HashSet;
    let pairs: HashSet<(&str, &str)> = b.windows(2).map(|w| pair_key(w[0], w[1])).collect();
    let pair_hits = a
        .windows(2)
        .filter(|w| pairs.contains(&pair_key(w[0], w[1])))
        .count();
    if a.len() >= 2 && pair_hits as f32 >= TIGHTEN_LITERAL_PAIR_SHARE * (a.len() - 1) as f32 {
        // literal: the first word pair shared in order (either direction)
        return a
            .windows(2)
            .position(|w| pairs.contains(&pair_key(w[0], w[1])));
    }
    // reworded: cut only a long unshared lead (a sentence that merely ends
    // where the reuse starts), not a few replaced words
    let words: HashSet<&str> = b
        .iter()
        .filter(|t| !t.stop)
        .map(|t| t.stem.as_str())
        .collect();
    a.iter()
        .position(|t| !t.stop && words.contains(t.stem.as_str()))
        .filter(|&i| i >= UNSHARED_LEAD)
}

fn pair_key<'a>(x: &'a Token, y: &'a Token) -> (&'a str, &'a str) {
    (x.stem.as_str(), y.stem.as_str())
}

/// Sub-sentence precision at a passage's outer edges: where an edge link's
/// side is much longer than the other side (a long sentence of which only a
/// part was reused, or a source run grown by a merge), that side's outer
/// edge moves to where the shared words concentrate.
pub(super) fn focus_edges(
    q: &Analysis,
    s: &Analysis,
    links: &mut [AlignedLink],
    cfg: &AlignConfig,
) {
    if cfg.focus_ratio <= 0.0 || links.is_empty() {
        return;
    }
    let long = |a: Span, b: Span| a.len() as f32 > cfg.focus_ratio * b.len().max(1) as f32;
    // suspect side: first and last link in suspect order
    let n = links.len();
    for (k, at_start) in [(0, true), (n - 1, false)] {
        let l = &mut links[k];
        if l.similarity < cfg.literal_min && long(l.query_span, l.source_span) {
            let (qt, st) = (run_tokens(q, &l.query), run_tokens(s, &l.source));
            focus_edge(&mut l.query_span, &qt, &st, at_start, cfg.focus_share);
        }
    }
    // source side: the links holding the source stretch's two ends
    let first = (0..n).min_by_key(|&k| links[k].source_span.start);
    let last = (0..n).max_by_key(|&k| links[k].source_span.end);
    for (k, at_start) in [(first, true), (last, false)] {
        let Some(k) = k else { continue };
        let l = &mut links[k];
        if l.similarity < cfg.literal_min && long(l.source_span, l.query_span) {
            let (qt, st) = (run_tokens(q, &l.query), run_tokens(s, &l.source));
            let share = if l.source_span.len() as f32
                > cfg.focus_wide_ratio * l.query_span.len().max(1) as f32
            {
                cfg.focus_wide_share
            } else {
                cfg.focus_share
            };
            focus_edge(&mut l.source_span, &st, &qt, at_start, share);
        }
    }
}

/// Moves one edge of `span` (whose tokens are `own`) to where the words
/// shared with `other` concentrate (see [`focus_window`]), when that cuts
/// at least [`FOCUS_MIN_CUT`] words.
fn focus_edge(span: &mut Span, own: &[&Token], other: &[&Token], at_start: bool, share: f32) {
    let Some((a, b)) = focus_window(own, other, share) else {
        return;
    };
    if at_start && a >= FOCUS_MIN_CUT {
        span.start = span.start.max(own[a].span.start);
    } else if !at_start && b + FOCUS_MIN_CUT < own.len() {
        span.end = span.end.min(own[b].glued_end);
    }
}

/// The part of `a` (token indices) where the content words shared with `b`
/// concentrate: the window of about `b`'s length holding the most of them,
/// shrunk to its first and last shared word. `None` when the shared words
/// do not concentrate (fewer than `min_share` of them in the window).
fn focus_window(a: &[&Token], b: &[&Token], min_share: f32) -> Option<(usize, usize)> {
    use std::collections::HashSet;
    let words: HashSet<&str> = b
        .iter()
        .filter(|t| !t.stop)
        .map(|t| t.stem.as_str())
        .collect();
    let hits: Vec<usize> = (0..a.len())
        .filter(|&i| !a[i].stop && words.contains(a[i].stem.as_str()))
        .collect();
    if hits.len() < FOCUS_MIN_HITS {
        return None;
    }
    // reworded text may run longer than its source: a window of 1.6x
    let (num, den) = FOCUS_WINDOW_RATIO;
    let width = b.len() * num / den + FOCUS_WINDOW_SLACK;
    let mut best = (0usize, 0usize, 0usize); // (count, first hit, last hit)
    let mut k = 0;
    for (x, &h) in hits.iter().enumerate() {
        while hits[k] + width <= h {
            k += 1;
        }
        // hits[k..=x] lie in a window of `width` tokens ending at h
        let n = x + 1 - k;
        if n > best.0 {
            best = (n, hits[k], h);
        }
    }
    if (best.0 as f32) < min_share * hits.len() as f32 {
        return None;
    }
    Some((best.1, best.2))
}

/// Snaps the edges of reworded (paraphrase and summary) passages out to
/// the sentences they fall in on the source side (see
/// [`AlignConfig::snap_source_chars`]; the suspect side keeps its
/// word-level edges).
pub(super) fn snap_reworded(s: &Analysis, out: &mut [AlignedPassage], cfg: &AlignConfig) {
    for p in out
        .iter_mut()
        .filter(|p| matches!(p.kind, PassageKind::Paraphrase | PassageKind::Summary))
    {
        p.source_span = snap_to_sentences(s, p.source_span, cfg.snap_source_chars);
    }
}

/// Moves each edge of `span` that falls inside a sentence out to that
/// sentence's edge when it is at most `limit` characters away (see
/// [`AlignConfig::snap_source_chars`]).
fn snap_to_sentences(a: &Analysis, span: Span, limit: usize) -> Span {
    if limit == 0 || span.is_empty() {
        return span;
    }
    let chars = |x: usize| a.chars.char_of(x);
    let inside = |x: usize| {
        let k = a.sentences.partition_point(|st| st.span.start <= x);
        (k > 0)
            .then(|| a.sentences[k - 1].span)
            .filter(|sp| sp.start < x && x < sp.end)
    };
    let mut out = span;
    if let Some(sp) = inside(span.start) {
        if chars(span.start) - chars(sp.start) <= limit {
            out.start = sp.start;
        }
    }
    if let Some(sp) = inside(span.end) {
        if chars(sp.end) - chars(span.end) <= limit {
            out.end = sp.end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::{link, pair, passage, sentence_link};

    fn with_sim(mut l: AlignedLink, similarity: f32) -> AlignedLink {
        l.similarity = similarity;
        l
    }

    #[test]
    fn weak_edge_links_are_trimmed_off() {
        let cfg = AlignConfig::default();
        let links = vec![
            with_sim(link((0, 100), (0, 100)), 0.1),
            with_sim(link((100, 200), (100, 200)), 0.9),
            with_sim(link((200, 300), (200, 300)), 0.9),
            with_sim(link((300, 400), (300, 400)), 0.9),
        ];
        let got = trim_edges(links, &cfg);
        let starts: Vec<usize> = got.iter().map(|l| l.query_span.start).collect();
        assert_eq!(starts, [100, 200, 300]);
        // two links are left alone
        let two = vec![
            with_sim(link((0, 100), (0, 100)), 0.1),
            with_sim(link((100, 200), (100, 200)), 0.9),
        ];
        assert_eq!(trim_edges(two, &cfg).len(), 2);
    }

    #[test]
    fn an_edge_link_far_longer_on_the_suspect_side_is_a_stray() {
        let cfg = AlignConfig::default();
        let links = vec![
            link((0, 1000), (0, 100)),
            link((1000, 1100), (100, 200)),
            link((1100, 1200), (200, 300)),
        ];
        let got = trim_edges(links, &cfg);
        assert_eq!(got[0].query_span.start, 1000);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn a_lone_link_grows_over_neighbours_found_on_the_other_side() {
        let s = "Volcanic ash grounded flights across northern Europe for days. \
            Airlines cancelled thousands of departures while the cloud drifted south. \
            Passengers slept in terminals waiting for news about their journeys. \
            Farmers in the valley harvested grapes earlier than usual this autumn.";
        let q = &s[..s.find(" Farmers").unwrap()];
        let (qa, sa, sim) = pair(q, s);
        let cfg = AlignConfig::default();
        let mut links = vec![sentence_link(&qa, &sa, 1..2, 1..2, 0.9)];
        grow_edges(&qa, &sa, &sim, &mut links, &cfg);
        assert_eq!(
            (links[0].query.clone(), links[0].source.clone()),
            (0..3, 0..3)
        );
        assert_eq!(links[0].source_span, run_span(&sa, 0..3));
        // switched off
        let off = AlignConfig {
            grow_min: 1.1,
            ..AlignConfig::default()
        };
        let mut links = vec![sentence_link(&qa, &sa, 1..2, 1..2, 0.9)];
        grow_edges(&qa, &sa, &sim, &mut links, &off);
        assert_eq!(
            (links[0].query.clone(), links[0].source.clone()),
            (1..2, 1..2)
        );
    }

    #[test]
    fn a_copy_inside_a_longer_sentence_is_tightened_to_the_shared_words() {
        let q =
            "Some unrelated words come before it then the quick brown fox jumps over the lazy dog.";
        let s = "The quick brown fox jumps over the lazy dog.";
        let (qa, sa, _) = pair(q, s);
        let mut links = vec![sentence_link(&qa, &sa, 0..1, 0..1, 0.9)];
        tighten(&qa, &sa, &mut links);
        let l = &links[0];
        assert_eq!(
            &q[l.query_span.start..l.query_span.end],
            "the quick brown fox jumps over the lazy dog."
        );
        assert_eq!(l.source_span, Span::new(0, s.len()));
    }

    #[test]
    fn a_long_edge_sentence_is_focused_on_its_shared_words() {
        let q = "Nobody here had any idea what the committee was planning to announce \
            during the long meeting that afternoon while rain kept falling outside the \
            old hall, but volcanic ash grounded flights across northern Europe for days.";
        let s = "Volcanic ash grounded flights across northern Europe for days.";
        let (qa, sa, _) = pair(q, s);
        let cfg = AlignConfig::default();
        let mut links = vec![sentence_link(&qa, &sa, 0..1, 0..1, 0.5)];
        focus_edges(&qa, &sa, &mut links, &cfg);
        let l = &links[0];
        assert_eq!(
            &q[l.query_span.start..l.query_span.end],
            "volcanic ash grounded flights across northern Europe for days."
        );
        // a literal link is left as it is
        let mut links = vec![sentence_link(&qa, &sa, 0..1, 0..1, 0.9)];
        focus_edges(&qa, &sa, &mut links, &cfg);
        assert_eq!(links[0].query_span, Span::new(0, q.len()));
    }

    #[test]
    fn focus_window_needs_the_shared_words_to_concentrate() {
        let a = crate::text::Analysis::new(
            "ash one two three four five six seven eight nine ten eleven twelve \
             thirteen fourteen fifteen cloud",
        );
        let b = crate::text::Analysis::new("ash cloud");
        let (at, bt): (Vec<&Token>, Vec<&Token>) =
            (a.tokens.iter().collect(), b.tokens.iter().collect());
        // the two shared words lie further apart than the window: no focus
        assert_eq!(focus_window(&at, &bt, 0.7), None);
        // half of them in the window suffices at share 0.5
        assert!(focus_window(&at, &bt, 0.5).is_some());
    }

    #[test]
    fn edges_inside_a_sentence_snap_out_to_it_when_close() {
        let text =
            "First sentence here. The second sentence is a longer one with many words. Third.";
        let a = Analysis::new(text);
        let second = text.find("The second").unwrap();
        let third = text.find("Third").unwrap();
        let inner = text.find("is a longer").unwrap();
        let many = text.find("many").unwrap();
        // both edges inside the second sentence, within 40 characters of its
        // ends: they move out to the sentence
        let got = snap_to_sentences(&a, Span::new(inner, many), 40);
        assert_eq!(
            &text[got.start..got.end],
            "The second sentence is a longer one with many words."
        );
        // too far from the edges: left alone
        let got = snap_to_sentences(&a, Span::new(inner, many), 10);
        assert_eq!((got.start, got.end), (inner, many));
        // edges already on sentence bounds stay; 0 disables
        let whole = Span::new(second, third);
        assert_eq!(snap_to_sentences(&a, whole, 40), whole);
        assert_eq!(
            snap_to_sentences(&a, Span::new(inner, many), 0),
            Span::new(inner, many)
        );
    }

    #[test]
    fn only_reworded_passages_snap_on_the_source_side() {
        let text = "First sentence here. The second sentence is a longer one with many words.";
        let a = Analysis::new(text);
        let inner = text.find("sentence is").unwrap();
        let cfg = AlignConfig {
            snap_source_chars: 20,
            ..AlignConfig::default()
        };
        let make = |kind| {
            passage(
                vec![link((inner, text.len()), (inner, text.len()))],
                0.5,
                kind,
            )
        };
        let mut out = vec![make(PassageKind::Paraphrase), make(PassageKind::Verbatim)];
        snap_reworded(&a, &mut out, &cfg);
        let second = text.find("The second").unwrap();
        assert_eq!(out[0].source_span.start, second);
        // the suspect side keeps its word-level edge
        assert_eq!(out[0].query_span.start, inner);
        assert_eq!(out[1].source_span.start, inner);
    }
}
