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

mod quotes;

pub use quotes::{find_quotes, find_single_quotes, Quote};

use std::collections::HashSet;

use crate::align::{AlignedLink, AlignedPassage};
use crate::features::PairSimilarity;
use crate::report::{CharSpan, Finding};
use crate::text::{tokenize, Analysis, Span, Token, TokenKind};

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
}

impl Side<'_> {
    fn span(&self, s: Span) -> CharSpan {
        let c = self.analysis.chars.span(s);
        CharSpan(c.start, c.end)
    }
    fn slice(&self, s: Span) -> &str {
        &self.text[s.start..s.end]
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
    let passages: Vec<AlignedPassage> = passages.iter().map(|p| widen_passage(q, s, p)).collect();
    let passages = &passages[..];
    let links: Vec<&AlignedLink> = passages.iter().flat_map(|p| &p.links).collect();
    quote_findings(q, s, &links, &mut out);
    attribution_findings(q, s, &links, &mut out);
    number_findings(q, s, passages, &links, &mut out);
    name_findings(q, s, &links, &mut out);
    coverage_findings(q, s, &links, sim, &mut out);
    out.sort_by_key(|f| {
        (
            f.query.map(|c| c.0).unwrap_or(usize::MAX),
            f.source.map(|c| c.0).unwrap_or(usize::MAX),
        )
    });
    out
}

/// The span of sentences `r` of `a`, joined with `span`.
fn sentence_cover(a: &Analysis, r: &std::ops::Range<usize>, span: Span) -> Span {
    a.sentences
        .get(r.clone())
        .and_then(|x| cover(x.iter().map(|x| x.span)))
        .map_or(span, |c| c.cover(&span))
}

/// A passage whose links (and spans) cover their sentences whole.
fn widen_passage(q: &Side, s: &Side, p: &AlignedPassage) -> AlignedPassage {
    let mut p = p.clone();
    for l in &mut p.links {
        l.query_span = sentence_cover(q.analysis, &l.query, l.query_span);
        l.source_span = sentence_cover(s.analysis, &l.source, l.source_span);
        p.query_span = p.query_span.cover(&l.query_span);
        p.source_span = p.source_span.cover(&l.source_span);
    }
    p
}

/// Shortens `s` to at most `n` characters on a word boundary, one line.
fn clip(s: &str, n: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= n {
        return flat;
    }
    let mut cut: String = flat.chars().take(n).collect();
    if let Some(sp) = cut.rfind(' ') {
        if sp > n / 2 {
            cut.truncate(sp);
        }
    }
    format!("{cut}\u{2026}")
}

fn norm_words(text: &str) -> Vec<String> {
    tokenize(text, 0).into_iter().map(|t| t.norm).collect()
}

fn content_words(text: &str) -> Vec<String> {
    tokenize(text, 0)
        .into_iter()
        .filter(|t| !t.stop)
        .map(|t| t.stem)
        .collect()
}

fn dice(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let sb: HashSet<&String> = b.iter().collect();
    let sa: HashSet<&String> = a.iter().collect();
    let common = sa.iter().filter(|w| sb.contains(*w)).count();
    2.0 * common as f32 / (sa.len() + sb.len()) as f32
}

fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn links_over_source<'a>(links: &[&'a AlignedLink], span: Span) -> Vec<&'a AlignedLink> {
    links
        .iter()
        .copied()
        .filter(|l| l.source_span.overlap(&span) > 0)
        .collect()
}

fn cover(spans: impl Iterator<Item = Span>) -> Option<Span> {
    spans.reduce(|a, b| a.cover(&b))
}

// ---------------------------------------------------------------- quotes

/// Verbs that introduce or frame speech around a quotation.
const QUOTE_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "called",
    "calls",
    "call",
    "calling",
    "described",
    "describes",
    "describing",
    "warned",
    "warns",
    "urged",
    "urges",
    "insisted",
    "argued",
    "asked",
    "promised",
    "vowed",
    "wrote",
    "writes",
    "writing",
    "stated",
    "declared",
    "explained",
    "noted",
    "admitted",
    "claimed",
    "replied",
    "tweeted",
    "posted",
    "announced",
    "recalled",
    "continued",
    "pledged",
    "acknowledged",
    "conceded",
    "cautioned",
    "stressed",
];

/// Words that mark a quoted phrase as a label, not speech: the so-called
/// "green corridor", a film titled "Blue Harbor".
const LABEL_MARKERS: &[&str] = &[
    "so-called",
    "so called",
    "dubbed",
    "nicknamed",
    "titled",
    "entitled",
    "known as",
    "branded",
];

/// The words of each part of an elided quotation ("a ... b").
fn quote_parts(text: &str) -> Vec<Vec<String>> {
    text.split('\u{2026}')
        .flat_map(|p| p.split("..."))
        .map(quote_words)
        .filter(|p| !p.is_empty())
        .collect()
}

