//! Phase 4 of a pass: passages.
//!
//! In: the pass's [`AlignedLink`]s in suspect order. Out: the pass's
//! [`AlignedPassage`]s: links close to each other on both sides grouped
//! (tolerating gaps, see [`AlignConfig::max_query_gap`] and
//! [`AlignConfig::max_source_gap`], and local reordering), neighbouring
//! groups condensing a long source stretch merged into a summary, and each
//! group finished into a passage (edges trimmed, grown, tightened and
//! focused by the `edges` phase; too short or isolated weak ones dropped;
//! classified). [`drop_minor`] then drops passages far weaker than the
//! pair's strongest.
//!
//! After both passes, [`merge_overlapping`] reports a region found twice
//! (e.g. by sentences and by word windows) once.

use super::edges::{focus_edges, grow_edges, tighten, trim_edges};
use super::spans::{cover, span_distance};
use super::{classify, AlignConfig, AlignedLink, AlignedPassage, Pass, PassageKind};
use crate::features::PairSimilarity;
use crate::text::{Analysis, Span};
use crate::tuning::passages::{
    ISOLATED_EXEMPT_SOURCES, MINOR_KEEP_MIN_LINKS, WHOLE_SOURCE_MIN_LINKS,
};

/// Groups consecutive links (in suspect order) close to the last group on
/// both sides.
pub(super) fn group(links: Vec<AlignedLink>, cfg: &AlignConfig) -> Vec<Vec<AlignedLink>> {
    let mut passages: Vec<Vec<AlignedLink>> = Vec::new();
    for l in links {
        match passages.last_mut() {
            Some(p) if close(p, &l, cfg) => p.push(l),
            _ => passages.push(vec![l]),
        }
    }
    passages
}

/// Merges groups that turned out close on both sides (e.g. after a link
/// out of order between them), until none are.
pub(super) fn merge_close(passages: &mut Vec<Vec<AlignedLink>>, cfg: &AlignConfig) {
    loop {
        let mut merged = false;
        'outer: for a in 0..passages.len() {
            for b in a + 1..passages.len() {
                if passages_close(&passages[a], &passages[b], cfg) {
                    let pb = passages.remove(b);
                    passages[a].extend(pb);
                    passages[a].sort_by_key(|l| l.query_span.start);
                    merged = true;
                    break 'outer;
                }
            }
        }
        if !merged {
            break;
        }
    }
}

/// Summaries: suspect groups next to each other whose sources lie far apart
/// form one group when the suspect side is much shorter than the source
/// stretch it draws on (a summary condenses a whole stretch; an extractive
/// one copies a sentence here and there, so literal pieces merge too),
/// unless the two read as two reused passages (see
/// [`AlignConfig::summary_split_ratio`]). Sorts the groups by suspect start.
pub(super) fn merge_summaries(p: &Pass, passages: &mut Vec<Vec<AlignedLink>>) {
    let (q, s, cfg) = (p.q, p.s, p.cfg);
    passages.sort_by_key(|p| cover(p).0.start);
    let mut k = 0;
    while k + 1 < passages.len() {
        let (qa, sa) = cover(&passages[k]);
        let (qb, sb) = cover(&passages[k + 1]);
        let q_all = qa.cover(&qb);
        let s_all = sa.cover(&sb);
        // ...unless the two read as two reused passages: each about as long
        // on both sides, their sources in the reverse order
        let solid = |qx: Span, sx: Span| {
            let qn = q.chars.char_of(qx.end) - q.chars.char_of(qx.start);
            let sn = s.chars.char_of(sx.end) - s.chars.char_of(sx.start);
            qn >= cfg.min_passage_chars && (sn as f32) <= cfg.summary_split_ratio * qn as f32
        };
        let two_cases = sb.end <= sa.start && solid(qa, sa) && solid(qb, sb);
        if span_distance(qa, qb) <= cfg.max_query_gap
            && (q_all.len() as f32) < cfg.summary_ratio * s_all.len() as f32
            && !two_cases
        {
            let b = passages.remove(k + 1);
            passages[k].extend(b);
        } else {
            k += 1;
        }
    }
}

