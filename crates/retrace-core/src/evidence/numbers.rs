//! Numbers: `number_changed`.
//!
//! In: the two sides, the (widened) passages and their links. The numbers
//! of each aligned sentence pair are read as values ([`numbers_in`]:
//! "seven" = 7, "twenty-five" = 25, "$3 million" = "3 million dollars" =
//! the wire's "3 mln dlrs", "two decades" = 20 years, percentages marked),
//! with the words they count. Out: a `number_changed` finding for each
//! value lost on one side against one gained on the other, paired through
//! what they count where a sentence changes several; a value stated at
//! another precision or with a scale left out, arithmetic on kept values
//! ("from 120 to 150" / "gained 30") or a value moved within the passage is
//! no change.

use super::common::{clip, span_tokens};
use super::kinds;
use super::Side;
use crate::align::{AlignedLink, AlignedPassage};
use crate::report::Finding;
use crate::text::{lang, Span, TokenKind};

/// A number as read from a text, with what it counts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Num<'a> {
    /// Its value, scale words folded in ("3 million" = 3e6).
    pub(super) value: f64,
    /// The factor of the scale word folded in (1 for none).
    factor: f64,
    /// Whether a scale of a thousand or more was folded in ("3 million").
    scaled: bool,
    /// Digits after the decimal point as written ("22.25": 2).
    decimals: u32,
    /// Whether it is a percentage ("22%", "22 per cent", "22 pct").
    percent: bool,
    /// Byte span of the number and its scale word.
    span: Span,
    /// Stem of the first content word after the number ("18,500 runners"):
    /// what it counts.
    unit: Option<&'a str>,
    /// Stem of the word right before it ("March 3", "Highway 9").
    prev: Option<&'a str>,
}

/// The text of span `s`, lower-cased.
fn raw_lower(text: &str, s: Span) -> String {
    text[s.start..s.end].to_lowercase()
}

/// Whether a number is written as a word ("seven", not "7").
fn is_word_number(raw: &str) -> bool {
    raw.chars().all(|c| c.is_alphabetic())
}

/// The numbers of `text[span]` with their values: scale words folded in
/// ("3 million", "two hundred", "two decades" = 20 years), compound number
/// words joined ("twenty-five"), percentages marked.
pub(super) fn numbers_in<'a>(side: &Side<'a>, span: Span) -> Vec<Num<'a>> {
    let mut out = Vec::new();
    numbers_into(side, span, &mut out);
    out
}