/// A quotation's words for comparing two renderings of it: normalised,
/// wire abbreviations spelled out ("pct" = "percent", "mln" = "million"),
/// currency words left out ("15 dlrs" = "$15" = "15 dollars").
fn quote_words(text: &str) -> Vec<String> {
    norm_words(text)
        .into_iter()
        .filter(|w| !crate::text::lang::CURRENCY_WORDS.contains(&w.as_str()))
        .map(|w| match crate::text::lang::wire_form(&w) {
            Some(full) => full.to_string(),
            None => w,
        })
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

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn contains_seq_fuzzy(hay: &[String], needle: &[String]) -> bool {
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
    let elided = |x: &QuoteWords, hay: &[String]| {
        x.parts.len() >= 2 && x.parts.iter().all(|p| contains_seq_fuzzy(hay, p))
    };
    contains_seq_fuzzy(aw, bw) || contains_seq_fuzzy(bw, aw) || elided(a, bw) || elided(b, aw)
}

/// A quotation's normalised words, and its parts around elisions ("...").
struct QuoteWords {
    words: Vec<String>,
    parts: Vec<Vec<String>>,
}

impl QuoteWords {
    fn new(text: &str) -> Self {
        QuoteWords {
            words: quote_words(text),
            parts: quote_parts(text),
        }
    }
}

/// Whether a source quotation is speech: four words or more, or framed by
/// a speech verb in its sentence; and not a label ("so-called ...").
fn is_speech(s: &Side, quote: &Quote) -> bool {
    let before = s.text[..quote.outer.start].trim_end().to_lowercase();
    if LABEL_MARKERS.iter().any(|m| before.ends_with(m)) {
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
            let around = format!(
                "{} {}",
                &s.text[x.span.start..quote.outer.start.max(x.span.start)],
                &s.text[quote.outer.end.min(x.span.end)..x.span.end]
            );
            tokenize(&around, 0)
                .iter()
                .any(|t| QUOTE_VERBS.contains(&t.norm.as_str()))
        })
}

fn quote_findings(q: &Side, s: &Side, links: &[&AlignedLink], out: &mut Vec<Finding>) {
    // the rewrite's quotations: double marks, and single marks (British
    // style), which are trusted only for close matches
    let q_quotes: Vec<(Quote, bool)> = find_quotes(q.text)
        .into_iter()
        .map(|x| (x, false))
        .chain(find_single_quotes(q.text).into_iter().map(|x| (x, true)))
        .collect();
    let s_quotes = find_quotes(s.text);
    // the words of every quotation, read once (quotations are compared
    // pairwise)
    let q_words: Vec<QuoteWords> = q_quotes
        .iter()
        .map(|(x, _)| QuoteWords::new(q.slice(x.inner)))
        .collect();
    let s_words_all: Vec<QuoteWords> = s_quotes
        .iter()
        .map(|x| QuoteWords::new(s.slice(x.inner)))
        .collect();
    for (si, sq) in s_quotes.iter().enumerate() {
        let s_text = s.slice(sq.inner);
        let s_words = &s_words_all[si].words;
        if s_words.len() < 2 || !is_speech(s, sq) {
            continue;
        }
        // kept verbatim (or a verbatim part of it), wherever it now stands
        if q_words.iter().any(|x| same_quote(&s_words_all[si], x)) {
            continue;
        }
        let linked = links_over_source(links, sq.inner);
        let Some(region) = cover(linked.iter().map(|l| l.query_span)) else {
            continue;
        };
        let s_content = content_words(s_text);
        // the quotation in the rewrite's aligned region that best matches,
        // leaving out those that copy another quotation of the source
        let best = q_quotes
            .iter()
            .zip(&q_words)
            .filter(|((x, _), _)| x.inner.overlap(&region) > 0)
            .filter(|(_, xw)| {
                !s_words_all
                    .iter()
                    .enumerate()
                    .any(|(k, o)| k != si && same_quote(o, xw))
            })
            .map(|((x, single), _)| {
                (
                    x,
                    *single,
                    dice(&content_words(q.slice(x.inner)), &s_content),
                )
            })
            .max_by(|a, b| a.2.total_cmp(&b.2));
        let src_quote = clip(s_text, 90);
        match best {
            Some((qq, single, d)) if d >= 0.2 => {
                // a loose match in single marks may be no quotation at all
                if single && d < 0.5 {
                    continue;
                }
                out.push(Finding {
                    kind: kinds::QUOTE_ALTERED,
                    source: Some(s.span(sq.outer)),
                    query: Some(q.span(qq.outer)),
                    detail: format!(
                        "source quotes \"{src_quote}\"; the rewrite quotes \"{}\"",
                        clip(q.slice(qq.inner), 90)
                    ),
                });
            }
            _ => {
                // the quotation's content must be there, in other form
                let region_words = content_words(q.slice(region));
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
                            "source quotes \"{src_quote}\"; the rewrite gives it without quotation marks: \"{}\"",
                            clip(q.slice(carrier), 90)
                        ),
                    });
                }
            }
        }
    }
}

