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
//! can pin down, and stays silent when in doubt (a kept value in other
//! words, a name that appears elsewhere in the rewrite, a partial quote).

mod quotes;

pub use quotes::{find_quotes, Quote};

use std::collections::HashSet;

use crate::align::{AlignedLink, AlignedPassage};
use crate::features::PairSimilarity;
use crate::report::{CharSpan, Finding};
use crate::text::{tokenize, Analysis, Span, TokenKind};

/// The kinds of finding, as they appear in reports.
pub mod kinds {
    /// A quotation reworded.
    pub const QUOTE_ALTERED: &str = "quote_altered";
    /// A quotation turned into reported speech.
    pub const QUOTE_UNQUOTED: &str = "quote_unquoted";
    /// A named source of information dropped.
    pub const ATTRIBUTION_REMOVED: &str = "attribution_removed";
    /// A number, amount, percentage or date changed.
    pub const NUMBER_CHANGED: &str = "number_changed";
    /// A name replaced by another.
    pub const NAME_CHANGED: &str = "name_changed";
    /// Source content with no counterpart.
    pub const CONTENT_DROPPED: &str = "content_dropped";
    /// Suspect content with no counterpart.
    pub const CONTENT_ADDED: &str = "content_added";
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
    let links: Vec<&AlignedLink> = passages.iter().flat_map(|p| &p.links).collect();
    quote_findings(q, s, &links, &mut out);
    attribution_findings(q, s, passages, &links, &mut out);
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

fn quote_findings(q: &Side, s: &Side, links: &[&AlignedLink], out: &mut Vec<Finding>) {
    let q_quotes = find_quotes(q.text);
    for sq in find_quotes(s.text) {
        let linked = links_over_source(links, sq.inner);
        let Some(region) = cover(linked.iter().map(|l| l.query_span)) else {
            continue;
        };
        let s_words = norm_words(s.slice(sq.inner));
        if s_words.len() < 2 {
            continue;
        }
        let s_content = content_words(s.slice(sq.inner));
        // the quotation in the rewrite's aligned region that best matches
        let best = q_quotes
            .iter()
            .filter(|qq| qq.inner.overlap(&region) > 0)
            .map(|qq| (qq, dice(&content_words(q.slice(qq.inner)), &s_content)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let src_quote = clip(s.slice(sq.inner), 90);
        match best {
            Some((qq, d)) if d >= 0.2 => {
                let q_words = norm_words(q.slice(qq.inner));
                if q_words == s_words
                    || contains_seq(&s_words, &q_words)
                    || contains_seq(&q_words, &s_words)
                {
                    continue; // kept verbatim (or a verbatim part of it)
                }
                out.push(Finding {
                    kind: kinds::QUOTE_ALTERED.into(),
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
                        kind: kinds::QUOTE_UNQUOTED.into(),
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
fn names_in(text: &str, span: Span, sentence_starts: &HashSet<usize>) -> Vec<Name> {
    let toks = tokenize(&text[span.start..span.end], span.start);
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

fn sentence_starts(a: &Analysis) -> HashSet<usize> {
    a.sentences.iter().map(|s| s.span.start).collect()
}

fn word_set(text: &str) -> HashSet<String> {
    tokenize(text, 0).into_iter().map(|t| t.norm).collect()
}

/// Attribution phrases in a source sentence: the credited name and the
/// phrase that credits it ("told the Northern Ledger", "Reuters reported").
fn attributions(text: &str, sent: Span, starts: &HashSet<usize>) -> Vec<(Name, Span)> {
    let names = names_in(text, sent, starts);
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

fn attribution_findings(
    q: &Side,
    s: &Side,
    passages: &[AlignedPassage],
    links: &[&AlignedLink],
    out: &mut Vec<Finding>,
) {
    let starts = sentence_starts(s.analysis);
    let q_all = word_set(q.text);
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
        for (name, phrase) in attributions(s.text, sent.span, &starts) {
            // kept if any key word of the name appears in the aligned passage
            // (or, to stay safe, anywhere in the rewrite)
            let passage = passages
                .iter()
                .find(|p| p.links.iter().any(|l| l.source_span == best.source_span));
            let region = passage.map(|p| p.query_span).unwrap_or(best.query_span);
            let region_words = word_set(q.slice(region));
            if name
                .keys
                .iter()
                .any(|k| region_words.contains(k) || q_all.contains(k))
            {
                continue;
            }
            if !seen.insert(name.keys.clone()) {
                continue;
            }
            out.push(Finding {
                kind: kinds::ATTRIBUTION_REMOVED.into(),
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
    percent: bool,
    span: Span,
}

fn numbers_in(text: &str, span: Span) -> Vec<Num> {
    let toks = tokenize(&text[span.start..span.end], span.start);
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Number {
            continue;
        }
        let raw = text[t.span.start..t.span.end].to_lowercase();
        // "one" is mostly a pronoun ("the next one"); "a dozen" is vague
        if raw == "one" || raw == "dozen" {
            continue;
        }
        let Ok(mut value) = t.norm.parse::<f64>() else {
            continue;
        };
        let mut end = t.span.end;
        let rest = text[t.span.end..span.end].trim_start().to_lowercase();
        let percent =
            rest.starts_with('%') || rest.starts_with("percent") || rest.starts_with("per cent");
        if let Some(next) = toks.get(k + 1) {
            let scale = match next.norm.as_str() {
                "thousand" => 1e3,
                "million" | "m" => 1e6,
                "billion" | "bn" => 1e9,
                "trillion" => 1e12,
                "hundred" => 100.0,
                _ => 1.0,
            };
            if scale > 1.0 && text[t.span.end..next.span.start].trim().is_empty() {
                value *= scale;
                end = next.span.end;
            }
        }
        // "hundred" after a number word was folded above; a lone scale word
        // following a number is not a number of its own
        if k > 0
            && toks[k - 1].kind == TokenKind::Number
            && ["100"].contains(&t.norm.as_str())
            && raw == "hundred"
        {
            continue;
        }
        out.push(Num {
            value,
            percent,
            span: Span::new(t.span.start, end),
        });
    }
    out
}

fn fmt_num(text: &str, n: &Num) -> String {
    clip(&text[n.span.start..n.span.end], 30)
}

fn number_findings(
    q: &Side,
    s: &Side,
    passages: &[AlignedPassage],
    links: &[&AlignedLink],
    out: &mut Vec<Finding>,
) {
    for l in links {
        if l.similarity < 0.3 {
            continue;
        }
        let sn = numbers_in(s.text, l.source_span);
        let qn = numbers_in(q.text, l.query_span);
        if sn.is_empty() || qn.is_empty() {
            continue;
        }
        let same = |a: &Num, b: &Num| {
            (a.value - b.value).abs() < 1e-9 * a.value.abs().max(1.0) && a.percent == b.percent
        };
        let lost: Vec<&Num> = sn
            .iter()
            .filter(|a| !qn.iter().any(|b| same(a, b)))
            .collect();
        let new: Vec<&Num> = qn
            .iter()
            .filter(|b| !sn.iter().any(|a| same(a, b)))
            .collect();
        if lost.len() != 1 || new.len() != 1 {
            continue;
        }
        let (a, b) = (lost[0], new[0]);
        if a.percent != b.percent {
            continue;
        }
        // a value moved from elsewhere is not a change: the new value must
        // not occur in the source passage, nor the old one in the suspect's
        let passage = passages
            .iter()
            .find(|p| p.links.iter().any(|x| x.source_span == l.source_span));
        if let Some(p) = passage {
            if numbers_in(s.text, p.source_span).iter().any(|x| same(x, b))
                || numbers_in(q.text, p.query_span).iter().any(|x| same(x, a))
            {
                continue;
            }
        }
        out.push(Finding {
            kind: kinds::NUMBER_CHANGED.into(),
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

// ----------------------------------------------------------------- names

fn name_findings(q: &Side, s: &Side, links: &[&AlignedLink], out: &mut Vec<Finding>) {
    let s_starts = sentence_starts(s.analysis);
    let q_starts = sentence_starts(q.analysis);
    let q_all = word_set(q.text);
    let s_all = word_set(s.text);
    for l in links {
        if l.similarity < 0.35 {
            continue;
        }
        let sn = names_in(s.text, l.source_span, &s_starts);
        let qn = names_in(q.text, l.query_span, &q_starts);
        let lost: Vec<&Name> = sn
            .iter()
            .filter(|n| !n.keys.iter().any(|k| q_all.contains(k)))
            .collect();
        let new: Vec<&Name> = qn
            .iter()
            .filter(|n| !n.keys.iter().any(|k| s_all.contains(k)))
            .collect();
        if lost.len() != 1 || new.len() != 1 {
            continue;
        }
        out.push(Finding {
            kind: kinds::NAME_CHANGED.into(),
            source: Some(s.span(lost[0].span)),
            query: Some(q.span(new[0].span)),
            detail: format!(
                "source says \"{}\"; the rewrite says \"{}\"",
                clip(s.slice(lost[0].span), 40),
                clip(q.slice(new[0].span), 40)
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

fn is_headline(text: &str, a: &Analysis, block: &(std::ops::Range<usize>, Span)) -> bool {
    let t = text[block.1.start..block.1.end].trim();
    block.0.start == 0
        && block.0.len() == 1
        && !t.ends_with(['.', '!', '?', '"', '\u{201D}'])
        && a.sentence_tokens(0).len() <= 20
}

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
    let mut q_best = vec![0f32; q.analysis.sentences.len()];
    let mut s_best = vec![0f32; s.analysis.sentences.len()];
    for (i, j, sc) in sim.candidates(0.0) {
        q_best[i] = q_best[i].max(sc);
        s_best[j] = s_best[j].max(sc);
    }
    let q_linked = |i: usize| links.iter().any(|l| l.query.contains(&i));
    let s_linked = |j: usize| links.iter().any(|l| l.source.contains(&j));
    for (bi, b) in s_blocks.iter().enumerate() {
        if bi == 0 && both_headlines {
            continue;
        }
        if b.0.clone().any(s_linked) || b.0.clone().any(|j| s_best[j] >= 0.3) {
            continue;
        }
        out.push(Finding {
            kind: kinds::CONTENT_DROPPED.into(),
            source: Some(s.span(b.1)),
            query: None,
            detail: format!(
                "source passage with no counterpart in the rewrite: \"{}\"",
                clip(s.slice(b.1), 80)
            ),
        });
    }
    for (bi, b) in q_blocks.iter().enumerate() {
        if bi == 0 && both_headlines {
            continue;
        }
        if b.0.clone().any(q_linked) || b.0.clone().any(|i| q_best[i] >= 0.3) {
            continue;
        }
        out.push(Finding {
            kind: kinds::CONTENT_ADDED.into(),
            source: None,
            query: Some(q.span(b.1)),
            detail: format!(
                "rewrite passage with no counterpart in the source: \"{}\"",
                clip(q.slice(b.1), 80)
            ),
        });
    }
}
