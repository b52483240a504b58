//! Names: `name_changed`, and the name reader attributions use.
//!
//! In: the two sides and the (widened) links. Names are read as runs of
//! capitalised words ([`names_into`]: titles, particles, months, days and
//! generic words such as "officials" left out of their keys;
//! sentence-initial single words skipped unless all capitals). Out: a
//! `name_changed` finding where an aligned sentence pair loses one name and
//! gains one, and the two are not the same name told otherwise (a
//! spelling variant such as "Alex"/"Alexander", an adjective such as
//! "French", an acronym and its expansion, a listed alias such as
//! "UK"/"Britain").

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;

use super::common::{clip, one_edit_apart, span_tokens};
use super::kinds;
use super::Side;
use crate::align::AlignedLink;
use crate::report::Finding;
use crate::text::{is_stop_word, lang, Span, Token, TokenKind};

/// A name: byte span and its lower-case key tokens (titles removed), with
/// what the comparisons read of it, worked out once when it is read.
#[derive(Debug, Clone)]
pub(super) struct Name<'a> {
    /// Byte span of the name.
    pub(super) span: Span,
    /// Its lower-case key tokens (titles and particles left out), the
    /// analysis's words.
    pub(super) keys: Vec<&'a str>,
    /// The keys that identify it (see [`core_keys`]).
    core: Vec<&'a str>,
    /// Written as one capitalised abbreviation ("U.N." -> "UN", "WHO"):
    /// its letters.
    acronym: Option<String>,
    /// The initials of a name of two capitalised words or more.
    initials: Option<String>,
    /// Its keys without periods, joined by spaces, and the groups of
    /// [`lang::ALIASES`] that list it ([`lang::alias_groups`]); `None` for
    /// a name no group lists ([`aliases`]).
    alias: Option<(String, u64)>,
}

impl<'a> Name<'a> {
    /// A name over the analysed tokens `run` (as [`names_into`] reads them).
    fn new(text: &str, run: &[Token], keys: Vec<&'a str>) -> Self {
        let raw = |t: &Token| &text[t.span.start..t.span.end];
        // leave out capitalised function words ("The U.N."), not acronyms
        // that spell one ("WHO")
        let mut solid = run.iter().filter(|t| {
            !(t.stop && t.capitalized && raw(t).chars().skip(1).any(|c| c.is_lowercase()))
        });
        let acronym = match (solid.next(), solid.next()) {
            (Some(t), None) => {
                let letters: String = raw(t).chars().filter(|c| *c != '.').collect();
                let n = letters.chars().count();
                ((2..=6).contains(&n) && letters.chars().all(|c| c.is_uppercase()))
                    .then_some(letters)
            }
            _ => None,
        };
        // (counted before they are collected: most names are one word)
        let firsts = || {
            run.iter()
                .filter(|t| t.capitalized && !t.stop)
                .filter_map(|t| raw(t).chars().next())
        };
        let initials = (firsts().nth(1).is_some()).then(|| firsts().collect());
        let alias_key: std::borrow::Cow<str> = match keys[..] {
            [k] if !k.contains('.') => k.into(),
            _ => {
                let mut key = String::new();
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        key.push(' ');
                    }
                    key.extend(k.chars().filter(|c| *c != '.'));
                }
                key.into()
            }
        };
        let groups = lang::alias_groups(&alias_key);
        let alias = (groups != 0).then(|| (alias_key.into_owned(), groups));
        Name {
            span: Span::new(run[0].span.start, run[run.len() - 1].span.end),
            core: core_keys_of(&keys),
            keys,
            acronym,
            initials,
            alias,
        }
    }

    /// Its identity for comparisons: [`same_name`] reads a name only
    /// through its keys (and what follows from them), its acronym and its
    /// initials.
    fn id(&self) -> NameId<'_, 'a> {
        (
            &self.keys,
            self.acronym.as_deref(),
            self.initials.as_deref(),
        )
    }
}

/// What a name comparison reads of a name ([`Name::id`]).
type NameId<'n, 'a> = (&'n [&'a str], Option<&'n str>, Option<&'n str>);

/// `names` with one of each identity ([`Name::id`]), the first.
fn distinct<'n, 'a>(names: impl Iterator<Item = &'n Name<'a>>) -> Vec<&'n Name<'a>> {
    let mut seen = HashSet::default();
    names.filter(|n| seen.insert(n.id())).collect()
}