// ---------------------------------------------------------- attributions

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "reported",
    "reports",
    "stated",
    "announced",
    "wrote",
    "confirmed",
    "added",
    "noted",
    "explained",
    "tweeted",
    "posted",
];

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "mayor",
    "president",
    "minister",
    "senator",
    "sen",
    "rep",
    "governor",
    "gov",
    "councilman",
    "councilwoman",
    "chief",
    "executive",
    "ceo",
    "director",
    "spokesman",
    "spokeswoman",
    "secretary",
    "judge",
    "general",
    "gen",
    "officer",
    "inspector",
    "professor",
    "chairman",
    "chairwoman",
    "king",
    "queen",
    "pope",
    "lord",
    "sir",
    "dame",
    "captain",
    "coach",
];

const NOT_NAMES: &[&str] = &[
    "officials",
    "police",
    "analysts",
    "experts",
    "scientists",
    "researchers",
    "residents",
    "critics",
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "authorities",
    "sources",
    "witnesses",
    "investigators",
    "doctors",
    "lawyers",
    "prosecutors",
    "reporters",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "some",
    "many",
    "others",
    "company",
    "government",
    "ministry",
    "spokesperson",
    "statement",
    "study",
    "report",
    "data",
    "people",
    "everyone",
    "nobody",
    "someone",
    "who",
    "which",
    "what",
    "there",
    "here",
];

