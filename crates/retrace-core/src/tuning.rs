//! Every tuned number of the engine's similarity and alignment stages, in
//! one table.
//!
//! One module per stage, in pipeline order. Each constant says what it
//! does and where its value comes from:
//! - **pan13/train**: tuned on the PAN 2013 training corpus (never on
//!   pan13/test), with the commit that set the value and, where it says,
//!   the plagdet it moved;
//! - **hand-set, not tuned**: chosen by reasoning or by hand-written
//!   examples and left as it was.
//!
//! A constant that is the default of an [`AlignConfig`] field is named
//! after the field (`seed_min` ↔ [`seeds::SEED_MIN`]); those can be
//! changed per run through [`AlignConfig`] (the CLI's hidden
//! `--align-config '{json}'`). The others are fixed: only a rebuild
//! changes them. The user-facing knobs are [`crate::Options`]; its own
//! bounds are in [`options`].
//!
//! [`AlignConfig`]: crate::align::AlignConfig

/// Sentence similarity (`features`): how lexical and semantic evidence
/// are weighed.
pub(crate) mod features {
    /// Default of `SimilarityWeights::semantic`: weight of the semantic
    /// score in the combined score when a sentence model is present.
    /// Hand-set with the embedded sentence model (3b80f2b), not tuned.
    pub(crate) const SEMANTIC: f32 = 0.3;

    /// Default of `SimilarityWeights::semantic_floor`: embedding cosine at
    /// or below which the semantic score is 0 (the scale from there to 1
    /// is stretched onto 0..1). Hand-set with the embedded sentence model
    /// (3b80f2b), not tuned.
    pub(crate) const SEMANTIC_FLOOR: f32 = 0.7;

    /// Lowest inverse sentence frequency of a term: a word found in every
    /// sentence still counts a little. Hand-set, not tuned.
    pub(crate) const ISF_FLOOR: f32 = 0.1;
}

/// Phase 1 of a pass (`align::seeds`): candidates and seeds.
pub(crate) mod seeds {
    /// Default of `AlignConfig::candidate_min`: sentence pairs scoring
    /// below this are not considered at all. Hand-set, not tuned.
    pub(crate) const CANDIDATE_MIN: f32 = 0.08;

    /// Default of `AlignConfig::seed_min`: a pair scoring at least this is
    /// linked on its own. pan13/train: 0.48 was best there; 0.46 keeps a
    /// margin for two hand-written rewrite tests that 0.50 breaks (1a31a45,
    /// train 0.9046 -> 0.9032).
    pub(crate) const SEED_MIN: f32 = 0.46;

    /// Default of `AlignConfig::seed_lexical_min`: a seed's lexical score
    /// alone must reach this (meaning alone counts only next to a seed).
    /// pan13/train, with the pair seeds (d8d301d, plagdet 0.8878).
    pub(crate) const SEED_LEXICAL_MIN: f32 = 0.38;

    /// A seed is the first of this many best candidates of a suspect
    /// sentence that reaches `seed_min` and `seed_lexical_min`. Hand-set,
    /// not tuned.
    pub(crate) const SEED_CANDIDATES: usize = 3;

    /// Pair seeds: each of two neighbouring suspect sentences offers this
    /// many best candidates (reaching `support_min`). Hand-set with the
    /// pair seeds (d8d301d), not tuned.
    pub(crate) const PAIR_SEED_CANDIDATES: usize = 3;

    /// Pair seeds: the second sentence's source sentence lies at most this
    /// many sentences after the first's (0: a split). Hand-set with the
    /// pair seeds (d8d301d), not tuned.
    pub(crate) const PAIR_SEED_MAX_STEP: usize = 2;
}

/// Phase 2 of a pass (`align::support`): weaker pairs accepted next to
/// linked neighbours, and bridges.
pub(crate) mod support {
    /// Default of `AlignConfig::support_min`: a pair scoring at least this
    /// is linked when a neighbour supports it. Hand-set, not tuned.
    pub(crate) const SUPPORT_MIN: f32 = 0.2;

