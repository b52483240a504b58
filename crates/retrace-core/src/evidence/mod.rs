//! Stage 6 of the pipeline: evidence of what the rewrite changed.
//!
//! In: a suspect and a source (texts and analyses) and their aligned
//! passages. Out: typed [`Finding`]s with spans on both sides:
//!
//! | kind | meaning |
//! |---|---|
//! | `quote_altered` | a source quotation appears in the suspect as a quotation with other words |
//! | `quote_unquoted` | a source quotation appears in the suspect without quotation marks |
//! | `attribution_removed` | the source credits a named outlet or person; the aligned suspect passage keeps the content, not the name |
//! | `number_changed` | a number, amount, percentage or date differs between aligned sentences |
//! | `name_changed` | a person, place or organisation name was replaced by another |
//! | `content_dropped` | a source block (paragraph, headline, footer) with no counterpart |
//! | `content_added` | a suspect block with no counterpart in the source |
//!
//! Precision comes first: every detector only fires on aligned sentences it
//! can pin down, and stays silent when in doubt:
//! - quotations: kept verbatim anywhere in the rewrite (in part, elided with
//!   "...", or in British single marks) is no finding; short quoted phrases
//!   count only when framed by a speech verb (not "so-called" labels);
//! - numbers: values compared, not spellings ("seven" = 7, "twenty-five" =
//!   25, "$3 million" = "3 million dollars", "two decades" = 20 years);
//!   several changes in one sentence are paired through what they count;
//!   arithmetic on kept values ("from 120 to 150" / "gained 30") is no change;
//! - names and attributions: a name still present (any of its words, a
//!   word of the same stem, its acronym or expansion, a listed alias) is
//!   kept; an attribution credited to another name is a name change;
//! - dropped/added blocks: an unlinked source block facing an unlinked
//!   suspect block in the same place is taken for a paraphrase when they
//!   share words or a figure, or when both are too short to judge.
//!
//! The detectors read whole sentences: links are widened to the sentences
//! they join, so a change in alignment details moves little.
//!
//! One module per detector, each run in turn by [`findings`]:
//! `quotations` (with the quotation finder of `quotes`), `attribution`,
//! `numbers`, `names` (also the name reader attributions use) and
//! `coverage` (dropped and added blocks); `common` holds what they share.
//! The English words they read text with (speech verbs, titles, months,
//! aliases, scale words...) are in [`crate::text::lang`].

mod attribution;
mod common;
mod coverage;
mod names;
mod numbers;
mod quotations;
mod quotes;
#[cfg(test)]
mod testing;

pub use quotes::{find_quotes, find_single_quotes, Quote};

use crate::align::{AlignedLink, AlignedPassage};
use crate::features::PairSimilarity;
use crate::report::Finding;
use crate::text::Analysis;

/// The kinds of finding, as they appear in reports.
pub mod kinds {
    use crate::report::FindingKind;
    /// A quotation reworded.
    pub const QUOTE_ALTERED: FindingKind = FindingKind::QuoteAltered;
    /// A quotation turned into reported speech.
    pub const QUOTE_UNQUOTED: FindingKind = FindingKind::QuoteUnquoted;
    /// A named source of information dropped.
    pub const ATTRIBUTION_REMOVED: FindingKind = FindingKind::AttributionRemoved;
    /// A number, amount, percentage or date changed.
    pub const NUMBER_CHANGED: FindingKind = FindingKind::NumberChanged;
    /// A name replaced by another.
    pub const NAME_CHANGED: FindingKind = FindingKind::NameChanged;
    /// Source content with no counterpart.
    pub const CONTENT_DROPPED: FindingKind = FindingKind::ContentDropped;
    /// Suspect content with no counterpart.
    pub const CONTENT_ADDED: FindingKind = FindingKind::ContentAdded;
}

/// One side of a comparison.
pub struct Side<'a> {
    /// The text.
    pub text: &'a str,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// What the detectors read of it more than once.
    cache: common::SideCache<'a>,
}

