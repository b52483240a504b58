//! Dropped and added content: `content_dropped` and `content_added`.
//!
//! In: the two sides, the (widened) links and the pair's sentence
//! similarity. Texts are read as blocks (paragraphs, headlines, footers).
//! A block is open when no link covers any of its sentences and none of
//! them scores [`MATCHED_MIN`] against a sentence of the other side;
//! headlines on both sides and wire furniture (markup remnants, sign-offs
//! such as "REUTER") are never open. Out: a finding for each open block,
//! unless it faces an open block of the other side in the same place
//! between linked neighbours that shares some words or a figure with it,
//! or both are too short to judge (then the two are taken for a
//! paraphrase the similarity could not see).

use super::common::{clip, span_tokens};
use super::kinds;
use super::numbers::{numbers_in, same_num, Num};
use super::Side;
use crate::align::AlignedLink;
use crate::features::PairSimilarity;
use crate::report::Finding;
use crate::text::{lang, Analysis, Span, TokenKind};

/// Blocks of an analysis: (sentence range, byte span).
fn blocks(a: &Analysis) -> Vec<(std::ops::Range<usize>, Span)> {
    let mut out: Vec<(std::ops::Range<usize>, Span)> = Vec::new();
    for (i, s) in a.sentences.iter().enumerate() {
        match out.last_mut() {
            Some((r, sp)) if a.sentences[r.start].block == s.block => {
                r.end = i + 1;
                *sp = sp.cover(&s.span);
            }
            _ => out.push((i..i + 1, s.span)),
        }
    }
    out
}

/// Wire furniture, not content: a block with no word (markup remnants such
/// as `&\t`), or only a sign-off ("REUTER").
fn is_furniture(side: &Side, span: Span) -> bool {
    let toks = span_tokens(side.analysis, span);
    toks.iter()
        .all(|t| t.kind != TokenKind::Word || lang::SIGN_OFFS.contains(&t.norm.as_str()))
}

/// Whether `block` is the text's headline: its first block, one sentence
/// of at most 20 tokens, with no closing punctuation.
fn is_headline(text: &str, a: &Analysis, block: &(std::ops::Range<usize>, Span)) -> bool {
    let t = text[block.1.start..block.1.end].trim();
    block.0.start == 0
        && block.0.len() == 1
        && !t.ends_with(['.', '!', '?', '"', '\u{201D}'])
        && a.sentence_tokens(0).len() <= 20
}

/// The suspect sentences standing where source sentences `src` stood:
/// after the suspect counterpart of the last linked source sentence before
/// them, before that of the first linked one after them.
fn query_slot(
    links: &[&AlignedLink],
    src: &std::ops::Range<usize>,
    nq: usize,
) -> Option<std::ops::Range<usize>> {
    let lo = links
        .iter()
        .filter(|l| l.source.end <= src.start)
        .max_by_key(|l| l.source.end)
        .map_or(0, |l| l.query.end);
    let hi = links
        .iter()
        .filter(|l| l.source.start >= src.end)
        .min_by_key(|l| l.source.start)
        .map_or(nq, |l| l.query.start);
    (lo <= hi).then_some(lo..hi)
}

/// At most this many content words make a block "short".
const SHORT_BLOCK_WORDS: usize = 4;
/// A block none of whose sentences scores this much against any sentence
/// of the other side (and that no link covers) has no counterpart there.
const MATCHED_MIN: f32 = 0.3;
/// Score at which an unlinked source block and the unlinked suspect block
/// in its place are taken for a loose paraphrase of each other.
const FACING_MIN: f32 = 0.12;