    /// Default of `AlignConfig::support_window`: how many suspect
    /// sentences away a supporting link may be. Hand-set, not tuned.
    pub(crate) const SUPPORT_WINDOW: usize = 2;

    /// Default of `AlignConfig::reorder_support_min`: a pair scoring at
    /// least this is linked next to a strong link to a nearby source
    /// sentence in either direction. pan13/train (6a8d36f, with
    /// [`REORDER_ANCHOR_MIN`], the source snap and the summary split:
    /// random 0.9197 -> 0.9262, overall 0.9381 -> 0.9392).
    pub(crate) const REORDER_SUPPORT_MIN: f32 = 0.3;

    /// Default of `AlignConfig::reorder_anchor_min`: how strong the
    /// neighbouring link of [`REORDER_SUPPORT_MIN`] must be. pan13/train
    /// (6a8d36f, see [`REORDER_SUPPORT_MIN`]).
    pub(crate) const REORDER_ANCHOR_MIN: f32 = 0.35;

    /// Default of `AlignConfig::semantic_support_min`: with a sentence
    /// model, the embedding cosine at which a pair between linked
    /// neighbours is linked without shared words. Hand-set with the
    /// embedded sentence model (3b80f2b), not tuned.
    pub(crate) const SEMANTIC_SUPPORT_MIN: f32 = 0.45;

    /// Default of `AlignConfig::bridge_min`: a sentence between two linked
    /// neighbours takes the source sentence between theirs when it scores
    /// at least this. Hand-set, not tuned.
    pub(crate) const BRIDGE_MIN: f32 = 0.1;

    /// Rounds of support (each round's links may support the next).
    /// Hand-set, not tuned.
    pub(crate) const SUPPORT_ROUNDS: usize = 4;

    /// Bridges: the neighbours' source sentences lie at most this many
    /// apart (room for one or two sentences between). Hand-set, not tuned.
    pub(crate) const BRIDGE_MAX_SPAN: usize = 3;
}

/// Phase 3 of a pass (`align::links`): summary windows, splits, merges,
/// headline.
pub(crate) mod links {
    /// Default of `AlignConfig::merge_gain`: how much a merged source run
    /// must gain over a single sentence. Hand-set, not tuned.
    pub(crate) const MERGE_GAIN: f32 = 0.03;

    /// Default of `AlignConfig::merge_free_ratio`: a source run shorter
    /// than this share of its suspect run merges on any gain. pan13/train
    /// (550582a: random 0.8777 -> 0.8816, overall 0.9174 -> 0.9186).
    pub(crate) const MERGE_FREE_RATIO: f32 = 0.8;

    /// Most merge steps a link's source run grows by. Hand-set with
    /// [`MERGE_FREE_RATIO`] (550582a), not tuned.
    pub(crate) const MERGE_MAX_STEPS: usize = 8;

    /// Default of `AlignConfig::summary_min_terms`: a summary sentence
    /// needs at least this many distinct content words. Hand-set, not
    /// tuned.
    pub(crate) const SUMMARY_MIN_TERMS: usize = 8;

    /// Default of `AlignConfig::summary_containment`: share of a summary
    /// sentence's term weight found in its source window. Hand-set, not
    /// tuned.
    pub(crate) const SUMMARY_CONTAINMENT: f32 = 0.6;

    /// Default of `AlignConfig::summary_max_window`: largest source window
    /// (sentences) a summary sentence may stand for. Hand-set, not tuned.
    pub(crate) const SUMMARY_MAX_WINDOW: usize = 12;

    /// Smallest source window (sentences) a summary sentence may stand
    /// for. Hand-set, not tuned.
    pub(crate) const SUMMARY_MIN_WINDOW: usize = 3;

    /// A summary window's containment is lowered by this per source
    /// sentence, so that the smallest of equally good windows wins.
    /// Hand-set, not tuned.
    pub(crate) const SUMMARY_WINDOW_PENALTY: f32 = 0.01;

