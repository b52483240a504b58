//! Names: `name_changed`, and the name reader attributions use.
//!
//! In: the two sides and the (widened) links. Names are read as runs of
//! capitalised words ([`names_in`]: titles, particles, months, days and
//! generic words such as "officials" left out of their keys;
//! sentence-initial single words skipped unless all capitals). Out: a
//! `name_changed` finding where an aligned sentence pair loses one name and
//! gains one, and the two are not the same name told otherwise (a
//! spelling variant such as "Alex"/"Alexander", an adjective such as
//! "French", an acronym and its expansion, a listed alias such as
//! "UK"/"Britain").

use std::collections::HashSet;

use super::common::{clip, sentence_starts, span_tokens, word_set};
use super::kinds;
use super::Side;
use crate::align::AlignedLink;
use crate::report::Finding;
use crate::text::{is_stop_word, lang, tokenize, Span, TokenKind};

/// A name: byte span and its lower-case key tokens (titles removed).
#[derive(Debug, Clone)]
pub(super) struct Name {
    /// Byte span of the name.
    pub(super) span: Span,
    /// Its lower-case key tokens (titles and particles left out).
    pub(super) keys: Vec<String>,
}

/// Whether a word starts with a capital.
fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Capitalised word runs in `text[span]` (allowing "of"/"the"/"de" inside
/// when a capital follows). Sentence-initial single words are skipped
/// unless they are all capitals (CNN, AP).
pub(super) fn names_in(side: &Side, span: Span, sentence_starts: &HashSet<usize>) -> Vec<Name> {
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
            } else if lang::NAME_PARTICLES.contains(&r)
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
                !lang::TITLES.contains(&k.as_str()) && !lang::NAME_PARTICLES.contains(&k.as_str())
            })
            .collect();
        let all_caps = run.len() == 1
            && raw.chars().count() >= 2
            && raw.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
        let generic = keys.is_empty()
            || keys.iter().all(|k| {
                lang::NOT_NAMES.contains(&k.as_str())
                    || lang::MONTHS_DAYS.contains(&k.as_str())
                    || is_stop_word(k)
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

/// A name written as one capitalised abbreviation ("U.N." -> "UN", "WHO"):
/// its letters.
pub(super) fn compact_acronym(text: &str, n: &Name) -> Option<String> {
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
pub(super) fn initials(text: &str, n: &Name) -> Option<String> {
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
        && lang::ALIASES
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
    let suffix = lang::DEMONYM_SUFFIXES.iter().any(|s| k.ends_with(s));
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
    // a title and the words that qualify it ("Prime Minister", "Finance
    // Minister", "Vice President") say who someone is, not their name
    let title = |k: &String| lang::TITLES.contains(&k.as_str());
    // leading qualifiers of a title the name reader already dropped
    // ("Prime [Minister] Jacques Chirac")
    let lead = n
        .keys
        .iter()
        .take_while(|k| lang::TITLE_QUALIFIERS.contains(&k.as_str()))
        .count()
        .min(n.keys.len().saturating_sub(1));
    n.keys
        .iter()
        .enumerate()
        .skip(lead)
        .filter(|&(i, k)| {
            !is_stop_word(k)
                && !lang::MONTHS_DAYS.contains(&k.as_str())
                && !lang::NOT_NAMES.contains(&k.as_str())
                && !title(k)
                && !n.keys.get(i + 1).is_some_and(title)
        })
        .map(|(_, k)| k)
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

/// Runs the detector: a `name_changed` finding for each aligned link
/// (similarity 0.3 or more, neither side a title-case headline) where
/// exactly one name of the source sentence and one of the rewrite's are
/// missing from the other text, and they are a wholly different name or
/// the same name with one word replaced in place; not spelling variants,
/// adjectives, acronyms or listed aliases of each other.
pub(super) fn name_findings(q: &Side, s: &Side, links: &[&AlignedLink], out: &mut Vec<Finding>) {
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
        let starts = sentence_starts(side.analysis);
        side.analysis
            .sentences
            .iter()
            .flat_map(|x| names_in(&side, x.span, &starts))
            .map(|n| (side.slice(n.span).to_string(), n.keys))
            .collect()
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
        assert!(title_case(s, Span::new(0, s.len())));
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
}