/// Capitalised word runs in `text[span]` (allowing "of"/"the"/"de" inside
/// when a capital follows). Sentence-initial single words are skipped
/// unless they are all capitals (CNN, AP).
/// (Pushed onto `out`: a side keeps its names in one list.)
pub(super) fn names_into<'a>(side: &Side<'a>, span: Span, out: &mut Vec<Name<'a>>) {
    let text = side.text;
    let toks = span_tokens(side.analysis, span);
    let mut i = 0;
    while i < toks.len() {
        // (a token's `capitalized` is whether its first letter is upper
        // case, as written)
        if !toks[i].capitalized || toks[i].kind == TokenKind::Number {
            i += 1;
            continue;
        }
        let raw = &text[toks[i].span.start..toks[i].span.end];
        let mut j = i + 1;
        while j < toks.len() {
            let gap = text[toks[j - 1].span.end..toks[j].span.start].trim();
            if !gap.is_empty() && gap != "-" {
                break;
            }
            if toks[j].capitalized {
                j += 1;
                continue;
            }
            // particles inside a name: "Bank of Japan", "Charles de
            // Gaulle", "Ministry of the Interior"; not a lone "the", which
            // joins a credit to what follows it ("told Reuters the U.S.
            // ...") far more often than it names anyone ("Ivan the
            // Terrible")
            let word = |k: usize| &text[toks[k].span.start..toks[k].span.end];
            let joined = |k: usize| {
                k < toks.len()
                    && text[toks[k - 1].span.end..toks[k].span.start]
                        .trim()
                        .is_empty()
            };
            let particle = lang::is_name_particle(word(j)) && word(j) != "the";
            if particle && joined(j + 1) && toks[j + 1].capitalized {
                j += 2;
            } else if particle
                && joined(j + 1)
                && word(j + 1) == "the"
                && joined(j + 2)
                && toks[j + 2].capitalized
            {
                j += 3;
            } else {
                break;
            }
        }
        let run = &toks[i..j];
        i = j;
        // (names_into reads one sentence: its first word is the first
        // token, whatever marks stand before it, a wire paragraph's "&\t")
        let at_start = run[0].span.start == toks[0].span.start || {
            // after an opening quote or a colon
            let before = text[..run[0].span.start].trim_end();
            before.ends_with(['"', '\u{201C}', ':', '(', '-']) || before.is_empty()
        };
        let all_caps = run.len() == 1
            && raw.chars().count() >= 2
            && raw.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
        // a word alone in brackets is a name ("(Reuters)" of a dateline)
        let span_end = run[run.len() - 1].span.end;
        let bracketed =
            text[..run[0].span.start].ends_with('(') && text[span_end..].starts_with(')');
        // (the cheap tests first: most runs are a sentence's first word)
        if at_start && run.len() == 1 && !all_caps && !bracketed {
            continue;
        }
        // a ticker in markup ("Furukawa Electric Co Ltd <URUT.T>")
        if text[..run[0].span.start].ends_with('<') && text[span_end..].starts_with('>') {
            continue;
        }
        let keys: Vec<&str> = run
            .iter()
            .map(|t| t.norm.as_str())
            .filter(|k| !lang::is_title(k) && !lang::is_name_particle(k))
            .collect();
        let generic = keys.is_empty()
            || keys
                .iter()
                .all(|k| lang::is_not_name(k) || lang::is_month_or_day(k) || is_stop_word(k));
        if !generic {
            out.push(Name::new(text, run, keys));
        }
    }
}

/// A name written as one capitalised abbreviation ("U.N." -> "UN", "WHO"):
/// its letters.
pub(super) fn compact_acronym<'n>(n: &'n Name) -> Option<&'n str> {
    n.acronym.as_deref()
}

/// The initials of a name of two capitalised words or more ("World Health
/// Organization" -> "WHO", "Associated Press" -> "AP").
pub(super) fn initials<'n>(n: &'n Name) -> Option<&'n str> {
    n.initials.as_deref()
}

/// Whether one name is the acronym of the other.
fn acronym_pair(a: &Name, b: &Name) -> bool {
    let hit = |x: Option<&str>, y: Option<&str>| x.is_some() && x == y;
    hit(compact_acronym(a), initials(b)) || hit(compact_acronym(b), initials(a))
}

/// Whether two names are listed aliases of each other.
fn aliases(a: &Name, b: &Name) -> bool {
    match (&a.alias, &b.alias) {
        (Some((ka, ga)), Some((kb, gb))) => ka != kb && ga & gb != 0,
        _ => false,
    }
}