/// Finishes a group of links into a passage: edges trimmed, grown and
/// tightened; `None` for an isolated weak link or a passage too short
/// (unless strong); then edges focused, the passage classified (a summary
/// whose links sit almost all in a compact source stretch loses its strays
/// and is classified again) and, for a summary of most of the source, the
/// source side widened to the whole source.
pub(super) fn finish(p: &Pass, links: Vec<AlignedLink>) -> Option<AlignedPassage> {
    let (q, s, sim, cfg) = (p.q, p.s, p.sim, p.cfg);
    let mut links = links;
    links.sort_by_key(|l| l.query_span.start);
    let mut links = trim_edges(links, cfg);
    grow_edges(q, s, sim, &mut links, cfg);
    tighten(q, s, &mut links);
    let similarity = weighted_similarity(&links);
    if !substantial(q, s, &links, similarity, cfg) {
        return None;
    }
    focus_edges(q, s, &mut links, cfg);
    let (qs, ss) = cover(&links);
    let mut kind = classify(q, s, &links);
    let mut ss = ss;
    if kind == PassageKind::Summary {
        let width = cfg.summary_core_width * qs.len() as f32;
        if let Some(core) = source_core(&links, width, cfg.summary_core_share) {
            links.retain(|l| l.source_span.start >= core.start && l.source_span.end <= core.end);
            ss = cover(&links).1;
            kind = classify(q, s, &links);
        }
    }
    // a summary of most of a document stands for the whole document
    if let (Some(first), Some(last)) = (s.sentences.first(), s.sentences.last()) {
        let whole = first.span.cover(&last.span);
        if links.len() >= WHOLE_SOURCE_MIN_LINKS
            && (qs.len() as f32) < cfg.summary_ratio * ss.len() as f32
            && ss.len() as f32 >= cfg.summary_whole_share * whole.len() as f32
        {
            ss = whole;
        }
    }
    Some(AlignedPassage {
        query_span: qs,
        source_span: ss,
        similarity,
        kind,
        links,
    })
}

/// Suspect-length-weighted mean similarity of links (at least one).
fn weighted_similarity(links: &[AlignedLink]) -> f32 {
    let total: usize = links.iter().map(|l| l.query_span.len().max(1)).sum();
    links
        .iter()
        .map(|l| l.similarity * l.query_span.len().max(1) as f32)
        .sum::<f32>()
        / total as f32
}

/// Whether links of mean `similarity` make a passage: not a single weak
/// link (below [`AlignConfig::isolated_min`], on fewer than
/// `ISOLATED_EXEMPT_SOURCES` (3) source sentences), and long enough (see [`AlignConfig::long_enough`]) or short
/// but strong (see [`AlignConfig::strong_min`]).
fn substantial(
    q: &Analysis,
    s: &Analysis,
    links: &[AlignedLink],
    similarity: f32,
    cfg: &AlignConfig,
) -> bool {
    let (qs, ss) = cover(links);
    if links.len() == 1
        && links[0].similarity < cfg.isolated_min
        && links[0].source.len() < ISOLATED_EXEMPT_SOURCES
    {
        return false;
    }
    let q_chars = q.chars.char_of(qs.end) - q.chars.char_of(qs.start);
    let s_chars = s.chars.char_of(ss.end) - s.chars.char_of(ss.start);
    let chars = q_chars.min(s_chars);
    if !cfg.long_enough(q_chars, s_chars)
        && (chars < cfg.min_strong_chars || similarity < cfg.strong_min)
    {
        return false;
    }
    true
}