const MONTHS_DAYS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A name: byte span and its lower-case key tokens (titles removed).
#[derive(Debug, Clone)]
struct Name {
    span: Span,
    keys: Vec<String>,
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Capitalised word runs in `text[span]` (allowing "of"/"the"/"de" inside
/// when a capital follows). Sentence-initial single words are skipped
/// unless they are all capitals (CNN, AP).
fn names_in(side: &Side, span: Span, sentence_starts: &HashSet<usize>) -> Vec<Name> {
    let text = side.text;
    let toks = span_tokens(side.analysis, span);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let raw = &text[toks[i].span.start..toks[i].span.end];
        if !is_cap(raw) || toks[i].kind == TokenKind::Number {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < toks.len() {
            let r = &text[toks[j].span.start..toks[j].span.end];
            let gap = &text[toks[j - 1].span.end..toks[j].span.start];
            if gap.trim() != "" && gap.trim() != "-" {
                break;
            }
            if is_cap(r) {
                j += 1;
            } else if ["of", "the", "de", "von", "van", "al", "del"].contains(&r)
                && j + 1 < toks.len()
                && is_cap(&text[toks[j + 1].span.start..toks[j + 1].span.end])
                && text[toks[j].span.end..toks[j + 1].span.start]
                    .trim()
                    .is_empty()
            {
                j += 2;
            } else {
                break;
            }
        }
        let run = &toks[i..j];
        let at_start = sentence_starts.contains(&run[0].span.start) || {
            // after an opening quote or a colon
            let before = text[..run[0].span.start].trim_end();
            before.ends_with(['"', '\u{201C}', ':', '(', '-']) || before.is_empty()
        };
        let keys: Vec<String> = run
            .iter()
            .map(|t| t.norm.clone())
            .filter(|k| {
                !TITLES.contains(&k.as_str())
                    && !["of", "the", "de", "von", "van", "al", "del"].contains(&k.as_str())
            })
            .collect();
        let all_caps = run.len() == 1
            && raw.chars().count() >= 2
            && raw.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
        let generic = keys.is_empty()
            || keys.iter().all(|k| {
                NOT_NAMES.contains(&k.as_str())
                    || MONTHS_DAYS.contains(&k.as_str())
                    || crate::text::is_stop_word(k)
            });
        let skip_start = at_start && run.len() == 1 && !all_caps;
        if !generic && !skip_start {
            out.push(Name {
                span: Span::new(run[0].span.start, run[run.len() - 1].span.end),
                keys,
            });
        }
        i = j;
    }
    out
}

/// The analysed tokens lying inside `span` (the texts were tokenised once,
/// sentence by sentence; spans here are sentence or token aligned).
fn span_tokens(a: &Analysis, span: Span) -> &[Token] {
    let lo = a.tokens.partition_point(|t| t.span.start < span.start);
    let hi = lo + a.tokens[lo..].partition_point(|t| t.span.end <= span.end);
    &a.tokens[lo..hi]
}

fn sentence_starts(a: &Analysis) -> HashSet<usize> {
    a.sentences.iter().map(|s| s.span.start).collect()
}

fn word_set(a: &Analysis) -> HashSet<String> {
    a.tokens.iter().map(|t| t.norm.clone()).collect()
}

/// Attribution phrases in a source sentence: the credited name and the
/// phrase that credits it ("told the Northern Ledger", "Reuters reported").
fn attributions(side: &Side, sent: Span, starts: &HashSet<usize>) -> Vec<(Name, Span)> {
    let text = side.text;
    let names = names_in(side, sent, starts);
    let mut out = Vec::new();
    for n in names {
        let before = text[sent.start..n.span.start].trim_end();
        let before_l = before.to_lowercase();
        let after = &text[n.span.end..sent.end];
        let after_l = after.trim_start().to_lowercase();
        let lead = [
            "told the",
            "told",
            "according to the",
            "according to",
            "reported by the",
            "reported by",
            "interview with the",
            "interview with",
            "said the",
            "quoted by the",
            "quoted by",
            "seen by the",
            "seen by",
            "obtained by the",
            "obtained by",
            "reviewed by the",
            "reviewed by",
            "speaking to the",
            "speaking to",
            "first reported by the",
            "first reported by",
            "citing the",
            "citing",
            "statement to the",
            "statement to",
            "comments to the",
            "comments to",
        ];
        let mut phrase = None;
        for l in lead {
            if before_l.ends_with(l)
                && before_l[..before_l.len() - l.len()]
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric())
                && before.len() >= l.len()
                && before.is_char_boundary(before.len() - l.len())
            {
                phrase = Some(Span::new(sent.start + before.len() - l.len(), n.span.end));
                break;
            }
        }
        if phrase.is_none() {
            let first = after_l
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if SPEECH_VERBS.contains(&first) && !after.trim_start().is_empty() {
                let verb_end = n.span.end + (after.len() - after.trim_start().len()) + first.len();
                phrase = Some(Span::new(n.span.start, verb_end));
            }
        }
        if let Some(p) = phrase {
            out.push((n, p));
        }
    }
    out
}

fn count_word(words: &[String], k: &str) -> usize {
    words.iter().filter(|w| *w == k).count()
}

/// What the rewrite's words offer for recognising a name, computed once.
struct NameIndex {
    /// Normalised words, in order.
    words: Vec<String>,
    /// Stems of all words.
    stems: HashSet<String>,
    /// Raw words without dots ("U.N." -> "UN").
    compact: HashSet<String>,
    /// The acronyms among its names ("WHO", "U.N." -> "UN").
    acronyms: HashSet<String>,
    /// The initials of its names of two capitalised words or more.
    initials: HashSet<String>,
}

impl NameIndex {
    fn new(q: &Side) -> Self {
        let toks = &q.analysis.tokens;
        let starts = sentence_starts(q.analysis);
        let mut ix = NameIndex {
            words: toks.iter().map(|t| t.norm.clone()).collect(),
            stems: toks.iter().map(|t| t.stem.clone()).collect(),
            compact: toks
                .iter()
                .map(|t| q.text[t.span.start..t.span.end].replace('.', ""))
                .collect(),
            acronyms: HashSet::new(),
            initials: HashSet::new(),
        };
        for n in q
            .analysis
            .sentences
            .iter()
            .flat_map(|x| names_in(q, x.span, &starts))
        {
            ix.acronyms.extend(compact_acronym(q.text, &n));
            ix.initials.extend(initials(q.text, &n));
        }
        ix
    }
}

/// Whether the rewrite still names `name` (credited in source sentence
/// `sent`, carried by the suspect `region`): by its words, by a word of the
/// same stem ("Democrats" / "Democratic lawmakers"), or by its acronym or
/// expansion ("World Health Organization" / "WHO", "U.N." / "United
/// Nations").
fn name_kept(q: &Side, s: &Side, name: &Name, sent: Span, region: Span, ix: &NameIndex) -> bool {
    if contains_seq(&ix.words, &name.keys) {
        return true;
    }
    if initials(s.text, name).is_some_and(|acr| ix.compact.contains(&acr)) {
        return true;
    }
    // one is the acronym of the other (see `acronym_pair`)
    if compact_acronym(s.text, name).is_some_and(|a| ix.initials.contains(&a))
        || initials(s.text, name).is_some_and(|i| ix.acronyms.contains(&i))
    {
        return true;
    }
    let sent_words = norm_words(s.slice(sent));
    let region_words = norm_words(q.slice(region));
    name.keys.iter().any(|k| {
        if crate::text::is_stop_word(k) || MONTHS_DAYS.contains(&k.as_str()) {
            return false;
        }
        let in_sent = count_word(&sent_words, k);
        if in_sent > 1 {
            // the word names something else in the sentence too ("the state
            // of Tamsin ... the Tamsin Observer"): every use must be there
            count_word(&region_words, k) >= in_sent
        } else {
            ix.words.contains(k)
                || tokenize(k, 0)
                    .first()
                    .is_some_and(|t| ix.stems.contains(&t.stem))
        }
    })
}

fn attribution_findings(q: &Side, s: &Side, links: &[&AlignedLink], out: &mut Vec<Finding>) {
    let starts = sentence_starts(s.analysis);
    let q_starts = sentence_starts(q.analysis);
    let s_all = word_set(s.analysis);
    let mut index: Option<NameIndex> = None;
    let mut seen: HashSet<Vec<String>> = HashSet::new();
    for sent in &s.analysis.sentences {
        let linked = links_over_source(links, sent.span);
        let Some(best) = linked
            .iter()
            .max_by(|a, b| a.similarity.total_cmp(&b.similarity))
        else {
            continue;
        };
        if best.similarity < 0.25 {
            continue;
        }
        let found = attributions(s, sent.span, &starts);
        if found.is_empty() {
            continue;
        }
        let Some(carrier) = cover(linked.iter().map(|l| l.query_span)) else {
            continue;
        };
        // the rewrite credits someone the source never names: the credit
        // was replaced, not removed (a name change)
        let replaced = q
            .analysis
            .sentences
            .iter()
            .filter(|x| x.span.overlap(&carrier) > 0)
            .flat_map(|x| attributions(q, x.span, &q_starts))
            .any(|(n, _)| n.keys.iter().all(|k| !s_all.contains(k)));
        if replaced {
            continue;
        }
        for (name, phrase) in found {
            // kept if the name (or its acronym) is still in the rewrite
            let ix = index.get_or_insert_with(|| NameIndex::new(q));
            if name_kept(q, s, &name, sent.span, carrier, ix) {
                continue;
            }
            if !seen.insert(name.keys.clone()) {
                continue;
            }
            out.push(Finding {
                kind: kinds::ATTRIBUTION_REMOVED,
                source: Some(s.span(phrase)),
                query: Some(q.span(best.query_span)),
                detail: format!(
                    "source says \"{}\"; the rewrite keeps the content but names no \"{}\"",
                    clip(s.slice(phrase), 60),
                    clip(s.slice(name.span), 40)
                ),
            });
        }
    }
}

// --------------------------------------------------------------- numbers

#[derive(Debug, Clone, PartialEq)]
struct Num {
    value: f64,
    /// Whether a scale word was folded in ("3 million").
    scaled: bool,
    /// Digits after the decimal point as written ("22.25": 2).
    decimals: u32,
    percent: bool,
    span: Span,
    /// Stem of the first content word after the number ("18,500 runners"):
    /// what it counts.
    unit: Option<String>,
    /// Stem of the word right before it ("March 3", "Highway 9").
    prev: Option<String>,
}

fn raw_lower(text: &str, s: Span) -> String {
    text[s.start..s.end].to_lowercase()
}

fn is_word_number(raw: &str) -> bool {
    raw.chars().all(|c| c.is_alphabetic())
}

/// The numbers of `text[span]` with their values: scale words folded in
/// ("3 million", "two hundred", "two decades" = 20 years), compound number
/// words joined ("twenty-five"), percentages marked.
fn numbers_in(side: &Side, span: Span) -> Vec<Num> {
    let text = side.text;
    let toks = span_tokens(side.analysis, span);
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        let raw = raw_lower(text, t.span);
        // "one" is mostly a pronoun ("the next one"); "a dozen" is vague
        let Ok(mut value) = t.norm.parse::<f64>() else {
            k += 1;
            continue;
        };
        if t.kind != TokenKind::Number || raw == "one" || raw == "dozen" || raw == "hundred" {
            k += 1;
            continue;
        }
        let mut last = k;
        let mut scaled = false;
        let decimals = raw.split_once('.').map_or(0, |(_, d)| {
            d.chars().take_while(|c| c.is_ascii_digit()).count() as u32
        });
        // "twenty-five"
        if is_word_number(&raw) && (20.0..=90.0).contains(&value) && value % 10.0 == 0.0 {
            if let Some(n) = toks.get(k + 1) {
                let nraw = raw_lower(text, n.span);
                let unit: f64 = n.norm.parse().unwrap_or(0.0);
                if n.kind == TokenKind::Number
                    && is_word_number(&nraw)
                    && (1.0..=9.0).contains(&unit)
                    && text[t.span.end..n.span.start].trim() == "-"
                {
                    value += unit;
                    last = k + 1;
                }
            }
        }
        if let Some(next) = toks.get(last + 1) {
            let scale = match raw_lower(text, next.span).as_str() {
                "thousand" => 1e3,
                "million" | "m" | "mln" | "mn" => 1e6,
                "billion" | "bn" | "bln" => 1e9,
                "trillion" => 1e12,
                "hundred" => 100.0,
                // "two decades" = twenty years
                "decade" | "decades" => 10.0,
                _ => 1.0,
            };
            if scale > 1.0 && text[toks[last].span.end..next.span.start].trim().is_empty() {
                value *= scale;
                scaled = scale >= 1e3;
                last += 1;
            }
        }
        let end = toks[last].span.end;
        // (only the next few characters matter: "%", "percent", "per cent")
        let rest: String = text[end..span.end]
            .trim_start()
            .chars()
            .take(8)
            .flat_map(char::to_lowercase)
            .collect();
        let percent = rest.starts_with('%')
            || rest.starts_with("percent")
            || rest.starts_with("per cent")
            || rest.starts_with("pct");
        // what it counts: the next content word, unless another number
        // comes first
        let unit = toks[last + 1..]
            .iter()
            .take(3)
            .take_while(|x| x.kind == TokenKind::Word)
            .find(|x| !x.stop)
            .map(|x| x.stem.clone());
        let prev = (k > 0 && toks[k - 1].kind == TokenKind::Word && !toks[k - 1].stop)
            .then(|| toks[k - 1].stem.clone());
        out.push(Num {
            value,
            scaled,
            decimals,
            percent,
            span: Span::new(t.span.start, end),
            unit,
            prev,
        });
        k = last + 1;
    }
    out
}