/// Whether two name words are spellings of one name ("Japan"/"Japanese",
/// "Sam"/"Samuel", "Alex"/"Alexander").
fn name_variants(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let (la, lb) = (a.chars().count(), b.chars().count());
    let shorter = la.min(lb);
    if common >= 3 && common == shorter {
        return true;
    }
    // one stem with the endings of a people or a place ("Britain" /
    // "British", "Canada" / "Canadian"), not two names that begin alike
    // ("Amstutz" / "Amstead")
    let tail = |w: &str| w.chars().skip(common).collect::<String>();
    if common >= 4
        && [tail(a), tail(b)]
            .iter()
            .all(|t| lang::NAME_ENDINGS.contains(&t.as_str()))
    {
        return true;
    }
    // a misspelling fixed: one letter added, dropped or replaced in a
    // longer word ("Devlopment", "Artic")
    if shorter >= 5 && la.abs_diff(lb) <= 1 && one_edit_apart(a, b) {
        return true;
    }
    // an abbreviation: "St"/"Saint", "Mt"/"Mount", "Jr"/"Junior" (listed:
    // any short word spelled inside a long one, "Co" in "Cooperative",
    // would make most names alike)
    let (a, b) = (a.trim_end_matches('.'), b.trim_end_matches('.'));
    // a wire abbreviation of a longer word: "Fla" / "Florida", "Calif" /
    // "California" (its letters in order, the first two leading)
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut rest = long.chars().skip(2);
    if (3..=5).contains(&short.chars().count())
        && long.chars().count() >= short.chars().count() + 2
        && long.starts_with(&short[..short.char_indices().nth(2).map_or(short.len(), |(i, _)| i)])
        && short.chars().skip(2).all(|c| rest.any(|x| x == c))
    {
        return true;
    }
    lang::NAME_ABBREVIATIONS
        .iter()
        .any(|(x, y)| (a == *x && b == *y) || (a == *y && b == *x))
}

/// A one-word name used as an adjective ("French officials", "Kenyan
/// runner"): rewrites swap those for the country's name freely.
fn adjectival(side: &Side, n: &Name) -> bool {
    if n.keys.len() != 1 {
        return false;
    }
    let k = &n.keys[0];
    let suffix = lang::DEMONYM_SUFFIXES.iter().any(|s| k.ends_with(s));
    // followed by a noun it qualifies, not by a function word
    let next = span_tokens(side.analysis, Span::new(n.span.end, side.text.len())).first();
    let next_lower = next.is_some_and(|t| {
        !t.capitalized
            && !t.stop
            && t.kind == TokenKind::Word
            && side.text[n.span.end..t.span.start].trim().is_empty()
    });
    suffix && next_lower
}

/// The words of a name that identify it (no stop words, days, months or
/// generic nouns).
fn core_keys<'n, 'a>(n: &'n Name<'a>) -> &'n [&'a str] {
    &n.core
}

/// [`core_keys`] of a name's keys, worked out once ([`Name::new`]).
fn core_keys_of<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    // a title and the words that qualify it ("Prime Minister", "Finance
    // Minister", "Vice President") say who someone is, not their name
    let title = |k: &&str| lang::is_title(k);
    // leading qualifiers of a title the name reader already dropped
    // ("Prime [Minister] Jacques Chirac")
    let lead = keys
        .iter()
        .take_while(|k| lang::is_title_qualifier(k))
        .count()
        .min(keys.len().saturating_sub(1));
    // (each key asked once whether it is a title: the answer for the next
    // key is kept for its turn)
    let mut out = Vec::with_capacity(keys.len() - lead);
    let mut is_title = keys.get(lead).is_some_and(title);
    for (i, k) in keys.iter().enumerate().skip(lead) {
        let next_title = keys.get(i + 1).is_some_and(title);
        if !is_stop_word(k)
            && !lang::is_month_or_day(k)
            && !lang::is_not_name(k)
            && !lang::is_company_suffix(k.trim_end_matches('.'))
            && !is_title
            && !next_title
        {
            out.push(*k);
        }
        is_title = next_title;
    }
    out
}

/// Whether a sentence is set in title case (a headline): its capitals say
/// nothing about names.
fn title_case(side: &Side, span: Span) -> bool {
    let text = side.text;
    let (words, caps) = span_tokens(side.analysis, span)
        .iter()
        .filter(|t| t.kind == TokenKind::Word && !t.stop)
        .fold((0, 0), |(n, c), t| (n + 1, c + usize::from(t.capitalized)));
    // a long sentence ending as one is prose full of names ("Participants
    // included Cargill Inc, Continental Grain Co, ...")
    let prose = words >= 5
        && text[span.start..span.end]
            .trim_end()
            .ends_with(['.', '!', '?', '"', '\u{201D}']);
    words >= 3 && caps * 10 >= words * 7 && !prose
}