    /// A summary window shrinks from an end while its containment drops
    /// by less than this (float noise). Hand-set, not tuned.
    pub(crate) const SUMMARY_TRIM_TOLERANCE: f32 = 1e-6;

    /// Default of `AlignConfig::title_semantic_min`: embedding cosine at
    /// which two headlines are linked. Hand-set with the embedded sentence
    /// model (3b80f2b), not tuned.
    pub(crate) const TITLE_SEMANTIC_MIN: f32 = 0.3;

    /// A headline link linked on meaning scores this times its embedding
    /// cosine (or its lexical score, if higher). Hand-set with the embedded
    /// sentence model (3b80f2b), not tuned.
    pub(crate) const HEADLINE_SEMANTIC_WEIGHT: f32 = 0.5;
}

/// Phase 4 of a pass (`align::passages`): grouping, summaries, finishing,
/// minor passages.
pub(crate) mod passages {
    /// Default of `AlignConfig::max_query_gap`: largest gap (characters)
    /// inside a passage on the suspect side. pan13/train (e665afd: 700 ->
    /// 300, plagdet 0.9032 -> 0.9085).
    pub(crate) const MAX_QUERY_GAP: usize = 300;

    /// Default of `AlignConfig::max_source_gap`: largest gap (characters)
    /// inside a passage on the source side. Hand-set, not tuned.
    pub(crate) const MAX_SOURCE_GAP: usize = 900;

    /// Default of `AlignConfig::isolated_min`: a passage of a single link
    /// needs at least this similarity. Hand-set, not tuned.
    pub(crate) const ISOLATED_MIN: f32 = 0.5;

    /// A single link on at least this many source sentences (a summary
    /// window) is not held to `isolated_min`. Hand-set, not tuned.
    pub(crate) const ISOLATED_EXEMPT_SOURCES: usize = 3;

    /// Default of `AlignConfig::min_passage_chars`: passages shorter than
    /// this (characters) are dropped unless strong. pan13/train (3a42a68:
    /// 150 -> 170 with the rescue pass, plagdet 0.8955 -> 0.9046).
    pub(crate) const MIN_PASSAGE_CHARS: usize = 170;

    /// Default of `AlignConfig::min_condensed_chars`: the suspect side of a
    /// condensed rewrite may be down to this long. pan13/train (b3dbad8:
    /// random 0.917 -> 0.920, overall 0.937 -> 0.938).
    pub(crate) const MIN_CONDENSED_CHARS: usize = 140;

    /// Default of `AlignConfig::strong_min`: a short passage is kept when
    /// its similarity reaches this. pan13/train, tuned together with the
    /// PAN-style aligner's other detectors (c6f7d09, lexical only: 0.786 ->
    /// 0.863).
    pub(crate) const STRONG_MIN: f32 = 0.75;

    /// Default of `AlignConfig::min_strong_chars`: ...and it is at least
    /// this long. pan13/train, with [`STRONG_MIN`] (c6f7d09).
    pub(crate) const MIN_STRONG_CHARS: usize = 40;

    /// Default of `AlignConfig::summary_ratio`: neighbouring passages merge
    /// into a summary when the suspect side is shorter than this share of
    /// the source stretch. pan13/train (7b15c03: 0.5 -> 0.35, plagdet
    /// 0.9085 -> 0.9105).
    pub(crate) const SUMMARY_RATIO: f32 = 0.35;

    /// Default of `AlignConfig::summary_split_ratio`: two reverse-order
    /// passages each at most this many times longer on the source side
    /// stay two passages. pan13/train (6a8d36f, see
    /// [`super::support::REORDER_SUPPORT_MIN`]).
    pub(crate) const SUMMARY_SPLIT_RATIO: f32 = 2.0;

    /// Default of `AlignConfig::summary_whole_share`: a summary covering at
    /// least this share of the source stands for the whole source.
    /// pan13/train (d8d301d, plagdet 0.8878).
    pub(crate) const SUMMARY_WHOLE_SHARE: f32 = 0.3;