fn fmt_num(text: &str, n: &Num) -> String {
    clip(&text[n.span.start..n.span.end], 30)
}

fn same_num(a: &Num, b: &Num) -> bool {
    (a.value - b.value).abs() < 1e-9 * a.value.abs().max(1.0) && a.percent == b.percent
}

/// Whether two differing numbers state the same value at another
/// precision or with a scale one side leaves out: "22.25" / "22.3",
/// "170" / "170 million" (the wire's "170 mln" is the same).
fn same_value_loosely(a: &Num, b: &Num) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() < 1e-9 * x.abs().max(1.0);
    if a.scaled != b.scaled {
        let (plain, big) = if a.scaled { (b, a) } else { (a, b) };
        if [1e3, 1e6, 1e9, 1e12]
            .iter()
            .any(|m| close(plain.value * m, big.value))
        {
            return true;
        }
    }
    // rounding: the less precise side is the other rounded to its digits
    let (fine, coarse) = if a.decimals >= b.decimals {
        (a, b)
    } else {
        (b, a)
    };
    if fine.decimals > coarse.decimals && coarse.value != 0.0 {
        let unit = 10f64.powi(-(coarse.decimals as i32));
        let scale = if coarse.scaled && fine.scaled {
            // "1.25 billion" / "1.3 billion": compare in the scale's units
            [1e3, 1e6, 1e9, 1e12]
                .into_iter()
                .rev()
                .find(|m| coarse.value.abs() >= *m)
                .unwrap_or(1.0)
        } else {
            1.0
        };
        return (fine.value / scale - coarse.value / scale).abs() <= unit / 2.0 + 1e-9;
    }
    false
}

