//! Attributions: `attribution_removed`.
//!
//! In: the two sides and the (widened) links. The source's attributions
//! are read per sentence: a name (see [`super::names`]) after a crediting
//! phrase ("told the Northern Ledger", "according to Reuters") or before a
//! speech verb ("Reuters reported"). Out: an `attribution_removed` finding
//! for each credited name that the aligned rewrite leaves out: not there by
//! its words, a word of the same stem, its acronym or expansion. And one
//! for a claim the source credits to anyone, named or not ("Rogers said",
//! "officials have said", "according to participants") that the aligned
//! rewrite states as a bare fact: its sentences credit no one (no word of
//! [`lang::ATTRIBUTION_CUES`]), although the name may be elsewhere in it.

use rustc_hash::FxHashSet as HashSet;
use std::borrow::Cow;

use super::common::{clip, contains_seq, cover, links_over_source, span_norms, span_tokens};
use super::kinds;
use super::names::{compact_acronym, initials, Name};
use super::quotes::{find_quotes, may_start_mark};
use super::Side;
use crate::align::AlignedLink;
use crate::report::Finding;
use crate::text::{is_stop_word, lang, tokenize, Span};

/// Characters before a name that [`attributions`] reads for a lead: more
/// than the longest of [`lang::ATTRIBUTION_LEADS`] and the character before
/// it.
const LEAD_CHARS: usize = 32;

/// A named credit of a sentence (see [`attributions`]).
struct Attribution<'s, 'a> {
    /// Whom it credits.
    name: &'s Name<'a>,
    /// The phrase that credits it ("told the Northern Ledger", "Reuters
    /// reported", "(CNN)"): the finding's source span.
    phrase: Span,
    /// The noun of a hearer the name only qualifies ("told the Chicago
    /// [chapter] of ..."; see [`hearer_kept`]), inside `phrase`.
    hearer: Option<Span>,
    /// A dateline's outlet ("WASHINGTON (CNN) —").
    dateline: bool,
}

/// The first word of `s` (its leading letters and digits).
fn first_word(s: &str) -> &str {
    s.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("")
}

/// Attribution phrases in a source sentence: the credited name and the
/// phrase that credits it ("told the Northern Ledger", "Reuters reported").
fn attributions<'s, 'a>(side: &'s Side<'a>, sent: Span) -> Vec<Attribution<'s, 'a>> {
    let text = side.text;
    let names = side.names_over(sent);
    let mut out = Vec::new();
    for n in names {
        let before = text[sent.start..n.span.start].trim_end();
        // (only the words right before it can hold a lead, and only the
        // first after it a verb: those are lower-cased, not the sentence)
        let from = before
            .char_indices()
            .rev()
            .nth(LEAD_CHARS)
            .map_or(0, |(i, _)| i);
        let before_l = before[from..].to_lowercase();
        let after = text[n.span.end..sent.end].trim_start();
        let gap = sent.end - n.span.end - after.len();
        let credit = |phrase, hearer, dateline| Attribution {
            name: n,
            phrase,
            hearer,
            dateline,
        };
        let lead = lang::ATTRIBUTION_LEADS.iter().find(|l| {
            before_l.ends_with(*l)
                && before_l[..before_l.len() - l.len()]
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric())
                && before.len() >= l.len()
                && before.is_char_boundary(before.len() - l.len())
        });
        if let Some(l) = lead {
            // "told the Chicago chapter of ...": the name qualifies the
            // hearer, whose noun the phrase takes in
            let w = first_word(after);
            let hearer = (l.ends_with(" the")
                && !w.is_empty()
                && w.chars().all(|c| c.is_lowercase())
                && !is_stop_word(w)
                && !lang::is_speech_verb(w))
            .then(|| Span::new(n.span.end + gap, n.span.end + gap + w.len()));
            let start = sent.start + before.len() - l.len();
            let end = hearer.map_or(n.span.end, |h| h.end);
            out.push(credit(Span::new(start, end), hearer, false));
        } else if let Some(p) = dateline_credit(text, sent, n) {
            out.push(credit(p, None, true));
        } else {
            let first = first_word(after).to_lowercase();
            if lang::is_speech_verb(&first) && !after.is_empty() {
                let verb_end = n.span.end + gap + first.len();
                out.push(credit(Span::new(n.span.start, verb_end), None, false));
            } else if let Some(verb_end) = after_apposition(after) {
                let phrase = Span::new(n.span.start, n.span.end + gap + verb_end);
                out.push(credit(phrase, None, false));
            }
        }
    }
    out
}