    /// A summary stands for the whole source only when it has at least
    /// this many links. Hand-set with the PAN-style aligner (c6f7d09), not
    /// tuned.
    pub(crate) const WHOLE_SOURCE_MIN_LINKS: usize = 3;

    /// Default of `AlignConfig::summary_core_share`: a would-be summary
    /// with at least this share of its links in a compact source stretch
    /// drops the rest. pan13/train (b4e31b3 at 0.9, fee8100 0.85: random
    /// 0.914 -> 0.917).
    pub(crate) const SUMMARY_CORE_SHARE: f32 = 0.85;

    /// Default of `AlignConfig::summary_core_width`: how many times longer
    /// than the suspect side that compact stretch may be. pan13/train
    /// (fee8100, with [`SUMMARY_CORE_SHARE`]).
    pub(crate) const SUMMARY_CORE_WIDTH: f32 = 2.0;

    /// Default of `AlignConfig::minor_share`: passages weighing less than
    /// this share of the pair's strongest are dropped. pan13/train
    /// (7fe4a73: 0.25 -> 0.3, plagdet 0.9105 -> 0.9117).
    pub(crate) const MINOR_SHARE: f32 = 0.3;

    /// Default of `AlignConfig::minor_distance`: ...unless within this many
    /// suspect characters of it. pan13/train (d8d301d, plagdet 0.8878).
    pub(crate) const MINOR_DISTANCE: usize = 1500;

    /// Default of `AlignConfig::minor_keep_lexical`: ...or reworded, of
    /// several links, with whole runs reaching this lexical cosine.
    /// pan13/train (28ea537: overall 0.9281 -> 0.9288).
    pub(crate) const MINOR_KEEP_LEXICAL: f32 = 0.6;

    /// "Several links" of [`MINOR_KEEP_LEXICAL`]. Hand-set with it
    /// (28ea537), not tuned.
    pub(crate) const MINOR_KEEP_MIN_LINKS: usize = 2;
}

/// Passage edges (`align::edges`): trim, grow, tighten, focus, snap.
pub(crate) mod edges {
    /// Default of `AlignConfig::edge_trim_ratio`: edge links below this
    /// share of the passage's median similarity (and below `seed_min`) are
    /// trimmed off. pan13/train, with the PAN-style aligner (c6f7d09).
    pub(crate) const EDGE_TRIM_RATIO: f32 = 0.4;

    /// Default of `AlignConfig::edge_trim_length_ratio`: a non-literal
    /// edge link this many times longer on the suspect side is a stray.
    /// pan13/train (e91cd82: overall 0.8878 -> 0.8907).
    pub(crate) const EDGE_TRIM_LENGTH_RATIO: f32 = 4.0;

    /// Edge trimming leaves at least this many links. Hand-set with the
    /// PAN-style aligner (c6f7d09), not tuned.
    pub(crate) const EDGE_TRIM_KEEP_LINKS: usize = 2;

    /// Default of `AlignConfig::literal_min`: links at least this similar
    /// are literal copies (never trimmed or refocused; no reworded
    /// passage). pan13/train, with the PAN-style aligner (c6f7d09).
    pub(crate) const LITERAL_MIN: f32 = 0.8;

    /// Default of `AlignConfig::grow_min`: an edge sentence joins when this
    /// share of its content words lies next to the other side's edge.
    /// pan13/train (f18ba06: 0.6 -> 0.5, overall 0.9218 -> 0.9224).
    pub(crate) const GROW_MIN: f32 = 0.5;

    /// Default of `AlignConfig::grow_steps`: how many sentences an edge may
    /// grow by. Hand-set with edge growth (c21e09f), not tuned.
    pub(crate) const GROW_STEPS: usize = 3;

    /// A sentence needs at least this many distinct content words to join
    /// a passage edge by growth. Hand-set with edge growth (c21e09f), not
    /// tuned.
    pub(crate) const GROW_MIN_TERMS: usize = 3;