/// [`numbers_in`], pushed onto `out`.
pub(super) fn numbers_into<'a>(side: &Side<'a>, span: Span, out: &mut Vec<Num<'a>>) {
    let text = side.text;
    let toks = span_tokens(side.analysis, span);
    let first = out.len();
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        if t.kind != TokenKind::Number {
            k += 1;
            continue;
        }
        // "one" is mostly a pronoun ("the next one"); "a dozen" is vague
        let Ok(mut value) = t.norm.parse::<f64>() else {
            k += 1;
            continue;
        };
        let raw = raw_lower(text, t.span);
        // ("one" before a scale word is a figure: the wire's "one mln")
        let before_scale = || {
            toks.get(k + 1)
                .and_then(|n| lang::scale_word(&text[n.span.start..n.span.end]))
                .is_some_and(|f| f >= 1e3)
        };
        if lang::NOT_FIGURES.contains(&raw.as_str()) && !(raw == "one" && before_scale()) {
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
        let mut factor = 1.0;
        if let Some(next) = toks.get(last + 1) {
            let scale = lang::scale_word(&text[next.span.start..next.span.end]).unwrap_or(1.0);
            if scale > 1.0 && text[toks[last].span.end..next.span.start].trim().is_empty() {
                value *= scale;
                factor = scale;
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
        let percent = lang::PERCENT_MARKS.iter().any(|m| rest.starts_with(m));
        // what it counts: the next content word, unless another number
        // comes first
        let unit = toks[last + 1..]
            .iter()
            .take(3)
            .take_while(|x| x.kind == TokenKind::Word)
            .find(|x| !x.stop)
            .map(|x| x.stem.as_str());
        let prev = (k > 0 && toks[k - 1].kind == TokenKind::Word && !toks[k - 1].stop)
            .then(|| toks[k - 1].stem.as_str());
        out.push(Num {
            value,
            factor,
            scaled,
            decimals,
            percent,
            span: Span::new(t.span.start, end),
            unit,
            prev,
        });
        k = last + 1;
    }
    share_range_scales(text, &mut out[first..]);
}

/// A range states its scale once: in "between 18 and 22 billion" or "5 to
/// 7 mln" the first figure is in billions (millions) too.
fn share_range_scales(text: &str, nums: &mut [Num]) {
    for i in (0..nums.len().saturating_sub(1)).rev() {
        let (a, b) = (&nums[i], &nums[i + 1]);
        let between = text[a.span.end..b.span.start].trim().to_lowercase();
        let year_like = a.decimals == 0 && (1800.0..=2100.0).contains(&a.value);
        if a.factor == 1.0
            && b.scaled
            && !a.percent
            && !year_like
            && lang::RANGE_WORDS.contains(&between.as_str())
        {
            let f = b.factor;
            let a = &mut nums[i];
            a.value *= f;
            a.factor = f;
            a.scaled = true;
        }
    }
}

/// A number as written, for a finding's detail line.
fn fmt_num(text: &str, n: &Num) -> String {
    clip(&text[n.span.start..n.span.end], 30)
}

/// Whether two numbers state the same value (both percentages or
/// neither).
pub(super) fn same_num(a: &Num, b: &Num) -> bool {
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
    // rounding: the less precise side is the other rounded to its digits,
    // in the units of its scale ("1.8 million" is 1,786,800 rounded to a
    // tenth of a million; "22.3" is 22.25 rounded)
    let step = |n: &Num| n.factor * 10f64.powi(-(n.decimals as i32));
    let coarse = step(a).max(step(b));
    (step(a) != step(b) && a.value != 0.0 && b.value != 0.0)
        && (a.value - b.value).abs() <= coarse / 2.0 + 1e-9 * coarse
}

/// Whether two equal figures may be the same mention: they count the same
/// thing, or one of them says nothing about what it counts.
fn comparable(a: &Num, b: &Num) -> bool {
    let known = |n: &Num| n.unit.is_some() || n.prev.is_some();
    !known(a) || !known(b) || same_context(a, b)
}

/// Whether two numbers count the same thing: same word after them, or the
/// same word before them ("March 3" / "March 13").
fn same_context(a: &Num, b: &Num) -> bool {
    (a.unit.is_some() && a.unit == b.unit) || (a.prev.is_some() && a.prev == b.prev)
}

/// The changed numbers of one aligned link: pairs (source number, suspect
/// number). The values both sides state are matched off first, one
/// mention against one (the same value counting the same thing before the
/// same value elsewhere in the sentence, then a value stated loosely: see
/// [`same_value_loosely`]). A single value lost against a single value
/// gained is a pair; with several, values are paired through what they
/// count (the word after them, then the word before them), and only where
/// that pairing is unambiguous; one value of each left over is a pair.
fn changed_numbers<'a, 't>(
    sn: &'a [Num<'t>],
    qn: &'a [Num<'t>],
    sim: f32,
) -> Vec<(&'a Num<'t>, &'a Num<'t>)> {
    type Same = fn(&Num, &Num) -> bool;
    let passes: [Same; 4] = [
        |a, b| same_num(a, b) && same_context(a, b),
        |a, b| same_num(a, b) && comparable(a, b),
        same_num,
        |a, b| a.percent == b.percent && same_value_loosely(a, b),
    ];
    let mut s_kept = vec![false; sn.len()];
    let mut q_kept = vec![false; qn.len()];
    for same in passes {
        for (i, a) in sn.iter().enumerate() {
            if s_kept[i] {
                continue;
            }
            if let Some(j) = (0..qn.len()).find(|&j| !q_kept[j] && same(a, &qn[j])) {
                s_kept[i] = true;
                q_kept[j] = true;
            }
        }
    }
    let mut lost: Vec<&Num> = sn
        .iter()
        .zip(&s_kept)
        .filter(|(_, k)| !**k)
        .map(|(a, _)| a)
        .collect();
    let mut new: Vec<&Num> = qn
        .iter()
        .zip(&q_kept)
        .filter(|(_, k)| !**k)
        .map(|(b, _)| b)
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
    // what a number counts: the word after it, else the word before it
    type Key = for<'x> fn(&'x Num) -> Option<&'x str>;
    let keys: [Key; 2] = [|n| n.unit, |n| n.prev];
    for key in keys {
        let mut k = 0;
        while k < lost.len() {
            let a = lost[k];
            let Some(what) = key(a) else {
                k += 1;
                continue;
            };
            let ours = lost.iter().filter(|x| key(x) == Some(what)).count();
            let theirs: Vec<usize> = (0..new.len())
                .filter(|&j| key(new[j]) == Some(what))
                .collect();
            if ours == 1 && theirs.len() == 1 {
                out.push((a, new.remove(theirs[0])));
                lost.remove(k);
            } else {
                k += 1;
            }
        }
    }
    if lost.len() == 1 && new.len() == 1 {
        out.push((lost[0], new[0]));
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

/// Runs the detector: a `number_changed` finding for each changed number of
/// each aligned link (see [`changed_numbers`]), in link order; not where one
/// side is the other rounded or rescaled, arithmetic on a kept value, a
/// percentage against a plain number, or a value found elsewhere in the
/// other side's passage (moved, not changed); then the dates changed by
/// name ([`date_findings`]).
pub(super) fn number_findings(
    q: &Side,
    s: &Side,
    passages: &[AlignedPassage],
    links: &[&AlignedLink],
    out: &mut Vec<Finding>,
) {
    for l in links {
        let sn = s.numbers_over(l.source_span);
        let qn = q.numbers_over(l.query_span);
        if sn.is_empty() || qn.is_empty() {
            continue;
        }
        // the numbers of the link's passage (a link of no passage is its
        // own)
        let (p_sn, p_qn) = match passage_of(passages, l) {
            Some(k) => (
                s.numbers_over(passages[k].source_span),
                q.numbers_over(passages[k].query_span),
            ),
            None => (sn, qn),
        };
        for (a, b) in changed_numbers(sn, qn, l.similarity) {
            // (arithmetic only explains a value that counts something
            // else: "14 violations" / "19 violations" with "five" kept is
            // a change)
            let arithmetic = !same_context(a, b) && derived(a, b, sn, qn);
            // values a factor of ten apart that count different things are
            // different mentions ("some 500,000 workers" told as "half a
            // million workers at the two companies")
            let (lo, hi) = (
                a.value.abs().min(b.value.abs()),
                a.value.abs().max(b.value.abs()),
            );
            if hi > 10.0 * lo && !same_context(a, b) {
                continue;
            }
            if a.percent != b.percent || arithmetic || same_value_loosely(a, b) {
                continue;
            }
            // a value moved from elsewhere is not a change: the new value
            // must not occur in the source passage more often than in the
            // suspect's, nor the old one in the suspect's as often as in
            // the source's ("20 to 30 men" kept beside "a 20-minute
            // warning" turned "10-minute" is a change)
            // (the same figure counting the same thing: "17" elsewhere as
            // "$17 a share" does not explain "April 17" -> "April 27")
            let count = |ns: &[Num], y: &Num| {
                ns.iter()
                    .filter(|x| same_num(x, y) && comparable(x, y))
                    .count()
            };
            if count(p_sn, b) > count(p_qn, b) || count(p_qn, a) >= count(p_sn, a) {
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
    date_findings(q, s, passages, links, out);
}

/// The passage that holds link `l`.
fn passage_of(passages: &[AlignedPassage], l: &AlignedLink) -> Option<usize> {
    passages
        .iter()
        .position(|p| p.links.iter().any(|x| x.source_span == l.source_span))
}

/// A month or weekday named in a text.
struct DateWord {
    /// (0 for a month, 1 for a weekday; its number): see [`lang::date_word`].
    what: (u8, usize),
    /// Byte span of the word.
    span: Span,
}

/// The months and weekdays named in `text[span]`: full names capitalised
/// ("May" only inside a sentence or before a day: at a sentence's start it
/// is mostly the verb), abbreviations only before a day ("Sept 3").
fn dates_in(side: &Side, span: Span) -> Vec<DateWord> {
    let toks = span_tokens(side.analysis, span);
    let starts = side.starts();
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        // (a month or weekday, written in full or not: the abbreviations
        // are read only before a day)
        if t.kind != TokenKind::Word || !t.capitalized || lang::date_word(&t.norm, true).is_none() {
            continue;
        }
        let before_day = toks.get(k + 1).is_some_and(|n| {
            n.kind == TokenKind::Number && n.norm.parse::<f64>().is_ok_and(|v| v < 32.0)
        });
        let Some(what) = lang::date_word(&t.norm, before_day) else {
            continue;
        };
        if t.norm == "may" && starts.contains(&t.span.start) && !before_day {
            continue;
        }
        out.push(DateWord { what, span: t.span });
    }
    out
}

/// Dates changed by name: one month (or weekday) of an aligned sentence
/// stated as another in the rewrite ("in May of last year" / "in June of
/// last year"), not where the other side's passage names it too (moved).
fn date_findings(
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
        // (a change needs a date on each side)
        let sd = dates_in(s, l.source_span);
        if sd.is_empty() {
            continue;
        }
        let qd = dates_in(q, l.query_span);
        if qd.is_empty() {
            continue;
        }
        // the dates of the link's passage, read when a change asks for them
        let mut passage_dates: Option<Option<(Vec<DateWord>, Vec<DateWord>)>> = None;
        for kind in [0, 1] {
            let count = |ds: &[DateWord], w: (u8, usize)| ds.iter().filter(|d| d.what == w).count();
            let of = |ds: &[DateWord]| -> Vec<(u8, usize)> {
                // (each month or weekday once, wherever it recurs)
                let mut v: Vec<(u8, usize)> =
                    ds.iter().map(|d| d.what).filter(|w| w.0 == kind).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            let lost: Vec<(u8, usize)> = of(&sd)
                .into_iter()
                .filter(|w| count(&qd, *w) < count(&sd, *w))
                .collect();
            let new: Vec<(u8, usize)> = of(&qd)
                .into_iter()
                .filter(|w| count(&sd, *w) < count(&qd, *w))
                .collect();
            if lost.len() != 1 || new.len() != 1 {
                continue;
            }
            let (a, b) = (lost[0], new[0]);
            let Some((ps, pq)) = passage_dates.get_or_insert_with(|| {
                passage_of(passages, l).map(|p| {
                    (
                        dates_in(s, passages[p].source_span),
                        dates_in(q, passages[p].query_span),
                    )
                })
            }) else {
                continue;
            };
            if count(ps, b) > count(pq, b) || count(pq, a) >= count(ps, a) {
                continue;
            }
            let (Some(da), Some(db)) = (
                sd.iter().find(|d| d.what == a),
                qd.iter().find(|d| d.what == b),
            ) else {
                continue;
            };
            out.push(Finding {
                kind: kinds::NUMBER_CHANGED,
                source: Some(s.span(da.span)),
                query: Some(q.span(db.span)),
                detail: format!(
                    "source says \"{}\"; the rewrite says \"{}\"",
                    s.slice(da.span),
                    q.slice(db.span)
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::testing::Pair;

    /// The number findings of `q` against `s`, sentence `i` linked with
    /// sentence `i`, all in one passage.
    fn run(q: &str, s: &str) -> (Pair, Vec<Finding>) {
        let p = Pair::new(q, s);
        let passage = crate::evidence::testing::passage(p.diagonal(0.6));
        let links: Vec<&AlignedLink> = passage.links.iter().collect();
        let mut out = Vec::new();
        number_findings(
            &p.q(),
            &p.s(),
            std::slice::from_ref(&passage),
            &links,
            &mut out,
        );
        (p, out)
    }

    /// The values of the numbers of `text`, and whether each is a
    /// percentage.
    fn values(text: &str) -> Vec<(f64, bool)> {
        let p = Pair::new(text, text);
        numbers_in(&p.s(), Span::new(0, text.len()))
            .iter()
            .map(|n| (n.value, n.percent))
            .collect()
    }

    #[test]
    fn numbers_are_read_as_values() {
        assert_eq!(values("seven boats"), [(7.0, false)]);
        assert_eq!(values("twenty-five boats"), [(25.0, false)]);
        assert_eq!(values("$3 million"), [(3e6, false)]);
        assert_eq!(values("15 mln dlrs"), [(15e6, false)]);
        assert_eq!(values("two decades"), [(20.0, false)]);
        assert_eq!(
            values("up 22 pct, or 5 per cent"),
            [(22.0, true), (5.0, true)]
        );
        // "one" is a pronoun, "a dozen" vague
        assert!(values("the next one, a dozen").is_empty());
    }

    #[test]
    fn a_number_changed_is_a_finding() {
        let s = "Sales rose 5 percent to $3 million in March.";
        let q = "Sales rose 7 percent to $3 million in March.";
        let (p, out) = run(q, s);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::NUMBER_CHANGED);
        assert_eq!(p.s_at(&out[0]), "5");
        assert_eq!(p.q_at(&out[0]), "7");
    }

    #[test]
    fn a_number_reformatted_is_no_change() {
        let s = "Sales rose 5 percent to $3 million in March.";
        let q = "In March, sales climbed five per cent to 3 million dollars.";
        assert!(run(q, s).1.is_empty());
        // the wire's spelling of the same amount
        let q = "Sales rose 5 pct to 3 mln dlrs in March.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn rounding_and_a_scale_left_out_are_no_change() {
        let s = "The index closed at 22.25 points.";
        assert!(run("The index closed at 22.3 points.", s).1.is_empty());
        assert_eq!(run("The index closed at 22.9 points.", s).1.len(), 1);
        let s = "The bank lent 170 mln dlrs.";
        assert!(run("The bank lent 170 dlrs.", s).1.is_empty());
    }

    #[test]
    fn arithmetic_on_kept_values_is_no_change() {
        let s = "Shares rose from 120 to 150 on Monday.";
        let q = "Shares gained 30 on Monday, reaching 150.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn several_changes_are_paired_through_what_they_count() {
        let s = "The firm hired 40 engineers and 12 lawyers.";
        let q = "The firm hired 45 engineers and 10 lawyers.";
        let (p, out) = run(q, s);
        let pairs: Vec<(String, String)> = out.iter().map(|f| (p.s_at(f), p.q_at(f))).collect();
        assert_eq!(
            pairs,
            [("40".into(), "45".into()), ("12".into(), "10".into())]
        );
    }

    #[test]
    fn a_value_moved_within_the_passage_is_no_change() {
        let s = "The ship carried 300 tons.\n\nIts crew was 40.";
        let q = "The ship carried 40 tons.\n\nIts crew was 300.";
        assert!(run(q, s).1.is_empty());
    }

    /// The (source, suspect) texts of the number findings of `q` against `s`.
    fn changes(q: &str, s: &str) -> Vec<(String, String)> {
        let (p, out) = run(q, s);
        out.iter().map(|f| (p.s_at(f), p.q_at(f))).collect()
    }

    fn pair(a: &str, b: &str) -> Vec<(String, String)> {
        vec![(a.to_string(), b.to_string())]
    }

    #[test]
    fn a_value_kept_once_and_changed_once_is_a_change() {
        // "20" is still there, but only once of the twice it was
        let s = "He said the 20 to 30 crew members were given a 20-minute warning to leave.";
        let q = "He said the 20 to 30 crew members had a 10-minute warning to leave.";
        assert_eq!(changes(q, s), pair("20", "10"));
        // "eight weeks" is no "April 8" kept
        let s = "The bridge will close for six weeks starting April 8, officials said.";
        let q = "The bridge will shut for eight weeks from April 8, officials said.";
        assert_eq!(changes(q, s), pair("six", "eight"));
    }

    #[test]
    fn a_range_states_its_scale_once() {
        assert_eq!(
            values("between 18 and 22 billion dlrs"),
            [(18e9, false), (22e9, false)]
        );
        let s = "The budget would raise between 18 and 22 billion dlrs in new revenues.";
        let q = "The budget would raise between $18 billion and $25 billion in new revenues.";
        let got = changes(q, s);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].0.starts_with("22") && got[0].1.contains("25"),
            "{got:?}"
        );
        // "one mln" is a figure
        assert_eq!(values("one mln tonnes"), [(1e6, false)]);
    }

    #[test]
    fn several_changes_pair_through_the_word_before_and_what_is_left() {
        let s = "Rio stopped paying interest on 68 billion dlrs of debt on February 20.";
        let q = "Rio stopped paying interest on $86 billion of its debt on February 22.";
        let got = changes(q, s);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.contains(&("20".into(), "22".into())), "{got:?}");
        // one mention of each: the wire's "one mln" is the "1 million"
        let s = "Moscow bought 6.8 mln tonnes of corn and 153,000 tonnes of wheat and this year one mln tonnes of corn.";
        let q = "Moscow bought 6.8 million tonnes of corn and 135,000 tonnes of wheat and this year 1 million tonnes of corn.";
        assert_eq!(changes(q, s), pair("153,000", "135,000"));
    }

    #[test]
    fn a_sum_of_kept_values_is_still_a_change_when_it_counts_the_same_thing() {
        let s = "Inspectors cited the bakery for 14 violations, five of them critical.";
        let q = "Inspectors cited the bakery for 19 violations, five of them critical.";
        assert_eq!(changes(q, s), pair("14", "19"));
    }

    #[test]
    fn rounding_in_a_scale_and_values_far_apart_are_no_change() {
        let s = "The county counted 1,786,800 voters last year.";
        assert!(changes("The county counted 1.8 million voters last year.", s).is_empty());
        // a figure ten times off that counts something else is another mention
        let s = "Talks cover some 500,000 workers at the carmakers over new contracts.";
        let q = "Talks cover half a million workers at the two carmakers over new contracts.";
        assert!(changes(q, s).is_empty());
    }

    #[test]
    fn a_month_or_weekday_changed_is_a_date_change() {
        let s = "The ratio fell below one for the first time in May of last year.";
        let q = "The ratio fell below one for the first time in June of last year.";
        assert_eq!(changes(q, s), pair("May", "June"));
        let s = "The board met on Monday and will vote on Sept 3.";
        let q = "The board met on Tuesday and will vote on Oct 3.";
        assert_eq!(changes(q, s).len(), 2);
        // one month changed wherever it recurs, around one kept
        let s = "Sales rose in May, fell in June and rose again in May of the next year.";
        let q = "Sales rose in July, fell in June and rose again in July of the next year.";
        assert_eq!(changes(q, s), pair("May", "July"));
        // "May" opening a sentence is the verb; a month moved is no change
        let s = "May the best team win in March.\n\nThe final is in April.";
        let q = "May the best side win in April.\n\nThe final is in March.";
        assert!(changes(q, s).is_empty());
    }

    #[test]
    fn a_date_changed_though_its_day_appears_elsewhere_as_a_price() {
        let src = "Harlow Tools shares rose to 17 dlrs on Monday after a rival offered to buy the \
                   maker of machine parts for cash.\n\nThe company urged shareholders to take no \
                   action while its board studies the offer with its advisers.\n\nThe board \
                   will make a recommendation by April 17, the company said in a statement.";
        let sus = "Harlow Tools stock climbed to $17 on Monday after a competitor offered to buy \
                   the machine parts maker for cash.\n\nThe company told shareholders to take no \
                   action while its board reviews the offer with its advisers.\n\nThe board \
                   will make a recommendation by April 27, the company said in a statement.";
        let r = crate::Comparer::new().compare(
            &crate::Document::from_text("q", sus),
            &[crate::Document::from_text("s", src)],
        );
        let f: Vec<_> = r.sources[0]
            .findings
            .iter()
            .filter(|f| f.kind == crate::FindingKind::NumberChanged)
            .collect();
        assert_eq!(f.len(), 1, "{:?}", r.sources[0].findings);
        assert!(
            f[0].detail.contains("April 27") || f[0].detail.contains("27"),
            "{}",
            f[0].detail
        );
    }
}