/// Runs the detector: a `content_dropped` finding for each open source
/// block and a `content_added` finding for each open suspect block (in
/// text order, dropped first) that faces no loose paraphrase in its place.
pub(super) fn coverage_findings(
    q: &Side,
    s: &Side,
    links: &[&AlignedLink],
    sim: &PairSimilarity,
    out: &mut Vec<Finding>,
) {
    let q_blocks = blocks(q.analysis);
    let s_blocks = blocks(s.analysis);
    let both_headlines = q_blocks
        .first()
        .is_some_and(|b| is_headline(q.text, q.analysis, b))
        && s_blocks
            .first()
            .is_some_and(|b| is_headline(s.text, s.analysis, b));
    // best score of each sentence against any sentence of the other side
    let (q_best, s_best) = sim.best_scores(MATCHED_MIN);
    let q_linked = |i: usize| links.iter().any(|l| l.query.contains(&i));
    let s_linked = |j: usize| links.iter().any(|l| l.source.contains(&j));
    let s_open: Vec<usize> = (0..s_blocks.len())
        .filter(|&bi| !(bi == 0 && both_headlines))
        .filter(|&bi| !is_furniture(s, s_blocks[bi].1))
        .filter(|&bi| {
            let r = s_blocks[bi].0.clone();
            !(r.clone().any(s_linked) || r.into_iter().any(|j| s_best[j] >= MATCHED_MIN))
        })
        .collect();
    let q_open: Vec<usize> = (0..q_blocks.len())
        .filter(|&bi| !(bi == 0 && both_headlines))
        .filter(|&bi| !is_furniture(q, q_blocks[bi].1))
        .filter(|&bi| {
            let r = q_blocks[bi].0.clone();
            !(r.clone().any(q_linked) || r.into_iter().any(|i| q_best[i] >= MATCHED_MIN))
        })
        .collect();
    // an unlinked source block facing an unlinked suspect block, in the same
    // place between linked neighbours, is most likely a paraphrase the
    // similarity could not see when the two share some words or a figure,
    // or when both are too short to judge ("No one was hurt." / "Nobody was
    // injured.")
    let mut s_quiet = vec![false; s_blocks.len()];
    let mut q_quiet = vec![false; q_blocks.len()];
    // per open block, once: is it short, and its figures
    fn facts<'a>(
        side: &Side<'a>,
        blocks: &[(std::ops::Range<usize>, Span)],
        open: &[usize],
    ) -> Vec<(bool, Vec<Num<'a>>)> {
        let short = |span: Span| {
            span_tokens(side.analysis, span)
                .iter()
                .filter(|t| !t.stop)
                .count()
                <= SHORT_BLOCK_WORDS
        };
        let mut f: Vec<(bool, Vec<Num>)> = vec![(false, Vec::new()); blocks.len()];
        for &bi in open {
            f[bi] = (short(blocks[bi].1), numbers_in(side, blocks[bi].1));
        }
        f
    }
    let s_facts = facts(s, &s_blocks, &s_open);
    let q_facts = facts(q, &q_blocks, &q_open);
    for &bi in &s_open {
        let sb = &s_blocks[bi];
        let Some(slot) = query_slot(links, &sb.0, q.analysis.sentences.len()) else {
            continue;
        };
        for &bj in &q_open {
            let qb = &q_blocks[bj];
            if qb.0.start < slot.start || qb.0.end > slot.end {
                continue;
            }
            let short = s_facts[bi].0 && q_facts[bj].0;
            // a shared figure ("rose by 38,000" / "increased by 38,000")
            let shared_number = s_facts[bi]
                .1
                .iter()
                .any(|a| a.value >= 10.0 && q_facts[bj].1.iter().any(|b| same_num(a, b)));
            if short || shared_number || sim.score(qb.0.clone(), sb.0.clone()) >= FACING_MIN {
                s_quiet[bi] = true;
                q_quiet[bj] = true;
            }
        }
    }
    for &bi in s_open.iter().filter(|&&bi| !s_quiet[bi]) {
        let b = &s_blocks[bi];
        out.push(Finding {
            kind: kinds::CONTENT_DROPPED,
            source: Some(s.span(b.1)),
            query: None,
            detail: format!(
                "source passage with no counterpart in the rewrite: \"{}\"",
                clip(s.slice(b.1), 80)
            ),
        });
    }
    for &bi in q_open.iter().filter(|&&bi| !q_quiet[bi]) {
        let b = &q_blocks[bi];
        out.push(Finding {
            kind: kinds::CONTENT_ADDED,
            source: None,
            query: Some(q.span(b.1)),
            detail: format!(
                "rewrite passage with no counterpart in the source: \"{}\"",
                clip(q.slice(b.1), 80)
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::testing::Pair;

    /// The coverage findings of `q` against `s`, given sentence links
    /// `(suspect, source)`.
    fn run(q: &str, s: &str, pairs: &[(usize, usize)]) -> (Pair, Vec<Finding>) {
        let p = Pair::new(q, s);
        let links: Vec<AlignedLink> = pairs
            .iter()
            .map(|&(i, j)| p.link(i..i + 1, j..j + 1, 0.8))
            .collect();
        let links: Vec<&AlignedLink> = links.iter().collect();
        let mut out = Vec::new();
        coverage_findings(&p.q(), &p.s(), &links, &p.sim, &mut out);
        (p, out)
    }

    const SOURCE: &str = "Storm Hits The Coast\n\n\
        The storm reached the coast on Monday night with strong winds.\n\n\
        The mayor ordered the evacuation of three seaside towns.\n\n\
        A museum of local history opened downtown in 1990 with a grand ceremony.";
    const KEPT: &str = "Storm Strikes The Coast\n\n\
        The storm reached the coast on Monday night with strong winds.\n\n\
        The mayor ordered the evacuation of three seaside towns.";

    #[test]
    fn blocks_are_runs_of_sentences() {
        let a = Analysis::new("One here. Two here.\nThree here.\n\nFour.");
        let got: Vec<std::ops::Range<usize>> = blocks(&a).into_iter().map(|b| b.0).collect();
        assert_eq!(got, [0..2, 2..3, 3..4]);
    }

    #[test]
    fn a_dropped_paragraph_is_a_finding() {
        let (p, out) = run(KEPT, SOURCE, &[(1, 1), (2, 2)]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::CONTENT_DROPPED);
        assert!(p.s_at(&out[0]).starts_with("A museum of local history"));
        assert_eq!(out[0].query, None);
    }

    #[test]
    fn an_added_paragraph_is_a_finding() {
        let (p, out) = run(SOURCE, KEPT, &[(1, 1), (2, 2)]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::CONTENT_ADDED);
        assert!(p.q_at(&out[0]).starts_with("A museum of local history"));
        assert_eq!(out[0].source, None);
    }

    #[test]
    fn blocks_facing_each_other_in_place_are_a_paraphrase() {
        // two short blocks in the same place
        let s = format!("{KEPT}\n\nNo one was hurt.");
        let q = format!("{KEPT}\n\nNobody was injured.");
        assert!(run(&q, &s, &[(1, 1), (2, 2)]).1.is_empty());
        // a shared figure
        let s = format!("{KEPT}\n\nThe number of people without power rose by 38,000 overnight.");
        let q = format!("{KEPT}\n\nBy the morning, 38,000 more homes had lost electricity.");
        assert!(run(&q, &s, &[(1, 1), (2, 2)]).1.is_empty());
    }

    #[test]
    fn sign_offs_and_headlines_are_no_content() {
        let s = format!("{KEPT}\n\nREUTER");
        assert!(run(KEPT, &s, &[(1, 1), (2, 2)]).1.is_empty());
        assert!(is_furniture(&Pair::new("&\t", "&\t").s(), Span::new(0, 2)));
    }
}