    /// Tightening: an edge whose run shares at least this share of its word
    /// pairs (in order) with the other side is literal and cut at the first
    /// shared pair. Hand-set with the PAN-style aligner (c6f7d09), not
    /// tuned.
    pub(crate) const TIGHTEN_LITERAL_PAIR_SHARE: f32 = 0.5;

    /// Unshared words a reworded passage edge may carry before it is cut.
    /// Hand-set with the PAN-style aligner (c6f7d09), not tuned.
    pub(crate) const UNSHARED_LEAD: usize = 6;

    /// Default of `AlignConfig::focus_ratio`: an edge link whose one side
    /// is this many times longer than the other is focused. pan13/train
    /// (fe29b86: overall 0.9117 -> 0.9138).
    pub(crate) const FOCUS_RATIO: f32 = 1.5;

    /// Default of `AlignConfig::focus_share`: ...when this share of the
    /// shared words lies in the focus window. pan13/train (fe29b86).
    pub(crate) const FOCUS_SHARE: f32 = 0.7;

    /// Default of `AlignConfig::focus_wide_ratio`: a source side this many
    /// times its suspect side is focused at `focus_wide_share`.
    /// pan13/train (fee8100: random 0.914 -> 0.917).
    pub(crate) const FOCUS_WIDE_RATIO: f32 = 3.0;

    /// Default of `AlignConfig::focus_wide_share`. pan13/train (fee8100).
    pub(crate) const FOCUS_WIDE_SHARE: f32 = 0.5;

    /// Fewest words focusing cuts off an edge (fewer is noise). Hand-set
    /// with focusing (fe29b86), not tuned.
    pub(crate) const FOCUS_MIN_CUT: usize = 8;

    /// Fewest shared words that can concentrate somewhere. Hand-set with
    /// focusing (fe29b86), not tuned.
    pub(crate) const FOCUS_MIN_HITS: usize = 2;

    /// The focus window is `other side's words x` this (numerator,
    /// denominator: 1.6, reworded text runs longer than its source)...
    /// Hand-set with focusing (fe29b86), not tuned.
    pub(crate) const FOCUS_WINDOW_RATIO: (usize, usize) = (8, 5);

    /// ...plus this many words. Hand-set with focusing (fe29b86), not
    /// tuned.
    pub(crate) const FOCUS_WINDOW_SLACK: usize = 2;

    /// Default of `AlignConfig::snap_source_chars`: a reworded passage's
    /// source edge at most this many characters inside a sentence moves
    /// out to it. pan13/train (6a8d36f, see
    /// [`super::support::REORDER_SUPPORT_MIN`]).
    pub(crate) const SNAP_SOURCE_CHARS: usize = 80;
}

/// Literal runs (`align::literal`): identical word runs fixing the extent
/// of copied text.
pub(crate) mod literal {
    /// Default of `AlignConfig::literal_min_words`: shortest literal run
    /// used. pan13/train, with literal runs (c21e09f: plagdet 0.8645 ->
    /// 0.8849).
    pub(crate) const LITERAL_MIN_WORDS: usize = 8;

    /// Default of `AlignConfig::literal_max_gap`: words that may differ
    /// between two literal runs joined into one. pan13/train (c21e09f).
    pub(crate) const LITERAL_MAX_GAP: usize = 3;

    /// Default of `AlignConfig::literal_share`: a passage at least this
    /// share literal takes its runs' bounds. pan13/train (c21e09f).
    pub(crate) const LITERAL_SHARE: f32 = 0.8;

    /// Literal runs are found through word n-grams of this length (runs
    /// are at least this long before joining). Hand-set (c21e09f), not
    /// tuned.
    pub(crate) const GRAM: usize = 5;

    /// At most this many source positions of one n-gram are followed (a
    /// bound on repeated boilerplate). Hand-set (c21e09f), not tuned.
    pub(crate) const MAX_GRAM_POSITIONS: usize = 16;
}

/// Passage kinds (`align::classify`).
pub(crate) mod classify {
    /// A summary's links span at least this many source sentences.
    /// Hand-set, not tuned.
    pub(crate) const SUMMARY_MIN_SOURCE_SENTENCES: usize = 3;

