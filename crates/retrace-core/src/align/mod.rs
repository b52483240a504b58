//! Stage 5 of the pipeline: align a suspect with one source.
//!
//! In: the two [`Analysis`]es and their [`PairSimilarity`]. Out: the reused
//! [`AlignedPassage`]s, each a maximal region of the suspect with the source
//! region it was taken from, and the sentence-level [`AlignedLink`]s inside.
//!
//! The method, in four steps:
//! 1. **Seeds.** Every suspect sentence is scored against every source
//!    sentence (through an inverted index over weighted terms, plus the
//!    embeddings when a model is present). A pair scoring at least
//!    [`AlignConfig::seed_min`] is a seed.
//! 2. **Support.** A weaker pair (at least [`AlignConfig::support_min`]) is
//!    accepted when a neighbouring suspect sentence is already linked to a
//!    nearby source sentence in a consistent direction: reworded prose keeps
//!    its order locally even where paragraphs move.
//! 3. **Links.** Consecutive suspect sentences drawn from one source
//!    sentence form one link (a split); a suspect sentence that matches two
//!    adjacent source sentences better than either alone takes both (a
//!    merge).
//! 4. **Passages.** Links close to each other on both sides are merged into
//!    passages, tolerating gaps (added or dropped sentences) and local
//!    reordering; an isolated weak link is dropped. Each passage is
//!    classified (verbatim, near-verbatim, paraphrase, summary).
//! 5. **Word windows** (the `window` module). Text whose sentence breaks were lost or
//!    shuffled is found by windows of content words instead of sentences:
//!    new passages where sentence alignment found nothing, wider edges
//!    where it stopped short.

mod attribute;
mod classify;
mod literal;
mod window;

pub use crate::report::PassageKind;
pub use attribute::attribute;
pub use classify::classify;
pub use literal::{literal_runs, LiteralRun};

use std::ops::Range;

use crate::features::PairSimilarity;
use crate::text::{Analysis, Span, Token};