/// Whether two names are one name told otherwise: a spelling variant of a
/// word they do not share, an acronym, a listed alias; with `shortened`,
/// also one the other shortened ("Inco Ltd" / "Inco", "Paul Volcker" /
/// "Volcker": in one sentence, the same name).
fn same_name(a: &Name, b: &Name, shortened: bool) -> bool {
    let (ak, bk) = (core_keys(a), core_keys(b));
    // (each side's own words, the other lacks: iterated, not collected)
    let a_own = || ak.iter().filter(|k| !bk.contains(k));
    let b_own = || bk.iter().filter(|k| !ak.contains(k));
    let (a_all_shared, b_all_shared) = (a_own().next().is_none(), b_own().next().is_none());
    let one_in_other = if shortened {
        a_all_shared || b_all_shared
    } else {
        a_all_shared && b_all_shared
    };
    (!ak.is_empty() && !bk.is_empty() && one_in_other)
        || a_own().any(|x| b_own().any(|y| name_variants(x, y)))
        || acronym_pair(a, b)
        || aliases(a, b)
}

/// A name of one aligned sentence that the other leaves out: the name
/// with its identifying words and which of them the other sentence, and
/// the other text, lack.
struct Gone<'n> {
    name: &'n Name<'n>,
    keys: &'n [&'n str],
    /// Its words the other sentence lacks.
    local: Vec<&'n str>,
    /// Its words the whole other text lacks.
    global: Vec<&'n str>,
    /// The content words next to it, before and after, in its sentence.
    context: [Vec<&'n str>; 2],
    /// The content word right before and after it (see [`next_to`]).
    next_to: [Option<&'n str>; 2],
}

/// The content words among the four tokens before and the four after `n`
/// within `span` (no stop word, no speech verb: "analyst for [Paine
/// Webber]", "the [Chicago] chapter", "upset mostly with [Japan]").
fn context_of<'a>(side: &Side<'a>, span: Span, n: &Name) -> [Vec<&'a str>; 2] {
    let toks = span_tokens(side.analysis, span);
    let usable = |t: &&crate::text::Token| {
        t.kind == TokenKind::Word && !t.stop && !lang::is_speech_verb(&t.norm)
    };
    let before = toks
        .iter()
        .rev()
        .filter(|t| t.span.end <= n.span.start)
        .take(4)
        .filter(usable)
        .map(|t| t.stem.as_str())
        .collect();
    let after = toks
        .iter()
        .filter(|t| t.span.start >= n.span.end)
        .take(4)
        .filter(usable)
        .map(|t| t.stem.as_str())
        .collect();
    [before, after]
}

/// The content word right before and right after `n` (past stop words
/// only: "the [Chicago] chapter", not "officials told [Reuters]").
fn next_to<'a>(side: &Side<'a>, span: Span, n: &Name) -> [Option<&'a str>; 2] {
    let toks = span_tokens(side.analysis, span);
    let speech = |t: &crate::text::Token| lang::is_speech_verb(&t.norm);
    let usable = |t: &'a crate::text::Token| {
        (t.kind == TokenKind::Word && !speech(t)).then_some(t.stem.as_str())
    };
    let before = toks
        .iter()
        .rev()
        .filter(|t| t.span.end <= n.span.start)
        .find(|t| !t.stop || speech(t))
        .and_then(usable);
    let after = toks
        .iter()
        .filter(|t| t.span.start >= n.span.end)
        .find(|t| !t.stop || speech(t))
        .and_then(usable);
    [before, after]
}

/// The other side of a link, as [`gone`] reads it.
struct Other<'a, 'm> {
    /// The names of its sentence.
    sentence_names: &'a [Name<'a>],
    /// The tokens of its sentence.
    sentence_words: &'a [Token],
    /// The words of its whole text.
    words: &'a HashSet<&'a str>,
    /// Whether a name is told otherwise by a name of the whole other text
    /// (`same_name`, not shortened), by the name's identity: read once per
    /// pair, as a name recurs in many sentences (keyed by the names of
    /// the side read against this one).
    told: &'a RefCell<HashMap<NameId<'m, 'm>, bool>>,
    /// The names of its whole text.
    names: &'a [&'a Name<'a>],
}