    /// ...and its suspect side is shorter than this share of the source
    /// stretch. Hand-set, not tuned.
    pub(crate) const SUMMARY_LENGTH_RATIO: f32 = 0.5;

    /// A near-verbatim passage has at least this word-bigram Dice
    /// coefficient... Hand-set, not tuned.
    pub(crate) const NEAR_VERBATIM_BIGRAM_DICE: f32 = 0.6;

    /// ...and at least this word Dice coefficient. Hand-set, not tuned.
    pub(crate) const NEAR_VERBATIM_WORD_DICE: f32 = 0.8;
}

/// The relaxed pass and the vocabulary check (`align::rescue`).
pub(crate) mod rescue {
    /// Default of `AlignConfig::run_lexical_min`: a passage's whole runs
    /// need at least this lexical cosine. pan13/train (9ec33db: overall
    /// 0.9228 -> 0.9281).
    pub(crate) const RUN_LEXICAL_MIN: f32 = 0.25;

    /// Default of `AlignConfig::summary_run_lexical_min`: the same for a
    /// summary. pan13/train (9ec33db).
    pub(crate) const SUMMARY_RUN_LEXICAL_MIN: f32 = 0.2;

    /// Default of `AlignConfig::rescue`: the relaxed pass runs where the
    /// first finds nothing. pan13/train (f2bc228: plagdet 0.8907 ->
    /// 0.8942).
    pub(crate) const RESCUE: bool = true;

    /// Default of `AlignConfig::rescue_seed_min`. pan13/train (f2bc228).
    pub(crate) const RESCUE_SEED_MIN: f32 = 0.3;

    /// Default of `AlignConfig::rescue_seed_lexical_min`. pan13/train
    /// (f2bc228).
    pub(crate) const RESCUE_SEED_LEXICAL_MIN: f32 = 0.25;

    /// Default of `AlignConfig::rescue_isolated_min`. pan13/train
    /// (f2bc228).
    pub(crate) const RESCUE_ISOLATED_MIN: f32 = 0.4;

    /// Default of `AlignConfig::rescue_min_passage_chars`. pan13/train
    /// (f2bc228).
    pub(crate) const RESCUE_MIN_PASSAGE_CHARS: usize = 120;

    /// Default of `AlignConfig::rescue_keep_min`: a rescued passage needs
    /// this similarity... pan13/train (9ec33db: 0.4 -> 0.25).
    pub(crate) const RESCUE_KEEP_MIN: f32 = 0.25;

    /// Default of `AlignConfig::rescue_keep_lexical`: ...and this run-level
    /// lexical cosine. pan13/train (9ec33db: true rescues median 0.43,
    /// false 0.16).
    pub(crate) const RESCUE_KEEP_LEXICAL: f32 = 0.3;

    /// Default of `AlignConfig::rescue_keep_run_lexical`: a weaker rescued
    /// passage is kept when its runs reach this. pan13/train (fee8100).
    pub(crate) const RESCUE_KEEP_RUN_LEXICAL: f32 = 0.4;

    /// Default of `AlignConfig::summary_extend`: summaries take in what the
    /// relaxed pass finds over them. pan13/train (30ac6dc: plagdet 0.8942
    /// -> 0.8955).
    pub(crate) const SUMMARY_EXTEND: bool = true;
}

/// Word windows (`align::window`): reuse whose sentence breaks were lost.
pub(crate) mod window {
    /// Default of `AlignConfig::window_words`: window size in content
    /// words. pan13/train (e959be9: overall 0.9288 -> 0.9349).
    pub(crate) const WINDOW_WORDS: usize = 16;

    /// Default of `AlignConfig::window_seed_min`: window pairs this similar
    /// seed a region. pan13/train (e959be9).
    pub(crate) const WINDOW_SEED_MIN: f32 = 0.3;

    /// Default of `AlignConfig::window_min_seeds`: fewest seeds a region
    /// needs. pan13/train (e959be9).
    pub(crate) const WINDOW_MIN_SEEDS: usize = 3;