/// Tuning of the aligner. The defaults are the engine's documented defaults
/// (tuned on the PAN 2013 training corpus and on hand-written rewrites).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlignConfig {
    /// Pairs scoring below this are not considered at all.
    pub candidate_min: f32,
    /// A pair scoring at least this is linked on its own.
    pub seed_min: f32,
    /// ...and its lexical score alone must reach this.
    pub seed_lexical_min: f32,
    /// A pair scoring at least this is linked when a neighbour supports it.
    pub support_min: f32,
    /// How many suspect sentences away a supporting link may be.
    pub support_window: usize,
    /// A pair scoring at least this is linked when a neighbour is linked
    /// (with at least `reorder_anchor_min`) to a nearby source sentence in
    /// either direction: rewrites reorder sentences locally, against the
    /// direction `support_min` asks for (above 1 disables).
    pub reorder_support_min: f32,
    /// See [`AlignConfig::reorder_support_min`].
    pub reorder_anchor_min: f32,
    /// How much a merged source run must gain over a single sentence.
    pub merge_gain: f32,
    /// While a link's source run is shorter than this share of its suspect
    /// run (characters), it takes in a neighbouring source sentence on any
    /// gain, not only on `merge_gain`: a long suspect sentence that lost its
    /// sentence breaks draws on several source sentences.
    pub merge_free_ratio: f32,
    /// A sentence between two linked neighbours is linked to the source
    /// sentence between theirs when it scores at least this.
    pub bridge_min: f32,
    /// Largest gap (characters) inside a passage on the suspect side.
    pub max_query_gap: usize,
    /// Largest gap (characters) inside a passage on the source side.
    pub max_source_gap: usize,
    /// A passage needs at least this lexical cosine between its whole
    /// suspect run and its whole source run (the sentences its links span):
    /// reworded reuse keeps most of its vocabulary across a passage, chance
    /// matches between texts on one topic do not add up to it.
    pub run_lexical_min: f32,
    /// The same for a summary passage (a summary keeps fewer of the words).
    pub summary_run_lexical_min: f32,
    /// A passage made of a single link needs at least this similarity.
    pub isolated_min: f32,
    /// Passages shorter than this (suspect characters) are dropped unless
    /// they are strong (see `strong_min`).
    pub min_passage_chars: usize,
    /// A passage whose source side reaches `min_passage_chars` may have a
    /// suspect side down to this many characters: a rewrite that drops
    /// words is shorter than its source (0: no exception; a word-window
    /// extension needs `min_passage_chars` on both sides).
    pub min_condensed_chars: usize,
    /// A short passage is kept when its similarity reaches this...
    pub strong_min: f32,
    /// ...and it is at least this long (suspect characters).
    pub min_strong_chars: usize,
    /// Edge links below this share of the passage's median similarity (and
    /// below `seed_min`) are trimmed off.
    pub edge_trim_ratio: f32,
    /// A non-literal edge link whose source run goes backwards against its
    /// neighbour's is trimmed off (a stray match of topical words).
    pub edge_trim_crossing: bool,
    /// A non-literal edge link whose suspect side is more than this many
    /// times longer than its source side is trimmed off (0 disables; the
    /// other way round is how summaries look).
    pub edge_trim_length_ratio: f32,
    /// A summary sentence needs at least this many distinct content words.
    pub summary_min_terms: usize,
    /// Share of a summary sentence's term weight found in the source window.
    pub summary_containment: f32,
    /// Largest source window (sentences) a summary sentence may stand for.
    pub summary_max_window: usize,
    /// Neighbouring suspect passages merge into a summary when the suspect
    /// side is shorter than this share of the source stretch.
    pub summary_ratio: f32,
    /// Two neighbouring passages whose sources lie in the reverse order and
    /// whose source sides are each at most this many times their suspect
    /// side (both at least `min_passage_chars`) stay two passages instead of
    /// merging into a summary (0 disables).
    pub summary_split_ratio: f32,
    /// A summary whose source stretch covers at least this share of the
    /// source stands for the whole source.
    pub summary_whole_share: f32,
    /// A would-be summary whose links (by suspect length) lie at least this
    /// share in a source stretch hardly longer than its suspect side (see
    /// [`AlignConfig::summary_core_width`])
    /// is a reworded passage with stray links far off: the strays are
    /// dropped and it is classified again (above 1 disables).
    pub summary_core_share: f32,
    /// How much longer than its suspect side (times) the source stretch of
    /// [`AlignConfig::summary_core_share`] may be.
    pub summary_core_width: f32,
    /// Links at least this similar are literal copies: their edges are never
    /// trimmed or refocused.
    pub literal_min: f32,
    /// With a sentence model: embedding cosine at which a neighbour-supported
    /// pair is linked even without shared words.
    pub semantic_support_min: f32,
    /// Embedding cosine at which two headlines are linked (when the bodies
    /// below them were reused).
    pub title_semantic_min: f32,
    /// An edge sentence whose content words are at least this share found
    /// next to the passage's edge on the other side joins the passage.
    pub grow_min: f32,
    /// How many sentences a passage edge may grow by.
    pub grow_steps: usize,
    /// Shortest literal run (identical words) used to fix passage bounds or
    /// to report copied text found outside sentence alignment; 0 disables.
    pub literal_min_words: usize,
    /// Words that may differ between two literal runs joined into one.
    pub literal_max_gap: usize,
    /// A passage whose suspect side is at least this share literal takes the
    /// exact bounds of its literal runs.
    pub literal_share: f32,
    /// Passages weighing less than this share of the pair's strongest
    /// passage (similarity x length) are dropped (0 keeps all)...
    pub minor_share: f32,
    /// ...unless they lie within this many suspect characters of it...
    pub minor_distance: usize,
    /// ...or are reworded (not all literal), of several links, and reach this
    /// run-level lexical cosine (see `run_lexical_min`).
    pub minor_keep_lexical: f32,
    /// An edge link whose one side is more than this many times longer than
    /// the other has that side's outer edge moved to where the shared words
    /// concentrate (0 disables).
    pub focus_ratio: f32,
    /// ...provided at least this share of the shared words lie there.
    pub focus_share: f32,
    /// A source side more than this many times its suspect side is cut to
    /// where the shared words concentrate at the lower share
    /// [`AlignConfig::focus_wide_share`]: keeping the whole of it is surely
    /// wrong.
    pub focus_wide_ratio: f32,
    /// See [`AlignConfig::focus_wide_ratio`].
    pub focus_wide_share: f32,
    /// A reworded passage's source edge that falls inside a sentence at
    /// most this many characters from the sentence's own edge moves out to
    /// it (0 disables): word-level edges (word windows, refocused links)
    /// stop at the first shared word, while reuse takes whole sentences.
    pub snap_source_chars: usize,
    /// The same for the suspect side.
    pub snap_query_chars: usize,
    /// Attribution across sources (when one suspect is compared with
    /// several): a passage is credited only to the source it matches best
    /// (see [`attribute()`]).
    pub attribute: bool,
    /// A passage stays with its source unless another source's passage over
    /// the same suspect region is more similar by more than this.
    pub attribution_margin: f32,
    /// Share of a passage's suspect side another source's passage must
    /// cover to compete with it.
    pub attribution_overlap: f32,
    /// Rescue pass: when the first pass finds nothing, align once more with
    /// the relaxed `rescue_*` thresholds below (heavily reworded reuse whose
    /// sentences each fall short of a seed) and keep passages reaching
    /// `rescue_keep_min`.
    pub rescue: bool,
    /// Rescue pass: `seed_min`.
    pub rescue_seed_min: f32,
    /// Rescue pass: `seed_lexical_min`.
    pub rescue_seed_lexical_min: f32,
    /// Rescue pass: `isolated_min`.
    pub rescue_isolated_min: f32,
    /// Rescue pass: `min_passage_chars`.
    pub rescue_min_passage_chars: usize,
    /// A rescued passage needs at least this similarity...
    pub rescue_keep_min: f32,
    /// ...and at least this lexical cosine between its whole suspect run and
    /// its whole source run.
    pub rescue_keep_lexical: f32,
    /// A rescued passage below `rescue_keep_min` is kept all the same when
    /// its whole runs reach this lexical cosine: shuffled or heavily reworded
    /// text matches weakly sentence by sentence but keeps its vocabulary
    /// across the passage (above 1 disables).
    pub rescue_keep_run_lexical: f32,
    /// A summary passage takes in the passages that a pass with the relaxed
    /// `rescue_*` thresholds finds overlapping it on both sides: a summary's
    /// sentences each match weakly, so the first pass finds only part of it.
    pub summary_extend: bool,
    /// Word-window detection (see `window`): window size in content words
    /// (0 disables).
    pub window_words: usize,
    /// A suspect window and a source window at least this similar (tf-isf
    /// cosine) seed a region.
    pub window_seed_min: f32,
    /// Fewest seeds a region needs.
    pub window_min_seeds: usize,
    /// A region becomes a passage when its whole suspect and source
    /// stretches reach this cosine.
    pub window_keep_min: f32,
    /// A region overlapping a reworded (paraphrase or summary) passage on
    /// both sides extends it to the region's dense edges.
    pub window_extend: bool,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            candidate_min: 0.08,
            seed_min: 0.46,
            seed_lexical_min: 0.38,
            support_min: 0.2,
            support_window: 2,
            reorder_support_min: 0.3,
            reorder_anchor_min: 0.35,
            merge_gain: 0.03,
            merge_free_ratio: 0.8,
            bridge_min: 0.1,
            max_query_gap: 300,
            max_source_gap: 900,
            run_lexical_min: 0.25,
            summary_run_lexical_min: 0.2,
            isolated_min: 0.5,
            min_passage_chars: 170,
            min_condensed_chars: 140,
            strong_min: 0.75,
            min_strong_chars: 40,
            edge_trim_ratio: 0.4,
            edge_trim_crossing: false,
            edge_trim_length_ratio: 4.0,
            summary_min_terms: 8,
            summary_containment: 0.6,
            summary_max_window: 12,
            summary_ratio: 0.35,
            summary_split_ratio: 2.0,
            summary_whole_share: 0.3,
            summary_core_share: 0.85,
            summary_core_width: 2.0,
            literal_min: 0.8,
            semantic_support_min: 0.45,
            title_semantic_min: 0.3,
            grow_min: 0.5,
            grow_steps: 3,
            literal_min_words: 8,
            literal_max_gap: 3,
            literal_share: 0.8,
            minor_share: 0.3,
            minor_distance: 1500,
            minor_keep_lexical: 0.6,
            focus_ratio: 1.5,
            focus_share: 0.7,
            focus_wide_ratio: 3.0,
            focus_wide_share: 0.5,
            snap_source_chars: 80,
            snap_query_chars: 0,
            attribute: true,
            attribution_margin: 0.02,
            attribution_overlap: 0.5,
            rescue: true,
            rescue_seed_min: 0.3,
            rescue_seed_lexical_min: 0.25,
            rescue_isolated_min: 0.4,
            rescue_min_passage_chars: 120,
            rescue_keep_min: 0.25,
            rescue_keep_lexical: 0.3,
            rescue_keep_run_lexical: 0.4,
            summary_extend: true,
            window_words: 16,
            window_seed_min: 0.3,
            window_min_seeds: 3,
            window_keep_min: 0.42,
            window_extend: true,
        }
    }
}