/// The source stretch of at most `width` bytes holding at least `min_share`
/// of a passage's links (by suspect length), if there is one: a "summary"
/// whose links sit almost all in a stretch hardly longer than its suspect
/// side is a reworded passage with a stray link or two far off.
fn source_core(links: &[AlignedLink], width: f32, min_share: f32) -> Option<Span> {
    let mut v: Vec<&AlignedLink> = links.iter().collect();
    v.sort_by_key(|l| l.source_span.start);
    let total: usize = v.iter().map(|l| l.query_span.len()).sum();
    let mut best: Option<(usize, Span)> = None;
    for a in 0..v.len() {
        let start = v[a].source_span.start;
        let inside = v[a..]
            .iter()
            .take_while(|l| (l.source_span.end.saturating_sub(start)) as f32 <= width);
        let (sum, end) = inside.fold((0, start), |(n, e), l| {
            (n + l.query_span.len(), e.max(l.source_span.end))
        });
        if best.is_none_or(|b| sum > b.0) {
            best = Some((sum, Span::new(start, end)));
        }
    }
    best.filter(|b| b.0 as f32 >= min_share * total.max(1) as f32)
        .map(|b| b.1)
}

/// Drops passages far weaker than the strongest one of the pair (weight =
/// similarity x suspect length): incidental overlaps such as shared
/// boilerplate next to the real reuse.
pub(super) fn drop_minor(out: &mut Vec<AlignedPassage>, sim: &PairSimilarity, cfg: &AlignConfig) {
    if cfg.minor_share <= 0.0 || out.len() < 2 {
        return;
    }
    let weight = |p: &AlignedPassage| p.similarity * p.query_span.len() as f32;
    let Some(main) = out
        .iter()
        .max_by(|a, b| weight(a).total_cmp(&weight(b)))
        .cloned()
    else {
        return;
    };
    let max = weight(&main);
    // a moved paragraph sits next to the main passage; boilerplate lies elsewhere
    out.retain(|p| {
        weight(p) >= cfg.minor_share * max
            || span_distance(p.query_span, main.query_span) <= cfg.minor_distance
            // a reworded passage of several sentences whose whole runs share
            // most of their words is reuse in its own right (boilerplate is
            // copied word for word)
            || (p.links.len() >= MINOR_KEEP_MIN_LINKS
                && p.links.iter().any(|l| l.similarity < cfg.literal_min)
                && run_lexical(sim, p) >= cfg.minor_keep_lexical)
    });
}

/// Lexical cosine of a passage's whole suspect run with its whole source
/// run (the sentences its links span): reworded reuse keeps most of its
/// vocabulary across the passage even where single sentences match weakly,
/// while a few chance matches between unrelated texts do not add up.
pub(super) fn run_lexical(sim: &PairSimilarity, p: &AlignedPassage) -> f32 {
    let (Some(q0), Some(q1), Some(s0), Some(s1)) = (
        p.links.iter().map(|l| l.query.start).min(),
        p.links.iter().map(|l| l.query.end).max(),
        p.links.iter().map(|l| l.source.start).min(),
        p.links.iter().map(|l| l.source.end).max(),
    ) else {
        return 0.0;
    };
    sim.lexical(q0..q1, s0..s1)
}

/// Merges passages that overlap on the suspect side and lie close on the
/// source side: one reused region is reported once. Sorts by suspect start.
pub(super) fn merge_overlapping(out: &mut Vec<AlignedPassage>, cfg: &AlignConfig) {
    out.sort_by_key(|p| p.query_span.start);
    let mut k = 0;
    while k + 1 < out.len() {
        let (a, b) = (&out[k], &out[k + 1]);
        if a.query_span.overlap(&b.query_span) > 0
            && span_distance(a.source_span, b.source_span) <= cfg.max_source_gap
        {
            let b = out.remove(k + 1);
            let a = &mut out[k];
            a.query_span = a.query_span.cover(&b.query_span);
            a.source_span = a.source_span.cover(&b.source_span);
            a.links.extend(b.links);
            a.links.sort_by_key(|l| l.query_span.start);
        } else {
            k += 1;
        }
    }
}

/// Whether link `l` lies close to the group `p` on both sides.
fn close(p: &[AlignedLink], l: &AlignedLink, cfg: &AlignConfig) -> bool {
    let (q, s) = cover(p);
    span_distance(q, l.query_span) <= cfg.max_query_gap
        && span_distance(s, l.source_span) <= cfg.max_source_gap
}