    /// Default of `AlignConfig::window_keep_min`: a region becomes a
    /// passage at this whole-stretch cosine. pan13/train (ee5203f: 0.45 ->
    /// 0.42, overall 0.9366 -> 0.9370).
    pub(crate) const WINDOW_KEEP_MIN: f32 = 0.42;

    /// Default of `AlignConfig::window_extend`: regions extend reworded
    /// passages they overlap. pan13/train (e959be9, b4e31b3).
    pub(crate) const WINDOW_EXTEND: bool = true;

    /// Windows start every `window_words / this` content words (5 at 16).
    /// Hand-set (e959be9), not tuned.
    pub(crate) const STRIDE_DIVISOR: usize = 3;

    /// A text with fewer than `window_words / this` content words has no
    /// windows. Hand-set (e959be9), not tuned.
    pub(crate) const MIN_WORDS_DIVISOR: usize = 2;

    /// Lowest inverse window frequency of a term. Hand-set (e959be9), not
    /// tuned.
    pub(crate) const ISF_FLOOR: f32 = 0.1;

    /// How far (in windows) consecutive seeds of one region may lie apart
    /// on the suspect side. Hand-set (e959be9), not tuned.
    pub(crate) const REGION_QUERY_GAP: usize = 1;

    /// How far (in windows) consecutive seeds of one region may jump on the
    /// source side: shuffled text draws neighbouring words from sentences
    /// further apart than one window. pan13/train (b4e31b3: random 0.9100
    /// -> 0.9129).
    pub(crate) const REGION_SOURCE_GAP: usize = 3;

    /// Rounds of trimming a region's edges to dense stretches (each side
    /// against the other's trimmed terms). Hand-set (e959be9), not tuned.
    pub(crate) const TRIM_ROUNDS: usize = 2;

    /// Words of the density test at a region edge... Hand-set (e959be9),
    /// not tuned.
    pub(crate) const EDGE_RUN: usize = 6;

    /// ...and how many of them must be shared. Hand-set (e959be9), not
    /// tuned.
    pub(crate) const EDGE_SHARED: usize = 4;

    /// Fewest content words a region must add beyond a passage edge to move
    /// it. Hand-set (e959be9), not tuned.
    pub(crate) const EXTEND_MIN_WORDS: usize = 4;
}

/// Attribution across sources (`align::attribute`).
pub(crate) mod attribute {
    /// Default of `AlignConfig::attribute`: a region is credited to the
    /// source it matches best. pan13/train (d94476a: overall 0.9186 ->
    /// 0.9218).
    pub(crate) const ATTRIBUTE: bool = true;

    /// Default of `AlignConfig::attribution_margin`: a passage stays unless
    /// another source's is more similar by more than this. pan13/train
    /// (d94476a).
    pub(crate) const ATTRIBUTION_MARGIN: f32 = 0.02;

    /// Default of `AlignConfig::attribution_overlap`: share of a passage
    /// another source's passage must cover to compete. pan13/train
    /// (d94476a).
    pub(crate) const ATTRIBUTION_OVERLAP: f32 = 0.5;

    /// A competing passage at least this many times longer on the suspect
    /// side is also compared by its mean similarity (the region read in
    /// context). Hand-set (85edef6), not tuned.
    pub(crate) const CONTEXT_RATIO: usize = 2;
}

/// Bounds and scale of the user-facing [`crate::Options`].
pub(crate) mod options {
    /// Default sensitivity: the tuned defaults above, unchanged.
    pub(crate) const SENSITIVITY: f32 = 0.5;

    /// How far sensitivity moves the acceptance thresholds: each is
    /// multiplied by `1 + (0.5 - sensitivity) * this`, from x1.25 at
    /// sensitivity 0 to x0.75 at 1. Hand-set, not tuned.
    pub(crate) const SENSITIVITY_SPREAD: f32 = 0.5;