impl AlignConfig {
    /// Whether a passage with these suspect and source lengths (characters)
    /// is long enough: `min_passage_chars` on both sides, or a condensed
    /// rewrite (see [`AlignConfig::min_condensed_chars`]).
    fn long_enough(&self, q_chars: usize, s_chars: usize) -> bool {
        q_chars.min(s_chars) >= self.min_passage_chars
            || (self.min_condensed_chars > 0
                && q_chars >= self.min_condensed_chars
                && s_chars >= self.min_passage_chars)
    }

    /// The settings of the relaxed pass: these, with the `rescue_*`
    /// thresholds in place of the first pass's.
    fn relaxed(&self) -> AlignConfig {
        AlignConfig {
            seed_min: self.rescue_seed_min,
            seed_lexical_min: self.rescue_seed_lexical_min,
            isolated_min: self.rescue_isolated_min,
            min_passage_chars: self.rescue_min_passage_chars,
            ..self.clone()
        }
    }
}

/// A fine correspondence: suspect sentence(s) and the source sentence(s)
/// they were rewritten from.
#[derive(Debug, Clone)]
pub struct AlignedLink {
    /// Suspect sentence indices.
    pub query: Range<usize>,
    /// Source sentence indices.
    pub source: Range<usize>,
    /// Byte span in the suspect text.
    pub query_span: Span,
    /// Byte span in the source text.
    pub source_span: Span,
    /// Similarity of the two runs.
    pub similarity: f32,
}

/// A maximal reused region.
#[derive(Debug, Clone)]
pub struct AlignedPassage {
    /// Byte span in the suspect text.
    pub query_span: Span,
    /// Byte span in the source text.
    pub source_span: Span,
    /// Length-weighted mean similarity of its links.
    pub similarity: f32,
    /// How the passage was reused.
    pub kind: PassageKind,
    /// The links inside, in suspect order.
    pub links: Vec<AlignedLink>,
}