/// Whether two numbers count the same thing: same word after them, or the
/// same word before them ("March 3" / "March 13").
fn same_context(a: &Num, b: &Num) -> bool {
    (a.unit.is_some() && a.unit == b.unit) || (a.prev.is_some() && a.prev == b.prev)
}

/// The changed numbers of one aligned link: pairs (source number, suspect
/// number). A single value lost against a single value gained is a pair;
/// with several, values are paired through what they count, and only where
/// that pairing is unambiguous.
fn changed_numbers<'a>(sn: &'a [Num], qn: &'a [Num], sim: f32) -> Vec<(&'a Num, &'a Num)> {
    let lost: Vec<&Num> = sn
        .iter()
        .filter(|a| !qn.iter().any(|b| same_num(a, b)))
        .collect();
    let new: Vec<&Num> = qn
        .iter()
        .filter(|b| !sn.iter().any(|a| same_num(a, b)))
        .collect();
    let mut out = Vec::new();
    if lost.len() == 1 && new.len() == 1 {
        let (a, b) = (lost[0], new[0]);
        // a loosely aligned pair needs the numbers to count the same thing
        if sim >= 0.3 || (sim >= 0.15 && same_context(a, b)) {
            out.push((a, b));
        }
        return out;
    }
    if sim < 0.3 {
        return out;
    }
    for a in &lost {
        let Some(unit) = &a.unit else { continue };
        let ours: Vec<&&Num> = lost
            .iter()
            .filter(|x| x.unit.as_ref() == Some(unit))
            .collect();
        let theirs: Vec<&&Num> = new
            .iter()
            .filter(|x| x.unit.as_ref() == Some(unit))
            .collect();
        if ours.len() == 1 && theirs.len() == 1 {
            out.push((*a, *theirs[0]));
        }
    }
    out
}

/// Whether one side of a change is arithmetic on the other and a value
/// both sides keep: "rose from 120 to 150" told as "gained 30, reaching
/// 150" is no change.
fn derived(a: &Num, b: &Num, sn: &[Num], qn: &[Num]) -> bool {
    let close = |x: f64, v: f64| (x - v).abs() < 1e-9 * v.abs().max(1.0);
    sn.iter()
        .filter(|y| qn.iter().any(|z| same_num(y, z)))
        .any(|y| {
            close((a.value - y.value).abs(), b.value)
                || close(a.value + y.value, b.value)
                || close((b.value - y.value).abs(), a.value)
                || close(b.value + y.value, a.value)
        })
}