/// Whether two groups lie close on both sides.
fn passages_close(a: &[AlignedLink], b: &[AlignedLink], cfg: &AlignConfig) -> bool {
    let (qa, sa) = cover(a);
    let (qb, sb) = cover(b);
    span_distance(qa, qb) <= cfg.max_query_gap && span_distance(sa, sb) <= cfg.max_source_gap
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::{link, pair, passage, sentence_link};

    fn starts(groups: &[Vec<AlignedLink>]) -> Vec<Vec<usize>> {
        groups
            .iter()
            .map(|g| g.iter().map(|l| l.query_span.start).collect())
            .collect()
    }

    #[test]
    fn links_close_on_both_sides_group_into_one_passage() {
        let cfg = AlignConfig::default();
        let links = vec![
            link((0, 100), (0, 100)),
            link((150, 250), (200, 300)),
            // far on the source side: a new group
            link((300, 400), (5000, 5100)),
            // far on the suspect side: a new group
            link((2000, 2100), (5100, 5200)),
        ];
        let groups = group(links, &cfg);
        assert_eq!(starts(&groups), [vec![0, 150], vec![300], vec![2000]]);
    }

    #[test]
    fn groups_that_turn_out_close_merge() {
        let cfg = AlignConfig::default();
        // the middle link broke the run; the outer groups are close
        let mut groups = vec![
            vec![link((0, 100), (0, 100))],
            vec![link((150, 250), (9000, 9100))],
            vec![link((300, 400), (200, 300))],
        ];
        merge_close(&mut groups, &cfg);
        assert_eq!(starts(&groups), [vec![0, 300], vec![150]]);
    }

    #[test]
    fn a_condensed_run_over_a_long_source_stretch_merges_into_a_summary() {
        let (q, s) = ("q ".repeat(1000), "s ".repeat(10000));
        let (qa, sa, sim) = pair(&q, &s);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        // short suspect pieces drawing on source sentences far apart
        let mut groups = vec![
            vec![link((0, 100), (0, 100))],
            vec![link((150, 250), (5000, 5100))],
        ];
        merge_summaries(&p, &mut groups);
        assert_eq!(starts(&groups), [vec![0, 150]]);
        // about as long on both sides, sources in reverse order: two passages
        let mut groups = vec![
            vec![link((0, 300), (4000, 4300))],
            vec![link((350, 650), (0, 300))],
        ];
        merge_summaries(&p, &mut groups);
        assert_eq!(starts(&groups), [vec![0], vec![350]]);
    }

    #[test]
    fn a_passage_is_finished_from_its_links_or_dropped() {
        let s = "Volcanic ash grounded flights across northern Europe for days, \
            stranding travellers far from home. \
            Airlines cancelled thousands of departures while the cloud drifted south. \
            Passengers slept in terminals waiting for news about their journeys. \
            Farmers in the valley harvested grapes earlier than usual this autumn.";
        let (qa, sa, sim) = pair(s, s);
        let cfg = AlignConfig::default();
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let links: Vec<AlignedLink> = (0..3)
            .map(|k| sentence_link(&qa, &sa, k..k + 1, k..k + 1, 1.0))
            .collect();
        let got = finish(&p, links).expect("a passage");
        assert_eq!(got.kind, PassageKind::Verbatim);
        assert_eq!(got.similarity, 1.0);
        assert_eq!(got.links.len(), 3);
        assert_eq!(got.query_span, cover(&got.links).0);
        // one weak isolated link: dropped
        let first = &s[..s.find(" Airlines").unwrap()];
        let (qa, sa, sim) = pair(first, s);
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let weak = vec![sentence_link(&qa, &sa, 0..1, 0..1, 0.3)];
        assert!(finish(&p, weak).is_none());
        let strong = vec![sentence_link(&qa, &sa, 0..1, 0..1, 0.9)];
        assert!(finish(&p, strong).is_some());
        // a strong but short one (under `min_strong_chars`): dropped too
        let (qa, sa, sim) = pair("Ash fell.", "Ash fell.");
        let p = Pass::new(&qa, &sa, &sim, &cfg);
        let short = vec![sentence_link(&qa, &sa, 0..1, 0..1, 1.0)];
        assert!(finish(&p, short).is_none());
    }

    #[test]
    fn similarity_is_weighted_by_suspect_length() {
        let mut a = link((0, 300), (0, 300));
        a.similarity = 1.0;
        let mut b = link((300, 400), (300, 400));
        b.similarity = 0.2;
        assert!((weighted_similarity(&[a, b]) - 0.8).abs() < 1e-6);
    }

    #[test]
    fn source_core_finds_a_compact_stretch_with_a_stray_far_off() {
        // four links side by side in the source, one 100-byte link far off
        let links = vec![
            link((0, 100), (1000, 1100)),
            link((100, 200), (1100, 1200)),
            link((200, 300), (5000, 5100)),
            link((300, 400), (1200, 1300)),
            link((400, 1000), (1300, 1900)),
        ];
        let core = source_core(&links, 1.5 * 1000.0, 0.9).expect("core");
        assert_eq!((core.start, core.end), (1000, 1900));
        // a summary drawing evenly on a long stretch has no such core
        let spread: Vec<AlignedLink> = (0..5)
            .map(|k| link((k * 100, k * 100 + 100), (k * 2000, k * 2000 + 300)))
            .collect();
        assert!(source_core(&spread, 1.5 * 500.0, 0.9).is_none());
    }

    #[test]
    fn minor_passages_far_from_the_main_one_are_dropped() {
        let (_, _, sim) = pair("a b c", "a b c");
        let cfg = AlignConfig::default();
        let main = passage(
            vec![link((0, 1000), (0, 1000))],
            0.9,
            PassageKind::Paraphrase,
        );
        let near = passage(
            vec![link((1100, 1200), (0, 100))],
            0.5,
            PassageKind::Paraphrase,
        );
        let far = passage(
            vec![link((9000, 9100), (0, 100))],
            0.5,
            PassageKind::Paraphrase,
        );
        let mut out = vec![main, near, far];
        drop_minor(&mut out, &sim, &cfg);
        let got: Vec<usize> = out.iter().map(|p| p.query_span.start).collect();
        assert_eq!(got, [0, 1100]);
    }

    #[test]
    fn overlapping_passages_close_in_the_source_are_reported_once() {
        let cfg = AlignConfig::default();
        let mut out = vec![
            passage(
                vec![link((100, 300), (500, 700))],
                0.5,
                PassageKind::Paraphrase,
            ),
            passage(
                vec![link((0, 150), (400, 550))],
                0.5,
                PassageKind::Paraphrase,
            ),
            // overlaps on the suspect side only
            passage(
                vec![link((250, 400), (9000, 9200))],
                0.5,
                PassageKind::Paraphrase,
            ),
        ];
        merge_overlapping(&mut out, &cfg);
        let got: Vec<(usize, usize, usize)> = out
            .iter()
            .map(|p| (p.query_span.start, p.query_span.end, p.links.len()))
            .collect();
        assert_eq!(got, [(0, 300, 2), (250, 400, 1)]);
    }

    #[test]
    fn run_lexical_compares_the_whole_runs() {
        let q = "Volcanic ash grounded flights. Airlines cancelled departures.";
        let s = "Airlines cancelled departures. Volcanic ash grounded flights.";
        let (qa, sa, sim) = pair(q, s);
        // two crossed links: the runs are the same words
        let p = passage(
            vec![
                sentence_link(&qa, &sa, 0..1, 1..2, 1.0),
                sentence_link(&qa, &sa, 1..2, 0..1, 1.0),
            ],
            1.0,
            PassageKind::Verbatim,
        );
        assert!((run_lexical(&sim, &p) - 1.0).abs() < 1e-5);
        let mut empty = passage(vec![link((0, 1), (0, 1))], 1.0, PassageKind::Verbatim);
        empty.links.clear();
        assert_eq!(run_lexical(&sim, &empty), 0.0);
    }
}