/// Aligns a suspect with a source: one pass with the configured thresholds
/// and, when it finds nothing, a relaxed rescue pass (see
/// [`AlignConfig::rescue`]).
pub fn align(
    q: &Analysis,
    s: &Analysis,
    sim: &PairSimilarity,
    cfg: &AlignConfig,
) -> Vec<AlignedPassage> {
    let mut out = align_pass(q, s, sim, cfg);
    let mut rescued = false;
    if out.is_empty() {
        if cfg.rescue {
            out = align_pass(q, s, sim, &cfg.relaxed());
            rescued = true;
        }
    } else if cfg.summary_extend && out.iter().any(|p| p.kind == PassageKind::Summary) {
        let extra = align_pass(q, s, sim, &cfg.relaxed());
        for p in out.iter_mut().filter(|p| p.kind == PassageKind::Summary) {
            for e in &extra {
                if e.query_span.overlap(&p.query_span) > 0
                    && e.source_span.overlap(&p.source_span) > 0
                {
                    p.query_span = p.query_span.cover(&e.query_span);
                    p.source_span = p.source_span.cover(&e.source_span);
                }
            }
        }
    }
    // a few chance sentence matches between texts on one topic do not add
    // up to reuse: the passage's whole runs must share vocabulary (a rescued
    // passage, found with relaxed thresholds, at least `rescue_keep_lexical`,
    // and it needs `rescue_keep_min` similarity unless its whole runs reach
    // `rescue_keep_run_lexical`)
    out.retain(|p| {
        let lexical = run_lexical(sim, p);
        let mut min = if p.kind == PassageKind::Summary {
            cfg.summary_run_lexical_min
        } else {
            cfg.run_lexical_min
        };
        if rescued {
            if p.similarity < cfg.rescue_keep_min && lexical < cfg.rescue_keep_run_lexical {
                return false;
            }
            min = min.max(cfg.rescue_keep_lexical);
        }
        lexical >= min
    });
    window::window_passages(q, s, cfg, &mut out);
    merge_overlapping(&mut out, cfg);
    for p in out
        .iter_mut()
        .filter(|p| matches!(p.kind, PassageKind::Paraphrase | PassageKind::Summary))
    {
        p.query_span = snap_to_sentences(q, p.query_span, cfg.snap_query_chars);
        p.source_span = snap_to_sentences(s, p.source_span, cfg.snap_source_chars);
    }
    out
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

/// Lexical cosine of a passage's whole suspect run with its whole source
/// run (the sentences its links span): reworded reuse keeps most of its
/// vocabulary across the passage even where single sentences match weakly,
/// while a few chance matches between unrelated texts do not add up.
fn run_lexical(sim: &PairSimilarity, p: &AlignedPassage) -> f32 {
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
/// source side: one reused region is reported once.
fn merge_overlapping(out: &mut Vec<AlignedPassage>, cfg: &AlignConfig) {
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

/// One alignment pass: seeds, support, links, passages.
fn align_pass(
    q: &Analysis,
    s: &Analysis,
    sim: &PairSimilarity,
    cfg: &AlignConfig,
) -> Vec<AlignedPassage> {
    let nq = q.sentences.len();
    let ns = s.sentences.len();
    if nq == 0 || ns == 0 {
        return Vec::new();
    }
    // 1. candidates per suspect sentence, best first
    let mut cands: Vec<Vec<(usize, f32)>> = vec![Vec::new(); nq];
    // titles (headlines) pair only with each other; see below
    let (q_title, s_title) = (q.title(), s.title());
    for (i, j, sc) in sim.candidates(cfg.candidate_min) {
        if Some(i) == q_title || Some(j) == s_title {
            continue;
        }
        cands[i].push((j, sc));
    }
    // a suspect sentence that merges two source sentences matches their
    // run better than either one: score candidates on the best run
    for (i, c) in cands.iter_mut().enumerate() {
        for e in c.iter_mut() {
            let j = e.0;
            if j + 1 < ns && Some(j + 1) != s_title {
                e.1 = e.1.max(sim.score(i..i + 1, j..j + 2) - cfg.merge_gain);
            }
            if j > 0 && Some(j - 1) != s_title {
                e.1 = e.1.max(sim.score(i..i + 1, j - 1..j + 1) - cfg.merge_gain);
            }
        }
        c.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    let mut chosen: Vec<Option<(usize, f32)>> = vec![None; nq];
    for i in 0..nq {
        // a seed stands on its own, so it needs shared words as well as a
        // high combined score; meaning alone only counts next to a seed
        if let Some(&(j, sc)) = cands[i].iter().take(3).find(|&&(j, sc)| {
            sc >= cfg.seed_min && seed_lexical(sim, i, j, ns) >= cfg.seed_lexical_min
        }) {
            chosen[i] = Some((j, sc));
        }
    }
    // a seed that is far off every neighbour's diagonal while a supported
    // alternative exists is replaced by the alternative (repeated sentences)
    for i in 0..nq {
        if let Some((j, _)) = chosen[i] {
            if !supported(&chosen, i, j, cfg.support_window) {
                if let Some(&(j2, sc2)) = cands[i].iter().skip(1).find(|&&(j2, sc2)| {
                    sc2 >= cfg.seed_min && supported(&chosen, i, j2, cfg.support_window)
                }) {
                    chosen[i] = Some((j2, sc2));
                }
            }
        }
    }
    // pair seeds: two neighbouring weak pairs in a consistent direction
    // whose runs together score like a seed support each other
    for i in 0..nq.saturating_sub(1) {
        if chosen[i].is_some() || chosen[i + 1].is_some() {
            continue;
        }
        let mut best: Option<(usize, usize, f32, f32, f32)> = None;
        for &(j, a) in cands[i].iter().filter(|c| c.1 >= cfg.support_min).take(3) {
            for &(j2, b) in cands[i + 1]
                .iter()
                .filter(|c| c.1 >= cfg.support_min)
                .take(3)
            {
                if j2 < j || j2 > j + 2 {
                    continue;
                }
                let run = sim.score(i..i + 2, j..j2 + 1);
                if run >= cfg.seed_min && best.is_none_or(|x| run > x.4) {
                    best = Some((j, j2, a, b, run));
                }
            }
        }
        if let Some((j, j2, a, b, _)) = best {
            chosen[i] = Some((j, a));
            chosen[i + 1] = Some((j2, b));
        }
    }
    // 2. support: accept weaker pairs next to accepted ones
    for _ in 0..4 {
        let mut changed = false;
        for i in 0..nq {
            if chosen[i].is_some() {
                continue;
            }
            if let Some(&(j, sc)) = cands[i].iter().find(|&&(j, sc)| {
                (sc >= cfg.support_min && supported(&chosen, i, j, cfg.support_window))
                    || (sc >= cfg.reorder_support_min
                        && near(&chosen, i, j, cfg.support_window, cfg.reorder_anchor_min))
            }) {
                chosen[i] = Some((j, sc));
                changed = true;
                continue;
            }
            // meaning without shared words: with a sentence model, a
            // neighbour-supported pair whose embeddings agree strongly
            if Some(i) == q_title {
                continue;
            }
            if let Some((j, sc)) = semantic_support(sim, &chosen, i, ns, s_title, cfg) {
                chosen[i] = Some((j, sc));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // bridges: a sentence between two linked neighbours whose source
    // sentences leave exactly the room for it takes the sentence between
    // (also when it was linked far off: a stray match of a few words, often
    // in a short source sentence, loses to the order of its neighbours)
    for i in 1..nq.saturating_sub(1) {
        if let (Some((j, _)), Some((a, _)), Some((b, _))) =
            (chosen[i], chosen[i - 1], chosen[i + 1])
        {
            if !(b >= a + 2 && b <= a + 3 && (j + 1 < a || j > b + 1)) {
                continue;
            }
        } else if chosen[i].is_some() {
            continue;
        }
        if let (Some((a, _)), Some((b, _))) = (chosen[i - 1], chosen[i + 1]) {
            if b >= a + 2 && b <= a + 3 {
                if let Some(&(j, sc)) = cands[i]
                    .iter()
                    .find(|&&(j, sc)| j > a && j < b && sc >= cfg.bridge_min)
                {
                    chosen[i] = Some((j, sc));
                }
            }
        }
    }
    // summaries: a long suspect sentence whose content words are mostly
    // found in a window of several source sentences stands for that window
    let mut windows: Vec<Option<(Range<usize>, f32)>> = vec![None; nq];
    for i in 0..nq {
        if chosen[i].is_some() || sim.query_terms(i..i + 1) < cfg.summary_min_terms {
            continue;
        }
        let mut starts: Vec<usize> = cands[i].iter().map(|c| c.0).collect();
        starts.sort_unstable();
        let mut best: Option<(Range<usize>, f32)> = None;
        for &a in &starts {
            for b in a + 3..=(a + cfg.summary_max_window).min(ns) {
                let c = sim.containment(i..i + 1, a..b) - 0.01 * (b - a) as f32;
                if best.as_ref().is_none_or(|x| c > x.1) {
                    best = Some((a..b, c));
                }
            }
        }
        if let Some((w, c)) = best {
            let w = trim_window(sim, i, w);
            if c >= cfg.summary_containment
                && w.len() >= 3
                && sim.score(i..i + 1, w.clone()) >= cfg.support_min
            {
                windows[i] = Some((w, c));
            }
        }
    }
    // 3. links: runs of suspect sentences on one source sentence, then merges
    let mut claimed = vec![false; ns];
    for c in chosen.iter().flatten() {
        claimed[c.0] = true;
    }
    let mut links: Vec<AlignedLink> = Vec::new();
    let mut i = 0;
    while i < nq {
        if let Some((w, _)) = windows[i].clone() {
            let sc = sim.score(i..i + 1, w.clone());
            links.push(AlignedLink {
                query_span: run_span(q, i..i + 1),
                source_span: run_span(s, w.clone()),
                query: i..i + 1,
                source: w,
                similarity: sc.min(1.0),
            });
            i += 1;
            continue;
        }
        let Some((j, _)) = chosen[i] else {
            i += 1;
            continue;
        };
        let mut k = i + 1;
        while k < nq && chosen[k].map(|c| c.0) == Some(j) {
            k += 1;
        }
        let qr = i..k;
        let mut sr = j..j + 1;
        let mut best = sim.score(qr.clone(), sr.clone());
        if k - i > 1 {
            // a split must beat its parts
            let single = (i..k)
                .map(|x| chosen[x].map_or(0.0, |c| c.1))
                .fold(0.0, f32::max);
            best = best.max(single);
        }
        // merges: grow the source run while it helps (any gain while the
        // source run is still much shorter than the suspect run: a long
        // suspect sentence that lost its sentence breaks)
        let q_bytes = run_span(q, qr.clone()).len();
        for _ in 0..8 {
            let mut grew = false;
            let short =
                (run_span(s, sr.clone()).len() as f32) < cfg.merge_free_ratio * q_bytes as f32;
            let gain = if short { 0.0 } else { cfg.merge_gain };
            if sr.start > 0 && !claimed[sr.start - 1] && Some(sr.start - 1) != s_title {
                let cand = sr.start - 1..sr.end;
                let sc = sim.score(qr.clone(), cand.clone());
                if sc > best + gain {
                    best = sc;
                    sr = cand;
                    grew = true;
                }
            }
            if sr.end < ns && !claimed[sr.end] && Some(sr.end) != s_title {
                let cand = sr.start..sr.end + 1;
                let sc = sim.score(qr.clone(), cand.clone());
                if sc > best + gain {
                    best = sc;
                    sr = cand;
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        // splits: an unlinked suspect sentence right after the run that
        // completes it (the rest of a split source sentence) joins the link
        let mut qr = qr;
        while qr.end < nq && chosen[qr.end].is_none() && Some(qr.end) != q_title {
            let cand = qr.start..qr.end + 1;
            let sc = sim.score(cand.clone(), sr.clone());
            let alone = sim.score(qr.end..qr.end + 1, sr.clone());
            let same_block = q.same_block(qr.end - 1, qr.end);
            if sc >= best - cfg.merge_gain
                && alone
                    >= if same_block {
                        cfg.bridge_min
                    } else {
                        cfg.support_min
                    }
            {
                best = best.max(sc);
                qr = cand;
            } else {
                break;
            }
        }
        let k = qr.end;
        for x in sr.clone() {
            claimed[x] = true;
        }
        links.push(AlignedLink {
            query_span: run_span(q, qr.clone()),
            source_span: run_span(s, sr.clone()),
            query: qr,
            source: sr,
            similarity: best.min(1.0),
        });
        i = k;
    }
    // a rewritten headline stands for the source's headline when the two
    // share meaning and the body below them was reused
    if let (Some(i), Some(j)) = (q_title, s_title) {
        let sc = sim.score(i..i + 1, j..j + 1);
        let sem = sim.semantic(i..i + 1, j..j + 1).unwrap_or(0.0);
        if !links.is_empty() && (sc >= cfg.bridge_min || sem >= cfg.title_semantic_min) {
            links.insert(
                0,
                AlignedLink {
                    query_span: run_span(q, i..i + 1),
                    source_span: run_span(s, j..j + 1),
                    query: i..i + 1,
                    source: j..j + 1,
                    similarity: sc.max(sem.min(1.0) * 0.5),
                },
            );
        }
    }
    // 4. passages
    let mut passages: Vec<Vec<AlignedLink>> = Vec::new();
    for l in links {
        match passages.last_mut() {
            Some(p) if close(p, &l, cfg) => p.push(l),
            _ => passages.push(vec![l]),
        }
    }
    // merge passages that turned out close on both sides
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
    // summaries: suspect passages next to each other whose sources lie far
    // apart form one passage when the suspect side is much shorter than the
    // source stretch it draws on (a summary condenses a whole stretch; an
    // extractive one copies a sentence here and there, so literal pieces
    // merge too)
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
    let mut out: Vec<AlignedPassage> = passages
        .into_iter()
        .filter_map(|links| finish_passage(q, s, sim, links, cfg))
        .collect();
    apply_literal_runs(q, s, &mut out, cfg);
    drop_minor(&mut out, sim, cfg);
    out
}

/// Drops passages far weaker than the strongest one of the pair (weight =
/// similarity x suspect length): incidental overlaps such as shared
/// boilerplate next to the real reuse.
fn drop_minor(out: &mut Vec<AlignedPassage>, sim: &PairSimilarity, cfg: &AlignConfig) {
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
            || (p.links.len() >= 2
                && p.links.iter().any(|l| l.similarity < cfg.literal_min)
                && run_lexical(sim, p) >= cfg.minor_keep_lexical)
    });
}

fn sentence_of_token(a: &Analysis, t: usize) -> usize {
    a.sentences
        .partition_point(|x| x.tokens.end <= t)
        .min(a.sentences.len().saturating_sub(1))
}

/// Literal runs fix the extent of copied text: a passage made mostly of
/// literal runs takes their exact bounds, a run that reaches beyond its
/// passage extends it, and a long run no passage found becomes a passage.
fn apply_literal_runs(
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
    for (k, r) in runs.iter().enumerate() {
        if used[k] || out.iter().any(|p| p.query_span.overlap(&r.query_span) > 0) {
            continue;
        }
        let chars = q.chars.char_of(r.query_span.end) - q.chars.char_of(r.query_span.start);
        if chars < cfg.min_passage_chars {
            continue;
        }
        let qr =
            sentence_of_token(q, r.q_tokens.start)..sentence_of_token(q, r.q_tokens.end - 1) + 1;
        let sr =
            sentence_of_token(s, r.s_tokens.start)..sentence_of_token(s, r.s_tokens.end - 1) + 1;
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
        out.push(AlignedPassage {
            query_span: r.query_span,
            source_span: r.source_span,
            similarity,
            kind,
            links: vec![link],
        });
    }
    out.sort_by_key(|p| p.query_span.start);
}

/// The best source sentence for suspect sentence `i` (which must lie between
/// linked neighbours) among those its neighbours point to, by embedding cosine, when it reaches
/// [`AlignConfig::semantic_support_min`].
fn semantic_support(
    sim: &PairSimilarity,
    chosen: &[Option<(usize, f32)>],
    i: usize,
    ns: usize,
    s_title: Option<usize>,
    cfg: &AlignConfig,
) -> Option<(usize, f32)> {
    let w = cfg.support_window;
    // only inside a reused region: linked neighbours on both sides
    let before = (i.saturating_sub(w)..i).any(|x| chosen[x].is_some());
    let after = (i + 1..=(i + w).min(chosen.len() - 1)).any(|x| chosen[x].is_some());
    if !(before && after) {
        return None;
    }
    let mut js: Vec<usize> = Vec::new();
    let lo = i.saturating_sub(w);
    for (i2, c) in chosen
        .iter()
        .enumerate()
        .take((i + w).min(chosen.len() - 1) + 1)
        .skip(lo)
    {
        if i2 == i {
            continue;
        }
        if let Some((j2, _)) = *c {
            if i2 < i {
                js.extend(j2..(j2 + w + 2).min(ns));
            } else {
                js.extend(j2.saturating_sub(w + 1)..=j2);
            }
        }
    }
    js.sort_unstable();
    js.dedup();
    let mut best: Option<(usize, f32)> = None;
    for j in js {
        if Some(j) == s_title || !supported(chosen, i, j, w) {
            continue;
        }
        let c = sim.semantic(i..i + 1, j..j + 1)?;
        if c >= cfg.semantic_support_min && best.is_none_or(|b| c > b.1) {
            best = Some((j, c));
        }
    }
    best.map(|(j, _)| (j, sim.score(i..i + 1, j..j + 1).max(cfg.support_min)))
}

/// Shrinks a summary window from both ends while containment holds.
fn trim_window(sim: &PairSimilarity, i: usize, mut w: Range<usize>) -> Range<usize> {
    let full = sim.containment(i..i + 1, w.clone());
    while w.len() > 3 && sim.containment(i..i + 1, w.start + 1..w.end) >= full - 1e-6 {
        w.start += 1;
    }
    while w.len() > 3 && sim.containment(i..i + 1, w.start..w.end - 1) >= full - 1e-6 {
        w.end -= 1;
    }
    w
}

/// The lexical score of a seed candidate, on its best run (merges count).
fn seed_lexical(sim: &PairSimilarity, i: usize, j: usize, ns: usize) -> f32 {
    let mut l = sim.lexical(i..i + 1, j..j + 1);
    if j + 1 < ns {
        l = l.max(sim.lexical(i..i + 1, j..j + 2));
    }
    if j > 0 {
        l = l.max(sim.lexical(i..i + 1, j - 1..j + 1));
    }
    l
}

/// The linked neighbours of suspect sentence `i` (at most `w` sentences
/// away), as `(suspect sentence, source sentence, score)`.
fn linked_neighbours(
    chosen: &[Option<(usize, f32)>],
    i: usize,
    w: usize,
) -> impl Iterator<Item = (usize, usize, f32)> + '_ {
    let hi = (i + w).min(chosen.len().saturating_sub(1));
    (i.saturating_sub(w)..=hi)
        .filter(move |&i2| i2 != i)
        .filter_map(move |i2| chosen[i2].map(|(j2, sc)| (i2, j2, sc)))
}

/// Whether linking suspect sentence `i` to source sentence `j` agrees with a
/// neighbour's link (within `w` sentences, in a consistent direction).
fn supported(chosen: &[Option<(usize, f32)>], i: usize, j: usize, w: usize) -> bool {
    linked_neighbours(chosen, i, w).any(|(i2, j2, _)| {
        let di = i2 as isize - i as isize;
        let dj = j2 as isize - j as isize;
        // same direction, at most w+1 source sentences apart; a split
        // (dj == 0) is allowed
        dj == 0 || (dj.signum() == di.signum() && dj.abs() <= w as isize + 1)
    })
}

/// Whether a neighbour of suspect sentence `i` (at most `w` away) is linked
/// with at least `min` to a source sentence at most `w + 1` from `j`, in
/// either direction (see [`AlignConfig::reorder_support_min`]).
fn near(chosen: &[Option<(usize, f32)>], i: usize, j: usize, w: usize, min: f32) -> bool {
    linked_neighbours(chosen, i, w).any(|(_, j2, sc)| j2.abs_diff(j) <= w + 1 && sc >= min)
}

fn run_span(a: &Analysis, r: Range<usize>) -> Span {
    a.sentences[r.start]
        .span
        .cover(&a.sentences[r.end - 1].span)
}

fn span_distance(a: Span, b: Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

fn cover(links: &[AlignedLink]) -> (Span, Span) {
    let mut q = links[0].query_span;
    let mut s = links[0].source_span;
    for l in &links[1..] {
        q = q.cover(&l.query_span);
        s = s.cover(&l.source_span);
    }
    (q, s)
}

fn close(p: &[AlignedLink], l: &AlignedLink, cfg: &AlignConfig) -> bool {
    let (q, s) = cover(p);
    span_distance(q, l.query_span) <= cfg.max_query_gap
        && span_distance(s, l.source_span) <= cfg.max_source_gap
}

fn passages_close(a: &[AlignedLink], b: &[AlignedLink], cfg: &AlignConfig) -> bool {
    let (qa, sa) = cover(a);
    let (qb, sb) = cover(b);
    span_distance(qa, qb) <= cfg.max_query_gap && span_distance(sa, sb) <= cfg.max_source_gap
}

/// Drops weak links at the ends of a passage: a link well below the
/// passage's typical similarity at its edge is more likely a neighbour that
/// slipped in through support than reused text.
fn trim_edges(mut links: Vec<AlignedLink>, cfg: &AlignConfig) -> Vec<AlignedLink> {
    if links.len() < 3 {
        return links;
    }
    let mut sims: Vec<f32> = links.iter().map(|l| l.similarity).collect();
    sims.sort_by(f32::total_cmp);
    let median = sims[sims.len() / 2];
    let weak = |l: &AlignedLink| l.similarity < cfg.seed_min.min(cfg.edge_trim_ratio * median);
    while links.len() > 2 && links.first().is_some_and(weak) {
        links.remove(0);
    }
    while links.len() > 2 && links.last().is_some_and(weak) {
        links.pop();
    }
    // stray edge links: a long suspect sentence matching a few topical words
    // of a short source sentence, or a source run out of the passage's order
    let stray = |l: &AlignedLink, crossing: bool| {
        if l.similarity >= cfg.literal_min {
            return false;
        }
        let (q, s) = (
            l.query_span.len().max(1) as f32,
            l.source_span.len().max(1) as f32,
        );
        (cfg.edge_trim_crossing && crossing)
            || (cfg.edge_trim_length_ratio > 0.0 && q > cfg.edge_trim_length_ratio * s)
    };
    while links.len() > 2 && stray(&links[0], links[0].source.start >= links[1].source.start) {
        links.remove(0);
    }
    while links.len() > 2 {
        let n = links.len();
        if !stray(
            &links[n - 1],
            links[n - 1].source.end <= links[n - 2].source.end,
        ) {
            break;
        }
        links.pop();
    }
    links
}

/// Moves the outer edges of a passage onto the first and last words that
/// both sides share: reused text often starts or ends inside a sentence.
/// Literal links match on word pairs, reworded ones on content words.
fn tighten(q: &Analysis, s: &Analysis, links: &mut [AlignedLink]) {
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
    if hits.len() < 2 {
        return None;
    }
    // reworded text may run longer than its source: a window of 1.6x
    let width = b.len() * 8 / 5 + 2;
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

/// Sub-sentence precision at a passage's outer edges: where an edge link's
/// side is much longer than the other side (a long sentence of which only a
/// part was reused, or a source run grown by a merge), that side's outer
/// edge moves to where the shared words concentrate.
fn focus_edges(q: &Analysis, s: &Analysis, links: &mut [AlignedLink], cfg: &AlignConfig) {
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
    if a.len() >= 2 && pair_hits * 2 >= a.len() - 1 {
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

/// Unshared words a reworded passage edge may carry before it is cut.
const UNSHARED_LEAD: usize = 6;

/// Fewest words [`focus_edges`] cuts off an edge (fewer is noise).
const FOCUS_MIN_CUT: usize = 8;

fn pair_key<'a>(x: &'a Token, y: &'a Token) -> (&'a str, &'a str) {
    (x.stem.as_str(), y.stem.as_str())
}

/// Grows a passage's edges over neighbouring sentences whose content words
/// are mostly found on the other side near that edge: reworded text often
/// regroups words across sentence boundaries, leaving an edge sentence that
/// matches no single sentence well.
fn grow_edges(
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
        if j < ns && Some(j) != s_title && sim.source_terms(j..j + 1) >= 3 {
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
            if Some(j) != s_title && sim.source_terms(j..j + 1) >= 3 {
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
        if i < nq && Some(i) != q_title && sim.query_terms(i..i + 1) >= 3 {
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
            if Some(i) != q_title && sim.query_terms(i..i + 1) >= 3 {
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

fn finish_passage(
    q: &Analysis,
    s: &Analysis,
    sim: &PairSimilarity,
    links: Vec<AlignedLink>,
    cfg: &AlignConfig,
) -> Option<AlignedPassage> {
    let mut links = links;
    links.sort_by_key(|l| l.query_span.start);
    let mut links = trim_edges(links, cfg);
    grow_edges(q, s, sim, &mut links, cfg);
    tighten(q, s, &mut links);
    let (qs, ss) = cover(&links);
    let total: usize = links.iter().map(|l| l.query_span.len().max(1)).sum();
    let similarity = links
        .iter()
        .map(|l| l.similarity * l.query_span.len().max(1) as f32)
        .sum::<f32>()
        / total as f32;
    if links.len() == 1 && links[0].similarity < cfg.isolated_min && links[0].source.len() < 3 {
        return None;
    }
    let q_chars = q.chars.char_of(qs.end) - q.chars.char_of(qs.start);
    let s_chars = s.chars.char_of(ss.end) - s.chars.char_of(ss.start);
    let chars = q_chars.min(s_chars);
    if !cfg.long_enough(q_chars, s_chars)
        && (chars < cfg.min_strong_chars || similarity < cfg.strong_min)
    {
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
        if links.len() >= 3
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

#[cfg(test)]
mod tests {
    use super::*;

    fn link(q: (usize, usize), s: (usize, usize)) -> AlignedLink {
        AlignedLink {
            query: 0..1,
            source: 0..1,
            query_span: Span::new(q.0, q.1),
            source_span: Span::new(s.0, s.1),
            similarity: 0.5,
        }
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
}