impl<'a> Side<'a> {
    /// A text and its analysis.
    pub fn new(text: &'a str, analysis: &'a Analysis) -> Self {
        Side {
            text,
            analysis,
            cache: Default::default(),
        }
    }
}

/// Computes the findings for one suspect/source pair.
pub fn findings(
    q: &Side,
    s: &Side,
    passages: &[AlignedPassage],
    sim: &PairSimilarity,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if passages.is_empty() {
        return out;
    }
    // the detectors compare whole sentences: links (and passages) are
    // widened to the sentences they join, as the aligner may trim a
    // passage's edge links to the words both sides share
    let passages: Vec<AlignedPassage> = passages
        .iter()
        .map(|p| common::widen_passage(q, s, p))
        .collect();
    let passages = &passages[..];
    let links: Vec<&AlignedLink> = passages.iter().flat_map(|p| &p.links).collect();
    // each detector in turn; the order (with the stable sort below) is the
    // order of findings at the same place
    quotations::quote_findings(q, s, &links, &mut out);
    attribution::attribution_findings(q, s, &links, &mut out);
    numbers::number_findings(q, s, passages, &links, &mut out);
    names::name_findings(q, s, &links, &mut out);
    coverage::coverage_findings(q, s, &links, sim, &mut out);
    out.sort_by_key(|f| {
        (
            f.query.map(|c| c.0).unwrap_or(usize::MAX),
            f.source.map(|c| c.0).unwrap_or(usize::MAX),
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::testing::Pair;
    use super::*;
    use crate::ingest::Document;

    const SOURCE: &str = "Mill Sold To Local Buyer\n\n\
        Businessman Tom Ferris bought the old mill for 3 million dollars in March.\n\n\
        \"We will turn the mill into homes for young families,\" Ferris said on Monday.\n\n\
        The plans were first reported by the Valley Gazette.\n\n\
        A museum of local history opened downtown in 1990 with a grand ceremony.";
    const SUSPECT: &str = "Mill Sold To Local Buyer\n\n\
        Businessman Tom Harris bought the old mill for 4 million dollars in March.\n\n\
        Harris said on Monday he would turn the mill into homes for young families.\n\n\
        The plans were first made public last week.";

    #[test]
    fn every_detector_runs_and_findings_come_in_suspect_order() {
        let p = Pair::new(SUSPECT, SOURCE);
        let got: Vec<(&str, String, String)> = p
            .findings(p.diagonal(0.6))
            .iter()
            .map(|f| (f.kind.as_str(), p.s_at(f), p.q_at(f)))
            .collect();
        let want = [
            (
                "name_changed",
                "Businessman Tom Ferris",
                "Businessman Tom Harris",
            ),
            ("number_changed", "3 million", "4 million"),
            (
                "quote_unquoted",
                "\"We will turn the mill into homes for young families,\"",
                "Harris said on Monday he would turn the mill into homes for young families.",
            ),
            (
                "attribution_removed",
                "reported by the Valley Gazette",
                "The plans were first made public last week.",
            ),
            (
                "content_dropped",
                "A museum of local history opened downtown in 1990 with a grand ceremony.",
                "",
            ),
        ];
        let want: Vec<(&str, String, String)> = want
            .iter()
            .map(|(k, s, q)| (*k, s.to_string(), q.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn no_passage_no_finding() {
        let p = Pair::new(SUSPECT, SOURCE);
        assert!(findings(&p.q(), &p.s(), &[], &p.sim).is_empty());
    }

    #[test]
    fn the_comparer_reports_the_findings() {
        let report = crate::Comparer::new().compare(
            &Document::from_text("suspect", SUSPECT),
            &[Document::from_text("source", SOURCE)],
        );
        let kinds: Vec<&str> = report.sources[0]
            .findings
            .iter()
            .map(|f| f.kind.as_str())
            .collect();
        // (what the aligner links decides the rest)
        for k in ["name_changed", "number_changed", "content_dropped"] {
            assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
        }
    }
}
