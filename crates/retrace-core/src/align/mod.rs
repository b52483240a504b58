//! Stage 5 of the pipeline: align a suspect with one source.
//!
//! In: the two [`Analysis`]es and their [`PairSimilarity`]. Out: the
//! reused [`AlignedPassage`]s, each a maximal region of the suspect with the
//! source region it was taken from, and the sentence-level [`AlignedLink`]s
//! inside.
//!
//! [`align()`] runs these phases, one module each (each module's opening
//! comment says what goes in and what comes out):
//! 1. **Seeds** (`seeds`). Every suspect sentence is scored against every
//!    source sentence (through an inverted index over weighted terms, plus
//!    the embeddings when a model is present). A pair scoring at least
//!    [`AlignConfig::seed_min`] is a seed.
//! 2. **Support** (`support`). A weaker pair (at least
//!    [`AlignConfig::support_min`]) is accepted when a neighbouring suspect
//!    sentence is already linked to a nearby source sentence in a
//!    consistent direction: reworded prose keeps its order locally even
//!    where paragraphs move.
//! 3. **Links** (`links`). Consecutive suspect sentences drawn from one
//!    source sentence form one link (a split); a suspect sentence that
//!    matches two adjacent source sentences better than either alone takes
//!    both (a merge); a long sentence condensing several source sentences
//!    stands for them (a summary window).
//! 4. **Passages** (`passages`, with `edges` for where each passage starts
//!    and ends, and `literal` for the exact bounds of copied text). Links
//!    close to each other on both sides are merged into passages,
//!    tolerating gaps (added or dropped sentences) and local reordering; an
//!    isolated weak link is dropped. Each passage is classified (verbatim,
//!    near-verbatim, paraphrase, summary; `classify`).
//! 5. **Rescue** (`rescue`). Phases 1-4 are one pass; when it finds
//!    nothing, a second pass with relaxed thresholds runs instead, and a
//!    summary takes in what the relaxed pass finds over it. Passages whose
//!    whole runs share too few words are dropped.
//! 6. **Word windows** (`window`). Text whose sentence breaks were lost or
//!    shuffled is found by windows of content words instead of sentences:
//!    new passages where sentence alignment found nothing, wider edges
//!    where it stopped short.
//!
//! Across sources (one suspect compared with several), [`attribute()`]
//! credits each suspect region to the source it matches best.

mod attribute;
mod classify;
mod edges;
mod links;
mod literal;
mod passages;
mod rescue;
mod seeds;
mod spans;
mod support;
#[cfg(test)]
mod testing;
mod window;

pub use crate::report::PassageKind;
pub use attribute::attribute;
pub use classify::classify;
pub use literal::{literal_runs, LiteralRun};

use std::ops::Range;

use crate::features::PairSimilarity;
use crate::text::{Analysis, Span};
use crate::tuning;

