//! The few knobs a user would turn: how long a reused passage must be, and
//! how readily weak evidence counts as reuse.
//!
//! ```
//! use retrace_core::{Comparer, Options};
//!
//! let opts = Options::builder().min_passage_chars(200).sensitivity(0.6).build();
//! let comparer = Comparer::new().with_options(opts);
//! assert_eq!(comparer.align_config().min_passage_chars, 200);
//! ```
//!
//! [`Options::default()`] is the engine's tuned behaviour. Every other
//! setting of the aligner is a tuned constant; experiments can still set
//! them one by one through [`AlignConfig`] (see
//! [`Comparer::with_align_config`](crate::Comparer::with_align_config)).

use crate::align::AlignConfig;
use crate::tuning::options::{
    MIN_PASSAGE_CHARS_CEIL, MIN_PASSAGE_CHARS_FLOOR, SENSITIVITY, SENSITIVITY_SPREAD,
};
use crate::tuning::{passages, rescue};

/// User-facing alignment settings. Build one with [`Options::builder()`];
/// [`Options::default()`] is today's tuned behaviour
/// (`AlignConfig::default()`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    min_passage_chars: usize,
    sensitivity: f32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_passage_chars: Options::DEFAULT_MIN_PASSAGE_CHARS,
            sensitivity: Options::DEFAULT_SENSITIVITY,
        }
    }
}

impl Options {
    /// Default minimum passage length: 170 characters.
    pub const DEFAULT_MIN_PASSAGE_CHARS: usize = passages::MIN_PASSAGE_CHARS;
    /// Default sensitivity: 0.5 (the tuned thresholds, unchanged).
    pub const DEFAULT_SENSITIVITY: f32 = SENSITIVITY;
    /// Shortest accepted minimum passage length: 40 characters (shorter
    /// values are raised to it).
    pub const MIN_PASSAGE_CHARS_RANGE: std::ops::RangeInclusive<usize> =
        MIN_PASSAGE_CHARS_FLOOR..=MIN_PASSAGE_CHARS_CEIL;

    /// A builder starting from the defaults.
    pub fn builder() -> OptionsBuilder {
        OptionsBuilder::default()
    }

    /// Minimum length of a reported passage (characters; see
    /// [`OptionsBuilder::min_passage_chars`]).
    pub fn min_passage_chars(&self) -> usize {
        self.min_passage_chars
    }

    /// Sensitivity in `[0, 1]` (see [`OptionsBuilder::sensitivity`]).
    pub fn sensitivity(&self) -> f32 {
        self.sensitivity
    }

    /// The alignment settings these options stand for: the defaults with
    /// the passage lengths and acceptance thresholds the options set.
    pub fn align_config(&self) -> AlignConfig {
        let mut cfg = AlignConfig::default();
        // minimum passage length, and the lengths tuned relative to it
        let n = self.min_passage_chars;
        cfg.min_passage_chars = n;
        cfg.min_condensed_chars = n * passages::MIN_CONDENSED_CHARS / passages::MIN_PASSAGE_CHARS;
        cfg.rescue_min_passage_chars =
            n * rescue::RESCUE_MIN_PASSAGE_CHARS / passages::MIN_PASSAGE_CHARS;
        // sensitivity: the acceptance thresholds scaled together (x1 at 0.5)
        let f = self.threshold_scale();
        for t in [
            &mut cfg.seed_min,
            &mut cfg.seed_lexical_min,
            &mut cfg.support_min,
            &mut cfg.isolated_min,
            &mut cfg.run_lexical_min,
            &mut cfg.summary_run_lexical_min,
            &mut cfg.window_keep_min,
            &mut cfg.rescue_seed_min,
            &mut cfg.rescue_seed_lexical_min,
            &mut cfg.rescue_isolated_min,
            &mut cfg.rescue_keep_min,
            &mut cfg.rescue_keep_lexical,
        ] {
            *t *= f;
        }
        cfg
    }

    /// The factor sensitivity applies to the acceptance thresholds: 1.25 at
    /// 0, 1 at 0.5, 0.75 at 1.
    fn threshold_scale(&self) -> f32 {
        1.0 + (SENSITIVITY - self.sensitivity) * SENSITIVITY_SPREAD
    }
}

/// Builds [`Options`]; out-of-range values are clamped (see each setter).
#[derive(Debug, Clone, Default)]
pub struct OptionsBuilder {
    opts: Options,
}

impl OptionsBuilder {
    /// Minimum length of a reported passage, in characters of the suspect
    /// and the source (default 170). A rewrite that condenses its source
    /// may be shorter on the suspect side (down to 140/170 of this), the
    /// relaxed pass that runs when nothing is found accepts 120/170 of it,
    /// and a short passage of near-identical text (at least 40 characters)
    /// is reported all the same. Clamped to
    /// [`Options::MIN_PASSAGE_CHARS_RANGE`] (40 to 100,000).
    #[must_use]
    pub fn min_passage_chars(mut self, chars: usize) -> Self {
        self.opts.min_passage_chars = chars.clamp(MIN_PASSAGE_CHARS_FLOOR, MIN_PASSAGE_CHARS_CEIL);
        self
    }

    /// How readily weak evidence counts as reuse, in `[0, 1]` (default
    /// 0.5, the tuned behaviour). The acceptance thresholds of alignment
    /// (seed, support, single-link, shared-vocabulary and word-window
    /// thresholds, and their relaxed-pass counterparts) are multiplied by
    /// `1 + (0.5 - sensitivity) / 2`: x1.25 at 0 (fewer, surer passages),
    /// x0.75 at 1 (more passages, more false ones). Values outside `[0, 1]`
    /// are clamped; NaN leaves the default.
    #[must_use]
    pub fn sensitivity(mut self, sensitivity: f32) -> Self {
        self.opts.sensitivity = if sensitivity.is_nan() {
            SENSITIVITY
        } else {
            sensitivity.clamp(0.0, 1.0)
        };
        self
    }