/// The names of one side's sentence that the other side's sentence leaves
/// out, wholly or in part (a word of it missing there, even when the other
/// text uses that word elsewhere), and does not tell otherwise by one of
/// its names.
fn gone<'n, 'a: 'n>(
    side: &Side<'a>,
    span: Span,
    names: &'n [Name<'n>],
    other: &Other<'_, 'n>,
) -> Vec<Gone<'n>> {
    let Other {
        sentence_names: other_names,
        sentence_words: other_sentence,
        words: other_all,
        told,
        names: other_text_names,
    } = other;
    names
        .iter()
        .filter_map(|n| {
            let keys = core_keys(n);
            if keys.is_empty() || other_names.iter().any(|m| same_name(n, m, true)) {
                return None;
            }
            let local: Vec<&str> = keys
                .iter()
                .copied()
                .filter(|k| !other_sentence.iter().any(|t| t.norm == *k))
                .collect();
            let mut global: Vec<&str> = keys
                .iter()
                .copied()
                .filter(|k| !other_all.contains(k))
                .collect();
            // a name the other text states otherwise ("U.S." for "United
            // States") is no new word to it
            if !global.is_empty()
                && *told
                    .borrow_mut()
                    .entry(n.id())
                    .or_insert_with(|| other_text_names.iter().any(|m| same_name(n, m, false)))
            {
                global.clear();
            }
            // (whether the whole other text lacks it is for the pairing
            // to weigh)
            (!local.is_empty()).then(|| Gone {
                next_to: next_to(side, span, n),
                context: context_of(side, span, n),
                name: n,
                keys,
                local,
                global,
            })
        })
        .collect()
}

/// Whether a lost name and a gained one are one name with a part
/// replaced: they share a word and each has a word of its own the other
/// side lacks (the new one new to the whole source), in the same place
/// counted from either end or before the same last word ("Tom Ferris" /
/// "Tom Harris", "Owens-Illinois" / "Owens-Corning", "Louis Dreyfus
/// Corp" / "Bunge Corp").
fn replaced_part(a: &Gone, b: &Gone) -> bool {
    let shared = a.keys.iter().any(|k| b.keys.contains(k));
    if !shared || a.keys.len() < 2 || b.keys.len() < 2 || a.local.is_empty() || b.global.is_empty()
    {
        return false;
    }
    let (ak, bk) = (&a.keys, &b.keys);
    let same_head = ak.last() == bk.last();
    // the places of the replaced words, from the start and from the end
    let places = |keys: &[&str], own: &[&str]| -> (Vec<usize>, Vec<usize>) {
        let at: Vec<usize> = (0..keys.len())
            .filter(|&i| own.contains(&keys[i]))
            .collect();
        let from_end = at.iter().map(|&i| keys.len() - i).collect();
        (at, from_end)
    };
    let (pa, ea) = places(ak, &a.local);
    let (pb, eb) = places(bk, &b.global);
    same_head || pa == pb || ea == eb
}