fn number_findings(
    q: &Side,
    s: &Side,
    passages: &[AlignedPassage],
    links: &[&AlignedLink],
    out: &mut Vec<Finding>,
) {
    // the numbers of each passage, read once
    let mut passage_numbers: Vec<Option<(Vec<Num>, Vec<Num>)>> = vec![None; passages.len()];
    let none = (Vec::new(), Vec::new());
    for l in links {
        let sn = numbers_in(s, l.source_span);
        let qn = numbers_in(q, l.query_span);
        if sn.is_empty() || qn.is_empty() {
            continue;
        }
        let passage = passages
            .iter()
            .position(|p| p.links.iter().any(|x| x.source_span == l.source_span));
        let (p_sn, p_qn) = match passage {
            Some(k) => &*passage_numbers[k].get_or_insert_with(|| {
                (
                    numbers_in(s, passages[k].source_span),
                    numbers_in(q, passages[k].query_span),
                )
            }),
            None => &none,
        };
        for (a, b) in changed_numbers(&sn, &qn, l.similarity) {
            if a.percent != b.percent || derived(a, b, &sn, &qn) || same_value_loosely(a, b) {
                continue;
            }
            // a value moved from elsewhere is not a change: the new value
            // must not occur in the source passage, nor the old one in the
            // suspect's
            if p_sn.iter().any(|x| same_num(x, b)) || p_qn.iter().any(|x| same_num(x, a)) {
                continue;
            }
            out.push(Finding {
                kind: kinds::NUMBER_CHANGED,
                source: Some(s.span(a.span)),
                query: Some(q.span(b.span)),
                detail: format!(
                    "source says \"{}\"; the rewrite says \"{}\"",
                    fmt_num(s.text, a),
                    fmt_num(q.text, b)
                ),
            });
        }
    }
}

// ----------------------------------------------------------------- names

/// A name written as one capitalised abbreviation ("U.N." -> "UN", "WHO"):
/// its letters.
fn compact_acronym(text: &str, n: &Name) -> Option<String> {
    // leave out capitalised function words ("The U.N."), not acronyms
    // that spell one ("WHO")
    let toks: Vec<_> = tokenize(&text[n.span.start..n.span.end], n.span.start)
        .into_iter()
        .filter(|t| {
            !(t.stop
                && t.capitalized
                && text[t.span.start..t.span.end]
                    .chars()
                    .skip(1)
                    .any(|c| c.is_lowercase()))
        })
        .collect();
    if toks.len() != 1 {
        return None;
    }
    let letters: String = text[toks[0].span.start..toks[0].span.end]
        .chars()
        .filter(|c| *c != '.')
        .collect();
    let n = letters.chars().count();
    ((2..=6).contains(&n) && letters.chars().all(|c| c.is_uppercase())).then_some(letters)
}

/// The initials of a name of two capitalised words or more ("World Health
/// Organization" -> "WHO", "Associated Press" -> "AP").
fn initials(text: &str, n: &Name) -> Option<String> {
    let firsts: String = tokenize(&text[n.span.start..n.span.end], 0)
        .into_iter()
        .filter(|t| t.capitalized && !t.stop)
        .filter_map(|t| text[n.span.start + t.span.start..].chars().next())
        .collect();
    (firsts.chars().count() >= 2).then_some(firsts)
}

/// Whether one name is the acronym of the other.
fn acronym_pair(a_text: &str, a: &Name, b_text: &str, b: &Name) -> bool {
    let hit = |x: Option<String>, y: Option<String>| x.is_some() && x == y;
    hit(compact_acronym(a_text, a), initials(b_text, b))
        || hit(compact_acronym(b_text, b), initials(a_text, a))
}

/// Names of one country or body that rewrites use interchangeably.
const ALIASES: &[&[&str]] = &[
    &[
        "us",
        "usa",
        "america",
        "united states",
        "united states of america",
    ],
    &["uk", "britain", "great britain", "united kingdom"],
    &["eu", "european union"],
    &["un", "united nations"],
    &["netherlands", "holland"],
    &["uae", "emirates", "united arab emirates"],
    &["russia", "russian federation"],
    &["czech republic", "czechia"],
    &["myanmar", "burma"],
    &["turkey", "turkiye", "t\u{fc}rkiye"],
    &["ivory coast", "cote d'ivoire", "c\u{f4}te d'ivoire"],
    &["south korea", "republic of korea"],
    &["north korea", "dprk"],
];

/// Whether two names are listed aliases of each other.
fn aliases(a: &Name, b: &Name) -> bool {
    let key = |n: &Name| {
        n.keys
            .iter()
            .map(|k| k.replace('.', ""))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (ka, kb) = (key(a), key(b));
    ka != kb
        && ALIASES
            .iter()
            .any(|g| g.contains(&ka.as_str()) && g.contains(&kb.as_str()))
}

/// Whether two name words are spellings of one name ("Japan"/"Japanese",
/// "Sam"/"Samuel", "Alex"/"Alexander").
fn name_variants(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    if (common >= 3 && common == shorter) || common >= 4 {
        return true;
    }
    // an abbreviation: "St"/"Saint", "Mt"/"Mount", "Jr"/"Junior"
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut rest = long.chars();
    short.chars().count() <= 3
        && short.chars().next() == long.chars().next()
        && short.chars().all(|c| rest.any(|x| x == c))
}

/// A one-word name used as an adjective ("French officials", "Kenyan
/// runner"): rewrites swap those for the country's name freely.
fn adjectival(text: &str, n: &Name) -> bool {
    if n.keys.len() != 1 {
        return false;
    }
    let k = &n.keys[0];
    let suffix = ["ese", "ian", "ish", "ean", "an", "ch", "i"]
        .iter()
        .any(|s| k.ends_with(s));
    // followed by a noun it qualifies, not by a function word
    let next = tokenize(&text[n.span.end..], 0).into_iter().next();
    let next_lower = next.is_some_and(|t| {
        !t.capitalized
            && !t.stop
            && t.kind == TokenKind::Word
            && text[n.span.end..n.span.end + t.span.start]
                .trim()
                .is_empty()
    });
    suffix && next_lower
}

/// The words of a name that identify it (no stop words, days, months or
/// generic nouns).
fn core_keys(n: &Name) -> Vec<&String> {
    n.keys
        .iter()
        .filter(|k| {
            !crate::text::is_stop_word(k)
                && !MONTHS_DAYS.contains(&k.as_str())
                && !NOT_NAMES.contains(&k.as_str())
        })
        .collect()
}

/// Whether a sentence is set in title case (a headline): its capitals say
/// nothing about names.
fn title_case(text: &str, span: Span) -> bool {
    let toks: Vec<_> = tokenize(&text[span.start..span.end], span.start)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word && !t.stop)
        .collect();
    let caps = toks.iter().filter(|t| t.capitalized).count();
    toks.len() >= 3 && caps * 10 >= toks.len() * 7
}