    /// Shortest minimum passage length an `Options` accepts (characters;
    /// the short-but-strong exception, `min_strong_chars`, stays below).
    /// Hand-set, not tuned.
    pub(crate) const MIN_PASSAGE_CHARS_FLOOR: usize = super::passages::MIN_STRONG_CHARS;

    /// Longest minimum passage length an `Options` accepts (characters).
    /// Hand-set, not tuned.
    pub(crate) const MIN_PASSAGE_CHARS_CEIL: usize = 100_000;
}

/// Reuse discovery across a collection (`retrace_index::scan`): which
/// pairs of documents are aligned in full. Public: the index crate reads
/// them as the defaults of its `ScanOptions`.
pub mod scan {
    /// Rare terms kept per document for candidate generation: its content
    /// stems and numbers found in at least two documents, rarest first.
    /// Hand-set on the development scan corpus (`scripts/scan_corpus.py`,
    /// 3,000 Reuters articles + the team's 64 dev rewrites), not tuned
    /// further.
    pub const TERMS_PER_DOC: usize = 48;

    /// Terms found in more documents than this share of the collection
    /// (and more than [`MAX_DF_FLOOR`] documents) are never rare. Hand-set.
    pub const MAX_DF_SHARE: f32 = 0.002;

    /// Floor of the document-frequency cut above. Hand-set.
    pub const MAX_DF_FLOOR: usize = 40;

    /// Least number of rare terms a candidate pair shares (or half of the
    /// smaller signature, at least two, when that is fewer). Set on the
    /// development scan corpora: 3 doubles the candidates and the time at
    /// 3k and 100k documents for 1 more planted pair of 64 at 100k.
    pub const MIN_SHARED: usize = 4;

    /// Least IDF-weighted share of the smaller document's rare terms that
    /// a candidate pair shares. Hand-set on the development scan corpus.
    pub const MIN_OVERLAP: f32 = 0.12;

    /// Most candidate partners per document (the best by weighted share).
    /// Hand-set.
    pub const PARTNERS: usize = 16;

    /// A sentence template (its words, numbers as `#`) found in at least
    /// this many documents is boilerplate (earnings-table lines, datelines,
    /// disclaimers, footers): masked before alignment unless kept.
    /// Hand-set.
    pub const BOILERPLATE_DOCS: usize = 10;

    /// Least share of the suspect side's facts (numbers, names in its
    /// linked sentences) that the source side's linked sentences share for
    /// a pair to stay `derived`; below it the two share a template, not
    /// facts (two bond issues in the house style), and the pair is
    /// `related`. Set on the development scan corpus (the 64 dev rewrites
    /// among 3,000 Reuters articles): the planted pairs agree on 0.69 to
    /// 1.0 of their facts, same-template wire items (bond issues, daily
    /// money-market and slaughter reports) mostly below 0.5.
    pub const MIN_FACT_AGREEMENT: f32 = 0.5;

    /// Fewest facts a suspect side needs for the agreement above to count.
    /// Hand-set.
    pub const MIN_FACTS: usize = 5;

    /// Fewest tokens of a sentence whose template is also matched fuzzily
    /// (shorter ones only exactly). Hand-set.
    pub const FUZZY_MIN_TOKENS: usize = 8;

    /// The sentence filter before alignment: sentences of the shorter side
    /// that must match a sentence of the other (or all, if fewer).
    /// Set on the development scan corpora.
    pub const FILTER_SENTENCES: usize = 2;

    /// Least shared terms of two matching sentences. Set on the development
    /// scan corpora.
    pub const FILTER_MIN_TERMS: usize = 3;

    /// Least share of the smaller sentence's IDF weight that two matching
    /// sentences share. Set on the development scan corpora.
    pub const FILTER_SHARE: f32 = 0.3;

    /// Shared terms that make two sentences match whatever their share: a
    /// fragment copied into a longer sentence. Set on the development scan
    /// corpora (the 100k corpus's distractors copy runs into long
    /// sentences).
    pub const FILTER_FRAGMENT_TERMS: usize = 6;
}