/// Bytes at most of a dateline's place and date before the outlet
/// ("NEW YORK, March 3 ").
const DATELINE_PLACE_BYTES: usize = 40;

/// A dateline's credit: `n` is the outlet in brackets that opens sentence
/// `sent` ("WASHINGTON (CNN) —", "LONDON, March 3 (Reuters) -", "(AP) -"),
/// after nothing but a place in capitals and a date, before a dash. The
/// phrase is the bracketed outlet.
fn dateline_credit(text: &str, sent: Span, n: &Name) -> Option<Span> {
    let open = n.span.start.checked_sub(1)?;
    // (both brackets inside the sentence)
    if open < sent.start
        || n.span.end + 1 > sent.end
        || text.as_bytes().get(open) != Some(&b'(')
        || text.as_bytes().get(n.span.end) != Some(&b')')
    {
        return None;
    }
    let after = text[n.span.end + 1..sent.end].trim_start();
    if !after.starts_with(['-', '\u{2014}', '\u{2013}']) {
        return None;
    }
    let place =
        text[sent.start..open].trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(');
    let place = place.trim_end();
    let first = place.split([' ', ',']).next().unwrap_or("");
    let ok = place.is_empty()
        || (place.len() <= DATELINE_PLACE_BYTES
            && first.chars().count() >= 2
            && first.chars().all(|c| c.is_uppercase() || c == '.'));
    ok.then(|| Span::new(open, n.span.end + 1))
}

/// Bytes read for an apposition between a name and its speech verb.
const APPOSITION_BYTES: usize = 120;

/// A speech verb after an apposition that follows a name ("Makoto Kuroda,
/// director general at MITI, told reporters"; "Robert Davis, a
/// commissioner on the CFTC, said"): where the verb ends in `after` (the
/// text right after the name), if `after` opens with a comma and a later
/// comma within [`APPOSITION_BYTES`] (up to three, no quotation mark
/// between) is followed by one.
fn after_apposition(after: &str) -> Option<usize> {
    let rest = after.strip_prefix(',')?;
    let mut at = 1;
    for (k, piece) in rest.split(',').enumerate() {
        if k == 0 {
            at += piece.len() + 1;
            continue;
        }
        if k > 3 || at > APPOSITION_BYTES {
            return None;
        }
        let inner = &after[1..at - 1];
        if inner.contains(['"', '\u{201c}', '\u{201d}']) {
            return None;
        }
        let t = piece.trim_start();
        let first = first_word(t);
        if lang::is_speech_verb(&first.to_lowercase()) && !first.is_empty() {
            return Some(at + (piece.len() - t.len()) + first.len());
        }
        at += piece.len() + 1;
    }
    None
}

/// Whether the text between two tokens ends a clause: a comma, a colon, a
/// bracket, a dash or a quotation mark.
fn clause_break(text: &str, from: usize, to: usize) -> bool {
    text[from..to].contains([
        ',', ';', ':', '(', ')', '"', '\u{201c}', '\u{201d}', '\u{2014}', '\u{2013}',
    ])
}

/// How a source sentence credits its claim (see [`claim_credit`]).
#[derive(Debug, Clone, Copy)]
struct Credit {
    /// The whole phrase ("U.S. officials have said", "according to two
    /// officials"): the finding's source span.
    phrase: Span,
    /// Whom it credits: the words before the verb ("U.S. officials"), or
    /// those after "according to" ("two officials"); may be empty.
    whom: Span,
    /// An "according to" credit.
    according: bool,
}

/// The credit of source sentence `sent`'s claim, named or not: the first
/// claim verb ([`lang::CLAIM_VERBS`], not right after a word of
/// [`lang::NOT_CLAIM_BEFORE`]) with the words of its clause before it
/// (", Rogers said", "U.S. officials have said") and, for "told", its hearer
/// ("told Reuters", "told the meeting"); or "according to" and the words
/// after it.
fn claim_credit(side: &Side, sent: Span) -> Option<Credit> {
    let text = side.text;
    let toks = span_tokens(side.analysis, sent);
    let joined = |a: usize, b: usize| !clause_break(text, toks[a].span.end, toks[b].span.start);
    for (i, t) in toks.iter().enumerate() {
        let w = t.norm.as_str();
        if w == "according" && toks.get(i + 1).is_some_and(|n| n.norm == "to") {
            let mut end = i + 1;
            while end + 1 < toks.len() && end - i < 8 && joined(end, end + 1) {
                end += 1;
            }
            let end_at = toks[end].span.end;
            let whom = if end >= i + 2 {
                Span::new(toks[i + 2].span.start, end_at)
            } else {
                Span::new(end_at, end_at)
            };
            return Some(Credit {
                phrase: Span::new(t.span.start, toks[end].span.end),
                whom,
                according: true,
            });
        }
        if !lang::is_claim_verb(w)
            || i > 0 && lang::NOT_CLAIM_BEFORE.contains(&toks[i - 1].norm.as_str())
        {
            continue;
        }
        let mut start = i;
        while start > 0 && i - start < 6 && joined(start - 1, start) {
            start -= 1;
        }
        let mut end = i;
        if w == "told" || w == "tells" {
            while end + 1 < toks.len() && end - i < 3 && joined(end, end + 1) {
                let next = &toks[end + 1];
                let capital = text[next.span.start..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                if !capital && !matches!(next.norm.as_str(), "the" | "a" | "an" | "reporters") {
                    break;
                }
                end += 1;
            }
        }
        let whom = if start < i {
            Span::new(toks[start].span.start, toks[i - 1].span.end)
        } else {
            Span::new(t.span.start, t.span.start)
        };
        return Some(Credit {
            phrase: Span::new(toks[start].span.start, toks[end].span.end),
            whom,
            according: false,
        });
    }
    None
}

/// Whether the rewrite's sentences over `region` still say whose claim
/// theirs is. An "according to" credit is kept by "according" or by most of
/// the words of whom it credits ("participants said"; a place in the
/// credited name is no credit). Any other is kept by a word of
/// [`lang::ATTRIBUTION_CUES`], by opening with quoted speech (its speaker
/// is often a sentence away), or by opening with every word of whom it
/// credits ("Marine Midland said it may reclassify" / "Marine Midland may
/// reclassify", "the authority said it plans" / "the authority plans": the
/// speaker's own plan, still its own; "City Attorney Monica Reyes said the
/// city would appeal" / "The city will appeal" is a credit lost).
fn credits_anyone(q: &Side, region: Span, s: &Side, credit: &Credit) -> bool {
    let whom = span_tokens(s.analysis, credit.whom);
    let sents: Vec<Span> = q
        .analysis
        .sentences
        .iter()
        .filter(|x| x.span.overlap(&region) > 0)
        .map(|x| x.span)
        .collect();
    if credit.according {
        let words = || sents.iter().flat_map(|&x| span_tokens(q.analysis, x));
        let credited: HashSet<&str> = whom
            .iter()
            .map(|t| t.norm.as_str())
            .filter(|w| !is_stop_word(w))
            .collect();
        let present: HashSet<&str> = words()
            .map(|t| t.norm.as_str())
            .filter(|w| credited.contains(w))
            .collect();
        return words().any(|t| t.norm == "according") || 2 * present.len() > credited.len();
    }
    let subject: HashSet<&str> = whom
        .iter()
        .filter(|t| {
            !is_stop_word(&t.norm)
                && !lang::is_month_or_day(&t.norm)
                && !matches!(
                    t.norm.as_str(),
                    "also" | "previously" | "later" | "earlier" | "again" | "further"
                )
        })
        .map(|t| t.norm.as_str())
        .collect();
    sents.iter().any(|&x| {
        let words = span_tokens(q.analysis, x);
        quotes_speech(q.slice(x))
            || words.iter().any(|t| lang::is_attribution_cue(&t.norm))
            || !subject.is_empty() && {
                let opening: HashSet<&str> =
                    words.iter().take(6).map(|t| t.norm.as_str()).collect();
                subject.is_subset(&opening)
            }
    })
}

/// Whether a sentence is quoted speech: it opens with a quotation (as
/// [`find_quotes`] reads them) of four words or more. A quoted term
/// ("Silkworm" missiles), a phrase inside the writer's own clause (an issue
/// of "critical concern to the nation") or a quotation the writer's clause
/// leads into ("... raised questions: "It does seem long."") is none.
fn quotes_speech(sentence: &str) -> bool {
    // (a sentence opening with no byte that can start a mark opens with
    // no quotation: none, without reading its marks)
    if !sentence
        .trim_start()
        .bytes()
        .next()
        .is_some_and(may_start_mark)
    {
        return false;
    }
    find_quotes(sentence).first().is_some_and(|quote| {
        sentence[..quote.outer.start].trim().is_empty()
            && sentence[quote.inner.start..quote.inner.end]
                .split_whitespace()
                .count()
                >= 4
    })
}

/// Whether a source sentence is a wire headline in capitals ("LYNG SAID
/// TO ..."): a headline's credit is its story's, not a claim's.
fn shouted(text: &str) -> bool {
    let (upper, letters) = text
        .chars()
        .filter(|c| c.is_alphabetic())
        .fold((0, 0), |(u, n), c| {
            (u + usize::from(c.is_uppercase()), n + 1)
        });
    letters > 0 && upper * 10 >= letters * 8
}

/// How many times `k` occurs in `words`.
fn count_word(words: &[&str], k: &str) -> usize {
    words.iter().filter(|w| **w == k).count()
}

/// What the rewrite's words offer for recognising a name, computed once.
struct NameIndex<'a> {
    /// Normalised words, in order.
    words: Vec<&'a str>,
    /// Stems of all words.
    stems: HashSet<&'a str>,
    /// Raw words without dots ("U.N." -> "UN").
    compact: HashSet<Cow<'a, str>>,
    /// The acronyms among its names ("WHO", "U.N." -> "UN").
    acronyms: HashSet<String>,
    /// The initials of its names of two capitalised words or more.
    initials: HashSet<String>,
}

impl<'a> NameIndex<'a> {
    fn new(q: &Side<'a>) -> Self {
        let toks = &q.analysis.tokens;
        let mut ix = NameIndex {
            words: toks.iter().map(|t| t.norm.as_str()).collect(),
            stems: toks.iter().map(|t| t.stem.as_str()).collect(),
            // (only words in capitals: what it is probed with, a name's
            // initials, is capitals)
            compact: toks
                .iter()
                .map(|t| &q.text[t.span.start..t.span.end])
                .filter(|raw| raw.chars().all(|c| c == '.' || c.is_uppercase()))
                .map(|raw| {
                    if raw.contains('.') {
                        Cow::Owned(raw.replace('.', ""))
                    } else {
                        Cow::Borrowed(raw)
                    }
                })
                .collect(),
            acronyms: HashSet::default(),
            initials: HashSet::default(),
        };
        for n in q.all_names() {
            ix.acronyms.extend(compact_acronym(n).map(String::from));
            ix.initials.extend(initials(n).map(String::from));
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
    // (a run of the rewrite's words only where each word is one of its
    // words: the set answers most names without the scan)
    if name.keys.iter().all(|k| q.words().contains(k)) && contains_seq(&ix.words, &name.keys) {
        return true;
    }
    if initials(name).is_some_and(|acr| ix.compact.contains(&Cow::Borrowed(acr))) {
        return true;
    }
    // one is the acronym of the other (see `acronym_pair`)
    if compact_acronym(name).is_some_and(|a| ix.initials.contains(a))
        || initials(name).is_some_and(|i| ix.acronyms.contains(i))
    {
        return true;
    }
    // (both are whole sentences: their analysed words)
    let sent_words: Vec<&str> = span_norms(s.analysis, sent).collect();
    let region_words: Vec<&str> = span_norms(q.analysis, region).collect();
    name.keys.iter().any(|k| {
        if is_stop_word(k) || lang::is_month_or_day(k) {
            return false;
        }
        let in_sent = count_word(&sent_words, k);
        if in_sent > 1 {
            // the word names something else in the sentence too ("the state
            // of Tamsin ... the Tamsin Observer"): every use must be there
            count_word(&region_words, k) >= in_sent
        } else {
            q.words().contains(k)
                || tokenize(k, 0)
                    .first()
                    .is_some_and(|t| ix.stems.contains(t.stem.as_str()))
        }
    })
}

/// Whether the hearer a name only qualifies ("told the Chicago [chapter]
/// of ...") is still told in the rewrite's `region` ("speaking to the New
/// York chapter"): the credit is kept and the name changed, which the name
/// detector reports.
fn hearer_kept(q: &Side, s: &Side, hearer: Option<Span>, region: Span) -> bool {
    hearer.is_some_and(|h| span_norms(q.analysis, region).any(|w| w == s.slice(h)))
}

/// Runs the detector: an `attribution_removed` finding for each named
/// credit of an aligned source sentence (similarity 0.25 or more) that the
/// rewrite no longer names, once per name, in source order; nothing for a
/// sentence whose rewrite credits a name the source never uses (a name
/// change, not a removal).
pub(super) fn attribution_findings(
    q: &Side,
    s: &Side,
    links: &[&AlignedLink],
    out: &mut Vec<Finding>,
) {
    let s_all = s.words();
    // whether each rewrite sentence credits a name the source never uses
    let mut q_credits_new: Vec<Option<bool>> = vec![None; q.analysis.sentences.len()];
    let mut index: Option<NameIndex> = None;
    let mut seen: HashSet<Vec<&str>> = HashSet::default();
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
        let found = attributions(s, sent.span);
        let claim = claim_credit(s, sent.span);
        if found.is_empty() && claim.is_none() {
            continue;
        }
        let Some(carrier) = cover(linked.iter().map(|l| l.query_span)) else {
            continue;
        };
        // the rewrite credits someone the source never names: the credit
        // was replaced, not removed (a name change)
        // (read once per rewrite sentence: a sentence carries many)
        let replaced = q
            .analysis
            .sentences
            .iter()
            .enumerate()
            .filter(|(_, x)| x.span.overlap(&carrier) > 0)
            .any(|(i, x)| {
                *q_credits_new[i].get_or_insert_with(|| {
                    attributions(q, x.span)
                        .iter()
                        .any(|a| a.name.keys.iter().all(|k| !s_all.contains(k)))
                })
            });
        if replaced {
            continue;
        }
        let before = out.len();
        for Attribution {
            name,
            phrase,
            hearer,
            dateline,
        } in found
        {
            // kept if the name (or its acronym) is still in the rewrite
            let ix = index.get_or_insert_with(|| NameIndex::new(q));
            if name_kept(q, s, name, sent.span, carrier, ix) || hearer_kept(q, s, hearer, carrier) {
                continue;
            }
            // (once per name; a dateline's credit apart, as the same outlet
            // is often told again in the text: "(CNN) -" ... "told CNN")
            if !dateline && !seen.insert(name.keys.clone()) {
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
        // no credited name lost, but the claim may have lost its credit
        if out.len() == before {
            if let Some(phrase) = claim
                .filter(|c| {
                    !shouted(s.slice(sent.span)) && !credits_anyone(q, best.query_span, s, c)
                })
                .map(|c| c.phrase)
            {
                out.push(Finding {
                    kind: kinds::ATTRIBUTION_REMOVED,
                    source: Some(s.span(phrase)),
                    query: Some(q.span(best.query_span)),
                    detail: format!(
                        "source credits this to \"{}\"; the rewrite states it as a fact, crediting no one",
                        clip(s.slice(phrase), 60)
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

    /// The attribution findings of `q` against `s`, sentence `i` linked
    /// with sentence `i`.
    fn run(q: &str, s: &str) -> (Pair, Vec<Finding>) {
        diagonal_findings(q, s, 0.6, attribution_findings)
    }

    const SOURCE: &str =
        "The plant will close in June, the Northern Ledger reported.\n\nWorkers were told on Friday.";

    /// Asserts the (name, phrase) of every attribution of every sentence
    /// of `text`.
    fn assert_credits(text: &str, want: &[(&str, &str)]) {
        let p = Pair::new(text, text);
        let side = p.s();
        let got: Vec<(&str, &str)> = side
            .analysis
            .sentences
            .iter()
            .flat_map(|x| attributions(&side, x.span))
            .map(|a| (side.slice(a.name.span), side.slice(a.phrase)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn credits_are_read_before_and_after_the_name() {
        let text = "Prices rose, Reuters reported. The plan is dead, he told the Daily Courier.";
        assert_credits(
            text,
            &[
                ("Reuters", "Reuters reported"),
                ("Daily Courier", "told the Daily Courier"),
            ],
        );
    }

    #[test]
    fn a_dateline_credits_its_outlet() {
        let s = "WASHINGTON (CNN) \u{2014} The Senate passed the bill late on Friday.\n\nThe House voted on Wednesday.";
        let (p, out) = run(
            "The Senate passed the bill late on Friday.\n\nThe House voted on Wednesday.",
            s,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(p.s_at(&out[0]), "(CNN)");
        // the same outlet told again later is a second credit
        let s2 = "WASHINGTON (CNN) \u{2014} The Senate passed the bill late on Friday.\n\nThe bill adds aid, an aide told CNN.";
        let (p2, out) = run(
            "The Senate passed the bill late on Friday.\n\nThe bill adds aid, according to an aide.",
            s2,
        );
        let got: Vec<String> = out.iter().map(|f| p2.s_at(f)).collect();
        assert_eq!(got, ["(CNN)", "told CNN"]);
        // kept, or moved elsewhere in the rewrite: no finding
        let q = "The Senate passed the bill late on Friday, CNN reported.\n\nThe House voted on Wednesday.";
        assert!(run(q, s).1.is_empty());
        for s in [
            "LONDON, March 3 (Reuters) - The bank raised its rates again.",
            "(AP) - The bank raised its rates again.",
        ] {
            let (p, out) = run("The bank raised its rates again.", s);
            assert_eq!(out.len(), 1, "{s}: {out:?}");
            assert!(p.s_at(&out[0]).starts_with('('));
        }
        // odd brackets read without a panic
        for t in [
            "(CNN)",
            "(CNN)-",
            "x (CNN)",
            "((CNN)) -",
            "(CNN",
            "CNN) -",
            "( CNN ) \u{2014}",
        ] {
            let _ = run("The bank raised its rates.", t);
            let _ = run(t, t);
        }
        // an outlet in brackets inside a sentence is no dateline
        let s = "The bank told the network (CNN) - late on Friday - that rates would rise.";
        assert!(
            run("The bank said late on Friday that rates would rise.", s)
                .1
                .is_empty()
        );
    }

    #[test]
    fn a_speech_verb_after_an_apposition_credits_the_name() {
        let text = "Robert Davis, a commissioner on the trade board, said rules must change. \
            Mary Poole, the board's chair, Ann Lee and others met. \
            In Tokyo, officials said prices rose.";
        assert_credits(
            text,
            &[(
                "Robert Davis",
                "Robert Davis, a commissioner on the trade board, said",
            )],
        );
    }

    #[test]
    fn a_credit_given_after_an_apposition_to_another_name_is_no_removal() {
        let s = "Noboru Hata, director general at the ministry, told reporters the sanctions were unfair.\n\nTalks begin on Monday.";
        let q = "Makoto Kuro, director general at the ministry, told reporters the sanctions were unfair.\n\nTalks begin on Monday.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn a_hearer_kept_with_another_name_is_no_removal() {
        let s = "Davis told the Chicago chapter of the traders club that prices would rise.\n\nTalks begin on Monday.";
        let q = "Speaking to the Boston chapter of the traders club, Davis said prices would rise.\n\nTalks begin on Monday.";
        assert!(run(q, s).1.is_empty());
        // the hearer itself gone is a removal
        let q = "Davis said prices would rise.\n\nTalks begin on Monday.";
        let (p, out) = run(q, s);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(p.s_at(&out[0]), "told the Chicago chapter");
    }

    #[test]
    fn a_credit_in_the_next_sentence_does_not_keep_this_ones() {
        // the source sentence is linked to the rewrite's first two
        // sentences; only its best match is asked for the credit
        let s = "If prices rise, Congress would act and ration fuel, Hodel said.\n\nTalks begin on Monday.";
        let q = "If prices rise, Congress would act and ration fuel.\n\nHodel warned of long lines at the pumps.";
        let p = Pair::new(q, s);
        let links = [p.link(0..1, 0..1, 0.9), p.link(1..2, 0..1, 0.3)];
        let refs: Vec<&AlignedLink> = links.iter().collect();
        let mut out = Vec::new();
        attribution_findings(&p.q(), &p.s(), &refs, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(p.s_at(&out[0]), "Hodel said");
    }

    #[test]
    fn every_lead_fits_the_characters_read_before_a_name() {
        assert!(lang::ATTRIBUTION_LEADS
            .iter()
            .all(|l| l.chars().count() + 1 < LEAD_CHARS));
    }

    #[test]
    fn an_attribution_left_out_is_removed() {
        let (p, out) = run(
            "The plant will close in June.\n\nWorkers were told on Friday.",
            SOURCE,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::ATTRIBUTION_REMOVED);
        assert_eq!(p.s_at(&out[0]), "Northern Ledger reported");
        assert_eq!(p.q_at(&out[0]), "The plant will close in June.");
    }

    #[test]
    fn an_attribution_kept_in_other_words_is_no_finding() {
        let q = "According to the Northern Ledger, the plant will shut in June.\n\nWorkers were told on Friday.";
        assert!(run(q, SOURCE).1.is_empty());
    }

    #[test]
    fn a_credit_given_to_another_name_is_no_removal() {
        // (a name change, for the names detector)
        let q = "The plant will close in June, the Daily Courier reported.\n\nWorkers were told on Friday.";
        assert!(run(q, SOURCE).1.is_empty());
    }

    #[test]
    fn a_claim_stated_as_a_fact_loses_its_credit() {
        let s = "Prices will rise again next year, Rogers said.\n\nRogers runs the mill.";
        // the name is still in the rewrite, the credit of the claim is not
        let (p, out) = run(
            "Prices will rise again next year.\n\nRogers runs the mill.",
            s,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(p.s_at(&out[0]), "Rogers said");
        assert_eq!(p.q_at(&out[0]), "Prices will rise again next year.");
        // unnamed credits too
        for (src, credit) in [
            (
                "U.S. officials have said Iran has new missiles.",
                "U.S. officials have said",
            ),
            (
                "Iran has new missiles, according to two officials.",
                "according to two officials",
            ),
            (
                "The company previously said the plan is ready.",
                "The company previously said",
            ),
            (
                "Iran has new missiles, he told reporters.",
                "he told reporters",
            ),
        ] {
            let q = "Iran has new missiles and the plan is ready.";
            let (p, out) = run(q, src);
            assert_eq!(out.len(), 1, "{src}: {out:?}");
            assert_eq!(p.s_at(&out[0]), credit);
        }
    }

    #[test]
    fn a_claim_credited_in_other_words_is_no_finding() {
        let s = "Prices will rise again next year, he said.";
        for q in [
            "Prices will rise again next year, according to him.",
            "He expects prices to rise again next year.",
            "In his view, prices will rise again next year.",
            "Prices will rise again next year, a spokesman noted.",
        ] {
            assert!(run(q, s).1.is_empty(), "{q}");
        }
        // no credit to lose: a passive, a refusal, a plain statement
        for src in [
            "Workers were told the plant will close.",
            "He declined to say whether the plant will close.",
            "The plant will close in June.",
        ] {
            assert!(run("The plant will close.", src).1.is_empty(), "{src}");
        }
    }

    #[test]
    fn quoted_speech_is_four_words_between_marks() {
        assert!(quotes_speech(
            "\u{201c}We will fix this place,\u{201d} he said."
        ));
        assert!(!quotes_speech(
            "Iran has \u{201c}Silkworm\u{201d} missiles."
        ));
        assert!(!quotes_speech("A lone \u{201c} mark."));
        assert!(!quotes_speech("No marks at all."));
        assert!(!quotes_speech(
            "It raised questions: \"it does seem rather long.\""
        ));
        assert!(!quotes_speech(
            "It is an issue of \"critical concern to the nation.\""
        ));
    }

    #[test]
    fn an_acronym_keeps_the_name() {
        let s = "Cases rose again in May, the World Health Organization said.";
        assert!(run("Cases rose again in May, WHO said.", s).1.is_empty());
        assert_eq!(run("Cases rose again in May.", s).1.len(), 1);
    }
}