fn name_findings(q: &Side, s: &Side, links: &[&AlignedLink], out: &mut Vec<Finding>) {
    let s_starts = sentence_starts(s.analysis);
    let q_starts = sentence_starts(q.analysis);
    let q_all = word_set(q.analysis);
    let s_all = word_set(s.analysis);
    let mut seen: HashSet<(Span, Span)> = HashSet::new();
    for l in links {
        if l.similarity < 0.3
            || title_case(s.text, l.source_span)
            || title_case(q.text, l.query_span)
        {
            continue;
        }
        let sn = names_in(s, l.source_span, &s_starts);
        let qn = names_in(q, l.query_span, &q_starts);
        // names with a word the other text never uses
        let lost: Vec<(&Name, Vec<&String>)> = sn
            .iter()
            .map(|n| (n, core_keys(n)))
            .filter(|(_, keys)| keys.iter().any(|k| !q_all.contains(*k)))
            .collect();
        let new: Vec<(&Name, Vec<&String>)> = qn
            .iter()
            .map(|n| (n, core_keys(n)))
            .filter(|(_, keys)| keys.iter().any(|k| !s_all.contains(*k)))
            .collect();
        if lost.len() != 1 || new.len() != 1 {
            continue;
        }
        let ((a, ak), (b, bk)) = (&lost[0], &new[0]);
        let a_miss: Vec<&String> = ak.iter().copied().filter(|k| !q_all.contains(*k)).collect();
        let b_miss: Vec<&String> = bk.iter().copied().filter(|k| !s_all.contains(*k)).collect();
        // a wholly different name, or the same name with one word replaced
        // in place ("Tom Ferris" / "Tom Harris", "Kings Road" / "Queens Road")
        let whole = a_miss.len() == ak.len() && b_miss.len() == bk.len();
        // one word replaced in the same place, counted from either end
        // ("businessman Tom Ferris" / "Businessman Tom Harris")
        let in_place =
            a_miss.len() == 1 && b_miss.len() == 1 && ak.len() >= 2 && bk.len() >= 2 && {
                let pa = ak.iter().position(|k| *k == a_miss[0]).unwrap_or(0);
                let pb = bk.iter().position(|k| *k == b_miss[0]).unwrap_or(0);
                let shared = ak.iter().any(|k| bk.contains(k));
                shared && (pa == pb || ak.len() - pa == bk.len() - pb)
            };
        if !(whole || in_place) {
            continue;
        }
        if a_miss
            .iter()
            .any(|x| b_miss.iter().any(|y| name_variants(x, y)))
            || adjectival(s.text, a)
            || adjectival(q.text, b)
            || acronym_pair(s.text, a, q.text, b)
            || aliases(a, b)
        {
            continue;
        }
        if !seen.insert((a.span, b.span)) {
            continue;
        }
        out.push(Finding {
            kind: kinds::NAME_CHANGED,
            source: Some(s.span(a.span)),
            query: Some(q.span(b.span)),
            detail: format!(
                "source says \"{}\"; the rewrite says \"{}\"",
                clip(s.slice(a.span), 40),
                clip(q.slice(b.span), 40)
            ),
        });
    }
}

// ------------------------------------------------- dropped / added blocks

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
    toks.iter().all(|t| {
        t.kind != TokenKind::Word || crate::text::lang::SIGN_OFFS.contains(&t.norm.as_str())
    })
}

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

fn coverage_findings(
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
    let short = |side: &Side, span: Span| {
        span_tokens(side.analysis, span)
            .iter()
            .filter(|t| !t.stop)
            .count()
            <= SHORT_BLOCK_WORDS
    };
    let facts = |side: &Side, blocks: &[(std::ops::Range<usize>, Span)], open: &[usize]| {
        let mut f: Vec<(bool, Vec<Num>)> = vec![(false, Vec::new()); blocks.len()];
        for &bi in open {
            f[bi] = (short(side, blocks[bi].1), numbers_in(side, blocks[bi].1));
        }
        f
    };
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