/// Runs the detector: a `name_changed` finding for each aligned link
/// (similarity 0.3 or more, neither side a title-case headline) where a
/// name of the source sentence gives way to another in the rewrite's:
/// - one name with a part replaced (see [`replaced_part`]);
/// - a name wholly gone from the sentence facing one wholly absent from
///   the source's, with the same content word before or after them
///   ("offshore California" / "offshore Alaska", "the Chicago chapter" /
///   "the New York chapter");
/// - the one name gone facing the one name new to the whole source.
///
/// Not where the two are spelling variants, adjectives, acronyms or listed
/// aliases of each other.
pub(super) fn name_findings(q: &Side, s: &Side, links: &[&AlignedLink], out: &mut Vec<Finding>) {
    let (q_all, s_all) = (q.words(), s.words());
    let s_names = distinct(s.all_names().iter());
    let q_names = distinct(q.all_names().iter());
    let (s_told, q_told) = (RefCell::default(), RefCell::default());
    let mut seen: HashSet<(Span, Span)> = HashSet::default();
    for l in links {
        let sn = s.names_over(l.source_span);
        let qn = q.names_over(l.query_span);
        // (a change needs a name on each side)
        if l.similarity < 0.3 || sn.is_empty() || qn.is_empty() {
            continue;
        }
        if title_case(s, l.source_span) || title_case(q, l.query_span) {
            continue;
        }
        // (a sentence's words, scanned for the few words of its names)
        let (s_words, q_words) = (
            span_tokens(s.analysis, l.source_span),
            span_tokens(q.analysis, l.query_span),
        );
        let q_other = Other {
            sentence_names: qn,
            sentence_words: q_words,
            words: q_all,
            told: &q_told,
            names: &q_names,
        };
        let s_other = Other {
            sentence_names: sn,
            sentence_words: s_words,
            words: s_all,
            told: &s_told,
            names: &s_names,
        };
        let lost = gone(s, l.source_span, sn, &q_other);
        let new = gone(q, l.query_span, qn, &s_other);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let (mut a_used, mut b_used) = (vec![false; lost.len()], vec![false; new.len()]);
        // a test that picks, for each lost name, the one new name it
        // holds for (only where that is unambiguous both ways)
        let mut pair_by = |test: &dyn Fn(&Gone, &Gone) -> bool,
                           a_used: &mut Vec<bool>,
                           b_used: &mut Vec<bool>| {
            for (i, a) in lost.iter().enumerate() {
                if a_used[i] {
                    continue;
                }
                let hits: Vec<usize> = (0..new.len())
                    .filter(|&j| !b_used[j] && test(a, &new[j]))
                    .collect();
                if hits.len() != 1 {
                    continue;
                }
                let j = hits[0];
                let rivals = (0..lost.len())
                    .filter(|&k| !a_used[k] && test(&lost[k], &new[j]))
                    .count();
                if rivals == 1 {
                    a_used[i] = true;
                    b_used[j] = true;
                    pairs.push((i, j));
                }
            }
        };
        pair_by(&replaced_part, &mut a_used, &mut b_used);
        let wholly = |g: &Gone| g.local.len() == g.keys.len();
        pair_by(
            &|a, b| {
                wholly(a)
                    && wholly(b)
                    && (0..2).any(|k| {
                        // words near both, with a name new to the whole
                        // source; else the very next word
                        let near = a.context[k].iter().any(|w| b.context[k].contains(w));
                        let next = a.next_to[k].is_some() && a.next_to[k] == b.next_to[k];
                        next || (near && b.global.len() == b.keys.len())
                    })
            },
            &mut a_used,
            &mut b_used,
        );
        // a name in the same place as one gone, next to the same word
        // ("the riders' group [Fair Fares Port Ellis] said" / "the riders'
        // group [Transit Riders United] said"), with a word new to the
        // whole source, though others of its words stand in the sentence;
        // the name gone wholly from its sentence, or the new one's head
        // word new to the source ("Lakeshore Homeowners Alliance" /
        // "Lakeshore Property Owners Association")
        pair_by(
            &|a, b| {
                (wholly(a) || b.keys.last().is_some_and(|h| b.global.contains(h)))
                    && !b.global.is_empty()
                    && (0..2).any(|k| a.next_to[k].is_some() && a.next_to[k] == b.next_to[k])
            },
            &mut a_used,
            &mut b_used,
        );
        // what is left: the one name gone against the one name new to the
        // whole source (all its words); with several gone, the one gone
        // from the whole rewrite
        let left_a: Vec<usize> = (0..lost.len()).filter(|&i| !a_used[i]).collect();
        let left_b: Vec<usize> = (0..new.len())
            .filter(|&j| !b_used[j] && new[j].global.len() == new[j].keys.len())
            .collect();
        if left_b.len() == 1 {
            let whole_a: Vec<usize> = left_a
                .iter()
                .copied()
                .filter(|&i| lost[i].global.len() == lost[i].keys.len())
                .collect();
            if left_a.len() == 1 && wholly(&lost[left_a[0]]) {
                pairs.push((left_a[0], left_b[0]));
            } else if whole_a.len() == 1 {
                pairs.push((whole_a[0], left_b[0]));
            }
        }
        pairs.sort_unstable();
        for (i, j) in pairs {
            let (a, b) = (lost[i].name, new[j].name);
            if same_name(a, b, true) || adjectival(s, a) || adjectival(q, b) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::testing::{diagonal_findings, Pair};

    /// The name findings of `q` against `s`, sentence `i` linked with
    /// sentence `i`.
    fn run(q: &str, s: &str) -> (Pair, Vec<Finding>) {
        diagonal_findings(q, s, 0.8, name_findings)
    }

    fn names(text: &str) -> Vec<(String, Vec<String>)> {
        let p = Pair::new(text, text);
        let side = p.s();
        side.analysis
            .sentences
            .iter()
            .flat_map(|x| {
                let mut out = Vec::new();
                names_into(&side, x.span, &mut out);
                out
            })
            .map(|n| {
                let keys = n.keys.iter().map(|k| k.to_string()).collect();
                (side.slice(n.span).to_string(), keys)
            })
            .collect()
    }

    #[test]
    fn particles_join_a_name_but_a_lone_the_does_not() {
        let got: Vec<String> = names(
            "Later the Ministry of the Interior said so. Prices fell, he told Reuters the U.S. Threats were real.",
        )
        .into_iter()
        .map(|(n, _)| n)
        .collect();
        assert_eq!(
            got,
            ["Ministry of the Interior", "Reuters", "U.S", "Threats"]
        );
    }

    #[test]
    fn a_wire_paragraph_mark_is_no_name_start() {
        // "&\t" opens a Reuters-21578 paragraph: the word after it is the
        // sentence's first, skipped like any other single first word
        assert!(names("Prices rose.\n&\tNevertheless, stocks fell, he said.").is_empty());
    }

    #[test]
    fn names_are_capitalised_runs_without_titles() {
        assert_eq!(
            names("Later, Mayor Ruth Diaz met the Bank of England in March."),
            [
                (
                    "Mayor Ruth Diaz".to_string(),
                    vec!["ruth".into(), "diaz".into()]
                ),
                (
                    "Bank of England".to_string(),
                    vec!["bank".into(), "england".into()]
                ),
            ]
        );
        // a capital at a sentence start is no name, unless all capitals
        assert!(names("Officials met on Friday.").is_empty());
        assert_eq!(names("NATO met on Friday.")[0].0, "NATO");
    }

    #[test]
    fn a_name_replaced_in_place_is_changed() {
        let s = "Businessman Tom Ferris bought the old mill last year.";
        let q = "Businessman Tom Harris bought the old mill last year.";
        let (p, out) = run(q, s);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::NAME_CHANGED);
        assert_eq!(p.s_at(&out[0]), "Businessman Tom Ferris");
        assert_eq!(p.q_at(&out[0]), "Businessman Tom Harris");
    }

    #[test]
    fn another_country_is_a_change_an_alias_is_not() {
        let s = "Exports to Britain fell sharply last year.";
        let (_, out) = run("Exports to France fell sharply last year.", s);
        assert_eq!(out.len(), 1);
        assert!(run("Exports to the UK fell sharply last year.", s)
            .1
            .is_empty());
    }

    #[test]
    fn an_acronym_is_the_same_name() {
        let s = "The European Central Bank raised rates on Thursday.";
        let q = "The ECB raised rates on Thursday.";
        assert!(run(q, s).1.is_empty());
        let q = "The Federal Reserve raised rates on Thursday.";
        assert_eq!(run(q, s).1.len(), 1);
    }

    #[test]
    fn spelling_variants_and_adjectives_are_the_same_name() {
        let s = "Coach Alex Brandt praised the team after the final.";
        let q = "Coach Alexander Brandt praised the team after the final.";
        assert!(run(q, s).1.is_empty());
        let s = "The talks were led by French officials on Monday.";
        let q = "The talks were led by officials in Paris on Monday.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn headlines_say_nothing_about_names() {
        let s = "Storm Hits Coastal Towns Overnight";
        let q = "Storm Batters Seaside Villages Overnight";
        let p = Pair::new(s, s);
        assert!(title_case(&p.s(), Span::new(0, s.len())));
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn name_word_variants() {
        assert!(name_variants("japan", "japanese"));
        assert!(name_variants("st", "saint"));
        assert!(!name_variants("ferris", "harris"));
    }

    #[test]
    fn a_head_of_government_replaced_behind_the_same_title() {
        let s = "\"We don't want to go down that road,\" Reagan was quoted as telling Prime Minister Jacques Chirac after the visiting French official expressed concern.";
        let q = "\"We don't want to go down that road,\" Reagan reportedly told Prime Minister Raymond Barre after the visiting French official voiced concern.";
        let (_, f) = run(q, s);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].detail.contains("Jacques Chirac") && f[0].detail.contains("Raymond Barre"));
    }
    /// The (source, rewrite) names of the findings of `q` against `s`.
    fn changed(q: &str, s: &str) -> Vec<(String, String)> {
        let (p, out) = run(q, s);
        out.iter().map(|f| (p.s_at(f), p.q_at(f))).collect()
    }

    #[test]
    fn a_name_replaced_though_named_elsewhere_in_the_rewrite() {
        // "Norway" is gone from this sentence (the rewrite names it
        // elsewhere); "Denmark" is new to the source
        let s = "Exports to Norway rose last year.\n\nHe said buyers seem unhappy mostly with Norway, because of its large surplus.";
        let q = "Exports to Norway rose last year.\n\nHe said buyers seem unhappy mostly with Denmark, because of its large surplus.";
        let got = changed(q, s);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].0.ends_with("Norway") && got[0].1.ends_with("Denmark"),
            "{got:?}"
        );
    }

    #[test]
    fn a_part_replaced_though_that_word_stands_elsewhere_in_the_rewrite() {
        // "Petroleum" is still in the rewrite (its first sentence), but no
        // longer in this one's name
        let s =
            "Petroleum prices fell.\n\nHe spoke to the Indonesian Petroleum Association on Monday.";
        let q =
            "Petroleum prices fell.\n\nHe spoke to the Indonesian Mining Association on Monday.";
        let got = changed(q, s);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].1.contains("Mining"), "{got:?}");
    }

    #[test]
    fn a_name_in_the_same_place_next_to_the_same_word_is_paired() {
        // "riders" of the new name stands in the source sentence too, so
        // the new name is not new as a whole
        let s = "The riders' group Fair Fares Port Ellis said it would ask for a discount.";
        let q = "The riders' group Transit Riders United said it would ask for a discount.";
        let got = changed(q, s);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "Fair Fares Port Ellis");
        assert_eq!(got[0].1, "Transit Riders United");
        // the same name moved next to another word is no change
        let q = "Fair Fares Port Ellis, a riders' group, said it would ask for a discount.";
        assert!(changed(q, s).is_empty());
    }

    #[test]
    fn names_in_the_same_place_of_a_sentence_are_paired() {
        // several names in one sentence: each pairs with its counterpart
        let s = "Buyers included Harlow Inc, Brant Mills Co, Ostrava Grain Corp and the Valley Growers Union, brokers said.";
        let q = "Buyers included Harlow Inc, Brant Mills Co, Kestrel Corp and the Valley Growers Union, brokers said.";
        let got = changed(q, s);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].0.contains("Ostrava") && got[0].1.contains("Kestrel"),
            "{got:?}"
        );
        // one part of a long name replaced
        let s = "Paul Ames of Ridgeway Securities said the stock was cheap.";
        let q = "Paul Ames of Calder Partners said the stock was cheap.";
        assert_eq!(changed(q, s).len(), 1);
        // the same word next to both: "the [Dover] chapter"
        let s = "Ames spoke to the Dover chapter of the Growers Union last night.\n\nThe New Bern office opened in May.";
        let q = "Ames addressed the New Bern chapter of the Growers Union last night.\n\nThe New Bern office opened in May.";
        let got = changed(q, s);
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn a_name_told_otherwise_is_no_change() {
        // the wire's state abbreviation, a misspelling fixed, a capital for
        // its country, a company's legal form
        let s = "The plant in Tampa, Fla., will close, the Artic Fund said.";
        let q = "The plant in Tampa, Florida, will close, the Arctic Fund said.";
        assert!(changed(q, s).is_empty(), "{:?}", changed(q, s));
        let s = "The United States protested the move on Monday.";
        let q = "Washington protested the move on Monday.";
        assert!(changed(q, s).is_empty());
        let s = "Shares of Brant Mills Co rose after Harlow Inc bid for it.";
        let q = "Shares of Brant Mills rose after Harlow Inc bid for it.";
        assert!(changed(q, s).is_empty());
        // two names that begin alike are two names
        assert!(!name_variants("amstutz", "amstead"));
        assert!(name_variants("britain", "british"));
        assert!(name_variants("fla", "florida"));
        assert!(name_variants("devlopment", "development"));
    }

    #[test]
    fn a_credit_to_an_outlet_moved_is_no_name_change() {
        // "told [Reuters]": the word next to the outlet is the speech verb
        let s = "\"We believe the talks will fail,\" one of the officials told Reuters.\n\nBrant spoke in Oslo.";
        let q = "One official said Brant believed the talks would fail.\n\nBrant spoke in Oslo.";
        assert!(changed(q, s).is_empty(), "{:?}", changed(q, s));
    }

    #[test]
    fn a_ticker_in_markup_is_no_name() {
        let s = "Harlow Electric Co Ltd <HARL.T> rose 14 yen to 689.";
        assert!(
            names(s).iter().all(|(n, _)| !n.contains("HARL")),
            "{:?}",
            names(s)
        );
    }
}
