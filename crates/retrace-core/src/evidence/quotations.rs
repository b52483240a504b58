//! Quotations: `quote_altered` and `quote_unquoted`.
//!
//! In: the two sides and the (widened) links. The quotations of each side
//! are found by [`super::quotes`]: the source's in double marks, the
//! rewrite's in double marks and in British single marks. Out: for each
//! source quotation that is speech (four words or more, or framed by a
//! speech verb; not a "so-called" label) and that the rewrite keeps
//! nowhere verbatim (in part, elided with "...", or with a typo fixed):
//! - `quote_altered`, when a quotation of the rewrite in the aligned
//!   region shares enough of its content words (and copies no other
//!   source quotation);
//! - `quote_unquoted`, when no quotation matches but the aligned region
//!   carries its content words without the marks.

use super::common::{
    clip, cover, dice, edit_distance, links_over_source, span_content_stems, span_tokens,
};
use super::kinds;
use super::quotes::{find_quotes, single_quotes_outside, Quote};
use super::Side;
use crate::align::AlignedLink;
use crate::report::Finding;
use crate::text::{lang, Span, Token};

/// The words of each part of an elided quotation ("a ... b"); `words`, its
/// [`quote_words`], stand for the one part of a quotation not elided.
fn quote_parts<'a>(side: &Side<'a>, inner: Span, words: &[&'a str]) -> Vec<Vec<&'a str>> {
    let text = side.slice(inner);
    if !text.contains('\u{2026}') && !text.contains("...") {
        return if words.is_empty() {
            Vec::new()
        } else {
            vec![words.to_vec()]
        };
    }
    // the elision marks, in order (an ellipsis character or three periods)
    let mut cuts: Vec<(usize, usize)> = text
        .match_indices('\u{2026}')
        .chain(text.match_indices("..."))
        .map(|(i, m)| (i, i + m.len()))
        .collect();
    cuts.sort_unstable();
    let mut from = 0;
    let mut parts = Vec::new();
    for (a, b) in cuts.into_iter().chain([(text.len(), text.len())]) {
        let part = Span::new(inner.start + from, inner.start + a);
        parts.push(quote_words(span_tokens(side.analysis, part)));
        from = b;
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// A quotation's words for comparing two renderings of it: the analysed
/// words of its tokens `toks` (normalised), wire abbreviations spelled out
/// ("pct" = "percent", "mln" = "million"), currency words left out ("15
/// dlrs" = "$15" = "15 dollars").
fn quote_words(toks: &[Token]) -> Vec<&str> {
    toks.iter()
        .map(|t| t.norm.as_str())
        .filter(|w| !lang::is_currency_word(w))
        .map(|w| lang::wire_form(w).unwrap_or(w))
        .collect()
}

/// Two words of a quotation that are the same word: equal, or long enough
/// and within two letters of each other (a typo fixed: "negotations").
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la < 6 || lb < 6 || la.abs_diff(lb) > 2 || a.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    edit_distance(a, b) <= 2
}

/// Whether `needle` occurs in `hay` as a run of consecutive words, each
/// the same word (see [`same_word`]) as its counterpart.
fn contains_seq_fuzzy(hay: &[&str], needle: &[&str]) -> bool {
    !needle.is_empty()
        && hay
            .windows(needle.len())
            .any(|w| w.iter().zip(needle).all(|(x, y)| same_word(x, y)))
}

/// Whether two quotations say the same words: equal, one a verbatim part of
/// the other, or one an elided form of the other (each part found in it).
fn same_quote(a: &QuoteWords, b: &QuoteWords) -> bool {
    let (aw, bw) = (&a.words, &b.words);
    if aw.is_empty() || bw.is_empty() {
        return false;
    }
    let elided = |x: &QuoteWords, hay: &[&str]| {
        x.parts.len() >= 2 && x.parts.iter().all(|p| contains_seq_fuzzy(hay, p))
    };
    contains_seq_fuzzy(aw, bw) || contains_seq_fuzzy(bw, aw) || elided(a, bw) || elided(b, aw)
}

/// A quotation's normalised words, and its parts around elisions ("..."),
/// the analysis's words (a quotation's inside is token aligned).
struct QuoteWords<'a> {
    words: Vec<&'a str>,
    parts: Vec<Vec<&'a str>>,
    /// The stems of its content words.
    content: Vec<&'a str>,
}

impl<'a> QuoteWords<'a> {
    fn new(side: &Side<'a>, quote: &Quote) -> Self {
        let words = quote_words(span_tokens(side.analysis, quote.inner));
        let parts = quote_parts(side, quote.inner, &words);
        let content = span_content_stems(side.analysis, quote.inner).collect();
        QuoteWords {
            words,
            parts,
            content,
        }
    }
}

/// Words at most in a quoted title ([`title_like`]).
const TITLE_WORDS: usize = 5;

/// Whether a quotation reads as a title (a show, a book, a campaign:
/// "Meet the Press", "Face the Nation"): up to [`TITLE_WORDS`] words, each
/// capitalised but for small function words, two capitalised or more, the
/// last among them.
fn title_like(inner: &str) -> bool {
    let words: Vec<&str> = inner
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    (2..=TITLE_WORDS).contains(&words.len())
        && words.last().is_some_and(|w| capital(w))
        && words.iter().filter(|w| capital(w)).count() >= 2
        && words
            .iter()
            .all(|w| capital(w) || crate::text::is_stop_word(&w.to_lowercase()))
}

/// Whether a source quotation is speech: four words or more, or framed by
/// a speech verb in its sentence; and not a label ("so-called ...").
fn is_speech(s: &Side, quote: &Quote) -> bool {
    // the words right before it (a label marker is a word or two: the
    // last 40 characters hold any, without lower-casing the whole text)
    let before = s.text[..quote.outer.start].trim_end();
    let from = before.char_indices().rev().nth(39).map_or(0, |(i, _)| i);
    let before = before[from..].to_lowercase();
    if lang::LABEL_MARKERS.iter().any(|m| before.ends_with(m)) {
        return false;
    }
    if title_like(s.slice(quote.inner)) {
        return false;
    }
    if s.slice(quote.inner).split_whitespace().count() >= 4 {
        return true;
    }
    s.analysis
        .sentences
        .iter()
        .filter(|x| x.span.overlap(&quote.outer) > 0)
        .any(|x| {
            // the sentence's words around the quotation (its analysed
            // tokens: no word straddles a quotation mark)
            span_tokens(s.analysis, x.span)
                .iter()
                .filter(|t| t.span.end <= quote.outer.start || t.span.start >= quote.outer.end)
                .any(|t| lang::is_quote_verb(&t.norm))
        })
}

/// Runs the detector: a `quote_altered` or `quote_unquoted` finding for
/// each source quotation (speech, two words or more) that the rewrite does
/// not keep verbatim, in source order.
pub(super) fn quote_findings(q: &Side, s: &Side, links: &[&AlignedLink], out: &mut Vec<Finding>) {
    // the rewrite's quotations: double marks, and single marks (British
    // style), which are trusted only for close matches
    let q_doubles = find_quotes(q.text);
    let q_singles = single_quotes_outside(q.text, &q_doubles);
    let q_quotes: Vec<(Quote, bool)> = q_doubles
        .into_iter()
        .map(|x| (x, false))
        .chain(q_singles.into_iter().map(|x| (x, true)))
        .collect();
    let s_quotes = find_quotes(s.text);
    // the words of every quotation, read once (quotations are compared
    // pairwise)
    let q_words: Vec<QuoteWords> = q_quotes
        .iter()
        .map(|(x, _)| QuoteWords::new(q, x))
        .collect();
    let s_words_all: Vec<QuoteWords> = s_quotes.iter().map(|x| QuoteWords::new(s, x)).collect();
    for (si, whole) in s_quotes.iter().enumerate() {
        if s_words_all[si].words.len() < 2 || !is_speech(s, whole) {
            continue;
        }
        let sw = &s_words_all[si];
        let rewrite = (&q_quotes[..], &q_words[..]);
        // kept verbatim (or a verbatim part of it), wherever it now stands
        if !q_words.iter().any(|x| same_quote(sw, x)) {
            judge(q, s, links, (whole, sw), rewrite, &s_words_all, out);
            continue;
        }
        // a quotation of several sentences quoted only in part: the
        // sentences left out of the rewrite's quotations are read on their
        // own ("doesn't give us any joy. We don't want to take retaliatory
        // action ..." / "doesn't give us any joy," adding that Washington
        // did not want to take retaliatory action)
        for part in quoted_sentences(s, whole) {
            let pw = QuoteWords::new(s, &part);
            if pw.words.len() >= MIN_PART_WORDS && !q_words.iter().any(|x| same_quote(&pw, x)) {
                judge(q, s, links, (&part, &pw), rewrite, &s_words_all, out);
            }
        }
    }
}

/// Words at least in a sentence of a quotation read on its own (see
/// [`quote_findings`]).
const MIN_PART_WORDS: usize = 4;

/// The sentences of a quotation of two or more (as the analysis splits
/// the text, "Mr." and "U.S." no end), each as a quotation of its own:
/// inner and outer, the sentence's words; none for one sentence.
fn quoted_sentences(s: &Side, quote: &Quote) -> Vec<Quote> {
    let inner = quote.inner;
    let cuts = s
        .analysis
        .sentences
        .iter()
        .map(|x| x.span.start)
        .filter(|&b| b > inner.start && b < inner.end);
    let mut out = Vec::new();
    let mut from = inner.start;
    for to in cuts.chain([inner.end]) {
        let text = &s.text[from..to];
        let start = from + (text.len() - text.trim_start().len());
        let end = from + text.trim_end().len();
        if end > start {
            out.push(Span::new(start, end));
        }
        from = to;
    }
    if out.len() < 2 {
        return Vec::new();
    }
    out.into_iter()
        .map(|x| Quote { inner: x, outer: x })
        .collect()
}

/// The finding for source quotation `sq` (words `sw`) that the rewrite
/// does not keep verbatim: altered, unquoted, or none.
fn judge(
    q: &Side,
    s: &Side,
    links: &[&AlignedLink],
    (sq, sw): (&Quote, &QuoteWords),
    (q_quotes, q_words): (&[(Quote, bool)], &[QuoteWords]),
    s_words_all: &[QuoteWords],
    out: &mut Vec<Finding>,
) {
    let s_text = s.slice(sq.inner);
    let s_words = &sw.words;
    let linked = links_over_source(links, sq.inner);
    let Some(region) = cover(linked.iter().map(|l| l.query_span)) else {
        return;
    };
    let s_content = &sw.content;
    // the quotation in the rewrite's aligned region that best matches,
    // leaving out those that copy another quotation of the source
    let best = q_quotes
        .iter()
        .zip(q_words)
        .filter(|((x, _), _)| x.inner.overlap(&region) > 0)
        .filter(|(_, xw)| !s_words_all.iter().any(|o| same_quote(o, xw)))
        .map(|((x, single), xw)| {
            let content = dice(&xw.content, s_content);
            // a short quotation may keep no content word but the one
            // changed ("brought on themselves" / "created for
            // themselves"): then its words as a whole, when most are kept
            let all = dice(&xw.words, s_words);
            let d = if s_content.len() <= 3 && all >= 0.5 {
                content.max(all)
            } else {
                content
            };
            (x, *single, d)
        })
        .max_by(|a, b| a.2.total_cmp(&b.2));
    // (clipped only for a finding: most quotations give none)
    let src_quote = || clip(s_text, 90);
    match best {
        Some((qq, single, d)) if d >= 0.2 => {
            // a loose match in single marks may be no quotation at all
            if single && d < 0.5 {
                return;
            }
            out.push(Finding {
                kind: kinds::QUOTE_ALTERED,
                source: Some(s.span(sq.outer)),
                query: Some(q.span(qq.outer)),
                detail: format!(
                    "source quotes \"{}\"; the rewrite quotes \"{}\"",
                    src_quote(),
                    clip(q.slice(qq.inner), 90)
                ),
            });
        }
        _ => {
            // the quotation's content must be there, in other form
            // (the region is whole sentences: their analysed tokens)
            let region_words: Vec<&str> = span_content_stems(q.analysis, region).collect();
            let found = s_content
                .iter()
                .filter(|w| region_words.contains(w))
                .count();
            let sim = linked.iter().map(|l| l.similarity).fold(0.0, f32::max);
            if s_content.len() >= 2 && found * 3 >= s_content.len() && sim >= 0.25 {
                // the suspect sentence(s) that carry it
                let carrier = linked
                    .iter()
                    .max_by_key(|l| l.source_span.overlap(&sq.inner))
                    .map(|l| l.query_span)
                    .unwrap_or(region);
                out.push(Finding {
                    kind: kinds::QUOTE_UNQUOTED,
                    source: Some(s.span(sq.outer)),
                    query: Some(q.span(carrier)),
                    detail: format!(
                        "source quotes \"{}\"; the rewrite gives it without quotation marks: \"{}\"",
                        src_quote(),
                        clip(q.slice(carrier), 90)
                    ),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::testing::{diagonal_findings, Pair};

    /// The quotation findings of `q` against `s`, sentence `i` linked with
    /// sentence `i`.
    fn run(q: &str, s: &str) -> (Pair, Vec<Finding>) {
        diagonal_findings(q, s, 0.6, quote_findings)
    }

    const SOURCE: &str = "The mayor spoke on Monday.\n\n\"We will rebuild the bridge before winter,\" Mayor Ruth Diaz said.\n\nThe bridge closed in May.";

    #[test]
    fn a_sentence_left_out_of_a_partly_kept_quotation_is_unquoted() {
        let s = "\"The deal gives us no joy. We do not want to raise tariffs on cars if we can avoid it,\" Yates said.";
        // (the source's two sentences linked with the rewrite's two)
        let q = "Yates said the deal \"gives us no joy.\" He added that the country did not want to raise tariffs on cars if it could avoid it.";
        let (p, out) = run(q, s);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].kind, kinds::QUOTE_UNQUOTED);
        assert!(
            p.s_at(&out[0]).starts_with("We do not want"),
            "{}",
            p.s_at(&out[0])
        );
        // both sentences kept, in two quotations: nothing
        let q = "\"The deal gives us no joy,\" Yates said. \"We do not want to raise tariffs on cars if we can avoid it.\"";
        assert!(run(q, s).1.is_empty());
        // "Mr." ends no sentence of a quotation
        let s = "\"Mr. Pike was driving at twice the speed limit on the wrong side,\" Reeve said.";
        let q = "Reeve said \"Mr. Pike was driving at twice the speed limit\" on the wrong side.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn a_quoted_title_is_no_speech() {
        assert!(title_like("Meet the Press."));
        assert!(title_like("Face the Nation"));
        assert!(!title_like("We Will Rebuild the bridge"));
        assert!(!title_like("Never"));
        let s = "Prices will fall soon, Bentsen told NBC Television's \"Meet the Press.\"";
        let q = "Prices will fall soon, Bentsen told NBC Television's Meet the Press program.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn a_quotation_kept_verbatim_is_no_finding() {
        let q = "On Monday the mayor spoke.\n\n\"We will rebuild the bridge before winter,\" Diaz told reporters.\n\nIn May the bridge closed.";
        assert!(run(q, SOURCE).1.is_empty());
    }

    #[test]
    fn a_reworded_quotation_is_altered() {
        let q = "The mayor spoke on Monday.\n\n\"We are going to rebuild the bridge before the winter comes,\" Mayor Ruth Diaz said.\n\nThe bridge closed in May.";
        let (p, out) = run(q, SOURCE);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::QUOTE_ALTERED);
        assert_eq!(
            p.s_at(&out[0]),
            "\"We will rebuild the bridge before winter,\""
        );
        assert!(p.q_at(&out[0]).starts_with("\"We are going to"));
    }

    #[test]
    fn a_short_quotation_with_its_one_content_word_changed_is_altered() {
        let s = "Rao said the losses were problems \"they have caused for themselves.\"";
        let q = "Rao said the losses were problems \"they have made for themselves.\"";
        let (_, out) = run(q, s);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].kind, kinds::QUOTE_ALTERED);
    }

    #[test]
    fn a_quotation_told_as_reported_speech_is_unquoted() {
        let q = "The mayor spoke on Monday.\n\nMayor Ruth Diaz said the city would rebuild the bridge before winter.\n\nThe bridge closed in May.";
        let (p, out) = run(q, SOURCE);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::QUOTE_UNQUOTED);
        assert_eq!(
            p.q_at(&out[0]),
            "Mayor Ruth Diaz said the city would rebuild the bridge before winter."
        );
    }

    #[test]
    fn an_elided_quotation_is_kept() {
        let q = "The mayor spoke on Monday.\n\n\"We will rebuild ... before winter,\" Mayor Ruth Diaz said.\n\nThe bridge closed in May.";
        assert!(run(q, SOURCE).1.is_empty());
    }

    #[test]
    fn a_label_in_quotation_marks_is_no_speech() {
        let s = "The council approved the so-called \"green corridor\" on Monday.";
        let q = "The council approved the plan for a green route on Monday.";
        assert!(run(q, s).1.is_empty());
        // the same two words framed by a speech verb are speech
        let s = "The plan is \"green enough,\" the mayor said on Monday.";
        let q = "The plan is clean enough, the mayor said on Monday.";
        let (_, out) = run(q, s);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::QUOTE_UNQUOTED);
    }

    #[test]
    fn quotation_words_read_wire_forms_and_typos() {
        assert!(same_word("negotations", "negotiations"));
        assert!(!same_word("rose", "rise"));
        assert!(!same_word("1,500,000", "1,500,001"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        // a text read as one quotation
        let pairs: Vec<Pair> = [
            "up 15 mln dlrs, or 22 pct",
            "we will not back down, not now",
            "we will not back down ... now",
            "we will back down now",
        ]
        .iter()
        .map(|t| Pair::new(t, t))
        .collect();
        let sides: Vec<Side> = pairs.iter().map(|p| p.s()).collect();
        let words: Vec<QuoteWords> = sides
            .iter()
            .map(|side| {
                let whole = Span::new(0, side.text.len());
                QuoteWords::new(
                    side,
                    &Quote {
                        inner: whole,
                        outer: whole,
                    },
                )
            })
            .collect();
        assert_eq!(
            words[0].words,
            ["up", "15", "million", "or", "22", "percent"]
        );
        let a = &words[1];
        assert!(same_quote(a, &words[2]));
        assert!(!same_quote(a, &words[3]));
        assert_eq!(a.content, ["back"]);
    }
}