/// Tuning of the aligner, every field a knob for experiments (the CLI's
/// hidden `--align-config '{json}'` sets them by name). The defaults are
/// the engine's documented defaults (tuned on the PAN 2013 training corpus
/// and on hand-written rewrites); each is a constant of the crate's one
/// table of tuned numbers (`tuning.rs`), named after its field, with where
/// it was tuned. Most users want [`crate::Options`] instead.
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
            candidate_min: tuning::seeds::CANDIDATE_MIN,
            seed_min: tuning::seeds::SEED_MIN,
            seed_lexical_min: tuning::seeds::SEED_LEXICAL_MIN,
            support_min: tuning::support::SUPPORT_MIN,
            support_window: tuning::support::SUPPORT_WINDOW,
            reorder_support_min: tuning::support::REORDER_SUPPORT_MIN,
            reorder_anchor_min: tuning::support::REORDER_ANCHOR_MIN,
            merge_gain: tuning::links::MERGE_GAIN,
            merge_free_ratio: tuning::links::MERGE_FREE_RATIO,
            bridge_min: tuning::support::BRIDGE_MIN,
            max_query_gap: tuning::passages::MAX_QUERY_GAP,
            max_source_gap: tuning::passages::MAX_SOURCE_GAP,
            run_lexical_min: tuning::rescue::RUN_LEXICAL_MIN,
            summary_run_lexical_min: tuning::rescue::SUMMARY_RUN_LEXICAL_MIN,
            isolated_min: tuning::passages::ISOLATED_MIN,
            min_passage_chars: tuning::passages::MIN_PASSAGE_CHARS,
            min_condensed_chars: tuning::passages::MIN_CONDENSED_CHARS,
            strong_min: tuning::passages::STRONG_MIN,
            min_strong_chars: tuning::passages::MIN_STRONG_CHARS,
            edge_trim_ratio: tuning::edges::EDGE_TRIM_RATIO,
            edge_trim_length_ratio: tuning::edges::EDGE_TRIM_LENGTH_RATIO,
            summary_min_terms: tuning::links::SUMMARY_MIN_TERMS,
            summary_containment: tuning::links::SUMMARY_CONTAINMENT,
            summary_max_window: tuning::links::SUMMARY_MAX_WINDOW,
            summary_ratio: tuning::passages::SUMMARY_RATIO,
            summary_split_ratio: tuning::passages::SUMMARY_SPLIT_RATIO,
            summary_whole_share: tuning::passages::SUMMARY_WHOLE_SHARE,
            summary_core_share: tuning::passages::SUMMARY_CORE_SHARE,
            summary_core_width: tuning::passages::SUMMARY_CORE_WIDTH,
            literal_min: tuning::edges::LITERAL_MIN,
            semantic_support_min: tuning::support::SEMANTIC_SUPPORT_MIN,
            title_semantic_min: tuning::links::TITLE_SEMANTIC_MIN,
            grow_min: tuning::edges::GROW_MIN,
            grow_steps: tuning::edges::GROW_STEPS,
            literal_min_words: tuning::literal::LITERAL_MIN_WORDS,
            literal_max_gap: tuning::literal::LITERAL_MAX_GAP,
            literal_share: tuning::literal::LITERAL_SHARE,
            minor_share: tuning::passages::MINOR_SHARE,
            minor_distance: tuning::passages::MINOR_DISTANCE,
            minor_keep_lexical: tuning::passages::MINOR_KEEP_LEXICAL,
            focus_ratio: tuning::edges::FOCUS_RATIO,
            focus_share: tuning::edges::FOCUS_SHARE,
            focus_wide_ratio: tuning::edges::FOCUS_WIDE_RATIO,
            focus_wide_share: tuning::edges::FOCUS_WIDE_SHARE,
            snap_source_chars: tuning::edges::SNAP_SOURCE_CHARS,
            attribute: tuning::attribute::ATTRIBUTE,
            attribution_margin: tuning::attribute::ATTRIBUTION_MARGIN,
            attribution_overlap: tuning::attribute::ATTRIBUTION_OVERLAP,
            rescue: tuning::rescue::RESCUE,
            rescue_seed_min: tuning::rescue::RESCUE_SEED_MIN,
            rescue_seed_lexical_min: tuning::rescue::RESCUE_SEED_LEXICAL_MIN,
            rescue_isolated_min: tuning::rescue::RESCUE_ISOLATED_MIN,
            rescue_min_passage_chars: tuning::rescue::RESCUE_MIN_PASSAGE_CHARS,
            rescue_keep_min: tuning::rescue::RESCUE_KEEP_MIN,
            rescue_keep_lexical: tuning::rescue::RESCUE_KEEP_LEXICAL,
            rescue_keep_run_lexical: tuning::rescue::RESCUE_KEEP_RUN_LEXICAL,
            summary_extend: tuning::rescue::SUMMARY_EXTEND,
            window_words: tuning::window::WINDOW_WORDS,
            window_seed_min: tuning::window::WINDOW_SEED_MIN,
            window_min_seeds: tuning::window::WINDOW_MIN_SEEDS,
            window_keep_min: tuning::window::WINDOW_KEEP_MIN,
            window_extend: tuning::window::WINDOW_EXTEND,
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
    // 1-4. seeds, support, links, passages
    let mut out = align_pass(q, s, sim, cfg);
    // 5. rescue: a relaxed pass in place of an empty one, or over summaries
    let rescued = rescue::rescue(q, s, sim, cfg, &mut out);
    rescue::keep_shared_vocabulary(&mut out, sim, cfg, rescued);
    // 6. word windows
    window::window_passages(q, s, cfg, &mut out);
    passages::merge_overlapping(&mut out, cfg);
    edges::snap_reworded(s, &mut out, cfg);
    // 7. every link inside its passage (a passage fitted to a literal run
    // can end inside its last link's sentence)
    for p in &mut out {
        clip_links(p);
    }
    out
}

/// Clips a passage's links to its spans on both sides.
fn clip_links(p: &mut AlignedPassage) {
    let clip = |x: Span, to: Span| {
        let start = x.start.clamp(to.start, to.end);
        Span::new(start, x.end.clamp(start, to.end))
    };
    for l in &mut p.links {
        l.query_span = clip(l.query_span, p.query_span);
        l.source_span = clip(l.source_span, p.source_span);
    }
}

/// What every phase of one pass reads: the two texts, their similarity,
/// the pass's settings, and the two headlines (which pair only with each
/// other).
struct Pass<'a> {
    q: &'a Analysis,
    s: &'a Analysis,
    sim: &'a PairSimilarity,
    cfg: &'a AlignConfig,
    q_title: Option<usize>,
    s_title: Option<usize>,
}

impl<'a> Pass<'a> {
    fn new(
        q: &'a Analysis,
        s: &'a Analysis,
        sim: &'a PairSimilarity,
        cfg: &'a AlignConfig,
    ) -> Self {
        Pass {
            q,
            s,
            sim,
            cfg,
            q_title: q.title(),
            s_title: s.title(),
        }
    }

    /// Number of suspect sentences.
    fn nq(&self) -> usize {
        self.q.sentences.len()
    }

    /// Number of source sentences.
    fn ns(&self) -> usize {
        self.s.sentences.len()
    }
}

/// One alignment pass: seeds, support, links, passages.
fn align_pass(
    q: &Analysis,
    s: &Analysis,
    sim: &PairSimilarity,
    cfg: &AlignConfig,
) -> Vec<AlignedPassage> {
    if q.sentences.is_empty() || s.sentences.is_empty() {
        return Vec::new();
    }
    let p = Pass::new(q, s, sim, cfg);
    // 1. seeds
    let cands = seeds::candidates(&p);
    let mut chosen = seeds::seeds(&p, &cands);
    seeds::reseed(&p, &cands, &mut chosen);
    seeds::pair_seeds(&p, &cands, &mut chosen);
    // 2. support
    support::support(&p, &cands, &mut chosen);
    support::bridges(&p, &cands, &mut chosen);
    // 3. links
    let windows = links::summary_windows(&p, &cands, &chosen);
    let mut links = links::links(&p, &chosen, &windows);
    links::headline(&p, &mut links);
    // 4. passages
    let mut groups = passages::group(links, cfg);
    passages::merge_close(&mut groups, cfg);
    passages::merge_summaries(&p, &mut groups);
    let mut out: Vec<AlignedPassage> = groups
        .into_iter()
        .filter_map(|links| passages::finish(&p, links))
        .collect();
    literal::apply_literal_runs(q, s, &mut out, cfg);
    passages::drop_minor(&mut out, sim, cfg);
    out
}