    /// The options.
    pub fn build(self) -> Options {
        self.opts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Comparer, Document};

    fn json(cfg: &AlignConfig) -> serde_json::Value {
        serde_json::to_value(cfg).unwrap()
    }

    #[test]
    fn the_defaults_are_the_tuned_align_config() {
        let opts = Options::builder().build();
        assert_eq!(opts, Options::default());
        assert_eq!(opts.min_passage_chars(), 170);
        assert_eq!(opts.sensitivity(), 0.5);
        assert_eq!(json(&opts.align_config()), json(&AlignConfig::default()));
        // set explicitly to the defaults: the same
        let same = Options::builder()
            .min_passage_chars(Options::DEFAULT_MIN_PASSAGE_CHARS)
            .sensitivity(Options::DEFAULT_SENSITIVITY)
            .build();
        assert_eq!(json(&same.align_config()), json(&AlignConfig::default()));
        let c = Comparer::new().with_options(Options::default());
        assert_eq!(json(c.align_config()), json(&AlignConfig::default()));
    }

    #[test]
    fn the_builder_clamps_bad_values() {
        let o = Options::builder()
            .min_passage_chars(0)
            .sensitivity(-3.0)
            .build();
        assert_eq!(
            o.min_passage_chars(),
            *Options::MIN_PASSAGE_CHARS_RANGE.start()
        );
        assert_eq!(o.sensitivity(), 0.0);
        let o = Options::builder()
            .min_passage_chars(usize::MAX)
            .sensitivity(7.0)
            .build();
        assert_eq!(
            o.min_passage_chars(),
            *Options::MIN_PASSAGE_CHARS_RANGE.end()
        );
        assert_eq!(o.sensitivity(), 1.0);
        // no overflow at the ceiling
        assert_eq!(o.align_config().min_passage_chars, 100_000);
        let o = Options::builder().sensitivity(f32::NAN).build();
        assert_eq!(o.sensitivity(), 0.5);
    }

    #[test]
    fn options_map_onto_the_align_config() {
        let d = AlignConfig::default();
        let cfg = Options::builder()
            .min_passage_chars(340)
            .build()
            .align_config();
        assert_eq!(cfg.min_passage_chars, 340);
        assert_eq!(cfg.min_condensed_chars, 2 * d.min_condensed_chars);
        assert_eq!(cfg.rescue_min_passage_chars, 2 * d.rescue_min_passage_chars);
        assert_eq!(cfg.seed_min, d.seed_min);
        // strict: thresholds up; sensitive: down; lengths untouched
        let strict = Options::builder().sensitivity(0.0).build().align_config();
        let loose = Options::builder().sensitivity(1.0).build().align_config();
        assert!((strict.seed_min - 1.25 * d.seed_min).abs() < 1e-6);
        assert!((loose.seed_min - 0.75 * d.seed_min).abs() < 1e-6);
        assert!(strict.rescue_keep_lexical > d.rescue_keep_lexical);
        assert!(loose.window_keep_min < d.window_keep_min);
        assert_eq!(strict.min_passage_chars, d.min_passage_chars);
        assert_eq!(strict.strong_min, d.strong_min);
        // the relaxed pass stays more relaxed than the first
        for c in [&strict, &loose] {
            assert!(c.rescue_seed_min < c.seed_min);
            assert!(c.rescue_isolated_min < c.isolated_min);
        }
    }

    /// A source of four sentences, and a suspect rewording them freely.
    const SOURCE: &str = "The city council approved a new budget on Monday after a long and \
        heated debate about taxes. It raises spending on public schools by twelve percent and \
        cuts the budget for parks and libraries. Critics said the plan ignores the poor state \
        of the roads and bridges across the city. The mayor defended the decision at a press \
        conference on Tuesday morning.";
    const SUSPECT: &str = "After arguing about taxes for hours, the council finally agreed on \
        next year's budget. School spending grows, parks and libraries lose out. According to \
        critics, nobody thought about the state of the city's roads and bridges. The mayor \
        told journalists on Tuesday that he supported the decision.";

    /// The suspect character spans of the passages found with `opts`.
    fn passages(opts: Options) -> Vec<(usize, usize)> {
        let report = Comparer::new().with_options(opts).compare(
            &Document::from_text("suspect", SUSPECT),
            &[Document::from_text("source", SOURCE)],
        );
        report.sources[0]
            .passages
            .iter()
            .map(|p| (p.query.0, p.query.1))
            .collect()
    }

    #[test]
    fn options_change_the_passages_found() {
        let found = passages(Options::default());
        assert_eq!(found.len(), 1, "{found:?}");
        // stricter: the weakly reworded passage is not reuse enough
        let strict = Options::builder().sensitivity(0.0).build();
        assert_eq!(passages(strict), []);
        // more sensitive: the passage reaches back over the first sentence
        let loose = passages(Options::builder().sensitivity(1.0).build());
        assert_eq!(loose.len(), 1, "{loose:?}");
        assert!(
            loose[0].0 < found[0].0 && loose[0].1 >= found[0].1,
            "{loose:?}"
        );
        // longer than the reused stretch: nothing
        let long = Options::builder().min_passage_chars(1000).build();
        assert_eq!(passages(long), []);
    }
}
